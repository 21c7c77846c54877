#!/usr/bin/env node
// Verify a record directory (an assembly record, or a pool draw record holding pool-draw.json):
// node src/cli.js DIR (--anchors FILE | --no-anchors) [--reasons]
// Prints the report as the kit's `expected` is written ([{section, checks: [[id, outcome]]}],
// one section per line) and exits 0 (passed), 1 (failed), 3 (incomplete) or 2 (input error),
// the verdicts of spec/record.md §4.2.
import { verifyDir, loadAnchorsFile } from './verify.js';
import { InputError } from './load.js';
import { DecodeError } from './bytes.js';

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--anchors');
const anchorsPath = args.includes('--anchors') ? args[args.indexOf('--anchors') + 1] : null;
if (!dir || (anchorsPath === null && !args.includes('--no-anchors'))) {
  console.error('usage: node src/cli.js DIR (--anchors FILE | --no-anchors) [--reasons]');
  process.exit(2);
}
try {
  const report = verifyDir(dir, anchorsPath === null ? null : loadAnchorsFile(anchorsPath));
  const reasons = args.includes('--reasons');
  const lines = report.map((s) => JSON.stringify({ section: s.section, checks: s.checks.map(([id, o, why]) => (reasons && why ? [id, o, why] : [id, o])) }));
  console.log(`[\n  ${lines.join(',\n  ')}\n]`);
  const all = report.flatMap((s) => s.checks.map((c) => c[1]));
  process.exit(all.includes('failed') ? 1 : all.length && all.every((o) => o === 'ok') ? 0 : 3);
} catch (e) {
  if (e instanceof InputError || e instanceof DecodeError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
