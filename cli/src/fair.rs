//! `kleroterion fair import` and `fair export`: the Sortition Foundation's
//! CSV files (features, people; selected, remaining) to and from a roll and
//! feature quotas (spec/csv.md).

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

/// Runs a `fair` command, printing what it wrote.
pub fn run(command: FairCommand, out: &mut impl Write) -> Result<()> {
    match command {
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
