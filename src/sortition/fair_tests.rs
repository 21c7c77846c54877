//! Feature draws: the draw, its record, and a forgery for each feature
//! check (spec/sortition.md §10).

use super::*;
use crate::fairness::{
    AllocationList, Category, CellProblem, Feature, FeatureQuotas, QuotaBounds, LOTTERY_CHECKS,
};
use crate::report::Outcome;
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

/// A feature of `(value, min, max)` categories (also the vector tests').
pub(super) fn feature(label: &str, cats: &[(&str, u32, u32)]) -> Feature {
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
    problem: CellProblem,
}

/// A feature draw on a roll of `n` with every feasible allocation as the
/// lottery, the first citizen excluded; `tweak` may change the list before
/// it is committed.
fn setup(n: u64, household: bool, round: u64, tweak: impl FnOnce(&mut Vec<Vec<u32>>)) -> Setup {
    setup_with(n, household, round, |problem| {
        let mut allocations = AllocationList::enumerate(problem, 100_000)
            .unwrap()
            .allocations()
            .to_vec();
        tweak(&mut allocations);
        allocations
    })
}

/// [`setup`] with the list `lottery` makes from the census's quota problem.
fn setup_with(
    n: u64,
    household: bool,
    round: u64,
    lottery: impl FnOnce(&CellProblem) -> Vec<Vec<u32>>,
) -> Setup {
    let entries = roll(n);
    let q = quotas(household);
    let exclusions = vec![*entries[0].key()];
    let cells = q.census(&entries, &exclusions).unwrap();
    let problem = q.problem(&cells).unwrap();
    let list = AllocationList::new(lottery(&problem)).unwrap();
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
        problem,
    }
}

fn record(s: &Setup) -> SelectionRecord {
    SelectionRecord::create_features(&s.a, &beacon(), &s.census, &s.list, || s.entries.iter())
        .unwrap()
}

fn failed(report: &crate::report::Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

/// The outcome of each fairness check of a feature draw's report.
fn fairness(report: &crate::report::Report) -> Vec<(&'static str, Outcome)> {
    LOTTERY_CHECKS
        .iter()
        .map(|(id, _)| (*id, report.get(id).unwrap().outcome.clone()))
        .collect()
}

/// Every check passed but the fairness checks, not checked for want of a
/// certificate: never "passed" (spec/sortition.md §10.6).
fn assert_uncertified(report: &crate::report::Report) {
    for c in &report.checks {
        if LOTTERY_CHECKS.iter().any(|(id, _)| *id == c.id) {
            assert_eq!(
                c.outcome,
                Outcome::NotChecked("the record carries no fairness certificate".into()),
                "{}",
                c.id
            );
        } else {
            assert!(c.passed(), "{} {:?}", c.id, c.outcome);
        }
    }
    assert!(!report.all_passed());
    assert_eq!(report.tally().verdict(), crate::report::Verdict::Incomplete);
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
        assert_uncertified(&report);
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
        assert_uncertified(&report);
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
fn a_record_without_certificate_reports_the_fairness_checks_not_checked() {
    let s = setup(60, false, 2, |_| {});
    let rec = record(&s);
    assert!(rec.lottery.as_ref().unwrap().certificate.is_none());
    assert_uncertified(&rec.verify_with_roll(&s.a, &beacon(), &s.entries));
    // Also without the roll: never passed, never failed.
    let report = rec.verify(&s.a, &beacon());
    assert!(failed(&report).is_empty());
    for (id, outcome) in fairness(&report) {
        assert!(matches!(outcome, Outcome::NotChecked(_)), "{id}");
    }
}

/// The certified feature draws: the maximin lottery and its certificate
/// from the solver, and a forgery for each fairness check.
#[cfg(feature = "solver")]
mod certified {
    use super::*;
    use crate::fairness::solve::{certificate, fair_lottery, with_gap};
    use crate::fairness::{check_lottery, FairnessCertificate, Ratio};

    /// Allocations of the maximin lottery.
    const M: u32 = 20;

    /// A draw from the maximin lottery (changed by `tweak`) with the
    /// certificate of the maximin lottery (changed by `forge`).
    fn certified(
        tweak: impl FnOnce(&mut Vec<Vec<u32>>),
        forge: impl FnOnce(&mut FairnessCertificate),
    ) -> (Setup, SelectionRecord) {
        let mut cert = None;
        let s = setup_with(60, false, 2, |problem| {
            let fair = fair_lottery(problem, M).unwrap();
            cert = Some(fair.certificate);
            let mut allocations = fair.lottery.allocations().to_vec();
            tweak(&mut allocations);
            allocations
        });
        let mut cert = cert.unwrap();
        forge(&mut cert);
        let mut rec = record(&s);
        rec.lottery.as_mut().unwrap().certificate = Some(cert);
        (s, rec)
    }

    fn report(s: &Setup, rec: &SelectionRecord) -> crate::report::Report {
        rec.verify_with_roll(&s.a, &beacon(), &s.entries)
    }

    #[test]
    fn a_certified_draw_passes_every_check() {
        let (s, rec) = certified(|_| {}, |_| {});
        let report = report(&s, &rec);
        assert!(report.all_passed(), "{report}");
        assert!(fairness(&report).iter().all(|(_, o)| *o == Outcome::Passed));
        // Order: the fairness checks follow S22, before the roll's S12–S14.
        let ids: Vec<&str> = report.checks.iter().map(|c| c.id).collect();
        let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
        assert!(at("S22") < at("F1") && at("F7") < at("S12"));
        // `with_certificate` attaches a certificate that verifies, only.
        let fair = fair_lottery(&s.problem, M).unwrap();
        let mut bare = rec.clone();
        bare.lottery.as_mut().unwrap().certificate = None;
        let attached = bare
            .clone()
            .with_certificate(&s.a, fair.certificate.clone())
            .unwrap();
        assert_eq!(attached, rec);
        let mut wrong = fair.certificate;
        wrong.gap_num = 0;
        assert!(bare.with_certificate(&s.a, wrong).is_err());
        // The JSON record carries it, hex of its encoding.
        let text = serde_json::to_string(&rec).unwrap();
        assert_eq!(serde_json::from_str::<SelectionRecord>(&text).unwrap(), rec);
    }

    #[test]
    fn without_the_roll_the_fairness_checks_are_not_checked() {
        let (s, rec) = certified(|_| {}, |_| {});
        let report = rec.verify(&s.a, &beacon());
        assert!(failed(&report).is_empty());
        for (id, outcome) in fairness(&report) {
            assert_eq!(
                outcome,
                Outcome::NotChecked(super::super::record::NO_ROLL_CENSUS.into()),
                "{id}"
            );
        }
        // Another roll: S12 fails, the census is not the announced roll's.
        let other = roll(61);
        let report = rec.verify_with_roll(&s.a, &beacon(), &other);
        assert!(failed(&report).contains(&"S12"));
        for (id, outcome) in fairness(&report) {
            assert_eq!(
                outcome,
                Outcome::NotChecked("the roll is not the announced one (S12)".into()),
                "{id}"
            );
        }
    }

    #[test]
    fn an_infeasible_allocation_fails_f2() {
        // The organiser commits a list with an infeasible allocation.
        let (s, rec) = certified(
            |l| {
                let mut x = l[0].clone();
                x[0] += 1;
                l.push(x);
            },
            |_| {},
        );
        let report = report(&s, &rec);
        assert_eq!(failed(&report), ["S20", "F2"]);
        assert!(matches!(
            report.get("F7").unwrap().outcome,
            Outcome::NotChecked(_)
        ));
    }

    #[test]
    fn a_tampered_weight_fails_f4() {
        let (s, rec) = certified(|_| {}, |c| c.cells[3].weight += 1);
        assert_eq!(failed(&report(&s, &rec)), ["F4"]);
    }

    #[test]
    fn a_certificate_of_another_problem_fails_f4() {
        // The certificate of the same quotas on a larger roll's census.
        let (s, mut rec) = certified(|_| {}, |_| {});
        let q = quotas(false);
        let entries = roll(90);
        let other = q
            .problem(&q.census(&entries, &[*entries[0].key()]).unwrap())
            .unwrap();
        assert_eq!(other.cells.len(), s.problem.cells.len());
        let cert = fair_lottery(&other, M).unwrap().certificate;
        rec.lottery.as_mut().unwrap().certificate = Some(cert);
        assert_eq!(failed(&report(&s, &rec)), ["F4"]);
    }

    #[test]
    fn a_lowered_bound_fails_f5() {
        // G lowered by one more than the smallest slack of a cell's dual
        // constraint: the bound B drops by K / D per unit of G.
        let (s, rec) = certified(|_| {}, |_| {});
        let cert = rec.lottery.as_ref().unwrap().certificate.clone().unwrap();
        let slack = s
            .problem
            .cells
            .iter()
            .zip(&cert.cells)
            .map(|(cell, d)| {
                let mut rhs = cert.gamma + d.slack as i128 - d.weight as i128;
                for (f, &v) in cell.categories.iter().enumerate() {
                    let dual = cert.categories[f][v as usize];
                    rhs += dual.upper as i128 - dual.lower as i128;
                }
                rhs
            })
            .min()
            .unwrap();
        assert!(slack >= 0);
        let (s, rec) = certified(|_| {}, |c| c.gamma -= slack + 1);
        assert_eq!(failed(&report(&s, &rec)), ["F5"]);
    }

    #[test]
    fn a_lowered_gap_fails_f7() {
        let (s, rec) = certified(|_| {}, |_| {});
        let cert = rec.lottery.as_ref().unwrap().certificate.clone().unwrap();
        let v = check_lottery(&s.problem, &s.list, &cert);
        let gap = v.bound.unwrap().sub(&v.min_probability.unwrap());
        assert!(
            gap > Ratio::new(0.into(), 1.into()).unwrap(),
            "rounding to m loses a little"
        );
        let (s, rec) = certified(|_| {}, |c| c.gap_num = 0);
        assert_eq!(failed(&report(&s, &rec)), ["F7"]);
    }

    #[test]
    fn a_less_fair_list_that_meets_the_quotas_fails_f7() {
        // Every entry the first allocation: feasible, committed, picked
        // honestly, but some cells never get a seat; the maximin's
        // certificate (and its gap) does not cover it.
        let (s, rec) = certified(
            |l| {
                let first = l[0].clone();
                l.iter_mut().for_each(|x| *x = first.clone());
            },
            |_| {},
        );
        assert_eq!(failed(&report(&s, &rec)), ["F7"]);
        // Honestly certified, the unfair list passes F7 with a gap that
        // says how unfair it is: B − p_min = B, since some cell gets 0.
        let bare = certificate(&s.problem).unwrap();
        let v = check_lottery(&s.problem, &s.list, &bare);
        let p_min = v.min_probability.unwrap();
        assert_eq!(p_min, Ratio::new(0.into(), 1.into()).unwrap());
        let honest = with_gap(&s.problem, bare, &p_min).unwrap();
        let mut rec = rec;
        rec.lottery.as_mut().unwrap().certificate = Some(honest);
        assert!(report(&s, &rec).all_passed());
    }
}
