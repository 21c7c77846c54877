"""Sharded verification: shard summaries merged locally and on a Dask
LocalCluster of processes equal the one-verifier report."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import kleroterion
from kleroterion import Verdict


@pytest.mark.parametrize("by", ["position", "id"])
def test_merged_shards_equal_one_verifier(example: Path, example_anchors: kleroterion.Anchors, by: str) -> None:
    whole = kleroterion.verify(example, anchors=example_anchors)
    summaries = [kleroterion.verify_shard(example, i, 3, by=by, anchors=example_anchors) for i in range(3)]
    random.Random(1).shuffle(summaries)
    merged = kleroterion.merge_shards(summaries)
    assert merged.outcomes() == whole.outcomes()
    assert merged.verdict is Verdict.PASSED


def test_a_tampered_record_fails_the_same_way_sharded(small: Path) -> None:
    ballots = small / "votes" / "harm-finding" / "ballots.txt"
    lines = ballots.read_text().splitlines(keepends=True)
    ballots.write_text("".join(lines + lines[:1]))  # a ballot cast twice
    whole = kleroterion.verify(small)
    assert whole.get("E5", 'Vote "harm-finding"').failed
    for by in ("position", "id"):
        merged = kleroterion.merge_shards(kleroterion.verify_shard(small, i, 4, by=by) for i in range(4))
        assert merged.outcomes() == whole.outcomes()


def test_merge_refuses_what_is_not_one_split_of_one_record(small: Path, small_source: Path, tmp_path: Path) -> None:
    parts = [kleroterion.verify_shard(small, i, 2) for i in range(2)]
    with pytest.raises(kleroterion.ShardMergeError, match="missing"):
        kleroterion.merge_shards(parts[:1])
    with pytest.raises(kleroterion.ShardMergeError, match="twice"):
        kleroterion.merge_shards([parts[0], parts[0], parts[1]])
    with pytest.raises(kleroterion.ShardMergeError, match="no shard"):
        kleroterion.merge_shards([])
    with pytest.raises(kleroterion.ShardMergeError, match="split"):
        kleroterion.merge_shards([parts[0], kleroterion.verify_shard(small, 1, 2, by="position")])
    (small / "votes" / "harm-finding" / "challenged.txt").write_text("")
    other = kleroterion.verify_shard(small, 1, 2)
    with pytest.raises(kleroterion.ShardMergeError, match="another record"):
        kleroterion.merge_shards([parts[0], other])
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.verify_shard(small, 2, 2)
    with pytest.raises(kleroterion.ParameterError):
        kleroterion.verify_shard(small, 0, 2, by="colour")
    data = parts[1].data
    data["format"] = "something-else/1"
    with pytest.raises(kleroterion.ShardMergeError, match="format"):
        kleroterion.merge_shards([parts[0], kleroterion.ShardSummary(json.dumps(data))])
    parts[0].save(tmp_path / "s0.json")
    assert kleroterion.ShardSummary.load(tmp_path / "s0.json").index == 0


def test_dask_local_cluster_of_processes(example: Path, example_anchors: kleroterion.Anchors) -> None:
    distributed = pytest.importorskip("distributed")
    from kleroterion.distributed import verification_graph, verify_on_dask

    whole = kleroterion.verify(example, anchors=example_anchors)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        merged = verify_on_dask(example, 4, client, anchors=example_anchors)
        assert merged.outcomes() == whole.outcomes()
        assert merged.verdict is Verdict.PASSED
        # The tasks ran on the workers' processes, not in this one.
        graph = verification_graph(example, 4, anchors=example_anchors)
        assert len(graph.dask) == 5  # four shards and the merge
        workers = client.run(lambda: __import__("os").getpid())
        assert len(set(workers.values())) == 2
        # A task's exception reaches the caller with its type.
        with pytest.raises(FileNotFoundError):
            verify_on_dask(example.parent / "nothing-here", 2, client)
        with pytest.raises(kleroterion.ParameterError):
            verify_on_dask(example, 0, client)
