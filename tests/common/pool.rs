//! The honest pool draw shared by `tests/pool_draw.rs` and
//! `tests/conformance_pool.rs` (spec/pool-draw.md): four volunteers in two
//! cells and two households, two seats, a list of two panels with its
//! exact fairness certificate (gap 0), picked by a real round of drand's
//! `quicknet` (the beacon of `test-vectors/drand-record`).

#![allow(dead_code)]

use std::path::Path;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use kleroterion::civic::{AssemblyId, PolityId};
use kleroterion::fairness::{
    Category, CategoryDual, CellDual, FairnessCertificate, Feature, FeatureQuotas, PoolRoster,
    QuotaBounds,
};
use kleroterion::record::files::read_assembly_record;
use kleroterion::record::pool::PoolDrawRecord;
use kleroterion::record::{Anchors, AssemblyBeacon};
use kleroterion::roll::{Attribute, CitizenKey, RollEntry};
use kleroterion::sortition::panel::{PanelAnnouncement, PanelList, PoolObjects};
use kleroterion::sortition::BeaconChain;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// The quicknet round that picks the panel, and another round the beacon
/// holds.
pub const ROUND: u64 = 30662992;
/// A round of the same beacon other than [`ROUND`].
pub const OTHER_ROUND: u64 = 30662990;
/// When the announcement was published (Unix time): a day before [`ROUND`]
/// was due (1784792340), as the auditor's anchors attest.
pub const PUBLISHED: u64 = 1784705940;

/// Everything the organiser commits to.
#[derive(Clone)]
pub struct Objects {
    /// The quotas.
    pub quotas: FeatureQuotas,
    /// The pool.
    pub pool: PoolRoster,
    /// The panels.
    pub panels: PanelList,
    /// The certificate.
    pub certificate: FairnessCertificate,
}

impl Objects {
    /// The borrowed form the library takes.
    pub fn borrow(&self) -> PoolObjects<'_> {
        PoolObjects {
            quotas: &self.quotas,
            pool: &self.pool,
            panels: &self.panels,
            certificate: &self.certificate,
        }
    }
}

/// Person `i`'s key, `(i + 1)·G`.
pub fn key(i: u64) -> CitizenKey {
    let p = &Scalar::from(i + 1) * RISTRETTO_BASEPOINT_TABLE;
    CitizenKey::new(p.compress().to_bytes()).unwrap()
}

/// One feature `gender` with categories `f` and `m`, one seat each, one
/// person per household.
pub fn quotas() -> FeatureQuotas {
    quotas_with(QuotaBounds { min: 1, max: 1 })
}

/// [`quotas`] with other bounds for both categories.
pub fn quotas_with(bounds: QuotaBounds) -> FeatureQuotas {
    let category = |v: &[u8]| Category {
        value: v.to_vec(),
        bounds,
    };
    FeatureQuotas::new(
        2,
        vec![Feature {
            label: "gender".into(),
            categories: vec![category(b"f"), category(b"m")],
        }],
        Some("household".into()),
    )
    .unwrap()
}

/// Person `i` (of `0..n`): gender `f` for even `i`, `m` for odd, household
/// `i / 2` (people 0 and 1 share one, 2 and 3 another, …).
pub fn person(i: u64) -> RollEntry {
    let gender = if i % 2 == 0 { b"f" } else { b"m" };
    RollEntry::new(
        key(i),
        vec![
            Attribute::new("gender", gender.to_vec()).unwrap(),
            Attribute::new("household", vec![(i / 2) as u8; 32]).unwrap(),
        ],
    )
    .unwrap()
}

/// The pool of people `ids`.
pub fn pool_of(ids: &[u64]) -> PoolRoster {
    let entries: Vec<RollEntry> = ids.iter().map(|&i| person(i)).collect();
    PoolRoster::from_entries(&quotas(), &entries).unwrap()
}

/// The panels of people, by index.
pub fn panels(sets: &[&[u64]]) -> PanelList {
    PanelList::new(
        sets.iter()
            .map(|s| s.iter().map(|&i| key(i)).collect())
            .collect(),
    )
    .unwrap()
}

/// The exact dual of the two-cell problem: `w = (1/4, 1/4)`, `γ = 1/4`,
/// `B = γ·K = 1/2`, over `D = 4`, gap `gap_num / 1`.
pub fn certificate(gap_num: u128) -> FairnessCertificate {
    FairnessCertificate {
        denominator: 4,
        gamma: 1,
        cells: vec![
            CellDual {
                weight: 1,
                slack: 0
            };
            2
        ],
        categories: vec![vec![CategoryDual { upper: 0, lower: 0 }; 2]],
        gap_num,
        gap_den: 1,
    }
}

/// The honest objects: people 0–3; panels {0, 3} and {1, 2} (everyone
/// once in two, `p_min = 1/2 = B`), gap 0.
pub fn objects() -> Objects {
    Objects {
        quotas: quotas(),
        pool: pool_of(&[0, 1, 2, 3]),
        panels: panels(&[&[0, 3], &[1, 2]]),
        certificate: certificate(0),
    }
}

/// The quicknet beacon of `test-vectors/drand-record`.
pub fn beacon() -> AssemblyBeacon {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/drand-record");
    read_assembly_record(dir).unwrap().beacon
}

/// The announcement of `objects` on `beacon` and `round`.
pub fn announcement(objects: &Objects, beacon: &AssemblyBeacon, round: u64) -> PanelAnnouncement {
    let chain: BeaconChain = beacon.chain();
    PanelAnnouncement::new(
        PolityId::new("health@region-north").unwrap(),
        AssemblyId::new("pool-panel-2027").unwrap(),
        2027,
        chain,
        round,
        objects.borrow(),
    )
    .unwrap()
}

/// The record of `objects` drawn at [`ROUND`] and its anchors (with the
/// publication time).
pub fn record_of(objects: &Objects) -> (PoolDrawRecord, Anchors) {
    let beacon = beacon();
    let ann = announcement(objects, &beacon, ROUND);
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let record = PoolDrawRecord::draw(&ann, objects.borrow(), beacon, &mut rng).unwrap();
    let mut anchors = record.anchors();
    anchors.announcement_published = Some(PUBLISHED);
    (record, anchors)
}

/// The honest record and its anchors.
pub fn base() -> (PoolDrawRecord, Anchors) {
    record_of(&objects())
}
