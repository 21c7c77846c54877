//! Repairing a rounded lottery (spec/fairness.md §5): panel swaps that
//! raise the smallest person-level count.
//!
//! With `T_k` the seats of class `k` over the `m` panels, a balanced
//! assignment gives each member at least `⌊T_k / size_k⌋` panels. For the
//! goal `g` one above the current smallest such count, the *need* of a
//! class is `max(0, g·size_k − T_k)`. A swap removes one copy of the
//! allocation whose removal adds the least need (and takes no class below
//! the level already reached, so the smallest count never falls) and adds the realisable allocation, found by the pricing MILP, that
//! seats the most needy seats; it is kept when it lowers the total need.
//! When no need is left, the goal rises by one.

use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection};

use super::classes::Classes;
use super::{lp, SolveError};
use crate::fairness::problem::CellProblem;

/// Removal candidates tried per swap.
const CANDIDATES: usize = 64;

/// Repairs `counts` of `allocations` (extending `allocations` with new
/// ones) by at most `max_swaps` swaps; the smallest count never falls.
pub(crate) fn repair(
    problem: &CellProblem,
    classes: &Classes,
    allocations: &mut Vec<Vec<u32>>,
    counts: &mut Vec<u32>,
    max_swaps: usize,
) -> Result<(), SolveError> {
    let sizes = &classes.size;
    let mut seats: Vec<u64> = seats_of(sizes.len(), allocations, counts);
    let smallest = |seats: &[u64]| {
        seats
            .iter()
            .zip(sizes)
            .map(|(&t, &s)| t / s.max(1))
            .min()
            .unwrap_or(0)
    };
    let mut goal = smallest(&seats) + 1;
    let mut swaps = 0;
    while swaps < max_swaps {
        let need: Vec<u64> = seats
            .iter()
            .zip(sizes)
            .map(|(&t, &s)| (goal * s).saturating_sub(t))
            .collect();
        if need.iter().all(|&n| n == 0) {
            goal += 1;
            continue;
        }
        let goal_seats: Vec<u64> = sizes.iter().map(|&s| goal * s).collect();
        let candidates = removals(allocations, counts, &seats, &goal_seats);
        let mut swapped = false;
        for &(j, cost) in candidates.iter().take(CANDIDATES) {
            let Some(out) = allocations.get(j) else {
                continue;
            };
            // The needs once `out` is gone.
            let after: Vec<u64> = goal_seats
                .iter()
                .zip(out)
                .zip(&seats)
                .map(|((&g, &x), &t)| g.saturating_sub(t.saturating_sub(u64::from(x))))
                .collect();
            let weights: Vec<f64> = after
                .iter()
                .zip(sizes)
                .map(|(&n, &s)| if n > 0 { s as f64 } else { 0.0 })
                .collect();
            // What the new allocation must give back so that no class
            // falls below the level already reached.
            let floor: Vec<u32> = goal_seats
                .iter()
                .zip(sizes)
                .zip(out)
                .zip(&seats)
                .map(|(((&g, &s), &x), &t)| {
                    let reached = g.saturating_sub(s).min(t);
                    let back = reached.saturating_sub(t.saturating_sub(u64::from(x)));
                    u32::try_from(back).unwrap_or(u32::MAX)
                })
                .collect();
            let Some(x) = best_with(problem, classes, &weights, &floor)? else {
                continue;
            };
            let gain: u64 = x
                .iter()
                .zip(&after)
                .map(|(&s, &n)| u64::from(s).min(n))
                .sum();
            if gain <= cost || !classes.admits(problem, &x) {
                continue;
            }
            for ((t, &o), &i) in seats.iter_mut().zip(out).zip(&x) {
                *t = *t - u64::from(o) + u64::from(i);
            }
            if let Some(n) = counts.get_mut(j) {
                *n -= 1;
            }
            match allocations.iter().position(|a| *a == x) {
                Some(i) => {
                    if let Some(n) = counts.get_mut(i) {
                        *n += 1;
                    }
                }
                None => {
                    allocations.push(x);
                    counts.push(1);
                }
            }
            swapped = true;
            break;
        }
        if !swapped {
            break;
        }
        swaps += 1;
    }
    Ok(())
}

/// Seats per class over the lottery.
fn seats_of(classes: usize, allocations: &[Vec<u32>], counts: &[u32]) -> Vec<u64> {
    (0..classes)
        .map(|k| {
            allocations
                .iter()
                .zip(counts)
                .map(|(a, &n)| u64::from(n) * u64::from(a.get(k).copied().unwrap_or(0)))
                .sum()
        })
        .collect()
}

/// The allocations in use, by the need their removal adds (ties: list
/// order), with that need.
fn removals(
    allocations: &[Vec<u32>],
    counts: &[u32],
    seats: &[u64],
    goal_seats: &[u64],
) -> Vec<(usize, u64)> {
    let mut out = Vec::new();
    for (j, (a, &n)) in allocations.iter().zip(counts).enumerate() {
        if n == 0 {
            continue;
        }
        let mut cost = 0u64;
        for (k, &x) in a.iter().enumerate().filter(|(_, &x)| x > 0) {
            let t = seats.get(k).copied().unwrap_or(0);
            let left = t.saturating_sub(u64::from(x));
            // Need grows by what the removal takes below the goal.
            let goal = goal_seats.get(k).copied().unwrap_or(0);
            cost += goal.saturating_sub(left) - goal.saturating_sub(t);
        }
        out.push((j, cost));
    }
    out.sort_by_key(|&(j, cost)| (cost, j));
    out
}

/// The realisable class allocation maximising `Σ_k y_k z_k / size_k` with
/// `z_k ≥ floor_k`, or `None` when there is none.
fn best_with(
    problem: &CellProblem,
    classes: &Classes,
    y: &[f64],
    floor: &[u32],
) -> Result<Option<Vec<u32>>, SolveError> {
    let obj: Vec<f64> = y
        .iter()
        .zip(&classes.size)
        .map(|(w, &s)| w / s as f64)
        .collect();
    let mut m = lp::model(OptimizationDirection::Maximize);
    let Some(zs) = classes.model(&mut m, problem, &obj) else {
        return Ok(None);
    };
    for (&z, &f) in zs.iter().zip(floor).filter(|(_, &f)| f > 0) {
        m.add_constraint([(z, 1.0)], ComparisonOp::Ge, f64::from(f));
    }
    Ok(lp::solve(&m)?.map(|s| lp::allocation(&s, &zs)))
}
