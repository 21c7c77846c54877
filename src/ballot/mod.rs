//! Encrypted assembly ballots with validity proofs (spec/ballot.md).
//!
//! The life cycle of a ballot, as types:
//!
//! 1. A [`Manifest`] lists the contests; an [`Election`] pairs it with the
//!    joint ElGamal public key and caches what every proof needs.
//! 2. The voter's device builds a [`PlaintextBallot`] and calls
//!    [`Election::encrypt`], which validates the selections against the
//!    manifest (too many selections, out-of-range scores and missing or
//!    unknown contests are rejected *before* anything is encrypted) and
//!    returns a [`PendingBallot`]: the public [`EncryptedBallot`] plus the
//!    secret nonces.
//! 3. The voter sees the ballot's [`ConfirmationCode`] and then either
//!    [`casts`](PendingBallot::cast) it — the nonces are zeroized and only the
//!    encrypted ballot leaves the device — or
//!    [`challenges`](PendingBallot::challenge) it (Benaloh), which opens the
//!    ballot: a [`ChallengedBallot`] that anyone checks (its proofs, and its
//!    opening against the ciphertexts) with [`ChallengedBallot::verify`]
//!    and that is never counted.
//! 4. The ballot box verifies each submitted ballot — singly with
//!    [`Election::verify_cast`] or many at once with
//!    [`Election::verify_cast_batch`] — and only then holds a [`CastBallot`],
//!    the one type that [`crate::tally::TallyAccumulator`] accepts.
//!
//! Every proof of a contest is bound, through its transcript context, to the
//! manifest hash, the election id, the contest id and position, and the
//! ballot id (spec/ballot.md §3.1): a proof copied into another election,
//! contest or ballot does not verify.
//!
//! ```
//! use kleroterion::ballot::{
//!     BallotId, ConfirmationChain, Contest, Election, Manifest, MotionVote, PlaintextBallot,
//!     PlaintextContest,
//! };
//! use kleroterion::elgamal::SecretKey;
//! use kleroterion::tally::TallyAccumulator;
//! use rand_core::OsRng;
//!
//! let sk = SecretKey::generate(&mut OsRng); // in practice: a threshold key (trustees)
//! let manifest = Manifest::new("assembly-7/harm-finding", vec![Contest::motion("harm")])?;
//! let election = Election::new(manifest, sk.public_key());
//! let mut chain = ConfirmationChain::new(election.manifest());
//!
//! // Voter's device: encrypt, show the code, then cast (or challenge).
//! let plain = PlaintextBallot::new(
//!     BallotId::random(&mut OsRng),
//!     vec![PlaintextContest::motion("harm", MotionVote::Yes)],
//! );
//! let pending = election.encrypt(plain, &mut OsRng)?;
//! let _receipt = chain.append(pending.ballot());
//! let submitted = pending.cast();
//!
//! // Ballot box: verify, then tally only verified cast ballots.
//! let cast = election.verify_cast_batch(vec![submitted], &mut OsRng)?;
//! let mut tally = TallyAccumulator::new(election.manifest());
//! tally.add_all(&cast)?;
//! let result = tally.decrypt(election.manifest(), &sk)?;
//! let outcome = result.contest("harm").and_then(|c| c.motion()).unwrap();
//! assert!(outcome.passes && outcome.yes == 1);
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod cast;
mod code;
mod encrypted;
mod manifest;
mod plaintext;
mod score;
mod transcript;
mod verify;

pub use cast::{BallotSecrets, CastBallot, ChallengedBallot, PendingBallot};
pub use code::{ConfirmationChain, ConfirmationCode};
pub use encrypted::{ContestProofs, EncryptedBallot, EncryptedContest};
pub use manifest::{
    Contest, ContestKind, Manifest, MAX_CONTESTS, MAX_LABEL_LEN, MAX_OPTIONS, MOTION_ABSTAIN,
    MOTION_NO, MOTION_OPTIONS, MOTION_YES,
};
pub use plaintext::{MotionVote, PlaintextBallot, PlaintextContest};
pub use score::ScoreProof;
pub use verify::CHUNK as BATCH_CHUNK;

use alloc::vec::Vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::elgamal::{EncryptionKey, PublicKey};
use crate::encoding::{Decode, Encode, Reader, Writer};
use crate::error::{Error, Result};
use crate::parallel::Parallelism;
use crate::proofs::{BatchContext, EncodedPoint};
use score::ScoreGens;
use transcript::ContestPrefix;

/// A ballot's unique 32-byte identifier (spec/ballot.md §2.1).
///
/// Chosen uniformly at random by the voter's device
/// ([`BallotId::random`]); it is bound into every proof of the ballot, so a
/// ballot's proofs cannot be moved to another id, and a record with two
/// ballots of the same id is rejected by the record verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Zeroize)]
pub struct BallotId(pub [u8; 32]);

impl BallotId {
    /// A fresh random ballot id.
    pub fn random<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut id = [0u8; 32];
        rng.fill_bytes(&mut id);
        BallotId(id)
    }

    /// The 32 id bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Encode for BallotId {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}

impl Decode for BallotId {
    const NAME: &'static str = "ballot id";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(BallotId(r.array(Self::NAME)?))
    }
}

crate::impl_serde_via_encoding!(BallotId);

/// A manifest paired with the election's joint public key: the context of
/// every ballot operation (spec/ballot.md §2).
///
/// Building it validates nothing further (the [`Manifest`] is already
/// valid) but caches the compressed key, the key's fixed-base table
/// ([`EncryptionKey`], so that encryption and proving use fixed-base
/// multiplications only) and, if the manifest has score contests, the
/// bulletproofs generators, so that one `Election` serves any number of
/// encryptions and verifications. It is `Sync` and shared by the parallel
/// batch verifier.
#[derive(Clone, Debug)]
pub struct Election {
    manifest: Manifest,
    pk: PublicKey,
    key: EncryptionKey,
    pk_encoded: EncodedPoint,
    score_gens: Option<ScoreGens>,
    /// Per contest, the ballot-independent part of its transcript.
    prefixes: Vec<ContestPrefix>,
    /// Variable multiscalar terms one ballot adds to a batch.
    terms_per_ballot: usize,
    /// Where the chunks of a batch are verified.
    parallelism: Parallelism,
}

impl Election {
    /// The election of `manifest` under the joint public key `pk`.
    pub fn new(manifest: Manifest, pk: PublicKey) -> Self {
        let has_score = manifest
            .contests()
            .iter()
            .any(|c| matches!(c.kind(), ContestKind::Score { .. }));
        // A {0,1} option proof: A, B per branch and α, β (6 terms); an
        // exactly-one contest: A, B per branch of its k proofs and the
        // k − 1 transmitted ciphertexts, merged (4k + 2(k − 1)); the sum
        // proof over n values: 2n + 2; a score link proof: 6 terms.
        let terms_per_ballot = manifest
            .contests()
            .iter()
            .map(|c| {
                let k = c.options().len();
                match c.kind() {
                    ContestKind::Approval { limit } => 6 * k + 2 * (limit as usize + 1) + 2,
                    ContestKind::Score { .. } => 6 * k,
                    ContestKind::Motion | ContestKind::OneOfN => (6 * k).saturating_sub(2),
                }
            })
            .sum();
        let pk_encoded = EncodedPoint::new(*pk.point());
        let prefixes = manifest
            .contests()
            .iter()
            .enumerate()
            .map(|(index, contest)| ContestPrefix::new(&manifest, index, contest, &pk_encoded))
            .collect();
        Election {
            terms_per_ballot,
            key: EncryptionKey::new(pk),
            pk_encoded,
            prefixes,
            score_gens: has_score.then(ScoreGens::new),
            manifest,
            pk,
            parallelism: Parallelism::default(),
        }
    }

    /// The same election verifying batches with `parallelism` (by default
    /// on every rayon thread with the `rayon` feature); verdicts do not
    /// depend on it.
    pub fn with_parallelism(mut self, parallelism: Parallelism) -> Self {
        self.parallelism = parallelism;
        self
    }

    /// Where the chunks of a batch are verified.
    pub fn parallelism(&self) -> Parallelism {
        self.parallelism
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The joint public key ballots are encrypted under.
    pub fn public_key(&self) -> &PublicKey {
        &self.pk
    }

    /// Generators for score proofs; present whenever a score contest is.
    fn score_gens(&self) -> Result<&ScoreGens> {
        self.score_gens.as_ref().ok_or(Error::InvalidParameter {
            what: "score proof in an election without score contests",
        })
    }

    /// The transcript of contest `index` in ballot `id` with the transmitted
    /// `ciphertexts` (spec/ballot.md §3.1).
    fn contest_transcript(
        &self,
        index: usize,
        id: &BallotId,
        ciphertexts: &[[EncodedPoint; 2]],
    ) -> Result<merlin::Transcript> {
        self.prefixes
            .get(index)
            .map(|prefix| prefix.ballot(id, ciphertexts))
            .ok_or(Error::InvalidParameter {
                what: "contest index outside the manifest",
            })
    }

    /// An empty batch with room for `ballots` ballots' terms.
    fn new_batch(&self, ballots: usize) -> BallotBatch<'_> {
        BallotBatch {
            election: self,
            ctx: BatchContext::with_capacity(
                self.terms_per_ballot
                    .saturating_mul(ballots)
                    .saturating_add(3),
            ),
            g: Scalar::ZERO,
            pk: Scalar::ZERO,
            b_blinding: Scalar::ZERO,
        }
    }
}

/// The batch of one election's ballot proofs: the disjunctive proofs go
/// into a [`BatchContext`] (which shares `G` and `PK`), and the score link
/// equations sum their coefficients of `G`, `PK` and `B̃` here, each added
/// as a single term when the batch is checked.
pub(crate) struct BallotBatch<'e> {
    election: &'e Election,
    pub(crate) ctx: BatchContext,
    pub(crate) g: Scalar,
    pub(crate) pk: Scalar,
    pub(crate) b_blinding: Scalar,
}

impl BallotBatch<'_> {
    /// Runs the one multiscalar multiplication.
    pub(crate) fn verify(mut self) -> bool {
        self.ctx.add(self.g, RISTRETTO_BASEPOINT_POINT);
        self.ctx.add(self.pk, *self.election.pk.point());
        if let Some(gens) = &self.election.score_gens {
            self.ctx.add(self.b_blinding, gens.pedersen.B_blinding);
        }
        self.ctx.verify()
    }
}

/// Verifies one ballot against a manifest and key: a convenience for
/// `Election::new(manifest, pk).verify(ballot, rng)`. Build an [`Election`]
/// once when verifying many ballots.
pub fn verify<R: RngCore + CryptoRng>(
    manifest: &Manifest,
    pk: &PublicKey,
    ballot: &EncryptedBallot,
    rng: &mut R,
) -> Result<()> {
    Election::new(manifest.clone(), *pk).verify(ballot, rng)
}

/// Position of the first ballot whose id already occurred earlier in
/// `ids`, or `None` if all ids are distinct (spec/ballot.md §6.3). A record
/// verifier applies this to the cast ballots followed by the challenged
/// ballots, so a repeated cast ballot and a challenged ballot that was also
/// cast are both caught.
pub fn first_duplicate_id<'a>(ids: impl IntoIterator<Item = &'a BallotId>) -> Option<usize> {
    let mut seen = alloc::collections::BTreeSet::new();
    ids.into_iter().position(|id| !seen.insert(*id))
}

/// The list of allowed values `0..=max` of a disjunctive proof.
fn allowed_up_to(max: u32) -> Vec<u64> {
    (0..=u64::from(max)).collect()
}

#[cfg(test)]
pub(crate) mod tests;
