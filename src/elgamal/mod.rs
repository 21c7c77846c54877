//! Exponential ElGamal on ristretto255 (spec/elgamal.md).
//!
//! A message `m ∈ ℤ_ℓ` is encrypted under a public key `PK = sk·G` with a
//! nonce `r` as the pair `(α, β) = (r·G, m·G + r·PK)`. Ciphertexts add
//! component-wise, so the sum of encryptions of votes is an encryption of the
//! total; decryption yields `m·G`, from which small totals are recovered by a
//! bounded discrete logarithm.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

/// An ElGamal public key `PK = sk·G`. Never the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(pub(crate) RistrettoPoint);

impl PublicKey {
    /// The point `PK`.
    pub fn point(&self) -> &RistrettoPoint {
        &self.0
    }
}

/// An exponential ElGamal ciphertext `(α, β) = (r·G, m·G + r·PK)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ciphertext {
    /// `α = r·G`, the nonce commitment.
    pub alpha: RistrettoPoint,
    /// `β = m·G + r·PK`, the masked message.
    pub beta: RistrettoPoint,
}

impl Ciphertext {
    /// Encrypts `m` under `pk` with the explicit nonce `r`.
    pub fn encrypt_with_nonce(pk: &PublicKey, m: &Scalar, r: &Scalar) -> Self {
        Ciphertext {
            alpha: r * RISTRETTO_BASEPOINT_TABLE,
            beta: m * RISTRETTO_BASEPOINT_TABLE + r * pk.0,
        }
    }
}
