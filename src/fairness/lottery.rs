//! The uniform lottery over `m` cell allocations (spec/fairness.md §5).

use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use super::problem::Allocation;
use crate::civic::MAX_SEATS;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::roll::Digest;

/// Domain label of the cell lottery commitment.
pub const LOTTERY_DOMAIN: &[u8] = b"kleroterion/fairness/lottery/v1";

/// `m ≥ 1` cell allocations (repetitions allowed), all of one length; a
/// uniform pick among them realises the fair distribution. Each entry is at
/// most 150 (a panel's size); whether an allocation meets the quotas is
/// check F2, not a property of the type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LotteryRepr"))]
pub struct CellLottery {
    allocations: Vec<Allocation>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct LotteryRepr {
    allocations: Vec<Allocation>,
}

#[cfg(feature = "serde")]
impl TryFrom<LotteryRepr> for CellLottery {
    type Error = Error;
    fn try_from(r: LotteryRepr) -> Result<Self> {
        CellLottery::new(r.allocations)
    }
}

impl CellLottery {
    /// A lottery of 1 to `2^32 − 1` allocations of one common length, each
    /// entry at most 150.
    pub fn new(allocations: Vec<Allocation>) -> Result<Self> {
        let bad = |what| Err(Error::InvalidParameter { what });
        if allocations.is_empty() || u32::try_from(allocations.len()).is_err() {
            return bad("a lottery holds 1 to 2^32 - 1 allocations");
        }
        let n = allocations.first().map_or(0, Vec::len);
        if u32::try_from(n).is_err() || allocations.iter().any(|a| a.len() != n) {
            return bad("every allocation of a lottery has one seat count per cell");
        }
        if allocations.iter().flatten().any(|&s| s > MAX_SEATS) {
            return bad("a cell of an allocation has at most 150 seats");
        }
        Ok(CellLottery { allocations })
    }

    /// The allocations.
    pub fn allocations(&self) -> &[Allocation] {
        &self.allocations
    }

    /// `m`, the number of allocations.
    pub fn len(&self) -> usize {
        self.allocations.len()
    }

    /// Never true: a lottery holds at least one allocation.
    pub fn is_empty(&self) -> bool {
        self.allocations.is_empty()
    }

    /// Seats of cell `c` summed over the `m` allocations.
    pub fn seats_of(&self, c: usize) -> u64 {
        self.allocations
            .iter()
            .map(|a| a.get(c).map_or(0, |&s| u64::from(s)))
            .sum()
    }

    /// `SHA3-256(lp(LOTTERY_DOMAIN) ‖ encode(lottery))`.
    pub fn commitment(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(LOTTERY_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }
}

impl Encode for CellLottery {
    /// `0x38 ‖ 0x01 ‖ u32 m ‖ u32 n ‖ m × n × u32 seats`
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::CellLottery, 1);
        w.len(self.allocations.len());
        w.len(self.allocations.first().map_or(0, Vec::len));
        for s in self.allocations.iter().flatten() {
            w.u32(*s);
        }
    }
}

impl Decode for CellLottery {
    const NAME: &'static str = "cell lottery";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::CellLottery, &[1], Self::NAME)?;
        let m = r.u32(Self::NAME)? as usize;
        let n = r.u32(Self::NAME)? as usize;
        let entries = m.checked_mul(n).ok_or(Error::InvalidParameter {
            what: "a lottery holds 1 to 2^32 - 1 allocations",
        })?;
        if entries.checked_mul(4).map_or(true, |b| b > r.remaining()) {
            return Err(Error::UnexpectedEnd { what: Self::NAME });
        }
        let mut allocations = Vec::with_capacity(m);
        for _ in 0..m {
            let mut a = Vec::with_capacity(n);
            for _ in 0..n {
                a.push(r.u32(Self::NAME)?);
            }
            allocations.push(a);
        }
        CellLottery::new(allocations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn encoding_round_trips_and_commits() {
        let l = CellLottery::new(vec![vec![1, 0, 2], vec![0, 1, 2]]).unwrap();
        let bytes = l.to_bytes();
        assert_eq!(bytes[0], 0x38);
        assert_eq!(bytes.len(), 2 + 4 + 4 + 6 * 4);
        assert_eq!(CellLottery::from_bytes(&bytes).unwrap(), l);
        let other = CellLottery::new(vec![vec![0, 1, 2], vec![1, 0, 2]]).unwrap();
        assert_ne!(l.commitment(), other.commitment());
        assert_eq!(l.seats_of(2), 4);
    }

    #[test]
    fn malformed_lotteries_are_rejected() {
        assert!(CellLottery::new(vec![]).is_err());
        assert!(CellLottery::new(vec![vec![1], vec![1, 0]]).is_err());
        assert!(CellLottery::new(vec![vec![151]]).is_err());
        let mut bytes = CellLottery::new(vec![vec![1, 2]]).unwrap().to_bytes();
        bytes.truncate(bytes.len() - 1);
        assert!(CellLottery::from_bytes(&bytes).is_err());
        // A huge announced size is refused before any allocation.
        let mut w = Writer::new();
        w.header(Tag::CellLottery, 1);
        w.u32(u32::MAX);
        w.u32(u32::MAX);
        assert!(CellLottery::from_bytes(&w.into_bytes()).is_err());
    }
}
