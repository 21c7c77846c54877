// test-vectors/trustees.json (spec/trustees.md §10) and elgamal.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex, decodeAll } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { decodePoint, enc, mul, G } from '../src/group.js';
import * as T from '../src/trustees.js';

const vectors = (name) => parseJson(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8'));

test('trustees.json: the DKG transcript derives the trustee set, partials combine', () => {
  const v = vectors('trustees.json');
  const set = T.verifyDkg(T.decodeDkgTranscript(unhex(v.dkg.transcript)));
  assert.equal(hex(enc(set.Y)), v.dkg.joint_public_key);
  const expected = decodeAll(unhex(v.dkg.trustee_set), T.readTrusteeSet);
  assert.deepEqual([...set.shares.keys()], [...expected.shares.keys()]);
  for (const [j, P] of expected.shares) assert.ok(set.shares.get(j).equals(P));
  const disq = [1, 2, 3, 4].filter((j) => !set.shares.has(j));
  assert.deepEqual(disq, v.dkg.disqualified.map(Number));

  const d = v.decryption;
  const alpha = decodePoint(unhex(d.alpha)), beta = decodePoint(unhex(d.beta));
  const used = [], rejected = [];
  const valid = [];
  for (const h of d.partials) {
    const pd = decodeAll(unhex(h), T.readPartialDecryption);
    try {
      T.verifyPartial(set, alpha, beta, pd);
      valid.push(pd);
      used.push(pd.index);
    } catch {
      rejected.push(pd.index);
    }
  }
  assert.deepEqual(used, d.used.map(Number));
  assert.deepEqual(rejected, d.rejected.map(Number));
  const S = valid.slice(0, set.params.t).map((x) => x.index);
  let M = beta;
  for (const pd of valid.slice(0, set.params.t)) M = M.subtract(mul(pd.D, T.lagrange0(pd.index, S)));
  assert.equal(hex(enc(M)), d.plaintext_point);
  assert.ok(mul(G, d.message).equals(M));
});
