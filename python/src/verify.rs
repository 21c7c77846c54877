//! Verifying records: an assembly directory, a vote directory or a beacon
//! record file, returning the report as JSON (sections of numbered checks,
//! the summary with its statements, the digest of the record's main file).

use std::path::{Path, PathBuf};

use kleroterion::beacon::threshold::BeaconRecord;
use kleroterion::fairness::FairnessFigures;
use kleroterion::record::assembly::verify_beacon_record;
use kleroterion::record::files::{
    self, file_digest, malformed_report, read_assembly_record, read_vote_record, record_kind,
    verify_assembly_dir, verify_draw, verify_vote_dir, RecordKind, ASSEMBLY_FILE, RECORD_FILE,
    RECORD_TITLE, VOTE_TITLE,
};
use kleroterion::record::summary::Summary;
use kleroterion::record::{Anchoring, Anchors, AssemblyBeacon};
use kleroterion::report::{check_lines, Report, Section};
use pyo3::prelude::*;
use rand_core::OsRng;
use serde::Serialize;

use crate::errors;

/// A report as it crosses to Python (`kleroterion.Report.from_native`).
#[derive(Serialize)]
pub struct NativeReport {
    /// The sections of numbered checks.
    pub sections: Vec<Section>,
    /// What the record claims and which statements the checks prove.
    pub summary: Option<Summary>,
    /// The record's main file and its SHA3-256.
    pub record_digest: Option<(String, String)>,
    /// A feature draw's fairness figures, as the verifier recomputed them
    /// (spec/record.md §10.1).
    pub fairness: Option<FairnessFigures>,
}

impl NativeReport {
    /// Sections only (a beacon record, a merged shard report).
    pub fn sections(sections: Vec<Section>) -> Self {
        NativeReport {
            sections,
            summary: None,
            record_digest: None,
            fairness: None,
        }
    }

    fn single(title: &str, report: &Report) -> Self {
        Self::sections(vec![Section {
            title: title.into(),
            checks: check_lines(report),
        }])
    }

    /// The JSON handed to Python.
    pub fn json(&self) -> PyResult<String> {
        errors::to_json(self)
    }
}

/// Parses published anchors (the JSON of `kleroterion anchors`).
pub fn parse_anchors(json: Option<&str>) -> PyResult<Option<Anchors>> {
    json.map(|j| serde_json::from_str(j).map_err(|e| errors::json("anchors", e)))
        .transpose()
}

fn anchoring(anchors: &Option<Anchors>) -> Anchoring<'_> {
    anchors
        .as_ref()
        .map_or(Anchoring::Unanchored, Anchoring::Published)
}

/// A record whose file is read but does not decode is a failed report
/// (check R1), as in the CLI; other file errors are exceptions.
fn or_malformed(result: std::io::Result<NativeReport>) -> PyResult<NativeReport> {
    match result {
        Ok(r) => Ok(r),
        Err(e) if files::is_malformed(&e) => {
            Ok(NativeReport::single(RECORD_TITLE, &malformed_report(&e)))
        }
        Err(e) => Err(errors::io(e)),
    }
}

fn assembly(path: &Path, anchors: &Option<Anchors>) -> std::io::Result<NativeReport> {
    let record = read_assembly_record(path)?;
    let report = verify_assembly_dir(path, anchoring(anchors), &mut OsRng, |_, _| {})?;
    Ok(NativeReport {
        sections: report.to_sections(),
        summary: Some(Summary::of_assembly(&record, &report)),
        record_digest: file_digest(path, ASSEMBLY_FILE)
            .ok()
            .map(|d| (ASSEMBLY_FILE.into(), d)),
        fairness: report.fairness,
    })
}

fn vote(path: &Path) -> std::io::Result<NativeReport> {
    let record = read_vote_record(path)?;
    let report = verify_vote_dir(path, &mut OsRng, |_| {})?;
    let name = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| String::from("vote"));
    Ok(NativeReport {
        sections: vec![Section {
            title: VOTE_TITLE.into(),
            checks: check_lines(&report),
        }],
        summary: Some(Summary::of_vote(&name, &record, &report)),
        record_digest: file_digest(path, RECORD_FILE)
            .ok()
            .map(|d| (RECORD_FILE.into(), d)),
        fairness: None,
    })
}

/// Reads a beacon record: a JSON string of hex, as under `"beacon"` in
/// `assembly.json`.
pub fn parse_beacon(json: &str) -> PyResult<BeaconRecord> {
    serde_json::from_str(json).map_err(|e| errors::json("beacon record", e))
}

fn beacon_report(record: &BeaconRecord) -> NativeReport {
    let beacon = AssemblyBeacon::Kleroterion(record.clone());
    NativeReport::single("Beacon", &verify_beacon_record(&beacon, &mut OsRng).0)
}

/// verify(path, anchors_json=None) -> str
///
/// Verifies the record at `path` (an assembly directory, a vote directory
/// or a beacon record file) against the published anchors, if given, and
/// returns the report as JSON.
#[pyfunction]
#[pyo3(signature = (path, anchors_json=None))]
fn verify(py: Python<'_>, path: PathBuf, anchors_json: Option<&str>) -> PyResult<String> {
    let anchors = parse_anchors(anchors_json)?;
    let kind = record_kind(&path).map_err(errors::io)?;
    if anchors.is_some() && kind != RecordKind::Assembly {
        return Err(errors::ParameterError::new_err(
            "anchors apply to assembly records",
        ));
    }
    let report = match kind {
        RecordKind::Assembly => or_malformed(py.detach(|| assembly(&path, &anchors)))?,
        RecordKind::Vote => or_malformed(py.detach(|| vote(&path)))?,
        RecordKind::BeaconFile => {
            let text = std::fs::read_to_string(&path).map_err(errors::io)?;
            match parse_beacon(&text) {
                Ok(record) => py.detach(|| beacon_report(&record)),
                Err(e) => NativeReport::single(
                    RECORD_TITLE,
                    &malformed_report(&std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{}: {e}", path.display()),
                    )),
                ),
            }
        }
    };
    report.json()
}

/// verify_selection(path, anchors_json=None) -> str
///
/// Verifies an assembly's anchors, beacon and draw (and the roll if
/// `roll.txt` is present), without the votes; returns the report as JSON.
#[pyfunction]
#[pyo3(signature = (path, anchors_json=None))]
fn verify_selection(py: Python<'_>, path: PathBuf, anchors_json: Option<&str>) -> PyResult<String> {
    let anchors = parse_anchors(anchors_json)?;
    let report = or_malformed(py.detach(|| -> std::io::Result<NativeReport> {
        let record = read_assembly_record(&path)?;
        let report = verify_draw(
            &record,
            anchoring(&anchors),
            files::open_roll(&path),
            &mut OsRng,
        );
        Ok(NativeReport {
            sections: report.to_sections(),
            summary: Some(Summary::of_draw(&record, &report)),
            record_digest: file_digest(&path, ASSEMBLY_FILE)
                .ok()
                .map(|d| (ASSEMBLY_FILE.into(), d)),
            fairness: report.fairness,
        })
    }))?;
    report.json()
}

/// verify_beacon_record(record_json) -> str
///
/// Verifies a beacon record given as JSON (a string of hex): check B1.
/// A record that does not decode raises DecodeError.
#[pyfunction]
fn verify_beacon_json(py: Python<'_>, record_json: &str) -> PyResult<String> {
    let record = parse_beacon(record_json)?;
    py.detach(|| beacon_report(&record)).json()
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_selection, m)?)?;
    m.add_function(wrap_pyfunction!(verify_beacon_json, m)?)?;
    Ok(())
}
