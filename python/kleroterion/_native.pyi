"""Typed stubs of the Rust extension ``kleroterion._native``. Records,
reports and summaries cross the boundary as their JSON; the pure-Python
modules of the package wrap them in typed objects."""

from typing import List, Optional, Tuple

__version__: str

class KleroterionError(Exception):
    """Base class of every error kleroterion raises (files raise OSError)."""

class DecodeError(KleroterionError):
    """Input does not decode: bad JSON, a non-canonical encoding, a wrong length, bad hex."""

class VerificationError(KleroterionError):
    """A proof, signature or beacon round did not verify."""

class ParameterError(KleroterionError):
    """A parameter is outside what the protocol allows."""

class ShardMergeError(KleroterionError):
    """Shard summaries are not shards 0..n of one split of one record, once each."""

def verify(path: str, anchors_json: Optional[str] = None) -> str:
    """Verifies an assembly directory, vote directory or beacon file; report JSON."""

def verify_selection(path: str, anchors_json: Optional[str] = None) -> str:
    """Verifies an assembly's anchors, beacon and draw; report JSON."""

def verify_beacon_json(record_json: str) -> str:
    """Verifies a beacon record's JSON (check B1); report JSON."""

def read_assembly(dir: str) -> str:
    """``assembly.json`` of a record directory, canonical JSON."""

def read_vote(dir: str) -> str:
    """``record.json`` of a vote directory, canonical JSON."""

def canonical_assembly(json: str) -> str:
    """Decodes and re-encodes an assembly record's JSON."""

def canonical_vote(json: str) -> str:
    """Decodes and re-encodes a vote record's JSON."""

def write_assembly_json(dir: str, json: str, roll: Optional[List[str]] = None) -> None:
    """Writes ``assembly.json``, each vote's ``record.json`` and optionally ``roll.txt``."""

def write_vote_json(dir: str, json: str) -> None:
    """Writes a vote's ``record.json``."""

def anchors_of(dir: str) -> str:
    """The anchors of an assembly record directory, JSON."""

def canonical_anchors(json: str) -> str:
    """Decodes and re-encodes published anchors."""

def simulate(
    dir: str,
    citizens: int,
    strata: int,
    seats: int,
    reserve: int,
    challenged: int,
    consultation_ballots: int,
    features: bool,
    seed: Optional[int] = None,
) -> None:
    """Simulates an assembly's life cycle into ``dir``."""

def encode_roll_entry(key: bytes, attributes: List[Tuple[str, bytes]]) -> bytes:
    """The canonical encoding of a roll entry."""

def decode_roll_entry(encoded: bytes) -> Tuple[bytes, List[Tuple[str, bytes]]]:
    """The key and attributes of an encoded roll entry."""

def commit_roll(encoded: List[bytes]) -> Tuple[str, int]:
    """Merkle root (hex) and size of a roll in canonical order."""

def commit_roll_file(path: str) -> Tuple[str, int]:
    """Merkle root (hex) and size of a ``roll.txt`` file."""

def announcement(json: str) -> Tuple[str, str]:
    """Canonical JSON and hash (hex) of a draw announcement."""

def run_draw(announcement_json: str, beacon_output: bytes, roll: List[bytes]) -> str:
    """The selection record (JSON) of a draw."""

def verify_draw(
    selection_json: str,
    announcement_json: str,
    beacon_output: bytes,
    roll: Optional[List[bytes]] = None,
) -> str:
    """Checks S1–S11 (S12–S14 with the roll) of a selection record; report JSON."""

def beacon_outputs(record_json: str) -> Tuple[str, List[Tuple[int, str]]]:
    """Chain id and verified outputs (hex) of a beacon record."""

def verify_beacon_round(record_json: str, round: int) -> str:
    """The verified output (hex) of one round of a beacon record."""

def verify_shard(
    path: str,
    index: int,
    count: int,
    by: str = "position",
    anchors_json: Optional[str] = None,
) -> str:
    """The shard summary (JSON) of one shard of a record directory."""

def merge_shards(summaries: List[str]) -> str:
    """The merged report (JSON) of shard summaries 0..n."""
