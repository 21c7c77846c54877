//! Distributed key generation: Pedersen's joint-Feldman VSS with proofs of
//! possession, publicly verifiable encrypted shares, complaints and
//! disqualification (spec/trustees.md §4).
//!
//! Each round is a type, and each round function consumes the previous
//! round's secret state by value, so a round cannot be skipped or run twice:
//!
//! 1. [`part1`] → ([`round1::SecretPackage`], [`round1::Package`]): the
//!    dealer's Feldman commitments, a fresh share-encryption key `Eᵢ`, and a
//!    Schnorr proof of possession of `a₀` bound to the context, `n`, `t`, the
//!    dealer's index, every commitment and `Eᵢ`. Broadcast.
//! 2. [`part2`] → ([`round2::SecretPackage`], [`round2::Package`]): after
//!    checking every proof of possession, the dealer's shares `fᵢ(j)`, each
//!    one-time-padded with a hash of the Diffie–Hellman key `eᵢ·Eⱼ`, and
//!    signed (a Schnorr proof of knowledge of `a₀` for `C₀` over all the
//!    ciphertexts and every round-1 package). Broadcast (the encryption makes
//!    the private channel public, the signature makes the ciphertexts the
//!    dealer's in any copy of the record).
//! 3. [`part3`] → ([`round3::SecretPackage`], complaints): each recipient
//!    checks the dealers' signatures, decrypts and checks its shares against
//!    the dealers' commitments; for a bad share it broadcasts a
//!    [`Complaint`] revealing the pair's DH key with a DLEQ proof, so anyone
//!    can re-derive the share from the signed ciphertext and see it fail.
//! 4. [`finish`] → [`DkgOutput`]: the complaints are judged publicly
//!    ([`DkgTranscript::verify`]), cheating dealers disqualified, and the
//!    trustee's [`SecretShare`] and the public [`TrusteeSet`] computed.
//!
//! Communication assumption: an authenticated broadcast channel (every
//! participant sees the same messages, attributed to their true senders).
//! The stored [`DkgTranscript`] does not depend on it: every message in it
//! carries its sender's proof (proof of possession, round-2 signature,
//! complaint DLEQ), so altering any of it fails [`DkgTranscript::verify`].
//! The round-2 signature reuses the dealer's `a₀` as signing key under its
//! own domain label; spec/trustees.md §4.6 gives the reasoning.
//!
//! Known caveat (Gennaro, Jarecki, Krawczyk, Rabin 1999/2007): in joint
//! Feldman, a rushing adversary can see the honest commitments before
//! deciding whether its own dealers get disqualified, and so bias the joint
//! key among a few candidates. Gennaro et al. (CT-RSA 2003, "Secure
//! applications of Pedersen's distributed key generation protocol") show
//! that discrete-log-based schemes whose security reduces to the hardness of
//! the key itself — threshold ElGamal decryption and the DDH-based
//! distributed VRF used here — stay secure with such a key; FROST makes the
//! same choice. See spec/trustees.md §4.6.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::set::TrusteeSet;
use super::shares::{
    evaluate_in_exponent, ParticipantIndex, PolynomialCommitment, SecretPolynomial, SecretShare,
    VerificationShare, MAX_PARTICIPANTS,
};
use crate::batch::BatchVerifier;
use crate::elgamal::PublicKey;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer, ELEMENT_LEN};
use crate::error::{Error, Result};
use crate::proofs::{
    BatchContext, DleqProof, DleqStatement, EncodedPoint, SchnorrProof, SchnorrStatement,
    SCHNORR_PROOF_LEN,
};
use crate::transcript::{new_transcript, TranscriptProtocol};

/// Longest context (election / beacon identifier) accepted, in bytes.
pub const MAX_CONTEXT_LEN: usize = 1024;

/// Transcript label of the proof of possession (spec/trustees.md §4.2).
const LABEL_POP: &[u8] = b"kleroterion/trustees/dkg-pop";
/// Transcript label of the share-encryption pad (spec/trustees.md §4.3).
const LABEL_PAD: &[u8] = b"kleroterion/trustees/dkg-share-pad";
/// Transcript label of a complaint's DLEQ proof (spec/trustees.md §4.4).
const LABEL_COMPLAINT: &[u8] = b"kleroterion/trustees/dkg-complaint";
/// Transcript label of a round-2 package signature (spec/trustees.md §4.3).
const LABEL_SIGNATURE: &[u8] = b"kleroterion/trustees/dkg-round2-signature";
/// Encoding version of [`round2::Package`] (2: signed) and of
/// [`DkgTranscript`] (2: holds signed round-2 packages).
const SIGNED_VERSION: u8 = 2;

const G: RistrettoPoint = RISTRETTO_BASEPOINT_POINT;

/// Parameters every participant agrees on before the key generation:
/// `n` participants, threshold `t` (any `t` can decrypt, `t − 1` learn
/// nothing), and the context (e.g. the election id) bound into every proof
/// and pad, so no message of one key generation is valid in another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkgParameters {
    participants: u16,
    threshold: u16,
    context: Vec<u8>,
}

impl DkgParameters {
    /// Checks `1 ≤ t ≤ n ≤` [`MAX_PARTICIPANTS`] and the context length
    /// (at most [`MAX_CONTEXT_LEN`] bytes).
    pub fn new(participants: u16, threshold: u16, context: &[u8]) -> Result<Self> {
        if participants == 0 || participants > MAX_PARTICIPANTS {
            return Err(Error::InvalidParameter {
                what: "participants must be in 1..=MAX_PARTICIPANTS",
            });
        }
        if threshold == 0 || threshold > participants {
            return Err(Error::InvalidParameter {
                what: "threshold must be in 1..=participants",
            });
        }
        if context.len() > MAX_CONTEXT_LEN {
            return Err(Error::InvalidParameter {
                what: "context longer than MAX_CONTEXT_LEN",
            });
        }
        Ok(DkgParameters {
            participants,
            threshold,
            context: context.to_vec(),
        })
    }

    /// `n`.
    pub fn participants(&self) -> u16 {
        self.participants
    }

    /// `t`.
    pub fn threshold(&self) -> u16 {
        self.threshold
    }

    /// The context bound into every transcript.
    pub fn context(&self) -> &[u8] {
        &self.context
    }

    /// [`Error::UnknownIndex`] unless `index ∈ 1..=n`.
    pub fn check_index(&self, index: ParticipantIndex) -> Result<()> {
        if index.get() > self.participants {
            return Err(Error::UnknownIndex {
                index: u32::from(index),
            });
        }
        Ok(())
    }

    /// A transcript bound to the context, protocol `label` (version 1), `n`
    /// and `t` (spec/trustees.md §4.1).
    fn transcript(&self, label: &'static [u8]) -> Transcript {
        let mut t = new_transcript(&self.context);
        t.domain_sep(label, 1);
        t.append_u64_le(b"n", u64::from(self.participants));
        t.append_u64_le(b"t", u64::from(self.threshold));
        t
    }
}

impl Encode for DkgParameters {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DkgParameters, 1);
        w.raw(&self.participants.to_le_bytes());
        w.raw(&self.threshold.to_le_bytes());
        w.bytes(&self.context);
    }
}

impl Decode for DkgParameters {
    const NAME: &'static str = "DkgParameters";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DkgParameters, &[1], Self::NAME)?;
        let n = u16::from_le_bytes(r.array("participants")?);
        let t = u16::from_le_bytes(r.array("threshold")?);
        let context = r.bytes("context")?;
        DkgParameters::new(n, t, context)
    }
}

crate::impl_serde_via_encoding!(DkgParameters);

/// Round 1: commitments, encryption key and proof of possession.
pub mod round1 {
    use super::*;

    /// A dealer's secret state after round 1; consumed by [`part2`].
    pub struct SecretPackage {
        pub(super) parameters: DkgParameters,
        pub(super) index: ParticipantIndex,
        pub(super) polynomial: SecretPolynomial,
        pub(super) encryption_secret: Zeroizing<Scalar>,
        pub(super) package: Package,
    }

    impl fmt::Debug for SecretPackage {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("round1::SecretPackage")
                .field("index", &self.index)
                .field("secrets", &"<redacted>")
                .finish()
        }
    }

    /// A dealer's public round-1 broadcast: Feldman commitments
    /// `C₀..C_{t−1}`, share-encryption key `Eᵢ = eᵢ·G`, and a Schnorr proof
    /// of possession of `a₀` (spec/trustees.md §4.2).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Package {
        pub(crate) index: ParticipantIndex,
        pub(crate) commitment: PolynomialCommitment,
        pub(crate) encryption_key: EncodedPoint,
        pub(crate) proof: SchnorrProof,
    }

    impl Package {
        /// The dealer.
        pub fn index(&self) -> ParticipantIndex {
            self.index
        }

        /// The dealer's Feldman commitments.
        pub fn commitment(&self) -> &PolynomialCommitment {
            &self.commitment
        }

        /// The dealer's share-encryption key `Eᵢ`.
        pub fn encryption_key(&self) -> &RistrettoPoint {
            self.encryption_key.point()
        }

        fn pop_transcript(&self, parameters: &DkgParameters) -> Transcript {
            pop_transcript(
                parameters,
                self.index,
                &self.commitment,
                &self.encryption_key,
            )
        }

        /// After structural checks (known index, exactly `t` commitments),
        /// the statement `C₀ = a₀·G` of the proof of possession.
        fn pop_statement(
            &self,
            parameters: &DkgParameters,
        ) -> Result<SchnorrStatement<EncodedPoint>> {
            parameters.check_index(self.index)?;
            match self.commitment.constant() {
                Some(c0)
                    if self.commitment.coefficients().len()
                        == usize::from(parameters.threshold) =>
                {
                    Ok(SchnorrStatement {
                        base: EncodedPoint::GENERATOR,
                        public: *c0,
                    })
                }
                _ => Err(Error::ParticipantFailed {
                    index: u32::from(self.index),
                    check: "round-1 commitment count differs from the threshold",
                }),
            }
        }

        /// Verifies the proof of possession of `a₀` for these parameters;
        /// a package made under another context, `n` or `t`, or by another
        /// dealer, fails with [`Error::ParticipantFailed`].
        pub fn verify(&self, parameters: &DkgParameters) -> Result<()> {
            let statement = self.pop_statement(parameters)?;
            self.proof
                .verify_statement(&mut self.pop_transcript(parameters), &statement)
                .map_err(|_| self.pop_failed())
        }

        /// Queues the proof of possession into a [`BatchContext`] (`G` is
        /// registered once per batch).
        pub fn queue_in<R: RngCore + CryptoRng>(
            &self,
            parameters: &DkgParameters,
            ctx: &mut BatchContext,
            rng: &mut R,
        ) -> Result<()> {
            let statement = self.pop_statement(parameters)?;
            self.proof
                .queue_in(ctx, &mut self.pop_transcript(parameters), &statement, rng)
                .map_err(|_| self.pop_failed())
        }

        fn pop_failed(&self) -> Error {
            Error::ParticipantFailed {
                index: u32::from(self.index),
                check: "proof of possession",
            }
        }
    }

    impl Encode for Package {
        fn encode(&self, w: &mut Writer) {
            w.header(Tag::DkgRound1Package, 1);
            self.index.encode(w);
            w.len(self.commitment.coefficients().len());
            for c in self.commitment.coefficients() {
                c.write(w);
            }
            self.encryption_key.write(w);
            self.proof.encode(w);
        }
    }

    impl Decode for Package {
        const NAME: &'static str = "dkg::round1::Package";

        fn decode(r: &mut Reader<'_>) -> Result<Self> {
            r.header(Tag::DkgRound1Package, &[1], Self::NAME)?;
            let index = ParticipantIndex::decode(r)?;
            let count = r.len(ELEMENT_LEN, "commitments")?;
            if count == 0 || count > usize::from(MAX_PARTICIPANTS) {
                return Err(Error::InvalidParameter {
                    what: "commitment count must be in 1..=MAX_PARTICIPANTS",
                });
            }
            let commitment = PolynomialCommitment(
                (0..count)
                    .map(|_| read_nonidentity(r))
                    .collect::<Result<_>>()?,
            );
            let encryption_key = read_nonidentity(r)?;
            let proof = SchnorrProof::decode(r)?;
            Ok(Package {
                index,
                commitment,
                encryption_key,
                proof,
            })
        }
    }

    crate::impl_serde_via_encoding!(Package);
}

/// Round 2: encrypted shares.
pub mod round2 {
    use super::*;

    /// A participant's secret state after round 2; consumed by [`part3`].
    pub struct SecretPackage {
        pub(super) parameters: DkgParameters,
        pub(super) index: ParticipantIndex,
        pub(super) encryption_secret: Zeroizing<Scalar>,
        pub(super) own_share: SecretShare,
        /// Every dealer's round-1 package, ascending by index (all `n`).
        pub(super) round1: Vec<round1::Package>,
    }

    impl fmt::Debug for SecretPackage {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("round2::SecretPackage")
                .field("index", &self.index)
                .field("secrets", &"<redacted>")
                .finish()
        }
    }

    /// A dealer's public round-2 broadcast: for every other participant
    /// `j` in ascending order, `cᵢⱼ = fᵢ(j) + padᵢⱼ`, and the dealer's
    /// signature over them: a Schnorr proof of knowledge of `aᵢ₀` for its
    /// round-1 commitment `Cᵢ₀`, on a transcript binding the parameters,
    /// every round-1 package, the dealer and every ciphertext
    /// (spec/trustees.md §4.3).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Package {
        pub(crate) dealer: ParticipantIndex,
        pub(crate) encrypted_shares: Vec<Scalar>,
        pub(crate) signature: SchnorrProof,
    }

    impl Package {
        /// The dealer.
        pub fn dealer(&self) -> ParticipantIndex {
            self.dealer
        }

        /// The encrypted share for `recipient`, if the package has one.
        pub fn encrypted_share(&self, recipient: ParticipantIndex) -> Option<&Scalar> {
            recipients(self.dealer, u16::MAX)
                .zip(self.encrypted_shares.iter())
                .find(|(j, _)| *j == recipient)
                .map(|(_, c)| c)
        }

        /// The dealer's signature over the package.
        pub fn signature(&self) -> &SchnorrProof {
            &self.signature
        }

        /// Checks the dealer's signature against the round-1 packages of
        /// this key generation (exactly one per participant, in any order;
        /// their proofs of possession are [`part2`]'s to check). A recipient
        /// SHOULD call this on receipt: a package failing it is not
        /// attributable to its dealer, is discarded by [`part3`] and cannot be
        /// complained about (spec/trustees.md §4.4).
        ///
        /// Errors: [`Error::ParticipantFailed`] naming the dealer, with the
        /// check `"round-2 package signature"`, if the signature does not
        /// verify (another dealer's or another key generation's package, or
        /// any altered ciphertext); [`Error::UnknownIndex`] for a dealer
        /// outside `1..=n`; the errors of the round-1 list's shape as in
        /// [`part2`].
        pub fn verify(
            &self,
            parameters: &DkgParameters,
            round1_packages: &[round1::Package],
        ) -> Result<()> {
            let round1 = sort_round1(parameters, round1_packages)?;
            let prefix = signature_prefix(parameters, round1.iter().copied());
            self.verify_signature(&prefix, dealer_key(&round1, self.dealer)?)
        }

        /// Whether the package holds exactly one share per other participant.
        pub(super) fn is_well_formed(&self, parameters: &DkgParameters) -> bool {
            self.encrypted_shares.len() == usize::from(parameters.participants).saturating_sub(1)
        }

        /// The signature statement `Cᵢ₀ = aᵢ₀·G`.
        fn statement(key: &EncodedPoint) -> SchnorrStatement<EncodedPoint> {
            SchnorrStatement {
                base: EncodedPoint::GENERATOR,
                public: *key,
            }
        }

        /// Verifies the signature under the dealer's key `Cᵢ₀`, given the
        /// transcript prefix of [`signature_prefix`].
        pub(super) fn verify_signature(
            &self,
            prefix: &Transcript,
            key: &EncodedPoint,
        ) -> Result<()> {
            self.signature
                .verify_statement(
                    &mut signature_transcript(prefix, self.dealer, &self.encrypted_shares),
                    &Self::statement(key),
                )
                .map_err(|_| self.signature_failed())
        }

        /// Queues the signature check into a [`BatchContext`].
        pub(super) fn queue_signature<R: RngCore + CryptoRng>(
            &self,
            prefix: &Transcript,
            key: &EncodedPoint,
            ctx: &mut BatchContext,
            rng: &mut R,
        ) -> Result<()> {
            self.signature
                .queue_in(
                    ctx,
                    &mut signature_transcript(prefix, self.dealer, &self.encrypted_shares),
                    &Self::statement(key),
                    rng,
                )
                .map_err(|_| self.signature_failed())
        }

        fn signature_failed(&self) -> Error {
            Error::ParticipantFailed {
                index: u32::from(self.dealer),
                check: "round-2 package signature",
            }
        }
    }

    impl Encode for Package {
        fn encode(&self, w: &mut Writer) {
            w.header(Tag::DkgRound2Package, SIGNED_VERSION);
            self.dealer.encode(w);
            w.len(self.encrypted_shares.len());
            for c in &self.encrypted_shares {
                w.scalar(c);
            }
            self.signature.encode(w);
        }
    }

    impl Decode for Package {
        const NAME: &'static str = "dkg::round2::Package";

        fn decode(r: &mut Reader<'_>) -> Result<Self> {
            r.header(Tag::DkgRound2Package, &[SIGNED_VERSION], Self::NAME)?;
            let dealer = ParticipantIndex::decode(r)?;
            let count = r.len(ELEMENT_LEN, "encrypted shares")?;
            let encrypted_shares = (0..count).map(|_| r.scalar()).collect::<Result<_>>()?;
            let signature = SchnorrProof::decode(r)?;
            Ok(Package {
                dealer,
                encrypted_shares,
                signature,
            })
        }
    }

    crate::impl_serde_via_encoding!(Package);
}

/// Round 3: share checks and complaints.
pub mod round3 {
    use super::*;

    /// A participant's secret state after round 3; consumed by [`finish`].
    pub struct SecretPackage {
        pub(super) parameters: DkgParameters,
        pub(super) index: ParticipantIndex,
        /// Shares received, keyed by dealer (including the own share).
        pub(super) received: BTreeMap<ParticipantIndex, SecretShare>,
        pub(super) round1: Vec<round1::Package>,
        pub(super) round2: Vec<round2::Package>,
    }

    impl fmt::Debug for SecretPackage {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("round3::SecretPackage")
                .field("index", &self.index)
                .field("secrets", &"<redacted>")
                .finish()
        }
    }
}

/// Participants other than `dealer`, ascending, up to `n`.
fn recipients(dealer: ParticipantIndex, n: u16) -> impl Iterator<Item = ParticipantIndex> {
    ParticipantIndex::range(n).filter(move |j| *j != dealer)
}

/// The proof-of-possession transcript: context, `n`, `t`, dealer,
/// commitments, encryption key (spec/trustees.md §4.2).
fn pop_transcript(
    parameters: &DkgParameters,
    dealer: ParticipantIndex,
    commitment: &PolynomialCommitment,
    encryption_key: &EncodedPoint,
) -> Transcript {
    let mut t = parameters.transcript(LABEL_POP);
    t.append_u64_le(b"dealer", u64::from(dealer.get()));
    for c in commitment.coefficients() {
        t.append_compressed(b"C", c.encoding());
    }
    t.append_compressed(b"E", encryption_key.encoding());
    t
}

/// The common prefix of every round-2 signature transcript: context, `n`,
/// `t` and the encoding of every round-1 package, ascending by dealer
/// (spec/trustees.md §4.3). Computed once per key generation and cloned
/// for each package.
fn signature_prefix<'a>(
    parameters: &DkgParameters,
    round1: impl Iterator<Item = &'a round1::Package>,
) -> Transcript {
    let mut t = parameters.transcript(LABEL_SIGNATURE);
    for p in round1 {
        t.append_bytes(b"round1", &p.to_bytes());
    }
    t
}

/// The transcript a dealer signs: the prefix, then its index and every
/// ciphertext in order (spec/trustees.md §4.3).
fn signature_transcript(
    prefix: &Transcript,
    dealer: ParticipantIndex,
    encrypted_shares: &[Scalar],
) -> Transcript {
    let mut t = prefix.clone();
    t.append_u64_le(b"dealer", u64::from(dealer.get()));
    t.append_u64_le(b"count", encrypted_shares.len() as u64);
    for c in encrypted_shares {
        t.append_scalar(b"c", c);
    }
    t
}

/// The signing key `Cᵢ₀` of `dealer` in a round-1 list sorted by index
/// ([`Error::UnknownIndex`] if there is none).
fn dealer_key<P: Borrow<round1::Package>>(
    round1: &[P],
    dealer: ParticipantIndex,
) -> Result<&EncodedPoint> {
    round1
        .get(usize::from(dealer.get()).saturating_sub(1))
        .map(Borrow::borrow)
        .filter(|p| p.index == dealer)
        .and_then(|p| p.commitment.constant())
        .ok_or(Error::UnknownIndex {
            index: u32::from(dealer),
        })
}

/// Checks the signature of every round-2 package against the sorted,
/// verified round-1 list, in one batch (each package separately only if the
/// batch fails). Returns each package's outcome, in order:
/// [`Error::UnknownIndex`] for a dealer outside `1..=n`,
/// [`Error::ParticipantFailed`] naming the dealer for a bad signature.
fn check_signatures<R: RngCore + CryptoRng>(
    parameters: &DkgParameters,
    round1: &[round1::Package],
    packages: &[round2::Package],
    rng: &mut R,
) -> Vec<Result<()>> {
    let prefix = signature_prefix(parameters, round1.iter());
    let mut batch = BatchContext::with_capacity(2 * packages.len() + 1);
    let mut outcomes: Vec<Result<()>> = packages
        .iter()
        .map(|p| p.queue_signature(&prefix, dealer_key(round1, p.dealer)?, &mut batch, rng))
        .collect();
    if !batch.verify() {
        for (p, outcome) in packages.iter().zip(outcomes.iter_mut()) {
            if outcome.is_ok() {
                *outcome =
                    dealer_key(round1, p.dealer).and_then(|key| p.verify_signature(&prefix, key));
            }
        }
    }
    outcomes
}

/// Reads a point, keeping its encoding, and rejects the identity.
fn read_nonidentity(r: &mut Reader<'_>) -> Result<EncodedPoint> {
    let p = EncodedPoint::read(r)?;
    if p.is_identity() {
        return Err(Error::IdentityPoint);
    }
    Ok(p)
}

/// `padᵢⱼ = H(context, n, t, i, j, Eᵢ, Eⱼ, Kᵢⱼ)` as a 64-byte-reduced
/// scalar (spec/trustees.md §4.3).
fn share_pad(
    parameters: &DkgParameters,
    dealer: &round1::Package,
    recipient: &round1::Package,
    shared_key: &RistrettoPoint,
) -> Zeroizing<Scalar> {
    let mut t = parameters.transcript(LABEL_PAD);
    t.append_u64_le(b"dealer", u64::from(dealer.index.get()));
    t.append_u64_le(b"recipient", u64::from(recipient.index.get()));
    t.append_compressed(b"E_dealer", dealer.encryption_key.encoding());
    t.append_compressed(b"E_recipient", recipient.encryption_key.encoding());
    t.append_point(b"K", shared_key);
    Zeroizing::new(t.challenge_scalar(b"pad"))
}

/// Round 1 for participant `index`: draws the secret polynomial and the
/// share-encryption key, and returns the secret state with the package to
/// broadcast.
pub fn part1<R: RngCore + CryptoRng>(
    parameters: &DkgParameters,
    index: ParticipantIndex,
    rng: &mut R,
) -> Result<(round1::SecretPackage, round1::Package)> {
    parameters.check_index(index)?;
    let polynomial = SecretPolynomial::random(parameters.threshold, rng)?;
    let commitment = polynomial.commit();
    let encryption_secret = Zeroizing::new(Scalar::random(rng));
    let encryption_key = EncodedPoint::new(&*encryption_secret * RISTRETTO_BASEPOINT_TABLE);
    let proof = SchnorrProof::prove(
        &mut pop_transcript(parameters, index, &commitment, &encryption_key),
        &G,
        &(polynomial.constant() * RISTRETTO_BASEPOINT_TABLE),
        polynomial.constant(),
        rng,
    );
    let package = round1::Package {
        index,
        commitment,
        encryption_key,
        proof,
    };
    let secret = round1::SecretPackage {
        parameters: parameters.clone(),
        index,
        polynomial,
        encryption_secret,
        package: package.clone(),
    };
    Ok((secret, package))
}

/// Sorts round-1 packages by dealer and checks there is exactly one for each
/// of `1..=n` ([`Error::DuplicateIndex`], [`Error::UnknownIndex`],
/// [`Error::LengthMismatch`]).
fn sort_round1<'a>(
    parameters: &DkgParameters,
    packages: &'a [round1::Package],
) -> Result<Vec<&'a round1::Package>> {
    let mut sorted: BTreeMap<ParticipantIndex, &round1::Package> = BTreeMap::new();
    for p in packages {
        parameters.check_index(p.index)?;
        if sorted.insert(p.index, p).is_some() {
            return Err(Error::DuplicateIndex {
                index: u32::from(p.index),
            });
        }
    }
    if sorted.len() != usize::from(parameters.participants) {
        return Err(Error::LengthMismatch {
            what: "round-1 packages (one per participant)",
            expected: usize::from(parameters.participants),
            actual: sorted.len(),
        });
    }
    Ok(sorted.into_values().collect())
}

/// The encodings of the messages seen so far, to keep one copy of each in
/// `O(log m)` per message (comparing each with every earlier one would let a
/// flood of near-copies cost quadratic time).
#[derive(Default)]
struct Encodings(BTreeSet<Vec<u8>>);

impl Encodings {
    /// Whether `message` is seen for the first time (and records it).
    fn first(&mut self, message: &impl Encode) -> bool {
        self.0.insert(message.to_bytes())
    }
}

/// The round-1 packages a participant received, as the network delivered
/// them, reduced to at most one per dealer (spec/trustees.md §4.2): packages
/// from an index outside `1..=n` are dropped, identical copies count once,
/// and where one index has several different packages only those whose
/// proof of possession verifies under these parameters are kept (garbage or
/// another key generation's package under an honest dealer's index cannot
/// displace the dealer's own). Two different valid packages of one dealer
/// (equivocation, which only that dealer can produce) are both kept, so
/// that [`check_round1`] names the dealer. The work is one proof check per
/// package received.
fn select_round1(parameters: &DkgParameters, packages: &[round1::Package]) -> Vec<round1::Package> {
    let mut by_dealer: BTreeMap<ParticipantIndex, Vec<&round1::Package>> = BTreeMap::new();
    let mut seen = Encodings::default();
    for p in packages {
        if parameters.check_index(p.index).is_ok() && seen.first(p) {
            by_dealer.entry(p.index).or_default().push(p);
        }
    }
    by_dealer
        .into_values()
        .flat_map(|copies| {
            if copies.len() == 1 {
                return copies;
            }
            let valid: Vec<&round1::Package> = copies
                .iter()
                .copied()
                .filter(|p| p.verify(parameters).is_ok())
                .collect();
            if valid.is_empty() {
                copies
            } else {
                valid
            }
        })
        .cloned()
        .collect()
}

/// [`sort_round1`], then batch-verifies every proof of possession; the
/// first failing dealer is named by [`Error::ParticipantFailed`].
fn check_round1<R: RngCore + CryptoRng>(
    parameters: &DkgParameters,
    packages: &[round1::Package],
    rng: &mut R,
) -> Result<Vec<round1::Package>> {
    let sorted = sort_round1(parameters, packages)?;
    let mut batch = BatchContext::with_capacity(3 * sorted.len());
    for p in &sorted {
        p.queue_in(parameters, &mut batch, rng)?;
    }
    if !batch.verify() {
        for p in &sorted {
            p.verify(parameters)?;
        }
        return Err(Error::VerificationFailed {
            proof: "proof of possession batch",
        });
    }
    Ok(sorted.into_iter().cloned().collect())
}

/// Round 2: verifies every dealer's round-1 package (all `n`, including
/// one's own, unchanged), encrypts one share for each other participant and
/// signs the package (spec/trustees.md §4.3). `round1_packages` is what was
/// received: garbage, duplicates, packages from unknown indices and
/// another key generation's packages are set aside as long as every dealer
/// has its own valid package among them. A dealer without one, or with two
/// different valid ones, aborts this key generation (restart without the
/// named participant): round 1 has no secret yet, so nothing is lost.
pub fn part2<R: RngCore + CryptoRng>(
    secret: round1::SecretPackage,
    round1_packages: &[round1::Package],
    rng: &mut R,
) -> Result<(round2::SecretPackage, round2::Package)> {
    deal(secret, round1_packages, None, rng)
}

/// [`part2`], except that with `cheat = Some(victim)` the share encrypted
/// for `victim` is `f(victim) + 1`: a correctly signed bad share, for the
/// simulation of a cheating dealer ([`super::simulate::part2_cheating`]).
pub(super) fn deal<R: RngCore + CryptoRng>(
    secret: round1::SecretPackage,
    round1_packages: &[round1::Package],
    cheat: Option<ParticipantIndex>,
    rng: &mut R,
) -> Result<(round2::SecretPackage, round2::Package)> {
    let parameters = &secret.parameters;
    let round1 = check_round1(parameters, &select_round1(parameters, round1_packages), rng)?;
    let position = usize::from(secret.index.get()).saturating_sub(1);
    let own = round1.get(position);
    if own != Some(&secret.package) {
        return Err(Error::ParticipantFailed {
            index: u32::from(secret.index),
            check: "own round-1 package was altered",
        });
    }
    let mut encrypted_shares = Vec::with_capacity(round1.len().saturating_sub(1));
    for recipient in round1.iter().filter(|p| p.index != secret.index) {
        let shared_key =
            Zeroizing::new(*secret.encryption_secret * recipient.encryption_key.point());
        let pad = share_pad(parameters, &secret.package, recipient, &shared_key);
        let share = secret.polynomial.evaluate(recipient.index);
        let offset = if cheat == Some(recipient.index) {
            Scalar::ONE
        } else {
            Scalar::ZERO
        };
        encrypted_shares.push(share.value() + *pad + offset);
    }
    let a0 = secret.polynomial.constant();
    let signature = SchnorrProof::prove(
        &mut signature_transcript(
            &signature_prefix(parameters, round1.iter()),
            secret.index,
            &encrypted_shares,
        ),
        &G,
        &(a0 * RISTRETTO_BASEPOINT_TABLE),
        a0,
        rng,
    );
    let package = round2::Package {
        dealer: secret.index,
        encrypted_shares,
        signature,
    };
    let own_share = secret.polynomial.evaluate(secret.index);
    let next = round2::SecretPackage {
        parameters: secret.parameters,
        index: secret.index,
        encryption_secret: secret.encryption_secret,
        own_share,
        round1,
    };
    Ok((next, package))
}

/// Indexes round-2 packages by dealer ([`Error::UnknownIndex`] for a dealer
/// outside `1..=n`). Identical copies count once; two different packages
/// from one dealer are equivocation. Dealers absent from the result
/// (missing, malformed or equivocating) are disqualified.
fn index_round2<'a>(
    parameters: &DkgParameters,
    packages: &'a [round2::Package],
) -> Result<BTreeMap<ParticipantIndex, &'a round2::Package>> {
    let mut seen: BTreeMap<ParticipantIndex, Option<&round2::Package>> = BTreeMap::new();
    for p in packages {
        parameters.check_index(p.dealer)?;
        let entry = seen.entry(p.dealer).or_insert(Some(p));
        if *entry != Some(p) {
            *entry = None;
        }
    }
    Ok(seen
        .into_iter()
        .filter_map(|(dealer, p)| Some((dealer, p?)))
        .filter(|(_, p)| p.is_well_formed(parameters))
        .collect())
}

/// Round 3: checks every dealer's signature and discards the round-2
/// packages whose signature fails (they are not attributable to their
/// dealer, see [`round2::Package::verify`]); then decrypts this
/// participant's share from every dealer, checks all of them against the
/// dealers' commitments in one batched multiscalar multiplication, and
/// returns a [`Complaint`] for every bad share (to be broadcast; usually
/// none). Dealers without a validly signed, well-formed round-2 package (or
/// who equivocate) are disqualified publicly and need no complaint
/// (spec/trustees.md §4.4). A package from a dealer outside `1..=n` is
/// discarded like a badly signed one.
pub fn part3<R: RngCore + CryptoRng>(
    secret: round2::SecretPackage,
    round2_packages: &[round2::Package],
    rng: &mut R,
) -> Result<(round3::SecretPackage, Vec<Complaint>)> {
    let parameters = &secret.parameters;
    let me = secret.index;
    let checks = check_signatures(parameters, &secret.round1, round2_packages, rng);
    let mut signed = Vec::with_capacity(round2_packages.len());
    let mut seen = Encodings::default();
    for (p, check) in round2_packages.iter().zip(checks) {
        match check {
            // Identical copies count once (§4.4) and are recorded once.
            Ok(()) if !seen.first(p) => {}
            Ok(()) => signed.push(p.clone()),
            // Not attributable to a dealer of this key generation: discarded.
            Err(Error::ParticipantFailed { .. } | Error::UnknownIndex { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let by_dealer = index_round2(parameters, &signed)?;
    let own_r1 = secret
        .round1
        .get(usize::from(me.get()).saturating_sub(1))
        .ok_or(Error::UnknownIndex {
            index: u32::from(me),
        })?;

    let mut received = BTreeMap::new();
    received.insert(me, secret.own_share);
    // Batched check Σ wᵢ·fᵢ(me)·G = (Σ wᵢ·sᵢ)·G over all dealers; the secret
    // side is a constant-time base-point multiplication.
    let mut weights = Vec::new();
    let mut expected = Vec::new();
    let mut secret_side = Zeroizing::new(Scalar::ZERO);
    for dealer in secret.round1.iter().filter(|p| p.index != me) {
        let Some(ciphertext) = by_dealer
            .get(&dealer.index)
            .and_then(|p| p.encrypted_share(me))
        else {
            continue;
        };
        let shared_key = Zeroizing::new(*secret.encryption_secret * dealer.encryption_key.point());
        let pad = share_pad(parameters, dealer, own_r1, &shared_key);
        let share = SecretShare::new(me, ciphertext - *pad);
        let w = BatchVerifier::weight(rng);
        *secret_side += w * share.value();
        weights.push(w);
        expected.push((dealer, dealer.commitment.evaluate(me)));
        received.insert(dealer.index, share);
    }
    let all_good =
        RistrettoPoint::vartime_multiscalar_mul(&weights, expected.iter().map(|(_, e)| e))
            == &*secret_side * RISTRETTO_BASEPOINT_TABLE;

    let mut complaints = Vec::new();
    if !all_good {
        for (dealer, point) in expected {
            let bad = received
                .get(&dealer.index)
                .is_some_and(|share| share.public() != point);
            if bad {
                received.remove(&dealer.index);
                complaints.push(Complaint::new(
                    parameters,
                    own_r1,
                    dealer,
                    &secret.encryption_secret,
                    rng,
                ));
            }
        }
    }
    let next = round3::SecretPackage {
        parameters: secret.parameters,
        index: me,
        received,
        round1: secret.round1,
        round2: signed,
    };
    Ok((next, complaints))
}

/// A publicly verifiable complaint: `accuser` reveals the Diffie–Hellman key
/// `K = e_accuser·E_accused` of the pair with a DLEQ proof
/// `log_G E_accuser = log_{E_accused} K`, so anyone can recompute the pad,
/// decrypt the accused dealer's share for the accuser and check it against
/// the dealer's commitments (spec/trustees.md §4.4).
///
/// Revealing `K` discloses only the accuser's own share from the accused
/// dealer: nothing if the complaint is upheld (the dealer is disqualified),
/// and nothing the (then dishonest) accuser did not already know otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Complaint {
    accuser: ParticipantIndex,
    accused: ParticipantIndex,
    shared_key: RistrettoPoint,
    proof: DleqProof,
}

impl Complaint {
    fn new<R: RngCore + CryptoRng>(
        parameters: &DkgParameters,
        accuser: &round1::Package,
        accused: &round1::Package,
        encryption_secret: &Scalar,
        rng: &mut R,
    ) -> Self {
        let shared_key = encryption_secret * accused.encryption_key.point();
        let statement = Self::statement(accuser, accused, shared_key);
        let proof = DleqProof::prove(
            &mut Self::transcript(parameters, accuser.index, accused.index),
            &statement,
            encryption_secret,
            rng,
        );
        Complaint {
            accuser: accuser.index,
            accused: accused.index,
            shared_key,
            proof,
        }
    }

    /// The participant complaining.
    pub fn accuser(&self) -> ParticipantIndex {
        self.accuser
    }

    /// The dealer accused of sending a bad share.
    pub fn accused(&self) -> ParticipantIndex {
        self.accused
    }

    fn statement(
        accuser: &round1::Package,
        accused: &round1::Package,
        shared_key: RistrettoPoint,
    ) -> DleqStatement {
        DleqStatement {
            g: G,
            a: *accuser.encryption_key.point(),
            h: *accused.encryption_key.point(),
            b: shared_key,
        }
    }

    fn transcript(
        parameters: &DkgParameters,
        accuser: ParticipantIndex,
        accused: ParticipantIndex,
    ) -> Transcript {
        let mut t = parameters.transcript(LABEL_COMPLAINT);
        t.append_u64_le(b"accuser", u64::from(accuser.get()));
        t.append_u64_le(b"accused", u64::from(accused.get()));
        t
    }

    /// Whether the complaint can only come from its accuser: both indices
    /// name round-1 packages and the DLEQ proof verifies (only the accuser
    /// knows `eⱼ`). [`finish`] keeps only such complaints, so garbage posted
    /// under an honest participant's index never disqualifies it.
    fn is_attributable(&self, parameters: &DkgParameters, round1: &[round1::Package]) -> bool {
        let lookup = |i: ParticipantIndex| {
            round1
                .get(usize::from(i.get()).saturating_sub(1))
                .filter(|p| p.index == i)
        };
        let (Some(accuser), Some(accused)) = (lookup(self.accuser), lookup(self.accused)) else {
            return false;
        };
        self.proof
            .verify(
                &mut Self::transcript(parameters, self.accuser, self.accused),
                &Self::statement(accuser, accused, self.shared_key),
            )
            .is_ok()
    }

    /// Judges the complaint. `Ok(true)`: upheld (the accused dealer's share
    /// fails its commitments); `Ok(false)`: the accused has no well-formed
    /// round-2 package, so it is disqualified anyway and the complaint is
    /// moot; `Err`: the complaint is false or malformed (its accuser is
    /// disqualified).
    fn judge(
        &self,
        parameters: &DkgParameters,
        round1: &[round1::Package],
        round2: &BTreeMap<ParticipantIndex, &round2::Package>,
    ) -> Result<bool> {
        let fail = |check| Error::ParticipantFailed {
            index: u32::from(self.accuser),
            check,
        };
        let lookup = |i: ParticipantIndex| {
            round1
                .get(usize::from(i.get()).saturating_sub(1))
                .filter(|p| p.index == i)
                .ok_or(Error::UnknownIndex {
                    index: u32::from(i),
                })
        };
        let accuser = lookup(self.accuser)?;
        if self.accuser == self.accused {
            return Err(fail("complaint against oneself"));
        }
        let accused =
            lookup(self.accused).map_err(|_| fail("complaint names an unknown dealer"))?;
        let Some(ciphertext) = round2
            .get(&self.accused)
            .and_then(|p| p.encrypted_share(self.accuser))
        else {
            return Ok(false);
        };
        self.proof
            .verify(
                &mut Self::transcript(parameters, self.accuser, self.accused),
                &Self::statement(accuser, accused, self.shared_key),
            )
            .map_err(|_| fail("complaint DLEQ proof"))?;
        let pad = share_pad(parameters, accused, accuser, &self.shared_key);
        let share = SecretShare::new(self.accuser, ciphertext - *pad);
        if accused.commitment.verify_share(&share).is_ok() {
            return Err(fail("complaint against a valid share"));
        }
        Ok(true)
    }
}

impl Encode for Complaint {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DkgComplaint, 1);
        self.accuser.encode(w);
        self.accused.encode(w);
        w.point(&self.shared_key);
        self.proof.encode(w);
    }
}

impl Decode for Complaint {
    const NAME: &'static str = "dkg::Complaint";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DkgComplaint, &[1], Self::NAME)?;
        Ok(Complaint {
            accuser: ParticipantIndex::decode(r)?,
            accused: ParticipantIndex::decode(r)?,
            shared_key: r.nonidentity_point()?,
            proof: DleqProof::decode(r)?,
        })
    }
}

crate::impl_serde_via_encoding!(Complaint);

/// The complete public record of a key generation: parameters, every
/// round-1 and round-2 broadcast and every complaint (spec/trustees.md §5).
/// [`verify`](Self::verify) recomputes the qualified set, the joint key and
/// every verification share from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkgTranscript {
    /// The agreed parameters.
    pub parameters: DkgParameters,
    /// Round-1 broadcasts (one per participant).
    pub round1: Vec<round1::Package>,
    /// Round-2 broadcasts (one per dealer that sent one).
    pub round2: Vec<round2::Package>,
    /// Complaints broadcast in round 3.
    pub complaints: Vec<Complaint>,
}

impl DkgTranscript {
    /// Publicly verifies the key generation (spec/trustees.md §5.1):
    /// checks every proof of possession and every round-2 signature, judges
    /// every complaint, derives the qualified set `QUAL` (dealers with a
    /// well-formed round-2 package, no upheld complaint against them and no
    /// false complaint of theirs), requires `|QUAL| ≥ t`, and computes
    /// `Y = Σᵢ∈QUAL Cᵢ₀` and `Yⱼ = Σᵢ∈QUAL Σₖ jᵏ·Cᵢₖ` for every `j ∈ QUAL`.
    ///
    /// A round-2 package whose signature fails makes the record invalid
    /// ([`Error::ParticipantFailed`] naming its dealer, check
    /// `"round-2 package signature"`): participants discard such packages
    /// before recording them ([`part3`]), so the record was altered. Every
    /// complaint is therefore judged against a ciphertext its dealer signed.
    pub fn verify<R: RngCore + CryptoRng>(&self, rng: &mut R) -> Result<TrusteeSet> {
        let parameters = &self.parameters;
        let round1 = check_round1(parameters, &self.round1, rng)?;
        check_signatures(parameters, &round1, &self.round2, rng)
            .into_iter()
            .collect::<Result<()>>()?;
        let round2 = index_round2(parameters, &self.round2)?;
        let mut disqualified: BTreeSet<ParticipantIndex> =
            ParticipantIndex::range(parameters.participants)
                .filter(|i| !round2.contains_key(i))
                .collect();
        for complaint in &self.complaints {
            match complaint.judge(parameters, &round1, &round2) {
                Ok(true) => {
                    disqualified.insert(complaint.accused);
                }
                Ok(false) => {}
                Err(Error::ParticipantFailed { .. }) => {
                    disqualified.insert(complaint.accuser);
                }
                Err(e) => return Err(e),
            }
        }
        let qualified: Vec<&round1::Package> = round1
            .iter()
            .filter(|p| !disqualified.contains(&p.index))
            .collect();
        let t = usize::from(parameters.threshold);
        if qualified.len() < t {
            return Err(Error::BelowThreshold {
                threshold: t,
                available: qualified.len(),
            });
        }
        // Aggregate commitments Aₖ = Σᵢ∈QUAL Cᵢₖ: the joint polynomial's.
        let mut aggregate = alloc::vec![RistrettoPoint::identity(); t];
        for p in &qualified {
            for (a, c) in aggregate.iter_mut().zip(p.commitment.coefficients()) {
                *a += c.point();
            }
        }
        let joint = aggregate
            .first()
            .copied()
            .unwrap_or_else(RistrettoPoint::identity);
        if joint.is_identity() {
            return Err(Error::IdentityPoint);
        }
        let shares = qualified
            .iter()
            .map(|p| VerificationShare {
                index: p.index,
                point: evaluate_in_exponent(aggregate.iter(), p.index),
            })
            .collect();
        Ok(TrusteeSet::from_dkg(
            parameters.clone(),
            PublicKey(joint),
            shares,
        ))
    }
}

impl Encode for DkgTranscript {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DkgTranscript, SIGNED_VERSION);
        self.parameters.encode(w);
        w.len(self.round1.len());
        self.round1.iter().for_each(|p| p.encode(w));
        w.len(self.round2.len());
        self.round2.iter().for_each(|p| p.encode(w));
        w.len(self.complaints.len());
        self.complaints.iter().for_each(|c| c.encode(w));
    }
}

impl Decode for DkgTranscript {
    const NAME: &'static str = "dkg::DkgTranscript";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DkgTranscript, &[SIGNED_VERSION], Self::NAME)?;
        let parameters = DkgParameters::decode(r)?;
        // Minimum encoded sizes guard the allocations.
        let n = r.len(2 + 2 + 4 + ELEMENT_LEN * 2 + 2, "round-1 packages")?;
        let round1 = (0..n)
            .map(|_| round1::Package::decode(r))
            .collect::<Result<_>>()?;
        let n = r.len(2 + 2 + 4 + SCHNORR_PROOF_LEN, "round-2 packages")?;
        let round2 = (0..n)
            .map(|_| round2::Package::decode(r))
            .collect::<Result<_>>()?;
        let n = r.len(2 + 4 + ELEMENT_LEN + 2, "complaints")?;
        let complaints = (0..n)
            .map(|_| Complaint::decode(r))
            .collect::<Result<_>>()?;
        Ok(DkgTranscript {
            parameters,
            round1,
            round2,
            complaints,
        })
    }
}

crate::impl_serde_via_encoding!(DkgTranscript);

/// What a trustee takes away from a successful key generation.
#[derive(Debug)]
pub struct DkgOutput {
    /// The trustee's secret share `sⱼ = Σᵢ∈QUAL fᵢ(j)`. Keep it secret.
    pub share: SecretShare,
    /// The public trustee set (joint key and verification shares).
    pub trustees: TrusteeSet,
    /// The public record from which anyone can re-derive `trustees`.
    pub transcript: DkgTranscript,
}

/// Final step: given every complaint broadcast in round 3 (including one's
/// own), judges them publicly, and returns this trustee's secret share, the
/// trustee set and the public transcript. Complaints whose proof does not
/// verify (not attributable to their accuser) and repeated copies are left
/// out of the transcript first (spec/trustees.md §4.4). Fails with
/// [`Error::Disqualified`] if this participant was disqualified.
pub fn finish<R: RngCore + CryptoRng>(
    secret: round3::SecretPackage,
    complaints: &[Complaint],
    rng: &mut R,
) -> Result<DkgOutput> {
    // Only complaints their accuser made, once each (spec/trustees.md §4.4).
    let mut kept: Vec<Complaint> = Vec::new();
    let mut seen = Encodings::default();
    for c in complaints {
        if seen.first(c) && c.is_attributable(&secret.parameters, &secret.round1) {
            kept.push(c.clone());
        }
    }
    let transcript = DkgTranscript {
        parameters: secret.parameters,
        round1: secret.round1,
        round2: secret.round2,
        complaints: kept,
    };
    let trustees = transcript.verify(rng)?;
    let me = secret.index;
    let expected = trustees.verification_share(me)?.point;
    let mut value = Zeroizing::new(Scalar::ZERO);
    for vs in trustees.verification_shares() {
        // A qualified dealer whose share we lack was complained about by us
        // and not disqualified: the complaint list given is incomplete.
        let share = secret
            .received
            .get(&vs.index)
            .ok_or(Error::ParticipantFailed {
                index: u32::from(me),
                check: "own complaint missing from the complaint list",
            })?;
        *value += share.value();
    }
    let share = SecretShare::new(me, *value);
    if share.public() != expected {
        return Err(Error::ParticipantFailed {
            index: u32::from(me),
            check: "final share does not match its verification share",
        });
    }
    Ok(DkgOutput {
        share,
        trustees,
        transcript,
    })
}
