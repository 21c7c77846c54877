//! Progress bars on stderr, hidden with `--quiet` or when stderr is not a
//! terminal.

use std::fmt;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use kleroterion::record::{AssemblyRecord, ElectionRecord};

pub struct Progress {
    hidden: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Progress {
            hidden: quiet || !std::io::stderr().is_terminal(),
        }
    }

    fn ballots(&self, len: u64) -> ProgressBar {
        if self.hidden {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        bar.set_style(ballot_style());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }

    /// A bar over a vote's ballots (as many as its tally counts).
    pub fn vote(&self, record: &ElectionRecord) -> ProgressBar {
        let bar = self.ballots(record.tally.ballots());
        bar.set_message("ballots");
        bar
    }

    /// A bar that follows the votes of an assembly in turn (a spinner
    /// while the beacon and the draw are verified).
    pub fn assembly(&self, record: &AssemblyRecord) -> AssemblyBars {
        let bar = self.stages();
        bar.set_message("beacon and draw");
        AssemblyBars {
            bar,
            totals: record
                .votes
                .iter()
                .map(|v| (v.name.clone(), v.record.tally.ballots()))
                .collect(),
            current: None,
        }
    }

    /// A spinner for the stages of a simulation.
    pub fn stages(&self) -> ProgressBar {
        if self.hidden {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

pub struct AssemblyBars {
    bar: ProgressBar,
    totals: Vec<(String, u64)>,
    current: Option<String>,
}

impl AssemblyBars {
    /// `n` ballots of vote `vote` read.
    pub fn set(&mut self, vote: &str, n: u64) {
        if self.current.as_deref() != Some(vote) {
            let total = self
                .totals
                .iter()
                .find(|(name, _)| name == vote)
                .map_or(0, |(_, t)| *t);
            self.bar.reset();
            self.bar.set_style(ballot_style());
            self.bar.set_length(total);
            self.bar.set_message(vote.to_string());
            self.current = Some(vote.to_string());
        }
        self.bar.set_position(n);
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

fn ballot_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{msg:>20} [{bar:40}] {human_pos}/{human_len} ballots ({rate}, {eta} left)",
    )
    .map_or_else(
        |_| ProgressStyle::default_bar(),
        |s| {
            s.progress_chars("=> ")
                // Whole ballots per second: indicatif's {per_sec} prints
                // four decimals.
                .with_key("rate", |state: &ProgressState, w: &mut dyn fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                })
        },
    )
}
