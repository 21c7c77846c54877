//! `inspect`: what a record contains, without verifying it.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Result};
use kleroterion::encoding::Decode;
use kleroterion::fairness::{FairnessCertificate, FeatureQuotas, PoolRoster, Ratio};
use kleroterion::record::files::{
    read_assembly_record, read_pool_draw, read_vote_record, ASSEMBLY_FILE, POOL_DRAW_FILE,
    RECORD_FILE,
};
use kleroterion::record::pool::{announcement_hash, PoolDrawRecord};
use kleroterion::record::{AssemblyRecord, ElectionRecord};
use kleroterion::sortition::panel::{PanelAnnouncement, PanelList};

/// Prints the summary of the record at `path` (an assembly, a vote or a
/// pool draw directory, or a pool draw's `pool-draw.json`).
pub fn inspect(path: &Path, out: &mut impl Write) -> Result<()> {
    let pool_file = path.file_name().is_some_and(|n| n == POOL_DRAW_FILE) && path.is_file();
    if pool_file || path.join(POOL_DRAW_FILE).is_file() {
        let dir = if pool_file {
            path.parent().unwrap_or(Path::new("."))
        } else {
            path
        };
        let record = read_pool_draw(dir)?;
        writeln!(out, "pool draw record {} (not verified)", path.display())?;
        pool_draw(&record, out)
    } else if path.join(ASSEMBLY_FILE).is_file() {
        let record = read_assembly_record(path)?;
        writeln!(out, "assembly record {} (not verified)", path.display())?;
        summary(&record, None, out)
    } else if path.join(RECORD_FILE).is_file() {
        let record = read_vote_record(path)?;
        writeln!(out, "vote record {} (not verified)", path.display())?;
        vote(&record, out)
    } else {
        bail!(
            "{} is not a record directory: it has none of {ASSEMBLY_FILE}, {RECORD_FILE} and \
             {POOL_DRAW_FILE}",
            path.display()
        )
    }
}

/// A committed object of a pool draw, or why it does not decode.
fn decoded<T: Decode>(bytes: &[u8]) -> std::result::Result<T, String> {
    T::from_bytes(bytes).map_err(|e| format!("does not decode: {e}"))
}

/// A pool draw: the announcement and everything it commits to (quotas,
/// pool, panels, certificate), the beacon and the pick. The certificate's
/// gap is the record's claim: `fair verify` recomputes the figures.
pub fn pool_draw(record: &PoolDrawRecord, out: &mut impl Write) -> Result<()> {
    match decoded::<PanelAnnouncement>(&record.announcement) {
        Ok(a) => {
            writeln!(
                out,
                "panel lottery {} of polity {}, {}",
                a.assembly, a.polity, a.year
            )?;
            writeln!(
                out,
                "  announcement: hash {}; beacon {}, round {}; m = {} panels",
                hex::encode(announcement_hash(&record.announcement).0),
                a.beacon_chain,
                a.beacon_round,
                a.count
            )?;
        }
        Err(e) => writeln!(out, "  announcement: {e}")?,
    }
    match decoded::<FeatureQuotas>(&record.quotas) {
        Ok(q) => {
            writeln!(
                out,
                "  quotas: {} seats, {} features{}",
                q.seats(),
                q.features().len(),
                q.household()
                    .map_or(String::new(), |h| format!(", one per household ({h})"))
            )?;
            for f in q.features() {
                let categories: Vec<String> = f
                    .categories
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}–{}",
                            String::from_utf8_lossy(&c.value),
                            c.bounds.min,
                            c.bounds.max
                        )
                    })
                    .collect();
                writeln!(out, "    {}: {}", f.label, categories.join(", "))?;
            }
            match decoded::<PoolRoster>(&record.pool) {
                Ok(p) => {
                    let households = p.people().iter().filter(|p| p.household.is_some());
                    write!(out, "  pool: {} volunteers", p.people().len())?;
                    match p.problem(&q) {
                        Ok((problem, _)) => write!(out, " in {} cells", problem.cells.len())?,
                        Err(e) => write!(out, " (no cells under the quotas: {e})")?,
                    }
                    writeln!(out, ", {} with a household", households.count())?;
                }
                Err(e) => writeln!(out, "  pool: {e}")?,
            }
        }
        Err(e) => {
            writeln!(out, "  quotas: {e}")?;
            match decoded::<PoolRoster>(&record.pool) {
                Ok(p) => writeln!(out, "  pool: {} volunteers", p.people().len())?,
                Err(e) => writeln!(out, "  pool: {e}")?,
            }
        }
    }
    match decoded::<PanelList>(&record.panels) {
        Ok(l) => {
            let sizes: Vec<usize> = l.panels().iter().map(Vec::len).collect();
            let (least, most) = (
                sizes.iter().min().copied().unwrap_or(0),
                sizes.iter().max().copied().unwrap_or(0),
            );
            let seats = if least == most {
                format!("{least}")
            } else {
                format!("{least} to {most}")
            };
            writeln!(out, "  panels: {} of {seats} seats", sizes.len())?;
        }
        Err(e) => writeln!(out, "  panels: {e}")?,
    }
    match decoded::<FairnessCertificate>(&record.certificate) {
        Ok(c) => {
            let gap = Ratio::new(c.gap_num.into(), c.gap_den.into())
                .map_or_else(|| String::from("none"), |g| g.display_exact());
            writeln!(
                out,
                "  certificate: {} cell duals, {} features, denominator {}; announced gap {gap} \
                 (its bound B and the lottery's p_min are recomputed by `fair verify`)",
                c.cells.len(),
                c.categories.len(),
                c.denominator
            )?;
        }
        Err(e) => writeln!(out, "  certificate: {e}")?,
    }
    let rounds = record.beacon.rounds();
    writeln!(
        out,
        "  beacon: {} rounds ({}–{}) of {}; round {} output {}",
        rounds.len(),
        rounds.first().copied().unwrap_or(0),
        rounds.last().copied().unwrap_or(0),
        record.beacon.chain(),
        record.beacon_round,
        hex::encode(record.beacon_output.as_bytes())
    )?;
    writeln!(
        out,
        "  picked: panel #{} of {} people",
        record.chosen,
        record.panel.len()
    )?;
    for k in &record.panel {
        writeln!(out, "    {}", hex::encode(k.as_bytes()))?;
    }
    Ok(())
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
