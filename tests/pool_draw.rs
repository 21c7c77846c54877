//! The pool draw record (spec/pool-draw.md): an honest record passes every
//! check against its anchors, and each forgery fails the check that stops
//! it — one test per new check (P1, P7–P10, B2–B4, A1–A2) and for each of a
//! tampered certificate, panel list or quota, a pool member removed or
//! added, another beacon round and an announcement that is not the
//! anchored one.

#[path = "common/pool.rs"]
mod pool;

use kleroterion::encoding::{Decode, Encode};
use kleroterion::error::Error;
use kleroterion::fairness::{FairnessCertificate, PoolRoster, QuotaBounds};
use kleroterion::record::files::{
    read_pool_draw, verify_pool_dir, write_pool_draw, POOL_DRAW_FILE,
};
use kleroterion::record::pool::{PoolDrawRecord, POOL_DRAW_VERSION};
use kleroterion::record::{Anchoring, Anchors, AssemblyReport};
use kleroterion::report::{Outcome, Verdict};
use kleroterion::sortition::panel::{PanelAnnouncement, PanelList};
use kleroterion::sortition::{BeaconChain, BeaconOutput};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use pool::*;

fn verify(record: &PoolDrawRecord, anchors: &Anchors) -> AssemblyReport {
    record.verify(
        Anchoring::Published(anchors),
        &mut ChaCha20Rng::seed_from_u64(1),
    )
}

/// The ids of the checks that did not pass, with their outcome word.
fn not_passed(report: &AssemblyReport) -> Vec<(&'static str, &'static str)> {
    report
        .checks()
        .filter(|(_, _, c)| !c.passed())
        .map(|(_, _, c)| (c.id, c.outcome.word()))
        .collect()
}

fn failed(report: &AssemblyReport) -> Vec<&'static str> {
    report
        .checks()
        .filter(|(_, _, c)| c.failed())
        .map(|(_, _, c)| c.id)
        .collect()
}

const F_ALL: [&str; 5] = ["F2", "F3", "F4", "F5", "F7"];

fn f_not_checked() -> Vec<(&'static str, &'static str)> {
    F_ALL.iter().map(|&id| (id, "not checked")).collect()
}

/// `record` with `objects` re-committed by an organiser: a new
/// announcement, a new draw, new anchors.
fn organiser_commits(objects: &Objects) -> (PoolDrawRecord, Anchors) {
    record_of(objects)
}

#[test]
fn an_honest_pool_draw_passes_every_check() {
    let (record, anchors) = base();
    let report = verify(&record, &anchors);
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    let sections: Vec<(&str, Vec<&str>)> = report
        .sections
        .iter()
        .map(|(t, r)| (t.as_str(), r.checks.iter().map(|c| c.id).collect()))
        .collect();
    assert_eq!(
        sections,
        [
            ("Anchors", vec!["A1", "A2"]),
            ("Beacon", vec!["B1", "B2", "B3", "B4"]),
            (
                "Pool draw",
                vec!["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10"]
            ),
            ("Fairness", F_ALL.to_vec()),
        ]
    );
    // Without anchors: A1, A2 and (drand) P7 are not anchored, never ok.
    let unanchored = record.verify(Anchoring::Unanchored, &mut ChaCha20Rng::seed_from_u64(1));
    assert_eq!(unanchored.verdict(), Verdict::Incomplete);
    assert_eq!(
        not_passed(&unanchored),
        [
            ("A1", "not anchored"),
            ("A2", "not anchored"),
            ("P7", "not anchored")
        ]
    );
    // The picked panel is one of the two.
    assert!(record.chosen < 2);
}

#[test]
fn the_directory_round_trips_and_a_malformed_file_is_r1() {
    let (record, anchors) = base();
    let dir = std::env::temp_dir().join(format!("kleroterion-pool-draw-{}", std::process::id()));
    write_pool_draw(&dir, &record).unwrap();
    assert_eq!(read_pool_draw(&dir).unwrap(), record);
    let report = verify_pool_dir(
        &dir,
        Anchoring::Published(&anchors),
        &mut ChaCha20Rng::seed_from_u64(1),
    )
    .unwrap();
    assert_eq!(report.verdict(), Verdict::Passed, "{report}");
    // A cut file does not decode: R1 alone.
    let text = std::fs::read_to_string(dir.join(POOL_DRAW_FILE)).unwrap();
    std::fs::write(dir.join(POOL_DRAW_FILE), &text[..text.len() / 2]).unwrap();
    let report = verify_pool_dir(
        &dir,
        Anchoring::Published(&anchors),
        &mut ChaCha20Rng::seed_from_u64(1),
    )
    .unwrap();
    assert_eq!(failed(&report), ["R1"]);
    assert_eq!(report.total(), 1);
    // A missing file is an error of the input, not a report.
    std::fs::remove_file(dir.join(POOL_DRAW_FILE)).unwrap();
    assert!(verify_pool_dir(
        &dir,
        Anchoring::Unanchored,
        &mut ChaCha20Rng::seed_from_u64(1)
    )
    .is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn p1_announcement_version_1_or_garbage_fails_p1_and_its_dependents_are_not_checked() {
    let (mut record, mut anchors) = base();
    // A version-1 announcement (the list only): typed version error.
    let mut v1 = record.announcement.clone();
    v1[1] = 1;
    assert!(matches!(
        PanelAnnouncement::from_bytes(&v1),
        Err(Error::UnsupportedVersion { found: 1, .. })
    ));
    record.announcement = v1;
    anchors.announcement = record.anchors().announcement;
    let report = verify(&record, &anchors);
    let mut expected = vec![
        ("B2", "not checked"),
        ("B4", "not checked"),
        ("P1", "failed"),
    ];
    for id in ["P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10"] {
        expected.push((id, "not checked"));
    }
    expected.extend(f_not_checked());
    assert_eq!(not_passed(&report), expected);
}

#[test]
fn tampered_certificate_fails_p10() {
    let (mut record, anchors) = base();
    // A larger gap, after the draw: still a valid proof, not the committed one.
    record.certificate = certificate(1).to_bytes();
    let mut expected = vec![("P10", "failed")];
    expected.extend(f_not_checked());
    assert_eq!(not_passed(&verify(&record, &anchors)), expected);
    // Bytes that do not decode fail P10 too, with the decoder's error.
    record.certificate = vec![0x39, 0x01, 0];
    let report = verify(&record, &anchors);
    assert_eq!(failed(&report), ["P10"]);
}

#[test]
fn tampered_panel_list_fails_p4() {
    let (mut record, anchors) = base();
    record.panels = panels(&[&[0, 3], &[1, 3]]).to_bytes();
    let mut expected = vec![("P4", "failed"), ("P6", "not checked")];
    expected.extend(f_not_checked());
    assert_eq!(not_passed(&verify(&record, &anchors)), expected);
    // A panel's keys out of order: not the canonical encoding.
    let mut bytes = objects().panels.to_bytes();
    // Header 2, m 4, first panel's count 4: swap its two keys.
    let (a, b) = (10, 42);
    let first: Vec<u8> = bytes[a..a + 32].to_vec();
    let second: Vec<u8> = bytes[b..b + 32].to_vec();
    bytes[a..a + 32].copy_from_slice(&second);
    bytes[b..b + 32].copy_from_slice(&first);
    assert!(PanelList::from_bytes(&bytes).is_err());
}

#[test]
fn tampered_panel_fails_p6() {
    let (mut record, anchors) = base();
    record.panel = vec![key(0), key(1)];
    assert_eq!(not_passed(&verify(&record, &anchors)), [("P6", "failed")]);
}

#[test]
fn tampered_quota_fails_p8() {
    let (mut record, anchors) = base();
    record.quotas = quotas_with(QuotaBounds { min: 0, max: 2 }).to_bytes();
    let mut expected = vec![("P8", "failed"), ("P9", "not checked")];
    expected.extend(f_not_checked());
    assert_eq!(not_passed(&verify(&record, &anchors)), expected);
}

#[test]
fn pool_member_removed_or_added_fails_p9() {
    for ids in [&[0, 1, 2][..], &[0, 1, 2, 3, 4][..]] {
        let (mut record, anchors) = base();
        record.pool = pool_of(ids).to_bytes();
        let mut expected = vec![("P9", "failed")];
        expected.extend(f_not_checked());
        assert_eq!(not_passed(&verify(&record, &anchors)), expected, "{ids:?}");
    }
}

#[test]
fn p9_a_committed_pool_that_does_not_fit_the_quotas() {
    // The organiser commits to a pool without households under quotas that
    // name one: the pool is the announced one but does not fit.
    let mut objects = objects();
    let people = objects
        .pool
        .people()
        .iter()
        .cloned()
        .map(|mut p| {
            p.household = None;
            p
        })
        .collect();
    objects.pool = PoolRoster::new(1, people).unwrap();
    let (record, anchors) = organiser_commits(&objects);
    let mut expected = vec![("P9", "failed")];
    expected.extend(f_not_checked());
    assert_eq!(not_passed(&verify(&record, &anchors)), expected);
}

#[test]
fn other_beacon_round_fails_p2() {
    let (mut record, anchors) = base();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let verified = record.beacon.verify(&mut rng).unwrap();
    use kleroterion::beacon::BeaconSource;
    record.beacon_round = OTHER_ROUND;
    record.beacon_output = verified.verified_output(OTHER_ROUND).unwrap();
    let report = verify(&record, &anchors);
    let f = failed(&report);
    assert!(f.starts_with(&["P2", "P3"]), "{report}");
    // P5 and P6 fail too exactly when the other output picks another panel.
    let ann = PanelAnnouncement::from_bytes(&record.announcement).unwrap();
    let other_pick = ann.pick(&record.beacon_output).unwrap();
    let moved = other_pick != record.chosen;
    assert_eq!(f.contains(&"P5"), moved);
}

#[test]
fn p3_an_output_that_is_not_the_rounds_fails_p3_and_p5() {
    let (mut record, anchors) = base();
    record.beacon_output = BeaconOutput([7; 32]);
    let f = failed(&verify(&record, &anchors));
    assert_eq!(f.first(), Some(&"P3"));
}

#[test]
fn announcement_not_matching_the_anchors_fails_a2() {
    // Another announcement (another round named) with everything else kept.
    let objects = objects();
    let (record, _) = base();
    let (_, published) = base();
    let beacon = beacon();
    let other = announcement(&objects, &beacon, OTHER_ROUND);
    let mut forged = record.clone();
    forged.announcement = other.to_bytes();
    let report = verify(&forged, &published);
    let f = failed(&report);
    assert!(f.contains(&"A2") && f.contains(&"P2"), "{report}");
    // Another chain in the anchors: A1.
    let mut anchors = published.clone();
    anchors.beacon_chain.0[0] ^= 1;
    assert_eq!(failed(&verify(&record, &anchors)), ["A1"]);
}

#[test]
fn b4_an_announcement_naming_another_chain() {
    let objects = objects();
    let (record, _) = base();
    let mut ann = PanelAnnouncement::from_bytes(&record.announcement).unwrap();
    ann.beacon_chain = BeaconChain::Kleroterion(*ann.beacon_chain.id());
    let mut forged = record.clone();
    forged.announcement = ann.to_bytes();
    let anchors = forged.anchors();
    let mut anchors = Anchors {
        announcement_published: Some(PUBLISHED),
        ..anchors
    };
    anchors.votes.clear();
    let f = failed(&verify(&forged, &anchors));
    assert!(f.contains(&"B4"), "{f:?}");
    let _ = objects;
}

#[test]
fn b2_a_round_the_beacon_does_not_hold() {
    let objects = objects();
    let beacon = beacon();
    let ann = announcement(&objects, &beacon, ROUND + 1);
    let (mut record, _) = base();
    record.announcement = ann.to_bytes();
    record.beacon_round = ROUND + 1;
    let mut anchors = record.anchors();
    anchors.announcement_published = Some(PUBLISHED);
    let f = failed(&verify(&record, &anchors));
    assert!(f.starts_with(&["B2"]) && f.contains(&"P3"), "{f:?}");
}

#[test]
fn b3_another_record_version() {
    let (mut record, anchors) = base();
    record.version = POOL_DRAW_VERSION + 1;
    assert_eq!(failed(&verify(&record, &anchors)), ["B3"]);
}

#[test]
fn p7_an_announcement_published_too_late() {
    let (record, mut anchors) = base();
    // Published 200 s before the round was due: inside the 300 s margin.
    anchors.announcement_published = Some(1784792340 - 200);
    assert_eq!(failed(&verify(&record, &anchors)), ["P7"]);
    anchors.announcement_published = None;
    assert_eq!(
        not_passed(&verify(&record, &anchors)),
        [("P7", "not anchored")]
    );
}

#[test]
fn fairness_forgeries_under_a_committed_announcement_fail_their_f_check() {
    // The organiser commits to a bad lottery: the bindings hold, the F
    // checks do not.
    let cases: Vec<(&str, Objects, &str)> = vec![
        (
            "two of one cell",
            Objects {
                panels: panels(&[&[0, 2], &[1, 3]]),
                ..objects()
            },
            "F2",
        ),
        (
            "a stranger",
            Objects {
                panels: panels(&[&[0, 3], &[1, 6]]),
                ..objects()
            },
            "F2",
        ),
        (
            "one household twice",
            Objects {
                panels: panels(&[&[0, 1], &[2, 3]]),
                ..objects()
            },
            "F3",
        ),
        (
            "a missing cell dual",
            Objects {
                certificate: FairnessCertificate {
                    cells: vec![certificate(0).cells[0]],
                    ..certificate(0)
                },
                ..objects()
            },
            "F4",
        ),
        (
            "gamma lowered",
            Objects {
                certificate: FairnessCertificate {
                    gamma: 0,
                    ..certificate(0)
                },
                ..objects()
            },
            "F5",
        ),
        (
            "an unannounced gap",
            Objects {
                panels: panels(&[&[0, 3], &[0, 3]]),
                ..objects()
            },
            "F7",
        ),
    ];
    for (what, objects, check) in cases {
        let (record, anchors) = organiser_commits(&objects);
        let report = verify(&record, &anchors);
        assert_eq!(failed(&report), [check], "{what}: {report}");
    }
}

#[test]
fn the_in_memory_lottery_verifier_checks_bindings_and_fairness() {
    use kleroterion::sortition::panel::PanelLotteryRecord;
    use kleroterion::sortition::VerifiedRounds;
    let objects = objects();
    let ann = announcement(&objects, &beacon(), 5);
    let mut rounds = VerifiedRounds::new();
    rounds.insert_verified(5, BeaconOutput([9; 32]));
    let rec = PanelLotteryRecord::create(&ann, &objects.panels, &rounds).unwrap();
    let report = rec.verify_fair(&ann, &rounds, objects.borrow());
    assert!(report.all_passed(), "{report}");
    let ids: Vec<_> = report.checks.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        ["P1", "P2", "P3", "P4", "P5", "P6", "P8", "P9", "P10", "F2", "F3", "F4", "F5", "F7"]
    );
    let forged = Objects {
        certificate: certificate(1),
        ..objects.clone()
    };
    let report = rec.verify_fair(&ann, &rounds, forged.borrow());
    let failed: Vec<_> = report.failures().map(|c| c.id).collect();
    assert_eq!(failed, ["P10"]);
    assert!(matches!(
        report.get("F7").map(|c| &c.outcome),
        Some(Outcome::NotChecked(_))
    ));
}

#[test]
fn decoders_are_strict() {
    let (record, _) = base();
    // Every strict prefix of every committed object fails to decode.
    for n in 0..record.announcement.len() {
        assert!(PanelAnnouncement::from_bytes(&record.announcement[..n]).is_err());
    }
    for n in 0..record.pool.len() {
        assert!(PoolRoster::from_bytes(&record.pool[..n]).is_err());
    }
    for n in 0..record.panels.len() {
        assert!(PanelList::from_bytes(&record.panels[..n]).is_err());
    }
    let mut long = record.announcement.clone();
    long.push(0);
    assert!(matches!(
        PanelAnnouncement::from_bytes(&long),
        Err(Error::TrailingBytes { .. })
    ));
    // m = 0 and a beacon kind 3 are rejected.
    let ann = PanelAnnouncement::from_bytes(&record.announcement).unwrap();
    let mut zero = ann.clone();
    zero.count = 0;
    assert!(PanelAnnouncement::from_bytes(&zero.to_bytes()).is_err());
    let mut kind = record.announcement.clone();
    let at = 2 + 4 + ann.polity.as_str().len() + 4 + ann.assembly.as_str().len() + 4;
    kind[at] = 3;
    assert!(PanelAnnouncement::from_bytes(&kind).is_err());
    // A panel list claiming 2^32 - 1 panels in a few bytes.
    let mut huge = record.panels.clone();
    huge[2..6].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        PanelList::from_bytes(&huge),
        Err(Error::UnexpectedEnd { .. })
    ));
}

#[test]
fn p7_on_a_threshold_chain_the_announcement_must_be_registered() {
    use kleroterion::beacon::threshold::BeaconRecord;
    use kleroterion::record::AssemblyBeacon;
    // The chain of test-vectors/beacon-chain.json registers no pool
    // announcement: a draw on it fails P7 (and only P7).
    let file: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/test-vectors/beacon-chain.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let bytes = hex::decode(file["record"].as_str().unwrap()).unwrap();
    let chain = AssemblyBeacon::Kleroterion(BeaconRecord::from_bytes(&bytes).unwrap());
    let round = *chain.rounds().last().unwrap();
    let objects = objects();
    let ann = announcement(&objects, &chain, round);
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let record = PoolDrawRecord::draw(&ann, objects.borrow(), chain, &mut rng).unwrap();
    let report = verify(&record, &record.anchors());
    assert_eq!(failed(&report), ["P7"], "{report}");
    let reason = report
        .checks()
        .find(|(_, _, c)| c.id == "P7")
        .and_then(|(_, _, c)| c.outcome.reason().map(String::from))
        .unwrap();
    assert!(reason.contains("registered with no round"), "{reason}");
}
