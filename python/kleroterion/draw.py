"""Draws by lot (spec/sortition.md): the announcement published before the
beacon round, the draw it fixes, and the checks of a selection record."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Sequence, cast

from . import _native
from .report import Report
from .roll import RollCommitment, RollEntry

__all__ = ["Announcement", "Selection", "run_draw", "verify_draw"]


class Announcement:
    """What an organiser publishes before the beacon round that seeds a draw:
    polity, assembly, year, the roll's commitment, the beacon chain and round,
    and every parameter of the draw. Its :attr:`hash` is anchor A2."""

    def __init__(self, json_text: str) -> None:
        """An announcement from its JSON (as under ``"announcement"`` in
        ``assembly.json``); raises :class:`kleroterion.DecodeError` or
        :class:`kleroterion.ParameterError` if it is not a valid one."""
        self._json, self._hash = _native.announcement(json_text)

    @classmethod
    def new(
        cls,
        *,
        polity: str,
        assembly: str,
        year: int,
        roll: RollCommitment,
        beacon_chain: str,
        beacon_round: int,
        seats: int,
        stratify_by: Optional[str] = None,
        reserve: int = 0,
        exclusions: Sequence[bytes] = (),
        drand: bool = False,
    ) -> "Announcement":
        """A draw of ``seats`` (proportional to the strata of attribute
        ``stratify_by``, or one stratum), with ``reserve`` reserves per
        stratum, excluding the citizen keys ``exclusions``, seeded by round
        ``beacon_round`` of the chain ``beacon_chain``: the hex chain id of
        the crate's threshold beacon, or with ``drand=True`` the hex chain
        hash of a drand network (spec/sortition.md §2)."""
        data = {
            "polity": polity,
            "assembly": assembly,
            "year": year,
            "roll": {"root": roll.root, "size": roll.size},
            "beacon_chain": {("drand" if drand else "kleroterion"): beacon_chain},
            "beacon_round": beacon_round,
            "params": {
                "stratify_by": stratify_by,
                "quotas": {"Proportional": {"seats": seats}},
                "reserve": reserve,
                "exclusions": sorted({bytes(k).hex() for k in exclusions}),
                "schedule": None,
            },
        }
        return cls(json.dumps(data))

    @property
    def hash(self) -> str:
        """The announcement's hash (hex): what the organiser publishes (anchor A2)."""
        return self._hash

    @property
    def data(self) -> Dict[str, Any]:
        """The announcement as a dict."""
        return cast(Dict[str, Any], json.loads(self._json))

    def to_json(self) -> str:
        """The announcement's canonical JSON."""
        return self._json

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Announcement) and self._hash == other._hash

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Announcement, (self._json,))


class Selection:
    """A selection record (spec/sortition.md §6): the beacon output used, the
    seed, and per stratum its count on the roll, its quota, the delegates'
    seats, the delegates and the reserves, each with a Merkle inclusion proof."""

    def __init__(self, json_text: str) -> None:
        """A selection record from its JSON (as under ``"selection"`` in ``assembly.json``)."""
        self._json = json_text
        self._data: Dict[str, Any] = json.loads(json_text)

    def to_json(self) -> str:
        """The record's JSON."""
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The record as a dict."""
        return self._data

    @property
    def strata(self) -> List[Dict[str, Any]]:
        """Per stratum: ``value`` (bytes), ``size`` and ``eligible`` on the roll,
        ``quota``, ``delegates`` and ``reserves`` (lists of :class:`RollEntry`)."""
        out = []
        for s in self._data["strata"]:
            out.append(
                {
                    "value": bytes.fromhex(s["count"]["value"]),
                    "size": s["count"]["size"],
                    "eligible": s["count"]["eligible"],
                    "quota": s["quota"],
                    "seats": list(s["seats"]),
                    "delegates": [_drawn(d) for d in s["selected"]],
                    "reserves": [_drawn(d) for d in s["reserve"]],
                }
            )
        return out

    @property
    def delegates(self) -> List[RollEntry]:
        """Every delegate drawn, stratum by stratum, in draw order."""
        return [d for s in self.strata for d in s["delegates"]]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Selection, (self._json,))


def _drawn(d: Dict[str, Any]) -> RollEntry:
    e = d["entry"]
    return RollEntry(
        bytes.fromhex(e["key"]),
        tuple((a["label"], bytes.fromhex(a["value"])) for a in e["attributes"]),
    )


def run_draw(announcement: Announcement, beacon_output: bytes, roll: Iterable[RollEntry]) -> Selection:
    """Runs the draw ``announcement`` fixes, seeded by ``beacon_output`` (the
    32-byte output of the announced round, which you have verified, e.g.
    with :func:`kleroterion.verify_beacon`), over ``roll`` in canonical
    order (it must be the announced roll). Raises
    :class:`kleroterion.ParameterError` or :class:`kleroterion.VerificationError`
    (roll differs from the announcement, too few eligible citizens)."""
    return Selection(
        _native.run_draw(announcement.to_json(), bytes(beacon_output), [e.to_bytes() for e in roll])
    )


def verify_draw(
    selection: Selection,
    announcement: Announcement,
    beacon_output: bytes,
    roll: Optional[Iterable[RollEntry]] = None,
) -> Report:
    """Verifies a selection record against the published announcement and
    the verified output of its round: checks S1–S11, and with the roll
    S12–S14 (spec/sortition.md §7)."""
    encoded = None if roll is None else [e.to_bytes() for e in roll]
    return Report.from_native(
        _native.verify_draw(selection.to_json(), announcement.to_json(), bytes(beacon_output), encoded)
    )
