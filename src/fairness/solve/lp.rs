//! The quota constraints in microlp, shared by every model of this module.

use alloc::format;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Solution, Variable};

use super::SolveError;
use crate::fairness::problem::CellProblem;

/// One side of one category's bounds: `(feature, category)` with its min
/// or its max.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuotaSide {
    /// Feature index in [`CellProblem::quotas`].
    pub feature: u16,
    /// Category index within the feature.
    pub category: u16,
    /// Which bound.
    pub side: Side,
}

/// The min or the max of a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Side {
    /// At least `min` seats.
    Min,
    /// At most `max` seats.
    Max,
}

/// Every category as `(feature, category, cells in it)`.
pub(crate) fn categories(problem: &CellProblem) -> Vec<(u16, u16, Vec<usize>)> {
    let mut out = Vec::new();
    for (f, feature) in problem.quotas.iter().enumerate() {
        for v in 0..feature.len() {
            let cells = problem
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.categories.get(f).map(|&x| usize::from(x)) == Some(v))
                .map(|(i, _)| i)
                .collect();
            if let (Ok(f), Ok(v)) = (u16::try_from(f), u16::try_from(v)) {
                out.push((f, v, cells));
            }
        }
    }
    out
}

/// Integer seat variables `0 ≤ x_c ≤ min(e_c, K)` with objective
/// coefficients `obj`, and `Σ x_c = K`.
pub(crate) fn seat_vars(lp: &mut Problem, problem: &CellProblem, obj: &[f64]) -> Vec<Variable> {
    let caps: Vec<u64> = problem.cells.iter().map(|c| c.eligible).collect();
    capped_vars(lp, problem, &caps, obj)
}

/// Integer variables `0 ≤ v_i ≤ min(caps_i, K)` with objective
/// coefficients `obj`, and `Σ v_i = K`.
pub(crate) fn capped_vars(
    lp: &mut Problem,
    problem: &CellProblem,
    caps: &[u64],
    obj: &[f64],
) -> Vec<Variable> {
    let vs: Vec<Variable> = caps
        .iter()
        .enumerate()
        .map(|(i, &cap)| {
            let hi = cap.min(u64::from(problem.seats));
            let hi = i32::try_from(hi).unwrap_or(i32::MAX);
            lp.add_integer_var(obj.get(i).copied().unwrap_or(0.0), (0, hi))
        })
        .collect();
    lp.add_constraint(
        vs.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        f64::from(problem.seats),
    );
    vs
}

/// One variable per cell, as the per-cell variable lists of [`add_quotas`].
pub(crate) fn per_cell(xs: &[Variable]) -> Vec<Vec<Variable>> {
    xs.iter().map(|&x| alloc::vec![x]).collect()
}

/// Adds the quota bounds for which `keep` holds, each relaxed by its
/// variable in `relax` when given; the seats of cell `c` are the sum of
/// `cells[c]`. Returns `false` when a kept bound can never hold (a
/// category without cells and a positive min, unrelaxed).
pub(crate) fn add_quotas(
    lp: &mut Problem,
    problem: &CellProblem,
    cells: &[Vec<Variable>],
    keep: &dyn Fn(QuotaSide) -> bool,
    relax: &dyn Fn(QuotaSide) -> Option<Variable>,
) -> bool {
    let mut possible = true;
    for (f, v, members) in categories(problem) {
        let Some(q) = problem
            .quotas
            .get(usize::from(f))
            .and_then(|x| x.get(usize::from(v)))
        else {
            continue;
        };
        for (side, op, rhs, sign) in [
            (Side::Min, ComparisonOp::Ge, q.min, 1.0),
            (Side::Max, ComparisonOp::Le, q.max, -1.0),
        ] {
            let s = QuotaSide {
                feature: f,
                category: v,
                side,
            };
            let trivial = match side {
                Side::Min => q.min == 0,
                Side::Max => q.max >= problem.seats,
            };
            if trivial || !keep(s) {
                continue;
            }
            let mut terms: Vec<(Variable, f64)> = members
                .iter()
                .filter_map(|&c| cells.get(c))
                .flatten()
                .map(|&x| (x, 1.0))
                .collect();
            if let Some(r) = relax(s) {
                terms.push((r, sign));
            }
            if terms.is_empty() {
                possible &= side == Side::Max;
                continue;
            }
            lp.add_constraint(terms, op, f64::from(rhs));
        }
    }
    possible
}

/// Solves; `Ok(None)` when the model is infeasible.
pub(crate) fn solve(lp: &Problem) -> Result<Option<Solution>, SolveError> {
    match lp.solve() {
        Ok(outcome) => outcome
            .into_solution()
            .map(Some)
            .map_err(|_| SolveError::Solver("the solver stopped before a solution".into())),
        Err(microlp::Error::Infeasible) => Ok(None),
        Err(e) => Err(SolveError::Solver(format!("{e}"))),
    }
}

/// A new model in the given direction.
pub(crate) fn model(direction: OptimizationDirection) -> Problem {
    Problem::new(direction)
}

/// The integer values of seat variables in a solution.
pub(crate) fn allocation(sol: &Solution, xs: &[Variable]) -> Vec<u32> {
    xs.iter()
        .map(|&x| {
            let v = sol.var_value(x).round();
            if v <= 0.0 {
                0
            } else {
                v as u32
            }
        })
        .collect()
}
