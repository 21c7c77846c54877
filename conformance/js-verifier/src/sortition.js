// Draw announcements, seeds, stratum streams, quotas and the draw (spec/sortition.md, civic.md §3).
import { shake256 } from '@noble/hashes/sha3.js';
import { concat, le32, le64, lp, ascii, compare } from './bytes.js';
import { sha3 } from './group.js';
import { validLabel } from './roll.js';

/** Canonical encoding (tag 0x32, version 3, §2.1) of an announcement (internal form). */
export function encodeAnnouncement(a) {
  const p = a.params;
  const parts = [new Uint8Array([0x32, 0x03]), lp(a.polity), lp(a.assembly), le32(a.year), a.root, le64(a.size), new Uint8Array([a.beaconChain.kind]), a.beaconChain.id, le64(a.beaconRound)];
  parts.push(p.stratifyBy === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), lp(p.stratifyBy)));
  if (p.quotas.explicit) {
    parts.push(new Uint8Array([1]), le32(p.quotas.explicit.length));
    for (const q of p.quotas.explicit) parts.push(lp(q.value), le32(q.seats));
  } else parts.push(new Uint8Array([0]), le32(p.quotas.proportional));
  parts.push(le32(p.reserve), le32(p.exclusions.length), ...p.exclusions);
  const s = p.schedule;
  parts.push(s === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), le32(s.seats), le32(s.seatsPerYear), le32(s.termYears), le32(s.firstYear)));
  return concat(...parts);
}

export const announcementHash = (enc) => sha3(lp(ascii('kleroterion/sortition/announcement/v2')), enc);
export const seedOf = (enc, output) => sha3(lp(ascii('kleroterion/sortition/seed/v1')), enc, output);

export const totalSeats = (q) => (q.explicit ? q.explicit.reduce((s, x) => s + x.seats, 0) : q.proportional);

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

/** A stratum stream (§4.2) with below(n) (§4.3). */
export class StratumStream {
  constructor(seed, value) {
    this.x = shake256.create({}).update(concat(lp(ascii('kleroterion/sortition/stratum/v1')), lp(seed), lp(value)));
  }
  below(n) {
    const rho = (1n << 64n) % n;
    for (;;) {
      const b = this.x.xof(8);
      let x = 0n;
      for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
      if (rho !== 0n && x >= (1n << 64n) - rho) continue;
      return x % n;
    }
  }
}

/** §5: the selected and reserve ranks of one stratum. */
export function drawStratum(seed, value, eligible, quota, reserve) {
  if (quota === 0) return { selected: [], reserve: [] };
  const e = BigInt(eligible);
  const q = BigInt(quota);
  const k = q + (BigInt(reserve) < e - q ? BigInt(reserve) : e - q);
  const st = new StratumStream(seed, value);
  const swaps = new Map();
  const at = (j) => (swaps.has(j) ? swaps.get(j) : j);
  const out = [];
  for (let j = 0n; j < k; j++) {
    const r = j + st.below(e - j);
    const aj = at(j), ar = at(r);
    swaps.set(j, ar);
    swaps.set(r, aj);
    out.push(ar);
  }
  return { selected: out.slice(0, quota), reserve: out.slice(quota) };
}
