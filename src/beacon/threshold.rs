//! Threshold chained beacon on ristretto255 (spec/beacon.md §2).
//!
//! A DDH-based distributed VRF in the manner of Galindo, Liu, Ordean and
//! Wong (2021): the trustees hold `t`-of-`n` shares `sⱼ` of a secret `s`
//! from the key generation of [`crate::trustees`]. For round `r`:
//!
//! 1. everyone derives the round input `x_r` (§2.2) and its base point
//!    `H_r = hash_to_point("kleroterion/v1/beacon-round", x_r)`;
//! 2. each trustee publishes a [`BeaconPartial`] `σⱼ = sⱼ·H_r` with a DLEQ
//!    proof `log_G Yⱼ = log_{H_r} σⱼ` against its verification share;
//! 3. anyone combines any `t` valid partials by Lagrange interpolation into
//!    `σ = s·H_r` ([`combine`]); invalid partials are named and excluded;
//! 4. the round output is `SHA3-256("kleroterion/v1/beacon-output" ‖
//!    chain id ‖ LE64(r) ‖ σ)`.
//!
//! `σ` is unique for the round (every `t`-subset interpolates to the same
//! `s·H_r`), so the output cannot be biased by choosing which partials to
//! use, and it cannot be predicted by fewer than `t` trustees (DDH).
//!
//! In [`ChainMode::Chained`] the round input contains the previous round's
//! output, so that history cannot be rewritten without recomputing every
//! later round (as in drand's chained mode); in [`ChainMode::Unchained`]
//! rounds depend only on their number and can be produced ahead of need.
//!
//! There is no single DLEQ proof of `σ` against the joint key, since no one
//! holds `s`; instead a [`BeaconRound`] carries the `t` partials that were
//! combined, and the verifier checks their proofs against verification
//! shares that a decoded [`TrusteeSet`] guarantees to interpolate to the
//! joint key. [`verify_chain`] folds every proof and every interpolation of
//! a whole chain into one multiscalar multiplication.

use alloc::vec::Vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use sha3::{Digest, Sha3_256};

use super::registry::Registrations;
pub use super::BeaconOutput;
use super::BeaconSource;
use crate::batch::{BatchVerifier, FixedPoint};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::hash::hash_to_point;
use crate::proofs::EncodedPoint;
use crate::transcript::{new_transcript, TranscriptProtocol};
use crate::trustees::{
    combine_evaluations, scaled_lagrange_coefficients, ParticipantIndex, SecretShare,
    ShareEvaluation, TrusteeSet,
};
use alloc::collections::BTreeMap;

/// Domain-separation tag of the round base point `H_r`.
pub const ROUND_BASE_DST: &[u8] = b"kleroterion/v1/beacon-round";
/// Transcript protocol label of a partial's DLEQ proof.
const PARTIAL_PROTOCOL: &[u8] = b"kleroterion/beacon/partial";
/// Format version of every beacon object: 2 since round inputs commit to
/// registered announcements (spec/beacon.md §2.2, §2.7).
const VERSION: u8 = 2;

/// Whether round inputs include the previous output (spec/beacon.md §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ChainMode {
    /// Round `r` depends on the output of round `r − 1`; round 1 on the
    /// genesis seed.
    Chained,
    /// Round `r` depends only on `r`.
    Unchained,
}

impl ChainMode {
    fn byte(self) -> u8 {
        match self {
            ChainMode::Chained => 1,
            ChainMode::Unchained => 2,
        }
    }

    fn from_byte(b: u8) -> Result<Self> {
        match b {
            1 => Ok(ChainMode::Chained),
            2 => Ok(ChainMode::Unchained),
            _ => Err(Error::InvalidParameter {
                what: "beacon chain mode must be 1 (chained) or 2 (unchained)",
            }),
        }
    }
}

/// The public parameters of a beacon chain (spec/beacon.md §2.1): the
/// trustee set that produces it, the chaining mode and a genesis seed
/// published when the chain is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BeaconParameters {
    trustees: TrusteeSet,
    mode: ChainMode,
    genesis: [u8; 32],
    chain_id: [u8; 32],
}

impl BeaconParameters {
    /// Parameters for a chain produced by `trustees`. The genesis seed should
    /// be a value nobody controlled, e.g. the hash of a public event that
    /// happened after the key generation.
    pub fn new(trustees: TrusteeSet, mode: ChainMode, genesis: [u8; 32]) -> Self {
        let chain_id = Sha3_256::new()
            .chain_update(b"kleroterion/v1/beacon-chain")
            .chain_update(trustees.to_bytes())
            .chain_update([mode.byte()])
            .chain_update(genesis)
            .finalize()
            .into();
        BeaconParameters {
            trustees,
            mode,
            genesis,
            chain_id,
        }
    }

    /// The trustee set (joint key and verification shares).
    pub fn trustees(&self) -> &TrusteeSet {
        &self.trustees
    }

    /// The chaining mode.
    pub fn mode(&self) -> ChainMode {
        self.mode
    }

    /// The genesis seed.
    pub fn genesis(&self) -> &[u8; 32] {
        &self.genesis
    }

    /// `SHA3-256("kleroterion/v1/beacon-chain" ‖ trustee set ‖ mode ‖
    /// genesis)`: names the chain and is the context of every transcript.
    pub fn chain_id(&self) -> &[u8; 32] {
        &self.chain_id
    }

    /// The round input `x_r` (spec/beacon.md §2.2): `chain id ‖ LE64(r)`,
    /// followed in chained mode by the previous output (the genesis seed for
    /// round 1), and then by the digest of the announcements registered with
    /// the round (§2.7). `previous` is ignored in unchained mode.
    fn round_input(
        &self,
        round: u64,
        previous: Option<&BeaconOutput>,
        registered: &Registrations,
    ) -> Result<Vec<u8>> {
        if round == 0 {
            return Err(Error::InvalidParameter {
                what: "beacon rounds are numbered from 1",
            });
        }
        let mut x = Vec::with_capacity(104);
        x.extend_from_slice(&self.chain_id);
        x.extend_from_slice(&round.to_le_bytes());
        if self.mode == ChainMode::Chained {
            match (round, previous) {
                (1, None) => x.extend_from_slice(&self.genesis),
                (1, Some(_)) | (_, None) => return Err(Error::RoundFailed {
                    round,
                    check:
                        "chained round 1 uses the genesis seed, later rounds the previous output",
                }),
                (_, Some(prev)) => x.extend_from_slice(&prev.0),
            }
        }
        x.extend_from_slice(&registered.digest().0);
        Ok(x)
    }

    fn round_context(
        &self,
        round: u64,
        previous: Option<&BeaconOutput>,
        registered: &Registrations,
    ) -> Result<RoundContext> {
        let input = self.round_input(round, previous, registered)?;
        let base = EncodedPoint::new(hash_to_point(ROUND_BASE_DST, &input));
        let mut transcript = new_transcript(self.chain_id());
        transcript.domain_sep(PARTIAL_PROTOCOL, u64::from(VERSION));
        transcript.append_bytes(b"round-input", &input);
        Ok(RoundContext { base, transcript })
    }

    fn output(&self, round: u64, sigma: &[u8; 32]) -> BeaconOutput {
        BeaconOutput(
            Sha3_256::new()
                .chain_update(b"kleroterion/v1/beacon-output")
                .chain_update(self.chain_id)
                .chain_update(round.to_le_bytes())
                .chain_update(sigma)
                .finalize()
                .into(),
        )
    }
}

impl Encode for BeaconParameters {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::BeaconParameters, VERSION);
        self.trustees.encode(w);
        w.u8(self.mode.byte());
        w.raw(&self.genesis);
    }
}

impl Decode for BeaconParameters {
    const NAME: &'static str = "BeaconParameters";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::BeaconParameters, &[VERSION], Self::NAME)?;
        let trustees = TrusteeSet::decode(r)?;
        let mode = ChainMode::from_byte(r.u8("chain mode")?)?;
        let genesis = r.array("genesis")?;
        Ok(BeaconParameters::new(trustees, mode, genesis))
    }
}

crate::impl_serde_via_encoding!(BeaconParameters);

/// The per-round values every party derives: the base point `H_r` (with
/// its encoding, computed once per round) and the prefix of every partial's
/// transcript (spec/beacon.md §2.3), bound to the round input once and
/// cloned for each partial.
struct RoundContext {
    base: EncodedPoint,
    transcript: Transcript,
}

impl RoundContext {
    /// The transcript of a partial's DLEQ proof, before the trustee index.
    fn transcript(&self) -> Transcript {
        self.transcript.clone()
    }
}

/// A trustee's contribution to round `r`: `σⱼ = sⱼ·H_r` with its DLEQ proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BeaconPartial {
    /// The round this partial is for.
    pub round: u64,
    /// The trustee's evaluation and proof.
    pub evaluation: ShareEvaluation,
}

impl BeaconPartial {
    /// Step 2 of a round: trustee `share.index()` evaluates its share on the
    /// round base. `previous` is the output of round `r − 1` (chained mode,
    /// `r > 1`) and `None` otherwise; `registered` the announcements
    /// registered with this round (§2.7), the same for every trustee.
    pub fn produce<R: RngCore + CryptoRng>(
        params: &BeaconParameters,
        share: &SecretShare,
        round: u64,
        previous: Option<&BeaconOutput>,
        registered: &Registrations,
        rng: &mut R,
    ) -> Result<Self> {
        params.trustees.verification_share(share.index())?;
        let ctx = params.round_context(round, previous, registered)?;
        let evaluation =
            ShareEvaluation::prove(share, &mut ctx.transcript(), ctx.base.point(), rng);
        Ok(BeaconPartial { round, evaluation })
    }

    /// Verifies one partial on its own (a node checking gossip).
    pub fn verify(
        &self,
        params: &BeaconParameters,
        previous: Option<&BeaconOutput>,
        registered: &Registrations,
    ) -> Result<()> {
        let ctx = params.round_context(self.round, previous, registered)?;
        self.evaluation
            .verify_encoded(&mut ctx.transcript(), &ctx.base, &params.trustees)
    }
}

impl Encode for BeaconPartial {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::BeaconPartial, VERSION);
        w.u64(self.round);
        self.evaluation.encode(w);
    }
}

impl Decode for BeaconPartial {
    const NAME: &'static str = "BeaconPartial";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::BeaconPartial, &[VERSION], Self::NAME)?;
        Ok(BeaconPartial {
            round: r.u64("round")?,
            evaluation: ShareEvaluation::decode(r)?,
        })
    }
}

crate::impl_serde_via_encoding!(BeaconPartial);

/// A completed round: the announcements registered with it, the `t`
/// combined partials, `σ` and the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BeaconRound {
    round: u64,
    registered: Registrations,
    partials: Vec<ShareEvaluation>,
    sigma: EncodedPoint,
    output: BeaconOutput,
}

impl BeaconRound {
    /// The round number.
    pub fn round(&self) -> u64 {
        self.round
    }

    /// The announcements registered with this round (§2.7): each provably
    /// fixed before this round's output, and so before every later one.
    pub fn registered(&self) -> &Registrations {
        &self.registered
    }

    /// The round output.
    pub fn output(&self) -> &BeaconOutput {
        &self.output
    }

    /// The encoding of `σ = s·H_r`.
    pub fn sigma(&self) -> &[u8; 32] {
        self.sigma.encoding().as_bytes()
    }

    /// The partials that were interpolated, ascending by trustee index.
    pub fn partials(&self) -> &[ShareEvaluation] {
        &self.partials
    }
}

impl Encode for BeaconRound {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::BeaconRound, VERSION);
        w.u64(self.round);
        self.registered.encode(w);
        w.len(self.partials.len());
        for p in &self.partials {
            p.encode(w);
        }
        w.raw(self.sigma().as_slice());
        w.raw(&self.output.0);
    }
}

/// Minimum encoded size of a [`ShareEvaluation`], for allocation guards.
const MIN_EVALUATION_LEN: usize = 2 + 2 + 32 + 2 + 96;

impl Decode for BeaconRound {
    const NAME: &'static str = "BeaconRound";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::BeaconRound, &[VERSION], Self::NAME)?;
        let round = r.u64("round")?;
        let registered = Registrations::decode(r)?;
        let n = r.len(MIN_EVALUATION_LEN, "beacon partials")?;
        let partials = (0..n)
            .map(|_| ShareEvaluation::decode(r))
            .collect::<Result<Vec<_>>>()?;
        let sigma = EncodedPoint::read(r)?;
        if sigma.is_identity() {
            return Err(Error::IdentityPoint);
        }
        let output = BeaconOutput(r.array("output")?);
        Ok(BeaconRound {
            round,
            registered,
            partials,
            sigma,
            output,
        })
    }
}

crate::impl_serde_via_encoding!(BeaconRound);

/// The outcome of [`combine`]: the round and any partials that were
/// excluded, each with the reason (bad proof, unknown or disqualified
/// trustee, duplicate, wrong round).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combined {
    /// The completed round.
    pub round: BeaconRound,
    /// Excluded partials by trustee index, with the reason.
    pub rejected: Vec<(u32, Error)>,
}

/// Step 3 of a round: verifies the partials (one batched MSM), excludes and
/// names bad ones, and interpolates the `t` valid partials with the smallest
/// indices into `σ`. Fewer than `t` valid partials is
/// [`Error::BelowThreshold`]. `registered` must be the announcements the
/// trustees evaluated the round on.
pub fn combine<R: RngCore + CryptoRng>(
    params: &BeaconParameters,
    round: u64,
    previous: Option<&BeaconOutput>,
    registered: &Registrations,
    partials: &[BeaconPartial],
    rng: &mut R,
) -> Result<Combined> {
    let ctx = params.round_context(round, previous, registered)?;
    let (this_round, other): (Vec<&BeaconPartial>, Vec<&BeaconPartial>) =
        partials.iter().partition(|p| p.round == round);
    let evaluations: Vec<&ShareEvaluation> = this_round.iter().map(|p| &p.evaluation).collect();
    let combination = combine_evaluations(
        &params.trustees,
        ctx.base.point(),
        &evaluations,
        || ctx.transcript(),
        rng,
    )?;
    // Exactly the partials interpolated, by position: a rejected partial
    // may carry a used trustee's index (spec/beacon.md §2.3).
    let used: Vec<ShareEvaluation> = combination
        .positions
        .iter()
        .filter_map(|&p| evaluations.get(p).map(|e| (*e).clone()))
        .collect();
    let sigma = EncodedPoint::new(combination.point);
    let mut rejected: Vec<(u32, Error)> = combination
        .rejected
        .into_iter()
        .map(|(i, e)| (u32::from(i), e))
        .collect();
    rejected.extend(other.iter().map(|p| {
        (
            u32::from(p.evaluation.index),
            Error::RoundFailed {
                round: p.round,
                check: "partial is for another round",
            },
        )
    }));
    Ok(Combined {
        round: BeaconRound {
            round,
            registered: registered.clone(),
            partials: used,
            output: params.output(round, sigma.encoding().as_bytes()),
            sigma,
        },
        rejected,
    })
}

/// The checks of any number of rounds, folded into one multiscalar
/// multiplication (spec/beacon.md §2.5). The generator `G` and each
/// trustee's verification share `Yⱼ` are registered once as fixed points, so
/// over a chain they cost one term each; every round adds one term for
/// `H_r`, one for `σ` and three per partial (`σⱼ`, `T₁`, `T₂`).
struct RoundsBatch {
    terms: RoundTerms,
    lagrange: LagrangeCache,
}

/// The multiscalar terms of a [`RoundsBatch`].
struct RoundTerms {
    verifier: BatchVerifier,
    generator: FixedPoint,
    /// The fixed point of `Yⱼ`, by trustee index − 1, registered on first
    /// use.
    shares: Vec<Option<FixedPoint>>,
}

impl RoundTerms {
    /// Adds `scalar·Yⱼ` for trustee `index` with verification share `point`.
    fn add_share(&mut self, index: ParticipantIndex, point: RistrettoPoint, scalar: Scalar) {
        let slot = usize::from(index.get())
            .checked_sub(1)
            .and_then(|i| self.shares.get_mut(i));
        match slot {
            Some(Some(handle)) => self.verifier.add_fixed(*handle, scalar),
            Some(slot @ None) => {
                let handle = self.verifier.fixed(point);
                *slot = Some(handle);
                self.verifier.add_fixed(handle, scalar);
            }
            // A qualified trustee's index is in 1..=n; kept total anyway.
            None => self.verifier.add(scalar, point),
        }
    }
}

/// The Lagrange coefficients of the last round's index set, reused while
/// the following rounds combine the same trustees (the usual case in a
/// chain).
#[derive(Default)]
struct LagrangeCache(Option<(Vec<ParticipantIndex>, Scalar, Vec<Scalar>)>);

impl LagrangeCache {
    /// `(D, [D·λⱼ])` for `partials`' indices ([`scaled_lagrange_coefficients`]),
    /// after checking that every index is a qualified trustee.
    fn get(
        &mut self,
        trustees: &TrusteeSet,
        partials: &[ShareEvaluation],
    ) -> Result<(Scalar, &[Scalar])> {
        let cached = matches!(&self.0, Some((indices, _, _))
            if indices.iter().eq(partials.iter().map(|p| &p.index)));
        if !cached {
            let indices = partials
                .iter()
                .map(|p| trustees.verification_share(p.index).map(|_| p.index))
                .collect::<Result<Vec<_>>>()?;
            let (d, scaled) = scaled_lagrange_coefficients(&indices)?;
            self.0 = Some((indices, d, scaled));
        }
        Ok(self
            .0
            .as_ref()
            .map_or((Scalar::ZERO, &[]), |(_, d, scaled)| {
                (*d, scaled.as_slice())
            }))
    }
}

impl RoundsBatch {
    /// An empty batch with room for `terms` per-round terms.
    fn new(trustees: &TrusteeSet, terms: usize) -> Self {
        let mut verifier = BatchVerifier::with_capacity(terms);
        let generator = verifier.fixed(RISTRETTO_BASEPOINT_POINT);
        RoundsBatch {
            terms: RoundTerms {
                verifier,
                generator,
                shares: alloc::vec![None; usize::from(trustees.parameters().participants())],
            },
            lagrange: LagrangeCache::default(),
        }
    }

    /// Runs the multiscalar multiplication.
    fn verify(self) -> bool {
        self.terms.verifier.verify()
    }
}

/// Multiscalar terms one round of `threshold` partials adds to a
/// [`RoundsBatch`] besides the fixed `G` and `Yⱼ`: `H_r`, `σ` and, per
/// partial, `σⱼ`, `T₁`, `T₂`.
fn round_terms(threshold: usize) -> usize {
    threshold.saturating_mul(3).saturating_add(2)
}

/// Queues every check of one round into `batch` (spec/beacon.md §2.5): each
/// partial's two DLEQ equations and the interpolation
/// `D·σ − Σ (D·λⱼ)·σⱼ = 0` (Lagrange coefficients scaled by their common
/// denominator `D ≠ 0`, so no inversion), each multiplied by its own random
/// 128-bit weight. Terms of one point are merged: `σⱼ` enters once with the
/// sum of its DLEQ and interpolation coefficients, `H_r` once per round.
/// Checks that need no batch fail here.
fn queue_round<R: RngCore + CryptoRng>(
    params: &BeaconParameters,
    round: &BeaconRound,
    previous: Option<&BeaconOutput>,
    batch: &mut RoundsBatch,
    rng: &mut R,
) -> Result<()> {
    let fail = |check| Error::RoundFailed {
        round: round.round,
        check,
    };
    let ctx = params.round_context(round.round, previous, &round.registered)?;
    if round.partials.len() != params.trustees.threshold() {
        return Err(fail("a round combines exactly t partials"));
    }
    if round.partials.windows(2).any(|w| match w {
        [a, b] => a.index >= b.index,
        _ => false,
    }) {
        return Err(fail("partials must be ascending by distinct trustee index"));
    }
    if params.output(round.round, round.sigma()) != round.output {
        return Err(fail("output is the hash of sigma"));
    }
    let (d, scaled) = batch.lagrange.get(&params.trustees, &round.partials)?;
    let terms = &mut batch.terms;
    // D·σ − Σ (D·λⱼ)·σⱼ = 0 (D ≠ 0, no inversion), with its own weight.
    let w = BatchVerifier::weight(rng);
    terms.verifier.add(w * d, *round.sigma.point());
    let mut h = Scalar::ZERO;
    for (lambda, p) in scaled.iter().zip(&round.partials) {
        let (dleq, share) = p
            .weighted_terms(&mut ctx.transcript(), &ctx.base, &params.trustees, rng)
            .map_err(|_| fail("partial DLEQ proof"))?;
        terms.verifier.add_fixed(terms.generator, dleq.g);
        terms.add_share(p.index, share, dleq.a);
        h += dleq.h;
        terms.verifier.add(dleq.b - w * lambda, *p.point.point());
        for (scalar, point) in dleq.commitments {
            terms.verifier.add(scalar, point);
        }
    }
    terms.verifier.add(h, *ctx.base.point());
    Ok(())
}

/// Verifies one round against its predecessor's output (`None` for round 1
/// or in unchained mode) and returns its output.
pub fn verify_round<R: RngCore + CryptoRng>(
    params: &BeaconParameters,
    round: &BeaconRound,
    previous: Option<&BeaconOutput>,
    rng: &mut R,
) -> Result<BeaconOutput> {
    let mut batch = RoundsBatch::new(&params.trustees, round_terms(round.partials.len()));
    queue_round(params, round, previous, &mut batch, rng)?;
    if batch.verify() {
        Ok(round.output)
    } else {
        Err(Error::RoundFailed {
            round: round.round,
            check: "partial proofs and interpolation of sigma",
        })
    }
}

/// A beacon record: parameters and consecutive rounds, verifiable offline by
/// a client holding only the parameters (spec/beacon.md §2.5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BeaconRecord {
    /// The chain's parameters.
    pub parameters: BeaconParameters,
    /// Rounds in order. A chained record starts at round 1; an unchained one
    /// at any round, with strictly increasing round numbers.
    pub rounds: Vec<BeaconRound>,
}

/// Verifies a whole record with one multiscalar multiplication for every
/// proof and interpolation of every round; on failure, rounds are checked
/// one by one and the first bad round is named with
/// [`Error::RoundFailed`]. Returns the outputs in order.
pub fn verify_chain<R: RngCore + CryptoRng>(
    record: &BeaconRecord,
    rng: &mut R,
) -> Result<Vec<BeaconOutput>> {
    let params = &record.parameters;
    // Reserve for the partials present (bounded by the input), not for
    // `t × rounds`: a huge `t` with many empty rounds must not allocate.
    let terms = record.rounds.iter().fold(0usize, |acc, r| {
        acc.saturating_add(round_terms(r.partials.len()))
    });
    let mut batch = RoundsBatch::new(&params.trustees, terms);
    let mut previous: Option<BeaconOutput> = None;
    let mut last_round = 0u64;
    for (i, round) in record.rounds.iter().enumerate() {
        let in_order = match params.mode {
            ChainMode::Chained => Some(round.round) == u64::try_from(i).ok().map(|i| i + 1),
            ChainMode::Unchained => round.round > last_round,
        };
        if !in_order {
            return Err(Error::RoundFailed {
                round: round.round,
                check: "rounds out of order",
            });
        }
        queue_round(params, round, previous.as_ref(), &mut batch, rng)?;
        last_round = round.round;
        if params.mode == ChainMode::Chained {
            previous = Some(round.output);
        }
    }
    if batch.verify() {
        return Ok(record.rounds.iter().map(|r| r.output).collect());
    }
    let mut previous: Option<BeaconOutput> = None;
    for round in &record.rounds {
        let out = verify_round(params, round, previous.as_ref(), rng)?;
        if params.mode == ChainMode::Chained {
            previous = Some(out);
        }
    }
    // The batch failed but every round verifies alone: only possible if the
    // random weights were unlucky (probability ≤ 2⁻¹²⁸); report it.
    Err(Error::BatchVerificationFailed {
        proof: "beacon chain",
        index: None,
    })
}

impl BeaconRecord {
    /// Verifies the record ([`verify_chain`]) and returns its outputs as a
    /// [`VerifiedChain`], the [`BeaconSource`] a draw by lot is checked
    /// against.
    pub fn verify<R: RngCore + CryptoRng>(&self, rng: &mut R) -> Result<VerifiedChain> {
        let outputs = verify_chain(self, rng)?;
        Ok(VerifiedChain {
            chain_id: *self.parameters.chain_id(),
            outputs: self.rounds.iter().map(|r| r.round).zip(outputs).collect(),
            registered: self
                .rounds
                .iter()
                .flat_map(|r| r.registered.hashes().iter().map(move |h| (*h, r.round)))
                .fold(BTreeMap::new(), |mut first, (h, round)| {
                    first.entry(h).or_insert(round);
                    first
                }),
        })
    }
}

/// The outputs of a beacon record that has been verified; only
/// [`BeaconRecord::verify`] makes one, so holding it means every round's
/// proofs and chain links were checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedChain {
    chain_id: [u8; 32],
    outputs: BTreeMap<u64, BeaconOutput>,
    /// Every registered announcement hash and the first round that
    /// registered it.
    registered: BTreeMap<crate::roll::Digest, u64>,
}

impl VerifiedChain {
    /// The chain these outputs belong to.
    pub fn chain_id(&self) -> &[u8; 32] {
        &self.chain_id
    }

    /// The first verified round whose input committed to the announcement
    /// hash `hash` (§2.7), if any.
    pub fn registered_in(&self, hash: &crate::roll::Digest) -> Option<u64> {
        self.registered.get(hash).copied()
    }

    /// The verified rounds and their outputs, in round order.
    pub fn outputs(&self) -> impl Iterator<Item = (u64, &BeaconOutput)> {
        self.outputs.iter().map(|(r, o)| (*r, o))
    }
}

impl BeaconSource for VerifiedChain {
    fn verified_output(&self, round: u64) -> Result<BeaconOutput> {
        self.outputs.get(&round).copied().ok_or(Error::RoundFailed {
            round,
            check: "round is not in the verified beacon record",
        })
    }
}

impl Encode for BeaconRecord {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::BeaconRecord, VERSION);
        self.parameters.encode(w);
        w.len(self.rounds.len());
        for r in &self.rounds {
            r.encode(w);
        }
    }
}

impl Decode for BeaconRecord {
    const NAME: &'static str = "BeaconRecord";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::BeaconRecord, &[VERSION], Self::NAME)?;
        let parameters = BeaconParameters::decode(r)?;
        let n = r.len(2 + 8 + 4 + 4 + 64, "beacon rounds")?;
        let rounds = (0..n)
            .map(|_| BeaconRound::decode(r))
            .collect::<Result<Vec<_>>>()?;
        Ok(BeaconRecord { parameters, rounds })
    }
}

crate::impl_serde_via_encoding!(BeaconRecord);

#[cfg(test)]
mod tests;
