// The threshold beacon record and its verification (spec/beacon.md §2): check B1.
import { DecodeError, decodeAll, concat, le64, le32, ascii, compare, equal } from './bytes.js';
import { G, O, mul, enc, sha3, hashToGroup, readPoint, readPointNonId } from './group.js';
import { newTranscript } from './merlin.js';
import { readTrusteeSet, lagrange0 } from './trustees.js';
import { readDleq, verifyDleq, VerifyError } from './proofs.js';

export function registrationsDigest(hashes) {
  return sha3(ascii('kleroterion/v2/beacon-registrations'), le32(hashes.length), ...hashes);
}

function readRegistrations(r) {
  const k = r.count(32);
  if (k > 4096) throw new DecodeError('more than 4096 registrations');
  const hs = [];
  for (let i = 0; i < k; i++) {
    const h = r.take(32).slice();
    if (hs.length && compare(hs[hs.length - 1], h) >= 0) throw new DecodeError('registrations not strictly ascending');
    hs.push(h);
  }
  return hs;
}

function readShareEvaluation(r) {
  r.header(0x46, 1);
  const index = r.u16();
  if (index === 0) throw new DecodeError('participant index 0');
  return { index, P: readPoint(r), proof: readDleq(r) };
}

export function decodeBeaconRecord(bytes) {
  return decodeAll(bytes, (r) => {
    r.header(0x24, 2);
    r.header(0x21, 2);
    const set = readTrusteeSet(r);
    const mode = r.u8();
    if (mode !== 1 && mode !== 2) throw new DecodeError('beacon mode');
    const genesis = r.take(32).slice();
    const chainId = sha3(ascii('kleroterion/v1/beacon-chain'), set.bytes, new Uint8Array([mode]), genesis);
    const count = r.count(2 + 8 + 4 + 4 + 32 + 32);
    const rounds = [];
    for (let i = 0; i < count; i++) {
      r.header(0x23, 2);
      const round = r.u64();
      if (round === 0n) throw new DecodeError('round 0');
      const registrations = readRegistrations(r);
      const t = r.count(2 + 2 + 32 + 98);
      const partials = [];
      for (let k = 0; k < t; k++) partials.push(readShareEvaluation(r));
      const sigma = readPointNonId(r);
      const output = r.take(32).slice();
      rounds.push({ round, registrations, partials, sigma, output });
    }
    return { set, mode, genesis, chainId, rounds };
  });
}

/** Verify every round (spec/beacon.md §2.5); returns Map(round → output) or throws. */
export function verifyBeacon(rec) {
  const { set, chainId, mode } = rec;
  const outputs = new Map();
  let prev = rec.genesis;
  let expected = 1n;
  let last = 0n;
  for (const rd of rec.rounds) {
    const r = rd.round;
    if (mode === 1 && r !== expected) throw new VerifyError(`round ${r} out of order (expected ${expected})`);
    if (mode === 2 && r <= last) throw new VerifyError(`round ${r} out of order`);
    const reg = registrationsDigest(rd.registrations);
    const x = mode === 1 ? concat(chainId, le64(r), prev, reg) : concat(chainId, le64(r), reg);
    const H = hashToGroup(x, 'kleroterion/v1/beacon-round');
    if (rd.partials.length !== set.params.t) throw new VerifyError(`round ${r}: not exactly t partials`);
    let lastIdx = 0;
    for (const p of rd.partials) {
      if (p.index <= lastIdx) throw new VerifyError(`round ${r}: partials not strictly ascending`);
      lastIdx = p.index;
      const Yj = set.shares.get(p.index);
      if (!Yj) throw new VerifyError(`round ${r}: trustee ${p.index} not qualified`);
    }
    const out = sha3(ascii('kleroterion/v1/beacon-output'), chainId, le64(r), enc(rd.sigma));
    if (!equal(out, rd.output)) throw new VerifyError(`round ${r}: output is not the hash of sigma`);
    for (const p of rd.partials) {
      const t = newTranscript(chainId).domainSep('kleroterion/beacon/partial', 2);
      t.msg('round-input', x).u64('trustee', p.index);
      try {
        verifyDleq(t, G, set.shares.get(p.index), H, p.P, p.proof);
      } catch {
        throw new VerifyError(`round ${r}: partial of trustee ${p.index} fails`);
      }
    }
    const S = rd.partials.map((p) => p.index);
    let sigma = O;
    for (const p of rd.partials) sigma = sigma.add(mul(p.P, lagrange0(p.index, S)));
    if (!sigma.equals(rd.sigma)) throw new VerifyError(`round ${r}: sigma is not the interpolation`);
    outputs.set(r, rd.output);
    prev = rd.output;
    expected = r + 1n;
    last = r;
  }
  return outputs;
}
