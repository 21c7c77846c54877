//! Election and assembly records, verified as a whole against the fixture
//! streams (`src/civic.rs`: a simulated assembly with two
//! eligibility-restricted votes, and the record of
//! `test-vectors/election.json`).
//!
//! Input starting with `{` is JSON:
//! * as an `ElectionRecord` (JSON round trip), verified with `verify_record`
//!   and the cast and challenged ballots of the known vote of the same
//!   election id (the vector's otherwise): the report lists E1–E11 (and
//!   E13–E14 for a restricted vote), and passes them all only for the known
//!   record (up to what no public check authenticates, see `same_record`);
//! * as an `AssemblyRecord` (JSON round trip), verified with
//!   `files::verify_assembly` and the fixture roll and vote streams: the
//!   report has the beacon section (B1–B3), the draw section (S1–S15, or
//!   the single "S" when the chain does not verify) and a section per vote
//!   (E1–E12, E13–E14 when restricted), and passes only for the fixture
//!   record.
//!
//! Other input is `selector ‖ ballot stream ‖ NUL ‖ challenged stream`: the
//! streams of the known vote `selector mod 3` (assembly votes in name
//! order, then the vector), read by the bounded line reader of
//! `record::files::verify_vote_streams` (malformed lines, bad hex, non-UTF-8
//! and bad ballots are reported, never fatal). E1–E11 (E13–E14) are always
//! reported; all pass only for streams that parse to exactly the known
//! lines and challenged ballots.
#![no_main]

use std::io;

use kleroterion::record::files::{verify_assembly, verify_vote_streams, VoteStreams};
use kleroterion::record::{verify_record, AssemblyRecord, BallotLine, ElectionRecord};
use kleroterion::record::{Anchoring, Anchors};
use kleroterion_fuzz::civic::{record_fixtures, RecordFixtures, Vote};
use kleroterion_fuzz::fixtures::rng;
use kleroterion_fuzz::{check_ids, json_roundtrip};
use libfuzzer_sys::fuzz_target;

/// The check ids of a vote's report.
fn vote_ids(eligible: bool, assembly: bool) -> Vec<&'static str> {
    let mut ids = vec![
        "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11",
    ];
    if assembly {
        ids.push("E12");
    }
    if eligible {
        ids.extend(["E13", "E14"]);
    }
    if assembly {
        ids.extend(["E15", "E16"]);
    }
    ids
}

/// `record` equals `known` up to what no public check can authenticate:
/// the order of the trustees' decryptions (any order gives the same
/// result). Every other byte, including the dealers' signed round-2 shares,
/// must be the known one.
fn same_record(record: &ElectionRecord, known: &ElectionRecord) -> bool {
    let normalized = |r: &ElectionRecord| {
        let mut r = r.clone();
        r.decryptions.sort_by_key(|d| d.index());
        r
    };
    normalized(record) == normalized(known)
}

fn election_record(f: &RecordFixtures, record: &ElectionRecord) {
    let vote = f
        .all_votes()
        .find(|v| v.record.manifest.election_id() == record.manifest.election_id())
        .unwrap_or(&f.vector);
    let report = verify_record(record, &vote.ballots, &vote.challenged, &mut rng(5));
    assert_eq!(
        check_ids(&report),
        vote_ids(record.eligible.is_some(), false),
        "a check is missing"
    );
    if report.all_passed() {
        assert!(same_record(record, &vote.record), "election record forgery");
    }
}

fn assembly_record(f: &RecordFixtures, record: &AssemblyRecord) {
    let open_vote = |name: &str| -> io::Result<VoteStreams<'static>> {
        let vote = f.votes.get(name).ok_or(io::ErrorKind::NotFound)?;
        Ok(VoteStreams {
            record: vote.record.clone(),
            ballots: Box::new(io::Cursor::new(vote.ballot_text())),
            challenged: Box::new(io::Cursor::new(vote.challenged_text())),
        })
    };
    let roll = Box::new(io::Cursor::new(f.roll_text()));
    // Verified against the known record's anchors, as an auditor would.
    let anchors = Anchors::of(&f.assembly);
    let anchoring = Anchoring::Published(&anchors);
    let Ok(report) = verify_assembly(
        record,
        anchoring,
        Some(roll),
        open_vote,
        &mut rng(6),
        |_, _| {},
    ) else {
        assert!(
            record.votes.iter().any(|v| !f.votes.contains_key(&v.name)),
            "verify_assembly failed although every vote's streams exist"
        );
        return;
    };
    let sections: Vec<(&str, Vec<&str>)> = report
        .sections
        .iter()
        .map(|(title, r)| (title.as_str(), check_ids(r)))
        .collect();
    assert_eq!(
        sections.len(),
        3 + record.votes.len(),
        "a section is missing"
    );
    assert_eq!(sections[0].1, ["A1", "A2", "A3"]);
    assert_eq!(sections[1].1, ["B1", "B2", "B3", "B4"]);
    let draw: Vec<String> = (1..=17).map(|i| format!("S{i}")).collect();
    assert_eq!(sections[2].1, draw, "draw checks");
    for ((_, ids), vote) in sections[3..].iter().zip(&record.votes) {
        assert_eq!(*ids, vote_ids(vote.record.eligible.is_some(), true));
    }
    if report.all_passed() {
        let known = &f.assembly;
        let mut same = record.clone();
        for (vote, known) in same.votes.iter_mut().zip(&known.votes) {
            if same_record(&vote.record, &known.record) {
                vote.record = known.record.clone();
            }
        }
        assert_eq!(&same, known, "assembly record forgery");
    }
}

fn streams(f: &RecordFixtures, selector: u8, data: &[u8]) {
    let votes: Vec<&Vote> = f.all_votes().collect();
    let vote = votes[usize::from(selector) % votes.len()];
    let (ballots, challenged) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let report = verify_vote_streams(&vote.record, ballots, challenged, &mut rng(7), |_| {});
    assert_eq!(
        check_ids(&report),
        vote_ids(vote.record.eligible.is_some(), false),
        "a check is missing"
    );
    if report.all_passed() {
        let lines: Vec<BallotLine> = String::from_utf8_lossy(ballots)
            .lines()
            .map(|l| BallotLine::parse(l).expect("an accepted line parses"))
            .collect();
        assert_eq!(lines, vote.ballots, "accepted ballot stream differs");
        let opened: Vec<Vec<u8>> = String::from_utf8_lossy(challenged)
            .lines()
            .map(|l| hex::decode(l.trim()).expect("an accepted challenged line is hex"))
            .collect();
        assert_eq!(
            opened, vote.challenged,
            "accepted challenged stream differs"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let f = record_fixtures();
    match data.split_first() {
        Some((b'{', _)) => {
            if let Some(record) = json_roundtrip::<ElectionRecord>(data) {
                election_record(f, &record);
            }
            if let Some(record) = json_roundtrip::<AssemblyRecord>(data) {
                assembly_record(f, &record);
            }
        }
        Some((&selector, rest)) => streams(f, selector, rest),
        None => {}
    }
});
