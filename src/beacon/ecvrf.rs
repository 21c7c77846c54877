//! ECVRF-EDWARDS25519-SHA512-TAI, exactly as RFC 9381 specifies it
//! (spec/beacon.md, section "ECVRF (RFC 9381)").
//!
//! A verifiable random function maps an input `alpha` under a secret key to a
//! 64-byte output `beta` together with an 80-byte proof `pi`; anyone holding
//! the public key can check `pi` and recompute `beta`, and for a valid public
//! key no two different outputs verify for the same input (full uniqueness).
//!
//! * Key generation is RFC 8032 §5.1.5: `h = SHA-512(SK)`, the secret scalar
//!   `x` is the clamped low half of `h`, the high half is the prefix of the
//!   nonce generation of RFC 9381 §5.4.2.2, and `Y = x·B`
//!   ([`SecretKey::from_bytes`], [`SecretKey::generate`]).
//! * Proving is RFC 9381 §5.1 ([`SecretKey::prove`]); the proof is
//!   `Gamma ‖ c ‖ s` with a 16-byte challenge ([`Proof`]).
//! * Verifying is RFC 9381 §5.3 with `validate_key = TRUE`, the only option
//!   this implementation supports: public keys of small order are rejected
//!   when a [`PublicKey`] is decoded (§5.4.5), so a [`PublicKey`] value is
//!   always valid ([`PublicKey::verify`]).
//! * The output is `proof_to_hash` (§5.2), which multiplies `Gamma` by the
//!   cofactor 8 ([`Proof::proof_to_hash`]).
//! * Hashing the input to the curve is try-and-increment (§5.4.1.1) with the
//!   public key as salt, including the multiplication by the cofactor
//!   ([`PublicKey::encode_to_curve`]). Its running time depends on `alpha`,
//!   which is public here.
//!
//! Points are decoded exactly as RFC 8032 §5.1.3, which curve25519-dalek's
//! [`CompressedEdwardsY::decompress`] does not do on its own: it accepts a
//! `y` coordinate `≥ p` (reducing it) and the sign bit 1 on `x = 0`. This
//! module rejects both (see [`PublicKey::from_bytes`]), in public keys, in
//! `Gamma` and in the candidate points of try-and-increment, so that it
//! accepts exactly the proofs the RFC accepts.
//!
//! Scalar multiplications by the secret scalar `x` and the nonce `k` are
//! curve25519-dalek's constant-time ones; verification uses variable-time
//! multiplications on public data only.
//!
//! Byte formats are the RFC's raw strings (no kleroterion object header), so
//! keys, proofs and outputs interoperate with every RFC 9381 implementation:
//! [`PublicKey`] 32 bytes, [`Proof`] 80 bytes, [`Output`] 64 bytes. With the
//! `serde` feature they serialize as those bytes (hex in human-readable
//! formats).
//!
//! ```
//! use kleroterion::beacon::ecvrf::SecretKey;
//!
//! let sk = SecretKey::from_bytes(&[7u8; 32])?;
//! let proof = sk.prove(b"assembly 2031 seed")?;
//! let beta = sk.public_key().verify(b"assembly 2031 seed", &proof)?;
//! assert_eq!(beta, proof.proof_to_hash());
//! # Ok::<(), kleroterion::Error>(())
//! ```

use core::fmt;

use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::{clamp_integer, Scalar};
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};

/// `suite_string` of ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381 §5.5).
pub const SUITE_STRING: u8 = 0x03;
/// Length of a secret key: an RFC 8032 seed.
pub const SECRET_KEY_LEN: usize = 32;
/// Length of an encoded public key (`ptLen`).
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of the challenge `c` in a proof (`cLen`).
pub const CHALLENGE_LEN: usize = 16;
/// Length of an encoded proof, `ptLen + cLen + qLen`.
pub const PROOF_LEN: usize = PUBLIC_KEY_LEN + CHALLENGE_LEN + 32;
/// Length of a VRF output `beta` (`hLen`).
pub const OUTPUT_LEN: usize = 64;

const ENCODE_TO_CURVE_DOMAIN_SEPARATOR_FRONT: u8 = 0x01;
const CHALLENGE_GENERATION_DOMAIN_SEPARATOR_FRONT: u8 = 0x02;
const PROOF_TO_HASH_DOMAIN_SEPARATOR_FRONT: u8 = 0x03;
const DOMAIN_SEPARATOR_BACK: u8 = 0x00;

/// The proof name used in [`Error::VerificationFailed`].
const PROOF_NAME: &str = "ECVRF";

/// `p = 2^255 − 19`, little-endian.
const FIELD_MODULUS: [u8; 32] = [
    0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
];

/// Whether `bytes` is the canonical encoding of a `y` coordinate with a sign
/// bit RFC 8032 §5.1.3 allows: `y < p`, and the sign bit is 0 when `x = 0`
/// (`x = 0` exactly when `y = ±1`).
fn is_canonical_encoding(bytes: &[u8; 32]) -> bool {
    let sign = bytes[31] >> 7;
    let mut y = *bytes;
    y[31] &= 0x7f;
    // Little-endian comparison y < p, most significant byte first.
    let below_p = y
        .iter()
        .rev()
        .zip(FIELD_MODULUS.iter().rev())
        .find(|(a, b)| a != b)
        .is_some_and(|(a, b)| a < b);
    if !below_p {
        return false;
    }
    let mut one = [0u8; 32];
    one[0] = 1;
    let mut minus_one = FIELD_MODULUS;
    minus_one[0] -= 1;
    !(sign == 1 && (y == one || y == minus_one))
}

/// `string_to_point` of the suite: RFC 8032 §5.1.3 decoding, which fails on a
/// non-canonical `y`, on `x = 0` with sign bit 1, and when `y` is not the
/// coordinate of a curve point.
fn string_to_point(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    if !is_canonical_encoding(bytes) {
        return None;
    }
    CompressedEdwardsY(*bytes).decompress()
}

/// Copies the first `N` bytes of `src` (which has at least `N`).
fn prefix<const N: usize>(src: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.iter_mut().zip(src).for_each(|(o, s)| *o = *s);
    out
}

/// `int_to_string(c, 16)` as a scalar: `c < 2^128 < ℓ`, so no reduction.
fn challenge_scalar(c: &[u8; CHALLENGE_LEN]) -> Scalar {
    Scalar::from_bytes_mod_order(prefix::<32>(c))
}

/// RFC 9381 §5.4.3 `ECVRF_challenge_generation(P1, …, P5)` on encoded points:
/// the first 16 bytes of
/// `SHA-512(0x03 ‖ 0x02 ‖ P1 ‖ P2 ‖ P3 ‖ P4 ‖ P5 ‖ 0x00)`.
fn challenge_generation(points: [&[u8; 32]; 5]) -> [u8; CHALLENGE_LEN] {
    let mut hash = Sha512::new();
    hash.update([SUITE_STRING, CHALLENGE_GENERATION_DOMAIN_SEPARATOR_FRONT]);
    for p in points {
        hash.update(p);
    }
    hash.update([DOMAIN_SEPARATOR_BACK]);
    prefix(&hash.finalize())
}

/// RFC 9381 §5.4.1.1 try-and-increment with `encode_to_curve_salt = PK_string`:
/// returns `H`, `point_to_string(H)` and the counter that succeeded.
///
/// For `ctr = 0, 1, …`: `hash = SHA-512(0x03 ‖ 0x01 ‖ PK ‖ alpha ‖ ctr ‖ 0x00)`,
/// the first 32 bytes are decoded as a point, multiplied by the cofactor 8,
/// and the first result that is not the identity is `H`.
fn encode_to_curve_try_and_increment(
    salt: &[u8; PUBLIC_KEY_LEN],
    alpha: &[u8],
) -> Result<(EdwardsPoint, [u8; 32], u8)> {
    for ctr in 0..=u8::MAX {
        let mut hash = Sha512::new();
        hash.update([SUITE_STRING, ENCODE_TO_CURVE_DOMAIN_SEPARATOR_FRONT]);
        hash.update(salt);
        hash.update(alpha);
        hash.update([ctr, DOMAIN_SEPARATOR_BACK]);
        if let Some(p) = string_to_point(&prefix(&hash.finalize())) {
            let h = p.mul_by_cofactor();
            if !h.is_identity() {
                return Ok((h, h.compress().to_bytes(), ctr));
            }
        }
    }
    // `int_to_string(ctr, 1)` fails at ctr = 256: each attempt succeeds with
    // probability about 1/2, so this is reached with probability ≈ 2^-256.
    Err(Error::InvalidParameter {
        what: "ECVRF input: encode_to_curve found no point for ctr 0..=255",
    })
}

/// RFC 8032 §5.1.5 steps 1–2: `h = SHA-512(SK)`; returns the clamped low half
/// (the secret scalar `x` as an integer, not reduced mod ℓ) and the high half
/// (the nonce prefix of RFC 9381 §5.4.2.2 step 2).
fn expand_secret(seed: &[u8; SECRET_KEY_LEN]) -> ([u8; 32], [u8; 32]) {
    let mut h: [u8; 64] = Sha512::digest(seed).into();
    let (low, high) = h.split_at(32);
    let expanded = (clamp_integer(prefix(low)), prefix(high));
    h.zeroize();
    expanded
}

/// RFC 9381 §5.4.2.2 step 3: `k_string = SHA-512(nonce_prefix ‖ h_string)`.
fn nonce_string(nonce_prefix: &[u8; 32], h_string: &[u8; 32]) -> [u8; 64] {
    Sha512::new()
        .chain_update(nonce_prefix)
        .chain_update(h_string)
        .finalize()
        .into()
}

/// An ECVRF secret key: the 32-byte RFC 8032 seed `SK` with the secret scalar
/// `x`, the nonce prefix and the public key derived from it.
///
/// Zeroized on drop; its `Debug` output shows only the public key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey {
    seed: [u8; SECRET_KEY_LEN],
    x: Scalar,
    nonce_prefix: [u8; 32],
    #[zeroize(skip)]
    public: PublicKey,
}

impl SecretKey {
    /// Derives the key pair from a 32-byte secret key `SK` exactly as
    /// RFC 8032 §5.1.5: `x` is the clamped first half of `SHA-512(SK)` and
    /// `Y = x·B`.
    ///
    /// Fails with [`Error::InvalidLength`] unless `bytes` has 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut seed: [u8; SECRET_KEY_LEN] =
            bytes.try_into().map_err(|_| Error::InvalidLength {
                what: "ECVRF secret key",
                expected: SECRET_KEY_LEN,
                actual: bytes.len(),
            })?;
        let sk = Self::from_seed(&seed);
        seed.zeroize();
        Ok(sk)
    }

    /// Generates a fresh secret key: 32 uniformly random bytes from `rng`.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut seed = [0u8; SECRET_KEY_LEN];
        rng.fill_bytes(&mut seed);
        let sk = Self::from_seed(&seed);
        seed.zeroize();
        sk
    }

    fn from_seed(seed: &[u8; SECRET_KEY_LEN]) -> Self {
        let (mut clamped, nonce_prefix) = expand_secret(seed);
        let x = Scalar::from_bytes_mod_order(clamped);
        clamped.zeroize();
        let point = EdwardsPoint::mul_base(&x);
        // A clamped scalar is a multiple of 8 in [2^254, 2^255), never a
        // multiple of ℓ, so Y has order ℓ and passes RFC 9381 §5.4.5.
        let public = PublicKey {
            bytes: point.compress().to_bytes(),
            point,
        };
        SecretKey {
            seed: *seed,
            x,
            nonce_prefix,
            public,
        }
    }

    /// The 32-byte secret key `SK` (the RFC 8032 seed). Handle with care.
    pub fn as_bytes(&self) -> &[u8; SECRET_KEY_LEN] {
        &self.seed
    }

    /// The public key `Y = x·B`.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// RFC 9381 §5.1 `ECVRF_prove(SK, alpha)`:
    ///
    /// 1. `H = ECVRF_encode_to_curve(PK, alpha)`, `h_string = point_to_string(H)`;
    /// 2. `Gamma = x·H`;
    /// 3. `k = SHA-512(nonce_prefix ‖ h_string) mod ℓ` (§5.4.2.2);
    /// 4. `c = ECVRF_challenge_generation(Y, H, Gamma, k·B, k·H)`;
    /// 5. `s = k + c·x mod ℓ`, and `pi = Gamma ‖ c ‖ s`.
    ///
    /// The output `beta` is [`Proof::proof_to_hash`] of the result. Fails
    /// only if try-and-increment finds no point in 256 attempts
    /// ([`Error::InvalidParameter`], probability about 2^-256).
    pub fn prove(&self, alpha: &[u8]) -> Result<Proof> {
        let (h, h_string, _) = encode_to_curve_try_and_increment(&self.public.bytes, alpha)?;
        let gamma = h * self.x;
        let gamma_bytes = gamma.compress().to_bytes();
        let mut k_string = nonce_string(&self.nonce_prefix, &h_string);
        let mut k = Scalar::from_bytes_mod_order_wide(&k_string);
        k_string.zeroize();
        let u = EdwardsPoint::mul_base(&k);
        let v = h * k;
        let c = challenge_generation([
            &self.public.bytes,
            &h_string,
            &gamma_bytes,
            &u.compress().to_bytes(),
            &v.compress().to_bytes(),
        ]);
        let s = k + challenge_scalar(&c) * self.x;
        k.zeroize();
        Ok(Proof {
            gamma,
            gamma_bytes,
            c,
            s,
        })
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// An ECVRF public key `Y`: a canonically encoded edwards25519 point that is
/// not of small order (RFC 9381 §5.4.5 `validate_key`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey {
    bytes: [u8; PUBLIC_KEY_LEN],
    point: EdwardsPoint,
}

impl PublicKey {
    /// Decodes and validates a public key (RFC 9381 §5.3 steps 1–3 with
    /// `validate_key = TRUE`).
    ///
    /// Rejects, in this order:
    /// * a length other than 32 bytes: [`Error::InvalidLength`];
    /// * bytes that RFC 8032 §5.1.3 does not decode: [`Error::InvalidPoint`].
    ///   These are a `y` coordinate `≥ p = 2^255 − 19` (non-canonical; it
    ///   would alias `y − p`), the sign bit set when `x = 0` (that is
    ///   `y = 1` or `y = p − 1`; it would alias the same point with the bit
    ///   clear), and a `y` for which `(y² − 1)/(d·y² + 1)` has no square root;
    /// * a point of small order, one of the 8 points `P` with `8·P` the
    ///   identity (§5.4.5): [`Error::SmallOrderPoint`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bytes: [u8; PUBLIC_KEY_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
            what: "ECVRF public key",
            expected: PUBLIC_KEY_LEN,
            actual: bytes.len(),
        })?;
        let point = string_to_point(&bytes).ok_or(Error::InvalidPoint)?;
        if point.is_small_order() {
            return Err(Error::SmallOrderPoint);
        }
        Ok(PublicKey { bytes, point })
    }

    /// The 32-byte encoding `PK_string`.
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.bytes
    }

    /// The 32-byte encoding `PK_string`, borrowed.
    pub fn as_bytes(&self) -> &[u8; PUBLIC_KEY_LEN] {
        &self.bytes
    }

    /// The point `Y`.
    pub fn as_point(&self) -> &EdwardsPoint {
        &self.point
    }

    /// RFC 9381 §5.4.1.1 `ECVRF_encode_to_curve_try_and_increment` with this
    /// key as the salt: the point `H` that [`SecretKey::prove`] and
    /// [`PublicKey::verify`] derive from `alpha`. `H` is in the prime-order
    /// subgroup and is never the identity.
    pub fn encode_to_curve(&self, alpha: &[u8]) -> Result<EdwardsPoint> {
        encode_to_curve_try_and_increment(&self.bytes, alpha).map(|(h, _, _)| h)
    }

    /// RFC 9381 §5.3 `ECVRF_verify(PK, alpha, pi)` (steps 4–11; steps 1–3
    /// ran when this key was decoded):
    ///
    /// 1. `H = ECVRF_encode_to_curve(PK, alpha)`;
    /// 2. `U = s·B − c·Y` and `V = s·H − c·Gamma` (variable time: public data);
    /// 3. `c' = ECVRF_challenge_generation(Y, H, Gamma, U, V)`;
    /// 4. valid iff `c' = c`; then the output is `proof_to_hash(pi)`.
    ///
    /// Returns the VRF output `beta`, or [`Error::VerificationFailed`] if the
    /// proof is not valid for this key and input (or
    /// [`Error::InvalidParameter`] as [`SecretKey::prove`]).
    pub fn verify(&self, alpha: &[u8], proof: &Proof) -> Result<Output> {
        let (h, h_string, _) = encode_to_curve_try_and_increment(&self.bytes, alpha)?;
        let minus_c = -challenge_scalar(&proof.c);
        let u = EdwardsPoint::vartime_double_scalar_mul_basepoint(&minus_c, &self.point, &proof.s);
        let v = EdwardsPoint::vartime_multiscalar_mul([proof.s, minus_c], [h, proof.gamma]);
        let c = challenge_generation([
            &self.bytes,
            &h_string,
            &proof.gamma_bytes,
            &u.compress().to_bytes(),
            &v.compress().to_bytes(),
        ]);
        if c == proof.c {
            Ok(proof.proof_to_hash())
        } else {
            Err(Error::VerificationFailed { proof: PROOF_NAME })
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", hex::encode(self.bytes))
    }
}

/// An ECVRF proof `pi = Gamma ‖ c ‖ s` (RFC 9381 §5.1 step 8): `Gamma = x·H`
/// as a 32-byte point, the 16-byte little-endian challenge `c`, and the
/// 32-byte little-endian scalar `s < ℓ`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Proof {
    gamma: EdwardsPoint,
    gamma_bytes: [u8; 32],
    c: [u8; CHALLENGE_LEN],
    s: Scalar,
}

impl Proof {
    /// RFC 9381 §5.4.4 `ECVRF_decode_proof`.
    ///
    /// Rejects a length other than 80 bytes ([`Error::InvalidLength`]), a
    /// `Gamma` that RFC 8032 §5.1.3 does not decode, with the same rules as
    /// [`PublicKey::from_bytes`] ([`Error::InvalidPoint`]), and `s ≥ ℓ`
    /// ([`Error::NonCanonicalScalar`]). `Gamma` may be of small order: the
    /// RFC does not reject it, and such a proof fails verification.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bytes: &[u8; PROOF_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
            what: "ECVRF proof",
            expected: PROOF_LEN,
            actual: bytes.len(),
        })?;
        let (gamma_part, rest) = bytes.split_at(PUBLIC_KEY_LEN);
        let (c_part, s_part) = rest.split_at(CHALLENGE_LEN);
        let gamma_bytes: [u8; 32] = prefix(gamma_part);
        let gamma = string_to_point(&gamma_bytes).ok_or(Error::InvalidPoint)?;
        let s = Option::from(Scalar::from_canonical_bytes(prefix(s_part)))
            .ok_or(Error::NonCanonicalScalar)?;
        Ok(Proof {
            gamma,
            gamma_bytes,
            c: prefix(c_part),
            s,
        })
    }

    /// The 80-byte encoding `pi_string`.
    pub fn to_bytes(&self) -> [u8; PROOF_LEN] {
        let mut out = [0u8; PROOF_LEN];
        let parts = self
            .gamma_bytes
            .iter()
            .chain(&self.c)
            .chain(self.s.as_bytes());
        out.iter_mut().zip(parts).for_each(|(o, b)| *o = *b);
        out
    }

    /// RFC 9381 §5.2 `ECVRF_proof_to_hash`:
    /// `beta = SHA-512(0x03 ‖ 0x03 ‖ point_to_string(8·Gamma) ‖ 0x00)`.
    ///
    /// The output of a proof is only meaningful once the proof has been
    /// verified against a key and an input: on a proof nobody has verified,
    /// use [`PublicKey::verify`], which returns this value only for a valid
    /// proof. The prover may call it on a proof from [`SecretKey::prove`].
    pub fn proof_to_hash(&self) -> Output {
        let hash = Sha512::new()
            .chain_update([SUITE_STRING, PROOF_TO_HASH_DOMAIN_SEPARATOR_FRONT])
            .chain_update(self.gamma.mul_by_cofactor().compress().as_bytes())
            .chain_update([DOMAIN_SEPARATOR_BACK])
            .finalize();
        Output(hash.into())
    }
}

impl fmt::Debug for Proof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proof({})", hex::encode(self.to_bytes()))
    }
}

/// A VRF output `beta` (RFC 9381 §5.2): 64 bytes, uniformly random to anyone
/// without the secret key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Output([u8; OUTPUT_LEN]);

impl Output {
    /// Reads a 64-byte output (for example from a stored record).
    ///
    /// Fails with [`Error::InvalidLength`] unless `bytes` has 64 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        bytes
            .try_into()
            .map(Output)
            .map_err(|_| Error::InvalidLength {
                what: "ECVRF output",
                expected: OUTPUT_LEN,
                actual: bytes.len(),
            })
    }

    /// The 64 bytes of `beta_string`.
    pub fn to_bytes(&self) -> [u8; OUTPUT_LEN] {
        self.0
    }

    /// The 64 bytes of `beta_string`, borrowed.
    pub fn as_bytes(&self) -> &[u8; OUTPUT_LEN] {
        &self.0
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Output({})", hex::encode(self.0))
    }
}

/// Serde through the RFC's raw byte format (hex when human-readable), so
/// deserialization applies exactly the checks of `from_bytes`.
macro_rules! impl_serde_raw {
    ($($t:ty),*) => {$(
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                crate::encoding::serde_bytes::serialize_raw(&self.to_bytes(), s)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<Self, D::Error> {
                let bytes = crate::encoding::serde_bytes::deserialize_raw(d)?;
                Self::from_bytes(&bytes).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

impl_serde_raw!(PublicKey, Proof, Output);

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    const VECTORS: &str =
        include_str!("../../test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json");

    fn unhex<const N: usize>(s: &serde_json::Value) -> [u8; N] {
        hex::decode(s.as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    }

    /// The intermediate values of RFC 9381 Appendix B.3 that the public API
    /// does not expose: x, the counter of try-and-increment, k_string, k,
    /// U = k·B and V = k·H.
    #[test]
    fn rfc9381_intermediate_values() {
        let file: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let vectors = file["vectors"].as_array().unwrap();
        assert_eq!(vectors.len(), 3);
        for v in vectors {
            let seed: [u8; 32] = unhex(&v["sk"]);
            let (clamped, nonce_prefix) = expand_secret(&seed);
            assert_eq!(clamped, unhex::<32>(&v["x"]), "x");

            let pk: [u8; 32] = unhex(&v["pk"]);
            let alpha = hex::decode(v["alpha"].as_str().unwrap()).unwrap();
            let (h, h_string, ctr) = encode_to_curve_try_and_increment(&pk, &alpha).unwrap();
            assert_eq!(u64::from(ctr), v["ctr"].as_u64().unwrap(), "ctr");
            assert_eq!(h_string, unhex::<32>(&v["h"]), "H");

            let k_string = nonce_string(&nonce_prefix, &h_string);
            assert_eq!(k_string, unhex::<64>(&v["k_string"]), "k_string");
            let k = Scalar::from_bytes_mod_order_wide(&k_string);
            assert_eq!(k.to_bytes(), unhex::<32>(&v["k"]), "k");
            assert_eq!(
                EdwardsPoint::mul_base(&k).compress().to_bytes(),
                unhex::<32>(&v["u"]),
                "U"
            );
            assert_eq!((h * k).compress().to_bytes(), unhex::<32>(&v["v"]), "V");
        }
    }

    /// The byte-level canonicity check accepts exactly the encodings that
    /// decompress and re-encode to themselves (the RFC 8032 decoding rule).
    #[test]
    fn canonical_check_matches_reencoding() {
        let mut rng = ChaCha20Rng::seed_from_u64(9381);
        let mut samples: alloc::vec::Vec<[u8; 32]> = (0..2000)
            .map(|_| {
                let mut b = [0u8; 32];
                rng.fill_bytes(&mut b);
                b
            })
            .collect();
        // Every y in [p − 20, p + 18] and a few small y, with both sign bits.
        for delta in 0u8..40 {
            for sign in [0u8, 0x80] {
                let mut y = FIELD_MODULUS;
                y[0] = y[0].wrapping_sub(20).wrapping_add(delta);
                y[31] |= sign;
                samples.push(y);
                let mut small = [0u8; 32];
                small[0] = delta;
                small[31] = sign;
                samples.push(small);
            }
        }
        // Encodings of real points, and with the sign bit flipped.
        for i in 0u64..50 {
            let mut b = EdwardsPoint::mul_base(&Scalar::from(i))
                .compress()
                .to_bytes();
            samples.push(b);
            b[31] ^= 0x80;
            samples.push(b);
        }
        for b in samples {
            let reencodes = CompressedEdwardsY(b)
                .decompress()
                .is_some_and(|p| p.compress().to_bytes() == b);
            assert_eq!(
                string_to_point(&b).is_some(),
                reencodes,
                "{}",
                hex::encode(b)
            );
        }
    }

    #[test]
    fn secret_key_debug_is_redacted() {
        let sk = SecretKey::generate(&mut ChaCha20Rng::seed_from_u64(1));
        let shown = alloc::format!("{sk:?}");
        assert!(!shown.contains(&hex::encode(sk.as_bytes())));
        assert!(shown.contains(&hex::encode(sk.public_key().as_bytes())));
        assert!(!shown.contains(&alloc::format!("{:?}", sk.x)));
    }

    #[test]
    fn public_key_is_x_times_base() {
        let sk = SecretKey::generate(&mut ChaCha20Rng::seed_from_u64(2));
        assert_eq!(*sk.public_key().as_point(), ED25519_BASEPOINT_POINT * sk.x);
    }
}
