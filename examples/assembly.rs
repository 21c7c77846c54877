//! The whole life cycle of a citizens' assembly, end to end:
//!
//! 1. 10,000 consenting citizens in 5 regions form the roll, committed by a
//!    Merkle root;
//! 2. a threshold beacon (5 trustees, t = 3) produces the round the draw
//!    named in advance;
//! 3. 150 delegates are drawn by lot with quotas on age band, gender and
//!    region and at most one per household, from the maximin lottery over
//!    400 cell allocations (the solver, feature `solver`, a default
//!    feature) whose fairness certificate bounds how fair any draw could
//!    be; the bound, the recomputed smallest selection probability and the
//!    certificate checks F2, F4, F5, F7 are printed; reserve lists follow;
//! 4. the election trustees (5, t = 3) generate a joint key; the assembly
//!    votes by secret ballot on "does the law allow for harm?", a few ballots
//!    are challenged and opened; the tally is decrypted with two trustees
//!    absent; then the remedy approval vote;
//! 5. the whole public record is written to a directory; its anchors (the
//!    beacon chain id, the announcement hash and each vote's election
//!    anchor, which the organiser publishes outside the record, each before
//!    the event it fixes) are printed and written beside it; the record is
//!    verified against them, and the numbered checks are printed.
//!
//! Run: `cargo run --release --example assembly [-- [--seed N] [<record dir>]]`
//! (default `target/assembly-record`). With `--seed N` the record (and so
//! everything printed but the timings) is the same on every run; without it
//! the randomness is the operating system's. An existing record in the
//! directory is replaced; a directory holding anything else is refused.

use std::path::{Path, PathBuf};
use std::time::Instant;

use kleroterion::fairness::check_lottery;
use kleroterion::record::files::{
    verify_assembly_dir, write_simulation, DirSink, ASSEMBLY_FILE, ROLL_FILE,
};
use kleroterion::record::{Anchoring, Anchors};
use kleroterion::simulate::{simulate_assembly, SimulationParams, HARM_VOTE, REMEDY_VOTE};
use kleroterion::sortition::Census;
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, OsRng, RngCore, SeedableRng};

const USAGE: &str = "usage: assembly [--seed N] [<record dir>]";

fn main() {
    if let Err(e) = try_main() {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = None;
    let mut seed = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let n = args.next().ok_or(USAGE)?;
                seed = Some(n.parse::<u64>().map_err(|_| USAGE)?);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with('-') || dir.is_some() => return Err(USAGE.into()),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir.unwrap_or_else(|| PathBuf::from("target/assembly-record"));
    clear_previous_record(&dir)?;
    match seed {
        Some(seed) => run(&dir, &mut ChaCha20Rng::seed_from_u64(seed)),
        None => run(&dir, &mut OsRng),
    }
}

/// Removes the files of an earlier record in `dir` (assembly.json, roll.txt,
/// votes/), so a run can be repeated; refuses a directory that holds
/// anything else, so that a mistyped path deletes nothing of the user's.
fn clear_previous_record(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(()); // absent: created by the writer
    };
    let names: Vec<_> = entries
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    if names.is_empty() {
        return Ok(());
    }
    let record_files = [ASSEMBLY_FILE, ROLL_FILE, "votes"];
    let is_record = names.iter().any(|n| n == ASSEMBLY_FILE)
        && names
            .iter()
            .all(|n| record_files.iter().any(|f| n.as_os_str() == *f));
    if !is_record {
        return Err(format!(
            "{} is not empty and holds no earlier record: give a new or empty directory",
            dir.display()
        )
        .into());
    }
    std::fs::remove_file(dir.join(ASSEMBLY_FILE))?;
    if dir.join(ROLL_FILE).exists() {
        std::fs::remove_file(dir.join(ROLL_FILE))?;
    }
    if dir.join("votes").exists() {
        std::fs::remove_dir_all(dir.join("votes"))?;
    }
    Ok(())
}

fn run(dir: &Path, rng: &mut (impl RngCore + CryptoRng)) -> Result<(), Box<dyn std::error::Error>> {
    let dir = dir.to_path_buf();
    let params = SimulationParams::default();
    println!("kleroterion: an assembly drawn by lot, deciding by secret ballot\n");

    let start = Instant::now();
    let mut sink = DirSink::new(&dir);
    let sim = simulate_assembly(&params, rng, &mut sink, |_, _| {})?;
    sink.finish()?;
    write_simulation(&dir, &sim)?;
    let record = &sim.record;

    let a = &record.announcement;
    println!(
        "1. Roll     {} consenting citizens of polity {} in {} regions, committed: root {}",
        a.roll.size,
        a.polity.as_str(),
        params.strata,
        short(a.roll.root.0.as_slice()),
    );
    let chain = record.beacon.threshold().ok_or("not a threshold beacon")?;
    let last = chain.rounds.last().ok_or("empty beacon")?;
    println!(
        "2. Beacon   {} trustees (t = {}), chained rounds 1–{}; round {} (named in advance) output {}",
        params.trustees,
        params.threshold,
        last.round(),
        a.beacon_round,
        short(last.output().as_bytes()),
    );
    let selection = &record.selection;
    let delegates: Vec<&kleroterion::roll::RollEntry> = selection
        .strata
        .iter()
        .flat_map(|s| s.selected.iter().map(|d| &d.entry))
        .collect();
    let reserve: usize = selection.strata.iter().map(|s| s.reserve.len()).sum();
    match (a.params.features(), &selection.lottery) {
        (Some(f), Some(lottery)) => {
            let skipped: usize = selection.strata.iter().map(|s| s.skipped.len()).sum();
            println!(
                "3. Draw     {} delegates seated by lot in {} cells of {}: allocation #{} of {} picked by the beacon, \
                 at most one per household ({} passed over), {} citizens on reserve lists",
                delegates.len(),
                selection.strata.len(),
                f.quotas
                    .features()
                    .iter()
                    .map(|f| f.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" × "),
                lottery.pick,
                lottery.allocations.len(),
                skipped,
                reserve
            );
            for feature in f.quotas.features() {
                let counts: Vec<String> = feature
                    .categories
                    .iter()
                    .map(|c| {
                        let n = delegates
                            .iter()
                            .filter(|e| e.attribute(&feature.label) == Some(c.value.as_slice()))
                            .count();
                        format!(
                            "{} {n} (quota {}–{})",
                            String::from_utf8_lossy(&c.value),
                            c.bounds.min,
                            c.bounds.max
                        )
                    })
                    .collect();
                println!("             {:<8} {}", feature.label, counts.join(" · "));
            }
            if let Some(certificate) = &lottery.certificate {
                // What F2, F4, F5 and F7 establish, on the auditor's own census of the roll.
                let census = Census::scan(&sim.roll, &a.params)?;
                let problem = f.quotas.problem(&census.strata)?;
                let verdict = check_lottery(&problem, &lottery.allocations, certificate)?;
                let (Some(p_min), Some(bound)) = (&verdict.min_probability, &verdict.bound) else {
                    return Err("the fairness certificate does not verify".into());
                };
                let gap = certificate.gap_num as f64 / certificate.gap_den as f64;
                let small = |x: f64| {
                    if x == 0.0 {
                        "0".to_string()
                    } else {
                        format!("{x:.1e}")
                    }
                };
                println!(
                    "             fairness everyone is selected with probability ≥ {:.6} (recomputed); \
                     the certificate proves that no lottery can give everyone more than {:.6}: \
                     within {} of the optimum (announced gap {})",
                    p_min.approx(),
                    bound.approx(),
                    small(bound.sub(p_min).approx()),
                    small(gap)
                );
                let checks: Vec<String> = verdict
                    .checks
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.outcome.word()))
                    .collect();
                println!("             checks   {}", checks.join(" · "));
            }
        }
        _ => {
            let seats: Vec<String> = selection
                .strata
                .iter()
                .map(|s| {
                    format!(
                        "{} {}",
                        String::from_utf8_lossy(&s.count.value),
                        s.selected.len()
                    )
                })
                .collect();
            println!(
                "3. Draw     {} delegates seated by lot ({}), {} citizens on reserve lists",
                delegates.len(),
                seats.join(", "),
                reserve
            );
        }
    }
    for r in &record.replacements {
        println!(
            "             before \"{}\": the delegate in seat {} left; the next reserve of the stratum took the seat",
            r.from_vote, r.seat
        );
    }
    for (i, (name, question)) in [
        (HARM_VOTE, "Does the law allow for harm?"),
        (REMEDY_VOTE, "Approve the civil service's remedy?"),
    ]
    .iter()
    .enumerate()
    {
        let vote = record
            .votes
            .iter()
            .find(|v| v.name == *name)
            .ok_or("vote missing")?;
        let m = vote
            .record
            .result
            .contest("motion")
            .and_then(|c| c.motion())
            .ok_or("no motion result")?;
        let present: Vec<String> = vote
            .record
            .decryptions
            .iter()
            .map(|d| d.index().to_string())
            .collect();
        println!(
            "{}. Vote     \"{name}\": {} secret ballots cast, {} challenged and opened; \
             decrypted by trustees {} ({} absent)",
            4 + i,
            vote.record.result.ballots(),
            params.challenged,
            present.join(", "),
            params.absent.len(),
        );
        println!(
            "             {question}  yes {} · no {} · abstain {}  →  {}",
            m.yes,
            m.no,
            m.abstain,
            if m.passes { "PASSES" } else { "FAILS" }
        );
    }
    println!(
        "\nThe public record is in {} (made in {:.1} s). Verifying it as an auditor would:\n",
        dir.display(),
        start.elapsed().as_secs_f64()
    );

    // What the organiser publishes outside the record (spec/anchors.md); an
    // auditor verifies against their own copy.
    let anchors = Anchors::of(record);
    let anchors_path = dir.with_extension("anchors.json");
    std::fs::write(
        &anchors_path,
        serde_json::to_string_pretty(&anchors)? + "\n",
    )?;
    println!(
        "Anchors published outside the record ({}):",
        anchors_path.display()
    );
    println!(
        "   beacon chain id    {}",
        hex::encode(anchors.beacon_chain.0)
    );
    println!(
        "   announcement hash  {}",
        hex::encode(anchors.announcement.0)
    );
    for v in &anchors.votes {
        println!(
            "   vote \"{}\"  manifest {}  trustees {}",
            v.name,
            short(&v.manifest.0),
            short(&v.trustees.0)
        );
    }
    println!();

    let start = Instant::now();
    let report = verify_assembly_dir(&dir, Anchoring::Published(&anchors), &mut OsRng, |_, _| {})?;
    print!("{report}");
    println!("(verified in {:.2} s)", start.elapsed().as_secs_f64());
    if !report.all_passed() {
        std::process::exit(1);
    }
    Ok(())
}

/// The first bytes of a hash, for display.
fn short(bytes: &[u8]) -> String {
    let mut s = hex::encode(bytes.get(..6).unwrap_or(bytes));
    s.push('…');
    s
}
