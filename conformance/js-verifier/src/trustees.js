// Key generation transcript (E3), trustee sets and partial decryptions (spec/trustees.md).
import { DecodeError, decodeAll, equal } from './bytes.js';
import { G, O, mod, mul, invert, readPoint, readPointNonId, readScalar } from './group.js';
import { newTranscript } from './merlin.js';
import { readSchnorr, readDleq, verifySchnorr, verifyDleq, VerifyError } from './proofs.js';

function readIndex(r) {
  const i = r.u16();
  if (i === 0) throw new DecodeError('participant index 0');
  return i;
}

export function readDkgParameters(r) {
  r.header(0x43, 1);
  const n = r.u16(), t = r.u16();
  const context = r.lp();
  if (n < 1 || n > 1024 || t < 1 || t > n || context.length > 1024) throw new DecodeError('invalid DKG parameters');
  return { n, t, context };
}

function readRound1(r) {
  const start = r.o;
  r.header(0x40, 1);
  const index = readIndex(r);
  const count = r.count(32);
  if (count < 1 || count > 1024) throw new DecodeError('round-1 commitment count');
  const C = [];
  for (let k = 0; k < count; k++) C.push(readPointNonId(r));
  const E = readPointNonId(r);
  const proof = readSchnorr(r);
  return { index, C, E, proof, bytes: r.b.slice(start, r.o) };
}

function readRound2(r) {
  const start = r.o;
  r.header(0x41, 2);
  const dealer = readIndex(r);
  const count = r.count(32);
  const c = [];
  for (let k = 0; k < count; k++) c.push(readScalar(r));
  const sig = readSchnorr(r);
  return { dealer, c, sig, bytes: r.b.slice(start, r.o) };
}

function readComplaint(r) {
  r.header(0x42, 1);
  const accuser = readIndex(r), accused = readIndex(r);
  const K = readPointNonId(r);
  return { accuser, accused, K, proof: readDleq(r) };
}

export function decodeDkgTranscript(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x44, 2);
    const params = readDkgParameters(r);
    const seq = (min, f) => {
      const k = r.count(min);
      const out = [];
      for (let i = 0; i < k; i++) out.push(f(r));
      return out;
    };
    const round1 = seq(2 + 2 + 4 + 32 + 32 + 66, readRound1);
    const round2 = seq(2 + 2 + 4 + 66, readRound2);
    const complaints = seq(2 + 4 + 32 + 98, readComplaint);
    return { params, round1, round2, complaints };
  });
}

function dkgTranscript(p, label) {
  const t = newTranscript(p.context);
  t.msg('dom-sep', label).u64('version', 1).u64('n', p.n).u64('t', p.t);
  return t;
}

/** Σₖ jᵏ·Cₖ */
export function evalCommitments(C, j) {
  let acc = O, x = 1n;
  for (const Ck of C) {
    acc = acc.add(mul(Ck, x));
    x = mod(x * BigInt(j));
  }
  return acc;
}

function pad(p, i, j, Ei, Ej, K) {
  const t = dkgTranscript(p, 'kleroterion/trustees/dkg-share-pad');
  t.u64('dealer', i).u64('recipient', j).point('E_dealer', Ei).point('E_recipient', Ej).point('K', K);
  return t.challenge('pad');
}

/**
 * spec/trustees.md §5.1: verify a DKG transcript and derive the trustee set
 * `{ params, Y, shares: Map(j → Yⱼ) }`; throws VerifyError on any failure.
 */
export function verifyDkg(tr) {
  const { params: p, round1, round2, complaints } = tr;
  const { n, t } = p;
  const r1 = new Map();
  for (const pkg of round1) {
    if (pkg.index > n) throw new VerifyError(`round-1 package of unknown index ${pkg.index}`);
    if (r1.has(pkg.index)) throw new VerifyError(`duplicate round-1 index ${pkg.index}`);
    r1.set(pkg.index, pkg);
  }
  if (r1.size !== n) throw new VerifyError('not one round-1 package per participant');
  for (const pkg of round1) {
    if (pkg.C.length !== t) throw new VerifyError(`dealer ${pkg.index}: ${pkg.C.length} commitments, not t`);
    const tt = dkgTranscript(p, 'kleroterion/trustees/dkg-pop').u64('dealer', pkg.index);
    for (const Ck of pkg.C) tt.point('C', Ck);
    tt.point('E', pkg.E);
    try {
      verifySchnorr(tt, G, pkg.C[0], pkg.proof);
    } catch (e) {
      throw new VerifyError(`dealer ${pkg.index}: proof of possession fails`);
    }
  }
  // Round-2 signatures.
  const prefix = dkgTranscript(p, 'kleroterion/trustees/dkg-round2-signature');
  for (let k = 1; k <= n; k++) prefix.msg('round1', r1.get(k).bytes);
  for (const pkg of round2) {
    if (pkg.dealer > n) throw new VerifyError(`round-2 package of unknown dealer ${pkg.dealer}`);
    const tt = prefix.clone().u64('dealer', pkg.dealer).u64('count', pkg.c.length);
    for (const c of pkg.c) tt.scalar('c', c);
    try {
      verifySchnorr(tt, G, r1.get(pkg.dealer).C[0], pkg.sig);
    } catch (e) {
      throw new VerifyError(`dealer ${pkg.dealer}: round-2 package signature fails`);
    }
  }
  // Well-formed round-2 packages.
  const seen = new Map();
  const bad = new Set();
  for (const pkg of round2) {
    const prev = seen.get(pkg.dealer);
    if (prev && !equal(prev.bytes, pkg.bytes)) bad.add(pkg.dealer);
    if (!prev) seen.set(pkg.dealer, pkg);
    if (pkg.c.length !== n - 1) bad.add(pkg.dealer);
  }
  const wellFormed = (i) => seen.has(i) && !bad.has(i);
  const disq = new Set();
  for (let i = 1; i <= n; i++) if (!wellFormed(i)) disq.add(i);
  for (const cp of complaints) {
    const j = cp.accuser, i = cp.accused;
    if (j > n) throw new VerifyError(`complaint by unknown accuser ${j}`);
    if (j === i || i > n) {
      disq.add(j);
      continue;
    }
    if (!wellFormed(i)) continue;
    const Ej = r1.get(j).E, Ei = r1.get(i).E;
    const tt = dkgTranscript(p, 'kleroterion/trustees/dkg-complaint').u64('accuser', j).u64('accused', i);
    try {
      verifyDleq(tt, G, Ej, Ei, cp.K, cp.proof);
    } catch (e) {
      disq.add(j);
      continue;
    }
    const cij = seen.get(i).c[j < i ? j - 1 : j - 2];
    const s = mod(cij - pad(p, i, j, Ei, Ej, cp.K));
    if (mul(G, s).equals(evalCommitments(r1.get(i).C, j))) disq.add(j);
    else disq.add(i);
  }
  const qual = [];
  for (let i = 1; i <= n; i++) if (!disq.has(i)) qual.push(i);
  if (qual.length < t) throw new VerifyError(`only ${qual.length} qualified trustees, below t = ${t}`);
  const A = [];
  for (let k = 0; k < t; k++) {
    let acc = O;
    for (const i of qual) acc = acc.add(r1.get(i).C[k]);
    A.push(acc);
  }
  if (A[0].is0()) throw new VerifyError('joint key is the identity');
  const shares = new Map();
  for (const j of qual) shares.set(j, evalCommitments(A, j));
  return { params: p, Y: A[0], shares };
}

/** Lagrange coefficient λᵢ,S(0). */
export function lagrange0(i, S) {
  let num = 1n, den = 1n;
  for (const k of S) {
    if (k === i) continue;
    num = mod(num * BigInt(-k));
    den = mod(den * BigInt(i - k));
  }
  return mod(num * invert(den));
}

/** TrusteeSet (0x45), decoded and checked as in spec/trustees.md §5.2 (exact check). */
export function readTrusteeSet(r) {
  const start = r.o;
  r.header(0x45, 1);
  const params = readDkgParameters(r);
  const Y = readPointNonId(r);
  const count = r.count(34);
  const shares = new Map();
  let last = 0;
  for (let k = 0; k < count; k++) {
    const j = readIndex(r);
    if (j <= last || j > params.n) throw new DecodeError('trustee set indices not ascending in 1..=n');
    last = j;
    shares.set(j, readPointNonId(r));
  }
  if (count < params.t) throw new DecodeError('trustee set below threshold');
  // Consistency: every point lies on the polynomial through the first t of (0, Y), (j, Yⱼ).
  const pts = [[0, Y], ...shares];
  const base = pts.slice(0, params.t);
  const xs = base.map(([x]) => x);
  for (const [x, P] of pts.slice(params.t)) {
    let acc = O;
    for (const [xi, Pi] of base) {
      let num = 1n, den = 1n;
      for (const xk of xs) {
        if (xk === xi) continue;
        num = mod(num * BigInt(x - xk));
        den = mod(den * BigInt(xi - xk));
      }
      acc = acc.add(mul(Pi, mod(num * invert(den))));
    }
    if (!acc.equals(P)) throw new DecodeError('trustee set consistency fails');
  }
  return { params, Y, shares, bytes: r.b.slice(start, r.o) };
}

export function readPartialDecryption(r) {
  r.header(0x47, 1);
  const index = readIndex(r);
  const D = readPoint(r);
  return { index, D, proof: readDleq(r) };
}

/** spec/trustees.md §7.1 with §6.1: the DLEQ proof of a partial decryption of (α, β). */
export function verifyPartial(set, alpha, beta, pd) {
  const Yj = set.shares.get(pd.index);
  if (!Yj) throw new VerifyError(`trustee ${pd.index} unknown or disqualified`);
  const p = set.params;
  const t = newTranscript(p.context);
  t.msg('dom-sep', 'kleroterion/trustees/partial-decryption').u64('version', 1).u64('n', p.n).u64('t', p.t);
  t.point('PK', set.Y).point('alpha', alpha).point('beta', beta).u64('trustee', pd.index);
  verifyDleq(t, G, Yj, alpha, pd.D, pd.proof);
}
