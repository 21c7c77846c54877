//! Canonical byte encodings (spec/encoding.md).
//!
//! * A scalar is its 32-byte little-endian canonical encoding; values ≥ ℓ are
//!   rejected with [`Error::NonCanonicalScalar`].
//! * A point is its 32-byte ristretto255 encoding (RFC 9496 §4.3.2); bytes
//!   that are not a canonical encoding are rejected with
//!   [`Error::InvalidPoint`], and where a protocol forbids the identity,
//!   [`Error::IdentityPoint`].
//! * A composite object (a proof, a ballot, a record part) starts with a
//!   two-byte header `tag ‖ version`, followed by its fields in a fixed order;
//!   integers are little-endian, variable-length sequences are prefixed by a
//!   `u32` count. Decoding consumes the whole input or fails with
//!   [`Error::TrailingBytes`].
//!
//! [`Reader`] and [`Writer`] implement these rules once so that every object's
//! codec is a short list of field reads and writes.
//!
//! # Example
//!
//! ```
//! use kleroterion::elgamal::{Ciphertext, KeyPair};
//! use kleroterion::encoding::{decode_scalar, Decode, Encode};
//! use kleroterion::Error;
//! use rand_core::OsRng;
//!
//! let keys = KeyPair::generate(&mut OsRng);
//! let (ct, _nonce) = Ciphertext::encrypt_u64(keys.public(), 1, &mut OsRng);
//! let bytes = ct.to_bytes(); // 0x10 ‖ 0x01 ‖ α ‖ β
//! assert_eq!((bytes.len(), bytes[0], bytes[1]), (66, 0x10, 0x01));
//! assert_eq!(Ciphertext::from_bytes(&bytes)?, ct);
//!
//! // Decoding consumes the whole input, and rejects non-canonical values.
//! let mut longer = bytes.clone();
//! longer.push(0);
//! assert!(matches!(Ciphertext::from_bytes(&longer), Err(Error::TrailingBytes { remaining: 1, .. })));
//! assert_eq!(decode_scalar(&[0xff; 32]), Err(Error::NonCanonicalScalar));
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::vec::Vec;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

use crate::error::{Error, Result};

/// Length in bytes of an encoded scalar or point.
pub const ELEMENT_LEN: usize = 32;

/// Decodes a canonical scalar from exactly 32 bytes.
pub fn decode_scalar(bytes: &[u8]) -> Result<Scalar> {
    let arr = to_array(bytes, "scalar")?;
    Option::from(Scalar::from_canonical_bytes(arr)).ok_or(Error::NonCanonicalScalar)
}

/// Decodes a canonical ristretto255 point from exactly 32 bytes. The identity
/// is accepted; use [`decode_nonidentity_point`] where it is forbidden.
pub fn decode_point(bytes: &[u8]) -> Result<RistrettoPoint> {
    let arr = to_array(bytes, "point")?;
    CompressedRistretto(arr)
        .decompress()
        .ok_or(Error::InvalidPoint)
}

/// Decodes a canonical ristretto255 point and rejects the identity.
pub fn decode_nonidentity_point(bytes: &[u8]) -> Result<RistrettoPoint> {
    let p = decode_point(bytes)?;
    if p.is_identity() {
        return Err(Error::IdentityPoint);
    }
    Ok(p)
}

/// Encodes a point to its canonical 32 bytes.
pub fn encode_point(p: &RistrettoPoint) -> [u8; ELEMENT_LEN] {
    p.compress().to_bytes()
}

fn to_array(bytes: &[u8], what: &'static str) -> Result<[u8; ELEMENT_LEN]> {
    bytes.try_into().map_err(|_| Error::InvalidLength {
        what,
        expected: ELEMENT_LEN,
        actual: bytes.len(),
    })
}

/// Type tags of encoded objects (first header byte). Registered in
/// spec/encoding.md; a tag is never reused for another object kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
#[non_exhaustive]
pub enum Tag {
    /// [`crate::proofs::SchnorrProof`].
    SchnorrProof = 0x01,
    /// [`crate::proofs::DleqProof`].
    DleqProof = 0x02,
    /// [`crate::proofs::DisjunctiveProof`].
    DisjunctiveProof = 0x03,
    /// [`crate::elgamal::Ciphertext`].
    Ciphertext = 0x10,
    /// [`crate::ballot::Manifest`].
    Manifest = 0x60,
    /// [`crate::ballot::EncryptedBallot`].
    EncryptedBallot = 0x61,
    /// [`crate::ballot::EncryptedContest`].
    EncryptedContest = 0x62,
    /// [`crate::ballot::ScoreProof`].
    ScoreProof = 0x63,
    /// [`crate::ballot::ChallengedBallot`].
    ChallengedBallot = 0x64,
    /// [`crate::tally::TallyAccumulator`].
    TallyAccumulator = 0x65,
    /// [`crate::tally::TallyResult`].
    TallyResult = 0x66,
    /// [`crate::record::TrusteeDecryption`].
    TrusteeDecryption = 0x67,
    /// [`crate::trustees::dkg::round1::Package`].
    DkgRound1Package = 0x40,
    /// [`crate::trustees::dkg::round2::Package`].
    DkgRound2Package = 0x41,
    /// [`crate::trustees::dkg::Complaint`].
    DkgComplaint = 0x42,
    /// [`crate::trustees::dkg::DkgParameters`].
    DkgParameters = 0x43,
    /// [`crate::trustees::dkg::DkgTranscript`].
    DkgTranscript = 0x44,
    /// [`crate::trustees::TrusteeSet`].
    TrusteeSet = 0x45,
    /// [`crate::trustees::ShareEvaluation`].
    ShareEvaluation = 0x46,
    /// [`crate::trustees::PartialDecryption`].
    PartialDecryption = 0x47,
    /// [`crate::trustees::SecretShare`] (secret; never in public records).
    SecretShare = 0x48,
    /// [`crate::beacon::threshold::BeaconParameters`].
    BeaconParameters = 0x21,
    /// [`crate::beacon::threshold::BeaconPartial`].
    BeaconPartial = 0x22,
    /// [`crate::beacon::threshold::BeaconRound`].
    BeaconRound = 0x23,
    /// [`crate::beacon::threshold::BeaconRecord`].
    BeaconRecord = 0x24,
    /// [`crate::roll::RollEntry`].
    RollEntry = 0x30,
    /// [`crate::roll::InclusionProof`].
    InclusionProof = 0x31,
    /// [`crate::sortition::DrawAnnouncement`].
    DrawAnnouncement = 0x32,
    /// [`crate::sortition::panel::PanelList`].
    PanelList = 0x33,
    /// [`crate::sortition::panel::PanelAnnouncement`].
    PanelAnnouncement = 0x34,
    /// [`crate::fairness::FeatureQuotas`].
    FeatureQuotas = 0x35,
    /// [`crate::fairness::AllocationList`].
    AllocationList = 0x36,
    /// [`crate::fairness::PoolRoster`].
    PoolRoster = 0x37,
    /// [`crate::fairness::FairnessCertificate`].
    FairnessCertificate = 0x39,
    /// [`crate::credential::MembershipProof`].
    MembershipProof = 0x50,
    /// [`crate::credential::ConsentStatement`].
    ConsentStatement = 0x51,
    /// [`crate::credential::AnonymitySet`].
    AnonymitySet = 0x52,
}

/// Types with a canonical byte encoding.
pub trait Encode {
    /// Appends the canonical encoding of `self` to `w`.
    fn encode(&self, w: &mut Writer);

    /// The canonical encoding of `self` as a fresh vector.
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.encode(&mut w);
        w.into_bytes()
    }
}

/// Types decodable from their canonical byte encoding.
pub trait Decode: Sized {
    /// Human-readable name used in errors.
    const NAME: &'static str;

    /// Reads one value from `r`, leaving any following bytes unread.
    fn decode(r: &mut Reader<'_>) -> Result<Self>;

    /// Decodes a value from exactly `bytes`; trailing bytes are an error.
    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let v = Self::decode(&mut r)?;
        r.finish(Self::NAME)?;
        Ok(v)
    }
}

/// Append-only writer of canonical encodings.
#[derive(Clone, Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the object header `tag ‖ version`.
    pub fn header(&mut self, tag: Tag, version: u8) {
        self.buf.push(tag as u8);
        self.buf.push(version);
    }

    /// Writes one byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Writes a little-endian `u32`.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a little-endian `u64`.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a scalar's canonical 32 bytes.
    pub fn scalar(&mut self, s: &Scalar) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// Writes a point's canonical 32 bytes.
    pub fn point(&mut self, p: &RistrettoPoint) {
        self.buf.extend_from_slice(&encode_point(p));
    }

    /// Writes raw bytes (fixed-length fields only).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Writes a sequence length as a `u32` count.
    ///
    /// Sequences longer than `u32::MAX` cannot be produced by this crate;
    /// the count saturates so that decoding such an encoding fails.
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// Writes a `u32`-length-prefixed byte string.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.raw(bytes);
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// Cursor over untrusted bytes; every read is bounds-checked and returns a
/// typed error instead of panicking.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Takes exactly `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(Error::UnexpectedEnd { what });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    /// Takes a fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let head = self.take(N, what)?;
        head.try_into().map_err(|_| Error::UnexpectedEnd { what })
    }

    /// Reads and checks the header `tag ‖ version`; `supported` lists the
    /// versions this decoder understands. Returns the version found.
    pub fn header(&mut self, tag: Tag, supported: &[u8], what: &'static str) -> Result<u8> {
        let [t, v] = self.array::<2>(what)?;
        if t != tag as u8 {
            return Err(Error::WrongObjectType {
                expected: tag as u8,
                found: t,
            });
        }
        if !supported.contains(&v) {
            return Err(Error::UnsupportedVersion {
                what,
                found: u32::from(v),
            });
        }
        Ok(v)
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8> {
        let [b] = self.array::<1>(what)?;
        Ok(b)
    }

    /// Reads a little-endian `u32`.
    pub fn u32(&mut self, what: &'static str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// Reads a little-endian `u64`.
    pub fn u64(&mut self, what: &'static str) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// Reads a canonical scalar.
    pub fn scalar(&mut self) -> Result<Scalar> {
        decode_scalar(self.take(ELEMENT_LEN, "scalar")?)
    }

    /// Reads a canonical point (identity allowed).
    pub fn point(&mut self) -> Result<RistrettoPoint> {
        decode_point(self.take(ELEMENT_LEN, "point")?)
    }

    /// Reads a canonical point and rejects the identity.
    pub fn nonidentity_point(&mut self) -> Result<RistrettoPoint> {
        decode_nonidentity_point(self.take(ELEMENT_LEN, "point")?)
    }

    /// Reads a sequence count and checks that at least `count × min_item_len`
    /// bytes remain, so a forged count cannot trigger a huge allocation.
    pub fn len(&mut self, min_item_len: usize, what: &'static str) -> Result<usize> {
        let n = usize::try_from(self.u32(what)?).map_err(|_| Error::UnexpectedEnd { what })?;
        let needed = n
            .checked_mul(min_item_len)
            .ok_or(Error::UnexpectedEnd { what })?;
        if needed > self.rest.len() {
            return Err(Error::UnexpectedEnd { what });
        }
        Ok(n)
    }

    /// Reads a `u32`-length-prefixed byte string.
    pub fn bytes(&mut self, what: &'static str) -> Result<&'a [u8]> {
        let n = self.len(1, what)?;
        self.take(n, what)
    }

    /// Fails unless every byte has been consumed.
    pub fn finish(&self, what: &'static str) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                what,
                remaining: self.rest.len(),
            })
        }
    }
}

/// Serde helpers: hex strings in human-readable formats, raw bytes otherwise.
#[cfg(feature = "serde")]
pub mod serde_bytes {
    use super::{Decode, Encode};
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes an [`Encode`] value as hex (human-readable) or bytes.
    pub fn serialize<T: Encode, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serialize_raw(&v.to_bytes(), s)
    }

    /// Deserializes a [`Decode`] value from hex (human-readable) or bytes.
    pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let bytes = deserialize_raw(d)?;
        T::from_bytes(&bytes).map_err(D::Error::custom)
    }

    /// Serializes raw bytes as hex (human-readable) or bytes.
    pub fn serialize_raw<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&hex::encode(bytes))
        } else {
            s.serialize_bytes(bytes)
        }
    }

    /// Deserializes raw bytes from hex (human-readable) or bytes.
    pub fn deserialize_raw<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            hex::decode(s).map_err(|_| D::Error::custom(crate::Error::InvalidHex))
        } else {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Vec<u8>;
                fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    f.write_str("a byte string")
                }
                fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                    Ok(v.to_vec())
                }
                fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                    Ok(v)
                }
            }
            d.deserialize_bytes(V)
        }
    }

    /// Raw bytes that serialize as [`serialize_raw`] and deserialize as
    /// [`deserialize_raw`]: hex in human-readable formats, bytes otherwise.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub(crate) struct HexBytes(pub Vec<u8>);

    impl serde::Serialize for HexBytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_raw(&self.0, s)
        }
    }

    impl<'de> Deserialize<'de> for HexBytes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_raw(d).map(HexBytes)
        }
    }

    /// A `Vec<u8>` field as hex (human-readable) or bytes:
    /// `#[serde(with = "kleroterion::encoding::serde_bytes::raw")]`.
    pub mod raw {
        pub use super::deserialize_raw as deserialize;
        pub use super::serialize_raw as serialize;
    }

    /// An `Option<Vec<u8>>` field as an optional hex string (human-readable)
    /// or optional bytes: `None` is `null`. With
    /// `#[serde(default, skip_serializing_if = "Option::is_none", with =
    /// "kleroterion::encoding::serde_bytes::raw_option")]` the field is left
    /// out when `None` and may be missing.
    pub mod raw_option {
        use super::HexBytes;
        use alloc::vec::Vec;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some(bytes)` as hex or bytes, `None` as none.
        pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(b) => s.serialize_some(&HexBytes(b.clone())),
                None => s.serialize_none(),
            }
        }

        /// Reads optional hex (human-readable) or optional bytes.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
            Ok(Option::<HexBytes>::deserialize(d)?.map(|h| h.0))
        }
    }
}

/// Implements `serde::Serialize`/`Deserialize` for a type through its
/// canonical encoding ([`Encode`]/[`Decode`]), so that serde input goes
/// through exactly the same validation as binary input.
#[macro_export]
#[doc(hidden)]
macro_rules! impl_serde_via_encoding {
    ($t:ty) => {
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> core::result::Result<S::Ok, S::Error> {
                $crate::encoding::serde_bytes::serialize(self, s)
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> core::result::Result<Self, D::Error> {
                $crate::encoding::serde_bytes::deserialize(d)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;

    #[test]
    fn scalar_roundtrip_and_rejects_noncanonical() {
        let s = Scalar::from(12345u64);
        assert_eq!(decode_scalar(s.as_bytes()).unwrap(), s);
        // ℓ itself is not canonical.
        let l: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        assert_eq!(decode_scalar(&l), Err(Error::NonCanonicalScalar));
        assert_eq!(decode_scalar(&[0xff; 32]), Err(Error::NonCanonicalScalar));
        assert!(matches!(
            decode_scalar(&[0; 31]),
            Err(Error::InvalidLength {
                expected: 32,
                actual: 31,
                ..
            })
        ));
    }

    #[test]
    fn point_rules() {
        let g = RISTRETTO_BASEPOINT_POINT;
        assert_eq!(decode_point(&encode_point(&g)).unwrap(), g);
        assert!(decode_point(&[0; 32]).is_ok());
        assert_eq!(
            decode_nonidentity_point(&[0; 32]),
            Err(Error::IdentityPoint)
        );
        assert_eq!(decode_point(&[0xff; 32]), Err(Error::InvalidPoint));
        assert!(matches!(
            decode_point(&[0; 33]),
            Err(Error::InvalidLength {
                expected: 32,
                actual: 33,
                ..
            })
        ));
    }

    #[test]
    fn reader_bounds() {
        let mut w = Writer::new();
        w.header(Tag::SchnorrProof, 1);
        w.u32(7);
        w.bytes(b"abc");
        let bytes = w.into_bytes();

        let mut r = Reader::new(&bytes);
        assert_eq!(r.header(Tag::SchnorrProof, &[1], "x").unwrap(), 1);
        assert_eq!(r.u32("n").unwrap(), 7);
        assert_eq!(r.bytes("b").unwrap(), b"abc");
        r.finish("x").unwrap();

        let mut r = Reader::new(&bytes);
        assert_eq!(
            r.header(Tag::DleqProof, &[1], "x"),
            Err(Error::WrongObjectType {
                expected: Tag::DleqProof as u8,
                found: Tag::SchnorrProof as u8
            })
        );
        let mut r = Reader::new(&bytes);
        assert!(matches!(
            r.header(Tag::SchnorrProof, &[2], "x"),
            Err(Error::UnsupportedVersion { found: 1, .. })
        ));
        // A forged count larger than the input is rejected before allocating.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0]);
        assert!(matches!(r.len(32, "v"), Err(Error::UnexpectedEnd { .. })));
        let r = Reader::new(&[1]);
        assert!(matches!(
            r.finish("x"),
            Err(Error::TrailingBytes { remaining: 1, .. })
        ));
    }
}
