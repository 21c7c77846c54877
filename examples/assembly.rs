//! The whole life cycle of a citizens' assembly, end to end:
//!
//! 1. 10,000 consenting citizens in 5 regions form the roll, committed by a
//!    Merkle root;
//! 2. a threshold beacon (5 trustees, t = 3) produces the round the draw
//!    named in advance;
//! 3. 150 delegates are drawn by lot with regional quotas and reserve lists;
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
//! Run: `cargo run --release --example assembly [-- <record dir>]`
//! (default `target/assembly-record`).

use std::path::PathBuf;
use std::time::Instant;

use kleroterion::record::files::{verify_assembly_dir, write_simulation, DirSink};
use kleroterion::record::{Anchoring, Anchors};
use kleroterion::simulate::{simulate_assembly, SimulationParams, HARM_VOTE, REMEDY_VOTE};
use rand_core::OsRng;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/assembly-record"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    let params = SimulationParams::default();
    println!("kleroterion: an assembly drawn by lot, deciding by secret ballot\n");

    let start = Instant::now();
    let mut sink = DirSink::new(&dir);
    let sim = simulate_assembly(&params, &mut OsRng, &mut sink, |_, _| {})?;
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
    let chain = &record.beacon;
    let last = chain.rounds.last().ok_or("empty beacon")?;
    println!(
        "2. Beacon   {} trustees (t = {}), chained rounds 1–{}; round {} (named in advance) output {}",
        params.trustees,
        params.threshold,
        last.round(),
        a.beacon_round,
        short(last.output().as_bytes()),
    );
    let seats: Vec<String> = record
        .selection
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
    let reserve: usize = record
        .selection
        .strata
        .iter()
        .map(|s| s.reserve.len())
        .sum();
    println!(
        "3. Draw     {} delegates seated by lot ({}), {} citizens on reserve lists",
        record
            .selection
            .strata
            .iter()
            .map(|s| s.selected.len())
            .sum::<usize>(),
        seats.join(", "),
        reserve
    );
    for r in &record.replacements {
        println!(
            "             before \"{}\": the delegate in seat {} left ({}); the next reserve of the stratum took the seat",
            r.from_vote, r.seat, r.reason
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
