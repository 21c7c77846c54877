//! Sharded verification: `verify --shard i/n` writes a shard summary, and
//! `merge` combines the summaries of shards `0..n` into the final report
//! (spec/record.md §4.1).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use anyhow::{bail, ensure, Context, Result};
use kleroterion::record::files::{vote_title, AssemblyShard};
use kleroterion::record::{AssemblyRecord, BallotChecks, Shard, ShardBy};
use kleroterion::report::Report;
use kleroterion::tally::TallyAccumulator;
use serde::{Deserialize, Serialize};

use crate::verdict::{check_lines, CheckLine, Section, Status, Verdict};

/// The format identifier of a shard summary.
pub const FORMAT: &str = "kleroterion-shard-summary/1";

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

/// One vote's part of a shard summary.
#[derive(Debug, Serialize, Deserialize)]
pub struct VoteSummary {
    pub title: String,
    /// The checks that do not depend on the cast ballots (kept from shard 0).
    pub record_checks: Vec<CheckLine>,
    /// The record's encrypted tally, which E9 compares with the merged sums.
    pub tally: TallyAccumulator,
    /// The shard's mergeable ballot checks E4–E9.
    pub ballots: BallotChecks,
}

/// What one shard job outputs.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardSummary {
    pub format: String,
    /// SHA3-256 of the record's files, so that only shards of the same
    /// record (streams included) are merged.
    pub record: String,
    pub shard: Shard,
    /// The beacon and draw sections (shard 0 of an assembly record).
    pub sections: Vec<Section>,
    pub votes: Vec<VoteSummary>,
}

impl ShardSummary {
    pub fn of_assembly(
        digest: String,
        shard: Shard,
        record: &AssemblyRecord,
        out: AssemblyShard,
    ) -> Self {
        ShardSummary {
            format: FORMAT.into(),
            record: digest,
            shard,
            sections: crate::verdict::Verdict::from(&out.sections).sections,
            votes: out
                .votes
                .into_iter()
                .zip(&record.votes)
                .map(|(v, entry)| VoteSummary {
                    title: vote_title(&v.name),
                    record_checks: check_lines(&v.record_checks),
                    tally: entry.record.tally.clone(),
                    ballots: v.ballots,
                })
                .collect(),
        }
    }

    pub fn of_vote(
        digest: String,
        shard: Shard,
        tally: &TallyAccumulator,
        record_checks: &Report,
        ballots: BallotChecks,
    ) -> Self {
        ShardSummary {
            format: FORMAT.into(),
            record: digest,
            shard,
            sections: Vec::new(),
            votes: vec![VoteSummary {
                title: crate::VOTE_TITLE.into(),
                record_checks: check_lines(record_checks),
                tally: tally.clone(),
                ballots,
            }],
        }
    }
}

/// Reads shard summaries and merges them into the final report.
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
    merge(summaries)
}

/// Merges the summaries of shards `0..n` of one record, given in any order.
pub fn merge(summaries: Vec<ShardSummary>) -> Result<Verdict> {
    let Some((count, by)) = summaries.first().map(|s| (s.shard.count(), s.shard.by())) else {
        bail!("no shard summaries to merge");
    };
    let mut by_index = BTreeMap::new();
    for s in summaries {
        ensure!(
            s.shard.count() == count && s.shard.by() == by,
            "shard {}/{} ({:?}) does not belong to a split into {count} by {by:?}",
            s.shard.index(),
            s.shard.count(),
            s.shard.by()
        );
        let index = s.shard.index();
        ensure!(index < count, "shard {index}/{count} does not exist");
        ensure!(
            by_index.insert(index, s).is_none(),
            "shard {index}/{count} is given twice"
        );
    }
    if let Some(missing) = (0..count).find(|i| !by_index.contains_key(i)) {
        bail!("shard {missing}/{count} is missing");
    }
    let mut shards = by_index.into_values();
    let Some(first) = shards.next() else {
        bail!("no shard summaries to merge");
    };
    let mut votes: Vec<(VoteSummary, BallotChecks)> = Vec::new();
    let mut sections = first.sections;
    let record = first.record;
    for v in first.votes {
        let ballots = v.ballots.clone();
        votes.push((v, ballots));
    }
    for s in shards {
        ensure!(
            s.record == record,
            "shard {}/{count} verified another record",
            s.shard.index()
        );
        ensure!(
            s.votes.len() == votes.len(),
            "shard {}/{count} has {} votes, shard 0 has {}",
            s.shard.index(),
            s.votes.len(),
            votes.len()
        );
        for ((v, merged), other) in votes.iter_mut().zip(s.votes) {
            ensure!(
                other.title == v.title && other.tally == v.tally,
                "shard {}/{count}: {} does not match shard 0's",
                s.shard.index(),
                other.title
            );
            merged
                .merge(other.ballots)
                .with_context(|| format!("cannot merge {}", v.title))?;
        }
    }
    for (v, merged) in votes {
        let mut record_checks = v.record_checks;
        if let Some(why) = merged.e11_not_checked(&v.tally) {
            for c in record_checks
                .iter_mut()
                .filter(|c| c.id == "E11" && c.status != Status::NotChecked)
            {
                c.status = Status::NotChecked;
                c.reason = Some(why.clone());
            }
        }
        sections.push(Section {
            checks: complete(record_checks, check_lines(&merged.report(&v.tally))),
            title: v.title,
        });
    }
    Ok(Verdict {
        sections,
        ..Verdict::default()
    })
}

/// A vote's checks in numeric order (spec/record.md §4.1): shard 0's
/// record checks and the merged ballot checks, as the library's
/// `BallotChecks::complete` orders them.
fn complete(record_checks: Vec<CheckLine>, ballot_checks: Vec<CheckLine>) -> Vec<CheckLine> {
    let mut checks = record_checks;
    checks.extend(ballot_checks);
    checks.sort_by_key(|c| kleroterion::report::id_order(&c.id).1);
    checks
}
