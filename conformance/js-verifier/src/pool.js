// Pool draws (spec/pool-draw.md): the panel announcement version 2 (tag 0x34), the pool
// roster (tag 0x37), the panel list (tag 0x33, spec/sortition.md §8), the record directory
// `pool-draw.json` and its checks A1–A2, B1–B4, P1–P10 and F2–F5, F7 (pool mode).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { shake256 } from '@noble/hashes/sha3.js';
import { DecodeError, decodeAll, concat, lp, le32, le64, ascii, compare, equal, hex, unhex } from './bytes.js';
import { sha3, decodeNonIdentity } from './group.js';
import { validLabel } from './roll.js';
import { belowOf } from './sortition.js';
import { decodeFeatureQuotas } from './features.js';
import { decodeCertificate, checkFairness } from './fairness.js';
import { verifyBeacon } from './beacon.js';
import { verifyDrandBeacon, dueTime, PRECEDENCE_MARGIN } from './drand.js';
import { parseJson } from './json.js';
import { readBeacon, InputError } from './load.js';
import { memo } from './memo.js';
import { OK, FAILED, NOT_CHECKED, NOT_ANCHORED } from './vote.js';

const domain = (s) => lp(ascii(s));
export const quotasCommitment = (bytes) => sha3(domain('kleroterion/fairness/quotas/v1'), bytes);
export const poolCommitment = (bytes) => sha3(domain('kleroterion/fairness/pool/v1'), bytes);
export const panelsCommitment = (bytes) => sha3(domain('kleroterion/sortition/panels/v1'), bytes);
export const certificateCommitment = (bytes) => sha3(domain('kleroterion/fairness/certificate/v1'), bytes);
export const panelAnnouncementHash = (bytes) => sha3(domain('kleroterion/sortition/panel-announcement/v2'), bytes);

/** A 32-byte key, a canonical non-identity ristretto255 encoding like every roll key. */
function readKey(r) {
  const k = r.take(32).slice();
  decodeNonIdentity(k);
  return k;
}

/** Panel announcement version 2 (tag 0x34, spec/pool-draw.md §2). */
export function decodePanelAnnouncement(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x34, 2);
    const polity = r.lp().slice();
    const assembly = r.lp().slice();
    if (!validLabel(polity) || !validLabel(assembly)) throw new DecodeError('invalid polity or assembly label');
    const year = r.u32();
    const kind = r.u8();
    if (kind !== 1 && kind !== 2) throw new DecodeError(`beacon kind ${kind}`);
    const chain = r.take(32).slice();
    const beaconRound = r.u64();
    const quotas = r.take(32).slice();
    const pool = r.take(32).slice();
    const panels = r.take(32).slice();
    const m = r.u32();
    if (m === 0) throw new DecodeError('m = 0');
    const certificate = r.take(32).slice();
    return { polity, assembly, year, beaconChain: { kind, id: chain }, beaconRound, quotas, pool, panels, m, certificate };
  });
}

/** PoolRoster (tag 0x37, spec/pool-draw.md §3). */
export function decodePool(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x37, 1);
    const F = r.u32();
    if (F < 1 || F > 15) throw new DecodeError(`pool with ${F} features`);
    const n = r.u32();
    if (n < 1) throw new DecodeError('empty pool');
    if (BigInt(n) * BigInt(33 + 2 * F) > BigInt(r.remaining)) throw new DecodeError('unexpected end (pool)');
    const people = [];
    for (let i = 0; i < n; i++) {
      const key = readKey(r);
      if (people.length && compare(people[people.length - 1].key, key) >= 0) throw new DecodeError('pool keys not strictly ascending');
      const cats = [];
      for (let f = 0; f < F; f++) cats.push(r.u16());
      const flag = r.u8();
      let household = null;
      if (flag === 1) household = r.take(32).slice();
      else if (flag !== 0) throw new DecodeError('household flag other than 0 or 1');
      people.push({ key, cats, household });
    }
    return { F, people };
  });
}

/** PanelList (tag 0x33, spec/sortition.md §8): m ≥ 1 panels of 1 to 150 keys, ascending. */
export function decodePanelList(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x33, 1);
    const m = r.u32();
    if (m === 0) throw new DecodeError('empty panel list');
    if (BigInt(m) * 4n > BigInt(r.remaining)) throw new DecodeError('unexpected end (panel list)');
    const panels = [];
    for (let j = 0; j < m; j++) {
      const k = r.count(32);
      if (k < 1 || k > 150) throw new DecodeError(`a panel of ${k} keys`);
      const panel = [];
      for (let i = 0; i < k; i++) {
        const key = readKey(r);
        if (panel.length && compare(panel[panel.length - 1], key) >= 0) throw new DecodeError('panel keys not strictly ascending');
        panel.push(key);
      }
      panels.push(panel);
    }
    return panels;
  });
}

/** The pick (spec/pool-draw.md §2): below(m) on the panel-pick stream. */
export function panelPick(annBytes, output, m) {
  const x = shake256.create({}).update(concat(domain('kleroterion/sortition/panel-pick/v1'), lp(annBytes), lp(output)));
  return Number(belowOf(x, BigInt(m)));
}

/**
 * The cell problem and Pool of a pool under the quotas (spec/pool-draw.md §3): one cell per
 * distinct category tuple, ascending; each person's cell index and household.
 */
export function poolProblem(fq, pool) {
  const key = (cats) => cats.map((c) => c.toString(16).padStart(4, '0')).join('');
  const tuples = new Map();
  for (const p of pool.people) {
    const k = key(p.cats);
    if (!tuples.has(k)) tuples.set(k, { cats: p.cats, eligible: 0n });
    tuples.get(k).eligible += 1n;
  }
  const ks = [...tuples.keys()].sort();
  const index = new Map(ks.map((k, i) => [k, i]));
  return {
    problem: { fq, cells: ks.map((k) => tuples.get(k)) },
    people: pool.people.map((p) => ({ key: p.key, cell: index.get(key(p.cats)), household: p.household === null ? null : hex(p.household) })),
  };
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function member(o, k) {
  if (!isObj(o) || !(k in o)) throw new DecodeError(`pool-draw.json: missing member ${k}`);
  return o[k];
}
function hexMember(o, k) {
  const v = member(o, k);
  if (typeof v !== 'string') throw new DecodeError(`pool-draw.json: ${k} is not a string`);
  return unhex(v);
}
function uint(o, k, bits) {
  const v = member(o, k);
  if (typeof v !== 'bigint' || v < 0n || v >= 1n << BigInt(bits)) throw new DecodeError(`pool-draw.json: ${k} is not a u${bits}`);
  return v;
}

/** Reads pool-draw.json (spec/pool-draw.md §4); a DecodeError is R1. */
export function readPoolDraw(text) {
  const o = parseJson(text);
  const out = {
    version: Number(uint(o, 'version', 32)),
    announcement: hexMember(o, 'announcement'),
    quotas: hexMember(o, 'quotas'),
    pool: hexMember(o, 'pool'),
    panels: hexMember(o, 'panels'),
    certificate: hexMember(o, 'certificate'),
    beacon: readBeacon(member(o, 'beacon'), 'pool-draw.json'),
    beaconRound: uint(o, 'beacon_round', 64),
    beaconOutput: hexMember(o, 'beacon_output'),
    chosen: Number(uint(o, 'chosen', 32)),
    panel: null,
  };
  if (out.beaconOutput.length !== 32) throw new DecodeError('pool-draw.json: beacon_output is not 32 bytes');
  const panel = member(o, 'panel');
  if (!Array.isArray(panel)) throw new DecodeError('pool-draw.json: panel is not an array');
  out.panel = panel.map((k) => {
    const b = typeof k === 'string' ? unhex(k) : null;
    if (b === null || b.length !== 32) throw new DecodeError('pool-draw.json: a panel key is not 32 bytes');
    // Each key is a canonical, non-identity ristretto255 encoding, else R1 (spec/pool-draw.md §4).
    try {
      decodeNonIdentity(b);
    } catch (e) {
      throw new DecodeError(`pool-draw.json: a panel key is not a canonical non-identity point (${e.message})`);
    }
    return b;
  });
  return out;
}

const attempt = (fn) => {
  try {
    return { v: fn() };
  } catch (e) {
    if (e instanceof DecodeError) return { e: e.message };
    throw e;
  }
};

/** Verify a read pool draw record with anchors (or null): the report's sections. */
export function verifyPoolDraw(rec, anchors) {
  const res = {};
  const set = (id, why) => (res[id] = [id, why === null ? OK : FAILED, why]);
  const skip = (id, why) => (res[id] = [id, NOT_CHECKED, why]);
  const needs = (id, deps, fn) => {
    const d = deps.find((x) => res[x][1] !== OK);
    if (d) skip(id, `needs ${d}`);
    else set(id, fn());
  };

  // P1, and the commitment checks P4, P8, P9, P10 (their dependencies first).
  const ann = attempt(() => decodePanelAnnouncement(rec.announcement));
  set('P1', ann.e ? `the announcement does not decode: ${ann.e}` : null);
  const a = ann.v;

  // Beacon.
  const beacon = rec.beacon.value;
  const chainId = rec.beacon.kind === 2 ? beacon.info.chainHash : beacon.chainId;
  let outputs = null;
  try {
    outputs = memo(`beacon ${rec.beacon.hex}`, () => (rec.beacon.kind === 2 ? verifyDrandBeacon(beacon) : verifyBeacon(beacon)));
    set('B1', null);
  } catch (e) {
    set('B1', e.message);
  }
  needs('B2', ['B1', 'P1'], () => (outputs.has(a.beaconRound) ? null : 'the announced round is not in the verified beacon'));
  set('B3', rec.version === 1 ? null : `pool draw record version ${rec.version}`);
  needs('B4', ['P1'], () => (a.beaconChain.kind === rec.beacon.kind && equal(a.beaconChain.id, chainId) ? null : 'the announcement names another beacon chain'));

  // Anchors.
  const annHash = panelAnnouncementHash(rec.announcement);
  if (anchors === null) {
    res.A1 = ['A1', NOT_ANCHORED, 'no anchors'];
    res.A2 = ['A2', NOT_ANCHORED, 'no anchors'];
  } else {
    set('A1', equal(anchors.beaconChain, chainId) ? null : 'the beacon chain is not the published one');
    set('A2', equal(anchors.announcement, annHash) ? null : 'the announcement is not the published one');
  }

  // Pool draw.
  needs('P2', ['P1'], () => (rec.beaconRound === a.beaconRound ? null : 'beacon_round is not the announced round'));
  needs('P3', ['P1', 'B1'], () => (outputs.has(a.beaconRound) && equal(outputs.get(a.beaconRound), rec.beaconOutput) ? null : 'beacon_output is not the verified output of the announced round'));
  let panels = null;
  needs('P4', ['P1'], () => {
    const d = attempt(() => decodePanelList(rec.panels));
    if (d.e) return `the panel list does not decode: ${d.e}`;
    if (!equal(panelsCommitment(rec.panels), a.panels)) return 'the panel list does not hash to the announced commitment';
    if (d.v.length !== a.m) return `the list has ${d.v.length} panels, not the announced ${a.m}`;
    panels = d.v;
    return null;
  });
  needs('P5', ['P1'], () => {
    const pick = panelPick(rec.announcement, rec.beaconOutput, a.m);
    return rec.chosen === pick ? null : `chosen ${rec.chosen} is not the recomputed pick ${pick}`;
  });
  needs('P6', ['P4'], () => {
    if (rec.chosen >= panels.length) return `chosen ${rec.chosen} is beyond the list`;
    const want = panels[rec.chosen];
    return want.length === rec.panel.length && want.every((k, i) => equal(k, rec.panel[i])) ? null : 'the panel is not the list\'s panel at chosen';
  });
  const p7 = (() => {
    const d = ['P1', 'B1'].find((x) => res[x][1] !== OK);
    if (d) return ['P7', NOT_CHECKED, `needs ${d}`];
    if (rec.beacon.kind === 2) {
      if (anchors === null || anchors.announcementPublished === null) return ['P7', NOT_ANCHORED, 'no anchored announcement_published'];
      const ok = anchors.announcementPublished + PRECEDENCE_MARGIN <= dueTime(beacon.info, a.beaconRound);
      return ['P7', ok ? OK : FAILED, ok ? null : 'the announcement was not published 300 s before the named round was due'];
    }
    const c = beacon.rounds.find((r) => r.registrations.some((h) => equal(h, annHash)));
    const ok = c !== undefined && c.round < a.beaconRound;
    return ['P7', ok ? OK : FAILED, ok ? null : 'the announcement was not registered before the named round'];
  })();
  res.P7 = p7;
  let fq = null;
  needs('P8', ['P1'], () => {
    const d = attempt(() => decodeFeatureQuotas(rec.quotas));
    if (d.e) return `the quotas do not decode: ${d.e}`;
    if (!equal(quotasCommitment(rec.quotas), a.quotas)) return 'the quotas do not hash to the announced commitment';
    fq = d.v;
    return null;
  });
  let pool = null;
  needs('P9', ['P1', 'P8'], () => {
    const d = attempt(() => decodePool(rec.pool));
    if (d.e) return `the pool does not decode: ${d.e}`;
    if (!equal(poolCommitment(rec.pool), a.pool)) return 'the pool does not hash to the announced commitment';
    if (d.v.F !== fq.features.length) return `the pool has ${d.v.F} features, the quotas ${fq.features.length}`;
    for (const p of d.v.people) {
      if (p.cats.some((c, f) => c >= fq.features[f].categories.length)) return 'a category index beyond its feature\'s categories';
      if ((p.household !== null) !== (fq.household !== null)) return fq.household === null ? 'a household without a household attribute in the quotas' : 'a person without a household';
    }
    pool = d.v;
    return null;
  });
  let cert = null;
  needs('P10', ['P1'], () => {
    const d = attempt(() => decodeCertificate(rec.certificate));
    if (d.e) return `the certificate does not decode: ${d.e}`;
    if (!equal(certificateCommitment(rec.certificate), a.certificate)) return 'the certificate does not hash to the announced commitment';
    cert = d.v;
    return null;
  });

  // Fairness (pool mode), on the committed objects only.
  const fIds = ['F2', 'F3', 'F4', 'F5', 'F7']; // F1 and F6 are retired ids (spec/fairness.md §8)
  let fair;
  const missing = ['P4', 'P8', 'P9', 'P10'].find((x) => res[x][1] !== OK);
  if (missing) fair = fIds.map((id) => [id, NOT_CHECKED, `needs ${missing}`]);
  else {
    const { problem, people } = poolProblem(fq, pool);
    fair = checkFairness(problem, { pool: people, panels }, cert).checks;
  }

  return [
    { section: 'Anchors', checks: [res.A1, res.A2] },
    { section: 'Beacon', checks: ['B1', 'B2', 'B3', 'B4'].map((id) => res[id]) },
    { section: 'Pool draw', checks: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10'].map((id) => res[id]) },
    { section: 'Fairness', checks: fair },
  ];
}

/** Load and verify a pool draw directory (pool-draw.json). */
export function verifyPoolDir(dir, anchors) {
  const path = join(dir, 'pool-draw.json');
  if (!existsSync(path)) throw new InputError(`missing file ${path}`);
  let rec;
  try {
    rec = readPoolDraw(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof DecodeError) return [{ section: 'Record', checks: [['R1', FAILED, e.message]] }];
    throw e;
  }
  return verifyPoolDraw(rec, anchors);
}


/** Canonical encodings (the inverses of the decoders above), for tests and tools. */
export function encodePanelAnnouncement(a) {
  return concat(new Uint8Array([0x34, 0x02]), lp(a.polity), lp(a.assembly), le32(a.year), new Uint8Array([a.beaconChain.kind]), a.beaconChain.id,
    le64(a.beaconRound), a.quotas, a.pool, a.panels, le32(a.m), a.certificate);
}
export function encodePool({ F, people }) {
  const parts = [new Uint8Array([0x37, 0x01]), le32(F), le32(people.length)];
  for (const p of people) {
    parts.push(p.key, ...p.cats.map((c) => new Uint8Array([c & 0xff, c >> 8])));
    parts.push(p.household === null ? new Uint8Array([0]) : concat(new Uint8Array([1]), p.household));
  }
  return concat(...parts);
}
export function encodePanelList(panels) {
  const parts = [new Uint8Array([0x33, 0x01]), le32(panels.length)];
  for (const p of panels) parts.push(le32(p.length), ...p);
  return concat(...parts);
}
