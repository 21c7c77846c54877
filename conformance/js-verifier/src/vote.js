// The checks E1–E16 of one vote of an assembly (spec/record.md §4, §4.3, §5, §6, §9).
import { hex, unhex, isHex, equal, lp, ascii } from './bytes.js';
import { G, O, mul, sha3, hd } from './group.js';
import { verifyDkg, verifyPartial, lagrange0 } from './trustees.js';
import { decodeBallot, decodeChallenged, verifyBallot, verifyOpening, maxPerOption, kindEqual } from './ballot.js';
import { decodeMembershipProof, verifyMembership } from './credential.js';
import { streamLines, splitWs, trimWs, MAX_LINE } from './load.js';
import { memo } from './memo.js';

export const OK = 'ok', FAILED = 'failed', NOT_CHECKED = 'not_checked', NOT_ANCHORED = 'not_anchored';

/** A check's outcome: failures accumulate reasons; `skip` marks it not checked. */
class Check {
  constructor() {
    this.fails = [];
    this.skip = null;
  }
  fail(reason) {
    this.fails.push(reason);
  }
  get outcome() {
    if (this.fails.length) return FAILED;
    if (this.skip) return NOT_CHECKED;
    return OK;
  }
}

const trusteesDigest = (bytes) => sha3(lp(ascii('kleroterion/anchor/trustees/v1')), bytes);

/**
 * Verify one vote. `ctx` = { anchors (or null), seated: Set of hex keys | reason not checked,
 * standalone (no E12, E15, E16), shards: {n, by: 'position' | 'id'} to verify in merged shards }.
 * Returns [[id, outcome, reasons]] in numeric order.
 */
export function verifyVote(v, ctx) {
  const rec = v.record;
  const m = rec.manifest.value;
  const E = {};
  for (let i = 1; i <= 16; i++) E[i] = new Check();
  const hasEligible = rec.eligible !== null;

  // E1, E2
  if (rec.version !== 1) E[1].fail(`record version ${rec.version}`);
  const tally = rec.tally.value, result = rec.result.value;
  if (!equal(tally.manifestHash, m.hash) || !equal(result.manifestHash, m.hash)) E[2].fail('tally or result names another manifest');

  // E3
  let set = null;
  try {
    set = memo(`dkg ${rec.trustees.hex}`, () => verifyDkg(rec.trustees.value));
  } catch (e) {
    E[3].fail(e.message);
  }
  const PK = set ? set.Y : null;
  const pkHex = set ? hex(set.Y.toBytes()) : '';
  const mKey = `${hex(m.hash)} ${pkHex}`;

  // Cast- and challenged-ballot streams (§4.3), whole or in shards merged (§4.1).
  const lines = streamLines(v.ballots);
  const challenged = streamLines(v.challenged);
  const shape = m.contests.map((c) => c.options.length);
  const scanArgs = { v, m, set, mKey, lines, challenged, shape };
  const bc = ctx.shards
    ? mergeChecks(Array.from({ length: ctx.shards.n }, (_, i) => scan(scanArgs, shardOwner(i, ctx.shards))), ctx.shards.by, shape)
    : scan(scanArgs, null);
  for (const k of [4, 5, 6, 7, 8, 13, 14]) for (const f of bc.fails[k]) E[k].fail(f);
  const sums = bc.sums;

  // E9
  const countsAgree = tally.N === BigInt(lines.length);
  if (set) {
    if (tally.N !== BigInt(bc.lines)) E[9].fail(`tally counts ${tally.N} ballots, the stream has ${bc.lines} lines`);
    const sameShape = tally.sums.length === shape.length && tally.sums.every((row, c) => row.length === shape[c]);
    if (!sameShape) E[9].fail('tally shape differs from the manifest');
    else if (!tally.sums.every((row, c) => row.every(([a, b], o) => a.equals(sums[c][o][0]) && b.equals(sums[c][o][1])))) E[9].fail('tally sums differ from the sum of the accepted ballots');
    if (E[4].fails.length || E[7].fails.length) E[9].fail('some cast lines were not accepted');
  }

  // E10, E11
  let M = null;
  if (set) {
    try {
      M = combine(set, m, tally, rec.decryptions.map((d) => d.value), E[10]);
    } catch (e) {
      E[10].fail(e.message);
    }
    if (M === null) E[11].skip = 'the tally cannot be decrypted (E10)';
    else if (!countsAgree || E[9].fails.length) E[11].skip = 'E9 failed';
    else {
      const why = resultProblem(m, tally, result, M);
      if (why) E[11].fail(why);
    }
  }

  if (!set) {
    for (const i of [4, 5, 6, 7, 8, 9, 10, 11, 13, 14]) E[i].skip = 'the trustee set (E3) did not verify';
  }

  const out = [];
  if (ctx.standalone) {
    // A vote verified on its own (spec/record.md §9): no E12, E15, E16.
    for (let i = 1; i <= 14; i++) {
      if (i === 12 || ((i === 13 || i === 14) && !hasEligible)) continue;
      out.push([`E${i}`, E[i].outcome, E[i].fails.length ? E[i].fails : E[i].skip]);
    }
    return out;
  }

  // E12: the vote folder's record.json equals the listed copy.
  if (!sameRecord(rec, v.own)) E[12].fail("the vote's record.json differs from the copy in assembly.json");

  // E15
  const out15 = anchorCheck(v, ctx.anchors, m);
  // E16
  if (v.electorate === 'open') {
    if (hasEligible) E[16].fail('an open vote carries an eligible set');
  } else if (typeof ctx.seated === 'string') E[16].skip = ctx.seated;
  else if (!hasEligible) E[16].fail('a seated vote without an eligible set');
  else {
    const keys = rec.eligible.value.map((k) => hex(k.e));
    if (keys.length !== ctx.seated.size || !keys.every((k) => ctx.seated.has(k))) E[16].fail('the eligible set is not the seated delegates');
  }

  for (let i = 1; i <= 16; i++) {
    if ((i === 13 || i === 14) && !hasEligible) continue;
    if (i === 15) out.push(['E15', out15[0], out15[1]]);
    else out.push([`E${i}`, E[i].outcome, E[i].fails.length ? E[i].fails : E[i].skip]);
  }
  return out;
}

/**
 * One pass over the streams (spec/record.md §4.3). `owner` = null checks every ballot;
 * otherwise `owner.cast(p, b)` and `owner.challenged(p, b)` say whether this shard checks
 * the ballot at 0-based position `p` with encoding `b` (spec/record.md §4.1). Returns the
 * shard's BallotChecks: failures of E4–E8, E13, E14, ids seen, tags, sums, lines owned.
 */
function scan({ v, m, set, mKey, lines, challenged, shape }, owner) {
  const rec = v.record;
  const PK = set ? set.Y : null;
  const hasEligible = rec.eligible !== null;
  const fails = { 4: [], 5: [], 6: [], 7: [], 8: [], 13: [], 14: [] };
  const ids = new Set();
  const tags = new Set();
  const sums = shape.map((k) => Array.from({ length: k }, () => [O, O]));
  let owned = 0;
  let prev = hd('kleroterion/v1/confirmation-seed', m.hash);
  lines.forEach((line, i) => {
    const pos = i + 1;
    const f = splitWs(line);
    const wellFormed = line.length <= MAX_LINE && (f.length === 2 || f.length === 3) && f.every(isHex) && f[0].length === 64;
    const mine = owner === null || owner.cast(i, wellFormed ? unhex(f[1]) : null);
    if (mine) owned += 1;
    if (!wellFormed) {
      // Found before any decoding: fails E4 whether or not E3 passed (spec/record.md §4).
      if (mine) fails[4].push(`#${pos}: malformed line`);
      return;
    }
    const code = unhex(f[0]);
    const previous = prev;
    prev = code;
    if (!set || !mine) return;
    const bytes = unhex(f[1]);
    let b;
    try {
      b = memo(`ballot ${f[1]}`, () => decodeBallot(bytes));
    } catch (e) {
      fails[4].push(`#${pos}: does not decode: ${e.message}`);
      return;
    }
    try {
      memo(`verify ${mKey} ${f[1]}`, () => verifyBallot(m, PK, b));
    } catch (e) {
      fails[7].push(`#${pos}: ${e.message}`);
      return;
    }
    const id = hex(b.id);
    if (ids.has(id)) fails[5].push(`#${pos}: repeated ballot id ${id}`);
    ids.add(id);
    if (!equal(code, hd('kleroterion/v1/confirmation-code', previous, b.hash))) fails[6].push(`#${pos}: confirmation code does not chain`);
    b.contests.forEach((c, ci) => {
      if (ci >= sums.length) return;
      c.all.forEach(([a, bb], o) => {
        if (o < sums[ci].length) sums[ci][o] = [sums[ci][o][0].add(a), sums[ci][o][1].add(bb)];
      });
    });
    if (hasEligible) {
      if (f.length < 3) {
        fails[13].push(`#${pos}: carries no eligibility proof`);
        return;
      }
      try {
        const tag = memo(`member ${rec.eligible.hex} ${mKey} ${hex(b.hash)} ${f[2]}`, () => {
          const p = decodeMembershipProof(unhex(f[2]));
          verifyMembership(rec.eligible.value, m.hash, b.hash, p);
          return hex(p.T.toBytes());
        });
        if (tags.has(tag)) fails[14].push(`#${pos}: linking tag already used`);
        tags.add(tag);
      } catch (e) {
        fails[13].push(`#${pos}: eligibility proof: ${e.message}`);
      }
    }
  });
  // Challenged ballots are read after the whole cast stream.
  const challengedIds = new Set();
  challenged.forEach((line, i) => {
    const pos = i + 1;
    const t = trimWs(line);
    const bytes = isHex(t) ? unhex(t) : new Uint8Array(0);
    if (owner !== null && !owner.challenged(i, bytes)) return;
    let cb;
    try {
      cb = memo(`challenged ${t}`, () => decodeChallenged(bytes));
    } catch (e) {
      fails[8].push(`challenged #${pos}: does not decode: ${e.message}`);
      return;
    }
    const id = hex(cb.ballot.id);
    if (ids.has(id) || challengedIds.has(id)) fails[5].push(`challenged #${pos}: repeated ballot id ${id}`);
    challengedIds.add(id);
    if (!set) return;
    try {
      memo(`open ${mKey} ${t}`, () => {
        verifyBallot(m, PK, cb.ballot);
        verifyOpening(m, PK, cb);
      });
    } catch (e) {
      fails[8].push(`challenged #${pos}: ${e.message}`);
    }
  });
  for (const id of challengedIds) ids.add(id);
  return { fails, ids, tags, sums, lines: owned };
}

/** Shard `i` of `{n, by}` (spec/record.md §4.1): which ballots it checks. */
function shardOwner(i, { n, by }) {
  const n64 = BigInt(n);
  const le64At = (b, o) => {
    let x = 0n;
    for (let k = 7; k >= 0; k--) x = (x << 8n) | BigInt(b[o + k]);
    return x;
  };
  const byId = (b, o, p) => (b !== null && b.length >= o + 8 ? le64At(b, o) % n64 : BigInt(p) % n64) === BigInt(i);
  if (by === 'position') return { cast: (p) => p % n === i, challenged: () => i === 0 };
  return { cast: (p, b) => byId(b, 2, p), challenged: (p, b) => byId(b, 4, p) };
}

/** Merge shards' BallotChecks (spec/record.md §4.1). */
function mergeChecks(shards, by, shape) {
  const fails = { 4: [], 5: [], 6: [], 7: [], 8: [], 13: [], 14: [] };
  const seenIds = new Set(), seenTags = new Set();
  const sums = shape.map((k) => Array.from({ length: k }, () => [O, O]));
  let lines = 0;
  for (const s of shards) {
    for (const k of Object.keys(fails)) fails[k].push(...s.fails[k]);
    if (by === 'position') {
      for (const id of s.ids) {
        if (seenIds.has(id)) fails[5].push(`ballot id ${id} in two shards`);
        seenIds.add(id);
      }
    }
    for (const t of s.tags) {
      if (seenTags.has(t)) fails[14].push('a linking tag in two shards');
      seenTags.add(t);
    }
    s.sums.forEach((row, c) => row.forEach(([a, b], o) => {
      sums[c][o] = [sums[c][o][0].add(a), sums[c][o][1].add(b)];
    }));
    lines += s.lines;
  }
  return { fails, sums, lines };
}

function anchorCheck(v, anchors, m) {
  if (anchors === null) return [NOT_ANCHORED, 'no anchors'];
  const a = anchors.votes.find((x) => x.name === v.name);
  if (!a) return [FAILED, 'no anchor for this vote'];
  const td = trusteesDigest(v.record.trustees.bytes);
  if (!equal(a.manifest, m.hash)) return [FAILED, 'manifest hash differs from the anchor'];
  if (!equal(a.trustees, td)) return [FAILED, 'trustees digest differs from the anchor'];
  if (a.electorate !== v.electorate) return [FAILED, 'electorate differs from the anchor'];
  return [OK, null];
}

function sameRecord(a, b) {
  if (a.version !== b.version) return false;
  for (const k of ['manifest', 'trustees', 'tally', 'result']) if (a[k].hex !== b[k].hex) return false;
  if ((a.eligible === null) !== (b.eligible === null)) return false;
  if (a.eligible && a.eligible.hex !== b.eligible.hex) return false;
  if (a.decryptions.length !== b.decryptions.length) return false;
  return a.decryptions.every((d, i) => d.hex === b.decryptions[i].hex);
}

/**
 * §4.3 E10: combine the published tally from the decryptions; records rejected shares
 * on `check`; returns M[c][o] = m·G or throws when fewer than t valid shares remain.
 */
function combine(set, m, tally, decs, check) {
  if (!equal(tally.manifestHash, m.hash)) throw new Error('the tally names another manifest');
  const shape = m.contests.map((c) => c.options.length);
  if (tally.sums.length !== shape.length || tally.sums.some((row, c) => row.length !== shape[c])) throw new Error('the tally does not have the manifest shape');
  const named = new Set();
  const reject = (idx, why) => {
    if (!named.has(idx)) check.fail(`trustee ${idx}: ${why}`);
    named.add(idx);
  };
  const t = set.params.t;
  return tally.sums.map((row, c) =>
    row.map(([alpha, beta], o) => {
      const valid = [];
      for (const d of decs) {
        const share = d.shares[c] && d.shares[c][o];
        if (!share) {
          reject(d.index, 'does not cover every sum');
          continue;
        }
        if (share.index !== d.index) {
          reject(d.index, 'share signed by another trustee');
          continue;
        }
        if (!set.shares.has(d.index)) {
          reject(d.index, 'unknown or disqualified trustee');
          continue;
        }
        try {
          memo(`partial ${hex(set.params.context)} ${set.params.n} ${set.params.t} ${hex(set.Y.toBytes())} ${hex(alpha.toBytes())} ${hex(beta.toBytes())} ${share.index} ${hex(share.D.toBytes())} ${hex(share.proof.T1.toBytes())} ${hex(share.proof.T2.toBytes())} ${share.proof.s}`, () => verifyPartial(set, alpha, beta, share));
        } catch (e) {
          reject(d.index, e.message);
          continue;
        }
        if (valid.some((x) => x.index === share.index)) {
          reject(d.index, 'duplicate share');
          continue;
        }
        valid.push(share);
      }
      if (valid.length < t) throw new Error(`contest ${c} option ${o}: ${valid.length} valid shares, below t = ${t}`);
      valid.sort((x, y) => x.index - y.index);
      const S = valid.slice(0, t);
      const idx = S.map((x) => x.index);
      let Mco = beta;
      for (const x of S) Mco = Mco.subtract(mul(x.D, lagrange0(x.index, idx)));
      return Mco;
    }),
  );
}

function resultProblem(m, tally, result, M) {
  if (result.N !== tally.N) return 'the result does not count the tally ballots';
  if (result.contests.length !== m.contests.length) return 'the result does not have the manifest contests';
  for (let c = 0; c < m.contests.length; c++) {
    const mc = m.contests[c], rc = result.contests[c];
    if (rc.id !== mc.id || !kindEqual(rc.kind, mc.kind)) return `contest ${c}: id or kind differs`;
    if (rc.counts.length !== mc.options.length) return `contest ${c}: count per option`;
    const max = tally.N * BigInt(maxPerOption(mc.kind));
    for (let o = 0; o < rc.counts.length; o++) {
      if (rc.counts[o] > max) return `contest ${c}: count above the bound`;
      if (!mul(G, rc.counts[o]).equals(M[c][o])) return `contest ${c} option ${o}: announced count is not the decryption`;
    }
  }
  return null;
}
