//! Verification reports: a numbered list of checks, each passed, failed,
//! not checked or not anchored, with the reason.
//!
//! Every record verifier of the crate returns a [`Report`] instead of
//! stopping at the first failure, so that an auditor sees every check that
//! was made and exactly which ones failed. Check identifiers (`"S1"`,
//! `"S2"`, …) are stable and documented in the spec file of the verifier
//! that emits them; a later protocol version may add checks but never
//! renumbers existing ones.
//!
//! A check is never silently dropped and never reported as passed when it
//! was not decided (spec/record.md §4): a check whose input is missing, or
//! that depends on a check that failed, is [`Outcome::NotChecked`] with the
//! reason; a check that compares the record with a value the auditor must
//! hold from outside it (an anchor, spec/anchors.md) and was run without
//! that value is [`Outcome::NotAnchored`], carrying the record's digest for
//! the auditor to compare by hand. The [`Verdict`] of a report is
//! [`Verdict::Passed`] only when every check passed.
//!
//! # Example
//!
//! ```
//! use kleroterion::report::{Outcome, Report, Verdict};
//!
//! let mut report = Report::new();
//! report.record("X1", "the tally is the sum of the ballots", Ok::<(), &str>(()));
//! report.push("X2", "the manifest is the published one", Outcome::NotAnchored("6092a30c…".into()));
//! // Consistent, not proven: the verdict is never "passed" with a check not anchored.
//! assert_eq!(report.tally().verdict(), Verdict::Incomplete);
//! assert_eq!(report.tally().to_string(), "1 of 2 checks passed, 1 not anchored");
//!
//! report.record("X3", "the result is the decrypted tally", Err("106 yes announced, 105 decrypted"));
//! assert_eq!(report.tally().verdict(), Verdict::Failed);
//! assert_eq!(report.failures().map(|c| c.id).collect::<Vec<_>>(), ["X3"]);
//! assert_eq!(report.get("X3").and_then(|c| c.outcome.reason()), Some("106 yes announced, 105 decrypted"));
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The outcome of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Outcome {
    /// The check succeeded.
    Passed,
    /// The check failed; the string says what was wrong.
    Failed(String),
    /// The check could not be decided: an input it needs is missing, or an
    /// earlier check it depends on failed. The string says which. Never a
    /// pass: verifying on an attacker's unchecked numbers proves nothing.
    NotChecked(String),
    /// Everything the record can show passed, but the check compares the
    /// record with an anchor (spec/anchors.md) that was not supplied; the
    /// string gives the record's value to compare with the published one.
    NotAnchored(String),
}

impl Outcome {
    /// `Passed` for `Ok(())`, `Failed(reason)` for `Err(reason)`.
    pub fn from_result<E: fmt::Display>(result: core::result::Result<(), E>) -> Self {
        match result {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(alloc::format!("{e}")),
        }
    }

    /// A short lowercase word for the outcome: `ok`, `failed`,
    /// `not checked` or `not anchored`.
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Passed => "ok",
            Outcome::Failed(_) => "failed",
            Outcome::NotChecked(_) => "not checked",
            Outcome::NotAnchored(_) => "not anchored",
        }
    }

    /// The reason or digest attached to every outcome but `Passed`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Passed => None,
            Outcome::Failed(s) | Outcome::NotChecked(s) | Outcome::NotAnchored(s) => Some(s),
        }
    }
}

/// One numbered check of a verification report.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Check {
    /// Stable identifier, e.g. `"S3"`, documented in the verifier's spec.
    pub id: &'static str,
    /// What the check establishes, in one line.
    pub title: &'static str,
    /// Whether it passed.
    pub outcome: Outcome,
}

impl Check {
    /// Whether this check passed.
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }

    /// Whether this check failed.
    pub fn failed(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }
}

/// The verdict of a whole report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Verdict {
    /// Every check ran and passed (and there was at least one).
    Passed,
    /// At least one check failed: the record is not valid.
    Failed,
    /// No check failed, but some were not checked or not anchored: the
    /// record is consistent as far as it was checked, not proven.
    Incomplete,
}

impl Verdict {
    /// `passed`, `failed` or `incomplete`: the verdict's word in JSON
    /// reports.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::Incomplete => "incomplete",
        }
    }
}

/// The order of check identifiers: letters first, then the number (`E2`
/// before `E10`).
pub fn id_order(id: &str) -> (&str, u32) {
    let digits = id.find(|ch: char| ch.is_ascii_digit()).unwrap_or(id.len());
    let (prefix, number) = id.split_at(digits);
    (prefix, number.parse::<u32>().unwrap_or(u32::MAX))
}

/// How many checks of a report ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Tally {
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed.
    pub failed: usize,
    /// Checks that could not be decided.
    pub not_checked: usize,
    /// Checks that lack their anchor.
    pub not_anchored: usize,
}

impl Tally {
    /// Counts the outcomes of `checks`.
    pub fn of<'a>(checks: impl IntoIterator<Item = &'a Check>) -> Self {
        let mut t = Tally::default();
        for c in checks {
            t.add(&c.outcome);
        }
        t
    }

    /// Counts one more check that ended with `outcome`.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::NotChecked(_) => self.not_checked += 1,
            Outcome::NotAnchored(_) => self.not_anchored += 1,
        }
    }

    /// Number of checks.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.not_checked + self.not_anchored
    }

    /// The verdict: failed if any check failed, passed if every check
    /// passed, incomplete otherwise (and for an empty report).
    pub fn verdict(&self) -> Verdict {
        if self.failed > 0 {
            Verdict::Failed
        } else if self.total() > 0 && self.passed == self.total() {
            Verdict::Passed
        } else {
            Verdict::Incomplete
        }
    }
}

impl fmt::Display for Tally {
    /// `all 46 checks passed`, `2 of 46 checks FAILED`, or `44 of 46
    /// checks passed, 2 not anchored`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        let plural = if total == 1 { "check" } else { "checks" };
        match self.verdict() {
            Verdict::Passed => write!(f, "all {total} {plural} passed")?,
            Verdict::Failed => write!(f, "{} of {total} {plural} FAILED", self.failed)?,
            Verdict::Incomplete => write!(f, "{} of {total} {plural} passed", self.passed)?,
        }
        if self.not_checked > 0 {
            write!(f, ", {} not checked", self.not_checked)?;
        }
        if self.not_anchored > 0 {
            write!(f, ", {} not anchored", self.not_anchored)?;
        }
        Ok(())
    }
}

/// An ordered list of checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    /// The checks in the order they were made.
    pub checks: Vec<Check>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a check whose outcome is `Ok(())` (passed) or `Err(reason)`.
    pub fn record<E: fmt::Display>(
        &mut self,
        id: &'static str,
        title: &'static str,
        result: core::result::Result<(), E>,
    ) {
        self.push(id, title, Outcome::from_result(result));
    }

    /// Records a check with the given outcome.
    pub fn push(&mut self, id: &'static str, title: &'static str, outcome: Outcome) {
        self.checks.push(Check { id, title, outcome });
    }

    /// Records a check that could not be decided, with the reason.
    pub fn not_checked(&mut self, id: &'static str, title: &'static str, why: impl Into<String>) {
        self.push(id, title, Outcome::NotChecked(why.into()));
    }

    /// Appends every check of `other`.
    pub fn extend(&mut self, other: Report) {
        self.checks.extend(other.checks);
    }

    /// How many checks ended each way.
    pub fn tally(&self) -> Tally {
        Tally::of(&self.checks)
    }

    /// Whether every check passed (an empty report is not a success).
    pub fn all_passed(&self) -> bool {
        self.tally().verdict() == Verdict::Passed
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.failed())
    }

    /// Orders the checks by identifier: letters first, then the number
    /// (`E2` before `E10`); checks with equal identifiers keep their order.
    pub fn sort_by_id(&mut self) {
        self.checks.sort_by_key(|c| id_order(c.id));
    }

    /// The check with identifier `id`, if it was made.
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

impl fmt::Display for Report {
    /// One line per check: `S1 [ok] title`, `S1 [FAILED] title: reason`,
    /// `S1 [not checked] title: reason` or `S1 [not anchored] title: digest`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.checks {
            match &c.outcome {
                Outcome::Passed => writeln!(f, "{} [ok] {}", c.id, c.title)?,
                Outcome::Failed(why) => writeln!(f, "{} [FAILED] {}: {}", c.id, c.title, why)?,
                other => writeln!(
                    f,
                    "{} [{}] {}: {}",
                    c.id,
                    other.word(),
                    c.title,
                    other.reason().unwrap_or_default()
                )?,
            }
        }
        Ok(())
    }
}

/// How a check ended: an [`Outcome`] without its reason, as the owned
/// report lines of [`CheckLine`] carry it (`ok`, `failed`, `not_checked`,
/// `not_anchored` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Status {
    /// The check passed.
    Ok,
    /// The check failed.
    Failed,
    /// The check could not be decided.
    NotChecked,
    /// The check lacks its anchor.
    NotAnchored,
}

impl Status {
    /// The status of an outcome.
    pub fn of(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Passed => Status::Ok,
            Outcome::Failed(_) => Status::Failed,
            Outcome::NotChecked(_) => Status::NotChecked,
            Outcome::NotAnchored(_) => Status::NotAnchored,
        }
    }
}

/// One check in owned form, as reports travel between processes (shard
/// summaries, `--json`, the Python package): its stable id, what it
/// establishes, how it ended and, unless it passed, why (or, not anchored,
/// the record's digest to compare).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CheckLine {
    /// The check's identifier, e.g. `"E9"`.
    pub id: String,
    /// What the check establishes.
    pub title: String,
    /// How it ended.
    pub status: Status,
    /// The reason or digest of every status but [`Status::Ok`].
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reason: Option<String>,
}

impl CheckLine {
    /// The owned line of a check.
    pub fn of(check: &Check) -> Self {
        CheckLine {
            id: check.id.into(),
            title: check.title.into(),
            status: Status::of(&check.outcome),
            reason: check.outcome.reason().map(String::from),
        }
    }

    /// The outcome this line stands for.
    pub fn outcome(&self) -> Outcome {
        let reason = self.reason.clone().unwrap_or_default();
        match self.status {
            Status::Ok => Outcome::Passed,
            Status::Failed => Outcome::Failed(reason),
            Status::NotChecked => Outcome::NotChecked(reason),
            Status::NotAnchored => Outcome::NotAnchored(reason),
        }
    }
}

/// The owned lines of every check of `report`, in order.
pub fn check_lines(report: &Report) -> Vec<CheckLine> {
    report.checks.iter().map(CheckLine::of).collect()
}

/// A titled list of owned checks: one section of a report (the beacon, the
/// draw, a vote).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Section {
    /// The section's title, e.g. `Vote "harm-finding"`.
    pub title: String,
    /// Its checks, in order.
    pub checks: Vec<CheckLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_summarises() {
        let mut r = Report::new();
        assert!(!r.all_passed(), "an empty report is not a success");
        assert_eq!(r.tally().verdict(), Verdict::Incomplete);
        r.record::<&str>("X1", "first", Ok(()));
        assert!(r.all_passed());
        r.record("X2", "second", Err("broken"));
        assert!(!r.all_passed());
        assert_eq!(r.failures().count(), 1);
        assert_eq!(
            r.get("X2").map(|c| c.outcome.clone()),
            Some(Outcome::Failed("broken".into()))
        );
        let text = alloc::format!("{r}");
        assert!(text.contains("X1 [ok] first"));
        assert!(text.contains("X2 [FAILED] second: broken"));
        assert_eq!(alloc::format!("{}", r.tally()), "1 of 2 checks FAILED");
    }

    #[test]
    fn not_checked_and_not_anchored_are_never_a_pass() {
        let mut r = Report::new();
        r.record::<&str>("X1", "first", Ok(()));
        r.not_checked("X2", "second", "needs X0");
        assert!(!r.all_passed());
        assert_eq!(r.failures().count(), 0);
        assert_eq!(r.tally().verdict(), Verdict::Incomplete);
        r.push("X3", "third", Outcome::NotAnchored("digest ab".into()));
        let t = r.tally();
        assert_eq!((t.passed, t.not_checked, t.not_anchored), (1, 1, 1));
        assert_eq!(
            alloc::format!("{t}"),
            "1 of 3 checks passed, 1 not checked, 1 not anchored"
        );
        assert!(alloc::format!("{r}").contains("X3 [not anchored] third: digest ab"));
        r.record("X4", "fourth", Err("bad"));
        assert_eq!(r.tally().verdict(), Verdict::Failed);
        r.record::<&str>("X10", "tenth", Ok(()));
        r.record::<&str>("W1", "other", Ok(()));
        r.sort_by_id();
        let ids: Vec<_> = r.checks.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["W1", "X1", "X2", "X3", "X4", "X10"]);
        let mut one = Report::new();
        one.record::<&str>("Y", "only", Ok(()));
        assert_eq!(alloc::format!("{}", one.tally()), "all 1 check passed");
    }
}
