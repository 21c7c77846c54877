// Manifests, encrypted and challenged ballots, tallies and results (spec/ballot.md,
// spec/tally.md §6).
import { DecodeError, decodeAll, concat, le32 } from './bytes.js';
import { G, O, mul, hd, readPoint, readScalar } from './group.js';
import { newTranscript } from './merlin.js';
import { readScoreProof, verifyScoreProof } from './rangeproof.js';
import { readDisjunctive, checkDisjunctiveEquations, appendCommitments, complement, VerifyError } from './proofs.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
function readText(r, max) {
  const b = r.lp();
  if (max !== undefined && (b.length < 1 || b.length > max)) throw new DecodeError('text length out of range');
  try {
    return { text: utf8.decode(b), bytes: b };
  } catch {
    throw new DecodeError('not UTF-8');
  }
}

function readKind(r) {
  const code = r.u8();
  if (code === 0 || code === 1) return { code, param: 1 };
  if (code === 2 || code === 3) return { code, param: r.u32() };
  throw new DecodeError(`unknown contest kind ${code}`);
}
const kindEqual = (a, b) => a.code === b.code && a.param === b.param;
export const maxPerOption = (k) => (k.code === 3 ? k.param : 1);
export const exactlyOne = (k) => k.code === 0 || k.code === 1;

/** spec/ballot.md §1.3 with the validation of §1.2. */
export function decodeManifest(bytes) {
  const m = decodeAll(bytes, (r) => {
    r.header(0x60, 1);
    const eid = readText(r, 128);
    const n = r.count(4 + 1 + 4);
    if (n < 1 || n > 64) throw new DecodeError('contest count out of range');
    const contests = [];
    for (let i = 0; i < n; i++) {
      const id = readText(r, 128);
      const kind = readKind(r);
      const k = r.count(4);
      if (k < 1 || k > 256) throw new DecodeError('option count out of range');
      const options = [];
      for (let o = 0; o < k; o++) options.push(readText(r, 128).text);
      if (new Set(options).size !== k) throw new DecodeError('repeated option label');
      if (kind.code === 0 && options.join(',') !== 'yes,no,abstain') throw new DecodeError('motion options');
      if (kind.code === 1 && k < 2) throw new DecodeError('1-of-n with one option');
      if (kind.code === 2 && (kind.param < 1 || kind.param > k)) throw new DecodeError('approval limit');
      if (kind.code === 3 && kind.param < 1) throw new DecodeError('score maximum');
      contests.push({ id: id.text, idBytes: id.bytes, kind, options });
    }
    if (new Set(contests.map((c) => c.id)).size !== n) throw new DecodeError('repeated contest id');
    return { eid: eid.bytes, contests };
  });
  m.hash = hd('kleroterion/v1/manifest', bytes);
  return m;
}

function readCiphertext(r) {
  r.header(0x10, 1);
  return [readPoint(r), readPoint(r)];
}

/** An encrypted ballot (spec/ballot.md §2.3), read from `r`. */
export function readBallot(r) {
  const start = r.o;
  r.header(0x61, 1);
  const id = r.take(32);
  const n = r.count(2 + 4 + 4 + 1);
  const contests = [];
  for (let i = 0; i < n; i++) {
    r.header(0x62, 1);
    const cid = readText(r);
    const t = r.count(66);
    const cts = [];
    for (let o = 0; o < t; o++) cts.push(readCiphertext(r));
    const pk = r.u8();
    const proofs = [];
    if (pk === 0 || pk === 2) {
      const count = t + 1;
      if (count * 102 > r.remaining) throw new DecodeError('unexpected end (proofs)');
      for (let k = 0; k < count; k++) proofs.push(readDisjunctive(r));
    } else if (pk === 1) {
      if (t * 230 > r.remaining) throw new DecodeError('unexpected end (proofs)');
      for (let k = 0; k < t; k++) proofs.push(readScoreProof(r));
    } else throw new DecodeError(`proof kind ${pk}`);
    // Proof kind 2 derives the last ciphertext (complement with total 1).
    const all = pk === 2 ? [...cts, complement(1, cts)] : cts;
    contests.push({ id: cid.text, t, cts, all, proofKind: pk, proofs });
  }
  return { id, contests, bytes: r.b.slice(start, r.o) };
}

export function decodeBallot(bytes) {
  const b = decodeAll(bytes, readBallot);
  b.hash = ballotHash(bytes);
  return b;
}
export const ballotHash = (bytes) => hd('kleroterion/v1/ballot', bytes);

/** spec/ballot.md §6.1: verify a ballot under manifest `m` and joint key `PK`. */
export function verifyBallot(m, PK, b) {
  if (b.contests.length !== m.contests.length) throw new VerifyError('contest count differs from the manifest');
  m.contests.forEach((mc, i) => {
    const c = b.contests[i];
    if (c.id !== mc.id) throw new VerifyError(`contest ${i}: id differs from the manifest`);
    const k = mc.options.length;
    const t = exactlyOne(mc.kind) ? k - 1 : k;
    if (c.cts.length !== t) throw new VerifyError(`contest ${i}: ciphertext count`);
    const all = exactlyOne(mc.kind) ? [...c.cts, complement(1, c.cts)] : c.cts;
    for (const [a] of all) if (a.is0()) throw new VerifyError(`contest ${i}: identity alpha`);
    const expectKind = mc.kind.code === 2 ? 0 : mc.kind.code === 3 ? 1 : 2;
    if (c.proofKind !== expectKind) throw new VerifyError(`contest ${i}: proof kind`);
    // Contest transcript (§3.1).
    const ctx = concat(m.hash, le32(m.eid.length), m.eid, le32(mc.idBytes.length), mc.idBytes);
    const tr = newTranscript(ctx).domainSep('kleroterion/ballot-contest', 2);
    tr.u64('contest-index', i).u64('kind', mc.kind.code).u64('param', mc.kind.param).point('PK', PK);
    tr.msg('ballot-id', b.id).u64('options', t);
    for (const [a, bb] of c.cts) tr.point('alpha', a).point('beta', bb);
    if (mc.kind.code === 3) {
      if (c.proofs.length !== k) throw new VerifyError(`contest ${i}: proof count`);
      c.cts.forEach(([a, bb], o) => {
        const to = tr.clone().msg('part', 'option').u64('index', o);
        verifyScoreProof(to, PK, mc.kind.param, a, bb, c.proofs[o]);
      });
      return;
    }
    const stmts = all.map(([a, bb]) => [a, bb, [0, 1]]);
    if (mc.kind.code === 2) {
      let sa = O, sb = O;
      for (const [a, bb] of c.cts) {
        sa = sa.add(a);
        sb = sb.add(bb);
      }
      stmts.push([sa, sb, Array.from({ length: mc.kind.param + 1 }, (_, v) => v)]);
    }
    if (c.proofs.length !== stmts.length) throw new VerifyError(`contest ${i}: proof count`);
    for (const p of c.proofs) appendCommitments(tr, p);
    const ch = tr.challenge('c');
    stmts.forEach(([a, bb, allowed], k) => checkDisjunctiveEquations(PK, a, bb, allowed, c.proofs[k], ch));
  });
}

/** Challenged ballot (§5.2). */
export function decodeChallenged(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x64, 1);
    const ballot = readBallot(r);
    ballot.hash = ballotHash(ballot.bytes);
    const n = r.count(4);
    const openings = [];
    for (let i = 0; i < n; i++) {
      const k = r.count(40);
      const vals = [];
      for (let o = 0; o < k; o++) vals.push([r.u64(), readScalar(r)]);
      openings.push(vals);
    }
    return { ballot, openings };
  });
}

/** §5.2 opening verification (after verifyBallot). */
export function verifyOpening(m, PK, cb) {
  if (cb.openings.length !== m.contests.length) throw new VerifyError('opening: contest count');
  m.contests.forEach((mc, i) => {
    const vals = cb.openings[i];
    const k = mc.options.length;
    if (vals.length !== k) throw new VerifyError(`opening: contest ${i} value count`);
    const max = BigInt(maxPerOption(mc.kind));
    let sum = 0n;
    for (const [v] of vals) {
      if (v > max) throw new VerifyError(`opening: contest ${i} value above maximum`);
      sum += v;
    }
    if (exactlyOne(mc.kind) && sum !== 1n) throw new VerifyError(`opening: contest ${i} does not select exactly one`);
    if (mc.kind.code === 2 && sum > BigInt(mc.kind.param)) throw new VerifyError(`opening: contest ${i} above the limit`);
    const c = cb.ballot.contests[i];
    const all = exactlyOne(mc.kind) ? [...c.cts, complement(1, c.cts)] : c.cts;
    if (all.length !== k) throw new VerifyError(`opening: contest ${i} ciphertext count`);
    all.forEach(([a, b], o) => {
      const [v, rr] = vals[o];
      if (!mul(G, rr).equals(a) || !mul(G, v).add(mul(PK, rr)).equals(b)) throw new VerifyError(`opening: contest ${i} option ${o} does not open`);
    });
  });
}

/** Tally accumulator (tally.md §6). */
export function decodeTally(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x65, 1);
    const manifestHash = r.take(32);
    const N = r.u64();
    const n = r.count(4);
    const sums = [];
    for (let i = 0; i < n; i++) {
      const k = r.count(66);
      const row = [];
      for (let o = 0; o < k; o++) row.push(readCiphertext(r));
      sums.push(row);
    }
    return { manifestHash, N, sums };
  });
}

/** Tally result (tally.md §6). */
export function decodeResult(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x66, 1);
    const manifestHash = r.take(32);
    const N = r.u64();
    const n = r.count(4 + 1 + 4);
    const contests = [];
    for (let i = 0; i < n; i++) {
      const id = readText(r);
      const kind = readKind(r);
      const k = r.count(8);
      const counts = [];
      for (let o = 0; o < k; o++) counts.push(r.u64());
      contests.push({ id: id.text, kind, counts });
    }
    return { manifestHash, N, contests };
  });
}

export { kindEqual };
