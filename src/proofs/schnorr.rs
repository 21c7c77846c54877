//! Schnorr proof of knowledge of a discrete logarithm (spec/proofs.md §3).
//!
//! Statement: a base `B` and a public point `X`; the prover knows `x` with
//! `X = x·B`. Proof: the commitment `R = k·B` and the response `s = k + c·x`,
//! where `c` is the transcript challenge. Verification: `s·B − R − c·X = 0`.

use core::ops::Deref;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::{
    nonidentity, prover_nonce, BatchContext, Claim, EncodedPoint, Equations, SigmaProof,
    StatementPoint, Term, PROOF_VERSION,
};
use crate::batch::BatchVerifier;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::Result;
use crate::transcript::TranscriptProtocol;

/// Transcript protocol label of the Schnorr proof.
pub const SCHNORR_LABEL: &[u8] = b"kleroterion/schnorr";

/// Length in bytes of an encoded [`SchnorrProof`]: header, `R`, `s`.
pub const SCHNORR_PROOF_LEN: usize = 2 + 32 + 32;

/// The statement `X = x·B` of a Schnorr proof, over bare points (the
/// default) or over [`EncodedPoint`]s whose encodings are already known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrStatement<P = RistrettoPoint> {
    /// The base `B`; MUST NOT be the identity. Registered once per batch in
    /// a [`BatchContext`].
    pub base: P,
    /// The public point `X`; MUST NOT be the identity.
    pub public: P,
}

impl<P: StatementPoint> Claim<SchnorrProof> for SchnorrStatement<P> {
    /// Encodes both points, rejecting the identity.
    fn prepare(&self) -> Result<SchnorrStatement<EncodedPoint>> {
        Ok(SchnorrStatement {
            base: nonidentity(&self.base)?,
            public: nonidentity(&self.public)?,
        })
    }
}

impl SchnorrStatement<EncodedPoint> {
    /// Appends the protocol label, version and statement (spec §3.1).
    fn bind(&self, transcript: &mut Transcript) {
        transcript.domain_sep(SCHNORR_LABEL, u64::from(PROOF_VERSION));
        transcript.append_compressed(b"B", self.base.encoding());
        transcript.append_compressed(b"X", self.public.encoding());
    }
}

/// A non-interactive Schnorr proof of knowledge of `x` with `X = x·B`:
/// the commitment `R` and the response `s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrProof {
    commitment: EncodedPoint,
    response: Scalar,
}

impl SchnorrProof {
    /// Proves knowledge of `secret = x` with `public = x·base`.
    ///
    /// Binds the statement to `transcript` (spec §3.1), commits to
    /// `R = k·B` for a nonce `k` derived from the transcript, the witness and
    /// `rng` (zeroized after use), and answers the challenge with
    /// `s = k + c·x`. The caller MUST pass `public = secret·base` with
    /// neither point the identity; otherwise the proof does not verify.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
        secret: &Scalar,
        rng: &mut R,
    ) -> Self {
        let statement = SchnorrStatement {
            base: EncodedPoint::new(*base),
            public: EncodedPoint::new(*public),
        };
        statement.bind(transcript);
        let nonce = Zeroizing::new(prover_nonce(transcript, secret, rng));
        let commitment = EncodedPoint::new(base * nonce.deref());
        transcript.append_compressed(b"R", commitment.encoding());
        let c = transcript.challenge_scalar(b"c");
        Self {
            commitment,
            response: *nonce + c * secret,
        }
    }

    /// Verifies the proof for `public = x·base`.
    ///
    /// Fails with [`Error::IdentityPoint`](crate::Error::IdentityPoint) if
    /// `base` or `public` is the identity, and with
    /// [`Error::VerificationFailed`](crate::Error::VerificationFailed) if
    /// `s·B ≠ R + c·X`.
    pub fn verify(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
    ) -> Result<()> {
        self.verify_statement(
            transcript,
            &SchnorrStatement::<RistrettoPoint> {
                base: *base,
                public: *public,
            },
        )
    }

    /// [`verify`](Self::verify) for a [`SchnorrStatement`], e.g. one over
    /// [`EncodedPoint`]s.
    pub fn verify_statement<P: StatementPoint>(
        &self,
        transcript: &mut Transcript,
        statement: &SchnorrStatement<P>,
    ) -> Result<()> {
        self.verify_claim(transcript, statement)
    }

    /// Adds this proof's weighted verification equation to a shared batch
    /// (one MSM for many proofs). `base` becomes an ordinary term; to share
    /// it across many proofs use [`queue_in`](Self::queue_in).
    ///
    /// Fails with [`Error::IdentityPoint`](crate::Error::IdentityPoint) as
    /// [`verify`](Self::verify) does; otherwise the outcome is only known
    /// from [`BatchVerifier::verify`].
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        let statement = SchnorrStatement::<RistrettoPoint> {
            base: *base,
            public: *public,
        };
        self.queue_claim(transcript, &statement, batch, rng)
    }

    /// Adds this proof to a [`BatchContext`], where the base is registered
    /// once for the whole batch (spec §6.2).
    pub fn queue_in<P: StatementPoint, R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        statement: &SchnorrStatement<P>,
        rng: &mut R,
    ) -> Result<()> {
        self.queue_claim_in(ctx, transcript, statement, rng)
    }

    /// Verifies many proofs with one multiscalar multiplication. Each item
    /// is the transcript *before* the proof (it is cloned, not consumed), the
    /// statement and the proof. On failure, falls back to verifying the
    /// items one by one and returns
    /// [`Error::BatchVerificationFailed`](crate::Error::BatchVerificationFailed)
    /// with the index of the first bad item.
    pub fn batch_verify<P: StatementPoint, R: RngCore + CryptoRng>(
        items: &[(Transcript, &SchnorrStatement<P>, &SchnorrProof)],
        rng: &mut R,
    ) -> Result<()> {
        Self::batch_verify_claims(items, rng)
    }
}

impl SigmaProof for SchnorrProof {
    const PROOF: &'static str = "Schnorr";

    type Statement<'s> = SchnorrStatement<EncodedPoint>;

    /// `B`, `R`, `X`.
    fn terms(&self, _statement: &Self::Statement<'_>) -> usize {
        3
    }

    /// Binds the statement and the commitment and squeezes the challenge.
    fn challenge(
        &self,
        transcript: &mut Transcript,
        statement: &SchnorrStatement<EncodedPoint>,
    ) -> Scalar {
        statement.bind(transcript);
        transcript.append_compressed(b"R", self.commitment.encoding());
        transcript.challenge_scalar(b"c")
    }

    /// The verification equation `s·B − R − c·X = 0` (spec §3.3).
    fn equations<'a>(
        &'a self,
        c: Scalar,
        statement: &'a SchnorrStatement<EncodedPoint>,
        sink: &mut impl Equations<'a>,
    ) {
        sink.equation([
            (self.response, Term::shared(0, &statement.base)),
            (-Scalar::ONE, Term::local(1, &self.commitment)),
            (-c, Term::local(2, &statement.public)),
        ]);
    }
}

impl Encode for SchnorrProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::SchnorrProof, PROOF_VERSION);
        self.commitment.write(w);
        w.scalar(&self.response);
    }
}

impl Decode for SchnorrProof {
    const NAME: &'static str = "Schnorr proof";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::SchnorrProof, &[PROOF_VERSION], Self::NAME)?;
        Ok(Self {
            commitment: EncodedPoint::read(r)?,
            response: r.scalar()?,
        })
    }
}

crate::impl_serde_via_encoding!(SchnorrProof);
