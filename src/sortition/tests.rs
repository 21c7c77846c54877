use super::panel::{PanelAnnouncement, PanelList, PanelLotteryRecord};
use super::*;
use crate::report::Outcome;
use crate::roll::{prove_indices, roll_digest, Attribute};
use alloc::string::ToString;
use alloc::vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;

/// A sorted roll of `n` citizens with keys `(seed·1000 + i)·G`; citizen `i`
/// has `region = "r{i mod strata}"` and `age = "a{i mod 2}"`.
pub(super) fn roll(n: u64, strata: u64, seed: u64) -> Vec<RollEntry> {
    let mut v: Vec<RollEntry> = (1..=n)
        .map(|i| {
            let s = Scalar::from(seed * 1_000_000 + i);
            let key = CitizenKey::from_point(&(&s * RISTRETTO_BASEPOINT_TABLE)).unwrap();
            let attrs = vec![
                Attribute::new("region", alloc::format!("r{}", i % strata)).unwrap(),
                Attribute::new("age", alloc::format!("a{}", i % 2)).unwrap(),
            ];
            RollEntry::new(key, attrs).unwrap()
        })
        .collect();
    v.sort_by_key(|e| *e.key());
    v
}

pub(super) fn output(round: u64) -> BeaconOutput {
    let mut h = Sha3_256::new();
    sha3::Digest::update(&mut h, b"test beacon round");
    sha3::Digest::update(&mut h, round.to_le_bytes());
    BeaconOutput(h.finalize().into())
}

fn beacon() -> VerifiedRounds {
    let mut b = VerifiedRounds::new();
    for r in 1..20 {
        b.insert_verified(r, output(r));
    }
    b
}

fn announce(entries: &[RollEntry], params: DrawParams, year: u32, round: u64) -> DrawAnnouncement {
    DrawAnnouncement {
        polity: PolityId::new("health@eu/fr").unwrap(),
        assembly: AssemblyId::new("health-fr").unwrap(),
        year,
        roll: roll_digest(entries).unwrap(),
        beacon_chain: BeaconChain::Kleroterion(crate::roll::Digest([0xbe; 32])),
        beacon_round: round,
        params,
    }
}

fn record_for(entries: &[RollEntry], a: &DrawAnnouncement) -> SelectionRecord {
    let census = Census::scan(entries, &a.params).unwrap();
    SelectionRecord::create(a, &beacon(), &census, entries).unwrap()
}

fn stratified(seats: u32, reserve: u32, exclusions: Vec<CitizenKey>) -> DrawParams {
    DrawParams::new(
        Some("region".into()),
        Quotas::Proportional { seats },
        reserve,
        exclusions,
        None,
    )
    .unwrap()
}

fn failed(report: &crate::report::Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

#[test]
fn record_verifies_and_meets_quotas_exclusions_and_reserve() {
    let entries = roll(300, 4, 1);
    let excluded: Vec<CitizenKey> = entries.iter().step_by(3).map(|e| *e.key()).collect();
    let schedule = TermSchedule::new(150, 25, 6, 2027).unwrap();
    let params = DrawParams::new(
        Some("region".into()),
        Quotas::Proportional { seats: 25 },
        5,
        excluded.clone(),
        Some(schedule),
    )
    .unwrap();
    let a = announce(&entries, params, 2029, 7);
    let rec = record_for(&entries, &a);
    let report = rec.verify_with_roll(&a, &beacon(), &entries);
    assert!(report.all_passed(), "{report}");
    assert_eq!(report.checks.len(), 14);

    let quotas: Vec<u32> = rec.strata.iter().map(|s| s.quota).collect();
    assert_eq!(quotas.iter().sum::<u32>(), 25);
    let mut seats: Vec<u32> = Vec::new();
    for s in &rec.strata {
        assert_eq!(s.selected.len() as u32, s.quota, "quota met exactly");
        assert_eq!(s.reserve.len(), 5);
        seats.extend(&s.seats);
        for d in s.selected.iter().chain(&s.reserve) {
            assert!(!excluded.contains(d.entry.key()));
            assert_eq!(d.entry.attribute("region"), Some(s.count.value.as_slice()));
        }
        for r in &s.reserve {
            assert!(s.selected.iter().all(|d| d.entry.key() != r.entry.key()));
        }
    }
    assert_eq!(
        seats,
        (50..75).collect::<Vec<u32>>(),
        "the seats expiring in 2029"
    );
}

#[test]
fn changing_the_roll_after_the_round_fails_named_checks() {
    let entries = roll(60, 3, 2);
    let a = announce(&entries, stratified(9, 2, vec![]), 2027, 5);
    let rec = record_for(&entries, &a);
    assert!(rec.verify(&a, &beacon()).all_passed());

    // Organisers who change the roll once the output is known must announce
    // another root: the published announcement no longer matches (S1), and
    // the seed derived from the published one differs (S4).
    let mut changed = entries.clone();
    changed.remove(10);
    let a2 = announce(&changed, a.params.clone(), 2027, 5);
    let rec2 = record_for(&changed, &a2);
    let report = rec2.verify(&a, &beacon());
    let f = failed(&report);
    assert!(f.contains(&"S1") && f.contains(&"S4"), "{report}");

    // Keeping the announcement but drawing from another roll: the proofs of
    // the drawn entries fail (S6), and so does the roll itself (S12).
    let mut forged = rec.clone();
    let census = Census::scan(&changed, &a.params).unwrap();
    let mut a_forged = a.clone();
    a_forged.roll = census.roll;
    let other = SelectionRecord::create(&a_forged, &beacon(), &census, &changed).unwrap();
    forged.strata = other.strata;
    let report = forged.verify_with_roll(&a, &beacon(), &changed);
    let f = failed(&report);
    assert!(f.contains(&"S6") && f.contains(&"S12"), "{report}");
}

#[test]
fn using_another_round_fails_named_checks() {
    let entries = roll(40, 2, 3);
    let a = announce(&entries, stratified(6, 1, vec![]), 2027, 5);
    let rec = record_for(&entries, &a);

    // Drew with round 6 and says so.
    let mut a6 = a.clone();
    a6.beacon_round = 6;
    let mut r6 = record_for(&entries, &a6);
    r6.announcement = a.clone();
    let report = r6.verify(&a, &beacon());
    let f = failed(&report);
    assert!(f.contains(&"S2") && f.contains(&"S3"), "{report}");

    // Claims round 5 but used round 6's output.
    let mut lie = rec.clone();
    lie.beacon_output = output(6);
    lie.seed = derive_seed(&a, &output(6));
    let report = lie.verify(&a, &beacon());
    assert!(failed(&report).contains(&"S3"), "{report}");
    assert!(!failed(&report).contains(&"S4"));

    // A beacon source that cannot vouch for the round.
    let report = rec.verify(&a, &VerifiedRounds::new());
    assert_eq!(failed(&report), vec!["S3"]);
}

#[test]
fn altering_a_selected_entry_fails_named_checks() {
    let entries = roll(80, 2, 4);
    let a = announce(&entries, stratified(8, 2, vec![]), 2027, 5);
    let rec = record_for(&entries, &a);

    // A changed attribute: the inclusion proof fails.
    let mut r = rec.clone();
    let d = &mut r.strata[0].selected[0];
    d.entry = RollEntry::new(
        *d.entry.key(),
        vec![Attribute::new("region", "r0").unwrap()],
    )
    .unwrap();
    assert!(failed(&r.verify(&a, &beacon())).contains(&"S6"));

    // Another genuine roll entry of the same stratum put in a delegate's
    // place, with its own valid proof: the draw's ranks and positions no
    // longer agree (S9), and the roll shows it (S14).
    let mut r = rec.clone();
    let victim = r.strata[0].selected[0].clone();
    let stranger = (0..entries.len() as u64)
        .find(|&i| {
            let e = &entries[i as usize];
            e.attribute("region") == victim.entry.attribute("region")
                && rec.strata[0]
                    .selected
                    .iter()
                    .chain(&rec.strata[0].reserve)
                    .all(|d| d.entry != *e)
        })
        .unwrap();
    let (e, p) = prove_indices(&entries, a.roll, &[stranger])
        .unwrap()
        .remove(0);
    r.strata[0].selected[0] = DrawnEntry {
        rank: victim.rank,
        entry: e,
        proof: p,
    };
    let report = r.verify_with_roll(&a, &beacon(), &entries);
    let f = failed(&report);
    assert!(f.contains(&"S14"), "{report}");
    assert!(!f.contains(&"S6"));

    // A changed rank.
    let mut r = rec.clone();
    r.strata[1].selected[0].rank += 1;
    assert!(failed(&r.verify(&a, &beacon())).contains(&"S9"));

    // Dropping a delegate: the assembly is short.
    let mut r = rec.clone();
    r.strata[0].selected.pop();
    let f = failed(&r.verify(&a, &beacon()));
    assert!(f.contains(&"S9") && f.contains(&"S11"), "{f:?}");

    // A malformed proof.
    let mut r = rec.clone();
    r.strata[0].reserve[0].proof.path.pop();
    let report = r.verify(&a, &beacon());
    assert_eq!(failed(&report), vec!["S6"]);
    assert!(
        matches!(&report.get("S6").unwrap().outcome, Outcome::Failed(m) if m.contains("reserve #0"))
    );
}

#[test]
fn other_tampering_fails_named_checks() {
    let entries = roll(50, 3, 5);
    let a = announce(&entries, stratified(7, 3, vec![]), 2027, 5);
    let rec = record_for(&entries, &a);

    let mut r = rec.clone();
    r.strata[0].quota += 1;
    assert!(failed(&r.verify(&a, &beacon())).contains(&"S5"));

    let mut r = rec.clone();
    r.strata[1].count.size += 1;
    assert!(failed(&r.verify(&a, &beacon())).contains(&"S5"));

    let mut r = rec.clone();
    r.strata[2].reserve.swap(0, 1);
    assert_eq!(failed(&r.verify(&a, &beacon())), vec!["S10"]);

    let mut r = rec.clone();
    r.strata[0].seats.reverse();
    assert_eq!(failed(&r.verify(&a, &beacon())), vec!["S11"]);

    let mut r = rec.clone();
    r.seed.0[0] ^= 1;
    assert_eq!(failed(&r.verify(&a, &beacon())), vec!["S4"]);

    let mut r = rec.clone();
    r.version = 2;
    assert_eq!(failed(&r.verify(&a, &beacon())), vec!["S1"]);

    // An excluded citizen in the selection: the published announcement
    // excluded someone the record drew anyway.
    let drawn = *rec.strata[0].selected[0].entry.key();
    let mut a_ex = a.clone();
    a_ex.params = stratified(7, 3, vec![drawn]);
    assert!(failed(&rec.verify(&a_ex, &beacon())).contains(&"S8"));

    // Absurd counts do not panic the verifier.
    let mut r = rec.clone();
    r.strata[0].count.size = u64::MAX;
    r.strata[0].count.eligible = u64::MAX;
    let f = failed(&r.verify(&a, &beacon()));
    assert!(f.contains(&"S5") && f.contains(&"S9"), "{f:?}");

    // Eligible counts that the roll does not support.
    let mut r = rec.clone();
    r.strata[0].count.eligible -= 1;
    assert!(failed(&r.verify(&a, &beacon())).contains(&"S5"));
    assert!(failed(&rec.verify_with_roll(&a, &beacon(), &entries[1..])).contains(&"S12"));
}

#[test]
fn bad_inputs_are_typed_errors() {
    let entries = roll(20, 2, 6);
    let one = stratified(3, 0, vec![]);
    assert_eq!(
        Census::scan(Vec::<RollEntry>::new(), &one),
        Err(Error::EmptyRoll)
    );
    let mut dup = entries.clone();
    dup.insert(5, entries[4].clone());
    assert_eq!(
        Census::scan(&dup, &one),
        Err(Error::DuplicateRollEntry { index: 5 })
    );
    let mut unsorted = entries.clone();
    unsorted.swap(7, 8);
    assert_eq!(
        Census::scan(&unsorted, &one),
        Err(Error::UnsortedRoll { index: 8 })
    );
    let mut bare = entries.clone();
    bare[3] = RollEntry::new(*entries[3].key(), vec![]).unwrap();
    assert_eq!(
        Census::scan(&bare, &one),
        Err(Error::MissingAttribute { index: 3 })
    );

    let census = |p: &DrawParams| Census::scan(&entries, p).unwrap();
    let try_draw = |p: DrawParams| {
        let a = announce(&entries, p, 2027, 5);
        SelectionRecord::create(&a, &beacon(), &census(&a.params), &entries).map(|_| ())
    };
    // k > N.
    let all = DrawParams::new(None, Quotas::Proportional { seats: 21 }, 0, vec![], None).unwrap();
    assert_eq!(
        try_draw(all),
        Err(Error::InsufficientEligible {
            stratum: 0,
            requested: 21,
            available: 20
        })
    );
    // Exactly N is fine, with an empty reserve.
    let all = DrawParams::new(None, Quotas::Proportional { seats: 20 }, 3, vec![], None).unwrap();
    assert_eq!(try_draw(all), Ok(()));
    // An explicit quota the stratum cannot meet, once exclusions apply.
    let r1: Vec<CitizenKey> = entries
        .iter()
        .filter(|e| e.attribute("region") == Some(b"r1"))
        .map(|e| *e.key())
        .take(3)
        .collect();
    let q = |seats| {
        Quotas::Explicit(vec![
            StratumQuota {
                value: b"r0".to_vec(),
                seats: 2,
            },
            StratumQuota {
                value: b"r1".to_vec(),
                seats,
            },
        ])
    };
    let p = DrawParams::new(Some("region".into()), q(8), 0, r1.clone(), None).unwrap();
    assert_eq!(
        try_draw(p),
        Err(Error::InsufficientEligible {
            stratum: 1,
            requested: 8,
            available: 7
        })
    );
    let p = DrawParams::new(Some("region".into()), q(7), 0, r1, None).unwrap();
    assert_eq!(try_draw(p), Ok(()));
    // A quota for a stratum the roll does not have.
    let p = DrawParams::new(
        Some("region".into()),
        Quotas::Explicit(vec![StratumQuota {
            value: b"r9".to_vec(),
            seats: 1,
        }]),
        0,
        vec![],
        None,
    )
    .unwrap();
    assert!(matches!(try_draw(p), Err(Error::InvalidParameter { .. })));
    // Invalid parameters.
    for quotas in [
        Quotas::Proportional { seats: 0 },
        Quotas::Proportional { seats: 151 },
        Quotas::Explicit(vec![
            StratumQuota {
                value: b"b".to_vec(),
                seats: 1,
            },
            StratumQuota {
                value: b"a".to_vec(),
                seats: 1,
            },
        ]),
        Quotas::Explicit(vec![StratumQuota {
            value: b"a".to_vec(),
            seats: 0,
        }]),
    ] {
        assert!(matches!(
            DrawParams::new(None, quotas, 0, vec![], None),
            Err(Error::InvalidParameter { .. })
        ));
    }
    assert!(DrawParams::new(None, Quotas::Proportional { seats: 1 }, 1001, vec![], None).is_err());
    let mut p = DrawParams::new(None, Quotas::Proportional { seats: 1 }, 0, vec![], None).unwrap();
    p.exclusions = vec![*entries[1].key(), *entries[0].key()];
    assert!(p.validate().is_err());
    // A schedule whose expiring seats differ from the seats drawn.
    let s = TermSchedule::new(150, 25, 6, 2027).unwrap();
    let p = DrawParams::new(None, Quotas::Proportional { seats: 20 }, 0, vec![], Some(s)).unwrap();
    assert!(matches!(try_draw(p), Err(Error::InvalidParameter { .. })));
    // A census of another roll than the announced one.
    let a = announce(&entries, stratified(3, 0, vec![]), 2027, 5);
    let other = roll(20, 2, 7);
    let c = Census::scan(&other, &a.params).unwrap();
    assert!(matches!(
        SelectionRecord::create(&a, &beacon(), &c, &other),
        Err(Error::VerificationFailed { .. })
    ));
    // The right census but another roll in the second pass.
    assert!(SelectionRecord::create(&a, &beacon(), &census(&a.params), &other).is_err());
    // An unknown beacon round.
    let a = announce(&entries, stratified(3, 0, vec![]), 2027, 99);
    assert!(SelectionRecord::create(&a, &beacon(), &census(&a.params), &entries).is_err());
}

#[test]
fn sampler_is_unbiased_by_construction() {
    let seed = Digest([7; 32]);
    let mut s = Sampler::for_stratum(&seed, b"");
    assert!(s.below(0).is_err());
    for _ in 0..100 {
        assert_eq!(s.below(1).unwrap(), 0);
    }
    // n = 2^63 + 1 rejects almost half of all 64-bit words; results stay in range.
    let n = (1u64 << 63) + 1;
    for _ in 0..100 {
        assert!(s.below(n).unwrap() < n);
    }
    let mut p = s.shuffle_prefix(50, 50).unwrap();
    p.sort_unstable();
    assert_eq!(
        p,
        (0..50).collect::<Vec<u64>>(),
        "a full shuffle is a permutation"
    );
    let big = s.shuffle_prefix(1 << 40, 200).unwrap();
    let mut d = big.clone();
    d.sort_unstable();
    d.dedup();
    assert_eq!(d.len(), 200, "no repeats, O(k) memory for a huge range");
    assert_eq!(
        s.shuffle_prefix(3, 4),
        Err(Error::InsufficientEligible {
            stratum: 0,
            requested: 4,
            available: 3
        })
    );
    // Streams differ per stratum and per seed.
    let a = Sampler::for_stratum(&seed, b"r0")
        .shuffle_prefix(1000, 5)
        .unwrap();
    let b = Sampler::for_stratum(&seed, b"r1")
        .shuffle_prefix(1000, 5)
        .unwrap();
    let c = Sampler::for_stratum(&Digest([8; 32]), b"r0")
        .shuffle_prefix(1000, 5)
        .unwrap();
    assert!(a != b && a != c);
}

/// Chi-square test of selection frequencies (spec/sortition.md §9): 4000
/// fixed seeds (`SHA3-256("test beacon round" ‖ i)`), a roll of 20, 5 drawn
/// each time, expected count 1000 per citizen; 19 degrees of freedom, and
/// the threshold 43.82 is the 0.999 quantile. Draws without replacement
/// make the counts negatively correlated, which only lowers the statistic,
/// so the test is conservative. The first-drawn position is tested too.
#[test]
fn selection_is_uniform_chi_square() {
    let entries = roll(20, 1, 8);
    let params = DrawParams::new(None, Quotas::Proportional { seats: 5 }, 0, vec![], None).unwrap();
    let census = Census::scan(&entries, &params).unwrap();
    let mut a = announce(&entries, params, 2027, 1);
    let (mut counts, mut first) = ([0u64; 20], [0u64; 20]);
    let seeds = 4000u64;
    for i in 0..seeds {
        a.beacon_round = i;
        let d = draw(&a, &output(i), &census.strata).unwrap();
        for (j, &r) in d[0].selected.iter().enumerate() {
            counts[r as usize] += 1;
            if j == 0 {
                first[r as usize] += 1;
            }
        }
    }
    let chi2 = |obs: &[u64], expected: f64| -> f64 {
        obs.iter()
            .map(|&o| (o as f64 - expected).powi(2) / expected)
            .sum()
    };
    let all = chi2(&counts, (seeds * 5) as f64 / 20.0);
    let lead = chi2(&first, seeds as f64 / 20.0);
    assert!(all < 43.82, "chi-square {all}");
    assert!(lead < 43.82, "chi-square {lead}");
}

#[test]
fn excluded_never_selected_over_many_seeds() {
    let entries = roll(30, 3, 9);
    let excluded: Vec<CitizenKey> = entries.iter().take(9).map(|e| *e.key()).collect();
    let params = stratified(6, 4, excluded.clone());
    let census = Census::scan(&entries, &params).unwrap();
    let a = announce(&entries, params, 2027, 1);
    // Map eligible ranks back to keys per stratum.
    let mut by_stratum: BTreeMap<Vec<u8>, Vec<CitizenKey>> = BTreeMap::new();
    for e in &entries {
        if !excluded.contains(e.key()) {
            by_stratum
                .entry(e.attribute("region").unwrap().to_vec())
                .or_default()
                .push(*e.key());
        }
    }
    for i in 0..300 {
        let d = draw(&a, &output(i), &census.strata).unwrap();
        for s in &d {
            assert_eq!(s.selected.len() as u32, s.quota);
            let keys = &by_stratum[&s.count.value];
            for &r in s.selected.iter().chain(&s.reserve) {
                assert!(!excluded.contains(&keys[r as usize]));
            }
            assert!(s.reserve.iter().all(|r| !s.selected.contains(r)));
        }
    }
}

#[test]
fn hamilton_quotas_and_tie_breaks() {
    let c = |v: &[u64]| -> Vec<StratumCount> {
        v.iter()
            .enumerate()
            .map(|(i, &size)| StratumCount {
                value: vec![b'a' + i as u8],
                size,
                eligible: size,
            })
            .collect()
    };
    let p = |seats| {
        DrawParams::new(
            Some("x".into()),
            Quotas::Proportional { seats },
            0,
            vec![],
            None,
        )
        .unwrap()
    };
    assert_eq!(quotas(&p(4), &c(&[5, 3, 2])).unwrap(), vec![2, 1, 1]);
    // Equal remainders, equal sizes: the smaller value wins.
    assert_eq!(quotas(&p(2), &c(&[1, 1, 1])).unwrap(), vec![1, 1, 0]);
    // Equal remainders (2 and 2 of 4): the larger stratum wins.
    assert_eq!(quotas(&p(2), &c(&[1, 3])).unwrap(), vec![0, 2]);
    assert_eq!(
        quotas(&p(150), &c(&[10_000_000, 1, 7])).unwrap(),
        vec![150, 0, 0]
    );
    let q = quotas(&p(150), &c(&[1_234_567, 7_654_321, 999_999, 1])).unwrap();
    assert_eq!(q.iter().sum::<u32>(), 150);
    assert_eq!(quotas(&p(3), &c(&[])), Err(Error::EmptyRoll));
}

#[test]
fn panel_lottery() {
    let entries = roll(12, 1, 10);
    let keys: Vec<CitizenKey> = entries.iter().map(|e| *e.key()).collect();
    let list = PanelList::new(vec![
        keys[0..4].to_vec(),
        keys[4..8].to_vec(),
        keys[8..12].to_vec(),
        keys[2..6].to_vec(),
    ])
    .unwrap();
    // The lottery alone (P1–P6): the other commitments are not checked here.
    let ann = PanelAnnouncement {
        polity: PolityId::new("p").unwrap(),
        assembly: AssemblyId::new("a").unwrap(),
        year: 2027,
        beacon_chain: BeaconChain::Kleroterion(Digest([1; 32])),
        beacon_round: 3,
        quotas: Digest([2; 32]),
        pool: Digest([3; 32]),
        panels: list.commitment(),
        count: 4,
        certificate: Digest([4; 32]),
    };
    let rec = PanelLotteryRecord::create(&ann, &list, &beacon()).unwrap();
    let report = rec.verify(&ann, &list, &beacon());
    assert!(report.all_passed(), "{report}");
    assert_eq!(report.checks.len(), 6);

    let other = PanelList::new(vec![keys[0..4].to_vec()]).unwrap();
    assert!(failed(&rec.verify(&ann, &other, &beacon())).contains(&"P4"));
    assert!(PanelLotteryRecord::create(&ann, &other, &beacon()).is_err());
    let mut r = rec.clone();
    r.beacon_round = 4;
    r.beacon_output = output(4);
    let f = failed(&r.verify(&ann, &list, &beacon()));
    assert!(f.contains(&"P2") && f.contains(&"P3"));
    let mut r = rec.clone();
    r.chosen = (r.chosen + 1) % 4;
    let f = failed(&r.verify(&ann, &list, &beacon()));
    assert!(f.contains(&"P5") && f.contains(&"P6"));

    // Uniform over the list: counts of 4000 picks within ±4σ of 1000.
    let mut counts = [0u32; 4];
    let mut a = ann.clone();
    for i in 0..4000 {
        a.beacon_round = i;
        counts[a.pick(&output(i)).unwrap() as usize] += 1;
    }
    assert!(
        counts.iter().all(|&c| (890..=1110).contains(&c)),
        "{counts:?}"
    );
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(serde_json::from_str::<PanelList>(&json).unwrap(), list);
        let dup = serde_json::json!({ "panels": [[hex::encode(keys[0].as_bytes()), hex::encode(keys[0].as_bytes())]] });
        assert!(serde_json::from_value::<PanelList>(dup).is_err());
        let json = serde_json::to_string(&rec).unwrap();
        assert_eq!(
            serde_json::from_str::<PanelLotteryRecord>(&json).unwrap(),
            rec
        );
    }
    assert!(PanelList::new(vec![]).is_err());
    assert!(PanelList::new(vec![vec![keys[0], keys[0]]]).is_err());
    assert!(PanelList::new(vec![vec![]]).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn record_serde_round_trip() {
    let entries = roll(30, 2, 11);
    let a = announce(&entries, stratified(4, 1, vec![*entries[0].key()]), 2027, 5);
    let rec = record_for(&entries, &a);
    let json = serde_json::to_string(&rec).unwrap();
    let back: SelectionRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rec);
    assert!(back.verify(&a, &beacon()).all_passed());
    // Deserialisation validates keys.
    let key_hex = hex::encode(entries[0].key().as_bytes());
    let bad = json.replace(&key_hex, &"ff".repeat(32));
    assert!(serde_json::from_str::<SelectionRecord>(&bad).is_err());
}

#[test]
fn errors_display() {
    let e = Error::InsufficientEligible {
        stratum: 2,
        requested: 5,
        available: 3,
    };
    assert!(e.to_string().contains("stratum #2"));
    assert!(Error::UnsortedRoll { index: 4 }.to_string().contains("#4"));
    assert!(Error::DuplicateRollEntry { index: 4 }
        .to_string()
        .contains("#4"));
    assert!(Error::MissingAttribute { index: 4 }
        .to_string()
        .contains("#4"));
    assert!(Error::EmptyRoll.to_string().contains("empty"));
}
