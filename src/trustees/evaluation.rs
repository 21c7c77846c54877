//! Threshold evaluation `sⱼ·B` with DLEQ proofs, and its combination by
//! Lagrange interpolation (spec/trustees.md §6). Threshold decryption
//! (`B = α`) and the threshold beacon (`B = H(x)`) are both instances.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;
use core::borrow::Borrow;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::set::TrusteeSet;
use super::shares::{ParticipantIndex, SecretShare};
use crate::batch::BatchVerifier;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::{BatchContext, DleqProof, DleqStatement, DleqTerms, EncodedPoint};
use crate::transcript::TranscriptProtocol;

/// A trustee's share applied to a base point, `Pⱼ = sⱼ·B`, with a DLEQ proof
/// `log_G Yⱼ = log_B Pⱼ` against its verification share `Yⱼ`
/// (spec/trustees.md §6.1).
///
/// The caller supplies a transcript already bound to the purpose (context,
/// protocol label, the ciphertext or beacon input); the evaluation appends
/// the trustee's index and the proof binds `G, Yⱼ, B, Pⱼ`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareEvaluation {
    /// The trustee `j`.
    pub index: ParticipantIndex,
    /// `Pⱼ = sⱼ·B`, with its encoding (kept from the bytes it was decoded
    /// from, so verification never compresses it again).
    pub point: EncodedPoint,
    /// The DLEQ proof.
    pub proof: DleqProof,
}

impl ShareEvaluation {
    /// Computes `sⱼ·B` and proves it consistent with `Yⱼ = sⱼ·G`.
    pub fn prove<R: RngCore + CryptoRng>(
        share: &SecretShare,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        rng: &mut R,
    ) -> Self {
        let point = share.apply(base);
        let statement = DleqStatement {
            g: RISTRETTO_BASEPOINT_POINT,
            a: share.public(),
            h: *base,
            b: point,
        };
        transcript.append_u64_le(b"trustee", u64::from(share.index().get()));
        let proof = DleqProof::prove(transcript, &statement, share.value(), rng);
        ShareEvaluation {
            index: share.index(),
            point: EncodedPoint::new(point),
            proof,
        }
    }

    /// Appends the trustee's index and returns the DLEQ statement
    /// `(G, Yⱼ, B, Pⱼ)`, with `Yⱼ` looked up in the trustee set.
    fn statement(
        &self,
        transcript: &mut Transcript,
        base: &EncodedPoint,
        trustees: &TrusteeSet,
    ) -> Result<DleqStatement<EncodedPoint>> {
        let y = trustees.encoded_verification_share(self.index)?;
        transcript.append_u64_le(b"trustee", u64::from(self.index.get()));
        Ok(DleqStatement {
            g: EncodedPoint::GENERATOR,
            a: *y,
            h: *base,
            b: self.point,
        })
    }

    fn failed(&self) -> Error {
        Error::ParticipantFailed {
            index: u32::from(self.index),
            check: "DLEQ proof of the share evaluation",
        }
    }

    /// Verifies the evaluation of a qualified trustee:
    /// [`Error::UnknownIndex`] / [`Error::Disqualified`] for a trustee not in
    /// the set, [`Error::ParticipantFailed`] naming the trustee for a bad
    /// proof.
    pub fn verify(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        trustees: &TrusteeSet,
    ) -> Result<()> {
        self.verify_encoded(transcript, &EncodedPoint::new(*base), trustees)
    }

    pub(crate) fn verify_encoded(
        &self,
        transcript: &mut Transcript,
        base: &EncodedPoint,
        trustees: &TrusteeSet,
    ) -> Result<()> {
        let statement = self.statement(transcript, base, trustees)?;
        self.proof
            .verify_statement(transcript, &statement)
            .map_err(|_| self.failed())
    }

    /// Queues the proof into `batch` (same errors as [`verify`](Self::verify)
    /// for checks that do not need the batch).
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        trustees: &TrusteeSet,
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        let mut ctx = BatchContext::new();
        self.queue_in(&mut ctx, transcript, base, trustees, rng)?;
        batch.append(ctx.into_verifier());
        Ok(())
    }

    /// Queues the proof into a [`BatchContext`], where `G` and the base `B`
    /// are registered once for the whole batch.
    pub fn queue_in<R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        trustees: &TrusteeSet,
        rng: &mut R,
    ) -> Result<()> {
        self.queue_in_encoded(ctx, transcript, &EncodedPoint::new(*base), trustees, rng)
    }

    fn queue_in_encoded<R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        base: &EncodedPoint,
        trustees: &TrusteeSet,
        rng: &mut R,
    ) -> Result<()> {
        let statement = self.statement(transcript, base, trustees)?;
        self.proof
            .queue_in(ctx, transcript, &statement, rng)
            .map_err(|_| self.failed())
    }

    /// The weighted coefficients of the proof's two equations per point
    /// ([`DleqTerms`]) with the trustee's verification share `Yⱼ` (the
    /// point of `a`), for a caller that folds `Yⱼ` and `Pⱼ` with its own
    /// terms. Same errors as [`verify`](Self::verify) for checks that do
    /// not need the batch.
    pub(crate) fn weighted_terms<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        base: &EncodedPoint,
        trustees: &TrusteeSet,
        rng: &mut R,
    ) -> Result<(DleqTerms, RistrettoPoint)> {
        let statement = self.statement(transcript, base, trustees)?;
        let terms = self
            .proof
            .weighted_terms(transcript, &statement, rng)
            .map_err(|_| self.failed())?;
        Ok((terms, *statement.a.point()))
    }

    pub(crate) fn encode_fields(&self, w: &mut Writer) {
        self.index.encode(w);
        w.raw(self.point.encoding().as_bytes());
        self.proof.encode(w);
    }

    pub(crate) fn decode_fields(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ShareEvaluation {
            index: ParticipantIndex::decode(r)?,
            point: EncodedPoint::from_bytes(r.take(crate::encoding::ELEMENT_LEN, "point")?)?,
            proof: DleqProof::decode(r)?,
        })
    }
}

impl Encode for ShareEvaluation {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::ShareEvaluation, 1);
        self.encode_fields(w);
    }
}

impl Decode for ShareEvaluation {
    const NAME: &'static str = "ShareEvaluation";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::ShareEvaluation, &[1], Self::NAME)?;
        Self::decode_fields(r)
    }
}

crate::impl_serde_via_encoding!(ShareEvaluation);

/// Checks every evaluation: membership first, then all proofs in one batch,
/// falling back to individual checks only if the batch fails, and finally
/// duplicates. Returns one verdict per input position.
///
/// Duplicates are judged among the evaluations that verified: a later valid
/// evaluation of a trustee that already has one is [`Error::DuplicateIndex`].
/// An invalid evaluation carrying an honest trustee's index therefore cannot
/// shadow that trustee's valid one (spec/beacon.md §2.3: the round still
/// completes while `t` valid partials remain).
pub(crate) fn check_evaluations<E, F, R>(
    trustees: &TrusteeSet,
    base: &RistrettoPoint,
    evaluations: &[E],
    transcript: F,
    rng: &mut R,
) -> Vec<Result<()>>
where
    E: Borrow<ShareEvaluation>,
    F: Fn() -> Transcript,
    R: RngCore + CryptoRng,
{
    let base = EncodedPoint::new(*base);
    // The statement prefix (its points compressed) is built once and cloned
    // per evaluation: the transcripts are the same as built one by one.
    let prefix = transcript();
    let mut batch = BatchContext::with_capacity(4 * evaluations.len());
    let mut verdicts: Vec<Result<()>> = evaluations
        .iter()
        .map(|e| {
            e.borrow()
                .queue_in_encoded(&mut batch, &mut prefix.clone(), &base, trustees, rng)
        })
        .collect();
    if !batch.verify() {
        for (verdict, e) in verdicts.iter_mut().zip(evaluations) {
            if verdict.is_ok() {
                *verdict = e
                    .borrow()
                    .verify_encoded(&mut prefix.clone(), &base, trustees);
            }
        }
    }
    let mut seen = BTreeSet::new();
    for (verdict, e) in verdicts.iter_mut().zip(evaluations) {
        let index = e.borrow().index;
        if verdict.is_ok() && !seen.insert(index) {
            *verdict = Err(Error::DuplicateIndex {
                index: u32::from(index),
            });
        }
    }
    verdicts
}

/// Verifies a batch of evaluations with one multiscalar multiplication;
/// on failure reports the position of the first bad one as
/// [`Error::BatchVerificationFailed`].
pub fn verify_evaluations<E, F, R>(
    trustees: &TrusteeSet,
    base: &RistrettoPoint,
    evaluations: &[E],
    transcript: F,
    rng: &mut R,
) -> Result<()>
where
    E: Borrow<ShareEvaluation>,
    F: Fn() -> Transcript,
    R: RngCore + CryptoRng,
{
    let verdicts = check_evaluations(trustees, base, evaluations, transcript, rng);
    match verdicts.iter().position(Result::is_err) {
        None => Ok(()),
        Some(i) => Err(Error::BatchVerificationFailed {
            proof: "share evaluation",
            index: Some(i),
        }),
    }
}

/// The result of combining share evaluations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combination {
    /// `s·B = Σ λⱼ·Pⱼ` over the trustees in `used`.
    pub point: RistrettoPoint,
    /// The `t` trustees whose evaluations were interpolated (the valid ones
    /// with the smallest indices).
    pub used: Vec<ParticipantIndex>,
    /// The positions in the input of the evaluations interpolated, in the
    /// order of [`used`](Self::used). Publish these (never look the used
    /// trustees up by index: a rejected evaluation may carry the same index
    /// as the valid one, spec/trustees.md §6.2).
    pub positions: Vec<usize>,
    /// Evaluations that were excluded, with the reason (bad proof, unknown
    /// or disqualified trustee, duplicate).
    pub rejected: Vec<(ParticipantIndex, Error)>,
    /// The positions in the input of the excluded evaluations, in the order
    /// of [`rejected`](Self::rejected).
    pub rejected_at: Vec<usize>,
}

/// Combines evaluations from any `t` or more trustees (spec/trustees.md
/// §6.2): every evaluation is verified (batched), invalid ones are excluded
/// and reported in [`Combination::rejected`], and the `t` valid ones with the
/// smallest indices are interpolated. Missing trustees are normal; fewer
/// than `t` valid evaluations is [`Error::BelowThreshold`].
pub fn combine_evaluations<E, F, R>(
    trustees: &TrusteeSet,
    base: &RistrettoPoint,
    evaluations: &[E],
    transcript: F,
    rng: &mut R,
) -> Result<Combination>
where
    E: Borrow<ShareEvaluation>,
    F: Fn() -> Transcript,
    R: RngCore + CryptoRng,
{
    let verdicts = check_evaluations(trustees, base, evaluations, transcript, rng);
    let mut valid = Vec::new();
    let mut rejected = Vec::new();
    let mut rejected_at = Vec::new();
    for (position, (verdict, e)) in verdicts.into_iter().zip(evaluations).enumerate() {
        let e = e.borrow();
        match verdict {
            Ok(()) => valid.push((position, e.index, *e.point.point())),
            Err(err) => {
                rejected.push((e.index, err));
                rejected_at.push(position);
            }
        }
    }
    let t = trustees.threshold();
    if valid.len() < t {
        return Err(Error::BelowThreshold {
            threshold: t,
            available: valid.len(),
        });
    }
    valid.sort_by_key(|(_, i, _)| *i);
    valid.truncate(t);
    let points: Vec<(ParticipantIndex, RistrettoPoint)> =
        valid.iter().map(|(_, i, p)| (*i, *p)).collect();
    let point = trustees.interpolate(&points)?;
    Ok(Combination {
        point,
        used: points.iter().map(|(i, _)| *i).collect(),
        positions: valid.iter().map(|(position, _, _)| *position).collect(),
        rejected,
        rejected_at,
    })
}
