// Fairness (spec/fairness.md): the certificate (tag 0x39, §6.4) and checks F2–F5, F7 (§8), in
// exact integer arithmetic (BigInt), for a cell lottery (an allocation list over the cells
// of a census) or a pool's person panels.
import { DecodeError, decodeAll, hex, concat, le32 } from './bytes.js';
import { allocationProblem, MAX_SEATS } from './features.js';

export const OK = 'ok';
export const FAILED = 'failed';
export const NOT_CHECKED = 'not_checked';

function u128(r) {
  let x = 0n;
  const b = r.take(16);
  for (let i = 15; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}
function i128(r) {
  const x = u128(r);
  return x >= 1n << 127n ? x - (1n << 128n) : x;
}

/** FairnessCertificate (tag 0x39, version 1, spec/fairness.md §6.4). */
export function decodeCertificate(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x39, 1);
    const denominator = u128(r);
    const gamma = i128(r);
    const n = r.count(32);
    const cells = [];
    for (let i = 0; i < n; i++) cells.push({ weight: u128(r), slack: u128(r) });
    const nf = r.count(4);
    const categories = [];
    for (let f = 0; f < nf; f++) {
      const v = r.count(32);
      const row = [];
      for (let k = 0; k < v; k++) row.push({ upper: u128(r), lower: u128(r) });
      categories.push(row);
    }
    const gapNum = u128(r);
    const gapDen = u128(r);
    if (denominator === 0n) throw new DecodeError('certificate with denominator 0');
    if (gapDen === 0n) throw new DecodeError('certificate with gap denominator 0');
    return { denominator, gamma, cells, categories, gapNum, gapDen };
  });
}

/**
 * The cell problem is well formed (§2, §8: a precondition of the checks, no check of its
 * own since F1 was retired): 1 ≤ K ≤ 150, at least one feature, every feature with at
 * least one category, min ≤ max, cells strictly ascending by categories, each naming one
 * category (in range) of every feature and with e_c ≥ 1. Zero cells is well formed
 * (spec/sortition.md §10.8: F2 then fails, every allocation having n ≥ 1). `problem` =
 * { fq (feature quotas), cells: [{ cats, eligible (BigInt) }] }. Returns a reason or null.
 */
export function problemProblem(problem) {
  const { fq, cells } = problem;
  if (fq.seats < 1 || fq.seats > MAX_SEATS) return 'seats out of 1..=150';
  if (fq.features.length === 0) return 'no feature';
  if (fq.features.some((f) => f.categories.length === 0)) return 'a feature without categories';
  for (const f of fq.features) for (const c of f.categories) if (c.min > c.max) return 'a category with min above max';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.cats.length !== fq.features.length || c.cats.some((v, f) => v >= fq.features[f].categories.length)) return `cell ${i}: categories out of range`;
    if (c.eligible < 1n) return `cell ${i}: no eligible people`;
    if (i && compareCats(cells[i - 1].cats, c.cats) >= 0) return 'cells not strictly ascending';
  }
  return null;
}

const compareCats = (a, b) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
};

/** F4: the certificate fits the problem; returns a reason or null. */
function certificateFits(problem, cert) {
  const { fq, cells } = problem;
  if (cert.cells.length !== cells.length) return `${cert.cells.length} cell weights for ${cells.length} cells`;
  if (cert.categories.length !== fq.features.length) return `${cert.categories.length} feature rows for ${fq.features.length} features`;
  for (let f = 0; f < fq.features.length; f++) if (cert.categories[f].length !== fq.features[f].categories.length) return `feature ${f}: ${cert.categories[f].length} category duals for ${fq.features[f].categories.length} categories`;
  if (cert.denominator <= 0n) return 'denominator not positive';
  const sum = cells.reduce((a, c, i) => a + cert.cells[i].weight * c.eligible, 0n);
  if (sum !== cert.denominator) return 'Σ W_c e_c is not the denominator';
  return null;
}

/** F5: W_c ≤ G + Σ_f (A_{f,c_f} − B_{f,c_f}) + Δ_c for every cell. */
function dualFeasible(problem, cert) {
  for (let i = 0; i < problem.cells.length; i++) {
    let rhs = cert.gamma + cert.cells[i].slack;
    problem.cells[i].cats.forEach((v, f) => (rhs += cert.categories[f][v].upper - cert.categories[f][v].lower));
    if (cert.cells[i].weight > rhs) return `cell ${i}: W_c above the dual constraint`;
  }
  return null;
}

/** The bound B = (G·K + Σ A max − Σ B min + Σ Δ_c e_c) / D as [numerator, denominator]. */
export function bound(problem, cert) {
  let num = cert.gamma * BigInt(problem.fq.seats);
  problem.fq.features.forEach((f, fi) => f.categories.forEach((c, v) => {
    num += cert.categories[fi][v].upper * BigInt(c.max) - cert.categories[fi][v].lower * BigInt(c.min);
  }));
  problem.cells.forEach((c, i) => (num += cert.cells[i].slack * c.eligible));
  return [num, cert.denominator];
}

/**
 * Checks F2–F5 and F7 (§8; F1 and F6 are retired ids, never reported). `mode` is
 * { cells: allocation list } (cell lottery: F2, F4, F5, F7) or
 * { pool: [{ key (bytes), cell (index), household (hex or null) }], panels: [[key bytes]] }
 * (pool mode: F2, F3, F4, F5, F7). The problem (and pool) being well formed is a
 * precondition; as a record verifier, a malformed one fails F2 with the reason and leaves
 * every other F check not checked (§8). Dependencies: F5 needs F4; F7 needs F2 and F5 (and
 * F3 in pool mode); F2, F3 and F4 need no other F check.
 * Returns { checks: [[id, outcome, reason]], pMin, bound }.
 */
export function checkFairness(problem, mode, cert) {
  const res = {};
  const set = (id, why) => (res[id] = [id, why === null ? OK : FAILED, why]);
  const skip = (id, why) => (res[id] = [id, NOT_CHECKED, why]);
  const poolMode = mode.pool !== undefined;
  const ids = poolMode ? ['F2', 'F3', 'F4', 'F5', 'F7'] : ['F2', 'F4', 'F5', 'F7'];
  const out = () => ({ checks: ids.map((id) => res[id]), pMin: res.pMin || null, bound: res.bound || null });

  // The precondition: a malformed problem (or pool) fails F2, the rest not checked.
  let malformed = problemProblem(problem);
  if (malformed === null && poolMode) malformed = poolProblem(problem, mode.pool);
  if (malformed !== null) {
    set('F2', `the problem is not well formed: ${malformed}`);
    for (const id of ids.slice(1)) skip(id, 'the problem is not well formed (F2)');
    return out();
  }
  // F2 (and, in pool mode, the seats per cell of each panel; F3 the households)
  const m = BigInt(poolMode ? mode.panels.length : mode.cells.length);
  let counts = null;
  if (poolMode) {
    const byKey = new Map(mode.pool.map((p, i) => [hex(p.key), i]));
    counts = mode.pool.map(() => 0n);
    let f2 = null, f3 = null;
    mode.panels.forEach((panel, j) => {
      const x = problem.cells.map(() => 0);
      const households = new Set();
      for (const k of panel) {
        const i = byKey.get(hex(k));
        if (i === undefined) {
          if (f2 === null) f2 = `panel ${j} seats someone not in the pool`;
          continue;
        }
        counts[i] += 1n;
        x[mode.pool[i].cell] += 1;
        const h = mode.pool[i].household;
        if (h !== null) {
          if (households.has(h) && f3 === null) f3 = `panel ${j} seats two members of one household`;
          households.add(h);
        }
      }
      const why = allocationProblem(x, problem.cells, problem.fq);
      if (why && f2 === null) f2 = `panel ${j}: ${why}`;
    });
    // The 0x33 list has m ≥ 1 panels (decoders reject m = 0): an empty one measures nothing.
    if (m === 0n && f2 === null) f2 = 'the list has no panel';
    set('F2', f2);
    set('F3', f3);
  } else {
    let f2 = null;
    mode.cells.forEach((x, j) => {
      const why = allocationProblem(x, problem.cells, problem.fq);
      if (why && f2 === null) f2 = `allocation ${j}: ${why}`;
    });
    // The 0x36 list has m ≥ 1 allocations (spec/sortition.md §10.3): an empty one measures nothing.
    if (m === 0n && f2 === null) f2 = 'the list has no allocation';
    set('F2', f2);
  }
  // F4, F5
  const f4 = certificateFits(problem, cert);
  set('F4', f4);
  if (f4 !== null) skip('F5', 'the certificate does not fit (F4)');
  else set('F5', dualFeasible(problem, cert));
  // F7: p_min and B recomputed exactly; gap_den ≠ 0, p_min ≤ B ≤ p_min + gap.
  const needs = poolMode ? ['F2', 'F3', 'F4', 'F5'] : ['F2', 'F4', 'F5'];
  const failedNeed = needs.find((id) => res[id][1] !== OK);
  if (failedNeed) {
    skip('F7', `needs ${failedNeed}`);
    return out();
  }
  let pMin; // [numerator, denominator]
  if (poolMode) {
    const least = counts.reduce((a, b) => (b < a ? b : a));
    pMin = [least, m];
  } else {
    pMin = null;
    problem.cells.forEach((c, i) => {
      const seats = mode.cells.reduce((a, x) => a + BigInt(x[i]), 0n);
      const p = [seats, m * c.eligible];
      if (pMin === null || p[0] * pMin[1] < pMin[0] * p[1]) pMin = p;
    });
  }
  const B = bound(problem, cert);
  res.pMin = pMin;
  res.bound = B;
  set('F7', gapProblem(pMin, B, cert));
  return out();
}

/**
 * F7's comparison (§8): `gap_den ≠ 0`, `p_min ≤ B` and `B − p_min ≤ gap_num / gap_den`,
 * `pMin` and `B` as [numerator, positive denominator]. Returns a reason or null.
 */
export function gapProblem(pMin, B, cert) {
  if (cert.gapDen === 0n) return 'the gap has denominator 0';
  // p_min ≤ B  ⇔  p_num · D ≤ B_num · p_den (both denominators positive).
  const diffNum = B[0] * pMin[1] - pMin[0] * B[1];
  const diffDen = B[1] * pMin[1];
  if (diffNum < 0n) return 'p_min is above the certificate\'s bound B';
  return diffNum * cert.gapDen <= cert.gapNum * diffDen ? null : 'B − p_min is above the announced gap';
}

/** The pool fits the problem (§7, §8, a precondition): every member's cell exists, e_c is the members of c, keys distinct. */
function poolProblem(problem, pool) {
  const counts = problem.cells.map(() => 0n);
  const keys = new Set();
  for (const p of pool) {
    if (p.cell < 0 || p.cell >= problem.cells.length) return 'a pool member in no cell';
    counts[p.cell] += 1n;
    const k = hex(p.key);
    if (keys.has(k)) return 'a key twice in the pool';
    keys.add(k);
  }
  const bad = problem.cells.findIndex((c, i) => c.eligible !== counts[i]);
  return bad >= 0 ? `cell ${bad}: e_c is not its number of pool members` : null;
}

const u128le = (x) => {
  const out = new Uint8Array(16);
  let v = BigInt.asUintN(128, x);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
};

/** Canonical encoding of a certificate (tag 0x39, §6.4; G two's complement). */
export function encodeCertificate(c) {
  const parts = [new Uint8Array([0x39, 0x01]), u128le(c.denominator), u128le(c.gamma), le32(c.cells.length)];
  for (const x of c.cells) parts.push(u128le(x.weight), u128le(x.slack));
  parts.push(le32(c.categories.length));
  for (const row of c.categories) {
    parts.push(le32(row.length));
    for (const x of row) parts.push(u128le(x.upper), u128le(x.lower));
  }
  parts.push(u128le(c.gapNum), u128le(c.gapDen));
  return concat(...parts);
}
