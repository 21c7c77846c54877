//! Announcements registered with a beacon round (spec/beacon.md §2.7): the
//! verifiable "published before" of a draw.
//!
//! A draw is fair only if its announcement (roll, quotas, exclusions,
//! reserve, the named round) was fixed before the output of the round that
//! seeds it existed. A timestamp in the record proves nothing; instead the
//! organiser *registers* the announcement's hash with the beacon, and the
//! trustees put the set of hashes registered for round `c` into that
//! round's input `x_c` (spec/beacon.md §2.2). Round `c`'s output therefore
//! could not be computed before those hashes were fixed, and a draw may
//! only name a round `r > c`: the announcement then provably predates the
//! output that seeds it, in the same way as NIST Beacon 2.0's
//! precommitment value.

use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use crate::encoding::{Decode, Encode, Reader, Writer};
use crate::error::{Error, Result};
use crate::roll::Digest;

/// Domain of [`Registrations::digest`].
pub const REGISTRATIONS_DOMAIN: &[u8] = b"kleroterion/v2/beacon-registrations";

/// Most announcement hashes one round may carry: a documented bound on the
/// work a round's input costs (32 bytes each, 128 KiB in all).
pub const MAX_REGISTRATIONS: usize = 4096;

/// The announcement hashes registered with one beacon round, strictly
/// ascending (canonical: a set has exactly one encoding).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Registrations(Vec<Digest>);

impl Registrations {
    /// No registrations: most rounds.
    pub fn none() -> Self {
        Self::default()
    }

    /// The set of `hashes` in any order; rejects duplicates and more than
    /// [`MAX_REGISTRATIONS`].
    pub fn new(mut hashes: Vec<Digest>) -> Result<Self> {
        hashes.sort_unstable();
        Self::from_sorted(hashes)
    }

    fn from_sorted(hashes: Vec<Digest>) -> Result<Self> {
        if hashes.len() > MAX_REGISTRATIONS {
            return Err(Error::InvalidParameter {
                what: "a beacon round registers at most 4096 announcements",
            });
        }
        let ascending = hashes.windows(2).all(|w| match w {
            [a, b] => a < b,
            _ => true,
        });
        if !ascending {
            return Err(Error::InvalidParameter {
                what: "registered announcement hashes must be strictly ascending",
            });
        }
        Ok(Registrations(hashes))
    }

    /// The registered hashes, ascending.
    pub fn hashes(&self) -> &[Digest] {
        &self.0
    }

    /// Whether `hash` is registered.
    pub fn contains(&self, hash: &Digest) -> bool {
        self.0.binary_search(hash).is_ok()
    }

    /// `SHA3-256(REGISTRATIONS_DOMAIN ‖ LE32(count) ‖ hashes)`: the value
    /// the round input commits to.
    pub fn digest(&self) -> Digest {
        let mut h = Sha3_256::new();
        h.update(REGISTRATIONS_DOMAIN);
        // At most MAX_REGISTRATIONS, so the count fits in a u32.
        h.update((self.0.len() as u32).to_le_bytes());
        for d in &self.0 {
            h.update(d.0);
        }
        Digest(h.finalize().into())
    }
}

impl Encode for Registrations {
    /// `LE32(count) ‖ count × 32 bytes`, strictly ascending.
    fn encode(&self, w: &mut Writer) {
        w.len(self.0.len());
        for d in &self.0 {
            d.encode(w);
        }
    }
}

impl Decode for Registrations {
    const NAME: &'static str = "registrations";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        let n = r.len(32, "registered announcements")?;
        let hashes = (0..n)
            .map(|_| Digest::decode(r))
            .collect::<Result<Vec<_>>>()?;
        Self::from_sorted(hashes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_set() {
        let (a, b) = (Digest([1; 32]), Digest([2; 32]));
        let set = Registrations::new(alloc::vec![b, a]).unwrap();
        assert_eq!(set.hashes(), &[a, b]);
        assert!(set.contains(&a) && !set.contains(&Digest([3; 32])));
        assert!(Registrations::new(alloc::vec![a, a]).is_err());
        let bytes = set.to_bytes();
        assert_eq!(Registrations::from_bytes(&bytes).unwrap(), set);
        // Descending on the wire is not canonical.
        let mut w = Writer::new();
        w.len(2);
        w.raw(&b.0);
        w.raw(&a.0);
        assert!(Registrations::from_bytes(&w.into_bytes()).is_err());
        assert_ne!(set.digest(), Registrations::none().digest());
        let too_many = (0..=MAX_REGISTRATIONS as u32)
            .map(|i| {
                let mut d = [0u8; 32];
                d[..4].copy_from_slice(&i.to_be_bytes());
                Digest(d)
            })
            .collect();
        assert!(Registrations::new(too_many).is_err());
    }
}
