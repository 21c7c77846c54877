// A feature-draw assembly record written here from spec/sortition.md §10 alone (no
// reference output): the kit's base record with its beacon, a new roll of people with two
// features and households, an announcement with the Features quota form, and the draw.
// Used by test/features.test.js to test the verifier's feature checks and their forgeries.
import { readFileSync, mkdtempSync, cpSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { hex, unhex, ascii, compare } from '../src/bytes.js';
import { G, enc } from '../src/group.js';
import { sha3 } from '../src/group.js';
import { parseJson, stringifyJson } from '../src/json.js';
import { encodeEntry, leafHash, nodeHash } from '../src/roll.js';
import * as S from '../src/sortition.js';
import * as F from '../src/features.js';
import { encodeCertificate } from '../src/fairness.js';

export const KIT = new URL('../../../test-vectors/conformance/', import.meta.url).pathname;

function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
/** RFC 9162 §2.1.3.1 audit path, leaf level first. */
function path(m, leaves) {
  if (leaves.length === 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

const GENDERS = ['f', 'm'];
const AGES = ['16-29', '30-59', '60+'];

/**
 * Build the record. `households`: whether the quotas name a household attribute (people
 * i and i + 7 share one when i % 3 = 0). `exclude`: the first `exclude` people (by key) are
 * excluded; with every person excluded no cell has eligible people and the list is [[K]].
 * `householdlessExcluded`: the excluded people's roll entries lack the household attribute
 * (no walk reaches them). `committed(feasible)`: the list the announcement commits to, from
 * the first three feasible allocations (default [f0, f1, f2, f1]). `recorded(list)`: a
 * forger's list the record carries instead of the committed one, the selection drawn from
 * its allocation at below(its length), as a verifier reading an uncommitted list would
 * recompute it (spec/sortition.md §7, "Only the committed list is read"); the recorded pick
 * stays below(m). Returns { assembly (JSON object), roll (text), … }.
 */
export function featureRecord({ households = true, reserve = 2, exclude = 1, certificate = true, gap = null, householdlessExcluded = false, committed = null, recorded = null } = {}) {
  const base = parseJson(readFileSync(join(KIT, 'assembly', 'assembly.json'), 'utf8'));
  const n = 30;
  let people = Array.from({ length: n }, (_, i) => {
    const attrs = [
      { label: ascii('age'), value: ascii(AGES[(i * 7) % 3]) },
      { label: ascii('gender'), value: ascii(GENDERS[i % 2]) },
    ];
    const hh = i % 3 === 0 && i + 7 < n ? i : i >= 7 && (i - 7) % 3 === 0 ? i - 7 : i;
    attrs.push({ label: ascii('household'), value: sha3(ascii(`household ${hh}`)) });
    return { key: enc(G.multiply(BigInt(i + 1))), attributes: attrs };
  });
  people.sort((a, b) => compare(a.key, b.key));
  if (householdlessExcluded) people = people.map((p, i) => (i < exclude ? { ...p, attributes: p.attributes.filter((a) => hex(a.label) !== hex(ascii('household'))) } : p));
  const bytes = people.map(encodeEntry);
  const leaves = bytes.map(leafHash);
  const root = mth(leaves);
  const fq = {
    seats: 5,
    features: [
      { label: ascii('age'), categories: AGES.map((v) => ascii(v)).sort(compare).map((value) => ({ value, min: 1, max: 2 })) },
      { label: ascii('gender'), categories: GENDERS.map((v) => ({ value: ascii(v), min: 2, max: 3 })) },
    ],
    household: households ? ascii('household') : null,
  };
  const exclusions = people.slice(0, exclude).map((p) => p.key).sort(compare);
  const excluded = new Set(exclusions.map(hex));
  // Census (§10.2).
  const census = new Map();
  const placed = people.map((p, i) => {
    const cell = F.cellOf(p, fq).cell;
    const k = hex(cell);
    if (!census.has(k)) census.set(k, { value: cell, size: 0n, eligible: 0n, byRank: [] });
    const c = census.get(k);
    c.size += 1n;
    if (excluded.has(hex(p.key))) return null;
    c.byRank.push(i);
    c.eligible += 1n;
    return { k, rank: c.eligible - 1n };
  });
  void placed;
  const cells = [...census.keys()].sort().map((k) => census.get(k));
  const withPeople = cells.filter((c) => c.eligible >= 1n).map((c) => ({ ...c, cats: F.categoriesOf(c.value, fq) }));
  // Every feasible allocation (a brute force over a small problem), the first three listed.
  const feasible = [];
  const walk = (i, x) => {
    if (feasible.length >= 3) return;
    if (i === withPeople.length) {
      if (F.allocationProblem(x, withPeople, fq) === null) feasible.push([...x]);
      return;
    }
    for (let s = 0; s <= Math.min(2, Number(withPeople[i].eligible)); s++) walk(i + 1, [...x, s]);
  };
  walk(0, []);
  const list = withPeople.length === 0 ? [[fq.seats]] : committed ? committed(feasible) : [feasible[0], feasible[1], feasible[2], feasible[1]];
  const ann = structuredClone(base.announcement);
  ann.roll = { root: hex(root), size: BigInt(n) };
  ann.params = {
    stratify_by: null,
    quotas: { Features: {
      quotas: {
        seats: BigInt(fq.seats),
        features: fq.features.map((f) => ({ label: Buffer.from(f.label).toString('latin1'), categories: f.categories.map((c) => ({ value: hex(c.value), bounds: { min: BigInt(c.min), max: BigInt(c.max) } })) })),
        household: households ? 'household' : null,
      },
      allocations: hex(F.allocationCommitment(list)),
      m: BigInt(list.length),
    } },
    reserve: BigInt(reserve),
    exclusions: exclusions.map(hex),
    schedule: null,
  };
  // The announcement's encoding, as the verifier builds it.
  const internal = {
    polity: ascii(ann.polity), assembly: ascii(ann.assembly), year: Number(ann.year), root, size: BigInt(n),
    beaconChain: { kind: 1, id: unhex(ann.beacon_chain.kleroterion) }, beaconRound: ann.beacon_round,
    params: { stratifyBy: null, quotas: { features: { quotas: fq, allocations: F.allocationCommitment(list), m: list.length } }, reserve, exclusions, schedule: null },
  };
  const output = unhex(base.selection.beacon_output);
  const seed = S.seedOf(S.encodeAnnouncement(internal), output);
  const pick = F.pickOf(seed, list.length);
  const drawList = recorded ? recorded(list) : list;
  const x = drawList[recorded ? F.pickOf(seed, drawList.length) : pick];
  const quotas = cells.map((c) => {
    const i = withPeople.findIndex((w) => w.value === c.value);
    return i < 0 ? 0 : x[i];
  });
  const household = households ? (ci, rank) => F.householdOf(people[cells[ci].byRank[Number(rank)]], fq) : null;
  const draw = F.drawCells(seed, cells.map((c, ci) => ({ value: c.value, eligible: c.eligible, quota: quotas[ci] })), reserve, household);
  const drawnEntry = (ci, rank) => {
    const i = cells[ci].byRank[Number(rank)];
    const p = people[i];
    return {
      rank, entry: { key: hex(p.key), attributes: p.attributes.map((a) => ({ label: Buffer.from(a.label).toString('latin1'), value: hex(a.value) })) },
      proof: { index: BigInt(i), size: BigInt(n), path: path(i, leaves).map(hex) },
    };
  };
  let seat = 0n;
  const strata = cells.map((c, ci) => {
    const s = {
      count: { value: hex(c.value), size: c.size, eligible: c.eligible },
      quota: BigInt(quotas[ci]),
      seats: draw[ci].selected.map(() => seat++),
      selected: draw[ci].selected.map((r) => drawnEntry(ci, r)),
      reserve: draw[ci].reserve.map((r) => drawnEntry(ci, r)),
    };
    if (draw[ci].skipped.length) s.skipped = draw[ci].skipped.map((r) => drawnEntry(ci, r));
    return s;
  });
  const assembly = {
    version: base.version, beacon: base.beacon, announcement: ann,
    selection: {
      version: 1n, announcement: ann, beacon_round: base.selection.beacon_round, beacon_output: base.selection.beacon_output,
      seed: hex(seed), strata, lottery: { pick: BigInt(pick), allocations: { allocations: drawList.map((a) => a.map(BigInt)) } },
    },
    replacements: [], votes: [],
  };
  // The trivial certificate: W_c = 1, G = 1, D = Σ e_c proves B = K / Σ e_c; gap B (p_min ≥ 0).
  const N = withPeople.reduce((a, c) => a + c.eligible, 0n) || 1n; // 1 without cells (a decodable certificate)
  const cert = {
    denominator: N, gamma: 1n, cells: withPeople.map(() => ({ weight: 1n, slack: 0n })),
    categories: fq.features.map((f) => f.categories.map(() => ({ upper: 0n, lower: 0n }))),
    gapNum: gap ? gap[0] : BigInt(fq.seats), gapDen: gap ? gap[1] : N,
  };
  if (certificate) assembly.selection.lottery.certificate = hex(encodeCertificate(cert));
  return { assembly, roll: bytes.map((b) => `${hex(b)}\n`).join(''), draw, pick, list, cert, withPeople };
}

/** Write a record (possibly edited) to a fresh directory; returns its path and a cleanup. */
export function writeRecord({ assembly, roll }) {
  const dir = mkdtempSync(join(tmpdir(), 'feature-draw-'));
  cpSync(join(KIT, 'assembly', 'roll.txt'), join(dir, 'roll.txt'));
  writeFileSync(join(dir, 'assembly.json'), stringifyJson(assembly) + '\n');
  if (roll !== null) writeFileSync(join(dir, 'roll.txt'), roll);
  else rmSync(join(dir, 'roll.txt'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}
