// Feature draws (spec/sortition.md §10) on a record built here from the spec alone
// (test/featuredraw.js): the honest draw with and without households, then forgeries, each
// failing the checks the spec assigns. Also the decoders of tags 0x35 and 0x36.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureRecord, writeRecord } from './featuredraw.js';
import { verifyDir } from '../src/verify.js';
import { enableMemo } from '../src/memo.js';
import { hex, unhex, ascii, concat, le32 } from '../src/bytes.js';
import { encodeCertificate, checkFairness } from '../src/fairness.js';
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
  // One more allocation: S5, S9, S10 pick below(5) on the recorded list (finding 40), and
  // fail exactly when that picks an allocation other than the honest one.
  list.push(list[0]);
  const again = rec.list[F.pickOf(unhex(rec.assembly.selection.seed), list.length)] || rec.list[0];
  const same = hex(new Uint8Array(again)) === hex(new Uint8Array(rec.list[rec.pick]));
  assert.deepEqual(failing(draw(rec)), same ? ['S19'] : ['S10', 'S19', 'S5', 'S9']);
  // The picked allocation replaced by another feasible one.
  const rec2 = featureRecord();
  const l2 = rec2.assembly.selection.lottery.allocations.allocations;
  const alt = rec2.list.findIndex((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(rec2.list[rec2.pick])));
  l2[rec2.pick] = l2[alt];
  assert.deepEqual(failing(draw(rec2)), ['S10', 'S19', 'S5', 'S9'].sort());
});

test('S5, S9 and S10 pick below(len) of the recorded list, not below(m) nor the recorded pick (finding 40)', () => {
  const base = featureRecord();
  const seed = unhex(base.assembly.selection.seed);
  const honest = base.list[base.pick];
  const alt = base.list.find((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(honest)));
  // A length whose pick differs from the announced m's.
  let len = base.list.length + 1;
  while (F.pickOf(seed, len) === base.pick) len++;
  const at = F.pickOf(seed, len);
  const build = (picked, rest) => {
    const rec = featureRecord();
    rec.assembly.selection.lottery.allocations.allocations = Array.from({ length: len }, (_, j) => (j === at ? picked : rest).map(BigInt));
    return draw(rec);
  };
  // The honest allocation where below(len) lands, another feasible one everywhere else
  // (at below(m) too): S19 fails (another list), the recomputed draw is the honest one.
  assert.deepEqual(failing(build(honest, alt)), ['S19']);
  // The converse: another allocation where below(len) lands fails S5, S9, S10 as well;
  // the recorded pick is still below(m), so S21 passes.
  const r = build(alt, honest);
  assert.deepEqual(failing(r), ['S10', 'S19', 'S5', 'S9']);
  assert.equal(r.S21, 'ok');
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

test('S18 exactly: a value that is no cell in a stratum without eligible people fails S18 and the recomputation (S5, S9, S10) (finding 45)', () => {
  const rec = featureRecord();
  // A stratum of size 0, after the others: 0xffff is no category of "age".
  rec.assembly.selection.strata.push({ count: { value: 'ffff0000', size: 0n, eligible: 0n }, quota: 0n, seats: [], selected: [], reserve: [] });
  const r = draw(rec);
  for (const id of ['S18', 'S5', 'S9', 'S10', 'S20']) assert.equal(r[id], 'failed', id);
  assert.equal(r.S21, 'ok');
});

test('recorded sizes that do not add up to the roll size fail the recomputation: S5, S9 and S10', () => {
  const rec = featureRecord();
  rec.assembly.selection.strata.find((x) => x.quota === 0n || x.selected.length > 0).count.size += 1n;
  const r = draw(rec);
  for (const id of ['S5', 'S9', 'S10', 'S13']) assert.equal(r[id], 'failed', id);
  assert.equal(r.S18, 'ok');
});

test('S18 exactly: only the cells with eligible people must ascend; the order of all strata is S5\'s (finding 45)', () => {
  const rec = featureRecord();
  const strata = rec.assembly.selection.strata;
  // A repeated cell value without eligible people, after the others: the cells with
  // eligible people still ascend, so S18 passes; the strata do not, so S5 fails.
  strata.push({ count: { value: strata[0].count.value, size: 0n, eligible: 0n }, quota: 0n, seats: [], selected: [], reserve: [] });
  const r = draw(rec);
  assert.equal(r.S18, 'ok');
  assert.equal(r.S5, 'failed');
});

test('a census with no eligible cell: S18 passes, S20 fails; F1 passes and F2 fails (findings 45, 49)', () => {
  // Every person excluded: no cell has eligible people; the list is [[K]] (n = 1 cell).
  const rec = featureRecord({ exclude: 30 });
  assert.ok(rec.assembly.selection.strata.every((s) => s.count.eligible === 0n));
  const r = draw(rec);
  assert.equal(r.S18, 'ok');
  assert.equal(r.S19, 'ok');
  for (const id of ['S5', 'S9', 'S10', 'S20']) assert.equal(r[id], 'failed', id);
  assert.equal(r.S13, 'ok'); // the roll's census is the recorded one
  // F4 fails as well (Σ W_c e_c = 0 over no cells, never D > 0; F4 does not need F2).
  assert.deepEqual(fair(r), ['ok', 'failed', 'failed', 'not_checked', 'not_checked', 'not_checked']);
  // The same on the problem alone: zero cells is a well-formed problem.
  const fq = { seats: 1, features: [{ label: ascii('a'), categories: [{ value: ascii('x'), min: 0, max: 1 }] }], household: null };
  const cert = { denominator: 1n, gamma: 0n, cells: [], categories: [[{ upper: 0n, lower: 0n }]], gapNum: 0n, gapDen: 1n };
  const c = checkFairness({ fq, cells: [] }, { cells: [[1]] }, cert).checks;
  assert.deepEqual(c.slice(0, 2).map(([, o]) => o), ['ok', 'failed']);
});

test('a roll entry lacking the household attribute that no walk reaches fails no check (finding 46)', () => {
  const rec = featureRecord({ householdlessExcluded: true });
  assert.deepEqual(failing(draw(rec)), []);
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
