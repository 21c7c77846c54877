//! Sortition benches (issue 6):
//!
//! * `roll/merkle_root_10M`: the Merkle root of a 10,000,000-entry roll,
//!   entries generated on the fly (never stored), memory `O(log n)`. Each
//!   entry is the canonical encoding of a roll entry (header, 32-byte key,
//!   one `region` attribute) whose key is a counter: this measures the
//!   hashing. Key validation (a ristretto decompression per entry, done once
//!   when a roll is ingested) is measured separately by `roll/validate_key`,
//!   and `RollBuilder`'s own per-entry overhead by `roll/roll_builder_100k`.
//! * `sortition/draw_150_10_strata_of_10M`: the draw of 150 seats with 10
//!   proportional strata and a reserve of 10 per stratum, from the census of
//!   that 10M roll (the root already exists; the draw never rehashes).
//! * `sortition/verify_record_*`: verifying a selection record of 150
//!   delegates and 100 reserves, without and with the roll (100k entries).
//! * `features/*` (issue 19): a feature draw (gender × age band × region,
//!   80 cells, 150 seats, a lottery of 16 allocations) on a roll of
//!   1,000,000 entries generated as they stream past (keys precomputed and
//!   sorted, attributes built per entry, as a roll file reader would):
//!   the census (roll commitment and cell counts in one pass), the draw
//!   from the census, and the record's second pass (inclusion proofs);
//!   with the feature `solver` (default) also the maximin lottery of 400
//!   allocations with its certificate on that census's 80-cell problem
//!   (reproducible rounding, as the simulation uses), and the certificate
//!   checks F2, F4, F5, F7 the verifier adds to the record's checks.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use std::hint::black_box;

use kleroterion::civic::{AssemblyId, PolityId};
use kleroterion::fairness::{AllocationList, Category, Feature, FeatureQuotas, QuotaBounds};
use kleroterion::roll::{roll_digest, Attribute, CitizenKey, MerkleBuilder, RollDigest, RollEntry};
use kleroterion::sortition::{
    draw, draw_features, BeaconOutput, Census, DrawAnnouncement, DrawParams, FeatureLottery,
    HouseholdOracle, Quotas, SelectionRecord, StratumCount, VerifiedRounds,
};

#[path = "support/synthetic_roll.rs"]
mod synthetic_roll;
use synthetic_roll::{synthetic_leaf, STRATA};

const BIG: u64 = 10_000_000;

/// The root of `BIG` synthetic entries, hashed as they are generated.
fn synthetic_root() -> RollDigest {
    let mut tree = MerkleBuilder::new();
    for i in 0..BIG {
        tree.push(synthetic_leaf(i)).unwrap();
    }
    tree.finish().unwrap()
}

/// A sorted roll of `n` real entries in `STRATA` regions.
fn real_roll(n: u64) -> Vec<RollEntry> {
    let mut p = RISTRETTO_BASEPOINT_POINT;
    let mut v: Vec<RollEntry> = (0..n)
        .map(|i| {
            p += RISTRETTO_BASEPOINT_POINT;
            let region = Attribute::new("region", format!("r{}", i % STRATA)).unwrap();
            RollEntry::new(CitizenKey::from_point(&p).unwrap(), vec![region]).unwrap()
        })
        .collect();
    v.sort_by_key(|e| *e.key());
    v
}

fn params() -> DrawParams {
    DrawParams::new(
        Some("region".into()),
        Quotas::Proportional { seats: 150 },
        10,
        vec![],
        None,
    )
    .unwrap()
}

fn announcement(roll: RollDigest) -> DrawAnnouncement {
    DrawAnnouncement {
        polity: PolityId::new("health@eu").unwrap(),
        assembly: AssemblyId::new("health-eu").unwrap(),
        year: 2027,
        roll,
        beacon_chain: kleroterion::sortition::BeaconChain::Kleroterion(kleroterion::roll::Digest(
            [0xbe; 32],
        )),
        beacon_round: 42,
        params: params(),
    }
}

fn beacon() -> VerifiedRounds {
    let mut b = VerifiedRounds::new();
    b.insert_verified(42, BeaconOutput([0x5a; 32]));
    b
}

fn big_roll(c: &mut Criterion) {
    let mut g = c.benchmark_group("roll");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    let mut root = None;
    g.bench_function("merkle_root_10M", |b| {
        b.iter(|| root = Some(black_box(synthetic_root())))
    });
    #[cfg(feature = "rayon")]
    g.bench_function("merkle_root_10M_rayon", |b| {
        b.iter(|| {
            let par =
                kleroterion::roll::merkle_root_par(0..BIG, |_, _| Ok(()), |&i| synthetic_leaf(i));
            black_box(par.unwrap())
        })
    });
    g.finish();

    let root = root.unwrap_or_else(synthetic_root);
    let strata: Vec<StratumCount> = (0..STRATA)
        .map(|s| StratumCount {
            value: format!("r{s}").into_bytes(),
            size: BIG / STRATA,
            eligible: BIG / STRATA,
        })
        .collect();
    let a = announcement(root);
    let out = BeaconOutput([0x5a; 32]);
    let mut g = c.benchmark_group("sortition");
    g.bench_function("draw_150_10_strata_of_10M", |b| {
        b.iter(|| black_box(draw(&a, &out, &strata).unwrap()))
    });
    g.finish();
}

fn records(c: &mut Criterion) {
    let entries = real_roll(100_000);
    let key = *entries[0].key().as_bytes();
    let mut g = c.benchmark_group("roll");
    g.bench_function("validate_key", |b| {
        b.iter(|| black_box(CitizenKey::new(black_box(key)).unwrap()))
    });
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("roll_builder_100k", |b| {
        b.iter(|| black_box(roll_digest(&entries).unwrap()))
    });
    g.finish();

    let a = announcement(roll_digest(&entries).unwrap());
    let census = Census::scan(&entries, &a.params).unwrap();
    let rec = SelectionRecord::create(&a, &beacon(), &census, &entries).unwrap();
    assert!(rec.verify(&a, &beacon()).all_passed());
    let mut g = c.benchmark_group("sortition");
    g.bench_function("verify_record_150_of_100k", |b| {
        b.iter(|| black_box(rec.verify(&a, &beacon())))
    });
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("create_record_150_of_100k", |b| {
        b.iter(|| {
            let census = Census::scan(&entries, &a.params).unwrap();
            black_box(SelectionRecord::create(&a, &beacon(), &census, &entries).unwrap())
        })
    });
    g.bench_function("verify_record_with_roll_100k", |b| {
        b.iter(|| black_box(rec.verify_with_roll(&a, &beacon(), &entries)))
    });
    g.finish();
}

/// Entries of the feature bench's roll.
const FEATURE_ROLL: u64 = 1_000_000;

/// Sorted valid keys for `n` entries.
fn sorted_keys(n: u64) -> Vec<CitizenKey> {
    let mut p = RISTRETTO_BASEPOINT_POINT;
    let mut keys: Vec<CitizenKey> = (0..n)
        .map(|_| {
            p += RISTRETTO_BASEPOINT_POINT;
            CitizenKey::from_point(&p).unwrap()
        })
        .collect();
    keys.sort_unstable();
    keys
}

/// The entry at `i`: gender `i mod 2`, age band `(i / 2) mod 4`, region
/// `(i / 8) mod 10` (independent, so all 80 cells occur).
fn feature_entry(key: &CitizenKey, i: u64) -> RollEntry {
    let attrs = vec![
        Attribute::new("gender", format!("g{}", i % 2)).unwrap(),
        Attribute::new("age", format!("a{}", (i / 2) % 4)).unwrap(),
        Attribute::new("region", format!("r{}", (i / 8) % 10)).unwrap(),
    ];
    RollEntry::new(*key, attrs).unwrap()
}

fn feature_quotas() -> FeatureQuotas {
    let feature = |label: &str, prefix: &str, n: u32, min: u32, max: u32| Feature {
        label: label.into(),
        categories: (0..n)
            .map(|v| Category {
                value: format!("{prefix}{v}").into_bytes(),
                bounds: QuotaBounds { min, max },
            })
            .collect(),
    };
    FeatureQuotas::new(
        150,
        vec![
            feature("gender", "g", 2, 70, 80),
            feature("age", "a", 4, 30, 45),
            feature("region", "r", 10, 10, 20),
        ],
        None,
    )
    .unwrap()
}

fn features(c: &mut Criterion) {
    let keys = sorted_keys(FEATURE_ROLL);
    let entries = || keys.iter().zip(0u64..).map(|(k, i)| feature_entry(k, i));
    let quotas = feature_quotas();
    let cells = quotas.census(entries(), &[]).unwrap();
    // 16 allocations of 150 seats over the 80 cells: two seats in each
    // cell but ten, which get one; the ten rotate.
    let n = cells.len();
    let problem = quotas.problem(&cells).unwrap();
    let list: Vec<Vec<u32>> = (0..16)
        .map(|j| {
            (0..n)
                .map(|c| if (c + 8 * j) % n < 10 { 1 } else { 2 })
                .collect()
        })
        .filter(|x: &Vec<u32>| problem.is_feasible(x))
        .collect();
    let list = AllocationList::new(list).unwrap();
    let mut a = announcement(roll_digest(entries()).unwrap());
    a.params = DrawParams::new(
        None,
        Quotas::Features(FeatureLottery::new(quotas, &list)),
        10,
        vec![],
        None,
    )
    .unwrap();
    let mut g = c.benchmark_group("features");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("census_3_features_1M", |b| {
        b.iter(|| black_box(Census::scan(entries(), &a.params).unwrap()))
    });
    let census = Census::scan(entries(), &a.params).unwrap();
    let out = BeaconOutput([0x5a; 32]);
    let none = HouseholdOracle::new();
    g.bench_function("draw_150_of_80_cells", |b| {
        b.iter(|| black_box(draw_features(&a, &out, &census.strata, &list, &none).unwrap()))
    });
    g.bench_function("create_record_3_features_1M", |b| {
        b.iter(|| {
            black_box(
                SelectionRecord::create_features(&a, &beacon(), &census, &list, entries).unwrap(),
            )
        })
    });
    #[cfg(feature = "solver")]
    {
        use kleroterion::fairness::check_lottery;
        use kleroterion::fairness::solve::fair_lottery;
        let problem = feature_quotas().problem(&census.strata).unwrap();
        g.bench_function("maximin_lottery_80_cells_m400", |b| {
            b.iter(|| fair_lottery(black_box(&problem), 400).unwrap())
        });
        let fair = fair_lottery(&problem, 400).unwrap();
        g.bench_function("certificate_checks_80_cells_m400", |b| {
            b.iter(|| {
                let v = check_lottery(black_box(&problem), &fair.lottery, &fair.certificate)
                    .expect("a well-formed problem");
                assert!(v.passed());
            })
        });
    }
    g.finish();
}

criterion_group!(benches, records, big_roll, features);
criterion_main!(benches);
