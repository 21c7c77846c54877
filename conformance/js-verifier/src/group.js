// ristretto255 (RFC 9496), scalars mod ℓ, hash to group (spec/encoding.md §5), SHA3.
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { DecodeError, concat, ascii, le32 } from './bytes.js';

export const Point = ristretto255.Point;
export const G = Point.BASE;
export const O = Point.ZERO;
export const L = Point.Fn.ORDER;

export const mod = (x) => ((x % L) + L) % L;

export function invert(x) {
  return Point.Fn.inv(mod(x));
}

export function leToBig(b) {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

export function bigToLe32(x) {
  const out = new Uint8Array(32);
  let v = x;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Canonical scalar (spec/encoding.md §1). */
export function decodeScalar(b) {
  if (b.length !== 32) throw new DecodeError('invalid scalar length');
  const x = leToBig(b);
  if (x >= L) throw new DecodeError('non-canonical scalar');
  return x;
}

/** 64 bytes, little-endian, reduced mod ℓ (from_bytes_mod_order_wide). */
export const wide = (b) => leToBig(b) % L;

/** RFC 9496 §4.3.1 decoding (rejects non-canonical encodings). */
export function decodePoint(b) {
  if (b.length !== 32) throw new DecodeError('invalid point length');
  let P;
  try {
    P = Point.fromBytes(b);
  } catch (e) {
    throw new DecodeError('invalid point');
  }
  return P;
}

export function decodeNonIdentity(b) {
  const P = decodePoint(b);
  if (P.is0()) throw new DecodeError('identity point');
  return P;
}

export const enc = (P) => P.toBytes();

/** k·P for any scalar k (0 allowed). */
export function mul(P, k) {
  const s = mod(k);
  if (s === 0n || P.is0()) return O;
  return P.multiplyUnsafe(s);
}

/** Σ kᵢ·Pᵢ */
export function msm(terms) {
  let acc = O;
  for (const [k, P] of terms) acc = acc.add(mul(P, k));
  return acc;
}

export const sha3 = (...parts) => sha3_256(concat(...parts));

/** H_D(x) = SHA3-256(LE32(|D|) ‖ D ‖ x) (spec/ballot.md notation). */
export function hd(domain, ...parts) {
  const d = ascii(domain);
  return sha3(le32(d.length), d, ...parts);
}

/** hash_to_ristretto255(msg, DST), RFC 9380 suite ristretto255_XMD:SHA-512_R255MAP_RO_. */
export function hashToGroup(msg, dst) {
  return ristretto255_hasher.hashToCurve(msg, { DST: dst });
}

export function readPoint(r) {
  return decodePoint(r.take(32));
}
export function readPointNonId(r) {
  return decodeNonIdentity(r.take(32));
}
export function readScalar(r) {
  return decodeScalar(r.take(32));
}
