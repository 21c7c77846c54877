// Pool draws (spec/pool-draw.md) on records built here from the spec alone: a pool of 12
// with two features and households, panels found by brute force, a certificate proving the
// trivial bound K/N (W_c = 1, G = 1, D = N), and the kit's threshold beacon (whose rounds do
// not register this announcement: P7 fails in every case). Then forgeries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { hex, unhex, ascii, compare } from '../src/bytes.js';
import { G, enc, sha3 } from '../src/group.js';
import { parseJson, stringifyJson } from '../src/json.js';
import { readAnchors } from '../src/load.js';
import { verifyDir } from '../src/verify.js';
import { enableMemo } from '../src/memo.js';
import * as F from '../src/features.js';
import * as P from '../src/pool.js';
import { encodeCertificate } from '../src/fairness.js';

enableMemo();
const KIT = new URL('../../../test-vectors/conformance/', import.meta.url).pathname;
const base = parseJson(readFileSync(join(KIT, 'assembly', 'assembly.json'), 'utf8'));

const fq = {
  seats: 4,
  features: [
    { label: ascii('age'), categories: [{ value: ascii('a'), min: 1, max: 2 }, { value: ascii('b'), min: 1, max: 2 }, { value: ascii('c'), min: 1, max: 2 }] },
    { label: ascii('gender'), categories: [{ value: ascii('f'), min: 2, max: 2 }, { value: ascii('m'), min: 2, max: 2 }] },
  ],
  household: ascii('household'),
};

function build({ gap = [1n, 3n], m = 5, mutate = () => {} } = {}) {
  const people = Array.from({ length: 12 }, (_, i) => ({
    key: enc(G.multiply(BigInt(100 + i))), cats: [i % 3, (i >> 1) % 2],
    household: sha3(ascii(`hh ${i < 4 ? i % 2 : i}`)), // people 0 and 2, 1 and 3 share a household
  })).sort((a, b) => compare(a.key, b.key));
  const pool = { F: 2, people };
  const { problem } = P.poolProblem(fq, pool);
  // Panels: the first m 4-subsets (in index order) that meet the quotas and households.
  const panels = [];
  const pick = (from, chosen) => {
    if (panels.length >= m) return;
    if (chosen.length === 4) {
      const x = problem.cells.map(() => 0);
      const { people: pp } = P.poolProblem(fq, pool);
      chosen.forEach((i) => (x[pp[i].cell] += 1));
      const hh = new Set(chosen.map((i) => hex(people[i].household)));
      if (hh.size === 4 && F.allocationProblem(x, problem.cells, fq) === null) panels.push(chosen.map((i) => people[i].key).sort(compare));
      return;
    }
    for (let i = from; i < people.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  const N = problem.cells.reduce((a, c) => a + c.eligible, 0n);
  const cert = {
    denominator: N, gamma: 1n, cells: problem.cells.map(() => ({ weight: 1n, slack: 0n })),
    categories: fq.features.map((f) => f.categories.map(() => ({ upper: 0n, lower: 0n }))), gapNum: gap[0], gapDen: gap[1],
  };
  const objs = { quotas: F.encodeFeatureQuotas(fq), pool: P.encodePool(pool), panels: P.encodePanelList(panels), certificate: encodeCertificate(cert) };
  mutate(objs, { pool, panels, cert });
  const a = {
    polity: ascii(base.announcement.polity), assembly: ascii('pool-panel'), year: 2027,
    beaconChain: { kind: 1, id: unhex(base.announcement.beacon_chain.kleroterion) }, beaconRound: base.announcement.beacon_round,
    quotas: P.quotasCommitment(objs.quotas), pool: P.poolCommitment(objs.pool), panels: P.panelsCommitment(objs.panels), m: panels.length,
    certificate: P.certificateCommitment(objs.certificate),
  };
  const annBytes = P.encodePanelAnnouncement(a);
  const output = unhex(base.selection.beacon_output);
  const chosen = P.panelPick(annBytes, output, panels.length);
  const record = {
    version: 1n, announcement: hex(annBytes), quotas: hex(objs.quotas), pool: hex(objs.pool), panels: hex(objs.panels), certificate: hex(objs.certificate),
    beacon: base.beacon, beacon_round: base.selection.beacon_round, beacon_output: base.selection.beacon_output, chosen: BigInt(chosen), panel: panels[chosen].map(hex),
  };
  const anchors = { version: 1n, beacon_chain: base.announcement.beacon_chain.kleroterion, announcement: hex(P.panelAnnouncementHash(annBytes)), votes: [] };
  return { record, anchors, panels, chosen };
}

function verify({ record, anchors }, edit = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pool-draw-'));
  try {
    edit(record);
    writeFileSync(join(dir, 'pool-draw.json'), stringifyJson(record) + '\n');
    const report = verifyDir(dir, anchors === null ? null : readAnchors(stringifyJson(anchors)));
    return Object.fromEntries(report.flatMap((s) => s.checks.map(([id, o]) => [id, o])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const notOk = (r) => Object.keys(r).filter((k) => r[k] !== 'ok' && k !== 'P7');

test('an honest pool draw passes every check but P7 (not registered with the kit\'s beacon)', () => {
  const d = build();
  assert.equal(d.panels.length, 5);
  const r = verify(d);
  assert.deepEqual(Object.keys(r), ['A1', 'A2', 'B1', 'B2', 'B3', 'B4', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'F2', 'F3', 'F4', 'F5', 'F7']);
  assert.deepEqual(notOk(r), []);
  assert.equal(r.P7, 'failed');
  const un = verify({ ...build(), anchors: null });
  assert.deepEqual(notOk(un), ['A1', 'A2']);
  assert.equal(un.A1, 'not_anchored');
});

test('a committed gap below B − p_min fails F7; a record that does not decode is R1 alone', () => {
  assert.deepEqual(notOk(verify(build({ gap: [1n, 4n] }))), ['F7']);
  const r = verify(build(), (rec) => (rec.chosen = 'x'));
  assert.deepEqual(r, { R1: 'failed' });
  // A `panel` key of 32 bytes that is not a canonical non-identity point is R1 (finding 50):
  // the identity, and a non-canonical encoding (2^255 - 1, not below p).
  for (const bad of ['00'.repeat(32), 'ff'.repeat(31) + '7f']) {
    assert.deepEqual(verify(build(), (rec) => (rec.panel[0] = bad)), { R1: 'failed' }, bad);
  }
});

test('forged objects fail their commitment checks, and the F checks are not checked', () => {
  const d = build();
  const r = verify(d, (rec) => (rec.certificate = hex(encodeCertificate({ denominator: 12n, gamma: 1n, cells: [], categories: [], gapNum: 1n, gapDen: 1n }))));
  assert.deepEqual(notOk(r), ['P10', 'F2', 'F3', 'F4', 'F5', 'F7']);
  assert.ok(['F2', 'F7'].every((id) => r[id] === 'not_checked'));
  const p = verify(build(), (rec) => (rec.panel = rec.panel.slice(1)));
  assert.deepEqual(notOk(p), ['P6']);
  const c = verify(build(), (rec) => (rec.chosen += 1n));
  assert.deepEqual(notOk(c), ['P5', 'P6']);
  const a = verify(build(), (rec) => (rec.announcement = rec.announcement.slice(0, -2)));
  assert.deepEqual(notOk(a), ['A2', 'B2', 'B4', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P8', 'P9', 'P10', 'F2', 'F3', 'F4', 'F5', 'F7']);
  const q = verify(build(), (rec) => (rec.quotas = rec.quotas.replace(/^3501/, '3502')));
  assert.deepEqual(notOk(q), ['P8', 'P9', 'F2', 'F3', 'F4', 'F5', 'F7']);
});

test('committed panels that break a household or a quota fail F3 or F2; a dual that does not hold fails F5', () => {
  // A panel seating persons 0 and 2 of one household, committed by the announcement.
  const hh = build({ mutate: (objs, { pool, panels }) => {
    const same = pool.people.filter((p) => hex(p.household) === hex(pool.people.find((x) => pool.people.filter((y) => hex(y.household) === hex(x.household)).length === 2).household));
    const rest = pool.people.filter((p) => !same.includes(p)).slice(0, 2);
    panels[0] = [...same, ...rest].map((p) => p.key).sort(compare);
    objs.panels = P.encodePanelList(panels);
  } });
  const r = verify(hh);
  assert.equal(r.F3, 'failed');
  assert.equal(r.F7, 'not_checked'); // F7 needs F3 in pool mode
  const w = build({ mutate: (objs, { cert }) => {
    cert.gamma = 0n;
    objs.certificate = encodeCertificate(cert);
  } });
  const r2 = verify(w);
  assert.deepEqual(notOk(r2), ['F5', 'F7']);
  assert.equal(r2.F7, 'not_checked');
});
