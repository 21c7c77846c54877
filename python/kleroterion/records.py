"""Records on disk (spec/record.md §7), their anchors, and their verification.

An assembly record directory holds ``assembly.json`` (beacon, announcement,
selection, replacements, every vote's record), ``roll.txt`` (optional) and
``votes/<name>/`` with each vote's ``record.json``, ``ballots.txt`` and
``challenged.txt``; a vote directory on its own is also a record. Every
record read here goes through the Rust decoders, which accept only
canonical encodings.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union, cast

from . import _native
from .report import Report

__all__ = [
    "Anchors",
    "AssemblyRecord",
    "VoteRecord",
    "verify",
    "verify_selection",
    "simulate",
]

PathLike = Union[str, "os.PathLike[str]"]


class Anchors:
    """The values an organiser publishes outside the record, each before the
    event it fixes (spec/anchors.md): the beacon chain id, the draw
    announcement's hash, and per vote its manifest, trustees and electorate.

    An auditor takes them from where they were published — never from the
    record — and verifies against them (:func:`verify`).
    """

    def __init__(self, json_text: str) -> None:
        """Anchors from their JSON (as ``kleroterion anchors`` writes them);
        raises :class:`kleroterion.DecodeError` if they do not decode."""
        self._json = _native.canonical_anchors(json_text)

    @classmethod
    def of_record(cls, dir: PathLike) -> "Anchors":
        """The anchors of the assembly record in ``dir`` (what its organiser
        should have published)."""
        return cls(_native.anchors_of(os.fspath(dir)))

    @classmethod
    def load(cls, path: PathLike) -> "Anchors":
        """Reads anchors from a JSON file."""
        with open(path, encoding="utf-8") as f:
            return cls(f.read())

    def save(self, path: PathLike) -> None:
        """Writes the anchors as JSON."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self._json + "\n")

    def to_json(self) -> str:
        """The anchors' JSON."""
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The anchors as a dict: ``beacon_chain``, ``announcement`` (hex) and ``votes``."""
        return cast(Dict[str, Any], json.loads(self._json))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Anchors) and self.data == other.data

    def __repr__(self) -> str:
        return f"Anchors({self._json!r})"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Anchors, (self._json,))


def _anchors_json(anchors: Optional[Anchors]) -> Optional[str]:
    if anchors is None:
        return None
    if not isinstance(anchors, Anchors):
        raise TypeError("anchors must be an Anchors (Anchors.load(path) reads a file)")
    return anchors.to_json()


def verify(path: PathLike, anchors: Optional[Anchors] = None) -> Report:
    """Verifies the record at ``path`` and returns its report.

    ``path`` is an assembly record directory (checks A1–A3, B1–B4, S1–S17 and
    every vote's E1–E16), a vote directory (E1–E14) or a beacon record file
    (B1). With ``anchors`` (assembly records only) the anchored checks compare
    the record with the published values; without, they are *not anchored*
    and the verdict is at best ``incomplete``. A record file that is read but
    does not decode gives a report with check R1 failed. Raises ``OSError``
    (e.g. ``FileNotFoundError``) for files that cannot be read and
    :class:`kleroterion.ParameterError` for a directory that is not a record.
    """
    return Report.from_native(_native.verify(os.fspath(path), _anchors_json(anchors)))


def verify_selection(path: PathLike, anchors: Optional[Anchors] = None) -> Report:
    """Verifies an assembly record's anchors, beacon and draw (with the roll
    if ``roll.txt`` is present), without the votes."""
    return Report.from_native(
        _native.verify_selection(os.fspath(path), _anchors_json(anchors))
    )


def simulate(
    dir: PathLike,
    *,
    citizens: int = 10_000,
    strata: int = 5,
    seats: int = 150,
    reserve: int = 3,
    challenged: int = 3,
    consultation_ballots: int = 0,
    features: bool = True,
    seed: Optional[int] = None,
) -> None:
    """Simulates an assembly's whole life cycle and writes its record into
    ``dir`` (which must be empty or absent): a roll of ``citizens`` in
    ``strata`` regions, a threshold beacon, a draw of ``seats`` with
    ``reserve`` reserves per region, a replacement, two secret votes of the
    delegates (``challenged`` ballots opened in each), optionally a
    consultation of ``consultation_ballots`` citizens, decryption by three of
    five trustees. The draw is by overlapping features (age × gender ×
    region, at most one delegate per household: spec/sortition.md §10) or,
    with ``features=False``, proportional to the regions. With the defaults
    and ``seed=1`` this is the record of
    ``cargo run --example assembly -- --seed 1``.
    """
    _native.simulate(
        os.fspath(dir),
        citizens,
        strata,
        seats,
        reserve,
        challenged,
        consultation_ballots,
        features,
        seed,
    )


class VoteRecord:
    """A vote's record (``record.json``): manifest, trustees' transcript,
    encrypted tally, partial decryptions, announced result, eligibility set."""

    def __init__(self, json_text: str) -> None:
        """A vote record from its JSON; raises :class:`kleroterion.DecodeError`
        unless every encoding in it is canonical."""
        self._json = _native.canonical_vote(json_text)

    @classmethod
    def read(cls, dir: PathLike) -> "VoteRecord":
        """Reads ``record.json`` from a vote directory."""
        return cls(_native.read_vote(os.fspath(dir)))

    def write(self, dir: PathLike) -> None:
        """Writes ``record.json`` into ``dir`` (the ballot streams are not part of it)."""
        _native.write_vote_json(os.fspath(dir), self._json)

    def to_json(self) -> str:
        """The record's canonical JSON."""
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The record as a dict (binary fields as hex strings)."""
        return cast(Dict[str, Any], json.loads(self._json))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VoteRecord) and self.data == other.data

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (VoteRecord, (self._json,))


class AssemblyRecord:
    """An assembly record (``assembly.json``): beacon, draw announcement,
    selection, replacements and every vote's record."""

    def __init__(self, json_text: str) -> None:
        """An assembly record from its JSON; raises
        :class:`kleroterion.DecodeError` unless every encoding in it is
        canonical, :class:`kleroterion.ParameterError` for unsafe vote names."""
        self._json = _native.canonical_assembly(json_text)

    @classmethod
    def read(cls, dir: PathLike) -> "AssemblyRecord":
        """Reads ``assembly.json`` from an assembly record directory."""
        return cls(_native.read_assembly(os.fspath(dir)))

    def write(self, dir: PathLike, roll: Optional[Iterable[bytes]] = None) -> None:
        """Writes ``assembly.json`` and each vote's ``record.json`` into
        ``dir``; with ``roll`` (canonical encodings of the entries, canonical
        order) also ``roll.txt``. Ballot streams are written separately."""
        lines = None if roll is None else [bytes(e).hex() for e in roll]
        _native.write_assembly_json(os.fspath(dir), self._json, lines)

    def to_json(self) -> str:
        """The record's canonical JSON."""
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The record as a dict (binary fields as hex strings)."""
        return cast(Dict[str, Any], json.loads(self._json))

    @property
    def announcement(self) -> Dict[str, Any]:
        """The draw announcement (see :class:`kleroterion.Announcement`)."""
        return cast(Dict[str, Any], self.data["announcement"])

    @property
    def selection(self) -> Dict[str, Any]:
        """The selection record: beacon output, seed and per stratum its
        count on the roll, quota, seats, delegates and reserves."""
        return cast(Dict[str, Any], self.data["selection"])

    @property
    def beacon(self) -> str:
        """The beacon record's JSON (a string of hex), for :func:`kleroterion.verify_beacon`."""
        return json.dumps(self.data["beacon"])

    @property
    def vote_names(self) -> List[str]:
        """The votes' names, in the order they were held."""
        return [v["name"] for v in self.data["votes"]]

    def vote(self, name: str) -> VoteRecord:
        """The record of vote ``name``; ``KeyError`` if there is none."""
        for v in self.data["votes"]:
            if v["name"] == name:
                return VoteRecord(json.dumps(v["record"]))
        raise KeyError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssemblyRecord) and self.data == other.data

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (AssemblyRecord, (self._json,))
