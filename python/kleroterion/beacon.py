"""The threshold beacon (spec/beacon.md): verifying a beacon record — the
whole chain, or one round — and reading its verified outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict

from . import _native
from .report import Report

__all__ = ["VerifiedChain", "verify_beacon", "verify_beacon_record", "verify_beacon_round"]


@dataclass(frozen=True)
class VerifiedChain:
    """The outputs of a beacon record that verified."""

    chain_id: str
    """The chain id (hex): anchor A1, what a draw announcement names."""
    outputs: Dict[int, bytes]
    """Each round's verified 32-byte output."""


def verify_beacon(record_json: str) -> VerifiedChain:
    """Verifies a beacon record (its JSON: a string of hex, as under
    ``"beacon"`` in ``assembly.json``) and returns its verified outputs.
    Raises :class:`kleroterion.VerificationError` naming the first bad round,
    :class:`kleroterion.DecodeError` if the record does not decode."""
    chain_id, outputs = _native.beacon_outputs(record_json)
    return VerifiedChain(chain_id, {r: bytes.fromhex(o) for r, o in outputs})


def verify_beacon_record(record_json: str) -> Report:
    """The report of a beacon record on its own: check B1. Raises
    :class:`kleroterion.DecodeError` if it does not decode."""
    return Report.from_native(_native.verify_beacon_json(record_json))


def verify_beacon_round(record_json: str, round: int) -> bytes:
    """Verifies one round of a beacon record alone (against its predecessor's
    output in a chained record) and returns its output."""
    return bytes.fromhex(_native.verify_beacon_round(record_json, round))
