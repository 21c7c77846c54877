//! Exponential ElGamal on ristretto255 (spec/elgamal.md).
//!
//! A message `m ∈ ℤ_ℓ` is encrypted under a public key `PK = sk·G` with a
//! nonce `r` as the pair `(α, β) = (r·G, m·G + r·PK)` (spec/elgamal.md §2).
//! Ciphertexts add component-wise, so the sum of encryptions of votes is an
//! encryption of the total (§3); decryption yields `m·G` (§4), from which
//! small totals are recovered by a bounded discrete logarithm with a reusable
//! baby-step giant-step table ([`DlogTable`], §5).
//!
//! Secret material ([`SecretKey`], [`Nonce`]) is zeroized on drop and never
//! printed by `Debug`. The nonce of a ciphertext is kept by the encryptor: it
//! proves what the ciphertext contains (ballot validity proofs) and opens a
//! Benaloh-challenged ballot ([`Ciphertext::verify_opening`]).
//!
//! Encodings (§6): a [`PublicKey`] is its bare 32-byte point (identity
//! rejected); a [`Ciphertext`] is `0x10 ‖ 0x01 ‖ α ‖ β`; a [`Nonce`] is its
//! 32-byte canonical scalar. The ciphertext decoder accepts the identity in
//! either component, because homomorphic sums and [`Ciphertext::zero`]
//! legitimately contain it; protocols that receive *fresh* encryptions (a
//! ballot) MUST also call [`Ciphertext::validate_fresh`].
//!
//! # Example
//!
//! ```
//! use kleroterion::elgamal::{Ciphertext, DlogTable, KeyPair};
//! use rand_core::OsRng;
//!
//! let keys = KeyPair::generate(&mut OsRng);
//! // Four votes, encrypted; their sum is an encryption of the total.
//! let total = [1u64, 0, 1, 1]
//!     .iter()
//!     .map(|&vote| Ciphertext::encrypt_u64(keys.public(), vote, &mut OsRng).0)
//!     .fold(Ciphertext::zero(), |sum, ct| sum + ct);
//! let table = DlogTable::new(1_000)?;
//! assert_eq!(keys.secret().decrypt(&total, &table)?, 3);
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod dlog;

pub use dlog::{DlogTable, MAX_BABY_STEPS};

use core::fmt;
use core::iter::Sum;
use core::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{decode_scalar, encode_point, Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};

/// Format version of the [`Ciphertext`] encoding.
pub const CIPHERTEXT_VERSION: u8 = 1;

/// Length in bytes of an encoded [`Ciphertext`]: header, α, β.
pub const CIPHERTEXT_LEN: usize = 2 + 32 + 32;

/// Draws a uniformly random nonzero scalar (a zero draw has probability
/// 2⁻²⁵², but a zero key or nonce would be catastrophic, so it is redrawn).
fn random_nonzero_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
    loop {
        let s = Scalar::random(rng);
        if s != Scalar::ZERO {
            return s;
        }
    }
}

/// An ElGamal secret key `sk ∈ ℤ_ℓ \ {0}` (spec/elgamal.md §1).
///
/// Zeroized on drop; `Debug` prints no key material; not `Clone`, so the key
/// exists in exactly one place the owner controls.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey(Scalar);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// Generates a uniformly random nonzero secret key (§1).
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        SecretKey(random_nonzero_scalar(rng))
    }

    /// Wraps a scalar as a secret key; zero is rejected with
    /// [`Error::InvalidParameter`] (its public key would be the identity).
    pub fn from_scalar(sk: Scalar) -> Result<Self> {
        if sk == Scalar::ZERO {
            return Err(Error::InvalidParameter {
                what: "secret key must be nonzero",
            });
        }
        Ok(SecretKey(sk))
    }

    /// Decodes a secret key from its 32-byte canonical scalar encoding,
    /// rejecting non-canonical scalars and zero.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut s = decode_scalar(bytes)?;
        let sk = Self::from_scalar(s);
        s.zeroize();
        sk
    }

    /// The 32-byte canonical encoding of the key, zeroized when dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The secret scalar, for proofs of knowledge of the key. It is secret:
    /// never log, serialize or compare it in variable time.
    pub fn as_scalar(&self) -> &Scalar {
        &self.0
    }

    /// The public key `PK = sk·G` (§1).
    pub fn public_key(&self) -> PublicKey {
        PublicKey(&self.0 * RISTRETTO_BASEPOINT_TABLE)
    }

    /// Decrypts to the point `m·G = β − sk·α` (§4), in constant time.
    pub fn decrypt_to_point(&self, ct: &Ciphertext) -> RistrettoPoint {
        ct.beta - self.0 * ct.alpha
    }

    /// Decrypts and recovers `m` with a discrete-log table: `m` MUST lie in
    /// `[0, table.bound())`, otherwise [`Error::DiscreteLogNotFound`].
    ///
    /// The discrete-log search is variable-time in `m`; use it for public
    /// results (tallies) or where timing of the plaintext does not matter.
    pub fn decrypt(&self, ct: &Ciphertext, table: &DlogTable) -> Result<u64> {
        table.solve(&self.decrypt_to_point(ct))
    }
}

/// A secret key with its public key computed once.
#[derive(Debug)]
pub struct KeyPair {
    secret: SecretKey,
    public: PublicKey,
}

impl KeyPair {
    /// Generates a fresh key pair (§1).
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self::from_secret(SecretKey::generate(rng))
    }

    /// Completes a secret key with its public key.
    pub fn from_secret(secret: SecretKey) -> Self {
        let public = secret.public_key();
        KeyPair { secret, public }
    }

    /// The secret key.
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }

    /// The public key.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }
}

/// An ElGamal public key `PK = sk·G`. Never the identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub(crate) RistrettoPoint);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", hex::encode(encode_point(&self.0)))
    }
}

impl PublicKey {
    /// Wraps a point as a public key (e.g. a joint key combined from
    /// trustees' shares), rejecting the identity with
    /// [`Error::IdentityPoint`]: under the identity key `β = m·G` reveals `m`.
    pub fn from_point(point: RistrettoPoint) -> Result<Self> {
        if point.is_identity() {
            return Err(Error::IdentityPoint);
        }
        Ok(PublicKey(point))
    }

    /// The point `PK`.
    pub fn point(&self) -> &RistrettoPoint {
        &self.0
    }
}

impl Encode for PublicKey {
    fn encode(&self, w: &mut Writer) {
        w.point(&self.0);
    }
}

impl Decode for PublicKey {
    const NAME: &'static str = "ElGamal public key";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(PublicKey(r.nonidentity_point()?))
    }
}

crate::impl_serde_via_encoding!(PublicKey);

/// A public key with a precomputed fixed-base table (spec/elgamal.md §2.1):
/// `r·PK` costs a table lookup chain instead of a variable-base
/// multiplication, so an encryptor or prover that uses one key many times
/// (a voter's device, a ballot box, a simulation) builds this once.
///
/// The table is about 30 KiB and takes about as long to build as a few
/// multiplications; multiplications with it are constant-time.
#[derive(Clone)]
pub struct EncryptionKey {
    public: PublicKey,
    table: RistrettoBasepointTable,
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EncryptionKey").field(&self.public).finish()
    }
}

impl EncryptionKey {
    /// Precomputes the table of `pk`.
    pub fn new(pk: PublicKey) -> Self {
        EncryptionKey {
            table: RistrettoBasepointTable::create(&pk.0),
            public: pk,
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// `s·PK`, in constant time.
    pub fn mul(&self, s: &Scalar) -> RistrettoPoint {
        s * &self.table
    }

    /// [`Ciphertext::encrypt_with_nonce`] with fixed-base multiplications
    /// only: `(r·G, m·G + r·PK)`.
    pub fn encrypt_with_nonce(&self, m: &Scalar, nonce: &Scalar) -> Ciphertext {
        Ciphertext {
            alpha: nonce * RISTRETTO_BASEPOINT_TABLE,
            beta: m * RISTRETTO_BASEPOINT_TABLE + self.mul(nonce),
        }
    }
}

/// The nonce `r` of a ciphertext (§2).
///
/// Secret while the ciphertext's plaintext is secret: it is the witness of
/// ballot validity proofs, and revealing it opens the ciphertext (Benaloh
/// challenge, [`Ciphertext::verify_opening`]). Zeroized on drop; `Debug`
/// prints nothing of it. Nonces add like the ciphertexts they belong to: the
/// nonce of `c₁ + c₂` is `r₁ + r₂`, that of `k·c` is `k·r`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Nonce(Scalar);

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nonce(<redacted>)")
    }
}

impl Nonce {
    /// Draws a uniformly random nonzero nonce.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Nonce(random_nonzero_scalar(rng))
    }

    /// Wraps a scalar as a nonce (zero is allowed: it is the nonce of
    /// [`Ciphertext::zero`] and of sums that cancel).
    pub fn from_scalar(r: Scalar) -> Self {
        Nonce(r)
    }

    /// The nonce scalar `r`.
    pub fn as_scalar(&self) -> &Scalar {
        &self.0
    }
}

impl Add<&Nonce> for &Nonce {
    type Output = Nonce;
    fn add(self, rhs: &Nonce) -> Nonce {
        Nonce(self.0 + rhs.0)
    }
}

impl Mul<&Scalar> for &Nonce {
    type Output = Nonce;
    fn mul(self, k: &Scalar) -> Nonce {
        Nonce(self.0 * k)
    }
}

impl<'a> Sum<&'a Nonce> for Nonce {
    fn sum<I: Iterator<Item = &'a Nonce>>(iter: I) -> Nonce {
        Nonce(iter.map(|n| n.0).sum())
    }
}

impl Encode for Nonce {
    fn encode(&self, w: &mut Writer) {
        w.scalar(&self.0);
    }
}

impl Decode for Nonce {
    const NAME: &'static str = "ElGamal nonce";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Nonce(r.scalar()?))
    }
}

crate::impl_serde_via_encoding!(Nonce);

/// An exponential ElGamal ciphertext `(α, β) = (r·G, m·G + r·PK)`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ciphertext {
    /// `α = r·G`, the nonce commitment.
    pub alpha: RistrettoPoint,
    /// `β = m·G + r·PK`, the masked message.
    pub beta: RistrettoPoint,
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ciphertext")
            .field("alpha", &hex::encode(encode_point(&self.alpha)))
            .field("beta", &hex::encode(encode_point(&self.beta)))
            .finish()
    }
}

impl Ciphertext {
    /// Encrypts `m` under `pk` with the explicit nonce `r` (§2).
    ///
    /// `r` MUST be uniformly random and secret; reusing it for two messages
    /// under one key reveals their difference.
    pub fn encrypt_with_nonce(pk: &PublicKey, m: &Scalar, r: &Scalar) -> Self {
        Ciphertext {
            alpha: r * RISTRETTO_BASEPOINT_TABLE,
            beta: m * RISTRETTO_BASEPOINT_TABLE + r * pk.0,
        }
    }

    /// Encrypts `m` under `pk` with a fresh random nonce, returned for
    /// proofs and openings (§2).
    pub fn encrypt<R: RngCore + CryptoRng>(
        pk: &PublicKey,
        m: &Scalar,
        rng: &mut R,
    ) -> (Self, Nonce) {
        let nonce = Nonce::random(rng);
        (Self::encrypt_with_nonce(pk, m, &nonce.0), nonce)
    }

    /// Encrypts the integer `m` (a vote, a score) with a fresh random nonce.
    pub fn encrypt_u64<R: RngCore + CryptoRng>(
        pk: &PublicKey,
        m: u64,
        rng: &mut R,
    ) -> (Self, Nonce) {
        Self::encrypt(pk, &Scalar::from(m), rng)
    }

    /// The identity pair `(O, O)`: the encryption of 0 with nonce 0, the
    /// neutral element of homomorphic addition (an empty tally) (§3).
    pub fn zero() -> Self {
        Ciphertext {
            alpha: RistrettoPoint::identity(),
            beta: RistrettoPoint::identity(),
        }
    }

    /// The complement `(O, total·G) − Σ parts` (§3): the encryption of
    /// `total − Σ mᵢ` with nonce `−Σ rᵢ` when the parts encrypt `mᵢ` with
    /// nonces `rᵢ` (the implicit last option of an exactly-one ballot
    /// contest, spec/ballot.md §2.3). Point additions only: `total` is
    /// public and small, so `total·G` is computed by doubling and adding.
    pub fn complement(total: u64, parts: impl IntoIterator<Item = Ciphertext>) -> Self {
        let bits = u64::BITS - total.leading_zeros();
        let total_g = (0..bits).rev().fold(RistrettoPoint::identity(), |acc, i| {
            let twice = acc + acc;
            if (total >> i) & 1 == 1 {
                twice + RISTRETTO_BASEPOINT_POINT
            } else {
                twice
            }
        });
        let start = Ciphertext {
            alpha: RistrettoPoint::identity(),
            beta: total_g,
        };
        parts.into_iter().fold(start, |acc, part| acc - part)
    }

    /// Re-randomizes: adds a fresh encryption of 0 with nonce `r'` and
    /// returns `r'` (§3). The plaintext is unchanged; the result is
    /// unlinkable to `self` without `r'`. The new nonce is old nonce + `r'`.
    pub fn rerandomize<R: RngCore + CryptoRng>(
        &self,
        pk: &PublicKey,
        rng: &mut R,
    ) -> (Self, Nonce) {
        let delta = Nonce::random(rng);
        (self.rerandomize_with_nonce(pk, &delta.0), delta)
    }

    /// Re-randomizes with the explicit nonce `r'`: `(α + r'·G, β + r'·PK)`.
    pub fn rerandomize_with_nonce(&self, pk: &PublicKey, r: &Scalar) -> Self {
        Ciphertext {
            alpha: self.alpha + r * RISTRETTO_BASEPOINT_TABLE,
            beta: self.beta + r * pk.0,
        }
    }

    /// Checks that `(m, nonce)` opens this ciphertext under `pk`, i.e. that
    /// it equals `encrypt_with_nonce(pk, m, nonce)` (§4.2). This is how a
    /// Benaloh-challenged ballot is audited. Fails with
    /// [`Error::VerificationFailed`].
    pub fn verify_opening(&self, pk: &PublicKey, m: &Scalar, nonce: &Nonce) -> Result<()> {
        if *self == Self::encrypt_with_nonce(pk, m, &nonce.0) {
            Ok(())
        } else {
            Err(Error::VerificationFailed {
                proof: "ElGamal opening",
            })
        }
    }

    /// Checks the rule for a *fresh* encryption (a ballot entry, §2): `α`
    /// MUST NOT be the identity, since `α = O` means `r = 0` and `β = m·G`
    /// reveals `m`. Fails with [`Error::IdentityPoint`]. Sums and
    /// [`Ciphertext::zero`] are exempt and are not checked with this.
    pub fn validate_fresh(&self) -> Result<()> {
        if self.alpha.is_identity() {
            return Err(Error::IdentityPoint);
        }
        Ok(())
    }
}

impl Encode for Ciphertext {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::Ciphertext, CIPHERTEXT_VERSION);
        w.point(&self.alpha);
        w.point(&self.beta);
    }
}

impl Decode for Ciphertext {
    const NAME: &'static str = "ElGamal ciphertext";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::Ciphertext, &[CIPHERTEXT_VERSION], Self::NAME)?;
        Ok(Ciphertext {
            alpha: r.point()?,
            beta: r.point()?,
        })
    }
}

crate::impl_serde_via_encoding!(Ciphertext);

// Homomorphism (§3): component-wise group operations on (α, β). The owned
// impls do the work; reference impls copy (a ciphertext is two points).

impl Add for Ciphertext {
    type Output = Ciphertext;
    fn add(self, rhs: Ciphertext) -> Ciphertext {
        Ciphertext {
            alpha: self.alpha + rhs.alpha,
            beta: self.beta + rhs.beta,
        }
    }
}

impl Add<&Ciphertext> for &Ciphertext {
    type Output = Ciphertext;
    fn add(self, rhs: &Ciphertext) -> Ciphertext {
        *self + *rhs
    }
}

impl AddAssign for Ciphertext {
    fn add_assign(&mut self, rhs: Ciphertext) {
        self.alpha += rhs.alpha;
        self.beta += rhs.beta;
    }
}

impl AddAssign<&Ciphertext> for Ciphertext {
    fn add_assign(&mut self, rhs: &Ciphertext) {
        *self += *rhs;
    }
}

impl Neg for Ciphertext {
    type Output = Ciphertext;
    fn neg(self) -> Ciphertext {
        Ciphertext {
            alpha: -self.alpha,
            beta: -self.beta,
        }
    }
}

impl Neg for &Ciphertext {
    type Output = Ciphertext;
    fn neg(self) -> Ciphertext {
        -*self
    }
}

impl Sub for Ciphertext {
    type Output = Ciphertext;
    fn sub(self, rhs: Ciphertext) -> Ciphertext {
        Ciphertext {
            alpha: self.alpha - rhs.alpha,
            beta: self.beta - rhs.beta,
        }
    }
}

impl Sub<&Ciphertext> for &Ciphertext {
    type Output = Ciphertext;
    fn sub(self, rhs: &Ciphertext) -> Ciphertext {
        *self - *rhs
    }
}

impl SubAssign for Ciphertext {
    fn sub_assign(&mut self, rhs: Ciphertext) {
        self.alpha -= rhs.alpha;
        self.beta -= rhs.beta;
    }
}

impl SubAssign<&Ciphertext> for Ciphertext {
    fn sub_assign(&mut self, rhs: &Ciphertext) {
        *self -= *rhs;
    }
}

/// `k·(α, β) = (k·α, k·β)`: an encryption of `k·m` with nonce `k·r`.
impl Mul<Scalar> for Ciphertext {
    type Output = Ciphertext;
    fn mul(self, k: Scalar) -> Ciphertext {
        Ciphertext {
            alpha: self.alpha * k,
            beta: self.beta * k,
        }
    }
}

impl Mul<&Scalar> for &Ciphertext {
    type Output = Ciphertext;
    fn mul(self, k: &Scalar) -> Ciphertext {
        *self * *k
    }
}

impl Sum for Ciphertext {
    fn sum<I: Iterator<Item = Ciphertext>>(iter: I) -> Ciphertext {
        iter.fold(Ciphertext::zero(), Add::add)
    }
}

impl<'a> Sum<&'a Ciphertext> for Ciphertext {
    fn sum<I: Iterator<Item = &'a Ciphertext>>(iter: I) -> Ciphertext {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests;
