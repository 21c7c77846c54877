//! Random-weight batch verification (spec/proofs.md §Batch verification).
//!
//! A sigma-protocol verifier checks one or more equations of the form
//! `Σ aᵢ·Pᵢ = 0`. Given many such equations, the verifier draws an
//! independent random 128-bit weight `w` per proof and checks the single
//! combined equation `Σ w·(Σ aᵢ·Pᵢ) = 0` with one vartime multiscalar
//! multiplication. A batch containing an invalid equation passes with
//! probability at most 2⁻¹²⁸ over the choice of weights (an equation with
//! two independent weights per proof, e.g. DLEQ, gets its own weight per
//! equation).
//!
//! Points that recur across the batch (the generator, a joint public key, a
//! beacon's base point) are registered once with [`BatchVerifier::fixed`] and
//! their coefficients summed, so they cost one MSM term for the whole batch.
//!
//! # Example
//!
//! ```
//! use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
//! use curve25519_dalek::ristretto::RistrettoPoint;
//! use curve25519_dalek::scalar::Scalar;
//! use kleroterion::batch::BatchVerifier;
//! use rand_core::OsRng;
//!
//! // Claims X = x·G, checked as the equations x·G − X = 0 in one MSM, G
//! // registered once.
//! let holds = |claims: &[(u64, RistrettoPoint)]| {
//!     let mut batch = BatchVerifier::new();
//!     let g = batch.fixed(G);
//!     for (x, public) in claims {
//!         let w = BatchVerifier::weight(&mut OsRng);
//!         batch.add_fixed(g, w * Scalar::from(*x));
//!         batch.add(-w, *public);
//!     }
//!     batch.verify()
//! };
//! assert!(holds(&[(1, G), (2, G + G), (3, G + G + G)]));
//! assert!(!holds(&[(1, G), (2, G), (3, G + G + G)]));
//! ```

use alloc::vec::Vec;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_core::{CryptoRng, RngCore};

/// Handle to a point registered with [`BatchVerifier::fixed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedPoint(usize);

/// Accumulates weighted verification equations for one multiscalar
/// multiplication.
#[derive(Clone, Debug, Default)]
pub struct BatchVerifier {
    fixed_points: Vec<RistrettoPoint>,
    fixed_scalars: Vec<Scalar>,
    scalars: Vec<Scalar>,
    points: Vec<RistrettoPoint>,
}

impl BatchVerifier {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty batch with room for `terms` variable-point terms.
    pub fn with_capacity(terms: usize) -> Self {
        Self {
            scalars: Vec::with_capacity(terms),
            points: Vec::with_capacity(terms),
            ..Self::default()
        }
    }

    /// Draws a uniformly random 128-bit weight.
    pub fn weight<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
        Scalar::from(Self::weight_bits(rng))
    }

    /// [`weight`](Self::weight) as an integer: 16 bytes of `rng`, little
    /// endian.
    pub(crate) fn weight_bits<R: RngCore + CryptoRng>(rng: &mut R) -> u128 {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        u128::from_le_bytes(bytes)
    }

    /// Registers a point that recurs across the batch; its coefficients are
    /// summed so that it costs a single MSM term.
    pub fn fixed(&mut self, point: RistrettoPoint) -> FixedPoint {
        self.fixed_points.push(point);
        self.fixed_scalars.push(Scalar::ZERO);
        FixedPoint(self.fixed_points.len() - 1)
    }

    /// Adds `scalar · P` where `P` was registered with [`fixed`](Self::fixed).
    pub fn add_fixed(&mut self, handle: FixedPoint, scalar: Scalar) {
        if let Some(s) = self.fixed_scalars.get_mut(handle.0) {
            *s += scalar;
        }
    }

    /// Adds the term `scalar · point`.
    pub fn add(&mut self, scalar: Scalar, point: RistrettoPoint) {
        self.scalars.push(scalar);
        self.points.push(point);
    }

    /// Number of MSM terms the final check will use.
    pub fn len(&self) -> usize {
        self.points.len() + self.fixed_points.len()
    }

    /// Whether no term has been added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Merges another batch into this one (for parallel accumulation).
    /// Fixed points of `other` become variable terms of `self`.
    pub fn append(&mut self, other: BatchVerifier) {
        self.scalars.extend(other.scalars);
        self.points.extend(other.points);
        self.scalars.extend(other.fixed_scalars);
        self.points.extend(other.fixed_points);
    }

    /// Evaluates `Σ sᵢ·Pᵢ` with one vartime multiscalar multiplication and
    /// returns whether it is the identity. An empty batch verifies.
    pub fn verify(self) -> bool {
        let scalars = self.fixed_scalars.iter().chain(self.scalars.iter());
        let points = self.fixed_points.iter().chain(self.points.iter());
        RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn weights_are_128_bit() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for _ in 0..32 {
            let w = BatchVerifier::weight(&mut rng);
            assert!(w.as_bytes()[16..].iter().all(|&b| b == 0));
            assert_ne!(w, Scalar::ZERO);
        }
    }

    #[test]
    fn fixed_and_variable_terms_combine() {
        let mut b = BatchVerifier::new();
        let g = b.fixed(G);
        b.add_fixed(g, Scalar::from(3u64));
        b.add(-Scalar::ONE, G + G + G);
        assert!(b.clone().verify());
        b.add_fixed(g, Scalar::ONE);
        assert!(!b.verify());
    }
}
