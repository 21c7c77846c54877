//! The threshold beacon (spec/beacon.md): verifying a beacon record (the
//! whole chain) or one of its rounds, and reading its verified outputs.

use kleroterion::beacon::threshold::verify_round;
use kleroterion::beacon::BeaconOutput;
use pyo3::prelude::*;
use rand_core::OsRng;

use crate::errors;
use crate::verify::parse_beacon;

/// Verifies a beacon record given as JSON (a string of hex) and returns its
/// chain id (hex) and every round's verified output (round, hex). Raises
/// VerificationError naming the first bad round, DecodeError if the record
/// does not decode.
#[pyfunction]
fn beacon_outputs(py: Python<'_>, record_json: &str) -> PyResult<(String, Vec<(u64, String)>)> {
    let record = parse_beacon(record_json)?;
    let chain = py
        .detach(|| record.verify(&mut OsRng))
        .map_err(errors::lib)?;
    Ok((
        hex::encode(chain.chain_id()),
        chain
            .outputs()
            .map(|(r, o)| (r, hex::encode(o.as_bytes())))
            .collect(),
    ))
}

/// Verifies round `round` of a beacon record alone, against the output of
/// the round before it in the record (chained mode) and the record's
/// parameters; returns its output (hex). Raises ParameterError if the
/// record has no such round, VerificationError if it does not verify.
#[pyfunction]
fn verify_beacon_round(py: Python<'_>, record_json: &str, round: u64) -> PyResult<String> {
    let record = parse_beacon(record_json)?;
    let position = record
        .rounds
        .iter()
        .position(|r| r.round() == round)
        .ok_or_else(|| {
            errors::ParameterError::new_err(format!("round {round} is not in the beacon record"))
        })?;
    let chained = record.parameters.mode() == kleroterion::beacon::threshold::ChainMode::Chained;
    let previous: Option<BeaconOutput> = match position.checked_sub(1) {
        Some(p) if chained => record.rounds.get(p).map(|r| *r.output()),
        _ => None,
    };
    let this = record
        .rounds
        .get(position)
        .ok_or_else(|| errors::ParameterError::new_err("round out of range"))?;
    let out = py
        .detach(|| verify_round(&record.parameters, this, previous.as_ref(), &mut OsRng))
        .map_err(errors::lib)?;
    Ok(hex::encode(out.as_bytes()))
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(beacon_outputs, m)?)?;
    m.add_function(wrap_pyfunction!(verify_beacon_round, m)?)?;
    Ok(())
}
