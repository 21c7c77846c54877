//! Encrypted ballots, their validity proofs and single-ballot verification
//! (spec/ballot.md §2–§3, §6).

use alloc::string::String;
use alloc::vec::Vec;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};

use super::cast::{BallotSecrets, CastBallot, PendingBallot};
use super::code::tagged_hash;
use super::manifest::ContestKind;
use super::plaintext::PlaintextBallot;
use super::score::{ScoreProof, MIN_SCORE_PROOF_LEN};
use super::transcript::{option_transcript, prove_shared, shared_challenge};
use super::{allowed_up_to, BallotBatch, BallotId, Election};
use crate::elgamal::{Ciphertext, Nonce, CIPHERTEXT_LEN, CIPHERTEXT_VERSION};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer, ELEMENT_LEN};
use crate::error::{Error, Result};
use crate::proofs::{ComplementStatement, DisjunctiveProof, DisjunctiveStatement, EncodedPoint};

const BALLOT_HASH_DOMAIN: &[u8] = b"kleroterion/v1/ballot";
/// Allowed values of one option of a motion, 1-of-n or approval contest.
const ZERO_ONE: [u64; 2] = [0, 1];
/// Minimum encoded size of a disjunctive proof (header, count, one branch:
/// two points and a response, no stored challenge), for allocation guards.
const MIN_DISJUNCTIVE_LEN: usize = 2 + 4 + 3 * 32;

/// The validity proofs of one contest (spec/ballot.md §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContestProofs {
    /// Approval: per option a disjunctive proof that the ciphertext
    /// encrypts 0 or 1, and a disjunctive proof that the sum of the option
    /// ciphertexts encrypts a value in `0..=L`.
    Selection {
        /// One proof per option, in option order.
        options: Vec<DisjunctiveProof>,
        /// The proof on the homomorphic sum of the options.
        sum: DisjunctiveProof,
    },
    /// Score: per option a [`ScoreProof`] (bulletproof + link).
    Score(Vec<ScoreProof>),
    /// Motion and 1-of-n (exactly one selected): the last option's
    /// ciphertext is not transmitted but defined as `(O, G)` minus the
    /// others (spec/ballot.md §2.3), so the options sum to 1 by
    /// construction; per option a disjunctive proof that its ciphertext
    /// encrypts 0 or 1, the last one over a
    /// [`ComplementStatement`](crate::proofs::ComplementStatement).
    ExactlyOne(Vec<DisjunctiveProof>),
}

/// Whether a contest of `kind` transmits all but its last option's
/// ciphertext (exactly-one contests, spec/ballot.md §2.3).
pub(crate) fn has_implicit_option(kind: ContestKind) -> bool {
    matches!(kind, ContestKind::Motion | ContestKind::OneOfN)
}

/// One contest of an encrypted ballot: one ciphertext per option and the
/// proofs that the selections are valid for the contest's kind.
#[derive(Clone, Debug)]
pub struct EncryptedContest {
    pub(crate) contest_id: String,
    /// One per option, the implicit last one of an exactly-one contest
    /// included (derived from the others at decoding or encryption).
    pub(crate) ciphertexts: Vec<Ciphertext>,
    /// `(α, β)` of each *transmitted* ciphertext with its canonical
    /// encoding, kept from decoding or computed once at encryption, for the
    /// transcripts and the encoding.
    pub(crate) encoded: Vec<[EncodedPoint; 2]>,
    pub(crate) proofs: ContestProofs,
}

/// Encodes each ciphertext's points once.
pub(crate) fn encode_ciphertexts(cts: &[Ciphertext]) -> Vec<[EncodedPoint; 2]> {
    cts.iter()
        .map(|ct| [EncodedPoint::new(ct.alpha), EncodedPoint::new(ct.beta)])
        .collect()
}

/// Equality of contest id, ciphertexts and proofs (`encoded` is derived).
impl PartialEq for EncryptedContest {
    fn eq(&self, other: &Self) -> bool {
        self.contest_id == other.contest_id
            && self.ciphertexts == other.ciphertexts
            && self.proofs == other.proofs
    }
}

impl Eq for EncryptedContest {}

impl EncryptedContest {
    /// The contest id this part of the ballot claims to answer.
    pub fn contest_id(&self) -> &str {
        &self.contest_id
    }

    /// One ciphertext per option, in option order (in an exactly-one
    /// contest the last one is derived from the others, spec/ballot.md
    /// §2.3).
    pub fn ciphertexts(&self) -> &[Ciphertext] {
        &self.ciphertexts
    }

    /// The validity proofs.
    pub fn proofs(&self) -> &ContestProofs {
        &self.proofs
    }
}

/// An encrypted ballot: a unique id and, per contest of the manifest, the
/// encrypted selections with their validity proofs (spec/ballot.md §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedBallot {
    pub(crate) id: BallotId,
    pub(crate) contests: Vec<EncryptedContest>,
}

impl EncryptedBallot {
    /// The ballot id.
    pub fn id(&self) -> &BallotId {
        &self.id
    }

    /// The encrypted contests, in manifest order.
    pub fn contests(&self) -> &[EncryptedContest] {
        &self.contests
    }

    /// `SHA3-256(LE32(21) ‖ "kleroterion/v1/ballot" ‖ encoding)`, the input
    /// of the confirmation-code chain (spec/ballot.md §4).
    pub fn hash(&self) -> [u8; 32] {
        Self::hash_encoding(&self.to_bytes())
    }

    /// The ballot hash computed from a canonical encoding.
    pub fn hash_encoding(encoded: &[u8]) -> [u8; 32] {
        tagged_hash(BALLOT_HASH_DOMAIN, &[encoded])
    }
}

/// Position of the secret value `v` in `allowed`, which is always a run of
/// consecutive integers (`[0, 1]`, `[1]`, `[0, …, L]`): computed as
/// `v − allowed[0]` rather than by searching, so that its timing does not
/// depend on the vote. Fails only for a selection outside the list.
fn index_of(allowed: &[u64], v: u64) -> Result<usize> {
    allowed
        .first()
        .and_then(|first| v.checked_sub(*first))
        .and_then(|d| usize::try_from(d).ok())
        .filter(|&i| i < allowed.len())
        .ok_or(Error::InvalidParameter {
            what: "selection outside the allowed values",
        })
}

impl Election {
    /// Encrypts a ballot and proves it valid (spec/ballot.md §3).
    ///
    /// The plaintext is first validated against the manifest
    /// ([`PlaintextBallot::validate`]): a ballot with too many selections, a
    /// score above the maximum, or missing/extra/reordered contests is
    /// rejected here with [`Error::InvalidParameter`] or
    /// [`Error::LengthMismatch`]. Each option gets a fresh random nonce.
    pub fn encrypt<R: RngCore + CryptoRng>(
        &self,
        plaintext: PlaintextBallot,
        rng: &mut R,
    ) -> Result<PendingBallot> {
        plaintext.validate(self.manifest())?;
        let id = *plaintext.id();
        let mut contests = Vec::with_capacity(plaintext.contests().len());
        let mut all_nonces = Vec::with_capacity(plaintext.contests().len());
        for (index, (contest, selections)) in self
            .manifest()
            .contests()
            .iter()
            .zip(plaintext.contests())
            .enumerate()
        {
            let values = selections.values();
            let implicit = has_implicit_option(contest.kind());
            let transmitted = if implicit {
                values.len().saturating_sub(1)
            } else {
                values.len()
            };
            let mut nonces: Vec<Nonce> = (0..transmitted).map(|_| Nonce::random(rng)).collect();
            let mut ciphertexts: Vec<Ciphertext> = values
                .iter()
                .zip(&nonces)
                .map(|(v, r)| {
                    self.key
                        .encrypt_with_nonce(&Scalar::from(*v), r.as_scalar())
                })
                .collect();
            let encoded = encode_ciphertexts(&ciphertexts);
            if implicit {
                // The last option: (O, G) minus the others, with nonce
                // minus the sum of theirs (spec/ballot.md §2.3).
                let sum: Nonce = nonces.iter().sum();
                nonces.push(&sum * &-Scalar::ONE);
                ciphertexts.push(Ciphertext::complement(1, ciphertexts.iter().copied()));
            }
            let base = self.contest_transcript(index, &id, &encoded)?;
            // The first moves of the {0,1} proofs of all transmitted
            // options; the contest's proofs share one challenge
            // (spec/ballot.md §3.1).
            let transmitted_commitments = |rng: &mut R| {
                values
                    .iter()
                    .zip(&nonces)
                    .zip(&encoded)
                    .map(|((v, r), ct)| {
                        DisjunctiveProof::commit_own_encryption(
                            &base,
                            &self.key,
                            &self.option_statement(ct),
                            index_of(&ZERO_ONE, *v)?,
                            r.as_scalar(),
                            rng,
                        )
                    })
                    .collect::<Result<Vec<_>>>()
            };
            let proofs = match contest.kind() {
                ContestKind::Score { max } => {
                    let gens = self.score_gens()?;
                    let proofs = values
                        .iter()
                        .zip(&nonces)
                        .zip(&ciphertexts)
                        .enumerate()
                        .map(|(i, ((v, r), ct))| {
                            let mut t = option_transcript(&base, i);
                            ScoreProof::prove(&mut t, gens, &self.pk, ct, max, *v, r, rng)
                        })
                        .collect::<Result<Vec<_>>>()?;
                    ContestProofs::Score(proofs)
                }
                ContestKind::Approval { limit } => {
                    let mut commitments = transmitted_commitments(rng)?;
                    let total_ct: Ciphertext = ciphertexts.iter().sum();
                    let total_nonce: Nonce = nonces.iter().sum();
                    let total: u64 = values.iter().sum();
                    let allowed = allowed_up_to(limit);
                    commitments.push(DisjunctiveProof::commit_own_encryption(
                        &base,
                        &self.key,
                        &self.sum_statement(&total_ct, &allowed),
                        index_of(&allowed, total)?,
                        total_nonce.as_scalar(),
                        rng,
                    )?);
                    let mut options = prove_shared(base, commitments);
                    let sum = options.pop().ok_or(Error::InvalidParameter {
                        what: "contest without options",
                    })?;
                    ContestProofs::Selection { options, sum }
                }
                ContestKind::Motion | ContestKind::OneOfN => {
                    let mut commitments = transmitted_commitments(rng)?;
                    let (last_value, last_nonce) =
                        values
                            .last()
                            .zip(nonces.last())
                            .ok_or(Error::InvalidParameter {
                                what: "contest without options",
                            })?;
                    commitments.push(DisjunctiveProof::commit_own_encryption(
                        &base,
                        &self.key,
                        &self.last_option_statement(&encoded),
                        index_of(&ZERO_ONE, *last_value)?,
                        last_nonce.as_scalar(),
                        rng,
                    )?);
                    ContestProofs::ExactlyOne(prove_shared(base, commitments))
                }
            };
            contests.push(EncryptedContest {
                contest_id: String::from(contest.id()),
                ciphertexts,
                encoded,
                proofs,
            });
            all_nonces.push(nonces);
        }
        Ok(PendingBallot {
            ballot: EncryptedBallot { id, contests },
            secrets: BallotSecrets {
                plaintext,
                nonces: all_nonces,
            },
        })
    }

    /// Verifies one ballot against the election (spec/ballot.md §6): every
    /// contest of the manifest present once, in order, with the manifest's
    /// contest id (an unknown or missing contest fails with
    /// [`Error::InvalidParameter`] / [`Error::LengthMismatch`]); one
    /// ciphertext per option with `α ≠ O`; proofs of the contest's kind that
    /// verify under the ballot's context. `rng` draws batch weights.
    pub fn verify<R: RngCore + CryptoRng>(
        &self,
        ballot: &EncryptedBallot,
        rng: &mut R,
    ) -> Result<()> {
        let mut batch = self.new_batch(1);
        self.queue(ballot, &mut batch, rng)?;
        if batch.verify() {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: "ballot" })
        }
    }

    /// Verifies a submitted ballot and marks it as cast: the only way to
    /// obtain a [`CastBallot`] for the tally.
    pub fn verify_cast<R: RngCore + CryptoRng>(
        &self,
        ballot: EncryptedBallot,
        rng: &mut R,
    ) -> Result<CastBallot> {
        self.verify(&ballot, rng)?;
        Ok(self.mark_cast(ballot))
    }

    pub(crate) fn mark_cast(&self, ballot: EncryptedBallot) -> CastBallot {
        CastBallot {
            ballot,
            manifest_hash: *self.manifest().hash(),
        }
    }

    /// The statement of a transmitted option's proof: `ct` encrypts 0 or 1
    /// (spec/ballot.md §3.2). Prover and verifier both take it from here.
    pub(crate) fn option_statement(
        &self,
        [alpha, beta]: &[EncodedPoint; 2],
    ) -> DisjunctiveStatement<'static, EncodedPoint> {
        DisjunctiveStatement {
            pk: self.pk_encoded,
            alpha: *alpha,
            beta: *beta,
            allowed: &ZERO_ONE,
        }
    }

    /// The statement of an exactly-one contest's derived last option: the
    /// complement of the transmitted `parts` with respect to 1 encrypts 0
    /// or 1 (spec/ballot.md §2.3, §3.2).
    fn last_option_statement<'p>(&self, parts: &'p [[EncodedPoint; 2]]) -> ComplementStatement<'p> {
        ComplementStatement {
            pk: self.pk_encoded,
            total: 1,
            parts,
            allowed: &ZERO_ONE,
        }
    }

    /// The statement of an approval contest's sum proof: the homomorphic
    /// sum `total` of the options encrypts one of `allowed` (`0..=L`,
    /// spec/ballot.md §3.2).
    fn sum_statement<'a>(
        &self,
        total: &Ciphertext,
        allowed: &'a [u64],
    ) -> DisjunctiveStatement<'a, EncodedPoint> {
        DisjunctiveStatement {
            pk: self.pk_encoded,
            alpha: EncodedPoint::new(total.alpha),
            beta: EncodedPoint::new(total.beta),
            allowed,
        }
    }

    /// Checks the structure of `ballot` and queues all its proofs'
    /// verification equations into `batch`. Score bulletproofs are verified
    /// here directly.
    pub(crate) fn queue<R: RngCore + CryptoRng>(
        &self,
        ballot: &EncryptedBallot,
        batch: &mut BallotBatch,
        rng: &mut R,
    ) -> Result<()> {
        let manifest = self.manifest();
        if ballot.contests.len() != manifest.contests().len() {
            return Err(Error::LengthMismatch {
                what: "ballot contests",
                expected: manifest.contests().len(),
                actual: ballot.contests.len(),
            });
        }
        for (index, (contest, ec)) in manifest.contests().iter().zip(&ballot.contests).enumerate() {
            if ec.contest_id != contest.id() {
                return Err(Error::InvalidParameter {
                    what: "ballot contest id does not match the manifest",
                });
            }
            let k = contest.options().len();
            if ec.ciphertexts.len() != k {
                return Err(Error::LengthMismatch {
                    what: "contest ciphertexts",
                    expected: k,
                    actual: ec.ciphertexts.len(),
                });
            }
            let implicit = has_implicit_option(contest.kind());
            let transmitted = if implicit { k.saturating_sub(1) } else { k };
            if ec.encoded.len() != transmitted {
                return Err(Error::LengthMismatch {
                    what: "contest transmitted ciphertexts",
                    expected: transmitted,
                    actual: ec.encoded.len(),
                });
            }
            // α ≠ O for every transmitted ciphertext, by its encoding (the
            // derived one of an exactly-one contest is checked by its
            // complement statement).
            if ec.encoded.iter().any(|[alpha, _]| alpha.is_identity()) {
                return Err(Error::IdentityPoint);
            }
            let base = self.contest_transcript(index, &ballot.id, &ec.encoded)?;
            match (&ec.proofs, contest.kind()) {
                (ContestProofs::Score(proofs), ContestKind::Score { max }) => {
                    check_count(proofs.len(), k)?;
                    let gens = self.score_gens()?;
                    for (i, (p, ct)) in proofs.iter().zip(&ec.encoded).enumerate() {
                        let mut t = option_transcript(&base, i);
                        p.queue(&mut t, gens, &self.pk_encoded, ct, max, batch, rng)?;
                    }
                }
                (ContestProofs::Selection { options, sum }, ContestKind::Approval { limit }) => {
                    check_count(options.len(), k)?;
                    let c = shared_challenge(base, options.iter().chain([sum]));
                    for (p, ct) in options.iter().zip(&ec.encoded) {
                        p.queue_challenged(&mut batch.ctx, &self.option_statement(ct), c, rng)?;
                    }
                    let total: Ciphertext = ec.ciphertexts.iter().sum();
                    let allowed = allowed_up_to(limit);
                    let statement = self.sum_statement(&total, &allowed);
                    sum.queue_challenged(&mut batch.ctx, &statement, c, rng)?;
                }
                (ContestProofs::ExactlyOne(proofs), kind) if has_implicit_option(kind) => {
                    check_count(proofs.len(), k)?;
                    let (last, options) = proofs.split_last().ok_or(Error::InvalidParameter {
                        what: "contest without options",
                    })?;
                    let complement = self.last_option_statement(&ec.encoded);
                    let c = shared_challenge(base, proofs);
                    // One group: each transmitted ciphertext is one term for
                    // its own proof and the complement's.
                    batch.ctx.merged(|ctx| {
                        for (p, ct) in options.iter().zip(&ec.encoded) {
                            p.queue_challenged(ctx, &self.option_statement(ct), c, rng)?;
                        }
                        last.queue_challenged(ctx, &complement, c, rng)
                    })?;
                }
                _ => {
                    return Err(Error::InvalidParameter {
                        what: "contest proofs do not match the contest kind",
                    })
                }
            }
        }
        Ok(())
    }
}

fn check_count(actual: usize, expected: usize) -> Result<()> {
    if actual == expected {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what: "contest proofs",
            expected,
            actual,
        })
    }
}

impl Encode for EncryptedContest {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::EncryptedContest, 1);
        w.bytes(self.contest_id.as_bytes());
        // Ciphertexts as in elgamal.md, from the kept encodings (no
        // compression).
        w.len(self.encoded.len());
        for [alpha, beta] in &self.encoded {
            w.header(Tag::Ciphertext, CIPHERTEXT_VERSION);
            w.raw(alpha.encoding().as_bytes());
            w.raw(beta.encoding().as_bytes());
        }
        match &self.proofs {
            ContestProofs::Selection { options, sum } => {
                w.u8(0);
                for p in options {
                    p.encode(w);
                }
                sum.encode(w);
            }
            ContestProofs::Score(proofs) => {
                w.u8(1);
                for p in proofs {
                    p.encode(w);
                }
            }
            ContestProofs::ExactlyOne(proofs) => {
                w.u8(2);
                for p in proofs {
                    p.encode(w);
                }
            }
        }
    }
}

impl Decode for EncryptedContest {
    const NAME: &'static str = "encrypted contest";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::EncryptedContest, &[1], Self::NAME)?;
        let contest_id = String::from_utf8(r.bytes("contest id")?.to_vec()).map_err(|_| {
            Error::InvalidParameter {
                what: "contest id is not UTF-8",
            }
        })?;
        let k = r.len(CIPHERTEXT_LEN, "contest ciphertexts")?;
        // Ciphertexts as in elgamal.md, keeping each point's encoding.
        let encoded = (0..k)
            .map(|_| {
                r.header(Tag::Ciphertext, &[CIPHERTEXT_VERSION], Ciphertext::NAME)?;
                Ok([read_point(r)?, read_point(r)?])
            })
            .collect::<Result<Vec<_>>>()?;
        let mut ciphertexts: Vec<Ciphertext> = encoded
            .iter()
            .map(|[alpha, beta]| Ciphertext {
                alpha: *alpha.point(),
                beta: *beta.point(),
            })
            .collect();
        let proofs = match r.u8("contest proof kind")? {
            0 => {
                // Guard: k option proofs and the sum proof must fit.
                guard(r, k.saturating_add(1), MIN_DISJUNCTIVE_LEN)?;
                let options = (0..k)
                    .map(|_| DisjunctiveProof::decode(r))
                    .collect::<Result<Vec<_>>>()?;
                let sum = DisjunctiveProof::decode(r)?;
                ContestProofs::Selection { options, sum }
            }
            1 => {
                guard(r, k, MIN_SCORE_PROOF_LEN)?;
                ContestProofs::Score(
                    (0..k)
                        .map(|_| ScoreProof::decode(r))
                        .collect::<Result<Vec<_>>>()?,
                )
            }
            2 => {
                // Exactly one: k transmitted ciphertexts, k + 1 option
                // proofs, the last option's ciphertext derived.
                let proofs = k.saturating_add(1);
                guard(r, proofs, MIN_DISJUNCTIVE_LEN)?;
                let proofs = (0..proofs)
                    .map(|_| DisjunctiveProof::decode(r))
                    .collect::<Result<Vec<_>>>()?;
                ciphertexts.push(Ciphertext::complement(1, ciphertexts.iter().copied()));
                ContestProofs::ExactlyOne(proofs)
            }
            _ => {
                return Err(Error::InvalidParameter {
                    what: "unknown contest proof kind",
                })
            }
        };
        Ok(EncryptedContest {
            contest_id,
            ciphertexts,
            encoded,
            proofs,
        })
    }
}

fn read_point(r: &mut Reader<'_>) -> Result<EncodedPoint> {
    EncodedPoint::from_bytes(r.take(ELEMENT_LEN, "point")?)
}

/// Fails before allocating unless `count` items of `min_len` bytes fit.
fn guard(r: &Reader<'_>, count: usize, min_len: usize) -> Result<()> {
    match count.checked_mul(min_len) {
        Some(n) if n <= r.remaining() => Ok(()),
        _ => Err(Error::UnexpectedEnd {
            what: "contest proofs",
        }),
    }
}

impl Encode for EncryptedBallot {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::EncryptedBallot, 1);
        self.id.encode(w);
        w.len(self.contests.len());
        for c in &self.contests {
            c.encode(w);
        }
    }
}

impl Decode for EncryptedBallot {
    const NAME: &'static str = "encrypted ballot";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::EncryptedBallot, &[1], Self::NAME)?;
        let id = BallotId::decode(r)?;
        // A contest is at least header, id length, count and proof kind.
        let n = r.len(2 + 4 + 4 + 1, "ballot contests")?;
        let contests = (0..n)
            .map(|_| EncryptedContest::decode(r))
            .collect::<Result<Vec<_>>>()?;
        Ok(EncryptedBallot { id, contests })
    }
}

crate::impl_serde_via_encoding!(EncryptedContest);
crate::impl_serde_via_encoding!(EncryptedBallot);
