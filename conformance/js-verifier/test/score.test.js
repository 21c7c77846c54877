// Score contests (spec/ballot.md §3.3, spec/rangeproof.md). The reference's score ballots
// are checked by the conformance kit (the `survey` vote, its score ballots, its opened
// challenged score ballot, and `E7-score-range-proof`). This test checks the generators
// the spec states, then proves score ballots with a prover written from
// spec/rangeproof.md §6 and spec/ballot.md §3.3 and verifies them (self-consistency,
// other maximums and values than the kit's), and checks forgeries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hex, concat, le32, lp, ascii } from '../src/bytes.js';
import { G, O, mod, mul, invert, enc, wide, bigToLe32 } from '../src/group.js';
import { newTranscript } from '../src/merlin.js';
import { Btilde, gensG, gensH, bitSize } from '../src/rangeproof.js';
import { decodeManifest, decodeBallot, verifyBallot } from '../src/ballot.js';

const rnd = () => wide(randomBytes(64));
const ip = (a, b) => a.reduce((s, x, i) => mod(s + x * b[i]), 0n);
const msm = (sc, pts) => sc.reduce((acc, s, i) => acc.add(mul(pts[i], s)), O);

test('score generators: B̃ as stated in spec/rangeproof.md §2', () => {
  assert.equal(hex(enc(G)), 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
  assert.equal(hex(enc(Btilde)), '8c9240b456a9e6dc65c377a1048d745f94a08cdb7f44cbcd7b46f34048871134');
});

/** spec/rangeproof.md §6: aggregated proof for (v, S − v) with blindings (γ, −γ). */
function proveRange(t, S, v, gamma, C) {
  const n = bitSize(S), m = 2, N = n * m;
  const vals = [BigInt(v), BigInt(S - v)], blinds = [gamma, mod(-gamma)];
  t.msg('dom-sep', 'rangeproof v1').u64('n', n).u64('m', m).point('V', C).point('V', mul(G, BigInt(S)).subtract(C));
  const parties = vals.map((val, j) => {
    const aL = Array.from({ length: n }, (_, i) => (val >> BigInt(i)) & 1n);
    const aR = aL.map((b) => mod(b - 1n));
    const sL = aL.map(rnd), sR = aL.map(rnd);
    const alpha = rnd(), rho = rnd();
    const Gj = gensG(j, n), Hj = gensH(j, n);
    const A = mul(Btilde, alpha).add(msm(aL, Gj)).add(msm(aR, Hj));
    const Sp = mul(Btilde, rho).add(msm(sL, Gj)).add(msm(sR, Hj));
    return { j, aL, aR, sL, sR, alpha, rho, A, Sp };
  });
  const A = parties[0].A.add(parties[1].A), Sp = parties[0].Sp.add(parties[1].Sp);
  t.point('A', A).point('S', Sp);
  const y = t.challenge('y'), z = t.challenge('z');
  let T1 = O, T2 = O;
  for (const p of parties) {
    const yj = Array.from({ length: n }, (_, i) => mod(y ** BigInt(p.j * n + i)));
    const zj2 = mod(z ** BigInt(2 + p.j));
    p.l0 = p.aL.map((a) => mod(a - z));
    p.l1 = p.sL;
    p.r0 = p.aR.map((a, i) => mod(yj[i] * (a + z) + zj2 * (1n << BigInt(i))));
    p.r1 = p.sR.map((s, i) => mod(yj[i] * s));
    p.t1 = mod(ip(p.l0, p.r1) + ip(p.l1, p.r0));
    p.t2 = ip(p.l1, p.r1);
    p.tau1 = rnd();
    p.tau2 = rnd();
    p.zj2 = zj2;
    T1 = T1.add(mul(G, p.t1)).add(mul(Btilde, p.tau1));
    T2 = T2.add(mul(G, p.t2)).add(mul(Btilde, p.tau2));
  }
  t.point('T_1', T1).point('T_2', T2);
  const x = t.challenge('x');
  let l = [], r = [], tx = 0n, txb = 0n, eb = 0n;
  parties.forEach((p, j) => {
    const lj = p.l0.map((a, i) => mod(a + p.l1[i] * x));
    const rj = p.r0.map((a, i) => mod(a + p.r1[i] * x));
    l = l.concat(lj);
    r = r.concat(rj);
    tx = mod(tx + ip(lj, rj));
    txb = mod(txb + p.zj2 * blinds[j] + p.tau1 * x + p.tau2 * x * x);
    eb = mod(eb + p.alpha + p.rho * x);
  });
  t.scalar('t_x', tx).scalar('t_x_blinding', txb).scalar('e_blinding', eb);
  const w = t.challenge('w');
  const Q = mul(G, w);
  let Gv = [...gensG(0, n), ...gensG(1, n)];
  const yInv = invert(y);
  let Hv = [...gensH(0, n), ...gensH(1, n)].map((H, i) => mul(H, mod(yInv ** BigInt(i))));
  t.msg('dom-sep', 'ipp v1').u64('n', N);
  let a = l, b = r;
  const LR = [];
  while (a.length > 1) {
    const h = a.length / 2;
    const [aL, aR, bL, bR] = [a.slice(0, h), a.slice(h), b.slice(0, h), b.slice(h)];
    const [GL, GR, HL, HR] = [Gv.slice(0, h), Gv.slice(h), Hv.slice(0, h), Hv.slice(h)];
    const L = msm(aL, GR).add(msm(bR, HL)).add(mul(Q, ip(aL, bR)));
    const R = msm(aR, GL).add(msm(bL, HR)).add(mul(Q, ip(aR, bL)));
    t.point('L', L).point('R', R);
    LR.push(L, R);
    const u = t.challenge('u'), ui = invert(u);
    a = aL.map((x1, i) => mod(u * x1 + ui * aR[i]));
    b = bL.map((x1, i) => mod(ui * x1 + u * bR[i]));
    Gv = GL.map((P, i) => mul(P, ui).add(mul(GR[i], u)));
    Hv = HL.map((P, i) => mul(P, u).add(mul(HR[i], ui)));
  }
  return concat(enc(A), enc(Sp), enc(T1), enc(T2), bigToLe32(tx), bigToLe32(txb), bigToLe32(eb), ...LR.map(enc), bigToLe32(a[0]), bigToLe32(b[0]));
}

/** A score ballot: manifest with one score contest of maximum S, values `vals`. */
function scoreBallot(S, vals) {
  const opts = vals.map((_, i) => ascii(`o${i}`));
  const manifestBytes = concat(new Uint8Array([0x60, 1]), lp(ascii('score-election')), le32(1), lp(ascii('budget')), new Uint8Array([3]), le32(S), le32(opts.length), ...opts.map(lp));
  const m = decodeManifest(manifestBytes);
  const sk = rnd(), PK = mul(G, sk);
  const id = randomBytes(32);
  const cts = vals.map((v) => {
    const r = rnd();
    return { v, r, a: mul(G, r), b: mul(G, BigInt(v)).add(mul(PK, r)) };
  });
  const mc = m.contests[0];
  const tr = newTranscript(concat(m.hash, le32(m.eid.length), m.eid, le32(mc.idBytes.length), mc.idBytes)).domainSep('kleroterion/ballot-contest', 2);
  tr.u64('contest-index', 0).u64('kind', 3).u64('param', S).point('PK', PK).msg('ballot-id', id).u64('options', cts.length);
  for (const c of cts) tr.point('alpha', c.a).point('beta', c.b);
  const proofs = cts.map((c, o) => {
    const t = tr.clone().msg('part', 'option').u64('index', o);
    const gamma = rnd();
    const C = mul(G, BigInt(c.v)).add(mul(Btilde, gamma));
    const [av, ag, ar] = [rnd(), rnd(), rnd()];
    const TC = mul(G, av).add(mul(Btilde, ag)), Ta = mul(G, ar), Tb = mul(G, av).add(mul(PK, ar));
    t.domainSep('kleroterion/score-link', 1).point('B', G).point('B~', Btilde).point('PK', PK).u64('max', S).point('alpha', c.a).point('beta', c.b);
    t.point('C', C).point('T_C', TC).point('T_alpha', Ta).point('T_beta', Tb);
    const ch = t.challenge('c');
    const z = [mod(av + ch * BigInt(c.v)), mod(ag + ch * gamma), mod(ar + ch * c.r)];
    const range = proveRange(t, S, c.v, gamma, C);
    return concat(new Uint8Array([0x63, 1]), enc(C), enc(TC), enc(Ta), enc(Tb), ...z.map(bigToLe32), le32(range.length), range);
  });
  const contest = concat(new Uint8Array([0x62, 1]), lp(mc.idBytes), le32(cts.length), ...cts.map((c) => concat(new Uint8Array([0x10, 1]), enc(c.a), enc(c.b))), new Uint8Array([1]), ...proofs);
  const bytes = concat(new Uint8Array([0x61, 1]), id, le32(1), contest);
  return { m, PK, bytes };
}

test('score ballots prove and verify (n = 8 and 16); forgeries fail', () => {
  for (const [S, vals] of [[5, [0, 5, 3]], [300, [299]]]) {
    const { m, PK, bytes } = scoreBallot(S, vals);
    verifyBallot(m, PK, decodeBallot(bytes));
    // Another key fails; so does a flipped bit in the last inner-product word R_{k-1}
    // (the 32 bytes before the final scalars a and b).
    assert.throws(() => verifyBallot(m, PK.add(G), decodeBallot(bytes)));
    const bad = bytes.slice();
    bad[bytes.length - 64 - 2] ^= 1;
    assert.throws(() => verifyBallot(m, PK, decodeBallot(bad)));
  }
});

test('a score out of range cannot be proven', () => {
  // The honest prover's bits of S − v wrap for v > S: the proof fails verification.
  const { m, PK, bytes } = scoreBallot(5, [6]);
  assert.throws(() => verifyBallot(m, PK, decodeBallot(bytes)));
});
