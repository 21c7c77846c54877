//! Participant indices, secret polynomials, Feldman commitments, shares and
//! Lagrange interpolation (spec/trustees.md §2–§3).
//!
//! Nothing here is specific to ElGamal: the same [`SecretShare`],
//! [`VerificationShare`] and [`lagrange_coefficients_at`] serve threshold
//! decryption (`Dⱼ = sⱼ·α`) and the threshold beacon (`σⱼ = sⱼ·H(x)`).
//!
//! # Example
//!
//! ```
//! use curve25519_dalek::ristretto::RistrettoPoint;
//! use kleroterion::trustees::shares::{lagrange_coefficients, ParticipantIndex, SecretPolynomial};
//! use rand_core::OsRng;
//!
//! // A 3-of-5 sharing: shares checked against the public Feldman commitments.
//! let poly = SecretPolynomial::random(3, &mut OsRng)?;
//! let commitment = poly.commit();
//! let shares: Vec<_> = ParticipantIndex::range(5).map(|j| poly.evaluate(j)).collect();
//! for share in &shares {
//!     commitment.verify_share(share)?;
//! }
//! // Any three interpolate (in the exponent) to the committed secret a₀·G.
//! let any_three = [&shares[0], &shares[2], &shares[4]];
//! let lambdas = lagrange_coefficients(&any_three.map(|s| s.index()))?;
//! let secret: RistrettoPoint = lambdas.iter().zip(any_three).map(|(l, s)| l * s.public()).sum();
//! assert_eq!(Some(&secret), commitment.constant().map(|c| c.point()));
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::vec::Vec;
use core::fmt;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::EncodedPoint;

/// Largest number of participants `n` a key generation supports. The DKG
/// costs `O(n²)` messages, and assemblies need far fewer trustees.
pub const MAX_PARTICIPANTS: u16 = 1024;

/// A participant's index `x ∈ 1..=n`: the point at which its share of the
/// secret polynomial is evaluated. Never zero (the secret is `f(0)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParticipantIndex(u16);

impl ParticipantIndex {
    /// The index `x`; zero is rejected because `f(0)` is the shared secret.
    pub fn new(x: u16) -> Result<Self> {
        if x == 0 {
            return Err(Error::InvalidParameter {
                what: "participant index must be nonzero",
            });
        }
        Ok(ParticipantIndex(x))
    }

    /// The index as an integer.
    pub fn get(self) -> u16 {
        self.0
    }

    /// The index as a scalar, the evaluation point of the share.
    pub fn scalar(self) -> Scalar {
        Scalar::from(u64::from(self.0))
    }

    /// All indices `1..=n` in increasing order.
    pub fn range(n: u16) -> impl Iterator<Item = ParticipantIndex> + Clone {
        (1..=n).map(ParticipantIndex)
    }

    /// Writes the index as a little-endian `u16` (spec/trustees.md §6).
    pub(crate) fn encode(self, w: &mut Writer) {
        w.raw(&self.0.to_le_bytes());
    }

    /// Reads a little-endian `u16` index and rejects zero.
    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Self::new(u16::from_le_bytes(r.array("participant index")?))
    }
}

impl fmt::Display for ParticipantIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<ParticipantIndex> for u32 {
    fn from(i: ParticipantIndex) -> u32 {
        u32::from(i.0)
    }
}

/// A secret polynomial `f(x) = a₀ + a₁x + … + a_{t−1}x^{t−1}` over ℤ_ℓ
/// (spec/trustees.md §3). Its coefficients are wiped on drop and never
/// printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretPolynomial {
    /// `a₀`.
    constant: Scalar,
    /// `a₁, …, a_{t−1}`.
    higher: Vec<Scalar>,
}

impl SecretPolynomial {
    /// A uniformly random polynomial of degree `threshold − 1`, so that any
    /// `threshold` evaluations determine it and fewer reveal nothing of `a₀`.
    pub fn random<R: RngCore + CryptoRng>(threshold: u16, rng: &mut R) -> Result<Self> {
        if threshold == 0 {
            return Err(Error::InvalidParameter {
                what: "threshold must be at least 1",
            });
        }
        let constant = Scalar::random(rng);
        let higher = (1..threshold).map(|_| Scalar::random(rng)).collect();
        Ok(SecretPolynomial { constant, higher })
    }

    /// The constant term `a₀ = f(0)`, this polynomial's secret.
    pub(crate) fn constant(&self) -> &Scalar {
        &self.constant
    }

    fn coefficients(&self) -> impl DoubleEndedIterator<Item = &Scalar> {
        core::iter::once(&self.constant).chain(self.higher.iter())
    }

    /// The share `f(x)` for participant `x`, by Horner's rule (constant time
    /// in the coefficients).
    pub fn evaluate(&self, index: ParticipantIndex) -> SecretShare {
        let x = index.scalar();
        let mut acc = Scalar::ZERO;
        for a in self.coefficients().rev() {
            acc = acc * x + a;
        }
        SecretShare::new(index, acc)
    }

    /// Feldman commitments `Cₖ = aₖ·G` to every coefficient.
    pub fn commit(&self) -> PolynomialCommitment {
        PolynomialCommitment(
            self.coefficients()
                .map(|a| EncodedPoint::new(a * RISTRETTO_BASEPOINT_TABLE))
                .collect(),
        )
    }
}

impl fmt::Debug for SecretPolynomial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretPolynomial")
            .field("degree", &self.higher.len())
            .field("coefficients", &"<redacted>")
            .finish()
    }
}

/// Feldman commitments `(C₀, …, C_{t−1})`, `Cₖ = aₖ·G`, to a secret
/// polynomial (spec/trustees.md §3). Anyone can compute `f(x)·G` from them.
/// Each commitment keeps its canonical encoding, which transcripts hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolynomialCommitment(pub(crate) Vec<EncodedPoint>);

impl PolynomialCommitment {
    /// The commitments `C₀, …, C_{t−1}`.
    pub fn coefficients(&self) -> &[EncodedPoint] {
        &self.0
    }

    /// `C₀ = a₀·G`, the commitment to the secret.
    pub fn constant(&self) -> Option<&EncodedPoint> {
        self.0.first()
    }

    /// `f(x)·G = Σₖ xᵏ·Cₖ` (public data, variable time).
    pub fn evaluate(&self, index: ParticipantIndex) -> RistrettoPoint {
        evaluate_in_exponent(self.0.iter().map(EncodedPoint::point), index)
    }

    /// Checks a share against the commitments: `share·G = f(x)·G`.
    pub fn verify_share(&self, share: &SecretShare) -> Result<()> {
        if share.public() == self.evaluate(share.index) {
            Ok(())
        } else {
            Err(Error::VerificationFailed {
                proof: "Feldman share",
            })
        }
    }
}

/// `Σₖ xᵏ·Cₖ` for points `C₀, C₁, …`, by Horner's rule with multiplications
/// by the small index `x`: about `t·(log₂x + 1)` group operations instead of
/// a `t`-term multiscalar multiplication (public data, variable time).
pub(crate) fn evaluate_in_exponent<'a>(
    coefficients: impl DoubleEndedIterator<Item = &'a RistrettoPoint>,
    index: ParticipantIndex,
) -> RistrettoPoint {
    coefficients
        .rev()
        .fold(RistrettoPoint::identity(), |acc, c| {
            mul_small(&acc, index.get()) + c
        })
}

/// `k·P` for a small public `k` by double-and-add (variable time).
fn mul_small(p: &RistrettoPoint, k: u16) -> RistrettoPoint {
    let mut acc = RistrettoPoint::identity();
    for bit in (0..u16::BITS - k.leading_zeros()).rev() {
        acc = acc + acc;
        if (k >> bit) & 1 == 1 {
            acc += p;
        }
    }
    acc
}

/// A participant's secret share `sⱼ = f(j)` of a shared secret `f(0)`
/// (spec/trustees.md §2). Wiped on drop; its `Debug` output is redacted; it
/// has no serde implementation so that it cannot leak into a public record.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretShare {
    #[zeroize(skip)]
    index: ParticipantIndex,
    value: Scalar,
}

impl SecretShare {
    pub(crate) fn new(index: ParticipantIndex, value: Scalar) -> Self {
        SecretShare { index, value }
    }

    /// The participant holding this share.
    pub fn index(&self) -> ParticipantIndex {
        self.index
    }

    /// The secret value (crate-internal: used only inside proofs).
    pub(crate) fn value(&self) -> &Scalar {
        &self.value
    }

    /// The public verification share `Yⱼ = sⱼ·G`.
    pub fn public(&self) -> RistrettoPoint {
        &self.value * RISTRETTO_BASEPOINT_TABLE
    }

    /// `sⱼ·base`, this share applied to a point (`α` for decryption, `H(x)`
    /// for the beacon). Constant time in the share.
    pub fn apply(&self, base: &RistrettoPoint) -> RistrettoPoint {
        self.value * base
    }

    /// Secret storage encoding `0x48 ‖ 0x01 ‖ index u16 ‖ sⱼ` for the
    /// trustee's own safekeeping; the buffer is wiped on drop.
    pub fn to_secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::new();
        w.header(Tag::SecretShare, 1);
        self.index.encode(&mut w);
        w.scalar(&self.value);
        Zeroizing::new(w.into_bytes())
    }

    /// Decodes [`to_secret_bytes`](Self::to_secret_bytes).
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        r.header(Tag::SecretShare, &[1], "SecretShare")?;
        let index = ParticipantIndex::decode(&mut r)?;
        let value = r.scalar()?;
        r.finish("SecretShare")?;
        Ok(SecretShare { index, value })
    }
}

impl fmt::Debug for SecretShare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretShare")
            .field("index", &self.index)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// A participant's public verification share `Yⱼ = sⱼ·G`
/// (spec/trustees.md §2), against which its DLEQ proofs are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerificationShare {
    /// The participant `j`.
    pub index: ParticipantIndex,
    /// `Yⱼ = sⱼ·G`.
    pub point: RistrettoPoint,
}

/// Lagrange coefficients `λᵢ(x) = Πⱼ≠ᵢ (x − xⱼ)/(xᵢ − xⱼ)` for the given
/// distinct indices, in the order given (spec/trustees.md §2.2). With
/// `x = 0` they recombine shares into the secret:
/// `f(0) = Σ λᵢ(0)·f(xᵢ)`. Works on shares and on share points alike.
///
/// Errors: [`Error::DuplicateIndex`] for a repeated index and
/// [`Error::BelowThreshold`] for an empty set. Checking membership and the
/// threshold is the caller's job ([`crate::trustees::TrusteeSet`] does it).
pub fn lagrange_coefficients_at(x: &Scalar, indices: &[ParticipantIndex]) -> Result<Vec<Scalar>> {
    check_interpolation_set(indices)?;
    let mut numerators = Vec::with_capacity(indices.len());
    let mut denominators = Vec::with_capacity(indices.len());
    for i in indices {
        let xi = i.scalar();
        let mut num = Scalar::ONE;
        let mut den = Scalar::ONE;
        for j in indices.iter().filter(|j| *j != i) {
            let xj = j.scalar();
            num *= x - xj;
            den *= xi - xj;
        }
        numerators.push(num);
        denominators.push(den);
    }
    // Distinct nonzero indices below ℓ give nonzero denominators.
    Scalar::batch_invert(&mut denominators);
    Ok(numerators
        .iter()
        .zip(denominators.iter())
        .map(|(n, d)| n * d)
        .collect())
}

/// Lagrange coefficients at `x = 0`; see [`lagrange_coefficients_at`].
pub fn lagrange_coefficients(indices: &[ParticipantIndex]) -> Result<Vec<Scalar>> {
    lagrange_coefficients_at(&Scalar::ZERO, indices)
}

/// An interpolation set must be non-empty ([`Error::BelowThreshold`]) and
/// free of repeats ([`Error::DuplicateIndex`]).
fn check_interpolation_set(indices: &[ParticipantIndex]) -> Result<()> {
    if indices.is_empty() {
        return Err(Error::BelowThreshold {
            threshold: 1,
            available: 0,
        });
    }
    let mut seen = alloc::collections::BTreeSet::new();
    for i in indices {
        if !seen.insert(*i) {
            return Err(Error::DuplicateIndex {
                index: u32::from(*i),
            });
        }
    }
    Ok(())
}

/// The Lagrange coefficients at 0 up to a common factor, without a field
/// inversion: `(D, [D·λ₀, …])` with `D = Πⱼ Πₖ≠ⱼ (xₖ − xⱼ) ≠ 0`, in the
/// order given (spec/beacon.md §2.5). A verifier checking
/// `σ = Σ λⱼ·σⱼ` checks `D·σ = Σ (D·λⱼ)·σⱼ` instead, which is equivalent
/// and costs a few scalar multiplications where the inversion costs
/// hundreds. Same errors as [`lagrange_coefficients`].
pub(crate) fn scaled_lagrange_coefficients(
    indices: &[ParticipantIndex],
) -> Result<(Scalar, Vec<Scalar>)> {
    check_interpolation_set(indices)?;
    // λⱼ = Πₖ≠ⱼ xₖ / Πₖ≠ⱼ (xₖ − xⱼ); the factors are below 2¹⁶ in absolute
    // value, so several are multiplied as integers per scalar product.
    let mut numerators = Vec::with_capacity(indices.len());
    let mut denominators = Vec::with_capacity(indices.len());
    for j in indices {
        let mut num = SmallProduct::default();
        let mut den = SmallProduct::default();
        for k in indices.iter().filter(|k| *k != j) {
            num.mul(i64::from(k.get()));
            den.mul(i64::from(k.get()) - i64::from(j.get()));
        }
        numerators.push(num.finish());
        denominators.push(den.finish());
    }
    // D·λⱼ = numⱼ · Πₖ≠ⱼ denₖ, by prefix and suffix products.
    let mut scaled = Vec::with_capacity(indices.len());
    let mut prefix = Scalar::ONE;
    for (num, den) in numerators.iter().zip(&denominators) {
        scaled.push(num * prefix);
        prefix *= den;
    }
    let mut suffix = Scalar::ONE;
    for (s, den) in scaled.iter_mut().zip(&denominators).rev() {
        *s *= suffix;
        suffix *= den;
    }
    Ok((prefix, scaled))
}

/// A product of small signed integers as a scalar: factors are gathered in
/// a `u64` while it does not overflow, then folded in with one scalar
/// multiplication.
struct SmallProduct {
    scalar: Scalar,
    chunk: u64,
    negative: bool,
}

impl Default for SmallProduct {
    fn default() -> Self {
        SmallProduct {
            scalar: Scalar::ONE,
            chunk: 1,
            negative: false,
        }
    }
}

impl SmallProduct {
    fn mul(&mut self, factor: i64) {
        self.negative ^= factor < 0;
        let factor = factor.unsigned_abs();
        match self.chunk.checked_mul(factor) {
            Some(chunk) => self.chunk = chunk,
            None => {
                self.scalar *= Scalar::from(self.chunk);
                self.chunk = factor;
            }
        }
    }

    fn finish(self) -> Scalar {
        let product = self.scalar * Scalar::from(self.chunk);
        if self.negative {
            -product
        } else {
            product
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn idx(v: &[u16]) -> Vec<ParticipantIndex> {
        v.iter()
            .map(|&x| ParticipantIndex::new(x).unwrap())
            .collect()
    }

    #[test]
    fn zero_index_rejected() {
        assert!(matches!(
            ParticipantIndex::new(0),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[test]
    fn shares_interpolate_to_secret_and_match_commitments() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let poly = SecretPolynomial::random(3, &mut rng).unwrap();
        let commitment = poly.commit();
        let p = RistrettoPoint::hash_from_bytes::<sha3::Sha3_512>(b"P");
        for k in [0u16, 1, 2, 3, 1000, u16::MAX] {
            assert_eq!(mul_small(&p, k), Scalar::from(k) * p);
        }
        let shares: Vec<_> = ParticipantIndex::range(5)
            .map(|i| poly.evaluate(i))
            .collect();
        for s in &shares {
            commitment.verify_share(s).unwrap();
        }
        for subset in [[1u16, 2, 3], [1, 4, 5], [5, 3, 2]] {
            let ids = idx(&subset);
            let lambdas = lagrange_coefficients(&ids).unwrap();
            let secret: Scalar = ids
                .iter()
                .zip(&lambdas)
                .map(|(i, l)| l * shares[usize::from(i.get()) - 1].value)
                .sum();
            assert_eq!(secret, *poly.constant());
        }
        // Interpolation at a share's own index from three others.
        let ids = idx(&[1, 2, 3]);
        let lambdas = lagrange_coefficients_at(&Scalar::from(5u64), &ids).unwrap();
        let s5: Scalar = ids
            .iter()
            .zip(&lambdas)
            .map(|(i, l)| l * shares[usize::from(i.get()) - 1].value)
            .sum();
        assert_eq!(s5, shares[4].value);
    }

    #[test]
    fn bad_share_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let poly = SecretPolynomial::random(2, &mut rng).unwrap();
        let mut share = poly.evaluate(ParticipantIndex::new(2).unwrap());
        share.value += Scalar::ONE;
        assert!(matches!(
            poly.commit().verify_share(&share),
            Err(Error::VerificationFailed { .. })
        ));
    }

    #[test]
    fn scaled_lagrange_coefficients_are_a_multiple() {
        for subset in [
            &[1u16][..],
            &[1, 2, 3],
            &[5, 3, 2],
            &[2, 7, 9, 11, 12, 13, 14, 15, 16, 20, 21],
            &[1, 1000, 30000, 65535, 65534, 2, 40000],
        ] {
            let ids = idx(subset);
            let lambdas = lagrange_coefficients(&ids).unwrap();
            let (d, scaled) = scaled_lagrange_coefficients(&ids).unwrap();
            assert_ne!(d, Scalar::ZERO);
            let expected: Vec<Scalar> = lambdas.iter().map(|l| d * l).collect();
            assert_eq!(scaled, expected);
        }
    }

    #[test]
    fn lagrange_errors() {
        type Coefficients = fn(&[ParticipantIndex]) -> Result<Vec<Scalar>>;
        let scaled: Coefficients = |ids| scaled_lagrange_coefficients(ids).map(|(_, s)| s);
        for coefficients in [lagrange_coefficients as Coefficients, scaled] {
            assert_eq!(
                coefficients(&idx(&[1, 2, 1])),
                Err(Error::DuplicateIndex { index: 1 })
            );
            assert!(matches!(
                coefficients(&[]),
                Err(Error::BelowThreshold { .. })
            ));
        }
        assert!(matches!(
            SecretPolynomial::random(0, &mut ChaCha20Rng::seed_from_u64(1)),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[test]
    fn secrets_are_redacted_and_roundtrip() {
        let share = SecretShare::new(ParticipantIndex::new(3).unwrap(), Scalar::from(42u64));
        let dbg = alloc::format!("{share:?}");
        assert!(dbg.contains("redacted") && !dbg.contains("42"));
        let poly = SecretPolynomial::random(2, &mut ChaCha20Rng::seed_from_u64(1)).unwrap();
        assert!(alloc::format!("{poly:?}").contains("redacted"));
        let bytes = share.to_secret_bytes();
        let back = SecretShare::from_secret_bytes(&bytes).unwrap();
        assert_eq!(back.index(), share.index());
        assert_eq!(back.value, share.value);
        assert!(SecretShare::from_secret_bytes(&bytes[..bytes.len() - 1]).is_err());
    }
}
