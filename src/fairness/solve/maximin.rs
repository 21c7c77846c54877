//! The maximin distribution over cell allocations by column generation
//! (spec/fairness.md §4).
//!
//! Master LP over the allocations found so far: maximise `t` with
//! `Σ_j λ_j x_c^(j) / e_c ≥ t` for every cell, `Σ λ_j = 1`, `λ ≥ 0`. Its dual
//! gives cell weights `w'` (`Σ w'_c = 1`) and the value `z`; the pricing
//! MILP finds the feasible allocation maximising `Σ_c w'_c x_c / e_c`. When
//! that is at most `z`, no allocation improves the master: `λ` is optimal.

use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Variable};

use super::lp::{self, HouseholdCuts};
use super::SolveError;
use crate::fairness::problem::{Allocation, CellProblem};

/// Relative tolerance of the pricing test.
const PRICING_TOLERANCE: f64 = 1e-9;

/// A distribution over feasible allocations.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    /// The allocations with positive probability.
    pub allocations: Vec<Allocation>,
    /// Their probabilities (summing to 1, up to float round-off).
    pub weights: Vec<f64>,
    /// The smallest cell selection probability `min_c Σ_j λ_j x_c^(j)/e_c`.
    pub min_probability: f64,
    /// Pricing rounds run.
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
    maximin_exclusive(problem, start, max_rounds, &HouseholdCuts::default())
}

/// [`maximin`] over the allocations that respect the household cuts of pool
/// mode (no panel realises the others). `start` must respect them too.
pub fn maximin_exclusive(
    problem: &CellProblem,
    start: Allocation,
    max_rounds: usize,
    exclusive: &HouseholdCuts,
) -> Result<Distribution, SolveError> {
    let mut columns = vec![start];
    let mut rounds = 0;
    while rounds < max_rounds {
        rounds += 1;
        let (weights, z) = master_dual(problem, &columns)?;
        let obj: Vec<f64> = weights
            .iter()
            .zip(&problem.cells)
            .map(|(w, c)| w / c.eligible as f64)
            .collect();
        let mut m = lp::model(OptimizationDirection::Maximize);
        let xs = lp::seat_vars(&mut m, problem, &obj);
        lp::add_quotas(&mut m, problem, &xs, &|_| true, &|_| None);
        lp::add_exclusive(&mut m, &xs, exclusive);
        let sol = lp::solve(&m)?
            .ok_or_else(|| SolveError::Solver("pricing found no feasible allocation".into()))?;
        let x = lp::allocation(&sol, &xs);
        let value: f64 = x.iter().zip(&obj).map(|(&s, w)| f64::from(s) * w).sum();
        if value <= z + PRICING_TOLERANCE * z.abs().max(1e-12) || columns.contains(&x) {
            break;
        }
        if problem.is_feasible(&x) {
            columns.push(x);
        } else {
            return Err(SolveError::Solver(
                "pricing returned an allocation outside the quotas".into(),
            ));
        }
    }
    let (lambda, t) = master_primal(problem, &columns)?;
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
    Ok(Distribution {
        allocations,
        weights,
        min_probability: t,
        rounds,
    })
}

/// The master's dual: minimise `z` with `Σ_c w'_c x_c^(j)/e_c ≤ z` for
/// every column, `Σ w'_c = 1`, `w' ≥ 0`.
fn master_dual(
    problem: &CellProblem,
    columns: &[Allocation],
) -> Result<(Vec<f64>, f64), SolveError> {
    let mut m = lp::model(OptimizationDirection::Minimize);
    let z = m.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY));
    let w: Vec<Variable> = problem
        .cells
        .iter()
        .map(|_| m.add_var(0.0, (0.0, 1.0)))
        .collect();
    m.add_constraint(
        w.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for col in columns {
        let mut terms: Vec<(Variable, f64)> = col
            .iter()
            .zip(&w)
            .zip(&problem.cells)
            .filter(|((&s, _), _)| s > 0)
            .map(|((&s, &v), c)| (v, f64::from(s) / c.eligible as f64))
            .collect();
        terms.push((z, -1.0));
        m.add_constraint(terms, ComparisonOp::Le, 0.0);
    }
    let sol = lp::solve(&m)?.ok_or_else(|| SolveError::Solver("master dual infeasible".into()))?;
    Ok((
        w.iter().map(|&v| sol.var_value(v).max(0.0)).collect(),
        sol.objective(),
    ))
}

/// The master: maximise `t` with `Σ_j λ_j x_c^(j)/e_c ≥ t`, `Σ λ = 1`.
pub(crate) fn master_primal(
    problem: &CellProblem,
    columns: &[Allocation],
) -> Result<(Vec<f64>, f64), SolveError> {
    let mut m = lp::model(OptimizationDirection::Maximize);
    let t = m.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY));
    let lambda: Vec<Variable> = columns.iter().map(|_| m.add_var(0.0, (0.0, 1.0))).collect();
    m.add_constraint(
        lambda.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for (c, cell) in problem.cells.iter().enumerate() {
        let mut terms: Vec<(Variable, f64)> = columns
            .iter()
            .zip(&lambda)
            .filter_map(|(col, &l)| {
                let s = col.get(c).copied().unwrap_or(0);
                (s > 0).then(|| (l, f64::from(s) / cell.eligible as f64))
            })
            .collect();
        terms.push((t, -1.0));
        m.add_constraint(terms, ComparisonOp::Ge, 0.0);
    }
    let sol = lp::solve(&m)?.ok_or_else(|| SolveError::Solver("master infeasible".into()))?;
    Ok((
        lambda.iter().map(|&v| sol.var_value(v).max(0.0)).collect(),
        sol.objective(),
    ))
}
