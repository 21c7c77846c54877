// The assembly verifier (spec/record.md §6, §9; spec/sortition.md §7; spec/anchors.md §2):
// sections Anchors (A1–A3), Beacon (B1–B4), Draw (S1–S17), then one per vote.
import { hex, unhex, isHex, equal, compare } from './bytes.js';
import { verifyBeacon } from './beacon.js';
import { verifyDrandBeacon, dueTime, PRECEDENCE_MARGIN } from './drand.js';
import { decodeEntry, leafHash, MerkleStream, verifyInclusion } from './roll.js';
import * as S from './sortition.js';
import * as F from './features.js';
import { checkFairness } from './fairness.js';
import { streamLines, trimWs, MAX_LINE } from './load.js';
import { memo } from './memo.js';
import { verifyVote, OK, FAILED, NOT_CHECKED, NOT_ANCHORED } from './vote.js';

const attrValue = (entry, label) => {
  const a = entry.attributes.find((x) => equal(x.label, label));
  return a ? a.value : null;
};

/**
 * Verify a loaded record against anchors (or null); `opts.shards` = {n, by} verifies every
 * vote's ballots in n shards and merges them (spec/record.md §4.1). Returns the report sections.
 */
export function verifyAssembly(rec, anchors, opts = {}) {
  const ann = rec.announcement;
  const annEnc = S.encodeAnnouncement(ann);
  const annHash = S.announcementHash(annEnc);
  const beacon = rec.beacon.value;
  // The record's chain identifier: the threshold chain id, or the drand chain hash (B4, A1).
  const chainId = rec.beacon.kind === 2 ? beacon.info.chainHash : beacon.chainId;

  // Beacon.
  let outputs = null, b1 = OK, b1Why = null;
  try {
    outputs = memo(`beacon ${rec.beacon.hex}`, () => (rec.beacon.kind === 2 ? verifyDrandBeacon(beacon) : verifyBeacon(beacon)));
  } catch (e) {
    b1 = FAILED;
    b1Why = e.message;
  }
  const B = [
    ['B1', b1, b1Why],
    ['B2', outputs === null ? NOT_CHECKED : outputs.has(ann.beaconRound) ? OK : FAILED],
    ['B3', rec.version === 2 ? OK : FAILED],
    ['B4', ann.beaconChain.kind === rec.beacon.kind && equal(ann.beaconChain.id, chainId) ? OK : FAILED],
  ];

  // Anchors.
  const A = anchors === null
    ? [['A1', NOT_ANCHORED], ['A2', NOT_ANCHORED], ['A3', NOT_ANCHORED]]
    : [
        ['A1', equal(anchors.beaconChain, chainId) ? OK : FAILED],
        ['A2', equal(anchors.announcement, annHash) ? OK : FAILED],
        ['A3', anchors.votes.length === rec.votes.length && anchors.votes.every((a, i) => a.name === rec.votes[i].name) ? OK : FAILED],
      ];

  const { checks: D, seated } = verifyDraw(rec, ann, annEnc, annHash, beacon, outputs, anchors);

  const sections = [
    { section: 'Anchors', checks: A },
    { section: 'Beacon', checks: B },
    { section: 'Draw', checks: D },
  ];
  rec.votes.forEach((v, i) => {
    sections.push({ section: `Vote "${v.name}"`, checks: verifyVote(v, { anchors, seated: seated[i], shards: opts.shards }) });
  });
  return sections;
}

/**
 * The selection record's own checks (spec/sortition.md §7: S1–S14, S18–S22 and a feature
 * draw's F checks) for a selection, the published announcement, the verified output of
 * its round and optionally the roll stream's text; S15–S17 (record checks) are left out.
 */
export function verifySelection(selection, announcement, output, roll) {
  const annEnc = S.encodeAnnouncement(announcement);
  const rec = { selection, roll, replacements: [], votes: [], announcement, beacon: { kind: 1, value: { chainId: new Uint8Array(32), rounds: [] } } };
  const { checks } = verifyDraw(rec, announcement, annEnc, S.announcementHash(annEnc), rec.beacon.value, new Map([[announcement.beaconRound, output]]), null);
  return checks.filter(([id]) => !['S15', 'S16', 'S17'].includes(id));
}

function verifyDraw(rec, ann, annEnc, annHash, beacon, outputs, anchors) {
  const sel = rec.selection;
  const p = ann.params;
  const res = {};
  const set = (id, ok, why) => (res[id] = [id, ok ? OK : FAILED, ok ? null : why]);

  // S1
  const problem = S.announcementProblem(ann);
  set('S1', sel.version === 1 && equal(S.encodeAnnouncement(sel.announcement), annEnc) && problem === null, problem || 'version or announcement differs');
  // S2
  set('S2', sel.beaconRound === ann.beaconRound, 'beacon round differs from the named round');
  // S3
  if (outputs === null) res.S3 = ['S3', NOT_CHECKED, 'the beacon chain did not verify (B1)'];
  else set('S3', outputs.has(ann.beaconRound) && equal(outputs.get(ann.beaconRound), sel.beaconOutput), 'beacon output is not the verified output of the named round');
  // S4
  const seed = S.seedOf(annEnc, sel.beaconOutput);
  set('S4', equal(seed, sel.seed), 'seed is not recomputed');

  // S5
  const strata = sel.strata;
  const feat = p.quotas.features || null;
  let s5 = null;
  for (let i = 1; i < strata.length; i++) if (compare(strata[i - 1].value, strata[i].value) >= 0) s5 = 'strata not strictly ascending';
  const sumSize = strata.reduce((a, s) => a + s.size, 0n);
  if (sumSize !== ann.size) s5 = 'stratum sizes do not add up to the roll size';
  if (strata.some((s) => s.eligible > s.size)) s5 = 'eligible above size';
  if (strata.reduce((a, s) => a + (s.size - s.eligible), 0n) > BigInt(p.exclusions.length)) s5 = 'more ineligible than exclusions';
  // A feature draw's quotas are the seats of the picked allocation (spec/sortition.md §10.4),
  // read from the recorded list only when it is the committed one (S19; §7, "Only the
  // committed list is read"): otherwise S5, S9, S10 and S20 are not checked.
  const s19 = feat ? committedListProblem(feat, sel) : null;
  const lot = feat ? featureLottery(feat, sel, strata, seed, s19, problem !== null ? `the announcement is invalid: ${problem}` : sumSize !== ann.size ? 'stratum sizes do not add up to the roll size' : null) : null;
  let quotas = feat ? lot.quotas : S.computeQuotas(p.quotas, strata);
  if (typeof quotas === 'string') {
    s5 = quotas;
    quotas = null;
  } else {
    if (quotas.some((q, i) => q !== strata[i].quota)) s5 = 'quotas are not recomputed';
    if (quotas.some((q, i) => BigInt(q) > strata[i].eligible)) s5 = 'quota above eligible';
  }
  set('S5', s5 === null, s5);

  // Every drawn entry: selected, reserve and (households) skipped.
  const drawn = strata.flatMap((s, si) => [...s.selected, ...s.reserve, ...s.skipped].map((d) => ({ ...d, si })));
  // S6
  set('S6', drawn.every((d) => verifyInclusion(d.entry.bytes, d.proof, ann.root, ann.size) === null), 'an inclusion proof fails');
  // S7: a feature draw recomputes each drawn entry's cell from its attributes.
  const stratumOf = feat
    ? (entry) => F.cellOf(entry, feat.quotas).cell || null
    : (entry) => (p.stratifyBy === null ? new Uint8Array(0) : attrValue(entry, p.stratifyBy));
  set('S7', drawn.every((d) => {
    const v = stratumOf(d.entry);
    return v !== null && equal(v, strata[d.si].value);
  }), 'a drawn entry is not in its stratum');
  // S8
  const excluded = new Set(p.exclusions.map(hex));
  set('S8', drawn.every((d) => !excluded.has(hex(d.entry.key))), 'an excluded citizen is drawn');
  // S9, S10: one draw from the announcement, the seed recomputed from the record's
  // beacon_output, the recorded counts and the quotas recomputed from them
  // (spec/sortition.md §7, "The recomputation of S9 and S10"); for a feature draw, the
  // walk of §10.5 over the recorded entries' households. If it cannot be computed, both fail.
  let s9 = null, s10 = null;
  let draw = null;
  if (quotas === null) draw = feat ? `the quotas cannot be recomputed: ${lot.quotas}` : 'the quotas cannot be recomputed from the recorded counts';
  else {
    const short = strata.findIndex((s, si) => BigInt(quotas[si]) > s.eligible);
    if (short >= 0) draw = `stratum ${short}: quota ${quotas[short]} above its ${strata[short].eligible} eligible`;
    else {
      try {
        if (feat) {
          const cells = strata.map((s, si) => ({ value: s.value, eligible: s.eligible, quota: quotas[si] }));
          const hh = feat.quotas.household === null ? null : (ci, rank) => recordedHousehold(strata[ci], ci, rank, feat.quotas);
          draw = F.drawCells(seed, cells, p.reserve, hh);
        } else draw = strata.map((s, si) => ({ ...S.drawStratum(seed, s.value, s.eligible, quotas[si], p.reserve), skipped: [] }));
      } catch (e) {
        draw = `the draw cannot be computed: ${e.message}`;
      }
    }
  }
  if (typeof draw === 'string') s9 = s10 = draw;
  // A feature draw whose walk cannot be recomputed from the record (§10.5: a rank the record
  // lacks, a shuffle that runs out) fails S5 as well: the kit's S9-features-skipped (finding 39).
  if (feat && typeof draw === 'string' && res.S5[1] === OK) set('S5', false, draw);
  const ranksDiffer = (got, want) => got.length !== want.length || got.some((r, i) => r !== want[i].rank);
  const selKeys = new Set();
  const resKeys = new Set();
  strata.forEach((s, si) => {
    if (typeof draw !== 'string') {
      const d = draw[si];
      if (ranksDiffer(d.selected, s.selected)) s9 = 'selected ranks are not the draw';
      if (ranksDiffer(d.skipped, s.skipped)) s9 = 'skipped ranks are not the draw';
      if (ranksDiffer(d.reserve, s.reserve)) s10 = 'reserve ranks are not the draw';
    }
    // The position rule covers every drawn entry of the stratum: selected, skipped and reserve.
    const byRank = [...s.selected, ...s.skipped, ...s.reserve].sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    byRank.forEach((x, i) => {
      if (x.proof.index < x.rank) s9 = 'a roll position below its rank';
      if (i > 0) {
        const y = byRank[i - 1];
        if (x.rank <= y.rank) s9 = 'two drawn entries of a stratum with one rank';
        else if (x.proof.index <= y.proof.index || x.proof.index - y.proof.index < x.rank - y.rank) s9 = 'roll positions inconsistent with ranks';
      }
    });
    for (const x of s.selected) {
      const k = hex(x.entry.key);
      if (selKeys.has(k)) s9 = 'a citizen selected twice';
      selKeys.add(k);
    }
  });
  strata.forEach((s) => {
    for (const x of s.reserve) {
      const k = hex(x.entry.key);
      if (selKeys.has(k) || resKeys.has(k)) s10 = 'a reserve citizen selected or listed twice';
      resKeys.add(k);
    }
  });
  set('S9', s9 === null, s9);
  set('S10', s10 === null, s10);
  if (feat && s19 !== null) {
    for (const id of ['S5', 'S9', 'S10']) res[id] = [id, NOT_CHECKED, `the allocation list is not the committed one (S19): ${s19}`];
  }
  // S11
  const filled = S.seatsFilled(ann);
  const seatsConcat = strata.flatMap((s) => s.seats);
  set('S11', filled !== null && strata.every((s) => s.seats.length === s.selected.length) && seatsConcat.length === filled.length && seatsConcat.every((x, i) => x === filled[i]), 'seats are not the seats to be filled');

  // S12–S15: the roll (an entry that cannot be placed in a stratum or cell: S12–S14 fail).
  const placeProblem = feat
    ? (entry) => F.cellOf(entry, feat.quotas).error || null
    : (entry) => (stratumOf(entry) === null ? 'lacks the stratify_by attribute' : null);
  const rollCensus = rollChecks(rec.roll, ann, strata, drawn, stratumOf, placeProblem, excluded, res);

  // S16
  if (outputs === null) res.S16 = ['S16', NOT_CHECKED, 'the beacon chain did not verify (B1)'];
  else if (rec.beacon.kind === 2) {
    // drand (spec/beacon.md §3.5): published at least 300 s before the named round was due.
    if (anchors === null || anchors.announcementPublished === null) res.S16 = ['S16', NOT_ANCHORED, 'no anchored announcement_published'];
    else set('S16', anchors.announcementPublished + PRECEDENCE_MARGIN <= dueTime(beacon.info, ann.beaconRound), 'the announcement was not published 300 s before the named round was due');
  } else {
    const c = beacon.rounds.find((r) => r.registrations.some((h) => equal(h, annHash)));
    set('S16', c !== undefined && c.round < ann.beaconRound, 'the announcement was not registered before the named round');
  }

  // S17 and the seated sets.
  const seated = replacementChecks(rec, strata, res);
  // S18–S22: feature draws only (spec/sortition.md §7, §10).
  if (feat) featureChecks(feat, sel, strata, s19, lot, res);
  // Order (spec/sortition.md §7, record.md §9): S1–S11; for a feature draw S18–S22 and the
  // certificate's F2, F4, F5, F7 (cell lottery; F1 and F6 are retired ids); then S12–S17.
  const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => res[`S${a + i}`]);
  const checks = [...range(1, 11), ...(feat ? [...range(18, 22), ...cellFairness(feat, sel, rollCensus, res)] : []), ...range(12, 17)];
  return { checks, seated };
}

/**
 * S19 (spec/sortition.md §7, §10.3): the record carries the allocation list, it hashes to
 * the announced commitment and has the announced `m` allocations. Returns a reason or null.
 */
function committedListProblem(feat, sel) {
  const list = sel.lottery === null ? null : sel.lottery.allocations;
  if (list === null) return 'the record carries no allocation list';
  if (!equal(F.allocationCommitment(list), feat.allocations)) return 'the allocation list does not hash to the announced commitment';
  if (list.length !== feat.m) return `the list has ${list.length} allocations, not the announced ${feat.m}`;
  return null;
}

/**
 * The recomputed feature draw's lottery as S5, S9 and S10 share it (spec/sortition.md §7,
 * "The recomputed feature draw"): the census cells with eligible people, the pick
 * `below(m)` on the pick stream of the recomputed seed with `m` the announced number of
 * allocations (§10.4: one rule for the draw, this recomputation and S21; never the length
 * of the recorded list, nor the recorded `lottery.pick`), and the quotas: the picked
 * allocation of the **committed** list on those cells, 0 elsewhere. `quotas` is a reason
 * when the recomputation cannot be made: the list is not the committed one (`s19`, a
 * reason: S5, S9 and S10 are then not checked), an invalid announcement or recorded sizes
 * that do not add up to the roll size (`invalid`), no quota problem (S18), the picked
 * allocation infeasible for the recorded census, or, with households, a recorded selected,
 * reserve or skipped entry lacking the household attribute (those fail S5, S9 and S10).
 */
function featureLottery(feat, sel, strata, seed, s19, invalid) {
  const fq = feat.quotas;
  const withPeople = strata.map((s, si) => ({ si, eligible: s.eligible, cats: F.categoriesOf(s.value, fq) })).filter((c) => c.eligible >= 1n);
  const pick = feat.m >= 1 ? F.pickOf(seed, feat.m) : null;
  const problem = quotaProblem(strata, withPeople, fq);
  const lot = { cells: withPeople, pick, problem, quotas: null };
  const list = s19 === null ? sel.lottery.allocations : null;
  if (list === null) lot.quotas = `the allocation list is not the committed one (S19): ${s19}`;
  else if (invalid !== null) lot.quotas = invalid;
  else if (problem !== null) lot.quotas = `the recorded counts make no quota problem: ${problem}`;
  else if (fq.household !== null && strata.some((s) => [...s.selected, ...s.reserve, ...s.skipped].some((d) => F.householdOf(d.entry, fq) === null)))
    lot.quotas = 'a recorded drawn entry lacks the household attribute (MissingAttribute)';
  else {
    // S19 passed: the list has exactly the announced m ≥ 1 allocations, so pick < m names one.
    const x = list[pick];
    const why = F.allocationProblem(x, withPeople, fq);
    if (why) lot.quotas = `the picked allocation is not feasible: ${why}`;
    else {
      const q = strata.map(() => 0);
      withPeople.forEach((c, i) => (q[c.si] = x[i]));
      lot.quotas = q;
    }
  }
  return lot;
}

/**
 * S18 exactly (spec/sortition.md §7): the recorded counts make a quota problem iff every
 * recorded stratum value, with or without eligible people, is a cell value of the announced
 * features, and the cells with eligible people, in record order, are strictly ascending
 * (1 ≤ K ≤ 150 and min ≤ max hold for a valid announcement). Zero such cells is a valid
 * problem. Returns a reason or null.
 */
function quotaProblem(strata, withPeople, fq) {
  const bad = strata.findIndex((s) => F.categoriesOf(s.value, fq) === null);
  if (bad >= 0) return `stratum ${bad}: its value is not a cell of the announced features`;
  for (let i = 1; i < withPeople.length; i++) if (compare(strata[withPeople[i - 1].si].value, strata[withPeople[i].si].value) >= 0) return 'cells with eligible people not strictly ascending';
  return null;
}

/** The household of rank `rank` of a cell, from the record's entries of that cell (§10.5). */
function recordedHousehold(s, ci, rank, fq) {
  const d = [...s.selected, ...s.skipped, ...s.reserve].find((x) => x.rank === rank);
  if (!d) throw new Error(`the walk of cell ${ci} reaches rank ${rank}, which the record lacks`);
  const h = F.householdOf(d.entry, fq);
  if (h === null) throw new Error(`the entry of rank ${rank} of cell ${ci} lacks the household attribute`);
  return h;
}

/**
 * F2, F4, F5, F7 of spec/fairness.md §8 (F1 and F6 are retired ids) on the quota problem
 * of this verifier's own census of the announced roll (its cells with eligible people) and
 * the committed list, with the record's certificate; not checked without a certificate, a
 * roll (whose census the recorded counts could misstate) or the committed list (S19).
 */
function cellFairness(feat, sel, rollCensus, res) {
  const ids = ['F2', 'F4', 'F5', 'F7'];
  const skip = (why) => ids.map((id) => [id, NOT_CHECKED, why]);
  if (sel.lottery === null || sel.lottery.certificate === null) return skip('the record carries no fairness certificate');
  if (res.S19[1] !== OK) return skip('the allocation list is not the committed one (S19)');
  if (rollCensus === null) return skip('no census of the announced roll (S12)');
  const cells = rollCensus.filter((c) => c.eligible >= 1n).map((c) => ({ cats: F.categoriesOf(c.value, feat.quotas), eligible: c.eligible }));
  return checkFairness({ fq: feat.quotas, cells }, { cells: sel.lottery.allocations }, sel.lottery.certificate).checks;
}

function featureChecks(feat, sel, strata, s19, lot, res) {
  const fq = feat.quotas;
  const set = (id, why) => (res[id] = [id, why === null ? OK : FAILED, why]);
  const list = sel.lottery === null ? null : sel.lottery.allocations;
  // S18
  set('S18', lot.problem);
  // S19 (computed before S5: committedListProblem)
  set('S19', s19);
  // S20: not checked unless the list is the committed one (§7, "Only the committed list is read").
  if (s19 !== null) res.S20 = ['S20', NOT_CHECKED, `the allocation list is not the committed one (S19): ${s19}`];
  else {
    let s20 = lot.problem === null ? null : `the recorded counts make no quota problem (S18): ${lot.problem}`;
    for (let j = 0; j < list.length && s20 === null; j++) {
      const why = F.allocationProblem(list[j], lot.cells, fq);
      if (why) s20 = `allocation ${j} is not feasible: ${why}`;
    }
    set('S20', s20);
  }
  // S21
  let s21 = null;
  if (list === null) s21 = 'the record carries no allocation list';
  else if (lot.pick === null) s21 = 'the announcement has m = 0';
  else if (sel.lottery.pick !== lot.pick) s21 = `the recorded pick ${sel.lottery.pick} is not the recomputed ${lot.pick}`;
  set('S21', s21);
  // S22
  let s22 = null;
  if (fq.household !== null) {
    const seen = new Set();
    for (const s of strata) for (const d of s.selected) {
      const h = F.householdOf(d.entry, fq);
      if (h === null) s22 = 'a selected entry lacks the household attribute';
      else if (seen.has(hex(h))) s22 = 'two selected entries share a household';
      else seen.add(hex(h));
    }
  }
  set('S22', s22);
}

function rollChecks(roll, ann, strata, drawn, stratumOf, placeProblem, excluded, res) {
  if (roll === null) {
    for (const id of ['S12', 'S13', 'S14', 'S15']) res[id] = [id, NOT_CHECKED, 'no roll supplied'];
    return null;
  }
  const entries = [];
  let bad = null;
  streamLines(roll).forEach((line, i) => {
    if (bad !== null) return;
    const t = trimWs(line);
    try {
      if (line.length > MAX_LINE || t === '' || !isHex(t)) throw new Error('not hex');
      const bytes = unhex(t);
      const e = decodeEntry(bytes);
      e.bytes = bytes;
      entries.push(e);
    } catch {
      bad = i + 1;
    }
  });
  if (bad !== null) {
    res.S15 = ['S15', FAILED, `roll line ${bad} is malformed`];
    for (const id of ['S12', 'S13', 'S14']) res[id] = [id, NOT_CHECKED, 'the roll stream is malformed (S15)'];
    return null;
  }
  res.S15 = ['S15', OK];
  // An entry that cannot be placed in a stratum makes the roll unreadable for the draw:
  // S12, S13 and S14 all fail (spec/sortition.md §7).
  for (let i = 0; i < entries.length; i++) {
    const why = placeProblem(entries[i]);
    if (why !== null) {
      for (const id of ['S12', 'S13', 'S14']) res[id] = [id, FAILED, `roll line ${i + 1} ${why}`];
      return null;
    }
  }
  // S12
  const ms = new MerkleStream();
  let sorted = true;
  entries.forEach((e, i) => {
    if (i > 0 && compare(entries[i - 1].key, e.key) >= 0) sorted = false;
    ms.push(leafHash(e.bytes));
  });
  const root = ms.root();
  const s12 = sorted && root !== null && equal(root, ann.root) && BigInt(entries.length) === ann.size;
  res.S12 = ['S12', s12 ? OK : FAILED, s12 ? null : 'the roll does not hash to the announced root and size'];
  // Census and ranks.
  const census = new Map();
  const rankAt = [];
  entries.forEach((e) => {
    const v = stratumOf(e);
    const k = hex(v);
    if (!census.has(k)) census.set(k, { size: 0n, eligible: 0n });
    const c = census.get(k);
    c.size += 1n;
    if (excluded.has(hex(e.key))) rankAt.push(null);
    else {
      rankAt.push({ stratum: k, rank: c.eligible });
      c.eligible += 1n;
    }
  });
  const keys = [...census.keys()].sort();
  const s13 = keys.length === strata.length && strata.every((s, i) => {
    const c = census.get(hex(s.value));
    return keys[i] === hex(s.value) && c && c.size === s.size && c.eligible === s.eligible;
  });
  res.S13 = ['S13', s13 ? OK : FAILED, s13 ? null : 'stratum counts are not the roll'];
  // The census of the announced roll, ascending by value (spec/sortition.md §3.1, §10.2).
  const rollCensus = s12 ? keys.map((k) => ({ value: unhex(k), ...census.get(k) })) : null;
  const s14 = drawn.every((d) => {
    const i = d.proof.index;
    if (i >= BigInt(entries.length)) return false;
    const e = entries[Number(i)];
    const ra = rankAt[Number(i)];
    return equal(e.bytes, d.entry.bytes) && ra !== null && ra.stratum === hex(strata[d.si].value) && ra.rank === d.rank;
  });
  res.S14 = ['S14', s14 ? OK : FAILED, s14 ? null : 'a drawn entry is not the roll entry at its rank'];
  return rollCensus;
}

function replacementChecks(rec, strata, res) {
  const holders = new Map(); // seat → { key, si }
  strata.forEach((s, si) => s.selected.forEach((x, i) => {
    if (i < s.seats.length) holders.set(s.seats[i], { key: hex(x.entry.key), si });
  }));
  const used = strata.map(() => 0);
  const reps = rec.replacements;
  let why = reps.length > 150000 ? 'too many replacements' : null;
  let k = 0;
  const seatedSets = [];
  for (const v of rec.votes) {
    while (why === null && k < reps.length && reps[k].fromVote === v.name) {
      const r = reps[k++];
      const h = holders.get(r.seat);
      if (!h) why = `seat ${r.seat} was not filled by the draw`;
      else if (h.key !== hex(r.leaving)) why = `seat ${r.seat} is not held by the leaving delegate`;
      else {
        const reserve = strata[h.si].reserve;
        if (used[h.si] >= reserve.length) why = 'reserve list exhausted';
        else if (!equal(reserve[used[h.si]].entry.key, r.joining)) why = 'the joining delegate is not the next reserve of the stratum';
        else {
          used[h.si] += 1;
          h.key = hex(r.joining);
        }
      }
    }
    seatedSets.push(new Set([...holders.values()].map((h) => h.key)));
  }
  if (why === null && k < reps.length) why = 'a replacement names no later vote';
  res.S17 = ['S17', why === null ? OK : FAILED, why];
  const sched = rec.announcement.params.schedule;
  const filled = strata.reduce((a, s) => a + s.selected.length, 0);
  if (why !== null) return seatedSets.map(() => 'the replacements do not verify (S17)');
  if (sched && filled < sched.seats) return seatedSets.map(() => "the other cohorts' records are not part of this record");
  return seatedSets;
}
