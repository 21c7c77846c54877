//! The browser verifier's Rust side on a simulated assembly record held in
//! memory, as the page holds it: an honest record passes every check with
//! its vote results; a changed result, a changed ballot, a missing file and
//! bad JSON give the failing check or a readable error.

use kleroterion::encoding::Encode;
use kleroterion::record::summary::{Statement, StatementStatus};
use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams, HARM_VOTE};
use kleroterion_wasm::{verify_files, verify_vote_bytes, FileSet, Verification};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

/// A small assembly's record as files under the folder name `rec/`, with
/// its published anchors dropped beside it as `anchors.json`.
fn record_files() -> FileSet {
    let mut files = unanchored_files();
    let record: kleroterion::record::AssemblyRecord = read_json(&files, "rec/assembly.json");
    let anchors = kleroterion::record::Anchors::of(&record);
    files.insert("anchors.json", serde_json::to_vec(&anchors).unwrap());
    files
}

/// The record's files alone.
fn unanchored_files() -> FileSet {
    let params = SimulationParams {
        citizens: 300,
        strata: 3,
        seats: 15,
        reserve: 1,
        challenged: 1,
        ..SimulationParams::default()
    };
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let mut sink = MemorySink::default();
    let sim = simulate_assembly(&params, &mut rng, &mut sink, |_, _| {}).unwrap();
    let mut files = FileSet::new();
    files.insert(
        "rec/assembly.json",
        serde_json::to_vec_pretty(&sim.record).unwrap(),
    );
    let roll: String = sim
        .roll
        .iter()
        .map(|e| hex::encode(e.to_bytes()) + "\n")
        .collect();
    files.insert("rec/roll.txt", roll.into_bytes());
    for v in &sim.record.votes {
        let dir = format!("rec/votes/{}/", v.name);
        files.insert(
            &format!("{dir}record.json"),
            serde_json::to_vec(&v.record).unwrap(),
        );
        let ballots: String = sink.ballots[&v.name]
            .iter()
            .map(|l| l.to_line() + "\n")
            .collect();
        files.insert(&format!("{dir}ballots.txt"), ballots.into_bytes());
        let challenged: String = sink
            .challenged
            .get(&v.name)
            .into_iter()
            .flatten()
            .map(|c| hex::encode(c) + "\n")
            .collect();
        files.insert(&format!("{dir}challenged.txt"), challenged.into_bytes());
    }
    files
}

fn verify(files: &FileSet) -> Result<Verification, String> {
    verify_files(files, &mut ChaCha20Rng::seed_from_u64(1), |_, _, _| {})
}

/// The ids of the checks of `v` with `status`, in order.
fn ids_with_status(v: &Verification, status: &str) -> Vec<&'static str> {
    v.sections
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| c.status == status)
        .map(|c| c.id)
        .collect()
}

fn failed_ids(v: &Verification) -> Vec<&'static str> {
    ids_with_status(v, "failed")
}

/// The statements of `v` with `status`, in order.
fn statements_with(v: &Verification, status: StatementStatus) -> Vec<&Statement> {
    v.statements.iter().filter(|s| s.status == status).collect()
}

/// A file of the set, read as JSON.
fn read_json<T: serde::de::DeserializeOwned>(files: &FileSet, path: &str) -> T {
    serde_json::from_slice(files.get(path).unwrap()).unwrap()
}

/// A copy of the files whose paths `keep` accepts.
fn copy_files(files: &FileSet, keep: impl Fn(&str) -> bool) -> FileSet {
    let mut copy = FileSet::new();
    for path in files.paths().filter(|p| keep(p)) {
        copy.insert(path, files.get(path).unwrap().to_vec());
    }
    copy
}

/// Replaces the first occurrence of `from` in a file.
fn edit(files: &mut FileSet, path: &str, edit: impl FnOnce(String) -> String) {
    let text = String::from_utf8(files.get(path).unwrap().to_vec()).unwrap();
    files.insert(path, edit(text).into_bytes());
}

#[test]
fn honest_record_passes_every_check_and_shows_the_votes() {
    let files = record_files();
    let mut progress = Vec::new();
    let v = verify_files(&files, &mut ChaCha20Rng::seed_from_u64(1), |vote, n, _| {
        progress.push((vote.to_owned(), n))
    })
    .unwrap();
    assert!(v.all_passed, "{:?}", failed_ids(&v));
    assert_eq!((v.kind, v.root.as_str()), ("assembly", "rec/"));
    assert_eq!(v.summary, format!("all {} checks passed", v.total));
    assert_eq!(v.verdict, "passed");
    let titles: Vec<&str> = v.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(&titles[..3], ["Anchors", "Beacon", "Draw"]);
    // Checks are numbered 1..=total across sections.
    let numbers: Vec<usize> = v
        .sections
        .iter()
        .flat_map(|s| &s.checks)
        .map(|c| c.n)
        .collect();
    assert_eq!(numbers, (1..=v.total).collect::<Vec<_>>());
    let draw = v.draw.as_ref().unwrap();
    // A feature draw (the simulation's default): its strata are the
    // 2 × 4 × 3 cells of gender × age band × region.
    assert_eq!((draw.delegates, draw.strata.len()), (15, 24));
    let harm = v.votes.iter().find(|x| x.name == HARM_VOTE).unwrap();
    assert!(harm.verified);
    let motion = harm.contests.iter().find(|c| c.kind == "motion").unwrap();
    assert_eq!(motion.options, ["yes", "no", "abstain"]);
    assert_eq!(motion.counts.iter().sum::<u64>(), harm.ballots);
    assert_eq!(motion.passes, Some(motion.counts[0] > motion.counts[1]));
    assert!(progress.iter().any(|(vote, _)| vote == HARM_VOTE));
    // The JSON the page reads.
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    assert_eq!(json["sections"][0]["checks"][0]["id"], "A1");
    assert_eq!(json["sections"][1]["checks"][0]["id"], "B1");
    assert_eq!(
        json["votes"][0]["contests"][0]["passes"],
        motion.passes.unwrap()
    );
    // Every statement proven, the draw's first, in plain words.
    assert!(v.statements.len() > 6, "{:?}", v.statements);
    assert_eq!(
        statements_with(&v, StatementStatus::Proven).len(),
        v.statements.len()
    );
    assert!(v.statements[0].text.starts_with("The 15 delegates"));
    assert_eq!(json["statements"][0]["status"], "proven");
    assert!(json["statements"][0]["rests_on"]
        .as_array()
        .unwrap()
        .contains(&"S17".into()));
}

/// Adds one "yes" to the announced result of the first vote, in the assembly
/// record and in the vote's own record alike: the result is the hex of its
/// canonical encoding, which ends with the motion's counts (yes, no,
/// abstain as little-endian u64).
fn add_a_yes(files: &mut FileSet) -> String {
    fn bump(result: &mut serde_json::Value) {
        let mut bytes = hex::decode(result.as_str().unwrap()).unwrap();
        let yes = bytes.len() - 24;
        bytes[yes] = bytes[yes].wrapping_add(1);
        *result = hex::encode(bytes).into();
    }
    let mut assembly: serde_json::Value = read_json(files, "rec/assembly.json");
    let name = assembly["votes"][0]["name"].as_str().unwrap().to_owned();
    bump(&mut assembly["votes"][0]["record"]["result"]);
    files.insert("rec/assembly.json", serde_json::to_vec(&assembly).unwrap());
    let path = format!("rec/votes/{name}/record.json");
    let mut record: serde_json::Value = read_json(files, &path);
    bump(&mut record["result"]);
    files.insert(&path, serde_json::to_vec(&record).unwrap());
    name
}

#[test]
fn changed_result_fails_e11_and_is_not_shown_as_verified() {
    let mut files = record_files();
    let name = add_a_yes(&mut files);
    let v = verify(&files).unwrap();
    assert_eq!(failed_ids(&v), ["E11"]);
    assert_eq!(v.failed, 1);
    assert_eq!(v.summary, format!("1 of {} checks FAILED", v.total));
    let vote = v.votes.iter().find(|x| x.name == name).unwrap();
    assert!(!vote.verified);
    assert!(v
        .votes
        .iter()
        .filter(|x| x.name != name)
        .all(|x| x.verified));
    // The count and the motion of that vote are refuted, and say so.
    let refuted = statements_with(&v, StatementStatus::Refuted);
    assert!(!refuted.is_empty());
    for s in &refuted {
        assert_eq!(s.vote.as_deref(), Some(name.as_str()));
        assert!(
            s.text.starts_with("REFUTED: the record claims that"),
            "{}",
            s.text
        );
        assert!(s
            .unmet
            .iter()
            .any(|u| u.id == "E11" && u.status == "failed"));
    }
    assert!(refuted.iter().any(|s| s.text.contains("count of vote")));
}

#[test]
fn changed_ballot_fails_a_ballot_check() {
    let mut files = record_files();
    edit(
        &mut files,
        &format!("rec/votes/{HARM_VOTE}/ballots.txt"),
        |t| {
            let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
            // Flip one hex digit in the middle of the first ballot's encoding
            // (a line is `code ballot [eligibility proof]`).
            let mut fields: Vec<String> = lines[0].split(' ').map(str::to_owned).collect();
            let ballot = &mut fields[1];
            let i = ballot.len() / 2;
            let c = if &ballot[i..=i] == "0" { "1" } else { "0" };
            ballot.replace_range(i..=i, c);
            lines[0] = fields.join(" ");
            lines.join("\n") + "\n"
        },
    );
    let v = verify(&files).unwrap();
    let failed = failed_ids(&v);
    assert!(
        failed.contains(&"E4") || failed.contains(&"E7"),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .all(|id| ["E4", "E7", "E9", "E11"].contains(id)),
        "{failed:?}"
    );
    assert!(v.summary.contains("FAILED"));
}

#[test]
fn missing_files_and_bad_json_are_readable_errors() {
    let mut files = record_files();
    let ballots = format!("rec/votes/{HARM_VOTE}/ballots.txt");
    let without = copy_files(&files, |path| path != ballots);
    let err = verify(&without).unwrap_err();
    assert!(err.contains(&ballots) && err.contains("missing"), "{err}");

    // A record whose content does not decode is a failed record (R1), not
    // an error: a partial write, the assembly record cut in half…
    edit(&mut files, "rec/assembly.json", |t| {
        t[..t.len() / 2].to_owned()
    });
    let v = verify(&files).unwrap();
    assert_malformed(&v, "rec/assembly.json is not a valid record");

    // …and JSON that is not a vote record.
    let mut junk = FileSet::new();
    junk.insert("x/record.json", b"{\"version\": 1}".to_vec());
    let v = verify(&junk).unwrap();
    assert_malformed(&v, "x/record.json is not a valid record");
}

/// R1 failed with `reason`, the only check, the verdict failed.
fn assert_malformed(v: &Verification, reason: &str) {
    assert_eq!(v.verdict, "failed");
    assert!(!v.all_passed);
    assert_eq!(failed_ids(v), ["R1"]);
    assert_eq!(v.failed, 1);
    let r1 = &v.sections[0].checks[0];
    assert_eq!(v.sections[0].title, "Record");
    assert!(
        r1.reason.as_deref().is_some_and(|r| r.contains(reason)),
        "{r1:?}"
    );
}

#[test]
fn a_changed_byte_in_the_encrypted_tally_fails_r1() {
    // Every position of the tally's hex: a changed digit either still
    // decodes (and a check of the vote fails) or fails R1; never an error.
    let files = record_files();
    let json: serde_json::Value = read_json(&files, "rec/assembly.json");
    let tally = json["votes"][0]["record"]["tally"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut r1 = 0;
    for i in (0..tally.len()).step_by(tally.len() / 10) {
        let mut changed = json.clone();
        let mut t = tally.clone().into_bytes();
        t[i] = if t[i] == b'0' { b'1' } else { b'0' };
        changed["votes"][0]["record"]["tally"] = String::from_utf8(t).unwrap().into();
        let mut files = copy_files(&files, |_| true);
        files.insert(
            "rec/assembly.json",
            serde_json::to_vec_pretty(&changed).unwrap(),
        );
        let v = verify(&files).unwrap();
        assert_eq!(v.verdict, "failed", "position {i}");
        if failed_ids(&v) == ["R1"] {
            r1 += 1;
        }
    }
    assert!(r1 > 0);
}

#[test]
fn a_single_vote_folder_verifies_on_its_own() {
    let files = record_files();
    let dir = format!("rec/votes/{HARM_VOTE}/");
    let get = |f: &str| files.get(&format!("{dir}{f}")).unwrap();
    let v = verify_vote_bytes(
        get("record.json"),
        get("ballots.txt"),
        get("challenged.txt"),
        &mut ChaCha20Rng::seed_from_u64(2),
        |_, _, _| {},
    )
    .unwrap();
    assert!(v.all_passed, "{:?}", failed_ids(&v));
    assert_eq!(v.kind, "vote");
    assert_eq!(v.sections.len(), 1);
    assert!(v.sections[0].checks.iter().any(|c| c.id == "E11"));

    // The same folder selected by itself.
    let mut only = FileSet::new();
    for f in ["record.json", "ballots.txt", "challenged.txt"] {
        only.insert(&format!("{HARM_VOTE}/{f}"), get(f).to_vec());
    }
    let v = verify(&only).unwrap();
    assert!(v.all_passed);
    assert_eq!(v.votes[0].name, HARM_VOTE);
}

#[test]
fn without_anchors_the_record_is_consistent_not_passed() {
    let v = verify(&unanchored_files()).unwrap();
    assert!(!v.all_passed);
    assert_eq!(v.verdict, "incomplete");
    assert_eq!(v.failed, 0);
    assert!(v.summary.contains("not anchored"), "{}", v.summary);
    assert_eq!(
        ids_with_status(&v, "not anchored"),
        ["A1", "A2", "A3", "E15", "E15"]
    );
    // No statement is proven that rests on an anchor, and none is refuted.
    let drawn = &v.statements[0];
    assert_eq!(drawn.status, StatementStatus::NotProven);
    assert!(drawn.text.starts_with("NOT PROVEN: "), "{}", drawn.text);
    assert!(
        drawn.text.contains("A1, A2 are not anchored"),
        "{}",
        drawn.text
    );
    // Those resting on an anchor (all but a feature draw's certificate
    // bound, a fact about the quotas alone) are not proven.
    assert!(v
        .statements
        .iter()
        .all(|s| s.status == StatementStatus::NotProven
            || (s.status == StatementStatus::Proven
                && !s
                    .rests_on
                    .iter()
                    .any(|id| id.starts_with('A') || *id == "E15"))));
    assert!(v
        .statements
        .iter()
        .filter(|s| s.rests_on.contains(&"A2"))
        .all(|s| s.status == StatementStatus::NotProven));

    // Another assembly's anchors: A1 fails.
    let mut files = unanchored_files();
    let record: kleroterion::record::AssemblyRecord = read_json(&files, "rec/assembly.json");
    let mut anchors = kleroterion::record::Anchors::of(&record);
    anchors.beacon_chain.0[0] ^= 1;
    files.insert(
        "published/anchors.json",
        serde_json::to_vec(&anchors).unwrap(),
    );
    let v = verify(&files).unwrap();
    assert_eq!(failed_ids(&v), ["A1"]);
}

/// Issue #16, attack 1, in the browser verifier: a vote whose tally (and
/// result) claim 2⁶³ − 2 ballots, its partial decryptions still valid, is
/// rejected at once — E9 failed, E11 not checked — where the page used to
/// hang building a 128 MiB discrete-log table.
#[test]
fn huge_claimed_ballot_count_is_rejected_at_once() {
    let files = record_files();
    let dir = format!("rec/votes/{HARM_VOTE}/");
    let get = |f: &str| files.get(&format!("{dir}{f}")).unwrap().to_vec();
    let claimed: u64 = (1 << 63) - 2;
    let mut record: serde_json::Value = serde_json::from_slice(&get("record.json")).unwrap();
    for key in ["tally", "result"] {
        // Header (2 bytes) and manifest hash (32), then the count.
        let mut bytes = hex::decode(record[key].as_str().unwrap()).unwrap();
        bytes[34..42].copy_from_slice(&claimed.to_le_bytes());
        record[key] = serde_json::Value::String(hex::encode(bytes));
    }
    let start = std::time::Instant::now();
    let v = verify_vote_bytes(
        &serde_json::to_vec(&record).unwrap(),
        &get("ballots.txt"),
        &get("challenged.txt"),
        &mut ChaCha20Rng::seed_from_u64(3),
        |_, _, _| {},
    )
    .unwrap();
    let elapsed = start.elapsed();
    let checks = &v.sections[0].checks;
    let status = |id: &str| checks.iter().find(|c| c.id == id).unwrap().status;
    assert_eq!(v.verdict, "failed");
    assert_eq!(status("E9"), "failed");
    assert_eq!(status("E10"), "ok");
    assert_eq!(status("E11"), "not checked");
    assert!(elapsed.as_secs_f64() < 10.0, "took {elapsed:?}");
}

/// The record of a draw seeded by drand's quicknet round 30662992
/// (`test-vectors/drand-record`), dropped with its anchors as the page
/// receives it: every check passes, and the draw names its drand beacon.
#[test]
fn a_drand_seeded_draw_verifies_in_the_page() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/drand-record");
    let mut files = FileSet::new();
    for name in ["assembly.json", "roll.txt", "anchors.json"] {
        let path = if name == "anchors.json" {
            name.to_string()
        } else {
            format!("drand-record/{name}")
        };
        files.insert(&path, std::fs::read(dir.join(name)).unwrap());
    }
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let v = verify_files(&files, &mut rng, |_, _, _| {}).unwrap();
    assert!(v.all_passed, "{}", v.summary);
    assert_eq!(v.verdict, "passed");
    let draw = v.draw.as_ref().unwrap();
    assert_eq!(draw.beacon_round, 30662992);
    assert_eq!(
        draw.beacon,
        "drand chain 52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
    );
    assert_eq!(draw.delegates, 5);

    // A tampered round signature fails B1 in the page too.
    let mut record: serde_json::Value = read_json(&files, "drand-record/assembly.json");
    let sig = record["beacon"]["rounds"][1]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = format!(
        "{}{}",
        &sig[..20],
        if &sig[20..21] == "0" { "1" } else { "0" }
    );
    record["beacon"]["rounds"][1]["signature"] = serde_json::Value::from(flipped + &sig[21..]);
    files.insert(
        "drand-record/assembly.json",
        serde_json::to_vec(&record).unwrap(),
    );
    let v = verify_files(&files, &mut rng, |_, _, _| {}).unwrap();
    assert!(!v.all_passed);
    let failed = failed_ids(&v);
    assert!(failed.contains(&"B1"), "{failed:?}");
}

/// The pool draw of the conformance kit (spec/pool-draw.md) as the page
/// holds it: passed with its anchors dropped beside it, incomplete without,
/// and a tampered certificate fails P10.
#[test]
fn a_pool_draw_record_verifies_with_its_anchors() {
    let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-vectors/conformance");
    let record = std::fs::read(kit.join("pool-draw/pool-draw.json")).unwrap();
    let anchors = std::fs::read(kit.join("pool-draw.anchors.json")).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut files = FileSet::new();
    files.insert("draw/pool-draw.json", record.clone());
    files.insert("anchors.json", anchors);
    let v = verify_files(&files, &mut rng, |_, _, _| {}).unwrap();
    assert_eq!(
        (v.kind, v.verdict, v.root.as_str()),
        ("pool-draw", "passed", "draw/")
    );
    let titles: Vec<&str> = v.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Anchors", "Beacon", "Pool draw", "Fairness"]);
    assert_eq!(v.total, 21);
    // The statements of spec/record.md §10.1, proven, and the verifier's
    // figures: two panels of a pool of four, everyone at 1/2 = B.
    assert_eq!(v.statements.len(), 6);
    assert!(v
        .statements
        .iter()
        .all(|s| s.status == StatementStatus::Proven));
    let fig = serde_json::to_value(&v.fairness).unwrap();
    let half = serde_json::json!({"num": "1", "den": "2"});
    assert_eq!((&fig["min_probability"], &fig["bound"]), (&half, &half));
    assert_eq!(fig["at_minimum"], 4);

    let mut bare = FileSet::new();
    bare.insert("pool-draw.json", record.clone());
    let v = verify_files(&bare, &mut rng, |_, _, _| {}).unwrap();
    assert_eq!(v.verdict, "incomplete");

    // Another certificate (its gap numerator's first byte changed).
    let mut json: serde_json::Value = serde_json::from_slice(&record).unwrap();
    let cert = json["certificate"].as_str().unwrap().to_string();
    let gap_at = cert.len() - 64;
    let forged = format!("{}01{}", &cert[..gap_at], &cert[gap_at + 2..]);
    json["certificate"] = forged.into();
    files.insert("draw/pool-draw.json", serde_json::to_vec(&json).unwrap());
    let v = verify_files(&files, &mut rng, |_, _, _| {}).unwrap();
    let failed = failed_ids(&v);
    assert_eq!((v.verdict, failed), ("failed", vec!["P10"]));
}
