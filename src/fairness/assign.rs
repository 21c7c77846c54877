//! Person-level panels from a cell lottery (spec/fairness.md §7): each
//! allocation's seats of a cell go to the cell's least-selected members,
//! households respected.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::allocation_list::AllocationList;
use super::pool::Pool;
use super::problem::CellProblem;
use crate::error::{Error, Result};
use crate::sortition::panel::PanelList;

/// Turns every allocation of `lottery` into a panel of `pool` members
/// (keys), in order, so that the `m` panels are a [`PanelList`].
///
/// Seat after seat, the least-selected free member (household not yet on
/// the panel; ties: pool order) of any cell with seats left is seated. Without
/// households the selection counts of a cell's members then differ by at
/// most one, so each member's probability is within `1/m` of the cell's
/// `Σ_j x_c^(j) / (m·e_c)`. When a household blocks every remaining member
/// of a cell, one seat taken by that household in another cell is handed
/// to another member there. Fails when no such exchange exists.
pub fn assign_panels(
    problem: &CellProblem,
    pool: &Pool,
    lottery: &AllocationList,
) -> Result<PanelList> {
    pool.validate(problem)?;
    let members = pool.members_by_cell(problem.cells.len());
    let mut counts = vec![0u64; pool.people.len()];
    // Small cells first: they have the fewest alternatives.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&c| members.get(c).map_or(0, Vec::len));
    let mut panels = Vec::with_capacity(lottery.allocations().len());
    for alloc in lottery.allocations() {
        let seated =
            greedy(pool, &members, &order, &counts, alloc).ok_or(Error::InvalidParameter {
                what: "households leave a cell too few members for an allocation",
            })?;
        for &i in &seated {
            if let Some(n) = counts.get_mut(i) {
                *n += 1;
            }
        }
        let keys = seated
            .iter()
            .filter_map(|&i| pool.people.get(i).map(|p| p.key))
            .collect();
        panels.push(keys);
    }
    PanelList::new(panels)
}

/// The greedy panel of one allocation, if households allow it: seat after
/// seat, the least-selected free member of any cell that still has seats
/// to fill, so that a person a household blocked in one panel comes first
/// in the next; a cell left without a free member goes through
/// [`Panel::seat_one`]'s exchange.
fn greedy(
    pool: &Pool,
    members: &[Vec<usize>],
    order: &[usize],
    counts: &[u64],
    alloc: &[u32],
) -> Option<Vec<usize>> {
    let mut panel = Panel::default();
    let mut left: Vec<u32> = alloc.to_vec();
    loop {
        let mut best: Option<(u64, usize, usize)> = None;
        let mut stuck = None;
        for &c in order {
            if left.get(c).copied().unwrap_or(0) == 0 {
                continue;
            }
            let own = members.get(c).map_or(&[][..], Vec::as_slice);
            match panel.best_free(pool, own, counts) {
                Some(i) => {
                    let key = (counts.get(i).copied().unwrap_or(0), i, c);
                    if best.is_none_or(|b| key < b) {
                        best = Some(key);
                    }
                }
                None => stuck = Some(c),
            }
        }
        let c = match (stuck, best) {
            (Some(c), _) => {
                panel.seat_one(pool, members, counts, c).ok()?;
                c
            }
            (None, Some((_, i, c))) => {
                panel.add(pool, i, c);
                c
            }
            (None, None) => break,
        };
        if let Some(l) = left.get_mut(c) {
            *l -= 1;
        }
    }
    Some(panel.people.keys().copied().collect())
}

/// A panel being filled: person → cell, and household → person.
#[derive(Default)]
struct Panel {
    people: BTreeMap<usize, usize>,
    households: BTreeMap<u64, usize>,
}

impl Panel {
    fn free(&self, pool: &Pool, i: usize) -> bool {
        !self.people.contains_key(&i)
            && pool
                .people
                .get(i)
                .and_then(|p| p.household)
                .is_none_or(|h| !self.households.contains_key(&h))
    }

    fn add(&mut self, pool: &Pool, i: usize, c: usize) {
        self.people.insert(i, c);
        if let Some(h) = pool.people.get(i).and_then(|p| p.household) {
            self.households.insert(h, i);
        }
    }

    fn remove(&mut self, pool: &Pool, i: usize) {
        self.people.remove(&i);
        if let Some(h) = pool.people.get(i).and_then(|p| p.household) {
            self.households.remove(&h);
        }
    }

    /// The least-selected free member of `cell`, if any.
    fn best_free(&self, pool: &Pool, members: &[usize], counts: &[u64]) -> Option<usize> {
        members
            .iter()
            .copied()
            .filter(|&i| self.free(pool, i))
            .min_by_key(|&i| (counts.get(i).copied().unwrap_or(0), i))
    }

    fn seat_one(
        &mut self,
        pool: &Pool,
        members: &[Vec<usize>],
        counts: &[u64],
        c: usize,
    ) -> Result<()> {
        let own = members.get(c).map_or(&[][..], Vec::as_slice);
        if let Some(i) = self.best_free(pool, own, counts) {
            self.add(pool, i, c);
            return Ok(());
        }
        // Every unseated member is blocked by a household: free one by
        // moving the blocking person's seat to another member of their cell.
        for &i in own {
            if self.people.contains_key(&i) {
                continue;
            }
            let Some(h) = pool.people.get(i).and_then(|p| p.household) else {
                continue;
            };
            let Some(&k) = self.households.get(&h) else {
                continue;
            };
            let Some(&kc) = self.people.get(&k) else {
                continue;
            };
            self.remove(pool, k);
            let theirs = members.get(kc).map_or(&[][..], Vec::as_slice);
            let replacement = theirs
                .iter()
                .copied()
                .filter(|&r| r != i && r != k)
                .filter(|&r| {
                    self.free(pool, r) && pool.people.get(r).and_then(|p| p.household) != Some(h)
                })
                .min_by_key(|&r| (counts.get(r).copied().unwrap_or(0), r));
            match replacement {
                Some(r) => {
                    self.add(pool, r, kc);
                    self.add(pool, i, c);
                    return Ok(());
                }
                None => self.add(pool, k, kc),
            }
        }
        Err(Error::InvalidParameter {
            what: "households leave a cell too few members for an allocation",
        })
    }
}
