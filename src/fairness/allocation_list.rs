//! The committed lottery over cell allocations (spec/sortition.md §10.3).
//!
//! Before the beacon round, the organiser turns a fair distribution over
//! cell allocations (the maximin lottery) into a list of `m` allocations,
//! repetitions allowed, such that picking one uniformly realises it. The
//! announcement commits to the list ([`AllocationList::commitment`]) and
//! to `m`; the seed then picks one entry ([`pick`]).

use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use super::problem::{Allocation, CellProblem};
use crate::civic::MAX_SEATS;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::roll::Digest;
use crate::sortition::Sampler;

/// Encoding version of [`AllocationList`].
pub const ALLOCATION_LIST_VERSION: u8 = 1;
/// Domain label of [`AllocationList::commitment`].
pub const ALLOCATIONS_DOMAIN: &[u8] = b"kleroterion/fairness/allocations/v1";
/// Domain label of the stream that picks an allocation from the list.
pub const CELL_PICK_DOMAIN: &[u8] = b"kleroterion/sortition/cell-pick/v1";

/// `m ≥ 1` cell allocations of equal length `n ≥ 1` (the number of cells
/// with eligible people), each placing at most 150 seats.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "AllocationListRepr"))]
pub struct AllocationList {
    allocations: Vec<Allocation>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct AllocationListRepr {
    allocations: Vec<Allocation>,
}

#[cfg(feature = "serde")]
impl TryFrom<AllocationListRepr> for AllocationList {
    type Error = Error;
    fn try_from(r: AllocationListRepr) -> Result<Self> {
        AllocationList::new(r.allocations)
    }
}

impl AllocationList {
    /// A list of allocations: at least one, at most `2^32 − 1`, all of one
    /// length `n ≥ 1`, each with at most 150 seats in all. Whether each is
    /// feasible for the quotas is checked against the census
    /// ([`crate::fairness::CellProblem::is_feasible`]), not here.
    pub fn new(allocations: Vec<Allocation>) -> Result<Self> {
        let bad = |what| Err(Error::InvalidParameter { what });
        let Some(first) = allocations.first() else {
            return bad("an allocation list holds 1 to 2^32 - 1 allocations");
        };
        let n = first.len();
        if u32::try_from(allocations.len()).is_err() || n == 0 || u32::try_from(n).is_err() {
            return bad("an allocation list holds 1 to 2^32 - 1 allocations of at least one cell");
        }
        for a in &allocations {
            let seats = a.iter().fold(0u64, |t, &s| t.saturating_add(u64::from(s)));
            if a.len() != n || seats > u64::from(MAX_SEATS) {
                return bad("allocations have one length and at most 150 seats");
            }
        }
        Ok(AllocationList { allocations })
    }

    /// The allocations, in committed order.
    pub fn allocations(&self) -> &[Allocation] {
        &self.allocations
    }

    /// `m`, the number of allocations.
    pub fn len(&self) -> u32 {
        // At most 2^32 − 1 (checked by `new`).
        self.allocations.len() as u32
    }

    /// Always false: a list holds at least one allocation.
    pub fn is_empty(&self) -> bool {
        self.allocations.is_empty()
    }

    /// `SHA3-256(lp(ALLOCATIONS_DOMAIN) ‖ encode(list))`.
    pub fn commitment(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(ALLOCATIONS_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }

    /// Every feasible allocation of `problem`, in lexicographic order, if
    /// there are 1 to `limit` of them. A uniform pick over this list is an
    /// exact, recomputable lottery that meets every quota, but it does not
    /// maximise the smallest selection probability: it serves small tests
    /// and examples without the solver; the maximin lottery is
    /// `fairness::solve::fair_lottery` (feature `solver`). Fails if the
    /// quotas are infeasible or there are more than `limit` feasible
    /// allocations.
    pub fn enumerate(problem: &CellProblem, limit: usize) -> Result<Self> {
        problem.validate()?;
        let mut out = Vec::new();
        let mut x = Vec::with_capacity(problem.cells.len());
        enumerate_from(problem, &mut x, problem.seats, limit, &mut out)?;
        if out.is_empty() {
            return Err(Error::InvalidParameter {
                what: "no allocation meets the quotas",
            });
        }
        AllocationList::new(out)
    }

    /// Seats of cell `c` summed over the `m` allocations (0 past the last
    /// cell): `m` times the expected seats of cell `c` under a uniform pick.
    pub fn seats_of(&self, c: usize) -> u64 {
        self.allocations
            .iter()
            .map(|a| a.get(c).map_or(0, |&s| u64::from(s)))
            .sum()
    }

    /// The picked allocation, if `index < m`.
    pub fn get(&self, index: u32) -> Option<&Allocation> {
        self.allocations.get(usize::try_from(index).ok()?)
    }
}

/// The index of the allocation a draw uses: `below(m)` (spec/sortition.md
/// §4.3) on `SHAKE256(lp(CELL_PICK_DOMAIN) ‖ lp(seed))`.
pub fn pick(seed: &Digest, m: u32) -> Result<u32> {
    let i = Sampler::from_parts(&[CELL_PICK_DOMAIN, &seed.0]).below(u64::from(m))?;
    // i < m ≤ u32::MAX.
    Ok(i as u32)
}

impl Encode for AllocationList {
    /// `0x36 ‖ 0x01 ‖ u32 m ‖ u32 n ‖ m × n × u32 seats`.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::AllocationList, ALLOCATION_LIST_VERSION);
        w.len(self.allocations.len());
        w.len(self.allocations.first().map_or(0, Vec::len));
        for a in &self.allocations {
            for &s in a {
                w.u32(s);
            }
        }
    }
}

impl Decode for AllocationList {
    const NAME: &'static str = "allocation list";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::AllocationList, &[ALLOCATION_LIST_VERSION], Self::NAME)?;
        let m = r.u32("allocations")?;
        let n = r.len(0, "cells")?;
        if n == 0 {
            return Err(Error::InvalidParameter {
                what: "an allocation covers at least one cell",
            });
        }
        let row = n
            .checked_mul(4)
            .ok_or(Error::UnexpectedEnd { what: Self::NAME })?;
        let total = usize::try_from(m)
            .ok()
            .and_then(|m| m.checked_mul(row))
            .ok_or(Error::UnexpectedEnd { what: Self::NAME })?;
        if total > r.remaining() {
            return Err(Error::UnexpectedEnd { what: Self::NAME });
        }
        let mut allocations = Vec::with_capacity(m as usize);
        for _ in 0..m {
            let mut a = Vec::with_capacity(n);
            for _ in 0..n {
                a.push(r.u32("seats")?);
            }
            allocations.push(a);
        }
        AllocationList::new(allocations)
    }
}

/// Extends the partial allocation `x` (the first `x.len()` cells) in every
/// way that places `left` more seats without exceeding a category's max,
/// collecting the feasible completions.
fn enumerate_from(
    p: &CellProblem,
    x: &mut Vec<u32>,
    left: u32,
    limit: usize,
    out: &mut Vec<Allocation>,
) -> Result<()> {
    let Some(cell) = p.cells.get(x.len()) else {
        if left == 0 && p.is_feasible(x) {
            if out.len() >= limit {
                return Err(Error::InvalidParameter {
                    what: "more feasible allocations than the limit",
                });
            }
            out.push(x.clone());
        }
        return Ok(());
    };
    // The most this cell can take: its eligible count, the seats left, and
    // the room under each of its categories' max given the seats so far.
    let mut most = u64::from(left).min(cell.eligible);
    for (f, &v) in cell.categories.iter().enumerate() {
        let max = p
            .quotas
            .get(f)
            .and_then(|q| q.get(usize::from(v)))
            .map_or(0, |b| u64::from(b.max));
        let used: u64 = p
            .cells
            .iter()
            .zip(x.iter())
            .filter(|(c, _)| c.categories.get(f) == Some(&v))
            .map(|(_, &s)| u64::from(s))
            .sum();
        most = most.min(max.saturating_sub(used));
    }
    for s in 0..=most as u32 {
        x.push(s);
        enumerate_from(p, x, left - s, limit, out)?;
        x.pop();
    }
    Ok(())
}
