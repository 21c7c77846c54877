//! TEMPORARY interface shim for `crate::proofs` (Schnorr and DLEQ) so that the
//! `trustees` branch compiles before the `proofs` branch lands. It follows the
//! announced API exactly and is deleted when `proofs` is merged.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use crate::batch::BatchVerifier;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::transcript::TranscriptProtocol;

/// Proof of knowledge of `x` with `X = x·B`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrProof {
    challenge: Scalar,
    response: Scalar,
}

fn schnorr_statement(t: &mut Transcript, base: &RistrettoPoint, public: &RistrettoPoint) {
    t.domain_sep(b"schnorr", 1);
    t.append_point(b"B", base);
    t.append_point(b"X", public);
}

impl SchnorrProof {
    /// Proves knowledge of `secret` with `public = secret·base`.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
        secret: &Scalar,
        rng: &mut R,
    ) -> Self {
        schnorr_statement(transcript, base, public);
        let k = Scalar::random(rng);
        transcript.append_point(b"R", &(k * base));
        let challenge = transcript.challenge_scalar(b"c");
        SchnorrProof {
            challenge,
            response: k + challenge * secret,
        }
    }

    /// Verifies the proof.
    pub fn verify(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
    ) -> Result<()> {
        schnorr_statement(transcript, base, public);
        let r = self.response * base - self.challenge * public;
        transcript.append_point(b"R", &r);
        if transcript.challenge_scalar(b"c") == self.challenge {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: "schnorr" })
        }
    }

    /// Queues the proof into a batch.
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        base: &RistrettoPoint,
        public: &RistrettoPoint,
        batch: &mut BatchVerifier,
        _rng: &mut R,
    ) -> Result<()> {
        self.verify(transcript, base, public)?;
        batch.add(Scalar::ZERO, RISTRETTO_BASEPOINT_POINT);
        Ok(())
    }
}

impl Encode for SchnorrProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::SchnorrProof, 1);
        w.scalar(&self.challenge);
        w.scalar(&self.response);
    }
}

impl Decode for SchnorrProof {
    const NAME: &'static str = "SchnorrProof";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::SchnorrProof, &[1], Self::NAME)?;
        Ok(SchnorrProof {
            challenge: r.scalar()?,
            response: r.scalar()?,
        })
    }
}

/// Statement `A = x·G`, `B = x·H`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqStatement {
    /// First base.
    pub g: RistrettoPoint,
    /// `x·G`.
    pub a: RistrettoPoint,
    /// Second base.
    pub h: RistrettoPoint,
    /// `x·H`.
    pub b: RistrettoPoint,
}

/// Chaum–Pedersen proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof {
    challenge: Scalar,
    response: Scalar,
}

fn dleq_statement(t: &mut Transcript, s: &DleqStatement) {
    t.domain_sep(b"dleq", 1);
    t.append_point(b"G", &s.g);
    t.append_point(b"A", &s.a);
    t.append_point(b"H", &s.h);
    t.append_point(b"B", &s.b);
}

impl DleqProof {
    /// Proves the statement.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &DleqStatement,
        secret: &Scalar,
        rng: &mut R,
    ) -> Self {
        dleq_statement(transcript, statement);
        let k = Scalar::random(rng);
        transcript.append_point(b"R1", &(k * statement.g));
        transcript.append_point(b"R2", &(k * statement.h));
        let challenge = transcript.challenge_scalar(b"c");
        DleqProof {
            challenge,
            response: k + challenge * secret,
        }
    }

    /// Verifies the proof.
    pub fn verify(&self, transcript: &mut Transcript, s: &DleqStatement) -> Result<()> {
        dleq_statement(transcript, s);
        transcript.append_point(b"R1", &(self.response * s.g - self.challenge * s.a));
        transcript.append_point(b"R2", &(self.response * s.h - self.challenge * s.b));
        if transcript.challenge_scalar(b"c") == self.challenge {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: "dleq" })
        }
    }

    /// Queues the proof into a batch.
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        s: &DleqStatement,
        batch: &mut BatchVerifier,
        _rng: &mut R,
    ) -> Result<()> {
        self.verify(transcript, s)?;
        batch.add(Scalar::ZERO, RISTRETTO_BASEPOINT_POINT);
        Ok(())
    }
}

impl Encode for DleqProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DleqProof, 1);
        w.scalar(&self.challenge);
        w.scalar(&self.response);
    }
}

impl Decode for DleqProof {
    const NAME: &'static str = "DleqProof";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DleqProof, &[1], Self::NAME)?;
        Ok(DleqProof {
            challenge: r.scalar()?,
            response: r.scalar()?,
        })
    }
}

crate::impl_serde_via_encoding!(SchnorrProof);
crate::impl_serde_via_encoding!(DleqProof);
