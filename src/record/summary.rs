//! What a verification proved, in plain words (spec/record.md §10).
//!
//! A report lists numbered checks; a reader wants to know what they
//! establish together. [`Summary`] collects the facts a record claims
//! (polity, assembly, roll, beacon round, delegates, each vote's ballots and
//! counts) and a list of [`Statement`]s, each resting on named checks and
//! [`StatementStatus::Proven`] only when every one of them passed. A
//! statement whose checks were not anchored or not checked is
//! [`StatementStatus::NotProven`] and names them; one resting on a failed
//! check is [`StatementStatus::Refuted`]. The sentences never state as fact
//! what was not proven: they say "the record claims …, but …".

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::ballot::ContestKind;
use crate::report::{Check, Outcome, Report};

use super::anchor::Electorate;
use super::assembly::{AssemblyRecord, AssemblyReport};
use super::pool::PoolDrawRecord;
use super::ElectionRecord;

pub mod fair;

pub use fair::PoolDrawFacts;

/// The section title of a vote in an assembly report (as
/// `record::files::vote_title`).
fn vote_title(name: &str) -> String {
    format!("Vote \"{name}\"")
}

/// Section titles of an assembly report (see `record::files`).
const ANCHORS: &str = "Anchors";
const BEACON: &str = "Beacon";
const DRAW: &str = "Draw";

/// The checks the statement "drawn by lot" rests on.
pub const DRAWN_BY_LOT: &[&str] = &[
    "A1", "A2", "B1", "B2", "B3", "B4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9",
    "S10", "S11", "S12", "S13", "S14", "S15", "S16", "S17",
];
/// The checks the statement "drawn by lot" rests on for a feature draw
/// (spec/sortition.md §10): those of [`DRAWN_BY_LOT`] and the feature
/// checks S18–S22.
pub const DRAWN_BY_FEATURE_LOT: &[&str] = &[
    "A1", "A2", "B1", "B2", "B3", "B4", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9",
    "S10", "S11", "S12", "S13", "S14", "S15", "S16", "S17", "S18", "S19", "S20", "S21", "S22",
];
/// The checks the statement "every replacement seated the next reserve"
/// rests on: those of the draw, S17 among them (the reserves must be the
/// drawn ones); for a feature draw, [`DRAWN_BY_FEATURE_LOT`].
pub const REPLACEMENTS: &[&str] = DRAWN_BY_LOT;
/// The checks of "cast by the seated delegates, at most once each" (an
/// assembly's vote restricted to its delegates).
pub const CAST_BY_DELEGATES: &[&str] = &["A3", "E12", "E13", "E14", "E15", "E16"];
/// The checks of "cast by holders of the eligible keys, at most once each"
/// (a vote verified on its own).
pub const CAST_BY_ELIGIBLE: &[&str] = &["E13", "E14"];
/// The checks of "the ballots of an open vote are valid and in the receipt
/// chain" (an assembly's vote open to the polity).
pub const CAST_OPEN: &[&str] = &["A3", "E4", "E5", "E6", "E7", "E12", "E15"];
/// The checks of "the count is correct" (and of a motion's outcome, which
/// follows from the count), for a vote of an assembly.
pub const COUNT_IN_ASSEMBLY: &[&str] = &[
    "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11", "E12", "E15",
];
/// The checks of "the count is correct" for a vote verified on its own.
pub const COUNT: &[&str] = &[
    "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11",
];

/// Whether a statement was proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum StatementStatus {
    /// Every check it rests on passed.
    Proven,
    /// No check it rests on failed, but some were not anchored, not
    /// checked or not made.
    NotProven,
    /// A check it rests on failed: the record's claim is false or
    /// unsupported.
    Refuted,
}

impl StatementStatus {
    /// `proven`, `not proven` or `REFUTED`.
    pub fn word(&self) -> &'static str {
        match self {
            StatementStatus::Proven => "proven",
            StatementStatus::NotProven => "NOT PROVEN",
            StatementStatus::Refuted => "REFUTED",
        }
    }
}

/// One check a statement rests on that did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Unmet {
    /// The check's identifier.
    pub id: &'static str,
    /// `failed`, `not checked`, `not anchored` or `not made` (absent from
    /// the report).
    pub status: &'static str,
}

/// A plain statement of what the verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Statement {
    /// The sentence: the claim itself when proven, otherwise prefixed
    /// `NOT PROVEN:` or `REFUTED:` and phrased as the record's claim.
    pub text: String,
    /// Whether it was proven.
    pub status: StatementStatus,
    /// The checks it rests on.
    pub rests_on: Vec<&'static str>,
    /// The checks among those that did not pass.
    pub unmet: Vec<Unmet>,
    /// The vote it is about, if any.
    pub vote: Option<String>,
}

/// One contest's announced result.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ContestFacts {
    /// The contest id.
    pub id: String,
    /// The option labels, aligned with `counts`.
    pub options: Vec<String>,
    /// Per option: selections or the sum of scores.
    pub counts: Vec<u64>,
    /// For a motion: whether it passes (more yes than no).
    pub passes: Option<bool>,
}

/// What a vote's record announces, and whether it was verified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VoteFacts {
    /// The vote's name.
    pub name: String,
    /// The election id of its manifest.
    pub election: String,
    /// `seated` (the delegates), `open` (the polity) or `eligible` (a vote
    /// verified on its own, with an eligibility set) or `none`.
    pub electorate: &'static str,
    /// Ballots the announced result counts.
    pub ballots: u64,
    /// The announced result per contest.
    pub contests: Vec<ContestFacts>,
    /// Whether the count statement is proven: only then are these the
    /// verified counts.
    pub count_verified: bool,
}

/// What an assembly record claims about its draw.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DrawFacts {
    /// The polity.
    pub polity: String,
    /// The assembly.
    pub assembly: String,
    /// The year of the roll and the draw.
    pub year: u32,
    /// The roll's Merkle root, hex.
    pub roll_root: String,
    /// Entries of the roll.
    pub roll_size: u64,
    /// The beacon chain id (threshold beacon) or chain hash (drand), hex.
    pub beacon_chain: String,
    /// `kleroterion` (the threshold beacon) or `drand`.
    pub beacon_kind: String,
    /// The beacon round that seeded the draw.
    pub beacon_round: u64,
    /// Delegates seated by the draw.
    pub delegates: usize,
    /// Reserves drawn.
    pub reserves: usize,
    /// Replacements from the reserve lists.
    pub replacements: usize,
}

/// The facts of a record and the statements its report proves.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Summary {
    /// The draw (assembly records only).
    pub draw: Option<DrawFacts>,
    /// The pool draw (pool draw records only, when its announcement
    /// decodes).
    pub pool_draw: Option<PoolDrawFacts>,
    /// Every vote.
    pub votes: Vec<VoteFacts>,
    /// The statements, draw first, then each vote's.
    pub statements: Vec<Statement>,
}

impl Summary {
    /// The summary of an assembly record and its report.
    pub fn of_assembly(record: &AssemblyRecord, report: &AssemblyReport) -> Self {
        let mut summary = Self::of_draw(record, report);
        summary.add_votes(record, report);
        summary
    }

    /// The summary of an assembly record's draw alone, as its report
    /// without the votes (`selection verify`) proves it: the draw's
    /// statements, and for a feature draw those of its lottery
    /// (spec/record.md §10.1).
    pub fn of_draw(record: &AssemblyRecord, report: &AssemblyReport) -> Self {
        let a = &record.announcement;
        let sel = &record.selection;
        let draw = DrawFacts {
            polity: a.polity.as_str().to_string(),
            assembly: a.assembly.as_str().to_string(),
            year: a.year,
            roll_root: hex::encode(a.roll.root.0),
            roll_size: a.roll.size,
            beacon_chain: hex::encode(a.beacon_chain.id().0),
            beacon_kind: a.beacon_chain.kind().to_string(),
            beacon_round: a.beacon_round,
            delegates: sel.strata.iter().map(|s| s.selected.len()).sum(),
            reserves: sel.strata.iter().map(|s| s.reserve.len()).sum(),
            replacements: record.replacements.len(),
        };
        let find = |section: Option<&str>, id: &str| find_check(report, section, id);
        let mut statements = Vec::new();
        // A feature draw's reserves, and so its replacements, rest on the
        // feature checks too.
        let drawn = if a.params.features().is_some() {
            DRAWN_BY_FEATURE_LOT
        } else {
            DRAWN_BY_LOT
        };
        let draw_checks = |id: &str| {
            let section = match id.as_bytes().first() {
                Some(b'A') => ANCHORS,
                Some(b'B') => BEACON,
                _ => DRAW,
            };
            find(Some(section), id)
        };
        statements.push(statement(
            format!(
                "the {} delegates (and {} reserves) of {} of {} for {} were drawn by lot from \
                 the committed roll of {} entries (root {}) with round {} of {} beacon chain {}",
                draw.delegates,
                draw.reserves,
                draw.assembly,
                draw.polity,
                draw.year,
                draw.roll_size,
                short(&draw.roll_root),
                draw.beacon_round,
                draw.beacon_kind,
                short(&draw.beacon_chain),
            ),
            drawn,
            draw_checks,
            None,
        ));
        if draw.replacements > 0 {
            statements.push(statement(
                if draw.replacements == 1 {
                    String::from(
                        "the 1 replacement seated the next reserve of the vacated seat's \
                         stratum",
                    )
                } else {
                    format!(
                        "each of the {} replacements seated the next reserve of the vacated \
                         seat's stratum",
                        draw.replacements
                    )
                },
                drawn,
                draw_checks,
                None,
            ));
        }
        if let Some(f) = a.params.features() {
            fair::feature_draw_statements(f, report, draw_checks, &mut statements);
        }
        Summary {
            draw: Some(draw),
            pool_draw: None,
            votes: Vec::new(),
            statements,
        }
    }

    /// The summary of a pool draw record and its report
    /// (spec/record.md §10.1): what its announcement states, and the
    /// statements of the draw, its bindings and its fairness.
    pub fn of_pool_draw(record: &PoolDrawRecord, report: &AssemblyReport) -> Self {
        let facts = fair::pool_draw_facts(record);
        let statements = fair::pool_draw_statements(facts.as_ref(), record, report);
        Summary {
            draw: None,
            pool_draw: facts,
            votes: Vec::new(),
            statements,
        }
    }

    /// Adds every vote's facts and statements.
    fn add_votes(&mut self, record: &AssemblyRecord, report: &AssemblyReport) {
        let find = |section: Option<&str>, id: &str| find_check(report, section, id);
        for entry in &record.votes {
            let title = vote_title(&entry.name);
            let in_vote = |id: &str| {
                if id == "A3" {
                    find(Some(ANCHORS), id)
                } else {
                    find(Some(&title), id)
                }
            };
            let (electorate, cast) = match entry.electorate {
                Electorate::Seated => ("seated", CAST_BY_DELEGATES),
                Electorate::Open => ("open", CAST_OPEN),
            };
            let facts = vote_statements(
                &entry.name,
                &entry.record,
                electorate,
                cast,
                COUNT_IN_ASSEMBLY,
                in_vote,
                &mut self.statements,
            );
            self.votes.push(facts);
        }
    }

    /// The summary of one vote verified on its own, named `name`.
    pub fn of_vote(name: &str, record: &ElectionRecord, report: &Report) -> Self {
        let mut statements = Vec::new();
        let electorate = if record.eligible.is_some() {
            "eligible"
        } else {
            "none"
        };
        let cast: &[&str] = if record.eligible.is_some() {
            CAST_BY_ELIGIBLE
        } else {
            &[]
        };
        let facts = vote_statements(
            name,
            record,
            electorate,
            cast,
            COUNT,
            |id| report.get(id),
            &mut statements,
        );
        Summary {
            draw: None,
            pool_draw: None,
            votes: alloc::vec![facts],
            statements,
        }
    }
}

/// The facts of a vote, pushing its statements.
fn vote_statements<'r>(
    name: &str,
    record: &ElectionRecord,
    electorate: &'static str,
    cast: &'static [&'static str],
    count: &'static [&'static str],
    check: impl Fn(&str) -> Option<&'r Check> + Copy,
    statements: &mut Vec<Statement>,
) -> VoteFacts {
    let ballots = record.result.ballots();
    let vote = Some(String::from(name));
    match electorate {
        "seated" => statements.push(statement(
            format!(
                "the {ballots} ballots of vote \"{name}\" were cast by the delegates seated \
                 for it, at most once each"
            ),
            cast,
            check,
            vote.clone(),
        )),
        "open" => statements.push(statement(
            format!(
                "vote \"{name}\" was open to the polity; its {ballots} ballots are valid, \
                 distinct and in the published receipt chain"
            ),
            cast,
            check,
            vote.clone(),
        )),
        "eligible" => statements.push(statement(
            format!(
                "the {ballots} ballots of vote \"{name}\" were cast by holders of the \
                 record's eligible keys, at most once each (who those are is not checked \
                 without the assembly record)"
            ),
            cast,
            check,
            vote.clone(),
        )),
        _ => {}
    }
    let contests: Vec<ContestFacts> = record
        .result
        .contests()
        .iter()
        .map(|c| ContestFacts {
            id: c.contest_id().to_string(),
            options: record
                .manifest
                .contest(c.contest_id())
                .map(|m| m.options().to_vec())
                .unwrap_or_default(),
            counts: c.counts().to_vec(),
            passes: if c.kind() == ContestKind::Motion {
                c.motion().map(|m| m.passes)
            } else {
                None
            },
        })
        .collect();
    let counts = contests
        .iter()
        .map(|c| {
            let pairs: Vec<String> = c
                .counts
                .iter()
                .enumerate()
                .map(|(i, n)| match c.options.get(i) {
                    Some(o) => format!("{o} {n}"),
                    None => format!("option {i} {n}"),
                })
                .collect();
            format!("{}: {}", c.id, pairs.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let count_statement = statement(
        format!("the count of vote \"{name}\" over {ballots} ballots is correct ({counts})"),
        count,
        check,
        vote.clone(),
    );
    let count_verified = count_statement.status == StatementStatus::Proven;
    statements.push(count_statement);
    for c in record.result.contests() {
        if let Some(m) = c.motion() {
            let claim = if m.passes {
                format!(
                    "motion \"{}\" of vote \"{name}\" passes, because yes ({}) > no ({})",
                    c.contest_id(),
                    m.yes,
                    m.no
                )
            } else {
                format!(
                    "motion \"{}\" of vote \"{name}\" does not pass, because yes ({}) ≤ no ({})",
                    c.contest_id(),
                    m.yes,
                    m.no
                )
            };
            statements.push(statement(claim, count, check, vote.clone()));
        }
    }
    VoteFacts {
        name: String::from(name),
        election: record.manifest.election_id().to_string(),
        electorate,
        ballots,
        contests,
        count_verified,
    }
}

/// Check `id` of `report`, in the section titled `section` or in any.
fn find_check<'r>(
    report: &'r AssemblyReport,
    section: Option<&str>,
    id: &str,
) -> Option<&'r Check> {
    report
        .sections
        .iter()
        .filter(|(t, _)| section.is_none_or(|s| s == t))
        .flat_map(|(_, r)| &r.checks)
        .find(|c| c.id == id)
}

/// A statement with `claim` resting on `ids`, looked up with `check`.
fn statement<'r>(
    claim: String,
    ids: &'static [&'static str],
    check: impl Fn(&str) -> Option<&'r Check>,
    vote: Option<String>,
) -> Statement {
    let unmet: Vec<Unmet> = ids
        .iter()
        .filter_map(|&id| {
            let status = match check(id).map(|c| &c.outcome) {
                Some(Outcome::Passed) => return None,
                Some(o) => o.word(),
                None => "not made",
            };
            Some(Unmet { id, status })
        })
        .collect();
    let status = if unmet.iter().any(|u| u.status == "failed") {
        StatementStatus::Refuted
    } else if unmet.is_empty() {
        StatementStatus::Proven
    } else {
        StatementStatus::NotProven
    };
    let text = match status {
        StatementStatus::Proven if claim.ends_with('…') => capitalised(&claim),
        StatementStatus::Proven => capitalised(&claim) + ".",
        StatementStatus::NotProven => {
            let list = describe(&unmet);
            let anchors = unmet.iter().any(|u| u.status == "not anchored");
            format!(
                "NOT PROVEN: the record claims that {claim}, but {list}{}: this is not \
                 established.",
                if anchors {
                    " (the record was not compared with the published anchors)"
                } else {
                    ""
                }
            )
        }
        StatementStatus::Refuted => {
            let failed: Vec<Unmet> = unmet
                .iter()
                .filter(|u| u.status == "failed")
                .cloned()
                .collect();
            format!(
                "REFUTED: the record claims that {claim}, but {}: this is not established.",
                describe(&failed)
            )
        }
    };
    Statement {
        text,
        status,
        rests_on: ids.to_vec(),
        unmet,
        vote,
    }
}

/// `A1 and A2 are not anchored, E11 is not checked`: unmet checks grouped
/// by status, in order of first appearance.
fn describe(unmet: &[Unmet]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for u in unmet {
        match groups.iter_mut().find(|(s, _)| *s == u.status) {
            Some((_, ids)) => ids.push(u.id),
            None => groups.push((u.status, alloc::vec![u.id])),
        }
    }
    groups
        .iter()
        .map(|(status, ids)| {
            if *status == "failed" {
                return format!("{} failed", ids.join(", "));
            }
            let verb = if ids.len() == 1 { "is" } else { "are" };
            let status = if *status == "not made" {
                "not in the report"
            } else {
                status
            };
            format!("{} {verb} {status}", ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The first 16 hex digits of a digest, with an ellipsis.
fn short(hex: &str) -> String {
    match hex.get(..16) {
        Some(h) if hex.len() > 16 => format!("{h}…"),
        _ => String::from(hex),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &'static str, outcome: Outcome) -> Check {
        Check {
            id,
            title: "t",
            outcome,
        }
    }

    const IDS: &[&str] = &["A1", "A2", "E11", "E13"];

    fn judge(checks: &[Check]) -> Statement {
        statement(
            String::from("the count is correct"),
            IDS,
            |id| checks.iter().find(|c| c.id == id),
            None,
        )
    }

    #[test]
    fn proven_only_when_every_check_passed() {
        let all: Vec<Check> = IDS.iter().map(|&id| check(id, Outcome::Passed)).collect();
        let s = judge(&all);
        assert_eq!(s.status, StatementStatus::Proven);
        assert_eq!(s.text, "The count is correct.");
        assert!(s.unmet.is_empty());
        assert_eq!(s.rests_on, IDS);
    }

    #[test]
    fn not_anchored_or_missing_is_not_proven_and_named() {
        let mut checks: Vec<Check> = IDS.iter().map(|&id| check(id, Outcome::Passed)).collect();
        checks[0].outcome = Outcome::NotAnchored("digest".into());
        checks[1].outcome = Outcome::NotAnchored("digest".into());
        checks.pop(); // E13 never made
        let s = judge(&checks);
        assert_eq!(s.status, StatementStatus::NotProven);
        assert_eq!(
            s.text,
            "NOT PROVEN: the record claims that the count is correct, but A1, A2 are not \
             anchored, E13 is not in the report (the record was not compared with the \
             published anchors): this is not established."
        );
        assert_eq!(s.unmet.len(), 3);
    }

    #[test]
    fn a_failed_check_refutes() {
        let mut checks: Vec<Check> = IDS.iter().map(|&id| check(id, Outcome::Passed)).collect();
        checks[0].outcome = Outcome::NotAnchored("digest".into());
        checks[2].outcome = Outcome::Failed("announced 5, decrypted 4".into());
        let s = judge(&checks);
        assert_eq!(s.status, StatementStatus::Refuted);
        assert_eq!(
            s.text,
            "REFUTED: the record claims that the count is correct, but E11 failed: this is \
             not established."
        );
        assert!(!s.text.contains("A1"));
        assert_eq!(s.unmet.len(), 2);
    }
}
