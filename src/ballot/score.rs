//! Score validity: a bulletproofs range proof linked to an ElGamal ciphertext
//! (spec/ballot.md §3.3).
//!
//! For a score `v ∈ 0..=S` encrypted as `(α, β) = (r·G, v·G + r·PK)` the
//! voter publishes a Pedersen commitment `C = v·B + γ·B̃` (bulletproofs'
//! [`PedersenGens::default`]: `B = G`, `B̃` a hash-derived point of unknown
//! discrete log) and proves
//!
//! 1. **link** — knowledge of `(v, γ, r)` with `C = v·B + γ·B̃`, `α = r·G`,
//!    `β = v·G + r·PK` (a three-equation Schnorr proof), so the commitment
//!    and the ciphertext hide the same `v`;
//! 2. **range** — one aggregated bulletproof (m = 2) over the commitments
//!    `C` and `C' = S·B − C`, each to a value in `[0, 2ⁿ)` with `n` the
//!    smallest of 8, 16, 32 with `S < 2ⁿ`. `C'` commits to `S − v` with
//!    blinding `−γ`, so both proofs together give `0 ≤ v ≤ S`.
//!
//! The bulletproof cannot be folded into the crate's [`BatchVerifier`]
//! (bulletproofs 5 exposes no batch API): it is verified on its own even in
//! batch mode, and only the link equations are batched.

use bulletproofs::{BulletproofGens, PedersenGens, RangeProof};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::BallotBatch;
use crate::batch::BatchVerifier;
use crate::elgamal::{Ciphertext, Nonce, PublicKey};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::EncodedPoint;
use crate::transcript::TranscriptProtocol;

const LINK_LABEL: &[u8] = b"kleroterion/score-link";
const PROOF_NAME: &str = "score";

/// Generators for score proofs, built once per election.
#[derive(Clone)]
pub(crate) struct ScoreGens {
    pub(crate) pedersen: PedersenGens,
    pub(crate) bulletproof: BulletproofGens,
    b: CompressedRistretto,
    b_blinding: CompressedRistretto,
}

impl core::fmt::Debug for ScoreGens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ScoreGens(bulletproofs, 32 bits × 2 values)")
    }
}

impl ScoreGens {
    /// Generators for bit sizes up to 32 and the two aggregated values.
    pub(crate) fn new() -> Self {
        let pedersen = PedersenGens::default();
        ScoreGens {
            b: pedersen.B.compress(),
            b_blinding: pedersen.B_blinding.compress(),
            pedersen,
            bulletproof: BulletproofGens::new(32, 2),
        }
    }
}

/// The bulletproofs bit size for scores in `0..=max`: the smallest of 8, 16,
/// 32 with `max < 2ⁿ`.
pub(crate) fn bit_size(max: u32) -> usize {
    if max < 1 << 8 {
        8
    } else if max < 1 << 16 {
        16
    } else {
        32
    }
}

/// Proof that a ciphertext encrypts a score in `0..=S` (spec/ballot.md §3.3).
#[derive(Clone, Debug)]
pub struct ScoreProof {
    /// `C`, with its encoding (hashed, and handed to bulletproofs).
    commitment: EncodedPoint,
    t_c: EncodedPoint,
    t_alpha: EncodedPoint,
    t_beta: EncodedPoint,
    z_v: Scalar,
    z_gamma: Scalar,
    z_r: Scalar,
    range: RangeProof,
}

/// Binds the link statement (spec/ballot.md §3.3): `B`, `B̃`, `PK`, `S`,
/// `α`, `β`, `C`, given by their encodings.
fn link_statement(
    t: &mut Transcript,
    gens: &ScoreGens,
    pk: &CompressedRistretto,
    ct: [&CompressedRistretto; 2],
    max: u32,
    c: &CompressedRistretto,
) {
    let [alpha, beta] = ct;
    t.domain_sep(LINK_LABEL, 1);
    t.append_compressed(b"B", &gens.b);
    t.append_compressed(b"B~", &gens.b_blinding);
    t.append_compressed(b"PK", pk);
    t.append_u64_le(b"max", u64::from(max));
    t.append_compressed(b"alpha", alpha);
    t.append_compressed(b"beta", beta);
    t.append_compressed(b"C", c);
}

/// Appends the link commitments `T_C`, `T_α`, `T_β` (spec/ballot.md §3.3).
fn append_commitments(t: &mut Transcript, [t_c, t_alpha, t_beta]: [&EncodedPoint; 3]) {
    t.append_compressed(b"T_C", t_c.encoding());
    t.append_compressed(b"T_alpha", t_alpha.encoding());
    t.append_compressed(b"T_beta", t_beta.encoding());
}

impl ScoreProof {
    /// Proves that `ct = encrypt_with_nonce(pk, v, r)` holds a score in
    /// `0..=max`. Fails with [`Error::InvalidParameter`] if `v > max`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn prove<R: RngCore + CryptoRng>(
        t: &mut Transcript,
        gens: &ScoreGens,
        pk: &PublicKey,
        ct: &Ciphertext,
        max: u32,
        v: u64,
        r: &Nonce,
        rng: &mut R,
    ) -> Result<Self> {
        let rest = u64::from(max)
            .checked_sub(v)
            .ok_or(Error::InvalidParameter {
                what: "score above the contest maximum",
            })?;
        let gamma = Zeroizing::new(Scalar::random(rng));
        let v_s = Zeroizing::new(Scalar::from(v));
        let b = &gens.pedersen;
        let commitment = EncodedPoint::new(b.commit(*v_s, *gamma));

        // Link: three-relation Schnorr proof for (v, γ, r).
        let (alpha, beta) = (ct.alpha.compress(), ct.beta.compress());
        link_statement(
            t,
            gens,
            &pk.point().compress(),
            [&alpha, &beta],
            max,
            commitment.encoding(),
        );
        let a_v = Zeroizing::new(Scalar::random(rng));
        let a_gamma = Zeroizing::new(Scalar::random(rng));
        let a_r = Zeroizing::new(Scalar::random(rng));
        let t_c = EncodedPoint::new(b.commit(*a_v, *a_gamma));
        let t_alpha = EncodedPoint::new(&*a_r * RISTRETTO_BASEPOINT_TABLE);
        let t_beta = EncodedPoint::new(&*a_v * RISTRETTO_BASEPOINT_TABLE + *a_r * pk.point());
        append_commitments(t, [&t_c, &t_alpha, &t_beta]);
        let c = t.challenge_scalar(b"c");
        let z_v = *a_v + c * *v_s;
        let z_gamma = *a_gamma + c * *gamma;
        let z_r = *a_r + c * r.as_scalar();

        // Range: v and S − v in [0, 2ⁿ), blindings γ and −γ.
        let blindings = [*gamma, -*gamma];
        let (range, commitments) = RangeProof::prove_multiple_with_rng(
            &gens.bulletproof,
            b,
            t,
            &[v, rest],
            &blindings,
            bit_size(max),
            rng,
        )
        .map_err(|_| Error::InvalidParameter {
            what: "score range proof could not be built",
        })?;
        debug_assert_eq!(commitments.first(), Some(commitment.encoding()));
        Ok(ScoreProof {
            commitment,
            t_c,
            t_alpha,
            t_beta,
            z_v,
            z_gamma,
            z_r,
            range,
        })
    }

    /// Replays the transcript, verifies the bulletproof directly and queues
    /// the three link equations into `batch` with independent weights.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn queue<R: RngCore + CryptoRng>(
        &self,
        t: &mut Transcript,
        gens: &ScoreGens,
        pk: &EncodedPoint,
        ct: &[EncodedPoint; 2],
        max: u32,
        batch: &mut BallotBatch<'_>,
        rng: &mut R,
    ) -> Result<()> {
        let [alpha, beta] = ct;
        link_statement(
            t,
            gens,
            pk.encoding(),
            [alpha.encoding(), beta.encoding()],
            max,
            self.commitment.encoding(),
        );
        append_commitments(t, [&self.t_c, &self.t_alpha, &self.t_beta]);
        let c = t.challenge_scalar(b"c");

        let rest = (Scalar::from(u64::from(max)) * gens.pedersen.B) - self.commitment.point();
        self.range
            .verify_multiple_with_rng(
                &gens.bulletproof,
                &gens.pedersen,
                t,
                &[*self.commitment.encoding(), rest.compress()],
                bit_size(max),
                rng,
            )
            .map_err(|_| Error::VerificationFailed { proof: PROOF_NAME })?;

        // z_v·B + z_γ·B̃ = T_C + c·C;  z_r·G = T_α + c·α;
        // z_v·G + z_r·PK = T_β + c·β   (B = G), each multiplied by −w so
        // that the commitments get the bare 128-bit weights
        // (spec/proofs.md §6.1).
        let w1 = BatchVerifier::weight(rng);
        let w2 = BatchVerifier::weight(rng);
        let w3 = BatchVerifier::weight(rng);
        batch.g -= (w1 + w3) * self.z_v + w2 * self.z_r;
        batch.b_blinding -= w1 * self.z_gamma;
        batch.pk -= w3 * self.z_r;
        let ctx = &mut batch.ctx;
        ctx.add(w1, *self.t_c.point());
        ctx.add(w1 * c, *self.commitment.point());
        ctx.add(w2, *self.t_alpha.point());
        ctx.add(w2 * c, *alpha.point());
        ctx.add(w3, *self.t_beta.point());
        ctx.add(w3 * c, *beta.point());
        Ok(())
    }
}

/// Equality of the canonical encodings.
impl PartialEq for ScoreProof {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

impl Eq for ScoreProof {}

impl Encode for ScoreProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::ScoreProof, 1);
        for point in [&self.commitment, &self.t_c, &self.t_alpha, &self.t_beta] {
            point.write(w);
        }
        w.scalar(&self.z_v);
        w.scalar(&self.z_gamma);
        w.scalar(&self.z_r);
        w.bytes(&self.range.to_bytes());
    }
}

impl Decode for ScoreProof {
    const NAME: &'static str = "score proof";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::ScoreProof, &[1], Self::NAME)?;
        let commitment = EncodedPoint::read(r)?;
        let t_c = EncodedPoint::read(r)?;
        let t_alpha = EncodedPoint::read(r)?;
        let t_beta = EncodedPoint::read(r)?;
        let z_v = r.scalar()?;
        let z_gamma = r.scalar()?;
        let z_r = r.scalar()?;
        let range_bytes = r.bytes("range proof")?;
        let range = RangeProof::from_bytes(range_bytes).map_err(|_| Error::InvalidParameter {
            what: "malformed bulletproofs range proof",
        })?;
        // bulletproofs stores points compressed and scalars canonically, so
        // re-encoding reproduces the input exactly; checked for canonicity.
        if range.to_bytes().as_slice() != range_bytes {
            return Err(Error::InvalidParameter {
                what: "non-canonical bulletproofs range proof",
            });
        }
        Ok(ScoreProof {
            commitment,
            t_c,
            t_alpha,
            t_beta,
            z_v,
            z_gamma,
            z_r,
            range,
        })
    }
}

crate::impl_serde_via_encoding!(ScoreProof);

/// Minimum encoded size of a score proof, for allocation guards.
pub(crate) const MIN_SCORE_PROOF_LEN: usize = 2 + 7 * 32 + 4;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::tests::mixed_election;
    use crate::ballot::Election;
    use crate::transcript::new_transcript;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn check(
        proof: &ScoreProof,
        election: &Election,
        ct: &Ciphertext,
        max: u32,
        ctx: &[u8],
    ) -> Result<()> {
        let mut rng = ChaCha20Rng::seed_from_u64(99);
        let mut batch = election.new_batch(1);
        let mut t = new_transcript(ctx);
        let gens = election.score_gens()?;
        let ct = [EncodedPoint::new(ct.alpha), EncodedPoint::new(ct.beta)];
        proof.queue(
            &mut t,
            gens,
            &election.pk_encoded,
            &ct,
            max,
            &mut batch,
            &mut rng,
        )?;
        if batch.verify() {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: PROOF_NAME })
        }
    }

    #[test]
    fn complete_sound_and_encoded() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let (e, _) = mixed_election(7);
        let (gens, pk) = (e.score_gens().unwrap(), *e.public_key());
        for (max, v) in [(5u32, 0u64), (5, 5), (5, 3), (300, 299), (70000, 1)] {
            let (ct, r) = Ciphertext::encrypt_u64(&pk, v, &mut rng);
            let mut t = new_transcript(b"ctx");
            let p = ScoreProof::prove(&mut t, gens, &pk, &ct, max, v, &r, &mut rng).unwrap();
            check(&p, &e, &ct, max, b"ctx").unwrap();
            // Range proof for n = 32, m = 2: 7 + 2·log₂(64) + 2 elements.
            assert!(p.to_bytes().len() <= MIN_SCORE_PROOF_LEN + (7 + 2 * 6 + 2) * 32);
            let d = ScoreProof::from_bytes(&p.to_bytes()).unwrap();
            check(&d, &e, &ct, max, b"ctx").unwrap();
            assert!(check(&p, &e, &ct, max, b"other").is_err());
            let (ct2, _) = Ciphertext::encrypt_u64(&pk, v, &mut rng);
            assert!(check(&p, &e, &ct2, max, b"ctx").is_err());
        }
    }

    #[test]
    fn out_of_range_rejected() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let (e, _) = mixed_election(8);
        let (gens, pk) = (e.score_gens().unwrap(), *e.public_key());
        let (ct, r) = Ciphertext::encrypt_u64(&pk, 6, &mut rng);
        let mut t = new_transcript(b"ctx");
        assert!(matches!(
            ScoreProof::prove(&mut t, gens, &pk, &ct, 5, 6, &r, &mut rng),
            Err(Error::InvalidParameter { .. })
        ));
        // A forged proof: honest range proof for 5 under max 5, claimed for a
        // ciphertext of 6 — the link fails.
        let (ct5, r5) = Ciphertext::encrypt_u64(&pk, 5, &mut rng);
        let mut t = new_transcript(b"ctx");
        let p = ScoreProof::prove(&mut t, gens, &pk, &ct5, 5, 5, &r5, &mut rng).unwrap();
        assert!(check(&p, &e, &ct, 5, b"ctx").is_err());
        // The same proof under a smaller maximum fails the range part.
        assert!(check(&p, &e, &ct5, 4, b"ctx").is_err());
        assert_eq!(bit_size(255), 8);
        assert_eq!(bit_size(256), 16);
        assert_eq!(bit_size(u32::MAX), 32);
    }
}
