//! `inspect`: what a record contains, without verifying it.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Result};
use kleroterion::record::files::{
    read_assembly_record, read_vote_record, ASSEMBLY_FILE, RECORD_FILE,
};
use kleroterion::record::{AssemblyRecord, ElectionRecord};

/// Prints the summary of the record at `path` (an assembly or a vote
/// directory).
pub fn inspect(path: &Path, out: &mut impl Write) -> Result<()> {
    if path.join(ASSEMBLY_FILE).is_file() {
        let record = read_assembly_record(path)?;
        writeln!(out, "assembly record {} (not verified)", path.display())?;
        summary(&record, None, out)
    } else if path.join(RECORD_FILE).is_file() {
        let record = read_vote_record(path)?;
        writeln!(out, "vote record {} (not verified)", path.display())?;
        vote(&record, out)
    } else {
        bail!(
            "{} is not a record directory: it has neither {ASSEMBLY_FILE} nor {RECORD_FILE}",
            path.display()
        )
    }
}

/// The assembly: polity, roll, beacon, seats per stratum, then every vote.
pub fn summary(record: &AssemblyRecord, roll: Option<usize>, out: &mut impl Write) -> Result<()> {
    let a = &record.announcement;
    writeln!(
        out,
        "assembly {} of polity {}, {}",
        a.assembly, a.polity, a.year
    )?;
    write!(
        out,
        "  roll: {} citizens, root {}",
        a.roll.size,
        hex::encode(a.roll.root.0)
    )?;
    match roll {
        Some(n) => writeln!(out, " ({n} entries written)")?,
        None => writeln!(out)?,
    }
    let rounds = record.beacon.rounds();
    writeln!(
        out,
        "  beacon: {} rounds ({}–{}) of {}, draw seeded by round {}",
        rounds.len(),
        rounds.first().copied().unwrap_or(0),
        rounds.last().copied().unwrap_or(0),
        record.beacon.chain(),
        a.beacon_round
    )?;
    let strata = &record.selection.strata;
    let seats: usize = strata.iter().map(|s| s.selected.len()).sum();
    let reserve: usize = strata.iter().map(|s| s.reserve.len()).sum();
    writeln!(
        out,
        "  selection: {seats} delegates and {reserve} reserves drawn from {} strata",
        strata.len()
    )?;
    for s in strata {
        writeln!(
            out,
            "    {:<12} {:>4} seats of {:>8} eligible, {} reserves",
            String::from_utf8_lossy(&s.count.value),
            s.selected.len(),
            s.count.eligible,
            s.reserve.len()
        )?;
    }
    for v in &record.votes {
        writeln!(out, "vote {:?}", v.name)?;
        vote(&v.record, out)?;
    }
    Ok(())
}

/// A vote: election, trustees, ballots, and the announced result.
pub fn vote(record: &ElectionRecord, out: &mut impl Write) -> Result<()> {
    let params = &record.trustees.parameters;
    let present: Vec<String> = record
        .decryptions
        .iter()
        .map(|d| d.index().to_string())
        .collect();
    writeln!(out, "  election: {}", record.manifest.election_id())?;
    writeln!(
        out,
        "  trustees: {} with threshold {}; decrypted by {}",
        params.participants(),
        params.threshold(),
        present.join(", ")
    )?;
    writeln!(out, "  ballots: {} cast", record.tally.ballots())?;
    for (contest, result) in record
        .manifest
        .contests()
        .iter()
        .zip(record.result.contests())
    {
        let counts: Vec<String> = contest
            .options()
            .iter()
            .zip(result.counts())
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        write!(
            out,
            "  {:?} contest {:?}: {}",
            contest.kind(),
            contest.id(),
            counts.join(", ")
        )?;
        match result.motion() {
            Some(m) if m.passes => writeln!(out, " → PASSES")?,
            Some(_) => writeln!(out, " → does not pass")?,
            None => writeln!(out)?,
        }
    }
    Ok(())
}
