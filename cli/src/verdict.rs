//! The CLI's report: numbered checks in sections, printed for people or as
//! JSON for machines, built from the library's reports or from merged shard
//! summaries.

use std::fmt;

use kleroterion::fairness::{FairnessFigures, LotteryKind, Ratio};
use kleroterion::record::assembly::outcome_label;
use kleroterion::record::summary::{
    DrawFacts, PoolDrawFacts, StatementStatus, Summary, Unmet, VoteFacts,
};
use kleroterion::record::AssemblyReport;
use kleroterion::report::{
    check_lines, CheckLine, Report, Section, Status, Tally, Verdict as ReportVerdict,
};
use serde::Serialize;

/// A whole verification report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub sections: Vec<Section>,
    /// What the record claims and which of its statements the checks
    /// prove (spec/record.md §10); absent for a beacon record, a merged
    /// shard report or a record that does not decode.
    pub summary: Option<Summary>,
    /// The SHA3-256 of the record's main file (`assembly.json` or
    /// `record.json`): its name and the hex digest.
    pub digest: Option<RecordDigest>,
    /// The fairness figures of a feature or pool draw, as the verifier
    /// recomputed them (spec/record.md §10.1).
    pub fairness: Option<FairnessFigures>,
}

/// The SHA3-256 of the record file's bytes, as `sha3sum -a 256 FILE` prints
/// it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordDigest {
    /// `assembly.json` or `record.json`.
    pub file: String,
    /// SHA3-256 of its bytes, hex.
    pub sha3_256: String,
}

impl From<&AssemblyReport> for Verdict {
    fn from(r: &AssemblyReport) -> Self {
        Verdict {
            sections: r.to_sections(),
            fairness: r.fairness.clone(),
            ..Verdict::default()
        }
    }
}

impl Verdict {
    /// Adds the summary and the record's digest.
    pub fn with_summary(mut self, summary: Summary, digest: Option<RecordDigest>) -> Self {
        self.summary = Some(summary);
        self.digest = digest;
        self
    }

    pub fn single(title: &str, report: &Report) -> Self {
        Verdict {
            sections: vec![Section {
                title: title.to_string(),
                checks: check_lines(report),
            }],
            ..Verdict::default()
        }
    }

    /// How many checks ended each way.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for (_, c) in self.checks() {
            t.add(&c.outcome());
        }
        t
    }

    /// Passed only when every check passed (and there was at least one).
    pub fn outcome(&self) -> ReportVerdict {
        self.tally().verdict()
    }

    fn checks(&self) -> impl Iterator<Item = (&str, &CheckLine)> {
        self.sections
            .iter()
            .flat_map(|s| s.checks.iter().map(move |c| (s.title.as_str(), c)))
    }

    /// The machine-readable form: a summary, then every check numbered.
    pub fn to_json(&self) -> JsonReport<'_> {
        let tally = self.tally();
        JsonReport {
            verdict: tally.verdict().word(),
            passed: tally.verdict() == ReportVerdict::Passed,
            total: tally.total(),
            failed: tally.failed,
            not_checked: tally.not_checked,
            not_anchored: tally.not_anchored,
            record_digest: self.digest.as_ref(),
            summary: self.summary.as_ref().map(|s| JsonSummary {
                draw: s.draw.as_ref(),
                pool_draw: s.pool_draw.as_ref(),
                votes: &s.votes,
            }),
            fairness: self.fairness.as_ref(),
            statements: self
                .summary
                .as_ref()
                .map(|s| {
                    s.statements
                        .iter()
                        .map(|st| JsonStatement {
                            text: &st.text,
                            status: st.status,
                            rests_on: &st.rests_on,
                            unmet: &st.unmet,
                            vote: st.vote.as_deref(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            checks: self
                .checks()
                .enumerate()
                .map(|(i, (section, c))| JsonCheck {
                    number: i + 1,
                    section,
                    id: &c.id,
                    title: &c.title,
                    passed: c.status == Status::Ok,
                    status: c.status,
                    reason: c.reason.as_deref(),
                })
                .collect(),
        }
    }
}

/// `verify --json` output.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    /// `passed`, `failed` or `incomplete` (no check failed, but some were
    /// not checked or not anchored).
    verdict: &'static str,
    passed: bool,
    total: usize,
    failed: usize,
    not_checked: usize,
    not_anchored: usize,
    /// The SHA3-256 of the record's main file.
    #[serde(skip_serializing_if = "Option::is_none")]
    record_digest: Option<&'a RecordDigest>,
    /// What the record claims: draw and votes (counts are verified only
    /// where a vote's `count_verified` is true).
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<JsonSummary<'a>>,
    /// The fairness figures of a feature or pool draw, recomputed by the
    /// verifier; each `null` unless the checks establishing it passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    fairness: Option<&'a FairnessFigures>,
    /// The plain statements and whether each is proven.
    statements: Vec<JsonStatement<'a>>,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    draw: Option<&'a DrawFacts>,
    pool_draw: Option<&'a PoolDrawFacts>,
    votes: &'a [VoteFacts],
}

#[derive(Serialize)]
struct JsonStatement<'a> {
    text: &'a str,
    /// `proven`, `not_proven` or `refuted`.
    status: StatementStatus,
    rests_on: &'a [&'static str],
    /// The checks it rests on that did not pass.
    unmet: &'a [Unmet],
    #[serde(skip_serializing_if = "Option::is_none")]
    vote: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    number: usize,
    section: &'a str,
    id: &'a str,
    title: &'a str,
    passed: bool,
    status: Status,
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
                match &c.reason {
                    None if c.status == Status::Ok => {
                        writeln!(f, "  {n:>3}. {:<4} ok      {}", c.id, c.title)?
                    }
                    why => writeln!(
                        f,
                        "  {n:>3}. {:<4} {}  {}\n              {}",
                        c.id,
                        outcome_label(&c.outcome()),
                        c.title,
                        why.as_deref().unwrap_or_default()
                    )?,
                }
            }
        }
        let tally = self.tally();
        write!(f, "{tally}")?;
        if tally.not_anchored > 0 && tally.failed == 0 {
            write!(
                f,
                "\nNOT PROVEN: without the published anchors this record is only shown consistent \
                 with itself. Compare each digest marked NOT ANCHORED with the one the organiser \
                 published, or verify with --anchors FILE."
            )?;
        }
        if let Some(d) = &self.digest {
            write!(f, "\nRecord: {} SHA3-256 {}", d.file, d.sha3_256)?;
        }
        if let Some(figures) = &self.fairness {
            write_figures(f, figures)?;
        }
        if let Some(s) = &self.summary {
            write!(f, "\n\nWhat this verification establishes:")?;
            for st in &s.statements {
                let mark = match st.status {
                    StatementStatus::Proven => "  ✓ ",
                    StatementStatus::NotProven => "  ? ",
                    StatementStatus::Refuted => "  ✗ ",
                };
                write!(
                    f,
                    "\n{mark}{} [rests on {}]",
                    st.text,
                    id_ranges(&st.rests_on)
                )?;
            }
        }
        Ok(())
    }
}

/// `a/b (= d)`, or `not established`.
fn figure(value: Option<&Ratio>) -> String {
    value.map_or_else(|| String::from("not established"), Ratio::display_exact)
}

/// The fairness figures: the lottery, `p_min` and who has it, `B`, the
/// gap and the announced gap.
fn write_figures(f: &mut fmt::Formatter<'_>, fig: &FairnessFigures) -> fmt::Result {
    let (people, lists) = match fig.kind {
        LotteryKind::WholeRoll => ("eligible citizens", "cell allocations"),
        LotteryKind::Pool => ("volunteers", "panels"),
    };
    write!(
        f,
        "\n\nFairness (recomputed by this verifier, never read from the record):"
    )?;
    match (fig.m, fig.people) {
        (Some(m), Some(n)) => write!(f, "\n  lottery: {m} {lists} over {n} {people}")?,
        _ => write!(f, "\n  lottery: the fairness checks were not made")?,
    }
    write!(
        f,
        "\n  smallest selection probability p_min = {}",
        figure(fig.min_probability.as_ref())
    )?;
    if let (Some(n), Some(of)) = (fig.at_minimum, fig.people) {
        write!(f, ", held by {n} of the {of} {people}")?;
    }
    write!(
        f,
        "\n  certificate's bound on any lottery B = {}",
        figure(fig.bound.as_ref())
    )?;
    write!(f, "\n  gap B − p_min = {}", figure(fig.gap.as_ref()))?;
    write!(
        f,
        "\n  announced gap g = {}",
        fig.announced_gap.as_ref().map_or_else(
            || String::from("none (no certificate)"),
            Ratio::display_exact
        )
    )
}

/// Check ids with runs of consecutive numbers of one letter shortened:
/// `A1 A2 B1–B4 S1–S17`.
pub fn id_ranges(ids: &[&str]) -> String {
    let split = |id: &str| {
        let digits = id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len());
        let (prefix, number) = id.split_at(digits);
        (prefix.to_owned(), number.parse::<u32>().ok())
    };
    let mut runs: Vec<(String, u32, u32)> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let flush = |runs: &mut Vec<(String, u32, u32)>, out: &mut Vec<String>| {
        for (p, a, b) in runs.drain(..) {
            out.push(match b - a {
                0 => format!("{p}{a}"),
                1 => format!("{p}{a} {p}{b}"),
                _ => format!("{p}{a}–{p}{b}"),
            });
        }
    };
    for id in ids {
        match split(id) {
            (prefix, Some(n)) => match runs.last_mut() {
                Some((p, _, b)) if *p == prefix && n == *b + 1 => *b = n,
                _ => {
                    flush(&mut runs, &mut out);
                    runs.push((prefix, n, n));
                }
            },
            _ => {
                flush(&mut runs, &mut out);
                out.push((*id).to_owned());
            }
        }
    }
    flush(&mut runs, &mut out);
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::id_ranges;

    #[test]
    fn ranges_of_check_ids() {
        assert_eq!(
            id_ranges(&["A1", "A2", "B1", "B2", "B3", "B4", "S1", "S2", "S3", "E12", "E13", "E15"]),
            "A1 A2 B1–B4 S1–S3 E12 E13 E15"
        );
        assert_eq!(id_ranges(&[]), "");
        assert_eq!(id_ranges(&["R1", "X"]), "R1 X");
    }
}
