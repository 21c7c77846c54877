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
// A feature draw's certificate checks: F2, F4, F5, F7 (F1 and F6 are retired ids, spec/fairness.md §8).
const fair = (r) => ['F2', 'F4', 'F5', 'F7'].map((id) => r[id]);
const NC = 'not_checked';
const ids = (n) => Array.from({ length: n }, (_, i) => `S${i + 1}`);

test('an honest feature draw with households passes S1–S22 (but S16, not registered)', () => {
  const rec = featureRecord();
  assert.ok(rec.draw.some((d) => d.skipped.length > 0), 'the walk skips someone');
  const r = draw(rec);
  assert.deepEqual(Object.keys(r), [...ids(11), 'S18', 'S19', 'S20', 'S21', 'S22', 'F2', 'F4', 'F5', 'F7', 'S12', 'S13', 'S14', 'S15', 'S16', 'S17']);
  assert.deepEqual(failing(r), []);
  assert.equal(r.S16, 'failed');
  assert.deepEqual(fair(r), Array(4).fill('ok'));
  assert.ok(!('F1' in r) && !('F6' in r), 'F1 and F6 are retired: never reported');
});

test('the fairness certificate: a gap too small fails F7, a dual that does not hold F5, none leaves F not checked', () => {
  const rec = featureRecord({ gap: [0n, 1n] });
  const pMinZero = rec.withPeople.some((c, i) => rec.list.every((x) => x[i] === 0));
  assert.ok(pMinZero, 'a cell never seated: p_min = 0 and B − p_min = B > 0');
  assert.deepEqual(fair(draw(rec)), ['ok', 'ok', 'ok', 'failed']);
  const cert = featureRecord();
  cert.cert.gamma = 0n;
  cert.assembly.selection.lottery.certificate = hex(encodeCertificate(cert.cert));
  assert.deepEqual(fair(draw(cert)), ['ok', 'ok', 'failed', NC]);
  const wrongFit = featureRecord();
  wrongFit.cert.denominator += 1n;
  wrongFit.assembly.selection.lottery.certificate = hex(encodeCertificate(wrongFit.cert));
  assert.deepEqual(fair(draw(wrongFit)), ['ok', 'failed', NC, NC]);
  assert.deepEqual(fair(draw(featureRecord({ certificate: false }))), Array(4).fill(NC));
  // Not checked without the roll (the census is the verifier's own) or the committed list (S19).
  const noRoll = featureRecord();
  noRoll.roll = null;
  assert.deepEqual(fair(draw(noRoll)), Array(4).fill(NC));
  const other = featureRecord();
  other.assembly.selection.lottery.allocations.allocations.push(other.assembly.selection.lottery.allocations.allocations[0]);
  const r = draw(other);
  assert.equal(r.S19, 'failed');
  assert.deepEqual(fair(r), Array(4).fill(NC));
  // The F checks use this verifier's census of the roll, not the recorded counts: a
  // recorded count changed fails S13 (and S5) but leaves F2, F4, F5, F7 as they were.
  const counts = featureRecord();
  const seatless = counts.assembly.selection.strata.find((x) => x.quota === 0n && x.count.eligible > 0n);
  seatless.count.size += 1n;
  seatless.count.eligible += 1n;
  const rc = draw(counts);
  assert.equal(rc.S13, 'failed');
  assert.deepEqual(fair(rc), Array(4).fill('ok'));
  // A roll that is not the announced one (S12) leaves them not checked.
  const roll = featureRecord();
  roll.roll = roll.roll.split('\n').slice(1).join('\n');
  const rr = draw(roll);
  assert.equal(rr.S12, 'failed');
  assert.deepEqual(fair(rr), Array(4).fill(NC));
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

// Only the committed list is read (spec/sortition.md §7): when S19 fails, S5, S9, S10 and
// S20 are not checked, whatever else the record holds; S21 still compares the recorded pick
// with below(m), m the announced number of allocations.
const UNBOUND = ['S5', 'S9', 'S10', 'S20'];

test('an allocation list other than the committed one fails S19; S5, S9, S10 and S20 are not checked', () => {
  // One more allocation (the honest draw unchanged: below(m) still names its allocation).
  const rec = featureRecord();
  const list = rec.assembly.selection.lottery.allocations.allocations;
  list.push(list[0]);
  const r = draw(rec);
  assert.equal(r.S19, 'failed');
  for (const id of UNBOUND) assert.equal(r[id], NC, id);
  assert.deepEqual(failing(r), ['S10', 'S19', 'S20', 'S5', 'S9']);
  assert.equal(r.S21, 'ok');
  // The picked allocation replaced by another feasible one (m allocations, another hash).
  const rec2 = featureRecord();
  const l2 = rec2.assembly.selection.lottery.allocations.allocations;
  const alt = rec2.list.findIndex((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(rec2.list[rec2.pick])));
  l2[rec2.pick] = l2[alt];
  assert.deepEqual(failing(draw(rec2)), ['S10', 'S19', 'S20', 'S5', 'S9']);
  // The committed list cut to its first allocations (fewer than m): the same.
  const rec3 = featureRecord();
  rec3.assembly.selection.lottery.allocations.allocations.splice(1);
  assert.deepEqual(failing(draw(rec3)), ['S10', 'S19', 'S20', 'S5', 'S9']);
});

test('the forgery an uncommitted list would hide: a selection drawn from an allocation the forger chose is never S5, S9, S10 ok', () => {
  // The committed list is [f0, f1, f2, f1]; the record carries a list of one allocation,
  // another than the honest pick's, and a selection drawn from it: judged on the recorded
  // list (below(1) = 0), S5, S9, S10 and S20 would all pass (the forgery of §7).
  const honest = featureRecord();
  const other = honest.list.find((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(honest.list[honest.pick])));
  const forged = featureRecord({ recorded: () => [other] });
  assert.notDeepEqual(forged.assembly.selection.strata.map((s) => s.quota), honest.assembly.selection.strata.map((s) => s.quota));
  const r = draw(forged);
  assert.equal(r.S19, 'failed');
  for (const id of UNBOUND) assert.equal(r[id], NC, id);
  assert.equal(r.S21, 'ok'); // the recorded pick is below(m)
  assert.deepEqual(fair(r), Array(4).fill(NC)); // no committed list, no fairness verdict
  // An announcement that commits to [other] makes a draw from it honest: every check ok.
  const bound = featureRecord({ committed: () => [other] });
  assert.deepEqual(failing(draw(bound)), []);
});

test('the recomputation picks below(m) of the committed list, never the recorded pick', () => {
  // A recorded pick naming another allocation fails S21 alone: S5, S9 and S10 use below(m).
  const rec = featureRecord();
  const other = rec.list.findIndex((x) => hex(new Uint8Array(x)) !== hex(new Uint8Array(rec.list[rec.pick])));
  rec.assembly.selection.lottery.pick = BigInt(other);
  assert.deepEqual(failing(draw(rec)), ['S21']);
  // A recorded quota that is not the picked allocation's fails S5 alone.
  const q = featureRecord();
  const s = q.assembly.selection.strata.find((x) => x.quota > 0n);
  s.quota -= 1n;
  assert.deepEqual(failing(draw(q)), ['S5']);
});

test('an infeasible allocation in the committed list fails S20 (S19 passing); in an uncommitted list S20 is not checked', () => {
  // The announcement commits to a list with an infeasible allocation that the pick does
  // not name: 5 seats in the last cell, outside its categories' bounds.
  const bad = (feasible) => feasible[0].map((_, i, a) => (i === a.length - 1 ? 5 : 0));
  let rec = null;
  for (let j = 0; j < 4 && rec === null; j++) {
    const committed = (feasible) => [feasible[0], feasible[1], feasible[2], feasible[1]].map((x, i) => (i === j ? bad(feasible) : x));
    try {
      const r = featureRecord({ committed });
      if (r.pick !== j) rec = r;
    } catch {
      // the pick named the infeasible allocation: the draw fails; try another position
    }
  }
  assert.ok(rec, 'a position the pick does not name');
  const r = draw(rec);
  assert.equal(r.S19, 'ok');
  assert.equal(r.S20, 'failed');
  assert.deepEqual(failing(r), ['S20']);
  // F2 judges the same list on the roll's census: it fails too, and F7 is not checked.
  assert.deepEqual(fair(r), ['failed', 'ok', 'ok', NC]);
  // The same infeasible allocation edited into the honest record's list: S19 fails, S20 not checked.
  const edited = featureRecord();
  const list = edited.assembly.selection.lottery.allocations.allocations;
  const at = edited.pick === 0 ? 1 : 0;
  list[at] = list[at].map((_, i, a) => (i === a.length - 1 ? 5n : 0n));
  const e = draw(edited);
  assert.equal(e.S19, 'failed');
  assert.equal(e.S20, NC);
});

test('without the lottery, S19 and S21 fail and S5, S9, S10, S20 are not checked', () => {
  const rec = featureRecord();
  delete rec.assembly.selection.lottery;
  const r = draw(rec);
  assert.deepEqual(['S19', 'S21'].map((id) => r[id]), ['failed', 'failed']);
  for (const id of UNBOUND) assert.equal(r[id], NC, id);
  assert.deepEqual(fair(r), Array(4).fill(NC));
  // Not checked whatever else the record holds: strata out of order as well.
  rec.assembly.selection.strata.reverse();
  const r2 = draw(rec);
  for (const id of UNBOUND) assert.equal(r2[id], NC, id);
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

test('a census with no eligible cell: S18 passes, S20 fails; F2 and F4 fail (findings 45, 49)', () => {
  // Every person excluded: no cell has eligible people; the list is [[K]] (n = 1 cell).
  const rec = featureRecord({ exclude: 30 });
  assert.ok(rec.assembly.selection.strata.every((s) => s.count.eligible === 0n));
  const r = draw(rec);
  assert.equal(r.S18, 'ok');
  assert.equal(r.S19, 'ok');
  for (const id of ['S5', 'S9', 'S10', 'S20']) assert.equal(r[id], 'failed', id);
  assert.equal(r.S13, 'ok'); // the roll's census is the recorded one
  // F2: zero cells is a well-formed problem, which no allocation of n ≥ 1 cells fits; F4
  // fails as well (Σ W_c e_c = 0 over no cells, never D > 0; F4 does not need F2).
  assert.deepEqual(fair(r), ['failed', 'failed', NC, NC]);
  // The same on the problem alone: zero cells is a well-formed problem.
  const fq = { seats: 1, features: [{ label: ascii('a'), categories: [{ value: ascii('x'), min: 0, max: 1 }] }], household: null };
  const cert = { denominator: 1n, gamma: 0n, cells: [], categories: [[{ upper: 0n, lower: 0n }]], gapNum: 0n, gapDen: 1n };
  const c = checkFairness({ fq, cells: [] }, { cells: [[1]] }, cert).checks;
  assert.deepEqual(c.map(([id, o]) => [id, o]), [['F2', 'failed'], ['F4', 'failed'], ['F5', NC], ['F7', NC]]);
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
