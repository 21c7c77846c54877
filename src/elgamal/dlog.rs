//! Bounded discrete logarithms by baby-step giant-step (spec/elgamal.md §5).
//!
//! Decryption of exponential ElGamal yields `M = m·G`; a tally needs `m`.
//! For `0 ≤ m < bound`, write `m = i·s + j` with `s` baby steps
//! (`0 ≤ j < s`) and `i < ⌈bound / s⌉` giant steps. The table stores every
//! baby step `j·G`; the search walks `M, M − s·G, M − 2s·G, …` until a point
//! is in the table. Table size and worst-case search are both `≈ √bound` by
//! default ([`DlogTable::new`]): 31 623 entries (247 KiB) for `bound = 10⁹`.
//!
//! Points are keyed by their canonical encoding. Ristretto encoding needs an
//! inverse square root per point, but the encodings of the *doubles* `2·P`
//! of a batch of points cost one shared field inversion
//! ([`RistrettoPoint::double_and_compress_batch`]); since the group has prime
//! order, `2·P = 2·Q ⇔ P = Q`, so both the table and the search key points by
//! the encoding of their double. Each table entry is one `u64`: the first 8
//! bytes of that encoding (little-endian) with the low `k` bits replaced by
//! the baby-step index `j < 2ᵏ`; entries are sorted and searched by binary
//! search on the prefix (no hash map, so it works in `no_std`). A prefix match
//! is confirmed by recomputing `j·G`, so truncation never gives a wrong
//! answer.
//!
//! This search is **not constant-time**: its running time reveals `m`. That
//! is intended, because it is applied to public results (decrypted tallies).

use alloc::vec::Vec;
use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

use crate::error::{Error, Result};

/// Largest number of baby steps (table entries) accepted: 2²⁴ entries,
/// 128 MiB. The default for any bound up to 2⁴⁸ stays below it.
pub const MAX_BABY_STEPS: u64 = 1 << 24;

/// Points per batched double-and-compress (one field inversion each).
const BATCH: usize = 256;

/// Size of the first giant-step batch of a search; batches then double up to
/// [`BATCH`], so small logarithms (the common case) cost few steps while long
/// searches still amortise the inversion.
const FIRST_BATCH: usize = 8;

/// A reusable baby-step giant-step table for discrete logs below a bound.
///
/// Build it once per bound (e.g. the number of voters times the largest
/// per-ballot value, plus one) and reuse it for every total of a tally.
#[derive(Clone)]
pub struct DlogTable {
    bound: u64,
    baby_steps: u64,
    /// Mask of the low bits that hold the baby-step index.
    index_mask: u64,
    /// Sorted `prefix | j` entries.
    entries: Vec<u64>,
    /// `s·G`, the giant step.
    giant_step: RistrettoPoint,
}

impl fmt::Debug for DlogTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DlogTable")
            .field("bound", &self.bound)
            .field("baby_steps", &self.baby_steps)
            .finish_non_exhaustive()
    }
}

/// The 64-bit little-endian prefix of an encoding.
fn prefix(c: &CompressedRistretto) -> u64 {
    let [b0, b1, b2, b3, b4, b5, b6, b7, ..] = c.to_bytes();
    u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7])
}

/// `⌈√n⌉` for `n ≥ 1`, by binary search (no floating point in `no_std`).
fn ceil_sqrt(n: u64) -> u64 {
    // Smallest s with s² ≥ n; s ≤ 2³² since (2³²)² > u64::MAX ≥ n.
    let (mut lo, mut hi) = (1u64, 1u64 << 32);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if mid.checked_mul(mid).is_some_and(|sq| sq >= n) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

impl DlogTable {
    /// A table for `0 ≤ m < bound` with `⌈√bound⌉` baby steps (capped at
    /// [`MAX_BABY_STEPS`]), balancing build time and worst-case search.
    /// Fails with [`Error::InvalidParameter`] if `bound` is 0.
    pub fn new(bound: u64) -> Result<Self> {
        if bound == 0 {
            return Err(Error::InvalidParameter {
                what: "discrete-log bound must be at least 1",
            });
        }
        Self::with_baby_steps(bound, ceil_sqrt(bound).min(MAX_BABY_STEPS))
    }

    /// A table for `0 ≤ m < bound` with exactly `baby_steps` entries. More
    /// baby steps make each search faster at the cost of memory (8 bytes per
    /// entry) and build time: useful when one table serves many searches.
    ///
    /// Fails with [`Error::InvalidParameter`] unless
    /// `1 ≤ baby_steps ≤ min(bound, MAX_BABY_STEPS)`.
    pub fn with_baby_steps(bound: u64, baby_steps: u64) -> Result<Self> {
        if bound == 0 {
            return Err(Error::InvalidParameter {
                what: "discrete-log bound must be at least 1",
            });
        }
        if baby_steps == 0 || baby_steps > bound || baby_steps > MAX_BABY_STEPS {
            return Err(Error::InvalidParameter {
                what: "baby steps must be in 1..=min(bound, 2^24)",
            });
        }
        // Bits needed for indices 0..baby_steps (baby_steps ≤ 2²⁴).
        let index_bits = u64::BITS - (baby_steps - 1).leading_zeros();
        let index_mask = (1u64 << index_bits) - 1;

        let count = usize::try_from(baby_steps).map_err(|_| Error::InvalidParameter {
            what: "baby steps exceed the address space",
        })?;
        let mut entries = Vec::with_capacity(count);
        let mut batch = Vec::with_capacity(BATCH);
        let mut point = RistrettoPoint::identity();
        let mut next_index = 0u64;
        while next_index < baby_steps {
            batch.clear();
            let first = next_index;
            while batch.len() < BATCH && next_index < baby_steps {
                batch.push(point);
                point += RISTRETTO_BASEPOINT_POINT;
                next_index += 1;
            }
            let encodings = RistrettoPoint::double_and_compress_batch(&batch);
            entries.extend(
                encodings
                    .iter()
                    .zip(first..)
                    .map(|(c, j)| (prefix(c) & !index_mask) | j),
            );
        }
        entries.sort_unstable();

        Ok(DlogTable {
            bound,
            baby_steps,
            index_mask,
            entries,
            giant_step: point,
        })
    }

    /// The exclusive upper bound of the logarithms this table finds.
    pub fn bound(&self) -> u64 {
        self.bound
    }

    /// The number of baby steps (table entries).
    pub fn baby_steps(&self) -> u64 {
        self.baby_steps
    }

    /// Heap memory of the table in bytes (8 per entry).
    pub fn memory_bytes(&self) -> usize {
        self.entries
            .len()
            .saturating_mul(core::mem::size_of::<u64>())
    }

    /// The baby-step index `j` with `j·G = P`, given `key`, the encoding of
    /// `2·P`, or `None` if no baby step matches.
    fn lookup(&self, key: &CompressedRistretto, point: &RistrettoPoint) -> Option<u64> {
        let wanted = prefix(key) & !self.index_mask;
        let start = self
            .entries
            .partition_point(|e| (e & !self.index_mask) < wanted);
        self.entries
            .get(start..)?
            .iter()
            .take_while(|e| (*e & !self.index_mask) == wanted)
            .map(|e| e & self.index_mask)
            .find(|&j| RistrettoPoint::mul_base(&Scalar::from(j)) == *point)
    }

    /// Finds `m` with `m·G = point` and `0 ≤ m < bound` (spec/elgamal.md §5),
    /// or fails with [`Error::DiscreteLogNotFound`]. Variable-time.
    pub fn solve(&self, point: &RistrettoPoint) -> Result<u64> {
        let not_found = Error::DiscreteLogNotFound { bound: self.bound };
        // Giant steps i = 0, 1, … while i·s < bound.
        let mut current = *point;
        let mut base = 0u64; // i·s of the first point of the batch
        let mut batch = Vec::with_capacity(BATCH);
        let mut batch_len = FIRST_BATCH;
        while base < self.bound {
            batch.clear();
            let mut next = base;
            while batch.len() < batch_len && next < self.bound {
                batch.push(current);
                current -= self.giant_step;
                next = next.saturating_add(self.baby_steps);
            }
            let keys = RistrettoPoint::double_and_compress_batch(&batch);
            let mut offset = base;
            for (key, p) in keys.iter().zip(&batch) {
                if let Some(j) = self.lookup(key, p) {
                    // m = i·s + j; the last giant step may overshoot the bound.
                    return match offset.checked_add(j) {
                        Some(m) if m < self.bound => Ok(m),
                        _ => Err(not_found),
                    };
                }
                offset = offset.saturating_add(self.baby_steps);
            }
            base = next;
            batch_len = (batch_len * 2).min(BATCH);
        }
        Err(not_found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{RngCore, SeedableRng};

    fn mul_base_u64(m: u64) -> RistrettoPoint {
        RistrettoPoint::mul_base(&Scalar::from(m))
    }

    #[test]
    fn ceil_sqrt_is_exact() {
        for n in 1..2000u64 {
            let s = ceil_sqrt(n);
            assert!(s * s >= n && (s - 1) * (s - 1) < n, "n = {n}");
        }
        assert_eq!(ceil_sqrt(u64::MAX), 1 << 32);
        assert_eq!(ceil_sqrt(1_000_000_000), 31_623);
    }

    #[test]
    fn small_bound_exhaustive() {
        let table = DlogTable::new(150).unwrap();
        assert_eq!(table.baby_steps(), 13);
        for m in 0..150 {
            assert_eq!(table.solve(&mul_base_u64(m)), Ok(m));
        }
        for m in [150, 151, 168, 169, 1000] {
            assert_eq!(
                table.solve(&mul_base_u64(m)),
                Err(Error::DiscreteLogNotFound { bound: 150 })
            );
        }
    }

    #[test]
    fn edges_for_many_shapes() {
        for (bound, s) in [
            (1, 1),
            (2, 1),
            (2, 2),
            (7, 3),
            (64, 8),
            (65, 8),
            (1000, 1000),
            (1001, 7),
        ] {
            let table = DlogTable::with_baby_steps(bound, s).unwrap();
            for m in [0, bound / 2, bound - 1] {
                assert_eq!(table.solve(&mul_base_u64(m)), Ok(m), "bound {bound}, s {s}");
            }
            assert_eq!(
                table.solve(&mul_base_u64(bound)),
                Err(Error::DiscreteLogNotFound { bound })
            );
            // −1·G has a huge logarithm.
            assert!(table.solve(&-RISTRETTO_BASEPOINT_POINT).is_err());
        }
    }

    #[test]
    fn parameters_are_checked() {
        let bad = |r: Result<DlogTable>| matches!(r, Err(Error::InvalidParameter { .. }));
        assert!(bad(DlogTable::new(0)));
        assert!(bad(DlogTable::with_baby_steps(0, 1)));
        assert!(bad(DlogTable::with_baby_steps(10, 0)));
        assert!(bad(DlogTable::with_baby_steps(10, 11)));
        assert!(bad(DlogTable::with_baby_steps(
            u64::MAX,
            MAX_BABY_STEPS + 1
        )));
    }

    /// A table for `bound` has `steps` baby steps of 8 bytes, solves `samples`
    /// random values and the edges, and rejects `bound` itself.
    fn check_random_values(bound: u64, steps: u64, samples: usize, seed: u64) {
        let table = DlogTable::new(bound).unwrap();
        assert_eq!(table.baby_steps(), steps);
        assert_eq!(table.memory_bytes() as u64, steps * 8);
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for m in (0..samples)
            .map(|_| rng.next_u64() % bound)
            .chain([0, 1, bound - 1])
        {
            assert_eq!(table.solve(&mul_base_u64(m)), Ok(m));
        }
        assert_eq!(
            table.solve(&mul_base_u64(bound)),
            Err(Error::DiscreteLogNotFound { bound })
        );
    }

    #[test]
    fn random_values_bound_1e6() {
        check_random_values(1_000_000, 1000, 20, 6);
    }

    #[test]
    fn random_values_bound_1e9() {
        check_random_values(1_000_000_000, 31_623, 3, 9);
    }

    #[test]
    fn identity_representatives_solve_to_zero() {
        // A decrypted 0 is an identity coset element that need not be the
        // canonical representative (x, y) = (0, 1).
        let table = DlogTable::new(100).unwrap();
        let g = RISTRETTO_BASEPOINT_POINT;
        let s = Scalar::from(123_456_789u64);
        assert_eq!(table.solve(&(s * g - s * g)), Ok(0));
        assert_eq!(table.solve(&(g - g)), Ok(0));
        let decoded = crate::encoding::decode_point(&[0; 32]).unwrap();
        assert_eq!(table.solve(&decoded), Ok(0));
        assert_eq!(table.solve(&-decoded), Ok(0));
        // 10·G with 10 baby steps: giant step 1 is the identity, in the same
        // batch as the non-identity points around it (batch inversion skips
        // zeros without disturbing the others).
        assert_eq!(table.baby_steps(), 10);
        assert_eq!(table.solve(&(decoded + Scalar::from(10u64) * g)), Ok(10));
    }
}
