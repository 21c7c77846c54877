//! Signed consent statements (spec/credential.md §6).

use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::keys::{CitizenPublicKey, CitizenSecretKey};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::proofs::{EncodedPoint, SchnorrProof, SchnorrStatement};
use crate::transcript::{new_transcript, TranscriptProtocol};

/// Transcript protocol label of consent signatures.
pub const CONSENT_LABEL: &[u8] = b"kleroterion/credential/consent";
/// Longest polity identifier, in bytes.
pub const MAX_POLITY_ID_LEN: usize = 256;

/// A citizen's signed statement "I consent to citizenship of `polity` for
/// `year`, with public key `PK`": a Schnorr signature (a Schnorr proof of
/// knowledge of `sk` with `PK = sk·G` whose transcript binds the polity and
/// the year). The registrar verifies it with [`verify`](Self::verify)
/// before adding `PK` to the year's roll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentStatement {
    polity: Vec<u8>,
    year: u32,
    public_key: CitizenPublicKey,
    signature: SchnorrProof,
}

/// `new_transcript(polity)`, protocol label and version 1, then the year
/// (spec §6.1); the Schnorr proof then binds `G` and `PK` itself.
fn consent_transcript(polity: &[u8], year: u32) -> Transcript {
    let mut t = new_transcript(polity);
    t.domain_sep(CONSENT_LABEL, 1);
    t.append_u64_le(b"year", u64::from(year));
    t
}

fn check_polity(polity: &[u8]) -> Result<()> {
    if polity.is_empty() || polity.len() > MAX_POLITY_ID_LEN {
        return Err(Error::InvalidParameter {
            what: "polity identifier must be 1 to 256 bytes",
        });
    }
    Ok(())
}

impl ConsentStatement {
    /// Signs consent to citizenship of `polity` for `year`.
    pub fn sign<R: RngCore + CryptoRng>(
        sk: &CitizenSecretKey,
        polity: &[u8],
        year: u32,
        rng: &mut R,
    ) -> Result<Self> {
        check_polity(polity)?;
        let public_key = sk.public_key();
        let signature = SchnorrProof::prove(
            &mut consent_transcript(polity, year),
            &RISTRETTO_BASEPOINT_POINT,
            public_key.point(),
            sk.scalar(),
            rng,
        );
        Ok(Self {
            polity: polity.to_vec(),
            year,
            public_key,
            signature,
        })
    }

    /// The registrar's check: the statement is for the expected `polity` and
    /// `year` ([`Error::InvalidParameter`] otherwise) and the signature
    /// verifies under the statement's public key
    /// ([`Error::VerificationFailed`] otherwise).
    pub fn verify(&self, polity: &[u8], year: u32) -> Result<()> {
        if self.polity != polity || self.year != year {
            return Err(Error::InvalidParameter {
                what: "consent statement is for another polity or year",
            });
        }
        self.signature.verify_statement(
            &mut consent_transcript(&self.polity, self.year),
            &self.schnorr_statement(),
        )
    }

    /// Verifies many statements for one `polity` and `year` (a registrar
    /// building the roll) with one multiscalar multiplication; on failure
    /// reports the first bad statement in [`Error::BatchVerificationFailed`].
    pub fn verify_batch<R: RngCore + CryptoRng>(
        statements: &[ConsentStatement],
        polity: &[u8],
        year: u32,
        rng: &mut R,
    ) -> Result<()> {
        if let Some(index) = statements
            .iter()
            .position(|s| s.polity != polity || s.year != year)
        {
            return Err(Error::BatchVerificationFailed {
                proof: "consent statement",
                index: Some(index),
            });
        }
        let schnorr: Vec<SchnorrStatement<EncodedPoint>> =
            statements.iter().map(Self::schnorr_statement).collect();
        let items: Vec<_> = statements
            .iter()
            .zip(schnorr.iter())
            .map(|(s, st)| (consent_transcript(polity, year), st, &s.signature))
            .collect();
        SchnorrProof::batch_verify(&items, rng)
    }

    fn schnorr_statement(&self) -> SchnorrStatement<EncodedPoint> {
        SchnorrStatement {
            base: EncodedPoint::GENERATOR,
            public: *self.public_key.encoded(),
        }
    }

    /// The polity identifier.
    pub fn polity(&self) -> &[u8] {
        &self.polity
    }

    /// The year of citizenship consented to.
    pub fn year(&self) -> u32 {
        self.year
    }

    /// The citizen's public key, to be added to the roll.
    pub fn public_key(&self) -> &CitizenPublicKey {
        &self.public_key
    }
}

impl Encode for ConsentStatement {
    /// `0x51 ‖ 0x01 ‖ u32 len ‖ polity ‖ u32 year ‖ PK ‖ SchnorrProof`.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::ConsentStatement, 1);
        w.bytes(&self.polity);
        w.u32(self.year);
        self.public_key.encode(w);
        self.signature.encode(w);
    }
}

impl Decode for ConsentStatement {
    const NAME: &'static str = "ConsentStatement";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::ConsentStatement, &[1], Self::NAME)?;
        let polity = r.bytes(Self::NAME)?;
        check_polity(polity)?;
        Ok(Self {
            polity: polity.to_vec(),
            year: r.u32(Self::NAME)?,
            public_key: CitizenPublicKey::decode(r)?,
            signature: SchnorrProof::decode(r)?,
        })
    }
}

crate::impl_serde_via_encoding!(ConsentStatement);
