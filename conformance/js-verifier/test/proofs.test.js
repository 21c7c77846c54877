// Known-answer tests: merlin, RFC 9496 and test-vectors/proofs.json (spec/proofs.md §9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Transcript, newTranscript } from '../src/merlin.js';
import { hex, unhex } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { G, mul, decodePoint, decodeScalar } from '../src/group.js';
import * as P from '../src/proofs.js';

const vectors = (name) => parseJson(readFileSync(new URL(`../../../test-vectors/${name}`, import.meta.url), 'utf8'));

test('merlin equivalence_simple vector (merlin 3.0 tests)', () => {
  const t = new Transcript('test protocol');
  t.msg('some label', 'some data');
  assert.equal(hex(t.challengeBytes('challenge', 32)), 'd5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615');
});

test('proofs.json: every proof verifies, a changed statement does not', () => {
  const v = vectors('proofs.json');
  const ctx = unhex(v.context);
  const pt = (h) => decodePoint(unhex(h));
  for (const s of v.schnorr) {
    const B = pt(s.base), X = pt(s.public);
    assert.ok(mul(B, decodeScalar(unhex(s.secret))).equals(X));
    P.verifySchnorr(newTranscript(ctx), B, X, P.decodeSchnorr(unhex(s.proof)));
    assert.throws(() => P.verifySchnorr(newTranscript(ctx), B, X.add(G), P.decodeSchnorr(unhex(s.proof))));
  }
  for (const d of v.dleq) {
    const args = [pt(d.g), pt(d.a), pt(d.h), pt(d.b)];
    P.verifyDleq(newTranscript(ctx), ...args, P.decodeDleq(unhex(d.proof)));
    args[3] = args[3].add(G);
    assert.throws(() => P.verifyDleq(newTranscript(ctx), ...args, P.decodeDleq(unhex(d.proof))));
  }
  for (const d of v.disjunctive) {
    const p = P.decodeDisjunctive(unhex(d.proof));
    P.verifyDisjunctive(newTranscript(ctx), pt(d.pk), pt(d.alpha), pt(d.beta), d.allowed, p);
    assert.throws(() => P.verifyDisjunctive(newTranscript(ctx), pt(d.pk), pt(d.alpha), pt(d.beta).add(G), d.allowed, p));
  }
  for (const d of v.complement) {
    const p = P.decodeDisjunctive(unhex(d.proof));
    const parts = d.parts.map(([a, b]) => [pt(a), pt(b)]);
    P.verifyComplement(newTranscript(ctx), pt(d.pk), d.total, parts, d.allowed, p);
    assert.throws(() => P.verifyComplement(newTranscript(ctx), pt(d.pk), d.total + 1n, parts, d.allowed, p));
  }
});
