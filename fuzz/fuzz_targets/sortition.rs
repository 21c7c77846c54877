//! Sortition: the selection record of a draw and roll inclusion proofs,
//! verified against the fixture assembly (`src/civic.rs`: a 12-citizen roll
//! in 2 regions, a verified beacon chain, a 4-seat draw with reserves).
//!
//! * `RollEntry` and `InclusionProof` round-trip. A decoded inclusion proof
//!   that verifies for a drawn fixture entry under the announced roll is
//!   that entry's fixture proof; a decoded entry that verifies under a
//!   fixture proof is the fixture entry (no second preimage, no other
//!   position, no malleable path).
//! * A `SelectionRecord` (JSON) round-trips through JSON, and is verified
//!   against the published announcement and the verified chain
//!   (`verify`, checks S1–S11) and with the roll (`verify_with_roll`,
//!   S1–S14): every check is always reported, and "all pass" only for the
//!   fixture record.
#![no_main]

use kleroterion::roll::{InclusionProof, RollEntry};
use kleroterion::sortition::SelectionRecord;
use kleroterion_fuzz::civic::record_fixtures;
use kleroterion_fuzz::{check_ids, json_roundtrip, roundtrip};
use libfuzzer_sys::fuzz_target;

const S1_S11: [&str; 11] = [
    "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11",
];
const S12_S14: [&str; 3] = ["S12", "S13", "S14"];

fuzz_target!(|data: &[u8]| {
    let f = record_fixtures();
    let published = &f.assembly.announcement;
    let known = &f.assembly.selection;
    let drawn: Vec<_> = known
        .strata
        .iter()
        .flat_map(|s| s.selected.iter().chain(&s.reserve))
        .collect();
    if let Some(proof) = roundtrip::<InclusionProof>(data) {
        for d in &drawn {
            if proof.verify(&d.entry, &published.roll).is_ok() {
                assert_eq!(proof, d.proof, "inclusion proof forgery");
            }
        }
    }
    if let Some(entry) = roundtrip::<RollEntry>(data) {
        for d in &drawn {
            if d.proof.verify(&entry, &published.roll).is_ok() {
                assert_eq!(entry, d.entry, "roll entry second preimage");
            }
        }
    }
    json_roundtrip::<SelectionRecord>(data);
    if let Ok(record) = serde_json::from_slice::<SelectionRecord>(data) {
        let report = record.verify(published, &f.chain);
        assert_eq!(check_ids(&report), S1_S11, "a check is missing");
        if report.all_passed() {
            assert_eq!(&record, known, "selection record forgery");
        }
        let report = record.verify_with_roll(published, &f.chain, &f.roll);
        assert_eq!(
            check_ids(&report),
            [&S1_S11[..], &S12_S14[..]].concat(),
            "a check is missing"
        );
        if report.all_passed() {
            assert_eq!(&record, known, "selection record forgery (with roll)");
        }
    }
});
