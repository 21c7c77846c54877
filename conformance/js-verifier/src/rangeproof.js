// The score proof of a score contest: the link proof (spec/ballot.md §3.3) and the
// bulletproofs 5 aggregated range proof (spec/rangeproof.md), verified without that crate.
import { shake256, sha3_512 } from '@noble/hashes/sha3.js';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';
import { DecodeError, concat, le32, ascii } from './bytes.js';
import { G, mod, mul, invert, enc, decodePoint, readPoint, readScalar, decodeScalar } from './group.js';
import { VerifyError } from './proofs.js';

const derive = (b64) => ristretto255_hasher.deriveToCurve(b64);

/** B̃ = derive(SHA3-512(Enc(B))) (spec/rangeproof.md §2). */
export const Btilde = derive(sha3_512(enc(G)));

const chains = new Map();
/** The first `count` points of chain(label) (spec/rangeproof.md §2). */
export function generators(label, count) {
  const key = Buffer.from(label).toString('hex');
  let pts = chains.get(key);
  if (!pts || pts.length < count) {
    const x = shake256.create({}).update(concat(ascii('GeneratorsChain'), label));
    pts = [];
    for (let i = 0; i < count; i++) pts.push(derive(x.xof(64)));
    chains.set(key, pts);
  }
  return pts.slice(0, count);
}
export const gensG = (j, n) => generators(concat(ascii('G'), le32(j)), n);
export const gensH = (j, n) => generators(concat(ascii('H'), le32(j)), n);

export const bitSize = (S) => (S < 2 ** 8 ? 8 : S < 2 ** 16 ? 16 : 32);

/** Parse RangeProof::from_bytes (spec/rangeproof.md §3). */
export function parseRangeProof(b) {
  if (b.length % 32 !== 0 || b.length < 7 * 32) throw new DecodeError('range proof: not 32-byte words or too short');
  const words = [];
  for (let i = 0; i < b.length; i += 32) words.push(b.subarray(i, i + 32));
  const w2 = words.length - 7;
  if (w2 < 2 || (w2 - 2) % 2 !== 0 || (w2 - 2) / 2 >= 32) throw new DecodeError('range proof: word count');
  const k = (w2 - 2) / 2;
  const sc = (w) => decodeScalar(w);
  const L = [], R = [];
  for (let r = 0; r < k; r++) {
    L.push(words[7 + 2 * r]);
    R.push(words[8 + 2 * r]);
  }
  return {
    A: words[0], S: words[1], T1: words[2], T2: words[3],
    tx: sc(words[4]), txBlind: sc(words[5]), eBlind: sc(words[6]), L, R,
    a: sc(words[words.length - 2]), b: sc(words[words.length - 1]),
  };
}

/** A score proof (tag 0x63) read from `r` (spec/ballot.md §3.3). */
export function readScoreProof(r) {
  r.header(0x63, 1);
  const C = readPoint(r);
  const TC = readPoint(r), Ta = readPoint(r), Tb = readPoint(r);
  const zv = readScalar(r), zg = readScalar(r), zr = readScalar(r);
  const len = r.u32();
  const bytes = r.take(len);
  return { C, Cbytes: enc(C), TC, Ta, Tb, zv, zg, zr, range: parseRangeProof(bytes) };
}

const isZeroWord = (w) => w.every((x) => x === 0);
function wordPoint(w, what) {
  try {
    return decodePoint(w);
  } catch {
    throw new VerifyError(`range proof: ${what} does not decode`);
  }
}

/** Verify a score proof for ciphertext (α, β) with maximum S on the option's transcript `t`. */
export function verifyScoreProof(t, PK, S, alpha, beta, p) {
  // Link (spec/ballot.md §3.3 item 1).
  t.domainSep('kleroterion/score-link', 1);
  t.point('B', G).point('B~', Btilde).point('PK', PK).u64('max', S).point('alpha', alpha).point('beta', beta);
  t.msg('C', p.Cbytes).point('T_C', p.TC).point('T_alpha', p.Ta).point('T_beta', p.Tb);
  const c = t.challenge('c');
  const ok1 = mul(G, p.zv).add(mul(Btilde, p.zg)).equals(p.TC.add(mul(p.C, c)));
  const ok2 = mul(G, p.zr).equals(p.Ta.add(mul(alpha, c)));
  const ok3 = mul(G, p.zv).add(mul(PK, p.zr)).equals(p.Tb.add(mul(beta, c)));
  if (!ok1 || !ok2 || !ok3) throw new VerifyError('score link proof fails');
  verifyRange(t, S, p.C, p.range);
}

/** spec/rangeproof.md §4–§5 on the transcript left by the link proof. */
export function verifyRange(t, S, C, rp) {
  const n = bitSize(S), m = 2, N = n * m;
  const V0 = C, V1 = mul(G, BigInt(S)).subtract(C);
  t.msg('dom-sep', 'rangeproof v1').u64('n', n).u64('m', m).point('V', V0).point('V', V1);
  for (const [w, l] of [[rp.A, 'A'], [rp.S, 'S']]) {
    if (isZeroWord(w)) throw new VerifyError(`range proof: ${l} is the identity`);
    t.msg(l, w);
  }
  const y = t.challenge('y');
  const z = t.challenge('z');
  for (const [w, l] of [[rp.T1, 'T_1'], [rp.T2, 'T_2']]) {
    if (isZeroWord(w)) throw new VerifyError(`range proof: ${l} is the identity`);
    t.msg(l, w);
  }
  const x = t.challenge('x');
  t.scalar('t_x', rp.tx).scalar('t_x_blinding', rp.txBlind).scalar('e_blinding', rp.eBlind);
  const w = t.challenge('w');
  const k = rp.L.length;
  if (k >= 32 || N !== 2 ** k) throw new VerifyError('range proof: wrong number of inner-product rounds');
  t.msg('dom-sep', 'ipp v1').u64('n', N);
  const u = [];
  for (let r = 0; r < k; r++) {
    if (isZeroWord(rp.L[r]) || isZeroWord(rp.R[r])) throw new VerifyError('range proof: L or R is the identity');
    t.msg('L', rp.L[r]).msg('R', rp.R[r]);
    u.push(t.challenge('u'));
  }
  const A = wordPoint(rp.A, 'A'), Sp = wordPoint(rp.S, 'S'), T1 = wordPoint(rp.T1, 'T_1'), T2 = wordPoint(rp.T2, 'T_2');
  const Ls = rp.L.map((x2) => wordPoint(x2, 'L')), Rs = rp.R.map((x2) => wordPoint(x2, 'R'));
  // δ(y, z)
  let sumY = 0n, yi = 1n;
  const yPow = [];
  for (let i = 0; i < N; i++) {
    yPow.push(yi);
    sumY = mod(sumY + yi);
    yi = mod(yi * y);
  }
  const z2 = mod(z * z), z3 = mod(z2 * z);
  const sum2 = (1n << BigInt(n)) - 1n;
  const sumZ = mod(1n + z);
  const delta = mod((z - z2) * sumY - z3 * sum2 * sumZ);
  // (1)
  const lhs1 = mul(G, rp.tx).add(mul(Btilde, rp.txBlind));
  const rhs1 = mul(V0, z2).add(mul(V1, mod(z2 * z))).add(mul(G, delta)).add(mul(T1, x)).add(mul(T2, mod(x * x)));
  if (!lhs1.equals(rhs1)) throw new VerifyError('range proof: equation (1) fails');
  // s_i
  const uInv = u.map((v) => invert(v));
  const s = [];
  for (let i = 0; i < N; i++) {
    let si = 1n;
    for (let r = 0; r < k; r++) si = mod(si * (((i >> (k - 1 - r)) & 1) === 1 ? u[r] : uInv[r]));
    s.push(si);
  }
  const yInv = invert(y);
  let acc = A.add(mul(Sp, x)).subtract(mul(Btilde, rp.eBlind)).add(mul(G, mod(w * (rp.tx - rp.a * rp.b))));
  for (let r = 0; r < k; r++) acc = acc.add(mul(Ls[r], mod(u[r] * u[r]))).add(mul(Rs[r], mod(uInv[r] * uInv[r])));
  const Gv = [...gensG(0, n), ...gensG(1, n)], Hv = [...gensH(0, n), ...gensH(1, n)];
  let yInvI = 1n;
  for (let i = 0; i < N; i++) {
    acc = acc.add(mul(Gv[i], mod(-z - rp.a * s[i])));
    const zj = Math.floor(i / n) === 0 ? 1n : z;
    const two = 1n << BigInt(i % n);
    acc = acc.add(mul(Hv[i], mod(z + yInvI * (z2 * zj * two - rp.b * s[N - 1 - i]))));
    yInvI = mod(yInvI * yInv);
  }
  if (!acc.is0()) throw new VerifyError('range proof: equation (2) fails');
}
