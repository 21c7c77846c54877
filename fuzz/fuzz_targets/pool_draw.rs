//! Pool draws (spec/pool-draw.md): the panel announcement (version 2), the
//! pool roster and the panel list decode only canonical bytes (decode →
//! encode is the identity); a decoded roster's cells fit its pool; a pool
//! draw record (JSON) round-trips and its verifier reports every check
//! (A1–A2, B1–B4, P1–P10, F2–F5, F7) on any input, without anchors, never
//! "all passed" unless it is the kit's honest record.
#![no_main]

use kleroterion::encoding::Decode as _;
use kleroterion::fairness::{FeatureQuotas, PoolRoster};
use kleroterion::record::pool::PoolDrawRecord;
use kleroterion::record::Anchoring;
use kleroterion::sortition::panel::{PanelAnnouncement, PanelList};
use kleroterion_fuzz::pool::honest_record;
use kleroterion_fuzz::{json_roundtrip, roundtrip};
use libfuzzer_sys::fuzz_target;
use rand_core::SeedableRng;

fuzz_target!(|data: &[u8]| {
    let _ = roundtrip::<PanelAnnouncement>(data);
    let _ = roundtrip::<PanelList>(data);
    let _ = roundtrip::<FeatureQuotas>(data);
    let honest = honest_record();
    if let Some(roster) = roundtrip::<PoolRoster>(data) {
        let quotas = FeatureQuotas::from_bytes(&honest.quotas).expect("the kit's quotas");
        if let Ok((problem, pool)) = roster.problem(&quotas) {
            pool.validate(&problem)
                .expect("cells recomputed from a pool fit it");
        }
    }
    if let Some(record) = json_roundtrip::<PoolDrawRecord>(data) {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0);
        let report = record.verify(Anchoring::Unanchored, &mut rng);
        assert_eq!(
            report.total(),
            21,
            "every check is reported: A1–A2, B1–B4, P1–P10, F2–F5, F7"
        );
        assert!(!report.all_passed(), "no anchors: never passed");
    }
});
