//! The conformance kit (test-vectors/conformance/, issue #17): one honest
//! assembly record and cases, each a list of edits to a copy of it with the
//! report every conforming verifier must give (test-vectors/conformance/README.md).
//!
//! [`check_kit`] applies every case's edits to a temporary copy of the base
//! record, verifies it and compares the `(section, id, outcome)` lists with
//! the case's `expected`; [`generator_reproduces_kit`] checks that the
//! generator (the seed and the table [`cases`], whose edits are computed by
//! diffing the edited record with the base) still writes the kit. Regenerate the kit (only after an intended change
//! of the spec) with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --all-features --test conformance`.
//!
//! [`check_kit`] also validates every case file and every case's edited
//! JSON files against spec/schema/ ([`check_schemas`], spec/json.md §7).

#[path = "common/kit.rs"]
mod kit;
#[path = "common/schema.rs"]
mod schema;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kleroterion::ballot::{Contest, ContestKind, PlaintextContest};
use kleroterion::civic::TermSchedule;
use kleroterion::encoding::{Decode, Encode};
use kleroterion::record::files::{
    is_malformed, malformed_report, verify_assembly_dir, verify_assembly_dir_shard,
    write_simulation, DirSink,
};
use kleroterion::record::{
    Anchoring, Anchors, AssemblyReport, Electorate, Replacement, Shard, ShardBy, VoteEntry,
};
use kleroterion::roll::{prove_indices, roll_digest, RollEntry};
use kleroterion::simulate::{
    simulate_assembly, simulate_assembly_with, simulate_open_vote, SimulationParams,
};
use kleroterion::sortition::{DrawParams, Quotas, StratumQuota};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};

use kit::{case_json, case_path, expected, failed, outline, CaseHead, Sections};

const KIT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/conformance");
const SEED: u64 = 0x6b6c_6572_6f73;
/// The base records this generator writes and checks, each a directory of
/// the kit. A case whose base is not listed belongs to another generator
/// (tests/conformance_pool.rs writes `pool-draw`) and is skipped here; to
/// check a base here, add its name and a line to [`write_base`].
const BASES: [&str; 3] = [ASSEMBLY, FEATURES, STRATIFIED];
/// The base record of most cases: proportional strata, four votes.
const ASSEMBLY: &str = "assembly";
/// A feature draw (spec/sortition.md §10) with households.
const FEATURES: &str = "feature-assembly";
/// Explicit quotas, exclusions and a term schedule filling a partial cohort.
const STRATIFIED: &str = "stratified-assembly";
/// The anchors in an edit's `file`, whatever the base (a base's anchors file
/// on disk is [`anchors_file`]).
const ANCHORS: &str = "anchors.json";

/// The published anchors of `base`, relative to the kit.
fn anchors_file(base: &str) -> String {
    if base == ASSEMBLY {
        ANCHORS.to_string()
    } else {
        format!("{base}.anchors.json")
    }
}

fn params() -> SimulationParams {
    SimulationParams {
        citizens: 24,
        strata: 2,
        seats: 4,
        reserve: 1,
        trustees: 3,
        threshold: 2,
        absent: vec![3],
        challenged: 1,
        consultation_ballots: 3,
        features: false,
    }
}

/// The fourth vote of the base record, open to the polity: a contest of
/// every kind other than a motion (the other votes are motions), the score
/// contest last so that its last option's range proof ends every ballot.
const SURVEY: &str = "survey";

fn survey_contests() -> Vec<Contest> {
    let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        Contest::new(
            "priority",
            ContestKind::OneOfN,
            labels(&["housing", "transport", "care"]),
        ),
        Contest::new(
            "measures",
            ContestKind::Approval { limit: 2 },
            labels(&["clinics", "outreach", "research"]),
        ),
        Contest::new(
            "budget",
            ContestKind::Score { max: 5 },
            labels(&["prevention", "treatment"]),
        ),
    ]
}

/// The survey's ballots, in casting order (the first is also challenged).
fn survey_ballots() -> Vec<Vec<PlaintextContest>> {
    let ballot = |priority: [u64; 3], measures: [u64; 3], budget: [u64; 2]| {
        vec![
            PlaintextContest::new("priority", priority.to_vec()),
            PlaintextContest::new("measures", measures.to_vec()),
            PlaintextContest::new("budget", budget.to_vec()),
        ]
    };
    vec![
        ballot([0, 0, 1], [1, 1, 0], [5, 2]),
        ballot([1, 0, 0], [0, 0, 0], [0, 4]),
        ballot([0, 0, 1], [0, 1, 0], [3, 3]),
    ]
}

/// Writes base record `base` and its anchors into `kit`.
fn write_base(kit: &Path, base: &str) {
    match base {
        ASSEMBLY => write_assembly(kit),
        FEATURES => write_simulated(kit, FEATURES, 0x6665_6174, &feature_params(), |_| Ok(None)),
        STRATIFIED => write_simulated(
            kit,
            STRATIFIED,
            0x7374_7261,
            &stratified_params(),
            stratified_draw,
        ),
        other => panic!("no generator for base {other}"),
    }
}

/// The feature base: 48 citizens (gender, age band, two regions, three
/// citizens a household), 6 seats drawn by the simulation's features with
/// households, 1 reserve per cell; two votes of the delegates.
fn feature_params() -> SimulationParams {
    SimulationParams {
        citizens: 48,
        strata: 2,
        seats: 6,
        reserve: 1,
        consultation_ballots: 0,
        features: true,
        ..params()
    }
}

/// The stratified base: 30 citizens in 3 regions, explicit quotas,
/// exclusions and a term schedule ([`stratified_draw`]); two votes of the
/// delegates and an open consultation.
fn stratified_params() -> SimulationParams {
    SimulationParams {
        citizens: 30,
        strata: 3,
        seats: 4,
        reserve: 1,
        consultation_ballots: 2,
        ..params()
    }
}

/// Explicit quotas by region (`region-0`: 1 seat, `region-1`: 3,
/// `region-2`: none), the roll's first and sixth citizens excluded, and a
/// schedule of 8 seats, 4 a year for 2 years from 2026: the draw of 2027
/// fills seats 4 to 7, a partial cohort (spec/record.md §6.2).
fn stratified_draw(roll: &[RollEntry]) -> kleroterion::Result<Option<DrawParams>> {
    let quota = |value: &str, seats| StratumQuota {
        value: value.as_bytes().to_vec(),
        seats,
    };
    let mut exclusions = vec![*roll[0].key(), *roll[5].key()];
    exclusions.sort();
    DrawParams::new(
        Some("region".into()),
        Quotas::Explicit(vec![quota("region-0", 1), quota("region-1", 3)]),
        1,
        exclusions,
        Some(TermSchedule::new(8, 4, 2, 2026)?),
    )
    .map(Some)
}

/// Writes a base that is one simulation and its anchors.
fn write_simulated(
    kit: &Path,
    base: &str,
    seed: u64,
    params: &SimulationParams,
    draw: impl FnOnce(&[RollEntry]) -> kleroterion::Result<Option<DrawParams>>,
) {
    let dir = kit.join(base);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut sink = DirSink::new(&dir);
    let sim =
        simulate_assembly_with(params, draw, &mut rng, &mut sink, |_, _| {}).expect("simulation");
    sink.finish().unwrap();
    write_simulation(&dir, &sim).unwrap();
    write_anchors(kit, base, &sim.record);
}

fn write_anchors(kit: &Path, base: &str, record: &kleroterion::record::AssemblyRecord) {
    let anchors = serde_json::to_string_pretty(&Anchors::of(record)).unwrap();
    fs::write(kit.join(anchors_file(base)), anchors + "\n").unwrap();
}

/// Writes the base record `assembly` and its anchors into `kit`.
fn write_assembly(kit: &Path) {
    let dir = kit.join(ASSEMBLY);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let mut sink = DirSink::new(&dir);
    let mut sim = simulate_assembly(&params(), &mut rng, &mut sink, |_, _| {}).expect("simulation");
    let survey = simulate_open_vote(
        &params(),
        SURVEY,
        survey_contests(),
        &survey_ballots(),
        &mut rng,
        &mut sink,
        &mut |_, _| {},
    )
    .expect("survey");
    sim.record.votes.push(VoteEntry {
        name: SURVEY.into(),
        electorate: Electorate::Open,
        record: survey,
    });
    // A second replacement, before the survey: the second stratum's first
    // delegate leaves and that stratum's first reserve takes the seat
    // (S17 applies replacements vote by vote, spec/record.md §6.2).
    let second = &sim.record.selection.strata[1];
    let replacement = Replacement {
        from_vote: SURVEY.into(),
        seat: second.seats[0],
        leaving: *second.selected[0].entry.key(),
        joining: *second.reserve[0].entry.key(),
    };
    sim.record.replacements.push(replacement);
    sink.finish().unwrap();
    write_simulation(&dir, &sim).unwrap();
    write_anchors(kit, ASSEMBLY, &sim.record);
}

// ---------------------------------------------------------------------------
// Reading, editing and writing a record directory.

/// A record directory in memory: JSON files parsed, text files as lines,
/// by path relative to the record's directory; `anchors.json` is the
/// anchors (not a record file).
#[derive(Clone, PartialEq)]
struct Work {
    json: BTreeMap<String, Value>,
    text: BTreeMap<String, Vec<String>>,
    anchors: Option<Value>,
}

fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            list_files(&e.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

impl Work {
    fn read(kit: &Path, base: &str) -> Work {
        let dir = kit.join(base);
        let mut files = Vec::new();
        list_files(&dir, "", &mut files);
        let mut w = Work {
            json: BTreeMap::new(),
            text: BTreeMap::new(),
            anchors: Some(
                serde_json::from_slice(&fs::read(kit.join(anchors_file(base))).unwrap()).unwrap(),
            ),
        };
        for f in files {
            let content = fs::read_to_string(dir.join(&f)).unwrap();
            if f.ends_with(".json") {
                w.json.insert(f, serde_json::from_str(&content).unwrap());
            } else {
                w.text
                    .insert(f, content.lines().map(String::from).collect());
            }
        }
        w
    }

    fn write(&self, dir: &Path) {
        let _ = fs::remove_dir_all(dir);
        for (f, v) in &self.json {
            let path = dir.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, serde_json::to_string_pretty(v).unwrap() + "\n").unwrap();
        }
        for (f, lines) in &self.text {
            let path = dir.join(f);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut s = String::new();
            for l in lines {
                s.push_str(l);
                s.push('\n');
            }
            fs::write(path, s).unwrap();
        }
    }

    fn value(&mut self, file: &str, pointer: &str) -> &mut Value {
        if file == ANCHORS {
            return self.anchors.as_mut().unwrap().pointer_mut(pointer).unwrap();
        }
        self.json
            .get_mut(file)
            .unwrap_or_else(|| panic!("no {file}"))
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in {file}"))
    }

    fn set(&mut self, file: &str, pointer: &str, value: Value) {
        *self.value(file, pointer) = value;
    }

    /// XORs byte `byte` of the hex string at `pointer` with `mask`.
    fn flip(&mut self, file: &str, pointer: &str, byte: usize, mask: u8) {
        let v = self.value(file, pointer);
        *v = Value::String(flip_hex(v.as_str().unwrap(), byte, mask));
    }

    /// Rewrites the bytes of the hex string at `pointer` with `edit`.
    fn edit_bytes(&mut self, file: &str, pointer: &str, edit: impl FnOnce(&mut Vec<u8>)) {
        let v = self.value(file, pointer);
        let mut bytes = hex::decode(v.as_str().unwrap()).unwrap();
        edit(&mut bytes);
        *v = Value::String(hex::encode(bytes));
    }

    /// Swaps the `len` bytes at `a` and at `b` of the hex string at `pointer`.
    fn swap(&mut self, file: &str, pointer: &str, a: usize, b: usize, len: usize) {
        let v = self.value(file, pointer);
        let mut bytes = hex::decode(v.as_str().unwrap()).unwrap();
        let (x, y) = (bytes[a..a + len].to_vec(), bytes[b..b + len].to_vec());
        bytes[a..a + len].copy_from_slice(&y);
        bytes[b..b + len].copy_from_slice(&x);
        *v = Value::String(hex::encode(bytes));
    }

    fn lines(&mut self, file: &str) -> &mut Vec<String> {
        self.text
            .get_mut(file)
            .unwrap_or_else(|| panic!("no {file}"))
    }

    /// XORs byte `byte` of the hex word `word` (0-based) of line `line`
    /// (1-based) with `mask`.
    fn flip_line(&mut self, file: &str, line: usize, word: usize, byte: usize, mask: u8) {
        let l = &mut self.lines(file)[line - 1];
        let mut words: Vec<String> = l.split(' ').map(String::from).collect();
        words[word] = flip_hex(&words[word], byte, mask);
        *l = words.join(" ");
    }
}

fn flip_hex(hex_str: &str, byte: usize, mask: u8) -> String {
    let mut b = hex::decode(hex_str).unwrap();
    b[byte] ^= mask;
    hex::encode(b)
}

// ---------------------------------------------------------------------------
// Edits: the difference of two `Work`s, and applying it.

fn json_diff(file: &str, pointer: &str, a: &Value, b: &Value, out: &mut Vec<Value>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.keys().eq(y.keys()) => {
            for (k, v) in x {
                let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                json_diff(file, &p, v, &y[k], out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                json_diff(file, &format!("{pointer}/{i}"), v, w, out);
            }
        }
        (Value::String(x), Value::String(y))
            if x.len() == y.len() && x.is_ascii() && y.is_ascii() =>
        {
            let (at, text) = overwrite(x, y);
            out.push(json!({"file": file, "pointer": pointer, "at": at, "text": text}));
        }
        _ => out.push(json!({"file": file, "pointer": pointer, "value": b})),
    }
}

/// The smallest overwrite turning `x` into `y` (same length).
fn overwrite(x: &str, y: &str) -> (usize, String) {
    let (xb, yb) = (x.as_bytes(), y.as_bytes());
    let first = (0..xb.len()).find(|&i| xb[i] != yb[i]).unwrap();
    let last = (0..xb.len()).rev().find(|&i| xb[i] != yb[i]).unwrap();
    (first, y[first..=last].to_string())
}

fn diff(base: &Work, case: &Work) -> Vec<Value> {
    let mut out = Vec::new();
    let files: std::collections::BTreeSet<&String> = base
        .json
        .keys()
        .chain(base.text.keys())
        .chain(case.json.keys())
        .chain(case.text.keys())
        .collect();
    for f in files {
        match (
            base.json.get(f),
            case.json.get(f),
            base.text.get(f),
            case.text.get(f),
        ) {
            (Some(a), Some(b), _, _) => json_diff(f, "", a, b, &mut out),
            (_, _, Some(a), Some(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    if x == y {
                    } else if x.len() == y.len() {
                        let (at, text) = overwrite(x, y);
                        out.push(json!({"file": f, "line": i + 1, "at": at, "text": text}));
                    } else {
                        out.push(json!({"file": f, "line": i + 1, "value": y}));
                    }
                }
            }
            (_, _, Some(a), Some(b)) if lines_spliced(a, b).is_some() => {
                let (at, removed, inserted) = lines_spliced(a, b).unwrap();
                for _ in 0..removed {
                    out.push(json!({"file": f, "line": at + 1, "delete": true}));
                }
                for (i, l) in inserted.iter().enumerate() {
                    out.push(json!({"file": f, "line": at + 1 + i, "insert": l}));
                }
            }
            (_, _, _, Some(b)) => {
                let mut s = String::new();
                for l in b {
                    s.push_str(l);
                    s.push('\n');
                }
                out.push(json!({"file": f, "text": s}));
            }
            (_, Some(b), _, _) => out
                .push(json!({"file": f, "text": serde_json::to_string_pretty(b).unwrap() + "\n"})),
            _ => out.push(json!({"file": f, "delete": true})),
        }
    }
    if let (Some(a), Some(b)) = (&base.anchors, &case.anchors) {
        json_diff(ANCHORS, "", a, b, &mut out);
    }
    out
}

/// Where `b` is `a` with lines only removed or only inserted at one place:
/// (0-based position, lines removed, lines inserted).
fn lines_spliced<'a>(a: &[String], b: &'a [String]) -> Option<(usize, usize, &'a [String])> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (a.len() - prefix - suffix, b.len() - prefix - suffix);
    (ra == 0 || rb == 0).then(|| (prefix, ra, &b[prefix..prefix + rb]))
}

fn splice(s: &str, at: usize, text: &str) -> String {
    assert!(at + text.len() <= s.len(), "overwrite past the end");
    format!("{}{}{}", &s[..at], text, &s[at + text.len()..])
}

fn apply(base: &Work, anchors: &str, edits: &[Value]) -> Work {
    let mut w = base.clone();
    for e in edits {
        let file = e["file"].as_str().unwrap();
        if let Some(pointer) = e.get("pointer").and_then(Value::as_str) {
            let v = w.value(file, pointer);
            if let Some(at) = e.get("at") {
                *v = Value::String(splice(
                    v.as_str().unwrap(),
                    at.as_u64().unwrap() as usize,
                    e["text"].as_str().unwrap(),
                ));
            } else {
                *v = e["value"].clone();
            }
        } else if let Some(line) = e.get("line") {
            let n = line.as_u64().unwrap() as usize - 1;
            if let Some(text) = e.get("insert") {
                w.lines(file).insert(n, text.as_str().unwrap().to_string());
                continue;
            }
            if e.get("delete").is_some() {
                w.lines(file).remove(n);
                continue;
            }
            let l = &mut w.lines(file)[n];
            if let Some(at) = e.get("at") {
                *l = splice(
                    l,
                    at.as_u64().unwrap() as usize,
                    e["text"].as_str().unwrap(),
                );
            } else {
                *l = e["value"].as_str().unwrap().to_string();
            }
        } else if e.get("delete").is_some() {
            w.json.remove(file);
            w.text.remove(file);
        } else {
            let text = e["text"].as_str().unwrap();
            w.json.remove(file);
            w.text
                .insert(file.to_string(), text.lines().map(String::from).collect());
        }
    }
    match anchors {
        "published" => {}
        "none" => w.anchors = None,
        other => panic!("anchors must be \"published\" or \"none\", not {other}"),
    }
    w
}

// ---------------------------------------------------------------------------
// Verifying and reporting.

/// How a case is verified: in one pass (`None`), or in `n` shards split
/// `by` position or ballot id whose ballot checks are merged
/// (spec/record.md §4.1).
type Split = Option<(u64, ShardBy)>;

fn verify(w: &Work, dir: &Path) -> Sections {
    verify_split(w, dir, None)
}

fn assembly_report(
    dir: &Path,
    anchoring: Anchoring<'_>,
    split: Split,
) -> std::io::Result<AssemblyReport> {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let Some((n, by)) = split else {
        return verify_assembly_dir(dir, anchoring, &mut rng, |_, _| {});
    };
    let shard = |i| Shard::split(i, n, by).unwrap();
    let (record, mut merged) =
        verify_assembly_dir_shard(dir, anchoring, shard(0), &mut rng, |_, _| {})?;
    for i in 1..n {
        let (_, other) = verify_assembly_dir_shard(dir, anchoring, shard(i), &mut rng, |_, _| {})?;
        assert!(
            other.sections.sections.is_empty(),
            "only shard 0 checks the draw"
        );
        for (v, o) in merged.votes.iter_mut().zip(other.votes) {
            v.ballots.merge(o.ballots).unwrap();
        }
    }
    Ok(merged.complete(&record))
}

fn verify_split(w: &Work, dir: &Path, split: Split) -> Sections {
    w.write(dir);
    let anchors: Option<Anchors> = w
        .anchors
        .as_ref()
        .map(|a| serde_json::from_value(a.clone()).expect("anchors"));
    let anchoring = match &anchors {
        Some(a) => Anchoring::Published(a),
        None => Anchoring::Unanchored,
    };
    let report = match assembly_report(dir, anchoring, split) {
        Ok(r) => r,
        Err(e) if is_malformed(&e) => AssemblyReport {
            sections: vec![("Record".to_string(), malformed_report(&e))],
            ..AssemblyReport::default()
        },
        Err(e) => panic!("the record could not be verified: {e}"),
    };
    let _ = fs::remove_dir_all(dir);
    outline(&report)
}

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "kleroterion-conformance-{}-{name}",
        std::process::id()
    ))
}

// ---------------------------------------------------------------------------
// The cases.

const A: &str = "assembly.json";
const ROLL: &str = "roll.txt";
const HARM: &str = "votes/harm-finding/record.json";
const HARM_BALLOTS: &str = "votes/harm-finding/ballots.txt";
const HARM_CHALLENGED: &str = "votes/harm-finding/challenged.txt";
const SURVEY_BALLOTS: &str = "votes/survey/ballots.txt";

struct Case {
    /// The base record the edits apply to (one of [`BASES`]).
    base: &'static str,
    name: &'static str,
    description: &'static str,
    anchors: &'static str,
    /// The checks the case is made to fail (all must fail).
    targets: &'static [&'static str],
    edit: fn(&mut Work),
}

/// Edits the harm-finding vote's record in assembly.json and its record.json alike.
fn harm_both(w: &mut Work, f: impl Fn(&mut Work, &str, &str)) {
    f(w, A, "/votes/0/record");
    f(w, HARM, "");
}

/// Records as the feature draw's pick the first index `j` of its
/// allocation list with `chosen(list, pick, j)` (there is one: `why`).
fn repick(w: &mut Work, why: &str, chosen: impl Fn(&[Value], usize, usize) -> bool) {
    let pick = w.value(A, "/selection/lottery/pick").as_u64().unwrap() as usize;
    let list = w
        .value(A, "/selection/lottery/allocations/allocations")
        .as_array()
        .unwrap()
        .clone();
    let j = (0..list.len())
        .find(|&j| chosen(&list, pick, j))
        .expect(why);
    w.set(A, "/selection/lottery/pick", json!(j));
}

fn case(
    name: &'static str,
    anchors: &'static str,
    targets: &'static [&'static str],
    description: &'static str,
    edit: fn(&mut Work),
) -> Case {
    Case {
        base: ASSEMBLY,
        name,
        description,
        anchors,
        targets,
        edit,
    }
}

/// Every case of this generator: the `assembly` base's, then the feature
/// and the stratified bases'.
fn cases() -> Vec<Case> {
    let mut all = assembly_cases();
    all.extend(feature_cases());
    all.extend(certificate_cases());
    all.extend(stratified_cases());
    all
}

/// A case on another base than `assembly`.
fn case_on(
    base: &'static str,
    name: &'static str,
    anchors: &'static str,
    targets: &'static [&'static str],
    description: &'static str,
    edit: fn(&mut Work),
) -> Case {
    Case {
        base,
        ..case(name, anchors, targets, description, edit)
    }
}

/// The selection record of a base, in `assembly.json`.
const SELECTION: &str = "/selection";

fn feature_cases() -> Vec<Case> {
    vec![
        case_on(
            FEATURES,
            "features-honest",
            "published",
            &[],
            "the honest feature draw with its published anchors: every check ok, S18-S22 included",
            |_| {},
        ),
        case_on(
            FEATURES,
            "S5-features-quota",
            "published",
            &["S5"],
            "the first cell's recorded quota is 2, not the picked allocation's 0",
            |w| w.set(A, "/selection/strata/0/quota", json!(2)),
        ),
        case_on(
            FEATURES,
            "S7-features-cell",
            "published",
            &["S7"],
            "a delegate's gender is the other category: the entry's cell is not its recorded cell",
            |w| {
                let s = seated_strata(w)[0];
                let p = format!("/selection/strata/{s}/selected/0/entry/attributes");
                let gender = feature_attribute(w, &p, "gender");
                let other = if w.value(A, &gender).as_str() == Some(&hex::encode("male")) {
                    "female"
                } else {
                    "male"
                };
                w.set(A, &gender, json!(hex::encode(other)));
            },
        ),
        case_on(
            FEATURES,
            "S9-features-skipped",
            "published",
            &["S9"],
            "the first skipped entry of the first cell with one is left out: the household walk recomputed from the record passes over it",
            |w| {
                let strata = w.value(A, "/selection/strata").as_array_mut().unwrap();
                let s = strata
                    .iter_mut()
                    .find(|s| s.get("skipped").is_some())
                    .expect("the base has a skipped entry");
                let skipped = s["skipped"].as_array_mut().unwrap();
                skipped.remove(0);
                if skipped.is_empty() {
                    s.as_object_mut().unwrap().remove("skipped");
                }
            },
        ),
        case_on(
            FEATURES,
            "S6-features-skipped-proof",
            "published",
            &["S6"],
            "a node of a skipped entry's Merkle path changed: S6 covers skipped entries",
            |w| {
                let s = first_with_skipped(w);
                w.flip(A, &format!("/selection/strata/{s}/skipped/0/proof/path/0"), 0, 1);
            },
        ),
        case_on(
            FEATURES,
            "S10-features-reserve",
            "published",
            &["S10"],
            "the reserve of the first cell with one is recorded one rank lower",
            |w| {
                let s = w
                    .value(A, "/selection/strata")
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|s| s["reserve"].as_array().is_some_and(|r| !r.is_empty()))
                    .expect("the base has a reserve");
                let p = format!("/selection/strata/{s}/reserve/0/rank");
                let rank = w.value(A, &p).as_u64().unwrap();
                w.set(A, &p, json!(rank.checked_sub(1).unwrap_or(rank + 1)));
            },
        ),
        case_on(
            FEATURES,
            "S14-features-skipped-entry",
            "published",
            &["S14"],
            "a skipped entry is replaced by another citizen of the same cell, with the citizen's roll entry and genuine inclusion proof: S14 ties skipped entries to their ranks too",
            |w| {
                let entries = roll_entries(w);
                let s = first_with_skipped(w);
                let d = format!("/selection/strata/{s}/skipped/0");
                let index = w.value(A, &format!("{d}/proof/index")).as_u64().unwrap() as usize;
                let cell = |e: &RollEntry| {
                    ["age", "gender", "region"].map(|l| e.attribute(l).map(<[u8]>::to_vec))
                };
                let other = (0..entries.len())
                    .find(|&i| i != index && cell(&entries[i]) == cell(&entries[index]))
                    .expect("another citizen of the cell") as u64;
                set_drawn(w, &d, &entries, other);
            },
        ),
        case_on(
            FEATURES,
            "S18-cell-not-in-features",
            "published",
            &["S18"],
            "the last cell's value names region category 9, which the announced features do not have (the cell has no seat)",
            |w| {
                let last = last_index(w, "/selection/strata");
                let p = format!("/selection/strata/{last}/count/value");
                let v = w.value(A, &p).as_str().unwrap().to_string();
                w.set(A, &p, json!(format!("{}09", &v[..v.len() - 2])));
            },
        ),
        case_on(
            FEATURES,
            "S19-allocation-list",
            "published",
            &["S19"],
            "the record's allocation list has another (feasible) first allocation: it is not the committed list",
            |w| {
                let p = "/selection/lottery/allocations/allocations";
                let list = w.value(A, p).as_array().unwrap().clone();
                let other = list
                    .iter()
                    .find(|x| **x != list[0])
                    .expect("two different allocations")
                    .clone();
                w.set(A, &format!("{p}/0"), other);
            },
        ),
        case_on(
            FEATURES,
            "S19-allocation-list-one-allocation",
            "published",
            &["S19"],
            "the record's allocation list replaced by the picked allocation alone: the selection fits it, but it is not the committed list (another commitment, 1 allocation for the announced m), so S5, S9, S10 and S20 must not read it",
            |w| {
                let p = "/selection/lottery";
                let pick = w.value(A, &format!("{p}/pick")).as_u64().unwrap() as usize;
                let picked = w.value(A, &format!("{p}/allocations/allocations"))[pick].clone();
                w.set(A, &format!("{p}/allocations/allocations"), json!([picked]));
            },
        ),
        case_on(
            FEATURES,
            "S20-census-infeasible",
            "published",
            &["S20"],
            "the people of a cell that only other allocations than the picked one seat are recorded in another seatless cell: the emptied cell leaves the quota problem, so no allocation fits the census",
            move_people,
        ),
        case_on(
            FEATURES,
            "S21-pick",
            "published",
            &["S21"],
            "the recorded pick is another index of the same allocation: only the pick is wrong",
            |w| {
                repick(w, "the picked allocation is listed twice", |list, pick, j| {
                    j != pick && list[j] == list[pick]
                })
            },
        ),
        case_on(
            FEATURES,
            "S21-pick-other-allocation",
            "published",
            &["S21"],
            "the recorded pick names an index holding another allocation: S21 fails, while S5, S9 and S10 recompute the pick from the seed and pass (spec/sortition.md §7)",
            |w| {
                repick(w, "the list holds two different allocations", |list, pick, j| {
                    list[j] != list[pick]
                })
            },
        ),
        case_on(
            FEATURES,
            "S5-reserve-without-household",
            "published",
            &["S5"],
            "a reserve entry's household attribute is removed: every recorded entry of a feature draw with households must carry it (spec/sortition.md §10.5), so the shared recomputation of S5, S9 and S10 fails; the entry is no longer the roll's (S6, S14)",
            |w| {
                let s = w
                    .value(A, "/selection/strata")
                    .as_array()
                    .unwrap()
                    .iter()
                    .position(|s| s["reserve"].as_array().is_some_and(|r| !r.is_empty()))
                    .expect("the base has a reserve");
                let p = format!("/selection/strata/{s}/reserve/0/entry/attributes");
                let h = feature_attribute(w, &p, "household");
                let i: usize = h.rsplit('/').nth(1).unwrap().parse().unwrap();
                w.value(A, &p).as_array_mut().unwrap().remove(i);
            },
        ),
        case_on(
            FEATURES,
            "S22-shared-household",
            "published",
            &["S22"],
            "a delegate's household is another delegate's",
            |w| {
                let seated = seated_strata(w);
                let first = format!("/selection/strata/{}/selected/0/entry/attributes", seated[0]);
                let other = format!("/selection/strata/{}/selected/0/entry/attributes", seated[1]);
                let h = feature_attribute(w, &first, "household");
                let value = w.value(A, &h).clone();
                let h = feature_attribute(w, &other, "household");
                w.set(A, &h, value);
            },
        ),
    ]
}

/// The feature draw's fairness certificate in `assembly.json` (hex of its
/// tag-0x39 encoding, spec/fairness.md §6.4).
const CERTIFICATE: &str = "/selection/lottery/certificate";

/// Adds `delta` to the 128-bit little-endian integer at `at` of `bytes`
/// (two's complement, so it serves `D`, `G` and the gap alike).
fn add_le128(bytes: &mut [u8], at: usize, delta: i128) {
    let field: &mut [u8; 16] = (&mut bytes[at..at + 16]).try_into().unwrap();
    *field = i128::from_le_bytes(*field)
        .wrapping_add(delta)
        .to_le_bytes();
}

/// The whole-roll feature draw's certificate, tampered at one field of its
/// encoding: `0x39 ‖ 0x01 ‖ D ‖ G ‖ cells ‖ features ‖ gap_num ‖ gap_den`.
fn certificate_cases() -> Vec<Case> {
    vec![
        case_on(
            FEATURES,
            "F4-certificate-denominator",
            "published",
            &["F4"],
            "the certificate's denominator D is one more: the weights no longer sum to it",
            |w| w.edit_bytes(A, CERTIFICATE, |b| add_le128(b, 2, 1)),
        ),
        case_on(
            FEATURES,
            "F5-certificate-dual",
            "published",
            &["F5"],
            "the certificate's G is one less: a cell's weight exceeds its dual bound",
            |w| w.edit_bytes(A, CERTIFICATE, |b| add_le128(b, 18, -1)),
        ),
        case_on(
            FEATURES,
            "F7-certificate-gap",
            "published",
            &["F7"],
            "the certificate's G is raised by D: still a feasible dual (F5), but its bound B is now one seat's worth higher, far beyond the announced gap above the lottery's smallest probability",
            |w| {
                w.edit_bytes(A, CERTIFICATE, |b| {
                    let d = i128::from_le_bytes(b[2..18].try_into().unwrap());
                    add_le128(b, 18, d);
                })
            },
        ),
    ]
}

/// The pointer of the value of attribute `label` of the entry attributes at
/// `attributes` in `assembly.json`.
fn feature_attribute(w: &mut Work, attributes: &str, label: &str) -> String {
    let i = w
        .value(A, attributes)
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["label"] == label)
        .unwrap_or_else(|| panic!("no attribute {label}"));
    format!("{attributes}/{i}/value")
}

/// The cells (strata of the selection record) that seat at least one
/// delegate, in record order: the picked allocation decides which.
fn seated_strata(w: &mut Work) -> Vec<usize> {
    w.value(A, "/selection/strata")
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, s)| s["selected"].as_array().is_some_and(|x| !x.is_empty()))
        .map(|(i, _)| i)
        .collect()
}

/// The base's roll, decoded from `roll.txt`.
fn roll_entries(w: &mut Work) -> Vec<RollEntry> {
    w.lines(ROLL)
        .iter()
        .map(|l| RollEntry::from_bytes(&hex::decode(l).unwrap()).unwrap())
        .collect()
}

/// Makes the drawn entry at `drawn` (a pointer into `assembly.json`) the
/// roll entry at `index`, with its genuine inclusion proof; its rank stays.
fn set_drawn(w: &mut Work, drawn: &str, entries: &[RollEntry], index: u64) {
    let digest = roll_digest(entries).unwrap();
    let (entry, proof) = prove_indices(entries, digest, &[index])
        .unwrap()
        .pop()
        .unwrap();
    w.set(
        A,
        &format!("{drawn}/entry"),
        serde_json::to_value(entry).unwrap(),
    );
    w.set(
        A,
        &format!("{drawn}/proof"),
        serde_json::to_value(proof).unwrap(),
    );
}

/// The first stratum of the selection with skipped entries.
fn first_with_skipped(w: &mut Work) -> usize {
    w.value(A, "/selection/strata")
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s.get("skipped").is_some())
        .expect("the base has a skipped entry")
}

fn last_index(w: &mut Work, pointer: &str) -> usize {
    w.value(A, pointer).as_array().unwrap().len() - 1
}

/// `S20-census-infeasible`: the people of a cell without a seat in the
/// picked allocation, but with one in another, are recorded in the next
/// cell without a seat: the totals stay, and the allocation that seats
/// someone in the emptied cell is no longer feasible.
fn move_people(w: &mut Work) {
    let pick = w.value(A, "/selection/lottery/pick").as_u64().unwrap() as usize;
    let list = w
        .value(A, "/selection/lottery/allocations/allocations")
        .as_array()
        .unwrap()
        .clone();
    let seats = |j: usize, c: usize| list[j][c].as_u64().unwrap();
    let cells = list[pick].as_array().unwrap().len();
    let empty: Vec<usize> = (0..cells).filter(|&c| seats(pick, c) == 0).collect();
    let from = *empty
        .iter()
        .find(|&&c| (0..list.len()).any(|j| seats(j, c) > 0))
        .expect("a cell seated only by other allocations");
    let to = *empty.iter().find(|&&c| c != from).expect("two empty cells");
    let count = |c: usize, member: &str| format!("{SELECTION}/strata/{c}/count/{member}");
    let moved = w.value(A, &count(from, "size")).as_u64().unwrap();
    for member in ["size", "eligible"] {
        let n = w.value(A, &count(to, member)).as_u64().unwrap() + moved;
        w.set(A, &count(to, member), json!(n));
        w.set(A, &count(from, member), json!(0));
    }
}

fn stratified_cases() -> Vec<Case> {
    vec![
        case_on(
            STRATIFIED,
            "stratified-honest",
            "published",
            &[],
            "the honest stratified draw (explicit quotas, exclusions, a partial cohort of a term schedule): E16 of the seated votes not checked, every other check ok",
            |_| {},
        ),
        case_on(
            STRATIFIED,
            "S5-explicit-quotas",
            "published",
            &["S5"],
            "a seat moved from region-1 to region-0 in the recorded quotas, against the announced explicit quotas",
            |w| {
                w.set(A, "/selection/strata/0/quota", json!(2));
                w.set(A, "/selection/strata/1/quota", json!(2));
            },
        ),
        case_on(
            STRATIFIED,
            "S8-excluded-citizen-drawn",
            "published",
            &["S8"],
            "the region-0 delegate is replaced by the first excluded citizen, with the citizen's roll entry and genuine inclusion proof (and as the delegate leaving in the replacement)",
            |w| {
                let excluded = w.value(A, "/announcement/params/exclusions/0").clone();
                let entries = roll_entries(w);
                let index = entries
                    .iter()
                    .position(|e| json!(hex::encode(e.key().as_bytes())) == excluded)
                    .unwrap() as u64;
                let d = "/selection/strata/0/selected/0";
                // The replacement before the remedy vote names the new holder.
                let key = w.value(A, &format!("{d}/entry/key")).clone();
                if *w.value(A, "/replacements/0/leaving") == key {
                    w.set(A, "/replacements/0/leaving", excluded.clone());
                }
                set_drawn(w, d, &entries, index);
            },
        ),
        case_on(
            STRATIFIED,
            "S11-schedule-seats",
            "published",
            &["S11"],
            "the delegates hold seats 0-3, not the seats 4-7 the schedule fills in 2027",
            |w| {
                let strata = w.value(A, "/selection/strata").as_array_mut().unwrap();
                for s in strata {
                    for seat in s["seats"].as_array_mut().unwrap() {
                        *seat = json!(seat.as_u64().unwrap() - 4);
                    }
                }
            },
        ),
        case_on(
            STRATIFIED,
            "E16-partial-cohort-open-vote",
            "published",
            &["E16"],
            "the open consultation carries the harm vote's eligible set: E16 fails for the open vote, while the seated votes' E16 is not checked (partial cohort)",
            |w| {
                let set = w.value(A, "/votes/0/record/eligible").clone();
                w.set(A, "/votes/2/record/eligible", set.clone());
                w.set("votes/consultation/record.json", "/eligible", set);
            },
        ),
    ]
}

fn assembly_cases() -> Vec<Case> {
    vec![
        case(
            "honest",
            "published",
            &[],
            "the honest record with its published anchors: every check ok",
            |_| {},
        ),
        case(
            "honest-unanchored",
            "none",
            &[],
            "the honest record, unanchored: A1-A3 and E15 not anchored, every other check ok",
            |_| {},
        ),
        case(
            "honest-without-roll",
            "published",
            &[],
            "the honest record without roll.txt: S12-S15 not checked, every other check ok",
            |w| {
                w.text.remove(ROLL);
            },
        ),
        case(
            "R1-does-not-decode",
            "published",
            &["R1"],
            "assembly.json's version is a string: the record does not decode",
            |w| w.set(A, "/version", json!("two")),
        ),
        case(
            "R1-vote-record-does-not-decode",
            "published",
            &["R1"],
            "the harm vote's record.json has a tally that is not hex",
            |w| w.set(HARM, "/tally", json!("not hex")),
        ),
        case(
            "A1-other-chain",
            "published",
            &["A1"],
            "the published beacon chain id differs from the record's",
            |w| w.flip(ANCHORS, "/beacon_chain", 0, 1),
        ),
        case(
            "A2-other-announcement",
            "published",
            &["A2"],
            "the published announcement hash differs from the record's",
            |w| w.flip(ANCHORS, "/announcement", 0, 1),
        ),
        case(
            "A3-other-votes",
            "published",
            &["A3"],
            "the published list of votes names another vote",
            |w| w.set(ANCHORS, "/votes/2/name", json!("referendum")),
        ),
        case(
            "B1-beacon-byte",
            "published",
            &["B1"],
            "the last byte of the beacon record (in the last round) changed",
            |w| {
                let n = hex::decode(w.value(A, "/beacon").as_str().unwrap())
                    .unwrap()
                    .len();
                w.flip(A, "/beacon", n - 1, 1)
            },
        ),
        case(
            "B2-round-not-in-chain",
            "none",
            &["B2"],
            "announcement and selection name beacon round 9, which the chain does not have",
            |w| {
                w.set(A, "/announcement/beacon_round", json!(9));
                w.set(A, "/selection/announcement/beacon_round", json!(9));
                w.set(A, "/selection/beacon_round", json!(9));
            },
        ),
        case(
            "B3-version",
            "published",
            &["B3"],
            "assembly record format version 3",
            |w| w.set(A, "/version", json!(3)),
        ),
        case(
            "B4-announcement-names-other-chain",
            "none",
            &["B4"],
            "the announcement (in both places) names another beacon chain",
            |w| {
                w.flip(A, "/announcement/beacon_chain/kleroterion", 0, 1);
                w.flip(A, "/selection/announcement/beacon_chain/kleroterion", 0, 1);
            },
        ),
        case(
            "S1-selection-version",
            "published",
            &["S1"],
            "selection record version 2",
            |w| w.set(A, "/selection/version", json!(2)),
        ),
        case(
            "S1-announcement-copies-differ",
            "published",
            &["S1"],
            "only the selection's copy of the announcement names another year: every check but S1 uses the top-level announcement",
            |w| w.set(A, "/selection/announcement/year", json!(2028)),
        ),
        case(
            "S2-round",
            "published",
            &["S2"],
            "the selection used beacon round 4, not the named round 3",
            |w| w.set(A, "/selection/beacon_round", json!(4)),
        ),
        case(
            "S3-output",
            "published",
            &["S3"],
            "the selection's beacon output changed",
            |w| w.flip(A, "/selection/beacon_output", 0, 1),
        ),
        case(
            "S4-seed",
            "published",
            &["S4"],
            "the selection's seed changed",
            |w| w.flip(A, "/selection/seed", 0, 1),
        ),
        case(
            "S5-quotas",
            "published",
            &["S5"],
            "a seat's quota moved from stratum 1 to stratum 0",
            |w| {
                w.set(A, "/selection/strata/0/quota", json!(3));
                w.set(A, "/selection/strata/1/quota", json!(1));
            },
        ),
        case(
            "S6-merkle-path",
            "published",
            &["S6"],
            "a node of a delegate's Merkle path changed",
            |w| w.flip(A, "/selection/strata/0/selected/0/proof/path/0", 0, 1),
        ),
        case(
            "S7-stratum",
            "published",
            &["S7"],
            "a delegate's region attribute names the other stratum",
            |w| {
                w.flip(
                    A,
                    "/selection/strata/0/selected/0/entry/attributes/0/value",
                    7,
                    1,
                )
            },
        ),
        case(
            "S8-excluded",
            "none",
            &["S8"],
            "the announcement (in both places) excludes a selected delegate",
            |w| {
                let k = w
                    .value(A, "/selection/strata/0/selected/0/entry/key")
                    .clone();
                w.set(A, "/announcement/params/exclusions", json!([k]));
                w.set(A, "/selection/announcement/params/exclusions", json!([k]));
            },
        ),
        case(
            "S9-rank",
            "published",
            &["S9"],
            "a delegate's rank changed",
            |w| {
                let r = w
                    .value(A, "/selection/strata/1/selected/0/rank")
                    .as_u64()
                    .unwrap();
                w.set(A, "/selection/strata/1/selected/0/rank", json!(r + 1));
            },
        ),
        case(
            "S10-reserve-rank",
            "published",
            &["S10"],
            "a reserve's rank changed",
            |w| {
                let r = w
                    .value(A, "/selection/strata/1/reserve/0/rank")
                    .as_u64()
                    .unwrap();
                w.set(A, "/selection/strata/1/reserve/0/rank", json!(r + 1));
            },
        ),
        case(
            "S9-reserve-position",
            "published",
            &["S9"],
            "a reserve entry's rank made larger than its roll position: S9's position rule covers reserve entries too",
            |w| {
                let index = w
                    .value(A, "/selection/strata/1/reserve/0/proof/index")
                    .as_u64()
                    .unwrap();
                w.set(A, "/selection/strata/1/reserve/0/rank", json!(index + 1));
            },
        ),
        case(
            "S11-seats",
            "published",
            &["S11"],
            "a stratum's seat numbers changed",
            |w| w.set(A, "/selection/strata/0/seats/0", json!(7)),
        ),
        case(
            "S12-roll-region",
            "published",
            &["S12"],
            "the first roll entry's region changed from region-0 to region-1",
            |w| {
                let n = w.lines(ROLL)[0].len() / 2;
                w.flip_line(ROLL, 1, 0, n - 1, 1)
            },
        ),
        case(
            "S13-entry-without-attribute",
            "published",
            &["S12", "S13", "S14"],
            "the first roll entry without its region attribute: the roll cannot be placed in strata",
            |w| {
                let line = &mut w.lines(ROLL)[0];
                let entry = RollEntry::from_bytes(&hex::decode(&*line).unwrap()).unwrap();
                let bare = RollEntry::new(*entry.key(), Vec::new()).unwrap();
                *line = hex::encode(bare.to_bytes());
            },
        ),
        case(
            "S15-roll-not-hex",
            "published",
            &["S15"],
            "roll.txt starts with a line that is not hex",
            |w| w.lines(ROLL).insert(0, "zz".into()),
        ),
        case(
            "S16-not-registered",
            "none",
            &["S16"],
            "the announcement (in both places) is for another year: its hash was not registered",
            |w| {
                w.set(A, "/announcement/year", json!(2028));
                w.set(A, "/selection/announcement/year", json!(2028));
            },
        ),
        case(
            "S17-replacement",
            "published",
            &["S17"],
            "the replacement seats the other stratum's reserve, not the vacated seat's",
            |w| {
                let k = w
                    .value(A, "/selection/strata/1/reserve/0/entry/key")
                    .clone();
                w.set(A, "/replacements/0/joining", k)
            },
        ),
        case(
            "S17-replacement-order",
            "published",
            &["S17"],
            "the two replacements listed in reverse order: the survey's before the remedy vote's",
            |w| {
                let r = w.value(A, "/replacements").as_array().unwrap().clone();
                w.set(A, "/replacements", json!([r[1], r[0]]));
            },
        ),
        case(
            "E2-result-of-other-vote",
            "published",
            &["E2"],
            "the harm vote announces the remedy vote's result (assembly.json and record.json)",
            |w| {
                let r = w.value(A, "/votes/1/record/result").clone();
                w.set(A, "/votes/0/record/result", r.clone());
                w.set(HARM, "/result", r);
            },
        ),
        case(
            "E1-version",
            "published",
            &["E1"],
            "the harm vote's record version 2 (assembly.json and record.json)",
            |w| harm_both(w, |w, f, p| w.set(f, &format!("{p}/version"), json!(2))),
        ),
        case(
            "E3-key-generation",
            "none",
            &["E3"],
            "a byte of the harm vote's key-generation transcript changed",
            |w| {
                harm_both(w, |w, f, p| {
                    let n = hex::decode(w.value(f, &format!("{p}/trustees")).as_str().unwrap())
                        .unwrap()
                        .len();
                    w.flip(f, &format!("{p}/trustees"), n - 33, 1)
                })
            },
        ),
        case(
            "E4-ballot-malformed",
            "published",
            &["E4"],
            "a cast ballot's version byte changed",
            |w| w.flip_line(HARM_BALLOTS, 1, 1, 1, 1),
        ),
        case(
            "E4-malformed-without-key",
            "none",
            &["E3", "E4"],
            "the key-generation transcript broken (as in E3-key-generation) and a line that is not hex inserted in the cast stream: a malformed line fails E4 without a key",
            |w| {
                harm_both(w, |w, f, p| {
                    let n = hex::decode(w.value(f, &format!("{p}/trustees")).as_str().unwrap())
                        .unwrap()
                        .len();
                    w.flip(f, &format!("{p}/trustees"), n - 33, 1)
                });
                w.lines(HARM_BALLOTS).insert(1, "zz".into());
            },
        ),
        case(
            "E6-code",
            "published",
            &["E6"],
            "a confirmation code changed",
            |w| w.flip_line(HARM_BALLOTS, 2, 0, 0, 1),
        ),
        case(
            "E7-proof",
            "published",
            &["E7"],
            "a byte of a cast ballot's proof changed",
            |w| {
                let n = w.lines(HARM_BALLOTS)[0].split(' ').nth(1).unwrap().len() / 2;
                w.flip_line(HARM_BALLOTS, 1, 1, n - 40, 1)
            },
        ),
        case(
            "E8-challenged",
            "published",
            &["E8"],
            "a byte of a challenged ballot changed",
            |w| {
                let n = w.lines(HARM_CHALLENGED)[0].len() / 2;
                w.flip_line(HARM_CHALLENGED, 1, 0, n - 40, 1)
            },
        ),
        case(
            "E8-challenged-proof",
            "published",
            &["E8"],
            "a byte of a proof of the challenged ballot changed: its opening still reproduces its ciphertexts",
            |w| {
                // The challenged ballot is a 2-byte header, the encrypted
                // ballot (as long as a cast one, ending with its proofs),
                // then the opening.
                let n = w.lines(HARM_BALLOTS)[0].split(' ').nth(1).unwrap().len() / 2;
                w.flip_line(HARM_CHALLENGED, 1, 0, 2 + n - 40, 1)
            },
        ),
        case(
            "E5-after-failed-challenge",
            "published",
            &["E8", "E5"],
            "a copy of the challenged ballot with a broken proof inserted before it: the failed ballot's id is recorded, so the genuine one repeats it",
            |w| {
                let n = w.lines(HARM_BALLOTS)[0].split(' ').nth(1).unwrap().len() / 2;
                let genuine = w.lines(HARM_CHALLENGED)[0].clone();
                w.lines(HARM_CHALLENGED).insert(0, genuine);
                w.flip_line(HARM_CHALLENGED, 1, 0, 2 + n - 40, 1)
            },
        ),
        case(
            "E9-tally-sums",
            "published",
            &["E9"],
            "yes and no swapped in the encrypted tally and in every partial decryption: the right ballot count and a correct decryption, of sums that are not the ballots'",
            |w| {
                harm_both(w, |w, f, p| {
                    // tally: header 2, manifest hash 32, N 8, n 4, k 4,
                    // then one ciphertext (66 bytes) per option.
                    w.swap(f, &format!("{p}/tally"), 50, 116, 66);
                    for i in 0..2 {
                        // decryption: header 2, index 2, n 4, k 4, then
                        // one partial decryption (134 bytes) per option.
                        w.swap(f, &format!("{p}/decryptions/{i}"), 12, 146, 134);
                    }
                })
            },
        ),
        case(
            "E7-score-range-proof",
            "published",
            &["E7"],
            "a byte of the range proof of a survey ballot's last score (the inner-product scalar a) changed",
            |w| {
                let n = w.lines(SURVEY_BALLOTS)[0].split(' ').nth(1).unwrap().len() / 2;
                w.flip_line(SURVEY_BALLOTS, 1, 1, n - 40, 1)
            },
        ),
        case(
            "E9-tally",
            "published",
            &["E9"],
            "a bit of the ballot count N in the encrypted tally changed: E9 fails on the count",
            |w| harm_both(w, |w, f, p| w.flip(f, &format!("{p}/tally"), 40, 1)),
        ),
        case(
            "E10-decryption",
            "published",
            &["E10"],
            "a byte of a trustee's partial decryption changed",
            |w| {
                harm_both(w, |w, f, p| {
                    let n =
                        hex::decode(w.value(f, &format!("{p}/decryptions/0")).as_str().unwrap())
                            .unwrap()
                            .len();
                    w.flip(f, &format!("{p}/decryptions/0"), n - 20, 1)
                })
            },
        ),
        case(
            "E11-result",
            "published",
            &["E11"],
            "the announced result changed",
            |w| {
                harm_both(w, |w, f, p| {
                    let n = hex::decode(w.value(f, &format!("{p}/result")).as_str().unwrap())
                        .unwrap()
                        .len();
                    w.flip(f, &format!("{p}/result"), n - 1, 1)
                })
            },
        ),
        case(
            "E12-record-json",
            "published",
            &["E12"],
            "a byte of the tally in the harm vote's record.json only (not in assembly.json)",
            |w| w.flip(HARM, "/tally", 40, 1),
        ),
        case(
            "E13-eligibility",
            "published",
            &["E13"],
            "a byte of a ballot's membership proof changed",
            |w| {
                let n = w.lines(HARM_BALLOTS)[0].split(' ').nth(2).unwrap().len() / 2;
                w.flip_line(HARM_BALLOTS, 1, 2, n - 40, 1)
            },
        ),
        case(
            "E14-duplicate-voter",
            "published",
            &["E14"],
            "a ballot line repeated",
            |w| {
                let l = w.lines(HARM_BALLOTS)[0].clone();
                w.lines(HARM_BALLOTS).push(l);
            },
        ),
        case(
            "E5-repeated-open-ballot",
            "published",
            &["E5"],
            "a ballot line of the open consultation vote repeated",
            |w| {
                let f = "votes/consultation/ballots.txt";
                let l = w.lines(f)[0].clone();
                w.lines(f).push(l);
            },
        ),
        case(
            "E15-manifest",
            "published",
            &["E15"],
            "the published manifest hash of the harm vote differs",
            |w| w.flip(ANCHORS, "/votes/0/manifest", 0, 1),
        ),
        case(
            "E16-no-replacement",
            "published",
            &["E16"],
            "the replacements are removed: the remedy vote's electorate is not the seated delegates",
            |w| w.set(A, "/replacements", json!([])),
        ),
        case(
            "E16-open-vote-with-eligible-set",
            "published",
            &["E16", "E13"],
            "the open consultation carries the harm vote's eligible set (assembly.json and record.json): E13-E14 exist because of the set, not the electorate; its ballots carry no membership proof",
            |w| {
                let set = w.value(A, "/votes/0/record/eligible").clone();
                w.set(A, "/votes/2/record/eligible", set.clone());
                w.set("votes/consultation/record.json", "/eligible", set);
            },
        ),
    ]
}

/// The cases whose edited record is not a record of the versions spec/json.md
/// describes: it does not decode (R1) or has another format version (B3,
/// E1, S1). Every other case's files are valid against spec/schema/.
const SCHEMA_INVALID: [&str; 5] = [
    "R1-does-not-decode",
    "R1-vote-record-does-not-decode",
    "B3-version",
    "E1-version",
    "S1-selection-version",
];

/// The schema of a JSON file of a record directory.
fn record_schema(file: &str) -> &'static str {
    if file == A {
        "assembly-record.schema.json"
    } else if file.starts_with("votes/") && file.ends_with("/record.json") {
        "election-record.schema.json"
    } else {
        panic!("no schema for the record file {file}")
    }
}

/// Validates case `name`'s file and its edited JSON files (the record's and
/// the anchors) against spec/schema/: every one is valid unless the case is
/// in [`SCHEMA_INVALID`], in which case one is not.
fn check_schemas(name: &str, case: &Value, w: &Work) {
    schema::assert_valid(
        "conformance-case.schema.json",
        case,
        &format!("case {name}"),
    );
    let mut errors = Vec::new();
    for (f, v) in &w.json {
        if let Err(e) = schema::check(record_schema(f), v) {
            errors.push(format!("{f}: {e}"));
        }
    }
    if let Some(a) = &w.anchors {
        if let Err(e) = schema::check("anchors.schema.json", a) {
            errors.push(format!("{ANCHORS}: {e}"));
        }
    }
    if SCHEMA_INVALID.contains(&name) {
        assert!(
            !errors.is_empty(),
            "case {name}: its files are valid against spec/schema/"
        );
    } else {
        assert!(
            errors.is_empty(),
            "case {name}: invalid against spec/schema/:\n{}",
            errors.join("\n")
        );
    }
}

/// The kit's cases on disk, by name, each with its parsed file, of the
/// bases this generator handles ([`BASES`]); other generators' cases are
/// left out.
fn cases_on_disk(kit: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let Ok(dir) = fs::read_dir(kit.join("cases")) else {
        return out;
    };
    for e in dir {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let case: Value = serde_json::from_slice(&fs::read(case_path(kit, &name)).unwrap())
            .unwrap_or_else(|e| panic!("case {name}: {e}"));
        let base = case["base"].as_str().unwrap_or_default();
        if BASES.contains(&base) {
            out.insert(name, case);
        }
    }
    out
}

/// Rewrites this generator's part of the kit from the fixed seeds: the
/// base records, their anchors and every case with the report the verifier
/// gives.
fn regenerate() {
    let kit = Path::new(KIT);
    for name in cases_on_disk(kit).keys() {
        fs::remove_dir_all(kit.join("cases").join(name)).unwrap();
    }
    let mut bases = BTreeMap::new();
    for b in BASES {
        write_base(kit, b);
        bases.insert(b, Work::read(kit, b));
    }
    for c in cases() {
        let base = &bases[c.base];
        let mut w = base.clone();
        (c.edit)(&mut w);
        let edits = diff(base, &w);
        let w = apply(base, c.anchors, &edits);
        let report = verify(&w, &temp_dir(c.name));
        let f = failed(&report);
        println!("{}: failed {f:?}", c.name);
        let head = CaseHead {
            description: c.description,
            base: c.base,
            anchors: c.anchors,
            targets: c.targets,
        };
        let case = case_json(&head, &edits, &report);
        let path = case_path(kit, c.name);
        assert!(!path.exists(), "case {} is defined twice", c.name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, case).unwrap();
    }
}

/// Runs every case of the kit and compares its report with `expected`.
#[test]
fn check_kit() {
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        regenerate();
    }
    run_kit(None);
}

/// Runs every case of the kit in 3 shards, split by position and by ballot
/// id, and compares each merged report with the case's `expected`
/// (spec/record.md §4.1: the merged report equals the unsharded one).
#[test]
fn check_kit_sharded() {
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        return; // check_kit is rewriting the kit
    }
    run_kit(Some((3, ShardBy::Position)));
    run_kit(Some((3, ShardBy::BallotId)));
}

/// The numbered checks every verifier of the bases of [`BASES`] reports, each
/// of which some case must fail.
fn numbered_checks() -> Vec<String> {
    ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "R1"]
        .into_iter()
        .map(String::from)
        .chain((1..=22).map(|i| format!("S{i}")))
        .chain((1..=16).map(|i| format!("E{i}")))
        .collect()
}

fn run_kit(split: Split) {
    let kit = Path::new(KIT);
    let bases: BTreeMap<&str, Work> = BASES.iter().map(|b| (*b, Work::read(kit, b))).collect();
    let mut failures = Vec::new();
    let mut failed_checks = std::collections::BTreeSet::new();
    for (name, case) in cases_on_disk(kit) {
        let base = &bases[case["base"].as_str().unwrap()];
        let w = apply(
            base,
            case["anchors"].as_str().unwrap(),
            case["edits"].as_array().unwrap(),
        );
        if split.is_none() {
            check_schemas(&name, &case, &w);
        }
        let dir = match split {
            None => temp_dir(&name),
            Some((n, by)) => temp_dir(&format!("{name}-{n}-{by:?}")),
        };
        let got = verify_split(&w, &dir, split);
        let expected = expected(&case);
        if got != expected {
            failures.push(format!(
                "case {name} ({split:?}):\n{}",
                report_diff(&expected, &got)
            ));
        }
        let f = failed(&got);
        for t in case["targets"].as_array().unwrap() {
            let t = t.as_str().unwrap();
            assert!(
                f.iter().any(|x| x == t),
                "case {name}: target {t} did not fail"
            );
        }
        failed_checks.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every numbered check fails in some case.
    let missing: Vec<String> = numbered_checks()
        .into_iter()
        .filter(|c| !failed_checks.contains(c))
        .collect();
    assert!(missing.is_empty(), "no case fails {missing:?}");
}

/// The generator reproduces the kit: the base records and anchors byte for
/// byte from the seeds, and every case's edits from its definition.
#[test]
fn generator_reproduces_kit() {
    if std::env::var("KLEROTERION_REGENERATE_VECTORS").as_deref() == Ok("1") {
        return; // check_kit is rewriting the kit
    }
    let kit = Path::new(KIT);
    let fresh = temp_dir("generator");
    let _ = fs::remove_dir_all(&fresh);
    fs::create_dir_all(&fresh).unwrap();
    for b in BASES {
        write_base(&fresh, b);
        let mut files = Vec::new();
        list_files(&kit.join(b), "", &mut files);
        let mut fresh_files = Vec::new();
        list_files(&fresh.join(b), "", &mut fresh_files);
        assert_eq!(files, fresh_files, "the files of base {b}");
        for f in files
            .iter()
            .map(|f| format!("{b}/{f}"))
            .chain([anchors_file(b)])
        {
            assert!(
                fs::read(kit.join(&f)).unwrap() == fs::read(fresh.join(&f)).unwrap(),
                "{f} is not what the generator writes (regenerate only after an intended change of the spec)"
            );
        }
    }
    let _ = fs::remove_dir_all(&fresh);

    let bases: BTreeMap<&str, Work> = BASES.iter().map(|b| (*b, Work::read(kit, b))).collect();
    let on_disk = cases_on_disk(kit);
    let mut names: Vec<String> = Vec::new();
    for c in cases() {
        let base = &bases[c.base];
        let mut w = base.clone();
        (c.edit)(&mut w);
        let case = on_disk
            .get(c.name)
            .unwrap_or_else(|| panic!("case {} is not in the kit", c.name));
        assert_eq!(case["base"], c.base, "case {}: base", c.name);
        assert_eq!(
            case["edits"],
            Value::Array(diff(base, &w)),
            "case {}: edits",
            c.name
        );
        assert_eq!(case["anchors"], c.anchors, "case {}: anchors", c.name);
        assert_eq!(
            case["targets"],
            json!(c.targets),
            "case {}: targets",
            c.name
        );
        names.push(c.name.to_string());
    }
    names.sort();
    let on_disk: Vec<String> = on_disk.into_keys().collect();
    assert_eq!(on_disk, names, "the kit's cases are the generator's");
}

/// The differing lines of two reports, one check a line.
fn report_diff(expected: &Sections, got: &Sections) -> String {
    let flat = |s: &Sections| -> Vec<String> {
        s.iter()
            .flat_map(|(t, c)| c.iter().map(move |(i, o)| format!("{t} {i} {o}")))
            .collect()
    };
    let (e, g) = (flat(expected), flat(got));
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => out.push_str(&format!(
                "  expected {:<40} got {}\n",
                x.map_or("(nothing)", String::as_str),
                y.map_or("(nothing)", String::as_str)
            )),
        }
    }
    out
}
