// Reading an assembly record directory (spec/record.md §7, §9) and its JSON
// (spec/json.md) into decoded values. A JSON file that does not decode is check R1;
// a missing required file is an InputError (no report).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeError, unhex, ascii, decodeAll } from './bytes.js';
import { parseJson } from './json.js';
import { decodeNonIdentity } from './group.js';
import { decodeManifest, decodeTally, decodeResult } from './ballot.js';
import { decodeDkgTranscript, readPartialDecryption } from './trustees.js';
import { decodeAnonymitySet } from './credential.js';
import { decodeBeaconRecord } from './beacon.js';
import { readChainInfo } from './drand.js';
import { validLabel, encodeEntry } from './roll.js';
import { featureQuotasProblem, allocationListProblem } from './features.js';
import { decodeCertificate } from './fairness.js';
import { compare } from './bytes.js';

export class InputError extends Error {}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function member(o, k, where) {
  if (!isObj(o)) throw new DecodeError(`${where}: expected an object`);
  if (!(k in o)) throw new DecodeError(`${where}: missing member ${k}`);
  return o[k];
}
const opt = (o, k) => (isObj(o) && k in o ? o[k] : null);
function uint(v, bits, where) {
  if (typeof v !== 'bigint' || v < 0n || v >= 1n << BigInt(bits)) throw new DecodeError(`${where}: expected u${bits}`);
  return v;
}
const u32 = (v, w) => Number(uint(v, 32, w));
const u64 = (v, w) => uint(v, 64, w);
function str(v, where) {
  if (typeof v !== 'string') throw new DecodeError(`${where}: expected a string`);
  return v;
}
function arr(v, where) {
  if (!Array.isArray(v)) throw new DecodeError(`${where}: expected an array`);
  return v;
}
const hexStr = (v, w) => unhex(str(v, w));
function hex32(v, w) {
  const b = hexStr(v, w);
  if (b.length !== 32) throw new DecodeError(`${w}: expected 32 bytes`);
  return b;
}
function label(v, w) {
  const b = ascii(str(v, w));
  if (!validLabel(b) || str(v, w) !== Buffer.from(b).toString('latin1')) throw new DecodeError(`${w}: invalid label`);
  return b;
}
function citizenKey(v, w) {
  const b = hex32(v, w);
  decodeNonIdentity(b);
  return b;
}

/** `beacon_chain` (spec/json.md §4.1): {"kleroterion": hex(32)} or {"drand": hex(32)}. */
function beaconChainOf(v, w) {
  if (isObj(v) && Object.keys(v).length === 1) {
    if ('kleroterion' in v) return { kind: 1, id: hex32(v.kleroterion, w) };
    if ('drand' in v) return { kind: 2, id: hex32(v.drand, w) };
  }
  throw new DecodeError(`${w}: beacon_chain`);
}

export function readAnnouncement(o, w) {
  const roll = member(o, 'roll', w);
  const p = member(o, 'params', w);
  const q = member(p, 'quotas', w);
  let quotas;
  if (isObj(q) && Object.keys(q).length === 1 && 'Proportional' in q) quotas = { proportional: u32(member(q.Proportional, 'seats', w), w) };
  else if (isObj(q) && Object.keys(q).length === 1 && 'Explicit' in q) {
    quotas = { explicit: arr(q.Explicit, w).map((x) => ({ value: hexStr(member(x, 'value', w), w), seats: u32(member(x, 'seats', w), w) })) };
  } else if (isObj(q) && Object.keys(q).length === 1 && 'Features' in q) {
    const f = q.Features;
    quotas = { features: { quotas: readFeatureQuotas(member(f, 'quotas', w), w), allocations: hex32(member(f, 'allocations', w), w), m: u32(member(f, 'm', w), w) } };
  } else throw new DecodeError(`${w}: quotas`);
  const s = opt(p, 'schedule');
  const sb = opt(p, 'stratify_by');
  return {
    polity: label(member(o, 'polity', w), w),
    assembly: label(member(o, 'assembly', w), w),
    year: u32(member(o, 'year', w), w),
    root: hex32(member(roll, 'root', w), w),
    size: u64(member(roll, 'size', w), w),
    beaconChain: beaconChainOf(member(o, 'beacon_chain', w), w),
    beaconRound: u64(member(o, 'beacon_round', w), w),
    params: {
      // Any JSON string: its label rules are S1's, not the reader's (spec/json.md §4.2).
      stratifyBy: sb === null ? null : new Uint8Array(Buffer.from(str(sb, w), 'utf8')),
      quotas,
      reserve: u32(member(p, 'reserve', w), w),
      exclusions: arr(member(p, 'exclusions', w), w).map((k) => citizenKey(k, w)),
      schedule: s === null ? null : {
        seats: u32(member(s, 'seats', w), w), seatsPerYear: u32(member(s, 'seats_per_year', w), w),
        termYears: u32(member(s, 'term_years', w), w), firstYear: u32(member(s, 'first_year', w), w),
      },
    },
  };
}

/** FeatureQuotas (spec/json.md §4.2), validated as its binary decoder (tag 0x35) does. */
export function readFeatureQuotas(o, w) {
  const hh = opt(o, 'household');
  const fq = {
    seats: u32(member(o, 'seats', w), w),
    features: arr(member(o, 'features', w), w).map((f) => ({
      label: label(member(f, 'label', w), w),
      categories: arr(member(f, 'categories', w), w).map((c) => {
        const b = member(c, 'bounds', w);
        return { value: hexStr(member(c, 'value', w), w), min: u32(member(b, 'min', w), w), max: u32(member(b, 'max', w), w) };
      }),
    })),
    household: hh === null ? null : label(hh, w),
  };
  const why = featureQuotasProblem(fq);
  if (why) throw new DecodeError(`${w}: ${why}`);
  return fq;
}

function readLottery(o, w) {
  const list = arr(member(member(o, 'allocations', w), 'allocations', w), w).map((x) => arr(x, w).map((s) => u32(s, w)));
  const why = allocationListProblem(list);
  if (why) throw new DecodeError(`${w}: ${why}`);
  // Optional: the list's fairness certificate, hex(enc(FairnessCertificate)) (tag 0x39).
  const c = opt(o, 'certificate');
  return { pick: u32(member(o, 'pick', w), w), allocations: list, certificate: c === null ? null : hexObj(c, w, decodeCertificate).value };
}

export function readEntry(o, w) {
  const attrs = arr(member(o, 'attributes', w), w).map((a) => {
    const value = hexStr(member(a, 'value', w), w);
    if (value.length > 255) throw new DecodeError(`${w}: attribute value too long`);
    return { label: label(member(a, 'label', w), w), value };
  });
  if (attrs.length > 16) throw new DecodeError(`${w}: more than 16 attributes`);
  attrs.sort((a, b) => compare(a.label, b.label));
  for (let i = 1; i < attrs.length; i++) if (compare(attrs[i - 1].label, attrs[i].label) === 0) throw new DecodeError(`${w}: repeated attribute label`);
  const e = { key: citizenKey(member(o, 'key', w), w), attributes: attrs };
  e.bytes = encodeEntry(e);
  return e;
}

function readDrawn(o, w) {
  const pr = member(o, 'proof', w);
  return {
    rank: u64(member(o, 'rank', w), w),
    entry: readEntry(member(o, 'entry', w), w),
    proof: { index: u64(member(pr, 'index', w), w), size: u64(member(pr, 'size', w), w), path: arr(member(pr, 'path', w), w).map((h) => hex32(h, w)) },
  };
}

export function readSelection(o) {
  const w = 'selection';
  return {
    version: u32(member(o, 'version', w), w),
    announcement: readAnnouncement(member(o, 'announcement', w), 'selection.announcement'),
    beaconRound: u64(member(o, 'beacon_round', w), w),
    beaconOutput: hex32(member(o, 'beacon_output', w), w),
    seed: hex32(member(o, 'seed', w), w),
    strata: arr(member(o, 'strata', w), w).map((s) => {
      const c = member(s, 'count', w);
      return {
        value: hexStr(member(c, 'value', w), w), size: u64(member(c, 'size', w), w), eligible: u64(member(c, 'eligible', w), w),
        quota: u32(member(s, 'quota', w), w),
        seats: arr(member(s, 'seats', w), w).map((x) => u32(x, w)),
        selected: arr(member(s, 'selected', w), w).map((d) => readDrawn(d, w)),
        reserve: arr(member(s, 'reserve', w), w).map((d) => readDrawn(d, w)),
        // Absent when empty (spec/json.md §4.3).
        skipped: opt(s, 'skipped') === null ? [] : arr(s.skipped, w).map((d) => readDrawn(d, w)),
      };
    }),
    // Absent unless a feature draw (spec/json.md §4.3).
    lottery: opt(o, 'lottery') === null ? null : readLottery(o.lottery, `${w}.lottery`),
  };
}

function hexObj(v, w, decode) {
  const h = str(v, w);
  const bytes = unhex(h);
  return { hex: h.toLowerCase(), bytes, value: decode(bytes) };
}

/** ElectionRecord (spec/json.md §2). */
export function readElectionRecord(o, w) {
  const el = opt(o, 'eligible');
  return {
    version: u32(member(o, 'version', w), w),
    manifest: hexObj(member(o, 'manifest', w), w, decodeManifest),
    trustees: hexObj(member(o, 'trustees', w), w, decodeDkgTranscript),
    tally: hexObj(member(o, 'tally', w), w, decodeTally),
    decryptions: arr(member(o, 'decryptions', w), w).map((d) => hexObj(d, w, decodeTrusteeDecryption)),
    result: hexObj(member(o, 'result', w), w, decodeResult),
    eligible: el === null ? null : hexObj(el, w, decodeAnonymitySet),
  };
}

/** TrusteeDecryption (tag 0x67, spec/record.md §1.1). */
export function decodeTrusteeDecryption(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x67, 1);
    const index = r.u16();
    if (index === 0) throw new DecodeError('trustee index 0');
    const n = r.count(4);
    const shares = [];
    for (let i = 0; i < n; i++) {
      const k = r.count(134);
      const row = [];
      for (let o = 0; o < k; o++) row.push(readPartialDecryption(r));
      shares.push(row);
    }
    return { index, shares };
  });
}

/** The record's beacon (spec/json.md §2): hex of a threshold BeaconRecord, or a drand object. */
export function readBeacon(v, w) {
  if (typeof v === 'string') return { kind: 1, ...hexObj(v, w, decodeBeaconRecord) };
  const chain = member(v, 'chain', w);
  let info;
  try {
    info = readChainInfo(chain);
  } catch (e) {
    throw new DecodeError(`${w}: drand chain: ${e.message}`);
  }
  const rounds = arr(member(v, 'rounds', w), w).map((r) => {
    const sig = hexStr(member(r, 'signature', w), w);
    const p = opt(r, 'previous_signature');
    return { round: u64(member(r, 'round', w), w), sig, prev: p === null ? undefined : hexStr(p, w) };
  });
  return { kind: 2, hex: JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? x.toString() : x)), value: { info, rounds } };
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function readAssemblyJson(o) {
  const w = 'assembly.json';
  const votes = arr(member(o, 'votes', w), w).map((v, i) => {
    const name = str(member(v, 'name', w), w);
    const el = str(member(v, 'electorate', w), w);
    if (el !== 'seated' && el !== 'open') throw new DecodeError(`${w}: electorate`);
    return { name, electorate: el, record: readElectionRecord(member(v, 'record', w), `${w} votes/${i}`) };
  });
  const names = new Set();
  for (const v of votes) {
    if (!NAME.test(v.name) || v.name.startsWith('.') || names.has(v.name)) throw new DecodeError(`${w}: invalid or repeated vote name ${JSON.stringify(v.name)}`);
    names.add(v.name);
  }
  return {
    version: u32(member(o, 'version', w), w),
    beacon: readBeacon(member(o, 'beacon', w), w),
    announcement: readAnnouncement(member(o, 'announcement', w), 'announcement'),
    selection: readSelection(member(o, 'selection', w)),
    replacements: arr(member(o, 'replacements', w), w).map((x) => ({
      fromVote: str(member(x, 'from_vote', w), w), seat: u32(member(x, 'seat', w), w),
      // Canonical, non-identity keys, validated by the reader (spec/json.md §3, §4.2).
      leaving: citizenKey(member(x, 'leaving', w), w), joining: citizenKey(member(x, 'joining', w), w),
    })),
    votes,
  };
}

export function readAnchors(text) {
  const o = parseJson(text);
  const w = 'anchors';
  return {
    version: u32(member(o, 'version', w), w),
    beaconChain: hex32(member(o, 'beacon_chain', w), w),
    announcement: hex32(member(o, 'announcement', w), w),
    // Optional (spec/anchors.md §1): Unix seconds the announcement hash was published.
    announcementPublished: opt(o, 'announcement_published') === null ? null : u64(o.announcement_published, w),
    votes: arr(member(o, 'votes', w), w).map((v) => ({
      name: str(member(v, 'name', w), w), manifest: hex32(member(v, 'manifest', w), w),
      trustees: hex32(member(v, 'trustees', w), w), electorate: str(member(v, 'electorate', w), w),
    })),
  };
}

function readText(path) {
  if (!existsSync(path)) throw new InputError(`missing file ${path}`);
  return readFileSync(path, 'utf8');
}

/** Load a record directory: { r1: reason } when a JSON file does not decode, else { rec }. */
export function loadAssemblyDir(dir) {
  let rec;
  try {
    rec = readAssemblyJson(parseJson(readText(join(dir, 'assembly.json'))));
  } catch (e) {
    if (e instanceof DecodeError) return { r1: e.message.startsWith('assembly.json') ? e.message : `assembly.json: ${e.message}` };
    throw e;
  }
  for (const v of rec.votes) {
    const d = join(dir, 'votes', v.name);
    try {
      v.own = readElectionRecord(parseJson(readText(join(d, 'record.json'))), `votes/${v.name}/record.json`);
    } catch (e) {
      if (e instanceof DecodeError) return { r1: `votes/${v.name}/record.json: ${e.message}` };
      throw e;
    }
    v.ballots = readText(join(d, 'ballots.txt'));
    v.challenged = readText(join(d, 'challenged.txt'));
  }
  const rollPath = join(dir, 'roll.txt');
  rec.roll = existsSync(rollPath) ? readFileSync(rollPath, 'utf8') : null;
  return { rec };
}

/** Lines of a stream (spec/record.md §4.3): "\n"-terminated, one "\r" removed; no empty last line. */
export function streamLines(text) {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** MAX_LINE = 64 MiB (spec/record.md §4.3): a longer line is malformed. */
export const MAX_LINE = 64 * 1024 * 1024;

// Unicode White_Space (the set of Rust's char::is_whitespace, which "split on whitespace"
// means in spec/json.md §5); JavaScript's \s differs (it lacks U+0085, has U+FEFF).
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');
const SPLIT = new RegExp(`[${WS}]+`);
export const trimWs = (s) => s.replace(TRIM, '');
export const splitWs = (s) => {
  const t = trimWs(s);
  return t === '' ? [] : t.split(SPLIT);
};
