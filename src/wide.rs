//! Unreduced sums of scalar products (spec/proofs.md §6.1).
//!
//! A batch verifier multiplies public coefficients by public random weights
//! and sums them per multiscalar term. A `Scalar` product costs two
//! Montgomery multiplications and a reduction; here a product is a plain
//! schoolbook product of 64-bit limbs added to a 512-bit accumulator, and a
//! term pays one wide reduction when its coefficient is finally needed.
//! Only public values (coefficients, challenges, batch weights) pass
//! through this module: it is variable-time.

use curve25519_dalek::scalar::Scalar;

/// A non-negative integer below `2^512`, in little-endian 64-bit limbs: a
/// sum of products of scalars and weights, reduced modulo `ℓ` on demand.
///
/// Bounds: a product of a 128-bit weight and a canonical scalar is below
/// `2^381`, so `2^131` of them fit; a product of two canonical scalars is
/// below `ℓ² < 2^505`, so [`WIDE_PRODUCTS`] of them fit. Callers stay within
/// these bounds; a carry out of the top limb is dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WideSum([u64; 8]);

/// Products of two canonical scalars that a [`WideSum`] can hold.
pub(crate) const WIDE_PRODUCTS: usize = 64;

impl WideSum {
    /// Zero.
    pub(crate) const ZERO: Self = Self([0; 8]);

    /// `self += w·a` for a weight `w < 2^128`.
    pub(crate) fn add_weighted(&mut self, w: u128, a: &Scalar) {
        mul_add(&mut self.0, &[w as u64, (w >> 64) as u64], &limbs(a));
    }

    /// `self += a·b` for scalars given as [`limbs`] (see the bounds above).
    pub(crate) fn add_product(&mut self, a: &[u64; 4], b: &[u64; 4]) {
        mul_add(&mut self.0, a, b);
    }

    /// `self += other`.
    pub(crate) fn add(&mut self, other: &WideSum) {
        let mut carry = 0u128;
        for (slot, limb) in self.0.iter_mut().zip(other.0) {
            let t = u128::from(*slot) + u128::from(limb) + carry;
            *slot = t as u64;
            carry = t >> 64;
        }
    }

    /// The sum modulo `ℓ`.
    pub(crate) fn reduce(&self) -> Scalar {
        let mut bytes = [0u8; 64];
        for (out, limb) in bytes.chunks_exact_mut(8).zip(self.0) {
            out.copy_from_slice(&limb.to_le_bytes());
        }
        Scalar::from_bytes_mod_order_wide(&bytes)
    }

    /// Minus the sum modulo `ℓ`: `(M − S) mod ℓ` for the multiple
    /// `M = ℓ·2^200 ≈ 2^452` of `ℓ`, one subtraction instead of a
    /// scalar negation, for every sum of fewer than `2^71` weighted products
    /// (larger sums are negated after reduction).
    pub(crate) fn reduce_negated(&self) -> Scalar {
        let mut difference = [0u64; 8];
        let mut borrow = false;
        for ((out, m), s) in difference.iter_mut().zip(ELL_TIMES_2_200).zip(self.0) {
            let (d, b1) = m.overflowing_sub(s);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *out = d;
            borrow = b1 || b2;
        }
        if borrow {
            -self.reduce()
        } else {
            WideSum(difference).reduce()
        }
    }
}

/// `ℓ·2^200` in little-endian 64-bit limbs.
const ELL_TIMES_2_200: [u64; 8] = [
    0,
    0,
    0,
    0x1263_1a5c_f5d3_ed00,
    0xdef9_dea2_f79c_d658,
    0x14,
    0,
    0x10,
];

/// The little-endian 64-bit limbs of a scalar's canonical encoding.
pub(crate) fn limbs(s: &Scalar) -> [u64; 4] {
    let mut out = [0u64; 4];
    for (limb, bytes) in out.iter_mut().zip(s.as_bytes().chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        *limb = u64::from_le_bytes(b);
    }
    out
}

/// `acc += a·b` (schoolbook); a carry out of the top limb is dropped.
fn mul_add(acc: &mut [u64; 8], a: &[u64], b: &[u64; 4]) {
    for (i, ai) in a.iter().enumerate() {
        if *ai == 0 {
            continue;
        }
        let mut carry = 0u128;
        for (slot, bj) in acc.iter_mut().skip(i).zip(b) {
            // ≤ (2^64 − 1)² + 2·(2^64 − 1) = 2^128 − 1: no overflow.
            let t = u128::from(*ai) * u128::from(*bj) + u128::from(*slot) + carry;
            *slot = t as u64;
            carry = t >> 64;
        }
        for slot in acc.iter_mut().skip(i + 4) {
            if carry == 0 {
                break;
            }
            let t = u128::from(*slot) + carry;
            *slot = t as u64;
            carry = t >> 64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{RngCore, SeedableRng};

    /// The unreduced sums agree with scalar arithmetic, up to the bound of
    /// `WIDE_PRODUCTS` products of the largest scalar `ℓ − 1`.
    #[test]
    fn products_reduce_to_scalar_sums() {
        let mut rng = ChaCha20Rng::seed_from_u64(43);
        let wide_sum = |pairs: &[(Scalar, Scalar)]| {
            let mut acc = WideSum::ZERO;
            for (a, b) in pairs {
                acc.add_product(&limbs(a), &limbs(b));
            }
            acc.reduce()
        };
        let max = -Scalar::ONE;
        let extreme = vec![(max, max); WIDE_PRODUCTS];
        assert_eq!(wide_sum(&extreme), Scalar::from(WIDE_PRODUCTS as u64));
        for len in [0, 1, 2, 17, WIDE_PRODUCTS] {
            let pairs: Vec<(Scalar, Scalar)> = (0..len)
                .map(|_| (Scalar::random(&mut rng), Scalar::random(&mut rng)))
                .collect();
            let expected: Scalar = pairs.iter().map(|(a, b)| a * b).sum();
            assert_eq!(wide_sum(&pairs), expected);
        }
    }

    /// Weighted products and sums of accumulators agree with scalar
    /// arithmetic, including the largest weight and scalar.
    #[test]
    fn weighted_sums_and_merges() {
        let mut rng = ChaCha20Rng::seed_from_u64(44);
        let mut acc = WideSum::ZERO;
        let mut other = WideSum::ZERO;
        let mut expected = Scalar::ZERO;
        let mut pairs: Vec<(u128, Scalar)> = vec![(u128::MAX, -Scalar::ONE), (0, Scalar::ONE)];
        pairs.extend((0..40).map(|_| {
            let w = u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64());
            (w, Scalar::random(&mut rng))
        }));
        for (i, (w, a)) in pairs.iter().enumerate() {
            expected += Scalar::from(*w) * a;
            if i % 2 == 0 {
                acc.add_weighted(*w, a);
            } else {
                other.add_weighted(*w, a);
            }
        }
        acc.add(&other);
        assert_eq!(acc.reduce(), expected);
        assert_eq!(acc.reduce_negated(), -expected);
    }

    /// `ELL_TIMES_2_200` is `ℓ·2^200`, and negation holds on both sides of
    /// the bound: below it by subtraction, above it by negation.
    #[test]
    fn negated_reduction_on_both_sides_of_the_bound() {
        let m = WideSum(ELL_TIMES_2_200);
        assert_eq!(m.reduce(), Scalar::ZERO);
        let mut expected = WideSum::ZERO;
        expected.add_product(&limbs(&-Scalar::ONE), &[0, 0, 0, 1 << 8]);
        expected.add_product(&[0, 0, 0, 1 << 8], &[1, 0, 0, 0]);
        // (ℓ − 1)·2^200 + 2^200 = ℓ·2^200.
        assert_eq!(expected, m);
        for sum in [
            WideSum::ZERO,
            m,
            WideSum([u64::MAX; 8]),
            WideSum([1, 2, 3, 4, 5, 6, 7, 8]),
        ] {
            assert_eq!(sum.reduce_negated(), -sum.reduce());
        }
        let mut just_above = m;
        just_above.add(&WideSum([1, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(just_above.reduce_negated(), -Scalar::ONE);
    }
}
