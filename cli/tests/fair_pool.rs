//! A pool draw end to end with the `kleroterion` binary (spec/pool-draw.md):
//! `fair announce` solves the fair panels of a small pool from the
//! Sortition Foundation's CSV files and prints the anchors, `fair draw`
//! picks a panel with a real drand round, and `fair verify` passes the
//! record against the anchors, in text and JSON; a tampered certificate,
//! panel list, quota or pool fails its named check with exit status 1.
#![cfg(feature = "solver")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{
    code, failed_ids, people, rational, report_json, run, schema, scratch, statement_with, text,
    FEATURES,
};
use kleroterion::encoding::{Decode, Encode};
use kleroterion::fairness::{check_panels, FairnessCertificate, FeatureQuotas, PoolRoster, Ratio};
use kleroterion::sortition::panel::PanelList;
use serde_json::Value;

/// The quicknet round of `test-vectors/drand-record` and a publication
/// time a day before it was due.
const ROUND: &str = "30662992";
const PUBLISHED: u64 = 1784705940;

/// Announces and draws a pool draw into `dir/record`; returns the record
/// directory and the auditor's anchors file.
fn announce_and_draw(dir: &Path) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let assembly: Value = serde_json::from_str(
        &fs::read_to_string(root.join("test-vectors/drand-record/assembly.json")).unwrap(),
    )
    .unwrap();
    let beacon = dir.join("beacon.json");
    fs::write(&beacon, assembly["beacon"].to_string()).unwrap();
    let chain = format!(
        "drand:{}",
        assembly["beacon"]["chain"]["chain_hash"].as_str().unwrap()
    );
    let features = dir.join("features.csv");
    let people_file = dir.join("people.csv");
    fs::write(&features, FEATURES).unwrap();
    fs::write(&people_file, people(16)).unwrap();
    let record = dir.join("record");
    let out = run(&[
        "fair",
        "announce",
        "--features",
        features.to_str().unwrap(),
        "--people",
        people_file.to_str().unwrap(),
        "--seats",
        "4",
        "--address-columns",
        "Address",
        "--panels",
        "12",
        "--polity",
        "health@region-north",
        "--assembly",
        "pool-panel-2027",
        "--year",
        "2027",
        "--beacon-chain",
        &chain,
        "--round",
        ROUND,
        "--out",
        record.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // The anchors on stdout, which the organiser publishes; the auditor's
    // copy adds when the announcement was published.
    let mut anchors: Value = serde_json::from_slice(&out.stdout).expect("anchors on stdout");
    schema::assert_valid("anchors.schema.json", &anchors, "fair announce's anchors");
    anchors["announcement_published"] = PUBLISHED.into();
    let anchors_file = dir.join("anchors.json");
    fs::write(&anchors_file, anchors.to_string()).unwrap();

    let out = run(&[
        "fair",
        "draw",
        record.to_str().unwrap(),
        "--beacon",
        beacon.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains(&format!("round {ROUND} picked panel")),
        "{}",
        text(&out)
    );
    (record, anchors_file)
}

fn verify(record: &Path, anchors: Option<&Path>) -> (i32, Value) {
    let mut args = vec!["fair", "verify", "--json", record.to_str().unwrap()];
    if let Some(a) = anchors {
        args.extend(["--anchors", a.to_str().unwrap()]);
    }
    let out = run(&args);
    (code(&out), report_json(&out))
}

/// Rewrites member `name` of pool-draw.json (the hex of an encoding) with
/// `f` applied to the decoded value.
fn edit_member<T: Decode + Encode>(record: &Path, name: &str, f: impl FnOnce(T) -> T) {
    let path = record.join("pool-draw.json");
    let mut json: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let bytes = hex::decode(json[name].as_str().unwrap()).unwrap();
    let value = f(T::from_bytes(&bytes).unwrap());
    json[name] = hex::encode(value.to_bytes()).into();
    fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}

/// The figures of `fair verify` (JSON `report`, text `shown`) are the
/// library's verdict on the record's committed objects, and every
/// statement is proven (spec/record.md §10.1).
fn the_figures_are_the_librarys(record: &Path, report: &Value, shown: &str) {
    let json: Value =
        serde_json::from_str(&fs::read_to_string(record.join("pool-draw.json")).unwrap()).unwrap();
    let member = |name: &str| hex::decode(json[name].as_str().unwrap()).unwrap();
    let quotas = FeatureQuotas::from_bytes(&member("quotas")).unwrap();
    let roster = PoolRoster::from_bytes(&member("pool")).unwrap();
    let list = PanelList::from_bytes(&member("panels")).unwrap();
    let cert = FairnessCertificate::from_bytes(&member("certificate")).unwrap();
    let (problem, pool) = roster.problem(&quotas).unwrap();
    let verdict = check_panels(&problem, &pool, &list, &cert).unwrap();
    let p_min = verdict.min_probability.clone().unwrap();
    let bound = verdict.bound.clone().unwrap();
    let m = list.panels().len() as u64;
    let at_minimum = pool
        .people
        .iter()
        .filter(|p| {
            let n = list.panels().iter().filter(|l| l.contains(&p.key)).count() as u64;
            Ratio::new(n.into(), m.into()) == Some(p_min.clone())
        })
        .count() as u64;
    let fig = &report["fairness"];
    assert_eq!(fig["kind"], "pool");
    assert_eq!((&fig["m"], &fig["people"]), (&m.into(), &16.into()));
    assert_eq!(fig["min_probability"], rational(&p_min));
    assert_eq!(fig["at_minimum"], at_minimum);
    assert_eq!(fig["bound"], rational(&bound));
    assert_eq!(fig["gap"], rational(&bound.sub(&p_min)));
    let announced = Ratio::new(cert.gap_num.into(), cert.gap_den.into()).unwrap();
    assert_eq!(fig["announced_gap"], rational(&announced));
    let statements = report["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 6);
    assert!(
        statements.iter().all(|s| s["status"] == "proven"),
        "{report}"
    );
    let quotas_statement = statement_with(report, "meets the quotas");
    assert_eq!(
        quotas_statement["rests_on"],
        serde_json::json!(["A2", "P4", "P8", "P9", "F2", "F3"])
    );
    assert_eq!(report["summary"]["pool_draw"]["pool_size"], 16);
    assert_eq!(report["summary"]["pool_draw"]["panels"], m);
    for needle in [
        format!(
            "p_min = {}, held by {at_minimum} of the 16 volunteers",
            p_min.display_exact()
        ),
        format!("B = {}", bound.display_exact()),
        format!("announced gap g = {}", announced.display_exact()),
        String::from("✓ Every one of the"),
    ] {
        assert!(shown.contains(&needle), "{needle}: {shown}");
    }
    // `inspect` shows what the record holds, unverified.
    let out = run(&["inspect", record.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let inspected = text(&out);
    for needle in [
        "pool draw record",
        "panel lottery pool-panel-2027 of polity health@region-north, 2027",
        &format!("m = {m} panels"),
        "quotas: 4 seats, 2 features, one per household",
        "Gender: Female 2–2, Male 2–2",
        "pool: 16 volunteers in 4 cells, 16 with a household",
        &format!("panels: {m} of 4 seats"),
        &format!("announced gap {}", announced.display_exact()),
        "picked: panel #",
    ] {
        assert!(inspected.contains(needle), "{needle}: {inspected}");
    }
    let file = run(&["inspect", record.join("pool-draw.json").to_str().unwrap()]);
    assert_eq!(code(&file), 0, "{}", text(&file));
}

#[test]
fn a_pool_draw_announced_drawn_and_verified_by_the_cli() {
    let dir = scratch("honest");
    let (record, anchors) = announce_and_draw(&dir);
    let pool_draw: Value =
        serde_json::from_str(&fs::read_to_string(record.join("pool-draw.json")).unwrap()).unwrap();
    schema::assert_valid("pool-draw.schema.json", &pool_draw, "pool-draw.json");

    // Text: the numbered checks in their sections, exit 0.
    let out = run(&[
        "fair",
        "verify",
        record.to_str().unwrap(),
        "--anchors",
        anchors.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let shown = text(&out);
    for needle in [
        "Anchors",
        "Beacon",
        "Pool draw",
        "Fairness",
        "P10",
        "F7",
        "all 21 checks passed",
    ] {
        assert!(shown.contains(needle), "{needle}: {shown}");
    }
    let (status, json) = verify(&record, Some(&anchors));
    assert_eq!(status, 0);
    assert_eq!(json["total"], 21);
    the_figures_are_the_librarys(&record, &json, &shown);
    // Without anchors: consistent, not proven (exit 3).
    let (status, json) = verify(&record, None);
    assert_eq!(status, 3);
    assert_eq!(json["not_anchored"], 3);
}

#[test]
fn tampered_pool_draw_files_fail_their_named_check() {
    let dir = scratch("tampered");
    let (honest, anchors) = announce_and_draw(&dir);
    let copy = |name: &str| {
        let to = dir.join(name);
        fs::create_dir_all(&to).unwrap();
        fs::copy(honest.join("pool-draw.json"), to.join("pool-draw.json")).unwrap();
        to
    };

    let r = copy("certificate");
    edit_member::<FairnessCertificate>(&r, "certificate", |mut c| {
        c.gap_num = c.gap_num.saturating_mul(2).saturating_add(1);
        c
    });
    let (status, json) = verify(&r, Some(&anchors));
    assert_eq!((status, failed_ids(&json)), (1, vec!["P10".to_string()]));
    // Not the committed certificate: the fairness checks are not made, no
    // figure is established, the statements on the certificate are refuted
    // (P10) and the one on p_min is not proven.
    for figure in ["m", "min_probability", "at_minimum", "bound", "gap"] {
        assert_eq!(json["fairness"][figure], Value::Null, "{figure}");
    }
    for (needle, status) in [
        ("nobody's chance", "not_proven"),
        ("fairness certificate", "refuted"),
        ("announced gap", "refuted"),
    ] {
        let s = statement_with(&json, needle);
        assert_eq!(s["status"], status, "{s}");
        let text = s["text"].as_str().unwrap();
        assert!(text.ends_with("this is not established."), "{text}");
        assert!(!text.contains(" = "), "no figure is stated: {text}");
        if status == "refuted" {
            assert!(text.contains("P10 failed"), "{text}");
        }
    }
    let shown = text(&run(&["fair", "verify", r.to_str().unwrap()]));
    assert!(
        shown.contains("smallest selection probability p_min = not established"),
        "{shown}"
    );

    let r = copy("panels");
    edit_member::<PanelList>(&r, "panels", |l| {
        let mut panels = l.panels().to_vec();
        panels.reverse();
        panels.push(panels[0].clone());
        PanelList::new(panels).unwrap()
    });
    let (status, json) = verify(&r, Some(&anchors));
    assert_eq!((status, failed_ids(&json)), (1, vec!["P4".to_string()]));

    let r = copy("quotas");
    edit_member::<FeatureQuotas>(&r, "quotas", |q| {
        let mut features = q.features().to_vec();
        features[1].categories[0].bounds.max = 4;
        FeatureQuotas::new(q.seats(), features, q.household().map(String::from)).unwrap()
    });
    let (status, json) = verify(&r, Some(&anchors));
    assert_eq!((status, failed_ids(&json)), (1, vec!["P8".to_string()]));

    let r = copy("pool");
    edit_member::<PoolRoster>(&r, "pool", |p| {
        let mut people = p.people().to_vec();
        people.pop();
        PoolRoster::new(p.features(), people).unwrap()
    });
    let (status, json) = verify(&r, Some(&anchors));
    assert_eq!((status, failed_ids(&json)), (1, vec!["P9".to_string()]));

    // Another publication time, too late: P7.
    let mut late: Value = serde_json::from_str(&fs::read_to_string(&anchors).unwrap()).unwrap();
    late["announcement_published"] = (1784792340u64 - 100).into();
    let late_file = dir.join("late.json");
    fs::write(&late_file, late.to_string()).unwrap();
    let (status, json) = verify(&honest, Some(&late_file));
    assert_eq!((status, failed_ids(&json)), (1, vec!["P7".to_string()]));

    // A cut file: R1, exit 1.
    let r = copy("cut");
    let path = r.join("pool-draw.json");
    let text_ = fs::read_to_string(&path).unwrap();
    fs::write(&path, &text_[..text_.len() / 3]).unwrap();
    let (status, json) = verify(&r, Some(&anchors));
    assert_eq!((status, failed_ids(&json)), (1, vec!["R1".to_string()]));

    // A missing directory: exit 2 with a message.
    let out = run(&["fair", "verify", dir.join("nothing").to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", text(&out));
}
