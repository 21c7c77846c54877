//! Chaum–Pedersen proof of discrete-log equality (spec/proofs.md §4).
//!
//! Statement: points `G, A, H, B`; the prover knows `x` with `A = x·G` and
//! `B = x·H` (a trustee's partial decryption `B = skᵢ·α` under its key
//! `A = skᵢ·G`; a beacon share `σᵢ = skᵢ·H(round)`). Proof: the commitments
//! `T₁ = k·G`, `T₂ = k·H` and the response `s = k + c·x`. Verification:
//! `s·G − T₁ − c·A = 0` and `s·H − T₂ − c·B = 0`.

use core::ops::Deref;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{
    nonidentity, prover_nonce, BatchContext, Claim, EncodedPoint, Equations, Keyed, SigmaProof,
    StatementPoint, Term, PROOF_VERSION,
};
use crate::batch::BatchVerifier;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::Result;
use crate::transcript::TranscriptProtocol;

/// Transcript protocol label of the DLEQ proof.
pub const DLEQ_LABEL: &[u8] = b"kleroterion/dleq";

/// Length in bytes of an encoded [`DleqProof`]: header, `T₁`, `T₂`, `s`.
pub const DLEQ_PROOF_LEN: usize = 2 + 32 + 32 + 32;

/// The statement `A = x·G ∧ B = x·H`, over bare points (the default) or
/// over [`EncodedPoint`]s whose encodings are already known.
///
/// `G` and `A` MUST NOT be the identity (a zero secret is never a valid
/// key). `H` and `B` may be: the partial decryption of an empty tally is
/// `B = x·O = O`, and the proof then still proves knowledge of `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqStatement<P = RistrettoPoint> {
    /// The first base `G`. Registered once per batch in a [`BatchContext`].
    pub g: P,
    /// `A = x·G`.
    pub a: P,
    /// The second base `H`. Registered once per batch in a
    /// [`BatchContext`] (up to a few distinct bases).
    pub h: P,
    /// `B = x·H`.
    pub b: P,
}

impl<P: StatementPoint> Claim<DleqProof> for DleqStatement<P> {
    /// Encodes all four points, rejecting an identity `G` or `A`.
    fn prepare(&self) -> Result<DleqStatement<EncodedPoint>> {
        Ok(DleqStatement {
            g: nonidentity(&self.g)?,
            a: nonidentity(&self.a)?,
            h: self.h.encoded(),
            b: self.b.encoded(),
        })
    }
}

impl DleqStatement<EncodedPoint> {
    /// Appends the protocol label, version and statement (spec §4.1).
    fn bind(&self, transcript: &mut Transcript) {
        transcript.domain_sep(DLEQ_LABEL, u64::from(PROOF_VERSION));
        transcript.append_compressed(b"G", self.g.encoding());
        transcript.append_compressed(b"A", self.a.encoding());
        transcript.append_compressed(b"H", self.h.encoding());
        transcript.append_compressed(b"B", self.b.encoding());
    }
}

/// A non-interactive Chaum–Pedersen proof: commitments `T₁ = k·G`,
/// `T₂ = k·H` and response `s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof {
    t1: EncodedPoint,
    t2: EncodedPoint,
    response: Scalar,
}

/// One DLEQ proof's two verification equations, each multiplied by its own
/// random 128-bit weight `w₁`, `w₂`, as coefficients per point:
/// `g·G + a·A + h·H + b·B + t1·T₁ + t2·T₂ = 0` with `g = −w₁s`, `a = w₁c`,
/// `h = −w₂s`, `b = w₂c`, `t1 = w₁`, `t2 = w₂` (spec/proofs.md §6.1).
///
/// For protocols that fold a statement point with their own equations
/// (a beacon partial's `B = σⱼ` also enters the interpolation of `σ`) or
/// share it across many proofs (one `Yⱼ` per trustee over a whole chain).
#[derive(Clone, Copy, Debug)]
pub(crate) struct DleqTerms {
    /// Coefficient of the first base `G`.
    pub g: Scalar,
    /// Coefficient of `A`.
    pub a: Scalar,
    /// Coefficient of the second base `H`.
    pub h: Scalar,
    /// Coefficient of `B`.
    pub b: Scalar,
    /// The commitments `T₁`, `T₂` with their coefficients.
    pub commitments: [(Scalar, RistrettoPoint); 2],
}

impl DleqProof {
    /// Proves `A = x·G ∧ B = x·H` for `secret = x`.
    ///
    /// Binds the statement (spec §4.1), commits to `T₁ = k·G`, `T₂ = k·H` for
    /// a nonce `k` derived from the transcript, the witness and `rng`
    /// (zeroized after use), and answers with `s = k + c·x`. The caller MUST
    /// pass a true statement with `G`, `A` not the identity; otherwise the
    /// proof does not verify.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &DleqStatement,
        secret: &Scalar,
        rng: &mut R,
    ) -> Self {
        let encoded = DleqStatement {
            g: EncodedPoint::new(statement.g),
            a: EncodedPoint::new(statement.a),
            h: EncodedPoint::new(statement.h),
            b: EncodedPoint::new(statement.b),
        };
        encoded.bind(transcript);
        let nonce = Zeroizing::new(prover_nonce(transcript, secret, rng));
        let t1 = EncodedPoint::new(statement.g * nonce.deref());
        let t2 = EncodedPoint::new(statement.h * nonce.deref());
        transcript.append_compressed(b"T1", t1.encoding());
        transcript.append_compressed(b"T2", t2.encoding());
        let c = transcript.challenge_scalar(b"c");
        Self {
            t1,
            t2,
            response: *nonce + c * secret,
        }
    }

    /// Verifies the proof for `statement`.
    ///
    /// Fails with [`Error::IdentityPoint`](crate::Error::IdentityPoint) if
    /// `G` or `A` is the identity, and with
    /// [`Error::VerificationFailed`](crate::Error::VerificationFailed) if
    /// either equation fails.
    pub fn verify(&self, transcript: &mut Transcript, statement: &DleqStatement) -> Result<()> {
        self.verify_statement(transcript, statement)
    }

    /// [`verify`](Self::verify) for a statement over any
    /// [`StatementPoint`], e.g. [`EncodedPoint`]s.
    pub fn verify_statement<P: StatementPoint>(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement<P>,
    ) -> Result<()> {
        self.verify_claim(transcript, statement)
    }

    /// Adds this proof's two weighted verification equations to a shared
    /// batch (one MSM for many proofs). The bases become ordinary terms; to
    /// share them across many proofs use [`queue_in`](Self::queue_in).
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement,
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        self.queue_claim(transcript, statement, batch, rng)
    }

    /// Adds this proof to a [`BatchContext`], where `G` and `H` are
    /// registered once for the whole batch (spec §6.2).
    pub fn queue_in<P: StatementPoint, R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        statement: &DleqStatement<P>,
        rng: &mut R,
    ) -> Result<()> {
        self.queue_claim_in(ctx, transcript, statement, rng)
    }

    /// Binds the statement, derives the challenge and returns the weighted
    /// coefficients of both equations per point ([`DleqTerms`]), for a
    /// caller that adds them to its own batch. Same errors as
    /// [`verify`](Self::verify) for an identity `G` or `A`.
    pub(crate) fn weighted_terms<P: StatementPoint, R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement<P>,
        rng: &mut R,
    ) -> Result<DleqTerms> {
        let (statement, c) = self.bind(transcript, statement)?;
        let mut sink = Keyed::<R, 6>::new(rng);
        self.equations(c, &statement, &mut sink);
        let [g, t1, a, h, t2, b] = sink.coefficients();
        Ok(DleqTerms {
            g,
            a,
            h,
            b,
            commitments: [(t1, *self.t1.point()), (t2, *self.t2.point())],
        })
    }

    /// Verifies many proofs with one multiscalar multiplication; see
    /// [`SchnorrProof::batch_verify`](super::SchnorrProof::batch_verify)
    /// for the item layout and the fallback that names the first bad item.
    pub fn batch_verify<P: StatementPoint, R: RngCore + CryptoRng>(
        items: &[(Transcript, &DleqStatement<P>, &DleqProof)],
        rng: &mut R,
    ) -> Result<()> {
        Self::batch_verify_claims(items, rng)
    }
}

impl SigmaProof for DleqProof {
    const PROOF: &'static str = "DLEQ";

    type Statement<'s> = DleqStatement<EncodedPoint>;

    /// `G`, `T₁`, `A`, `H`, `T₂`, `B`.
    fn terms(&self, _statement: &Self::Statement<'_>) -> usize {
        6
    }

    /// Binds the statement and the commitments and squeezes the challenge.
    fn challenge(
        &self,
        transcript: &mut Transcript,
        statement: &DleqStatement<EncodedPoint>,
    ) -> Scalar {
        statement.bind(transcript);
        transcript.append_compressed(b"T1", self.t1.encoding());
        transcript.append_compressed(b"T2", self.t2.encoding());
        transcript.challenge_scalar(b"c")
    }

    /// The equations `s·G − T₁ − c·A = 0` and `s·H − T₂ − c·B = 0` (spec
    /// §4.3; a batch multiplies them by negated weights, so that the
    /// commitments' coefficients are the bare 128-bit weights: spec §6.1).
    fn equations<'a>(
        &'a self,
        c: Scalar,
        statement: &'a DleqStatement<EncodedPoint>,
        sink: &mut impl Equations<'a>,
    ) {
        sink.equation([
            (self.response, Term::shared(0, &statement.g)),
            (-Scalar::ONE, Term::local(1, &self.t1)),
            (-c, Term::local(2, &statement.a)),
        ]);
        sink.equation([
            (self.response, Term::shared(3, &statement.h)),
            (-Scalar::ONE, Term::local(4, &self.t2)),
            (-c, Term::local(5, &statement.b)),
        ]);
    }
}

impl Encode for DleqProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DleqProof, PROOF_VERSION);
        self.t1.write(w);
        self.t2.write(w);
        w.scalar(&self.response);
    }
}

impl Decode for DleqProof {
    const NAME: &'static str = "DLEQ proof";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DleqProof, &[PROOF_VERSION], Self::NAME)?;
        Ok(Self {
            t1: EncodedPoint::read(r)?,
            t2: EncodedPoint::read(r)?,
            response: r.scalar()?,
        })
    }
}

crate::impl_serde_via_encoding!(DleqProof);
