// test-vectors/sortition.json, mapped from its shapes (spec/json.md §6 item 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hex, unhex, ascii, compare } from '../src/bytes.js';
import { parseJson } from '../src/json.js';
import { encodeEntry, leafHash, MerkleStream } from '../src/roll.js';
import * as S from '../src/sortition.js';

const v = parseJson(readFileSync(new URL('../../../test-vectors/sortition.json', import.meta.url), 'utf8'));

test('sortition.json: roll root, announcement encoding, seed, quotas, seats and draws', () => {
  for (const { input: i, expected: x } of v.vectors) {
    const entries = i.roll.map((e) => ({ key: unhex(e.key), attributes: e.attributes.map(([l, val]) => ({ label: ascii(l), value: unhex(val) })) }));
    const ms = new MerkleStream();
    for (const e of entries) ms.push(leafHash(encodeEntry(e)));
    assert.equal(hex(ms.root()), x.roll_root);
    const quotas = i.quotas.proportional !== undefined ? { proportional: Number(i.quotas.proportional) } : { explicit: i.quotas.explicit.map((q) => ({ value: unhex(q.value), seats: Number(q.seats) })) };
    const s = i.schedule;
    const a = {
      polity: ascii(i.polity), assembly: ascii(i.assembly), year: Number(i.year), root: unhex(x.roll_root), size: BigInt(entries.length),
      beaconChain: { kind: 1, id: unhex(i.beacon_chain) }, beaconRound: i.beacon_round,
      params: { stratifyBy: i.stratify_by === null ? null : ascii(i.stratify_by), quotas, reserve: Number(i.reserve), exclusions: i.exclusions.map(unhex),
        schedule: s === null ? null : { seats: Number(s.seats), seatsPerYear: Number(s.seats_per_year), termYears: Number(s.term_years), firstYear: Number(s.first_year) } },
    };
    assert.equal(S.announcementProblem(a), null);
    const enc = S.encodeAnnouncement(a);
    assert.equal(hex(enc), x.announcement_encoding);
    const seed = S.seedOf(enc, unhex(i.beacon_output));
    assert.equal(hex(seed), x.seed);
    const strata = x.strata.map((st) => ({ value: unhex(st.value), size: st.size, eligible: st.eligible }));
    strata.sort((p, q) => compare(p.value, q.value));
    const quotasOut = S.computeQuotas(quotas, strata);
    assert.deepEqual(quotasOut, x.strata.map((st) => Number(st.quota)));
    const seats = S.seatsFilled(a);
    assert.deepEqual(seats, x.strata.flatMap((st) => st.seats.map(Number)));
    x.strata.forEach((st, k) => {
      const d = S.drawStratum(seed, strata[k].value, st.eligible, quotasOut[k], a.params.reserve);
      assert.deepEqual(d.selected, st.selected.map((e) => e.rank));
      assert.deepEqual(d.reserve, st.reserve.map((e) => e.rank));
    });
  }
});
