//! The JSON Schemas of `spec/schema/` (spec/json.md §7) against everything
//! the crate writes and every test vector:
//!
//! * every schema compiles as draft 2020-12 and every `spec/json.md §N` its
//!   descriptions cite exists; the objects json.md tabulates (§2–§4) have
//!   exactly the tables' members in their schemas, all required;
//! * every JSON file under `test-vectors/` validates against its schema
//!   (one schema per file kind; a file without one fails the test), and so
//!   does every line of the conformance kit's streams;
//! * the files `record::files` writes for a simulated assembly, its anchors,
//!   and selection records with the other quota forms, a schedule and a
//!   single stratum validate;
//! * records with a wrong-length digest, uppercase hex, an unknown member,
//!   an integer out of range and other near misses do not: the schemas are
//!   not permissive.
//!
//! The conformance kit's cases, as edited, are validated by
//! `tests/conformance.rs`; the CLI's `--json` outputs by `cli/tests/cli.rs`.

#[path = "common/schema.rs"]
mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kleroterion::civic::TermSchedule;
use kleroterion::record::files::{write_simulation, DirSink};
use kleroterion::record::Anchors;
use kleroterion::simulate::{simulate_assembly, Simulation, SimulationParams};
use kleroterion::sortition::{
    Census, DrawAnnouncement, DrawParams, Quotas, SelectionRecord, StratumQuota, VerifiedRounds,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};

use schema::{assert_valid, assert_valid_text, check};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors");
const ASSEMBLY: &str = "assembly-record.schema.json";
const ELECTION: &str = "election-record.schema.json";
const SORTITION: &str = "sortition.schema.json";
const ANNOUNCEMENT: &str = "sortition.schema.json#/$defs/DrawAnnouncement";
const ANCHORS: &str = "anchors.schema.json";
const ROLL_LINE: &str = "common.schema.json#/$defs/enc_roll_entry";
const BALLOT_LINE: &str = "common.schema.json#/$defs/ballot_line";
const CHALLENGED_LINE: &str = "common.schema.json#/$defs/enc_challenged_ballot";

/// The schema of a JSON file of `test-vectors/` (path relative to it).
/// The conformance kit's base records that are assembly records
/// (test-vectors/conformance/README.md, "Bases").
const KIT_ASSEMBLIES: [&str; 3] = ["assembly", "feature-assembly", "stratified-assembly"];

fn vector_schema(file: &str) -> Option<&'static str> {
    let top = [
        ("rfc9496.json", "vectors/rfc9496.schema.json"),
        ("elgamal.json", "vectors/elgamal.schema.json"),
        (
            "rfc9381-ecvrf-edwards25519-sha512-tai.json",
            "vectors/rfc9381.schema.json",
        ),
        ("beacon-chain.json", "vectors/beacon-chain.schema.json"),
        ("proofs.json", "vectors/proofs.schema.json"),
        ("sortition.json", "vectors/sortition.schema.json"),
        ("trustees.json", "vectors/trustees.schema.json"),
        ("credential.json", "vectors/credential.schema.json"),
        ("election.json", "vectors/election.schema.json"),
        ("drand.json", "vectors/drand.schema.json"),
        ("drand-record/anchors.json", ANCHORS),
        ("drand-record/assembly.json", ASSEMBLY),
        ("conformance/anchors.json", ANCHORS),
        ("conformance/assembly/assembly.json", ASSEMBLY),
        ("conformance/pool-draw.anchors.json", ANCHORS),
        (
            "conformance/pool-draw/pool-draw.json",
            "pool-draw.schema.json",
        ),
    ];
    if let Some((_, s)) = top.iter().find(|(f, _)| *f == file) {
        return Some(s);
    }
    let parts: Vec<&str> = file.split('/').collect();
    match parts.as_slice() {
        ["conformance", base, "assembly.json"] if KIT_ASSEMBLIES.contains(base) => Some(ASSEMBLY),
        ["conformance", base, "votes", _, "record.json"] if KIT_ASSEMBLIES.contains(base) => {
            Some(ELECTION)
        }
        ["conformance", anchors] if anchors.ends_with(".anchors.json") => Some(ANCHORS),
        ["conformance", "cases", _, "case.json"] => Some("conformance-case.schema.json"),
        _ => None,
    }
}

/// The schema of each line of a text stream of the conformance kit.
fn line_schema(file: &str) -> Option<&'static str> {
    match file.rsplit('/').next() {
        Some("roll.txt") => Some(ROLL_LINE),
        Some("ballots.txt") => Some(BALLOT_LINE),
        Some("challenged.txt") => Some(CHALLENGED_LINE),
        _ => None,
    }
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// Validates every line of the text file `path` against `schema`.
fn assert_lines_valid(schema: &str, path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    for (i, line) in text.lines().enumerate() {
        assert_valid(
            schema,
            &Value::String(line.to_string()),
            &format!("{} line {}", path.display(), i + 1),
        );
    }
}

#[test]
fn every_schema_compiles_and_cites_existing_sections() {
    let dir = schema::schema_dir();
    let files = schema::schema_files(&dir);
    assert!(files.len() >= 18, "schemas: {files:?}");
    let json_md = fs::read_to_string(dir.join("../json.md")).unwrap();
    let headings: Vec<&str> = json_md
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    for f in &files {
        // Compiling checks the schema against the draft 2020-12 metaschema
        // and resolves its references: an empty object is then judged.
        let _ = check(f, &json!({}));
        let text = fs::read_to_string(dir.join(f)).unwrap();
        for (at, _) in text.match_indices("spec/json.md") {
            let rest = &text[at + "spec/json.md".len()..];
            let end = rest.find([')', ';', '"']).unwrap_or(rest.len());
            let cited = rest[..end].split("spec/").next().unwrap_or("");
            for section in cited.split('§').skip(1) {
                let number: String = section
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let number = number.trim_end_matches('.');
                assert!(
                    headings
                        .iter()
                        .any(|h| h.starts_with(&format!("{number}. "))
                            || h.starts_with(&format!("{number} "))),
                    "{f} cites spec/json.md §{number}, which has no such heading"
                );
            }
        }
    }
}

/// The member tables of spec/json.md (§2–§4): each table's type (the first
/// backticked name of the heading or `Name`: line above it) and its members
/// (the backticked first cells), in order.
fn json_md_tables() -> Vec<(String, Vec<String>)> {
    let text = fs::read_to_string(schema::schema_dir().join("../json.md")).unwrap();
    let backticked = |l: &str| l.split('`').nth(1).map(str::to_string);
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    let mut name = None;
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with('#') || (line.starts_with('`') && line.ends_with("`:")) {
            name = backticked(line);
            in_table = false;
        } else if line.starts_with("| member |") {
            let n = name.clone().expect("a table under a named heading");
            tables.push((n, Vec::new()));
            in_table = true;
        } else if in_table && line.starts_with("| `") {
            let member = backticked(line).expect("a backticked member");
            tables.last_mut().expect("a table").1.push(member);
        } else if !line.starts_with('|') {
            in_table = false;
        }
    }
    tables
}

/// The members a schema object allows (its `properties` and those of the
/// local definitions in its `allOf`), and those it requires; sorted.
fn schema_members(file: &str, pointer: &str) -> (Vec<String>, Vec<String>) {
    let dir = schema::schema_dir();
    let doc: Value = serde_json::from_str(&fs::read_to_string(dir.join(file)).unwrap()).unwrap();
    let mut props = Vec::new();
    let mut required = Vec::new();
    let mut stack = vec![doc.pointer(pointer).expect("schema pointer").clone()];
    while let Some(node) = stack.pop() {
        if let Some(p) = node["properties"].as_object() {
            props.extend(p.keys().cloned());
        }
        if let Some(r) = node["required"].as_array() {
            required.extend(r.iter().map(|x| x.as_str().unwrap().to_string()));
        }
        for sub in node["allOf"].as_array().into_iter().flatten() {
            let local = sub["$ref"].as_str().and_then(|r| r.strip_prefix('#'));
            stack.push(doc.pointer(local.expect("a local $ref")).unwrap().clone());
        }
    }
    props.sort();
    required.sort();
    (props, required)
}

#[test]
fn schemas_have_the_members_of_json_md_tables() {
    let tables = json_md_tables();
    let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ElectionRecord",
            "AssemblyRecord",
            "VoteEntry",
            "Replacement",
            "DrawAnnouncement",
            "DrawParams",
            "SelectionRecord",
            "StratumSelection",
            "DrawnEntry"
        ],
        "the member tables of spec/json.md"
    );
    for (name, members) in &tables {
        let (file, pointer) = match name.as_str() {
            "ElectionRecord" => (ELECTION, String::new()),
            "AssemblyRecord" => (ASSEMBLY, String::new()),
            "VoteEntry" | "Replacement" => (ASSEMBLY, format!("/$defs/{name}")),
            _ => (SORTITION, format!("/$defs/{name}")),
        };
        let mut members = members.clone();
        members.sort();
        let (props, required) = schema_members(file, &pointer);
        assert_eq!(props, members, "{name}: the schema's members are json.md's");
        let always: Vec<String> = members
            .iter()
            .filter(|m| !ABSENT_WHEN_UNUSED.contains(&m.as_str()))
            .cloned()
            .collect();
        assert_eq!(required, always, "{name}: every member is required");
    }
}

/// A JSON value with the members of every object in file order (serde_json's
/// `Value` sorts them).
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Scalar,
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Ordered>()? {
                    members.push((k, v));
                }
                Ok(Ordered::Object(members))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(v) = s.next_element()? {
                    items.push(v);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Scalar)
            }
        }
        d.deserialize_any(V)
    }
}

impl Ordered {
    /// The value at `path`: member names and array indices separated by
    /// `/` (`""` is the value itself).
    fn at(&self, path: &str) -> &Ordered {
        path.split('/')
            .filter(|s| !s.is_empty())
            .fold(self, |v, step| match v {
                Ordered::Object(m) => &m.iter().find(|(k, _)| k == step).expect("member").1,
                Ordered::Array(a) => &a[step.parse::<usize>().expect("index")],
                Ordered::Scalar => panic!("no {step} in a scalar"),
            })
    }

    /// An object's member names, in file order.
    fn keys(&self) -> Vec<&str> {
        match self {
            Ordered::Object(m) => m.iter().map(|(k, _)| k.as_str()).collect(),
            _ => panic!("not an object"),
        }
    }
}

/// The members json.md's tables mark "**absent**" unless used (the feature
/// draw's `lottery` and a household draw's `skipped`, spec/json.md §4.3):
/// the only members a writer may leave out.
const ABSENT_WHEN_UNUSED: [&str; 2] = ["lottery", "skipped"];

/// spec/json.md §1: writers write members in the order of the §2–§4 tables.
#[test]
fn written_members_are_in_json_md_order() {
    let (dir, _) = written();
    let text = fs::read_to_string(dir.join("assembly.json")).unwrap();
    let record: Ordered = serde_json::from_str(&text).unwrap();
    let at = |name: &str| match name {
        "ElectionRecord" => "votes/0/record",
        "AssemblyRecord" => "",
        "VoteEntry" => "votes/0",
        "Replacement" => "replacements/0",
        "DrawAnnouncement" => "announcement",
        "DrawParams" => "announcement/params",
        "SelectionRecord" => "selection",
        "StratumSelection" => "selection/strata/0",
        "DrawnEntry" => "selection/strata/0/selected/0",
        other => panic!("no example of {other} in assembly.json"),
    };
    for (name, members) in json_md_tables() {
        let written = record.at(at(&name)).keys();
        let members: Vec<String> = members
            .into_iter()
            .filter(|m| written.contains(&m.as_str()) || !ABSENT_WHEN_UNUSED.contains(&m.as_str()))
            .collect();
        assert_eq!(
            written, members,
            "{name}: written members in json.md's order"
        );
    }
}

#[test]
fn every_test_vector_validates() {
    let dir = Path::new(VECTORS);
    let mut json_files = 0;
    let mut stream_lines = 0;
    for f in files_under(dir) {
        let path = dir.join(&f);
        if f.ends_with(".json") {
            let schema = vector_schema(&f).unwrap_or_else(|| {
                panic!("test-vectors/{f} has no schema: add one under spec/schema/vectors/")
            });
            assert_valid_text(
                schema,
                &fs::read_to_string(&path).unwrap(),
                &format!("test-vectors/{f}"),
            );
            json_files += 1;
        } else if let Some(schema) = line_schema(&f) {
            assert_lines_valid(schema, &path);
            stream_lines += fs::read_to_string(&path).unwrap().lines().count();
        }
    }
    assert!(json_files >= 50, "only {json_files} JSON vector files");
    assert!(stream_lines > 0);
}

/// A small simulated assembly written by `record::files` into a fresh
/// directory (built once per test process).
fn written() -> &'static (PathBuf, Simulation) {
    static WRITTEN: OnceLock<(PathBuf, Simulation)> = OnceLock::new();
    WRITTEN.get_or_init(|| {
        // Under the target directory, rewritten by every run.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-written");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let params = SimulationParams {
            citizens: 16,
            strata: 2,
            seats: 2,
            reserve: 1,
            trustees: 3,
            threshold: 2,
            absent: vec![2],
            challenged: 1,
            consultation_ballots: 2,
            features: false,
        };
        let mut rng = ChaCha20Rng::seed_from_u64(0x7363_6865_6d61);
        let mut sink = DirSink::new(&dir);
        let sim = simulate_assembly(&params, &mut rng, &mut sink, |_, _| {}).expect("simulation");
        sink.finish().unwrap();
        write_simulation(&dir, &sim).unwrap();
        (dir, sim)
    })
}

#[test]
fn written_records_validate() {
    let (dir, sim) = written();
    assert_valid_text(
        ASSEMBLY,
        &fs::read_to_string(dir.join("assembly.json")).unwrap(),
        "the written assembly.json",
    );
    assert_lines_valid(ROLL_LINE, &dir.join("roll.txt"));
    assert_eq!(sim.record.votes.len(), 3);
    for v in &sim.record.votes {
        let vdir = dir.join("votes").join(&v.name);
        assert_valid_text(
            ELECTION,
            &fs::read_to_string(vdir.join("record.json")).unwrap(),
            &format!("the written record.json of {}", v.name),
        );
        assert_lines_valid(BALLOT_LINE, &vdir.join("ballots.txt"));
        assert_lines_valid(CHALLENGED_LINE, &vdir.join("challenged.txt"));
    }
    // The parts on their own, as serde writes them.
    let record = &sim.record;
    assert_valid(ANCHORS, &value(&Anchors::of(record)), "the anchors");
    assert_valid(SORTITION, &value(&record.selection), "the selection record");
    assert_valid(
        ANNOUNCEMENT,
        &value(&record.announcement),
        "the announcement",
    );
    assert_valid(
        "beacon-record.schema.json",
        &value(&record.beacon),
        "the beacon record",
    );
}

/// A value as serde writes it to JSON.
fn value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("serialises")
}

/// A selection record of the simulated roll with other draw parameters
/// (same announcement otherwise, drawn with the simulation's beacon
/// output).
fn redraw(sim: &Simulation, params: DrawParams) -> SelectionRecord {
    let announcement = DrawAnnouncement {
        params,
        ..sim.record.announcement.clone()
    };
    let mut beacon = VerifiedRounds::new();
    beacon.insert_verified(
        sim.record.selection.beacon_round,
        sim.record.selection.beacon_output,
    );
    let census = Census::scan(&sim.roll, &announcement.params).unwrap();
    SelectionRecord::create(&announcement, &beacon, &census, &sim.roll).unwrap()
}

#[test]
fn selection_records_of_every_quota_form_validate() {
    let (_, sim) = written();
    let year = sim.record.announcement.year;
    let regions: Vec<Vec<u8>> = ["region-0", "region-1"]
        .iter()
        .map(|r| r.as_bytes().to_vec())
        .collect();
    // Explicit quotas and a staggered schedule: 6 seats, 3 a year, terms
    // of 2 years, founded the year before (seats 3..6 are drawn).
    let explicit = DrawParams::new(
        Some("region".into()),
        Quotas::Explicit(vec![
            StratumQuota {
                value: regions[0].clone(),
                seats: 2,
            },
            StratumQuota {
                value: regions[1].clone(),
                seats: 1,
            },
        ]),
        2,
        vec![*sim.roll[0].key()],
        Some(TermSchedule::new(6, 3, 2, year - 1).unwrap()),
    )
    .unwrap();
    // One stratum (stratify_by null, stratum value "").
    let single = DrawParams::new(None, Quotas::Proportional { seats: 2 }, 1, vec![], None).unwrap();
    for (i, params) in [explicit, single].into_iter().enumerate() {
        let redrawn = redraw(sim, params);
        if i == 0 {
            // The objects json.md §4.2 and §4.3 give inline, members in the
            // order written there.
            let text = serde_json::to_string(&redrawn).unwrap();
            let ordered: Ordered = serde_json::from_str(&text).unwrap();
            for (path, members) in [
                ("announcement/roll", &["root", "size"][..]),
                (
                    "announcement/params/schedule",
                    &["seats", "seats_per_year", "term_years", "first_year"],
                ),
                ("announcement/params/quotas/Explicit/0", &["value", "seats"]),
                ("strata/0/count", &["value", "size", "eligible"]),
                ("strata/0/selected/0/entry", &["key", "attributes"]),
                (
                    "strata/0/selected/0/entry/attributes/0",
                    &["label", "value"],
                ),
                ("strata/0/selected/0/proof", &["index", "size", "path"]),
            ] {
                assert_eq!(ordered.at(path).keys(), members, "members of {path}");
            }
        }
        let selection = serde_json::to_value(redrawn).unwrap();
        assert_valid(SORTITION, &selection, "a redrawn selection record");
        let mut record = serde_json::to_value(&sim.record).unwrap();
        record["announcement"] = selection["announcement"].clone();
        record["selection"] = selection;
        assert_valid(
            ASSEMBLY,
            &record,
            "an assembly record with a redrawn selection",
        );
    }
}

/// A feature draw's selection record (spec/sortition.md §10): the
/// simulation's maximin lottery with its fairness certificate (hex of the
/// 0x39 encoding, spec/json.md §4.3), as written in an assembly record and
/// on its own; without the certificate it validates too, and a certificate
/// that is not hex of a 0x39 encoding does not.
#[cfg(feature = "solver")]
#[test]
fn feature_draw_records_with_a_certificate_validate() {
    let params = SimulationParams {
        citizens: 60,
        strata: 2,
        seats: 6,
        reserve: 1,
        trustees: 3,
        threshold: 2,
        absent: vec![2],
        challenged: 0,
        consultation_ballots: 0,
        features: true,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(0x6365_7274);
    let mut sink = kleroterion::simulate::MemorySink::default();
    let sim = simulate_assembly(&params, &mut rng, &mut sink, |_, _| {}).expect("simulation");
    let record = value(&sim.record);
    let certificate = record
        .pointer("/selection/lottery/certificate")
        .and_then(Value::as_str)
        .expect("the lottery carries its certificate");
    assert!(certificate.starts_with("3901"));
    assert_valid(ASSEMBLY, &record, "a feature draw's assembly record");
    assert_valid(
        SORTITION,
        &value(&sim.record.selection),
        "a feature draw's selection record",
    );
    let mut bare = record.clone();
    bare.pointer_mut("/selection/lottery")
        .and_then(Value::as_object_mut)
        .expect("the lottery")
        .remove("certificate");
    assert_valid(
        ASSEMBLY,
        &bare,
        "a feature draw's record without certificate",
    );
    assert_rejected(
        ASSEMBLY,
        &record,
        "/selection/lottery/certificate",
        map_str("/selection/lottery/certificate", |s| {
            format!("3a{}", &s[2..])
        }),
    );
    assert_rejected(
        ASSEMBLY,
        &record,
        "/selection/lottery/certificate",
        set(
            "/selection/lottery/certificate",
            json!({ "denominator": 1 }),
        ),
    );
}

// ---------------------------------------------------------------------------
// The schemas are not permissive.

/// The base record of the conformance kit.
fn base_assembly() -> Value {
    let text = fs::read_to_string(Path::new(VECTORS).join("conformance/assembly/assembly.json"));
    serde_json::from_str(&text.unwrap()).unwrap()
}

/// Applies `edit` to a copy of `base`, asserts that `schema` rejects it and
/// that the error names `pointer`: where the violation is (for an unknown
/// member, the object that has it, or the member itself where the object's
/// members are checked by `unevaluatedProperties`).
fn assert_rejected(schema: &str, base: &Value, pointer: &str, edit: impl FnOnce(&mut Value)) {
    let mut v = base.clone();
    edit(&mut v);
    assert_ne!(&v, base, "the edit at {pointer} changed nothing");
    match check(schema, &v) {
        Ok(()) => panic!("{schema} accepts the record edited at {pointer}"),
        Err(e) => assert!(
            e.contains(&format!("'{pointer}'")),
            "{schema} rejects the edit at {pointer}, but for another reason:\n{e}"
        ),
    }
}

/// Sets the value at `pointer` (which must exist).
fn set(pointer: &'static str, value: Value) -> impl FnOnce(&mut Value) {
    move |v| *v.pointer_mut(pointer).expect("pointer exists") = value
}

/// Changes the string at `pointer` with `f`.
fn map_str(pointer: &'static str, f: fn(&str) -> String) -> impl FnOnce(&mut Value) {
    move |v| {
        let s = v.pointer_mut(pointer).expect("pointer exists");
        *s = Value::String(f(s.as_str().expect("a string")));
    }
}

#[test]
fn near_misses_of_a_record_are_rejected() {
    let base = base_assembly();
    assert_valid(ASSEMBLY, &base, "the base record");
    let a = ASSEMBLY;
    // Fixed-size byte strings: one byte short, one byte long, odd length.
    assert_rejected(
        a,
        &base,
        "/selection/seed",
        map_str("/selection/seed", |s| s[2..].into()),
    );
    assert_rejected(
        a,
        &base,
        "/selection/seed",
        map_str("/selection/seed", |s| format!("{s}00")),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/roll/root",
        map_str("/announcement/roll/root", |s| s[1..].into()),
    );
    assert_rejected(
        a,
        &base,
        "/replacements/0/leaving",
        map_str("/replacements/0/leaving", |s| s[..62].into()),
    );
    // Uppercase hex, in a digest and in an encoding; a 0x prefix.
    assert_rejected(
        a,
        &base,
        "/announcement/beacon_chain/kleroterion",
        map_str("/announcement/beacon_chain/kleroterion", |s| {
            s.to_uppercase()
        }),
    );
    assert_rejected(
        a,
        &base,
        "/votes/0/record/tally",
        map_str("/votes/0/record/tally", |s| s.to_uppercase()),
    );
    assert_rejected(
        a,
        &base,
        "/selection/strata/0/count/value",
        map_str("/selection/strata/0/count/value", |s| format!("0x{s}")),
    );
    // An encoding with another tag or version.
    assert_rejected(
        a,
        &base,
        "/beacon",
        map_str("/beacon", |s| format!("2401{}", &s[4..])),
    );
    assert_rejected(
        a,
        &base,
        "/votes/1/record/manifest",
        map_str("/votes/1/record/manifest", |s| format!("6101{}", &s[4..])),
    );
    // Unknown members, at the top and deep inside.
    assert_rejected(a, &base, "", |v| v["comment"] = json!("hello"));
    assert_rejected(a, &base, "/announcement/beacon_output", |v| {
        v["announcement"]["beacon_output"] = v["selection"]["beacon_output"].clone()
    });
    assert_rejected(a, &base, "/selection/strata/1/selected/0/proof", |v| {
        v["selection"]["strata"][1]["selected"][0]["proof"]["root"] = json!("00")
    });
    assert_rejected(a, &base, "/votes/2/record", |v| {
        v["votes"][2]["record"]["ballots"] = json!([])
    });
    // A member missing (a writer writes null for an absent option).
    assert_rejected(a, &base, "/votes/2/record", |v| {
        v["votes"][2]["record"]
            .as_object_mut()
            .unwrap()
            .remove("eligible");
    });
    // Integers out of range, signed, fractional, quoted.
    assert_rejected(
        a,
        &base,
        "/replacements/0/seat",
        set("/replacements/0/seat", json!(4_294_967_296u64)),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/year",
        set("/announcement/year", json!(-1)),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/year",
        set("/announcement/year", json!(2027.5)),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/year",
        set("/announcement/year", json!("2027")),
    );
    assert_rejected(
        a,
        &base,
        "/selection/strata/0/seats/0",
        set("/selection/strata/0/seats/0", json!(4_294_967_296u64)),
    );
    assert_rejected(
        a,
        &base,
        "/selection/beacon_round",
        set("/selection/beacon_round", json!(-3)),
    );
    // Versions other than the ones this mapping describes.
    assert_rejected(a, &base, "/version", set("/version", json!(3)));
    assert_rejected(
        a,
        &base,
        "/votes/0/record/version",
        set("/votes/0/record/version", json!(2)),
    );
    // Labels: a space, too long, empty, non-ASCII.
    assert_rejected(
        a,
        &base,
        "/announcement/polity",
        set("/announcement/polity", json!("a b")),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/assembly",
        set("/announcement/assembly", json!("x".repeat(65))),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/params/stratify_by",
        set("/announcement/params/stratify_by", json!("")),
    );
    assert_rejected(
        a,
        &base,
        "/selection/strata/0/selected/0/entry/attributes/0/label",
        set(
            "/selection/strata/0/selected/0/entry/attributes/0/label",
            json!("région"),
        ),
    );
    // Enumerations: variant names and their case, one variant only.
    assert_rejected(
        a,
        &base,
        "/votes/0/electorate",
        set("/votes/0/electorate", json!("Seated")),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/params/quotas",
        set(
            "/announcement/params/quotas",
            json!({"proportional": {"seats": 4}}),
        ),
    );
    assert_rejected(
        a,
        &base,
        "/announcement/params/quotas",
        set(
            "/announcement/params/quotas",
            json!({"Proportional": {"seats": 4}, "Explicit": []}),
        ),
    );
    // A vote name that would leave the record's directory.
    assert_rejected(
        a,
        &base,
        "/votes/0/name",
        set("/votes/0/name", json!("../harm")),
    );
    // A stratum value longer than 255 bytes.
    assert_rejected(
        a,
        &base,
        "/selection/strata/0/count/value",
        set("/selection/strata/0/count/value", json!("00".repeat(256))),
    );
}

#[test]
fn near_misses_of_other_files_are_rejected() {
    let kit = Path::new(VECTORS).join("conformance");
    let anchors: Value =
        serde_json::from_str(&fs::read_to_string(kit.join("anchors.json")).unwrap()).unwrap();
    assert_rejected(
        ANCHORS,
        &anchors,
        "/announcement",
        map_str("/announcement", |s| s[..60].into()),
    );
    assert_rejected(ANCHORS, &anchors, "/votes/0", |v| {
        v["votes"][0]["year"] = json!(2027)
    });
    assert_rejected(
        ANCHORS,
        &anchors,
        "/votes/1/electorate",
        set("/votes/1/electorate", json!("closed")),
    );

    let case: Value =
        serde_json::from_str(&fs::read_to_string(kit.join("cases/E6-code/case.json")).unwrap())
            .unwrap();
    let c = "conformance-case.schema.json";
    assert_rejected(
        c,
        &case,
        "/expected/3/checks/5/1",
        set("/expected/3/checks/5/1", json!("FAILED")),
    );
    assert_rejected(
        c,
        &case,
        "/expected/3/checks/5/0",
        set("/expected/3/checks/5/0", json!("E17")),
    );
    assert_rejected(c, &case, "/edits/0", |v| {
        v["edits"][0]["insert"] = json!("x")
    });
    assert_rejected(c, &case, "/anchors", set("/anchors", json!("some")));

    // A report whose check passed with a reason, or whose verdict and
    // passed disagree.
    let report = json!({
        "verdict": "passed", "passed": true, "total": 1, "failed": 0,
        "not_checked": 0, "not_anchored": 0, "statements": [],
        "checks": [{"number": 1, "section": "Beacon", "id": "B1",
                    "title": "beacon chain verifies", "passed": true, "status": "ok"}]
    });
    let r = "report.schema.json";
    assert_valid(r, &report, "a minimal report");
    assert_rejected(r, &report, "/checks/0", |v| {
        v["checks"][0]["reason"] = json!("why")
    });
    assert_rejected(r, &report, "/passed", set("/passed", json!(false)));
    assert_rejected(
        r,
        &report,
        "/checks/0/section",
        set("/checks/0/section", json!("Vote \"../x\"")),
    );

    // A beacon record file is one string of a beacon record's encoding.
    let b = "beacon-record.schema.json";
    assert_valid(b, &json!("2402"), "a beacon record's header");
    assert!(check(b, &json!({"beacon": "2402"})).is_err());
    assert!(check(b, &json!("2302")).is_err());
}

/// The fairness figures of a report as the library serialises them
/// validate against `report.schema.json`, rationals as `{num, den}` in
/// lowest terms (spec/json.md §7.3), and near misses do not.
#[test]
fn fairness_figures_and_rationals_follow_json_md() {
    use kleroterion::fairness::{
        check_lottery, AllocationList, CategoryDual, Cell, CellDual, CellProblem,
        FairnessCertificate, FairnessFigures, LotteryKind, QuotaBounds,
    };
    // Two cells of two people, one seat each: p_min = B = 1/2, over a
    // certificate with D = 4 (so 2/4 reduces to 1/2) and gap 2/200.
    let problem = CellProblem {
        seats: 2,
        quotas: vec![vec![QuotaBounds { min: 1, max: 1 }; 2]],
        cells: vec![
            Cell {
                categories: vec![0],
                eligible: 2,
            },
            Cell {
                categories: vec![1],
                eligible: 2,
            },
        ],
    };
    let lottery = AllocationList::new(vec![vec![1, 1]]).unwrap();
    let cert = FairnessCertificate {
        denominator: 4,
        gamma: 1,
        cells: vec![
            CellDual {
                weight: 1,
                slack: 0
            };
            2
        ],
        categories: vec![vec![CategoryDual { upper: 0, lower: 0 }; 2]],
        gap_num: 2,
        gap_den: 200,
    };
    let verdict = check_lottery(&problem, &lottery, &cert).unwrap();
    let figures = FairnessFigures::of_lottery(&verdict, &problem, &lottery, &cert);
    let f = "report.schema.json#/$defs/FairnessFigures";
    let value = serde_json::to_value(&figures).unwrap();
    assert_valid(f, &value, "the figures of a lottery");
    assert_eq!(value["min_probability"], json!({"num": "1", "den": "2"}));
    assert_eq!(value["gap"], json!({"num": "0", "den": "1"}));
    assert_eq!(value["announced_gap"], json!({"num": "1", "den": "100"}));
    assert_eq!(value["at_minimum"], json!(4));
    let unmade = serde_json::to_value(FairnessFigures::not_established(LotteryKind::Pool)).unwrap();
    assert_valid(f, &unmade, "figures of checks not made");

    let report = json!({
        "verdict": "incomplete", "passed": false, "total": 0, "failed": 0,
        "not_checked": 0, "not_anchored": 0, "fairness": value, "statements": [],
        "checks": []
    });
    let r = "report.schema.json";
    assert_valid(r, &report, "a report with fairness figures");
    for (pointer, bad) in [
        ("/fairness/bound/den", json!("0")),
        ("/fairness/bound/den", json!("02")),
        ("/fairness/bound/num", json!(1)),
        ("/fairness/bound/num", json!("-0")),
        ("/fairness/bound/num", json!("1.5")),
        ("/fairness/kind", json!("cells")),
        ("/fairness/at_minimum", json!(-1)),
    ] {
        assert_rejected(r, &report, pointer, set(pointer, bad));
    }
    assert_rejected(r, &report, "/fairness/bound", |v| {
        v["fairness"]["bound"]["approx"] = json!("0.5")
    });
    assert_rejected(r, &report, "/fairness", |v| {
        v["fairness"]
            .as_object_mut()
            .unwrap()
            .remove("announced_gap");
    });
}
