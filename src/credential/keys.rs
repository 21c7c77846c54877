//! Citizen key pairs and linking tags (spec/credential.md §2).
//!
//! # Example
//!
//! ```
//! use kleroterion::credential::keys::CitizenSecretKey;
//! use rand_core::OsRng;
//!
//! let citizen = CitizenSecretKey::generate(&mut OsRng);
//! let _on_the_roll = citizen.public_key();
//! // One linking tag per context: the same citizen cannot vote twice in one
//! // vote unnoticed, and tags of different votes cannot be linked.
//! let tag = citizen.linking_tag(b"assembly-7/harm-finding");
//! assert!(tag == citizen.linking_tag(b"assembly-7/harm-finding"));
//! assert!(tag != citizen.linking_tag(b"assembly-7/remedy-approval"));
//! ```

use core::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::CryptoRngCore;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{decode_scalar, Decode, Encode, Reader, Writer};
use crate::error::{Error, Result};
use crate::hash::hash_to_point;
use crate::proofs::EncodedPoint;

/// Domain-separation tag of the linking-tag base `H_ctx = hash_to_point(DST, context)`.
pub const TAG_BASE_DST: &[u8] = b"kleroterion/v1/credential-tag";

/// The base point `H_ctx` of linking tags in `context` (spec/credential.md §2.2).
pub fn tag_base(context: &[u8]) -> RistrettoPoint {
    hash_to_point(TAG_BASE_DST, context)
}

/// A citizen's secret key `sk`, a non-zero scalar.
///
/// Zeroized on drop; its `Debug` output is redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CitizenSecretKey(Scalar);

impl CitizenSecretKey {
    /// Draws a uniformly random non-zero secret key.
    pub fn generate<R: CryptoRngCore + ?Sized>(rng: &mut R) -> Self {
        loop {
            let sk = Scalar::random(rng);
            if sk != Scalar::ZERO {
                return Self(sk);
            }
        }
    }

    /// Decodes a secret key from its canonical 32-byte little-endian
    /// encoding; zero is rejected.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let sk = decode_scalar(bytes)?;
        if sk == Scalar::ZERO {
            return Err(Error::InvalidParameter {
                what: "citizen secret key must be non-zero",
            });
        }
        Ok(Self(sk))
    }

    /// The canonical 32-byte encoding (zeroized when dropped).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public key `PK = sk·G`.
    pub fn public_key(&self) -> CitizenPublicKey {
        CitizenPublicKey(EncodedPoint::new(&self.0 * RISTRETTO_BASEPOINT_TABLE))
    }

    /// The linking tag `T = sk·H_ctx` of this citizen in `context`
    /// (spec/credential.md §2.2): the same key always yields the same tag in
    /// one context, and tags of different contexts are unlinkable under DDH.
    pub fn linking_tag(&self, context: &[u8]) -> LinkingTag {
        LinkingTag(EncodedPoint::new(self.0 * tag_base(context)))
    }

    pub(crate) fn scalar(&self) -> &Scalar {
        &self.0
    }
}

impl fmt::Debug for CitizenSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CitizenSecretKey(<redacted>)")
    }
}

/// A citizen's public key `PK = sk·G`: a non-identity ristretto255 point,
/// encoded as its canonical 32 bytes (no header). Keys order by encoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CitizenPublicKey(EncodedPoint);

/// A linking tag `T = sk·H_ctx`: a non-identity point, encoded as its
/// canonical 32 bytes (no header). Tags order by encoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LinkingTag(EncodedPoint);

macro_rules! encoded_point_newtype {
    ($t:ident, $name:literal) => {
        impl $t {
            /// Decodes the canonical 32-byte encoding; non-canonical bytes
            /// and the identity are rejected.
            pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
                let p = EncodedPoint::from_bytes(bytes)?;
                if p.is_identity() {
                    return Err(Error::IdentityPoint);
                }
                Ok(Self(p))
            }

            /// The canonical 32-byte encoding.
            pub fn to_bytes(&self) -> [u8; 32] {
                self.0.encoding().to_bytes()
            }

            /// The canonical 32-byte encoding, borrowed.
            pub fn as_bytes(&self) -> &[u8; 32] {
                self.0.encoding().as_bytes()
            }

            /// The point.
            pub fn point(&self) -> &RistrettoPoint {
                self.0.point()
            }

            /// The point with its encoding.
            pub fn encoded(&self) -> &EncodedPoint {
                &self.0
            }
        }

        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $t {
            fn cmp(&self, other: &Self) -> core::cmp::Ordering {
                self.as_bytes().cmp(other.as_bytes())
            }
        }

        impl core::hash::Hash for $t {
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                self.as_bytes().hash(state);
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($name, "({})"), hex::encode(self.as_bytes()))
            }
        }

        impl Encode for $t {
            fn encode(&self, w: &mut Writer) {
                w.raw(self.as_bytes());
            }
        }

        impl Decode for $t {
            const NAME: &'static str = $name;

            fn decode(r: &mut Reader<'_>) -> Result<Self> {
                Self::from_bytes(r.take(32, $name)?)
            }
        }

        crate::impl_serde_via_encoding!($t);
    };
}

encoded_point_newtype!(CitizenPublicKey, "CitizenPublicKey");
encoded_point_newtype!(LinkingTag, "LinkingTag");

impl CitizenPublicKey {
    /// The key of a point; the identity is rejected (a key `sk·G` with
    /// `sk ≠ 0` is never the identity).
    pub fn from_point(point: RistrettoPoint) -> Result<Self> {
        let p = EncodedPoint::new(point);
        if p.is_identity() {
            return Err(Error::IdentityPoint);
        }
        Ok(Self(p))
    }
}

impl LinkingTag {
    pub(crate) fn from_point(point: RistrettoPoint) -> Self {
        Self(EncodedPoint::new(point))
    }
}
