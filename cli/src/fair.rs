//! `kleroterion fair import` and `fair export`: the Sortition Foundation's
//! CSV files (features, people; selected, remaining) to and from a roll and
//! feature quotas (spec/csv.md). `fair announce`, `fair draw` and `fair
//! verify`: a pool draw (spec/pool-draw.md), from the CSV files to the
//! record and its verification.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use kleroterion::encoding::Encode;
use kleroterion::fairness::csv::{read_features, People, PeopleColumns, HOUSEHOLD_LABEL};
use kleroterion::fairness::FeatureQuotas;
use kleroterion::record::files::{read_assembly_record, ROLL_FILE};
use kleroterion::roll::{roll_digest, CitizenKey};
use kleroterion::sortition::SelectionRecord;

/// The file written next to the roll by `fair import`.
pub const QUOTAS_FILE: &str = "quotas.json";
/// The organiser's file of `fair announce`, read by `fair draw`: the
/// announcement and the objects it commits to (spec/pool-draw.md §4).
pub const ANNOUNCED_FILE: &str = "announced.json";

#[derive(Subcommand)]
pub enum FairCommand {
    /// Read a features file and a people file (the Sortition Foundation's
    /// CSV formats) and write the roll (roll.txt) and the feature quotas
    /// (quotas.json) into a directory.
    Import {
        #[command(flatten)]
        files: CsvFiles,
        /// The directory to write roll.txt and quotas.json into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the selected and remaining people files of a draw.
    Export {
        #[command(flatten)]
        files: CsvFiles,
        /// The draw: an assembly record directory, or a selection record
        /// (JSON).
        #[arg(long, value_name = "PATH")]
        record: PathBuf,
        /// The selected people file to write.
        #[arg(long, value_name = "FILE")]
        selected: PathBuf,
        /// The remaining people file to write.
        #[arg(long, value_name = "FILE")]
        remaining: PathBuf,
    },
    /// Organiser: solve the fair panels of a pool (features and people
    /// CSV files), write the announcement and everything it commits to
    /// (announced.json) and print the anchors to publish before the round.
    #[cfg(feature = "solver")]
    Announce(Box<AnnounceArgs>),
    /// Organiser: pick the panel with the announced round of a beacon
    /// record and write the pool draw record (pool-draw.json).
    Draw {
        /// The directory of `fair announce` (announced.json).
        dir: PathBuf,
        /// The beacon record (JSON, the `beacon` of an assembly record: a
        /// threshold beacon record or drand rounds with their chain info).
        #[arg(long, value_name = "FILE")]
        beacon: PathBuf,
    },
    /// Verify a pool draw record directory (pool-draw.json): anchors,
    /// beacon, the draw and its bindings (P1–P10), fairness (F2–F5, F7).
    Verify {
        /// The record directory.
        dir: PathBuf,
        /// The published anchors (JSON: beacon_chain, announcement and,
        /// for drand, announcement_published), obtained from outside the
        /// record.
        #[arg(long, value_name = "FILE")]
        anchors: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The arguments of `fair announce`.
#[cfg(feature = "solver")]
#[derive(Args)]
pub struct AnnounceArgs {
    #[command(flatten)]
    files: CsvFiles,
    /// Number of panels `m` of the lottery.
    #[arg(long, default_value_t = 100)]
    panels: u32,
    /// The polity (a label).
    #[arg(long)]
    polity: String,
    /// The assembly (a label).
    #[arg(long)]
    assembly: String,
    /// The year.
    #[arg(long)]
    year: u32,
    /// The beacon chain: `kleroterion:<chain id hex>` or
    /// `drand:<chain hash hex>`.
    #[arg(long, value_name = "KIND:HEX")]
    beacon_chain: String,
    /// The beacon round whose output picks the panel (still in the future).
    #[arg(long)]
    round: u64,
    /// The directory to write announced.json into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// `announced.json`: the announcement and the objects it commits to, each
/// as the hex of its canonical encoding (the first five members of
/// pool-draw.json).
#[derive(serde::Serialize, serde::Deserialize)]
struct Announced {
    #[serde(with = "hex_bytes")]
    announcement: Vec<u8>,
    #[serde(with = "hex_bytes")]
    quotas: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pool: Vec<u8>,
    #[serde(with = "hex_bytes")]
    panels: Vec<u8>,
    #[serde(with = "hex_bytes")]
    certificate: Vec<u8>,
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        hex::decode(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// The CSV inputs and how to read them.
#[derive(Args)]
pub struct CsvFiles {
    /// The features file (feature,value,min,max[,min_flex,max_flex]).
    #[arg(long, value_name = "FILE")]
    features: PathBuf,
    /// The people file (an id column and one column per feature).
    #[arg(long, value_name = "FILE")]
    people: PathBuf,
    /// Panel size.
    #[arg(long)]
    seats: u32,
    /// The id column of the people file.
    #[arg(long, default_value = "id")]
    id_column: String,
    /// Address columns: at most one person per household (same values in
    /// all of them), as `check_same_address_columns`.
    #[arg(long, value_delimiter = ',')]
    address_columns: Vec<String>,
    /// Columns copied to the output files, as `columns_to_keep`.
    #[arg(long, value_delimiter = ',')]
    keep: Vec<String>,
}

impl CsvFiles {
    fn read(&self) -> Result<(FeatureQuotas, People)> {
        let household = (!self.address_columns.is_empty()).then_some(HOUSEHOLD_LABEL);
        let features = File::open(&self.features)
            .with_context(|| format!("cannot read {}", self.features.display()))?;
        let quotas = read_features(features, self.seats, household)
            .with_context(|| format!("{} is not a features file", self.features.display()))?;
        let columns = PeopleColumns {
            id: self.id_column.clone(),
            address: self.address_columns.clone(),
            keep: self.keep.clone(),
        };
        let people = File::open(&self.people)
            .with_context(|| format!("cannot read {}", self.people.display()))?;
        let people = People::read(people, &quotas, &columns)
            .with_context(|| format!("{} is not a people file", self.people.display()))?;
        Ok((quotas, people))
    }
}

/// Runs a `fair` command other than `verify`, printing what it wrote.
pub fn run(command: FairCommand, out: &mut impl Write) -> Result<()> {
    match command {
        FairCommand::Verify { .. } => bail!("fair verify is run by the caller"),
        #[cfg(feature = "solver")]
        FairCommand::Announce(args) => announce(*args, out)?,
        FairCommand::Draw { dir, beacon } => draw(&dir, &beacon, out)?,
        FairCommand::Import { files, out: dir } => {
            let (quotas, people) = files.read()?;
            fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let mut w = BufWriter::new(File::create(dir.join(ROLL_FILE))?);
            for e in people.entries() {
                writeln!(w, "{}", hex::encode(e.to_bytes()))?;
            }
            w.flush()?;
            fs::write(
                dir.join(QUOTAS_FILE),
                serde_json::to_string_pretty(&quotas)? + "\n",
            )?;
            let roll = roll_digest(people.entries())?;
            let cells = quotas.census(people.entries(), &[])?;
            writeln!(
                out,
                "{} people in {} cells of {} features; roll root {} (size {}) written to {}",
                roll.size,
                cells.len(),
                quotas.features().len(),
                hex::encode(roll.root.0),
                roll.size,
                dir.display()
            )?;
        }
        FairCommand::Export {
            files,
            record,
            selected,
            remaining,
        } => {
            let (_, people) = files.read()?;
            let selection = read_selection(&record)?;
            if roll_digest(people.entries())? != selection.announcement.roll {
                bail!(
                    "the people file is not the roll of {}: its root differs from the announced one",
                    record.display()
                );
            }
            let mut seated: Vec<(u32, CitizenKey)> = selection
                .strata
                .iter()
                .flat_map(|s| {
                    s.seats
                        .iter()
                        .copied()
                        .zip(s.selected.iter().map(|d| *d.entry.key()))
                })
                .collect();
            seated.sort_by_key(|(seat, _)| *seat);
            let keys: Vec<CitizenKey> = seated.into_iter().map(|(_, k)| k).collect();
            let create =
                |p: &Path| File::create(p).with_context(|| format!("cannot write {}", p.display()));
            people.write_selected(&files.id_column, &keys, create(&selected)?)?;
            people.write_remaining(&files.id_column, &keys, create(&remaining)?)?;
            writeln!(
                out,
                "{} selected written to {}, the remaining people to {}",
                keys.len(),
                selected.display(),
                remaining.display()
            )?;
        }
    }
    Ok(())
}

/// The selection of an assembly record directory or of a selection record
/// file.
fn read_selection(path: &Path) -> Result<SelectionRecord> {
    if path.is_dir() {
        return Ok(read_assembly_record(path)
            .with_context(|| format!("{} is not an assembly record", path.display()))?
            .selection);
    }
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a selection record", path.display()))
}

/// Parses `kleroterion:<hex>` or `drand:<hex>`.
#[cfg(feature = "solver")]
fn beacon_chain(text: &str) -> Result<kleroterion::sortition::BeaconChain> {
    use kleroterion::roll::Digest;
    use kleroterion::sortition::BeaconChain;
    let (kind, id) = text
        .split_once(':')
        .context("--beacon-chain is kleroterion:<hex> or drand:<hex>")?;
    let id: [u8; 32] = hex::decode(id)
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the chain id is 64 hex digits")?;
    match kind {
        "kleroterion" => Ok(BeaconChain::Kleroterion(Digest(id))),
        "drand" => Ok(BeaconChain::Drand(Digest(id))),
        _ => bail!("--beacon-chain is kleroterion:<hex> or drand:<hex>"),
    }
}

#[cfg(feature = "solver")]
fn announce(args: AnnounceArgs, out: &mut impl Write) -> Result<()> {
    use kleroterion::civic::{AssemblyId, PolityId};
    use kleroterion::fairness::solve::fair_panels;
    use kleroterion::fairness::PoolRoster;
    use kleroterion::record::pool::anchors_of;
    use kleroterion::sortition::panel::{PanelAnnouncement, PoolObjects};

    let chain = beacon_chain(&args.beacon_chain)?;
    let (quotas, people) = args.files.read()?;
    let roster = PoolRoster::from_entries(&quotas, people.entries())?;
    let (problem, pool) = roster.problem(&quotas)?;
    let solved = fair_panels(&problem, &pool, args.panels)
        .map_err(|e| anyhow::anyhow!("no fair panels: {e}"))?;
    let objects = PoolObjects {
        quotas: &quotas,
        pool: &roster,
        panels: &solved.list,
        certificate: &solved.certificate,
    };
    let announcement = PanelAnnouncement::new(
        PolityId::new(args.polity)?,
        AssemblyId::new(args.assembly)?,
        args.year,
        chain,
        args.round,
        objects,
    )?;
    let announced = Announced {
        announcement: announcement.to_bytes(),
        quotas: quotas.to_bytes(),
        pool: roster.to_bytes(),
        panels: solved.list.to_bytes(),
        certificate: solved.certificate.to_bytes(),
    };
    fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    fs::write(
        args.out.join(ANNOUNCED_FILE),
        serde_json::to_string_pretty(&announced)? + "\n",
    )?;
    let anchors = anchors_of(&announced.announcement, &chain);
    let p_min = solved
        .verdict
        .min_probability
        .as_ref()
        .map_or_else(|| "?".into(), |p| p.to_string());
    eprintln!(
        "{} people, {} cells, {} panels of {} seats; smallest selection probability {p_min}, gap {}/{}; written to {}",
        roster.people().len(),
        problem.cells.len(),
        args.panels,
        quotas.seats(),
        solved.certificate.gap_num,
        solved.certificate.gap_den,
        args.out.join(ANNOUNCED_FILE).display()
    );
    eprintln!("publish these anchors before round {} (register the announcement hash with an earlier round of a threshold beacon):", args.round);
    writeln!(out, "{}", serde_json::to_string_pretty(&anchors)?)?;
    Ok(())
}

fn draw(dir: &Path, beacon: &Path, out: &mut impl Write) -> Result<()> {
    use kleroterion::encoding::Decode;
    use kleroterion::fairness::{FairnessCertificate, PoolRoster};
    use kleroterion::record::files::{write_pool_draw, POOL_DRAW_FILE};
    use kleroterion::record::pool::PoolDrawRecord;
    use kleroterion::record::AssemblyBeacon;
    use kleroterion::sortition::panel::{PanelAnnouncement, PanelList, PoolObjects};

    let path = dir.join(ANNOUNCED_FILE);
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let a: Announced = serde_json::from_str(&text)
        .with_context(|| format!("{} is not an announced pool draw", path.display()))?;
    let what = |name: &str| format!("{}: {name} does not decode", path.display());
    let announcement =
        PanelAnnouncement::from_bytes(&a.announcement).with_context(|| what("announcement"))?;
    let quotas = FeatureQuotas::from_bytes(&a.quotas).with_context(|| what("quotas"))?;
    let pool = PoolRoster::from_bytes(&a.pool).with_context(|| what("pool"))?;
    let panels = PanelList::from_bytes(&a.panels).with_context(|| what("panels"))?;
    let certificate =
        FairnessCertificate::from_bytes(&a.certificate).with_context(|| what("certificate"))?;
    let text =
        fs::read_to_string(beacon).with_context(|| format!("cannot read {}", beacon.display()))?;
    let beacon_record: AssemblyBeacon = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a beacon record", beacon.display()))?;
    let objects = PoolObjects {
        quotas: &quotas,
        pool: &pool,
        panels: &panels,
        certificate: &certificate,
    };
    let record =
        PoolDrawRecord::draw(&announcement, objects, beacon_record, &mut rand_core::OsRng)?;
    write_pool_draw(dir, &record)?;
    writeln!(
        out,
        "round {} picked panel {} of {}: {} seats; written to {}",
        record.beacon_round,
        record.chosen,
        panels.panels().len(),
        record.panel.len(),
        dir.join(POOL_DRAW_FILE).display()
    )?;
    for k in &record.panel {
        writeln!(out, "  {}", hex::encode(k.as_bytes()))?;
    }
    Ok(())
}
