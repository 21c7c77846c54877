// Anonymity sets and one-of-many membership proofs with linking tags (spec/credential.md §3–§4).
import { DecodeError, decodeAll, le32, ascii, compare } from './bytes.js';
import { G, O, mod, mul, sha3, hashToGroup, readPoint, readPointNonId, readScalar, decodeNonIdentity } from './group.js';
import { newTranscript } from './merlin.js';
import { VerifyError } from './proofs.js';

/** AnonymitySet (0x52): keys strictly ascending by encoding. */
export function decodeAnonymitySet(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x52, 1);
    const N = r.count(32);
    if (N < 1 || N > 65536) throw new DecodeError('anonymity set size out of range');
    const keys = [];
    for (let i = 0; i < N; i++) {
      const e = r.take(32);
      if (keys.length && compare(keys[keys.length - 1].e, e) >= 0) throw new DecodeError('anonymity set not strictly ascending');
      keys.push({ e: e.slice(), P: decodeNonIdentity(e) });
    }
    return keys;
  });
}

export function decodeMembershipProof(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x50, 1);
    const m = r.u8();
    if (m < 1 || m > 16) throw new DecodeError('membership proof depth out of range');
    const T = readPointNonId(r);
    const [A, B, C, D] = [readPoint(r), readPoint(r), readPoint(r), readPoint(r)];
    const Gk = [], Qk = [], f = [];
    for (let k = 0; k < m; k++) Gk.push(readPoint(r));
    for (let k = 0; k < m; k++) Qk.push(readPoint(r));
    for (let k = 0; k < m; k++) f.push(readScalar(r));
    return { m, T, A, B, C, D, Gk, Qk, f, zA: readScalar(r), zC: readScalar(r), z: readScalar(r) };
  });
}

const hCache = new Map();
function hGen(j, i) {
  const k = `${j},${i}`;
  if (!hCache.has(k)) hCache.set(k, hashToGroup(new Uint8Array([j, i]), 'kleroterion/v1/credential-h'));
  return hCache.get(k);
}

export const tagBase = (context) => hashToGroup(context, 'kleroterion/v1/credential-tag');

/** §4.4 verification of a membership proof over `keys` with context and message. */
export function verifyMembership(keys, context, message, p) {
  const N = keys.length;
  let m = 1;
  while (1 << m < N) m++;
  if (p.m !== m) throw new VerifyError('membership proof depth differs from the set');
  const Hctx = tagBase(context);
  const cset = sha3(ascii('kleroterion/v1/credential-set'), le32(N), ...keys.map((k) => k.e));
  const t = newTranscript(context);
  t.msg('dom-sep', 'kleroterion/credential/membership').u64('version', 1);
  t.msg('set', cset).u64('N', N).u64('m', m).point('H-ctx', Hctx).point('T', p.T).msg('message', message);
  t.point('A', p.A).point('B', p.B).point('C', p.C).point('D', p.D);
  for (const P of p.Gk) t.point('G', P);
  for (const P of p.Qk) t.point('Q', P);
  const x = t.challenge('x');
  if (x === 0n) throw new VerifyError('zero challenge');
  const f = p.f.map((f1) => [mod(x - f1), f1]);
  const xp = [1n];
  for (let k = 1; k <= m; k++) xp.push(mod(xp[k - 1] * x));
  // (1)
  let e1 = O;
  const Np = 1 << m;
  for (let i = 0; i < Np; i++) {
    let pi = 1n;
    for (let j = 0; j < m; j++) pi = mod(pi * f[j][(i >> j) & 1]);
    e1 = e1.add(mul(keys[Math.min(i, N - 1)].P, pi));
  }
  for (let k = 0; k < m; k++) e1 = e1.subtract(mul(p.Gk[k], xp[k]));
  e1 = e1.subtract(mul(G, p.z));
  // (2)
  let e2 = mul(p.T, xp[m]);
  for (let k = 0; k < m; k++) e2 = e2.subtract(mul(p.Qk[k], xp[k]));
  e2 = e2.subtract(mul(Hctx, p.z));
  // (3), (4)
  let e3 = p.A.add(mul(p.B, x)).subtract(mul(G, p.zA));
  let e4 = p.D.add(mul(p.C, x)).subtract(mul(G, p.zC));
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < 2; i++) {
      const H = hGen(j, i);
      e3 = e3.subtract(mul(H, f[j][i]));
      e4 = e4.subtract(mul(H, mod(f[j][i] * (x - f[j][i]))));
    }
  }
  if (!e1.is0() || !e2.is0() || !e3.is0() || !e4.is0()) throw new VerifyError('membership proof fails');
}
