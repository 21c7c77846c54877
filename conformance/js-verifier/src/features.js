// Feature draws (spec/sortition.md §10): feature quotas (tag 0x35), cells, the allocation
// list (tag 0x36) and its commitment, the pick, and the per-cell draw with households.
import { shake256 } from '@noble/hashes/sha3.js';
import { DecodeError, decodeAll, concat, le32, lp, ascii, compare, equal, hex } from './bytes.js';
import { sha3 } from './group.js';
import { validLabel } from './roll.js';
import { Shuffle, belowOf } from './sortition.js';

export const MAX_SEATS = 150;
export const MAX_FEATURES = 15;
export const MAX_CATEGORIES = 1024;

/** The validity rules of §10.1; returns a reason or null. */
export function featureQuotasProblem(fq) {
  if (fq.seats < 1 || fq.seats > MAX_SEATS) return 'feature quotas: seats out of 1..=150';
  if (fq.features.length < 1 || fq.features.length > MAX_FEATURES) return 'feature quotas: not 1 to 15 features';
  const labels = [];
  for (const f of fq.features) {
    if (!validLabel(f.label)) return 'feature quotas: invalid feature label';
    labels.push(f.label);
    if (f.categories.length < 1 || f.categories.length > MAX_CATEGORIES) return 'feature quotas: not 1 to 1024 categories';
    for (let i = 0; i < f.categories.length; i++) {
      const c = f.categories[i];
      if (c.value.length > 255) return 'feature quotas: category value longer than 255 bytes';
      if (c.min > c.max) return 'feature quotas: min above max';
      if (i && compare(f.categories[i - 1].value, c.value) >= 0) return 'feature quotas: categories not strictly ascending';
    }
  }
  if (fq.household !== null) {
    if (!validLabel(fq.household)) return 'feature quotas: invalid household label';
    labels.push(fq.household);
  }
  for (let i = 0; i < labels.length; i++) for (let j = 0; j < i; j++) if (equal(labels[i], labels[j])) return 'feature quotas: labels not pairwise distinct';
  return null;
}

/** Canonical encoding (tag 0x35, version 1, §10.1). */
export function encodeFeatureQuotas(fq) {
  const parts = [new Uint8Array([0x35, 0x01]), le32(fq.seats), le32(fq.features.length)];
  for (const f of fq.features) {
    parts.push(lp(f.label), le32(f.categories.length));
    for (const c of f.categories) parts.push(lp(c.value), le32(c.min), le32(c.max));
  }
  parts.push(fq.household === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), lp(fq.household)));
  return concat(...parts);
}

/** Binary decoder of tag 0x35 (every rule of §10.1). */
export function decodeFeatureQuotas(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x35, 1);
    const seats = r.u32();
    const nf = r.count(8);
    const features = [];
    for (let i = 0; i < nf; i++) {
      const label = r.lp().slice();
      const nc = r.count(12);
      const categories = [];
      for (let k = 0; k < nc; k++) categories.push({ value: r.lp().slice(), min: r.u32(), max: r.u32() });
      features.push({ label, categories });
    }
    const flag = r.u8();
    let household = null;
    if (flag === 1) household = r.lp().slice();
    else if (flag !== 0) throw new DecodeError('household flag other than 0 or 1');
    const fq = { seats, features, household };
    const why = featureQuotasProblem(fq);
    if (why) throw new DecodeError(why);
    return fq;
  });
}

/** The allocation list's rules (§10.3): m ≥ 1, one length n ≥ 1, at most 150 seats each. */
export function allocationListProblem(list) {
  if (list.length < 1) return 'allocation list: empty';
  const n = list[0].length;
  if (n < 1) return 'allocation list: allocations without cells';
  for (const x of list) {
    if (x.length !== n) return 'allocation list: allocations of different lengths';
    if (x.reduce((a, b) => a + b, 0) > MAX_SEATS) return 'allocation list: an allocation of more than 150 seats';
  }
  return null;
}

/** Canonical encoding (tag 0x36, version 1, §10.3). */
export function encodeAllocationList(list) {
  const parts = [new Uint8Array([0x36, 0x01]), le32(list.length), le32(list[0].length)];
  for (const x of list) for (const s of x) parts.push(le32(s));
  return concat(...parts);
}

/** Binary decoder of tag 0x36: the m·n·4 bytes are checked present before allocating. */
export function decodeAllocationList(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x36, 1);
    const m = r.u32();
    const n = r.u32();
    if (BigInt(m) * BigInt(n) * 4n > BigInt(r.remaining)) throw new DecodeError('unexpected end (allocation list)');
    const list = [];
    for (let j = 0; j < m; j++) list.push(Array.from({ length: n }, () => r.u32()));
    const why = allocationListProblem(list);
    if (why) throw new DecodeError(why);
    return list;
  });
}

export const allocationCommitment = (list) => sha3(lp(ascii('kleroterion/fairness/allocations/v1')), encodeAllocationList(list));

/** The pick (§10.4): below(m) on SHAKE256(lp("kleroterion/sortition/cell-pick/v1") ‖ lp(seed)). */
export function pickOf(seed, m) {
  const x = shake256.create({}).update(concat(lp(ascii('kleroterion/sortition/cell-pick/v1')), lp(seed)));
  return Number(belowOf(x, BigInt(m)));
}

const attr = (entry, label) => {
  const a = entry.attributes.find((x) => equal(x.label, label));
  return a ? a.value : null;
};

/**
 * An entry's cell value (§10.2): u16be(c_1) ‖ … ‖ u16be(c_F), or { error } when the entry
 * lacks a feature's attribute (MissingAttribute) or has a value that is no category
 * (UnknownCategory). The household attribute is not read here (spec/sortition.md §7, "Roll
 * entries that cannot be placed, feature draw", §10.5): a roll entry lacking it fails no roll
 * check and a drawn entry lacking it passes S7; the recomputation (S5, S9, S10) and S22 read it.
 */
export function cellOf(entry, fq) {
  const out = new Uint8Array(2 * fq.features.length);
  for (let f = 0; f < fq.features.length; f++) {
    const feat = fq.features[f];
    const v = attr(entry, feat.label);
    if (v === null) return { error: `lacks the attribute ${Buffer.from(feat.label).toString('latin1')}` };
    const c = feat.categories.findIndex((x) => equal(x.value, v));
    if (c < 0) return { error: `has a value of ${Buffer.from(feat.label).toString('latin1')} that is no category` };
    out[2 * f] = c >> 8;
    out[2 * f + 1] = c & 0xff;
  }
  return { cell: out };
}

export const householdOf = (entry, fq) => (fq.household === null ? null : attr(entry, fq.household));

/** The categories (c_1, …, c_F) of a cell value, or null if it is not a cell of the features. */
export function categoriesOf(value, fq) {
  if (value.length !== 2 * fq.features.length) return null;
  const cs = [];
  for (let f = 0; f < fq.features.length; f++) {
    const c = (value[2 * f] << 8) | value[2 * f + 1];
    if (c >= fq.features[f].categories.length) return null;
    cs.push(c);
  }
  return cs;
}

/**
 * Feasibility of an allocation (§10.2) for the cells [{cats, eligible}] with eligible ≥ 1:
 * Σ x = K, x_c ≤ eligible_c, every category within [min, max]. Returns a reason or null.
 */
export function allocationProblem(x, cells, fq) {
  if (x.length !== cells.length) return `${x.length} seat counts for ${cells.length} cells with eligible people`;
  if (x.reduce((a, b) => a + b, 0) !== fq.seats) return `not ${fq.seats} seats`;
  for (let c = 0; c < cells.length; c++) if (BigInt(x[c]) > cells[c].eligible) return `cell ${c}: ${x[c]} seats above its ${cells[c].eligible} eligible`;
  for (let f = 0; f < fq.features.length; f++) {
    const sums = fq.features[f].categories.map(() => 0);
    cells.forEach((cell, c) => (sums[cell.cats[f]] += x[c]));
    for (let v = 0; v < sums.length; v++) {
      const { min, max } = fq.features[f].categories[v];
      if (sums[v] < min || sums[v] > max) return `feature ${f} category ${v}: ${sums[v]} seats outside [${min}, ${max}]`;
    }
  }
  return null;
}

/**
 * The draw of §10.4–§10.5 over cells [{value, eligible, quota}] (ascending). `household(ci,
 * rank)` returns the household value (bytes) of that rank of cell ci, or throws when it
 * cannot be known; null for a draw without households. Returns per cell {selected,
 * skipped, reserve} ranks, or throws an Error with the reason.
 */
export function drawCells(seed, cells, reserve, household) {
  const out = cells.map(() => ({ selected: [], skipped: [], reserve: [] }));
  const walks = cells.map((c) => (c.quota > 0 ? new Shuffle(seed, c.value, c.eligible) : null));
  const seated = new Set();
  cells.forEach((c, ci) => {
    if (c.quota === 0) return;
    if (BigInt(c.quota) > c.eligible) throw new Error(`cell ${ci}: quota ${c.quota} above its ${c.eligible} eligible`);
    while (out[ci].selected.length < c.quota) {
      const r = walks[ci].next();
      if (r === null) throw new Error(`cell ${ci}: the shuffle runs out before ${c.quota} are selected (InsufficientEligible)`);
      const h = household === null ? null : hex(household(ci, r));
      if (h !== null && seated.has(h)) out[ci].skipped.push(r);
      else {
        out[ci].selected.push(r);
        if (h !== null) seated.add(h);
      }
    }
  });
  cells.forEach((c, ci) => {
    if (c.quota === 0) return;
    const onReserve = new Set();
    while (out[ci].reserve.length < reserve) {
      const r = walks[ci].next();
      if (r === null) break;
      const h = household === null ? null : hex(household(ci, r));
      if (h !== null && (seated.has(h) || onReserve.has(h))) out[ci].skipped.push(r);
      else {
        out[ci].reserve.push(r);
        if (h !== null) onReserve.add(h);
      }
    }
  });
  return out;
}
