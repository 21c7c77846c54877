//! Seeds and the honest record of the `pool_draw` target: the conformance
//! kit's pool draw (test-vectors/conformance/pool-draw/).

use kleroterion::record::pool::PoolDrawRecord;

const RECORD: &str = include_str!("../../test-vectors/conformance/pool-draw/pool-draw.json");

/// The kit's honest pool draw record.
pub fn honest_record() -> &'static PoolDrawRecord {
    static CELL: std::sync::OnceLock<PoolDrawRecord> = std::sync::OnceLock::new();
    CELL.get_or_init(|| serde_json::from_str(RECORD).expect("the kit's pool draw decodes"))
}

/// The record's JSON and each committed object's encoding.
pub fn seeds() -> Vec<Vec<u8>> {
    let r = honest_record();
    vec![
        RECORD.as_bytes().to_vec(),
        r.announcement.clone(),
        r.quotas.clone(),
        r.pool.clone(),
        r.panels.clone(),
        r.certificate.clone(),
    ]
}
