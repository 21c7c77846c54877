//! Cramer–Damgård–Schoenmakers disjunctive proof (spec/proofs.md §5).
//!
//! Statement: an ElGamal public key `PK`, a ciphertext `(α, β)` and a public
//! set of allowed values `m₀, …, m_{n−1}`; the prover knows `r` and `ℓ` with
//! `α = r·G` and `β − m_ℓ·G = r·PK`, i.e. the ciphertext encrypts `m_ℓ`
//! (a vote in {0, 1}, a score in {0, …, 5}). Branch `j` is a Chaum–Pedersen
//! proof for `(G, α, PK, β − m_j·G)`; all branches but the true one are
//! simulated, and the branch challenges `c_j` sum to the transcript
//! challenge `c`, so the prover can simulate all but one.
//!
//! A proof stores per branch the commitments `A_j, B_j` and the response
//! `s_j`, and the challenges `c₀, …, c_{n−2}`; the last challenge is derived
//! as `c_{n−1} = c − Σ_{j<n−1} c_j`, so the sum holds by construction and the
//! encoding has no redundant field to check (spec §5.2). Verification, per
//! branch: `s_j·G − A_j − c_j·α = 0` and
//! `s_j·PK − B_j − c_j·β + c_j·m_j·G = 0`.

use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use super::{
    nonidentity, prover_rng, BatchContext, EncodedPoint, Equations, SigmaProof, StatementPoint,
    Term, PROOF_VERSION,
};
use crate::batch::BatchVerifier;
use crate::elgamal::{Ciphertext, EncryptionKey, PublicKey};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer, ELEMENT_LEN};
use crate::error::{Error, Result};
use crate::transcript::TranscriptProtocol;

/// `(ℓ + 1)/2`, the inverse of 2 modulo ℓ (little-endian).
const HALF: [u8; 32] = [
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51, 0xef, 0x7c, 0x6f, 0x0a,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
];

/// Transcript protocol label of the disjunctive proof.
pub const DISJUNCTIVE_LABEL: &[u8] = b"kleroterion/disjunctive";

/// The statement "`(α, β)` encrypts one of `allowed` under `PK`", over
/// bare points (the default) or over [`EncodedPoint`]s whose encodings are
/// already known (e.g. kept from decoding a ballot).
///
/// `PK` and `α` MUST NOT be the identity (`α = O` means nonce 0: the
/// ciphertext would not hide its value). `allowed` MUST NOT be empty; its
/// order is part of the statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisjunctiveStatement<'s, P = RistrettoPoint> {
    /// The public key `PK`. Registered once per batch in a [`BatchContext`].
    pub pk: P,
    /// `α = r·G`.
    pub alpha: P,
    /// `β = m·G + r·PK`.
    pub beta: P,
    /// The allowed values `m₀, …, m_{n−1}`.
    pub allowed: &'s [u64],
}

impl<'s> DisjunctiveStatement<'s> {
    /// The statement for `ct` under `pk`.
    pub fn new(pk: &PublicKey, ct: &Ciphertext, allowed: &'s [u64]) -> Self {
        Self {
            pk: *pk.point(),
            alpha: ct.alpha,
            beta: ct.beta,
            allowed,
        }
    }
}

impl<'s, P: StatementPoint> DisjunctiveStatement<'s, P> {
    /// Encodes the points, rejecting an identity `PK` or `α`.
    fn prepare(&self) -> Result<Prepared<'s>> {
        Ok(Prepared {
            pk: nonidentity(&self.pk)?,
            ciphertext: StatementCiphertext::Given([
                nonidentity(&self.alpha)?,
                self.beta.encoded(),
            ]),
            allowed: self.allowed,
        })
    }
}

/// The statement "the ciphertext `(α, β) = (O, total·G) − Σᵢ (αᵢ, βᵢ)`
/// encrypts one of `allowed` under `PK`" (spec/proofs.md §5.4).
///
/// The ciphertext is not transmitted but *defined* by others: e.g. the last
/// option of an exactly-one contest, whose value is `total − Σ vᵢ` and
/// whose nonce is `−Σ rᵢ`. The proof binds `total` and every `(αᵢ, βᵢ)`,
/// which determine the ciphertext, so verification never computes its
/// encoding; in a batch its equations become weights on the `αᵢ`, `βᵢ` and
/// `G` (no multiscalar point of its own). `PK` and the derived `α` MUST NOT
/// be the identity; `parts` and `allowed` MUST NOT be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComplementStatement<'s> {
    /// The public key `PK`. Registered once per batch in a [`BatchContext`].
    pub pk: EncodedPoint,
    /// The value `total` that the ciphertext and the `parts` add up to.
    pub total: u64,
    /// The ciphertexts `(αᵢ, βᵢ)` it is the complement of.
    pub parts: &'s [[EncodedPoint; 2]],
    /// The allowed values `m₀, …, m_{n−1}`.
    pub allowed: &'s [u64],
}

impl<'s> ComplementStatement<'s> {
    /// The ciphertext `(O, total·G) − Σᵢ (αᵢ, βᵢ)`
    /// ([`Ciphertext::complement`]): point additions only, no compression.
    pub fn ciphertext(&self) -> Ciphertext {
        Ciphertext::complement(
            self.total,
            self.parts.iter().map(|[alpha, beta]| Ciphertext {
                alpha: *alpha.point(),
                beta: *beta.point(),
            }),
        )
    }

    /// Checks `PK ≠ O`, `parts` non-empty and `α = −Σ αᵢ ≠ O`.
    fn prepare(&self) -> Result<Prepared<'s>> {
        if self.parts.is_empty() {
            return Err(Error::InvalidParameter {
                what: "complement statement: no parts",
            });
        }
        nonidentity(&self.pk)?;
        let alpha = self
            .parts
            .iter()
            .fold(RistrettoPoint::identity(), |acc, [a, _]| acc + a.point());
        if alpha.is_identity() {
            return Err(Error::IdentityPoint);
        }
        Ok(Prepared {
            pk: self.pk,
            ciphertext: StatementCiphertext::Complement {
                total: self.total,
                parts: self.parts,
            },
            allowed: self.allowed,
        })
    }
}

/// A statement a [`DisjunctiveProof`] can be made and checked for: a
/// [`DisjunctiveStatement`] (the ciphertext is given) or a
/// [`ComplementStatement`] (the ciphertext is defined by others). Sealed.
pub trait DisjunctiveClaim: sealed::Claim {}

impl<P: StatementPoint> DisjunctiveClaim for DisjunctiveStatement<'_, P> {}
impl DisjunctiveClaim for ComplementStatement<'_> {}

/// Every [`DisjunctiveClaim`] is checked by [`DisjunctiveProof`]'s shared
/// sigma skeleton (not imported, so that `prepare` stays unambiguous here).
impl<S: DisjunctiveClaim> super::Claim<DisjunctiveProof> for S {
    fn prepare(&self) -> Result<Prepared<'_>> {
        sealed::Claim::prepare(self)
    }
}

mod sealed {
    use super::{ComplementStatement, DisjunctiveStatement, Prepared, StatementPoint};
    use crate::error::Result;

    /// Checks a statement and brings it to the one form proofs use.
    pub trait Claim {
        fn prepare(&self) -> Result<Prepared<'_>>;
    }

    impl<P: StatementPoint> Claim for DisjunctiveStatement<'_, P> {
        fn prepare(&self) -> Result<Prepared<'_>> {
            DisjunctiveStatement::prepare(self)
        }
    }

    impl Claim for ComplementStatement<'_> {
        fn prepare(&self) -> Result<Prepared<'_>> {
            ComplementStatement::prepare(self)
        }
    }
}

/// The statement's ciphertext as proofs see it. Short-lived on the stack,
/// so the size difference of the variants costs less than boxing would.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
pub(crate) enum StatementCiphertext<'s> {
    /// `(α, β)` with their encodings.
    Given([EncodedPoint; 2]),
    /// `(O, total·G) − Σ parts`.
    Complement {
        total: u64,
        parts: &'s [[EncodedPoint; 2]],
    },
}

/// A checked statement with encoded points (spec §5.1, §5.4).
#[derive(Clone, Copy, Debug)]
pub struct Prepared<'s> {
    pk: EncodedPoint,
    ciphertext: StatementCiphertext<'s>,
    allowed: &'s [u64],
}

impl Prepared<'_> {
    /// Appends the protocol label, version and statement (spec §5.1, §5.4).
    fn bind(&self, transcript: &mut Transcript) {
        transcript.domain_sep(DISJUNCTIVE_LABEL, u64::from(PROOF_VERSION));
        transcript.append_compressed(b"PK", self.pk.encoding());
        match &self.ciphertext {
            StatementCiphertext::Given([alpha, beta]) => {
                transcript.append_compressed(b"alpha", alpha.encoding());
                transcript.append_compressed(b"beta", beta.encoding());
            }
            StatementCiphertext::Complement { total, parts } => {
                transcript.append_u64_le(b"complement-total", *total);
                transcript.append_u64_le(b"parts", parts.len() as u64);
                for [alpha, beta] in *parts {
                    transcript.append_compressed(b"alpha", alpha.encoding());
                    transcript.append_compressed(b"beta", beta.encoding());
                }
            }
        }
        // usize → u64 is lossless on every supported target.
        transcript.append_u64_le(b"n", self.allowed.len() as u64);
        for &m in self.allowed {
            transcript.append_u64_le(b"m", m);
        }
    }

    /// `(parts, negated, offset)` with `(α, β) = ±Σ parts + (O, offset·G)`,
    /// the sign `−` iff `negated`.
    fn combination(&self) -> (&[[EncodedPoint; 2]], bool, u64) {
        match &self.ciphertext {
            StatementCiphertext::Given(pair) => (core::slice::from_ref(pair), false, 0),
            StatementCiphertext::Complement { total, parts } => (parts, true, *total),
        }
    }

    /// The ciphertext's points (for the prover).
    fn points(&self) -> (RistrettoPoint, RistrettoPoint) {
        match &self.ciphertext {
            StatementCiphertext::Given([alpha, beta]) => (*alpha.point(), *beta.point()),
            StatementCiphertext::Complement { total, parts } => {
                let ct = ComplementStatement {
                    pk: self.pk,
                    total: *total,
                    parts,
                    allowed: self.allowed,
                }
                .ciphertext();
                (ct.alpha, ct.beta)
            }
        }
    }
}

/// One branch's commitments `A_j = s_j·G − c_j·α`, `B_j = s_j·PK − c_j·(β −
/// m_j·G)` and response `s_j`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Branch {
    a: EncodedPoint,
    b: EncodedPoint,
    response: Scalar,
}

/// The statement of a prover holding `key`'s fixed-base table; fails with
/// [`Error::InvalidParameter`] if the statement's `PK` is another key.
fn keyed_statement<'s, S: DisjunctiveClaim>(
    key: &EncryptionKey,
    statement: &'s S,
) -> Result<Prepared<'s>> {
    let statement = sealed::Claim::prepare(statement)?;
    if statement.pk.point() != key.public_key().point() {
        return Err(Error::InvalidParameter {
            what: "disjunctive proof: statement key is not the encryption key",
        });
    }
    Ok(statement)
}

/// The prover's first move (spec §5.3, steps 3–4): every branch's
/// commitments, and the secrets that answer a challenge — the nonce `k`,
/// the simulated branches' `(s_j, c_j)`, the witness. A proof is made by
/// appending the commitments to a transcript that binds the statement,
/// squeezing the challenge and [answering](Self::answer) it; proofs whose
/// challenge is shared (§5.6) append all their commitments first. The
/// secrets are zeroized on drop and never printed.
pub(crate) struct DisjunctiveCommitment {
    commitments: Vec<(EncodedPoint, EncodedPoint)>,
    /// `(s_j, c_j)` per branch, `(k, 0)` for the real one.
    pairs: Zeroizing<Vec<(Scalar, Scalar)>>,
    k: Zeroizing<Scalar>,
    nonce: Zeroizing<Scalar>,
    value_index: Zeroizing<u64>,
}

impl DisjunctiveCommitment {
    /// Checks the witness and commits; `transcript` binds the statement
    /// (the secret nonces are derived from it, the witness and `rng`,
    /// spec §2.3), `pk_mul(s)` is `s·PK`, and `check_opening` whether to
    /// check that the witness opens the ciphertext.
    fn new<R: RngCore + CryptoRng>(
        transcript: &Transcript,
        statement: &Prepared<'_>,
        pk_mul: impl Fn(&Scalar) -> RistrettoPoint,
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
        check_opening: bool,
    ) -> Result<Self> {
        let allowed = statement.allowed;
        if value_index >= allowed.len() {
            return Err(Error::InvalidParameter {
                what: "disjunctive proof: value_index outside the allowed set",
            });
        }
        let value_index = Zeroizing::new(value_index as u64);
        // The encrypted value, selected without a secret-dependent load.
        let value = Scalar::from(allowed.iter().enumerate().fold(0u64, |acc, (j, m)| {
            u64::conditional_select(&acc, m, (j as u64).ct_eq(&value_index))
        }));
        if u32::try_from(allowed.len()).is_err() {
            return Err(Error::InvalidParameter {
                what: "disjunctive proof: allowed set longer than u32::MAX",
            });
        }
        let opens = || {
            let (alpha, beta) = statement.points();
            alpha == nonce * RISTRETTO_BASEPOINT_TABLE
                && beta == &value * RISTRETTO_BASEPOINT_TABLE + pk_mul(nonce)
        };
        if check_opening && !opens() {
            return Err(Error::InvalidParameter {
                what: "disjunctive proof: ciphertext does not encrypt allowed[value_index] with this nonce",
            });
        }

        let mut secret_rng = prover_rng(transcript, nonce, rng);
        let k = Zeroizing::new(Scalar::random(&mut secret_rng));
        // Before the challenge, the real branch holds (s, c) = (k, 0) and
        // every other branch a random simulated pair. Each branch's
        // A = s·G − c·α and B = s·PK − c·(β − m·G) are computed from the
        // witness as A = t·G and B = t·PK + c·(m − v)·G with t = s − c·r,
        // so only fixed-base multiplications by G (and by PK, if it has a
        // table) are needed, the same ones for every branch.
        // The commitments are computed halved and encoded with one batch
        // inversion (`double_and_compress_batch` encodes 2·P), instead of
        // one inverse square root per point.
        let half =
            Scalar::from_canonical_bytes(HALF)
                .into_option()
                .ok_or(Error::InvalidParameter {
                    what: "disjunctive proof: the constant 1/2",
                })?;
        let mut pairs: Zeroizing<Vec<(Scalar, Scalar)>> =
            Zeroizing::new(Vec::with_capacity(allowed.len()));
        let mut halves = Vec::with_capacity(2 * allowed.len());
        for (j, &m) in allowed.iter().enumerate() {
            let real = (j as u64).ct_eq(&value_index);
            let s = Scalar::conditional_select(&Scalar::random(&mut secret_rng), &k, real);
            let c =
                Scalar::conditional_select(&Scalar::random(&mut secret_rng), &Scalar::ZERO, real);
            let t = Zeroizing::new((s - c * nonce) * half);
            let shift = Zeroizing::new(c * (Scalar::from(m) - value) * half);
            halves.push(&*t * RISTRETTO_BASEPOINT_TABLE);
            halves.push(pk_mul(&t) + &*shift * RISTRETTO_BASEPOINT_TABLE);
            pairs.push((s, c));
        }
        let encodings = RistrettoPoint::double_and_compress_batch(&halves);
        let mut points = halves
            .iter()
            .zip(encodings)
            .map(|(h, encoding)| EncodedPoint {
                point: h + h,
                encoding,
            });
        let commitments = (0..allowed.len())
            .filter_map(|_| points.next().zip(points.next()))
            .collect();
        Ok(Self {
            commitments,
            pairs,
            k,
            nonce: Zeroizing::new(*nonce),
            value_index,
        })
    }

    /// Appends the commitments `A_j`, `B_j` (spec §5.1, §5.6).
    pub(crate) fn append_to(&self, transcript: &mut Transcript) {
        append_commitments(transcript, self.commitments.iter().map(|(a, b)| (a, b)));
    }

    /// Answers the challenge `c` (spec §5.3, steps 6–7): the real branch
    /// takes `c_ℓ = c − Σ_{j≠ℓ} c_j` (its placeholder is 0, so summing over
    /// all branches is correct) and `s_ℓ = k + c_ℓ·r`.
    pub(crate) fn answer(self, c: &Scalar) -> DisjunctiveProof {
        let real_c = self.pairs.iter().fold(*c, |acc, (_, cj)| acc - cj);
        let real_s = Zeroizing::new(*self.k + real_c * *self.nonce);
        let mut branches = Vec::with_capacity(self.pairs.len());
        let mut challenges = Vec::with_capacity(self.pairs.len());
        for (j, ((s, cj), (a, b))) in self.pairs.iter().zip(&self.commitments).enumerate() {
            let real = (j as u64).ct_eq(&self.value_index);
            branches.push(Branch {
                a: *a,
                b: *b,
                response: Scalar::conditional_select(s, &real_s, real),
            });
            challenges.push(Scalar::conditional_select(cj, &real_c, real));
        }
        // The last challenge is implied by the others (spec §5.2).
        challenges.pop();
        DisjunctiveProof {
            branches,
            challenges,
        }
    }
}

/// Appends each branch's commitments `A_j`, `B_j` (spec §5.1).
fn append_commitments<'a>(
    transcript: &mut Transcript,
    commitments: impl IntoIterator<Item = (&'a EncodedPoint, &'a EncodedPoint)>,
) {
    for (a, b) in commitments {
        transcript.append_compressed(b"A", a.encoding());
        transcript.append_compressed(b"B", b.encoding());
    }
}

/// A non-interactive CDS proof that a ciphertext encrypts one value of a
/// public set, without revealing which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisjunctiveProof {
    /// One per allowed value; never empty.
    branches: Vec<Branch>,
    /// `c₀, …, c_{n−2}`: one fewer than the branches.
    challenges: Vec<Scalar>,
}

impl DisjunctiveProof {
    /// Proves that `ct` encrypts `allowed[value_index]` under `pk` with
    /// `nonce` (`ct = encrypt_with_nonce(pk, allowed[value_index], nonce)`).
    ///
    /// The prover checks its witness and fails with
    /// [`Error::InvalidParameter`] if `value_index` is out of range or `ct`
    /// is not that encryption, and with [`Error::IdentityPoint`] if `PK` or
    /// `α` is the identity, so every proof it returns verifies. Which branch
    /// is real is handled with constant-time selection: every branch does
    /// the same group operations. All secret nonces are zeroized.
    pub fn prove<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        pk: &PublicKey,
        ct: &Ciphertext,
        allowed: &[u64],
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
    ) -> Result<Self> {
        let statement = DisjunctiveStatement::new(pk, ct, allowed);
        Self::prove_statement(transcript, &statement, value_index, nonce, rng)
    }

    /// [`prove`](Self::prove) for a [`DisjunctiveStatement`] or a
    /// [`ComplementStatement`]: proves that the statement's ciphertext is
    /// `(r·G, allowed[value_index]·G + r·PK)` with `r = nonce` (for a
    /// complement, `r` is minus the sum of the parts' nonces).
    pub fn prove_statement<S: DisjunctiveClaim, R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &S,
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
    ) -> Result<Self> {
        let statement = statement.prepare()?;
        let pk = *statement.pk.point();
        Self::prove_prepared(transcript, &statement, |s| s * pk, value_index, nonce, rng)
    }

    /// [`prove_statement`](Self::prove_statement) with the precomputed
    /// table of `key`: every multiplication of the prover is then a
    /// fixed-base one. Fails with [`Error::InvalidParameter`] if the
    /// statement's `PK` is not `key`'s.
    pub fn prove_with_key<S: DisjunctiveClaim, R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        key: &EncryptionKey,
        statement: &S,
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
    ) -> Result<Self> {
        let statement = keyed_statement(key, statement)?;
        Self::prove_prepared(
            transcript,
            &statement,
            |s| key.mul(s),
            value_index,
            nonce,
            rng,
        )
    }

    /// The first move of a proof whose challenge is shared with other
    /// proofs (spec/proofs.md §5.6), for a ciphertext the caller has itself
    /// just computed as the encryption of `allowed[value_index]` under `key`
    /// with `nonce` (or as the complement of such encryptions): the prover's
    /// check that the witness opens the ciphertext is skipped, since it
    /// holds by construction. `transcript` MUST already bind the statement
    /// (with the statements of the other proofs); the secret nonces are
    /// derived from it, the witness and `rng`. The caller appends the
    /// commitments of all proofs ([`DisjunctiveCommitment::append_to`]),
    /// squeezes one challenge and answers it with each commitment.
    pub(crate) fn commit_own_encryption<S: DisjunctiveClaim, R: RngCore + CryptoRng>(
        transcript: &Transcript,
        key: &EncryptionKey,
        statement: &S,
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
    ) -> Result<DisjunctiveCommitment> {
        let statement = keyed_statement(key, statement)?;
        DisjunctiveCommitment::new(
            transcript,
            &statement,
            |s| key.mul(s),
            value_index,
            nonce,
            rng,
            false,
        )
    }

    /// The prover over a checked statement (spec §5.3); `pk_mul(s)` is
    /// `s·PK`.
    fn prove_prepared<R: RngCore + CryptoRng>(
        transcript: &mut Transcript,
        statement: &Prepared<'_>,
        pk_mul: impl Fn(&Scalar) -> RistrettoPoint,
        value_index: usize,
        nonce: &Scalar,
        rng: &mut R,
    ) -> Result<Self> {
        statement.bind(transcript);
        let commitment = DisjunctiveCommitment::new(
            transcript,
            statement,
            pk_mul,
            value_index,
            nonce,
            rng,
            true,
        )?;
        commitment.append_to(transcript);
        Ok(commitment.answer(&transcript.challenge_scalar(b"c")))
    }

    /// Verifies that `ct` encrypts one of `allowed` under `pk`.
    ///
    /// Fails with [`Error::LengthMismatch`] if the proof's branch count is
    /// not `allowed.len()`, [`Error::IdentityPoint`] if `PK` or `α` is the
    /// identity, and [`Error::VerificationFailed`] if any branch equation
    /// fails.
    pub fn verify(
        &self,
        transcript: &mut Transcript,
        pk: &PublicKey,
        ct: &Ciphertext,
        allowed: &[u64],
    ) -> Result<()> {
        self.verify_statement(transcript, &DisjunctiveStatement::new(pk, ct, allowed))
    }

    /// [`verify`](Self::verify) for a [`DisjunctiveStatement`] (e.g. one
    /// over [`EncodedPoint`]s) or a [`ComplementStatement`].
    pub fn verify_statement<S: DisjunctiveClaim>(
        &self,
        transcript: &mut Transcript,
        statement: &S,
    ) -> Result<()> {
        self.verify_claim(transcript, statement)
    }

    /// Adds this proof's `2n` weighted equations to a shared batch (one MSM
    /// for many proofs). `G` and `PK` become ordinary terms; to share them
    /// across many proofs use [`queue_in`](Self::queue_in).
    pub fn queue<R: RngCore + CryptoRng>(
        &self,
        transcript: &mut Transcript,
        pk: &PublicKey,
        ct: &Ciphertext,
        allowed: &[u64],
        batch: &mut BatchVerifier,
        rng: &mut R,
    ) -> Result<()> {
        let statement = DisjunctiveStatement::new(pk, ct, allowed);
        self.queue_claim(transcript, &statement, batch, rng)
    }

    /// Adds this proof to a [`BatchContext`], where `G` and `PK` are
    /// registered once for the whole batch: a proof over `n` values then
    /// costs `2n + 2` multiscalar terms (`A_j`, `B_j`, `α`, `β`), or `2n`
    /// plus two per part for a [`ComplementStatement`] — terms on points
    /// that other proofs of the same [`BatchContext::merged`] group also
    /// use are merged (spec §6.2).
    pub fn queue_in<S: DisjunctiveClaim, R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        transcript: &mut Transcript,
        statement: &S,
        rng: &mut R,
    ) -> Result<()> {
        self.queue_claim_in(ctx, transcript, statement, rng)
    }

    /// Verifies many proofs with one multiscalar multiplication; see
    /// [`SchnorrProof::batch_verify`](super::SchnorrProof::batch_verify)
    /// for the item layout and the fallback that names the first bad item.
    pub fn batch_verify<P: StatementPoint, R: RngCore + CryptoRng>(
        items: &[(Transcript, &DisjunctiveStatement<'_, P>, &DisjunctiveProof)],
        rng: &mut R,
    ) -> Result<()> {
        Self::batch_verify_claims(items, rng)
    }

    /// Number of branches (allowed values) the proof covers.
    pub fn branches(&self) -> usize {
        self.branches.len()
    }

    /// Appends the commitments `A_j`, `B_j` to a transcript shared with
    /// other proofs (spec §5.6).
    pub(crate) fn append_commitments(&self, transcript: &mut Transcript) {
        append_commitments(transcript, self.branches.iter().map(|b| (&b.a, &b.b)));
    }

    /// Adds this proof to a [`BatchContext`] as
    /// [`queue_in`](Self::queue_in) does, but for a challenge `c` shared
    /// with other proofs (spec §5.6): the caller squeezed `c` from a
    /// transcript that binds this proof's whole statement and, in order,
    /// the commitments of every proof sharing it.
    pub(crate) fn queue_challenged<S: DisjunctiveClaim, R: RngCore + CryptoRng>(
        &self,
        ctx: &mut BatchContext,
        statement: &S,
        c: Scalar,
        rng: &mut R,
    ) -> Result<()> {
        let statement = self.prepared(statement)?;
        self.weighted_for(&statement, c, rng, |sink| sink.into_context(ctx));
        Ok(())
    }
}

impl SigmaProof for DisjunctiveProof {
    const PROOF: &'static str = "disjunctive";

    type Statement<'s> = Prepared<'s>;

    /// Checks the branch count against the statement.
    fn check_shape(&self, statement: &Prepared<'_>) -> Result<()> {
        if self.branches.len() != statement.allowed.len() {
            return Err(Error::LengthMismatch {
                what: "disjunctive proof branches vs allowed values",
                expected: statement.allowed.len(),
                actual: self.branches.len(),
            });
        }
        Ok(())
    }

    /// `G`, `PK`, each branch's `A_j` and `B_j`, each part's `α_i` and `β_i`.
    fn terms(&self, statement: &Prepared<'_>) -> usize {
        let (parts, _, _) = statement.combination();
        2 + 2 * self.branches.len() + 2 * parts.len()
    }

    /// Binds the statement and the commitments and squeezes the challenge.
    fn challenge(&self, transcript: &mut Transcript, statement: &Prepared<'_>) -> Scalar {
        statement.bind(transcript);
        self.append_commitments(transcript);
        transcript.challenge_scalar(b"c")
    }

    /// The `2n` branch equations (spec §5.3), with the last challenge
    /// derived from the transcript challenge `c` and the statement's
    /// ciphertext written as `sign·Σ parts + (O, offset·G)` (spec §5.4).
    fn equations<'a>(
        &'a self,
        c: Scalar,
        statement: &'a Prepared<'_>,
        sink: &mut impl Equations<'a>,
    ) {
        const G: usize = 0;
        const PK: usize = 1;
        let (parts, negated, offset) = statement.combination();
        let minus_one = -Scalar::ONE;
        // Keys: G, PK, then A_j, B_j, then α_i, β_i of the parts.
        let part_key = 2 + 2 * self.branches.len();
        let last = self.challenges.iter().fold(c, |acc, cj| acc - cj);
        let challenges = self.challenges.iter().copied().chain([last]);
        let rows = self.branches.iter().zip(statement.allowed).zip(challenges);
        for (j, ((branch, &m), cj)) in rows.enumerate() {
            let key = 2 + 2 * j;
            // The coefficient of the parts: −c_j·(±1).
            let minus_c = if negated { cj } else { -cj };
            let alphas = parts
                .iter()
                .enumerate()
                .map(move |(i, [alpha, _])| (minus_c, Term::local(part_key + 2 * i, alpha)));
            let betas = parts
                .iter()
                .enumerate()
                .map(move |(i, [_, beta])| (minus_c, Term::local(part_key + 2 * i + 1, beta)));
            sink.equation(
                [
                    (branch.response, Term::shared(G, &EncodedPoint::GENERATOR)),
                    (minus_one, Term::local(key, &branch.a)),
                ]
                .into_iter()
                .chain(alphas),
            );
            sink.equation(
                [
                    (branch.response, Term::shared(PK, &statement.pk)),
                    (
                        times_integer(cj, i128::from(m) - i128::from(offset)),
                        Term::shared(G, &EncodedPoint::GENERATOR),
                    ),
                    (minus_one, Term::local(key + 1, &branch.b)),
                ]
                .into_iter()
                .chain(betas),
            );
        }
    }
}

/// `c·d` for a public integer `d`: in a ballot `d = m_j − offset` is −1, 0
/// or 1, which needs no scalar multiplication.
fn times_integer(c: Scalar, d: i128) -> Scalar {
    match d {
        0 => Scalar::ZERO,
        1 => c,
        -1 => -c,
        _ => {
            let product = c * Scalar::from(d.unsigned_abs());
            if d < 0 {
                -product
            } else {
                product
            }
        }
    }
}

/// Minimum encoded size of one branch (`A`, `B`, `s`), used to bound the
/// branch count by the remaining input before allocating.
const BRANCH_LEN: usize = 3 * ELEMENT_LEN;

impl Encode for DisjunctiveProof {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DisjunctiveProof, PROOF_VERSION);
        w.len(self.branches.len());
        for branch in &self.branches {
            branch.a.write(w);
            branch.b.write(w);
        }
        for c in &self.challenges {
            w.scalar(c);
        }
        for branch in &self.branches {
            w.scalar(&branch.response);
        }
    }
}

impl Decode for DisjunctiveProof {
    const NAME: &'static str = "disjunctive proof";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::DisjunctiveProof, &[PROOF_VERSION], Self::NAME)?;
        let n = r.len(BRANCH_LEN, Self::NAME)?;
        if n == 0 {
            return Err(Error::InvalidParameter {
                what: "disjunctive proof: no branches",
            });
        }
        let commitments = (0..n)
            .map(|_| Ok((EncodedPoint::read(r)?, EncodedPoint::read(r)?)))
            .collect::<Result<Vec<_>>>()?;
        let challenges = (1..n).map(|_| r.scalar()).collect::<Result<Vec<_>>>()?;
        let branches = commitments
            .into_iter()
            .map(|(a, b)| {
                Ok(Branch {
                    a,
                    b,
                    response: r.scalar()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            branches,
            challenges,
        })
    }
}

crate::impl_serde_via_encoding!(DisjunctiveProof);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::new_transcript;
    use curve25519_dalek::traits::Identity;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    /// The `PublicKey`/`Ciphertext` entry points agree with the statement
    /// ones.
    #[test]
    fn elgamal_types_entry_points() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let pk = PublicKey(RistrettoPoint::random(&mut rng));
        let r = Scalar::random(&mut rng);
        let ct = Ciphertext::encrypt_with_nonce(&pk, &Scalar::ONE, &r);
        let allowed = [0, 1];
        let t = || new_transcript(b"ballot");
        let proof = DisjunctiveProof::prove(&mut t(), &pk, &ct, &allowed, 1, &r, &mut rng).unwrap();
        proof.verify(&mut t(), &pk, &ct, &allowed).unwrap();
        let st = DisjunctiveStatement::new(&pk, &ct, &allowed);
        proof.verify_statement(&mut t(), &st).unwrap();
        let mut batch = BatchVerifier::new();
        proof
            .queue(&mut t(), &pk, &ct, &allowed, &mut batch, &mut rng)
            .unwrap();
        assert!(batch.clone().verify());
        proof
            .queue(&mut t(), &pk, &ct, &[1, 0], &mut batch, &mut rng)
            .unwrap();
        assert!(!batch.verify());
        assert!(matches!(
            DisjunctiveProof::prove(&mut t(), &pk, &ct, &allowed, 0, &r, &mut rng),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[test]
    fn times_integer_is_scalar_multiplication() {
        let c = Scalar::from(0x1234_5678_9abc_def0u64) * Scalar::from(0xfedc_ba98u64);
        for d in [-(1i128 << 64), -3, -1, 0, 1, 2, 1 << 64] {
            let expected = c * Scalar::from(d.unsigned_abs());
            let expected = if d < 0 { -expected } else { expected };
            assert_eq!(times_integer(c, d), expected, "d = {d}");
        }
    }

    #[test]
    fn half_is_the_inverse_of_two() {
        let half = Scalar::from_canonical_bytes(HALF).unwrap();
        assert_eq!(half + half, Scalar::ONE);
    }

    /// A complement statement proves the value of `(O, total·G) − Σ parts`
    /// without its encoding; it binds `total` and the parts; its batch
    /// terms merge with the parts' own proofs in a `merged` group.
    #[test]
    fn complement_statement() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let key = EncryptionKey::new(PublicKey(RistrettoPoint::random(&mut rng)));
        let pk = EncodedPoint::new(*key.public_key().point());
        let t = || new_transcript(b"contest");
        // Two parts encrypting 0 and 1: the complement w.r.t. 1 encrypts 0.
        let nonces = [Scalar::random(&mut rng), Scalar::random(&mut rng)];
        let cts: Vec<Ciphertext> = [0u64, 1]
            .iter()
            .zip(&nonces)
            .map(|(m, r)| key.encrypt_with_nonce(&Scalar::from(*m), r))
            .collect();
        let parts: Vec<[EncodedPoint; 2]> = cts
            .iter()
            .map(|ct| [EncodedPoint::new(ct.alpha), EncodedPoint::new(ct.beta)])
            .collect();
        let st = ComplementStatement {
            pk,
            total: 1,
            parts: &parts,
            allowed: &[0, 1],
        };
        let nonce = -(nonces[0] + nonces[1]);
        assert_eq!(
            st.ciphertext(),
            key.encrypt_with_nonce(&Scalar::ZERO, &nonce)
        );
        let proof =
            DisjunctiveProof::prove_with_key(&mut t(), &key, &st, 0, &nonce, &mut rng).unwrap();
        proof.verify_statement(&mut t(), &st).unwrap();
        // The variable-base prover makes proofs that verify alike.
        DisjunctiveProof::prove_statement(&mut t(), &st, 0, &nonce, &mut rng)
            .unwrap()
            .verify_statement(&mut t(), &st)
            .unwrap();
        // Another total, or the explicit ciphertext, is another statement.
        let other = ComplementStatement { total: 2, ..st };
        assert!(proof.verify_statement(&mut t(), &other).is_err());
        let ct = st.ciphertext();
        let explicit = DisjunctiveStatement {
            pk,
            alpha: EncodedPoint::new(ct.alpha),
            beta: EncodedPoint::new(ct.beta),
            allowed: &[0, 1],
        };
        assert!(proof.verify_statement(&mut t(), &explicit).is_err());
        // The witness must open the derived ciphertext; a wrong key is
        // refused.
        assert!(matches!(
            DisjunctiveProof::prove_with_key(&mut t(), &key, &st, 1, &nonce, &mut rng),
            Err(Error::InvalidParameter { .. })
        ));
        let other_key = EncryptionKey::new(PublicKey(RistrettoPoint::random(&mut rng)));
        assert!(matches!(
            DisjunctiveProof::prove_with_key(&mut t(), &other_key, &st, 0, &nonce, &mut rng),
            Err(Error::InvalidParameter { .. })
        ));
        // No parts, or a derived α = O, are refused.
        let empty = ComplementStatement { parts: &[], ..st };
        assert!(matches!(
            proof.verify_statement(&mut t(), &empty),
            Err(Error::InvalidParameter { .. })
        ));
        let zero = [[EncodedPoint::new(RistrettoPoint::identity()), pk]];
        assert_eq!(
            proof.verify_statement(&mut t(), &ComplementStatement { parts: &zero, ..st }),
            Err(Error::IdentityPoint)
        );

        // Batched with the parts' own proofs in one group: 4 commitments
        // per proof and each part's α, β once, plus G and PK.
        let part_proofs: Vec<DisjunctiveProof> = [0usize, 1]
            .iter()
            .zip(&nonces)
            .zip(&parts)
            .map(|((v, r), [alpha, beta])| {
                let st = DisjunctiveStatement {
                    pk,
                    alpha: *alpha,
                    beta: *beta,
                    allowed: &[0, 1],
                };
                DisjunctiveProof::prove_with_key(&mut t(), &key, &st, *v, r, &mut rng).unwrap()
            })
            .collect();
        let queue_all =
            |ctx: &mut BatchContext, rng: &mut ChaCha20Rng, last: &ComplementStatement| {
                for (p, [alpha, beta]) in part_proofs.iter().zip(&parts) {
                    let st = DisjunctiveStatement {
                        pk,
                        alpha: *alpha,
                        beta: *beta,
                        allowed: &[0, 1],
                    };
                    p.queue_in(ctx, &mut t(), &st, rng).unwrap();
                }
                proof.queue_in(ctx, &mut t(), last, rng).unwrap();
            };
        let mut ctx = BatchContext::new();
        ctx.merged(|ctx| queue_all(ctx, &mut rng, &st));
        assert_eq!(ctx.len(), 3 * 4 + 2 * 2 + 2);
        assert!(ctx.verify());
        let mut unmerged = BatchContext::new();
        queue_all(&mut unmerged, &mut rng, &st);
        assert_eq!(unmerged.len(), 3 * 4 + 2 * 2 + 2 * 2 + 2);
        assert!(unmerged.verify());
        let mut bad = BatchContext::new();
        bad.merged(|ctx| queue_all(ctx, &mut rng, &other));
        assert!(!bad.verify());
    }
}
