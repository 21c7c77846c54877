//! Cast or challenge (Benaloh), as state types (spec/ballot.md §5).

use alloc::vec::Vec;
use core::fmt;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::plaintext::{check_selections, PlaintextBallot};
use super::{BallotId, Election, EncryptedBallot};
use crate::elgamal::Nonce;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};

/// The secrets of an encrypted ballot: the plaintext and every ElGamal nonce.
/// Zeroized on drop; `Debug` prints nothing secret; not `Clone`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct BallotSecrets {
    pub(crate) plaintext: PlaintextBallot,
    /// `nonces[c][o]`: the nonce of option `o` of contest `c`.
    pub(crate) nonces: Vec<Vec<Nonce>>,
}

impl fmt::Debug for BallotSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BallotSecrets(<redacted>)")
    }
}

/// An encrypted ballot on the voter's device, before the voter decides to
/// cast or challenge it (spec/ballot.md §5).
///
/// Only [`cast`](Self::cast) and [`challenge`](Self::challenge) consume it:
/// a ballot can never be both cast and opened.
#[derive(Debug)]
pub struct PendingBallot {
    pub(crate) ballot: EncryptedBallot,
    pub(crate) secrets: BallotSecrets,
}

impl PendingBallot {
    /// The public encrypted ballot (submit it, show its confirmation code).
    pub fn ballot(&self) -> &EncryptedBallot {
        &self.ballot
    }

    /// Casts the ballot: the secrets are zeroized and only the encrypted
    /// ballot remains, to be verified and tallied by the ballot box.
    pub fn cast(self) -> EncryptedBallot {
        let PendingBallot { ballot, secrets } = self;
        drop(secrets);
        ballot
    }

    /// Challenges the ballot: reveals the selections and nonces so anyone
    /// can check the encryption. The ballot must then not be cast; the voter
    /// encrypts their selections again, under a fresh ballot id.
    pub fn challenge(self) -> ChallengedBallot {
        let PendingBallot { ballot, secrets } = self;
        let selections = secrets
            .plaintext
            .contests()
            .iter()
            .map(|c| c.values().to_vec())
            .collect();
        ChallengedBallot {
            ballot,
            selections,
            nonces: secrets.nonces.clone(),
        }
    }
}

/// A challenged (spoiled) ballot, opened: the encrypted ballot together
/// with the claimed selections and every nonce (spec/ballot.md §5.2).
///
/// It is public and never counted: [`crate::tally::TallyAccumulator`] only
/// accepts [`CastBallot`]s, and the election record lists it among the
/// challenged ballots, whose ids MUST be disjoint from the cast ballot ids.
#[derive(Clone, Debug)]
pub struct ChallengedBallot {
    pub(crate) ballot: EncryptedBallot,
    pub(crate) selections: Vec<Vec<u64>>,
    pub(crate) nonces: Vec<Vec<Nonce>>,
}

/// Equality of the canonical encodings (the nonces are public once opened).
impl PartialEq for ChallengedBallot {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

impl Eq for ChallengedBallot {}

impl ChallengedBallot {
    /// The encrypted ballot that was opened.
    pub fn ballot(&self) -> &EncryptedBallot {
        &self.ballot
    }

    /// The ballot id.
    pub fn id(&self) -> &BallotId {
        self.ballot.id()
    }

    /// The revealed selections, per contest and option.
    pub fn selections(&self) -> &[Vec<u64>] {
        &self.selections
    }

    /// The whole check of a published challenged ballot (spec/ballot.md
    /// §5.2): the encrypted ballot verifies as a cast ballot would (§6.1,
    /// every proof bound to this election and ballot id), then its opening
    /// verifies ([`verify_opening`](Self::verify_opening)). Without the
    /// first step, the proofs of a published challenged ballot, and the
    /// ballot id they bind, could be changed unnoticed: the record would no
    /// longer hold the ballot whose hash the voter saw, yet still verify.
    /// `rng` draws batch weights.
    pub fn verify<R: RngCore + CryptoRng>(&self, election: &Election, rng: &mut R) -> Result<()> {
        election.verify(&self.ballot, rng)?;
        self.verify_opening(election)
    }

    /// Checks the opening (spec/ballot.md §5.2): the selections are a valid
    /// ballot for the manifest, and every ciphertext equals the encryption
    /// of its revealed value under its revealed nonce. The voter compares
    /// [`selections`](Self::selections) with what they chose. This does not
    /// check the ballot's proofs: [`verify`](Self::verify) does both.
    pub fn verify_opening(&self, election: &Election) -> Result<()> {
        let contests = election.manifest().contests();
        let n = contests.len();
        let enc = self.ballot.contests();
        for (len, what) in [
            (enc.len(), "challenged ballot contests"),
            (self.selections.len(), "challenged ballot selections"),
            (self.nonces.len(), "challenged ballot nonces"),
        ] {
            if len != n {
                return Err(Error::LengthMismatch {
                    what,
                    expected: n,
                    actual: len,
                });
            }
        }
        for (((contest, ec), values), nonces) in contests
            .iter()
            .zip(enc)
            .zip(&self.selections)
            .zip(&self.nonces)
        {
            check_selections(contest, ec.contest_id(), values)?;
            if ec.ciphertexts().len() != values.len() || nonces.len() != values.len() {
                return Err(Error::LengthMismatch {
                    what: "challenged contest openings",
                    expected: values.len(),
                    actual: ec.ciphertexts().len().min(nonces.len()),
                });
            }
            for ((ct, v), r) in ec.ciphertexts().iter().zip(values).zip(nonces) {
                ct.verify_opening(election.public_key(), &Scalar::from(*v), r)?;
            }
        }
        Ok(())
    }
}

impl Encode for ChallengedBallot {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::ChallengedBallot, 1);
        self.ballot.encode(w);
        w.len(self.selections.len());
        for (values, nonces) in self.selections.iter().zip(&self.nonces) {
            w.len(values.len());
            for (v, r) in values.iter().zip(nonces) {
                w.u64(*v);
                r.encode(w);
            }
        }
    }
}

impl Decode for ChallengedBallot {
    const NAME: &'static str = "challenged ballot";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::ChallengedBallot, &[1], Self::NAME)?;
        let ballot = EncryptedBallot::decode(r)?;
        let n = r.len(4, "challenged ballot contests")?;
        let mut selections = Vec::with_capacity(n);
        let mut nonces = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.len(8 + 32, "challenged contest openings")?;
            let mut values = Vec::with_capacity(k);
            let mut rs = Vec::with_capacity(k);
            for _ in 0..k {
                values.push(r.u64("selection value")?);
                rs.push(Nonce::decode(r)?);
            }
            selections.push(values);
            nonces.push(rs);
        }
        Ok(ChallengedBallot {
            ballot,
            selections,
            nonces,
        })
    }
}

crate::impl_serde_via_encoding!(ChallengedBallot);

/// A ballot that passed verification against an election and may be
/// tallied (spec/ballot.md §6).
///
/// Only [`Election::verify_cast`] and [`Election::verify_cast_batch`] make
/// one, and it remembers the manifest hash it was verified under, so the
/// tally rejects ballots of another election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CastBallot {
    pub(crate) ballot: EncryptedBallot,
    pub(crate) manifest_hash: [u8; 32],
}

impl CastBallot {
    /// The verified encrypted ballot.
    pub fn ballot(&self) -> &EncryptedBallot {
        &self.ballot
    }

    /// The hash of the manifest it was verified under.
    pub fn manifest_hash(&self) -> &[u8; 32] {
        &self.manifest_hash
    }

    /// Gives back the encrypted ballot (e.g. to store it in a record).
    pub fn into_inner(self) -> EncryptedBallot {
        self.ballot
    }
}
