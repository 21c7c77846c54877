"""Sharded verification (spec/scale-out.md §2): each shard of a record is
verified by an independent job into a :class:`ShardSummary`, and
:func:`merge_shards` — the reduce step — combines the summaries of shards
``0..n`` into the report one verifier reading everything would make.
:mod:`kleroterion.distributed` runs the shards as tasks of a Dask cluster."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Optional, Union, cast

from . import _native
from .records import Anchors, _anchors_json
from .report import Report

__all__ = ["ShardSummary", "verify_shard", "merge_shards"]

PathLike = Union[str, "os.PathLike[str]"]


class ShardSummary:
    """What one shard job outputs (format ``kleroterion-shard-summary/1``, the
    JSON of ``kleroterion verify --shard``): the record's digest, the shard,
    shard 0's ballot-independent sections, and per vote the mergeable ballot
    checks and partial encrypted tally. Picklable; a few kilobytes when split
    by ballot id."""

    def __init__(self, json_text: str) -> None:
        """A summary from its JSON (checked when merged)."""
        self._json = json_text

    @classmethod
    def load(cls, path: PathLike) -> "ShardSummary":
        """Reads a summary written by :meth:`save` or by ``kleroterion verify --shard``."""
        with open(path, encoding="utf-8") as f:
            return cls(f.read())

    def save(self, path: PathLike) -> None:
        """Writes the summary (``kleroterion merge`` reads it too)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self._json + "\n")

    def to_json(self) -> str:
        """The summary's JSON."""
        return self._json

    @property
    def data(self) -> Dict[str, Any]:
        """The summary as a dict."""
        return cast(Dict[str, Any], json.loads(self._json))

    @property
    def index(self) -> int:
        """The shard's index."""
        return int(self.data["shard"]["index"])

    @property
    def count(self) -> int:
        """The number of shards of the split."""
        return int(self.data["shard"]["count"])

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (ShardSummary, (self._json,))


def verify_shard(
    path: PathLike,
    index: int,
    count: int,
    *,
    by: str = "id",
    anchors: Optional[Anchors] = None,
) -> ShardSummary:
    """Verifies shard ``index`` of ``count`` of the record directory ``path``
    (an assembly or a vote), split ``by`` ballot ``"id"`` (every ballot with
    one id in one shard: the split for national records) or ``"position"``.
    Shard 0 also makes the checks that do not depend on the ballots. Raises
    :class:`kleroterion.ParameterError` for ``index >= count``."""
    return ShardSummary(
        _native.verify_shard(os.fspath(path), index, count, by, _anchors_json(anchors))
    )


def merge_shards(summaries: Iterable[ShardSummary]) -> Report:
    """Merges the summaries of shards ``0..n`` of one record (in any order)
    into the report: the checks of one verifier reading everything (no
    statements). Raises :class:`kleroterion.ShardMergeError` for summaries of
    different records or splits, a missing or repeated shard."""
    return Report.from_native(_native.merge_shards([s.to_json() for s in summaries]))
