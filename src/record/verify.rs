//! The streaming record verifier (spec/record.md §4).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use rand_core::{CryptoRng, RngCore};

use super::{decrypt_tally, eligibility_context, BallotLine, ElectionRecord, RECORD_VERSION};
use crate::ballot::{BallotId, CastBallot, ChallengedBallot, ConfirmationCode, Election};
use crate::credential::{LinkingTag, MembershipProof};
use crate::encoding::Decode;
use crate::report::Report;
use crate::tally::TallyAccumulator;
use crate::trustees::TrusteeSet;

/// Ballots verified per block: one batch (per rayon chunk) each. The
/// verifier's memory holds at most one block of encoded ballots.
pub const BLOCK: usize = 4096;

/// At most this many failures are described per check; the rest are
/// counted.
const EXAMPLES: usize = 8;

/// The failures of one streamed check: a count and the first few reasons.
#[derive(Clone, Debug, Default)]
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
pub struct RecordVerifier<'a, R> {
    record: &'a ElectionRecord,
    rng: &'a mut R,
    /// E3's outcome, and the election it makes verifiable.
    trustees: Result<(TrusteeSet, Election), String>,
    pending: Vec<BallotLine>,
    ballots: u64,
    challenged: u64,
    previous_code: ConfirmationCode,
    ids: BTreeSet<BallotId>,
    tally: TallyAccumulator,
    e4_decode: Failures,
    e5_unique: Failures,
    e6_codes: Failures,
    e7_proofs: Failures,
    e8_openings: Failures,
    /// Linking tags seen so far (votes restricted to eligible voters).
    tags: BTreeSet<LinkingTag>,
    e13_eligible: Failures,
    e14_once: Failures,
}

impl<'a, R: RngCore + CryptoRng> RecordVerifier<'a, R> {
    /// Starts verifying `record`: re-derives the trustee set from the
    /// key-generation transcript (E3) so that ballots can be checked under
    /// the joint key as they stream in.
    pub fn new(record: &'a ElectionRecord, rng: &'a mut R) -> Self {
        let trustees = record
            .trustees
            .verify(rng)
            .map(|set| {
                let election = Election::new(record.manifest.clone(), *set.joint_public_key());
                (set, election)
            })
            .map_err(|e| format!("{e}"));
        RecordVerifier {
            previous_code: ConfirmationCode::seed(&record.manifest),
            tally: TallyAccumulator::new(&record.manifest),
            record,
            rng,
            trustees,
            pending: Vec::with_capacity(BLOCK),
            ballots: 0,
            challenged: 0,
            ids: BTreeSet::new(),
            e4_decode: Failures::default(),
            e5_unique: Failures::default(),
            e6_codes: Failures::default(),
            e7_proofs: Failures::default(),
            e8_openings: Failures::default(),
            tags: BTreeSet::new(),
            e13_eligible: Failures::default(),
            e14_once: Failures::default(),
        }
    }

    /// Adds the next cast ballot of the stream.
    pub fn push_ballot(&mut self, line: BallotLine) {
        self.pending.push(line);
        if self.pending.len() >= BLOCK {
            self.flush();
        }
    }

    /// Reports a line of the cast-ballot stream that could not even be
    /// parsed (e.g. bad hex, a truncated write): it fails E4 and verification
    /// continues with the next line.
    pub fn push_malformed(&mut self, reason: impl fmt::Display) {
        self.flush();
        self.ballots = self.ballots.saturating_add(1);
        let n = self.ballots;
        self.e4_decode
            .add(|| format!("ballot #{n}: malformed line: {reason}"));
    }

    /// Adds a challenged ballot (its canonical encoding): its opening must
    /// match its ciphertexts (E8) and its id must not be a cast ballot's
    /// (E5).
    pub fn push_challenged(&mut self, encoded: &[u8]) {
        self.challenged = self.challenged.saturating_add(1);
        let n = self.challenged;
        let ballot = match ChallengedBallot::from_bytes(encoded) {
            Ok(b) => b,
            Err(e) => {
                self.e8_openings
                    .add(|| format!("challenged ballot #{n}: does not decode: {e}"));
                return;
            }
        };
        if !self.ids.insert(*ballot.id()) {
            self.e5_unique.add(|| {
                format!(
                    "challenged ballot #{n}: id {} also appears earlier",
                    hex::encode(ballot.id().as_bytes())
                )
            });
        }
        if let Ok((_, election)) = &self.trustees {
            if let Err(e) = ballot.verify_opening(election) {
                self.e8_openings
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
        let first = self.ballots;
        self.ballots = self.ballots.saturating_add(lines.len() as u64);
        let election = match &self.trustees {
            Ok((_, election)) => election,
            Err(_) => {
                let n = lines.len();
                self.e7_proofs
                    .add(|| format!("{n} ballots cannot be verified: no joint key (E3 failed)"));
                return;
            }
        };
        let encoded: Vec<&[u8]> = lines.iter().map(|l| l.ballot.as_slice()).collect();
        let verdicts: Vec<Result<CastBallot, (bool, String)>> =
            match election.decode_verify_cast_batch(&encoded, self.rng) {
                Ok(cast) => cast.into_iter().map(Ok).collect(),
                // Fall back to one-by-one checks to name every bad ballot.
                Err(_) => encoded
                    .iter()
                    .map(|bytes| {
                        let ballot = crate::ballot::EncryptedBallot::from_bytes(bytes)
                            .map_err(|e| (false, format!("does not decode: {e}")))?;
                        election
                            .verify_cast(ballot, self.rng)
                            .map_err(|e| (true, format!("{e}")))
                    })
                    .collect(),
            };
        let mut eligibility = Vec::new();
        for (i, (line, verdict)) in lines.into_iter().zip(verdicts).enumerate() {
            let n = first.saturating_add(i as u64).saturating_add(1);
            let previous = core::mem::replace(&mut self.previous_code, line.code);
            match verdict {
                Ok(cast) => {
                    self.accept(n, &previous, &line, &cast);
                    if self.record.eligible.is_some() {
                        match line.eligibility.as_deref().map(MembershipProof::from_bytes) {
                            Some(Ok(proof)) => eligibility.push((n, cast.ballot().hash(), proof)),
                            Some(Err(e)) => self
                                .e13_eligible
                                .add(|| format!("ballot #{n}: eligibility proof: {e}")),
                            None => self
                                .e13_eligible
                                .add(|| format!("ballot #{n}: carries no eligibility proof")),
                        }
                    }
                }
                Err((false, why)) => self.e4_decode.add(|| format!("ballot #{n}: {why}")),
                Err((true, why)) => self.e7_proofs.add(|| format!("ballot #{n}: {why}")),
            }
        }
        self.check_eligibility(&eligibility);
    }

    /// E13 and E14 for a block: every proof verifies over the eligible set
    /// for this vote and its ballot (one batched multiscalar multiplication,
    /// individual checks only to name failures), and every tag is new.
    fn check_eligibility(&mut self, items: &[(u64, [u8; 32], MembershipProof)]) {
        let Some(set) = &self.record.eligible else {
            return;
        };
        let context = eligibility_context(&self.record.manifest);
        let batch: Vec<(&[u8], &MembershipProof)> =
            items.iter().map(|(_, h, p)| (h.as_slice(), p)).collect();
        let all_valid = MembershipProof::verify_batch(set, context, &batch, self.rng).is_ok();
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

    /// Checks a verified ballot's id and code and adds it to the tally.
    fn accept(
        &mut self,
        n: u64,
        previous: &ConfirmationCode,
        line: &BallotLine,
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
        if previous.next(ballot) != line.code {
            self.e6_codes
                .add(|| format!("ballot #{n}: confirmation code does not follow the previous one"));
        }
        if let Err(e) = self.tally.add(cast) {
            self.e7_proofs.add(|| format!("ballot #{n}: {e}"));
        }
    }

    /// Finishes the streams and returns the report of every check.
    pub fn finish(mut self) -> Report {
        self.flush();
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
        report.record(
            "E4",
            "every cast ballot is well-formed",
            self.e4_decode.outcome(),
        );
        report.record(
            "E5",
            "ballot ids are unique across cast and challenged ballots",
            self.e5_unique.outcome(),
        );
        report.record(
            "E6",
            "confirmation codes chain from the manifest",
            self.e6_codes.outcome(),
        );
        report.record(
            "E7",
            "every cast ballot's validity proofs verify",
            self.e7_proofs.outcome(),
        );
        report.record(
            "E8",
            "every challenged ballot opens to its ciphertexts (and is not counted)",
            self.e8_openings.outcome(),
        );
        let cast = self.ballots;
        report.record(
            "E9",
            "encrypted tally is the sum of the verified cast ballots",
            if record.tally.ballots() != cast {
                Err(format!(
                    "the tally counts {} ballots, the record has {cast}",
                    record.tally.ballots()
                ))
            } else if record.tally != self.tally {
                Err(String::from("the sums differ from the recomputed sums"))
            } else {
                Ok(())
            },
        );
        let (e10, e11) = match &self.trustees {
            Err(_) => {
                let skipped = Err(String::from("not checked: no trustee set (E3 failed)"));
                (skipped.clone(), skipped)
            }
            Ok((set, _)) => {
                match decrypt_tally(manifest, set, &record.tally, &record.decryptions, self.rng) {
                    Err(e) => (
                        Err(format!("{e}")),
                        Err(format!("tally not decrypted: {e}")),
                    ),
                    Ok(d) => {
                        let e10 = if d.rejected.is_empty() {
                            Ok(())
                        } else {
                            Err(d
                                .rejected
                                .iter()
                                .map(|(i, e)| format!("trustee {i}: {e}"))
                                .collect::<Vec<_>>()
                                .join("; "))
                        };
                        let e11 = if d.result == record.result {
                            Ok(())
                        } else {
                            Err(String::from(
                                "the announced counts differ from the decryption of the tally",
                            ))
                        };
                        (e10, e11)
                    }
                }
            }
        };
        report.record(
            "E10",
            "partial decryptions come from qualified trustees with valid proofs, at least t",
            e10,
        );
        report.record(
            "E11",
            "announced result is the decryption of the encrypted tally",
            e11,
        );
        if record.eligible.is_some() {
            report.record(
                "E13",
                "every ballot proves anonymously that its voter is eligible",
                self.e13_eligible.outcome(),
            );
            report.record(
                "E14",
                "one ballot per eligible voter (linking tags are unique)",
                self.e14_once.outcome(),
            );
        }
        report
    }
}
