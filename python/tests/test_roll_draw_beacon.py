"""Rolls, draws and the beacon: commit a roll, run and verify a draw, verify
beacon rounds, read and write the record formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kleroterion
from kleroterion import Outcome, Verdict


def test_roll_commitment_is_the_announced_one(small: Path) -> None:
    record = kleroterion.AssemblyRecord.read(small)
    roll = kleroterion.read_roll(small / "roll.txt")
    announced = record.announcement["roll"]
    commitment = kleroterion.commit_roll(roll)
    assert commitment == kleroterion.RollCommitment(announced["root"], announced["size"])
    assert kleroterion.commit_roll_file(small / "roll.txt") == commitment
    entry = roll[0]
    assert kleroterion.RollEntry.from_bytes(entry.to_bytes()) == entry
    assert kleroterion.RollEntry.new(entry.key, dict(entry.attributes)) == entry
    assert entry.attribute("region", ) is not None and entry.attribute("missing") is None


def test_roll_errors(small: Path, tmp_path: Path) -> None:
    roll = kleroterion.read_roll(small / "roll.txt")
    with pytest.raises(kleroterion.ParameterError, match="canonical order|not in canonical"):
        kleroterion.commit_roll(list(reversed(roll)))
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.commit_roll([roll[0], roll[0]])
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.commit_roll([])
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.RollEntry.new(b"\x01" * 32)  # not a canonical point
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.RollEntry.new(b"\x00" * 31)
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.RollEntry.new(roll[0].key, {"has space": b"x"})
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.RollEntry.from_line("zz")
    kleroterion.write_roll(tmp_path / "roll.txt", roll)
    assert (tmp_path / "roll.txt").read_text() == (small / "roll.txt").read_text()


def test_the_recorded_draw_is_rerun_and_verified(small: Path) -> None:
    record = kleroterion.AssemblyRecord.read(small)
    announcement = kleroterion.Announcement(json.dumps(record.announcement))
    chain = kleroterion.verify_beacon(record.beacon)
    output = chain.outputs[announcement.data["beacon_round"]]
    assert announcement.data["beacon_chain"] == {"kleroterion": chain.chain_id}
    roll = kleroterion.read_roll(small / "roll.txt")
    selection = kleroterion.run_draw(announcement, output, roll)
    assert selection.data == record.selection
    assert len(selection.delegates) == 12
    report = kleroterion.verify_draw(selection, announcement, output, roll)
    assert report.verdict is Verdict.PASSED
    assert [c.id for c in report] == [f"S{i}" for i in range(1, 15)]
    # Another beacon output: the draw is not the one this output seeds.
    forged = kleroterion.verify_draw(selection, announcement, bytes(32), roll)
    assert forged.verdict is Verdict.FAILED


def test_a_new_draw_from_a_roll(small: Path) -> None:
    record = kleroterion.AssemblyRecord.read(small)
    roll = kleroterion.read_roll(small / "roll.txt")
    chain = kleroterion.verify_beacon(record.beacon)
    round_, output = max(chain.outputs.items())
    excluded = roll[5].key
    announcement = kleroterion.Announcement.new(
        polity="health@region-north",
        assembly="review-panel",
        year=2028,
        roll=kleroterion.commit_roll(roll),
        beacon_chain=chain.chain_id,
        beacon_round=round_,
        seats=6,
        stratify_by="region",
        reserve=1,
        exclusions=[excluded],
    )
    assert len(announcement.hash) == 64
    selection = kleroterion.run_draw(announcement, output, roll)
    assert len(selection.delegates) == 6 and excluded not in {d.key for d in selection.delegates}
    assert sum(s["quota"] for s in selection.strata) == 6
    assert kleroterion.verify_draw(selection, announcement, output).verdict is Verdict.PASSED
    with pytest.raises(kleroterion.KleroterionError):
        kleroterion.run_draw(announcement, output, roll[:-1])  # not the announced roll
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.Announcement.new(
            polity="p", assembly="a", year=2028, roll=kleroterion.commit_roll(roll),
            beacon_chain=chain.chain_id, beacon_round=1, seats=0,
        )


def test_beacon_rounds(small: Path) -> None:
    record = kleroterion.AssemblyRecord.read(small)
    chain = kleroterion.verify_beacon(record.beacon)
    for round_, output in chain.outputs.items():
        assert kleroterion.verify_beacon_round(record.beacon, round_) == output
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.verify_beacon_round(record.beacon, 999)
    report = kleroterion.verify_beacon_record(record.beacon)
    assert [(c.id, c.outcome) for c in report] == [("B1", Outcome.PASSED)]
    # Flip one byte of the last round's output (the record's last 32 bytes… of
    # its encoding are inside the last round): the chain no longer verifies.
    encoded = bytearray.fromhex(json.loads(record.beacon))
    encoded[-40] ^= 1
    forged = json.dumps(encoded.hex())
    with pytest.raises((kleroterion.VerificationError, kleroterion.DecodeError)):
        kleroterion.verify_beacon(forged)
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.verify_beacon('"00"')


def test_records_round_trip(small: Path, tmp_path: Path) -> None:
    record = kleroterion.AssemblyRecord.read(small)
    roll = kleroterion.read_roll(small / "roll.txt")
    record.write(tmp_path / "copy", roll=[e.to_bytes() for e in roll])
    for name in ["assembly.json", "roll.txt", "votes/harm-finding/record.json"]:
        assert (tmp_path / "copy" / name).read_bytes() == (small / name).read_bytes(), name
    vote = record.vote("harm-finding")
    assert kleroterion.VoteRecord.read(small / "votes" / "harm-finding") == vote
    vote.write(tmp_path / "vote")
    assert (tmp_path / "vote" / "record.json").read_bytes() == (small / "votes" / "harm-finding" / "record.json").read_bytes()
    assert record.vote_names == ["harm-finding", "remedy-approval"]
    with pytest.raises(KeyError):
        record.vote("nope")
    data = record.data
    data["votes"][1]["name"] = "../escape"
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.AssemblyRecord(json.dumps(data))
    data = record.data
    data["selection"]["beacon_output"] = "00"
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.AssemblyRecord(json.dumps(data))
