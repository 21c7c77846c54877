//! Runs the `kleroterion` binary on simulated records: good ones verify,
//! tampered ones fail naming the check, bad input exits 2 with a message,
//! and sharded verification merges to the unsharded verdict. Every JSON
//! the binary writes (reports, shard summaries, anchors) is validated
//! against its schema in spec/schema/ (spec/json.md §7).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{
    code, failed_ids, rational, report_json, run, schema, scratch, statement_with, stderr, stdout,
};
use serde_json::Value;

/// Simulates a small assembly (45 citizens, 9 seats, a 40-ballot
/// consultation) into `dir/record`.
fn simulate(dir: &Path) -> PathBuf {
    let record = dir.join("record");
    let out = run(&[
        "simulate",
        record.to_str().unwrap(),
        "--citizens",
        "45",
        "--seats",
        "9",
        "--strata",
        "3",
        "--reserve",
        "1",
        "--challenged",
        "2",
        "--consultation-ballots",
        "40",
        "--seed",
        "7",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("record written to"));
    // The organiser publishes the anchors; the auditor keeps a copy.
    let anchors = dir.join("anchors.json");
    let out = run(&[
        "anchors",
        record.to_str().unwrap(),
        "-o",
        anchors.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    schema::assert_valid_text(
        "anchors.schema.json",
        &fs::read_to_string(&anchors).unwrap(),
        "kleroterion anchors",
    );
    record
}

/// The published anchors of the record simulated in `path`'s parent.
fn anchors_of(path: &Path) -> String {
    path.parent()
        .unwrap()
        .join("anchors.json")
        .to_str()
        .unwrap()
        .to_string()
}

/// A copy of the record directory `record` beside it, named `name`, to
/// tamper with.
fn copy_of(record: &Path, name: &str) -> PathBuf {
    let to = record.parent().unwrap().join(name);
    copy_dir(record, &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `verify --json` of an assembly record against the published anchors.
fn verify_json(path: &Path) -> (i32, Value) {
    let anchors = anchors_of(path);
    let mut args = vec!["verify", "--json", "--quiet"];
    if path.join("assembly.json").is_file() {
        args.extend(["--anchors", &anchors]);
    }
    args.push(path.to_str().unwrap());
    let out = run(&args);
    (code(&out), report_json(&out))
}

/// Number, id and outcome of every check (reasons may name examples
/// differently when sharded).
fn verdicts(report: &Value) -> Vec<(u64, String, bool)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_u64().unwrap(),
                c["id"].as_str().unwrap().to_string(),
                c["passed"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn simulated_record_verifies_in_text_and_json() {
    let dir = scratch("good");
    let record = simulate(&dir);

    let anchors = anchors_of(&record);
    let out = run(&["verify", record.to_str().unwrap(), "--anchors", &anchors]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    // Anchors A1–A3, beacon B1–B4, draw S1–S17, two delegates' votes of
    // E1–E16 and the consultation's E1–E12, E15, E16.
    assert!(text.contains("all 70 checks passed"), "{text}");
    assert!(text.contains("  33. E9   ok"), "{text}");

    let (status, json) = verify_json(&record);
    assert_eq!(status, 0);
    assert_eq!(json["passed"], true);
    assert_eq!(json["verdict"], "passed");
    assert_eq!(json["total"], 70);
    assert_eq!(json["checks"].as_array().unwrap().len(), 70);

    // Without anchors: consistent, never "passed"; exit 3.
    let out = run(&["verify", record.to_str().unwrap()]);
    assert_eq!(code(&out), 3, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("checks passed\n") && !text.contains("all 70"),
        "{text}"
    );
    assert!(
        text.contains("64 of 70 checks passed, 6 not anchored"),
        "{text}"
    );
    assert!(text.contains("A1   NOT ANCHORED"), "{text}");
    assert!(text.contains("NOT PROVEN"), "{text}");
    let out = run(&["verify", "--json", record.to_str().unwrap()]);
    assert_eq!(code(&out), 3);
    let json = report_json(&out);
    assert_eq!(json["verdict"], "incomplete");
    assert_eq!(json["not_anchored"], 6);
    assert_eq!(json["passed"], false);

    // Another assembly's anchors: the record is not the published one.
    let other = dir.join("other-anchors.json");
    let mut published: Value =
        serde_json::from_str(&fs::read_to_string(&anchors).unwrap()).unwrap();
    published["beacon_chain"] = Value::String("00".repeat(32));
    fs::write(&other, published.to_string()).unwrap();
    let out = run(&[
        "verify",
        "--json",
        "--anchors",
        other.to_str().unwrap(),
        record.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    let json = report_json(&out);
    assert_eq!(failed_ids(&json), ["A1"]);

    // A single vote's directory is a record of its own.
    let vote = record.join("votes/consultation");
    let out = run(&["verify", vote.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("all 11 checks passed"));

    let out = run(&["inspect", record.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("9 delegates"), "{text}");
    assert!(text.contains("ballots: 40 cast"), "{text}");

    let out = run(&[
        "selection",
        "verify",
        record.to_str().unwrap(),
        "--anchors",
        &anchors,
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("all 24 checks passed"),
        "{}",
        stdout(&out)
    );

    // The beacon record on its own.
    let assembly: Value =
        serde_json::from_str(&fs::read_to_string(record.join("assembly.json")).unwrap()).unwrap();
    let beacon = dir.join("beacon.json");
    fs::write(&beacon, assembly["beacon"].to_string()).unwrap();
    schema::assert_valid_text(
        "beacon-record.schema.json",
        &fs::read_to_string(&beacon).unwrap(),
        "a beacon record file",
    );
    for args in [
        &["beacon", "verify", "--json"][..],
        &["selection", "verify", "--json", "--anchors", &anchors][..],
    ] {
        let target = if args[0] == "beacon" {
            &beacon
        } else {
            &record
        };
        let mut args = args.to_vec();
        args.push(target.to_str().unwrap());
        let out = run(&args);
        assert_eq!(code(&out), 0, "{}", stdout(&out));
        schema::assert_valid_text("report.schema.json", &stdout(&out), &args.join(" "));
    }
    let out = run(&["beacon", "verify", beacon.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run(&["verify", beacon.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // A beacon record whose hex does not decode is not valid (R1).
    let hex = assembly["beacon"].as_str().unwrap();
    let cut = dir.join("cut-beacon.json");
    fs::write(&cut, Value::String(hex[..hex.len() / 2].into()).to_string()).unwrap();
    for args in [&["verify"][..], &["beacon", "verify"][..]] {
        let mut args = args.to_vec();
        args.push(cut.to_str().unwrap());
        let out = run(&args);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        assert!(stdout(&out).contains("R1   FAILED"), "{}", stdout(&out));
    }
}

/// Edits `path` (a JSON file) with `f`.
fn edit_json(path: &Path, f: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    f(&mut v);
    fs::write(path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Edits the lines of a text file (a stream of the record) with `f`.
fn edit_lines(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
    let mut lines: Vec<String> = fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    f(&mut lines);
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Swaps the first two counts of a one-contest result (yes and no of a
/// motion): the last 24 bytes of its encoding are its three counts.
fn swap_yes_no(result: &mut Value) {
    let mut bytes = hex::decode(result.as_str().unwrap()).unwrap();
    let n = bytes.len();
    let (yes, rest) = bytes[n - 24..].split_at_mut(8);
    yes.swap_with_slice(&mut rest[..8]);
    *result = Value::String(hex::encode(bytes));
}

#[test]
fn tampered_records_fail_naming_the_check() {
    let dir = scratch("tamper");
    let good = simulate(&dir);

    // One cast ballot changed: its proofs no longer verify.
    let bad = copy_of(&good, "ballot");
    edit_lines(&bad.join("votes/harm-finding/ballots.txt"), |lines| {
        // Fields: code, ballot and (delegates' votes) eligibility proof;
        // the last hex digit of the ballot changes.
        let mut fields: Vec<String> = lines[3].split(' ').map(String::from).collect();
        let ballot = &mut fields[1];
        let flip = if ballot.ends_with('0') { '1' } else { '0' };
        ballot.pop();
        ballot.push(flip);
        lines[3] = fields.join(" ");
    });
    let out = run(&[
        "verify",
        bad.to_str().unwrap(),
        "--anchors",
        &anchors_of(&bad),
    ]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("FAILED"), "{text}");
    assert!(text.contains("ballot #4"), "{text}");
    // E7 names the ballot by its id as well as its line.
    if text.contains("E7   FAILED") {
        assert!(text.contains("ballot #4 (id "), "{text}");
    }
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    assert_eq!(json["passed"], false);
    let failed = failed_ids(&json);
    assert!(
        failed.iter().any(|id| id == "E4" || id == "E7"),
        "{failed:?}"
    );

    // The announced result changed (in both copies of the vote's record).
    let bad = copy_of(&good, "result");
    edit_json(&bad.join("assembly.json"), |v| {
        swap_yes_no(&mut v["votes"][0]["record"]["result"])
    });
    edit_json(&bad.join("votes/harm-finding/record.json"), |v| {
        swap_yes_no(&mut v["result"])
    });
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    assert_eq!(failed_ids(&json), ["E11"]);
    let out = run(&["verify", bad.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(text.contains("E11  FAILED"), "{text}");
    // The reason gives the announced and the decrypted counts.
    assert!(
        text.contains("contest motion, option 0: announced ") && text.contains(", decrypted "),
        "{text}"
    );

    // Only the vote's own record changed: it no longer matches (E12).
    let bad = copy_of(&good, "listing");
    edit_json(&bad.join("votes/harm-finding/record.json"), |v| {
        swap_yes_no(&mut v["result"])
    });
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    assert_eq!(failed_ids(&json), ["E12"]);

    // A partial write: the last ballot line cut short.
    let bad = copy_of(&good, "partial");
    let ballots = bad.join("votes/consultation/ballots.txt");
    let text = fs::read_to_string(&ballots).unwrap();
    fs::write(&ballots, &text[..text.len() - 100]).unwrap();
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    let failed = failed_ids(&json);
    assert!(failed.contains(&"E4".to_string()), "{failed:?}");
    assert!(failed.contains(&"E9".to_string()), "{failed:?}");
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = scratch("bad-input");
    let missing = dir.join("missing");
    let out = run(&["verify", missing.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));

    let garbage = dir.join("garbage.json");
    fs::write(&garbage, "not json at all").unwrap();
    let out = run(&["verify", garbage.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is not a beacon record"));

    let empty = dir.join("empty");
    fs::create_dir_all(&empty).unwrap();
    let out = run(&["verify", empty.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not a record directory"));
    let out = run(&["inspect", empty.to_str().unwrap()]);
    assert_eq!(code(&out), 2);

    // assembly.json given instead of its directory: a usage error that
    // says so (not "not a beacon record").
    let lone = dir.join("lone");
    fs::create_dir_all(&lone).unwrap();
    fs::write(lone.join("assembly.json"), "{}").unwrap();
    for args in [&["verify"][..], &["beacon", "verify"][..]] {
        let mut args = args.to_vec();
        let file = lone.join("assembly.json");
        args.push(file.to_str().unwrap());
        let out = run(&args);
        assert_eq!(code(&out), 2);
        assert!(
            stderr(&out).contains("give the record's directory"),
            "{}",
            stderr(&out)
        );
    }

    let out = run(&["verify", "--shard", "2/2", empty.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let out = run(&["verify", "--shard", "0/0", empty.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("at least 1"), "{}", stderr(&out));
    let out = run(&["merge", garbage.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is not a shard summary"));
    let out = run(&["frobnicate"]);
    assert_eq!(code(&out), 2);
}

/// Verifies `record` in `count` shards by position and merges the
/// summaries.
fn sharded(dir: &Path, record: &Path, count: u64) -> (i32, Value) {
    split(dir, record, count, "position")
}

/// Verifies `record` in `count` shards split `by` (`--shard-by`) and
/// merges the summaries.
fn split(dir: &Path, record: &Path, count: u64, by: &str) -> (i32, Value) {
    let mut files = Vec::new();
    for i in 0..count {
        let file = dir.join(format!("shard-{i}-of-{count}.json"));
        let anchors = anchors_of(record);
        let out = run(&[
            "verify",
            "--quiet",
            "--anchors",
            &anchors,
            "--shard",
            &format!("{i}/{count}"),
            "--shard-by",
            by,
            "--output",
            file.to_str().unwrap(),
            record.to_str().unwrap(),
        ]);
        assert!(code(&out) < 2, "{}", stderr(&out));
        schema::assert_valid_text(
            "shard-summary.schema.json",
            &fs::read_to_string(&file).unwrap(),
            "a shard summary",
        );
        files.push(file.to_str().unwrap().to_string());
    }
    let mut args = vec!["merge".to_string(), "--json".to_string()];
    args.extend(files.iter().rev().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args);
    let json = report_json(&out);

    // An incomplete set is refused.
    if count > 1 {
        let out = run(&["merge", &files[0]]);
        assert_eq!(code(&out), 2);
        assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    }
    (code(&out), json)
}

#[test]
fn shards_merge_to_the_unsharded_verdict() {
    let dir = scratch("shards");
    let good = simulate(&dir);
    let (status, whole) = verify_json(&good);
    assert_eq!(status, 0);
    for count in [2, 3] {
        let (status, merged) = sharded(&dir, &good, count);
        assert_eq!(status, 0, "{merged}");
        assert_eq!(verdicts(&merged), verdicts(&whole));
    }

    // A ballot line repeated: the copy lands in another shard.
    let bad = copy_of(&good, "repeated");
    edit_lines(&bad.join("votes/consultation/ballots.txt"), |lines| {
        lines[6] = lines[5].clone()
    });
    let (status, whole) = verify_json(&bad);
    assert_eq!(status, 1);
    // E11 is not checked once E9 failed (issue #16).
    assert_eq!(failed_ids(&whole), ["E5", "E6", "E9"]);
    let e11: Vec<&Value> = whole["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "E11")
        .collect();
    assert_eq!(e11.last().unwrap()["status"], "not_checked");
    let (status, merged) = sharded(&dir, &bad, 2);
    assert_eq!(status, 1);
    assert_eq!(verdicts(&merged), verdicts(&whole));
    // Split by ballot id, the copy lands in the original's shard.
    for count in [1, 3] {
        let (status, merged) = split(&dir, &bad, count, "id");
        assert_eq!(status, 1);
        assert_eq!(verdicts(&merged), verdicts(&whole));
    }

    // Shards of different records are not merged.
    let s0 = dir.join("shard-0-of-2.json");
    let other = dir.join("other-shard-1.json");
    let out = run(&[
        "verify",
        "--quiet",
        "--shard",
        "1/2",
        "-o",
        other.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    let out = run(&["merge", s0.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("another record"), "{}", stderr(&out));

    // Shards of different splits are not merged.
    let out = run(&[
        "verify",
        "--quiet",
        "--shard",
        "1/2",
        "--shard-by",
        "id",
        "-o",
        other.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    let out = run(&["merge", s0.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("does not belong"), "{}", stderr(&out));
}

/// Issue #16, attack 1, through the CLI: a vote whose tally claims
/// 2⁶³ − 2 ballots (its partial decryptions still verify) is rejected at
/// once — E9 fails naming both counts and E11 is not checked — instead of
/// building a 128 MiB discrete-log table and searching for weeks.
#[test]
fn huge_claimed_ballot_count_is_rejected_at_once() {
    let dir = scratch("huge-count");
    let good = simulate(&dir);
    let vote = dir.join("vote");
    copy_dir(&good.join("votes/consultation"), &vote);
    let claimed: u64 = (1 << 63) - 2;
    edit_json(&vote.join("record.json"), |v| {
        for (key, at) in [("tally", 34), ("result", 34)] {
            // Header (2 bytes) and manifest hash (32), then the count.
            let mut bytes = hex::decode(v[key].as_str().unwrap()).unwrap();
            bytes[at..at + 8].copy_from_slice(&claimed.to_le_bytes());
            v[key] = Value::String(hex::encode(bytes));
        }
    });
    let start = std::time::Instant::now();
    let (status, json) = verify_json(&vote);
    let elapsed = start.elapsed();
    assert_eq!(status, 1);
    let check = |id: &str| {
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert!(check("E9")["reason"]
        .as_str()
        .unwrap()
        .contains(&claimed.to_string()));
    assert_eq!(failed_ids(&json), ["E9"]);
    assert_eq!(check("E10")["status"], "ok");
    assert_eq!(check("E11")["status"], "not_checked", "{}", check("E11"));
    // The whole CLI run, 40 ballots verified, in the test profile; before
    // the fix the table alone took about 50 s.
    assert!(elapsed.as_secs_f64() < 10.0, "took {elapsed:?}");
}

#[test]
fn a_record_that_does_not_decode_fails_r1_with_exit_1() {
    let dir = scratch("malformed");
    let good = simulate(&dir);

    // A partial write: JSON cut short.
    let broken = dir.join("broken");
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join("assembly.json"), "{\"version\": 1, \"beac").unwrap();
    for args in [
        &["verify"][..],
        &["selection", "verify"][..],
        &["beacon", "verify"][..],
    ] {
        let mut args = args.to_vec();
        args.push(broken.to_str().unwrap());
        let out = run(&args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("R1   FAILED"), "{text}");
        assert!(text.contains("assembly.json"), "{text}");
    }
    let (status, json) = verify_json(&broken);
    assert_eq!(status, 1);
    assert_eq!(json["verdict"], "failed");
    assert_eq!(failed_ids(&json), ["R1"]);

    // One changed hex digit of the encrypted tally, at ten positions: the
    // record either fails to decode (R1) or decodes and fails a check of
    // the vote; always a report, JSON printed, exit 1.
    let assembly: Value =
        serde_json::from_str(&fs::read_to_string(good.join("assembly.json")).unwrap()).unwrap();
    let tally = assembly["votes"][0]["record"]["tally"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut r1 = 0;
    for (k, i) in (0..tally.len()).step_by(tally.len() / 10).enumerate() {
        let bad = copy_of(&good, &format!("tally-{k}"));
        edit_json(&bad.join("assembly.json"), |v| {
            let mut t = tally.clone().into_bytes();
            t[i] = if t[i] == b'0' { b'1' } else { b'0' };
            v["votes"][0]["record"]["tally"] = Value::String(String::from_utf8(t).unwrap());
        });
        let (status, json) = verify_json(&bad);
        assert_eq!(status, 1, "position {i}: {json}");
        assert_eq!(json["verdict"], "failed");
        if failed_ids(&json) == ["R1"] {
            r1 += 1;
        }
    }
    assert!(r1 > 0);

    // A vote's own record.json that does not decode.
    let bad = copy_of(&good, "vote-record");
    fs::write(
        bad.join("votes/consultation/record.json"),
        "{\"version\": 1}",
    )
    .unwrap();
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    assert_eq!(failed_ids(&json), ["R1"]);
    let (status, json) = verify_json(&bad.join("votes/consultation"));
    assert_eq!(status, 1);
    assert_eq!(failed_ids(&json), ["R1"]);
}

#[test]
fn beacon_verify_takes_an_assembly_directory() {
    let dir = scratch("beacon-dir");
    let record = simulate(&dir);
    let out = run(&["beacon", "verify", record.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("B1"), "{}", stdout(&out));
}

#[test]
fn roll_and_trustee_failures_name_the_line_and_the_trustee() {
    let dir = scratch("names");
    let good = simulate(&dir);

    // A roll line that does not decode: S15 names its line.
    let bad = copy_of(&good, "roll");
    edit_lines(&bad.join("roll.txt"), |lines| lines[2] = String::from("zz"));
    let out = run(&["verify", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("S15  FAILED"), "{text}");
    assert!(text.contains("roll line 3"), "{text}");

    // A trustee's decryption share changed: E10 names the trustee.
    let bad = copy_of(&good, "share");
    let mut changed = None;
    for file in ["assembly.json", "votes/consultation/record.json"] {
        edit_json(&bad.join(file), |v| {
            let record = if file == "assembly.json" {
                let votes = v["votes"].as_array_mut().unwrap();
                let i = votes
                    .iter()
                    .position(|e| e["name"] == "consultation")
                    .unwrap();
                &mut votes[i]["record"]
            } else {
                v
            };
            let d = &mut record["decryptions"][0];
            let mut bytes = hex::decode(d.as_str().unwrap()).unwrap();
            // The last byte: the end of a share's proof.
            let n = bytes.len();
            bytes[n - 1] ^= 1;
            *d = Value::String(hex::encode(bytes));
            changed = Some(());
        });
    }
    assert!(changed.is_some());
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1, "{json}");
    let e10 = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "E10" && c["passed"] == false)
        .unwrap_or_else(|| panic!("{json}"));
    assert!(
        e10["reason"].as_str().unwrap().contains("trustee "),
        "{e10}"
    );
}

#[test]
fn a_vote_name_that_leaves_the_record_fails_r1() {
    let dir = scratch("vote-name");
    let good = simulate(&dir);
    let bad = copy_of(&good, "traversal");
    edit_json(&bad.join("assembly.json"), |v| {
        v["votes"][0]["name"] = Value::String("../../outside".into())
    });
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1, "{json}");
    assert_eq!(failed_ids(&json), ["R1"]);
}

/// The statements of a `--json` report: (text, status, unmet ids).
fn statements(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["unmet"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["id"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn verify_states_what_it_proved() {
    let dir = scratch("statements");
    let good = simulate(&dir);

    // Anchored: every statement proven, the facts named.
    let (status, json) = verify_json(&good);
    assert_eq!(status, 0);
    let draw = &json["summary"]["draw"];
    assert_eq!(draw["polity"], "health@region-north");
    assert_eq!(draw["assembly"], "health-assembly");
    assert_eq!(draw["roll_size"], 45);
    assert_eq!(draw["delegates"], 9);
    assert_eq!(draw["roll_root"].as_str().unwrap().len(), 64);
    let votes = json["summary"]["votes"].as_array().unwrap();
    assert_eq!(votes.len(), 3);
    assert!(votes.iter().all(|v| v["count_verified"] == true));
    assert_eq!(votes[0]["name"], "harm-finding");
    assert_eq!(votes[0]["contests"][0]["options"][0], "yes");
    let digest = &json["record_digest"];
    assert_eq!(digest["file"], "assembly.json");
    assert_eq!(digest["sha3_256"].as_str().unwrap().len(), 64);
    let all = statements(&json);
    assert!(all.len() > 9, "{all:?}");
    for (text, status, unmet) in &all {
        assert_eq!(status, "proven", "{text}");
        assert!(unmet.is_empty());
        assert!(!text.contains("NOT PROVEN") && !text.contains("REFUTED"));
    }
    let drawn = &json["statements"][0];
    assert!(drawn["text"]
        .as_str()
        .unwrap()
        .contains("9 delegates (and 3 reserves) of health-assembly"));
    let rests: Vec<&str> = drawn["rests_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for id in ["A1", "A2", "B1", "B4", "S1", "S17"] {
        assert!(rests.contains(&id), "{rests:?}");
    }
    assert!(all
        .iter()
        .any(|(t, _, _)| t.contains("were cast by the delegates seated for it")));
    assert!(all
        .iter()
        .any(|(t, _, _)| t.starts_with("Motion \"motion\"")));
    let out = run(&[
        "verify",
        "--quiet",
        good.to_str().unwrap(),
        "--anchors",
        &anchors_of(&good),
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("What this verification establishes:"),
        "{text}"
    );
    assert!(text.contains("Record: assembly.json SHA3-256 "), "{text}");
    assert!(text.contains("  ✓ The 9 delegates"), "{text}");
    // The statements come after the numbered checks.
    assert!(text.find("E16").unwrap() < text.find("What this").unwrap());

    // Without the anchors: not proven, naming the anchors.
    let out = run(&["verify", "--json", "--quiet", good.to_str().unwrap()]);
    assert_ne!(code(&out), 0);
    let json = report_json(&out);
    let all = statements(&json);
    let (text, status, unmet) = &all[0];
    assert_eq!(status, "not_proven");
    assert_eq!(unmet, &["A1", "A2"]);
    assert!(
        text.starts_with("NOT PROVEN: the record claims that the 9 delegates"),
        "{text}"
    );
    assert!(text.contains("A1, A2 are not anchored"), "{text}");
    assert!(all
        .iter()
        .filter(|(t, _, _)| t.contains("count of vote"))
        .all(|(_, s, u)| s == "not_proven" && u.contains(&"E15".to_string())));
    assert!(json["summary"]["votes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["count_verified"] == false));
    let text = stdout(&run(&["verify", "--quiet", good.to_str().unwrap()]));
    assert!(
        text.contains("  ? NOT PROVEN: the record claims that"),
        "{text}"
    );
    assert!(!text.contains("  ✓ The 9 delegates"), "{text}");

    // A tampered result: the count and the motion refuted, never stated.
    let bad = copy_of(&good, "result");
    edit_json(&bad.join("assembly.json"), |v| {
        swap_yes_no(&mut v["votes"][0]["record"]["result"])
    });
    edit_json(&bad.join("votes/harm-finding/record.json"), |v| {
        swap_yes_no(&mut v["result"])
    });
    let (status, json) = verify_json(&bad);
    assert_eq!(status, 1);
    let vote = &json["summary"]["votes"][0];
    assert_eq!(vote["name"], "harm-finding");
    assert_eq!(vote["count_verified"], false);
    assert_eq!(json["summary"]["votes"][1]["count_verified"], true);
    let about = |name: &str| -> Vec<(String, String, Vec<String>)> {
        statements(&json)
            .into_iter()
            .zip(json["statements"].as_array().unwrap())
            .filter(|(_, s)| s["vote"] == name)
            .map(|(s, _)| s)
            .collect()
    };
    let harm = about("harm-finding");
    let count = harm
        .iter()
        .find(|(t, _, _)| t.contains("count of vote"))
        .unwrap();
    assert_eq!(count.1, "refuted");
    assert_eq!(count.2, ["E11"]);
    assert!(
        count
            .0
            .starts_with("REFUTED: the record claims that the count")
            && count.0.contains("but E11 failed"),
        "{}",
        count.0
    );
    let motion = harm
        .iter()
        .find(|(t, _, _)| t.contains("Motion") || t.contains("motion \"motion\""))
        .unwrap();
    assert_eq!(motion.1, "refuted");
    // The ballots were still cast by the delegates: that statement stands.
    assert!(harm
        .iter()
        .any(|(t, s, _)| s == "proven" && t.contains("cast by the delegates")));
    assert!(about("remedy-approval")
        .iter()
        .all(|(_, s, _)| s == "proven"));
    let text = stdout(&run(&[
        "verify",
        "--quiet",
        bad.to_str().unwrap(),
        "--anchors",
        &anchors_of(&bad),
    ]));
    assert!(
        text.contains("  ✗ REFUTED: the record claims that the count of vote \"harm-finding\""),
        "{text}"
    );

    // A vote verified on its own: facts and statements, record.json's digest.
    let (status, json) = verify_json(&good.join("votes/harm-finding"));
    assert_eq!(status, 0);
    assert_eq!(json["record_digest"]["file"], "record.json");
    assert!(json["summary"]["draw"].is_null());
    assert_eq!(json["summary"]["votes"][0]["name"], "harm-finding");
    let all = statements(&json);
    assert!(all.iter().all(|(_, s, _)| s == "proven"), "{all:?}");
    assert!(all[0].0.contains("holders of the record's eligible keys"));
}

/// The drand-seeded record of `test-vectors/drand-record` (a draw seeded by
/// quicknet round 30662992) verifies with `selection verify`, against its
/// anchors and the chain info an auditor fetched from drand.
#[test]
fn selection_verify_checks_a_drand_seeded_draw() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let record = root.join("test-vectors/drand-record");
    let anchors = record.join("anchors.json");
    let vectors: Value =
        serde_json::from_str(&fs::read_to_string(root.join("test-vectors/drand.json")).unwrap())
            .unwrap();
    let dir = scratch("drand");
    let info = |name: &str| {
        let chain = vectors["chains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap();
        let path = dir.join(format!("{name}.json"));
        fs::write(&path, chain["info"].to_string()).unwrap();
        path
    };
    let quicknet = info("quicknet");
    let default = info("default");
    let verify = |extra: &[&str]| {
        let mut args = vec!["selection", "verify", record.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&args)
    };

    let out = verify(&[
        "--anchors",
        anchors.to_str().unwrap(),
        "--drand-chain",
        quicknet.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("drand rounds verify"),
        "{}",
        stdout(&out)
    );

    // Without anchors: consistent only (A1–A3 and S16 not anchored).
    let out = verify(&[]);
    assert_eq!(code(&out), 3, "{}", stdout(&out));
    assert!(stdout(&out).contains("NOT ANCHORED"), "{}", stdout(&out));

    // Under another network's chain info: the rounds do not verify (B1)
    // and the announcement names another chain (B4).
    let out = verify(&[
        "--anchors",
        anchors.to_str().unwrap(),
        "--drand-chain",
        default.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("B1") && text.contains("FAILED"), "{text}");

    // A chain info whose stated hash is not its hash is refused.
    let mut forged: Value = serde_json::from_str(&fs::read_to_string(&quicknet).unwrap()).unwrap();
    forged["period"] = Value::from(30);
    let forged_path = dir.join("forged.json");
    fs::write(&forged_path, forged.to_string()).unwrap();
    let out = verify(&["--drand-chain", forged_path.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("not a valid drand chain info"),
        "{}",
        stderr(&out)
    );

    // The beacon alone.
    let out = run(&["beacon", "verify", record.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn fair_import_and_export_use_the_sortition_foundation_files() {
    use kleroterion::fairness::csv::{read_features, People, PeopleColumns};
    use kleroterion::fairness::{AllocationList, FeatureQuotas};
    use kleroterion::sortition::{
        BeaconOutput, Census, DrawAnnouncement, DrawParams, FeatureLottery, Quotas,
        SelectionRecord, VerifiedRounds,
    };

    let dir = scratch("fair");
    let features = dir.join("features.csv");
    let people = dir.join("people.csv");
    fs::write(&features, common::FEATURES).unwrap();
    fs::write(&people, common::people(12)).unwrap();
    let common = [
        "--features",
        features.to_str().unwrap(),
        "--people",
        people.to_str().unwrap(),
        "--seats",
        "4",
        "--address-columns",
        "Address",
        "--keep",
        "Name",
    ];
    let out_dir = dir.join("roll");
    let mut args = vec!["fair", "import"];
    args.extend(common);
    args.extend(["--out", out_dir.to_str().unwrap()]);
    let out = run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("12 people in 4 cells of 2 features"));
    let roll = fs::read_to_string(out_dir.join("roll.txt")).unwrap();
    assert_eq!(roll.lines().count(), 12);
    let quotas: FeatureQuotas =
        serde_json::from_str(&fs::read_to_string(out_dir.join("quotas.json")).unwrap()).unwrap();

    // The organiser draws from that roll (here with every feasible
    // allocation as the lottery).
    let columns = PeopleColumns {
        id: "id".into(),
        address: vec!["Address".into()],
        keep: vec!["Name".into()],
    };
    let read = People::read(common::people(12).as_bytes(), &quotas, &columns).unwrap();
    assert_eq!(
        read_features(common::FEATURES.as_bytes(), 4, Some("household")).unwrap(),
        quotas
    );
    let cells = quotas.census(read.entries(), &[]).unwrap();
    let list = AllocationList::enumerate(&quotas.problem(&cells).unwrap(), 1000).unwrap();
    let a = DrawAnnouncement {
        polity: kleroterion::civic::PolityId::new("town@uk").unwrap(),
        assembly: kleroterion::civic::AssemblyId::new("town-panel").unwrap(),
        year: 2027,
        roll: kleroterion::roll::roll_digest(read.entries()).unwrap(),
        beacon_chain: kleroterion::sortition::BeaconChain::Kleroterion(kleroterion::roll::Digest(
            [1; 32],
        )),
        beacon_round: 5,
        params: DrawParams::new(
            None,
            Quotas::Features(FeatureLottery::new(quotas.clone(), &list)),
            1,
            vec![],
            None,
        )
        .unwrap(),
    };
    let mut beacon = VerifiedRounds::new();
    beacon.insert_verified(5, BeaconOutput([9; 32]));
    let census = Census::scan(read.entries(), &a.params).unwrap();
    let rec =
        SelectionRecord::create_features(&a, &beacon, &census, &list, || read.entries().iter())
            .unwrap();
    // Every check passes but the fairness certificate's F checks, not
    // checked: this list has no certificate (spec/sortition.md §10.8).
    let report = rec.verify(&a, &beacon);
    assert_eq!(report.failures().count(), 0, "{report}");
    assert!(report
        .checks
        .iter()
        .all(|c| c.passed() || c.id.starts_with('F')));
    let record = dir.join("selection.json");
    fs::write(&record, serde_json::to_string(&rec).unwrap()).unwrap();

    let (selected, remaining) = (dir.join("selected.csv"), dir.join("remaining.csv"));
    let mut args = vec!["fair", "export"];
    args.extend(common);
    args.extend([
        "--record",
        record.to_str().unwrap(),
        "--selected",
        selected.to_str().unwrap(),
        "--remaining",
        remaining.to_str().unwrap(),
    ]);
    let out = run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let selected = fs::read_to_string(&selected).unwrap();
    let lines: Vec<&str> = selected.lines().collect();
    assert_eq!(lines[0], "id,Name,Gender,Age");
    assert_eq!(lines.len(), 5, "four delegates");
    assert_eq!(lines.iter().filter(|l| l.contains(",Female,")).count(), 2);
    // Each delegate's housemate leaves the remaining list with them.
    let remaining = fs::read_to_string(&remaining).unwrap();
    assert_eq!(remaining.lines().count(), 1 + 12 - 4 - 4);

    // Another people file is not the announced roll.
    fs::write(&people, common::people(12).replace("p11,", "p99,")).unwrap();
    let out = run(&args);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not the roll"), "{}", stderr(&out));
}

#[test]
fn simulate_draws_by_features_on_request() {
    let dir = scratch("fair-simulate").join("record");
    let out = run(&[
        "simulate",
        dir.to_str().unwrap(),
        "--features",
        "--citizens",
        "120",
        "--seats",
        "8",
        "--strata",
        "2",
        "--reserve",
        "1",
        "--challenged",
        "1",
        "--seed",
        "3",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&["selection", "verify", dir.to_str().unwrap(), "--json"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let text = report.to_string();
    assert!(text.contains("S22"), "the feature checks ran");
    assert_ne!(code(&out), 1, "{text}");
}

/// A feature draw's fairness figures in `verify` and `selection verify`,
/// text and JSON, are the library's own verdict on the record's list and
/// certificate (spec/record.md §10.1); a certificate edited after the draw
/// fails F4 and the statements on the bound say "not established".
#[test]
fn a_feature_draw_reports_the_verifiers_fairness_figures() {
    use kleroterion::encoding::{Decode, Encode};
    use kleroterion::fairness::{check_lottery, FairnessCertificate, Ratio};
    use kleroterion::record::files::read_assembly_record;

    let dir = scratch("fair-figures");
    let record = dir.join("record");
    let out = run(&[
        "simulate",
        record.to_str().unwrap(),
        "--features",
        "--citizens",
        "120",
        "--seats",
        "8",
        "--strata",
        "2",
        "--reserve",
        "1",
        "--challenged",
        "0",
        "--seed",
        "3",
        "--quiet",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let anchors = dir.join("anchors.json");
    let out = run(&[
        "anchors",
        record.to_str().unwrap(),
        "-o",
        anchors.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // The library's verdict on the record's census (S13 passes: the
    // recorded counts are the roll's), list and certificate.
    let assembly = read_assembly_record(&record).unwrap();
    let features = assembly.announcement.params.features().unwrap();
    let counts: Vec<_> = assembly
        .selection
        .strata
        .iter()
        .map(|s| s.count.clone())
        .collect();
    let problem = features.quotas.problem(&counts).unwrap();
    let lottery = assembly.selection.lottery.as_ref().unwrap();
    let cert = lottery.certificate.clone().unwrap();
    let verdict = check_lottery(&problem, &lottery.allocations, &cert).unwrap();
    let p_min = verdict.min_probability.clone().unwrap();
    let bound = verdict.bound.clone().unwrap();
    let m = u64::from(lottery.allocations.len());
    let at_minimum: u64 = problem
        .cells
        .iter()
        .enumerate()
        .filter(|(c, cell)| {
            Ratio::new(
                lottery.allocations.seats_of(*c).into(),
                (m * cell.eligible).into(),
            ) == Some(p_min.clone())
        })
        .map(|(_, cell)| cell.eligible)
        .sum();
    assert!(at_minimum > 0);

    let verify = |dir: &Path, command: &[&str]| -> (i32, Value) {
        let mut args = command.to_vec();
        args.extend(["--json", "--anchors", anchors.to_str().unwrap()]);
        args.push(dir.to_str().unwrap());
        let out = run(&args);
        (code(&out), report_json(&out))
    };
    for command in [&["verify", "--quiet"][..], &["selection", "verify"]] {
        let (status, report) = verify(&record, command);
        assert_eq!(status, 0, "{command:?}: {report}");
        let fig = &report["fairness"];
        assert_eq!(fig["kind"], "whole_roll");
        assert_eq!(fig["m"], m);
        assert_eq!(fig["people"], 120);
        assert_eq!(fig["min_probability"], rational(&p_min));
        assert_eq!(fig["at_minimum"], at_minimum);
        assert_eq!(fig["bound"], rational(&bound));
        assert_eq!(fig["gap"], rational(&bound.sub(&p_min)));
        let announced = Ratio::new(cert.gap_num.into(), cert.gap_den.into()).unwrap();
        assert_eq!(fig["announced_gap"], rational(&announced));
        for (text, status, _) in statements(&report) {
            assert_eq!(status, "proven", "{command:?}: {text}");
        }
        let chance = statement_with(&report, "nobody's chance");
        assert!(chance["text"]
            .as_str()
            .unwrap()
            .contains(&format!("p_min = {}", p_min.display_exact())));
        assert_eq!(
            chance["rests_on"],
            serde_json::json!(["A2", "S16", "S19", "F2", "F7"])
        );
        let bound_statement = statement_with(&report, "fairness certificate");
        assert_eq!(bound_statement["rests_on"], serde_json::json!(["F4", "F5"]));
        let drawn = statement_with(&report, "drawn by lot");
        assert!(drawn["rests_on"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == "S22"));
    }
    let out = run(&[
        "selection",
        "verify",
        "--anchors",
        anchors.to_str().unwrap(),
        record.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    for needle in [
        format!(
            "p_min = {}, held by {at_minimum} of the 120 eligible citizens",
            p_min.display_exact()
        ),
        format!("B = {}", bound.display_exact()),
        format!("B − p_min = {}", bound.sub(&p_min).display_exact()),
    ] {
        assert!(text.contains(&needle), "{needle}: {text}");
    }

    // A certificate edited after the draw: F4 fails, no bound is shown and
    // the statements resting on it are refuted, "not established"; p_min
    // (F2) still is the verifier's.
    let tampered = dir.join("tampered");
    copy_dir(&record, &tampered);
    edit_json(&tampered.join("assembly.json"), |v| {
        let member = &mut v["selection"]["lottery"]["certificate"];
        let mut c =
            FairnessCertificate::from_bytes(&hex::decode(member.as_str().unwrap()).unwrap())
                .unwrap();
        c.cells[0].weight += 1;
        *member = hex::encode(c.to_bytes()).into();
    });
    for command in [&["verify", "--quiet"][..], &["selection", "verify"]] {
        let (status, report) = verify(&tampered, command);
        assert_eq!(status, 1, "{command:?}");
        assert!(failed_ids(&report).contains(&"F4".to_string()));
        let fig = &report["fairness"];
        assert_eq!(fig["min_probability"], rational(&p_min));
        assert_eq!((&fig["bound"], &fig["gap"]), (&Value::Null, &Value::Null));
        for needle in ["fairness certificate", "announced gap"] {
            let s = statement_with(&report, needle);
            assert_eq!(s["status"], "refuted", "{s}");
            let text = s["text"].as_str().unwrap();
            assert!(text.contains("not established"), "{text}");
            assert!(!text.contains("B = "), "no bound is stated: {text}");
        }
    }
    let out = run(&["selection", "verify", tampered.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(
        text.contains("certificate's bound on any lottery B = not established"),
        "{text}"
    );
}
