// test-vectors/drand.json (spec/beacon.md §3) and the drand-seeded record test-vectors/drand-record/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { readChainInfo, verifyRound } from '../src/drand.js';

const v = parseJson(readFileSync(new URL('../../../test-vectors/drand.json', import.meta.url), 'utf8'));

test('drand.json: chain hashes, every round and its randomness; tampered rounds and the other key fail', () => {
  const infos = v.chains.map((c) => readChainInfo(c.info));
  v.chains.forEach((c, k) => {
    const info = infos[k];
    assert.equal(hex(info.chainHash), c.info.hash);
    for (const r of c.rounds) {
      const prev = r.previous_signature ? unhex(r.previous_signature) : undefined;
      const out = verifyRound(info, BigInt(r.round), unhex(r.signature), prev);
      if (r.randomness) assert.equal(hex(out), r.randomness);
      assert.throws(() => verifyRound(info, BigInt(r.round) + 1n, unhex(r.signature), prev));
      const bad = unhex(r.signature);
      bad[bad.length - 1] ^= 1;
      assert.throws(() => verifyRound(info, BigInt(r.round), bad, prev));
      assert.throws(() => verifyRound(info, BigInt(r.round), unhex(r.signature).slice(1), prev));
      assert.throws(() => verifyRound(infos[1 - k], BigInt(r.round), unhex(r.signature), prev));
    }
  });
  // A changed field under the stated hash.
  assert.throws(() => readChainInfo({ ...v.chains[0].info, period: 4n }));
});

// The drand-seeded record: a draw of 5 from 24 by quicknet round 30662992 (spec/beacon.md §3.6).
import { mkdtempSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readAnchors } from '../src/load.js';
import { verifyDir } from '../src/verify.js';

const rd = new URL('../../../test-vectors/drand-record/', import.meta.url).pathname;
const baseAsm = JSON.parse(readFileSync(join(rd, 'assembly.json'), 'utf8'));
const baseAnchors = JSON.parse(readFileSync(join(rd, 'anchors.json'), 'utf8'));

/** Outcomes (`id` → outcome) of the drand record after editing its JSON (and anchors; null = none). */
function verifyDrandRecord(editAsm = () => {}, editAnchors = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jsv-drand-'));
  try {
    cpSync(rd, dir, { recursive: true });
    const a = structuredClone(baseAsm);
    editAsm(a);
    writeFileSync(join(dir, 'assembly.json'), JSON.stringify(a));
    let an = structuredClone(baseAnchors);
    an = editAnchors(an) === null ? null : an;
    const out = {};
    for (const s of verifyDir(dir, an === null ? null : readAnchors(JSON.stringify(an)))) for (const [id, o] of s.checks) out[id] = o;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const notOk = (r) => Object.keys(r).filter((k) => r[k] !== 'ok').map((k) => `${k} ${r[k]}`);
const due = BigInt(baseAsm.beacon.chain.genesis_time) + (BigInt(baseAsm.announcement.beacon_round) - 1n) * BigInt(baseAsm.beacon.chain.period);

test('drand-record: passes with its anchors; S16 not anchored without announcement_published or anchors', () => {
  assert.deepEqual(notOk(verifyDrandRecord()), []);
  assert.deepEqual(notOk(verifyDrandRecord(undefined, (an) => { delete an.announcement_published; })), ['S16 not_anchored']);
  assert.deepEqual(notOk(verifyDrandRecord(undefined, () => null)), ['A1 not_anchored', 'A2 not_anchored', 'A3 not_anchored', 'S16 not_anchored']);
});

test('drand-record forgeries: another round\'s randomness, another round named, another network, a changed or relabelled signature, a late announcement', () => {
  const q = v.chains[0];
  const r90 = q.rounds.find((r) => r.round === 30662990n);
  assert.ok(notOk(verifyDrandRecord((a) => { a.selection.beacon_output = r90.randomness; })).includes('S3 failed'));
  assert.ok(notOk(verifyDrandRecord((a) => { a.selection.beacon_round = 30662990; })).includes('S2 failed'));
  // The default network's chain info under quicknet's rounds: its key rejects them.
  const dflt = JSON.parse(JSON.stringify(v.chains[1].info, (k, x) => (typeof x === 'bigint' ? Number(x) : x)));
  const other = notOk(verifyDrandRecord((a) => { a.beacon.chain = dflt; }));
  for (const c of ['A1 failed', 'B1 failed', 'B2 not_checked', 'B4 failed']) assert.ok(other.includes(c), `${c} in ${other}`);
  // The record's beacon names quicknet, the announcement a kleroterion chain of the same bytes: B4 (kind differs), A2.
  const kind = notOk(verifyDrandRecord((a) => { a.announcement.beacon_chain = { kleroterion: a.announcement.beacon_chain.drand }; a.selection.announcement.beacon_chain = a.announcement.beacon_chain; }));
  for (const c of ['A2 failed', 'B4 failed']) assert.ok(kind.includes(c), `${c} in ${kind}`);
  const flipped = notOk(verifyDrandRecord((a) => { const s = a.beacon.rounds[1].signature; a.beacon.rounds[1].signature = s.slice(0, -1) + (s.at(-1) === '0' ? '1' : '0'); }));
  assert.ok(flipped.includes('B1 failed'), flipped);
  const relabelled = notOk(verifyDrandRecord((a) => { a.beacon.rounds[0].round = 30662991; }));
  assert.ok(relabelled.includes('B1 failed'), relabelled);
  // Precedence (spec/beacon.md §3.5): t_pub ≤ t_r − 300.
  const at = (t) => verifyDrandRecord(undefined, (an) => { an.announcement_published = Number(t); }).S16;
  assert.equal(at(due - 300n), 'ok');
  assert.equal(at(due - 299n), 'failed');
  assert.equal(at(due + 10n), 'failed');
});
