//! Tamper tables of every record type (issue 9): each row changes one
//! field of a valid record in a meaningful way (another round number,
//! swapped partials, a changed stratum count, a proof moved to another
//! ballot, …) and names the exact numbered check or typed [`Error`] that
//! must fail — or, for the few changes that are not forgeries (another
//! valid subset of beacon partials, a repeated complaint), that the
//! verified outcome stays the same.
//!
//! Then the large records, which have no single canonical encoding, are
//! swept byte by byte (proptest):
//!
//! * an election record through each of its encoded parts (manifest, key
//!   generation, tally, decryptions, result, eligible set, every ballot
//!   line's code, ballot and membership proof, every challenged ballot);
//! * a selection record and an assembly record through their JSON files.
//!
//! Every change must be rejected by the decoder or fail a check; a JSON
//! change may also decode to the very same record (hex digits in another
//! case), which is not a change of the record. Nothing may panic.
//!
//! Every byte is covered, including the round-2 encrypted shares of the key
//! generation transcript, which their dealers sign (spec/trustees.md §4.3).
//!
//! The small encoded values (proofs, partials, beacon records and rounds,
//! key generation transcripts, trustee sets, membership proofs, consent
//! statements, inclusion proofs, roll entries) are swept exhaustively in
//! `tests/tamper.rs`.

use std::fmt::Debug;

use kleroterion::beacon::threshold::{
    verify_chain, BeaconParameters, BeaconRecord, BeaconRound, ChainMode,
};
use kleroterion::beacon::{BeaconOutput, Registrations};
use kleroterion::credential::{AnonymitySet, ConsentStatement, MembershipProof};
use kleroterion::encoding::{Decode, Encode, Tag, Writer};
use kleroterion::record::{eligibility_context, AssemblyRecord, TrusteeDecryption};
use kleroterion::roll::{CitizenKey, Digest, InclusionProof, RollEntry};
use kleroterion::sortition::{DrawAnnouncement, SelectionRecord};
use kleroterion::tally::{TallyAccumulator, TallyResult};
use kleroterion::trustees::dkg::{DkgParameters, DkgTranscript};
use kleroterion::trustees::simulate::run_locally;
use kleroterion::trustees::ShareEvaluation;
use kleroterion::Error;
use proptest::prelude::*;

mod common;

use common::fixtures::CONTEXT;
use common::{
    assembly, consent, failed, failed_sections, find, fixtures, harm_vote, rng, roll_text,
    verify_assembly_with, Vote,
};

/// A change of a `T`.
type Tamper<T> = Box<dyn Fn(&mut T)>;

/// A table of rows: a name, a change, and what verification must say.
struct Table<T, E> {
    rows: Vec<(&'static str, Tamper<T>, E)>,
}

impl<T: Clone, E: PartialEq + Debug> Table<T, E> {
    fn new() -> Self {
        Table { rows: Vec::new() }
    }

    fn row(mut self, name: &'static str, tamper: impl Fn(&mut T) + 'static, expected: E) -> Self {
        self.rows.push((name, Box::new(tamper), expected));
        self
    }

    /// Applies every row to a copy of `honest` and compares `outcome` with
    /// the expectation; reports every row that differs at once.
    fn run(self, honest: &T, outcome: impl Fn(&T) -> E) {
        let mismatches: Vec<String> = self
            .rows
            .iter()
            .filter_map(|(name, tamper, expected)| {
                let mut value = honest.clone();
                tamper(&mut value);
                let got = outcome(&value);
                (got != *expected).then(|| format!("{name}: expected {expected:?}, got {got:?}"))
            })
            .collect();
        assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
    }
}

// ---------------------------------------------------------------------------
// Beacon records (spec/beacon.md §2.5): verify_chain's typed errors.

/// What verifying a changed beacon record must give.
#[derive(Debug, PartialEq)]
enum Beacon {
    /// Not a forgery: the record verifies, to `rounds` of the honest
    /// record's outputs.
    Verifies { rounds: usize },
    /// A forgery: the record verifies to an output the honest one lacks.
    Forged,
    /// Fails in round `round` with this check.
    RoundFailed(u64, &'static str),
    /// Fails with another error.
    Fails(Error),
}

/// The parts of a round, to rebuild a changed one through its encoding
/// (the fields are private: a round is only ever made by `combine`).
struct RoundParts {
    number: u64,
    registered: Registrations,
    partials: Vec<ShareEvaluation>,
    sigma: [u8; 32],
    output: BeaconOutput,
}

impl RoundParts {
    fn of(round: &BeaconRound) -> Self {
        RoundParts {
            number: round.round(),
            registered: round.registered().clone(),
            partials: round.partials().to_vec(),
            sigma: *round.sigma(),
            output: *round.output(),
        }
    }

    fn encode(&self) -> BeaconRound {
        let mut w = Writer::new();
        w.header(Tag::BeaconRound, 2);
        w.u64(self.number);
        self.registered.encode(&mut w);
        w.len(self.partials.len());
        for p in &self.partials {
            p.encode(&mut w);
        }
        w.raw(&self.sigma);
        w.raw(&self.output.0);
        BeaconRound::from_bytes(&w.into_bytes()).expect("well-formed round")
    }
}

/// Changes round `i` of a record through its parts.
fn edit_round(record: &mut BeaconRecord, i: usize, edit: impl FnOnce(&mut RoundParts)) {
    let mut parts = RoundParts::of(&record.rounds[i]);
    edit(&mut parts);
    record.rounds[i] = parts.encode();
}

/// The evaluation of the trustee that round 1 of a chain left out
/// (trustee index 3: rounds leave out the trustee at position `r mod 4`).
fn left_out_of_round_1(chained: bool) -> ShareEvaluation {
    let f = fixtures();
    let chain = if chained { &f.chained } else { &f.unchained };
    chain.round1_partials[1].evaluation.clone()
}

fn beacon_outcome(record: &BeaconRecord, honest: &BeaconRecord) -> Beacon {
    let known = verify_chain(honest, &mut rng(21)).expect("honest");
    match verify_chain(record, &mut rng(20)) {
        Ok(outputs) if outputs.iter().all(|o| known.contains(o)) => Beacon::Verifies {
            rounds: outputs.len(),
        },
        Ok(_) => Beacon::Forged,
        Err(Error::RoundFailed { round, check }) => Beacon::RoundFailed(round, check),
        Err(e) => Beacon::Fails(e),
    }
}

const OUT_OF_ORDER: &str = "rounds out of order";
const OUTPUT_HASH: &str = "output is the hash of sigma";
const PROOFS: &str = "partial proofs and interpolation of sigma";
const ASCENDING: &str = "partials must be ascending by distinct trustee index";
const T_PARTIALS: &str = "a round combines exactly t partials";

#[test]
fn beacon_record_table() {
    use Beacon::RoundFailed;
    const SAME_OUTPUTS: Beacon = Beacon::Verifies { rounds: 3 };
    let f = fixtures();
    let chained = Table::<BeaconRecord, Beacon>::new()
        .row(
            "round 2 renumbered 5",
            |r| edit_round(r, 1, |p| p.number = 5),
            RoundFailed(5, OUT_OF_ORDER),
        )
        .row(
            "rounds 1 and 2 swapped",
            |r| r.rounds.swap(0, 1),
            RoundFailed(2, OUT_OF_ORDER),
        )
        .row(
            "round 1 dropped",
            |r| {
                r.rounds.remove(0);
            },
            RoundFailed(2, OUT_OF_ORDER),
        )
        .row(
            "round 2 repeated",
            |r| r.rounds[2] = r.rounds[1].clone(),
            RoundFailed(2, OUT_OF_ORDER),
        )
        .row(
            "partials swapped",
            |r| edit_round(r, 0, |p| p.partials.swap(0, 1)),
            RoundFailed(1, ASCENDING),
        )
        .row(
            "partial repeated",
            |r| edit_round(r, 0, |p| p.partials[1] = p.partials[0].clone()),
            RoundFailed(1, ASCENDING),
        )
        .row(
            "partial dropped",
            |r| edit_round(r, 0, |p| p.partials.truncate(2)),
            RoundFailed(1, T_PARTIALS),
        )
        .row(
            "left-out trustee's valid partial added",
            |r| edit_round(r, 0, |p| p.partials.insert(1, left_out_of_round_1(true))),
            RoundFailed(1, T_PARTIALS),
        )
        .row(
            "another valid t-subset of partials (not a forgery: sigma is unique)",
            |r| edit_round(r, 0, |p| p.partials[1] = left_out_of_round_1(true)),
            SAME_OUTPUTS,
        )
        .row(
            "trustee 2's partial of round 1 in round 2",
            |r| {
                let earlier = r.rounds[0].partials()[0].clone();
                edit_round(r, 1, |p| p.partials[0] = earlier)
            },
            RoundFailed(2, PROOFS),
        )
        .row(
            "a partial of the same round of another chain",
            |r| {
                let other = fixtures().unchained.round1_partials[0].evaluation.clone();
                edit_round(r, 0, |p| p.partials[0] = other)
            },
            RoundFailed(1, PROOFS),
        )
        .row(
            "sigma of round 2 in round 1",
            |r| {
                let sigma = *r.rounds[1].sigma();
                edit_round(r, 0, |p| p.sigma = sigma)
            },
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "sigma and output of round 2 in round 1",
            |r| {
                let (sigma, output) = (*r.rounds[1].sigma(), *r.rounds[1].output());
                edit_round(r, 0, |p| (p.sigma, p.output) = (sigma, output))
            },
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "output changed",
            |r| edit_round(r, 2, |p| p.output.0[0] ^= 1),
            RoundFailed(3, OUTPUT_HASH),
        )
        .row(
            "round 1 of another chain",
            |r| r.rounds[0] = fixtures().unchained.record.rounds[0].clone(),
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "other genesis seed",
            |r| {
                let p = &r.parameters;
                r.parameters = BeaconParameters::new(p.trustees().clone(), p.mode(), [0x18; 32]);
            },
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "mode changed to unchained",
            |r| {
                let p = &r.parameters;
                r.parameters =
                    BeaconParameters::new(p.trustees().clone(), ChainMode::Unchained, *p.genesis());
            },
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "trustee set of another key generation (t = 2)",
            |r| {
                let other = threshold(&assembly().record).parameters.trustees().clone();
                r.parameters =
                    BeaconParameters::new(other, r.parameters.mode(), *r.parameters.genesis());
            },
            RoundFailed(1, T_PARTIALS),
        )
        .row(
            "round 0",
            |r| edit_round(r, 0, |p| p.number = 0),
            RoundFailed(0, OUT_OF_ORDER),
        );
    chained.run(&f.chained.record, |r| beacon_outcome(r, &f.chained.record));

    // Unchained: rounds 1, 4, 9, each on its own.
    let unchained = Table::<BeaconRecord, Beacon>::new()
        .row(
            "round 4 renumbered 1 (not increasing)",
            |r| edit_round(r, 1, |p| p.number = 1),
            RoundFailed(1, OUT_OF_ORDER),
        )
        .row(
            "round 4 renumbered 5 (still increasing)",
            |r| edit_round(r, 1, |p| p.number = 5),
            RoundFailed(5, OUTPUT_HASH),
        )
        .row(
            "rounds 4 and 9 swapped",
            |r| r.rounds.swap(1, 2),
            RoundFailed(4, OUT_OF_ORDER),
        )
        .row(
            "round 4 dropped (not a forgery: unchained rounds stand alone)",
            |r| {
                r.rounds.remove(1);
            },
            Beacon::Verifies { rounds: 2 },
        )
        .row(
            "another valid t-subset of partials",
            |r| edit_round(r, 0, |p| p.partials[1] = left_out_of_round_1(false)),
            SAME_OUTPUTS,
        )
        .row(
            "mode changed to chained",
            |r| {
                let p = &r.parameters;
                r.parameters =
                    BeaconParameters::new(p.trustees().clone(), ChainMode::Chained, *p.genesis());
            },
            RoundFailed(1, OUTPUT_HASH),
        )
        .row(
            "round 9 of the chained mode's round numbering (round 3 of the other chain)",
            |r| r.rounds[2] = fixtures().chained.record.rounds[2].clone(),
            RoundFailed(3, OUT_OF_ORDER),
        );
    unchained.run(&f.unchained.record, |r| {
        beacon_outcome(r, &f.unchained.record)
    });
}

// ---------------------------------------------------------------------------
// Key generation transcripts (spec/trustees.md §5.1): DkgTranscript::verify
// and the published trustee set it must derive.

#[derive(Debug, PartialEq)]
enum Dkg {
    /// Verifies to the published trustee set.
    SameSet,
    /// Verifies, but to another trustee set than the published one.
    OtherSet,
    /// Fails with this error.
    Fails(Error),
}

/// A 3-of-5 key generation under another context.
fn other_dkg() -> DkgTranscript {
    let params = DkgParameters::new(5, 3, b"another key generation").expect("parameters");
    run_locally(&params, &mut rng(22)).expect("dkg")[0]
        .transcript
        .clone()
}

/// Changes the encoding of complaint `i` at `offset` to `bytes`.
fn patch_complaint(t: &mut DkgTranscript, i: usize, offset: usize, bytes: &[u8]) {
    let mut encoded = t.complaints[i].to_bytes();
    encoded[offset..offset + bytes.len()].copy_from_slice(bytes);
    t.complaints[i] = Decode::from_bytes(&encoded).expect("well-formed complaint");
}

#[test]
fn key_generation_transcript_table() {
    let f = fixtures();
    // The fixture: dealer 1 sent trustee 2 a bad share, trustee 2's
    // complaint is upheld and dealer 1 is disqualified.
    let rows = Table::<DkgTranscript, Dkg>::new()
        .row(
            "round-1 package of another key generation",
            |t| t.round1[2] = other_dkg().round1[2].clone(),
            Dkg::Fails(Error::ParticipantFailed {
                index: 3,
                check: "proof of possession",
            }),
        )
        .row(
            "round-1 package with another threshold",
            |t| t.round1[1] = assembly().record.votes[0].record.trustees.round1[1].clone(),
            Dkg::Fails(Error::ParticipantFailed {
                index: 2,
                check: "round-1 commitment count differs from the threshold",
            }),
        )
        .row(
            "round-1 package repeated",
            |t| t.round1[1] = t.round1[0].clone(),
            Dkg::Fails(Error::DuplicateIndex { index: 1 }),
        )
        .row(
            "round-1 package dropped",
            |t| {
                t.round1.remove(4);
            },
            Dkg::Fails(Error::LengthMismatch {
                what: "round-1 packages (one per participant)",
                expected: 5,
                actual: 4,
            }),
        )
        .row(
            "round-1 packages reordered (canonical order is by index)",
            |t| t.round1.swap(0, 3),
            Dkg::SameSet,
        )
        .row(
            "other context",
            |t| t.parameters = DkgParameters::new(5, 3, b"another context").expect("parameters"),
            Dkg::Fails(Error::ParticipantFailed {
                index: 1,
                check: "proof of possession",
            }),
        )
        .row(
            "other threshold",
            |t| t.parameters = DkgParameters::new(5, 2, CONTEXT).expect("parameters"),
            Dkg::Fails(Error::ParticipantFailed {
                index: 1,
                check: "round-1 commitment count differs from the threshold",
            }),
        )
        .row(
            "round-2 package of dealer 3 dropped (dealer 3 disqualified)",
            |t| t.round2.retain(|p| p.dealer().get() != 3),
            Dkg::OtherSet,
        )
        .row(
            // Its signature binds the other key generation's round 1, so it
            // is rejected as a bad package, not counted as equivocation
            // (two packages both signed for this run: src/trustees/tests.rs).
            "dealer 3's round-2 package of another key generation added",
            |t| {
                let other = other_dkg();
                t.round2.push(other.round2[2].clone());
            },
            Dkg::Fails(Error::ParticipantFailed {
                index: 3,
                check: "round-2 package signature",
            }),
        )
        .row(
            "round-2 package repeated (identical copies count once)",
            |t| t.round2.push(t.round2[3].clone()),
            Dkg::SameSet,
        )
        .row(
            "upheld complaint dropped (dealer 1 requalified)",
            |t| t.complaints.clear(),
            Dkg::OtherSet,
        )
        .row(
            "complaint repeated",
            |t| t.complaints.push(t.complaints[0].clone()),
            Dkg::SameSet,
        )
        .row(
            // header (2) ‖ accuser (2) ‖ accused (2) ‖ …: the proof no
            // longer verifies, so the new accuser 3 is disqualified and
            // dealer 1 is not.
            "complaint reattributed to trustee 3",
            |t| patch_complaint(t, 0, 2, &3u16.to_le_bytes()),
            Dkg::OtherSet,
        )
        .row(
            "complaint against dealer 4 instead",
            |t| patch_complaint(t, 0, 4, &4u16.to_le_bytes()),
            Dkg::OtherSet,
        )
        .row(
            "complaint naming an unknown dealer (its accuser is disqualified)",
            |t| patch_complaint(t, 0, 4, &6u16.to_le_bytes()),
            Dkg::OtherSet,
        );
    rows.run(&f.dkg, |t| match t.verify(&mut rng(23)) {
        Ok(set) if set == f.trustees => Dkg::SameSet,
        Ok(_) => Dkg::OtherSet,
        Err(e) => Dkg::Fails(e),
    });
}

// ---------------------------------------------------------------------------
// Selection records (spec/sortition.md §7): checks S1–S14.

/// A selection record with the published announcement it is checked
/// against and the roll it is checked with.
#[derive(Clone)]
struct Draw {
    record: SelectionRecord,
    published: DrawAnnouncement,
    roll: Vec<RollEntry>,
}

fn honest_draw() -> Draw {
    let a = assembly();
    Draw {
        record: a.record.selection.clone(),
        published: a.record.announcement.clone(),
        roll: a.roll.clone(),
    }
}

#[test]
fn selection_record_table() {
    let rows = Table::<Draw, Vec<&'static str>>::new()
        .row("version 2", |d| d.record.version = 2, vec!["S1"])
        .row(
            "record's announcement for another year",
            |d| d.record.announcement.year += 1,
            vec!["S1"],
        )
        .row(
            "beacon round after the named one",
            |d| d.record.beacon_round += 1,
            vec!["S2"],
        )
        .row(
            "output of another round (and the draw it gives)",
            |d| d.record.beacon_output = *threshold(&assembly().record).rounds[1].output(),
            vec!["S3", "S4", "S9", "S10"],
        )
        .row("seed changed", |d| d.record.seed.0[0] ^= 1, vec!["S4"])
        .row(
            "stratum size + 1",
            |d| d.record.strata[0].count.size += 1,
            vec!["S5", "S9", "S10", "S13"],
        )
        .row(
            "stratum eligible count − 1",
            |d| d.record.strata[0].count.eligible -= 1,
            // The shuffle over one fewer rank redraws the stratum: with
            // this record's seed both its delegates and its reserve differ.
            vec!["S5", "S9", "S10", "S13"],
        )
        .row(
            "quota moved between strata",
            |d| {
                d.record.strata[0].quota += 1;
                d.record.strata[1].quota -= 1;
            },
            vec!["S5"],
        )
        .row(
            "strata in descending order",
            |d| d.record.strata.swap(0, 1),
            vec!["S5", "S11", "S13"],
        )
        .row(
            "stratum dropped",
            |d| {
                d.record.strata.pop();
            },
            vec!["S5", "S9", "S10", "S11", "S13"],
        )
        .row(
            "inclusion proof sibling changed",
            |d| d.record.strata[0].selected[0].proof.path[0].0[0] ^= 1,
            vec!["S6"],
        )
        .row(
            "inclusion proof index + 1",
            |d| d.record.strata[0].selected[1].proof.index += 1,
            vec!["S6", "S14"],
        )
        .row(
            "drawn entry's region changed",
            |d| {
                let e = &mut d.record.strata[0].selected[0].entry;
                *e = region(e, "region-1");
            },
            vec!["S6", "S7", "S14"],
        )
        .row(
            "reserve of the other region seated instead of a delegate",
            |d| {
                let reserve = d.record.strata[1].reserve[0].clone();
                d.record.strata[0].selected[0] = reserve;
            },
            vec!["S7", "S9", "S10", "S14"],
        )
        .row(
            "a delegate excluded in the record's and the published announcement",
            |d| {
                let key = *d.record.strata[0].selected[0].entry.key();
                for a in [&mut d.record.announcement, &mut d.published] {
                    a.params.exclusions = vec![key];
                }
            },
            vec!["S4", "S8", "S9", "S10", "S13", "S14"],
        )
        .row(
            "delegate's rank changed",
            |d| d.record.strata[0].selected[0].rank += 1,
            vec!["S9", "S14"],
        )
        .row(
            "delegates reordered",
            |d| d.record.strata[0].selected.swap(0, 1),
            vec!["S9"],
        )
        .row(
            "delegate listed twice",
            |d| {
                let first = d.record.strata[0].selected[0].clone();
                d.record.strata[0].selected[1] = first;
            },
            vec!["S9", "S14"],
        )
        .row(
            "reserve rank changed",
            |d| d.record.strata[1].reserve[0].rank += 1,
            vec!["S10", "S14"],
        )
        .row(
            "reserve dropped",
            |d| d.record.strata[1].reserve.clear(),
            vec!["S10"],
        )
        .row(
            "seats swapped",
            |d| d.record.strata[0].seats.swap(0, 1),
            vec!["S11"],
        )
        .row(
            "a seat dropped",
            |d| d.record.strata[1].seats.truncate(1),
            vec!["S11"],
        )
        .row(
            "roll: an entry's region changed",
            |d| d.roll[5] = region(&d.roll[5], "region-9"),
            vec!["S12", "S13", "S14"],
        )
        .row(
            "roll: two entries swapped",
            |d| d.roll.swap(0, 23),
            vec!["S12", "S13", "S14"],
        )
        .row(
            "roll: last entry dropped",
            |d| {
                d.roll.pop();
            },
            vec!["S12", "S13"],
        );
    let chain = &assembly().chain;
    rows.run(&honest_draw(), |d| {
        failed(&d.record.verify_with_roll(&d.published, chain, &d.roll))
    });
}

/// `entry` with its region attribute set to `value`.
fn region(entry: &RollEntry, value: &str) -> RollEntry {
    let attribute = kleroterion::roll::Attribute::new("region", value).expect("attribute");
    RollEntry::new(*entry.key(), vec![attribute]).expect("entry")
}

// ---------------------------------------------------------------------------
// Assembly records (spec/record.md §6): B1–B3, the draw's S1–S15 against
// the verified chain, each vote's E1–E14.

#[derive(Clone)]
struct Files {
    record: AssemblyRecord,
    roll: String,
}

#[test]
fn assembly_record_table() {
    let rows = Table::<Files, Vec<&'static str>>::new()
        .row("version 3", |x| x.record.version = 3, vec!["B3"])
        .row(
            // B2 and S3 say "not checked": no check runs on the
            // attacker's chain, and none is dropped.
            "beacon round 2's output changed (B2 and S3 not checked)",
            |x| edit_round(threshold_mut(&mut x.record), 1, |p| p.output.0[5] ^= 1),
            // B2 and S3 are "not checked" without a verified chain
            // (spec/record.md §4), not failed.
            vec!["B1"],
        )
        .row(
            "the draw's round dropped from the beacon record",
            |x| {
                threshold_mut(&mut x.record).rounds.pop();
            },
            vec!["B2", "S3"],
        )
        .row(
            "announcement names round 2 (the record was drawn at round 3)",
            |x| x.record.announcement.beacon_round = 2,
            vec!["A2", "S1", "S2", "S3", "S4", "S9", "S10", "S16"],
        )
        .row(
            "selection: a delegate's rank changed",
            |x| x.record.selection.strata[1].selected[0].rank += 1,
            vec!["S9", "S14"],
        )
        .row(
            "roll stream: a line that is not hex",
            |x| x.roll.insert_str(0, "zz\n"),
            vec!["S15"],
        )
        .row(
            "roll stream: a line that is not an entry",
            |x| x.roll = format!("{}\n{}", hex::encode(b"not an entry"), x.roll),
            vec!["S15"],
        )
        .row(
            "vote: announced result of the other vote",
            |x| x.record.votes[0].record.result = x.record.votes[1].record.result.clone(),
            vec!["E2", "E11", "E12"],
        )
        .row(
            "vote: version 2",
            |x| x.record.votes[1].record.version = 2,
            vec!["E1", "E12"],
        )
        .row(
            "vote: eligible set of another assembly",
            |x| {
                let mut keys = x.record.votes[0]
                    .record
                    .eligible
                    .clone()
                    .unwrap()
                    .keys()
                    .to_vec();
                keys[0] = *consent()[0].public_key();
                x.record.votes[0].record.eligible = Some(AnonymitySet::new(keys).unwrap());
            },
            vec!["E12", "E13", "E16"],
        )
        .row(
            // The published list of votes fixes their order (A3), and the
            // replacement before the remedy vote changes who sits (E16).
            "votes listed in another order",
            |x| x.record.votes.swap(0, 1),
            vec!["A3", "E16"],
        )
        .row(
            "the remedy vote listed under the harm vote's name",
            |x| x.record.votes[1].name = x.record.votes[0].name.clone(),
            vec!["A3", "S17", "E7", "E8", "E9", "E12", "E15"],
        );
    let honest = Files {
        record: assembly().record.clone(),
        roll: roll_text(&assembly().roll),
    };
    rows.run(&honest, |x| {
        verify_assembly_with(&x.record, Some(x.roll.clone()))
            .map(|r| failed_sections(&r))
            .expect("every vote's streams exist")
    });
}

// ---------------------------------------------------------------------------
// Credentials (spec/credential.md): membership proofs, consent statements.

#[test]
fn membership_proof_table() {
    let vote = harm_vote();
    let set = vote.record.eligible.clone().expect("restricted vote");
    let context = eligibility_context(&vote.record.manifest).to_vec();
    let message =
        |line: usize| kleroterion::ballot::EncryptedBallot::hash_encoding(&vote.lines[line].ballot);
    let proof = |line: usize| {
        MembershipProof::from_bytes(vote.lines[line].eligibility.as_ref().unwrap()).unwrap()
    };
    /// The statement and proof a verifier is given.
    #[derive(Clone)]
    struct Case {
        set: AnonymitySet,
        context: Vec<u8>,
        message: [u8; 32],
        proof: MembershipProof,
    }
    let failed_proof = Err(Error::VerificationFailed {
        proof: "credential membership",
    });
    let other_tag = *proof(1).tag();
    let remedy = &assembly().record.votes[1].record;
    let remedy_context = eligibility_context(&remedy.manifest).to_vec();
    let rows = Table::<Case, Result<(), Error>>::new()
        .row(
            "the other vote's context",
            move |c| c.context = remedy_context.clone(),
            failed_proof.clone(),
        )
        .row(
            "another ballot's hash as message",
            {
                let m = message(1);
                move |c| c.message = m
            },
            failed_proof.clone(),
        )
        .row(
            "one key of the set replaced",
            |c| {
                let mut keys = c.set.keys().to_vec();
                keys[3] = *consent()[0].public_key();
                c.set = AnonymitySet::new(keys).unwrap();
            },
            failed_proof.clone(),
        )
        .row(
            "a fifth key added to the set (one more bit of depth)",
            |c| {
                let mut keys = c.set.keys().to_vec();
                keys.push(*consent()[0].public_key());
                c.set = AnonymitySet::new(keys).unwrap();
            },
            Err(Error::LengthMismatch {
                what: "membership proof depth for this anonymity set",
                expected: 3,
                actual: 2,
            }),
        )
        .row(
            "another delegate's linking tag",
            move |c| {
                let mut bytes = c.proof.to_bytes();
                let at = find(&bytes, c.proof.tag().as_bytes());
                bytes[at..at + 32].copy_from_slice(other_tag.as_bytes());
                c.proof = MembershipProof::from_bytes(&bytes).unwrap();
            },
            failed_proof.clone(),
        )
        .row(
            "another ballot's proof",
            {
                let p = proof(1);
                move |c| c.proof = p.clone()
            },
            failed_proof.clone(),
        );
    let honest = Case {
        set,
        context,
        message: message(0),
        proof: proof(0),
    };
    assert_eq!(
        honest
            .proof
            .verify(&honest.set, &honest.context, &honest.message),
        Ok(())
    );
    rows.run(&honest, |c| c.proof.verify(&c.set, &c.context, &c.message));
}

#[test]
fn consent_statement_table() {
    use common::{CONSENT_POLITY, CONSENT_YEAR};
    /// Replaces the bytes of `what` (found in the statement's encoding) by
    /// `with`.
    fn patch(c: &mut (ConsentStatement, Vec<u8>, u32), what: &[u8], with: &[u8]) {
        let mut bytes = c.0.to_bytes();
        let at = find(&bytes, what);
        bytes[at..at + with.len()].copy_from_slice(with);
        c.0 = ConsentStatement::from_bytes(&bytes).unwrap();
    }
    let other_polity_or_year = Err(Error::InvalidParameter {
        what: "consent statement is for another polity or year",
    });
    let rows = Table::<(ConsentStatement, Vec<u8>, u32), Result<(), Error>>::new()
        .row(
            "checked for another polity",
            |c| c.1 = b"health@region-south".to_vec(),
            other_polity_or_year.clone(),
        )
        .row(
            "checked for another year",
            |c| c.2 += 1,
            other_polity_or_year.clone(),
        )
        .row(
            "statement's polity changed (same length)",
            |c| patch(c, b"north", b"south"),
            other_polity_or_year.clone(),
        )
        .row(
            "statement's year changed",
            |c| {
                patch(
                    c,
                    &CONSENT_YEAR.to_le_bytes(),
                    &(CONSENT_YEAR + 1).to_le_bytes(),
                )
            },
            other_polity_or_year,
        )
        .row(
            "another citizen's key",
            |c| {
                let (own, other) = (*consent()[0].public_key(), *consent()[1].public_key());
                patch(c, own.as_bytes(), other.as_bytes())
            },
            Err(Error::VerificationFailed { proof: "Schnorr" }),
        )
        .row(
            "another citizen's signature",
            |c| {
                let (own, other) = (consent()[0].to_bytes(), consent()[1].to_bytes());
                let signature = |b: &[u8]| b[b.len() - 64..].to_vec();
                patch(c, &signature(&own), &signature(&other))
            },
            Err(Error::VerificationFailed { proof: "Schnorr" }),
        );
    let honest = (consent()[0].clone(), CONSENT_POLITY.to_vec(), CONSENT_YEAR);
    rows.run(&honest, |(s, polity, year)| s.verify(polity, *year));
}

// ---------------------------------------------------------------------------
// Roll inclusion proofs (spec/sortition.md §3).

#[test]
fn inclusion_proof_table() {
    let a = assembly();
    let drawn = &a.record.selection.strata[0].selected[1];
    let roll = a.record.announcement.roll;
    let failed_proof = Err(Error::VerificationFailed {
        proof: "Merkle inclusion",
    });
    let depth = drawn.proof.path.len();
    type Case = (InclusionProof, RollEntry, kleroterion::roll::RollDigest);
    let rows = Table::<Case, Result<(), Error>>::new()
        .row("index + 1", |c| c.0.index += 1, failed_proof.clone())
        .row(
            "size + 1",
            |c| c.0.size += 1,
            Err(Error::InvalidParameter {
                what: "inclusion proof is for a roll of another size",
            }),
        )
        .row(
            "index outside the roll",
            |c| c.0.index = c.0.size,
            Err(Error::InvalidParameter {
                what: "inclusion proof index outside the roll",
            }),
        )
        .row(
            "a sibling dropped",
            move |c| c.0.path.truncate(depth - 1),
            Err(Error::LengthMismatch {
                what: "inclusion proof path",
                expected: depth,
                actual: depth - 1,
            }),
        )
        .row(
            "siblings swapped",
            |c| c.0.path.swap(0, 1),
            failed_proof.clone(),
        )
        .row(
            "sibling changed",
            move |c| c.0.path[depth - 1] = Digest([0; 32]),
            failed_proof.clone(),
        )
        .row(
            "another entry",
            |c| c.1 = assembly().roll[0].clone(),
            failed_proof.clone(),
        )
        .row(
            "another citizen's key in the entry",
            |c| {
                let key = CitizenKey::new(*consent()[0].public_key().as_bytes()).unwrap();
                c.1 = RollEntry::new(key, c.1.attributes().to_vec()).unwrap();
            },
            failed_proof.clone(),
        )
        .row(
            "another roll of the same size",
            |c| c.2.root.0[0] ^= 1,
            failed_proof,
        );
    rows.run(&(drawn.proof.clone(), drawn.entry.clone(), roll), |c| {
        c.0.verify(&c.1, &c.2)
    });
}

// ---------------------------------------------------------------------------
// Byte sweeps of the large records.

/// Decodes a changed part and puts it into a vote.
type Put = Box<dyn Fn(&mut Vote, &[u8]) -> Result<(), Error> + Send + Sync>;

/// One encoded part of an election record and how to put a changed
/// encoding back (failing if it does not decode).
struct Part {
    name: String,
    bytes: Vec<u8>,
    put: Put,
}

fn part<T: Encode + Decode>(
    name: impl Into<String>,
    value: &T,
    put: impl Fn(&mut Vote, T) + Send + Sync + 'static,
) -> Part {
    Part {
        name: name.into(),
        bytes: value.to_bytes(),
        put: Box::new(move |v, b| T::from_bytes(b).map(|x| put(v, x))),
    }
}

/// Raw parts of the streams: the verifier decodes them itself (E4, E8, E13).
fn raw_part(
    name: String,
    bytes: &[u8],
    put: impl Fn(&mut Vote, Vec<u8>) + Send + Sync + 'static,
) -> Part {
    Part {
        name,
        bytes: bytes.to_vec(),
        put: Box::new(move |v, b| {
            put(v, b.to_vec());
            Ok(())
        }),
    }
}

fn election_parts() -> &'static [Part] {
    static CELL: std::sync::OnceLock<Vec<Part>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let v = harm_vote();
        let r = &v.record;
        let trustees = part("key generation", &r.trustees, |v, t: DkgTranscript| {
            v.record.trustees = t
        });
        let mut parts = vec![
            part("manifest", &r.manifest, |v, m| v.record.manifest = m),
            trustees,
            part("tally", &r.tally, |v, t: TallyAccumulator| {
                v.record.tally = t
            }),
            part("result", &r.result, |v, x: TallyResult| v.record.result = x),
            part("eligible set", r.eligible.as_ref().unwrap(), |v, s| {
                v.record.eligible = Some(s)
            }),
        ];
        for (i, d) in r.decryptions.iter().enumerate() {
            parts.push(part(
                format!("decryption {i}"),
                d,
                move |v, d: TrusteeDecryption| v.record.decryptions[i] = d,
            ));
        }
        for (i, line) in v.lines.iter().enumerate() {
            parts.push(part(format!("line {i} code"), &line.code, move |v, c| {
                v.lines[i].code = c
            }));
            parts.push(raw_part(
                format!("line {i} ballot"),
                &line.ballot,
                move |v, b| v.lines[i].ballot = b,
            ));
            parts.push(raw_part(
                format!("line {i} membership proof"),
                line.eligibility.as_ref().unwrap(),
                move |v, b| v.lines[i].eligibility = Some(b),
            ));
        }
        for (i, c) in v.challenged.iter().enumerate() {
            parts.push(raw_part(format!("challenged {i}"), c, move |v, b| {
                v.challenged[i] = b
            }));
        }
        parts
    })
}

#[test]
fn honest_large_records_verify() {
    assert!(harm_vote().verify().all_passed());
    let d = honest_draw();
    let report = d
        .record
        .verify_with_roll(&d.published, &assembly().chain, &d.roll);
    assert!(report.all_passed(), "{report}");
    let a = assembly();
    let report = verify_assembly_with(&a.record, Some(roll_text(&a.roll))).unwrap();
    assert!(report.all_passed(), "{report}");
}

/// Whether a change of a JSON record is rejected: it does not parse, or it
/// parses to the same record (hex digits in another case), or `verify`
/// fails.
fn json_change_rejected<T: serde::de::DeserializeOwned + PartialEq>(
    tampered: &[u8],
    honest: &T,
    verify: impl FnOnce(&T) -> bool,
) -> bool {
    match serde_json::from_slice::<T>(tampered) {
        Err(_) => true,
        Ok(changed) => changed == *honest || !verify(&changed),
    }
}

fn selection_json() -> &'static Vec<u8> {
    static CELL: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| serde_json::to_vec(&assembly().record.selection).unwrap())
}

fn assembly_json() -> &'static Vec<u8> {
    static CELL: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| serde_json::to_vec(&assembly().record).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A byte of one encoded part of an election record changed: the part
    /// does not decode, or the vote's report fails.
    #[test]
    fn election_record_part_byte_change_is_rejected(
        which in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let part = which.get(election_parts());
        let position = position.index(part.bytes.len());
        let mut bytes = part.bytes.clone();
        bytes[position] ^= mask;
        let mut vote = harm_vote();
        let accepted = (part.put)(&mut vote, &bytes).is_ok() && vote.verify().all_passed();
        prop_assert!(!accepted, "{}: xor {:#04x} at {} accepted", part.name, mask, position);
    }

    /// A byte of a selection record's JSON changed: rejected (checks
    /// S1–S14 with the roll).
    #[test]
    fn selection_record_json_byte_change_is_rejected(
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let honest = &assembly().record.selection;
        let mut json = selection_json().clone();
        let position = position.index(json.len());
        prop_assume!(json[position] != byte);
        json[position] = byte;
        let d = honest_draw();
        prop_assert!(
            json_change_rejected(&json, honest, |r: &SelectionRecord| {
                r.verify_with_roll(&d.published, &assembly().chain, &d.roll).all_passed()
            }),
            "byte {byte:#04x} at {position} accepted"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A byte of an assembly record's JSON changed: rejected (B1–B3,
    /// S1–S15, E1–E14 of every vote).
    #[test]
    fn assembly_record_json_byte_change_is_rejected(
        position in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let a = assembly();
        let mut json = assembly_json().clone();
        let position = position.index(json.len());
        prop_assume!(json[position] != byte);
        json[position] = byte;
        prop_assert!(
            json_change_rejected(&json, &a.record, |r: &AssemblyRecord| {
                verify_assembly_with(r, Some(roll_text(&a.roll))).is_ok_and(|x| x.all_passed())
            }),
            "byte {byte:#04x} at {position} accepted"
        );
    }
}

/// The simulated record's threshold beacon.
fn threshold(record: &AssemblyRecord) -> &BeaconRecord {
    record.beacon.threshold().expect("a threshold beacon")
}

/// The simulated record's threshold beacon, to tamper with.
fn threshold_mut(record: &mut AssemblyRecord) -> &mut BeaconRecord {
    record.beacon.threshold_mut().expect("a threshold beacon")
}
