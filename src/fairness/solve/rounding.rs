//! Rounding a distribution to a uniform lottery over `m` allocations
//! (spec/fairness.md §5), after Flanigan, Kehne, Procaccia, "Fair Sortition
//! Made Transparent" (NeurIPS 2021).
//!
//! Allocation `j` of probability `λ_j` is repeated `n_j ∈ {⌊mλ_j⌋, ⌈mλ_j⌉}`
//! times with `Σ n_j = m`; among those roundings an MILP picks one that
//! maximises the smallest cell probability, starting from a greedy rounding
//! and within a time limit. Any such rounding gives cell
//! `c` at least `p_c − Σ_j {mλ_j}·x_c^(j)/(m·e_c)` (`{·}` the fractional
//! part), because `n_j ≥ mλ_j − {mλ_j}`: the loss bound reported.

use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Variable};

use super::maximin::Distribution;
use super::{lp, SolveError};
use crate::fairness::allocation_list::AllocationList;
use crate::fairness::problem::CellProblem;

/// The rounding MILP's time limit.
const ROUNDING_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

/// A rounded lottery and the a-priori bound on its loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounded {
    /// `m` allocations.
    pub lottery: AllocationList,
    /// `max_c Σ_j {mλ_j}·x_c^(j)/(m·e_c)`: no cell's probability is lower
    /// than in the distribution by more than this.
    pub loss_bound: f64,
}

/// Rounds `dist` to `m` allocations.
pub fn round(problem: &CellProblem, dist: &Distribution, m: u32) -> Result<Rounded, SolveError> {
    let sizes: Vec<u64> = problem.cells.iter().map(|c| c.eligible).collect();
    let (counts, loss_bound) = round_counts(&sizes, dist, m)?;
    let lottery = AllocationList::new(expand(&dist.allocations, &counts).cloned().collect())
        .map_err(SolveError::Problem)?;
    Ok(Rounded {
        lottery,
        loss_bound,
    })
}

/// Each allocation repeated its count of times, in order.
pub(crate) fn expand<'a>(
    allocations: &'a [Vec<u32>],
    counts: &'a [u32],
) -> impl Iterator<Item = &'a Vec<u32>> + 'a {
    allocations
        .iter()
        .zip(counts)
        .flat_map(|(a, &n)| core::iter::repeat_n(a, n as usize))
}

/// The counts `n_j` of a rounding of `dist` (over units of the given
/// sizes: cells or classes) to `m` allocations, and its loss bound.
pub(crate) fn round_counts(
    sizes: &[u64],
    dist: &Distribution,
    m: u32,
) -> Result<(Vec<u32>, f64), SolveError> {
    if m == 0 {
        return Err(SolveError::Solver(
            "a lottery has at least one allocation".into(),
        ));
    }
    let mf = f64::from(m);
    let floors: Vec<u32> = dist
        .weights
        .iter()
        .map(|l| (l * mf).floor() as u32)
        .collect();
    let fracs: Vec<f64> = dist
        .weights
        .iter()
        .zip(&floors)
        .map(|(l, &f)| (l * mf - f64::from(f)).clamp(0.0, 1.0))
        .collect();
    let loss_bound = sizes
        .iter()
        .enumerate()
        .map(|(c, &size)| {
            dist.allocations
                .iter()
                .zip(&fracs)
                .map(|(a, fr)| fr * f64::from(a.get(c).copied().unwrap_or(0)))
                .sum::<f64>()
                / (mf * size as f64)
        })
        .fold(0.0, f64::max);
    let greedy = greedy_rounding(sizes, dist, m, &floors, &fracs)?;
    // The MILP gets a short time limit: it can only improve on the greedy
    // rounding, which already meets the loss bound.
    let counts = match best_rounding(sizes, dist, m, &floors, &fracs)? {
        Some(best) if min_seats(sizes, dist, &best) > min_seats(sizes, dist, &greedy) => best,
        _ => greedy,
    };
    Ok((counts, loss_bound))
}

/// `min_k Σ_j n_j x_k^(j) / size_k` (the smallest probability times `m`).
fn min_seats(sizes: &[u64], dist: &Distribution, counts: &[u32]) -> f64 {
    sizes
        .iter()
        .enumerate()
        .map(|(c, &size)| {
            dist.allocations
                .iter()
                .zip(counts)
                .map(|(a, &n)| f64::from(n) * f64::from(a.get(c).copied().unwrap_or(0)))
                .sum::<f64>()
                / size as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// Starts from the floors and raises, one at a time, the allocation whose
/// extra copy leaves the largest smallest cell probability (ties: the
/// larger fractional part), until the counts sum to `m`.
fn greedy_rounding(
    sizes: &[u64],
    dist: &Distribution,
    m: u32,
    floors: &[u32],
    fracs: &[f64],
) -> Result<Vec<u32>, SolveError> {
    let mut counts = floors.to_vec();
    let mut raised = vec![false; counts.len()];
    let mut total: u64 = counts.iter().map(|&n| u64::from(n)).sum();
    while total < u64::from(m) {
        let mut best: Option<(usize, f64, f64)> = None;
        for j in 0..counts.len() {
            if raised.get(j).copied().unwrap_or(true) {
                continue;
            }
            if let Some(n) = counts.get_mut(j) {
                *n += 1;
            }
            let value = min_seats(sizes, dist, &counts);
            if let Some(n) = counts.get_mut(j) {
                *n -= 1;
            }
            let frac = fracs.get(j).copied().unwrap_or(0.0);
            if best.is_none_or(|(_, v, f)| value > v || (value == v && frac > f)) {
                best = Some((j, value, frac));
            }
        }
        let (j, _, _) = best.ok_or_else(|| SolveError::Solver("no rounding sums to m".into()))?;
        if let (Some(n), Some(r)) = (counts.get_mut(j), raised.get_mut(j)) {
            *n += 1;
            *r = true;
        }
        total += 1;
    }
    Ok(counts)
}

/// The MILP over `n_j ∈ {⌊mλ_j⌋, ⌈mλ_j⌉}`, `Σ n_j = m`, maximising the
/// smallest cell probability.
fn best_rounding(
    sizes: &[u64],
    dist: &Distribution,
    m: u32,
    floors: &[u32],
    fracs: &[f64],
) -> Result<Option<Vec<u32>>, SolveError> {
    let mut model = lp::model(OptimizationDirection::Maximize);
    let t = model.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY));
    let n: Vec<Variable> = floors
        .iter()
        .zip(fracs)
        .map(|(&f, &fr)| {
            let lo = i32::try_from(f).unwrap_or(i32::MAX);
            let hi = if fr > 0.0 { lo.saturating_add(1) } else { lo };
            model.add_integer_var(0.0, (lo, hi))
        })
        .collect();
    model.add_constraint(
        n.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        f64::from(m),
    );
    for (c, &size) in sizes.iter().enumerate() {
        let mut terms: Vec<(Variable, f64)> = dist
            .allocations
            .iter()
            .zip(&n)
            .filter_map(|(a, &v)| {
                let s = a.get(c).copied().unwrap_or(0);
                (s > 0).then(|| (v, f64::from(s) / (f64::from(m) * size as f64)))
            })
            .collect();
        terms.push((t, -1.0));
        model.add_constraint(terms, ComparisonOp::Ge, 0.0);
    }
    model.set_time_limit(ROUNDING_TIME_LIMIT);
    let Some(sol) = lp::solve_within(&model)? else {
        return Ok(None);
    };
    let counts: Vec<u32> = n
        .iter()
        .map(|&v| sol.var_value(v).round().max(0.0) as u32)
        .collect();
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    Ok((total == u64::from(m)).then_some(counts))
}
