// RFC 9381 Appendix B.3 (test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json), spec/beacon.md §1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { verify, encodeToCurve, stringToPoint } from '../src/ecvrf.js';

const v = parseJson(readFileSync(new URL('../../../test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json', import.meta.url), 'utf8'));

test('rfc9381: Examples 16-18 verify with their outputs; a changed input or proof fails', () => {
  for (const x of v.vectors) {
    const pk = unhex(x.pk), alpha = unhex(x.alpha), pi = unhex(x.pi);
    const { H, ctr } = encodeToCurve(pk, alpha);
    assert.equal(hex(H.toBytes()), x.h);
    assert.equal(BigInt(ctr), x.ctr);
    assert.equal(hex(verify(pk, alpha, pi)), x.beta);
    assert.throws(() => verify(pk, new Uint8Array([...alpha, 1]), pi));
    const bad = pi.slice();
    bad[40] ^= 1;
    assert.throws(() => verify(pk, alpha, bad));
  }
  // §1.4 step 4 and step 2: x = 0 with the sign bit set, and y ≥ p, are rejected.
  const one = new Uint8Array(32);
  one[0] = 1;
  stringToPoint(one);
  one[31] = 0x80;
  assert.throws(() => stringToPoint(one));
  const big = new Uint8Array(32).fill(0xff);
  big[31] = 0x7f;
  assert.throws(() => stringToPoint(big));
});
