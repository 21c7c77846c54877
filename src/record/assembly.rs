//! The record of an assembly's whole life cycle: the beacon that seeded the
//! draw, the draw itself, and every vote (spec/record.md §6).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::beacon::threshold::{BeaconRecord, VerifiedChain};
use crate::report::{Check, Report};
use crate::sortition::{DrawAnnouncement, SelectionRecord};

use super::ElectionRecord;

/// The assembly record format version.
pub const ASSEMBLY_RECORD_VERSION: u32 = 1;

/// One vote of the assembly (harm finding, remedy approval, review).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VoteEntry {
    /// A short name, unique in the record (also the vote's directory name).
    pub name: String,
    /// The vote's record (its ballots are streamed separately).
    pub record: ElectionRecord,
}

/// The public record of an assembly: beacon, announcement, selection and
/// votes. Ballot streams and the roll are kept beside it (spec/record.md
/// §6) so that it stays small.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AssemblyRecord {
    /// [`ASSEMBLY_RECORD_VERSION`].
    pub version: u32,
    /// The beacon chain up to (at least) the round that seeded the draw.
    pub beacon: BeaconRecord,
    /// The draw's announcement, published before that round.
    pub announcement: DrawAnnouncement,
    /// The selection record of the draw.
    pub selection: SelectionRecord,
    /// The votes, in the order they were held.
    pub votes: Vec<VoteEntry>,
}

/// A report in sections (beacon, draw, each vote), with every check
/// numbered in order across sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AssemblyReport {
    /// The sections in order: title and report.
    pub sections: Vec<(String, Report)>,
}

impl AssemblyReport {
    /// Adds a section.
    pub fn push(&mut self, title: impl Into<String>, report: Report) {
        self.sections.push((title.into(), report));
    }

    /// Every check, numbered from 1, with its section.
    pub fn checks(&self) -> impl Iterator<Item = (usize, &str, &Check)> {
        self.sections
            .iter()
            .flat_map(|(title, r)| r.checks.iter().map(move |c| (title.as_str(), c)))
            .enumerate()
            .map(|(i, (t, c))| (i + 1, t, c))
    }

    /// Number of checks.
    pub fn total(&self) -> usize {
        self.sections.iter().map(|(_, r)| r.checks.len()).sum()
    }

    /// Number of failed checks.
    pub fn failed(&self) -> usize {
        self.sections
            .iter()
            .map(|(_, r)| r.failures().count())
            .sum()
    }

    /// Whether every check of every section passed (and there was one).
    pub fn all_passed(&self) -> bool {
        self.total() > 0 && self.failed() == 0
    }
}

impl fmt::Display for AssemblyReport {
    /// Numbered checks under section headings, then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut n = 0;
        for (title, report) in &self.sections {
            writeln!(f, "{title}")?;
            for c in &report.checks {
                n += 1;
                match &c.outcome {
                    crate::report::Outcome::Passed => {
                        writeln!(f, "  {n:>3}. {:<4} ok      {}", c.id, c.title)?
                    }
                    crate::report::Outcome::Failed(why) => writeln!(
                        f,
                        "  {n:>3}. {:<4} FAILED  {}\n              {why}",
                        c.id, c.title
                    )?,
                }
            }
        }
        if self.all_passed() {
            writeln!(f, "all {} checks passed", self.total())
        } else {
            writeln!(f, "{} of {} checks FAILED", self.failed(), self.total())
        }
    }
}

/// Verifies the beacon record (check B1) and returns the verified chain
/// the draw is checked against.
pub fn verify_beacon<R: rand_core::RngCore + rand_core::CryptoRng>(
    record: &AssemblyRecord,
    rng: &mut R,
) -> (Report, Option<VerifiedChain>) {
    let mut report = Report::new();
    let verified = record.beacon.verify(rng);
    report.record(
        "B1",
        "beacon chain verifies: every round's partial proofs, interpolation and link",
        verified.as_ref().map(|_| ()).map_err(|e| format!("{e}")),
    );
    let chain = verified.ok();
    report.record(
        "B2",
        "the draw's beacon round is in the verified chain",
        match &chain {
            Some(c)
                if c.outputs()
                    .any(|(r, _)| r == record.announcement.beacon_round) =>
            {
                Ok(())
            }
            Some(_) => Err(format!(
                "round {} is not in the record",
                record.announcement.beacon_round
            )),
            None => Err(String::from("not checked: the chain does not verify")),
        },
    );
    report.record(
        "B3",
        "record format version is supported",
        if record.version == ASSEMBLY_RECORD_VERSION {
            Ok(())
        } else {
            Err(format!("version {}", record.version))
        },
    );
    (report, chain)
}
