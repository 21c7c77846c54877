// merlin 3.0 transcripts over STROBE-128 / Keccak-f[1600], as restated in
// spec/transcript.md §7, and the kleroterion names of §6.
import { keccakP } from '@noble/hashes/sha3.js';
import { ascii, le32, le64 } from './bytes.js';
import { wide, enc, bigToLe32 } from './group.js';

const R = 166;
const FLAG_I = 0x01, FLAG_A = 0x02, FLAG_C = 0x04, FLAG_M = 0x10, FLAG_K = 0x20;

class Strobe128 {
  constructor(label) {
    if (label === undefined) return; // clone
    this.st32 = new Uint32Array(50);
    this.st = new Uint8Array(this.st32.buffer);
    this.st.set([1, R + 2, 1, 0, 1, 96], 0);
    this.st.set(ascii('STROBEv1.0.2'), 6);
    keccakP(this.st32);
    this.pos = 0;
    this.posBegin = 0;
    this.curFlags = 0;
    this.metaAd(label, false);
  }
  clone() {
    const s = new Strobe128();
    s.st32 = new Uint32Array(this.st32);
    s.st = new Uint8Array(s.st32.buffer);
    s.pos = this.pos;
    s.posBegin = this.posBegin;
    s.curFlags = this.curFlags;
    return s;
  }
  runF() {
    this.st[this.pos] ^= this.posBegin;
    this.st[this.pos + 1] ^= 0x04;
    this.st[R + 1] ^= 0x80;
    keccakP(this.st32);
    this.pos = 0;
    this.posBegin = 0;
  }
  absorb(data) {
    for (const b of data) {
      this.st[this.pos] ^= b;
      this.pos += 1;
      if (this.pos === R) this.runF();
    }
  }
  squeeze(n) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.st[this.pos];
      this.st[this.pos] = 0;
      this.pos += 1;
      if (this.pos === R) this.runF();
    }
    return out;
  }
  beginOp(flags, more) {
    if (more) return;
    const old = this.posBegin;
    this.posBegin = this.pos + 1;
    this.curFlags = flags;
    this.absorb([old, flags]);
    if ((flags & (FLAG_C | FLAG_K)) !== 0 && this.pos !== 0) this.runF();
  }
  metaAd(data, more) {
    this.beginOp(FLAG_M | FLAG_A, more);
    this.absorb(data);
  }
  ad(data, more) {
    this.beginOp(FLAG_A, more);
    this.absorb(data);
  }
  prf(n, more) {
    this.beginOp(FLAG_I | FLAG_A | FLAG_C, more);
    return this.squeeze(n);
  }
}

const lab = (l) => (typeof l === 'string' ? ascii(l) : l);

export class Transcript {
  constructor(label) {
    if (label === undefined) return;
    this.s = new Strobe128(ascii('Merlin v1.0'));
    this.msg('dom-sep', lab(label));
  }
  clone() {
    const t = new Transcript();
    t.s = this.s.clone();
    return t;
  }
  msg(label, m) {
    const d = lab(m);
    this.s.metaAd(lab(label), false);
    this.s.metaAd(le32(d.length), true);
    this.s.ad(d, false);
    return this;
  }
  u64(label, v) {
    return this.msg(label, le64(v));
  }
  point(label, P) {
    return this.msg(label, enc(P));
  }
  scalar(label, s) {
    return this.msg(label, bigToLe32(s));
  }
  challengeBytes(label, n) {
    this.s.metaAd(lab(label), false);
    this.s.metaAd(le32(n), true);
    return this.s.prf(n, false);
  }
  /** challenge_scalar: 64 bytes, wide reduction. */
  challenge(label) {
    return wide(this.challengeBytes(label, 64));
  }
  /** domain_sep(label, v) (spec/transcript.md §6). */
  domainSep(label, v) {
    this.msg('dom-sep', label);
    return this.u64('version', v);
  }
}

/** new_transcript(ctx) = Transcript::new("kleroterion") + append_message("context", ctx). */
export function newTranscript(ctx) {
  return new Transcript('kleroterion').msg('context', ctx);
}
