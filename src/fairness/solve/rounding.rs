//! Rounding a distribution to a uniform lottery over `m` allocations
//! (spec/fairness.md §5), after Flanigan, Kehne, Procaccia, "Fair Sortition
//! Made Transparent" (NeurIPS 2021).
//!
//! Allocation `j` of probability `λ_j` is first repeated
//! `n_j ∈ {⌊mλ_j⌋, ⌈mλ_j⌉}` times with `Σ n_j = m`, greedily raising the
//! copy that leaves the largest smallest probability. Any such rounding
//! gives unit (cell or class) `k` at least `p_k − Σ_j {mλ_j}·x_k^(j)/(m·size_k)`
//! (`{·}` the fractional part), because `n_j ≥ mλ_j − {mλ_j}`: the loss
//! bound reported. Then the repair (`repair`) moves single seats between
//! classes along chains of copies until every class `k` has at least its
//! target `G_k = ⌊m·π_k·size_k⌋` seats, where such chains exist; it never
//! takes a class below `min(T_k, G_k)`, so every class keeps
//! `T_k ≥ min(m·size_k·(π_k − loss), G_k)`.

use alloc::vec;
use alloc::vec::Vec;

use super::classes::Classes;
use super::maximin::Distribution;
use super::repair::repair;
use super::SolveError;
use crate::fairness::allocation_list::AllocationList;
use crate::fairness::problem::CellProblem;

/// Seats by which a class target may fall short of an integer and still
/// count as it (the master LP's weights carry float error).
const TOLERANCE: f64 = 1e-6;

/// A rounded lottery and the a-priori bound on its loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Rounded {
    /// `m` allocations.
    pub lottery: AllocationList,
    /// `max_c Σ_j {mλ_j}·x_c^(j)/(m·e_c)`: every cell keeps its
    /// distribution probability minus this, or `⌊m·p_c·e_c⌋/(m·e_c)`
    /// (spec/fairness.md §5).
    pub loss_bound: f64,
}

/// Rounds `dist` to `m` allocations.
pub fn round(problem: &CellProblem, dist: &Distribution, m: u32) -> Result<Rounded, SolveError> {
    let classes = Classes::cells(problem);
    let rounded = round_classes(problem, &classes, dist, m)?;
    let lottery = AllocationList::new(rounded.allocations().cloned().collect())
        .map_err(SolveError::Problem)?;
    Ok(Rounded {
        lottery,
        loss_bound: rounded.loss_bound,
    })
}

/// A distribution over class allocations rounded to `m` of them.
pub(crate) struct ClassRounding {
    /// The allocations: the distribution's, then those the repair added.
    pub(crate) allocations: Vec<Vec<u32>>,
    /// How many times each is drawn (`Σ = m`).
    pub(crate) counts: Vec<u32>,
    /// The a-priori loss bound of the floor/ceiling rounding: every class
    /// keeps at least its distribution probability minus this, or its
    /// target `G_k` (the repair never takes a class below either).
    pub(crate) loss_bound: f64,
    /// The seats still missing to the targets after the repair.
    pub(crate) shortfall: u64,
}

impl ClassRounding {
    /// The `m` class allocations, in order.
    pub(crate) fn allocations(&self) -> impl Iterator<Item = &Vec<u32>> {
        self.allocations
            .iter()
            .zip(&self.counts)
            .flat_map(|(a, &n)| core::iter::repeat_n(a, n as usize))
    }
}

/// Rounds a distribution over class allocations to `m` of them: the
/// greedy floor/ceiling rounding, then the repair towards every class's
/// target `⌊m·π_k·size_k⌋`.
pub(crate) fn round_classes(
    problem: &CellProblem,
    classes: &Classes,
    dist: &Distribution,
    m: u32,
) -> Result<ClassRounding, SolveError> {
    if m == 0 {
        return Err(SolveError::Solver(
            "a lottery has at least one allocation".into(),
        ));
    }
    let sizes = &classes.size;
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
    let mut counts = greedy_rounding(sizes, dist, m, &floors, &fracs)?;
    let mut allocations = dist.allocations.clone();
    let target = targets(classes.len(), dist, m);
    let shortfall = repair(problem, classes, &mut allocations, &mut counts, &target);
    Ok(ClassRounding {
        allocations,
        counts,
        loss_bound,
        shortfall,
    })
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
    // Seats per unit so far, updated as counts rise.
    let mut seats: Vec<f64> = sizes
        .iter()
        .enumerate()
        .map(|(c, _)| {
            dist.allocations
                .iter()
                .zip(&counts)
                .map(|(a, &n)| f64::from(n) * f64::from(a.get(c).copied().unwrap_or(0)))
                .sum()
        })
        .collect();
    let mut total: u64 = counts.iter().map(|&n| u64::from(n)).sum();
    while total < u64::from(m) {
        let mut best: Option<(usize, f64, f64)> = None;
        for (j, a) in dist.allocations.iter().enumerate() {
            if raised.get(j).copied().unwrap_or(true) {
                continue;
            }
            let value = seats
                .iter()
                .zip(sizes)
                .enumerate()
                .map(|(c, (&s, &size))| {
                    (s + f64::from(a.get(c).copied().unwrap_or(0))) / size as f64
                })
                .fold(f64::INFINITY, f64::min);
            let frac = fracs.get(j).copied().unwrap_or(0.0);
            if best.is_none_or(|(_, v, f)| value > v || (value == v && frac > f)) {
                best = Some((j, value, frac));
            }
        }
        let (j, _, _) = best.ok_or_else(|| SolveError::Solver("no rounding sums to m".into()))?;
        if let (Some(n), Some(r), Some(a)) = (
            counts.get_mut(j),
            raised.get_mut(j),
            dist.allocations.get(j),
        ) {
            *n += 1;
            *r = true;
            for (s, &x) in seats.iter_mut().zip(a) {
                *s += f64::from(x);
            }
        }
        total += 1;
    }
    Ok(counts)
}

/// Per class: `⌊m·Σ_j λ_j z_k^(j)⌋` seats (the weights normalised to sum 1;
/// a target within `TOLERANCE` below an integer counts as that integer,
/// against the solver's float error).
pub(crate) fn targets(classes: usize, dist: &Distribution, m: u32) -> Vec<u64> {
    let total: f64 = dist.weights.iter().sum();
    let scale = if total > 0.0 {
        f64::from(m) / total
    } else {
        0.0
    };
    (0..classes)
        .map(|k| {
            let expected: f64 = dist
                .allocations
                .iter()
                .zip(&dist.weights)
                .map(|(z, l)| l * f64::from(z.get(k).copied().unwrap_or(0)))
                .sum::<f64>()
                * scale;
            (expected + TOLERANCE).floor().max(0.0) as u64
        })
        .collect()
}
