//! Helpers shared by the CLI's integration tests (`cli/tests/*.rs`):
//! running the `kleroterion` binary, reading its output and exit status,
//! scratch directories, `--json` reports, and a small Sortition Foundation
//! style pool (features and people CSV files).

// Each test binary uses a part of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

// The schema helpers of the root crate's tests.
#[path = "../../../tests/common/schema.rs"]
pub mod schema;

/// The `kleroterion` binary of this build.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kleroterion"))
}

/// Runs the binary with `args`; fails the test if it panicked.
pub fn run(args: &[&str]) -> Output {
    let out = bin().args(args).output().expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

/// The run's standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The run's standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The run's standard output followed by its standard error.
pub fn text(out: &Output) -> String {
    stdout(out) + &stderr(out)
}

/// The run's exit status.
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// A fresh scratch directory for one test, under this test binary's own
/// directory of `CARGO_TARGET_TMPDIR`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(env!("CARGO_CRATE_NAME"))
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `--json` report on `out`'s stdout, validated against its schema.
pub fn report_json(out: &Output) -> Value {
    let json = serde_json::from_str(&stdout(out)).expect("--json output parses");
    schema::assert_valid("report.schema.json", &json, "a --json report");
    json
}

/// The ids of the failed checks of a `--json` report, in order.
pub fn failed_ids(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The features file of the small pools: two genders, two seats each, and
/// two age groups, one to three seats each (four seats in all).
pub const FEATURES: &str = "feature,value,min,max\n\
Gender,Female,2,2\n\
Gender,Male,2,2\n\
Age,18-39,1,3\n\
Age,40+,1,3\n";

/// The people file of a pool of `count` people, two to an address, the
/// genders and age groups of [`FEATURES`] alternating.
pub fn people(count: usize) -> String {
    let mut text = String::from("id,Name,Gender,Age,Address\n");
    for i in 0..count {
        let gender = ["Female", "Male"][i % 2];
        let age = ["18-39", "40+"][(i / 2) % 2];
        text += &format!("p{i},Person {i},{gender},{age},{} Main St\n", i / 2);
    }
    text
}

/// `{"num", "den"}` of a rational in lowest terms (spec/json.md §7.3).
pub fn rational(r: &kleroterion::fairness::Ratio) -> Value {
    let r = r.reduced();
    serde_json::json!({"num": r.numer().to_string(), "den": r.denom().to_string()})
}

/// The report's statement containing `needle`.
pub fn statement_with<'a>(report: &'a Value, needle: &str) -> &'a Value {
    report["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no statement with {needle:?}: {report}"))
}
