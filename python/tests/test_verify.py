"""Verifying records: the example record, tampered records, anchors."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import kleroterion
from kleroterion import Outcome, StatementStatus, Verdict

# The roll root README.md prints for `cargo run --release --example assembly -- --seed 1`.
EXAMPLE_ROLL_ROOT = "458ae9b591df"


def test_example_record_passes_against_its_anchors(example: Path, example_anchors: kleroterion.Anchors) -> None:
    report = kleroterion.verify(example, anchors=example_anchors)
    assert report.verdict is Verdict.PASSED
    assert len(report) == 65  # with the fairness certificate's F2, F4, F5, F7
    assert [c.number for c in report] == list(range(1, 66))
    assert report.sections() == ["Anchors", "Beacon", "Draw", 'Vote "harm-finding"', 'Vote "remedy-approval"']
    assert report.get("S16").passed and report.get("E16", 'Vote "remedy-approval"').passed
    assert report.statements and all(s.status is StatementStatus.PROVEN for s in report.statements)
    assert report.summary["draw"]["roll_root"].startswith(EXAMPLE_ROLL_ROOT)
    assert report.summary["draw"]["delegates"] == 150
    counts = {v["name"]: v["contests"][0]["counts"] for v in report.summary["votes"]}
    assert counts == {"harm-finding": [106, 35, 9], "remedy-approval": [79, 59, 12]}  # README
    assert report.record_digest is not None and report.record_digest[0] == "assembly.json"
    assert report.get("F7").passed
    assert "all 65 checks passed" in str(report)


def test_without_anchors_the_record_is_consistent_not_proven(example: Path) -> None:
    report = kleroterion.verify(example)
    assert report.verdict is Verdict.INCOMPLETE
    assert not report.failures()
    assert [c.id for c in report if c.outcome is Outcome.NOT_ANCHORED] == ["A1", "A2", "A3", "E15", "E15"]
    a1 = report.get("A1")
    assert a1 is not None and a1.reason and "5b453b58cf18" in a1.reason  # the digest to compare
    assert any(s.status is StatementStatus.NOT_PROVEN for s in report.statements)


def test_anchors_of_another_record_fail(example: Path, small_source: Path) -> None:
    report = kleroterion.verify(example, anchors=kleroterion.Anchors.of_record(small_source))
    assert report.verdict is Verdict.FAILED
    failed = {c.id for c in report.failures()}
    assert {"A1", "A2", "E15"} <= failed  # A3 (the vote names) agrees: same names


def test_anchors_round_trip_through_a_file(example_anchors: kleroterion.Anchors, tmp_path: Path) -> None:
    example_anchors.save(tmp_path / "anchors.json")
    assert kleroterion.Anchors.load(tmp_path / "anchors.json") == example_anchors
    assert set(example_anchors.data) >= {"beacon_chain", "announcement", "votes"}


def _lines(path: Path) -> list:
    return path.read_text().splitlines(keepends=True)


def test_a_dropped_ballot_fails_the_tally_check(small: Path) -> None:
    ballots = small / "votes" / "harm-finding" / "ballots.txt"
    ballots.write_text("".join(_lines(ballots)[:-1]))
    report = kleroterion.verify(small)
    assert report.verdict is Verdict.FAILED
    assert report.get("E9", 'Vote "harm-finding"').failed  # the sums no longer match the tally
    assert report.get("E9", 'Vote "remedy-approval"').passed
    refuted = [s for s in report.statements if s.status is StatementStatus.REFUTED]
    assert refuted and all(s.vote == "harm-finding" for s in refuted)


def test_swapped_ballots_break_the_receipt_chain(small: Path) -> None:
    ballots = small / "votes" / "remedy-approval" / "ballots.txt"
    lines = _lines(ballots)
    lines[0], lines[1] = lines[1], lines[0]
    ballots.write_text("".join(lines))
    report = kleroterion.verify(small)
    assert report.get("E6", 'Vote "remedy-approval"').failed
    assert report.get("E9", 'Vote "remedy-approval"').passed  # the same ballots, summed


def test_an_assembly_file_that_does_not_decode_fails_r1(small: Path) -> None:
    path = small / "assembly.json"
    data = json.loads(path.read_text())
    data["announcement"]["roll"]["root"] = "zz" * 32
    path.write_text(json.dumps(data))
    report = kleroterion.verify(small)
    assert [(c.id, c.outcome) for c in report] == [("R1", Outcome.FAILED)]
    assert report.verdict is Verdict.FAILED


def test_a_vote_directory_and_a_beacon_file(small: Path, tmp_path: Path) -> None:
    vote = kleroterion.verify(small / "votes" / "harm-finding")
    assert vote.verdict is Verdict.PASSED
    assert vote.sections() == ["Vote"] and vote.get("E14").passed
    beacon = tmp_path / "beacon.json"
    beacon.write_text(kleroterion.AssemblyRecord.read(small).beacon)
    report = kleroterion.verify(beacon)
    assert [(c.id, c.outcome) for c in report] == [("B1", Outcome.PASSED)]


def test_selection_only(small: Path) -> None:
    report = kleroterion.verify_selection(small, anchors=kleroterion.Anchors.of_record(small))
    assert report.verdict is Verdict.PASSED
    assert report.sections() == ["Anchors", "Beacon", "Draw"]
    # The draw's statements, proven; no fairness figures for a proportional draw.
    assert report.statements and all(s.status is StatementStatus.PROVEN for s in report.statements)
    assert report.fairness is None and report.summary["votes"] == []
    (small / "roll.txt").unlink()
    report = kleroterion.verify_selection(small)
    assert report.get("S12").outcome is Outcome.NOT_CHECKED


def test_reports_pickle(example: Path) -> None:
    report = kleroterion.verify(example)
    assert pickle.loads(pickle.dumps(report)) == report


def test_errors_are_typed(small: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        kleroterion.verify(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(kleroterion.ParameterError, match="not a record directory"):
        kleroterion.verify(tmp_path / "empty")
    with pytest.raises(kleroterion.DecodeError):
        kleroterion.Anchors('{"beacon_chain": "00"}')
    with pytest.raises(kleroterion.ParameterError, match="anchors apply to assembly records"):
        kleroterion.verify(small / "votes" / "harm-finding", anchors=kleroterion.Anchors.of_record(small))
    with pytest.raises(TypeError):
        kleroterion.verify(small, anchors="anchors.json")  # type: ignore[arg-type]
    for cls in (kleroterion.DecodeError, kleroterion.VerificationError, kleroterion.ParameterError, kleroterion.ShardMergeError):
        assert issubclass(cls, kleroterion.KleroterionError)
    with pytest.raises(kleroterion.ParameterError, match="not empty"):
        kleroterion.simulate(small)


DRAND_RECORD = Path(__file__).resolve().parents[2] / "test-vectors" / "drand-record"


def test_a_draw_seeded_by_a_quicknet_round_verifies() -> None:
    """The recorded draw of test-vectors/drand-record, seeded by the League of
    Entropy's quicknet round 30662992 (spec/beacon.md §3), passes against its
    anchors; a record claiming the announcement was published after the
    round fails S16."""
    anchors = kleroterion.Anchors.load(DRAND_RECORD / "anchors.json")
    report = kleroterion.verify(DRAND_RECORD, anchors=anchors)
    assert report.verdict is Verdict.PASSED, str(report)
    assert report.get("B1").passed and report.get("S16").passed
    late = json.loads((DRAND_RECORD / "anchors.json").read_text())
    late["announcement_published"] += 10**6
    report = kleroterion.verify(DRAND_RECORD, anchors=kleroterion.Anchors(json.dumps(late)))
    assert report.verdict is Verdict.FAILED
    assert {c.id for c in report.failures()} == {"S16"}
