// drand rounds (spec/beacon.md §3): chain hash, strict point decoding, BLS round
// verification for quicknet (bls-unchained-g1-rfc9380) and the default chained network
// (pedersen-bls-chained), precedence time. BLS12-381 arithmetic from @noble/curves.
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equal, DecodeError } from './bytes.js';

export class DrandError extends Error {}

const P = bls.fields.Fp.ORDER;
const be = (n, len) => {
  const out = new Uint8Array(len);
  let x = BigInt(n);
  for (let i = len - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
};
const num = (b) => b.reduce((a, x) => (a << 8n) | BigInt(x), 0n);

export const SCHEMES = {
  'bls-unchained-g1-rfc9380': { sigGroup: 'G1', keyGroup: 'G2', chained: false, dst: 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_' },
  'pedersen-bls-chained': { sigGroup: 'G2', keyGroup: 'G1', chained: true, dst: 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_' },
};

/** §3.3: a compressed G1 (48 bytes) or G2 (96 bytes) point, every rule checked here. */
export function decodePoint(bytes, group) {
  const len = group === 'G1' ? 48 : 96;
  if (bytes.length !== len) throw new DecodeError(`InvalidLength: ${group} point of ${bytes.length} bytes`);
  const f = bytes[0];
  if (!(f & 0x80)) throw new DecodeError('InvalidPoint: compression flag clear');
  const body = Uint8Array.from(bytes);
  body[0] &= 0x1f;
  if (f & 0x40) {
    if ((f & 0x3f) !== 0 || bytes.slice(1).some((x) => x)) throw new DecodeError('InvalidPoint: infinity flag with other bits');
    throw new DecodeError('IdentityPoint');
  }
  for (let i = 0; i < len; i += 48) if (num(body.slice(i, i + 48)) >= P) throw new DecodeError('InvalidPoint: coordinate not below p');
  let pt;
  try {
    pt = bls[group].Point.fromBytes(bytes);
    pt.assertValidity(); // on the curve and in the prime-order subgroup
  } catch (e) {
    throw new DecodeError(`InvalidPoint: ${e.message}`);
  }
  if (pt.is0()) throw new DecodeError('IdentityPoint');
  return pt;
}

/** §3.2: chain info (v2 or v1 JSON form, here as a plain object of decoded fields). */
export function chainHash(info) {
  const id = info.beaconId === '' || info.beaconId === 'default' ? new Uint8Array(0) : new TextEncoder().encode(info.beaconId);
  return sha256(concat(be(info.period, 4), be(info.genesisTime, 8), info.publicKey, info.genesisSeed, id));
}

const hexb = (h) => {
  if (typeof h !== 'string' || !/^([0-9a-f]{2})*$/i.test(h)) throw new DecodeError('hex');
  return Uint8Array.from(Buffer.from(h, 'hex'));
};

/** Read a chain info JSON object in the v2 or v1 form (§3.2); throws DecodeError. */
export function readChainInfo(o) {
  const pick = (a, b) => {
    const x = a(o), y = b(o);
    if (x !== undefined && y !== undefined && JSON.stringify(String(x)) !== JSON.stringify(String(y))) throw new DecodeError('chain info field given twice with two values');
    return x !== undefined ? x : y;
  };
  const scheme = pick((x) => x.scheme, (x) => x.schemeID);
  const s = SCHEMES[scheme];
  if (!s) throw new DecodeError(`unsupported drand scheme ${scheme}`);
  const info = {
    scheme, s,
    publicKey: hexb(o.public_key),
    period: BigInt(o.period),
    genesisTime: BigInt(o.genesis_time),
    genesisSeed: hexb(pick((x) => x.genesis_seed, (x) => x.groupHash)),
    beaconId: pick((x) => x.beacon_id, (x) => x.metadata?.beaconID) ?? '',
  };
  if (info.period < 1n || info.period >= 1n << 32n || info.genesisTime < 0n || info.genesisTime >= 1n << 63n) throw new DecodeError('period or genesis time');
  if (info.genesisSeed.length !== 32 || new TextEncoder().encode(info.beaconId).length > 64) throw new DecodeError('genesis seed or beacon id');
  info.key = decodePoint(info.publicKey, s.keyGroup);
  info.chainHash = chainHash(info);
  const stated = pick((x) => x.chain_hash, (x) => x.hash);
  if (stated !== undefined && !equal(hexb(stated), info.chainHash)) throw new DecodeError('drand chain hash does not match the chain info');
  return info;
}

/** §3.4: verify round r with signature sig (and prev for a chained network); returns the randomness. */
export function verifyRound(info, r, sig, prev) {
  const s = info.s;
  if (r < 1n) throw new DrandError('InvalidParameter: round 0');
  if (s.chained) {
    if (!prev || (r === 1n ? !equal(prev, info.genesisSeed) : prev.length !== 96)) throw new DrandError('InvalidParameter: previous signature');
  } else if (prev) throw new DrandError('InvalidParameter: previous signature on an unchained network');
  const sg = decodePoint(sig, s.sigGroup);
  const m = sha256(s.chained ? concat(prev, be(r, 8)) : be(r, 8));
  const H = bls[s.sigGroup].hashToCurve(m, { DST: s.dst });
  const { Fp12 } = bls.fields;
  const ok = s.chained
    ? Fp12.eql(bls.pairing(bls.G1.Point.BASE, sg), bls.pairing(info.key, H))
    : Fp12.eql(bls.pairing(sg, bls.G2.Point.BASE), bls.pairing(H, info.key));
  if (!ok) throw new DrandError(`round ${r}: drand round signature does not verify`);
  return sha256(sig);
}

/** B1 for a drand beacon (§3.4): rounds strictly ascending, each verifies, chained links. Returns Map(round → output). */
export function verifyDrandBeacon(d) {
  const outputs = new Map();
  let last = null;
  for (const rd of d.rounds) {
    if (last !== null && rd.round <= last.round) throw new DrandError(`round ${rd.round} out of order`);
    if (d.info.s.chained && last !== null && rd.round === last.round + 1n && !(rd.prev && equal(rd.prev, last.sig))) {
      throw new DrandError(`round ${rd.round}: link to round ${last.round} broken`);
    }
    try {
      outputs.set(rd.round, verifyRound(d.info, rd.round, rd.sig, rd.prev));
    } catch (e) {
      throw new DrandError(`RoundFailed { round: ${rd.round} }: ${e.message}`);
    }
    last = rd;
  }
  return outputs;
}

/** §3.5: the time round r is due. */
export const dueTime = (info, r) => info.genesisTime + (r - 1n) * info.period;
export const PRECEDENCE_MARGIN = 300n;
