// test-vectors/beacon-chain.json (spec/beacon.md §2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { decodeBeaconRecord, verifyBeacon } from '../src/beacon.js';

const v = parseJson(readFileSync(new URL('../../../test-vectors/beacon-chain.json', import.meta.url), 'utf8'));

test('beacon-chain.json: chain id and every output verify; a changed byte fails', () => {
  const rec = decodeBeaconRecord(unhex(v.record));
  assert.equal(hex(rec.chainId), v.chain_id);
  const outs = verifyBeacon(rec);
  assert.deepEqual([...outs.values()].map(hex), v.outputs);
  rec.rounds[1].registrations.pop();
  assert.throws(() => verifyBeacon(rec));
});
