"""Sharded verification on Dask (spec/scale-out.md §2.5).

A record too large for one machine is verified as ``n`` independent shard
tasks — each reads the record's files (on a file system every worker sees)
and verifies the ballots of its shard — and one reduce task,
:func:`kleroterion.merge_shards`, which combines their summaries into the
report one verifier would have made. Dask schedules the tasks: a
``LocalCluster`` of processes on one machine, ``dask-scheduler`` and
``dask-worker`` on many, or Kubernetes through ``dask-kubernetes``. Nothing
here schedules anything itself.

Requires ``dask[distributed]`` (``pip install ./python[dask]``) on the
client and every worker, and this package on every worker.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, List, Optional, Union, cast

from . import _native
from .records import Anchors, _anchors_json
from .report import Report

if TYPE_CHECKING:  # pragma: no cover
    from dask.delayed import Delayed
    from distributed import Client

__all__ = ["verification_graph", "verify_on_dask"]

PathLike = Union[str, "os.PathLike[str]"]


def _shard_task(path: str, index: int, count: int, by: str, anchors_json: Optional[str]) -> str:
    """One map task: the JSON summary of shard ``index`` of ``count``."""
    return _native.verify_shard(path, index, count, by, anchors_json)


def _merge_task(summaries: List[str]) -> Report:
    """The reduce task: the merged report."""
    return Report.from_native(_native.merge_shards(list(summaries)))


def verification_graph(
    path: PathLike,
    shards: int,
    *,
    by: str = "id",
    anchors: Optional[Anchors] = None,
) -> "Delayed":
    """The task graph of a sharded verification of the record directory
    ``path``: ``shards`` shard tasks (``kleroterion-shard``) and one merge
    task (``kleroterion-merge``) whose result is the :class:`Report`.
    Compute it with any Dask scheduler (``graph.compute()``,
    ``client.compute(graph)``). ``path`` must be readable by every worker at
    the same path."""
    from dask.delayed import delayed

    if shards < 1:
        raise _native.ParameterError("a sharded verification needs at least one shard")
    path_str = os.fspath(path)
    anchors_json = _anchors_json(anchors)
    parts = [
        delayed(_shard_task, pure=False, name=f"kleroterion-shard-{i}")(
            path_str, i, shards, by, anchors_json
        )
        for i in range(shards)
    ]
    return cast("Delayed", delayed(_merge_task, pure=False, name="kleroterion-merge")(parts))


def verify_on_dask(
    path: PathLike,
    shards: int,
    client: Optional["Client"] = None,
    *,
    by: str = "id",
    anchors: Optional[Anchors] = None,
) -> Report:
    """Verifies the record directory ``path`` in ``shards`` shard tasks on the
    Dask cluster of ``client`` (the current client if ``None``) and merges
    them there; returns the report, equal check by check to
    :func:`kleroterion.verify`'s (without the statements). Raises what a task
    raised, e.g. :class:`kleroterion.ShardMergeError`."""
    if client is None:
        from distributed import get_client

        client = get_client()
    graph = verification_graph(path, shards, by=by, anchors=anchors)
    future: Any = client.compute(graph)  # type: ignore[no-untyped-call]
    return cast(Report, future.result())
