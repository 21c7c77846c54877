//! Reading and writing the record formats (spec/record.md §7): the JSON of
//! an assembly record, a vote's record and the anchors, validated by the
//! library's decoders (every encoding canonical), and the simulation of a
//! whole assembly's life cycle into a record directory.

use std::path::PathBuf;

use kleroterion::record::files::{
    read_assembly_record, read_vote_record, write_assembly, write_simulation, write_vote_record,
    DirSink,
};
use kleroterion::record::{Anchors, AssemblyRecord, ElectionRecord};
use kleroterion::roll::RollEntry;
use kleroterion::simulate::{simulate_assembly, SimulationParams};
use pyo3::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, OsRng, RngCore, SeedableRng};

use crate::errors;

fn parse_assembly(json: &str) -> PyResult<AssemblyRecord> {
    let record: AssemblyRecord =
        serde_json::from_str(json).map_err(|e| errors::json("assembly record", e))?;
    record.check_vote_names().map_err(errors::lib)?;
    Ok(record)
}

fn parse_vote(json: &str) -> PyResult<ElectionRecord> {
    serde_json::from_str(json).map_err(|e| errors::json("vote record", e))
}

/// Reads `assembly.json` of the assembly record directory `dir` and
/// returns it as canonical JSON. Raises DecodeError if it does not decode.
#[pyfunction]
fn read_assembly(dir: PathBuf) -> PyResult<String> {
    errors::to_json(&read_assembly_record(&dir).map_err(errors::io)?)
}

/// Reads `record.json` of the vote directory `dir` and returns it as
/// canonical JSON. Raises DecodeError if it does not decode.
#[pyfunction]
fn read_vote(dir: PathBuf) -> PyResult<String> {
    errors::to_json(&read_vote_record(&dir).map_err(errors::io)?)
}

/// Decodes an assembly record's JSON (every encoding checked) and returns
/// it in canonical form. Raises DecodeError or ParameterError.
#[pyfunction]
fn canonical_assembly(json: &str) -> PyResult<String> {
    errors::to_json(&parse_assembly(json)?)
}

/// Decodes a vote record's JSON (every encoding checked) and returns it in
/// canonical form. Raises DecodeError.
#[pyfunction]
fn canonical_vote(json: &str) -> PyResult<String> {
    errors::to_json(&parse_vote(json)?)
}

/// Writes an assembly record (its JSON) into `dir`: `assembly.json` and
/// each vote's `votes/<name>/record.json`; with `roll` (hex lines of roll
/// entries, canonical order) also `roll.txt`. Ballot streams are not part
/// of the JSON.
#[pyfunction]
#[pyo3(signature = (dir, json, roll=None))]
fn write_assembly_json(dir: PathBuf, json: &str, roll: Option<Vec<String>>) -> PyResult<()> {
    let record = parse_assembly(json)?;
    let roll = roll
        .map(|lines| {
            lines
                .iter()
                .map(|l| crate::roll::entry_from_hex(l))
                .collect::<PyResult<Vec<RollEntry>>>()
        })
        .transpose()?;
    write_assembly(&dir, &record, roll.as_ref()).map_err(errors::io)
}

/// Writes a vote record (its JSON) as `record.json` into `dir`.
#[pyfunction]
fn write_vote_json(dir: PathBuf, json: &str) -> PyResult<()> {
    write_vote_record(&dir, &parse_vote(json)?).map_err(errors::io)
}

/// The anchors of the assembly record in `dir` (JSON, as `kleroterion
/// anchors` prints them): what the organiser publishes outside the record.
#[pyfunction]
fn anchors_of(dir: PathBuf) -> PyResult<String> {
    let record = read_assembly_record(&dir).map_err(errors::io)?;
    serde_json::to_string_pretty(&Anchors::of(&record))
        .map_err(|e| errors::KleroterionError::new_err(e.to_string()))
}

/// Decodes published anchors and returns them in canonical form. Raises
/// DecodeError.
#[pyfunction]
fn canonical_anchors(json: &str) -> PyResult<String> {
    let anchors: Anchors = serde_json::from_str(json).map_err(|e| errors::json("anchors", e))?;
    serde_json::to_string_pretty(&anchors)
        .map_err(|e| errors::KleroterionError::new_err(e.to_string()))
}

/// Simulates an assembly's whole life cycle (roll, beacon, draw, a
/// replacement, two votes, decryption) and writes its record into `dir`,
/// drawing by overlapping features (age × gender × region, households) or,
/// with `features` false, proportionally by region;
/// which must be empty or absent. With `seed`, the record is reproducible:
/// the default parameters and `seed=1` give the record of `cargo run
/// --example assembly -- --seed 1`.
#[pyfunction]
#[pyo3(signature = (dir, citizens, strata, seats, reserve, challenged, consultation_ballots, features, seed=None))]
#[allow(clippy::too_many_arguments)]
fn simulate(
    py: Python<'_>,
    dir: PathBuf,
    citizens: u64,
    strata: u32,
    seats: u32,
    reserve: u32,
    challenged: u32,
    consultation_ballots: u64,
    features: bool,
    seed: Option<u64>,
) -> PyResult<()> {
    if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(errors::ParameterError::new_err(format!(
            "{} exists and is not empty",
            dir.display()
        )));
    }
    let params = SimulationParams {
        citizens,
        strata,
        seats,
        reserve,
        challenged,
        consultation_ballots,
        features,
        ..SimulationParams::default()
    };
    py.detach(|| match seed {
        Some(seed) => simulate_into(&params, &dir, &mut ChaCha20Rng::seed_from_u64(seed)),
        None => simulate_into(&params, &dir, &mut OsRng),
    })
}

fn simulate_into<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    dir: &std::path::Path,
    rng: &mut R,
) -> PyResult<()> {
    std::fs::create_dir_all(dir).map_err(errors::io)?;
    let mut sink = DirSink::new(dir);
    let sim = simulate_assembly(params, rng, &mut sink, |_, _| {}).map_err(errors::lib)?;
    sink.finish().map_err(errors::io)?;
    write_simulation(dir, &sim).map_err(errors::io)
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_assembly, m)?)?;
    m.add_function(wrap_pyfunction!(read_vote, m)?)?;
    m.add_function(wrap_pyfunction!(canonical_assembly, m)?)?;
    m.add_function(wrap_pyfunction!(canonical_vote, m)?)?;
    m.add_function(wrap_pyfunction!(write_assembly_json, m)?)?;
    m.add_function(wrap_pyfunction!(write_vote_json, m)?)?;
    m.add_function(wrap_pyfunction!(anchors_of, m)?)?;
    m.add_function(wrap_pyfunction!(canonical_anchors, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    Ok(())
}
