//! Sigma proofs with batch verification (spec/proofs.md).
//!
//! * [`SchnorrProof`] (spec/proofs.md §3): knowledge of `x` with `X = x·B`.
//! * [`DleqProof`] (§4): Chaum–Pedersen proof that `A = x·G` and `B = x·H`
//!   share one discrete logarithm.
//! * [`DisjunctiveProof`] (§5): Cramer–Damgård–Schoenmakers OR-proof that an
//!   exponential ElGamal ciphertext encrypts one value of a public set
//!   (e.g. a vote in {0, 1}).
//!
//! Every proof is made non-interactive with a merlin transcript
//! ([`crate::transcript`]): the caller passes a transcript started with
//! [`new_transcript`](crate::transcript::new_transcript)`(context)`; the proof
//! then appends its protocol label and version, its *whole statement*, its
//! commitments, and squeezes the challenge (§2). A proof made in one context,
//! or for one statement, therefore does not verify in or for another.
//!
//! # Batch verification
//!
//! Proofs store their *commitments* (not their challenges), so each
//! verification is a set of linear equations `Σ aᵢ·Pᵢ = 0` over group points.
//! Many proofs are checked at once by multiplying every equation with an
//! independent random 128-bit weight and testing the sum with a single
//! vartime multiscalar multiplication (§6). Three ways to use it:
//!
//! * `verify`: one proof, each equation checked on its own, no randomness.
//! * `queue(…, &mut BatchVerifier, rng)`: adds one proof to a caller's
//!   [`BatchVerifier`], e.g. next to proofs of other kinds.
//! * [`BatchContext`] with `queue_in`, or the convenience `batch_verify`
//!   functions of each module: many proofs sharing generators and keys.
//!   The context registers each recurring statement point (the generator `G`,
//!   a joint public key, a DLEQ base) once as a fixed point of the batch, so it
//!   costs one multiscalar term for the whole batch instead of one per proof.
//!   `batch_verify` falls back to individual verification when the batch
//!   fails and reports the first bad proof as
//!   [`Error::BatchVerificationFailed`]`{ index: Some(i) }`.
//!
//! Verification hashes the canonical encoding of every statement point. Point
//! compression costs about as much as one multiscalar term, so the batch entry
//! points accept statements over [`EncodedPoint`] (a point with its encoding,
//! computed once or kept from decoding) as well as over bare
//! [`RistrettoPoint`]s (compressed on the fly). Proof commitments always keep
//! the encoding they were decoded from or created with.
//!
//! # Example
//!
//! ```
//! use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
//! use curve25519_dalek::scalar::Scalar;
//! use kleroterion::encoding::{Decode, Encode};
//! use kleroterion::proofs::{BatchContext, EncodedPoint, SchnorrProof, SchnorrStatement};
//! use kleroterion::transcript::new_transcript;
//! use rand_core::OsRng;
//!
//! let x = Scalar::random(&mut OsRng);
//! let proof = SchnorrProof::prove(&mut new_transcript(b"ctx"), &G, &(G * x), &x, &mut OsRng);
//! let proof = SchnorrProof::from_bytes(&proof.to_bytes())?;
//! proof.verify(&mut new_transcript(b"ctx"), &G, &(G * x))?;
//! assert!(proof.verify(&mut new_transcript(b"other"), &G, &(G * x)).is_err());
//!
//! // Many proofs sharing the base: one multiscalar multiplication.
//! let statement = SchnorrStatement { base: EncodedPoint::GENERATOR, public: EncodedPoint::new(G * x) };
//! let mut ctx = BatchContext::new();
//! for _ in 0..3 {
//!     proof.queue_in(&mut ctx, &mut new_transcript(b"ctx"), &statement, &mut OsRng)?;
//! }
//! assert!(ctx.verify());
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod disjunctive;
mod dleq;
mod schnorr;

pub(crate) use disjunctive::DisjunctiveCommitment;
pub use disjunctive::{
    ComplementStatement, DisjunctiveClaim, DisjunctiveProof, DisjunctiveStatement,
    DISJUNCTIVE_LABEL,
};
pub(crate) use dleq::DleqTerms;
pub use dleq::{DleqProof, DleqStatement, DLEQ_LABEL, DLEQ_PROOF_LEN};
pub use schnorr::{SchnorrProof, SchnorrStatement, SCHNORR_LABEL, SCHNORR_PROOF_LEN};

use alloc::vec::Vec;
use core::fmt;
use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_COMPRESSED, RISTRETTO_BASEPOINT_POINT};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use merlin::{Transcript, TranscriptRng};
use rand_core::{CryptoRng, RngCore};

use crate::batch::{BatchVerifier, FixedPoint};
use crate::encoding::{Reader, Writer, ELEMENT_LEN};
use crate::error::{Error, Result};
use crate::wide::WideSum;

/// Format version of every proof encoding in this module (spec/proofs.md §7).
pub const PROOF_VERSION: u8 = 1;

/// A ristretto255 point together with its canonical 32-byte encoding.
///
/// Fiat–Shamir transcripts hash encodings; keeping the encoding next to the
/// point means it is computed once (or kept from the bytes it was decoded
/// from) instead of at every verification. Equality compares encodings,
/// which for ristretto255 is equality of group elements.
#[derive(Clone, Copy)]
pub struct EncodedPoint {
    point: RistrettoPoint,
    encoding: CompressedRistretto,
}

impl EncodedPoint {
    /// The ristretto255 generator `G` with its encoding (no compression at
    /// run time).
    pub const GENERATOR: EncodedPoint = EncodedPoint {
        point: RISTRETTO_BASEPOINT_POINT,
        encoding: RISTRETTO_BASEPOINT_COMPRESSED,
    };

    /// Wraps `point`, computing its encoding once.
    pub fn new(point: RistrettoPoint) -> Self {
        Self {
            point,
            encoding: point.compress(),
        }
    }

    /// Decodes a canonical encoding (identity allowed), keeping the bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; ELEMENT_LEN] = bytes.try_into().map_err(|_| Error::InvalidLength {
            what: "point",
            expected: ELEMENT_LEN,
            actual: bytes.len(),
        })?;
        let encoding = CompressedRistretto(arr);
        let point = encoding.decompress().ok_or(Error::InvalidPoint)?;
        Ok(Self { point, encoding })
    }

    /// The group element.
    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    /// Its canonical encoding.
    pub fn encoding(&self) -> &CompressedRistretto {
        &self.encoding
    }

    /// Whether this is the identity (whose encoding is 32 zero bytes).
    pub fn is_identity(&self) -> bool {
        self.encoding.as_bytes().iter().all(|&b| b == 0)
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self> {
        Self::from_bytes(r.take(ELEMENT_LEN, "point")?)
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.raw(self.encoding.as_bytes());
    }
}

impl From<RistrettoPoint> for EncodedPoint {
    fn from(point: RistrettoPoint) -> Self {
        Self::new(point)
    }
}

impl fmt::Debug for EncodedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncodedPoint({})", hex::encode(self.encoding.as_bytes()))
    }
}

impl PartialEq for EncodedPoint {
    fn eq(&self, other: &Self) -> bool {
        self.encoding == other.encoding
    }
}

impl Eq for EncodedPoint {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for curve25519_dalek::ristretto::RistrettoPoint {}
    impl Sealed for super::EncodedPoint {}
}

/// A point of a proof statement: a bare [`RistrettoPoint`] (its encoding is
/// computed when needed) or an [`EncodedPoint`] (encoding cached). Sealed so
/// that a point and the encoding hashed for it always agree.
pub trait StatementPoint: sealed::Sealed {
    /// The group element.
    fn point(&self) -> &RistrettoPoint;
    /// The point with its canonical encoding.
    fn encoded(&self) -> EncodedPoint;
}

impl StatementPoint for RistrettoPoint {
    fn point(&self) -> &RistrettoPoint {
        self
    }
    fn encoded(&self) -> EncodedPoint {
        EncodedPoint::new(*self)
    }
}

impl StatementPoint for EncodedPoint {
    fn point(&self) -> &RistrettoPoint {
        &self.point
    }
    fn encoded(&self) -> EncodedPoint {
        *self
    }
}

/// Encodes a statement point and rejects the identity with
/// [`Error::IdentityPoint`].
fn nonidentity<P: StatementPoint>(p: &P) -> Result<EncodedPoint> {
    let e = p.encoded();
    if e.is_identity() {
        return Err(Error::IdentityPoint);
    }
    Ok(e)
}

/// How many distinct recurring points a [`BatchContext`] keeps as fixed
/// terms. Recurring points are few (a generator, a joint key, a beacon base);
/// the bound keeps the lookup a short scan even when a caller passes
/// per-proof points in a "recurring" role.
const MAX_SHARED: usize = 8;

/// A [`BatchVerifier`] together with the recurring points (generators, joint
/// public keys) already registered in it (spec/proofs.md §6).
///
/// Each proof's `queue_in` looks its recurring statement points up by
/// encoding; the first occurrence is registered with
/// [`BatchVerifier::fixed`] and every later one only adds to that point's
/// coefficient. Because the context owns its verifier, a handle can never be
/// used with the wrong batch.
#[derive(Clone, Debug, Default)]
pub struct BatchContext {
    verifier: BatchVerifier,
    shared: Vec<Shared>,
    /// Whether a [`merged`](Self::merged) group is open.
    grouping: bool,
    /// The open group's per-proof terms, one per distinct point.
    group: Vec<(Coefficient, EncodedPoint)>,
}

/// A recurring point registered in a [`BatchContext`], with the unreduced
/// sum `S` of its weighted proof coefficients: it enters the verifier's
/// fixed term as `−S` once, when the batch is checked.
#[derive(Clone, Debug)]
struct Shared {
    encoding: CompressedRistretto,
    handle: FixedPoint,
    negated: WideSum,
}

impl BatchContext {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty batch with room for `terms` per-proof multiscalar terms.
    pub fn with_capacity(terms: usize) -> Self {
        Self {
            verifier: BatchVerifier::with_capacity(terms),
            ..Self::default()
        }
    }

    /// Adds a weighted term of another protocol to the same batch.
    pub fn add(&mut self, scalar: Scalar, point: RistrettoPoint) {
        self.verifier.add(scalar, point);
    }

    /// Merges a batch built elsewhere (e.g. on another thread).
    pub fn append(&mut self, other: BatchContext) {
        self.verifier.append(other.into_verifier());
    }

    /// Number of multiscalar terms the final check will use.
    pub fn len(&self) -> usize {
        self.verifier.len() + self.group.len()
    }

    /// Whether nothing has been queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs the single multiscalar multiplication: `true` iff every queued
    /// equation holds (except with probability ≤ 2⁻¹²⁸ per bad equation).
    pub fn verify(self) -> bool {
        self.into_verifier().verify()
    }

    /// The underlying verifier, to be combined with other batches.
    pub fn into_verifier(mut self) -> BatchVerifier {
        self.close_group();
        for shared in &self.shared {
            if shared.negated != WideSum::ZERO {
                self.verifier
                    .add_fixed(shared.handle, shared.negated.reduce_negated());
            }
        }
        self.verifier
    }

    /// Runs `queue`, merging the per-proof terms of every proof it queues
    /// whose points are equal (e.g. a ciphertext that one proof is about
    /// and another proof's statement is derived from): each distinct point
    /// becomes one multiscalar term (spec/proofs.md §6.2). Equal points are
    /// recognised by their encodings, so merging never changes the value of
    /// the batch equation. Groups do not nest: an inner call joins the
    /// outer group.
    pub fn merged<T>(&mut self, queue: impl FnOnce(&mut Self) -> T) -> T {
        if self.grouping {
            return queue(self);
        }
        self.grouping = true;
        let out = queue(self);
        self.close_group();
        out
    }

    /// Moves the open group's terms into the verifier.
    fn close_group(&mut self) {
        self.grouping = false;
        for (coefficient, point) in self.group.drain(..) {
            self.verifier.add(coefficient.scalar(), point.point);
        }
    }

    /// Adds a proof's per-proof term, merged within an open group.
    fn add_local(&mut self, coefficient: Coefficient, point: &EncodedPoint) {
        if !self.grouping {
            return self.verifier.add(coefficient.scalar(), point.point);
        }
        match self
            .group
            .iter_mut()
            .find(|(_, p)| p.encoding == point.encoding)
        {
            Some((sum, _)) => sum.add(&coefficient),
            None => self.group.push((coefficient, *point)),
        }
    }

    /// Adds `scalar · point` for a point that recurs across the batch (a
    /// generator, a joint key): the first occurrence registers it as a
    /// fixed point, later ones add to its coefficient. Other protocols use
    /// this to share `G` and `PK` terms with the proofs of this module.
    pub fn add_shared(&mut self, point: &EncodedPoint, scalar: Scalar) {
        match self.shared_entry(point).map(|entry| entry.handle) {
            Some(handle) => self.verifier.add_fixed(handle, scalar),
            None => self.verifier.add(scalar, point.point),
        }
    }

    /// [`add_shared`](Self::add_shared) for a proof's weighted
    /// coefficient: unreduced sums are only added up here, and reduced once
    /// per point when the batch is checked.
    fn add_shared_coefficient(&mut self, point: &EncodedPoint, coefficient: Coefficient) {
        match (self.shared_entry(point), coefficient) {
            (Some(entry), Coefficient::Negated(sum)) => entry.negated.add(&sum),
            (Some(entry), Coefficient::Weight(w)) => {
                let handle = entry.handle;
                self.verifier.add_fixed(handle, Scalar::from(w));
            }
            (None, coefficient) => self.verifier.add(coefficient.scalar(), point.point),
        }
    }

    /// The entry of a recurring point, registered at its first occurrence;
    /// `None` once [`MAX_SHARED`] points are registered.
    fn shared_entry(&mut self, point: &EncodedPoint) -> Option<&mut Shared> {
        let position = self
            .shared
            .iter()
            .position(|entry| entry.encoding == point.encoding);
        let index = match position {
            Some(index) => index,
            None if self.shared.len() < MAX_SHARED => {
                let handle = self.verifier.fixed(point.point);
                self.shared.push(Shared {
                    encoding: point.encoding,
                    handle,
                    negated: WideSum::ZERO,
                });
                self.shared.len() - 1
            }
            None => return None,
        };
        self.shared.get_mut(index)
    }
}

/// One point of a verification equation. `key` identifies the point within
/// one proof (terms with equal keys are merged when batching); `shared`
/// marks points that recur across proofs (generators, keys).
#[derive(Clone, Copy)]
struct Term<'a> {
    key: usize,
    point: &'a EncodedPoint,
    shared: bool,
}

impl<'a> Term<'a> {
    fn shared(key: usize, point: &'a EncodedPoint) -> Self {
        Self {
            key,
            point,
            shared: true,
        }
    }

    fn local(key: usize, point: &'a EncodedPoint) -> Self {
        Self {
            key,
            point,
            shared: false,
        }
    }
}

/// Receives the verification equations `Σ aᵢ·Pᵢ = 0` of one proof. Each
/// proof describes its equations once; the two sinks check them one by one
/// ([`Individually`]) or fold them into a batch with random weights
/// ([`Weighted`]).
trait Equations<'a> {
    fn equation<I>(&mut self, terms: I)
    where
        I: IntoIterator<Item = (Scalar, Term<'a>)>,
        I::IntoIter: Clone;
}

/// Checks each equation on its own with a small vartime multiscalar
/// multiplication.
struct Individually {
    ok: bool,
}

impl<'a> Equations<'a> for Individually {
    fn equation<I>(&mut self, terms: I)
    where
        I: IntoIterator<Item = (Scalar, Term<'a>)>,
        I::IntoIter: Clone,
    {
        if self.ok {
            let terms = terms.into_iter();
            let sum = RistrettoPoint::vartime_multiscalar_mul(
                terms.clone().map(|(a, _)| a),
                terms.map(|(_, t)| t.point.point()),
            );
            self.ok = sum.is_identity();
        }
    }
}

/// One equation's random 128-bit weight `w`, applied negated
/// (spec/proofs.md §6.1): every equation has coefficient `−1` on its
/// commitment, which so gets the bare weight (`−w mod ℓ` would be a
/// full-width scalar, costing its multiscalar term twice the additions),
/// and that product needs no multiplication.
#[derive(Clone, Copy)]
struct Weight(u128);

/// The canonical encoding of `−1 = ℓ − 1`: coefficients are public, so they
/// are compared by bytes (no negation, no constant-time comparison).
const MINUS_ONE: [u8; 32] = [
    0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

impl Weight {
    /// Draws `w` uniformly from `[0, 2^128)` ([`BatchVerifier::weight`]).
    fn draw<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self(BatchVerifier::weight_bits(rng))
    }

    /// `−w·a`.
    fn times(&self, a: &Scalar) -> Coefficient {
        if a.as_bytes() == &MINUS_ONE {
            Coefficient::Weight(self.0)
        } else {
            let mut sum = WideSum::ZERO;
            sum.add_weighted(self.0, a);
            Coefficient::Negated(sum)
        }
    }
}

/// A multiscalar term's coefficient as a batch accumulates it: products of
/// weights and public coefficients are summed unreduced ([`WideSum`]) and
/// reduced once per term, when the term enters the verifier.
#[derive(Clone, Copy, Debug)]
enum Coefficient {
    /// `w`: a commitment's only contribution, `−w·(−1)`.
    Weight(u128),
    /// `−S` for the unreduced sum `S = Σ w·a` of the contributions.
    Negated(WideSum),
}

impl Coefficient {
    /// `self += other`.
    fn add(&mut self, other: &Coefficient) {
        let mut sum = self.negated_sum();
        sum.add(&other.negated_sum());
        *self = Coefficient::Negated(sum);
    }

    /// `S` with `self = −S`: a weight `w` is `−(w·(ℓ − 1))`.
    fn negated_sum(&self) -> WideSum {
        match self {
            Coefficient::Weight(w) => {
                let mut sum = WideSum::ZERO;
                sum.add_weighted(*w, &-Scalar::ONE);
                sum
            }
            Coefficient::Negated(sum) => *sum,
        }
    }

    /// The coefficient modulo `ℓ`.
    fn scalar(&self) -> Scalar {
        match self {
            Coefficient::Weight(w) => Scalar::from(*w),
            Coefficient::Negated(sum) => sum.reduce_negated(),
        }
    }
}

/// Multiplies each equation by a fresh random 128-bit weight and sums the
/// coefficients per point, so a point used in several equations of a proof
/// becomes one term.
struct Weighted<'a, 'r, R> {
    rng: &'r mut R,
    terms: Vec<(Coefficient, Term<'a>)>,
}

impl<'a, R: RngCore + CryptoRng> Equations<'a> for Weighted<'a, '_, R> {
    fn equation<I>(&mut self, terms: I)
    where
        I: IntoIterator<Item = (Scalar, Term<'a>)>,
        I::IntoIter: Clone,
    {
        let w = Weight::draw(self.rng);
        for (a, term) in terms {
            let wa = w.times(&a);
            match self.terms.iter_mut().find(|(_, t)| t.key == term.key) {
                Some((sum, _)) => sum.add(&wa),
                None => self.terms.push((wa, term)),
            }
        }
    }
}

impl<'a, 'r, R: RngCore + CryptoRng> Weighted<'a, 'r, R> {
    /// A sink with room for `terms` distinct terms.
    fn new(rng: &'r mut R, terms: usize) -> Self {
        Self {
            rng,
            terms: Vec::with_capacity(terms),
        }
    }

    /// Adds the weighted terms to a caller's verifier: recurring points
    /// become ordinary terms (the verifier cannot deduplicate them).
    fn into_verifier(self, batch: &mut BatchVerifier) {
        for (a, t) in self.terms {
            batch.add(a.scalar(), *t.point.point());
        }
    }

    /// Adds the weighted terms to a context, registering recurring points
    /// once per batch.
    fn into_context(self, ctx: &mut BatchContext) {
        for (a, t) in self.terms {
            if t.shared {
                ctx.add_shared_coefficient(t.point, a);
            } else {
                ctx.add_local(a, t.point);
            }
        }
    }
}

/// Multiplies each equation by a fresh random 128-bit weight (negated, as
/// [`Weighted`]) and sums the coefficients per term key into a fixed
/// array, for callers that fold the statement points with terms of their
/// own protocol (no allocation).
struct Keyed<'r, R, const N: usize> {
    rng: &'r mut R,
    coefficients: [Option<Coefficient>; N],
}

impl<'a, R: RngCore + CryptoRng, const N: usize> Equations<'a> for Keyed<'_, R, N> {
    fn equation<I>(&mut self, terms: I)
    where
        I: IntoIterator<Item = (Scalar, Term<'a>)>,
        I::IntoIter: Clone,
    {
        let w = Weight::draw(self.rng);
        for (a, term) in terms {
            let wa = w.times(&a);
            match self.coefficients.get_mut(term.key) {
                Some(Some(sum)) => sum.add(&wa),
                Some(slot) => *slot = Some(wa),
                None => {}
            }
        }
    }
}

impl<'r, R: RngCore + CryptoRng, const N: usize> Keyed<'r, R, N> {
    fn new(rng: &'r mut R) -> Self {
        Self {
            rng,
            coefficients: [None; N],
        }
    }

    /// The coefficient of each key (zero for a key no equation used).
    fn coefficients(&self) -> [Scalar; N] {
        self.coefficients
            .map(|c| c.map_or(Scalar::ZERO, |c| c.scalar()))
    }
}

/// A statement as callers pass it (over bare or encoded points, given or
/// derived), brought to the checked form `Proof` works with.
trait Claim<Proof: SigmaProof> {
    /// Encodes the statement points and rejects forbidden ones (identities,
    /// empty sets) with typed errors.
    fn prepare(&self) -> Result<Proof::Statement<'_>>;
}

/// The skeleton the sigma proofs of this module share (spec/proofs.md §2,
/// §6): a proof binds a prepared statement and its commitments to the
/// transcript to get the challenge `c`, then describes its verification
/// equations once to a sink ([`Individually`], [`Weighted`]). The provided
/// methods implement single verification, queueing into a
/// [`BatchVerifier`] or a [`BatchContext`], and batch verification with
/// the fallback that names the first bad item, once for all proofs.
///
/// Crate-private: the public entry points stay the inherent methods of each
/// proof type (with their own argument forms and docs), which delegate here.
trait SigmaProof: Sized {
    /// The proof's name in [`Error::VerificationFailed`] and
    /// [`Error::BatchVerificationFailed`].
    const PROOF: &'static str;

    /// The checked statement, with the encodings of its points.
    type Statement<'s>;

    /// Checks that the proof's shape fits the statement (e.g. one branch per
    /// allowed value); the default accepts every shape.
    fn check_shape(&self, _statement: &Self::Statement<'_>) -> Result<()> {
        Ok(())
    }

    /// Binds the statement and the commitments and squeezes the challenge.
    fn challenge(&self, transcript: &mut Transcript, statement: &Self::Statement<'_>) -> Scalar;

    /// How many distinct points the equations use (room reserved by the
    /// batch sink).
    fn terms(&self, statement: &Self::Statement<'_>) -> usize;

    /// Describes the verification equations for the challenge `c`.
    fn equations<'a>(
        &'a self,
        c: Scalar,
        statement: &'a Self::Statement<'_>,
        sink: &mut impl Equations<'a>,
    );

    /// Prepares the statement and checks the proof's shape against it.
    fn prepared<'s, S: Claim<Self>>(&self, statement: &'s S) -> Result<Self::Statement<'s>> {
        let statement = statement.prepare()?;
        self.check_shape(&statement)?;
        Ok(statement)
    }

    /// Prepares the statement, checks the shape and derives the challenge.
    fn bind<'s, S: Claim<Self>>(
        &self,
        transcript: &mut Transcript,
        statement: &'s S,
    ) -> Result<(Self::Statement<'s>, Scalar)> {
        let statement = self.prepared(statement)?;
        let c = self.challenge(transcript, &statement);
        Ok((statement, c))
    }

    /// Verifies the proof, each equation on its own.
    fn verify_claim<S: Claim<Self>>(
        &self,
        transcript: &mut Transcript,
        statement: &S,
    ) -> Result<()> {
        let (statement, c) = self.bind(transcript, statement)?;
        let mut sink = Individually { ok: true };
        self.equations(c, &statement, &mut sink);
        if sink.ok {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: Self::PROOF })
        }
    }

    /// Multiplies the equations by random weights ([`Weighted`]) and hands
    /// the weighted terms to `add`.
    fn weighted<S: Claim<Self>, R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        statement: &S,
        rng: &mut R,
        add: impl FnOnce(Weighted<'_, '_, R>),
    ) -> Result<()> {
        let (statement, c) = self.bind(transcript, statement)?;
        self.weighted_for(&statement, c, rng, add);
        Ok(())
    }

    /// Multiplies the equations for the challenge `c` by random weights and
    /// hands the weighted terms to `add`.
    fn weighted_for<'a, R: RngCore + CryptoRng>(
        &'a self,
        statement: &'a Self::Statement<'_>,
        c: Scalar,
        rng: &mut R,
        add: impl FnOnce(Weighted<'a, '_, R>),
    ) {
        let mut sink = Weighted::new(rng, self.terms(statement));
        self.equations(c, statement, &mut sink);
        add(sink);
    }

    /// Adds the weighted equations to a caller's [`BatchVerifier`].
    fn queue_claim<S: Claim<Self>, R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        statement: &S,
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        self.weighted(transcript, statement, rng, |sink| sink.into_verifier(batch))
    }

    /// Adds the weighted equations to a [`BatchContext`], recurring points
    /// registered once per batch.
    fn queue_claim_in<S: Claim<Self>, R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        statement: &S,
        rng: &mut R,
    ) -> Result<()> {
        self.weighted(transcript, statement, rng, |sink| sink.into_context(ctx))
    }

    /// Folds all items into one [`BatchContext`]; if the batch fails (or an
    /// item cannot be queued), verifies the items one by one to name the
    /// first bad one (spec/proofs.md §6.3). Each transcript is cloned.
    fn batch_verify_claims<S: Claim<Self>, R: RngCore + CryptoRng>(
        items: &[(Transcript, &S, &Self)],
        rng: &mut R,
    ) -> Result<()> {
        let mut ctx = BatchContext::new();
        let queued = items.iter().try_for_each(|(t, st, proof)| {
            proof.queue_claim_in(&mut ctx, &mut t.clone(), *st, rng)
        });
        if queued.is_ok() && ctx.verify() {
            return Ok(());
        }
        let index = items
            .iter()
            .position(|(t, st, proof)| proof.verify_claim(&mut t.clone(), *st).is_err());
        Err(Error::BatchVerificationFailed {
            proof: Self::PROOF,
            index,
        })
    }
}

/// The prover's source of secret nonces: merlin rekeys with the transcript
/// state (the whole statement) and the witness before mixing in `rng`, so a
/// weak `rng` alone does not reveal the witness (spec/proofs.md §2.3).
fn prover_rng<R: RngCore + CryptoRng>(
    transcript: &Transcript,
    witness: &Scalar,
    rng: &mut R,
) -> TranscriptRng {
    transcript
        .build_rng()
        .rekey_with_witness_bytes(b"witness", witness.as_bytes())
        .finalize(rng)
}

/// Draws one secret nonce from [`prover_rng`]. The caller zeroizes it.
fn prover_nonce<R: RngCore + CryptoRng>(
    transcript: &Transcript,
    witness: &Scalar,
    rng: &mut R,
) -> Scalar {
    Scalar::random(&mut prover_rng(transcript, witness, rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn negated_weight_multiplies_by_minus_the_weight() {
        assert_eq!((-Scalar::ONE).to_bytes(), MINUS_ONE);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let w = Weight::draw(&mut rng);
        let weight = Scalar::from(w.0);
        assert!(matches!(w.times(&-Scalar::ONE), Coefficient::Weight(x) if x == w.0));
        assert_eq!(w.times(&-Scalar::ONE).scalar(), weight);
        let a = Scalar::random(&mut rng);
        assert_eq!(w.times(&a).scalar(), -(weight * a));
        assert_eq!(w.times(&Scalar::ONE).scalar(), -weight);
    }

    /// Merged coefficients add up as scalars, whatever their forms.
    #[test]
    fn coefficients_add_as_scalars() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
        let (w1, w2) = (Weight::draw(&mut rng), Weight::draw(&mut rng));
        let a = Scalar::random(&mut rng);
        let forms = [
            w1.times(&-Scalar::ONE),
            w2.times(&a),
            w2.times(&-Scalar::ONE),
        ];
        for x in forms {
            for y in forms {
                let mut sum = x;
                sum.add(&y);
                assert_eq!(sum.scalar(), x.scalar() + y.scalar());
            }
        }
    }

    /// Shared points get the sum of their coefficients once, in either
    /// form, and past `MAX_SHARED` points become ordinary terms.
    #[test]
    fn shared_coefficients_reach_the_verifier() {
        use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let points: Vec<EncodedPoint> = (1..=MAX_SHARED as u64 + 2)
            .map(|i| EncodedPoint::new(G * Scalar::from(i)))
            .collect();
        let w = Weight::draw(&mut rng);
        let mut ctx = BatchContext::new();
        let mut expected = Scalar::ZERO;
        for (i, p) in points.iter().enumerate() {
            // i·G gets −w·a + w + 5, so the batch sums Σ i·(−w·a + w + 5)·G.
            let a = Scalar::random(&mut rng);
            ctx.add_shared_coefficient(p, w.times(&a));
            ctx.add_shared_coefficient(p, w.times(&-Scalar::ONE));
            ctx.add_shared(p, Scalar::from(5u64));
            expected += Scalar::from(i as u64 + 1)
                * (-(Scalar::from(w.0) * a) + Scalar::from(w.0) + Scalar::from(5u64));
        }
        assert_eq!(ctx.len(), MAX_SHARED + 3 * 2);
        ctx.add(-expected, G);
        assert!(ctx.clone().verify());
        ctx.add(Scalar::ONE, G);
        assert!(!ctx.verify());
    }
}
