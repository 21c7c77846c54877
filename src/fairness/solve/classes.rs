//! Classes of interchangeable people (spec/fairness.md §4): what the
//! column generation optimises over.
//!
//! Two pool members are interchangeable, for the quotas **and** the rule of
//! one person per household, when they are in the same cell and their
//! households have the same *type*, the multiset of their members' cells (a
//! person without a household is a household of one). A class is a pair
//! (type, cell); a class allocation `z` seats `z_k` people of class `k`.
//! It is realised by a household-respecting panel exactly when the cell
//! sums `x_c = Σ_{k ∈ c} z_k` meet the quotas, `z_k ≤ n_T` (the type's
//! households) and, for a type with members in several cells,
//! `Σ_{k ∈ T} z_k ≤ n_T`: each seat takes a distinct household of the type.
//! Without a pool every cell is one class (everyone alone).

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, Problem, Variable};

use super::{lp, SolveError};
use crate::fairness::pool::Pool;
use crate::fairness::problem::{Allocation, CellProblem};

/// The classes of a problem, or of a pool, with their coupling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Classes {
    /// Per class: its cell.
    pub(crate) cell: Vec<usize>,
    /// Per class: its number of people, `n_T` times the type's members in
    /// the cell.
    pub(crate) size: Vec<u64>,
    /// Per class: the most seats it can take, `n_T`.
    pub(crate) cap: Vec<u64>,
    /// The types with members in two or more cells: their classes, which
    /// take at most `n_T` seats in all.
    pub(crate) groups: Vec<(Vec<usize>, u64)>,
    /// Per type: its households, each as `(pool index, class)` per member
    /// (empty without a pool).
    households: Vec<Vec<Vec<(usize, usize)>>>,
}

impl Classes {
    /// One class per cell, everyone alone (no pool).
    pub(crate) fn cells(problem: &CellProblem) -> Classes {
        Classes {
            cell: (0..problem.cells.len()).collect(),
            size: problem.cells.iter().map(|c| c.eligible).collect(),
            cap: problem.cells.iter().map(|c| c.eligible).collect(),
            groups: Vec::new(),
            households: Vec::new(),
        }
    }

    /// The classes of a pool (validated against its problem).
    pub(crate) fn pool(pool: &Pool) -> Classes {
        // Households in order of their first member; members in pool order.
        let mut households: Vec<Vec<usize>> = Vec::new();
        let mut index: BTreeMap<u64, usize> = BTreeMap::new();
        for (i, p) in pool.people.iter().enumerate() {
            let slot = match p.household {
                Some(h) => *index.entry(h).or_insert_with(|| {
                    households.push(Vec::new());
                    households.len() - 1
                }),
                None => {
                    households.push(Vec::new());
                    households.len() - 1
                }
            };
            if let Some(members) = households.get_mut(slot) {
                members.push(i);
            }
        }
        let cell_of = |i: usize| pool.people.get(i).map_or(0, |p| p.cell as usize);
        let mut types: BTreeMap<Vec<usize>, Vec<Vec<usize>>> = BTreeMap::new();
        for members in households {
            let mut cells: Vec<usize> = members.iter().map(|&i| cell_of(i)).collect();
            cells.sort_unstable();
            types.entry(cells).or_default().push(members);
        }
        let mut out = Classes {
            cell: Vec::new(),
            size: Vec::new(),
            cap: Vec::new(),
            groups: Vec::new(),
            households: Vec::new(),
        };
        for (cells, members) in types {
            let n = members.len() as u64;
            let mut distinct = cells.clone();
            distinct.dedup();
            let first = out.cell.len();
            for &c in &distinct {
                let mult = cells.iter().filter(|&&d| d == c).count() as u64;
                out.cell.push(c);
                out.size.push(n * mult);
                out.cap.push(n);
            }
            let class_of = |c: usize| first + distinct.iter().position(|&d| d == c).unwrap_or(0);
            if distinct.len() > 1 {
                out.groups.push(((first..out.cell.len()).collect(), n));
            }
            out.households.push(
                members
                    .iter()
                    .map(|h| h.iter().map(|&i| (i, class_of(cell_of(i)))).collect())
                    .collect(),
            );
        }
        out
    }

    /// The number of classes.
    pub(crate) fn len(&self) -> usize {
        self.cell.len()
    }

    /// The cell allocation of a class allocation: `x_c = Σ_{k ∈ c} z_k`.
    pub(crate) fn project(&self, cells: usize, z: &[u32]) -> Allocation {
        let mut x = vec![0u32; cells];
        for (&c, &s) in self.cell.iter().zip(z) {
            if let Some(t) = x.get_mut(c) {
                *t = t.saturating_add(s);
            }
        }
        x
    }

    /// Whether a household-respecting panel of `problem` realises `z`.
    pub(crate) fn admits(&self, problem: &CellProblem, z: &[u32]) -> bool {
        z.len() == self.len()
            && z.iter()
                .zip(&self.cap)
                .all(|(&s, &cap)| u64::from(s) <= cap)
            && self.groups.iter().all(|(ks, n)| {
                ks.iter()
                    .map(|&k| u64::from(z.get(k).copied().unwrap_or(0)))
                    .sum::<u64>()
                    <= *n
            })
            && problem.is_feasible(&self.project(problem.cells.len(), z))
    }

    /// Adds the class seat variables of a realisable allocation to `m`
    /// (objective `obj`): the quotas on their cell sums, the caps and the
    /// one-seat-per-household coupling. Returns `None` when a quota can
    /// never hold.
    pub(crate) fn model(
        &self,
        m: &mut Problem,
        problem: &CellProblem,
        obj: &[f64],
    ) -> Option<Vec<Variable>> {
        let zs = lp::capped_vars(m, problem, &self.cap, obj);
        let mut cells: Vec<Vec<Variable>> = vec![Vec::new(); problem.cells.len()];
        for (&c, &z) in self.cell.iter().zip(&zs) {
            if let Some(list) = cells.get_mut(c) {
                list.push(z);
            }
        }
        if !lp::add_quotas(m, problem, &cells, &|_| true, &|_| None) {
            return None;
        }
        for (ks, n) in &self.groups {
            let terms: Vec<(Variable, f64)> = ks
                .iter()
                .filter_map(|&k| zs.get(k).map(|&z| (z, 1.0)))
                .collect();
            m.add_constraint(terms, ComparisonOp::Le, *n as f64);
        }
        Some(zs)
    }

    /// A realisable class allocation, or `None` when households and quotas
    /// leave none.
    pub(crate) fn feasible(&self, problem: &CellProblem) -> Result<Option<Vec<u32>>, SolveError> {
        let mut m = lp::model(microlp::OptimizationDirection::Maximize);
        let Some(zs) = self.model(&mut m, problem, &[]) else {
            return Ok(None);
        };
        Ok(lp::solve(&m)?.map(|s| lp::allocation(&s, &zs)))
    }

    /// Per household type: its households, each as `(pool index, class)`
    /// per member in pool order (empty without a pool).
    pub(crate) fn households(&self) -> &[Vec<Vec<(usize, usize)>>] {
        &self.households
    }
}
