//! Sharded verification (spec/scale-out.md §2): one shard of a record
//! directory verified into a shard summary (JSON), and the merge of the
//! summaries of shards `0..n` into the report — the map and the reduce of
//! a distributed verification (`kleroterion.distributed` runs them on
//! Dask).

use std::path::PathBuf;

use kleroterion::record::files::{record_kind, RecordKind};
use kleroterion::record::shards::{merge, ShardSummary};
use kleroterion::record::{Anchoring, Shard, ShardBy};
use pyo3::prelude::*;
use rand_core::OsRng;

use crate::errors;
use crate::verify::{parse_anchors, NativeReport};

/// Verifies shard `index` of `count` of the record directory `path` (an
/// assembly or a vote), split `by` "position" or "id", against the
/// published anchors if given (they matter to shard 0 only), and returns
/// the shard summary as JSON (format kleroterion-shard-summary/1, as `verify
/// --shard` writes it).
#[pyfunction]
#[pyo3(signature = (path, index, count, by="position", anchors_json=None))]
fn verify_shard(
    py: Python<'_>,
    path: PathBuf,
    index: u64,
    count: u64,
    by: &str,
    anchors_json: Option<&str>,
) -> PyResult<String> {
    let by = match by {
        "position" => ShardBy::Position,
        "id" => ShardBy::BallotId,
        other => {
            return Err(errors::ParameterError::new_err(format!(
                "a split is by \"position\" or \"id\", not {other:?}"
            )))
        }
    };
    let shard = Shard::split(index, count, by).map_err(errors::lib)?;
    let anchors = parse_anchors(anchors_json)?;
    let anchoring = anchors
        .as_ref()
        .map_or(Anchoring::Unanchored, Anchoring::Published);
    let summary = match record_kind(&path).map_err(errors::io)? {
        RecordKind::Assembly => py.detach(|| {
            ShardSummary::of_assembly_dir(&path, anchoring, shard, &mut OsRng, |_, _| {})
        }),
        RecordKind::Vote if anchors.is_none() => {
            py.detach(|| ShardSummary::of_vote_dir(&path, shard, &mut OsRng, |_| {}))
        }
        RecordKind::Vote => {
            return Err(errors::ParameterError::new_err(
                "anchors apply to assembly records",
            ))
        }
        RecordKind::BeaconFile => {
            return Err(errors::ParameterError::new_err(
                "only assembly and vote directories are sharded",
            ))
        }
    }
    .map_err(errors::io)?;
    errors::to_json(&summary)
}

/// Merges the shard summaries (JSON, in any order) of shards `0..n` of one
/// record into the report (JSON: sections of numbered checks). Raises
/// ShardMergeError if they are not shards `0..n` of one split of one
/// record, once each; DecodeError if one does not decode.
#[pyfunction]
fn merge_shards(summaries: Vec<String>) -> PyResult<String> {
    let summaries = summaries
        .iter()
        .map(|s| {
            serde_json::from_str::<ShardSummary>(s).map_err(|e| errors::json("shard summary", e))
        })
        .collect::<PyResult<Vec<_>>>()?;
    NativeReport::sections(merge(summaries).map_err(errors::merge)?).json()
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify_shard, m)?)?;
    m.add_function(wrap_pyfunction!(merge_shards, m)?)?;
    Ok(())
}
