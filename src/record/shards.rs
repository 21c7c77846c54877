//! Shard summaries and their merge (spec/record.md §4.1,
//! spec/scale-out.md §2): what one job of a sharded verification outputs,
//! and the reduce step that combines the summaries of shards `0..n` into
//! the report one verifier reading everything would have made.
//!
//! A job verifies one [`Shard`] of a record directory
//! ([`ShardSummary::of_assembly_dir`], [`ShardSummary::of_vote_dir`]) and
//! writes its summary as JSON (format [`FORMAT`]); [`merge`] takes the
//! summaries in any order. Jobs can run anywhere — processes, machines, the
//! tasks of a distributed engine (the Python package runs them on Dask) —
//! as long as each reads the same record: summaries name it by
//! [`record_digest`].

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use std::io;
use std::path::Path;

use rand_core::{CryptoRng, RngCore};

use super::anchor::Anchoring;
use super::files::{
    record_digest, verify_assembly_dir_shard, verify_vote_dir_shard, vote_title, AssemblyShard,
    VOTE_TITLE,
};
use super::{AssemblyRecord, BallotChecks, Shard, ShardBy};
use crate::report::{check_lines, id_order, CheckLine, Report, Section, Status};
use crate::tally::TallyAccumulator;

/// The format identifier of a shard summary.
pub const FORMAT: &str = "kleroterion-shard-summary/1";

/// One vote's part of a shard summary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VoteSummary {
    /// The vote's section title (`Vote "name"`, or `Vote` for a vote
    /// directory).
    pub title: String,
    /// The checks that do not depend on the cast ballots (E1–E3, E10–E12,
    /// E15, E16; every shard makes them, the merge keeps shard 0's).
    pub record_checks: Vec<CheckLine>,
    /// The record's encrypted tally, which E9 compares with the merged
    /// sums.
    pub tally: TallyAccumulator,
    /// The shard's mergeable ballot checks E4–E9 (E13, E14).
    pub ballots: BallotChecks,
}

/// What one shard job outputs (format [`FORMAT`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShardSummary {
    /// [`FORMAT`].
    pub format: String,
    /// SHA3-256 of the record's files ([`record_digest`]), so that only
    /// shards of the same record (streams included) are merged.
    pub record: String,
    /// Which shard this is.
    pub shard: Shard,
    /// The anchors, beacon and draw sections (shard 0 of an assembly
    /// record; empty otherwise).
    pub sections: Vec<Section>,
    /// Every vote, in record order.
    pub votes: Vec<VoteSummary>,
}

impl ShardSummary {
    /// The summary of shard `shard` of an assembly record whose files have
    /// the digest `digest`.
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
            sections: out.sections.to_sections(),
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

    /// The summary of shard `shard` of a single vote's directory: its
    /// record's encrypted `tally`, the ballot-independent `record_checks`
    /// and the shard's `ballots`.
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
            votes: alloc::vec![VoteSummary {
                title: VOTE_TITLE.into(),
                record_checks: check_lines(record_checks),
                tally: tally.clone(),
                ballots,
            }],
        }
    }

    /// Verifies shard `shard` of the assembly record directory `dir`
    /// against `anchoring` and summarises it. `progress(vote, lines)`
    /// reports streaming progress.
    pub fn of_assembly_dir<R: RngCore + CryptoRng>(
        dir: impl AsRef<Path>,
        anchoring: Anchoring<'_>,
        shard: Shard,
        rng: &mut R,
        progress: impl FnMut(&str, u64),
    ) -> io::Result<Self> {
        let dir = dir.as_ref();
        let (record, out) = verify_assembly_dir_shard(dir, anchoring, shard, rng, progress)?;
        Ok(Self::of_assembly(record_digest(dir)?, shard, &record, out))
    }

    /// Verifies shard `shard` of the vote directory `dir` and summarises
    /// it. `progress(lines)` reports streaming progress.
    pub fn of_vote_dir<R: RngCore + CryptoRng>(
        dir: impl AsRef<Path>,
        shard: Shard,
        rng: &mut R,
        progress: impl FnMut(u64),
    ) -> io::Result<Self> {
        let dir = dir.as_ref();
        let (record, checks, ballots) = verify_vote_dir_shard(dir, shard, rng, progress)?;
        Ok(Self::of_vote(
            record_digest(dir)?,
            shard,
            &record.tally,
            &checks,
            ballots,
        ))
    }
}

/// Why shard summaries cannot be merged: they are not the summaries of
/// shards `0..n` of one split of one record, once each.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MergeError {
    /// No summary was given.
    Empty,
    /// A summary has another format than [`FORMAT`].
    Format {
        /// The format it names.
        found: String,
    },
    /// A summary belongs to another split (count or [`ShardBy`]) than the
    /// first.
    Split {
        /// Its shard.
        shard: Shard,
        /// The first summary's shard count.
        count: u64,
        /// The first summary's split.
        by: ShardBy,
    },
    /// A shard index is given twice.
    Repeated {
        /// The index.
        index: u64,
        /// The shard count.
        count: u64,
    },
    /// A shard index is missing.
    Missing {
        /// The index.
        index: u64,
        /// The shard count.
        count: u64,
    },
    /// A shard verified another record (or other streams) than shard 0.
    OtherRecord {
        /// The shard's index.
        index: u64,
    },
    /// A shard's votes differ from shard 0's: their number, a title or a
    /// record's encrypted tally.
    OtherVotes {
        /// The shard's index.
        index: u64,
        /// What differs.
        what: String,
    },
    /// The ballot checks of a vote cannot be merged
    /// ([`BallotChecks::merge`]).
    Ballots {
        /// The vote's section title.
        vote: String,
        /// The library's error.
        error: crate::error::Error,
    },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Empty => f.write_str("no shard summaries to merge"),
            MergeError::Format { found } => {
                write!(f, "unsupported format {found:?} (expected {FORMAT})")
            }
            MergeError::Split { shard, count, by } => write!(
                f,
                "shard {}/{} ({:?}) does not belong to a split into {count} by {by:?}",
                shard.index(),
                shard.count(),
                shard.by()
            ),
            MergeError::Repeated { index, count } => {
                write!(f, "shard {index}/{count} is given twice")
            }
            MergeError::Missing { index, count } => write!(f, "shard {index}/{count} is missing"),
            MergeError::OtherRecord { index } => {
                write!(f, "shard {index} verified another record")
            }
            MergeError::OtherVotes { index, what } => {
                write!(f, "shard {index}: {what} does not match shard 0's")
            }
            MergeError::Ballots { vote, error } => write!(f, "cannot merge {vote}: {error}"),
        }
    }
}

impl core::error::Error for MergeError {}

/// Merges the summaries of shards `0..n` of one record, given in any
/// order, into the report's sections: shard 0's anchors, beacon and draw
/// sections, then each vote with shard 0's record checks and the merged
/// ballot checks E4–E9 (E13, E14), in numeric order. The sections equal
/// those of one verifier reading the whole record (spec/record.md §4.1).
pub fn merge(summaries: Vec<ShardSummary>) -> Result<Vec<Section>, MergeError> {
    let Some((count, by)) = summaries.first().map(|s| (s.shard.count(), s.shard.by())) else {
        return Err(MergeError::Empty);
    };
    let mut by_index = BTreeMap::new();
    for s in summaries {
        if s.format != FORMAT {
            return Err(MergeError::Format { found: s.format });
        }
        let index = s.shard.index();
        if s.shard.count() != count || s.shard.by() != by || index >= count {
            return Err(MergeError::Split {
                shard: s.shard,
                count,
                by,
            });
        }
        if by_index.insert(index, s).is_some() {
            return Err(MergeError::Repeated { index, count });
        }
    }
    if let Some(index) = (0..count).find(|i| !by_index.contains_key(i)) {
        return Err(MergeError::Missing { index, count });
    }
    let mut shards = by_index.into_values();
    let first = shards.next().ok_or(MergeError::Empty)?;
    let mut sections = first.sections;
    let record = first.record;
    let mut votes: Vec<(VoteSummary, BallotChecks)> = first
        .votes
        .into_iter()
        .map(|v| {
            let ballots = v.ballots.clone();
            (v, ballots)
        })
        .collect();
    for s in shards {
        let index = s.shard.index();
        if s.record != record {
            return Err(MergeError::OtherRecord { index });
        }
        if s.votes.len() != votes.len() {
            return Err(MergeError::OtherVotes {
                index,
                what: alloc::format!("the number of votes ({})", s.votes.len()),
            });
        }
        for ((v, merged), other) in votes.iter_mut().zip(s.votes) {
            if other.title != v.title || other.tally != v.tally {
                return Err(MergeError::OtherVotes {
                    index,
                    what: other.title,
                });
            }
            merged
                .merge(other.ballots)
                .map_err(|error| MergeError::Ballots {
                    vote: v.title.clone(),
                    error,
                })?;
        }
    }
    for (v, merged) in votes {
        let mut checks = v.record_checks;
        if let Some(why) = merged.e11_not_checked(&v.tally) {
            for c in checks
                .iter_mut()
                .filter(|c| c.id == "E11" && c.status != Status::NotChecked)
            {
                c.status = Status::NotChecked;
                c.reason = Some(why.clone());
            }
        }
        // As `BallotChecks::complete` orders them: by number.
        checks.extend(check_lines(&merged.report(&v.tally)));
        checks.sort_by_key(|c| id_order(&c.id).1);
        sections.push(Section {
            title: v.title,
            checks,
        });
    }
    Ok(sections)
}
