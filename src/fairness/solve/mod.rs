//! The organiser's side (feature `solver`): feasibility and infeasibility
//! explained, the maximin or leximin lottery over cell allocations (over
//! classes of interchangeable people in pool mode), its rounding to `m`
//! allocations, person-level panels and the fairness certificate
//! (spec/fairness.md §3–§7), with the pure-Rust LP/MILP solver microlp
//! (spec/fairness.md §9 for the choice).
//!
//! Nothing here is trusted by a verifier: every output is checked by
//! [`super::check_lottery`] or [`super::check_panels`] before it is
//! returned, and is checked again by anyone who verifies the record.

use alloc::string::String;

mod classes;
mod dual;
mod feasibility;
mod lp;
mod master;
mod maximin;
mod repair;
mod rounding;
mod seating;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

pub use dual::{certificate, with_gap};
pub use feasibility::{feasibility, Feasibility, Infeasibility};
pub use lp::{QuotaSide, Side};
pub use maximin::{leximin, maximin, Distribution, Objective};
pub use rounding::{round, Rounded};

use super::allocation_list::AllocationList;
use super::certificate::FairnessCertificate;
use super::check::{check_lottery, check_panels, FairnessVerdict};
use super::pool::Pool;
use super::problem::CellProblem;
use crate::sortition::panel::PanelList;
use classes::Classes;

/// Pricing rounds of the column generation before it stops (the lottery
/// is valid either way; its certificate's gap shows how close it is).
pub const MAX_ROUNDS: usize = 2000;

/// Why no fair lottery was produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SolveError {
    /// The quotas cannot be met; the explanation.
    Infeasible(Infeasibility),
    /// The problem or pool is malformed, or its households leave no panel
    /// that meets the quotas.
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

/// How a lottery is optimised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Options {
    /// Maximin (the default) or leximin.
    pub objective: Objective,
    /// Pricing rounds of the column generation, over all stages.
    pub max_rounds: usize,
}

impl Default for Options {
    /// Maximin, [`MAX_ROUNDS`] pricing rounds.
    fn default() -> Self {
        Options {
            objective: Objective::Maximin,
            max_rounds: MAX_ROUNDS,
        }
    }
}

/// A fair lottery over cell allocations with its certificate.
#[derive(Clone, Debug)]
pub struct FairLottery {
    /// The `m` allocations.
    pub lottery: AllocationList,
    /// The certificate, with the announced gap.
    pub certificate: FairnessCertificate,
    /// The distribution before rounding, over cell allocations (in pool
    /// mode the cell sums of the class distribution, spec/fairness.md §4).
    pub distribution: Distribution,
    /// The a-priori rounding loss bound (see [`round`]).
    pub loss_bound: f64,
    /// The seats by which the rounded lottery's classes (cells, or in pool
    /// mode cell × household type) fall short of their targets
    /// `⌊m·π_k·size_k⌋` (spec/fairness.md §5); 0 on success, when the
    /// smallest person count is `⌊m·t⌋`.
    pub shortfall: u64,
    /// The verification of the result (every check passed).
    pub verdict: FairnessVerdict,
}

/// The maximin lottery over `m` cell allocations of `problem`, with its
/// certificate, verified by [`check_lottery`].
pub fn fair_lottery(problem: &CellProblem, m: u32) -> Result<FairLottery, SolveError> {
    fair_lottery_with(problem, m, &Options::default())
}

/// [`fair_lottery`] with the objective and round limit of `options`.
pub fn fair_lottery_with(
    problem: &CellProblem,
    m: u32,
    options: &Options,
) -> Result<FairLottery, SolveError> {
    let classes = Classes::cells(problem);
    let lottery = class_lottery(problem, &classes, m, options)?;
    certified(problem, &classes, &lottery)
}

/// A distribution over class allocations and its rounding.
struct ClassLottery {
    distribution: Distribution,
    rounding: rounding::ClassRounding,
}

impl ClassLottery {
    /// The `m` class allocations, in order.
    fn allocations(&self) -> impl Iterator<Item = &Vec<u32>> {
        self.rounding.allocations()
    }
}

/// Feasibility (with the explanation when the quotas conflict), the
/// `options.objective` distribution over realisable class allocations and
/// its rounding to `m` (the maximin stage's master: spec/fairness.md §4
/// step 4).
fn class_lottery(
    problem: &CellProblem,
    classes: &Classes,
    m: u32,
    options: &Options,
) -> Result<ClassLottery, SolveError> {
    if let Feasibility::Infeasible(why) = feasibility(problem)? {
        return Err(SolveError::Infeasible(why));
    }
    let start =
        classes
            .feasible(problem)?
            .ok_or(SolveError::Problem(crate::Error::InvalidParameter {
                what: "households leave no panel that meets the quotas",
            }))?;
    let distribution = maximin::optimise(
        problem,
        classes,
        start,
        options.objective,
        options.max_rounds,
    )?;
    let rounding = rounding::round_classes(problem, classes, &distribution, m)?;
    Ok(ClassLottery {
        distribution,
        rounding,
    })
}

/// The cell lottery of a class lottery with its certificate, verified.
fn certified(
    problem: &CellProblem,
    classes: &Classes,
    rounded: &ClassLottery,
) -> Result<FairLottery, SolveError> {
    let n = problem.cells.len();
    let lottery = AllocationList::new(
        rounded
            .allocations()
            .map(|z| classes.project(n, z))
            .collect(),
    )
    .map_err(SolveError::Problem)?;
    let bare = certificate(problem)?;
    let probe = check_lottery(problem, &lottery, &bare).map_err(SolveError::Problem)?;
    let p_min = probe
        .min_probability
        .ok_or_else(|| SolveError::Solver("the rounded lottery fails F2".into()))?;
    let certificate = with_gap(problem, bare, &p_min)?;
    let verdict = check_lottery(problem, &lottery, &certificate).map_err(SolveError::Problem)?;
    if !verdict.passed() {
        return Err(SolveError::Solver("the lottery does not verify".into()));
    }
    Ok(FairLottery {
        lottery,
        certificate,
        distribution: cell_distribution(problem, classes, &rounded.distribution),
        loss_bound: rounded.rounding.loss_bound,
        shortfall: rounded.rounding.shortfall,
        verdict,
    })
}

/// The cell sums of a class distribution, equal allocations merged.
fn cell_distribution(
    problem: &CellProblem,
    classes: &Classes,
    dist: &Distribution,
) -> Distribution {
    let n = problem.cells.len();
    let mut merged: BTreeMap<Vec<u32>, f64> = BTreeMap::new();
    for (z, &l) in dist.allocations.iter().zip(&dist.weights) {
        *merged.entry(classes.project(n, z)).or_default() += l;
    }
    let (allocations, weights): (Vec<_>, Vec<_>) = merged.into_iter().unzip();
    let sizes: Vec<u64> = problem.cells.iter().map(|c| c.eligible).collect();
    let min_probability = maximin::probabilities(&sizes, &allocations, &weights)
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    Distribution {
        allocations,
        weights,
        min_probability,
        levels: dist.levels.clone(),
        rounds: dist.rounds,
    }
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
    /// The smallest person-level selection probability of the distribution
    /// before rounding (its smallest class probability, spec/fairness.md
    /// §4): what the panels reach up to the rounding loss.
    pub person_min: f64,
}

/// The maximin lottery of `problem` as `m` panels of `pool` members,
/// households respected, verified by [`check_panels`]: the column
/// generation runs over classes of interchangeable people (same cell,
/// same household type, spec/fairness.md §4), so every allocation it
/// prices is realisable and the maximin is the person-level one.
pub fn fair_panels(problem: &CellProblem, pool: &Pool, m: u32) -> Result<FairPanels, SolveError> {
    fair_panels_with(problem, pool, m, &Options::default())
}

/// [`fair_panels`] with the objective and round limit of `options`.
pub fn fair_panels_with(
    problem: &CellProblem,
    pool: &Pool,
    m: u32,
    options: &Options,
) -> Result<FairPanels, SolveError> {
    pool.validate(problem).map_err(SolveError::Problem)?;
    let classes = Classes::pool(pool);
    let rounded = class_lottery(problem, &classes, m, options)?;
    let cells = certified(problem, &classes, &rounded)?;
    let allocations: Vec<&[u32]> = rounded.allocations().map(Vec::as_slice).collect();
    let list = seating::panels(&classes, pool, &allocations)?;
    let probe =
        check_panels(problem, pool, &list, &cells.certificate).map_err(SolveError::Problem)?;
    let p_min = probe
        .min_probability
        .ok_or_else(|| SolveError::Solver("the panels fail F2 or F3".into()))?;
    let certificate = with_gap(problem, cells.certificate.clone(), &p_min)?;
    let verdict = check_panels(problem, pool, &list, &certificate).map_err(SolveError::Problem)?;
    if !verdict.passed() {
        return Err(SolveError::Solver("the panels do not verify".into()));
    }
    Ok(FairPanels {
        list,
        certificate,
        cells,
        verdict,
        person_min: rounded.distribution.min_probability,
    })
}

#[cfg(test)]
mod tests;
