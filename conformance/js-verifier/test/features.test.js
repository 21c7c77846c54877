// Feature draws (spec/sortition.md §10) on a record built here from the spec alone
// (test/featuredraw.js): the honest draw with and without households, then forgeries, each
// failing the checks the spec assigns. Also the decoders of tags 0x35 and 0x36.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureRecord, writeRecord } from './featuredraw.js';
import { verifyDir } from '../src/verify.js';
import { enableMemo } from '../src/memo.js';
import { hex, ascii, concat, le32 } from '../src/bytes.js';
import { encodeCertificate } from '../src/fairness.js';
import * as F from '../src/features.js';

enableMemo();

/** The Draw section's outcomes of a (possibly edited) record: { S1: 'ok', … }. */
function draw(rec) {
  const w = writeRecord(rec);
  try {
    const report = verifyDir(w.dir, null);
    const d = report.find((s) => s.section === 'Draw');
    assert.ok(d, JSON.stringify(report));
    return Object.fromEntries(d.checks.map(([id, o]) => [id, o]));
  } finally {
    w.done();
  }
}
// The honest record is not registered with the kit's beacon (its announcement is new): S16 fails.
const failing = (r) => Object.keys(r).filter((k) => r[k] !== 'ok' && k !== 'S16' && k.startsWith('S')).sort();
const fair = (r) => ['F1', 'F2', 'F4', 'F5', 'F6', 'F7'].map((id) => r[id]);
const ids = (n) => Array.from({ length: n }, (_, i) => `S${i + 1}`);

test('an honest feature draw with households passes S1–S22 (but S16, not registered)', () => {
  const rec = featureRecord();
  assert.ok(rec.draw.some((d) => d.skipped.length > 0), 'the walk skips someone');
  const r = draw(rec);
  assert.deepEqual(Object.keys(r), [...ids(11), 'S18', 'S19', 'S20', 'S21', 'S22', 'F1', 'F2', 'F4', 'F5', 'F6', 'F7', 'S12', 'S13', 'S14', 'S15', 'S16', 'S17']);
  assert.deepEqual(failing(r), []);
  assert.equal(r.S16, 'failed');
  assert.deepEqual(fair(r), Array(6).fill('ok'));
});

test('the fairness certificate: a gap too small fails F7, a dual that does not hold F5, none leaves F not checked', () => {
  const rec = featureRecord({ gap: [0n, 1n] });
  const pMinZero = rec.withPeople.some((c, i) => rec.list.every((x) => x[i] === 0));
  assert.ok(pMinZero, 'a cell never seated: p_min = 0 and B − p_min = B > 0');
  assert.deepEqual(fair(draw(rec)), ['ok', 'ok', 'ok', 'ok', 'ok', 'failed']);
  const cert = featureRecord();
  cert.cert.gamma = 0n;
  cert.assembly.selection.lottery.certificate = hex(encodeCertificate(cert.cert));
  assert.deepEqual(fair(draw(cert)), ['ok', 'ok', 'ok', 'failed', 'not_checked', 'not_checked']);
  const wrongFit = featureRecord();
  wrongFit.cert.denominator += 1n;
  wrongFit.assembly.selection.lottery.certificate = hex(encodeCertificate(wrongFit.cert));
  assert.deepEqual(fair(draw(wrongFit)), ['ok', 'ok', 'failed', 'not_checked', 'not_checked', 'not_checked']);
  assert.deepEqual(fair(draw(featureRecord({ certificate: false }))), Array(6).fill('not_checked'));
  // Not checked without the roll (the census is the verifier's own) or the committed list (S19).
  const noRoll = featureRecord();
  noRoll.roll = null;
  assert.deepEqual(fair(draw(noRoll)), Array(6).fill('not_checked'));
  const other = featureRecord();
  other.assembly.selection.lottery.allocations.allocations.push(other.assembly.selection.lottery.allocations.allocations[0]);
  const r = draw(other);
  assert.equal(r.S19, 'failed');
  assert.deepEqual(fair(r), Array(6).fill('not_checked'));
  // The F checks use this verifier's census of the roll, not the recorded counts: a
  // recorded count changed fails S13 (and S5) but leaves F1–F7 as they were.
  const counts = featureRecord();
  const seatless = counts.assembly.selection.strata.find((x) => x.quota === 0n && x.count.eligible > 0n);
  seatless.count.size += 1n;
  seatless.count.eligible += 1n;
  const rc = draw(counts);
  assert.equal(rc.S13, 'failed');
  assert.deepEqual(fair(rc), Array(6).fill('ok'));
  // A roll that is not the announced one (S12) leaves them not checked.
  const roll = featureRecord();
  roll.roll = roll.roll.split('\n').slice(1).join('\n');
  const rr = draw(roll);
  assert.equal(rr.S12, 'failed');
  assert.deepEqual(fair(rr), Array(6).fill('not_checked'));
});

test('an honest feature draw without households passes; without the roll S12–S15 are not checked', () => {
  const rec = featureRecord({ households: false, reserve: 1, exclude: 0 });
  assert.deepEqual(failing(draw(rec)), []);
  rec.roll = null;
  const r = draw(rec);
  assert.deepEqual(failing(r), ['S12', 'S13', 'S14', 'S15']);
  assert.ok(['S12', 'S13', 'S14', 'S15'].every((id) => r[id] === 'not_checked'));
});

test('a recorded pick that is not the recomputed one fails S21 alone', () => {
  const rec = featureRecord();
  rec.assembly.selection.lottery.pick = BigInt((rec.pick + 1) % rec.list.length);
  assert.deepEqual(failing(draw(rec)), ['S21']);
});

test('an allocation list other than the committed one fails S19 (and the quotas of another allocation S5, S9, S10)', () => {
  const rec = featureRecord();
  const list = rec.assembly.selection.lottery.allocations.allocations;
  // One more allocation, after the picked one: the pick is unchanged.
  list.push(list[0]);
  assert.deepEqual(failing(draw(rec)), ['S19']);
  // The picked allocation replaced by another feasible one.
  const rec2 = featureRecord();
  const l2 = rec2.assembly.selection.lottery.allocations.allocations;
  const alt = rec2.list.findIndex((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(rec2.list[rec2.pick])));
  l2[rec2.pick] = l2[alt];
  assert.deepEqual(failing(draw(rec2)), ['S10', 'S19', 'S5', 'S9'].sort());
});

test('an infeasible allocation in the list fails S20', () => {
  const rec = featureRecord();
  const list = rec.assembly.selection.lottery.allocations.allocations;
  const other = rec.pick === 0 ? 1 : 0;
  list[other] = list[other].map(() => 0n);
  list[other][list[other].length - 1] = 5n; // 5 seats in one cell of fewer eligible, outside every bound
  const r = draw(rec);
  assert.equal(r.S20, 'failed');
  assert.equal(r.S19, 'failed'); // and the commitment no longer matches
});

test('without the lottery, S5, S9, S10 and S19–S21 fail', () => {
  const rec = featureRecord();
  delete rec.assembly.selection.lottery;
  assert.deepEqual(failing(draw(rec)), ['S10', 'S19', 'S20', 'S21', 'S5', 'S9'].sort());
});

test('a skipped entry left out of the record fails S5, S9 and S10 (the walk reaches a rank the record lacks)', () => {
  const rec = featureRecord();
  const s = rec.assembly.selection.strata.find((x) => x.skipped);
  delete s.skipped;
  assert.deepEqual(failing(draw(rec)), ['S10', 'S5', 'S9']);
});

test('a selected entry given another household fails S22, S6 and S14 (its leaf changed) and S9, S10', () => {
  const rec = featureRecord({ households: true });
  const sel = rec.assembly.selection.strata.flatMap((s) => s.selected);
  const hh = (d) => d.entry.attributes.find((a) => a.label === 'household');
  hh(sel[1]).value = hh(sel[0]).value;
  const r = draw(rec);
  assert.equal(r.S22, 'failed');
  assert.equal(r.S6, 'failed');
  assert.equal(r.S14, 'failed');
});

test('a drawn entry recorded in another cell fails S7', () => {
  const rec = featureRecord();
  const strata = rec.assembly.selection.strata.filter((s) => s.selected.length);
  const moved = strata[0].reserve.pop();
  strata[1].reserve.push(moved);
  const r = draw(rec);
  assert.equal(r.S7, 'failed');
  assert.equal(r.S10, 'failed');
});

test('a recorded cell value that is no cell of the features fails S18', () => {
  const rec = featureRecord();
  const empty = rec.assembly.selection.strata.find((s) => s.count.eligible === 0n) || rec.assembly.selection.strata[0];
  empty.count.value = 'ffff0000';
  assert.equal(draw(rec).S18, 'failed');
});

test('a roll entry with a value that is no category fails S12–S14', () => {
  const rec = featureRecord();
  const lines = rec.roll.split('\n');
  // The last attribute value byte of the first entry's "gender" (f or m) becomes "x".
  lines[0] = lines[0].replace(/(0600000067656e646572)01000000(66|6d)/, (m0, l) => `${l}0100000078`);
  rec.roll = lines.join('\n');
  const r = draw(rec);
  assert.deepEqual(['S12', 'S13', 'S14'].map((id) => r[id]), ['failed', 'failed', 'failed']);
});

test('feature quotas (0x35) and allocation lists (0x36) decode only canonically', () => {
  const fq = { seats: 3, features: [{ label: ascii('age'), categories: [{ value: ascii('a'), min: 0, max: 2 }, { value: ascii('b'), min: 1, max: 3 }] }], household: ascii('hh') };
  const bytes = F.encodeFeatureQuotas(fq);
  assert.deepEqual(F.decodeFeatureQuotas(bytes), fq);
  assert.throws(() => F.decodeFeatureQuotas(concat(bytes, new Uint8Array([0]))), /trailing/);
  const flag = bytes.slice();
  flag[flag.length - 7] = 2; // the household flag
  assert.throws(() => F.decodeFeatureQuotas(flag), /household flag/);
  assert.throws(() => F.decodeFeatureQuotas(F.encodeFeatureQuotas({ ...fq, household: ascii('age') })), /distinct/);
  assert.throws(() => F.decodeFeatureQuotas(F.encodeFeatureQuotas({ ...fq, seats: 151 })), /seats/);
  const swapped = { ...fq, features: [{ ...fq.features[0], categories: [...fq.features[0].categories].reverse() }] };
  assert.throws(() => F.decodeFeatureQuotas(F.encodeFeatureQuotas(swapped)), /ascending/);
  const list = [[1, 2], [3, 0]];
  const lb = F.encodeAllocationList(list);
  assert.deepEqual(F.decodeAllocationList(lb), list);
  assert.throws(() => F.decodeAllocationList(concat(lb.slice(0, 2), le32(1000), le32(1000), lb.slice(10))), /unexpected end/);
  assert.throws(() => F.decodeAllocationList(F.encodeAllocationList([[151]])), /150/);
});
