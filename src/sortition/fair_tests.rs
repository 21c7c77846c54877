//! Feature draws: the draw, its record, and a forgery for each feature
//! check (spec/sortition.md §10).

use super::*;
use crate::fairness::{AllocationList, Category, Feature, FeatureQuotas, QuotaBounds};
use crate::roll::{roll_digest, Attribute};
use alloc::format;
use alloc::vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;

/// `n` citizens: gender `g{i mod 2}`, age `a{i mod 3}`, region
/// `r{(i / 5) mod 2}`, household `h{i / 2}` (pairs share a household).
fn roll(n: u64) -> Vec<RollEntry> {
    let mut v: Vec<RollEntry> = (1..=n)
        .map(|i| {
            let key =
                CitizenKey::from_point(&(&Scalar::from(7000 + i) * RISTRETTO_BASEPOINT_TABLE))
                    .unwrap();
            let attrs = vec![
                Attribute::new("gender", format!("g{}", i % 2)).unwrap(),
                Attribute::new("age", format!("a{}", i % 3)).unwrap(),
                Attribute::new("region", format!("r{}", (i / 5) % 2)).unwrap(),
                Attribute::new("home", format!("h{}", i / 2)).unwrap(),
            ];
            RollEntry::new(key, attrs).unwrap()
        })
        .collect();
    v.sort_by_key(|e| *e.key());
    v
}

fn feature(label: &str, cats: &[(&str, u32, u32)]) -> Feature {
    Feature {
        label: label.into(),
        categories: cats
            .iter()
            .map(|&(v, min, max)| Category {
                value: v.as_bytes().to_vec(),
                bounds: QuotaBounds { min, max },
            })
            .collect(),
    }
}

/// Six seats: 3 per gender, 1–3 per age band, 2–4 per region.
fn quotas(household: bool) -> FeatureQuotas {
    FeatureQuotas::new(
        6,
        vec![
            feature("gender", &[("g0", 3, 3), ("g1", 3, 3)]),
            feature("age", &[("a0", 1, 3), ("a1", 1, 3), ("a2", 1, 3)]),
            feature("region", &[("r0", 2, 4), ("r1", 2, 4)]),
        ],
        household.then(|| "home".into()),
    )
    .unwrap()
}

fn output(round: u64) -> BeaconOutput {
    let mut h = Sha3_256::new();
    sha3::Digest::update(&mut h, b"feature beacon round");
    sha3::Digest::update(&mut h, round.to_le_bytes());
    BeaconOutput(h.finalize().into())
}

fn beacon() -> VerifiedRounds {
    let mut b = VerifiedRounds::new();
    for r in 1..40 {
        b.insert_verified(r, output(r));
    }
    b
}

struct Setup {
    entries: Vec<RollEntry>,
    a: DrawAnnouncement,
    list: AllocationList,
    census: Census,
}

/// A feature draw on a roll of `n` with every feasible allocation as the
/// lottery, the first citizen excluded; `tweak` may change the list before
/// it is committed.
fn setup(n: u64, household: bool, round: u64, tweak: impl FnOnce(&mut Vec<Vec<u32>>)) -> Setup {
    let entries = roll(n);
    let q = quotas(household);
    let exclusions = vec![*entries[0].key()];
    let cells = q.census(&entries, &exclusions).unwrap();
    let problem = q.problem(&cells).unwrap();
    let mut allocations = AllocationList::enumerate(&problem, 100_000)
        .unwrap()
        .allocations()
        .to_vec();
    tweak(&mut allocations);
    let list = AllocationList::new(allocations).unwrap();
    let params = DrawParams::new(
        None,
        Quotas::Features(FeatureLottery::new(q, &list)),
        2,
        exclusions,
        None,
    )
    .unwrap();
    let a = DrawAnnouncement {
        polity: PolityId::new("health@eu/fr").unwrap(),
        assembly: AssemblyId::new("health-fr").unwrap(),
        year: 2027,
        roll: roll_digest(&entries).unwrap(),
        beacon_chain: crate::sortition::BeaconChain::Kleroterion(crate::roll::Digest([0xbe; 32])),
        beacon_round: round,
        params,
    };
    let census = Census::scan(&entries, &a.params).unwrap();
    assert_eq!(census.strata, cells, "the draw's census is the cell census");
    Setup {
        entries,
        a,
        list,
        census,
    }
}

fn record(s: &Setup) -> SelectionRecord {
    SelectionRecord::create_features(&s.a, &beacon(), &s.census, &s.list, || s.entries.iter())
        .unwrap()
}

fn failed(report: &crate::report::Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

fn value<'e>(e: &'e RollEntry, label: &str) -> &'e [u8] {
    e.attribute(label).unwrap()
}

#[test]
fn feature_draw_meets_every_quota_and_verifies() {
    for round in 1..6 {
        let s = setup(60, false, round, |_| {});
        let rec = record(&s);
        let report = rec.verify_with_roll(&s.a, &beacon(), &s.entries);
        assert!(report.all_passed(), "{:?}", failed(&report));
        for (id, _) in FEATURE_CHECKS {
            assert!(report.get(id).unwrap().passed(), "{id}");
        }
        let seated: Vec<&RollEntry> = rec
            .strata
            .iter()
            .flat_map(|st| st.selected.iter().map(|d| &d.entry))
            .collect();
        assert_eq!(seated.len(), 6);
        let count = |label: &str, v: &str| {
            seated
                .iter()
                .filter(|e| value(e, label) == v.as_bytes())
                .count()
        };
        assert_eq!((count("gender", "g0"), count("gender", "g1")), (3, 3));
        for a in ["a0", "a1", "a2"] {
            assert!((1..=3).contains(&count("age", a)));
        }
        assert!((2..=4).contains(&count("region", "r0")));
        // The cells' quotas are the picked allocation.
        let lottery = rec.lottery.as_ref().unwrap();
        let picked = lottery.allocations.get(lottery.pick).unwrap();
        let quotas: Vec<u32> = rec
            .strata
            .iter()
            .filter(|st| st.count.eligible > 0)
            .map(|st| st.quota)
            .collect();
        assert_eq!(&quotas, picked);
        assert!(rec.strata.iter().all(|st| st.skipped.is_empty()));
    }
}

#[test]
fn the_plain_draw_and_the_feature_draw_do_not_mix() {
    let s = setup(60, false, 1, |_| {});
    assert!(
        draw(&s.a, &output(1), &s.census.strata).is_err(),
        "a feature draw needs its allocation list"
    );
    let other = AllocationList::new(vec![s.list.allocations()[0].clone()]).unwrap();
    assert!(
        SelectionRecord::create_features(&s.a, &beacon(), &s.census, &other, || s.entries.iter())
            .is_err()
    );
    let fd = draw_features(
        &s.a,
        &output(1),
        &s.census.strata,
        &s.list,
        &HouseholdOracle::new(),
    )
    .unwrap();
    assert_eq!(fd.pick, record(&s).lottery.unwrap().pick);
    let mut bad = s.a.params.clone();
    bad.stratify_by = Some("region".into());
    assert!(bad.validate().is_err(), "cells are the strata");
}

#[test]
fn households_seat_one_person_each_and_verify() {
    let mut skips = 0;
    for round in 1..30 {
        let s = setup(60, true, round, |_| {});
        let rec = record(&s);
        let report = rec.verify_with_roll(&s.a, &beacon(), &s.entries);
        assert!(report.all_passed(), "round {round}: {:?}", failed(&report));
        let mut homes: Vec<&[u8]> = rec
            .strata
            .iter()
            .flat_map(|st| st.selected.iter().map(|d| value(&d.entry, "home")))
            .collect();
        assert_eq!(homes.len(), 6);
        homes.sort_unstable();
        homes.dedup();
        assert_eq!(homes.len(), 6, "one seat per household");
        skips += rec.strata.iter().map(|st| st.skipped.len()).sum::<usize>();
    }
    assert!(skips > 0, "some draw passed over a seated household");
}

#[test]
fn a_tampered_quota_fails_s1() {
    let s = setup(60, false, 2, |_| {});
    let mut rec = record(&s);
    let Quotas::Features(f) = &mut rec.announcement.params.quotas else {
        unreachable!()
    };
    f.quotas = FeatureQuotas::new(
        6,
        vec![feature("gender", &[("g0", 2, 4), ("g1", 2, 4)])],
        None,
    )
    .unwrap();
    assert_eq!(failed(&rec.verify(&s.a, &beacon())), ["S1"]);
}

#[test]
fn a_tampered_allocation_list_fails_s19() {
    let s = setup(60, false, 2, |_| {});
    let mut rec = record(&s);
    let lottery = rec.lottery.as_mut().unwrap();
    let mut all = lottery.allocations.allocations().to_vec();
    let other = if lottery.pick == 0 { 1 } else { 0 };
    // Another feasible allocation in place of an unpicked one.
    all[other] = all[lottery.pick as usize].clone();
    lottery.allocations = AllocationList::new(all).unwrap();
    assert_eq!(failed(&rec.verify(&s.a, &beacon())), ["S19"]);
}

#[test]
fn an_infeasible_allocation_fails_s20() {
    // The organiser commits a list with an infeasible allocation appended.
    let s = setup(60, false, 3, |l| {
        let mut x = l[0].clone();
        x[0] += 1;
        l.push(x);
    });
    let rec = record(&s);
    assert_ne!(rec.lottery.as_ref().unwrap().pick, s.list.len() - 1);
    assert_eq!(failed(&rec.verify(&s.a, &beacon())), ["S20"]);
}

#[test]
fn a_wrong_pick_fails_s21() {
    let s = setup(60, false, 2, |_| {});
    let mut rec = record(&s);
    let lottery = rec.lottery.as_mut().unwrap();
    lottery.pick = (lottery.pick + 1) % s.list.len();
    assert_eq!(failed(&rec.verify(&s.a, &beacon())), ["S21"]);
}

#[test]
fn a_second_seat_for_a_household_fails_s22() {
    // Seat a skipped citizen in place of the cell's last-drawn delegate.
    let (s, mut rec) = (1..30)
        .map(|round| {
            let s = setup(60, true, round, |_| {});
            let rec = record(&s);
            (s, rec)
        })
        .find(|(_, rec)| {
            rec.strata
                .iter()
                .any(|st| !st.skipped.is_empty() && !st.selected.is_empty())
        })
        .unwrap();
    let st = rec
        .strata
        .iter_mut()
        .find(|st| !st.skipped.is_empty() && !st.selected.is_empty())
        .unwrap();
    let last = st.selected.len() - 1;
    core::mem::swap(&mut st.selected[last], &mut st.skipped[0]);
    let report = rec.verify(&s.a, &beacon());
    assert!(report.get("S22").unwrap().failed());
    // The recomputed draw also differs (it skips that citizen).
    assert_eq!(failed(&report), ["S9", "S22"]);
}

#[test]
fn an_entry_in_another_cell_fails_s7() {
    let s = setup(60, false, 2, |_| {});
    let mut rec = record(&s);
    // Move a delegate to the next cell that has delegates.
    let from = rec
        .strata
        .iter()
        .position(|st| !st.selected.is_empty())
        .unwrap();
    let to = (from + 1..rec.strata.len())
        .find(|&i| !rec.strata[i].selected.is_empty())
        .unwrap();
    let moved = rec.strata[from].selected[0].clone();
    rec.strata[to].selected[0] = moved;
    let report = rec.verify(&s.a, &beacon());
    assert!(report.get("S7").unwrap().failed());
    assert!(failed(&report).iter().all(|id| ["S7", "S9"].contains(id)));
}

#[test]
fn census_errors_name_the_entry() {
    let q = quotas(false);
    let mut entries = roll(10);
    let key = *entries[4].key();
    entries[4] = RollEntry::new(
        key,
        vec![
            Attribute::new("gender", "g9").unwrap(),
            Attribute::new("age", "a0").unwrap(),
            Attribute::new("region", "r0").unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(
        q.census(&entries, &[]),
        Err(crate::error::Error::UnknownCategory {
            index: 4,
            feature: 0
        })
    );
    entries[4] = RollEntry::new(key, vec![Attribute::new("age", "a0").unwrap()]).unwrap();
    assert_eq!(
        q.census(&entries, &[]),
        Err(crate::error::Error::MissingAttribute { index: 4 })
    );
}

#[test]
fn fairness_inputs_are_the_census_problem_and_the_list() {
    let s = setup(60, false, 2, |_| {});
    let rec = record(&s);
    let (problem, list) = rec.fairness_inputs(&s.a).unwrap();
    assert_eq!(list, &s.list);
    assert_eq!(problem.seats, 6);
    assert!(list.allocations().iter().all(|x| problem.is_feasible(x)));
}
