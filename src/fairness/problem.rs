//! The quota problem over cells (spec/fairness.md §2).

use alloc::vec::Vec;

use crate::civic::MAX_SEATS;
use crate::error::{Error, Result};

/// The seat bounds of one category of one feature: a panel MUST seat at
/// least `min` and at most `max` people of that category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QuotaBounds {
    /// Fewest seats for the category.
    pub min: u32,
    /// Most seats for the category (`min ≤ max`).
    pub max: u32,
}

/// A cell: everyone with the same category in every feature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cell {
    /// The category index of the cell in each feature, aligned with
    /// [`CellProblem::quotas`].
    pub categories: Vec<u16>,
    /// How many eligible people (on the roll or in the pool, not excluded)
    /// are in the cell.
    pub eligible: u64,
}

/// The seats of a panel per cell, aligned with [`CellProblem::cells`].
pub type Allocation = Vec<u32>;

/// The quota problem reduced to cells: `seats` seats, for each feature the
/// bounds of each of its categories, and the cells with their eligible
/// counts. A feasible [`Allocation`] `x` has `Σ x_c = seats`,
/// `0 ≤ x_c ≤ eligible_c`, and for every feature `f` and category `v`,
/// `min ≤ Σ_{c: c_f = v} x_c ≤ max`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CellProblem {
    /// Panel size `K`, `1 ≤ K ≤ 150`.
    pub seats: u32,
    /// `quotas[f][v]`: the bounds of category `v` of feature `f`.
    pub quotas: Vec<Vec<QuotaBounds>>,
    /// The cells, strictly ascending by `categories`, each with
    /// `eligible ≥ 1`.
    pub cells: Vec<Cell>,
}

impl CellProblem {
    /// Checks the problem's shape: `1 ≤ seats ≤ 150`, at least one feature,
    /// every feature with at least one category, `min ≤ max` for every
    /// category, and cells strictly ascending, each naming a category of
    /// every feature and holding at least one eligible person.
    pub fn validate(&self) -> Result<()> {
        let bad = |what| Err(Error::InvalidParameter { what });
        if self.seats == 0 || self.seats > MAX_SEATS {
            return bad("a panel has 1 to 150 seats");
        }
        if self.quotas.is_empty() || self.quotas.iter().any(|f| f.is_empty()) {
            return bad("every feature has at least one category");
        }
        if self.quotas.iter().flatten().any(|q| q.min > q.max) {
            return bad("a category's min exceeds its max");
        }
        for cell in &self.cells {
            if cell.eligible == 0 || cell.categories.len() != self.quotas.len() {
                return bad("a cell names one category per feature and has eligible people");
            }
            let in_range = cell
                .categories
                .iter()
                .zip(&self.quotas)
                .all(|(&v, f)| usize::from(v) < f.len());
            if !in_range {
                return bad("a cell names a category its feature does not have");
            }
        }
        if self
            .cells
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.categories >= b.categories))
        {
            return bad("cells are strictly ascending by categories");
        }
        Ok(())
    }

    /// Whether `x` is a feasible allocation of this problem (see the type's
    /// documentation). A wrong length is infeasible.
    pub fn is_feasible(&self, x: &[u32]) -> bool {
        if x.len() != self.cells.len() {
            return false;
        }
        let total: u64 = x.iter().map(|&s| u64::from(s)).sum();
        if total != u64::from(self.seats) {
            return false;
        }
        if self
            .cells
            .iter()
            .zip(x)
            .any(|(c, &s)| u64::from(s) > c.eligible)
        {
            return false;
        }
        self.quotas.iter().enumerate().all(|(f, feature)| {
            feature.iter().enumerate().all(|(v, q)| {
                let seated: u64 = self
                    .cells
                    .iter()
                    .zip(x)
                    .filter(|(c, _)| c.categories.get(f).map(|&cv| usize::from(cv)) == Some(v))
                    .map(|(_, &s)| u64::from(s))
                    .sum();
                u64::from(q.min) <= seated && seated <= u64::from(q.max)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn two_features() -> CellProblem {
        // gender {0,1} each 1..=2 seats, region {0,1} each 1..=2 seats, 3 seats.
        let b = |min, max| QuotaBounds { min, max };
        CellProblem {
            seats: 3,
            quotas: vec![vec![b(1, 2), b(1, 2)], vec![b(1, 2), b(1, 2)]],
            cells: vec![
                Cell {
                    categories: vec![0, 0],
                    eligible: 5,
                },
                Cell {
                    categories: vec![0, 1],
                    eligible: 1,
                },
                Cell {
                    categories: vec![1, 0],
                    eligible: 2,
                },
                Cell {
                    categories: vec![1, 1],
                    eligible: 7,
                },
            ],
        }
    }

    #[test]
    fn feasibility_follows_every_bound() {
        let p = two_features();
        p.validate().unwrap();
        assert!(p.is_feasible(&[1, 0, 0, 2]));
        assert!(p.is_feasible(&[0, 1, 1, 1]));
        assert!(!p.is_feasible(&[3, 0, 0, 0]), "gender 0 above its max");
        assert!(!p.is_feasible(&[0, 2, 0, 1]), "cell (0,1) has one person");
        assert!(!p.is_feasible(&[1, 0, 0, 1]), "two seats, not three");
        assert!(!p.is_feasible(&[1, 0, 0]), "wrong length");
    }

    #[test]
    fn malformed_problems_are_rejected() {
        let mut p = two_features();
        p.cells.swap(0, 1);
        assert!(p.validate().is_err());
        let mut p = two_features();
        p.cells[0].categories = vec![0, 2];
        assert!(p.validate().is_err());
        let mut p = two_features();
        p.quotas[0][0] = QuotaBounds { min: 3, max: 2 };
        assert!(p.validate().is_err());
        let mut p = two_features();
        p.seats = 151;
        assert!(p.validate().is_err());
    }
}
