//! drand rounds as a beacon source (spec/beacon.md §3).
//!
//! The League of Entropy's drand networks publish, every `period` seconds,
//! a threshold BLS signature on BLS12-381 over the round number; its
//! SHA-256 is the round's randomness. This module verifies such rounds
//! against a network's chain info, with no trust in whoever relays them:
//!
//! * [`DrandScheme::UnchainedG1`] (`bls-unchained-g1-rfc9380`, the
//!   `quicknet` network): signatures on G1 (48 bytes), the public key on G2
//!   (96 bytes), message `SHA-256(BE64(round))`, hashed to G1 with the
//!   RFC 9380 suite `BLS12381G1_XMD:SHA-256_SSWU_RO_`;
//! * [`DrandScheme::Chained`] (`pedersen-bls-chained`, the League's default
//!   network): signatures on G2 (96 bytes), the public key on G1 (48
//!   bytes), message `SHA-256(previous_signature ‖ BE64(round))`, hashed to
//!   G2 with `BLS12381G2_XMD:SHA-256_SSWU_RO_`.
//!
//! A network is identified by its chain hash ([`DrandChain::chain_hash`]),
//! SHA-256 of its chain info's canonical packing, which every drand client
//! checks; [`DrandChain`] recomputes it, so a chain info obtained anywhere
//! is checked against the hash an auditor holds. A verified round yields
//! its randomness as a [`BeaconOutput`], the same 32-byte value that seeds
//! a draw from the crate's threshold beacon (spec/sortition.md §4.1).
//!
//! The arithmetic is the `bls12_381` crate (zkcrypto): pure Rust, `no_std`,
//! with the RFC 9380 hash-to-curve of its `experimental` feature. Point
//! decoding is strict: a compressed encoding must be canonical, on the
//! curve and in the prime-order subgroup, and the identity is rejected.

use alloc::string::String;
use alloc::vec::Vec;

use bls12_381::hash_to_curve::{ExpandMsgXmd, HashToCurve};
use bls12_381::{
    multi_miller_loop, G1Affine, G1Projective, G2Affine, G2Prepared, G2Projective, Gt,
};
use sha2::{Digest as _, Sha256};

use super::{BeaconOutput, VerifiedRounds};
use crate::error::{Error, Result};
use crate::roll::Digest;

#[cfg(feature = "serde")]
mod info;

/// RFC 9380 domain separation tag of the G1 signatures
/// ([`DrandScheme::UnchainedG1`]): the ciphersuite
/// `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_` of draft-irtf-cfrg-bls-signature-05 §4.2.1.
pub const DST_G1: &[u8] = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
/// RFC 9380 domain separation tag of the G2 signatures
/// ([`DrandScheme::Chained`]).
pub const DST_G2: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

/// Length of a compressed G1 point.
pub const G1_LEN: usize = 48;
/// Length of a compressed G2 point.
pub const G2_LEN: usize = 96;
/// Length of a genesis seed (drand's `genesis_seed`, a SHA-256 output).
pub const SEED_LEN: usize = 32;

/// Longest beacon id accepted in a chain info, in bytes.
pub const MAX_BEACON_ID: usize = 64;

/// A drand signature scheme, named as drand names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DrandScheme {
    /// `pedersen-bls-chained`: signatures on G2 over
    /// `SHA-256(previous_signature ‖ BE64(round))`, the key on G1.
    Chained,
    /// `bls-unchained-g1-rfc9380`: signatures on G1 over
    /// `SHA-256(BE64(round))`, the key on G2.
    UnchainedG1,
}

impl DrandScheme {
    /// drand's name of the scheme (its chain info's `scheme` or `schemeID`).
    pub fn name(self) -> &'static str {
        match self {
            DrandScheme::Chained => "pedersen-bls-chained",
            DrandScheme::UnchainedG1 => "bls-unchained-g1-rfc9380",
        }
    }

    /// The scheme named `name`; other drand schemes (`pedersen-bls-unchained`,
    /// the deprecated `bls-unchained-on-g1`, BN254) are not supported.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "pedersen-bls-chained" => Ok(DrandScheme::Chained),
            "bls-unchained-g1-rfc9380" => Ok(DrandScheme::UnchainedG1),
            _ => Err(Error::InvalidParameter {
                what: "unsupported drand scheme (pedersen-bls-chained and bls-unchained-g1-rfc9380 are)",
            }),
        }
    }

    /// Length of the scheme's signatures.
    pub fn signature_len(self) -> usize {
        match self {
            DrandScheme::Chained => G2_LEN,
            DrandScheme::UnchainedG1 => G1_LEN,
        }
    }

    /// Length of the scheme's public key.
    pub fn public_key_len(self) -> usize {
        match self {
            DrandScheme::Chained => G1_LEN,
            DrandScheme::UnchainedG1 => G2_LEN,
        }
    }
}

/// A decoded, validated group public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PublicKey {
    G1(G1Affine),
    G2(G2Affine),
}

/// Decodes a compressed G1 point: exactly 48 bytes, canonical, on the
/// curve, in the prime-order subgroup, not the identity.
pub fn decode_g1(bytes: &[u8], what: &'static str) -> Result<G1Affine> {
    let arr: &[u8; G1_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
        what,
        expected: G1_LEN,
        actual: bytes.len(),
    })?;
    let p = Option::<G1Affine>::from(G1Affine::from_compressed(arr)).ok_or(Error::InvalidPoint)?;
    if bool::from(p.is_identity()) {
        return Err(Error::IdentityPoint);
    }
    Ok(p)
}

/// Decodes a compressed G2 point: exactly 96 bytes, canonical, on the
/// curve, in the prime-order subgroup, not the identity.
pub fn decode_g2(bytes: &[u8], what: &'static str) -> Result<G2Affine> {
    let arr: &[u8; G2_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
        what,
        expected: G2_LEN,
        actual: bytes.len(),
    })?;
    let p = Option::<G2Affine>::from(G2Affine::from_compressed(arr)).ok_or(Error::InvalidPoint)?;
    if bool::from(p.is_identity()) {
        return Err(Error::IdentityPoint);
    }
    Ok(p)
}

/// A drand network's chain info: everything a client needs to verify its
/// rounds, and what its chain hash commits to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrandChain {
    scheme: DrandScheme,
    public_key: Vec<u8>,
    key: PublicKey,
    period: u32,
    genesis_time: u64,
    genesis_seed: [u8; SEED_LEN],
    beacon_id: String,
}

impl DrandChain {
    /// A chain info from its parts; the public key is decoded and validated
    /// for the scheme (G1 for [`DrandScheme::Chained`], G2 for
    /// [`DrandScheme::UnchainedG1`]), the period is at least one second
    /// and the beacon id at most [`MAX_BEACON_ID`] bytes.
    pub fn new(
        scheme: DrandScheme,
        public_key: &[u8],
        period: u32,
        genesis_time: u64,
        genesis_seed: [u8; SEED_LEN],
        beacon_id: impl Into<String>,
    ) -> Result<Self> {
        let key = match scheme {
            DrandScheme::Chained => PublicKey::G1(decode_g1(public_key, "drand public key")?),
            DrandScheme::UnchainedG1 => PublicKey::G2(decode_g2(public_key, "drand public key")?),
        };
        if period == 0 {
            return Err(Error::InvalidParameter {
                what: "a drand period is at least one second",
            });
        }
        // drand hashes the genesis time as a signed 64-bit integer.
        if i64::try_from(genesis_time).is_err() {
            return Err(Error::InvalidParameter {
                what: "drand genesis time out of range",
            });
        }
        let beacon_id = beacon_id.into();
        if beacon_id.len() > MAX_BEACON_ID {
            return Err(Error::InvalidParameter {
                what: "drand beacon id longer than 64 bytes",
            });
        }
        Ok(DrandChain {
            scheme,
            public_key: public_key.to_vec(),
            key,
            period,
            genesis_time,
            genesis_seed,
            beacon_id,
        })
    }

    /// The signature scheme.
    pub fn scheme(&self) -> DrandScheme {
        self.scheme
    }

    /// The group public key, compressed.
    pub fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    /// Seconds between rounds.
    pub fn period(&self) -> u32 {
        self.period
    }

    /// Unix time (seconds) of round 1.
    pub fn genesis_time(&self) -> u64 {
        self.genesis_time
    }

    /// The genesis seed (drand's `genesis_seed`, formerly `groupHash`): the
    /// previous signature of round 1 of a chained network.
    pub fn genesis_seed(&self) -> &[u8; SEED_LEN] {
        &self.genesis_seed
    }

    /// The beacon id (`default`, `quicknet`, …).
    pub fn beacon_id(&self) -> &str {
        &self.beacon_id
    }

    /// The chain hash, as drand computes it (`common/chain/info.go`,
    /// `Info.Hash`):
    /// `SHA-256(BE32(period) ‖ BE64(genesis_time) ‖ public_key ‖
    /// genesis_seed ‖ beacon_id)`, where `beacon_id` is omitted when it is
    /// `""` or `"default"`.
    pub fn chain_hash(&self) -> Digest {
        let mut h = Sha256::new();
        h.update(self.period.to_be_bytes());
        h.update(self.genesis_time.to_be_bytes());
        h.update(&self.public_key);
        h.update(self.genesis_seed);
        if !matches!(self.beacon_id.as_str(), "" | "default") {
            h.update(self.beacon_id.as_bytes());
        }
        Digest(h.finalize().into())
    }

    /// The time round `round` is due: `genesis_time + (round − 1)·period`
    /// (drand's `TimeOfRound`); `None` for round 0 or on overflow. Honest
    /// nodes never sign a round before this time.
    pub fn round_time(&self, round: u64) -> Option<u64> {
        let steps = round.checked_sub(1)?;
        steps
            .checked_mul(u64::from(self.period))?
            .checked_add(self.genesis_time)
    }

    /// The 32-byte message a round's signature signs:
    /// `SHA-256(BE64(round))` unchained, `SHA-256(previous ‖ BE64(round))`
    /// chained.
    pub fn message(&self, round: &DrandRound) -> Result<[u8; 32]> {
        let mut h = Sha256::new();
        if self.scheme == DrandScheme::Chained {
            let prev = round
                .previous_signature
                .as_deref()
                .ok_or(Error::InvalidParameter {
                    what: "a chained drand round needs its previous signature",
                })?;
            h.update(prev);
        } else if round.previous_signature.is_some() {
            return Err(Error::InvalidParameter {
                what: "an unchained drand round has no previous signature",
            });
        }
        h.update(round.round.to_be_bytes());
        Ok(h.finalize().into())
    }

    /// Verifies one round: round ≥ 1; the chained round 1 signs the genesis
    /// seed and any other chained round a previous signature of the scheme's
    /// length; the signature decodes (canonical, in the subgroup, not the
    /// identity) and verifies under the chain's key. Returns the round's
    /// randomness `SHA-256(signature)`.
    pub fn verify_round(&self, round: &DrandRound) -> Result<BeaconOutput> {
        if round.round == 0 {
            return Err(Error::InvalidParameter {
                what: "drand rounds start at 1",
            });
        }
        if let (DrandScheme::Chained, Some(prev)) = (self.scheme, &round.previous_signature) {
            let ok = if round.round == 1 {
                prev.as_slice() == self.genesis_seed.as_slice()
            } else {
                prev.len() == G2_LEN
            };
            if !ok {
                return Err(Error::InvalidParameter {
                    what: "a chained drand round's previous signature is the genesis seed (round 1) or a 96-byte signature",
                });
            }
        }
        let msg = self.message(round)?;
        let holds = match self.key {
            PublicKey::G2(pk) => {
                let sig = decode_g1(&round.signature, "drand signature")?;
                let hm = G1Affine::from(
                    <G1Projective as HashToCurve<ExpandMsgXmd<Sha256>>>::hash_to_curve(
                        [msg.as_slice()],
                        DST_G1,
                    ),
                );
                let g2 = G2Prepared::from(-G2Affine::generator());
                let pk = G2Prepared::from(pk);
                multi_miller_loop(&[(&sig, &g2), (&hm, &pk)]).final_exponentiation()
                    == Gt::identity()
            }
            PublicKey::G1(pk) => {
                let sig = decode_g2(&round.signature, "drand signature")?;
                let hm = G2Affine::from(
                    <G2Projective as HashToCurve<ExpandMsgXmd<Sha256>>>::hash_to_curve(
                        [msg.as_slice()],
                        DST_G2,
                    ),
                );
                let g1 = -G1Affine::generator();
                multi_miller_loop(&[(&g1, &G2Prepared::from(sig)), (&pk, &G2Prepared::from(hm))])
                    .final_exponentiation()
                    == Gt::identity()
            }
        };
        if !holds {
            return Err(Error::VerificationFailed {
                proof: "drand round signature",
            });
        }
        Ok(randomness(&round.signature))
    }
}

/// A round's randomness: `SHA-256(signature)`.
pub fn randomness(signature: &[u8]) -> BeaconOutput {
    BeaconOutput(Sha256::digest(signature).into())
}

/// One published drand round, as drand's HTTP API serves it (without the
/// randomness, which is recomputed from the signature).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrandRound {
    /// The round number (from 1).
    pub round: u64,
    /// The group signature (48 bytes on G1, 96 on G2).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub signature: Vec<u8>,
    /// The previous round's signature (the genesis seed for round 1):
    /// present exactly for a chained network.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::encoding::serde_bytes::raw_option"
        )
    )]
    pub previous_signature: Option<Vec<u8>>,
}

/// The drand part of a record: the chain info and the rounds used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrandBeacon {
    /// The network's chain info (its chain hash is what an auditor anchors).
    pub chain: DrandChain,
    /// Rounds, strictly ascending.
    pub rounds: Vec<DrandRound>,
}

impl DrandBeacon {
    /// Verifies every round under the chain info: rounds strictly ascending,
    /// each signature valid, and for a chained network each round that
    /// follows its predecessor in the list signs that predecessor's
    /// signature. Returns the verified outputs, or the first failure as
    /// [`Error::RoundFailed`].
    pub fn verify(&self) -> Result<VerifiedRounds> {
        let mut out = VerifiedRounds::new();
        let mut last: Option<&DrandRound> = None;
        for r in &self.rounds {
            let fail = |check: &'static str| Error::RoundFailed {
                round: r.round,
                check,
            };
            if let Some(p) = last {
                if r.round <= p.round {
                    return Err(fail("drand rounds are not strictly ascending"));
                }
                let follows = p.round.checked_add(1) == Some(r.round);
                if self.chain.scheme == DrandScheme::Chained
                    && follows
                    && r.previous_signature.as_deref() != Some(p.signature.as_slice())
                {
                    return Err(fail("the previous signature is not the previous round's"));
                }
            }
            let output = self.chain.verify_round(r).map_err(|e| match e {
                Error::VerificationFailed { .. } => fail("the signature does not verify"),
                Error::InvalidPoint | Error::IdentityPoint | Error::InvalidLength { .. } => {
                    fail("the signature is not a valid point")
                }
                _ => fail("the round is malformed for its scheme"),
            })?;
            out.insert_verified(r.round, output);
            last = Some(r);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
