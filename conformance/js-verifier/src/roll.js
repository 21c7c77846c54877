// Roll entries, the SHA3-256 Merkle commitment and inclusion proofs (spec/roll.md).
import { DecodeError, decodeAll, concat, le32, ascii, compare, equal } from './bytes.js';
import { sha3, decodeNonIdentity } from './group.js';

export function validLabel(b) {
  if (b.length < 1 || b.length > 64) return false;
  for (const c of b) if (c < 0x21 || c > 0x7e) return false;
  return true;
}

/** Canonical encoding of an entry {key, attributes: [{label: bytes, value: bytes}]} (sorted). */
export function encodeEntry(e) {
  const parts = [new Uint8Array([0x30, 0x01]), e.key, le32(e.attributes.length)];
  for (const a of e.attributes) parts.push(le32(a.label.length), a.label, le32(a.value.length), a.value);
  return concat(...parts);
}

/** Binary decoder of tag 0x30 (spec/roll.md §2). */
export function decodeEntry(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x30, 1);
    const key = r.take(32).slice();
    decodeNonIdentity(key);
    const m = r.count(8);
    if (m > 16) throw new DecodeError('more than 16 attributes');
    const attributes = [];
    for (let i = 0; i < m; i++) {
      const label = r.lp().slice();
      const value = r.lp().slice();
      if (!validLabel(label)) throw new DecodeError('invalid attribute label');
      if (value.length > 255) throw new DecodeError('attribute value longer than 255 bytes');
      if (attributes.length && compare(attributes[attributes.length - 1].label, label) >= 0) throw new DecodeError('attributes not strictly ascending');
      attributes.push({ label, value });
    }
    return { key, attributes };
  });
}

const LEAF = ascii('kleroterion/roll/leaf/v1');
export const leafHash = (entryBytes) => sha3(new Uint8Array([0]), LEAF, entryBytes);
export const nodeHash = (l, r) => sha3(new Uint8Array([1]), l, r);

/** Streaming Merkle Tree Hash (spec/roll.md §3.1). */
export class MerkleStream {
  constructor() {
    this.stack = [];
    this.count = 0;
  }
  push(leaf) {
    let node = { h: leaf, size: 1 };
    while (this.stack.length && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop();
      node = { h: nodeHash(left.h, node.h), size: left.size * 2 };
    }
    this.stack.push(node);
    this.count++;
  }
  root() {
    if (!this.stack.length) return null;
    let acc = this.stack[this.stack.length - 1].h;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash(this.stack[i].h, acc);
    return acc;
  }
}

function pathLength(i, n) {
  // Depth of leaf i in the RFC 9162 shape of n leaves.
  let d = 0;
  let lo = 0n, hi = n;
  while (hi - lo > 1n) {
    let k = 1n;
    while (k * 2n < hi - lo) k *= 2n;
    if (i < lo + k) hi = lo + k;
    else lo += k;
    d++;
  }
  return d;
}

/** Verification of spec/roll.md §4; throws a string reason or returns. */
export function verifyInclusion(entryBytes, proof, root, size) {
  const { index: i, size: n, path } = proof;
  if (n !== size || i >= n) return 'malformed inclusion proof (index or size)';
  if (path.length !== pathLength(i, n)) return 'malformed inclusion proof (path length)';
  let fn = i, sn = n - 1n;
  let r = leafHash(entryBytes);
  for (const p of path) {
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while (!((fn & 1n) === 1n || fn === 0n)) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else r = nodeHash(r, p);
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n || !equal(r, root)) return 'Merkle inclusion fails';
  return null;
}
