//! The streaming record verifier (spec/record.md §4).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use rand_core::{CryptoRng, RngCore};

use super::decryption::combine_tally;
use super::{eligibility_context, BallotLine, ElectionRecord, RECORD_VERSION};
use crate::ballot::{
    BallotId, CastBallot, ChallengedBallot, ConfirmationCode, Election, EncryptedBallot, Manifest,
};
use crate::credential::{LinkingTag, MembershipProof};
use crate::encoding::Decode;
use crate::error::Error;
use crate::parallel::Parallelism;
use crate::report::{Outcome, Report};
use crate::tally::TallyAccumulator;
use crate::trustees::TrusteeSet;

/// Ballots verified per block: one batch (per rayon chunk) each. The
/// verifier's memory holds at most one block of encoded ballots.
pub const BLOCK: usize = 4096;

/// At most this many failures are described per check; the rest are
/// counted.
const EXAMPLES: usize = 8;

/// The failures of one streamed check: a count and the first few reasons.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Failures {
    count: u64,
    examples: Vec<String>,
}

impl Failures {
    fn add(&mut self, reason: impl FnOnce() -> String) {
        self.count = self.count.saturating_add(1);
        if self.examples.len() < EXAMPLES {
            self.examples.push(reason());
        }
    }

    /// Adds another shard's failures: counts add up, examples are kept up
    /// to the limit.
    fn merge(&mut self, other: Failures) {
        self.count = self.count.saturating_add(other.count);
        let room = EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
    }

    fn outcome(&self) -> Result<(), String> {
        if self.count == 0 {
            return Ok(());
        }
        let mut s = self.examples.join("; ");
        if self.count > self.examples.len() as u64 {
            s.push_str(&format!(
                " (and {} more)",
                self.count - self.examples.len() as u64
            ));
        }
        Err(s)
    }
}

/// How a split assigns the ballots to shards (spec/record.md §4.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ShardBy {
    /// The cast ballot at 0-based position `p` of the stream belongs to
    /// shard `p mod n`; shard 0 checks every challenged ballot. The shards'
    /// ballot ids are united when merging (E5 across shards).
    #[default]
    Position,
    /// A ballot (cast or challenged) belongs to shard `LE64(id[0..8]) mod n`
    /// of its ballot id, so that two ballots with one id always fall in one
    /// shard: E5 is decided within each shard and merging needs no ids. A
    /// line whose id cannot be read falls back to its position.
    BallotId,
}

/// Which ballots a verifier checks: shard `index` of `count`, split by
/// [`ShardBy`] (spec/record.md §4.1).
///
/// Sharding lets a large record be verified by independent jobs whose
/// [`BallotChecks`] are then merged. [`Shard::WHOLE`] checks every ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Shard {
    index: u64,
    count: u64,
    #[cfg_attr(feature = "serde", serde(default))]
    by: ShardBy,
}

impl Shard {
    /// The whole stream: shard 0 of 1.
    pub const WHOLE: Shard = Shard {
        index: 0,
        count: 1,
        by: ShardBy::Position,
    };

    /// Shard `index` of `count` by position; fails with
    /// [`Error::InvalidParameter`] unless `index < count`.
    pub fn new(index: u64, count: u64) -> crate::error::Result<Self> {
        Self::split(index, count, ShardBy::Position)
    }

    /// Shard `index` of `count`, split `by` position or ballot id; fails
    /// with [`Error::InvalidParameter`] unless `index < count`.
    pub fn split(index: u64, count: u64, by: ShardBy) -> crate::error::Result<Self> {
        if index >= count {
            return Err(Error::InvalidParameter {
                what: "shard index must be less than the shard count",
            });
        }
        Ok(Shard { index, count, by })
    }

    /// This shard's index.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The number of shards.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// How the split assigns ballots.
    pub fn by(&self) -> ShardBy {
        self.by
    }

    /// Whether this is shard 0, which also makes the checks that do not
    /// depend on the cast ballots.
    pub fn is_first(&self) -> bool {
        self.index == 0
    }

    /// Whether the item at 0-based `position` of its stream belongs to
    /// this shard by position.
    pub fn contains(&self, position: u64) -> bool {
        position.checked_rem(self.count) == Some(self.index)
    }

    /// [`contains_ballot`](Self::contains_ballot) looks at no more than
    /// the first `PREFIX_LEN` bytes of a ballot's encoding.
    pub const PREFIX_LEN: usize = 12;

    /// Whether a ballot belongs to this shard: `encoded` is its encoding
    /// (an [`EncryptedBallot`](crate::ballot::EncryptedBallot) or, with
    /// `challenged`, a [`ChallengedBallot`]) and `position` its 0-based
    /// position in its stream. By position, challenged ballots all belong
    /// to shard 0.
    pub fn contains_ballot(&self, position: u64, encoded: &[u8], challenged: bool) -> bool {
        match self.by {
            ShardBy::Position if challenged => self.is_first(),
            ShardBy::Position => self.contains(position),
            // The id follows the 2-byte header (and, in a challenged
            // ballot, the inner ballot's header): spec/ballot.md.
            ShardBy::BallotId => {
                let at = if challenged { 4 } else { 2 };
                match encoded
                    .get(at..at + 8)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                {
                    Some(id) => self.contains(u64::from_le_bytes(id)),
                    None => self.contains(position),
                }
            }
        }
    }
}

/// The mergeable outcome of the streamed checks E4–E9 (and E13–E14 in a
/// vote restricted to eligible voters) over the cast ballots of one shard
/// (or of several, merged): failures per check, the number of ballot
/// lines, the ballot ids and linking tags (for E5 and E14 across shards)
/// and the partial encrypted tally of the verified ballots
/// (spec/record.md §4.1).
///
/// Merging is associative and commutative, up to the order of the
/// failure examples, so shards can be combined by any reduction.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BallotChecks {
    ballots: u64,
    ids: BTreeSet<BallotId>,
    /// Whether the split was by ballot id ([`ShardBy::BallotId`]): E5 is
    /// then complete within each shard and `ids` is dropped at the end.
    #[cfg_attr(feature = "serde", serde(default))]
    ids_partitioned: bool,
    tally: TallyAccumulator,
    e4_decode: Failures,
    e5_unique: Failures,
    e6_codes: Failures,
    e7_proofs: Failures,
    e8_openings: Failures,
    /// Whether the vote is restricted to eligible voters (E13, E14).
    eligibility: bool,
    /// Why the ballots could not be checked (no joint key: E3 failed),
    /// making E4–E9, E13 and E14 not checked unless they found a failure.
    #[cfg_attr(feature = "serde", serde(default))]
    unverifiable: Option<String>,
    tags: BTreeSet<LinkingTag>,
    e13_eligible: Failures,
    e14_once: Failures,
}

impl BallotChecks {
    fn new(manifest: &Manifest, eligibility: bool, unverifiable: Option<String>) -> Self {
        BallotChecks {
            unverifiable,
            ballots: 0,
            ids: BTreeSet::new(),
            ids_partitioned: false,
            tally: TallyAccumulator::new(manifest),
            eligibility,
            tags: BTreeSet::new(),
            e13_eligible: Failures::default(),
            e14_once: Failures::default(),
            e4_decode: Failures::default(),
            e5_unique: Failures::default(),
            e6_codes: Failures::default(),
            e7_proofs: Failures::default(),
            e8_openings: Failures::default(),
        }
    }

    /// The number of cast-ballot lines checked (well-formed or not).
    pub fn ballots(&self) -> u64 {
        self.ballots
    }

    /// The sum of the verified ballots checked.
    pub fn tally(&self) -> &TallyAccumulator {
        &self.tally
    }

    /// Adds another shard's outcome; a ballot id seen in both fails E5
    /// (shards split by position; split by ballot id, no id can be in two
    /// shards and none are kept), a linking tag seen in both fails E14.
    /// Fails with the error of [`TallyAccumulator::merge`] if the tallies
    /// belong to different manifests or shapes, and with
    /// [`Error::InvalidParameter`] if one vote is restricted to eligible
    /// voters and the other is not, or if one shard was split by ballot id
    /// and the other was not.
    pub fn merge(&mut self, other: BallotChecks) -> crate::error::Result<()> {
        if self.eligibility != other.eligibility {
            return Err(Error::InvalidParameter {
                what: "ballot checks of a restricted and an open vote cannot be merged",
            });
        }
        if self.ids_partitioned != other.ids_partitioned {
            return Err(Error::InvalidParameter {
                what: "ballot checks of a split by ballot id and of another split cannot be merged",
            });
        }
        self.tally.merge(&other.tally)?;
        self.ballots = self.ballots.saturating_add(other.ballots);
        if self.unverifiable.is_none() {
            self.unverifiable = other.unverifiable;
        }
        for id in other.ids {
            if !self.ids.insert(id) {
                self.e5_unique.add(|| {
                    format!(
                        "ballot id {} appears in two shards",
                        hex::encode(id.as_bytes())
                    )
                });
            }
        }
        self.e4_decode.merge(other.e4_decode);
        self.e5_unique.merge(other.e5_unique);
        self.e6_codes.merge(other.e6_codes);
        self.e7_proofs.merge(other.e7_proofs);
        self.e8_openings.merge(other.e8_openings);
        for tag in other.tags {
            if !self.tags.insert(tag) {
                self.e14_once
                    .add(|| String::from("a voter's linking tag appears in two shards"));
            }
        }
        self.e13_eligible.merge(other.e13_eligible);
        self.e14_once.merge(other.e14_once);
        Ok(())
    }

    /// Checks a verified ballot's id and code (from its ballot hash, taken
    /// over the line's bytes: a ballot has one encoding) and adds it to the
    /// tally.
    fn accept(
        &mut self,
        n: u64,
        previous: &ConfirmationCode,
        line: &BallotLine,
        ballot_hash: &[u8; 32],
        cast: &CastBallot,
    ) {
        let ballot = cast.ballot();
        if !self.ids.insert(*ballot.id()) {
            self.e5_unique.add(|| {
                format!(
                    "ballot #{n}: id {} also appears earlier",
                    hex::encode(ballot.id().as_bytes())
                )
            });
        }
        if previous.next_hash(ballot_hash) != line.code {
            self.e6_codes
                .add(|| format!("ballot #{n}: confirmation code does not follow the previous one"));
        }
        if let Err(e) = self.tally.add(cast) {
            self.e7_proofs.add(|| {
                format!(
                    "ballot #{n} (id {}): {e}",
                    hex::encode(cast.ballot().id().as_bytes())
                )
            });
        }
    }

    /// The checks E4–E9 (E9 comparing the sums with the record's
    /// encrypted `tally`) and, in a vote restricted to eligible voters,
    /// E13–E14.
    pub fn report(&self, tally: &TallyAccumulator) -> Report {
        let mut report = self.ballot_report(tally);
        report.checks.extend(self.eligibility_report().checks);
        report
    }

    /// E4–E9.
    fn ballot_report(&self, tally: &TallyAccumulator) -> Report {
        let mut report = Report::new();
        report.push(
            "E4",
            "every cast ballot is well-formed",
            self.outcome(&self.e4_decode),
        );
        report.push(
            "E5",
            "ballot ids are unique across cast and challenged ballots",
            self.outcome(&self.e5_unique),
        );
        report.push(
            "E6",
            "confirmation codes chain from the manifest",
            self.outcome(&self.e6_codes),
        );
        report.push(
            "E7",
            "every cast ballot's validity proofs verify",
            self.outcome(&self.e7_proofs),
        );
        report.push(
            "E8",
            "every challenged ballot's proofs verify and it opens to its ciphertexts (and is not counted)",
            self.outcome(&self.e8_openings),
        );
        report.push(
            "E9",
            "encrypted tally is the sum of the verified cast ballots",
            self.e9(tally),
        );
        report
    }

    /// E9: the record's encrypted `tally` counts the ballot lines and is the
    /// sum of the verified ballots (not checked without a joint key).
    fn e9(&self, tally: &TallyAccumulator) -> Outcome {
        let cast = self.ballots;
        if let Some(why) = &self.unverifiable {
            Outcome::NotChecked(format!("no ballot verified: {why}"))
        } else if tally.ballots() != cast {
            Outcome::Failed(format!(
                "the tally counts {} ballots, the record has {cast}",
                tally.ballots()
            ))
        } else if self.tally.ballots() != cast {
            // The tally counts every line, but only accepted ballots are
            // summed: a line failing E4 or E7 fails E9 (spec/record.md §4.3).
            Outcome::Failed(format!(
                "the tally counts {cast} ballots, but only {} lines hold accepted ballots (E4, E7)",
                self.tally.ballots()
            ))
        } else if *tally != self.tally {
            Outcome::Failed(String::from("the sums differ from the recomputed sums"))
        } else {
            Outcome::Passed
        }
    }

    /// Why E11 is not checked after these (merged) ballot checks: E9 failed,
    /// so the announced result cannot be the result of these ballots
    /// (spec/record.md §4). [`complete`](Self::complete) applies it; a
    /// caller that assembles the report itself must too.
    pub fn e11_not_checked(&self, tally: &TallyAccumulator) -> Option<String> {
        match self.e9(tally) {
            Outcome::Failed(why) => Some(format!("E9 failed: {why}")),
            _ => None,
        }
    }

    /// E13–E14 in a vote restricted to eligible voters, nothing otherwise.
    fn eligibility_report(&self) -> Report {
        let mut report = Report::new();
        if self.eligibility {
            report.push(
                "E13",
                "every ballot proves anonymously that its voter is eligible",
                self.outcome(&self.e13_eligible),
            );
            report.push(
                "E14",
                "one ballot per eligible voter (linking tags are unique)",
                self.outcome(&self.e14_once),
            );
        }
        report
    }

    /// A streamed check's outcome: failed if a failure was found, otherwise
    /// passed — or not checked when the cast ballots could not be verified
    /// (no joint key, E3 failed: they are then neither decoded nor checked).
    fn outcome(&self, failures: &Failures) -> Outcome {
        match (failures.outcome(), &self.unverifiable) {
            (Err(why), _) => Outcome::Failed(why),
            (Ok(()), Some(why)) => Outcome::NotChecked(why.clone()),
            (Ok(()), None) => Outcome::Passed,
        }
    }

    /// A vote's whole report in numeric order: the ballot-independent
    /// `record_checks` of [`RecordVerifier::finish_shard`] (E1–E3, E10,
    /// E11, and E12, E15, E16 if the caller added them) with E4–E9 and
    /// E13–E14, in numeric order. If E9 failed, E11 is not checked: the
    /// announced result cannot be the result of these ballots
    /// (spec/record.md §4.5).
    pub fn complete(&self, record_checks: Report, tally: &TallyAccumulator) -> Report {
        let mut checks = record_checks.checks;
        let at = checks
            .iter()
            .position(|c| c.id == "E10")
            .unwrap_or(checks.len());
        let mut tail = checks.split_off(at);
        if let Some(why) = self.e11_not_checked(tally) {
            for c in tail.iter_mut().filter(|c| c.id == "E11") {
                if !matches!(c.outcome, Outcome::NotChecked(_)) {
                    c.outcome = Outcome::NotChecked(why.clone());
                }
            }
        }
        checks.extend(self.ballot_report(tally).checks);
        checks.extend(tail);
        checks.extend(self.eligibility_report().checks);
        let mut report = Report { checks };
        report.sort_by_id();
        report
    }

    /// E13 and E14 for a block: every proof verifies over the eligible set
    /// for its vote and ballot (one batched multiscalar multiplication,
    /// individual checks only to name failures), and every tag is new.
    fn check_eligibility<R: RngCore + CryptoRng>(
        &mut self,
        record: &ElectionRecord,
        items: &[(u64, [u8; 32], MembershipProof)],
        rng: &mut R,
    ) {
        let Some(set) = &record.eligible else {
            return;
        };
        let context = eligibility_context(&record.manifest);
        let batch: Vec<(&[u8], &MembershipProof)> =
            items.iter().map(|(_, h, p)| (h.as_slice(), p)).collect();
        let all_valid = MembershipProof::verify_batch(set, context, &batch, rng).is_ok();
        for (n, hash, proof) in items {
            if !all_valid {
                if let Err(e) = proof.verify(set, context, hash) {
                    self.e13_eligible.add(|| format!("ballot #{n}: {e}"));
                    continue;
                }
            }
            if !self.tags.insert(*proof.tag()) {
                self.e14_once
                    .add(|| format!("ballot #{n}: a second ballot from a voter who already voted"));
            }
        }
    }
}

/// Consumes an election record and its ballot streams and reports the
/// numbered checks E1–E11, and E13–E14 for a vote restricted to eligible
/// voters (spec/record.md §4–§5).
///
/// ```text
/// let mut v = RecordVerifier::new(&record, &mut rng);
/// for line in ballot_lines { v.push_ballot(line?) }
/// for c in challenged { v.push_challenged(&c) }
/// let report = v.finish();
/// ```
///
/// [`RecordVerifier::with_shard`] checks only one [`Shard`] of the cast
/// ballots (every line is still pushed, to follow the confirmation codes)
/// and [`RecordVerifier::finish_shard`] returns its mergeable
/// [`BallotChecks`].
pub struct RecordVerifier<'a, R> {
    record: &'a ElectionRecord,
    rng: &'a mut R,
    /// E3's outcome, and the election it makes verifiable.
    trustees: Result<(TrusteeSet, Election), String>,
    shard: Shard,
    /// Buffered ballots of the shard: position, previous line's code, line.
    pending: Vec<(u64, ConfirmationCode, BallotLine)>,
    /// Lines of the cast-ballot stream read so far.
    position: u64,
    /// The code of the last well-formed line (the seed before the first).
    last_code: ConfirmationCode,
    challenged: u64,
    checks: BallotChecks,
}

impl<'a, R: RngCore + CryptoRng> RecordVerifier<'a, R> {
    /// Starts verifying `record`: re-derives the trustee set from the
    /// key-generation transcript (E3) so that ballots can be checked under
    /// the joint key as they stream in.
    pub fn new(record: &'a ElectionRecord, rng: &'a mut R) -> Self {
        Self::with_shard(record, rng, Shard::WHOLE)
    }

    /// Like [`RecordVerifier::new`], checking only the ballots of `shard`.
    /// Push every line of the stream all the same, and the challenged
    /// ballots too (a split by position needs them in the first shard
    /// only).
    pub fn with_shard(record: &'a ElectionRecord, rng: &'a mut R, shard: Shard) -> Self {
        let trustees = record
            .trustees
            .verify(rng)
            .map(|set| {
                let election = Election::new(record.manifest.clone(), *set.joint_public_key());
                (set, election)
            })
            .map_err(|e| format!("{e}"));
        let unverifiable = trustees
            .as_ref()
            .err()
            .map(|_| String::from("no joint key (E3 failed)"));
        RecordVerifier {
            last_code: ConfirmationCode::seed(&record.manifest),
            checks: BallotChecks::new(&record.manifest, record.eligible.is_some(), unverifiable),
            record,
            rng,
            trustees,
            shard,
            pending: Vec::with_capacity(BLOCK),
            position: 0,
            challenged: 0,
        }
    }

    /// Verifies the ballot blocks with `parallelism` (by default on every
    /// rayon thread with the `rayon` feature); the report and the
    /// [`BallotChecks`] do not depend on it. Call before pushing ballots.
    pub fn with_parallelism(mut self, parallelism: Parallelism) -> Self {
        if let Ok((_, election)) = &mut self.trustees {
            *election = election.clone().with_parallelism(parallelism);
        }
        self
    }

    /// Adds the next cast ballot of the stream.
    pub fn push_ballot(&mut self, line: BallotLine) {
        let position = self.position;
        self.position = self.position.saturating_add(1);
        let previous = core::mem::replace(&mut self.last_code, line.code);
        if self.shard.contains_ballot(position, &line.ballot, false) {
            self.pending.push((position, previous, line));
            if self.pending.len() >= BLOCK {
                self.flush();
            }
        }
    }

    /// Passes over the next line of the cast-ballot stream without
    /// decoding it, if it is another shard's: `code` is its confirmation
    /// code and `prefix` the first [`Shard::PREFIX_LEN`] bytes of its
    /// ballot encoding (all of it if shorter), as
    /// [`BallotLine::parse_head`] reads them from a line that parses.
    /// Returns `false`, doing nothing, if the line is this shard's: push it
    /// with [`push_ballot`](Self::push_ballot) then. The outcome is that of
    /// pushing the whole line.
    pub fn try_skip_ballot(&mut self, code: ConfirmationCode, prefix: &[u8]) -> bool {
        let head = prefix.get(..Shard::PREFIX_LEN).unwrap_or(prefix);
        if self.shard.contains_ballot(self.position, head, false) {
            return false;
        }
        self.position = self.position.saturating_add(1);
        self.last_code = code;
        true
    }

    /// Reports a line of the cast-ballot stream that could not even be
    /// parsed (e.g. bad hex, a truncated write): it fails E4 and verification
    /// continues with the next line.
    pub fn push_malformed(&mut self, reason: impl fmt::Display) {
        let position = self.position;
        self.position = self.position.saturating_add(1);
        if self.shard.contains(position) {
            self.flush();
            self.checks.ballots = self.checks.ballots.saturating_add(1);
            let n = position.saturating_add(1);
            self.checks
                .e4_decode
                .add(|| format!("ballot #{n}: malformed line: {reason}"));
        }
    }

    /// Adds a challenged ballot (its canonical encoding): its proofs must
    /// verify and its opening must match its ciphertexts (E8,
    /// [`ChallengedBallot::verify`]) and its id must not be a cast ballot's
    /// (E5). Only the challenged ballots of this shard are checked: all of
    /// them in shard 0 of a split by position, those of its ids in a split
    /// by ballot id (push them to every shard then).
    pub fn push_challenged(&mut self, encoded: &[u8]) {
        let position = self.challenged;
        self.challenged = self.challenged.saturating_add(1);
        if !self.shard.contains_ballot(position, encoded, true) {
            return;
        }
        let n = self.challenged;
        let checks = &mut self.checks;
        let ballot = match ChallengedBallot::from_bytes(encoded) {
            Ok(b) => b,
            Err(e) => {
                checks
                    .e8_openings
                    .add(|| format!("challenged ballot #{n}: does not decode: {e}"));
                return;
            }
        };
        if !checks.ids.insert(*ballot.id()) {
            checks.e5_unique.add(|| {
                format!(
                    "challenged ballot #{n}: id {} also appears earlier",
                    hex::encode(ballot.id().as_bytes())
                )
            });
        }
        if let Ok((_, election)) = &self.trustees {
            if let Err(e) = ballot.verify(election, self.rng) {
                checks
                    .e8_openings
                    .add(|| format!("challenged ballot #{n}: {e}"));
            }
        }
    }

    /// Verifies the buffered block of cast ballots.
    fn flush(&mut self) {
        let lines = core::mem::take(&mut self.pending);
        if lines.is_empty() {
            return;
        }
        let checks = &mut self.checks;
        checks.ballots = checks.ballots.saturating_add(lines.len() as u64);
        // Without a joint key the ballots are counted and E7–E9 are not
        // checked (`BallotChecks::unverifiable`).
        let Ok((_, election)) = &self.trustees else {
            return;
        };
        let encoded: Vec<&[u8]> = lines.iter().map(|(_, _, l)| l.ballot.as_slice()).collect();
        let verdicts: Vec<Result<CastBallot, (bool, String)>> =
            match election.decode_verify_cast_batch(&encoded, self.rng) {
                Ok(cast) => cast.into_iter().map(Ok).collect(),
                // Fall back to one-by-one checks to name every bad ballot.
                Err(_) => encoded
                    .iter()
                    .map(|bytes| {
                        let ballot = EncryptedBallot::from_bytes(bytes)
                            .map_err(|e| (false, format!("does not decode: {e}")))?;
                        let id = hex::encode(ballot.id().as_bytes());
                        election
                            .verify_cast(ballot, self.rng)
                            .map_err(|e| (true, format!("(id {id}) {e}")))
                    })
                    .collect(),
            };
        let mut eligibility = Vec::new();
        for ((position, previous, line), verdict) in lines.into_iter().zip(verdicts) {
            let n = position.saturating_add(1);
            match verdict {
                Ok(cast) => {
                    let hash = EncryptedBallot::hash_encoding(&line.ballot);
                    checks.accept(n, &previous, &line, &hash, &cast);
                    if checks.eligibility {
                        match line.eligibility.as_deref().map(MembershipProof::from_bytes) {
                            Some(Ok(proof)) => eligibility.push((n, hash, proof)),
                            Some(Err(e)) => checks
                                .e13_eligible
                                .add(|| format!("ballot #{n}: eligibility proof: {e}")),
                            None => checks
                                .e13_eligible
                                .add(|| format!("ballot #{n}: carries no eligibility proof")),
                        }
                    }
                }
                Err((false, why)) => checks.e4_decode.add(|| format!("ballot #{n}: {why}")),
                // `why` starts with the ballot's id: "(id …) reason".
                Err((true, why)) => checks.e7_proofs.add(|| format!("ballot #{n} {why}")),
            }
        }
        checks.check_eligibility(self.record, &eligibility, self.rng);
    }

    /// Finishes the streams and returns the report of every check.
    pub fn finish(self) -> Report {
        let tally = &self.record.tally;
        let (record_checks, ballots) = self.finish_shard();
        ballots.complete(record_checks, tally)
    }

    /// Finishes a shard: returns the checks that do not depend on the cast
    /// ballots (E1–E3, E10, E11: the same in every shard, so only the
    /// first shard's need be kept) and the shard's mergeable
    /// [`BallotChecks`]; [`BallotChecks::complete`] makes the vote's report
    /// of them.
    pub fn finish_shard(mut self) -> (Report, BallotChecks) {
        self.flush();
        if self.shard.by() == ShardBy::BallotId {
            // E5 is complete: every ballot with one of these ids is here.
            self.checks.ids = BTreeSet::new();
            self.checks.ids_partitioned = true;
        }
        let record = self.record;
        let manifest = &record.manifest;
        let mut report = Report::new();
        report.record(
            "E1",
            "record format version is supported",
            if record.version == RECORD_VERSION {
                Ok(())
            } else {
                Err(format!(
                    "version {} (this verifier implements {RECORD_VERSION})",
                    record.version
                ))
            },
        );
        report.record(
            "E2",
            "tally and result belong to this manifest",
            if record.tally.manifest_hash() != manifest.hash() {
                Err("the encrypted tally names another manifest")
            } else if record.result.manifest_hash() != manifest.hash() {
                Err("the result names another manifest")
            } else {
                Ok(())
            },
        );
        report.record(
            "E3",
            "trustee key generation transcript verifies (joint key, shares, complaints)",
            self.trustees.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let (e10, e11) = match &self.trustees {
            Err(_) => {
                let skipped = Outcome::NotChecked(String::from("no trustee set (E3 failed)"));
                (skipped.clone(), skipped)
            }
            Ok((set, _)) => decryption_checks(self.record, set, self.position, self.rng),
        };
        report.push(
            "E10",
            "partial decryptions come from qualified trustees with valid proofs, at least t",
            e10,
        );
        report.push(
            "E11",
            "announced result is the decryption of the encrypted tally",
            e11,
        );
        (report, self.checks)
    }
}

/// E10's reason: every rejected trustee's share, by trustee index.
fn rejected_shares<'a>(rejected: impl Iterator<Item = (u32, &'a Error)>) -> String {
    rejected
        .map(|(i, e)| format!("trustee {i}'s share rejected: {e}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// E10 and E11 (spec/record.md §4.3, §4.5). E10 checks every partial
/// decryption the record supplies. E11 compares the announced counts
/// with the combined decryption, one fixed-base multiplication per sum
/// and no discrete-log search; it is not checked when the tally claims
/// another number of ballots than the cast-ballot stream holds (every
/// shard reads every line, spec/record.md §4.1), since E9 then fails and
/// the counts would be judged against the record's own claim. `lines` is
/// the number of lines of the cast-ballot stream.
fn decryption_checks<R: RngCore + CryptoRng>(
    record: &ElectionRecord,
    set: &TrusteeSet,
    lines: u64,
    rng: &mut R,
) -> (Outcome, Outcome) {
    let combined = match combine_tally(
        &record.manifest,
        set,
        &record.tally,
        &record.decryptions,
        rng,
    ) {
        Ok(combined) => combined,
        Err(f) => {
            let e = f.error;
            let named = f.rejected.iter().map(|(_, i, e)| (*i, e));
            return (
                Outcome::Failed(if f.rejected.is_empty() {
                    format!("{e}")
                } else {
                    format!("{e}; {}", rejected_shares(named))
                }),
                Outcome::NotChecked(format!("tally not decrypted (E10 failed): {e}")),
            );
        }
    };
    let rejected = combined.rejected();
    let e10 = if rejected.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(rejected_shares(rejected.iter().map(|(i, e)| (*i, e))))
    };
    let claimed = record.tally.ballots();
    let e11 = if claimed != lines {
        let why = format!("the tally claims {claimed} ballots, the cast-ballot stream has {lines}");
        Outcome::NotChecked(format!("E9 fails: {why} lines"))
    } else {
        Outcome::from_result(combined.check_result(&record.manifest, &record.tally, &record.result))
    };
    (e10, e11)
}
