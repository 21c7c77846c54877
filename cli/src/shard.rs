//! Sharded verification: `verify --shard i/n` writes a shard summary, and
//! `merge` combines the summaries of shards `0..n` into the final report
//! (spec/record.md §4.1); both are the library's `record::shards`.

use std::path::Path;
use std::str::FromStr;

use anyhow::{ensure, Context, Result};
use kleroterion::record::shards::{merge, ShardSummary, FORMAT};
use kleroterion::record::{Shard, ShardBy};

use crate::verdict::Verdict;

/// `i/n` on the command line.
#[derive(Clone, Copy, Debug)]
pub struct ShardArg(pub Shard);

impl FromStr for ShardArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected i/n (e.g. 0/4), got {s:?}"))?;
        let i: u64 = i.trim().parse().map_err(|e| format!("shard index: {e}"))?;
        let n: u64 = n.trim().parse().map_err(|e| format!("shard count: {e}"))?;
        if n == 0 {
            return Err(String::from("shard count must be at least 1 (e.g. 0/4)"));
        }
        Shard::new(i, n)
            .map(ShardArg)
            .map_err(|_| format!("shard index {i} must be less than the count {n}"))
    }
}

/// `--shard-by`: how ballots are split across shards.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SplitArg {
    /// The ballot at position p goes to shard p mod n.
    Position,
    /// A ballot goes to shard (first 8 bytes of its id, little-endian) mod n.
    Id,
}

impl From<SplitArg> for ShardBy {
    fn from(a: SplitArg) -> Self {
        match a {
            SplitArg::Position => ShardBy::Position,
            SplitArg::Id => ShardBy::BallotId,
        }
    }
}

/// Reads shard summaries and merges them into the final report
/// (the library's [`merge`]).
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Verdict> {
    let mut summaries = Vec::with_capacity(paths.len());
    for p in paths {
        let p = p.as_ref();
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        let s: ShardSummary = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a shard summary", p.display()))?;
        ensure!(
            s.format == FORMAT,
            "{}: unsupported format {:?} (expected {FORMAT})",
            p.display(),
            s.format
        );
        summaries.push(s);
    }
    Ok(Verdict {
        sections: merge(summaries)?,
        ..Verdict::default()
    })
}
