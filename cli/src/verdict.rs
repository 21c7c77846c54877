//! The CLI's report: numbered checks in sections, printed for people or as
//! JSON for machines, built from the library's reports or from merged shard
//! summaries.

use std::fmt;

use kleroterion::record::AssemblyReport;
use kleroterion::report::{Outcome, Report};
use serde::{Deserialize, Serialize};

/// One check: its stable id, what it establishes and, if it failed, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// A titled list of checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub checks: Vec<CheckLine>,
}

/// A whole verification report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub sections: Vec<Section>,
}

pub fn check_lines(report: &Report) -> Vec<CheckLine> {
    report
        .checks
        .iter()
        .map(|c| CheckLine {
            id: c.id.to_string(),
            title: c.title.to_string(),
            failure: match &c.outcome {
                Outcome::Passed => None,
                Outcome::Failed(why) => Some(why.clone()),
            },
        })
        .collect()
}

impl From<&AssemblyReport> for Verdict {
    fn from(r: &AssemblyReport) -> Self {
        Verdict {
            sections: r
                .sections
                .iter()
                .map(|(title, report)| Section {
                    title: title.clone(),
                    checks: check_lines(report),
                })
                .collect(),
        }
    }
}

impl Verdict {
    pub fn single(title: &str, report: &Report) -> Self {
        Verdict {
            sections: vec![Section {
                title: title.to_string(),
                checks: check_lines(report),
            }],
        }
    }

    pub fn total(&self) -> usize {
        self.sections.iter().map(|s| s.checks.len()).sum()
    }

    pub fn failed(&self) -> usize {
        self.checks().filter(|(_, c)| c.failure.is_some()).count()
    }

    /// Whether every check passed (and there was at least one).
    pub fn passed(&self) -> bool {
        self.total() > 0 && self.failed() == 0
    }

    fn checks(&self) -> impl Iterator<Item = (&str, &CheckLine)> {
        self.sections
            .iter()
            .flat_map(|s| s.checks.iter().map(move |c| (s.title.as_str(), c)))
    }

    /// The machine-readable form: a summary, then every check numbered.
    pub fn to_json(&self) -> JsonReport<'_> {
        JsonReport {
            passed: self.passed(),
            total: self.total(),
            failed: self.failed(),
            checks: self
                .checks()
                .enumerate()
                .map(|(i, (section, c))| JsonCheck {
                    number: i + 1,
                    section,
                    id: &c.id,
                    title: &c.title,
                    passed: c.failure.is_none(),
                    reason: c.failure.as_deref(),
                })
                .collect(),
        }
    }
}

/// `verify --json` output.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    passed: bool,
    total: usize,
    failed: usize,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    number: usize,
    section: &'a str,
    id: &'a str,
    title: &'a str,
    passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl fmt::Display for Verdict {
    /// Numbered checks under section headings, failures with their reason,
    /// then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut n = 0;
        for s in &self.sections {
            writeln!(f, "{}", s.title)?;
            for c in &s.checks {
                n += 1;
                match &c.failure {
                    None => writeln!(f, "  {n:>3}. {:<4} ok      {}", c.id, c.title)?,
                    Some(why) => writeln!(
                        f,
                        "  {n:>3}. {:<4} FAILED  {}\n              {why}",
                        c.id, c.title
                    )?,
                }
            }
        }
        if self.passed() {
            write!(f, "all {} checks passed", self.total())
        } else {
            write!(f, "{} of {} checks FAILED", self.failed(), self.total())
        }
    }
}
