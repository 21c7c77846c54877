// test-vectors/election.json: a vote record (motion + approval contest) verified on its own,
// compared with its expected report; and forged variants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseJson } from '../src/json.js';
import { readElectionRecord } from '../src/load.js';
import { verifyVote } from '../src/vote.js';

const v = parseJson(readFileSync(new URL('../../../test-vectors/election.json', import.meta.url), 'utf8'));
const vote = (ballots, challenged = v.challenged) => ({
  name: 'election', electorate: 'open', record: readElectionRecord(v.record, 'election.json'),
  ballots: ballots.map((l) => l + '\n').join(''), challenged: challenged.map((l) => l + '\n').join(''),
});
const report = (x) => verifyVote(x, { standalone: true }).map(([id, o]) => [id, o]);

test('election.json: the expected report, and the announced counts', () => {
  assert.deepEqual(report(vote(v.ballots)), v.report);
  const counts = vote(v.ballots).record.result.value.contests.map((c) => c.counts.map(Number));
  assert.deepEqual(counts, [v.motion.map(Number), v.approval.map(Number)]);
});

test('election.json forgeries: a swapped ballot order breaks E6 only; a dropped ballot fails E6 and E9', () => {
  const swapped = [v.ballots[1], v.ballots[0], ...v.ballots.slice(2)];
  const r = Object.fromEntries(report(vote(swapped)));
  assert.equal(r.E6, 'failed');
  assert.equal(r.E9, 'ok');
  const dropped = Object.fromEntries(report(vote(v.ballots.slice(1))));
  assert.equal(dropped.E6, 'failed');
  assert.equal(dropped.E9, 'failed');
  assert.equal(dropped.E11, 'not_checked');
  const cast = Object.fromEntries(report(vote(v.ballots, [...v.challenged, ...v.challenged])));
  assert.equal(cast.E5, 'failed');
});
