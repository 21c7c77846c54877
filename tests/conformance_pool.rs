//! The pool draw cases of the conformance kit (test-vectors/conformance/,
//! README "Pool draw cases"): the honest pool draw of `tests/common/pool.rs`
//! as the base `pool-draw/` with its anchors `pool-draw.anchors.json`, and
//! `cases/pool-*/case.json`, each edits to a copy of the base with the
//! report every conforming verifier gives (spec/pool-draw.md §5).
//!
//! [`check_pool_kit`] applies every pool case's edits, verifies the edited
//! record with `record::files::verify_pool_dir` and compares the reports;
//! it validates the base, every case file and every edited file against
//! spec/schema/. [`pool_generator_reproduces_kit`] checks that the
//! generator (the table [`cases`], whose edits are computed by diffing the
//! edited record with the base) still writes the kit. Regenerate (only
//! after an intended change of the spec) with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --all-features --test conformance_pool`.

#[path = "common/kit.rs"]
mod kit;
#[path = "common/pool.rs"]
mod pool;
#[path = "common/schema.rs"]
mod schema;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use kleroterion::encoding::{Decode, Encode};
use kleroterion::fairness::{FairnessCertificate, QuotaBounds};
use kleroterion::record::files::{verify_pool_dir, POOL_DRAW_FILE};
use kleroterion::record::pool::{PoolDrawRecord, POOL_DRAW_VERSION};
use kleroterion::record::{Anchoring, Anchors};
use kleroterion::sortition::panel::PanelAnnouncement;
use kleroterion::sortition::{BeaconChain, BeaconOutput};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};

use kit::{case_json, case_path, expected, failed, outline, CaseHead, Sections};
use pool::*;

const KIT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/conformance");
const BASE: &str = "pool-draw";
const ANCHORS: &str = "pool-draw.anchors.json";
/// The name edits give the anchors (as in the assembly cases).
const ANCHORS_EDIT: &str = "anchors.json";

/// The record and its anchors, as JSON.
#[derive(Clone, PartialEq)]
struct Work {
    record: Value,
    /// `pool-draw.json` replaced by text that is not JSON (R1), if any.
    text: Option<String>,
    anchors: Value,
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

impl Work {
    fn read(kit: &Path) -> Work {
        let read = |p: PathBuf| serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        Work {
            record: read(kit.join(BASE).join(POOL_DRAW_FILE)),
            text: None,
            anchors: read(kit.join(ANCHORS)),
        }
    }

    /// The record as the library reads it (the case's edits keep it JSON).
    fn record(&self) -> PoolDrawRecord {
        serde_json::from_value(self.record.clone()).unwrap()
    }

    fn set_record(&mut self, r: &PoolDrawRecord) {
        self.record = to_value(r);
    }

    fn anchors(&self) -> Anchors {
        serde_json::from_value(self.anchors.clone()).unwrap()
    }

    fn set_anchors(&mut self, a: &Anchors) {
        self.anchors = to_value(a);
    }

    /// An organiser who commits to `objects`: a new announcement, draw and
    /// anchors (with the publication time).
    fn commit(&mut self, objects: &Objects) {
        let (r, a) = record_of(objects);
        self.set_record(&r);
        self.set_anchors(&a);
    }

    /// The record's announcement replaced by `ann`, the anchors following
    /// it (the organiser published the new hash).
    fn reannounce(&mut self, ann: &PanelAnnouncement) {
        let mut r = self.record();
        r.announcement = ann.to_bytes();
        self.set_record(&r);
        let mut a = r.anchors();
        a.announcement_published = Some(PUBLISHED);
        self.set_anchors(&a);
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

// ---------------------------------------------------------------------------
// Edits: computed by diffing, applied as the README says.

/// The edits turning one JSON object's members into another's: a string
/// of the same length as a run of changed characters, anything else as a
/// whole value.
fn diff_members(file: &str, base: &Value, edited: &Value, out: &mut Vec<Value>) {
    let (Some(b), Some(e)) = (base.as_object(), edited.as_object()) else {
        panic!("{file}: not an object");
    };
    for (k, v) in e {
        let pointer = format!("/{k}");
        match (b.get(k), v) {
            (Some(old), new) if old == new => {}
            (Some(Value::String(old)), Value::String(new)) if old.len() == new.len() => {
                let first = old
                    .bytes()
                    .zip(new.bytes())
                    .position(|(x, y)| x != y)
                    .unwrap();
                let last = old.len()
                    - old
                        .bytes()
                        .rev()
                        .zip(new.bytes().rev())
                        .position(|(x, y)| x != y)
                        .unwrap();
                out.push(json!({"file": file, "pointer": pointer, "at": first, "text": &new[first..last]}));
            }
            _ => out.push(json!({"file": file, "pointer": pointer, "value": v})),
        }
    }
    for k in b.keys() {
        assert!(
            e.contains_key(k),
            "{file}: member {k} removed (no such edit)"
        );
    }
}

fn diff(base: &Work, w: &Work) -> Vec<Value> {
    let mut out = Vec::new();
    match &w.text {
        Some(t) => out.push(json!({"file": POOL_DRAW_FILE, "text": t})),
        None => diff_members(POOL_DRAW_FILE, &base.record, &w.record, &mut out),
    }
    diff_members(ANCHORS_EDIT, &base.anchors, &w.anchors, &mut out);
    out
}

fn apply(base: &Work, edits: &[Value]) -> Work {
    let mut w = base.clone();
    for e in edits {
        let file = e["file"].as_str().unwrap();
        if let Some(t) = e.get("text").filter(|_| e.get("pointer").is_none()) {
            assert_eq!(file, POOL_DRAW_FILE);
            w.text = Some(t.as_str().unwrap().to_string());
            continue;
        }
        let doc = match file {
            POOL_DRAW_FILE => &mut w.record,
            ANCHORS_EDIT => &mut w.anchors,
            other => panic!("no file {other} in a pool draw"),
        };
        let target = doc.pointer_mut(e["pointer"].as_str().unwrap()).unwrap();
        if let Some(v) = e.get("value") {
            *target = v.clone();
        } else {
            let at = e["at"].as_u64().unwrap() as usize;
            let text = e["text"].as_str().unwrap();
            let mut s = target.as_str().unwrap().to_string();
            s.replace_range(at..at + text.len(), text);
            *target = Value::String(s);
        }
    }
    w
}

// ---------------------------------------------------------------------------
// Reports.

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "kleroterion-conformance-pool-{}-{name}",
        std::process::id()
    ))
}

/// Writes the edited record and verifies it as the kit says.
fn verify(w: &Work, anchored: bool, dir: &Path) -> Sections {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).unwrap();
    let text = w.text.clone().unwrap_or_else(|| pretty(&w.record));
    fs::write(dir.join(POOL_DRAW_FILE), text).unwrap();
    let anchors = w.anchors();
    let anchoring = if anchored {
        Anchoring::Published(&anchors)
    } else {
        Anchoring::Unanchored
    };
    let report = verify_pool_dir(dir, anchoring, &mut ChaCha20Rng::seed_from_u64(1)).unwrap();
    let _ = fs::remove_dir_all(dir);
    outline(&report)
}

// ---------------------------------------------------------------------------
// The cases.

struct Case {
    name: &'static str,
    description: &'static str,
    anchors: &'static str,
    targets: &'static [&'static str],
    edit: fn(&mut Work),
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "pool-honest",
            description: "the honest pool draw, against its published anchors",
            anchors: "published",
            targets: &[],
            edit: |_| {},
        },
        Case {
            name: "pool-honest-unanchored",
            description: "the honest pool draw without anchors: A1, A2 and P7 (a drand round needs the publication time) not anchored",
            anchors: "none",
            targets: &[],
            edit: |_| {},
        },
        Case {
            name: "pool-R1-does-not-decode",
            description: "pool-draw.json is cut: the record does not decode",
            anchors: "published",
            targets: &["R1"],
            edit: |w| {
                let text = pretty(&w.record);
                w.text = Some(text[..text.len() / 2].to_string());
            },
        },
        Case {
            name: "pool-A1-other-chain",
            description: "the published beacon chain differs from the record's",
            anchors: "published",
            targets: &["A1"],
            edit: |w| {
                let mut a = w.anchors();
                a.beacon_chain.0[0] ^= 0x10;
                w.set_anchors(&a);
            },
        },
        Case {
            name: "pool-A2-other-announcement",
            description: "the published announcement hash differs from the record's announcement",
            anchors: "published",
            targets: &["A2"],
            edit: |w| {
                let mut a = w.anchors();
                a.announcement.0[5] ^= 0x01;
                w.set_anchors(&a);
            },
        },
        Case {
            name: "pool-B1-beacon-byte",
            description: "a byte of the picking round's drand signature changed: the beacon does not verify",
            anchors: "published",
            targets: &["B1"],
            edit: |w| {
                let sig = w.record.pointer_mut("/beacon/rounds/1/signature").unwrap();
                let mut s = sig.as_str().unwrap().to_string();
                let c = if s.as_bytes()[20] == b'0' { "1" } else { "0" };
                s.replace_range(20..21, c);
                *sig = Value::String(s);
            },
        },
        Case {
            name: "pool-B2-round-not-in-chain",
            description: "the announcement (published) names a round the record's beacon does not hold",
            anchors: "published",
            targets: &["B2"],
            edit: |w| {
                let mut ann = PanelAnnouncement::from_bytes(&w.record().announcement).unwrap();
                ann.beacon_round = ROUND + 1;
                w.reannounce(&ann);
                let mut r = w.record();
                r.beacon_round = ROUND + 1;
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-B3-version",
            description: "the record's format version is 2",
            anchors: "published",
            targets: &["B3"],
            edit: |w| {
                let mut r = w.record();
                r.version = POOL_DRAW_VERSION + 1;
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-B4-announcement-names-other-chain",
            description: "the announcement (published) names a threshold chain with the drand chain's id; the record holds drand rounds",
            anchors: "published",
            targets: &["B4"],
            edit: |w| {
                let mut ann = PanelAnnouncement::from_bytes(&w.record().announcement).unwrap();
                ann.beacon_chain = BeaconChain::Kleroterion(*ann.beacon_chain.id());
                w.reannounce(&ann);
            },
        },
        Case {
            name: "pool-P1-announcement-version-1",
            description: "the announcement (published) is a version-1 panel announcement, which binds the list only",
            anchors: "published",
            targets: &["P1"],
            edit: |w| {
                let mut r = w.record();
                if let Some(v) = r.announcement.get_mut(1) {
                    *v = 1;
                }
                w.set_record(&r);
                let mut a = r.anchors();
                a.announcement_published = Some(PUBLISHED);
                w.set_anchors(&a);
            },
        },
        Case {
            name: "pool-P2-round",
            description: "the record says another round of the beacon was used",
            anchors: "published",
            targets: &["P2"],
            edit: |w| {
                let mut r = w.record();
                r.beacon_round = OTHER_ROUND;
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P3-output",
            description: "the record's beacon output is not the round's",
            anchors: "published",
            targets: &["P3"],
            edit: |w| {
                let mut r = w.record();
                r.beacon_output = BeaconOutput([0x42; 32]);
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P4-panels",
            description: "another panel list than the committed one (a panel of the list changed)",
            anchors: "published",
            targets: &["P4"],
            edit: |w| {
                let mut r = w.record();
                r.panels = panels(&[&[0, 3], &[1, 3]]).to_bytes();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P5-chosen",
            description: "the record picks the other panel (and records it)",
            anchors: "published",
            targets: &["P5"],
            edit: |w| {
                let mut r = w.record();
                r.chosen = 1 - r.chosen;
                r.panel = objects().panels.panels()[r.chosen as usize].clone();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P6-panel",
            description: "the recorded panel is not the list's panel at the picked index",
            anchors: "published",
            targets: &["P6"],
            edit: |w| {
                let mut r = w.record();
                r.panel = vec![key(0), key(1)];
                r.panel.sort();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-R1-panel-key-not-a-point",
            description: "a key of the recorded panel is not a canonical ristretto255 encoding (all 0xff): the record does not decode (spec/pool-draw.md §4)",
            anchors: "published",
            targets: &["R1"],
            edit: |w| {
                w.record["panel"][0] = Value::String("ff".repeat(32));
            },
        },
        Case {
            name: "pool-P7-published-late",
            description: "the anchors attest that the announcement was published 100 s before the drand round was due (inside the 300 s margin)",
            anchors: "published",
            targets: &["P7"],
            edit: |w| {
                let mut a = w.anchors();
                a.announcement_published = Some(1784792340 - 100);
                w.set_anchors(&a);
            },
        },
        Case {
            name: "pool-P8-quotas",
            description: "other quotas than the committed ones (both categories 0 to 2 seats)",
            anchors: "published",
            targets: &["P8"],
            edit: |w| {
                let mut r = w.record();
                r.quotas = quotas_with(QuotaBounds { min: 0, max: 2 }).to_bytes();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P9-pool-member-removed",
            description: "a pool member removed from the committed pool",
            anchors: "published",
            targets: &["P9"],
            edit: |w| {
                let mut r = w.record();
                r.pool = pool_of(&[0, 1, 2]).to_bytes();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P9-pool-member-added",
            description: "a pool member added to the committed pool",
            anchors: "published",
            targets: &["P9"],
            edit: |w| {
                let mut r = w.record();
                r.pool = pool_of(&[0, 1, 2, 3, 4]).to_bytes();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-P10-certificate",
            description: "another certificate than the committed one (a larger gap, after the draw)",
            anchors: "published",
            targets: &["P10"],
            edit: |w| {
                let mut r = w.record();
                r.certificate = certificate(1).to_bytes();
                w.set_record(&r);
            },
        },
        Case {
            name: "pool-F2-quotas-broken",
            description: "the organiser commits (and announces) panels that seat two people of one gender",
            anchors: "published",
            targets: &["F2"],
            edit: |w| {
                w.commit(&Objects {
                    panels: panels(&[&[0, 2], &[1, 3]]),
                    ..objects()
                })
            },
        },
        Case {
            name: "pool-F3-household",
            description: "the organiser commits panels that seat two people of one household",
            anchors: "published",
            targets: &["F3"],
            edit: |w| {
                w.commit(&Objects {
                    panels: panels(&[&[0, 1], &[2, 3]]),
                    ..objects()
                })
            },
        },
        Case {
            name: "pool-F4-certificate-shape",
            description: "the organiser commits a certificate with one cell dual for two cells",
            anchors: "published",
            targets: &["F4"],
            edit: |w| {
                let c = certificate(0);
                w.commit(&Objects {
                    certificate: FairnessCertificate {
                        cells: c.cells[..1].to_vec(),
                        ..c
                    },
                    ..objects()
                })
            },
        },
        Case {
            name: "pool-F5-dual-constraint",
            description: "the organiser commits a certificate whose gamma is lowered to 0: the dual constraint fails",
            anchors: "published",
            targets: &["F5"],
            edit: |w| {
                w.commit(&Objects {
                    certificate: FairnessCertificate {
                        gamma: 0,
                        ..certificate(0)
                    },
                    ..objects()
                })
            },
        },
        Case {
            name: "pool-F7-gap",
            description: "the organiser commits panels {0,3} twice: people 1 and 2 are never seated, p_min = 0, the bound 1/2 exceeds it by more than the announced gap 0",
            anchors: "published",
            targets: &["F7"],
            edit: |w| {
                w.commit(&Objects {
                    panels: panels(&[&[0, 3], &[0, 3]]),
                    ..objects()
                })
            },
        },
    ]
}

// ---------------------------------------------------------------------------
// Writing and checking the kit.

fn write_base(kit: &Path) {
    let (record, anchors) = base();
    fs::create_dir_all(kit.join(BASE)).unwrap();
    fs::write(
        kit.join(BASE).join(POOL_DRAW_FILE),
        pretty(&to_value(&record)),
    )
    .unwrap();
    fs::write(kit.join(ANCHORS), pretty(&to_value(&anchors))).unwrap();
}

fn regenerate() {
    let kit = Path::new(KIT);
    write_base(kit);
    let base = Work::read(kit);
    for c in cases() {
        let mut w = base.clone();
        (c.edit)(&mut w);
        let edits = diff(&base, &w);
        let w = apply(&base, &edits);
        let report = verify(&w, c.anchors == "published", &temp_dir(c.name));
        let path = case_path(kit, c.name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let head = CaseHead {
            description: c.description,
            base: BASE,
            anchors: c.anchors,
            targets: c.targets,
        };
        fs::write(path, case_json(&head, &edits, &report)).unwrap();
    }
}

/// The pool cases on disk (every case directory named `pool-*`).
fn pool_cases_on_disk(kit: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(kit.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pool-"))
        .collect();
    names.sort();
    names
}

/// Every pool case gives its expected report; every case's targets fail;
/// every check P1–P10, A1–A2, B1–B4, F2–F5, F7 and R1 fails in some case.
#[test]
fn check_pool_kit() {
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        regenerate();
    }
    let kit = Path::new(KIT);
    let base = Work::read(kit);
    schema::assert_valid(
        "pool-draw.schema.json",
        &base.record,
        "the base pool-draw.json",
    );
    schema::assert_valid("anchors.schema.json", &base.anchors, ANCHORS);
    let mut failures = Vec::new();
    let mut failed_checks = BTreeSet::new();
    for name in pool_cases_on_disk(kit) {
        let case: Value =
            serde_json::from_slice(&fs::read(case_path(kit, &name)).unwrap()).unwrap();
        schema::assert_valid("conformance-case.schema.json", &case, &name);
        assert_eq!(case["base"], BASE, "{name}");
        let w = apply(&base, case["edits"].as_array().unwrap());
        // The cases whose record does not decode or has another version
        // are the ones invalid against the schema.
        if w.text.is_none() {
            let valid = schema::check("pool-draw.schema.json", &w.record).is_ok();
            assert_eq!(
                valid,
                name != "pool-B3-version",
                "{name}: validity against pool-draw.schema.json"
            );
        }
        schema::assert_valid("anchors.schema.json", &w.anchors, &name);
        let got = verify(&w, case["anchors"] == "published", &temp_dir(&name));
        let expected = expected(&case);
        if got != expected {
            failures.push(format!("case {name}: got {got:?}"));
        }
        let f = failed(&got);
        for t in case["targets"].as_array().unwrap() {
            assert!(
                f.iter().any(|x| x == t.as_str().unwrap()),
                "{name}: {t} does not fail"
            );
        }
        failed_checks.extend(f);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let must_fail = [
        "R1", "A1", "A2", "B1", "B2", "B3", "B4", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8",
        "P9", "P10", "F2", "F3", "F4", "F5", "F7",
    ];
    for id in must_fail {
        assert!(failed_checks.contains(id), "no pool case fails {id}");
    }
}

/// The generator still writes the kit: the base byte for byte, and each
/// case's edits, anchors and targets.
#[test]
fn pool_generator_reproduces_kit() {
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        return; // check_pool_kit is rewriting the kit
    }
    let kit = Path::new(KIT);
    let fresh = temp_dir("generator");
    let _ = fs::remove_dir_all(&fresh);
    write_base(&fresh);
    for f in [format!("{BASE}/{POOL_DRAW_FILE}"), ANCHORS.to_string()] {
        assert!(
            fs::read(kit.join(&f)).unwrap() == fs::read(fresh.join(&f)).unwrap(),
            "{f} is not what the generator writes (regenerate only after an intended change of the spec)"
        );
    }
    let _ = fs::remove_dir_all(&fresh);
    let base = Work::read(kit);
    let mut names = Vec::new();
    for c in cases() {
        let mut w = base.clone();
        (c.edit)(&mut w);
        let case: Value = serde_json::from_slice(&fs::read(case_path(kit, c.name)).unwrap())
            .unwrap_or_else(|e| panic!("case {}: {e}", c.name));
        assert_eq!(
            case["edits"],
            Value::Array(diff(&base, &w)),
            "case {}: edits",
            c.name
        );
        assert_eq!(case["anchors"], c.anchors, "case {}", c.name);
        assert_eq!(case["targets"], json!(c.targets), "case {}", c.name);
        names.push(c.name.to_string());
    }
    names.sort();
    assert_eq!(
        pool_cases_on_disk(kit),
        names,
        "the kit's pool cases are the generator's"
    );
}
