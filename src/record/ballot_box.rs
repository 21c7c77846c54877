//! The ballot box: accepts verified ballots, issues confirmation codes,
//! keeps the encrypted tally, and closes into an [`ElectionRecord`]
//! (spec/record.md §3).

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use rand_core::{CryptoRng, RngCore};

use super::{
    decrypt_tally, eligibility_context, BallotLine, ElectionRecord, TrusteeDecryption,
    RECORD_VERSION,
};
use crate::ballot::{BallotId, ChallengedBallot, ConfirmationCode, Election, EncryptedBallot};
use crate::credential::{AnonymitySet, MembershipProof, TagRegistry};
use crate::encoding::Encode;
use crate::error::{Error, Result};
use crate::tally::TallyAccumulator;
use crate::trustees::dkg::DkgTranscript;
use crate::trustees::TrusteeSet;

/// The state of a vote while ballots are being cast.
///
/// Memory does not grow with the ballots beyond their ids: each accepted
/// ballot is returned as a [`BallotLine`] for the caller to publish (append
/// to the record's stream), and only the running tally and the confirmation
/// chain are kept.
pub struct BallotBox {
    election: Election,
    eligible: Option<AnonymitySet>,
    tags: TagRegistry,
    trustees: TrusteeSet,
    transcript: DkgTranscript,
    code: ConfirmationCode,
    tally: TallyAccumulator,
    ids: BTreeSet<BallotId>,
}

impl BallotBox {
    /// Opens the box for `election`, whose key must be the joint key of the
    /// trustee set derived from `transcript`. With `eligible`, only ballots
    /// with a membership proof over that set are accepted
    /// ([`cast_eligible`](Self::cast_eligible)), one per voter.
    pub fn open<R: RngCore + CryptoRng>(
        election: Election,
        transcript: DkgTranscript,
        eligible: Option<AnonymitySet>,
        rng: &mut R,
    ) -> Result<Self> {
        let trustees = transcript.verify(rng)?;
        if trustees.joint_public_key() != election.public_key() {
            return Err(Error::InvalidParameter {
                what: "the election key is not the trustees' joint key",
            });
        }
        Ok(BallotBox {
            tags: TagRegistry::new(eligibility_context(election.manifest())),
            eligible,
            code: ConfirmationCode::seed(election.manifest()),
            tally: TallyAccumulator::new(election.manifest()),
            election,
            trustees,
            transcript,
            ids: BTreeSet::new(),
        })
    }

    /// The election.
    pub fn election(&self) -> &Election {
        &self.election
    }

    /// The trustee set.
    pub fn trustees(&self) -> &TrusteeSet {
        &self.trustees
    }

    /// The encrypted tally so far.
    pub fn tally(&self) -> &TallyAccumulator {
        &self.tally
    }

    /// Casts a submitted ballot of an open vote: verifies its proofs,
    /// rejects a repeated id, chains its confirmation code and adds it to
    /// the tally. Returns the line to publish; its code is the voter's
    /// receipt.
    pub fn cast<R: RngCore + CryptoRng>(
        &mut self,
        ballot: EncryptedBallot,
        rng: &mut R,
    ) -> Result<BallotLine> {
        if self.eligible.is_some() {
            return Err(Error::InvalidParameter {
                what: "this vote requires an eligibility proof with each ballot",
            });
        }
        self.accept(ballot, None, rng)
    }

    /// Casts a ballot of a vote restricted to eligible voters: additionally
    /// verifies the voter's membership proof over the eligible set, bound to
    /// this vote and this ballot, and rejects a second ballot with the same
    /// linking tag (one ballot per voter).
    pub fn cast_eligible<R: RngCore + CryptoRng>(
        &mut self,
        ballot: EncryptedBallot,
        proof: &MembershipProof,
        rng: &mut R,
    ) -> Result<BallotLine> {
        let set = self.eligible.as_ref().ok_or(Error::InvalidParameter {
            what: "this vote has no eligible set",
        })?;
        proof.verify(set, self.tags.context(), &ballot.hash())?;
        if self.tags.contains(proof.tag()) {
            return Err(Error::InvalidParameter {
                what: "this voter has already cast a ballot in this vote",
            });
        }
        let line = self.accept(ballot, Some(proof), rng)?;
        // Recorded only once the ballot is accepted.
        let _fresh = self.tags.record(proof.tag());
        Ok(line)
    }

    fn accept<R: RngCore + CryptoRng>(
        &mut self,
        ballot: EncryptedBallot,
        proof: Option<&MembershipProof>,
        rng: &mut R,
    ) -> Result<BallotLine> {
        self.check_fresh(ballot.id())?;
        let cast = self.election.verify_cast(ballot, rng)?;
        self.tally.add(&cast)?;
        self.ids.insert(*cast.ballot().id());
        // One encoding serves the code and the published line.
        let encoded = cast.ballot().to_bytes();
        self.code = self.code.next_encoded(&encoded);
        Ok(BallotLine {
            code: self.code,
            ballot: encoded,
            eligibility: proof.map(Encode::to_bytes),
        })
    }

    /// Accepts a challenged (spoiled) ballot for publication: the ballot and
    /// its opening must verify ([`ChallengedBallot::verify`], record check
    /// E8) and it is never counted. Returns its encoding for the
    /// challenged-ballot stream. `rng` draws batch weights.
    ///
    /// The ballot id is taken only once the challenge verifies
    /// (spec/record.md §3): a rejected challenge under someone else's id
    /// leaves that id free for its owner's genuine ballot.
    pub fn challenge<R: RngCore + CryptoRng>(
        &mut self,
        ballot: &ChallengedBallot,
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        self.check_fresh(ballot.id())?;
        ballot.verify(&self.election, rng)?;
        self.ids.insert(*ballot.id());
        Ok(ballot.to_bytes())
    }

    /// Fails unless `id` is still unused by a cast or challenged ballot.
    fn check_fresh(&self, id: &BallotId) -> Result<()> {
        if self.ids.contains(id) {
            return Err(Error::InvalidParameter {
                what: "a ballot with this id was already cast or challenged",
            });
        }
        Ok(())
    }

    /// Closes the box and decrypts the tally with the partial decryptions of
    /// the trustees present (any `t` or more), producing the record.
    ///
    /// A decryption that is garbage, a duplicate or made for another tally
    /// (a trustee not needed for the threshold, or anyone posting under a
    /// trustee's index) is left out of the record; closing fails only if
    /// fewer than `t` trustees' decryptions are valid for every sum
    /// (spec/record.md §2), with [`Error::BelowThreshold`] or the first
    /// rejection.
    pub fn close<R: RngCore + CryptoRng>(
        self,
        decryptions: Vec<TrusteeDecryption>,
        rng: &mut R,
    ) -> Result<ElectionRecord> {
        let decrypted = decrypt_tally(
            self.election.manifest(),
            &self.trustees,
            &self.tally,
            &decryptions,
            rng,
        )?;
        let threshold = self.trustees.threshold();
        if decrypted.valid.len() < threshold {
            return Err(match decrypted.rejected.into_iter().next() {
                Some((index, Error::ParticipantFailed { check, .. })) => {
                    Error::ParticipantFailed { index, check }
                }
                Some((index, _)) => Error::ParticipantFailed {
                    index,
                    check: "partial decryption of the tally",
                },
                None => Error::BelowThreshold {
                    threshold,
                    available: decrypted.valid.len(),
                },
            });
        }
        let decryptions = decryptions
            .into_iter()
            .enumerate()
            .filter(|(at, _)| decrypted.valid.binary_search(at).is_ok())
            .map(|(_, d)| d)
            .collect();
        Ok(ElectionRecord {
            version: RECORD_VERSION,
            manifest: self.election.manifest().clone(),
            trustees: self.transcript,
            tally: self.tally,
            decryptions,
            result: decrypted.result,
            eligible: self.eligible,
        })
    }
}
