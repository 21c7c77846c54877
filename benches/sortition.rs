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

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use std::hint::black_box;

use kleroterion::civic::{AssemblyId, PolityId};
use kleroterion::roll::{roll_digest, Attribute, CitizenKey, MerkleBuilder, RollDigest, RollEntry};
use kleroterion::sortition::{
    draw, BeaconOutput, Census, DrawAnnouncement, DrawParams, Quotas, SelectionRecord,
    StratumCount, VerifiedRounds,
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

criterion_group!(benches, records, big_roll);
criterion_main!(benches);
