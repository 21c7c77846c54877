//! Consent rolls and their SHA3-256 Merkle commitment (spec/roll.md).
//!
//! A polity's consent roll for a year lists every citizen who consented to
//! citizenship that year: the citizen's public key and the stratum
//! attributes a draw may use for quotas (region, age band, …) as opaque
//! labelled values ([`RollEntry`]). The roll is sorted canonically — strictly
//! ascending by citizen key, which is also the order of the encoded leaves —
//! so that one set of citizens has exactly one roll and one root, and a
//! citizen cannot appear twice (spec/roll.md §2).
//!
//! The roll is committed by the Merkle tree of RFC 9162 §2.1 with SHA3-256
//! and domain-separated hashes (spec/roll.md §3):
//!
//! * leaf: `SHA3-256(0x00 ‖ "kleroterion/roll/leaf/v1" ‖ encode(entry))`;
//! * node: `SHA3-256(0x01 ‖ left ‖ right)`;
//! * a tree of `n > 1` leaves splits at `k`, the largest power of two
//!   `< n`: the left subtree holds the first `k` leaves, the right the rest.
//!   No node is ever duplicated, so there is no second-preimage trick with
//!   odd levels (the Bitcoin CVE-2012-2459 defect).
//!
//! [`RollBuilder`] computes the root in one streaming pass with `O(log n)`
//! memory; [`ProofBuilder`] makes a second streaming pass and records the
//! inclusion proofs of chosen entries only, which may be chosen while the
//! pass runs (the draw resolves its selection that way).
//!
//! # Example
//!
//! ```
//! use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
//! use curve25519_dalek::scalar::Scalar;
//! use kleroterion::roll::{prove_indices, roll_digest, Attribute, CitizenKey, RollEntry};
//!
//! // Five citizens in two regions, sorted canonically (ascending keys).
//! let mut roll = (1..=5u64)
//!     .map(|i| {
//!         let key = CitizenKey::from_point(&(G * Scalar::from(i)))?;
//!         let region = if i % 2 == 0 { "north" } else { "south" };
//!         RollEntry::new(key, vec![Attribute::new("region", region)?])
//!     })
//!     .collect::<Result<Vec<_>, _>>()?;
//! roll.sort_by(|a, b| a.key().cmp(b.key()));
//! let digest = roll_digest(&roll)?; // what the organiser publishes
//! assert_eq!(digest.size, 5);
//!
//! // A drawn entry's inclusion proof verifies against the root, for that entry only.
//! let proofs = prove_indices(&roll, digest, &[3])?;
//! let (entry, proof) = &proofs[0];
//! proof.verify(entry, &digest)?;
//! assert!(proof.verify(&roll[0], &digest).is_err());
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;
use curve25519_dalek::ristretto::RistrettoPoint;
use sha3::{Digest as _, Sha3_256};

use crate::credential::CitizenPublicKey;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};

/// Domain label of leaf hashes (spec/roll.md §3).
pub const LEAF_DOMAIN: &[u8] = b"kleroterion/roll/leaf/v1";
/// Most attributes one entry may carry.
pub const MAX_ATTRIBUTES: usize = 16;
/// Longest attribute label in bytes.
pub const MAX_LABEL_LEN: usize = 64;
/// Longest attribute value in bytes.
pub const MAX_VALUE_LEN: usize = 255;

/// A 32-byte SHA3-256 digest (a Merkle node, a root, a seed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(pub [u8; 32]);

impl Encode for Digest {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}

impl Decode for Digest {
    const NAME: &'static str = "digest";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(Digest(r.array(Self::NAME)?))
    }
}

crate::impl_serde_via_encoding!(Digest);

/// A citizen's public key on a roll: the compact form of a
/// [`CitizenPublicKey`], its canonical 32-byte encoding (checked to decode
/// to a non-identity ristretto255 point when made) without the decoded
/// point, so that a roll of 10^8 entries holds 32 bytes per key. Ordered
/// by its bytes, like [`CitizenPublicKey`]; both encode as the same 32
/// bytes (spec/roll.md §2, spec/credential.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CitizenKey([u8; 32]);

impl CitizenKey {
    /// Validates `bytes` as a canonical, non-identity ristretto255 encoding
    /// (the checks of [`CitizenPublicKey::from_bytes`]).
    pub fn new(bytes: [u8; 32]) -> Result<Self> {
        CitizenPublicKey::from_bytes(&bytes).map(Self::from)
    }

    /// The key of a point; the identity is rejected.
    pub fn from_point(p: &RistrettoPoint) -> Result<Self> {
        CitizenPublicKey::from_point(*p).map(Self::from)
    }

    /// The canonical encoding.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The decoded key, e.g. for an anonymity set of credential proofs
    /// (decodes the point again: the roll keeps only the bytes).
    pub fn public_key(&self) -> Result<CitizenPublicKey> {
        CitizenPublicKey::from_bytes(&self.0)
    }
}

/// The compact form of a decoded key: no check, no arithmetic.
impl From<CitizenPublicKey> for CitizenKey {
    fn from(key: CitizenPublicKey) -> Self {
        CitizenKey(*key.as_bytes())
    }
}

impl Encode for CitizenKey {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}

impl Decode for CitizenKey {
    const NAME: &'static str = "citizen key";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        CitizenKey::new(r.array(Self::NAME)?)
    }
}

crate::impl_serde_via_encoding!(CitizenKey);

/// One labelled stratum attribute of a roll entry, e.g. `region = "north"`.
/// The value is opaque bytes: the crate only compares them for equality.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "AttributeRepr"))]
pub struct Attribute {
    label: String,
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct AttributeRepr {
    label: String,
    #[serde(with = "crate::encoding::serde_bytes::raw")]
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<AttributeRepr> for Attribute {
    type Error = Error;
    fn try_from(r: AttributeRepr) -> Result<Self> {
        Attribute::new(r.label, r.value)
    }
}

/// Checks an attribute label: 1 to [`MAX_LABEL_LEN`] printable ASCII bytes
/// without spaces.
pub(crate) fn check_label(label: &str) -> Result<()> {
    if label.is_empty()
        || label.len() > MAX_LABEL_LEN
        || !label.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(Error::InvalidParameter {
            what: "attribute label must be 1..=64 printable ASCII bytes",
        });
    }
    Ok(())
}

impl Attribute {
    /// A labelled value. The label is 1 to 64 printable ASCII bytes; the
    /// value at most 255 bytes.
    pub fn new(label: impl Into<String>, value: impl Into<Vec<u8>>) -> Result<Self> {
        let label = label.into();
        let value = value.into();
        check_label(&label)?;
        if value.len() > MAX_VALUE_LEN {
            return Err(Error::InvalidParameter {
                what: "attribute value longer than 255 bytes",
            });
        }
        Ok(Attribute { label, value })
    }

    /// The label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The opaque value.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

/// One line of a consent roll: a citizen key and its stratum attributes,
/// kept sorted by label with no label repeated.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RollEntryRepr"))]
pub struct RollEntry {
    key: CitizenKey,
    attributes: Vec<Attribute>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RollEntryRepr {
    key: CitizenKey,
    attributes: Vec<Attribute>,
}

#[cfg(feature = "serde")]
impl TryFrom<RollEntryRepr> for RollEntry {
    type Error = Error;
    fn try_from(r: RollEntryRepr) -> Result<Self> {
        RollEntry::new(r.key, r.attributes)
    }
}

impl RollEntry {
    /// An entry; the attributes are sorted by label, and a repeated label or
    /// more than [`MAX_ATTRIBUTES`] attributes is rejected.
    pub fn new(key: CitizenKey, mut attributes: Vec<Attribute>) -> Result<Self> {
        if attributes.len() > MAX_ATTRIBUTES {
            return Err(Error::InvalidParameter {
                what: "roll entry has more than 16 attributes",
            });
        }
        attributes.sort();
        if attributes.windows(2).any(|w| match w {
            [a, b] => a.label == b.label,
            _ => false,
        }) {
            return Err(Error::InvalidParameter {
                what: "roll entry repeats an attribute label",
            });
        }
        Ok(RollEntry { key, attributes })
    }

    /// The citizen's key.
    pub fn key(&self) -> &CitizenKey {
        &self.key
    }

    /// The attributes, sorted by label.
    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The value of the attribute labelled `label`, if present.
    pub fn attribute(&self, label: &str) -> Option<&[u8]> {
        self.attributes
            .binary_search_by(|a| a.label.as_str().cmp(label))
            .ok()
            .and_then(|i| self.attributes.get(i))
            .map(|a| a.value.as_slice())
    }

    /// The leaf hash `SHA3-256(0x00 ‖ LEAF_DOMAIN ‖ encode(entry))`
    /// (spec/roll.md §3).
    pub fn leaf_hash(&self) -> Digest {
        let mut h = leaf_hasher();
        self.write_encoding(|b| h.update(b));
        Digest(h.finalize().into())
    }

    /// Emits the canonical encoding piece by piece: the one definition used
    /// both by [`Encode`] and, without an intermediate buffer, by
    /// [`leaf_hash`](Self::leaf_hash).
    fn write_encoding(&self, mut out: impl FnMut(&[u8])) {
        out(&[Tag::RollEntry as u8, 1]);
        out(&self.key.0);
        out(&len_le(self.attributes.len()));
        for a in &self.attributes {
            out(&len_le(a.label.len()));
            out(a.label.as_bytes());
            out(&len_le(a.value.len()));
            out(&a.value);
        }
    }
}

impl Encode for RollEntry {
    /// `0x30 ‖ 0x01 ‖ key(32) ‖ u32 count ‖ (u32 len ‖ label ‖ u32 len ‖ value)*`
    fn encode(&self, w: &mut Writer) {
        self.write_encoding(|b| w.raw(b));
    }
}

impl Decode for RollEntry {
    const NAME: &'static str = "roll entry";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::RollEntry, &[1], Self::NAME)?;
        let key = CitizenKey::decode(r)?;
        let n = r.len(8, Self::NAME)?;
        let mut attributes = Vec::with_capacity(n.min(MAX_ATTRIBUTES));
        for _ in 0..n {
            let label = core::str::from_utf8(r.bytes("attribute label")?).map_err(|_| {
                Error::InvalidParameter {
                    what: "attribute label must be 1..=64 printable ASCII bytes",
                }
            })?;
            let value = r.bytes("attribute value")?;
            attributes.push(Attribute::new(label, value)?);
        }
        // Canonical form: attributes strictly ascending, as `new` produces.
        let sorted = attributes.windows(2).all(|w| match w {
            [a, b] => a.label < b.label,
            _ => true,
        });
        if !sorted {
            return Err(Error::InvalidParameter {
                what: "roll entry attributes not strictly sorted by label",
            });
        }
        RollEntry::new(key, attributes)
    }
}

/// The commitment to a roll: its Merkle root and its number of entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RollDigest {
    /// Merkle tree head (spec/roll.md §3).
    pub root: Digest,
    /// Number of entries; never 0.
    pub size: u64,
}

/// The leaf hash of an encoded roll entry:
/// `SHA3-256(0x00 ‖ LEAF_DOMAIN ‖ encoded_entry)` (spec/roll.md §3).
pub fn leaf_hash(encoded_entry: &[u8]) -> Digest {
    let mut h = leaf_hasher();
    h.update(encoded_entry);
    Digest(h.finalize().into())
}

/// SHA3-256 after absorbing `0x00 ‖ LEAF_DOMAIN`.
fn leaf_hasher() -> Sha3_256 {
    let mut h = Sha3_256::new();
    h.update([0x00]);
    h.update(LEAF_DOMAIN);
    h
}

/// A sequence length as the encoding writes it (`u32` LE; entries hold at
/// most 16 attributes of at most 255 bytes, so it never saturates).
fn len_le(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes()
}

/// `SHA3-256(0x01 ‖ left ‖ right)`.
pub(crate) fn node_hash(left: &Digest, right: &Digest) -> Digest {
    let mut h = Sha3_256::new();
    h.update([0x01]);
    h.update(left.0);
    h.update(right.0);
    Digest(h.finalize().into())
}

/// A completed perfect subtree: leaves `[start, start + len)`, `len` a power
/// of two.
#[derive(Clone, Copy, Debug)]
struct Block {
    start: u64,
    len: u64,
    hash: Digest,
}

/// The streaming tree: a stack of perfect subtrees of strictly decreasing
/// size — the binary decomposition of the number of leaves so far.
#[derive(Clone, Debug, Default)]
struct Stack {
    blocks: Vec<Block>,
    count: u64,
}

impl Stack {
    /// Pushes a leaf and merges equal-sized neighbours; `completed` sees every
    /// perfect subtree as it is formed (the leaf itself first).
    fn push(&mut self, leaf: Digest, completed: impl FnMut(&Block)) -> Result<()> {
        self.push_block(1, leaf, completed)
    }

    /// Pushes the root of a perfect subtree of `len` leaves (a power of two
    /// dividing the current count, no larger than any block on the stack).
    fn push_block(
        &mut self,
        len: u64,
        hash: Digest,
        mut completed: impl FnMut(&Block),
    ) -> Result<()> {
        let start = self.count;
        self.count = self.count.checked_add(len).ok_or(Error::InvalidParameter {
            what: "roll longer than 2^64 - 1 entries",
        })?;
        let mut top = Block { start, len, hash };
        completed(&top);
        while let Some(prev) = self.blocks.last().copied() {
            if prev.len != top.len {
                break;
            }
            self.blocks.pop();
            top = Block {
                start: prev.start,
                len: prev.len.saturating_mul(2),
                hash: node_hash(&prev.hash, &top.hash),
            };
            completed(&top);
        }
        self.blocks.push(top);
        Ok(())
    }

    /// Folds the stack from the right into the tree head. `suffix` sees, for
    /// each block start `s`, the hash of the subtree of leaves `[s, count)`.
    fn fold(&self, mut suffix: impl FnMut(u64, &Digest)) -> Result<Digest> {
        let mut it = self.blocks.iter().rev();
        let last = it.next().ok_or(Error::EmptyRoll)?;
        let mut acc = last.hash;
        suffix(last.start, &acc);
        for b in it {
            acc = node_hash(&b.hash, &acc);
            suffix(b.start, &acc);
        }
        Ok(acc)
    }
}

/// Checks the canonical order of the next entry after `last`.
fn check_order(last: Option<&CitizenKey>, entry: &RollEntry, index: u64) -> Result<()> {
    match last {
        Some(prev) if *prev == entry.key => Err(Error::DuplicateRollEntry { index }),
        Some(prev) if *prev > entry.key => Err(Error::UnsortedRoll { index }),
        _ => Ok(()),
    }
}

/// The streaming tree head of RFC 9162 over leaf hashes, with no notion of
/// entries or order: memory `O(log n)`. [`RollBuilder`] adds the roll's
/// rules on top; this is the raw tree for callers that already hold leaf
/// hashes (and for measuring the hashing alone).
#[derive(Clone, Debug, Default)]
pub struct MerkleBuilder {
    stack: Stack,
}

impl MerkleBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the next leaf hash.
    pub fn push(&mut self, leaf: Digest) -> Result<()> {
        self.stack.push(leaf, |_| ())
    }

    /// Number of leaves so far.
    pub fn len(&self) -> u64 {
        self.stack.count
    }

    /// Whether no leaf has been pushed.
    pub fn is_empty(&self) -> bool {
        self.stack.count == 0
    }

    /// The tree head and size; an empty tree is [`Error::EmptyRoll`].
    pub fn finish(self) -> Result<RollDigest> {
        Ok(RollDigest {
            root: self.stack.fold(|_, _| ())?,
            size: self.stack.count,
        })
    }
}

/// Streaming root computation: push the entries in canonical order, then
/// [`finish`](Self::finish). Memory is `O(log n)`; an unsorted or repeated
/// entry is rejected with its index.
#[derive(Clone, Debug, Default)]
pub struct RollBuilder {
    tree: MerkleBuilder,
    last: Option<CitizenKey>,
}

impl RollBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the next entry; returns its index in the roll.
    pub fn push(&mut self, entry: &RollEntry) -> Result<u64> {
        let index = self.tree.len();
        check_order(self.last.as_ref(), entry, index)?;
        self.tree.push(entry.leaf_hash())?;
        self.last = Some(entry.key);
        Ok(index)
    }

    /// Number of entries pushed so far.
    pub fn len(&self) -> u64 {
        self.tree.len()
    }

    /// Whether no entry has been pushed.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// The root and size; an empty roll is [`Error::EmptyRoll`].
    pub fn finish(self) -> Result<RollDigest> {
        self.tree.finish()
    }
}

/// Computes the commitment of a whole roll given in canonical order.
pub fn roll_digest<I>(entries: I) -> Result<RollDigest>
where
    I: IntoIterator,
    I::Item: Borrow<RollEntry>,
{
    let mut b = RollBuilder::new();
    for e in entries {
        b.push(e.borrow())?;
    }
    b.finish()
}

/// Merkle tree head of the items of a stream, hashing leaves and subtrees
/// on all rayon threads (feature `rayon`); the result is identical to the
/// sequential [`MerkleBuilder`]. Items are buffered in batches of
/// `2^14 × 4 × threads`, so memory stays bounded whatever the stream's
/// length; `check` sees every item in order first (and may reject it).
#[cfg(feature = "rayon")]
pub fn merkle_root_par<T, I>(
    items: I,
    mut check: impl FnMut(u64, &T) -> Result<()>,
    leaf: impl Fn(&T) -> Digest + Sync,
) -> Result<RollDigest>
where
    T: Send + Sync,
    I: IntoIterator<Item = T>,
{
    merkle_root_chunked(
        items,
        &mut check,
        &leaf,
        14,
        rayon::current_num_threads().max(1) * 4,
    )
}

#[cfg(feature = "rayon")]
fn merkle_root_chunked<T, I>(
    items: I,
    check: &mut impl FnMut(u64, &T) -> Result<()>,
    leaf: &(impl Fn(&T) -> Digest + Sync),
    chunk_log2: u32,
    batch_chunks: usize,
) -> Result<RollDigest>
where
    T: Send + Sync,
    I: IntoIterator<Item = T>,
{
    use rayon::prelude::*;
    let chunk = 1usize << chunk_log2;
    let batch = chunk.saturating_mul(batch_chunks);
    let mut stack = Stack::default();
    let mut it = items.into_iter();
    let mut buf: Vec<T> = Vec::with_capacity(batch);
    loop {
        buf.clear();
        buf.extend(it.by_ref().take(batch));
        for (i, item) in (stack.count..).zip(&buf) {
            check(i, item)?;
        }
        let whole = buf.len() / chunk * chunk;
        let (full, rest) = buf.split_at(whole);
        let roots: Vec<Result<Digest>> = full
            .par_chunks(chunk)
            .map(|c| {
                let mut sub = Stack::default();
                for item in c {
                    sub.push(leaf(item), |_| ())?;
                }
                sub.fold(|_, _| ())
            })
            .collect();
        for r in roots {
            stack.push_block(1 << chunk_log2, r?, |_| ())?;
        }
        for item in rest {
            stack.push(leaf(item), |_| ())?;
        }
        if buf.len() < batch {
            break;
        }
    }
    Ok(RollDigest {
        root: stack.fold(|_, _| ())?,
        size: stack.count,
    })
}

/// [`roll_digest`] on all rayon threads (feature `rayon`): the same checks
/// and the same result, with bounded memory.
#[cfg(feature = "rayon")]
pub fn roll_digest_par<I>(entries: I) -> Result<RollDigest>
where
    I: IntoIterator<Item = RollEntry>,
{
    let mut last: Option<CitizenKey> = None;
    merkle_root_par(
        entries,
        |i, e: &RollEntry| {
            check_order(last.as_ref(), e, i)?;
            last = Some(e.key);
            Ok(())
        },
        RollEntry::leaf_hash,
    )
}

/// The sibling subtrees on the path of leaf `index` in a tree of `size`
/// leaves, as leaf ranges `(start, len)`, from the root down.
fn sibling_ranges(index: u64, size: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let (mut lo, mut n) = (0u64, size);
    while n > 1 {
        let k = largest_power_of_two_below(n);
        if index < lo.saturating_add(k) {
            out.push((lo.saturating_add(k), n - k));
            n = k;
        } else {
            out.push((lo, k));
            lo = lo.saturating_add(k);
            n -= k;
        }
    }
    out
}

/// The largest power of two strictly below `n` (`n ≥ 2`).
fn largest_power_of_two_below(n: u64) -> u64 {
    // For n ≥ 2, 2^(floor(log2(n - 1))) is the largest power of two < n.
    1u64 << (63 - (n - 1).leading_zeros())
}

/// A Merkle inclusion proof (RFC 9162 §2.1.3 audit path): the sibling
/// hashes from the leaf up to the root.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InclusionProof {
    /// Position of the entry in the roll.
    pub index: u64,
    /// Size of the roll the proof is for.
    pub size: u64,
    /// Sibling hashes, leaf level first.
    pub path: Vec<Digest>,
}

impl InclusionProof {
    /// Verifies that `entry` is the entry at `self.index` of the roll
    /// committed by `roll`. A proof for another size, an index outside the
    /// roll or a path of the wrong length is malformed; a path that hashes to
    /// another root does not verify.
    pub fn verify(&self, entry: &RollEntry, roll: &RollDigest) -> Result<()> {
        if self.size != roll.size {
            return Err(Error::InvalidParameter {
                what: "inclusion proof is for a roll of another size",
            });
        }
        if self.index >= self.size {
            return Err(Error::InvalidParameter {
                what: "inclusion proof index outside the roll",
            });
        }
        let expected = sibling_ranges(self.index, self.size).len();
        if self.path.len() != expected {
            return Err(Error::LengthMismatch {
                what: "inclusion proof path",
                expected,
                actual: self.path.len(),
            });
        }
        // RFC 9162 §2.1.3.2.
        let (mut f, mut s) = (self.index, self.size - 1);
        let mut r = entry.leaf_hash();
        for p in &self.path {
            if f & 1 == 1 || f == s {
                r = node_hash(p, &r);
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            } else {
                r = node_hash(&r, p);
            }
            f >>= 1;
            s >>= 1;
        }
        if s == 0 && r == roll.root {
            Ok(())
        } else {
            Err(Error::VerificationFailed {
                proof: "Merkle inclusion",
            })
        }
    }
}

impl Encode for InclusionProof {
    /// `0x31 ‖ 0x01 ‖ u64 index ‖ u64 size ‖ u32 count ‖ hash*`
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::InclusionProof, 1);
        w.u64(self.index);
        w.u64(self.size);
        w.len(self.path.len());
        for d in &self.path {
            d.encode(w);
        }
    }
}

impl Decode for InclusionProof {
    const NAME: &'static str = "inclusion proof";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::InclusionProof, &[1], Self::NAME)?;
        let index = r.u64(Self::NAME)?;
        let size = r.u64(Self::NAME)?;
        let n = r.len(32, Self::NAME)?;
        let path = (0..n)
            .map(|_| Digest::decode(r))
            .collect::<Result<Vec<_>>>()?;
        Ok(InclusionProof { index, size, path })
    }
}

/// A proof being assembled during the second pass.
#[derive(Clone, Debug)]
struct Pending {
    index: u64,
    /// Sibling ranges from the root down.
    ranges: Vec<(u64, u64)>,
}

/// Second streaming pass over a roll whose commitment is known: records the
/// inclusion proofs of the entries marked while pushing, with memory
/// `O(log n + p·log n)` for `p` proofs.
///
/// Left siblings of a marked leaf are already on the stack when it is
/// pushed; right siblings are captured as they are completed, or at the end
/// for the subtrees that reach the right edge of the tree.
#[derive(Clone, Debug)]
pub struct ProofBuilder {
    expected: RollDigest,
    stack: Stack,
    last: Option<CitizenKey>,
    pending: Vec<Pending>,
    known: BTreeMap<(u64, u64), Option<Digest>>,
}

impl ProofBuilder {
    /// Starts a pass over the roll committed by `expected`.
    pub fn new(expected: RollDigest) -> Self {
        ProofBuilder {
            expected,
            stack: Stack::default(),
            last: None,
            pending: Vec::new(),
            known: BTreeMap::new(),
        }
    }

    /// Index the next pushed entry will have.
    pub fn next_index(&self) -> u64 {
        self.stack.count
    }

    /// Appends the next entry, recording its inclusion proof if `prove`.
    /// Returns its index.
    pub fn push(&mut self, entry: &RollEntry, prove: bool) -> Result<u64> {
        let index = self.stack.count;
        if index >= self.expected.size {
            return Err(Error::VerificationFailed {
                proof: "roll longer than its commitment",
            });
        }
        check_order(self.last.as_ref(), entry, index)?;
        if prove {
            let ranges = sibling_ranges(index, self.expected.size);
            for &(start, len) in &ranges {
                let value = if start < index {
                    self.stack
                        .blocks
                        .iter()
                        .find(|b| b.start == start && b.len == len)
                        .map(|b| b.hash)
                } else {
                    None
                };
                let slot = self.known.entry((start, len)).or_insert(None);
                if slot.is_none() {
                    *slot = value;
                }
            }
            self.pending.push(Pending { index, ranges });
        }
        let known = &mut self.known;
        self.stack.push(entry.leaf_hash(), |b| {
            if let Some(slot @ None) = known.get_mut(&(b.start, b.len)) {
                *slot = Some(b.hash);
            }
        })?;
        self.last = Some(entry.key);
        Ok(index)
    }

    /// Checks that the roll pushed is the committed one and returns the
    /// proofs in the order their entries were pushed.
    pub fn finish(mut self) -> Result<Vec<InclusionProof>> {
        let size = self.expected.size;
        if self.stack.count != size {
            return Err(Error::VerificationFailed {
                proof: "roll shorter than its commitment",
            });
        }
        let known = &mut self.known;
        let root = self.stack.fold(|start, h| {
            if let Some(slot @ None) = known.get_mut(&(start, size - start)) {
                *slot = Some(*h);
            }
        })?;
        if root != self.expected.root {
            return Err(Error::VerificationFailed {
                proof: "roll root differs from its commitment",
            });
        }
        self.pending
            .iter()
            .map(|p| {
                let path = p
                    .ranges
                    .iter()
                    .rev()
                    .map(|r| {
                        self.known
                            .get(r)
                            .copied()
                            .flatten()
                            .ok_or(Error::VerificationFailed {
                                proof: "Merkle inclusion path incomplete",
                            })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(InclusionProof {
                    index: p.index,
                    size,
                    path,
                })
            })
            .collect()
    }
}

/// Inclusion proofs for the entries at `indices` (any order, duplicates
/// ignored) of a roll given in canonical order; the proofs come back sorted
/// by index, with their entries.
pub fn prove_indices<I>(
    entries: I,
    roll: RollDigest,
    indices: &[u64],
) -> Result<Vec<(RollEntry, InclusionProof)>>
where
    I: IntoIterator,
    I::Item: Borrow<RollEntry>,
{
    let mut wanted: Vec<u64> = indices.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.last().is_some_and(|&i| i >= roll.size) {
        return Err(Error::InvalidParameter {
            what: "proof requested for an index outside the roll",
        });
    }
    let mut pb = ProofBuilder::new(roll);
    let mut chosen = Vec::with_capacity(wanted.len());
    let mut next = wanted.iter().peekable();
    for e in entries {
        let e = e.borrow();
        let prove = next.next_if(|&&i| i == pb.next_index()).is_some();
        pb.push(e, prove)?;
        if prove {
            chosen.push(e.clone());
        }
    }
    let proofs = pb.finish()?;
    Ok(chosen.into_iter().zip(proofs).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    use curve25519_dalek::scalar::Scalar;

    pub(crate) fn sample_roll(n: u64) -> Vec<RollEntry> {
        let mut v: Vec<RollEntry> = (1..=n)
            .map(|i| {
                let key =
                    CitizenKey::from_point(&(Scalar::from(i) * RISTRETTO_BASEPOINT_POINT)).unwrap();
                let region = Attribute::new("region", [b'a' + (i % 3) as u8]).unwrap();
                RollEntry::new(key, alloc::vec![region]).unwrap()
            })
            .collect();
        v.sort_by_key(|e| e.key);
        v
    }

    /// RFC 9162 §2.1.1 MTH, recursively, as the reference.
    fn mth(leaves: &[Digest]) -> Digest {
        if leaves.len() == 1 {
            return leaves[0];
        }
        let k = largest_power_of_two_below(leaves.len() as u64) as usize;
        node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
    }

    #[test]
    fn root_matches_recursive_definition_and_all_proofs_verify() {
        let roll = sample_roll(37);
        for n in 1..=roll.len() {
            let part = &roll[..n];
            let d = roll_digest(part).unwrap();
            let leaves: Vec<Digest> = part.iter().map(RollEntry::leaf_hash).collect();
            assert_eq!(d.root, mth(&leaves), "n = {n}");
            assert_eq!(d.size, n as u64);
            let all: Vec<u64> = (0..n as u64).collect();
            let proofs = prove_indices(part, d, &all).unwrap();
            assert_eq!(proofs.len(), n);
            for (i, (e, p)) in proofs.iter().enumerate() {
                assert_eq!(p.index, i as u64);
                p.verify(e, &d).unwrap();
                // The proof does not verify for another entry.
                let other = &part[(i + 1) % n];
                if n > 1 {
                    assert!(p.verify(other, &d).is_err());
                }
            }
        }
    }

    #[cfg(feature = "rayon")]
    #[test]
    fn parallel_root_is_identical() {
        let roll = sample_roll(70);
        for n in [1usize, 2, 3, 7, 8, 9, 16, 17, 31, 32, 33, 64, 70] {
            let part = &roll[..n];
            let seq = roll_digest(part).unwrap();
            for (log2, batch) in [(0u32, 1usize), (1, 1), (2, 3), (3, 2), (14, 8)] {
                let mut last = None;
                let par = merkle_root_chunked(
                    part.iter().cloned(),
                    &mut |i, e: &RollEntry| {
                        check_order(last.as_ref(), e, i)?;
                        last = Some(e.key);
                        Ok(())
                    },
                    &RollEntry::leaf_hash,
                    log2,
                    batch,
                )
                .unwrap();
                assert_eq!(par, seq, "n = {n}, chunk 2^{log2}, batch {batch}");
            }
            let par = roll_digest_par(part.to_vec()).unwrap();
            assert_eq!(par, seq);
            // Inclusion proofs (always made by the sequential second pass)
            // verify against the root computed on threads.
            let all: Vec<u64> = (0..n as u64).collect();
            for (e, p) in prove_indices(part, par, &all).unwrap() {
                p.verify(&e, &par).unwrap();
            }
        }
        let mut unsorted = roll[..40].to_vec();
        unsorted.swap(30, 31);
        assert_eq!(
            roll_digest_par(unsorted),
            Err(Error::UnsortedRoll { index: 31 })
        );
        assert_eq!(roll_digest_par(Vec::new()), Err(Error::EmptyRoll));
    }

    #[test]
    fn bad_rolls_are_rejected_with_index() {
        let roll = sample_roll(5);
        assert_eq!(roll_digest(Vec::<RollEntry>::new()), Err(Error::EmptyRoll));
        let mut dup = roll.clone();
        dup.insert(3, roll[2].clone());
        assert_eq!(
            roll_digest(&dup),
            Err(Error::DuplicateRollEntry { index: 3 })
        );
        let mut unsorted = roll.clone();
        unsorted.swap(1, 4);
        assert_eq!(
            roll_digest(&unsorted),
            Err(Error::UnsortedRoll { index: 2 })
        );
        // A second pass over another roll than the committed one fails.
        let d = roll_digest(&roll).unwrap();
        assert!(matches!(
            prove_indices(&roll[..4], d, &[0]),
            Err(Error::VerificationFailed { .. })
        ));
        assert!(matches!(
            prove_indices(&roll, d, &[5]),
            Err(Error::InvalidParameter { .. })
        ));
        let mut other = sample_roll(6);
        other.remove(0);
        assert!(matches!(
            prove_indices(&other, d, &[1]),
            Err(Error::VerificationFailed { .. })
        ));
    }

    #[test]
    fn malformed_proofs_are_rejected() {
        let roll = sample_roll(11);
        let d = roll_digest(&roll).unwrap();
        let (e, p) = prove_indices(&roll, d, &[6]).unwrap().remove(0);
        p.verify(&e, &d).unwrap();
        let mut short = p.clone();
        short.path.pop();
        assert!(matches!(
            short.verify(&e, &d),
            Err(Error::LengthMismatch { .. })
        ));
        let mut long = p.clone();
        long.path.push(Digest([0; 32]));
        assert!(matches!(
            long.verify(&e, &d),
            Err(Error::LengthMismatch { .. })
        ));
        let mut idx = p.clone();
        idx.index = 11;
        assert!(matches!(
            idx.verify(&e, &d),
            Err(Error::InvalidParameter { .. })
        ));
        let mut size = p.clone();
        size.size = 12;
        assert!(matches!(
            size.verify(&e, &d),
            Err(Error::InvalidParameter { .. })
        ));
        let mut moved = p.clone();
        moved.index = 7;
        assert!(moved.verify(&e, &d).is_err());
        let mut flipped = p.clone();
        flipped.path[1].0[0] ^= 1;
        assert_eq!(
            flipped.verify(&e, &d),
            Err(Error::VerificationFailed {
                proof: "Merkle inclusion"
            })
        );
        // Encoding round trip, and every single-byte change is caught.
        let bytes = p.to_bytes();
        assert_eq!(InclusionProof::from_bytes(&bytes).unwrap(), p);
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            if let Ok(q) = InclusionProof::from_bytes(&b) {
                assert!(q.verify(&e, &d).is_err(), "byte {i}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(48))]
        /// Every proof of every roll shape verifies, and every single-byte
        /// change of its encoding fails to decode or to verify.
        #[test]
        fn proofs_verify_and_tampering_is_rejected(
            n in 1u64..80,
            i in 0u64..80,
            pos in proptest::prelude::any::<proptest::sample::Index>(),
            delta in 1u8..=255,
        ) {
            let roll = sample_roll(n);
            let i = i % n;
            let d = roll_digest(&roll).unwrap();
            let (e, p) = prove_indices(&roll, d, &[i]).unwrap().remove(0);
            proptest::prop_assert!(p.verify(&e, &d).is_ok());
            let mut bytes = p.to_bytes();
            let at = pos.index(bytes.len());
            bytes[at] = bytes[at].wrapping_add(delta);
            if let Ok(q) = InclusionProof::from_bytes(&bytes) {
                proptest::prop_assert!(q.verify(&e, &d).is_err());
            }
        }
    }

    #[test]
    fn citizen_key_is_the_compact_public_key() {
        let sk = crate::credential::CitizenSecretKey::generate(&mut rand_core::OsRng);
        let pk = sk.public_key();
        let key = CitizenKey::from(pk);
        assert_eq!(CitizenKey::new(pk.to_bytes()), Ok(key));
        assert_eq!(CitizenKey::from_point(pk.point()), Ok(key));
        assert_eq!(key.public_key(), Ok(pk));
        // The same wire bytes.
        assert_eq!(key.to_bytes(), pk.to_bytes().to_vec());
        assert_eq!(
            CitizenKey::from_point(&RistrettoPoint::default()),
            Err(Error::IdentityPoint)
        );
    }

    #[test]
    fn entries_validate() {
        assert_eq!(CitizenKey::new([0; 32]), Err(Error::IdentityPoint));
        assert_eq!(CitizenKey::new([0xff; 32]), Err(Error::InvalidPoint));
        assert!(Attribute::new("", "x").is_err());
        assert!(Attribute::new("a b", "x").is_err());
        assert!(Attribute::new("region", [0u8; 256]).is_err());
        let key = sample_roll(1)[0].key;
        let a = Attribute::new("region", "n").unwrap();
        assert!(RollEntry::new(key, alloc::vec![a.clone(), a.clone()]).is_err());
        let b = Attribute::new("age", "30-39").unwrap();
        let e = RollEntry::new(key, alloc::vec![a, b]).unwrap();
        assert_eq!(e.attributes()[0].label(), "age");
        assert_eq!(e.attribute("region"), Some(&b"n"[..]));
        assert_eq!(e.attribute("sex"), None);
        let bytes = e.to_bytes();
        assert_eq!(RollEntry::from_bytes(&bytes).unwrap(), e);
        let mut wrong_tag = bytes.clone();
        wrong_tag[0] = Tag::InclusionProof as u8;
        assert!(matches!(
            RollEntry::from_bytes(&wrong_tag),
            Err(Error::WrongObjectType { .. })
        ));
        let mut wrong_version = bytes.clone();
        wrong_version[1] = 2;
        assert!(matches!(
            RollEntry::from_bytes(&wrong_version),
            Err(Error::UnsupportedVersion { .. })
        ));
        assert!(matches!(
            RollEntry::from_bytes(&bytes[..bytes.len() - 1]),
            Err(Error::UnexpectedEnd { .. })
        ));
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(matches!(
            RollEntry::from_bytes(&trailing),
            Err(Error::TrailingBytes { .. })
        ));
        // Swapping the two attributes breaks canonical order.
        let mut w = Writer::new();
        w.header(Tag::RollEntry, 1);
        w.raw(key.as_bytes());
        w.len(2);
        w.bytes(b"region");
        w.bytes(b"n");
        w.bytes(b"age");
        w.bytes(b"30-39");
        assert!(RollEntry::from_bytes(&w.into_bytes()).is_err());
    }
}
