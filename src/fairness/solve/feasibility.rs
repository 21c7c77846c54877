//! Feasibility, and infeasibility explained (spec/fairness.md §3): a
//! conflicting set of quota bounds by a deletion filter, and the smallest
//! relaxation by MILP.

use alloc::vec::Vec;

use microlp::OptimizationDirection;

use super::lp::{self, QuotaSide, Side};
use super::SolveError;
use crate::fairness::problem::{Allocation, CellProblem};

/// Whether the quotas can be met, with a witness or an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Feasibility {
    /// A panel meeting every quota exists; one such allocation.
    Feasible(Allocation),
    /// No panel meets every quota.
    Infeasible(Infeasibility),
}

/// Why no panel meets the quotas, and how to change them least.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Infeasibility {
    /// An irreducible conflicting set: no panel meets these bounds together
    /// (with `K` seats and the cell sizes), but dropping any one of them
    /// leaves a set some panel meets. Empty when the pool has fewer
    /// eligible people than seats.
    pub conflict: Vec<QuotaSide>,
    /// The smallest relaxation: the bounds to change and by how many seats
    /// (a min lowered, a max raised), minimising the total seats changed.
    /// `None` when no relaxation of the quotas helps (fewer eligible than
    /// seats).
    pub relaxation: Option<Vec<(QuotaSide, u32)>>,
}

/// A feasible allocation, or the explanation of infeasibility.
pub fn feasibility(problem: &CellProblem) -> Result<Feasibility, SolveError> {
    problem.validate().map_err(SolveError::Problem)?;
    if let Some(x) = find(problem, &|_| true)? {
        return Ok(Feasibility::Feasible(x));
    }
    let eligible: u64 = problem.cells.iter().map(|c| c.eligible).sum();
    if eligible < u64::from(problem.seats) {
        return Ok(Feasibility::Infeasible(Infeasibility {
            conflict: Vec::new(),
            relaxation: None,
        }));
    }
    Ok(Feasibility::Infeasible(Infeasibility {
        conflict: conflict(problem)?,
        relaxation: Some(relaxation(problem)?),
    }))
}

/// An allocation meeting the bounds for which `keep` holds.
pub(crate) fn find(
    problem: &CellProblem,
    keep: &dyn Fn(QuotaSide) -> bool,
) -> Result<Option<Allocation>, SolveError> {
    let mut m = lp::model(OptimizationDirection::Maximize);
    let xs = lp::seat_vars(&mut m, problem, &[]);
    if !lp::add_quotas(&mut m, problem, &lp::per_cell(&xs), keep, &|_| None) {
        return Ok(None);
    }
    Ok(lp::solve(&m)?.map(|s| lp::allocation(&s, &xs)))
}

/// The deletion filter: drop each bound in turn, keeping it dropped when
/// the rest stays infeasible.
fn conflict(problem: &CellProblem) -> Result<Vec<QuotaSide>, SolveError> {
    let mut active: Vec<QuotaSide> = Vec::new();
    for (f, v, _) in lp::categories(problem) {
        let Some(q) = problem
            .quotas
            .get(usize::from(f))
            .and_then(|x| x.get(usize::from(v)))
        else {
            continue;
        };
        let side = |side| QuotaSide {
            feature: f,
            category: v,
            side,
        };
        if q.min > 0 {
            active.push(side(Side::Min));
        }
        if q.max < problem.seats {
            active.push(side(Side::Max));
        }
    }
    let mut i = 0;
    while i < active.len() {
        let candidate: Vec<QuotaSide> = active
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &s)| s)
            .collect();
        if find(problem, &|s| candidate.contains(&s))?.is_none() {
            active = candidate;
        } else {
            i += 1;
        }
    }
    Ok(active)
}

/// Minimises the total seats by which mins are lowered and maxes raised.
fn relaxation(problem: &CellProblem) -> Result<Vec<(QuotaSide, u32)>, SolveError> {
    let mut m = lp::model(OptimizationDirection::Minimize);
    let xs = lp::seat_vars(&mut m, problem, &[]);
    let mut vars = Vec::new();
    let k = i32::try_from(problem.seats).unwrap_or(i32::MAX);
    for (f, v, _) in lp::categories(problem) {
        let min = problem
            .quotas
            .get(usize::from(f))
            .and_then(|x| x.get(usize::from(v)))
            .map_or(0, |q| i32::try_from(q.min).unwrap_or(i32::MAX));
        // A min is lowered by at most itself, a max raised by at most K.
        for (side, most) in [(Side::Min, min), (Side::Max, k)] {
            let s = QuotaSide {
                feature: f,
                category: v,
                side,
            };
            vars.push((s, m.add_integer_var(1.0, (0, most))));
        }
    }
    let relax = |s: QuotaSide| vars.iter().find(|(q, _)| *q == s).map(|&(_, v)| v);
    lp::add_quotas(&mut m, problem, &lp::per_cell(&xs), &|_| true, &relax);
    let sol = lp::solve(&m)?.ok_or_else(|| {
        SolveError::Solver("the relaxation model is infeasible, which it cannot be".into())
    })?;
    Ok(vars
        .iter()
        .filter_map(|&(s, v)| {
            let by = sol.var_value(v).round();
            (by >= 1.0).then_some((s, by as u32))
        })
        .collect())
}
