//! The solver fallback of the panel assignment (spec/fairness.md §7): when
//! households leave the greedy assignment no way to seat an allocation, an
//! MILP over the pool's people finds the household-respecting panel that
//! meets the quotas and departs least from the allocation, preferring the
//! people selected least so far.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Variable};

use super::lp;
use crate::fairness::pool::Pool;
use crate::fairness::problem::CellProblem;

/// Cost of one seat away from the allocation, against at most 1 per person
/// for the preference of the least selected.
const DEVIATION: f64 = 1000.0;

/// The MILP's time limit.
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A panel (pool indices) for `alloc`, households respected, or `None`.
pub(crate) fn household_panel(
    problem: &CellProblem,
    pool: &Pool,
    alloc: &[u32],
    counts: &[u64],
) -> Option<Vec<usize>> {
    let mut m = lp::model(OptimizationDirection::Minimize);
    let most = counts.iter().copied().max().unwrap_or(0) as f64 + 1.0;
    let ys: Vec<Variable> = pool
        .people
        .iter()
        .enumerate()
        .map(|(i, _)| m.add_binary_var(counts.get(i).copied().unwrap_or(0) as f64 / most))
        .collect();
    let xs = lp::seat_vars(&mut m, problem, &[]);
    lp::add_quotas(&mut m, problem, &xs, &|_| true, &|_| None);
    let mut by_cell: Vec<Vec<(Variable, f64)>> = xs.iter().map(|&x| vec![(x, -1.0)]).collect();
    let mut households: BTreeMap<u64, Vec<(Variable, f64)>> = BTreeMap::new();
    for (p, &y) in pool.people.iter().zip(&ys) {
        if let Some(terms) = by_cell.get_mut(p.cell as usize) {
            terms.push((y, 1.0));
        }
        if let Some(h) = p.household {
            households.entry(h).or_default().push((y, 1.0));
        }
    }
    for terms in by_cell {
        m.add_constraint(terms, ComparisonOp::Eq, 0.0);
    }
    for terms in households.into_values().filter(|t| t.len() > 1) {
        m.add_constraint(terms, ComparisonOp::Le, 1.0);
    }
    for (&x, &target) in xs.iter().zip(alloc) {
        let up = m.add_var(DEVIATION, (0.0, f64::INFINITY));
        let down = m.add_var(DEVIATION, (0.0, f64::INFINITY));
        m.add_constraint(
            [(x, 1.0), (up, -1.0), (down, 1.0)],
            ComparisonOp::Eq,
            f64::from(target),
        );
    }
    m.set_time_limit(TIME_LIMIT);
    let sol = lp::solve_within(&m).ok()??;
    Some(
        ys.iter()
            .enumerate()
            .filter(|(_, &y)| sol.var_value(y) > 0.5)
            .map(|(i, _)| i)
            .collect(),
    )
}
