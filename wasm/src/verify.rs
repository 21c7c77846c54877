//! Verification of the selected files and the report the page shows.
//!
//! The checks themselves are the library's
//! ([`kleroterion::record::files::verify_assembly`] and
//! [`verify_vote_streams`]); this module only reads the files from memory
//! and turns the [`AssemblyReport`] into a [`Verification`], a
//! serialisable view with every check numbered, the vote results and the
//! draw's outline.

use std::io::{self, BufRead};

use kleroterion::ballot::{ContestKind, Manifest};
use kleroterion::fairness::FairnessFigures;
use kleroterion::record::files::{
    is_malformed, malformed_report, verify_assembly, verify_vote_streams, VoteStreams,
    BALLOTS_FILE, CHALLENGED_FILE, POOL_DRAW_FILE, RECORD_FILE, ROLL_FILE,
};
use kleroterion::record::pool::PoolDrawRecord;
use kleroterion::record::summary::{Statement, Summary};
use kleroterion::record::{Anchoring, Anchors, AssemblyRecord, AssemblyReport, ElectionRecord};
use kleroterion::report::Outcome;
use rand_core::{CryptoRng, RngCore};
use serde::Serialize;

use crate::files::{FileSet, Root};

/// The result of verifying a record: every check in sections, the vote
/// results and the summary line.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// `"assembly"`, `"vote"` or `"pool-draw"`.
    pub kind: &'static str,
    /// Where the record was found among the files (a path prefix).
    pub root: String,
    /// The sections in order, each with its numbered checks.
    pub sections: Vec<Section>,
    /// Number of checks made.
    pub total: usize,
    /// Number of checks failed.
    pub failed: usize,
    /// Whether every check passed (and there was one).
    pub all_passed: bool,
    /// `passed`, `failed`, or `incomplete` (no check failed, but some were
    /// not checked or not anchored: consistent, not proven).
    pub verdict: &'static str,
    /// `"all N checks passed"`, `"k of N checks FAILED"` or `"k of N
    /// checks passed, j not anchored"`.
    pub summary: String,
    /// The draw's outline (assembly records only).
    pub draw: Option<DrawSummary>,
    /// Each vote's announced result.
    pub votes: Vec<VoteSummary>,
    /// What the verification established, in plain words, each proven,
    /// not proven or refuted with the checks it rests on (spec/record.md
    /// §10); empty for a record that does not decode.
    pub statements: Vec<Statement>,
    /// A feature or pool draw's fairness figures, recomputed by the
    /// verifier (spec/record.md §10.1, spec/json.md §7.3); `None` for
    /// other records.
    pub fairness: Option<FairnessFigures>,
}

/// A section of the report (beacon, draw, one vote).
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Its heading.
    pub title: String,
    /// Its checks.
    pub checks: Vec<CheckView>,
}

/// One numbered check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckView {
    /// Number across the whole report, from 1.
    pub n: usize,
    /// Stable identifier (`"B1"`, `"S3"`, `"E11"`, …) of the spec.
    pub id: &'static str,
    /// What the check establishes.
    pub title: &'static str,
    /// Whether it passed.
    pub passed: bool,
    /// `ok`, `failed`, `not checked` or `not anchored`.
    pub status: &'static str,
    /// Why it failed or was not checked, or (not anchored) the record's
    /// digest to compare with the published anchor.
    pub reason: Option<String>,
}

/// The outline of the draw.
#[derive(Clone, Debug, Serialize)]
pub struct DrawSummary {
    /// The beacon round that seeded it.
    pub beacon_round: u64,
    /// The beacon the round is of: `kleroterion chain <hex>` (the threshold
    /// beacon) or `drand chain <hex>` (a drand network's chain hash).
    pub beacon: String,
    /// Delegates drawn.
    pub delegates: usize,
    /// Reserves drawn.
    pub reserves: usize,
    /// Per stratum.
    pub strata: Vec<StratumSummary>,
}

/// One stratum of the draw.
#[derive(Clone, Debug, Serialize)]
pub struct StratumSummary {
    /// Its value as text (hex when it is not printable UTF-8).
    pub label: String,
    /// Entries of the roll in the stratum.
    pub roll: u64,
    /// Seats of the stratum.
    pub quota: u32,
    /// Delegates drawn.
    pub selected: usize,
    /// Reserves drawn.
    pub reserve: usize,
}

/// A vote's announced result. It is the *verified* result only when
/// `verified` is true (every check of the vote's section passed, E11
/// among them).
#[derive(Clone, Debug, Serialize)]
pub struct VoteSummary {
    /// The vote's name (its directory).
    pub name: String,
    /// The election id of its manifest.
    pub election: String,
    /// Whether every check of the vote passed.
    pub verified: bool,
    /// Ballots tallied.
    pub ballots: u64,
    /// Per contest.
    pub contests: Vec<ContestSummary>,
}

/// One contest's result.
#[derive(Clone, Debug, Serialize)]
pub struct ContestSummary {
    /// The contest id.
    pub id: String,
    /// `"motion"`, `"one-of-n"`, `"approval"` or `"score"`.
    pub kind: &'static str,
    /// The option labels, aligned with `counts`.
    pub options: Vec<String>,
    /// Per option: selections, or the sum of scores.
    pub counts: Vec<u64>,
    /// For a motion: whether it passes (more yes than no).
    pub passes: Option<bool>,
}

/// The name of a dropped anchors file (spec/anchors.md).
pub const ANCHORS_FILE: &str = "anchors.json";

/// Verifies the record among `files`: an assembly record if there is an
/// `assembly.json`, otherwise a pool draw record if there is a
/// `pool-draw.json` (spec/pool-draw.md), otherwise a single vote's
/// directory; an assembly or a pool draw is verified against the anchors of a file named [`ANCHORS_FILE`] among
/// `files`, if there is one. `progress(vote, ballots, total)` reports
/// ballots read of the `total` the vote's tally counts. A record file that
/// does not decode (JSON that does not parse, a non-canonical encoding) is
/// a failed record: check R1 failed. Errors are messages for a person
/// about what could not be read: no record among the files, a missing
/// file.
pub fn verify_files<R: RngCore + CryptoRng>(
    files: &FileSet,
    rng: &mut R,
    mut progress: impl FnMut(&str, u64, u64),
) -> Result<Verification, String> {
    match files.root()? {
        Root::Assembly(root) => {
            let path = format!("{root}{}", kleroterion::record::files::ASSEMBLY_FILE);
            let record: AssemblyRecord =
                match parse_json(&path, files.require(&path)?).and_then(|r: AssemblyRecord| {
                    r.check_vote_names().map(|()| r).map_err(|e| {
                        io::Error::new(io::ErrorKind::InvalidData, format!("{path}: {e}"))
                    })
                }) {
                    Ok(record) => record,
                    Err(e) => return Ok(malformed("assembly", root, &e)),
                };
            let totals: Vec<(String, u64)> = record
                .votes
                .iter()
                .map(|v| (v.name.clone(), v.record.tally.ballots()))
                .collect();
            let mut progress = |vote: &str, n: u64| {
                let total = totals.iter().find(|(name, _)| name == vote);
                progress(vote, n, total.map_or(0, |(_, t)| *t))
            };
            let roll: Option<Box<dyn BufRead + '_>> = files
                .get(&format!("{root}{ROLL_FILE}"))
                .map(|b| Box::new(b) as Box<dyn BufRead>);
            let open_vote = |name: &str| -> io::Result<VoteStreams<'_>> {
                let dir = format!("{root}votes/{name}/");
                let get = |file: &str| {
                    files
                        .require(&format!("{dir}{file}"))
                        .map_err(|e| io::Error::new(io::ErrorKind::NotFound, e))
                };
                let record_path = format!("{dir}{RECORD_FILE}");
                Ok(VoteStreams {
                    record: parse_json(&record_path, get(RECORD_FILE)?)?,
                    ballots: Box::new(get(BALLOTS_FILE)?),
                    challenged: Box::new(get(CHALLENGED_FILE)?),
                })
            };
            // The anchors come from outside the record (spec/anchors.md):
            // a file named `anchors.json` dropped beside it.
            let anchors = dropped_anchors(files)?;
            let anchoring = anchors
                .as_ref()
                .map_or(Anchoring::Unanchored, Anchoring::Published);
            let report =
                match verify_assembly(&record, anchoring, roll, open_vote, rng, &mut progress) {
                    Ok(report) => report,
                    Err(e) if is_malformed(&e) => return Ok(malformed("assembly", root, &e)),
                    Err(e) => return Err(e.to_string()),
                };
            let votes = record
                .votes
                .iter()
                .map(|v| {
                    let title = vote_title(&v.name);
                    let verified = report
                        .sections
                        .iter()
                        .any(|(t, r)| *t == title && r.all_passed());
                    vote_summary(&v.name, &v.record, verified)
                })
                .collect();
            let statements = Summary::of_assembly(&record, &report).statements;
            Ok(view(
                "assembly",
                root,
                &report,
                Some(draw_summary(&record)),
                votes,
                statements,
            ))
        }
        Root::PoolDraw(root) => {
            let path = format!("{root}{POOL_DRAW_FILE}");
            let record: PoolDrawRecord = match parse_json(&path, files.require(&path)?) {
                Ok(record) => record,
                Err(e) => return Ok(malformed("pool-draw", root, &e)),
            };
            let anchors = dropped_anchors(files)?;
            let anchoring = anchors
                .as_ref()
                .map_or(Anchoring::Unanchored, Anchoring::Published);
            let report = record.verify(anchoring, rng);
            let statements = Summary::of_pool_draw(&record, &report).statements;
            Ok(view(
                "pool-draw",
                root,
                &report,
                None,
                Vec::new(),
                statements,
            ))
        }
        Root::Vote(root) => {
            let path = format!("{root}{RECORD_FILE}");
            let record: ElectionRecord = match parse_json(&path, files.require(&path)?) {
                Ok(record) => record,
                Err(e) => return Ok(malformed("vote", root, &e)),
            };
            let ballots = files.require(&format!("{root}{BALLOTS_FILE}"))?;
            let challenged = files.require(&format!("{root}{CHALLENGED_FILE}"))?;
            let name = vote_name(&root);
            let total = record.tally.ballots();
            let r = verify_vote_streams(&record, ballots, challenged, rng, |n| {
                progress(&name, n, total)
            });
            let votes = vec![vote_summary(&name, &record, r.all_passed())];
            let statements = Summary::of_vote(&name, &record, &r).statements;
            let mut report = AssemblyReport::default();
            report.push(vote_title(&name), r);
            Ok(view("vote", root, &report, None, votes, statements))
        }
    }
}

/// The anchors of a file named [`ANCHORS_FILE`] among `files`, if any.
fn dropped_anchors(files: &FileSet) -> Result<Option<Anchors>, String> {
    files
        .paths()
        .find(|p| p.rsplit('/').next() == Some(ANCHORS_FILE))
        .map(|p| parse_json(p, files.get(p).unwrap_or_default()))
        .transpose()
        .map_err(|e| format!("the anchors file: {e}"))
}

/// Verifies one vote given its three files' contents.
pub fn verify_vote_bytes<R: RngCore + CryptoRng>(
    record: &[u8],
    ballots: &[u8],
    challenged: &[u8],
    rng: &mut R,
    progress: impl FnMut(&str, u64, u64),
) -> Result<Verification, String> {
    let mut files = FileSet::new();
    files.insert(RECORD_FILE, record.to_vec());
    files.insert(BALLOTS_FILE, ballots.to_vec());
    files.insert(CHALLENGED_FILE, challenged.to_vec());
    verify_files(&files, rng, progress)
}

/// A record file's content: an error of kind `InvalidData` (a failed
/// record, check R1) when it does not decode.
fn parse_json<T: serde::de::DeserializeOwned>(path: &str, bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{path} is not a valid record: {e}"),
        )
    })
}

/// The report of a record whose file does not decode: R1 failed, the
/// record is not valid.
fn malformed(kind: &'static str, root: String, e: &io::Error) -> Verification {
    let mut report = AssemblyReport::default();
    report.push("Record", malformed_report(e));
    view(kind, root, &report, None, Vec::new(), Vec::new())
}

/// The last component of a vote's directory prefix, or `"vote"`.
fn vote_name(root: &str) -> String {
    root.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("vote")
        .to_owned()
}

/// The section title the library gives a vote (`Vote "name"`).
fn vote_title(name: &str) -> String {
    format!("Vote \"{name}\"")
}

fn view(
    kind: &'static str,
    root: String,
    report: &AssemblyReport,
    draw: Option<DrawSummary>,
    votes: Vec<VoteSummary>,
    statements: Vec<Statement>,
) -> Verification {
    let mut n = 0;
    let sections = report
        .sections
        .iter()
        .map(|(title, r)| Section {
            title: title.clone(),
            checks: r
                .checks
                .iter()
                .map(|c| {
                    n += 1;
                    CheckView {
                        n,
                        id: c.id,
                        title: c.title,
                        passed: c.outcome == Outcome::Passed,
                        status: c.outcome.word(),
                        reason: c.outcome.reason().map(str::to_owned),
                    }
                })
                .collect(),
        })
        .collect();
    let tally = report.tally();
    let (total, failed) = (tally.total(), tally.failed);
    let summary = if total == 0 {
        String::from("no checks were made")
    } else {
        format!("{tally}")
    };
    Verification {
        kind,
        root,
        sections,
        total,
        failed,
        all_passed: report.all_passed(),
        verdict: tally.verdict().word(),
        summary,
        draw,
        votes,
        statements,
        fairness: report.fairness.clone(),
    }
}

fn vote_summary(name: &str, record: &ElectionRecord, verified: bool) -> VoteSummary {
    let manifest: &Manifest = &record.manifest;
    VoteSummary {
        name: name.to_owned(),
        election: manifest.election_id().to_owned(),
        verified,
        ballots: record.result.ballots(),
        contests: record
            .result
            .contests()
            .iter()
            .map(|c| ContestSummary {
                id: c.contest_id().to_owned(),
                kind: match c.kind() {
                    ContestKind::Motion => "motion",
                    ContestKind::OneOfN => "one-of-n",
                    ContestKind::Approval { .. } => "approval",
                    ContestKind::Score { .. } => "score",
                },
                options: manifest
                    .contest(c.contest_id())
                    .map(|m| m.options().to_vec())
                    .unwrap_or_default(),
                counts: c.counts().to_vec(),
                passes: c.motion().map(|m| m.passes),
            })
            .collect(),
    }
}

fn draw_summary(record: &AssemblyRecord) -> DrawSummary {
    let selection = &record.selection;
    let strata: Vec<StratumSummary> = selection
        .strata
        .iter()
        .map(|s| StratumSummary {
            label: match core::str::from_utf8(&s.count.value) {
                Ok(t) if !t.chars().any(char::is_control) => t.to_owned(),
                _ => hex_label(&s.count.value),
            },
            roll: s.count.size,
            quota: s.quota,
            selected: s.selected.len(),
            reserve: s.reserve.len(),
        })
        .collect();
    DrawSummary {
        beacon_round: selection.beacon_round,
        beacon: record.beacon.chain().to_string(),
        delegates: strata.iter().map(|s| s.selected).sum(),
        reserves: strata.iter().map(|s| s.reserve).sum(),
        strata,
    }
}

fn hex_label(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
