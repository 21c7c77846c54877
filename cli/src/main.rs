//! `kleroterion`: verify, simulate, inspect and merge the public records of
//! kleroterion assemblies (beacon, draw, votes).
//!
//! Exit status: 0 when every check passed, 1 when a check failed (a record
//! whose files do not decode fails check R1), 2 when the command could not
//! run (usage, missing or unreadable files), 3 when no check failed but some
//! were not checked or not anchored (the record is consistent, not proven).

mod fair;
mod inspect;
mod progress;
mod shard;
mod verdict;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use kleroterion::beacon::drand::DrandChain;
use kleroterion::beacon::threshold::BeaconRecord;
use kleroterion::record::assembly::verify_beacon_record;
use kleroterion::record::files::{
    self, open_roll, read_assembly_record, read_vote_record, record_kind, verify_assembly_dir,
    verify_draw, verify_vote_dir, DirSink, RecordKind, ASSEMBLY_FILE, RECORD_FILE, RECORD_TITLE,
    VOTE_TITLE,
};
use kleroterion::record::shards::ShardSummary;
use kleroterion::record::{Anchoring, Anchors, AssemblyBeacon, Shard};
use kleroterion::report::Verdict as ReportVerdict;
use kleroterion::simulate::{simulate_assembly, SimulationParams};
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRng, OsRng, RngCore, SeedableRng};

use crate::progress::Progress;
use crate::shard::{ShardArg, SplitArg};
use crate::verdict::{RecordDigest, Verdict};
use kleroterion::record::summary::Summary;

#[derive(Parser)]
#[command(
    name = "kleroterion",
    version,
    about = "Verify, simulate and inspect the public records of citizens' assemblies drawn by lot",
    after_help = "Exit status: 0 if every check passed, 1 if a check failed (a record whose files do not decode fails check R1), 2 if the command could not run (usage, missing or unreadable files), 3 if no check failed but some were not checked or not anchored (consistent, not proven)."
)]
struct Cli {
    /// No progress bars.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a record: an assembly directory (assembly.json), a vote
    /// directory (record.json) or a beacon record (JSON file).
    Verify(VerifyArgs),
    /// Merge the shard summaries of `verify --shard i/n` (all n of them)
    /// into the final report.
    Merge {
        /// The shard summaries, in any order.
        #[arg(required = true)]
        summaries: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simulate an assembly's whole life cycle and write its record.
    Simulate(SimulateArgs),
    /// The Sortition Foundation's CSV files: import a features and a
    /// people file as a roll and feature quotas; export a draw's selected
    /// and remaining people. Pool draws: announce the fair panels of a
    /// pool, draw one with a beacon round, verify the record.
    Fair {
        #[command(subcommand)]
        command: fair::FairCommand,
    },
    /// Beacon records.
    Beacon {
        #[command(subcommand)]
        command: BeaconCommand,
    },
    /// Selections (draws) of assemblies.
    Selection {
        #[command(subcommand)]
        command: SelectionCommand,
    },
    /// Print the anchors of an assembly record (JSON): the beacon chain id,
    /// the announcement hash and each vote's election anchor. The organiser
    /// publishes them, each before the event it fixes, outside the record;
    /// auditors verify against their own copy with `verify --anchors`
    /// (spec/anchors.md).
    Anchors {
        /// An assembly record directory.
        dir: PathBuf,
        /// Write the anchors to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Summarise a record (contests, ballots, trustees, result; a pool
    /// draw's announcement, quotas, pool, panels, certificate and pick)
    /// without verifying it.
    Inspect {
        /// An assembly, vote or pool draw directory, or a pool-draw.json.
        path: PathBuf,
    },
}

#[derive(Args)]
struct VerifyArgs {
    /// The record: a directory or a beacon record file.
    path: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// The published anchors (JSON, as `kleroterion anchors` writes them),
    /// obtained from outside the record. Without them an assembly can only
    /// be shown consistent: the anchored checks say "not anchored" and the
    /// exit status is 3.
    #[arg(long, value_name = "FILE")]
    anchors: Option<PathBuf>,
    /// Verify only the ballots at positions ≡ i (mod n) and print a shard
    /// summary (JSON) for `merge`; shard 0 also makes the checks that do
    /// not depend on the ballots. Exits 0 once the summary is written: the
    /// verdict (and its exit status) is `merge`'s.
    #[arg(long, value_name = "i/n")]
    shard: Option<ShardArg>,
    /// With --shard: split the ballots by position in the stream, or by
    /// ballot id (every ballot with one id in one shard, so the summaries
    /// carry no ids and `merge` needs no memory per ballot: the split for
    /// national records, spec/scale-out.md). All shards of one merge must
    /// use the same split.
    #[arg(long, value_enum, default_value_t = SplitArg::Position, requires = "shard")]
    shard_by: SplitArg,
    /// With --shard: write the summary to this file instead of stdout.
    #[arg(long, short, value_name = "FILE", requires = "shard")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct SimulateArgs {
    /// The directory to write the record into (created; must be empty).
    dir: PathBuf,
    /// Consenting citizens on the roll.
    #[arg(long, default_value_t = SimulationParams::default().citizens)]
    citizens: u64,
    /// Seats of the assembly.
    #[arg(long, default_value_t = SimulationParams::default().seats)]
    seats: u32,
    /// Strata (regions) with quotas.
    #[arg(long, default_value_t = SimulationParams::default().strata)]
    strata: u32,
    /// Reserve delegates per stratum.
    #[arg(long, default_value_t = SimulationParams::default().reserve)]
    reserve: u32,
    /// Challenged (opened, not counted) ballots per vote.
    #[arg(long, default_value_t = SimulationParams::default().challenged)]
    challenged: u32,
    /// Ballots of an additional consultation vote of the whole polity
    /// (0: none).
    #[arg(long, default_value_t = 0)]
    consultation_ballots: u64,
    /// Seed for a reproducible simulation (default: OS randomness).
    #[arg(long)]
    seed: Option<u64>,
    /// Draw by gender × age band × region with min/max seats per category
    /// and one delegate per household (spec/sortition.md §10), instead of
    /// seats proportional to regions.
    #[arg(long)]
    features: bool,
}

#[derive(Subcommand)]
enum BeaconCommand {
    /// Verify a beacon record: every round's proofs and links.
    Verify {
        /// An assembly record directory (the beacon record in its
        /// assembly.json), or a beacon record on its own (JSON, the
        /// `beacon` field of assembly.json).
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum SelectionCommand {
    /// Verify an assembly's beacon and draw (and the roll if present),
    /// without the votes.
    Verify {
        /// An assembly record directory.
        dir: PathBuf,
        #[arg(long)]
        json: bool,
        /// The published anchors (see `verify --anchors`).
        #[arg(long, value_name = "FILE")]
        anchors: Option<PathBuf>,
        /// For a draw seeded by drand: the network's chain info as drand
        /// publishes it (`https://api.drand.sh/<chain hash>/info`, JSON),
        /// obtained by the auditor. Its chain hash is checked, and the
        /// record's rounds are verified under it instead of the chain info
        /// the record carries (spec/beacon.md §3).
        #[arg(long, value_name = "FILE")]
        drand_chain: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let progress = Progress::new(cli.quiet);
    match run(cli.command, &progress) {
        Ok(ReportVerdict::Passed) => ExitCode::SUCCESS,
        Ok(ReportVerdict::Failed) => ExitCode::from(1),
        Ok(ReportVerdict::Incomplete) => ExitCode::from(3),
        Err(e) => {
            // A closed pipe (`| head`) is not worth a message.
            let closed_pipe = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
            if !closed_pipe {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}

/// Runs a command: `Ok(verdict)`, or an error that prevented it.
fn run(command: Command, progress: &Progress) -> Result<ReportVerdict> {
    match command {
        Command::Verify(args) => {
            let json = args.json;
            failed_if_malformed(verify(args, progress), json)
        }
        Command::Merge { summaries, json } => {
            let verdict = shard::merge_files(&summaries)?;
            print_verdict(&verdict, json)
        }
        Command::Simulate(args) => simulate(args, progress),
        Command::Fair {
            command: fair::FairCommand::Verify { dir, anchors, json },
        } => {
            let anchors = read_anchors(anchors.as_deref())?;
            let report = files::verify_pool_dir(&dir, anchoring(&anchors), &mut OsRng)
                .with_context(|| format!("{} is not a pool draw record", dir.display()))?;
            let digest = file_digest(&dir, files::POOL_DRAW_FILE);
            // A record that does not decode has the report of R1 alone and
            // no summary.
            let verdict = match files::read_pool_draw(&dir) {
                Ok(record) => Verdict::from(&report)
                    .with_summary(Summary::of_pool_draw(&record, &report), digest),
                Err(_) => Verdict {
                    digest,
                    ..Verdict::from(&report)
                },
            };
            print_verdict(&verdict, json)
        }
        Command::Fair { command } => {
            fair::run(command, &mut std::io::stdout().lock())?;
            Ok(ReportVerdict::Passed)
        }
        Command::Beacon {
            command: BeaconCommand::Verify { file, json },
        } => {
            let verdict = if file.is_dir() {
                read_assembly_record(&file)
                    .with_context(|| not_assembly(&file))
                    .map(|record| beacon_verdict(&record.beacon))
            } else {
                verify_beacon_file(&file)
            };
            failed_if_malformed(verdict.and_then(|v| print_verdict(&v, json)), json)
        }
        Command::Selection {
            command:
                SelectionCommand::Verify {
                    dir,
                    json,
                    anchors,
                    drand_chain,
                },
        } => {
            let anchors = read_anchors(anchors.as_deref())?;
            let drand_chain = drand_chain.as_deref().map(read_drand_chain).transpose()?;
            let verdict = read_assembly_record(&dir)
                .with_context(|| not_assembly(&dir))
                .and_then(|mut record| {
                    if let Some(chain) = drand_chain {
                        match &mut record.beacon {
                            AssemblyBeacon::Drand(b) => b.chain = chain,
                            AssemblyBeacon::Kleroterion(_) => bail!(
                                "{}: the draw is seeded by the threshold beacon, not by drand",
                                dir.display()
                            ),
                        }
                    }
                    let report =
                        verify_draw(&record, anchoring(&anchors), open_roll(&dir), &mut OsRng);
                    let verdict = Verdict::from(&report).with_summary(
                        Summary::of_draw(&record, &report),
                        file_digest(&dir, ASSEMBLY_FILE),
                    );
                    print_verdict(&verdict, json)
                });
            failed_if_malformed(verdict, json)
        }
        Command::Anchors { dir, output } => {
            let record = read_assembly_record(&dir).with_context(|| not_assembly(&dir))?;
            let text = serde_json::to_string_pretty(&Anchors::of(&record))? + "\n";
            match output {
                Some(out) => fs::write(&out, text)
                    .with_context(|| format!("cannot write {}", out.display()))?,
                None => write!(std::io::stdout().lock(), "{text}")?,
            }
            Ok(ReportVerdict::Passed)
        }
        Command::Inspect { path } => {
            inspect::inspect(&path, &mut std::io::stdout().lock())?;
            Ok(ReportVerdict::Passed)
        }
    }
}

/// Reads a drand chain info file and checks its chain hash.
fn read_drand_chain(path: &Path) -> Result<DrandChain> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    DrandChain::from_info_json(&text)
        .with_context(|| format!("{} is not a valid drand chain info", path.display()))
}

/// Reads a published anchors file, if one is given.
fn read_anchors(path: Option<&Path>) -> Result<Option<Anchors>> {
    path.map(|p| -> Result<Anchors> {
        let text = fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not an anchors file", p.display()))
    })
    .transpose()
}

fn anchoring(anchors: &Option<Anchors>) -> Anchoring<'_> {
    anchors
        .as_ref()
        .map_or(Anchoring::Unanchored, Anchoring::Published)
}

/// A record whose file was read but does not decode (JSON that does not
/// parse, a non-canonical encoding, a wrong length) is a failed record, not
/// a command that could not run: its report is check R1 failed with the
/// decoder's error, in JSON too, and the exit status 1.
fn failed_if_malformed(result: Result<ReportVerdict>, json: bool) -> Result<ReportVerdict> {
    let Err(e) = result else { return result };
    match e.downcast_ref::<std::io::Error>() {
        Some(io) if files::is_malformed(io) => print_verdict(
            &Verdict::single(RECORD_TITLE, &files::malformed_report(io)),
            json,
        ),
        _ => Err(e),
    }
}

fn not_assembly(dir: &Path) -> String {
    format!("{} is not an assembly record directory", dir.display())
}

/// What a path given to `verify` holds (the library's `record_kind`), with
/// a hint for a record's file given in place of its directory.
fn kind_of(path: &Path) -> Result<RecordKind> {
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.is_file() {
        not_a_record_file(path)?;
    }
    Ok(record_kind(path)?)
}

fn verify(args: VerifyArgs, progress: &Progress) -> Result<ReportVerdict> {
    let path = &args.path;
    let kind = kind_of(path)?;
    let anchors = read_anchors(args.anchors.as_deref())?;
    if anchors.is_some() && !matches!(kind, RecordKind::Assembly) {
        bail!("--anchors applies to assembly records");
    }
    if let Some(ShardArg(shard)) = args.shard {
        let shard = Shard::split(shard.index(), shard.count(), args.shard_by.into())?;
        let summary = match kind {
            RecordKind::Assembly => {
                let mut bars = progress.assembly(&read_assembly_record(path)?);
                let summary = ShardSummary::of_assembly_dir(
                    path,
                    anchoring(&anchors),
                    shard,
                    &mut OsRng,
                    |v, n| bars.set(v, n),
                )?;
                bars.finish();
                summary
            }
            RecordKind::Vote => {
                let bar = progress.vote(&read_vote_record(path)?);
                let summary =
                    ShardSummary::of_vote_dir(path, shard, &mut OsRng, |n| bar.set_position(n))?;
                bar.finish_and_clear();
                summary
            }
            RecordKind::BeaconFile => bail!("--shard applies to assembly and vote directories"),
        };
        let text = serde_json::to_string(&summary)?;
        match &args.output {
            Some(out) => fs::write(out, text + "\n")
                .with_context(|| format!("cannot write {}", out.display()))?,
            None => writeln!(std::io::stdout().lock(), "{text}")?,
        }
        if let Some(out) = &args.output {
            eprintln!(
                "shard {}/{} written to {}",
                shard.index(),
                shard.count(),
                out.display()
            );
        }
        // The verdict is the merge's: a shard job succeeds once its summary
        // is written.
        return Ok(ReportVerdict::Passed);
    }
    let verdict = match kind {
        RecordKind::Assembly => {
            let record = read_assembly_record(path)?;
            let mut bars = progress.assembly(&record);
            let report =
                verify_assembly_dir(path, anchoring(&anchors), &mut OsRng, |v, n| bars.set(v, n))?;
            bars.finish();
            Verdict::from(&report).with_summary(
                Summary::of_assembly(&record, &report),
                file_digest(path, ASSEMBLY_FILE),
            )
        }
        RecordKind::Vote => {
            let record = read_vote_record(path)?;
            let bar = progress.vote(&record);
            let report = verify_vote_dir(path, &mut OsRng, |n| bar.set_position(n))?;
            bar.finish_and_clear();
            let name = path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| String::from("vote"));
            Verdict::single(VOTE_TITLE, &report).with_summary(
                Summary::of_vote(&name, &record, &report),
                file_digest(path, RECORD_FILE),
            )
        }
        RecordKind::BeaconFile => verify_beacon_file(path)?,
    };
    print_verdict(&verdict, args.json)
}

/// The SHA3-256 of the bytes of `file` in the record directory `path`
/// (the very bytes just verified), or `None` if it cannot be read again.
fn file_digest(path: &Path, file: &str) -> Option<RecordDigest> {
    Some(RecordDigest {
        file: file.to_owned(),
        sha3_256: files::file_digest(path, file).ok()?,
    })
}

/// `assembly.json` or `record.json` given where its directory is meant.
fn not_a_record_file(path: &Path) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str());
    if let Some(name @ (ASSEMBLY_FILE | RECORD_FILE)) = name {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        bail!(
            "{} is a file of a record, read with the files beside it: give the record's \
             directory instead ({name} is in {})",
            path.display(),
            dir.display()
        );
    }
    Ok(())
}

fn verify_beacon_file(path: &Path) -> Result<Verdict> {
    not_a_record_file(path)?;
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    // A beacon record is a JSON string of hex (its canonical encoding): a
    // file that is not one is not a beacon record (exit 2); one whose hex
    // does not decode is a beacon record that is not valid (R1, exit 1).
    let value: serde_json::Value = serde_json::from_str(&text)
        .ok()
        .filter(serde_json::Value::is_string)
        .with_context(|| {
            format!(
                "{} is not a beacon record (a JSON string of hex, as under \"beacon\" in assembly.json)",
                path.display()
            )
        })?;
    let record: BeaconRecord = serde_json::from_value(value).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    Ok(beacon_verdict(&AssemblyBeacon::Kleroterion(record)))
}

/// Check B1 of a beacon: a threshold chain or drand rounds.
fn beacon_verdict(beacon: &AssemblyBeacon) -> Verdict {
    Verdict::single("Beacon", &verify_beacon_record(beacon, &mut OsRng).0)
}

fn print_verdict(verdict: &Verdict, json: bool) -> Result<ReportVerdict> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &verdict.to_json())?;
        writeln!(out)?;
    } else {
        writeln!(out, "{verdict}")?;
    }
    Ok(verdict.outcome())
}

fn simulate(args: SimulateArgs, progress: &Progress) -> Result<ReportVerdict> {
    let params = SimulationParams {
        citizens: args.citizens,
        strata: args.strata,
        seats: args.seats,
        reserve: args.reserve,
        challenged: args.challenged,
        consultation_ballots: args.consultation_ballots,
        features: args.features,
        ..SimulationParams::default()
    };
    if fs::read_dir(&args.dir).is_ok_and(|mut d| d.next().is_some()) {
        bail!("{} exists and is not empty", args.dir.display());
    }
    match args.seed {
        Some(seed) => simulate_with(
            &params,
            &args.dir,
            &mut ChaCha20Rng::seed_from_u64(seed),
            progress,
        ),
        None => simulate_with(&params, &args.dir, &mut OsRng, progress),
    }
}

fn simulate_with<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    dir: &Path,
    rng: &mut R,
    progress: &Progress,
) -> Result<ReportVerdict> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut sink = DirSink::new(dir);
    let bar = progress.stages();
    let sim = simulate_assembly(params, rng, &mut sink, |stage, n| {
        bar.set_message(if n == 0 {
            stage.to_string()
        } else {
            format!("{stage} {n}")
        })
    })
    .context("simulation failed")?;
    bar.finish_and_clear();
    sink.finish()?;
    files::write_simulation(dir, &sim)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "record written to {}", dir.display())?;
    inspect::summary(&sim.record, Some(sim.roll.len()), &mut out)?;
    Ok(ReportVerdict::Passed)
}
