//! Anonymity sets and the partition of a large roll (spec/credential.md §3).

use alloc::vec::Vec;

use curve25519_dalek::ristretto::RistrettoPoint;
use sha3::{Digest, Sha3_256};
use subtle::{ConditionallySelectable, ConstantTimeEq};

use super::keys::CitizenPublicKey;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::hash::hash_to_point;

/// Largest anonymity set: `2^16` keys, so the depth `m` is at most 16.
pub const MAX_SET_SIZE: usize = 1 << 16;

/// Largest depth `m = ⌈log₂ N⌉` (for `N = MAX_SET_SIZE`).
pub const MAX_DEPTH: usize = 16;

/// Domain prefix of the set commitment (spec/credential.md §3.1).
const SET_COMMITMENT_PREFIX: &[u8] = b"kleroterion/v1/credential-set";

/// Domain-separation tag of the bit-commitment generators `H_{j,i}`.
pub const GENERATOR_DST: &[u8] = b"kleroterion/v1/credential-h";

/// An anonymity set: `1 ≤ N ≤ 2^16` distinct citizen public keys in
/// canonical order (ascending encoding), with its commitment
/// `SHA3-256("kleroterion/v1/credential-set" ‖ u32_le(N) ‖ key₀ ‖ … ‖ key_{N−1})`.
///
/// A membership proof is made and verified against a set; the set's
/// commitment and size are bound into the proof transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnonymitySet {
    keys: Vec<CitizenPublicKey>,
    commitment: [u8; 32],
    depth: usize,
    generators: Vec<RistrettoPoint>,
}

impl AnonymitySet {
    /// Builds a set from keys in any order. Rejects an empty list, more than
    /// [`MAX_SET_SIZE`] keys, and duplicate keys (the identity cannot occur:
    /// [`CitizenPublicKey`] excludes it).
    pub fn new(mut keys: Vec<CitizenPublicKey>) -> Result<Self> {
        if keys.is_empty() || keys.len() > MAX_SET_SIZE {
            return Err(Error::InvalidParameter {
                what: "anonymity set must hold between 1 and 65536 keys",
            });
        }
        keys.sort_unstable();
        if keys.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(Error::InvalidParameter {
                what: "anonymity set contains a duplicate key",
            });
        }
        let depth = depth_for(keys.len());
        let mut h = Sha3_256::new();
        h.update(SET_COMMITMENT_PREFIX);
        // `keys.len() ≤ 2^16`, so the count fits in a u32.
        h.update((keys.len() as u32).to_le_bytes());
        for k in &keys {
            h.update(k.as_bytes());
        }
        Ok(Self {
            keys,
            commitment: h.finalize().into(),
            depth,
            generators: generators(depth),
        })
    }

    /// Splits a roll of any size into anonymity sets of at most
    /// [`MAX_SET_SIZE`] keys (spec/credential.md §3.3): the keys are sorted
    /// by encoding and cut into `k = ⌈N / 2^16⌉` consecutive runs whose
    /// sizes differ by at most one (the first `N mod k` runs get one extra
    /// key). Rejects an empty roll and duplicate keys.
    pub fn partition(mut keys: Vec<CitizenPublicKey>) -> Result<Vec<Self>> {
        if keys.is_empty() {
            return Err(Error::InvalidParameter {
                what: "anonymity set must hold between 1 and 65536 keys",
            });
        }
        keys.sort_unstable();
        let n = keys.len();
        let parts = n.div_ceil(MAX_SET_SIZE);
        let (base, extra) = (n / parts, n % parts);
        let mut sets = Vec::with_capacity(parts);
        let mut rest = keys.as_slice();
        for p in 0..parts {
            let size = base + usize::from(p < extra);
            let (chunk, tail) = rest.split_at(size.min(rest.len()));
            sets.push(Self::new(chunk.to_vec())?);
            rest = tail;
        }
        Ok(sets)
    }

    /// The keys in canonical order.
    pub fn keys(&self) -> &[CitizenPublicKey] {
        &self.keys
    }

    /// Number of keys `N`.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false: a set holds at least one key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The depth `m = max(1, ⌈log₂ N⌉)`: proofs over this set have `m`
    /// bits (spec/credential.md §4.1).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The set commitment bound into every proof transcript.
    pub fn commitment(&self) -> &[u8; 32] {
        &self.commitment
    }

    /// Whether `key` is in the set.
    pub fn contains(&self, key: &CitizenPublicKey) -> bool {
        self.keys.binary_search(key).is_ok()
    }

    /// The position of `key`, found by a scan whose memory accesses and
    /// timing do not depend on which key matches (the prover's index is
    /// secret).
    pub(crate) fn position_ct(&self, key: &CitizenPublicKey) -> Option<usize> {
        let mut found = subtle::Choice::from(0);
        let mut index = 0u64;
        for (i, k) in self.keys.iter().enumerate() {
            let hit = k.as_bytes().ct_eq(key.as_bytes());
            index.conditional_assign(&(i as u64), hit);
            found |= hit;
        }
        Option::<u64>::from(subtle::CtOption::new(index, found))
            .and_then(|i| usize::try_from(i).ok())
    }

    /// The bit-commitment generators `H_{j,i}` at position `2j + i`.
    pub(crate) fn generators(&self) -> &[RistrettoPoint] {
        &self.generators
    }
}

/// `m = max(1, ⌈log₂ n⌉)` for `1 ≤ n ≤ 2^16`.
fn depth_for(n: usize) -> usize {
    (n.next_power_of_two().trailing_zeros() as usize).max(1)
}

/// The `2m` generators `H_{j,i} = hash_to_point(GENERATOR_DST, [j, i])`.
fn generators(depth: usize) -> Vec<RistrettoPoint> {
    (0..depth)
        .flat_map(|j| (0..2u8).map(move |i| (j, i)))
        .map(|(j, i)| hash_to_point(GENERATOR_DST, &[j as u8, i]))
        .collect()
}

impl Encode for AnonymitySet {
    /// `0x52 ‖ 0x01 ‖ u32 N ‖ key₀ ‖ … ‖ key_{N−1}` (canonical order).
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::AnonymitySet, 1);
        w.len(self.keys.len());
        for k in &self.keys {
            k.encode(w);
        }
    }
}

impl Decode for AnonymitySet {
    const NAME: &'static str = "AnonymitySet";

    /// Decodes a set; the keys must be in strictly ascending order, so that
    /// every set has exactly one encoding.
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::AnonymitySet, &[1], Self::NAME)?;
        let n = r.len(32, Self::NAME)?;
        let keys = (0..n)
            .map(|_| CitizenPublicKey::decode(r))
            .collect::<Result<Vec<_>>>()?;
        if keys.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err(Error::InvalidParameter {
                what: "encoded anonymity set keys must be strictly ascending",
            });
        }
        Self::new(keys)
    }
}

crate::impl_serde_via_encoding!(AnonymitySet);
