// Byte helpers: hex, little-endian integers, concatenation and a strict reader
// implementing the decoding rules of spec/encoding.md §3.

export class DecodeError extends Error {}

const HEX = /^[0-9a-fA-F]*$/;

/** Lowercase hex of bytes. */
export function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

/** Strict hex decoder (spec/json.md §1): even length, hex digits only (either case). */
export function unhex(s) {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !HEX.test(s)) {
    throw new DecodeError(`not hex: ${String(s).slice(0, 20)}`);
  }
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function isHex(s) {
  return s.length % 2 === 0 && HEX.test(s);
}

export const ascii = (s) => new Uint8Array(Buffer.from(s, 'latin1'));

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function le16(x) {
  return new Uint8Array([x & 0xff, (x >>> 8) & 0xff]);
}
export function le32(x) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, Number(x), true);
  return b;
}
export function le64(x) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(x), true);
  return b;
}
/** lp(b) = LE32(|b|) ‖ b */
export const lp = (b) => concat(le32(b.length), b);

export function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise comparison: negative, zero or positive. */
export function compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** A cursor over an encoding; every read checks the remaining length. */
export class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.o = 0;
  }
  get remaining() {
    return this.b.length - this.o;
  }
  take(n) {
    if (n > this.remaining) throw new DecodeError('unexpected end');
    const s = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return s;
  }
  u8() {
    return this.take(1)[0];
  }
  u16() {
    const s = this.take(2);
    return s[0] | (s[1] << 8);
  }
  u32() {
    const s = this.take(4);
    return new DataView(s.buffer, s.byteOffset, 4).getUint32(0, true);
  }
  u64() {
    const s = this.take(8);
    return new DataView(s.buffer, s.byteOffset, 8).getBigUint64(0, true);
  }
  /** A count, checked against the remaining input before any allocation. */
  count(minItem) {
    const n = this.u32();
    if (n * minItem > this.remaining) throw new DecodeError('unexpected end (count)');
    return n;
  }
  /** LE32(length) ‖ bytes */
  lp() {
    const n = this.u32();
    return this.take(n);
  }
  header(tag, version) {
    const t = this.u8();
    if (t !== tag) throw new DecodeError(`wrong object type 0x${t.toString(16)} (expected 0x${tag.toString(16)})`);
    const v = this.u8();
    if (v !== version) throw new DecodeError(`unsupported version ${v} of 0x${tag.toString(16)}`);
  }
  done() {
    if (this.remaining !== 0) throw new DecodeError('trailing bytes');
  }
}

/** Decode a whole input with `fn(reader)`, requiring it to be consumed. */
export function decodeAll(bytes, fn) {
  const r = new Reader(bytes);
  const v = fn(r);
  r.done();
  return v;
}
