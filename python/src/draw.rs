//! Draws by lot (spec/sortition.md): the announcement's hash (anchor A2),
//! running a draw from the announcement, a verified beacon output and the
//! roll, and verifying a selection record (checks S1–S11, with the roll
//! S12–S15).

use kleroterion::beacon::{BeaconOutput, VerifiedRounds};
use kleroterion::report::check_lines;
use kleroterion::report::Section;
use kleroterion::sortition::{Census, DrawAnnouncement, SelectionRecord};
use pyo3::prelude::*;

use crate::errors;
use crate::verify::NativeReport;

fn parse_announcement(json: &str) -> PyResult<DrawAnnouncement> {
    serde_json::from_str(json).map_err(|e| errors::json("draw announcement", e))
}

fn output(bytes: &[u8]) -> PyResult<BeaconOutput> {
    let out: [u8; 32] = bytes.try_into().map_err(|_| {
        errors::DecodeError::new_err(format!("a beacon output is 32 bytes, got {}", bytes.len()))
    })?;
    Ok(BeaconOutput(out))
}

/// A beacon source holding the one output the caller verified.
fn source(round: u64, beacon_output: &[u8]) -> PyResult<VerifiedRounds> {
    let mut rounds = VerifiedRounds::new();
    rounds.insert_verified(round, output(beacon_output)?);
    Ok(rounds)
}

/// Checks a draw announcement (parameters, quotas, schedule) and returns
/// its canonical JSON and its hash (hex): the value the organiser publishes
/// before the beacon round (anchor A2). Raises DecodeError or
/// ParameterError.
#[pyfunction]
fn announcement(json: &str) -> PyResult<(String, String)> {
    let a = parse_announcement(json)?;
    a.validate().map_err(errors::lib)?;
    Ok((errors::to_json(&a)?, hex::encode(a.hash().0)))
}

/// Runs the draw of `announcement_json` seeded by `beacon_output` (32
/// bytes: the output of the announced round, which the caller has
/// verified, e.g. with verify_beacon) over the roll (canonical encodings,
/// canonical order; it must be the announced roll). Returns the selection
/// record's JSON. Raises ParameterError (roll differs from the
/// announcement, too few eligible citizens) or DecodeError.
#[pyfunction]
fn run_draw(
    py: Python<'_>,
    announcement_json: &str,
    beacon_output: &[u8],
    roll: Vec<Vec<u8>>,
) -> PyResult<String> {
    let a = parse_announcement(announcement_json)?;
    let beacon = source(a.beacon_round, beacon_output)?;
    let entries = crate::roll::entries(&roll)?;
    let record = py
        .detach(|| {
            let census = Census::scan(&entries, &a.params)?;
            SelectionRecord::create(&a, &beacon, &census, &entries)
        })
        .map_err(errors::lib)?;
    errors::to_json(&record)
}

/// Verifies a selection record against the published announcement and the
/// verified output of its round: checks S1–S11, and with the roll
/// (canonical encodings) S12–S14 too. Returns the report as JSON.
#[pyfunction]
#[pyo3(signature = (selection_json, announcement_json, beacon_output, roll=None))]
fn verify_draw(
    py: Python<'_>,
    selection_json: &str,
    announcement_json: &str,
    beacon_output: &[u8],
    roll: Option<Vec<Vec<u8>>>,
) -> PyResult<String> {
    let selection: SelectionRecord =
        serde_json::from_str(selection_json).map_err(|e| errors::json("selection record", e))?;
    let a = parse_announcement(announcement_json)?;
    let beacon = source(a.beacon_round, beacon_output)?;
    let entries = roll.map(|r| crate::roll::entries(&r)).transpose()?;
    let report = py.detach(|| match &entries {
        Some(entries) => selection.verify_with_roll(&a, &beacon, entries),
        None => selection.verify(&a, &beacon),
    });
    NativeReport::sections(vec![Section {
        title: "Draw".into(),
        checks: check_lines(&report),
    }])
    .json()
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(announcement, m)?)?;
    m.add_function(wrap_pyfunction!(run_draw, m)?)?;
    m.add_function(wrap_pyfunction!(verify_draw, m)?)?;
    Ok(())
}
