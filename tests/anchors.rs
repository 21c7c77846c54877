//! The four forgeries of issue #15, each a whole assembly record that agrees
//! with itself, and the numbered check that now rejects it
//! (spec/anchors.md, spec/record.md §6).
//!
//! 1. **Another beacon**: the organiser runs a chain of their own, redraws
//!    from the public roll and keeps the votes: A1/A2 (anchored) and B4.
//! 2. **Announcement chosen after the output**: keep the published chain,
//!    change the announcement after seeing the output: S16 (even without
//!    anchors) and A2.
//! 3. **Votes by anyone**: a vote held among other keys: E16 (even without
//!    anchors).
//! 4. **Votes anchored in themselves**: a vote under another election key:
//!    E15.
//!
//! And without anchors, the honest record is never "passed".

use std::collections::BTreeMap;
use std::io::{self, BufRead, Cursor};

use kleroterion::beacon::threshold::{
    combine, BeaconParameters, BeaconPartial, BeaconRecord, ChainMode,
};
use kleroterion::beacon::{BeaconOutput, Registrations};
use kleroterion::record::files::{verify_assembly, VoteStreams};
use kleroterion::record::{
    Anchoring, Anchors, AssemblyBeacon, AssemblyRecord, AssemblyReport, Electorate,
};
use kleroterion::report::{Outcome, Verdict};
use kleroterion::roll::{Digest, RollEntry};
use kleroterion::simulate::{
    simulate_assembly, MemorySink, Simulation, SimulationParams, CONSULTATION_VOTE, HARM_VOTE,
};
use kleroterion::sortition::{BeaconChain, Census, DrawAnnouncement, SelectionRecord};
use kleroterion::trustees::dkg::DkgParameters;
use kleroterion::trustees::simulate::run_locally;

mod common;

use common::{failed_sections as failed, rng, roll_text, vote_streams};

/// A small assembly with a consultation vote (open to the polity).
fn simulate(seed: u64) -> (Simulation, MemorySink) {
    let params = SimulationParams {
        citizens: 30,
        strata: 2,
        seats: 4,
        reserve: 2,
        trustees: 3,
        threshold: 2,
        absent: vec![3],
        challenged: 1,
        consultation_ballots: 5,
        features: false,
    };
    let mut sink = MemorySink::default();
    let sim = simulate_assembly(&params, &mut rng(seed), &mut sink, |_, _| {}).expect("simulation");
    (sim, sink)
}

fn honest() -> &'static (Simulation, MemorySink) {
    static CELL: std::sync::OnceLock<(Simulation, MemorySink)> = std::sync::OnceLock::new();
    CELL.get_or_init(|| simulate(1))
}

fn other() -> &'static (Simulation, MemorySink) {
    static CELL: std::sync::OnceLock<(Simulation, MemorySink)> = std::sync::OnceLock::new();
    CELL.get_or_init(|| simulate(2))
}

/// The anchors the auditor holds: the honest organiser's, published before
/// the events they fix.
fn anchors() -> Anchors {
    Anchors::of(&honest().0.record)
}

/// Verifies `record` with the honest roll and, for each vote, the streams
/// of `streams[name]`.
fn verify(
    record: &AssemblyRecord,
    streams: &BTreeMap<&str, &MemorySink>,
    anchoring: Anchoring<'_>,
) -> AssemblyReport {
    let open_vote = |name: &str| -> io::Result<VoteStreams<'static>> {
        let sink = streams.get(name).copied().unwrap_or(&honest().1);
        let vote = record
            .votes
            .iter()
            .find(|v| v.name == name)
            .ok_or(io::ErrorKind::NotFound)?;
        Ok(vote_streams(sink, name, vote.record.clone()))
    };
    let roll = roll_text(&honest().0.roll);
    let roll = Some(Box::new(Cursor::new(roll.into_bytes())) as Box<dyn BufRead>);
    verify_assembly(record, anchoring, roll, open_vote, &mut rng(9), |_, _| {}).expect("verifies")
}

fn outcome<'a>(report: &'a AssemblyReport, section: &str, id: &str) -> &'a Outcome {
    &report
        .sections
        .iter()
        .find(|(t, _)| t.contains(section))
        .and_then(|(_, r)| r.get(id))
        .unwrap_or_else(|| panic!("no check {id} in section {section}"))
        .outcome
}

/// A beacon chain the organiser runs alone (another trustee set and
/// genesis) that registers `registered` with round 1.
fn own_chain(mut registered: impl FnMut(&BeaconParameters) -> Digest, rounds: u64) -> BeaconRecord {
    let mut r = rng(77);
    let dkg = DkgParameters::new(3, 2, b"the organiser's own beacon").unwrap();
    let trustees = run_locally(&dkg, &mut r).unwrap();
    let params = BeaconParameters::new(trustees[0].trustees.clone(), ChainMode::Chained, [7; 32]);
    let hash = registered(&params);
    let mut out = Vec::new();
    let mut previous: Option<BeaconOutput> = None;
    for round in 1..=rounds {
        let reg = if round == 1 {
            Registrations::new(vec![hash]).unwrap()
        } else {
            Registrations::none()
        };
        let partials: Vec<BeaconPartial> = trustees
            .iter()
            .map(|t| {
                BeaconPartial::produce(&params, &t.share, round, previous.as_ref(), &reg, &mut r)
                    .unwrap()
            })
            .collect();
        let c = combine(&params, round, previous.as_ref(), &reg, &partials, &mut r).unwrap();
        previous = Some(*c.round.output());
        out.push(c.round);
    }
    BeaconRecord {
        parameters: params,
        rounds: out,
    }
}

/// The honest record with vote `name` replaced by the other assembly's
/// vote of the same name (same manifest, its own trustees, voters and
/// ballots, every proof valid), and the streams that go with it.
fn with_other_vote(
    name: &'static str,
) -> (AssemblyRecord, BTreeMap<&'static str, &'static MemorySink>) {
    let (other_sim, other_sink) = other();
    let mut forged = honest().0.record.clone();
    let theirs = other_sim
        .record
        .votes
        .iter()
        .find(|v| v.name == name)
        .unwrap();
    let ours = forged.votes.iter_mut().find(|v| v.name == name).unwrap();
    assert_eq!(theirs.record.manifest, ours.record.manifest);
    *ours = theirs.clone();
    (forged, BTreeMap::from([(name, other_sink)]))
}

/// Redraws `record` with `announcement` from the honest roll against
/// `beacon`, keeping everything else.
fn redraw(record: &mut AssemblyRecord, announcement: DrawAnnouncement, beacon: BeaconRecord) {
    let roll: &[RollEntry] = &honest().0.roll;
    let chain = beacon.verify(&mut rng(3)).unwrap();
    let census = Census::scan(roll, &announcement.params).unwrap();
    record.selection = SelectionRecord::create(&announcement, &chain, &census, roll).unwrap();
    record.announcement = announcement;
    record.beacon = AssemblyBeacon::Kleroterion(beacon);
    // No replacement can apply to the new draw's seats.
    record.replacements.clear();
}

fn no_streams() -> BTreeMap<&'static str, &'static MemorySink> {
    BTreeMap::new()
}

#[test]
fn honest_record_passes_only_with_anchors() {
    let record = &honest().0.record;
    let anchors = anchors();
    let anchored = verify(record, &no_streams(), Anchoring::Published(&anchors));
    assert_eq!(anchored.verdict(), Verdict::Passed, "{anchored}");
    let bare = verify(record, &no_streams(), Anchoring::Unanchored);
    assert_eq!(bare.verdict(), Verdict::Incomplete, "{bare}");
    let t = bare.tally();
    // A1–A3 and E15 of each of the three votes.
    assert_eq!((t.failed, t.not_checked, t.not_anchored), (0, 0, 6));
    let text = format!("{bare}");
    assert!(!text.contains("all "), "{text}");
    assert!(text.contains(&format!(
        "{} of {} checks passed, 6 not anchored",
        t.passed,
        t.total()
    )));
    for id in ["A1", "A2", "A3"] {
        assert!(matches!(
            outcome(&bare, "Anchors", id),
            Outcome::NotAnchored(_)
        ));
    }
    // The digest to compare is printed.
    let a1 = outcome(&bare, "Anchors", "A1")
        .reason()
        .unwrap()
        .to_string();
    assert!(a1.contains(&hex::encode(anchors.beacon_chain.0)), "{a1}");
}

#[test]
fn forgery_1_another_beacon_fails_a1_and_b4() {
    let (honest_sim, _) = honest();
    let honest_seated: Vec<_> = honest_sim
        .record
        .selection
        .strata
        .iter()
        .flat_map(|s| s.selected.iter().map(|d| *d.entry.key()))
        .collect();

    // (a) The announcement is rewritten to name the organiser's own chain,
    // registered there in round 1: the draw changes.
    let mut forged = honest_sim.record.clone();
    let mut announcement = forged.announcement.clone();
    let beacon = own_chain(
        |p| {
            announcement.beacon_chain = BeaconChain::Kleroterion(Digest(*p.chain_id()));
            announcement.hash()
        },
        3,
    );
    announcement.beacon_chain = BeaconChain::Kleroterion(Digest(*beacon.parameters.chain_id()));
    redraw(&mut forged, announcement, beacon);
    let seated: Vec<_> = forged
        .selection
        .strata
        .iter()
        .flat_map(|s| s.selected.iter().map(|d| *d.entry.key()))
        .collect();
    assert_ne!(seated, honest_seated, "the forgery seats other delegates");
    let anchors = anchors();
    let report = verify(&forged, &no_streams(), Anchoring::Published(&anchors));
    let f = failed(&report);
    assert!(f.contains(&"A1") && f.contains(&"A2"), "{report}");
    // The forged draw itself is consistent: only anchors and the kept
    // votes (whose voters are no longer the seated ones) give it away.
    assert!(
        !f.iter()
            .any(|id| id.starts_with('S') || id.starts_with('B')),
        "{f:?}"
    );
    assert!(f.contains(&"E16"), "{f:?}");

    // (b) The published announcement is kept (it names the honest chain)
    // but drawn on the organiser's chain: B4 fails even without anchors.
    let mut forged = honest_sim.record.clone();
    let announcement = forged.announcement.clone();
    let hash = announcement.hash();
    let beacon = own_chain(|_| hash, 3);
    redraw(&mut forged, announcement, beacon);
    let report = verify(&forged, &no_streams(), Anchoring::Unanchored);
    assert!(failed(&report).contains(&"B4"), "{report}");
    let report = verify(&forged, &no_streams(), Anchoring::Published(&anchors));
    assert!(failed(&report).contains(&"A1"), "{report}");
}

#[test]
fn forgery_2_announcement_chosen_after_the_output_fails_s16() {
    let (honest_sim, _) = honest();
    let mut forged = honest_sim.record.clone();
    // After seeing round 3's output, exclude the first seated delegate.
    let mut announcement = forged.announcement.clone();
    let excluded = *forged.selection.strata[0].selected[0].entry.key();
    announcement.params.exclusions.push(excluded);
    announcement.params.exclusions.sort();
    let beacon = forged.beacon.threshold().expect("threshold beacon").clone();
    redraw(&mut forged, announcement, beacon);
    assert!(!forged
        .selection
        .strata
        .iter()
        .flat_map(|s| &s.selected)
        .any(|d| *d.entry.key() == excluded));

    let report = verify(&forged, &no_streams(), Anchoring::Unanchored);
    let s16 = outcome(&report, "Draw", "S16");
    assert!(
        matches!(s16, Outcome::Failed(why) if why.contains("registered with no round")),
        "{s16:?}"
    );
    let anchors = anchors();
    let report = verify(&forged, &no_streams(), Anchoring::Published(&anchors));
    let f = failed(&report);
    assert!(f.contains(&"A2") && f.contains(&"S16"), "{f:?}");

    // Naming a later round does not help: the announcement must have been
    // registered before the round it names, and the only registration is
    // the honest announcement's.
    let mut later = honest_sim.record.clone();
    later.announcement.beacon_round = 2;
    let report = verify(&later, &no_streams(), Anchoring::Unanchored);
    assert!(failed(&report).contains(&"S16"), "{report}");
}

#[test]
fn registration_in_the_named_round_itself_is_too_late() {
    // An organiser who registers the announcement with the very round it
    // names could have computed nothing in advance, but the rule is strict:
    // the registering round must come first.
    let (honest_sim, _) = honest();
    let mut forged = honest_sim.record.clone();
    let mut announcement = forged.announcement.clone();
    let beacon = own_chain(
        |p| {
            announcement.beacon_chain = BeaconChain::Kleroterion(Digest(*p.chain_id()));
            announcement.beacon_round = 1;
            announcement.hash()
        },
        1,
    );
    announcement.beacon_chain = BeaconChain::Kleroterion(Digest(*beacon.parameters.chain_id()));
    announcement.beacon_round = 1;
    redraw(&mut forged, announcement, beacon);
    let report = verify(&forged, &no_streams(), Anchoring::Unanchored);
    let s16 = outcome(&report, "Draw", "S16");
    assert!(
        matches!(s16, Outcome::Failed(why) if why.contains("not before")),
        "{s16:?}"
    );
}

#[test]
fn forgery_3_votes_by_anyone_fail_e16() {
    // The harm vote of another assembly: a valid vote among other keys.
    let (forged, streams) = with_other_vote(HARM_VOTE);

    let report = verify(&forged, &streams, Anchoring::Unanchored);
    let section = format!("Vote \"{HARM_VOTE}\"");
    // Every proof of the vote verifies...
    for id in ["E3", "E7", "E9", "E11", "E13", "E14"] {
        assert_eq!(outcome(&report, &section, id), &Outcome::Passed, "{id}");
    }
    // ...but its voters are not the seated delegates.
    assert!(
        matches!(outcome(&report, &section, "E16"), Outcome::Failed(why) if why.contains("not seated")),
        "{report}"
    );

    // Declaring the vote open to the polity, without an eligible set, is
    // an electorate the anchors do not publish (E15), and a vote of the
    // seated delegates without a set fails E16.
    let mut open = honest().0.record.clone();
    let vote = open.votes.iter_mut().find(|v| v.name == HARM_VOTE).unwrap();
    vote.electorate = Electorate::Open;
    let anchors = anchors();
    let report = verify(&open, &no_streams(), Anchoring::Published(&anchors));
    assert!(
        matches!(outcome(&report, &section, "E15"), Outcome::Failed(why) if why.contains("electorate")),
        "{report}"
    );
    assert!(matches!(
        outcome(&report, &section, "E16"),
        Outcome::Failed(_)
    ));
}

#[test]
fn forgery_4_vote_under_another_key_fails_e15() {
    // The consultation of another assembly: same manifest, its own trustees
    // and key, every proof valid, open to the polity.
    let (forged, streams) = with_other_vote(CONSULTATION_VOTE);

    let section = format!("Vote \"{CONSULTATION_VOTE}\"");
    let bare = verify(&forged, &streams, Anchoring::Unanchored);
    assert!(failed(&bare).is_empty(), "consistent with itself: {bare}");
    assert_ne!(bare.verdict(), Verdict::Passed);
    assert!(matches!(
        outcome(&bare, &section, "E15"),
        Outcome::NotAnchored(_)
    ));

    let anchors = anchors();
    let report = verify(&forged, &streams, Anchoring::Published(&anchors));
    assert_eq!(failed(&report), ["E15"], "{report}");
    assert!(
        matches!(outcome(&report, &section, "E15"), Outcome::Failed(why) if why.contains("another election key")),
        "{report}"
    );
}

#[test]
fn replacements_follow_reserve_order() {
    let (honest_sim, _) = honest();
    let record = &honest_sim.record;
    assert_eq!(
        record.replacements.len(),
        1,
        "the simulation replaces one delegate"
    );
    let anchors = anchors();
    let a = Anchoring::Published(&anchors);

    // The second reserve instead of the first.
    let mut forged = record.clone();
    forged.replacements[0].joining = *forged.selection.strata[0].reserve[1].entry.key();
    let report = verify(&forged, &no_streams(), a);
    let s17 = outcome(&report, "Draw", "S17");
    assert!(
        matches!(s17, Outcome::Failed(why) if why.contains("next in order")),
        "{s17:?}"
    );
    assert!(matches!(
        outcome(&report, "remedy", "E16"),
        Outcome::NotChecked(_)
    ));

    // A delegate who does not hold the seat.
    let mut forged = record.clone();
    forged.replacements[0].leaving = *forged.selection.strata[1].selected[0].entry.key();
    assert!(failed(&verify(&forged, &no_streams(), a)).contains(&"S17"));

    // A replacement removed: the remedy vote's voters are no longer the
    // seated delegates.
    let mut forged = record.clone();
    forged.replacements.clear();
    let f = failed(&verify(&forged, &no_streams(), a));
    assert_eq!(f, ["E16"], "{f:?}");

    // A replacement for a vote the record does not hold.
    let mut forged = record.clone();
    forged.replacements[0].from_vote = "review".into();
    assert!(failed(&verify(&forged, &no_streams(), a)).contains(&"S17"));
}

#[test]
fn anchors_roundtrip_as_json() {
    let anchors = anchors();
    let text = serde_json::to_string_pretty(&anchors).unwrap();
    assert!(text.contains(&hex::encode(anchors.announcement.0)));
    assert!(text.contains("\"electorate\": \"seated\""));
    let back: Anchors = serde_json::from_str(&text).unwrap();
    assert_eq!(back, anchors);
}

#[test]
fn vote_names_cannot_leave_the_record() {
    let mut record = honest().0.record.clone();
    assert!(record.check_vote_names().is_ok());
    for bad in ["../../etc", "a/b", "", ".hidden", "x y"] {
        record.votes[0].name = bad.into();
        assert!(record.check_vote_names().is_err(), "{bad:?}");
    }
    record.votes[0].name = record.votes[1].name.clone();
    assert!(record.check_vote_names().is_err(), "duplicate names");
}
