// Draw announcements, seeds, stratum streams, quotas and the draw (spec/sortition.md, civic.md §3).
import { shake256 } from '@noble/hashes/sha3.js';
import { concat, le32, le64, lp, ascii, compare } from './bytes.js';
import { sha3 } from './group.js';
import { validLabel } from './roll.js';
import { encodeFeatureQuotas, featureQuotasProblem } from './features.js';

/** Canonical encoding (tag 0x32, version 3, §2.1) of an announcement (internal form). */
export function encodeAnnouncement(a) {
  const p = a.params;
  const parts = [new Uint8Array([0x32, 0x03]), lp(a.polity), lp(a.assembly), le32(a.year), a.root, le64(a.size), new Uint8Array([a.beaconChain.kind]), a.beaconChain.id, le64(a.beaconRound)];
  parts.push(p.stratifyBy === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), lp(p.stratifyBy)));
  if (p.quotas.explicit) {
    parts.push(new Uint8Array([1]), le32(p.quotas.explicit.length));
    for (const q of p.quotas.explicit) parts.push(lp(q.value), le32(q.seats));
  } else if (p.quotas.features) {
    const f = p.quotas.features;
    parts.push(new Uint8Array([2]), encodeFeatureQuotas(f.quotas), f.allocations, le32(f.m));
  } else parts.push(new Uint8Array([0]), le32(p.quotas.proportional));
  parts.push(le32(p.reserve), le32(p.exclusions.length), ...p.exclusions);
  const s = p.schedule;
  parts.push(s === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), le32(s.seats), le32(s.seatsPerYear), le32(s.termYears), le32(s.firstYear)));
  return concat(...parts);
}

export const announcementHash = (enc) => sha3(lp(ascii('kleroterion/sortition/announcement/v2')), enc);
export const seedOf = (enc, output) => sha3(lp(ascii('kleroterion/sortition/seed/v1')), enc, output);

export function totalSeats(q) {
  if (q.explicit) return q.explicit.reduce((s, x) => s + x.seats, 0);
  if (q.features) return q.features.quotas.seats;
  return q.proportional;
}

/** Seats filled in `year` (civic.md §3), or null if the schedule is invalid for it. */
export function scheduleSeats(s, year) {
  if (s.seats < 1 || s.seats > 150 || s.seatsPerYear < 1 || s.termYears < 1 || s.seats !== s.seatsPerYear * s.termYears) return null;
  if (year < s.firstYear) return null;
  if (year === s.firstYear) return Array.from({ length: s.seats }, (_, i) => i);
  const c = (year - s.firstYear) % s.termYears;
  return Array.from({ length: s.seatsPerYear }, (_, i) => c * s.seatsPerYear + i);
}

export function seatsFilled(a) {
  const K = totalSeats(a.params.quotas);
  if (a.params.schedule) return scheduleSeats(a.params.schedule, a.year);
  return Array.from({ length: K }, (_, i) => i);
}

/** §2 validity; returns a reason or null. */
export function announcementProblem(a) {
  const p = a.params;
  if (!validLabel(a.polity) || !validLabel(a.assembly)) return 'invalid polity or assembly label';
  if (a.size < 1n) return 'empty roll';
  if (p.stratifyBy !== null && !validLabel(p.stratifyBy)) return 'invalid stratify_by label';
  if (p.quotas.explicit) {
    const ex = p.quotas.explicit;
    for (let i = 0; i < ex.length; i++) {
      if (ex[i].seats < 1) return 'explicit quota with no seat';
      if (ex[i].value.length > 255) return 'stratum value too long';
      if (i && compare(ex[i - 1].value, ex[i].value) >= 0) return 'explicit quotas not strictly ascending';
    }
  }
  if (p.quotas.features) {
    const f = p.quotas.features;
    if (p.stratifyBy !== null) return 'a feature draw with stratify_by';
    const why = featureQuotasProblem(f.quotas);
    if (why) return why;
    if (f.m < 1) return 'a feature draw with m = 0';
  }
  const K = totalSeats(p.quotas);
  if (K < 1 || K > 150) return 'total seats out of 1..=150';
  if (p.reserve > 1000) return 'reserve above 1000';
  for (let i = 1; i < p.exclusions.length; i++) if (compare(p.exclusions[i - 1], p.exclusions[i]) >= 0) return 'exclusions not strictly ascending';
  if (p.schedule) {
    const seats = scheduleSeats(p.schedule, a.year);
    if (seats === null) return 'invalid schedule for the year';
    if (seats.length !== K) return 'total seats differ from the seats the schedule fills';
  }
  return null;
}

/** §3.2 quotas from strata [{value, size, eligible}] (ascending by value); returns quotas or a reason string. */
export function computeQuotas(quotas, strata) {
  const K = BigInt(totalSeats(quotas));
  if (quotas.explicit) {
    const out = strata.map(() => 0);
    for (const q of quotas.explicit) {
      const i = strata.findIndex((s) => compare(s.value, q.value) === 0);
      if (i < 0) return 'explicit quota for a stratum not on the roll';
      out[i] = q.seats;
    }
    return out;
  }
  const N = strata.reduce((s, x) => s + x.size, 0n);
  if (N === 0n) return 'empty roll';
  const q = strata.map((s) => (K * s.size) / N);
  const rho = strata.map((s) => (K * s.size) % N);
  let rest = K - q.reduce((a, b) => a + b, 0n);
  const order = strata.map((_, i) => i).sort((a, b) => {
    if (rho[a] !== rho[b]) return rho[a] > rho[b] ? -1 : 1;
    if (strata[a].size !== strata[b].size) return strata[a].size > strata[b].size ? -1 : 1;
    return compare(strata[a].value, strata[b].value);
  });
  for (const i of order) {
    if (rest === 0n) break;
    q[i] += 1n;
    rest -= 1n;
  }
  return q.map(Number);
}

/** below(n) (§4.3) on an extendable-output stream `x` (a noble SHAKE256 instance). */
export function belowOf(x, n) {
  const rho = (1n << 64n) % n;
  for (;;) {
    const b = x.xof(8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (rho !== 0n && v >= (1n << 64n) - rho) continue;
    return v % n;
  }
}

/** A stratum stream (§4.2) with below(n) (§4.3). */
export class StratumStream {
  constructor(seed, value) {
    this.x = shake256.create({}).update(concat(lp(ascii('kleroterion/sortition/stratum/v1')), lp(seed), lp(value)));
  }
  below(n) {
    return belowOf(this.x, n);
  }
}

/**
 * The Fisher–Yates shuffle of §5 over the ranks [0, e) of one stratum, one output at a
 * time, keeping only the swapped positions; next() is null once all e ranks are out.
 */
export class Shuffle {
  constructor(seed, value, eligible) {
    this.st = new StratumStream(seed, value);
    this.e = BigInt(eligible);
    this.j = 0n;
    this.swaps = new Map();
  }
  next() {
    if (this.j >= this.e) return null;
    const j = this.j;
    const r = j + this.st.below(this.e - j);
    const at = (i) => (this.swaps.has(i) ? this.swaps.get(i) : i);
    const aj = at(j), ar = at(r);
    this.swaps.set(j, ar);
    this.swaps.set(r, aj);
    this.swaps.delete(j); // position j is never read again
    this.j = j + 1n;
    return ar;
  }
}

/** §5: the selected and reserve ranks of one stratum. */
export function drawStratum(seed, value, eligible, quota, reserve) {
  if (quota === 0) return { selected: [], reserve: [] };
  const e = BigInt(eligible);
  const q = BigInt(quota);
  const k = q + (BigInt(reserve) < e - q ? BigInt(reserve) : e - q);
  const sh = new Shuffle(seed, value, eligible);
  const out = [];
  for (let j = 0n; j < k; j++) out.push(sh.next());
  return { selected: out.slice(0, quota), reserve: out.slice(quota) };
}
