//! Homomorphic tallies as mergeable accumulators (spec/tally.md).
//!
//! A [`TallyAccumulator`] holds, for every option of every contest, the sum
//! of the cast ballots' ciphertexts, and the number of ballots summed. Adding
//! a ballot and merging two accumulators are component-wise group additions,
//! so merging is associative and commutative: shards of the ballot list are
//! verified and summed independently — on rayon threads
//! ([`TallyAccumulator::add_all`]) or on many machines — and merged in any
//! order into the same total (spec/tally.md §2).
//!
//! Decryption of the totals yields `count·G` per option; counts are recovered
//! with a baby-step giant-step table sized from the manifest: the number of
//! ballots times the largest value one ballot may give one option
//! (spec/tally.md §3). Decryption either uses one [`SecretKey`] directly or
//! any other source of `m·G` (e.g. combined threshold partial decryptions)
//! through [`TallyAccumulator::decrypt_with`]. For a motion, [`MotionOutcome`]
//! applies the majority rule of spec/tally.md §4.
//!
//! # Example
//!
//! ```
//! use kleroterion::ballot::{BallotId, Contest, Election, Manifest, MotionVote, PlaintextBallot, PlaintextContest};
//! use kleroterion::elgamal::SecretKey;
//! use kleroterion::parallel::Parallelism;
//! use kleroterion::tally::TallyAccumulator;
//! use rand_core::OsRng;
//!
//! let sk = SecretKey::generate(&mut OsRng); // in practice: a threshold key (trustees)
//! let manifest = Manifest::new("assembly-7/remedy", vec![Contest::motion("remedy")])?;
//! let election = Election::new(manifest, sk.public_key());
//! let submitted = [MotionVote::Yes, MotionVote::No, MotionVote::Yes, MotionVote::Abstain]
//!     .into_iter()
//!     .map(|vote| {
//!         let contest = PlaintextContest::motion("remedy", vote);
//!         let plain = PlaintextBallot::new(BallotId::random(&mut OsRng), vec![contest]);
//!         Ok(election.encrypt(plain, &mut OsRng)?.cast())
//!     })
//!     .collect::<kleroterion::Result<Vec<_>>>()?;
//! let cast = election.verify_cast_batch(submitted, &mut OsRng)?;
//!
//! // Two shards summed apart (threads, machines), merged in any order.
//! let (first, rest) = cast.split_at(1);
//! let mut left = TallyAccumulator::new(election.manifest());
//! left.add_all(first)?;
//! let mut total = TallyAccumulator::new(election.manifest());
//! total.add_all_with(rest, Parallelism::Sequential)?;
//! total.merge(&left)?;
//!
//! let result = total.decrypt(election.manifest(), &sk)?;
//! let motion = result.contest("remedy").and_then(|c| c.motion()).unwrap();
//! assert_eq!((result.ballots(), motion.yes, motion.no, motion.abstain), (4, 2, 1, 1));
//! assert!(motion.passes);
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use curve25519_dalek::ristretto::RistrettoPoint;

use crate::ballot::{CastBallot, ContestKind, Manifest, MOTION_ABSTAIN, MOTION_NO, MOTION_YES};
use crate::civic::VoteResult;
use crate::elgamal::{Ciphertext, DlogTable, SecretKey};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::parallel::Parallelism;

/// Encoded size of one ciphertext (header and two points).
const CIPHERTEXT_LEN: usize = crate::elgamal::CIPHERTEXT_LEN;

/// The encrypted running totals of an election (spec/tally.md §1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyAccumulator {
    manifest_hash: [u8; 32],
    ballots: u64,
    /// `sums[c][o]`: sum of the ciphertexts of option `o` of contest `c`.
    sums: Vec<Vec<Ciphertext>>,
}

impl TallyAccumulator {
    /// The empty tally of `manifest`: every sum is [`Ciphertext::zero`].
    pub fn new(manifest: &Manifest) -> Self {
        TallyAccumulator {
            manifest_hash: *manifest.hash(),
            ballots: 0,
            sums: manifest
                .contests()
                .iter()
                .map(|c| alloc::vec![Ciphertext::zero(); c.options().len()])
                .collect(),
        }
    }

    /// The hash of the manifest this tally belongs to.
    pub fn manifest_hash(&self) -> &[u8; 32] {
        &self.manifest_hash
    }

    /// Number of ballots summed.
    pub fn ballots(&self) -> u64 {
        self.ballots
    }

    /// The encrypted totals, `sums()[c][o]` for option `o` of contest `c`.
    pub fn sums(&self) -> &[Vec<Ciphertext>] {
        &self.sums
    }

    /// Adds one verified ballot. Fails with [`Error::InvalidParameter`] if it
    /// was verified under another manifest.
    pub fn add(&mut self, ballot: &CastBallot) -> Result<()> {
        if ballot.manifest_hash() != &self.manifest_hash {
            return Err(Error::InvalidParameter {
                what: "ballot was verified under another manifest",
            });
        }
        let contests = ballot.ballot().contests();
        check_shape(&self.sums, contests.iter().map(|c| c.ciphertexts().len()))?;
        for (sums, contest) in self.sums.iter_mut().zip(contests) {
            for (s, ct) in sums.iter_mut().zip(contest.ciphertexts()) {
                *s += ct;
            }
        }
        self.ballots = self.ballots.checked_add(1).ok_or(Error::InvalidParameter {
            what: "ballot count overflow",
        })?;
        Ok(())
    }

    /// Adds many verified ballots; with the `rayon` feature the ballots are
    /// summed in parallel chunks and merged (the result is the same).
    pub fn add_all(&mut self, ballots: &[CastBallot]) -> Result<()> {
        self.add_all_with(ballots, Parallelism::default())
    }

    /// [`add_all`](Self::add_all) with the given [`Parallelism`]: the
    /// ballots are summed in chunks of 256 into partial tallies, merged in
    /// chunk order; group addition makes the total independent of the
    /// chunking and of the threads. On error (a ballot of another shape)
    /// nothing is added.
    pub fn add_all_with(&mut self, ballots: &[CastBallot], parallelism: Parallelism) -> Result<()> {
        let empty = TallyAccumulator {
            manifest_hash: self.manifest_hash,
            ballots: 0,
            sums: self
                .sums
                .iter()
                .map(|s| alloc::vec![Ciphertext::zero(); s.len()])
                .collect(),
        };
        let chunks: Vec<&[CastBallot]> = ballots.chunks(256).collect();
        let partial = parallelism.map(&chunks, |_, chunk| {
            let mut acc = empty.clone();
            chunk.iter().try_for_each(|b| acc.add(b)).map(|()| acc)
        });
        // All or nothing: `self` changes only if every ballot is added.
        let mut total = empty;
        for p in partial {
            total.merge(&p?)?;
        }
        self.merge(&total)
    }

    /// Merges another shard's tally into this one. Fails with
    /// [`Error::InvalidParameter`] if the manifests differ and with
    /// [`Error::LengthMismatch`] if the shapes do.
    pub fn merge(&mut self, other: &TallyAccumulator) -> Result<()> {
        if other.manifest_hash != self.manifest_hash {
            return Err(Error::InvalidParameter {
                what: "tallies of different manifests cannot be merged",
            });
        }
        check_shape(&self.sums, other.sums.iter().map(Vec::len))?;
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.ballots = self
            .ballots
            .checked_add(other.ballots)
            .ok_or(Error::InvalidParameter {
                what: "ballot count overflow",
            })?;
        Ok(())
    }

    /// Checks that this tally has the manifest's hash and shape (a decoded
    /// tally is only checked against a manifest here).
    pub fn check_manifest(&self, manifest: &Manifest) -> Result<()> {
        if manifest.hash() != &self.manifest_hash {
            return Err(Error::InvalidParameter {
                what: "tally belongs to another manifest",
            });
        }
        check_shape(
            &self.sums,
            manifest.contests().iter().map(|c| c.options().len()),
        )
    }

    /// The exclusive discrete-log bound for this tally: `ballots ×` the
    /// largest per-option value of any contest, plus one (spec/tally.md §3).
    pub fn dlog_bound(&self, manifest: &Manifest) -> Result<u64> {
        let max = manifest
            .contests()
            .iter()
            .map(|c| c.kind().max_per_option())
            .max()
            .unwrap_or(1);
        self.ballots
            .checked_mul(max)
            .and_then(|b| b.checked_add(1))
            .ok_or(Error::InvalidParameter {
                what: "tally bound overflows u64",
            })
    }

    /// Decrypts the totals with the election secret key.
    pub fn decrypt(&self, manifest: &Manifest, sk: &SecretKey) -> Result<TallyResult> {
        self.decrypt_with(manifest, |_, _, ct| Ok(sk.decrypt_to_point(ct)))
    }

    /// Decrypts the totals given any decryption oracle `m·G = f(c, o, ct)`
    /// for option `o` of contest `c` — e.g. a Lagrange combination of
    /// threshold partial decryptions whose proofs the caller has checked —
    /// and recovers each count with one [`DlogTable`] sized by
    /// [`dlog_bound`](Self::dlog_bound).
    ///
    /// The table and the search grow with `√(ballots × max per option)`
    /// (up to 128 MiB and minutes): call this only on a tally whose ballot
    /// count is true, such as one summed here. To check a result announced
    /// for an untrusted tally, compare `count·G` with the decryption instead
    /// (spec/tally.md §3; the record verifier does).
    pub fn decrypt_with<F>(&self, manifest: &Manifest, mut f: F) -> Result<TallyResult>
    where
        F: FnMut(usize, usize, &Ciphertext) -> Result<RistrettoPoint>,
    {
        self.check_manifest(manifest)?;
        let table = DlogTable::new(self.dlog_bound(manifest)?)?;
        let contests = manifest
            .contests()
            .iter()
            .zip(&self.sums)
            .enumerate()
            .map(|(ci, (contest, sums))| {
                // The table is sized for the largest contest; each count is
                // also bounded by its own contest (spec/tally.md §3), as the
                // record verifier's E11 bounds it (spec/record.md §4.3).
                let own = self
                    .ballots
                    .checked_mul(contest.kind().max_per_option())
                    .ok_or(Error::InvalidParameter {
                        what: "tally bound overflows u64",
                    })?;
                let counts = sums
                    .iter()
                    .enumerate()
                    .map(|(oi, ct)| match table.solve(&f(ci, oi, ct)?)? {
                        count if count <= own => Ok(count),
                        _ => Err(Error::DiscreteLogNotFound { bound: own + 1 }),
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(ContestResult {
                    contest_id: String::from(contest.id()),
                    kind: contest.kind(),
                    counts,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TallyResult {
            manifest_hash: self.manifest_hash,
            ballots: self.ballots,
            contests,
        })
    }
}

fn check_shape(sums: &[Vec<Ciphertext>], lens: impl ExactSizeIterator<Item = usize>) -> Result<()> {
    if lens.len() != sums.len() {
        return Err(Error::LengthMismatch {
            what: "tally contests",
            expected: sums.len(),
            actual: lens.len(),
        });
    }
    for (s, k) in sums.iter().zip(lens) {
        if s.len() != k {
            return Err(Error::LengthMismatch {
                what: "tally options",
                expected: s.len(),
                actual: k,
            });
        }
    }
    Ok(())
}

impl Encode for TallyAccumulator {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::TallyAccumulator, 1);
        w.raw(&self.manifest_hash);
        w.u64(self.ballots);
        w.len(self.sums.len());
        for s in &self.sums {
            w.len(s.len());
            for ct in s {
                ct.encode(w);
            }
        }
    }
}

impl Decode for TallyAccumulator {
    const NAME: &'static str = "tally accumulator";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::TallyAccumulator, &[1], Self::NAME)?;
        let manifest_hash = r.array("manifest hash")?;
        let ballots = r.u64("ballot count")?;
        let n = r.len(4, "tally contests")?;
        let sums = (0..n)
            .map(|_| {
                let k = r.len(CIPHERTEXT_LEN, "tally options")?;
                (0..k).map(|_| Ciphertext::decode(r)).collect()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TallyAccumulator {
            manifest_hash,
            ballots,
            sums,
        })
    }
}

crate::impl_serde_via_encoding!(TallyAccumulator);

/// The decrypted counts of one contest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestResult {
    contest_id: String,
    kind: ContestKind,
    counts: Vec<u64>,
}

impl ContestResult {
    /// The contest id.
    pub fn contest_id(&self) -> &str {
        &self.contest_id
    }

    /// The contest kind.
    pub fn kind(&self) -> ContestKind {
        self.kind
    }

    /// Per option: the number of selections (motion, 1-of-n, approval) or
    /// the sum of scores (score).
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// For a motion, its yes/no/abstain counts and outcome; `None` for
    /// other kinds.
    pub fn motion(&self) -> Option<MotionOutcome> {
        if self.kind != ContestKind::Motion {
            return None;
        }
        let get = |i: usize| self.counts.get(i).copied();
        let (yes, no, abstain) = (get(MOTION_YES)?, get(MOTION_NO)?, get(MOTION_ABSTAIN)?);
        Some(MotionOutcome {
            yes,
            no,
            abstain,
            passes: yes > no,
        })
    }
}

/// The result of a motion (spec/tally.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MotionOutcome {
    /// Ballots for.
    pub yes: u64,
    /// Ballots against.
    pub no: u64,
    /// Abstentions.
    pub abstain: u64,
    /// Simple majority of the votes cast for or against: `yes > no`.
    /// Abstentions count for neither side; a tie fails.
    pub passes: bool,
}

impl MotionOutcome {
    /// The counts as a [`crate::civic::VoteResult`], to advance a motion's
    /// life cycle (spec/civic.md §4), which applies the same majority rule.
    /// Fails with [`Error::InvalidParameter`] if a count exceeds `u32`.
    pub fn vote_result(&self) -> Result<VoteResult> {
        let narrow = |n: u64| {
            u32::try_from(n).map_err(|_| Error::InvalidParameter {
                what: "motion count exceeds u32",
            })
        };
        Ok(VoteResult {
            yes: narrow(self.yes)?,
            no: narrow(self.no)?,
            abstain: narrow(self.abstain)?,
        })
    }
}

/// The decrypted tally of an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyResult {
    manifest_hash: [u8; 32],
    ballots: u64,
    contests: Vec<ContestResult>,
}

impl TallyResult {
    /// The hash of the manifest.
    pub fn manifest_hash(&self) -> &[u8; 32] {
        &self.manifest_hash
    }

    /// Number of ballots tallied.
    pub fn ballots(&self) -> u64 {
        self.ballots
    }

    /// Per-contest results, in manifest order.
    pub fn contests(&self) -> &[ContestResult] {
        &self.contests
    }

    /// The result of the contest with the given id.
    pub fn contest(&self, id: &str) -> Option<&ContestResult> {
        self.contests.iter().find(|c| c.contest_id == id)
    }
}

impl Encode for TallyResult {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::TallyResult, 1);
        w.raw(&self.manifest_hash);
        w.u64(self.ballots);
        w.len(self.contests.len());
        for c in &self.contests {
            w.bytes(c.contest_id.as_bytes());
            c.kind.encode(w);
            w.len(c.counts.len());
            for n in &c.counts {
                w.u64(*n);
            }
        }
    }
}

impl Decode for TallyResult {
    const NAME: &'static str = "tally result";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::TallyResult, &[1], Self::NAME)?;
        let manifest_hash = r.array("manifest hash")?;
        let ballots = r.u64("ballot count")?;
        let n = r.len(9, "result contests")?;
        let contests = (0..n)
            .map(|_| {
                let contest_id =
                    String::from_utf8(r.bytes("contest id")?.to_vec()).map_err(|_| {
                        Error::InvalidParameter {
                            what: "contest id is not UTF-8",
                        }
                    })?;
                let kind = ContestKind::decode(r)?;
                let k = r.len(8, "result counts")?;
                let counts = (0..k).map(|_| r.u64("count")).collect::<Result<Vec<_>>>()?;
                Ok(ContestResult {
                    contest_id,
                    kind,
                    counts,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TallyResult {
            manifest_hash,
            ballots,
            contests,
        })
    }
}

crate::impl_serde_via_encoding!(TallyResult);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballot::tests::{mixed_ballot, mixed_election, motion_ballot, motion_election, rng};
    use crate::ballot::{BallotId, Election, MotionVote};
    use alloc::vec;
    use proptest::prelude::*;

    fn cast_motions(election: &Election, votes: &[MotionVote], seed: u64) -> Vec<CastBallot> {
        let mut r = rng(seed);
        votes
            .iter()
            .map(|v| {
                let b = election
                    .encrypt(motion_ballot(BallotId::random(&mut r), *v), &mut r)
                    .unwrap()
                    .cast();
                election.verify_cast(b, &mut r).unwrap()
            })
            .collect()
    }

    fn vote(i: u8) -> MotionVote {
        match i % 3 {
            0 => MotionVote::Yes,
            1 => MotionVote::No,
            _ => MotionVote::Abstain,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

        /// Merging shards in any grouping and order gives the same tally as
        /// adding every ballot to one accumulator.
        #[test]
        fn merge_is_associative_and_commutative(
            votes in proptest::collection::vec(any::<u8>(), 0..9),
            cut1 in 0usize..10,
            cut2 in 0usize..10,
        ) {
            let (election, sk) = motion_election(31);
            let votes: Vec<MotionVote> = votes.into_iter().map(vote).collect();
            let cast = cast_motions(&election, &votes, 32);
            let n = cast.len();
            let (a, b) = (cut1.min(n), cut2.min(n));
            let (lo, hi) = (a.min(b), a.max(b));
            let shard = |s: &[CastBallot]| {
                let mut t = TallyAccumulator::new(election.manifest());
                s.iter().for_each(|c| t.add(c).unwrap());
                t
            };
            let (x, y, z) = (shard(&cast[..lo]), shard(&cast[lo..hi]), shard(&cast[hi..]));
            let whole = shard(&cast);
            // (x + y) + z
            let mut left = x.clone();
            left.merge(&y).unwrap();
            left.merge(&z).unwrap();
            // x + (z + y)
            let mut right = z.clone();
            right.merge(&y).unwrap();
            let mut right2 = x.clone();
            right2.merge(&right).unwrap();
            // z + y + x
            let mut rev = z;
            rev.merge(&y).unwrap();
            rev.merge(&x).unwrap();
            prop_assert_eq!(&left, &whole);
            prop_assert_eq!(&right2, &whole);
            prop_assert_eq!(&rev, &whole);
            let mut all = TallyAccumulator::new(election.manifest());
            all.add_all(&cast).unwrap();
            prop_assert_eq!(&all, &whole);
            for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
                let mut all = TallyAccumulator::new(election.manifest());
                all.add_all_with(&cast, parallelism).unwrap();
                prop_assert_eq!(&all, &whole);
            }
            let outcome = whole.decrypt(election.manifest(), &sk).unwrap().contests()[0]
                .motion()
                .unwrap();
            let count = |v| votes.iter().filter(|x| **x == v).count() as u64;
            prop_assert_eq!(
                (outcome.yes, outcome.no, outcome.abstain),
                (count(MotionVote::Yes), count(MotionVote::No), count(MotionVote::Abstain))
            );
        }
    }

    #[test]
    fn rejects_other_elections_and_shapes() {
        let (e1, _) = motion_election(33);
        let (e2, _) = mixed_election(34);
        let cast = cast_motions(&e1, &[MotionVote::Yes], 35);
        let mut t2 = TallyAccumulator::new(e2.manifest());
        assert!(matches!(
            t2.add(&cast[0]),
            Err(Error::InvalidParameter { .. })
        ));
        let t1 = TallyAccumulator::new(e1.manifest());
        assert!(matches!(t2.merge(&t1), Err(Error::InvalidParameter { .. })));
        // Same manifest hash but a different shape (a forged decoding).
        let mut forged = t2.clone();
        forged.sums.pop();
        assert!(matches!(
            t2.merge(&forged),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            forged.check_manifest(e2.manifest()),
            Err(Error::LengthMismatch { .. })
        ));
        let mut forged = t2.clone();
        forged.sums[0].pop();
        assert!(matches!(
            t2.merge(&forged),
            Err(Error::LengthMismatch { .. })
        ));
        assert!(matches!(
            t1.check_manifest(e2.manifest()),
            Err(Error::InvalidParameter { .. })
        ));
        // A ballot count that cannot be decrypted in range.
        let mut huge = t2.clone();
        huge.ballots = u64::MAX;
        assert!(matches!(
            huge.dlog_bound(e2.manifest()),
            Err(Error::InvalidParameter { .. })
        ));
        let mut over = t1.clone();
        over.ballots = u64::MAX;
        assert!(matches!(over.merge(&t1.clone()), Ok(())));
        let mut one = t1.clone();
        one.ballots = 1;
        assert!(matches!(
            over.merge(&one),
            Err(Error::InvalidParameter { .. })
        ));
    }

    #[test]
    fn decryption_counts_and_dlog_bound() {
        let (election, sk) = mixed_election(36);
        let mut r = rng(37);
        let mut tally = TallyAccumulator::new(election.manifest());
        for _ in 0..3 {
            let b = election
                .encrypt(
                    mixed_ballot(
                        BallotId::random(&mut r),
                        [vec![0, 1, 0], vec![0, 0, 1], vec![1, 0, 0, 1], vec![5, 5]],
                    ),
                    &mut r,
                )
                .unwrap()
                .cast();
            tally
                .add(&election.verify_cast(b, &mut r).unwrap())
                .unwrap();
        }
        assert_eq!(tally.dlog_bound(election.manifest()).unwrap(), 3 * 5 + 1);
        let result = tally.decrypt(election.manifest(), &sk).unwrap();
        assert_eq!(result.contest("remedy").unwrap().counts(), &[15, 15]);
        let motion = result.contest("harm").unwrap().motion().unwrap();
        assert_eq!(
            motion,
            MotionOutcome {
                yes: 0,
                no: 3,
                abstain: 0,
                passes: false
            }
        );
        assert!(result.contest("nope").is_none());
        let vote = motion.vote_result().unwrap();
        assert_eq!(vote.carries(150), Ok(motion.passes));
        let big = MotionOutcome {
            yes: u64::from(u32::MAX) + 1,
            ..motion
        };
        assert!(matches!(
            big.vote_result(),
            Err(Error::InvalidParameter { .. })
        ));
        // The wrong key gives no count within the bound.
        let wrong = SecretKey::generate(&mut r);
        assert!(matches!(
            tally.decrypt(election.manifest(), &wrong),
            Err(Error::DiscreteLogNotFound { .. })
        ));
        // A motion count above the ballot count is found below the
        // score-sized table's bound but exceeds the motion's own bound.
        let over = RistrettoPoint::mul_base(&curve25519_dalek::Scalar::from(4u64));
        assert!(matches!(
            tally.decrypt_with(election.manifest(), |c, _, ct| {
                if election.manifest().contests()[c].id() == "harm" {
                    Ok(over)
                } else {
                    Ok(sk.decrypt_to_point(ct))
                }
            }),
            Err(Error::DiscreteLogNotFound { bound: 4 })
        ));
        // An oracle error is passed through.
        assert_eq!(
            tally.decrypt_with(election.manifest(), |_, _, _| Err(Error::IdentityPoint)),
            Err(Error::IdentityPoint)
        );

        // Encodings round-trip and reject truncation.
        let bytes = tally.to_bytes();
        assert_eq!(TallyAccumulator::from_bytes(&bytes).unwrap(), tally);
        let rbytes = result.to_bytes();
        assert_eq!(TallyResult::from_bytes(&rbytes).unwrap(), result);
        for cut in 0..bytes.len() {
            assert!(TallyAccumulator::from_bytes(&bytes[..cut]).is_err());
        }
        for cut in 0..rbytes.len() {
            assert!(TallyResult::from_bytes(&rbytes[..cut]).is_err());
        }
    }

    /// Trustees n = 5, t = 3; two are absent at decryption. The totals are
    /// decrypted from three verified partial decryptions each.
    #[test]
    fn threshold_decryption_with_two_trustees_absent() {
        use crate::trustees::dkg::DkgParameters;
        use crate::trustees::simulate::run_locally;
        use crate::trustees::{combine, PartialDecryption};

        let mut r = rng(40);
        let params = DkgParameters::new(5, 3, b"assembly-7/trustees").unwrap();
        let outputs = run_locally(&params, &mut r).unwrap();
        let set = outputs[0].trustees.clone();
        let (motion, _) = motion_election(41);
        let election = Election::new(motion.manifest().clone(), *set.joint_public_key());
        let votes: Vec<MotionVote> = (0..12u8).map(vote).collect();
        let cast = cast_motions(&election, &votes, 42);
        let mut tally = TallyAccumulator::new(election.manifest());
        tally.add_all(&cast).unwrap();
        let present = [&outputs[0], &outputs[2], &outputs[4]];
        let result = tally
            .decrypt_with(election.manifest(), |_, _, ct| {
                let partials = present
                    .iter()
                    .map(|o| PartialDecryption::prove(&o.share, &set, ct, &mut r))
                    .collect::<Result<Vec<_>>>()?;
                let d = combine(&set, ct, &partials, &mut r)?;
                assert_eq!(d.used.len(), 3);
                Ok(d.plaintext)
            })
            .unwrap();
        let m = result.contests()[0].motion().unwrap();
        assert_eq!((m.yes, m.no, m.abstain, m.passes), (4, 4, 4, false));
    }

    /// Summing in chunks on rayon threads or on this thread gives the tally
    /// of adding one ballot at a time; a bad ballot adds nothing at all.
    #[test]
    fn add_all_is_the_same_with_and_without_threads() {
        let (election, _) = motion_election(33);
        let votes: Vec<MotionVote> = (0..300u16).map(|i| vote(i as u8)).collect();
        let mut cast = cast_motions(&election, &votes, 34);
        let mut one_by_one = TallyAccumulator::new(election.manifest());
        cast.iter().for_each(|c| one_by_one.add(c).unwrap());
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let mut t = TallyAccumulator::new(election.manifest());
            t.add_all_with(&cast, parallelism).unwrap();
            assert_eq!(t, one_by_one, "{parallelism:?}");
        }
        // A ballot of another shape in the second chunk.
        let (mixed, _) = mixed_election(35);
        let mut r = rng(36);
        let other = mixed
            .encrypt(
                mixed_ballot(
                    BallotId::random(&mut r),
                    [vec![1, 0, 0], vec![1, 0, 0], vec![1, 1, 0, 0], vec![2, 3]],
                ),
                &mut r,
            )
            .unwrap()
            .cast();
        cast[290] = mixed.verify_cast(other, &mut r).unwrap();
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            let mut t = one_by_one.clone();
            assert!(t.add_all_with(&cast, parallelism).is_err());
            assert_eq!(t, one_by_one, "{parallelism:?}");
        }
    }

    #[test]
    fn empty_tally_decrypts_to_zero() {
        let (election, sk) = motion_election(38);
        let tally = TallyAccumulator::new(election.manifest());
        let result = tally.decrypt(election.manifest(), &sk).unwrap();
        assert_eq!(result.ballots(), 0);
        let m = result.contests()[0].motion().unwrap();
        assert_eq!((m.yes, m.no, m.abstain, m.passes), (0, 0, 0, false));
    }
}
