// The fairness checks of spec/fairness.md §8 on small problems built here: F2, F4, F5, F7
// (cell lottery) and F2, F3, F4, F5, F7 (pool mode). F1 and F6 are retired ids: the problem
// and the pool are a precondition (a record verifier finding them malformed fails F2, every
// other F check not checked), and F7 compares p_min ≤ B ≤ p_min + gap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii } from '../src/bytes.js';
import { checkFairness, gapProblem, decodeCertificate, encodeCertificate } from '../src/fairness.js';

const NC = 'not_checked';
// One feature with two categories, one seat each: K = 2 over two cells of 2 people each.
const quotas = (over = {}) => ({
  seats: 2,
  features: [{ label: ascii('g'), categories: [{ value: ascii('a'), min: 1, max: 1 }, { value: ascii('b'), min: 1, max: 1 }] }],
  household: null,
  ...over,
});
const problem = (over = {}) => ({ fq: quotas(over.fq), cells: over.cells || [{ cats: [0], eligible: 2n }, { cats: [1], eligible: 2n }] });
// The trivial certificate W_c = 1, G = 1, D = Σ e_c = 4: B = G·K / D = 1/2; gap 0.
const certificate = (over = {}) => ({
  denominator: 4n, gamma: 1n, cells: [{ weight: 1n, slack: 0n }, { weight: 1n, slack: 0n }],
  categories: [[{ upper: 0n, lower: 0n }, { upper: 0n, lower: 0n }]], gapNum: 0n, gapDen: 1n, ...over,
});
const outcomes = (v) => v.checks.map(([id, o]) => [id, o]);
const cellIds = (...o) => ['F2', 'F4', 'F5', 'F7'].map((id, i) => [id, o[i]]);
const poolIds = (...o) => ['F2', 'F3', 'F4', 'F5', 'F7'].map((id, i) => [id, o[i]]);

test('cell lottery: an honest list and certificate pass F2, F4, F5, F7 with p_min = B = 1/2; F1 and F6 are never reported', () => {
  const v = checkFairness(problem(), { cells: [[1, 1]] }, certificate());
  assert.deepEqual(outcomes(v), cellIds('ok', 'ok', 'ok', 'ok'));
  assert.deepEqual(v.pMin, [1n, 2n]); // Σ_j x_c / (m e_c) = 1 / (1 · 2)
  assert.deepEqual(v.bound, [2n, 4n]);
  // The certificate's encoding round-trips.
  assert.deepEqual(decodeCertificate(encodeCertificate(certificate())), certificate());
});

test('a malformed problem is a precondition: F2 fails with the reason, F4, F5 and F7 are not checked', () => {
  const cases = {
    'seats 0': problem({ fq: { seats: 0 } }),
    'seats 151': problem({ fq: { seats: 151 } }),
    'no feature': problem({ fq: { features: [] }, cells: [] }),
    'a feature without categories': problem({ fq: { features: [{ label: ascii('g'), categories: [] }] }, cells: [] }),
    'min above max': problem({ fq: { features: [{ label: ascii('g'), categories: [{ value: ascii('a'), min: 2, max: 1 }, { value: ascii('b'), min: 1, max: 1 }] }] } }),
    'cells not ascending': problem({ cells: [{ cats: [1], eligible: 2n }, { cats: [0], eligible: 2n }] }),
    'a cell twice': problem({ cells: [{ cats: [0], eligible: 2n }, { cats: [0], eligible: 2n }] }),
    'a cell with e_c = 0': problem({ cells: [{ cats: [0], eligible: 0n }, { cats: [1], eligible: 2n }] }),
    'a category out of range': problem({ cells: [{ cats: [0], eligible: 2n }, { cats: [2], eligible: 2n }] }),
    'a cell naming no category of a feature': problem({ cells: [{ cats: [], eligible: 2n }, { cats: [1], eligible: 2n }] }),
  };
  for (const [name, p] of Object.entries(cases)) {
    const v = checkFairness(p, { cells: [[1, 1]] }, certificate());
    assert.deepEqual(outcomes(v), cellIds('failed', NC, NC, NC), name);
    assert.match(v.checks[0][2], /not well formed/, name);
    assert.equal(v.pMin, null, name);
  }
});

test('cell lottery: an infeasible allocation fails F2 and leaves F7 not checked (F4, F5 judged); F5 needs F4', () => {
  for (const x of [[2, 0], [1, 0], [1, 1, 0], [3, -1]]) {
    assert.deepEqual(outcomes(checkFairness(problem(), { cells: [[1, 1], x] }, certificate())), cellIds('failed', 'ok', 'ok', NC), String(x));
  }
  // An empty list measures nothing (the 0x36 encoding has m ≥ 1).
  assert.deepEqual(outcomes(checkFairness(problem(), { cells: [] }, certificate())), cellIds('failed', 'ok', 'ok', NC));
  // F4: Σ W_c e_c ≠ D, a missing cell weight, a missing category row.
  for (const c of [certificate({ denominator: 5n }), certificate({ cells: [{ weight: 1n, slack: 0n }] }), certificate({ categories: [] })]) {
    assert.deepEqual(outcomes(checkFairness(problem(), { cells: [[1, 1]] }, c)), cellIds('ok', 'failed', NC, NC));
  }
  // F5: W_c above G + Σ (A − B) + Δ_c (G = 0), F7 not checked (no bound).
  assert.deepEqual(outcomes(checkFairness(problem(), { cells: [[1, 1]] }, certificate({ gamma: 0n }))), cellIds('ok', 'ok', 'failed', NC));
});

test('F7: B − p_min above the gap fails; the gap reached exactly passes', () => {
  // A looser certificate: G = 2 proves B = 2·2/4 = 1, so B − p_min = 1/2.
  const loose = (gapNum, gapDen) => certificate({ gamma: 2n, gapNum, gapDen });
  assert.deepEqual(outcomes(checkFairness(problem(), { cells: [[1, 1]] }, loose(1n, 2n))), cellIds('ok', 'ok', 'ok', 'ok'));
  assert.deepEqual(outcomes(checkFairness(problem(), { cells: [[1, 1]] }, loose(49n, 100n))), cellIds('ok', 'ok', 'ok', 'failed'));
});

test('F7 compares p_min ≤ B itself (the retired F6): an arithmetic error there fails F7, never passes it', () => {
  const c = { gapNum: 1n, gapDen: 1n };
  assert.equal(gapProblem([1n, 2n], [1n, 2n], c), null);
  assert.equal(gapProblem([0n, 1n], [1n, 1n], c), null); // B − p_min = 1 = gap
  assert.match(gapProblem([3n, 4n], [1n, 2n], c), /above the certificate's bound/); // p_min > B, below every gap
  assert.match(gapProblem([3n, 4n], [1n, 2n], { gapNum: 1n << 100n, gapDen: 1n }), /above the certificate's bound/);
  assert.match(gapProblem([0n, 1n], [1n, 1n], { gapNum: 99n, gapDen: 100n }), /above the announced gap/);
  assert.match(gapProblem([1n, 2n], [1n, 2n], { gapNum: 0n, gapDen: 0n }), /denominator 0/);
});

// Pool mode: four people, two per cell, panels of one per cell.
const key = (i) => new Uint8Array(32).fill(i + 1);
const member = (i, cell, household = null) => ({ key: key(i), cell, household });
const pool = [member(0, 0), member(1, 0), member(2, 1), member(3, 1)];
const panels = [[key(0), key(2)], [key(1), key(3)]];

test('pool mode: an honest pool passes F2, F3, F4, F5, F7, p_min over every member', () => {
  const v = checkFairness(problem(), { pool, panels }, certificate());
  assert.deepEqual(outcomes(v), poolIds('ok', 'ok', 'ok', 'ok', 'ok'));
  assert.deepEqual(v.pMin, [1n, 2n]);
  // A member no panel seats counts 0: p_min = 0, B − p_min = 1/2 above a gap of 0.
  const v0 = checkFairness(problem(), { pool, panels: [[key(0), key(2)], [key(0), key(3)]] }, certificate());
  assert.deepEqual(v0.pMin, [0n, 2n]);
  assert.deepEqual(outcomes(v0), poolIds('ok', 'ok', 'ok', 'ok', 'failed'));
  assert.deepEqual(outcomes(checkFairness(problem(), { pool, panels: [[key(0), key(2)], [key(0), key(3)]] }, certificate({ gapNum: 1n, gapDen: 2n }))), poolIds('ok', 'ok', 'ok', 'ok', 'ok'));
});

test('pool mode: a pool that does not fit the problem fails F2, every other F check not checked', () => {
  const cases = {
    'a key twice': [member(0, 0), member(0, 0), member(2, 1), member(3, 1)],
    'a member in no cell': [member(0, 0), member(1, 0), member(2, 1), member(3, 2)],
    'e_c not the members of c': [member(0, 0), member(1, 1), member(2, 1), member(3, 1)],
    'a member missing': [member(0, 0), member(1, 0), member(2, 1)],
  };
  for (const [name, p] of Object.entries(cases)) {
    assert.deepEqual(outcomes(checkFairness(problem(), { pool: p, panels }, certificate())), poolIds('failed', NC, NC, NC, NC), name);
  }
  // A malformed problem in pool mode: the same.
  assert.deepEqual(outcomes(checkFairness(problem({ fq: { seats: 0 } }), { pool, panels }, certificate())), poolIds('failed', NC, NC, NC, NC));
});

test('pool mode: F3 (households) and F2 (a panel off the quotas or the pool) each leave F7 not checked', () => {
  const hh = [member(0, 0, 'aa'), member(1, 0), member(2, 1, 'aa'), member(3, 1)];
  assert.deepEqual(outcomes(checkFairness(problem(), { pool: hh, panels }, certificate())), poolIds('ok', 'failed', 'ok', 'ok', NC));
  assert.deepEqual(outcomes(checkFairness(problem(), { pool, panels: [[key(0), key(1)], [key(2), key(3)]] }, certificate())), poolIds('failed', 'ok', 'ok', 'ok', NC));
  assert.deepEqual(outcomes(checkFairness(problem(), { pool, panels: [[key(0), key(9)]] }, certificate())), poolIds('failed', 'ok', 'ok', 'ok', NC));
  assert.deepEqual(outcomes(checkFairness(problem(), { pool, panels: [] }, certificate())), poolIds('failed', 'ok', 'ok', 'ok', NC));
});
