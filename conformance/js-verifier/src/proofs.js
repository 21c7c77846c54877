// Schnorr, DLEQ and CDS disjunctive proofs (spec/proofs.md), verified one by one
// (the batch of §6 accepts exactly the same proofs except with probability 2⁻¹²⁸).
import { DecodeError, decodeAll } from './bytes.js';
import { G, O, mod, mul, readPoint, readScalar } from './group.js';

export class VerifyError extends Error {}

export function readSchnorr(r) {
  r.header(0x01, 1);
  return { R: readPoint(r), s: readScalar(r) };
}
export function readDleq(r) {
  r.header(0x02, 1);
  return { T1: readPoint(r), T2: readPoint(r), s: readScalar(r) };
}
export function readDisjunctive(r) {
  r.header(0x03, 1);
  const n = r.u32();
  if (n === 0) throw new DecodeError('disjunctive proof with no branch');
  if (128 * n - 32 > r.remaining) throw new DecodeError('unexpected end (branches)');
  const A = [], B = [], c = [], s = [];
  for (let j = 0; j < n; j++) {
    A.push(readPoint(r));
    B.push(readPoint(r));
  }
  for (let j = 0; j < n - 1; j++) c.push(readScalar(r));
  for (let j = 0; j < n; j++) s.push(readScalar(r));
  return { n, A, B, c, s };
}
export const decodeSchnorr = (b) => decodeAll(b, readSchnorr);
export const decodeDleq = (b) => decodeAll(b, readDleq);
export const decodeDisjunctive = (b) => decodeAll(b, readDisjunctive);

const isZero = (P) => P.is0();

/** spec/proofs.md §3.3; `t` is the caller's transcript (context and caller data appended). */
export function verifySchnorr(t, B, X, p) {
  if (B.is0() || X.is0()) throw new VerifyError('Schnorr: identity point');
  t.domainSep('kleroterion/schnorr', 1);
  t.point('B', B).point('X', X).point('R', p.R);
  const c = t.challenge('c');
  if (!isZero(mul(B, p.s).subtract(p.R).subtract(mul(X, c)))) throw new VerifyError('Schnorr proof fails');
}

/** spec/proofs.md §4.3 */
export function verifyDleq(t, Gp, A, H, B, p) {
  if (Gp.is0() || A.is0()) throw new VerifyError('DLEQ: identity point');
  t.domainSep('kleroterion/dleq', 1);
  t.point('G', Gp).point('A', A).point('H', H).point('B', B).point('T1', p.T1).point('T2', p.T2);
  const c = t.challenge('c');
  const e1 = mul(Gp, p.s).subtract(p.T1).subtract(mul(A, c));
  const e2 = mul(H, p.s).subtract(p.T2).subtract(mul(B, c));
  if (!isZero(e1) || !isZero(e2)) throw new VerifyError('DLEQ proof fails');
}

/** The equations of §5.4 for a ciphertext (α, β) under PK, allowed values m, challenge c. */
export function checkDisjunctiveEquations(PK, alpha, beta, allowed, p, c) {
  if (p.n !== allowed.length) throw new VerifyError('disjunctive: branch count mismatch');
  if (PK.is0() || alpha.is0()) throw new VerifyError('disjunctive: identity point');
  const cs = [...p.c];
  let sum = 0n;
  for (const cj of cs) sum += cj;
  cs.push(mod(c - sum));
  for (let j = 0; j < p.n; j++) {
    const e1 = mul(G, p.s[j]).subtract(p.A[j]).subtract(mul(alpha, cs[j]));
    const e2 = mul(PK, p.s[j]).subtract(p.B[j]).subtract(mul(beta, cs[j])).add(mul(G, cs[j] * BigInt(allowed[j])));
    if (!isZero(e1) || !isZero(e2)) throw new VerifyError(`disjunctive branch ${j} fails`);
  }
}

/** A self-contained disjunctive proof (§5.1). */
export function verifyDisjunctive(t, PK, alpha, beta, allowed, p) {
  if (p.n !== allowed.length) throw new VerifyError('disjunctive: branch count mismatch');
  t.domainSep('kleroterion/disjunctive', 1);
  t.point('PK', PK).point('alpha', alpha).point('beta', beta).u64('n', allowed.length);
  for (const m of allowed) t.u64('m', m);
  appendCommitments(t, p);
  checkDisjunctiveEquations(PK, alpha, beta, allowed, p, t.challenge('c'));
}

/** The complement statement (§5.5): (α, β) = (O, total·G) − Σ parts. */
export function complement(total, parts) {
  let a = O, b = mul(G, BigInt(total));
  for (const [ai, bi] of parts) {
    a = a.subtract(ai);
    b = b.subtract(bi);
  }
  return [a, b];
}

export function verifyComplement(t, PK, total, parts, allowed, p) {
  if (parts.length === 0) throw new VerifyError('complement with no parts');
  if (p.n !== allowed.length) throw new VerifyError('disjunctive: branch count mismatch');
  t.domainSep('kleroterion/disjunctive', 1);
  t.point('PK', PK).u64('complement-total', total).u64('parts', parts.length);
  for (const [a, b] of parts) t.point('alpha', a).point('beta', b);
  t.u64('n', allowed.length);
  for (const m of allowed) t.u64('m', m);
  appendCommitments(t, p);
  const [a, b] = complement(total, parts);
  checkDisjunctiveEquations(PK, a, b, allowed, p, t.challenge('c'));
}

export function appendCommitments(t, p) {
  for (let j = 0; j < p.n; j++) t.point('A', p.A[j]).point('B', p.B[j]);
}
