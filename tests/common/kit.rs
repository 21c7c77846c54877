//! The conformance kit's case files (test-vectors/conformance/README.md, "A
//! case file"), shared by its two generators, `tests/conformance.rs` (the
//! assembly bases) and `tests/conformance_pool.rs` (the pool draw): the
//! report outline a case expects, and the writer and reader of
//! `cases/<name>/case.json`.

// Each test binary uses a part of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kleroterion::record::AssemblyReport;
use kleroterion::report::Outcome;
use serde_json::{json, Value};

/// A report as a case expects it: each section's title with its checks'
/// ids and outcomes (`ok`, `failed`, `not_checked`, `not_anchored`).
pub type Sections = Vec<(String, Vec<(String, String)>)>;

/// The outcome's word in a case file.
pub fn word(o: &Outcome) -> &'static str {
    match o {
        Outcome::Passed => "ok",
        Outcome::Failed(_) => "failed",
        Outcome::NotChecked(_) => "not_checked",
        Outcome::NotAnchored(_) => "not_anchored",
    }
}

/// The outline of a verifier's report.
pub fn outline(report: &AssemblyReport) -> Sections {
    report
        .sections
        .iter()
        .map(|(t, r)| {
            let checks = r
                .checks
                .iter()
                .map(|c| (c.id.to_string(), word(&c.outcome).to_string()))
                .collect();
            (t.clone(), checks)
        })
        .collect()
}

/// The ids of the checks that failed, in report order.
pub fn failed(s: &Sections) -> Vec<String> {
    s.iter()
        .flat_map(|(_, c)| {
            c.iter()
                .filter(|(_, o)| o == "failed")
                .map(|(i, _)| i.clone())
        })
        .collect()
}

/// The path of case `name`'s file in the kit.
pub fn case_path(kit: &Path, name: &str) -> PathBuf {
    kit.join("cases").join(name).join("case.json")
}

/// What a case file records of a case: everything but its report.
pub struct CaseHead<'a> {
    /// What was changed, for humans.
    pub description: &'a str,
    /// The base record.
    pub base: &'a str,
    /// `"published"` or `"none"`.
    pub anchors: &'a str,
    /// The checks the case was made to fail.
    pub targets: &'a [&'a str],
}

/// A case file: pretty at the top, one line per edit and per expected
/// section, each object's keys in the order a reader expects them.
pub fn case_json(head: &CaseHead<'_>, edits: &[Value], report: &Sections) -> String {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n    {}\n  ]", items.join(",\n    "))
        }
    };
    let expected: Vec<String> = report
        .iter()
        .map(|(t, checks)| {
            let checks: Vec<Value> = checks.iter().map(|(i, o)| json!([i, o])).collect();
            ordered(&json!({"section": t, "checks": checks}))
        })
        .collect();
    let fields = [
        ("description", ordered(&json!(head.description))),
        ("base", ordered(&json!(head.base))),
        ("anchors", ordered(&json!(head.anchors))),
        ("targets", ordered(&json!(head.targets))),
        ("edits", list(edits.iter().map(ordered).collect())),
        ("expected", list(expected)),
    ];
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v}"))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

/// The report a case file expects.
pub fn expected(case: &Value) -> Sections {
    let text = |v: &Value| v.as_str().expect("a string").to_string();
    case["expected"]
        .as_array()
        .expect("expected: an array")
        .iter()
        .map(|s| {
            let checks = s["checks"]
                .as_array()
                .expect("checks: an array")
                .iter()
                .map(|c| (text(&c[0]), text(&c[1])))
                .collect();
            (text(&s["section"]), checks)
        })
        .collect()
}

/// `v` on one line, an object's keys in the order a reader expects them.
fn ordered(v: &Value) -> String {
    const ORDER: [&str; 10] = [
        "section", "checks", "file", "pointer", "line", "at", "text", "value", "insert", "delete",
    ];
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
            let fields: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::to_string(k).unwrap(),
                        serde_json::to_string(&m[*k]).unwrap()
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        _ => serde_json::to_string(v).unwrap(),
    }
}
