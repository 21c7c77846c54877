// Reading rules of spec/record.md §4.3, §6.2, §9 beyond the kit: edits to a copy of the
// kit's base record, each checked for the outcome the spec gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { applyEdit } from '../src/kit.js';
import { readAnchors } from '../src/load.js';
import { verifyDir } from '../src/verify.js';
import { enableMemo } from '../src/memo.js';

enableMemo();
const kit = new URL('../../../test-vectors/conformance/', import.meta.url).pathname;
const anchorsText = readFileSync(join(kit, 'anchors.json'), 'utf8');

/** Outcomes (`section id` → outcome) of the base record after `edits`. */
function verifyEdited(edits, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jsv-'));
  try {
    cpSync(join(kit, 'assembly'), dir, { recursive: true });
    const state = { anchors: anchorsText };
    for (const e of edits) applyEdit(dir, state, e);
    const out = {};
    for (const s of verifyDir(dir, readAnchors(state.anchors), opts)) {
      for (const [id, o, why] of s.checks) {
        out[`${s.section} ${id}`] = o;
        if (opts.reasons) out[`${s.section} ${id} why`] = why;
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const failed = (r) => Object.keys(r).filter((k) => r[k] !== 'ok');
const harm = (id) => `Vote "harm-finding" ${id}`;
const line1 = readFileSync(join(kit, 'assembly/votes/harm-finding/ballots.txt'), 'utf8').split('\n')[0];

test('ballot fields separated by U+0085 (Unicode White_Space) are well-formed; by U+FEFF not', () => {
  assert.deepEqual(failed(verifyEdited([{ file: 'votes/harm-finding/ballots.txt', line: 1n, value: line1.split(' ').join('\u0085') }])), []);
  // A malformed line does not become the previous code, so line 2 no longer chains (E6).
  const r = verifyEdited([{ file: 'votes/harm-finding/ballots.txt', line: 1n, value: line1.split(' ').join('\ufeff') }]);
  assert.deepEqual(failed(r), [harm('E4'), harm('E6'), harm('E9'), harm('E11')]);
  assert.equal(r[harm('E11')], 'not_checked');
});

test('CRLF line ends are accepted in every stream', () => {
  const crlf = (f) => ({ file: f, text: readFileSync(join(kit, 'assembly', f), 'utf8').replace(/\n/g, '\r\n') });
  assert.deepEqual(failed(verifyEdited([crlf('votes/harm-finding/ballots.txt'), crlf('votes/harm-finding/challenged.txt'), crlf('roll.txt')])), []);
});

test('an empty line inside the cast stream is malformed: E4 and E9 fail, the chain continues', () => {
  const r = verifyEdited([{ file: 'votes/harm-finding/ballots.txt', line: 2n, insert: '' }]);
  assert.deepEqual(failed(r), [harm('E4'), harm('E9'), harm('E11')]);
});

test('a challenged line that is not hex fails E8 only', () => {
  assert.deepEqual(failed(verifyEdited([{ file: 'votes/harm-finding/challenged.txt', line: 1n, value: 'zz' }])), [harm('E8')]);
});

test('a challenged ballot listed twice fails E5', () => {
  const r = verifyEdited([{ file: 'votes/harm-finding/challenged.txt', line: 2n, insert: readFileSync(join(kit, 'assembly/votes/harm-finding/challenged.txt'), 'utf8').split('\n')[0] }]);
  assert.deepEqual(failed(r), [harm('E5')]);
});

test('a replacement naming no later vote fails S17, and E16 of seated votes is not checked', () => {
  const r = verifyEdited([{ file: 'assembly.json', pointer: '/replacements/0/from_vote', value: 'harm-findingx' }]);
  assert.deepEqual(failed(r), ['Draw S17', harm('E16'), 'Vote "remedy-approval" E16']);
  assert.equal(r[harm('E16')], 'not_checked');
});

test('a vote name that could leave votes/ fails R1', () => {
  const r = verifyEdited([{ file: 'assembly.json', pointer: '/votes/2/name', value: '../x' }]);
  assert.deepEqual(Object.keys(r), ['Record R1']);
});

test('a blank roll line fails S15 and leaves S12-S14 not checked', () => {
  const r = verifyEdited([{ file: 'roll.txt', line: 5n, insert: '' }]);
  assert.deepEqual(failed(r), ['Draw S12', 'Draw S13', 'Draw S14', 'Draw S15']);
  assert.equal(r['Draw S15'], 'failed');
  assert.equal(r['Draw S12'], 'not_checked');
});

test('a tally with the right count and swapped sums fails E9 (and E10: the shares are of other sums)', () => {
  const a = JSON.parse(readFileSync(join(kit, 'assembly/assembly.json'), 'utf8'));
  const t = a.votes[0].record.tally;
  // header 4 + hash 64 + N 16 + LE32(n) 8 + LE32(k) 8 hex digits, then 132 per ciphertext.
  const at = 100, ct = 132;
  const swapped = t.slice(0, at) + t.slice(at + ct, at + 2 * ct) + t.slice(at, at + ct) + t.slice(at + 2 * ct);
  const r = verifyEdited([
    { file: 'assembly.json', pointer: '/votes/0/record/tally', value: swapped },
    { file: 'votes/harm-finding/record.json', pointer: '/tally', value: swapped },
  ]);
  assert.deepEqual(failed(r), [harm('E9'), harm('E10'), harm('E11')]);
  assert.equal(r[harm('E11')], 'not_checked');
});

test('shards (record.md §4.1): each ballot is checked by exactly one shard, and ids and tags are united', () => {
  // A bad proof on line 1 is reported once, by the shard that owns it, whatever the split.
  const edit = [{ file: 'votes/harm-finding/ballots.txt', line: 1n, at: 1740n, text: '4' }];
  for (const by of ['position', 'id']) {
    for (const n of [2, 3, 5]) {
      const r = verifyEdited(edit, { shards: { n, by }, reasons: true });
      assert.deepEqual(failed(r).filter((k) => !k.endsWith(' why')), [harm('E7'), harm('E9'), harm('E11')]);
      assert.equal(r[`${harm('E7')} why`].length, 1);
    }
  }
  // Line 1 repeated as line 5: split by position in 3 shards the two copies (positions 0
  // and 4) are in shards 0 and 1, and the merge finds the id and the tag in two shards (E5,
  // E14); split by id both copies are in one shard, which finds them itself.
  const repeat = [{ file: 'votes/harm-finding/ballots.txt', line: 5n, insert: readFileSync(join(kit, 'assembly/votes/harm-finding/ballots.txt'), 'utf8').split('\n')[0] }];
  const whole = verifyEdited(repeat);
  for (const by of ['position', 'id']) assert.deepEqual(failed(verifyEdited(repeat, { shards: { n: 3, by } })), failed(whole));
  assert.deepEqual(failed(whole), [harm('E5'), harm('E6'), harm('E9'), harm('E11'), harm('E14')]);
});

test('stratify_by that is not a label fails S1, not R1 (spec/json.md §4.2: S1 checks its label rules)', () => {
  const r = verifyEdited(['', '/selection'].map((s) => ({ file: 'assembly.json', pointer: `${s}/announcement/params/stratify_by`, value: 're gion' })));
  assert.equal(r['Record R1'], undefined);
  assert.equal(r['Draw S1'], 'failed');
});

test('a replacement key that is not a canonical ristretto255 encoding fails R1 (spec/json.md §4.2)', () => {
  const r = verifyEdited([{ file: 'assembly.json', pointer: '/replacements/1/joining', value: 'ff'.repeat(32) }]);
  assert.deepEqual(Object.keys(r), ['Record R1']);
});

test('quotas above the eligible counts: S5 fails, and the draw of S9 and S10 cannot be computed (spec/sortition.md §7)', () => {
  const r = verifyEdited(['', '/selection'].map((s) => ({ file: 'assembly.json', pointer: `${s}/announcement/params/quotas/Proportional/seats`, value: 30n })), { reasons: true });
  for (const id of ['S5', 'S9', 'S10']) assert.equal(r[`Draw ${id}`], 'failed', id);
  assert.match(String(r['Draw S9 why']), /above/);
  assert.match(String(r['Draw S10 why']), /above/);
});
