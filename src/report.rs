//! Verification reports: a numbered list of checks, each passed or failed
//! with the reason.
//!
//! Every record verifier of the crate (the selection record of
//! [`crate::sortition`], later the ballot and tally records) returns a
//! [`Report`] instead of stopping at the first failure, so that an auditor
//! sees every check that was made and exactly which ones failed. Check
//! identifiers (`"S1"`, `"S2"`, …) are stable and documented in the spec file
//! of the verifier that emits them; a later protocol version may add checks
//! but never renumbers existing ones.

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
        let outcome = match result {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(alloc::format!("{e}")),
        };
        self.checks.push(Check { id, title, outcome });
    }

    /// Whether every check passed (an empty report is not a success).
    pub fn all_passed(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(Check::passed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed())
    }

    /// The check with identifier `id`, if it was made.
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

impl fmt::Display for Report {
    /// One line per check: `S1 [ok] title` or `S1 [FAILED] title: reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.checks {
            match &c.outcome {
                Outcome::Passed => writeln!(f, "{} [ok] {}", c.id, c.title)?,
                Outcome::Failed(why) => writeln!(f, "{} [FAILED] {}: {}", c.id, c.title, why)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_summarises() {
        let mut r = Report::new();
        assert!(!r.all_passed(), "an empty report is not a success");
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
    }
}
