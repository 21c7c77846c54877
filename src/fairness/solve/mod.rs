//! The organiser's side (feature `solver`): feasibility and infeasibility
//! explained, the maximin lottery over cell allocations, its rounding to
//! `m` allocations, person-level panels and the fairness certificate
//! (spec/fairness.md §3–§7), with the pure-Rust LP/MILP solver microlp
//! (spec/fairness.md §9 for the choice).
//!
//! Nothing here is trusted by a verifier: every output is checked by
//! [`super::check_lottery`] or [`super::check_panels`] before it is
//! returned, and is checked again by anyone who verifies the record.

use alloc::string::String;

mod dual;
mod feasibility;
mod households;
mod lp;
mod maximin;
mod rounding;

use alloc::vec::Vec;
use core::fmt;

pub use dual::{certificate, with_gap};
pub use feasibility::{feasibility, Feasibility, Infeasibility};
pub use lp::{HouseholdCuts, QuotaSide, Side};
pub use maximin::{maximin, maximin_exclusive, Distribution};
pub use rounding::{round, round_with, Rounded, Rounding};

use super::allocation_list::AllocationList;
use super::assign::assign_panels_with;
use super::certificate::FairnessCertificate;
use super::check::{check_lottery, check_panels, FairnessVerdict};
use super::pool::Pool;
use super::problem::CellProblem;
use crate::sortition::panel::PanelList;

/// Pricing rounds of the column generation before it stops (the lottery
/// is valid either way; its certificate's gap shows how close it is).
pub const MAX_ROUNDS: usize = 2000;

/// Why no fair lottery was produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SolveError {
    /// The quotas cannot be met; the explanation.
    Infeasible(Infeasibility),
    /// The problem or pool is malformed.
    Problem(crate::Error),
    /// The solver failed, or its output did not verify.
    Solver(String),
}

impl fmt::Display for SolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SolveError::Infeasible(i) => write!(
                f,
                "no panel meets the quotas ({} conflicting bounds)",
                i.conflict.len()
            ),
            SolveError::Problem(e) => write!(f, "{e}"),
            SolveError::Solver(s) => write!(f, "solver: {s}"),
        }
    }
}

impl core::error::Error for SolveError {}

/// A fair lottery over cell allocations with its certificate.
#[derive(Clone, Debug)]
pub struct FairLottery {
    /// The `m` allocations.
    pub lottery: AllocationList,
    /// The certificate, with the announced gap.
    pub certificate: FairnessCertificate,
    /// The maximin distribution before rounding.
    pub distribution: Distribution,
    /// The a-priori rounding loss bound (see [`round`]).
    pub loss_bound: f64,
    /// The verification of the result (every check passed).
    pub verdict: FairnessVerdict,
}

/// The maximin lottery over `m` cell allocations of `problem`, with its
/// certificate, verified by [`check_lottery`].
pub fn fair_lottery(problem: &CellProblem, m: u32) -> Result<FairLottery, SolveError> {
    fair_lottery_with(problem, m, Rounding::Best)
}

/// [`fair_lottery`], rounded as `rounding` says ([`Rounding::Reproducible`]:
/// the same lottery on every machine).
pub fn fair_lottery_with(
    problem: &CellProblem,
    m: u32,
    rounding: Rounding,
) -> Result<FairLottery, SolveError> {
    fair_lottery_exclusive(problem, m, &lp::HouseholdCuts::default(), rounding)
}

/// [`fair_lottery`] over allocations seating at most one cell of each pair
/// of `exclusive` and at most `cap` seats of each capped cell, when some
/// allocation respects them (otherwise over all).
fn fair_lottery_exclusive(
    problem: &CellProblem,
    m: u32,
    cuts: &lp::HouseholdCuts,
    rounding: Rounding,
) -> Result<FairLottery, SolveError> {
    let start = match feasibility(problem)? {
        Feasibility::Feasible(x) => x,
        Feasibility::Infeasible(why) => return Err(SolveError::Infeasible(why)),
    };
    let none = lp::HouseholdCuts::default();
    let (start, cuts) = match feasibility::find_exclusive(problem, cuts)? {
        Some(x) => (x, cuts),
        None => (start, &none),
    };
    let distribution = maximin_exclusive(problem, start, MAX_ROUNDS, cuts)?;
    let rounded = round_with(problem, &distribution, m, rounding)?;
    let bare = certificate(problem)?;
    let probe = check_lottery(problem, &rounded.lottery, &bare);
    let p_min = probe
        .min_probability
        .ok_or_else(|| SolveError::Solver("the rounded lottery fails F2".into()))?;
    let certificate = with_gap(problem, bare, &p_min)?;
    let verdict = check_lottery(problem, &rounded.lottery, &certificate);
    if !verdict.passed() {
        return Err(SolveError::Solver("the lottery does not verify".into()));
    }
    Ok(FairLottery {
        lottery: rounded.lottery,
        certificate,
        distribution,
        loss_bound: rounded.loss_bound,
        verdict,
    })
}

/// Pairs of one-person cells whose people share a household: no panel can
/// seat both, so pool mode prices only allocations that seat at most one.
fn household_pairs(problem: &CellProblem, pool: &Pool) -> Vec<(usize, usize)> {
    let mut by_household: alloc::collections::BTreeMap<u64, Vec<usize>> = Default::default();
    for p in &pool.people {
        let cell = p.cell as usize;
        let alone = problem.cells.get(cell).is_some_and(|c| c.eligible == 1);
        if let (Some(h), true) = (p.household, alone) {
            by_household.entry(h).or_default().push(cell);
        }
    }
    let mut pairs = Vec::new();
    for cells in by_household.values() {
        for (i, &a) in cells.iter().enumerate() {
            for &b in cells.iter().skip(i + 1) {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// `x_c ≤` the number of distinct households among cell `c`'s members (a
/// person without a household is their own), for the cells where that is
/// below `e_c`: a panel seats at most one per household.
fn household_caps(problem: &CellProblem, pool: &Pool) -> Vec<(usize, u32)> {
    let mut households: Vec<alloc::collections::BTreeSet<Option<u64>>> =
        problem.cells.iter().map(|_| Default::default()).collect();
    let mut singles = alloc::vec![0u32; problem.cells.len()];
    for p in &pool.people {
        let c = p.cell as usize;
        match p.household {
            Some(h) => {
                if let Some(set) = households.get_mut(c) {
                    set.insert(Some(h));
                }
            }
            None => {
                if let Some(n) = singles.get_mut(c) {
                    *n += 1;
                }
            }
        }
    }
    problem
        .cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| {
            let distinct = households.get(c).map_or(0, |s| s.len() as u64)
                + u64::from(singles.get(c).copied().unwrap_or(0));
            (distinct < cell.eligible).then(|| (c, u32::try_from(distinct).unwrap_or(u32::MAX)))
        })
        .collect()
}

/// `m` person-level panels of a pool with their certificate.
#[derive(Clone, Debug)]
pub struct FairPanels {
    /// The panels, ready for a [`crate::sortition::panel::PanelAnnouncement`].
    pub list: PanelList,
    /// The certificate, with the announced gap (person-level).
    pub certificate: FairnessCertificate,
    /// The cell lottery the panels realise.
    pub cells: FairLottery,
    /// The verification of the result (every check passed).
    pub verdict: FairnessVerdict,
}

/// The maximin lottery of `problem` as `m` panels of `pool` members,
/// households respected, verified by [`check_panels`]. An allocation the
/// greedy assignment cannot seat for households is replaced by the
/// household-respecting panel that meets the quotas and departs least from
/// it (an MILP over the pool); the certificate's gap accounts for any loss.
pub fn fair_panels(problem: &CellProblem, pool: &Pool, m: u32) -> Result<FairPanels, SolveError> {
    pool.validate(problem).map_err(SolveError::Problem)?;
    let cuts = lp::HouseholdCuts {
        pairs: household_pairs(problem, pool),
        caps: household_caps(problem, pool),
    };
    let cells = fair_lottery_exclusive(problem, m, &cuts, Rounding::Best)?;
    let list = assign_panels_with(problem, pool, &cells.lottery, &mut |alloc, counts| {
        households::household_panel(problem, pool, alloc, counts)
    })
    .map_err(SolveError::Problem)?;
    let probe = check_panels(problem, pool, &list, &cells.certificate);
    let p_min = probe
        .min_probability
        .ok_or_else(|| SolveError::Solver("the panels fail F2 or F3".into()))?;
    let certificate = with_gap(problem, cells.certificate.clone(), &p_min)?;
    let verdict = check_panels(problem, pool, &list, &certificate);
    if !verdict.passed() {
        return Err(SolveError::Solver("the panels do not verify".into()));
    }
    Ok(FairPanels {
        list,
        certificate,
        cells,
        verdict,
    })
}

#[cfg(test)]
mod tests;
