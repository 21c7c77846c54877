//! Confirmation codes: a SHA3-256 hash chain over submitted ballots
//! (spec/ballot.md §4).
//!
//! ```text
//! code₀ = SHA3-256(LE32(|D₀|) ‖ D₀ ‖ manifest hash)        D₀ = "kleroterion/v1/confirmation-seed"
//! codeᵢ = SHA3-256(LE32(|D|) ‖ D ‖ codeᵢ₋₁ ‖ ballot hashᵢ) D  = "kleroterion/v1/confirmation-code"
//! ```
//!
//! where the ballot hash is [`EncryptedBallot::hash`]. The ballot box
//! extends the chain with every ballot it *casts*, in casting order
//! (challenged ballots are published in their own stream and are not
//! chained), and the voter keeps the code as a receipt. Anyone
//! recomputing the chain from the record finds their code in it, and no
//! ballot can be removed or reordered without changing every later code.

use core::fmt;
use sha3::{Digest, Sha3_256};

use super::manifest::{u32_len, Manifest};
use super::EncryptedBallot;
use crate::encoding::{Decode, Encode, Reader, Writer};
use crate::error::Result;

const SEED_DOMAIN: &[u8] = b"kleroterion/v1/confirmation-seed";
const CODE_DOMAIN: &[u8] = b"kleroterion/v1/confirmation-code";

/// `SHA3-256(LE32(|domain|) ‖ domain ‖ parts…)`.
pub(crate) fn tagged_hash(domain: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha3_256::new();
    h.update(u32_len(domain.len()).to_le_bytes());
    h.update(domain);
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// A ballot's confirmation code: a link of the chain above.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConfirmationCode(pub [u8; 32]);

impl fmt::Debug for ConfirmationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConfirmationCode({})", hex::encode(self.0))
    }
}

impl ConfirmationCode {
    /// `code₀`, the chain's seed, derived from the manifest hash.
    pub fn seed(manifest: &Manifest) -> Self {
        ConfirmationCode(tagged_hash(SEED_DOMAIN, &[manifest.hash()]))
    }

    /// The code of `ballot` when it follows the code `self`.
    pub fn next(&self, ballot: &EncryptedBallot) -> Self {
        self.next_hash(&ballot.hash())
    }

    /// The code of a ballot given by its canonical encoding (e.g. a line of
    /// a record, before or without decoding it): equal to
    /// [`next`](Self::next) of the decoded ballot, since a ballot has exactly
    /// one encoding.
    pub fn next_encoded(&self, encoded_ballot: &[u8]) -> Self {
        self.next_hash(&EncryptedBallot::hash_encoding(encoded_ballot))
    }

    /// The code of a ballot given by its ballot hash.
    pub(crate) fn next_hash(&self, ballot_hash: &[u8; 32]) -> Self {
        ConfirmationCode(tagged_hash(CODE_DOMAIN, &[&self.0, ballot_hash]))
    }

    /// The 32 code bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Encode for ConfirmationCode {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}

impl Decode for ConfirmationCode {
    const NAME: &'static str = "confirmation code";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ConfirmationCode(r.array(Self::NAME)?))
    }
}

crate::impl_serde_via_encoding!(ConfirmationCode);

/// The running state of the chain: the ballot box's (or a verifier's)
/// view, one [`append`](Self::append) per received ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfirmationChain {
    last: ConfirmationCode,
    len: u64,
}

impl ConfirmationChain {
    /// An empty chain for the election of `manifest`.
    pub fn new(manifest: &Manifest) -> Self {
        ConfirmationChain {
            last: ConfirmationCode::seed(manifest),
            len: 0,
        }
    }

    /// Extends the chain with `ballot` and returns its code.
    pub fn append(&mut self, ballot: &EncryptedBallot) -> ConfirmationCode {
        self.last = self.last.next(ballot);
        self.len = self.len.saturating_add(1);
        self.last
    }

    /// The latest code (the seed while empty).
    pub fn last(&self) -> &ConfirmationCode {
        &self.last
    }

    /// How many ballots the chain covers.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether no ballot has been appended.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
