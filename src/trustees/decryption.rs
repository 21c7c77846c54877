//! Threshold ElGamal decryption (spec/trustees.md §7): partial decryptions
//! `Dⱼ = sⱼ·α` with DLEQ proofs, combined from any `t` trustees into
//! `β − Σ λⱼ·Dⱼ = m·G`.

use alloc::vec::Vec;
use core::borrow::Borrow;
use curve25519_dalek::ristretto::RistrettoPoint;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::evaluation::{combine_evaluations, verify_evaluations, ShareEvaluation};
use super::set::TrusteeSet;
use super::shares::{ParticipantIndex, SecretShare};
use crate::batch::BatchVerifier;
use crate::elgamal::Ciphertext;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::{BatchContext, DleqProof};
use crate::transcript::{new_transcript, TranscriptProtocol};

/// Transcript label of a partial decryption (spec/trustees.md §7.1).
const LABEL_PARTIAL: &[u8] = b"kleroterion/trustees/partial-decryption";

/// The transcript of a partial decryption: the trustee set's context, `n`,
/// `t`, the joint key and the whole ciphertext.
fn decryption_transcript(trustees: &TrusteeSet, ciphertext: &Ciphertext) -> Transcript {
    let parameters = trustees.parameters();
    let mut t = new_transcript(parameters.context());
    t.domain_sep(LABEL_PARTIAL, 1);
    t.append_u64_le(b"n", u64::from(parameters.participants()));
    t.append_u64_le(b"t", u64::from(parameters.threshold()));
    t.append_point(b"PK", trustees.joint_public_key().point());
    t.append_point(b"alpha", &ciphertext.alpha);
    t.append_point(b"beta", &ciphertext.beta);
    t
}

/// Trustee `j`'s partial decryption of a ciphertext `(α, β)`:
/// `Dⱼ = sⱼ·α` with a DLEQ proof `log_G Yⱼ = log_α Dⱼ`
/// (spec/trustees.md §7.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialDecryption(ShareEvaluation);

impl PartialDecryption {
    /// Computes and proves trustee `share.index()`'s partial decryption.
    /// Fails if the share is not that of a qualified trustee of `trustees`
    /// (e.g. a share from another key generation).
    pub fn prove<R: RngCore + CryptoRng>(
        share: &SecretShare,
        trustees: &TrusteeSet,
        ciphertext: &Ciphertext,
        rng: &mut R,
    ) -> Result<Self> {
        if trustees.verification_share(share.index())?.point != share.public() {
            return Err(Error::ParticipantFailed {
                index: u32::from(share.index()),
                check: "secret share does not match its verification share",
            });
        }
        Ok(PartialDecryption(ShareEvaluation::prove(
            share,
            &mut decryption_transcript(trustees, ciphertext),
            &ciphertext.alpha,
            rng,
        )))
    }

    /// The trustee `j`.
    pub fn index(&self) -> ParticipantIndex {
        self.0.index
    }

    /// `Dⱼ = sⱼ·α`.
    pub fn share_point(&self) -> &RistrettoPoint {
        self.0.point.point()
    }

    /// The DLEQ proof.
    pub fn proof(&self) -> &DleqProof {
        &self.0.proof
    }

    /// Verifies the partial decryption: [`Error::UnknownIndex`] or
    /// [`Error::Disqualified`] for a trustee not in the set,
    /// [`Error::ParticipantFailed`] naming the trustee for a bad proof.
    pub fn verify(&self, trustees: &TrusteeSet, ciphertext: &Ciphertext) -> Result<()> {
        self.0.verify(
            &mut decryption_transcript(trustees, ciphertext),
            &ciphertext.alpha,
            trustees,
        )
    }

    /// Queues the proof into `batch`.
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        trustees: &TrusteeSet,
        ciphertext: &Ciphertext,
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        self.0.queue(
            &mut decryption_transcript(trustees, ciphertext),
            &ciphertext.alpha,
            trustees,
            batch,
            rng,
        )
    }

    /// Queues the proof into a [`BatchContext`] shared with other proofs
    /// (`G` and `α` are registered once per batch).
    pub fn queue_in<R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        trustees: &TrusteeSet,
        ciphertext: &Ciphertext,
        rng: &mut R,
    ) -> Result<()> {
        self.0.queue_in(
            ctx,
            &mut decryption_transcript(trustees, ciphertext),
            &ciphertext.alpha,
            trustees,
            rng,
        )
    }

    /// Verifies many partial decryptions of one ciphertext with a single
    /// multiscalar multiplication; on failure, [`Error::BatchVerificationFailed`]
    /// gives the position of the first bad one (a duplicate trustee counts
    /// as bad).
    pub fn verify_batch<R: RngCore + CryptoRng>(
        partials: &[PartialDecryption],
        trustees: &TrusteeSet,
        ciphertext: &Ciphertext,
        rng: &mut R,
    ) -> Result<()> {
        verify_evaluations(
            trustees,
            &ciphertext.alpha,
            partials,
            || decryption_transcript(trustees, ciphertext),
            rng,
        )
        .map_err(|e| match e {
            Error::BatchVerificationFailed { index, .. } => Error::BatchVerificationFailed {
                proof: "partial decryption",
                index,
            },
            other => other,
        })
    }
}

impl Borrow<ShareEvaluation> for PartialDecryption {
    fn borrow(&self) -> &ShareEvaluation {
        &self.0
    }
}

impl Encode for PartialDecryption {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::PartialDecryption, 1);
        self.0.encode_fields(w);
    }
}

impl Decode for PartialDecryption {
    const NAME: &'static str = "PartialDecryption";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::PartialDecryption, &[1], Self::NAME)?;
        ShareEvaluation::decode_fields(r).map(PartialDecryption)
    }
}

crate::impl_serde_via_encoding!(PartialDecryption);

/// A threshold decryption: the plaintext point and which trustees were used
/// or rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decryption {
    /// `m·G = β − Σ λⱼ·Dⱼ`; recover small `m` with a bounded discrete log.
    pub plaintext: RistrettoPoint,
    /// The `t` trustees whose partial decryptions were combined.
    pub used: Vec<ParticipantIndex>,
    /// Partial decryptions excluded, with the reason.
    pub rejected: Vec<(ParticipantIndex, Error)>,
    /// The positions in the input of the excluded partials, in the order of
    /// [`rejected`](Self::rejected).
    pub rejected_at: Vec<usize>,
}

/// Decrypts from any `t` or more partial decryptions (spec/trustees.md §7.2).
/// Absent trustees are normal; invalid partials are identified by trustee
/// index in [`Decryption::rejected`] and excluded; fewer than `t` valid ones
/// fail with [`Error::BelowThreshold`].
pub fn combine<R: RngCore + CryptoRng>(
    trustees: &TrusteeSet,
    ciphertext: &Ciphertext,
    partials: &[PartialDecryption],
    rng: &mut R,
) -> Result<Decryption> {
    let combination = combine_evaluations(
        trustees,
        &ciphertext.alpha,
        partials,
        || decryption_transcript(trustees, ciphertext),
        rng,
    )?;
    Ok(Decryption {
        plaintext: ciphertext.beta - combination.point,
        used: combination.used,
        rejected: combination.rejected,
        rejected_at: combination.rejected_at,
    })
}
