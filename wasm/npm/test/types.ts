// Compiled by `tsc --noEmit -p .` (never run): the package's types as an
// integrator uses them, and misuses the types must reject.
import {
  checks, init, verifyRecord, verifyVote, version,
  type Anchors, type Check, type Report, type Statement, type Verdict,
} from 'kleroterion';

export async function integrator(assemblyJson: string, roll: Uint8Array, anchors: Anchors): Promise<string> {
  await init();
  await init(new URL('https://example.org/kleroterion_wasm_bg.wasm'));
  await init(new Uint8Array(8));
  const files = new Map<string, Uint8Array | string>([
    ['rec/assembly.json', assemblyJson],
    ['rec/roll.txt', roll],
  ]);
  const report: Report = verifyRecord(files, {
    anchors,
    onProgress: ({ vote, ballots, total }) => console.log(vote, ballots / total),
  });
  verifyRecord({ 'record.json': '{}', 'ballots.txt': new ArrayBuffer(0) });
  verifyRecord([['assembly.json', assemblyJson]], { anchors: '{"version":1}' });
  const vote = verifyVote({ record: '{}', ballots: roll, challenged: '' });
  const failed: Check[] = checks(report).filter((c) => c.status === 'failed');
  const reasons: (string | null)[] = failed.map((c) => c.reason);
  const verdict: Verdict = report.verdict;
  const refuted: Statement[] = report.statements.filter((s) => s.status === 'refuted');
  const passes = report.votes.flatMap((v) => v.contests.map((c) => c.passes === true));
  const seats = report.draw?.strata.reduce((n, s) => n + s.quota, 0) ?? 0;
  return `${version()} ${verdict} ${reasons.length} ${refuted.length} ${passes} ${seats} ${vote.kind}`;
}

export function misuses(report: Report): void {
  // @ts-expect-error: files are contents by path, not a number
  verifyRecord(42);
  // @ts-expect-error: file contents are bytes or text
  verifyRecord({ 'assembly.json': 7 });
  // @ts-expect-error: a vote needs its three files
  verifyVote({ record: '{}', ballots: '' });
  // @ts-expect-error: progress is one object argument
  verifyRecord({}, { onProgress: (vote: string, ballots: number) => [vote, ballots] });
  // @ts-expect-error: anchors are the file or its parsed JSON
  verifyRecord({}, { anchors: 1 });
  // @ts-expect-error: there is no such verdict
  if (report.verdict === 'ok') return;
  // @ts-expect-error: there is no such check status
  if (checks(report)[0]?.status === 'not_anchored') return;
  // @ts-expect-error: reason may be null
  checks(report)[0]?.reason.length;
}
