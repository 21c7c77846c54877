//! A pool of volunteers for person-level panels (spec/fairness.md §7):
//! each person's key, cell and optional household.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::problem::CellProblem;
use crate::error::{Error, Result};
use crate::roll::CitizenKey;

/// One volunteer of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PoolPerson {
    /// The person's key, as listed in panels.
    pub key: CitizenKey,
    /// The index of the person's cell in [`CellProblem::cells`].
    pub cell: u32,
    /// The household, if the person shares one with other volunteers: a
    /// panel seats at most one person per household.
    pub household: Option<u64>,
}

/// The pool: the volunteers of a [`CellProblem`] whose cell counts are the
/// pool's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pool {
    /// The volunteers.
    pub people: Vec<PoolPerson>,
}

impl Pool {
    /// Checks that the pool fits `problem`: keys distinct, every person in
    /// a cell of the problem, and each cell's `eligible` equal to its
    /// number of people.
    pub fn validate(&self, problem: &CellProblem) -> Result<()> {
        let bad = |what| Err(Error::InvalidParameter { what });
        let mut counts = vec![0u64; problem.cells.len()];
        for p in &self.people {
            match counts.get_mut(p.cell as usize) {
                Some(c) => *c += 1,
                None => return bad("a pool member names a cell the problem does not have"),
            }
        }
        if counts
            .iter()
            .zip(&problem.cells)
            .any(|(&n, c)| n != c.eligible)
        {
            return bad("a cell's eligible count differs from its pool members");
        }
        if self.index().len() != self.people.len() {
            return bad("a key appears twice in the pool");
        }
        Ok(())
    }

    /// Each key's position in the pool (the last one for a repeated key).
    pub fn index(&self) -> BTreeMap<CitizenKey, usize> {
        self.people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.key, i))
            .collect()
    }

    /// The pool members of each cell, in pool order.
    pub fn members_by_cell(&self, cells: usize) -> Vec<Vec<usize>> {
        let mut by_cell = vec![Vec::new(); cells];
        for (i, p) in self.people.iter().enumerate() {
            if let Some(m) = by_cell.get_mut(p.cell as usize) {
                m.push(i);
            }
        }
        by_cell
    }
}
