//! The public trustee set produced by key generation (spec/trustees.md §5).

use alloc::vec::Vec;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};

use super::dkg::DkgParameters;
use super::shares::{lagrange_coefficients, ParticipantIndex, VerificationShare};
use crate::elgamal::PublicKey;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::EncodedPoint;
use crate::transcript::{new_transcript, TranscriptProtocol};

/// Transcript label of the consistency check of a decoded set.
const LABEL_CONSISTENCY: &[u8] = b"kleroterion/trustees/set-consistency";

/// The public outcome of a key generation: parameters, the joint public key
/// `Y = Σᵢ∈QUAL Cᵢ₀` and the verification share `Yⱼ` of every qualified
/// trustee (spec/trustees.md §5). Participants in `1..=n` without a
/// verification share were disqualified.
///
/// A decoded `TrusteeSet` is checked for consistency: the verification
/// shares must lie on one polynomial of degree `t − 1` "in the exponent"
/// whose value at 0 is the joint key, so that DLEQ-proven partial results
/// always combine to the result under the joint key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrusteeSet {
    parameters: DkgParameters,
    joint_key: PublicKey,
    /// Qualified trustees, strictly ascending by index.
    shares: Vec<VerificationShare>,
    /// `Yⱼ` with their encodings, parallel to `shares`, so that proof
    /// transcripts do not recompress them at every verification.
    encoded: Vec<EncodedPoint>,
}

impl TrusteeSet {
    /// Built by [`super::dkg::DkgTranscript::verify`], whose verification
    /// shares are derived from the commitments and hence consistent.
    pub(crate) fn from_dkg(
        parameters: DkgParameters,
        joint_key: PublicKey,
        shares: Vec<VerificationShare>,
    ) -> Self {
        let encoded = shares.iter().map(|s| EncodedPoint::new(s.point)).collect();
        TrusteeSet {
            parameters,
            joint_key,
            shares,
            encoded,
        }
    }

    /// The key-generation parameters (`n`, `t`, context).
    pub fn parameters(&self) -> &DkgParameters {
        &self.parameters
    }

    /// The joint public key `Y` under which ballots are encrypted.
    pub fn joint_public_key(&self) -> &PublicKey {
        &self.joint_key
    }

    /// The threshold `t`: how many trustees must contribute.
    pub fn threshold(&self) -> usize {
        usize::from(self.parameters.threshold())
    }

    /// Verification shares of the qualified trustees, ascending by index.
    pub fn verification_shares(&self) -> &[VerificationShare] {
        &self.shares
    }

    /// The indices in `1..=n` that were disqualified.
    pub fn disqualified(&self) -> impl Iterator<Item = ParticipantIndex> + '_ {
        ParticipantIndex::range(self.parameters.participants())
            .filter(|i| self.shares.binary_search_by_key(i, |s| s.index).is_err())
    }

    /// The verification share of trustee `index`:
    /// [`Error::UnknownIndex`] outside `1..=n`, [`Error::Disqualified`] for a
    /// disqualified trustee.
    pub fn verification_share(&self, index: ParticipantIndex) -> Result<&VerificationShare> {
        self.lookup(index, &self.shares)
    }

    /// `Yⱼ` with its encoding; same errors as
    /// [`verification_share`](Self::verification_share).
    pub(crate) fn encoded_verification_share(
        &self,
        index: ParticipantIndex,
    ) -> Result<&EncodedPoint> {
        self.lookup(index, &self.encoded)
    }

    /// The entry of `index` in a vector parallel to `shares`.
    fn lookup<'a, T>(&self, index: ParticipantIndex, parallel: &'a [T]) -> Result<&'a T> {
        self.parameters.check_index(index)?;
        self.shares
            .binary_search_by_key(&index, |s| s.index)
            .ok()
            .and_then(|pos| parallel.get(pos))
            .ok_or(Error::Disqualified {
                index: u32::from(index),
            })
    }

    /// Lagrange coefficients at 0 for a set of qualified trustees: every
    /// index must be qualified ([`Error::UnknownIndex`],
    /// [`Error::Disqualified`]), distinct ([`Error::DuplicateIndex`]) and
    /// there must be at least `t` of them ([`Error::BelowThreshold`]).
    pub fn lagrange_coefficients(&self, indices: &[ParticipantIndex]) -> Result<Vec<Scalar>> {
        for i in indices {
            self.verification_share(*i)?;
        }
        let lambdas = lagrange_coefficients(indices)?;
        if indices.len() < self.threshold() {
            return Err(Error::BelowThreshold {
                threshold: self.threshold(),
                available: indices.len(),
            });
        }
        Ok(lambdas)
    }

    /// Interpolates share points `Pⱼ = sⱼ·B` of at least `t` qualified
    /// trustees to `s·B = Σ λⱼ·Pⱼ`, where `s` is the joint secret. The
    /// points must already be verified (e.g. by their DLEQ proofs).
    pub fn interpolate(
        &self,
        points: &[(ParticipantIndex, RistrettoPoint)],
    ) -> Result<RistrettoPoint> {
        let indices: Vec<ParticipantIndex> = points.iter().map(|(i, _)| *i).collect();
        let lambdas = self.lagrange_coefficients(&indices)?;
        Ok(RistrettoPoint::vartime_multiscalar_mul(
            lambdas,
            points.iter().map(|(_, p)| p),
        ))
    }

    /// Checks that the shares are canonical (ascending, within `1..=n`, at
    /// least `t`) and that the joint key and the verification shares lie on
    /// one polynomial of degree `t − 1` "in the exponent".
    ///
    /// The `N = m + 1` points `(0, Y), (x₁, Y₁), …, (x_m, Y_m)` lie on such a
    /// polynomial iff they are orthogonal to the dual Reed–Solomon code:
    /// `Σᵢ vᵢ·g(xᵢ)·Yᵢ = O` for every polynomial `g` of degree `≤ m − t`,
    /// with `vᵢ = 1/Πⱼ≠ᵢ(xᵢ − xⱼ)`. One `g` whose coefficients are challenges
    /// of a transcript of the whole set decides it except with probability
    /// `1/ℓ` (the SCRAPE test of Cascudo and David, 2017), with `O(N²)`
    /// scalar operations and a single multiscalar multiplication. (Checking
    /// each share by interpolating from the first `t` costs `O(N·t²)`: about
    /// 80 s for `n = 1024, t = 512`, a denial of service on any decoder.)
    fn check_consistent(&self) -> Result<()> {
        for pair in self.shares.windows(2) {
            if let [a, b] = pair {
                if a.index >= b.index {
                    return Err(Error::InvalidParameter {
                        what: "verification shares must be strictly ascending",
                    });
                }
            }
        }
        for s in &self.shares {
            self.parameters.check_index(s.index)?;
        }
        let t = self.threshold();
        let Some(degree) = self.shares.len().checked_sub(t) else {
            return Err(Error::BelowThreshold {
                threshold: t,
                available: self.shares.len(),
            });
        };
        let mut transcript = new_transcript(self.parameters.context());
        transcript.domain_sep(LABEL_CONSISTENCY, 1);
        transcript.append_bytes(b"trustee-set", &self.to_bytes());
        let g: Vec<Scalar> = (0..=degree)
            .map(|_| transcript.challenge_scalar(b"g"))
            .collect();
        let xs: Vec<Scalar> = core::iter::once(Scalar::ZERO)
            .chain(self.shares.iter().map(|s| s.index.scalar()))
            .collect();
        // Distinct indices (ascending, nonzero) give nonzero products.
        let mut v: Vec<Scalar> = xs
            .iter()
            .enumerate()
            .map(|(i, xi)| {
                xs.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .fold(Scalar::ONE, |acc, (_, xj)| acc * (xi - xj))
            })
            .collect();
        Scalar::batch_invert(&mut v);
        let weights = xs.iter().zip(&v).map(|(x, vi)| {
            // g(x) by Horner's rule, highest coefficient first.
            vi * g.iter().rev().fold(Scalar::ZERO, |acc, c| acc * x + c)
        });
        let points =
            core::iter::once(&self.joint_key.0).chain(self.shares.iter().map(|s| &s.point));
        if RistrettoPoint::vartime_multiscalar_mul(weights, points).is_identity() {
            Ok(())
        } else {
            Err(Error::VerificationFailed {
                proof: "trustee set consistency",
            })
        }
    }
}

impl Encode for TrusteeSet {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::TrusteeSet, 1);
        self.parameters.encode(w);
        w.point(&self.joint_key.0);
        w.len(self.shares.len());
        for s in &self.shares {
            s.index.encode(w);
            w.point(&s.point);
        }
    }
}

impl Decode for TrusteeSet {
    const NAME: &'static str = "TrusteeSet";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::TrusteeSet, &[1], Self::NAME)?;
        let parameters = DkgParameters::decode(r)?;
        let joint_key = PublicKey(r.nonidentity_point()?);
        let count = r.len(34, "verification shares")?;
        let mut shares = Vec::with_capacity(count);
        let mut encoded = Vec::with_capacity(count);
        for _ in 0..count {
            let index = ParticipantIndex::decode(r)?;
            let point = EncodedPoint::read(r)?;
            if point.is_identity() {
                return Err(Error::IdentityPoint);
            }
            shares.push(VerificationShare {
                index,
                point: *point.point(),
            });
            encoded.push(point);
        }
        let set = TrusteeSet {
            parameters,
            joint_key,
            shares,
            encoded,
        };
        set.check_consistent()?;
        Ok(set)
    }
}

crate::impl_serde_via_encoding!(TrusteeSet);
