// The package in Node (`node --test`), imported by its name as an integrator
// imports it (package.json's "exports", "node" condition): the conformance
// kit of test-vectors/conformance/ — every case, honest and tampered, gives
// exactly its expected report — and the API's own behaviour.
//
// The repository is found from this file (wasm/npm/test/) or, when the test
// runs from an installed copy of the package, from $KLEROTERION_ROOT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checks, init, verifyRecord, verifyVote, version } from 'kleroterion';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.KLEROTERION_ROOT ?? path.resolve(here, '..', '..', '..');
const kit = path.join(root, 'test-vectors', 'conformance');

// The files under `dir` by relative path, as text.
function readTree(dir) {
  const files = new Map();
  for (const rel of readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, rel);
    if (statSync(p).isFile()) files.set(rel.split(path.sep).join('/'), readFileSync(p, 'utf8'));
  }
  return files;
}

const base = readTree(path.join(kit, 'assembly'));
const publishedAnchors = readFileSync(path.join(kit, 'anchors.json'), 'utf8');
// Every base record of the kit (test-vectors/conformance/README.md, "Bases":
// assemblies, a feature draw, a stratified draw, a pool draw) and its anchors:
// anchors.json for `assembly`, <base>.anchors.json for the others.
const bases = { assembly: [base, publishedAnchors] };
for (const name of readdirSync(kit)) {
  const anchorsFile = path.join(kit, `${name}.anchors.json`);
  if (name !== 'cases' && existsSync(anchorsFile)) {
    bases[name] = [readTree(path.join(kit, name)), readFileSync(anchorsFile, 'utf8')];
  }
}

// RFC 6901: the parent of the value at `pointer` and the value's key.
function locate(doc, pointer) {
  const keys = pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent = doc;
  for (const k of keys) {
    assert.ok(parent !== null && typeof parent === 'object' && k in parent, `no ${pointer}`);
    parent = parent[k];
  }
  assert.ok(parent !== null && typeof parent === 'object' && last in parent, `no ${pointer}`);
  return [parent, Array.isArray(parent) ? Number(last) : last];
}

const overwrite = (s, at, text) => s.slice(0, at) + text + s.slice(at + text.length);

// One edit of the kit (test-vectors/conformance/README.md, "Edits") applied
// to `files` (a Map of path → text, anchors.json among them).
function applyEdit(files, edit) {
  const { file } = edit;
  if (edit.delete === true && edit.line === undefined) {
    assert.ok(files.delete(file), `${file} to delete is missing`);
    return;
  }
  if ('text' in edit && edit.pointer === undefined && edit.line === undefined) {
    files.set(file, edit.text);
    return;
  }
  const old = files.get(file);
  assert.equal(typeof old, 'string', `${file} to edit is missing`);
  if (edit.pointer !== undefined) {
    const doc = JSON.parse(old);
    const [parent, key] = locate(doc, edit.pointer);
    if ('value' in edit) parent[key] = edit.value;
    else parent[key] = overwrite(parent[key], edit.at, edit.text);
    files.set(file, `${JSON.stringify(doc, null, 2)}\n`);
    return;
  }
  const lines = old.split('\n');
  assert.equal(lines.pop(), '', `${file} ends with a newline`);
  const i = edit.line - 1;
  if ('insert' in edit) lines.splice(i, 0, edit.insert);
  else if (edit.delete === true) lines.splice(i, 1);
  else if ('value' in edit) lines[i] = edit.value;
  else lines[i] = overwrite(lines[i], edit.at, edit.text);
  files.set(file, lines.map((l) => `${l}\n`).join(''));
}

// A case's files: the base record under `record/`, edited, and the
// (edited) anchors, given as the option when the case is anchored.
function caseInput(c) {
  const [baseFiles, baseAnchors] = bases[c.base];
  const files = new Map(baseFiles);
  files.set('anchors.json', baseAnchors);
  for (const edit of c.edits) applyEdit(files, edit);
  const anchors = files.get('anchors.json');
  files.delete('anchors.json');
  const record = new Map([...files].map(([p, text]) => [`record/${p}`, text]));
  return [record, c.anchors === 'published' ? { anchors } : {}];
}

// A report as the kit writes it: sections of [id, outcome].
const outline = (report) => report.sections.map((s) => ({
  section: s.title,
  checks: s.checks.map((c) => [c.id, c.status.replace(' ', '_')]),
}));

const cases = readdirSync(path.join(kit, 'cases')).sort();

// Before init(): what calling the verifier says.
let beforeInit = 'no error';
try {
  verifyRecord(new Map());
} catch (e) {
  beforeInit = e.message;
}

test('init loads the verifier from the package, once; nothing runs before it', async () => {
  assert.match(beforeInit, /not loaded; call and await init\(\) first/);
  await Promise.all([init(), init()]);
  assert.match(version(), /^\d+\.\d+\.\d+$/);
});

test('the conformance kit: every case gives its expected report', async (t) => {
  await init();
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  const failedIds = new Set();
  for (const name of cases) {
    await t.test(name, () => {
      const c = JSON.parse(readFileSync(path.join(kit, 'cases', name, 'case.json'), 'utf8'));
      const [files, options] = caseInput(c);
      const report = verifyRecord(files, options);
      assert.deepEqual(outline(report), c.expected, c.description);
      const failed = checks(report).filter((ch) => ch.status === 'failed');
      for (const id of c.targets) assert.ok(failed.some((ch) => ch.id === id), `${id} fails`);
      for (const ch of failed) {
        failedIds.add(ch.id);
        assert.ok(ch.reason && ch.reason.length > 0, `${ch.id} says why`);
      }
      const expectedVerdict = failed.length > 0 ? 'failed'
        : checks(report).every((ch) => ch.passed) ? 'passed' : 'incomplete';
      assert.equal(report.verdict, expectedVerdict);
      assert.equal(report.failed, failed.length);
      assert.equal(report.all_passed, expectedVerdict === 'passed');
    });
  }
  // Every numbered check is made to fail by some case (as tests/conformance.rs asserts).
  for (const id of ['A1', 'A2', 'A3', 'B1', 'B4', 'S1', 'S17', 'E1', 'E16', 'R1', 'P1', 'P7', 'P10', 'F3', 'F7']) {
    assert.ok(failedIds.has(id), `${id} failed in some case`);
  }
});

test('the honest record: passed with its anchors, incomplete without, each statement accordingly', async () => {
  await init();
  const record = new Map([...base].map(([p, text]) => [`record/${p}`, text]));
  const seen = [];
  const anchored = verifyRecord(record, {
    anchors: JSON.parse(publishedAnchors),
    onProgress: (p) => seen.push(p),
  });
  assert.equal(anchored.verdict, 'passed');
  assert.equal(anchored.kind, 'assembly');
  assert.equal(anchored.root, 'record/');
  assert.equal(anchored.summary, `all ${anchored.total} checks passed`);
  assert.equal(anchored.draw.delegates, anchored.draw.strata.reduce((n, s) => n + s.selected, 0));
  assert.deepEqual(anchored.votes.map((v) => [v.name, v.verified]),
    [['harm-finding', true], ['remedy-approval', true], ['consultation', true], ['survey', true]]);
  assert.ok(anchored.statements.length > 0 && anchored.statements.every((s) => s.status === 'proven'));
  // Progress names each vote and the ballots its tally counts.
  for (const v of anchored.votes) {
    const last = seen.filter((p) => p.vote === v.name).at(-1);
    assert.ok(last && last.ballots === last.total && last.total === v.ballots, `${v.name}: ${JSON.stringify(last)}`);
  }

  const bare = verifyRecord(record);
  assert.equal(bare.verdict, 'incomplete');
  assert.equal(bare.failed, 0);
  assert.deepEqual(checks(bare).filter((c) => c.status === 'not anchored').map((c) => c.id),
    ['A1', 'A2', 'A3', 'E15', 'E15', 'E15', 'E15']);
  assert.ok(bare.statements.every((s) => s.status === 'not_proven'));
  assert.match(bare.summary, /not anchored/);
});

test('a tampered record: the changed result is refuted and its vote not verified', async () => {
  await init();
  const c = JSON.parse(readFileSync(path.join(kit, 'cases', 'E11-result', 'case.json'), 'utf8'));
  const [files, options] = caseInput(c);
  // Bytes (Buffer, Uint8Array) as well as text.
  const asBytes = new Map([...files].map(([p, text]) => [p, Buffer.from(text)]));
  const report = verifyRecord(asBytes, options);
  assert.equal(report.verdict, 'failed');
  assert.deepEqual(checks(report).filter((ch) => !ch.passed).map((ch) => ch.id), ['E11']);
  assert.match(report.summary, /1 of \d+ checks FAILED/);
  const harm = report.votes.find((v) => v.name === 'harm-finding');
  assert.equal(harm.verified, false);
  const refuted = report.statements.filter((s) => s.status === 'refuted');
  assert.ok(refuted.length > 0 && refuted.every((s) => s.vote === 'harm-finding' && s.text.startsWith('REFUTED:')));
  assert.ok(refuted.some((s) => s.unmet.some((u) => u.id === 'E11' && u.status === 'failed')));
});

test('one vote from its three files; a vote record that does not decode fails R1', async () => {
  await init();
  const file = (f) => base.get(`votes/harm-finding/${f}`);
  const report = verifyVote({
    record: file('record.json'),
    ballots: new TextEncoder().encode(file('ballots.txt')).buffer,
    challenged: file('challenged.txt'),
  });
  assert.equal(report.kind, 'vote');
  assert.deepEqual(checks(report).filter((c) => c.status === 'failed'), []);
  assert.deepEqual(report.votes.map((v) => v.name), ['vote']);
  const bad = verifyVote({ record: file('record.json').slice(0, 100), ballots: '', challenged: '' });
  assert.equal(bad.verdict, 'failed');
  assert.deepEqual(checks(bad).map((c) => [c.id, c.status]), [['R1', 'failed']]);
  assert.match(checks(bad)[0].reason, /record\.json is not a valid record/);
});

test('inputs that are not a record are errors that say why', async () => {
  await init();
  assert.throws(() => verifyRecord(42), { name: 'TypeError', message: /files must be a Map/ });
  assert.throws(() => verifyRecord({ 'assembly.json': 7 }), /assembly\.json: contents must be a string/);
  assert.throws(() => verifyRecord([['a', 'b', 'c']]), /\[path, contents\] pairs/);
  assert.throws(() => verifyRecord(new Map()), /^Error: no files were selected$/);
  assert.throws(() => verifyRecord({ 'notes.txt': 'hello' }), /neither assembly\.json nor record\.json/);
  const noBallots = new Map(base);
  noBallots.delete('votes/consultation/ballots.txt');
  assert.throws(() => verifyRecord(noBallots), /votes\/consultation\/ballots\.txt is missing/);
  const twice = new Map(base).set('x/anchors.json', publishedAnchors);
  assert.throws(() => verifyRecord(twice, { anchors: publishedAnchors }), /already hold an anchors file/);
  assert.throws(() => verifyRecord(base, { anchors: 1 }), TypeError);
  assert.throws(() => verifyRecord(base, { onProgress: 'yes' }), /onProgress must be a function/);
  // Anchors that are not anchors: an error about the anchors file.
  assert.throws(() => verifyRecord(base, { anchors: '{}' }), /the anchors file/);
});
