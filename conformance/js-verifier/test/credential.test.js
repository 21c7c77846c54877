// test-vectors/credential.json (spec/credential.md §8): sets, proofs, tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex, ascii, le32 } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { enc, sha3, hashToGroup } from '../src/group.js';
import * as C from '../src/credential.js';
import { decodeAll } from '../src/bytes.js';
import { G, mul, decodeScalar, decodeNonIdentity } from '../src/group.js';
import { Transcript } from '../src/merlin.js';
import { readSchnorr, verifySchnorr } from '../src/proofs.js';

/** ConsentStatement (0x51, spec/credential.md §6): decode and verify for (polity, year). */
function verifyConsent(bytes, polity, year, checkFields = true) {
  const st = decodeAll(bytes, (r) => {
    r.header(0x51, 1);
    const pol = r.lp();
    const y = r.u32();
    const PK = decodeNonIdentity(r.take(32));
    return { pol, y, PK, proof: readSchnorr(r) };
  });
  if (checkFields) {
    assert.equal(hex(st.pol), hex(polity));
    assert.equal(BigInt(st.y), year);
  }
  const t = new Transcript('kleroterion').msg('context', polity);
  t.msg('dom-sep', 'kleroterion/credential/consent').u64('version', 1).u64('year', year);
  verifySchnorr(t, G, st.PK, st.proof);
  return st.PK;
}

const v = parseJson(readFileSync(new URL('../../../test-vectors/credential.json', import.meta.url), 'utf8'));

test('credential.json: tag base, generators, sets, membership proofs, keys, tags and consent statements', () => {
  const ctx = unhex(v.context), msg = unhex(v.message);
  assert.equal(hex(enc(C.tagBase(ctx))), v.tag_base);
  const gens = [];
  for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) gens.push(hex(enc(hashToGroup(new Uint8Array([j, i]), 'kleroterion/v1/credential-h'))));
  assert.equal(gens.join(''), Array.isArray(v.generators) ? v.generators.join('') : v.generators);
  for (const s of v.sets) {
    const keys = C.decodeAnonymitySet(unhex(s.set));
    const cset = sha3(ascii('kleroterion/v1/credential-set'), le32(keys.length), ...keys.map((k) => k.e));
    assert.equal(hex(cset), s.commitment);
    const p = C.decodeMembershipProof(unhex(s.proof));
    assert.equal(BigInt(p.m), s.depth);
    C.verifyMembership(keys, ctx, msg, p);
    assert.equal(hex(enc(p.T)), s.citizens[Number(s.prover)].linking_tag);
    assert.throws(() => C.verifyMembership(keys, ctx, new Uint8Array([1, ...msg]), p));
    for (const c of s.citizens) {
      const sk = decodeScalar(unhex(c.secret_key));
      assert.equal(hex(enc(mul(G, sk))), c.public_key);
      assert.equal(hex(enc(mul(C.tagBase(ctx), sk))), c.linking_tag);
      assert.equal(hex(enc(verifyConsent(unhex(c.consent), unhex(v.polity), v.year))), c.public_key);
      assert.throws(() => verifyConsent(unhex(c.consent), unhex(v.polity), v.year + 1n, false), /Schnorr/);
    }
  }
});
