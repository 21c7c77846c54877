//! The record of an assembly's whole life cycle: the beacon that seeded the
//! draw, the draw itself, and every vote (spec/record.md §6).
//!
//! # Example
//!
//! ```
//! use kleroterion::record::AssemblyReport;
//! use kleroterion::report::{Report, Verdict};
//!
//! // Sections in order (Anchors, Beacon, Draw, one per vote), numbered across.
//! let mut beacon = Report::new();
//! beacon.record("B1", "beacon chain verifies", Ok::<(), &str>(()));
//! let mut vote = Report::new();
//! vote.record("E11", "announced result is the decryption", Err("announced 107, decrypted 106"));
//! let mut report = AssemblyReport::default();
//! report.push("Beacon", beacon);
//! report.push("Vote \"harm-finding\"", vote);
//! assert_eq!(report.verdict(), Verdict::Failed);
//! let numbered: Vec<(usize, &str)> = report.checks().map(|(n, _, c)| (n, c.id)).collect();
//! assert_eq!(numbered, [(1, "B1"), (2, "E11")]);
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::fairness::FairnessFigures;
use crate::report::{check_lines, Check, Outcome, Report, Section, Tally, Verdict};
use crate::sortition::{DrawAnnouncement, SelectionRecord};

use super::anchor::{Anchoring, Electorate};
use super::seats::Replacement;
use super::source::{AssemblyBeacon, VerifiedBeacon};
use super::ElectionRecord;

/// The assembly record format version: 2 since votes name their electorate
/// and the record lists replacements (spec/record.md §6).
pub const ASSEMBLY_RECORD_VERSION: u32 = 2;

/// One vote of the assembly (harm finding, remedy approval, review).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VoteEntry {
    /// A short name, unique in the record (also the vote's directory name).
    pub name: String,
    /// Who may vote: the seated delegates (E16) or the whole polity.
    pub electorate: Electorate,
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
    /// The beacon up to (at least) the round that seeded the draw: a
    /// threshold beacon chain or drand rounds.
    pub beacon: AssemblyBeacon,
    /// The draw's announcement, published before that round.
    pub announcement: DrawAnnouncement,
    /// The selection record of the draw.
    pub selection: SelectionRecord,
    /// Delegates replaced from the reserve lists, in the order it happened
    /// (spec/record.md §6.2).
    pub replacements: Vec<Replacement>,
    /// The votes, in the order they were held.
    pub votes: Vec<VoteEntry>,
}

/// Longest vote name, in bytes.
pub const MAX_VOTE_NAME: usize = 64;

impl AssemblyRecord {
    /// Checks that every vote's name is a safe directory name (1 to
    /// [`MAX_VOTE_NAME`] bytes of ASCII letters, digits, `-`, `_` and `.`,
    /// not starting with `.`) and that names are unique (spec/record.md
    /// §7): a name is joined to the record's path to find the vote's
    /// files, so `..` or `/` would read outside the record, and two votes
    /// with one name would be verified against one directory.
    pub fn check_vote_names(&self) -> crate::error::Result<()> {
        let mut seen = alloc::collections::BTreeSet::new();
        for v in &self.votes {
            let n = v.name.as_bytes();
            let safe = !n.is_empty()
                && n.len() <= MAX_VOTE_NAME
                && n.first() != Some(&b'.')
                && n.iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !safe {
                return Err(crate::error::Error::InvalidParameter {
                    what: "a vote name is 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'",
                });
            }
            if !seen.insert(n) {
                return Err(crate::error::Error::InvalidParameter {
                    what: "two votes of the assembly record have the same name",
                });
            }
        }
        Ok(())
    }
}

/// A report in sections (beacon, draw, each vote), with every check
/// numbered in order across sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AssemblyReport {
    /// The sections in order: title and report.
    pub sections: Vec<(String, Report)>,
    /// For a feature draw or a pool draw, the fairness figures of the
    /// verifier's own run of the fairness checks (spec/record.md §10.1):
    /// the recomputed smallest probability, the certificate's bound and
    /// the gaps, each `None` unless the checks that establish it passed.
    /// `None` for other draws and for reports without the draw.
    pub fairness: Option<FairnessFigures>,
}

impl AssemblyReport {
    /// Adds a section.
    pub fn push(&mut self, title: impl Into<String>, report: Report) {
        self.sections.push((title.into(), report));
    }

    /// The sections in owned form (shard summaries, JSON reports).
    pub fn to_sections(&self) -> Vec<Section> {
        self.sections
            .iter()
            .map(|(title, report)| Section {
                title: title.clone(),
                checks: check_lines(report),
            })
            .collect()
    }

    /// Every check, numbered from 1, with its section.
    pub fn checks(&self) -> impl Iterator<Item = (usize, &str, &Check)> {
        self.sections
            .iter()
            .flat_map(|(title, r)| r.checks.iter().map(move |c| (title.as_str(), c)))
            .enumerate()
            .map(|(i, (t, c))| (i + 1, t, c))
    }

    /// How many checks of every section ended each way.
    pub fn tally(&self) -> Tally {
        Tally::of(self.sections.iter().flat_map(|(_, r)| &r.checks))
    }

    /// The verdict: passed only when every check of every section passed.
    pub fn verdict(&self) -> Verdict {
        self.tally().verdict()
    }

    /// Number of checks.
    pub fn total(&self) -> usize {
        self.tally().total()
    }

    /// Number of failed checks.
    pub fn failed(&self) -> usize {
        self.tally().failed
    }

    /// Whether every check of every section passed (and there was one).
    pub fn all_passed(&self) -> bool {
        self.verdict() == Verdict::Passed
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
                    Outcome::Passed => writeln!(f, "  {n:>3}. {:<4} ok      {}", c.id, c.title)?,
                    other => writeln!(
                        f,
                        "  {n:>3}. {:<4} {}  {}\n              {}",
                        c.id,
                        outcome_label(other),
                        c.title,
                        other.reason().unwrap_or_default()
                    )?,
                }
            }
        }
        writeln!(f, "{}", self.tally())
    }
}

/// The fixed-width label of a report line: `FAILED`, `NOT CHECKED` or
/// `NOT ANCHORED` (upper case: never to be mistaken for `ok`).
pub fn outcome_label(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "ok    ",
        Outcome::Failed(_) => "FAILED",
        Outcome::NotChecked(_) => "NOT CHECKED",
        Outcome::NotAnchored(_) => "NOT ANCHORED",
    }
}

/// Verifies a beacon on its own (check B1): a threshold chain or drand
/// rounds; the report of a beacon record published before any draw, and the
/// verified beacon if it passed.
pub fn verify_beacon_record<R: rand_core::RngCore + rand_core::CryptoRng>(
    beacon: &AssemblyBeacon,
    rng: &mut R,
) -> (Report, Option<VerifiedBeacon>) {
    let mut report = Report::new();
    let verified = beacon.verify(rng);
    report.record(
        "B1",
        beacon.b1_title(),
        verified.as_ref().map(|_| ()).map_err(|e| format!("{e}")),
    );
    (report, verified.ok())
}

/// Verifies the beacon record (check B1) and returns the verified rounds
/// the draw is checked against.
pub fn verify_beacon<R: rand_core::RngCore + rand_core::CryptoRng>(
    record: &AssemblyRecord,
    rng: &mut R,
) -> (Report, Option<VerifiedBeacon>) {
    let (mut report, chain) = verify_beacon_record(&record.beacon, rng);
    let round = record.announcement.beacon_round;
    report.push(
        "B2",
        "the draw's beacon round is in the verified chain",
        match &chain {
            Some(c) if c.contains(round) => Outcome::Passed,
            Some(_) => Outcome::Failed(format!("round {round} is not in the record")),
            None => Outcome::NotChecked(String::from("the beacon chain does not verify (B1)")),
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
    let named = record.announcement.beacon_chain;
    let held = record.beacon.chain();
    report.record(
        "B4",
        "the draw's announcement names this beacon chain",
        if named == held {
            Ok(())
        } else {
            Err(format!(
                "the announcement names {named}, the record holds {held}"
            ))
        },
    );
    (report, chain)
}

/// The anchors section (spec/anchors.md): A1 the beacon chain, A2 the
/// announcement, A3 the list of votes are the published ones. Without
/// anchors each is "not anchored", with the record's value to compare.
pub fn verify_anchors(record: &AssemblyRecord, anchoring: Anchoring<'_>) -> Report {
    let mut report = Report::new();
    report.push(
        "A1",
        "the beacon chain is the published chain (chain id)",
        anchoring.beacon_chain(record.beacon.chain().id()),
    );
    report.push(
        "A2",
        "the draw announcement is the published announcement (hash)",
        anchoring.announcement(&record.announcement.hash()),
    );
    report.push(
        "A3",
        "the record holds exactly the published votes, in order",
        anchoring.vote_names(&record.votes),
    );
    report
}

/// S16: the announcement was fixed before the round that seeds the draw
/// existed ([`VerifiedBeacon::precedes`]): registered with an earlier round
/// of a threshold chain (spec/beacon.md §2.8), or published, as the anchors
/// attest, before a drand round was due (spec/beacon.md §3.5).
pub fn registered_before(
    record: &AssemblyRecord,
    anchoring: Anchoring<'_>,
    chain: Option<&VerifiedBeacon>,
) -> Outcome {
    match chain {
        None => Outcome::NotChecked(String::from("the beacon chain does not verify (B1)")),
        Some(chain) => chain.precedes(&record.announcement, anchoring),
    }
}
