//! The maximin and leximin distributions over class allocations by column
//! generation (spec/fairness.md §4); classes are cells without a pool.
//!
//! A stage's master LP over the allocations found so far maximises `t`
//! with `π_k = Σ_j λ_j z_k^(j) / size_k ≥ t` for every class not yet
//! fixed, `π_k ≥ v_k` for every class fixed at level `v_k`, `Σ λ = 1`,
//! `λ ≥ 0`. Its dual gives class weights `y` (`Σ` over the free classes
//! `= 1`) and the value `z`; the pricing MILP finds the realisable class
//! allocation maximising `Σ_k y_k z_k / size_k`. When that is at most `z`,
//! no allocation improves the master: the stage is optimal. Maximin is the
//! first stage. Leximin then fixes, at the stage's level, every free class
//! whose dual weight is positive (complementary slackness: no optimal
//! distribution of the stage lifts it above the level) and runs the next
//! stage, until every class is fixed (Flanigan et al. 2021, Appendix).

use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Variable};

use super::classes::Classes;
use super::lp;
use super::master::{Dual, Master};
use super::SolveError;
use crate::fairness::problem::{Allocation, CellProblem};

/// Relative tolerance of the pricing test.
const PRICING_TOLERANCE: f64 = 1e-9;

/// Weight of the stability centre in the smoothed pricing point.
const SMOOTHING: f64 = 0.5;

/// A free class is fixed when its dual weight exceeds this (the free
/// weights sum to 1).
const FIX_THRESHOLD: f64 = 1e-7;

/// How far below its level a fixed class may fall in later stages, so
/// that float round-off never makes a master infeasible.
const LEVEL_SLACK: f64 = 1e-9;

/// What the distribution optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Objective {
    /// The smallest selection probability as large as possible.
    #[default]
    Maximin,
    /// Maximin, then the second smallest as large as possible without
    /// lowering the smallest, and so on (its smallest probability is the
    /// maximin value).
    Leximin,
}

/// A distribution over feasible allocations.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    /// The allocations with positive probability.
    pub allocations: Vec<Allocation>,
    /// Their probabilities (summing to 1, up to float round-off).
    pub weights: Vec<f64>,
    /// The smallest selection probability `min_k Σ_j λ_j z_k^(j)/size_k`.
    pub min_probability: f64,
    /// The level of each stage: the maximin value, then (leximin) the
    /// levels at which later classes were fixed.
    pub levels: Vec<f64>,
    /// Pricing rounds run, over all stages.
    pub rounds: usize,
}

/// The maximin distribution over feasible allocations of `problem`,
/// starting from the feasible allocation `start`, with at most
/// `max_rounds` pricing rounds (the result is feasible in any case; the
/// certificate's gap shows how close to optimal it is).
pub fn maximin(
    problem: &CellProblem,
    start: Allocation,
    max_rounds: usize,
) -> Result<Distribution, SolveError> {
    optimise(
        problem,
        &Classes::cells(problem),
        start,
        Objective::Maximin,
        max_rounds,
    )
}

/// The leximin distribution over feasible allocations of `problem` (cells
/// as the units), starting from the feasible allocation `start`, with at
/// most `max_rounds` pricing rounds over all stages.
pub fn leximin(
    problem: &CellProblem,
    start: Allocation,
    max_rounds: usize,
) -> Result<Distribution, SolveError> {
    optimise(
        problem,
        &Classes::cells(problem),
        start,
        Objective::Leximin,
        max_rounds,
    )
}

/// The `objective` distribution over realisable allocations of `classes`,
/// starting from the realisable `start`; the maximin stage's master is
/// [`Master`], leximin's later stages (some classes fixed) microlp's.
pub(crate) fn optimise(
    problem: &CellProblem,
    classes: &Classes,
    start: Vec<u32>,
    objective: Objective,
    max_rounds: usize,
) -> Result<Distribution, SolveError> {
    if !classes.admits(problem, &start) {
        return Err(SolveError::Solver(
            "the starting allocation is not realisable".into(),
        ));
    }
    let sizes = &classes.size;
    let mut columns = vec![start];
    let mut rounds = cover(problem, classes, &mut columns, max_rounds)?;
    let mut fixed: Vec<Option<f64>> = vec![None; classes.len()];
    let mut levels = Vec::new();
    // The first stage's first centre: the cell relaxation's dual weights,
    // spread over each cell's classes by size (its bound is B).
    let mut first = super::dual::cell_weights(problem).ok().map(|w| {
        classes
            .cell
            .iter()
            .zip(sizes)
            .map(|(&c, &size)| {
                let e = problem.cells.get(c).map_or(1, |c| c.eligible.max(1));
                w.get(c).copied().unwrap_or(0.0) * size as f64 / e as f64
            })
            .collect::<Vec<f64>>()
    });
    let lambda = loop {
        let mut master = StageMaster::new(sizes, &columns, &fixed)?;
        // Wentges smoothing: price at a point between the master's dual and
        // the stability centre, the dual of the best Lagrangian bound so
        // far; stop when the master's level reaches that bound.
        let mut centre: Option<Vec<f64>> = None;
        let mut bound = f64::INFINITY;
        if let Some(y) = first.take() {
            if rounds < max_rounds {
                rounds += 1;
                let (x, value) = price(problem, classes, &y)?;
                bound = value;
                centre = Some(y);
                if !columns.contains(&x) && classes.admits(problem, &x) {
                    master = master.with_column(sizes, &x)?;
                    columns.push(x);
                }
            }
        }
        let (y, level) = loop {
            let dual = master.dual();
            let close = bound.is_finite()
                && bound - dual.value <= PRICING_TOLERANCE * bound.abs().max(1e-12);
            if close {
                // The centre's Lagrangian bound is the level: its weights
                // are an optimal dual of the whole stage (not only of the
                // columns so far), so complementary slackness holds for
                // every optimal distribution.
                break (centre.take().unwrap_or(dual.weights), dual.value);
            }
            if rounds >= max_rounds {
                break (dual.weights, dual.value);
            }
            rounds += 1;
            let sep: Vec<f64> = match &centre {
                Some(c) => c
                    .iter()
                    .zip(&dual.weights)
                    .map(|(c, y)| SMOOTHING * c + (1.0 - SMOOTHING) * y)
                    .collect(),
                None => dual.weights.clone(),
            };
            let (x, value) = price(problem, classes, &sep)?;
            let at_sep = value - fixed_part(&sep, &fixed);
            if at_sep < bound {
                bound = at_sep;
                centre = Some(sep);
            }
            let improves = reduced(sizes, &dual.weights, &x)
                > dual.z + PRICING_TOLERANCE * dual.z.abs().max(1e-12);
            if !improves || columns.contains(&x) {
                // Mispricing: the bound at the new centre is closer to the
                // level (by the smoothing factor at least); price again.
                continue;
            }
            if !classes.admits(problem, &x) {
                return Err(SolveError::Solver(
                    "pricing returned an allocation outside the quotas".into(),
                ));
            }
            master = master.with_column(sizes, &x)?;
            columns.push(x);
        };
        levels.push(level);
        let stage = fixed.clone();
        let last = match objective {
            Objective::Maximin => true,
            Objective::Leximin => {
                fix(&mut fixed, &y, level);
                fixed.iter().all(Option::is_some)
            }
        };
        if last {
            break master.lambda(sizes, &columns, &stage)?;
        }
    };
    let mut allocations = Vec::new();
    let mut weights = Vec::new();
    for (col, l) in columns.into_iter().zip(lambda) {
        if l > 1e-12 {
            allocations.push(col);
            weights.push(l);
        }
    }
    let total: f64 = weights.iter().sum();
    weights.iter_mut().for_each(|w| *w /= total);
    let min_probability = probabilities(sizes, &allocations, &weights)
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    Ok(Distribution {
        allocations,
        weights,
        min_probability,
        levels,
        rounds,
    })
}

/// The coverage phase: while some class is in no column, price all such
/// classes together (weight 1 each), so that one round covers many of
/// them; stops when a round covers none (they cannot be seated). Returns
/// the rounds used.
fn cover(
    problem: &CellProblem,
    classes: &Classes,
    columns: &mut Vec<Vec<u32>>,
    max_rounds: usize,
) -> Result<usize, SolveError> {
    let mut rounds = 0;
    while rounds < max_rounds {
        let uncovered: Vec<f64> = (0..classes.len())
            .map(|k| {
                let seated = columns.iter().any(|c| c.get(k).is_some_and(|&s| s > 0));
                if seated {
                    0.0
                } else {
                    classes.size.get(k).map_or(0.0, |&s| s as f64)
                }
            })
            .collect();
        if uncovered.iter().all(|&w| w == 0.0) {
            break;
        }
        rounds += 1;
        let (x, value) = price(problem, classes, &uncovered)?;
        if value <= 0.5 || columns.contains(&x) {
            break;
        }
        if !classes.admits(problem, &x) {
            return Err(SolveError::Solver(
                "pricing returned an allocation outside the quotas".into(),
            ));
        }
        columns.push(x);
    }
    Ok(rounds)
}

/// `Σ_k y_k x_k / size_k`, a column's value at the weights `y`.
fn reduced(sizes: &[u64], y: &[f64], x: &[u32]) -> f64 {
    x.iter()
        .zip(y)
        .zip(sizes)
        .map(|((&s, w), &size)| f64::from(s) * w / size as f64)
        .sum()
}

/// `Σ_{k fixed} y_k (v_k − slack)`: what the fixed classes take from a
/// Lagrangian bound at `y`.
fn fixed_part(y: &[f64], fixed: &[Option<f64>]) -> f64 {
    y.iter()
        .zip(fixed)
        .filter_map(|(w, v)| v.map(|v| w * (v - LEVEL_SLACK)))
        .sum()
}

/// Fixes at `level` every free class of positive dual weight (at least
/// the heaviest one, so that every stage makes progress).
fn fix(fixed: &mut [Option<f64>], y: &[f64], level: f64) {
    let mut heaviest: Option<(usize, f64)> = None;
    let mut any = false;
    for (k, (slot, &w)) in fixed.iter_mut().zip(y).enumerate() {
        if slot.is_some() {
            continue;
        }
        if w > FIX_THRESHOLD {
            *slot = Some(level);
            any = true;
        }
        if heaviest.is_none_or(|(_, h)| w > h) {
            heaviest = Some((k, w));
        }
    }
    if let (false, Some((k, _))) = (any, heaviest) {
        if let Some(slot) = fixed.get_mut(k) {
            *slot = Some(level);
        }
    }
}

/// `π_k = Σ_j λ_j z_k^(j) / size_k` for every class.
pub(crate) fn probabilities(sizes: &[u64], allocations: &[Vec<u32>], weights: &[f64]) -> Vec<f64> {
    sizes
        .iter()
        .enumerate()
        .map(|(k, &size)| {
            allocations
                .iter()
                .zip(weights)
                .map(|(a, l)| l * f64::from(a.get(k).copied().unwrap_or(0)))
                .sum::<f64>()
                / size as f64
        })
        .collect()
}

/// The realisable class allocation maximising `Σ_k y_k z_k / size_k`,
/// with that value.
fn price(
    problem: &CellProblem,
    classes: &Classes,
    y: &[f64],
) -> Result<(Vec<u32>, f64), SolveError> {
    let obj: Vec<f64> = y
        .iter()
        .zip(&classes.size)
        .map(|(w, &s)| w / s as f64)
        .collect();
    let mut m = lp::model(OptimizationDirection::Maximize);
    let zs = classes
        .model(&mut m, problem, &obj)
        .ok_or_else(|| SolveError::Solver("pricing found no feasible allocation".into()))?;
    let sol = lp::solve(&m)?
        .ok_or_else(|| SolveError::Solver("pricing found no feasible allocation".into()))?;
    let x = lp::allocation(&sol, &zs);
    let value = x.iter().zip(&obj).map(|(&s, w)| f64::from(s) * w).sum();
    Ok((x, value))
}

/// A stage's master: the dense primal simplex of [`Master`] for the
/// maximin stage (no class fixed), microlp's [`MasterDual`] for leximin's
/// later stages.
enum StageMaster {
    /// No class fixed.
    Dense(Master),
    /// Some classes fixed at their levels.
    Fixed(MasterDual),
}

impl StageMaster {
    fn new(
        sizes: &[u64],
        columns: &[Vec<u32>],
        fixed: &[Option<f64>],
    ) -> Result<StageMaster, SolveError> {
        if fixed.iter().all(Option::is_none) {
            Ok(StageMaster::Dense(Master::new(sizes, columns)?))
        } else {
            Ok(StageMaster::Fixed(MasterDual::new(sizes, columns, fixed)?))
        }
    }

    /// The master with one more column.
    fn with_column(self, sizes: &[u64], col: &[u32]) -> Result<StageMaster, SolveError> {
        match self {
            StageMaster::Dense(mut m) => {
                m.add(sizes, col)?;
                Ok(StageMaster::Dense(m))
            }
            StageMaster::Fixed(m) => Ok(StageMaster::Fixed(m.with_column(sizes, col)?)),
        }
    }

    fn dual(&self) -> Dual {
        match self {
            StageMaster::Dense(m) => m.dual(),
            StageMaster::Fixed(m) => m.dual(),
        }
    }

    /// The stage's distribution over `columns` (the master's columns).
    fn lambda(
        &self,
        sizes: &[u64],
        columns: &[Vec<u32>],
        fixed: &[Option<f64>],
    ) -> Result<Vec<f64>, SolveError> {
        match self {
            StageMaster::Dense(m) => Ok(m.lambda()),
            StageMaster::Fixed(_) => Ok(master_primal(sizes, columns, fixed)?.0),
        }
    }
}

/// The stage master's dual, solved: minimise `z − Σ_{k fixed} v_k y_k`
/// with `Σ_k y_k z_k^(j)/size_k ≤ z` for every column, `Σ_{k free} y_k = 1`,
/// `y ≥ 0`. A new column is a new row, added to the solved LP (dual
/// simplex from the previous basis).
struct MasterDual {
    solution: microlp::Solution,
    z: Variable,
    y: Vec<Variable>,
}

impl MasterDual {
    fn new(
        sizes: &[u64],
        columns: &[Vec<u32>],
        fixed: &[Option<f64>],
    ) -> Result<MasterDual, SolveError> {
        let mut m = lp::model(OptimizationDirection::Minimize);
        let z = m.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY));
        let y: Vec<Variable> = fixed
            .iter()
            .map(|v| match v {
                None => m.add_var(0.0, (0.0, 1.0)),
                Some(level) => m.add_var(-(level - LEVEL_SLACK), (0.0, f64::INFINITY)),
            })
            .collect();
        m.add_constraint(
            y.iter()
                .zip(fixed)
                .filter(|(_, v)| v.is_none())
                .map(|(&v, _)| (v, 1.0))
                .collect::<Vec<_>>(),
            ComparisonOp::Eq,
            1.0,
        );
        for col in columns {
            m.add_constraint(row(sizes, &y, z, col), ComparisonOp::Le, 0.0);
        }
        let solution =
            lp::solve(&m)?.ok_or_else(|| SolveError::Solver("master dual infeasible".into()))?;
        Ok(MasterDual { solution, z, y })
    }

    /// The master with one more column.
    fn with_column(self, sizes: &[u64], col: &[u32]) -> Result<MasterDual, SolveError> {
        let MasterDual { solution, z, y } = self;
        let terms = row(sizes, &y, z, col);
        let solution = match solution.add_constraint(terms, ComparisonOp::Le, 0.0) {
            Ok(outcome) => outcome
                .into_solution()
                .map_err(|_| SolveError::Solver("the master dual stopped".into()))?,
            Err(e) => return Err(SolveError::Solver(alloc::format!("master dual: {e}"))),
        };
        Ok(MasterDual { solution, z, y })
    }

    fn dual(&self) -> Dual {
        Dual {
            weights: self
                .y
                .iter()
                .map(|&v| self.solution.var_value(v).max(0.0))
                .collect(),
            z: self.solution.var_value(self.z),
            value: self.solution.objective(),
        }
    }
}

/// `Σ_k y_k z_k/size_k − z` for a column.
fn row(sizes: &[u64], y: &[Variable], z: Variable, col: &[u32]) -> Vec<(Variable, f64)> {
    let mut terms: Vec<(Variable, f64)> = col
        .iter()
        .zip(y)
        .zip(sizes)
        .filter(|((&s, _), _)| s > 0)
        .map(|((&s, &v), &size)| (v, f64::from(s) / size as f64))
        .collect();
    terms.push((z, -1.0));
    terms
}

/// The stage master: maximise `t ≤ 1` with `Σ_j λ_j z_k^(j)/size_k ≥ t`
/// for the free classes, `≥ v_k` for the fixed ones, `Σ λ = 1`.
pub(crate) fn master_primal(
    sizes: &[u64],
    columns: &[Vec<u32>],
    fixed: &[Option<f64>],
) -> Result<(Vec<f64>, f64), SolveError> {
    let mut m = lp::model(OptimizationDirection::Maximize);
    let t = m.add_var(1.0, (f64::NEG_INFINITY, 1.0));
    let lambda: Vec<Variable> = columns.iter().map(|_| m.add_var(0.0, (0.0, 1.0))).collect();
    m.add_constraint(
        lambda.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for (k, &size) in sizes.iter().enumerate() {
        let mut terms: Vec<(Variable, f64)> = columns
            .iter()
            .zip(&lambda)
            .filter_map(|(col, &l)| {
                let s = col.get(k).copied().unwrap_or(0);
                (s > 0).then(|| (l, f64::from(s) / size as f64))
            })
            .collect();
        match fixed.get(k).copied().flatten() {
            None => {
                terms.push((t, -1.0));
                m.add_constraint(terms, ComparisonOp::Ge, 0.0);
            }
            Some(level) if !terms.is_empty() => {
                m.add_constraint(terms, ComparisonOp::Ge, level - LEVEL_SLACK);
            }
            Some(level) if level > LEVEL_SLACK => {
                return Err(SolveError::Solver("a fixed class lost its columns".into()));
            }
            Some(_) => {}
        }
    }
    let sol = lp::solve(&m)?.ok_or_else(|| SolveError::Solver("master infeasible".into()))?;
    Ok((
        lambda.iter().map(|&v| sol.var_value(v).max(0.0)).collect(),
        sol.objective(),
    ))
}
