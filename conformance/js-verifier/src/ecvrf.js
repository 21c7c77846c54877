// ECVRF-EDWARDS25519-SHA512-TAI verification (spec/beacon.md §1; RFC 9381). Not used by
// records; checked against test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { DecodeError, concat, equal } from './bytes.js';
import { L, leToBig } from './group.js';
import { VerifyError } from './proofs.js';

const EP = ed25519.Point;

/** string_to_point (§1.4): RFC 8032 §5.1.3, all four steps (decode, then re-encode exactly). */
export function stringToPoint(S) {
  if (S.length !== 32) throw new DecodeError('invalid point length');
  let P;
  try {
    P = EP.fromBytes(S, false);
  } catch {
    throw new DecodeError('invalid point');
  }
  if (!equal(P.toBytes(), S)) throw new DecodeError('non-canonical point');
  return P;
}

const mulAny = (P, k) => (k % L === 0n ? EP.ZERO : P.multiplyUnsafe(k % L));

/** Public key validation (§1.6). */
export function validateKey(pk) {
  const Y = stringToPoint(pk);
  if (Y.clearCofactor().is0()) throw new VerifyError('small-order public key');
  return Y;
}

/** encode_to_curve, try-and-increment (§1.7). */
export function encodeToCurve(pk, alpha) {
  for (let ctr = 0; ctr < 256; ctr++) {
    const hash = sha512(concat(new Uint8Array([3, 1]), pk, alpha, new Uint8Array([ctr, 0])));
    let P;
    try {
      P = stringToPoint(hash.subarray(0, 32));
    } catch {
      continue;
    }
    const H = P.clearCofactor();
    if (!H.is0()) return { H, ctr };
  }
  throw new VerifyError('encode_to_curve found no point');
}

const challenge = (...pts) => leToBig(sha512(concat(new Uint8Array([3, 2]), ...pts, new Uint8Array([0]))).subarray(0, 16));

/** Verify (§1.10); returns beta_string. */
export function verify(pk, alpha, pi) {
  const Y = validateKey(pk);
  if (pi.length !== 80) throw new DecodeError('invalid proof length');
  const Gamma = stringToPoint(pi.subarray(0, 32));
  const c = leToBig(pi.subarray(32, 48));
  const s = leToBig(pi.subarray(48, 80));
  if (s >= L) throw new DecodeError('non-canonical scalar');
  const { H } = encodeToCurve(pk, alpha);
  const U = mulAny(EP.BASE, s).subtract(mulAny(Y, c));
  const V = mulAny(H, s).subtract(mulAny(Gamma, c));
  if (challenge(pk, H.toBytes(), Gamma.toBytes(), U.toBytes(), V.toBytes()) !== c) throw new VerifyError('ECVRF proof fails');
  return sha512(concat(new Uint8Array([3, 3]), Gamma.clearCofactor().toBytes(), new Uint8Array([0])));
}
