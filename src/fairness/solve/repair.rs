//! Repairing a rounded lottery (spec/fairness.md §5): single-seat
//! exchanges along augmenting paths until every class reaches its floor
//! target.
//!
//! Class `k`'s target is `G_k = ⌊m·π_k·size_k⌋` seats over the `m`
//! allocations (`π_k` its probability in the distribution). A *move*
//! `a → b` in one copy of an allocation gives one seat of class `a` to
//! class `b`; it is admissible when the result is still realisable (the
//! quotas of the two cells' categories, `b`'s cap and its household
//! type's coupling). A class above its target is a *source*, one below it
//! a *sink*. A breadth-first search over classes from every source, an
//! edge `a → b` wherever some copy in use admits the move, finds a
//! shortest chain `s → c_1 → … → d` to a sink; applying its moves, each to
//! a different copy, takes one seat from `s` (which stays at or above its
//! target), gives one to `d`, and leaves every class in between unchanged.
//! Each chain lowers the total shortfall `Σ_k max(0, G_k − T_k)` by one
//! and no class falls below `min(T_k, G_k)`; the repair stops when no
//! shortfall is left or no chain reaches a sink. Everything is in list
//! order (sources, copies, classes), so the result depends only on the
//! input.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec;
use alloc::vec::Vec;

use super::classes::Classes;
use crate::fairness::problem::CellProblem;

/// Raises every class of the lottery (`counts[j]` copies of
/// `allocations[j]`) to its target seats `target[k]` where single-seat
/// chains allow, extending `allocations` with the new allocations.
/// Returns the shortfall left (0 when every class reached its target).
pub(crate) fn repair(
    problem: &CellProblem,
    classes: &Classes,
    allocations: &mut Vec<Vec<u32>>,
    counts: &mut Vec<u32>,
    target: &[u64],
) -> u64 {
    let rules = Rules::new(problem, classes);
    let mut seats = seats_of(classes.len(), allocations, counts);
    let mut slack: Vec<Slack> = allocations.iter().map(|z| rules.slack(z)).collect();
    let mut index: BTreeMap<Vec<u32>, usize> = allocations
        .iter()
        .enumerate()
        .map(|(j, z)| (z.clone(), j))
        .collect();
    loop {
        let short = shortfall(&seats, target);
        if short == 0 {
            return 0;
        }
        let Some(path) = chain(&rules, allocations, counts, &slack, &seats, target) else {
            return short;
        };
        for (a, b, j) in path {
            let Some(z) = allocations.get(j) else {
                return short;
            };
            let mut moved = z.clone();
            if let (Some(x), Some(n)) = (moved.get_mut(a), counts.get_mut(j)) {
                *x -= 1;
                *n -= 1;
            }
            if let Some(x) = moved.get_mut(b) {
                *x += 1;
            }
            match index.get(&moved) {
                Some(&i) => {
                    if let Some(n) = counts.get_mut(i) {
                        *n += 1;
                    }
                }
                None => {
                    index.insert(moved.clone(), allocations.len());
                    slack.push(rules.slack(&moved));
                    allocations.push(moved);
                    counts.push(1);
                }
            }
            if let Some(t) = seats.get_mut(a) {
                *t -= 1;
            }
            if let Some(t) = seats.get_mut(b) {
                *t += 1;
            }
        }
    }
}

/// `Σ_k max(0, target_k − seats_k)`.
pub(crate) fn shortfall(seats: &[u64], target: &[u64]) -> u64 {
    seats
        .iter()
        .zip(target)
        .map(|(&t, &l)| l.saturating_sub(t))
        .sum()
}

/// Seats per class over the lottery.
pub(crate) fn seats_of(classes: usize, allocations: &[Vec<u32>], counts: &[u32]) -> Vec<u64> {
    let mut seats = vec![0u64; classes];
    for (z, &n) in allocations.iter().zip(counts) {
        for (t, &x) in seats.iter_mut().zip(z) {
            *t += u64::from(n) * u64::from(x);
        }
    }
    seats
}

/// A shortest chain of admissible moves `(from, to, allocation)` from a
/// class above its target to one below it, each move on a different copy.
fn chain(
    rules: &Rules,
    allocations: &[Vec<u32>],
    counts: &[u32],
    slack: &[Slack],
    seats: &[u64],
    target: &[u64],
) -> Option<Vec<(usize, usize, usize)>> {
    let n = seats.len();
    let mut prev: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for (k, (&t, &l)) in seats.iter().zip(target).enumerate() {
        if t > l {
            if let Some(s) = seen.get_mut(k) {
                *s = true;
            }
            queue.push_back(k);
        }
    }
    while let Some(a) = queue.pop_front() {
        for (j, (z, s)) in allocations.iter().zip(slack).enumerate() {
            if counts.get(j).copied().unwrap_or(0) == 0 || z.get(a).copied().unwrap_or(0) == 0 {
                continue;
            }
            for b in 0..n {
                if seen.get(b).copied().unwrap_or(true) || !rules.admits(z, s, a, b) {
                    continue;
                }
                if let Some(s) = seen.get_mut(b) {
                    *s = true;
                }
                if let Some(p) = prev.get_mut(b) {
                    *p = Some((a, j));
                }
                if seats.get(b) < target.get(b) {
                    return copies(rules, allocations, counts, slack, &prev, b);
                }
                queue.push_back(b);
            }
        }
    }
    None
}

/// The chain ending at `sink` from the search's back pointers, each move
/// on its own copy: a move whose allocation has no copy left (the chain
/// used it already) goes to another allocation admitting it, if any.
fn copies(
    rules: &Rules,
    allocations: &[Vec<u32>],
    counts: &[u32],
    slack: &[Slack],
    prev: &[Option<(usize, usize)>],
    sink: usize,
) -> Option<Vec<(usize, usize, usize)>> {
    let mut path = Vec::new();
    let mut b = sink;
    while let Some(&Some((a, j))) = prev.get(b) {
        path.push((a, b, j));
        b = a;
        if path.len() > prev.len() {
            return None;
        }
    }
    path.reverse();
    let mut left: Vec<u32> = counts.to_vec();
    for (a, b, j) in &mut path {
        if left.get(*j).copied().unwrap_or(0) == 0 {
            *j = (0..allocations.len()).find(|&i| {
                left.get(i).copied().unwrap_or(0) > 0
                    && match (allocations.get(i), slack.get(i)) {
                        (Some(z), Some(s)) => rules.admits(z, s, *a, *b),
                        _ => false,
                    }
            })?;
        }
        if let Some(n) = left.get_mut(*j) {
            *n -= 1;
        }
    }
    Some(path)
}

/// What makes a single-seat move admissible.
struct Rules<'a> {
    problem: &'a CellProblem,
    classes: &'a Classes,
    /// Per class: its household type's coupling `(group, n_T)`, if the
    /// type spans several cells.
    group: Vec<Option<usize>>,
}

/// How far an allocation is from its bounds.
struct Slack {
    /// Per feature and category: a seat can leave it (`count > min`).
    down: Vec<Vec<bool>>,
    /// Per feature and category: a seat can join it (`count < max`).
    up: Vec<Vec<bool>>,
    /// Per coupled type: a seat can join it (`Σ z < n_T`).
    room: Vec<bool>,
}

impl<'a> Rules<'a> {
    fn new(problem: &'a CellProblem, classes: &'a Classes) -> Rules<'a> {
        let mut group = vec![None; classes.len()];
        for (g, (ks, _)) in classes.groups.iter().enumerate() {
            for &k in ks {
                if let Some(x) = group.get_mut(k) {
                    *x = Some(g);
                }
            }
        }
        Rules {
            problem,
            classes,
            group,
        }
    }

    fn slack(&self, z: &[u32]) -> Slack {
        let x = self.classes.project(self.problem.cells.len(), z);
        let mut seated: Vec<Vec<u64>> = self
            .problem
            .quotas
            .iter()
            .map(|f| vec![0; f.len()])
            .collect();
        for (cell, &s) in self.problem.cells.iter().zip(&x) {
            for (sums, &v) in seated.iter_mut().zip(&cell.categories) {
                if let Some(t) = sums.get_mut(usize::from(v)) {
                    *t += u64::from(s);
                }
            }
        }
        let side = |ok: fn(u64, u64, u64) -> bool| -> Vec<Vec<bool>> {
            self.problem
                .quotas
                .iter()
                .zip(&seated)
                .map(|(f, sums)| {
                    f.iter()
                        .zip(sums)
                        .map(|(q, &t)| ok(t, u64::from(q.min), u64::from(q.max)))
                        .collect()
                })
                .collect()
        };
        Slack {
            down: side(|t, min, _| t > min),
            up: side(|t, _, max| t < max),
            room: self
                .classes
                .groups
                .iter()
                .map(|(ks, n)| {
                    ks.iter()
                        .map(|&k| u64::from(z.get(k).copied().unwrap_or(0)))
                        .sum::<u64>()
                        < *n
                })
                .collect(),
        }
    }

    /// Whether moving one seat of class `a` to class `b` keeps `z`
    /// realisable.
    fn admits(&self, z: &[u32], slack: &Slack, a: usize, b: usize) -> bool {
        if a == b || z.get(a).copied().unwrap_or(0) == 0 {
            return false;
        }
        let (Some(&zb), Some(&cap)) = (z.get(b), self.classes.cap.get(b)) else {
            return false;
        };
        if u64::from(zb) >= cap {
            return false;
        }
        let gb = self.group.get(b).copied().flatten();
        if let Some(g) = gb {
            if self.group.get(a).copied().flatten() != Some(g)
                && !slack.room.get(g).copied().unwrap_or(false)
            {
                return false;
            }
        }
        let (Some(&ca), Some(&cb)) = (self.classes.cell.get(a), self.classes.cell.get(b)) else {
            return false;
        };
        if ca == cb {
            return true;
        }
        let (Some(from), Some(to)) = (self.problem.cells.get(ca), self.problem.cells.get(cb))
        else {
            return false;
        };
        from.categories
            .iter()
            .zip(&to.categories)
            .enumerate()
            .all(|(f, (&va, &vb))| va == vb || (flag(&slack.down, f, va) && flag(&slack.up, f, vb)))
    }
}

fn flag(table: &[Vec<bool>], f: usize, v: u16) -> bool {
    table
        .get(f)
        .and_then(|t| t.get(usize::from(v)))
        .copied()
        .unwrap_or(false)
}
