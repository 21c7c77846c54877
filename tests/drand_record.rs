//! A draw seeded by a real round of drand's `quicknet` (spec/beacon.md §3):
//! the record kept in `test-vectors/drand-record/` (a small roll, no votes)
//! verifies through the same assembly verifier as a threshold-beacon record,
//! and the forgeries of a drand-seeded draw fail the check that stops them.
//!
//! The record is written by [`generate`]; rewrite it with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test drand_record` (only
//! after an intended change of the spec).

use std::path::{Path, PathBuf};

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use kleroterion::beacon::drand::{DrandBeacon, DrandChain, DrandRound};
use kleroterion::beacon::{BeaconOutput, VerifiedRounds};
use kleroterion::civic::{AssemblyId, PolityId};
use kleroterion::encoding::Encode;
use kleroterion::record::assembly::ASSEMBLY_RECORD_VERSION;
use kleroterion::record::files::{open_roll, read_assembly_record, verify_draw, write_assembly};
use kleroterion::record::{
    Anchoring, Anchors, AssemblyBeacon, AssemblyRecord, AssemblyReport, DRAND_PRECEDENCE_MARGIN,
};
use kleroterion::report::{Outcome, Verdict};
use kleroterion::roll::{roll_digest, Attribute, CitizenKey, RollEntry};
use kleroterion::sortition::{
    BeaconChain, Census, DrawAnnouncement, DrawParams, Quotas, SelectionRecord,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// The quicknet round that seeds the draw, and another published round.
const ROUND: u64 = 30662992;
const OTHER_ROUND: u64 = 30662990;

/// When the announcement was published (Unix time): a day before `ROUND`
/// was due (1784792340).
const PUBLISHED: u64 = 1784705940;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/drand-record")
}

/// The networks and rounds of `test-vectors/drand.json`.
fn vectors() -> serde_json::Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/drand.json"),
    )
    .expect("test-vectors/drand.json");
    serde_json::from_str(&text).expect("JSON")
}

/// Network `name`'s chain info and its published round `round`.
fn published(name: &str, round: u64) -> (DrandChain, DrandRound) {
    let v = vectors();
    let c = v["chains"]
        .as_array()
        .expect("chains")
        .iter()
        .find(|c| c["name"] == name)
        .expect("network");
    let chain = DrandChain::from_info_json(&c["info"].to_string()).expect("chain info");
    let r = c["rounds"]
        .as_array()
        .expect("rounds")
        .iter()
        .find(|r| r["round"] == round)
        .expect("round");
    let hex_of = |k: &str| r[k].as_str().map(|s| hex::decode(s).expect("hex"));
    let round = DrandRound {
        round,
        signature: hex_of("signature").expect("signature"),
        previous_signature: hex_of("previous_signature"),
    };
    (chain, round)
}

/// A sorted roll of 24 citizens in three regions.
fn roll() -> Vec<RollEntry> {
    let mut v: Vec<RollEntry> = (1..=24u64)
        .map(|i| {
            let key =
                CitizenKey::from_point(&(&Scalar::from(7_000 + i) * RISTRETTO_BASEPOINT_TABLE))
                    .expect("key");
            let region = Attribute::new("region", format!("r{}", i % 3)).expect("attribute");
            RollEntry::new(key, vec![region]).expect("entry")
        })
        .collect();
    v.sort_by_key(|e| *e.key());
    v
}

/// The draw of 5 delegates (and 2 reserves per region) from the roll,
/// seeded by quicknet `ROUND`, with the anchors its organiser publishes.
fn generate() -> (AssemblyRecord, Vec<RollEntry>, Anchors) {
    let roll = roll();
    let (chain, round) = published("quicknet", ROUND);
    let (_, other) = published("quicknet", OTHER_ROUND);
    let announcement = DrawAnnouncement {
        polity: PolityId::new("drand@example").expect("polity"),
        assembly: AssemblyId::new("drand-panel").expect("assembly"),
        year: 2026,
        roll: roll_digest(&roll).expect("roll"),
        beacon_chain: BeaconChain::Drand(chain.chain_hash()),
        beacon_round: ROUND,
        params: DrawParams::new(
            Some("region".into()),
            Quotas::Proportional { seats: 5 },
            2,
            vec![],
            None,
        )
        .expect("params"),
    };
    let beacon = DrandBeacon {
        chain,
        rounds: vec![other, round],
    };
    let verified = beacon.verify().expect("published rounds verify");
    let census = Census::scan(&roll, &announcement.params).expect("census");
    let selection =
        SelectionRecord::create(&announcement, &verified, &census, &roll).expect("draw");
    let record = AssemblyRecord {
        version: ASSEMBLY_RECORD_VERSION,
        beacon: AssemblyBeacon::Drand(beacon),
        announcement,
        selection,
        replacements: vec![],
        votes: vec![],
    };
    let mut anchors = Anchors::of(&record);
    anchors.announcement_published = Some(PUBLISHED);
    (record, roll, anchors)
}

fn verify(record: &AssemblyRecord, roll: &[RollEntry], anchoring: Anchoring<'_>) -> AssemblyReport {
    let lines: String = roll
        .iter()
        .map(|e| hex::encode(e.to_bytes()) + "\n")
        .collect();
    verify_draw(
        record,
        anchoring,
        Some(Box::new(std::io::Cursor::new(lines.into_bytes()))),
        &mut ChaCha20Rng::seed_from_u64(7),
    )
}

fn outcome<'a>(report: &'a AssemblyReport, id: &str) -> &'a Outcome {
    &report
        .checks()
        .find(|(_, _, c)| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .2
        .outcome
}

fn failed(report: &AssemblyReport) -> Vec<&'static str> {
    report
        .checks()
        .filter(|(_, _, c)| matches!(c.outcome, Outcome::Failed(_)))
        .map(|(_, _, c)| c.id)
        .collect()
}

#[test]
fn stored_record_is_what_the_generator_writes() {
    let (record, roll, anchors) = generate();
    let anchors_json = serde_json::to_string_pretty(&anchors).expect("JSON") + "\n";
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        write_assembly(dir(), &record, Some(&roll)).expect("write");
        std::fs::write(dir().join("anchors.json"), &anchors_json).expect("write");
    }
    assert_eq!(read_assembly_record(dir()).expect("read"), record);
    let stored = std::fs::read_to_string(dir().join("anchors.json")).expect("anchors.json");
    assert_eq!(stored, anchors_json);
}

#[test]
fn the_stored_drand_seeded_record_verifies() {
    let record = read_assembly_record(dir()).expect("record");
    let anchors: Anchors = serde_json::from_str(
        &std::fs::read_to_string(dir().join("anchors.json")).expect("anchors.json"),
    )
    .expect("anchors");
    let report = verify_draw(
        &record,
        Anchoring::Published(&anchors),
        open_roll(dir()),
        &mut ChaCha20Rng::seed_from_u64(1),
    );
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    assert!(report.total() >= 24, "{report}");
    // The seed is the draw's of the round's published randomness.
    let randomness = "b21201bdbe54b1e3ca135bf319bbca22b90b8ae30944c4a6790f74267d074827";
    assert_eq!(hex::encode(record.selection.beacon_output.0), randomness);

    // Without anchors: consistent, but A1, A2, A3 and S16 are not anchored.
    let report = verify_draw(
        &record,
        Anchoring::Unanchored,
        open_roll(dir()),
        &mut ChaCha20Rng::seed_from_u64(1),
    );
    assert_eq!(report.verdict(), Verdict::Incomplete);
    for id in ["A1", "A2", "A3", "S16"] {
        assert!(
            matches!(outcome(&report, id), Outcome::NotAnchored(_)),
            "{id}"
        );
    }
    // Anchors without a publication time: S16 not anchored, never passed.
    let mut untimed = anchors.clone();
    untimed.announcement_published = None;
    let report = verify_draw(
        &record,
        Anchoring::Published(&untimed),
        open_roll(dir()),
        &mut ChaCha20Rng::seed_from_u64(1),
    );
    assert!(matches!(outcome(&report, "S16"), Outcome::NotAnchored(_)));
    assert_eq!(report.verdict(), Verdict::Incomplete);
}

#[test]
fn forgery_seeded_from_another_round_fails_s3() {
    let (mut record, roll, anchors) = generate();
    // The selection drawn with round OTHER_ROUND's randomness while the
    // announcement names ROUND.
    let other = published("quicknet", OTHER_ROUND).1;
    let mut source = VerifiedRounds::new();
    source.insert_verified(
        ROUND,
        kleroterion::beacon::drand::randomness(&other.signature),
    );
    let census = Census::scan(&roll, &record.announcement.params).expect("census");
    record.selection =
        SelectionRecord::create(&record.announcement, &source, &census, &roll).expect("draw");
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert_eq!(failed(&report), vec!["S3"], "{report}");

    // Or the record says it used the other round.
    let (mut record, roll, anchors) = generate();
    record.selection.beacon_round = OTHER_ROUND;
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert!(failed(&report).contains(&"S2"), "{report}");
}

#[test]
fn forgery_round_of_another_drand_network_fails() {
    // The default network's round 3907447 in place of quicknet's: its
    // chain info and round verify (B1), but the announcement names
    // quicknet (B4), and the draw's round is absent (B2, S3).
    let (mut record, roll, anchors) = generate();
    let (default, round) = published("default", 3907447);
    record.beacon = AssemblyBeacon::Drand(DrandBeacon {
        chain: default.clone(),
        rounds: vec![round.clone()],
    });
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    let f = failed(&report);
    assert!(
        f.contains(&"A1") && f.contains(&"B4") && f.contains(&"B2"),
        "{report}"
    );

    // quicknet's round under the other network's chain info: B1.
    let (mut record, roll, anchors) = generate();
    if let AssemblyBeacon::Drand(b) = &mut record.beacon {
        b.chain = default;
    }
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert!(failed(&report).contains(&"B1"), "{report}");

    // The announcement rewritten to name the other network: A1 and A2.
    let (mut record, roll, anchors) = generate();
    let (default, round) = published("default", 3907447);
    record.announcement.beacon_chain = BeaconChain::Drand(default.chain_hash());
    record.announcement.beacon_round = 3907447;
    record.beacon = AssemblyBeacon::Drand(DrandBeacon {
        chain: default,
        rounds: vec![round],
    });
    let verified = match &record.beacon {
        AssemblyBeacon::Drand(b) => b.verify().expect("verifies"),
        AssemblyBeacon::Kleroterion(_) => unreachable!(),
    };
    let census = Census::scan(&roll, &record.announcement.params).expect("census");
    record.selection =
        SelectionRecord::create(&record.announcement, &verified, &census, &roll).expect("draw");
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    let f = failed(&report);
    assert!(f.contains(&"A1") && f.contains(&"A2"), "{report}");
    // The threshold-beacon kind with quicknet's hash is another chain (B4).
    let (mut record, roll, anchors) = generate();
    record.announcement.beacon_chain = BeaconChain::Kleroterion(*record.beacon.chain().id());
    record.selection.announcement = record.announcement.clone();
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert!(failed(&report).contains(&"B4"), "{report}");
}

#[test]
fn forgery_tampered_signature_fails_b1() {
    let (mut record, roll, anchors) = generate();
    if let AssemblyBeacon::Drand(b) = &mut record.beacon {
        if let Some(r) = b.rounds.last_mut() {
            r.signature[10] ^= 0x01;
        }
    }
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert_eq!(failed(&report), vec!["B1"], "{report}");
    for id in ["B2", "S3", "S16"] {
        assert!(
            matches!(outcome(&report, id), Outcome::NotChecked(_)),
            "{id}"
        );
    }
    // A round's signature relabelled as another round.
    let (mut record, roll, anchors) = generate();
    if let AssemblyBeacon::Drand(b) = &mut record.beacon {
        b.rounds[0].round = ROUND - 1;
    }
    let report = verify(&record, &roll, Anchoring::Published(&anchors));
    assert!(failed(&report).contains(&"B1"), "{report}");
}

#[test]
fn forgery_announcement_published_after_the_round_fails_s16() {
    let (record, roll, mut anchors) = generate();
    let due = 1692803367 + (ROUND - 1) * 3;
    // Published after the round: the output was known.
    anchors.announcement_published = Some(due + 60);
    let r = verify(&record, &roll, Anchoring::Published(&anchors));
    assert_eq!(failed(&r), vec!["S16"], "{r}");
    // Within the margin before the round: not shown to precede it.
    anchors.announcement_published = Some(due - DRAND_PRECEDENCE_MARGIN + 1);
    let r = verify(&record, &roll, Anchoring::Published(&anchors));
    assert_eq!(failed(&r), vec!["S16"], "{r}");
    // Exactly the margin before: passes.
    anchors.announcement_published = Some(due - DRAND_PRECEDENCE_MARGIN);
    let r = verify(&record, &roll, Anchoring::Published(&anchors));
    assert_eq!(r.verdict(), Verdict::Passed, "{r}");
}

#[test]
fn a_drand_beacon_output_is_the_rounds_randomness() {
    let (chain, round) = published("quicknet", ROUND);
    let out: BeaconOutput = chain.verify_round(&round).expect("verifies");
    assert_eq!(
        out,
        kleroterion::beacon::drand::randomness(&round.signature)
    );
}
