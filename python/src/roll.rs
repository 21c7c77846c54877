//! Consent rolls (spec/roll.md): roll entries in their canonical encoding
//! (the hex of a `roll.txt` line) and the roll's Merkle commitment.

use std::io::BufReader;
use std::path::PathBuf;

use kleroterion::encoding::{Decode, Encode};
use kleroterion::record::files::bounded_lines;
use kleroterion::roll::{roll_digest, Attribute, CitizenKey, RollBuilder, RollDigest, RollEntry};
use pyo3::prelude::*;

use crate::errors;

/// A roll entry's attributes as they cross to Python: (label, value).
type Attributes = Vec<(String, Vec<u8>)>;

/// Decodes a roll entry from the hex of its canonical encoding.
pub fn entry_from_hex(line: &str) -> PyResult<RollEntry> {
    let bytes = hex::decode(line.trim())
        .map_err(|e| errors::DecodeError::new_err(format!("roll entry: {e}")))?;
    RollEntry::from_bytes(&bytes).map_err(errors::lib)
}

/// Decodes roll entries from their canonical encodings.
pub fn entries(encoded: &[Vec<u8>]) -> PyResult<Vec<RollEntry>> {
    encoded
        .iter()
        .map(|b| RollEntry::from_bytes(b).map_err(errors::lib))
        .collect()
}

fn commitment(d: RollDigest) -> (String, u64) {
    (hex::encode(d.root.0), d.size)
}

/// The canonical encoding of a roll entry: a citizen key (32 bytes, a
/// canonical ristretto255 point) and its attributes (label, value); the
/// attributes are sorted by label. Raises DecodeError for a key that is not
/// a point, ParameterError for a bad label, value or repeated label.
#[pyfunction]
fn encode_roll_entry(key: &[u8], attributes: Attributes) -> PyResult<Vec<u8>> {
    let key: [u8; 32] = key.try_into().map_err(|_| {
        errors::DecodeError::new_err(format!("a citizen key is 32 bytes, got {}", key.len()))
    })?;
    let key = CitizenKey::new(key).map_err(errors::lib)?;
    let attributes = attributes
        .into_iter()
        .map(|(label, value)| Attribute::new(label, value).map_err(errors::lib))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(RollEntry::new(key, attributes)
        .map_err(errors::lib)?
        .to_bytes())
}

/// The key and attributes of a roll entry's canonical encoding. Raises
/// DecodeError if it is not one.
#[pyfunction]
fn decode_roll_entry(encoded: &[u8]) -> PyResult<(Vec<u8>, Attributes)> {
    let e = RollEntry::from_bytes(encoded).map_err(errors::lib)?;
    Ok((
        e.key().as_bytes().to_vec(),
        e.attributes()
            .iter()
            .map(|a| (a.label().to_string(), a.value().to_vec()))
            .collect(),
    ))
}

/// The commitment (Merkle root, hex; size) of a roll given as canonical
/// encodings in canonical order. Raises ParameterError for an empty,
/// unsorted or duplicated roll.
#[pyfunction]
fn commit_roll(py: Python<'_>, encoded: Vec<Vec<u8>>) -> PyResult<(String, u64)> {
    let entries = entries(&encoded)?;
    py.detach(|| roll_digest(&entries))
        .map(commitment)
        .map_err(errors::lib)
}

/// The commitment of a `roll.txt` file (one hex entry per line), streamed
/// with bounded memory.
#[pyfunction]
fn commit_roll_file(py: Python<'_>, path: PathBuf) -> PyResult<(String, u64)> {
    let file = std::fs::File::open(&path).map_err(errors::io)?;
    py.detach(|| {
        let mut b = RollBuilder::new();
        for (i, line) in bounded_lines(BufReader::new(file)).enumerate() {
            let line = line.map_err(|e| {
                errors::DecodeError::new_err(format!("{} line {}: {e}", path.display(), i + 1))
            })?;
            b.push(&entry_from_hex(&line)?).map_err(errors::lib)?;
        }
        b.finish().map(commitment).map_err(errors::lib)
    })
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(encode_roll_entry, m)?)?;
    m.add_function(wrap_pyfunction!(decode_roll_entry, m)?)?;
    m.add_function(wrap_pyfunction!(commit_roll, m)?)?;
    m.add_function(wrap_pyfunction!(commit_roll_file, m)?)?;
    Ok(())
}
