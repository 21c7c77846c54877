// RFC 9496 Appendix A (test-vectors/rfc9496.json) and test-vectors/elgamal.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { G, mul, enc, decodePoint, decodeScalar } from '../src/group.js';
import { ristretto255_hasher } from '@noble/curves/ed25519.js';

const vectors = (name) => parseJson(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8'));

test('rfc9496.json: multiples of G, invalid encodings, element derivation', () => {
  const v = vectors('rfc9496.json');
  for (const x of v.multiples_of_generator.vectors) {
    assert.equal(hex(enc(mul(G, x.k))), x.encoding);
    assert.equal(hex(enc(decodePoint(unhex(x.encoding)))), x.encoding);
  }
  for (const x of v.invalid_encodings.vectors) assert.throws(() => decodePoint(unhex(x.encoding)), x.reason);
  for (const x of v.from_uniform_bytes.vectors) assert.equal(hex(enc(ristretto255_hasher.deriveToCurve(unhex(x.input)))), x.output);
});

test('elgamal.json: ciphertexts open to their messages and nonces', () => {
  const v = vectors('elgamal.json');
  const sk = decodeScalar(unhex(v.secret_key));
  const PK = decodePoint(unhex(v.public_key));
  assert.ok(mul(G, sk).equals(PK));
  for (const e of v.encryptions) {
    const r = decodeScalar(unhex(e.nonce));
    const ct = unhex(e.ciphertext);
    assert.equal(hex(ct.subarray(0, 2)), '1001');
    const alpha = decodePoint(ct.subarray(2, 34)), beta = decodePoint(ct.subarray(34, 66));
    assert.ok(mul(G, r).equals(alpha));
    assert.ok(mul(G, e.message).add(mul(PK, r)).equals(beta));
    assert.ok(beta.subtract(mul(alpha, sk)).equals(mul(G, e.message)));
    const rr = decodeScalar(unhex(e.rerandomize_nonce));
    const re = unhex(e.rerandomized);
    assert.ok(alpha.add(mul(G, rr)).equals(decodePoint(re.subarray(2, 34))));
    assert.ok(beta.add(mul(PK, rr)).equals(decodePoint(re.subarray(34, 66))));
  }
  // The homomorphic sum (elgamal.md §3) opens to Σ m with nonce Σ r.
  let sa = decodePoint(new Uint8Array(32)), sb = sa, sm = 0n;
  for (const e of v.encryptions) {
    const ct = unhex(e.ciphertext);
    sa = sa.add(decodePoint(ct.subarray(2, 34)));
    sb = sb.add(decodePoint(ct.subarray(34, 66)));
    sm += e.message;
  }
  assert.equal(sm, v.sum.message);
  assert.equal(hex(unhex(v.sum.ciphertext).subarray(2)), hex(enc(sa)) + hex(enc(sb)));
  assert.ok(mul(G, decodeScalar(unhex(v.sum.nonce))).equals(sa));
});
