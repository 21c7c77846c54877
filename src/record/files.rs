//! Records on disk and in any byte stream (spec/record.md §7): JSON for the
//! small parts, one line per ballot or roll entry for the streams, so that
//! a verifier reads a million-ballot record with bounded memory.
//!
//! ```text
//! <dir>/assembly.json             AssemblyRecord
//! <dir>/roll.txt                  hex(RollEntry) per line, canonical order (optional)
//! <dir>/votes/<name>/record.json  ElectionRecord
//! <dir>/votes/<name>/ballots.txt  BallotLine per line, in casting order
//! <dir>/votes/<name>/challenged.txt  hex(ChallengedBallot) per line
//! ```
//!
//! A single vote's directory (`record.json`, `ballots.txt`,
//! `challenged.txt`) is also a record on its own.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rand_core::{CryptoRng, RngCore};

use super::anchor::Anchoring;
use super::assembly::{
    registered_before, verify_anchors, verify_beacon, AssemblyRecord, AssemblyReport,
};
use super::pool::PoolDrawRecord;
use super::seats::{check_electorate, SeatPlan};
use super::{BallotChecks, BallotLine, ElectionRecord, RecordVerifier, Shard, ShardBy};
use crate::beacon::{BeaconSource, VerifiedRounds};
use crate::encoding::{Decode, Encode};
use crate::fairness::{FairnessFigures, LotteryKind, LOTTERY_CHECKS};
use crate::report::{Outcome, Report};
use crate::roll::RollEntry;
use crate::simulate::{RecordSink, Simulation};
use crate::sortition::{ROLL_CHECKS, S15};
use alloc::collections::BTreeMap;

/// File name of the assembly record.
pub const ASSEMBLY_FILE: &str = "assembly.json";
/// File name of the roll stream.
pub const ROLL_FILE: &str = "roll.txt";
/// File name of a vote's record.
pub const RECORD_FILE: &str = "record.json";
/// File name of a vote's cast-ballot stream.
pub const BALLOTS_FILE: &str = "ballots.txt";
/// File name of a vote's challenged-ballot stream.
pub const CHALLENGED_FILE: &str = "challenged.txt";
/// File name of a pool draw record (spec/pool-draw.md §4).
pub const POOL_DRAW_FILE: &str = "pool-draw.json";

fn invalid(e: impl core::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{e}"))
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    serde_json::to_writer_pretty(&mut w, value).map_err(invalid)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Reads a record's JSON file: an error of kind
/// [`io::ErrorKind::InvalidData`] when the file was read but is not a valid
/// record (see [`is_malformed`]), of another kind when it could not be read.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> io::Result<T> {
    let file = File::open(path).map_err(|e| with_path(path, e))?;
    serde_json::from_reader(BufReader::new(file)).map_err(|e| {
        let kind = match e.io_error_kind() {
            Some(kind) => kind,
            None => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, format!("{}: {e}", path.display()))
    })
}

/// Check R1 (spec/record.md §4): the record's JSON files decode, every
/// encoding in them canonical.
pub const R1: &str = "the record's files decode (JSON, every encoding canonical)";

/// Whether an error of this module's readers and verifiers means that a
/// record's file was read but its content is not a valid record (JSON that
/// does not parse, a field whose encoding is not canonical, a wrong length):
/// a failed record (check R1, [`malformed_report`]), not a record that could
/// not be read.
pub fn is_malformed(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidData
}

/// The report of a record whose file does not decode: check R1, failed with
/// the decoder's error.
pub fn malformed_report(e: &io::Error) -> Report {
    let mut r = Report::new();
    r.record("R1", R1, Err(e));
    r
}

fn with_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Section title of a single vote's report (a vote directory verified on
/// its own).
pub const VOTE_TITLE: &str = "Vote";
/// Section title of the report of a record whose file does not decode
/// ([`malformed_report`]).
pub const RECORD_TITLE: &str = "Record";

/// What a path holds, as a verifier decides before reading it: an assembly
/// record directory (it has [`ASSEMBLY_FILE`]), a single vote's directory
/// (it has [`RECORD_FILE`]) or a file, which can only be a beacon record
/// on its own (JSON, what `assembly.json` holds under `"beacon"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// A directory with `assembly.json`.
    Assembly,
    /// A directory with `record.json` (and no `assembly.json`).
    Vote,
    /// A file: a beacon record.
    BeaconFile,
}

/// The kind of record at `path`: an error of kind
/// [`io::ErrorKind::NotFound`] if it does not exist, of kind
/// [`io::ErrorKind::InvalidInput`] for a directory that holds neither
/// record file.
pub fn record_kind(path: impl AsRef<Path>) -> io::Result<RecordKind> {
    let path = path.as_ref();
    let meta = fs::metadata(path).map_err(|e| with_path(path, e))?;
    if meta.is_file() {
        Ok(RecordKind::BeaconFile)
    } else if path.join(ASSEMBLY_FILE).is_file() {
        Ok(RecordKind::Assembly)
    } else if path.join(RECORD_FILE).is_file() {
        Ok(RecordKind::Vote)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a record directory: it has neither {ASSEMBLY_FILE} nor {RECORD_FILE}",
                path.display()
            ),
        ))
    }
}

/// SHA3-256 over every file of the record directory `dir` (each preceded by
/// its relative name's length and bytes and its length in bytes, both
/// LE64), hex: shard summaries of the same record, and only those, have the
/// same digest. An assembly record's files are `assembly.json`, `roll.txt`
/// if present, then each vote's `record.json`, `ballots.txt` and
/// `challenged.txt` (under `votes/<name>/`, in record order); a vote
/// directory's are its three files.
pub fn record_digest(dir: impl AsRef<Path>) -> io::Result<String> {
    use sha3::{Digest as _, Sha3_256};
    let dir = dir.as_ref();
    let vote_files = [RECORD_FILE, BALLOTS_FILE, CHALLENGED_FILE];
    let mut files = Vec::new();
    match record_kind(dir)? {
        RecordKind::Assembly => {
            files.push(PathBuf::from(ASSEMBLY_FILE));
            if dir.join(ROLL_FILE).is_file() {
                files.push(PathBuf::from(ROLL_FILE));
            }
            for vote in read_assembly_record(dir)?.votes {
                let vdir = Path::new("votes").join(&vote.name);
                files.extend(vote_files.iter().map(|f| vdir.join(f)));
            }
        }
        RecordKind::Vote => files.extend(vote_files.iter().map(PathBuf::from)),
        RecordKind::BeaconFile => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: only record directories are sharded", dir.display()),
            ))
        }
    }
    let mut hasher = Sha3_256::new();
    for name in files {
        let file = dir.join(&name);
        let mut f = File::open(&file).map_err(|e| with_path(&file, e))?;
        let len = f.metadata().map_err(|e| with_path(&file, e))?.len();
        let name = name.to_string_lossy();
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update(len.to_le_bytes());
        io::copy(&mut f, &mut hasher).map_err(|e| with_path(&file, e))?;
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The SHA3-256 of the bytes of `file` in the record directory `dir` (a
/// record's main file, `assembly.json` or `record.json`), hex, as
/// `sha3sum -a 256` prints it: what an auditor compares with a published
/// digest of the record.
pub fn file_digest(dir: impl AsRef<Path>, file: &str) -> io::Result<String> {
    use sha3::{Digest as _, Sha3_256};
    let path = dir.as_ref().join(file);
    let mut f = File::open(&path).map_err(|e| with_path(&path, e))?;
    let mut hasher = Sha3_256::new();
    io::copy(&mut f, &mut hasher).map_err(|e| with_path(&path, e))?;
    Ok(hex::encode(hasher.finalize()))
}

/// Writes a vote's files as its ballots are cast: lines are appended as
/// they come, the record is written last.
pub struct VoteWriter {
    dir: PathBuf,
    ballots: BufWriter<File>,
    challenged: BufWriter<File>,
}

impl VoteWriter {
    /// Creates `dir` (and parents) and the two stream files.
    pub fn create(dir: impl AsRef<Path>) -> io::Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        fs::create_dir_all(&dir)?;
        Ok(VoteWriter {
            ballots: BufWriter::new(File::create(dir.join(BALLOTS_FILE))?),
            challenged: BufWriter::new(File::create(dir.join(CHALLENGED_FILE))?),
            dir,
        })
    }

    /// Appends a cast ballot.
    pub fn ballot(&mut self, line: &BallotLine) -> io::Result<()> {
        writeln!(self.ballots, "{}", line.to_line())
    }

    /// Appends a challenged ballot (its canonical encoding).
    pub fn challenged(&mut self, encoded: &[u8]) -> io::Result<()> {
        writeln!(self.challenged, "{}", hex::encode(encoded))
    }

    /// Flushes the streams.
    pub fn flush(&mut self) -> io::Result<()> {
        self.ballots.flush()?;
        self.challenged.flush()
    }

    /// Writes the record and flushes the streams.
    pub fn finish(mut self, record: &ElectionRecord) -> io::Result<()> {
        self.flush()?;
        write_json(&self.dir.join(RECORD_FILE), record)
    }
}

/// A [`RecordSink`] writing each vote's streams into
/// `<dir>/votes/<name>/` as they are produced.
pub struct DirSink {
    dir: PathBuf,
    writers: BTreeMap<String, VoteWriter>,
}

impl DirSink {
    /// A sink into the assembly record directory `dir`.
    pub fn new(dir: impl AsRef<Path>) -> Self {
        DirSink {
            dir: dir.as_ref().to_path_buf(),
            writers: BTreeMap::new(),
        }
    }

    fn writer(&mut self, vote: &str) -> crate::Result<&mut VoteWriter> {
        if !self.writers.contains_key(vote) {
            let w = VoteWriter::create(vote_dir(&self.dir, vote)).map_err(sink_error)?;
            self.writers.insert(vote.into(), w);
        }
        self.writers
            .get_mut(vote)
            .ok_or_else(|| crate::Error::Sink(format!("no writer for vote {vote}")))
    }

    /// Flushes every stream.
    pub fn finish(mut self) -> io::Result<()> {
        for w in self.writers.values_mut() {
            w.flush()?;
        }
        Ok(())
    }
}

fn sink_error(e: io::Error) -> crate::Error {
    crate::Error::Sink(format!("{e}"))
}

impl RecordSink for DirSink {
    fn ballot(&mut self, vote: &str, line: &BallotLine) -> crate::Result<()> {
        self.writer(vote)?.ballot(line).map_err(sink_error)
    }

    fn challenged(&mut self, vote: &str, encoded: &[u8]) -> crate::Result<()> {
        self.writer(vote)?.challenged(encoded).map_err(sink_error)
    }
}

/// Writes a simulation's record into `dir`, whose ballot streams a
/// [`DirSink`] on the same directory has already written: the assembly
/// record, each vote's record and the roll.
pub fn write_simulation(dir: impl AsRef<Path>, simulation: &Simulation) -> io::Result<()> {
    write_assembly(dir, &simulation.record, Some(&simulation.roll))
}

/// Writes the assembly record and, if given, the roll stream into `dir`.
/// The votes' streams are written with [`VoteWriter`] into
/// `dir/votes/<name>/`.
pub fn write_assembly<'a>(
    dir: impl AsRef<Path>,
    record: &AssemblyRecord,
    roll: Option<impl IntoIterator<Item = &'a RollEntry>>,
) -> io::Result<()> {
    let dir = dir.as_ref();
    fs::create_dir_all(dir)?;
    // Each vote's directory is a complete record of its own; check E12
    // confirms it is the one listed here.
    for v in &record.votes {
        let vdir = vote_dir(dir, &v.name);
        fs::create_dir_all(&vdir)?;
        write_json(&vdir.join(RECORD_FILE), &v.record)?;
    }
    write_json(&dir.join(ASSEMBLY_FILE), record)?;
    if let Some(roll) = roll {
        let mut w = BufWriter::new(File::create(dir.join(ROLL_FILE))?);
        for e in roll {
            writeln!(w, "{}", hex::encode(e.to_bytes()))?;
        }
        w.flush()?;
    }
    Ok(())
}

/// Writes a single vote's `record.json` into `dir` (created if missing);
/// its streams are written with [`VoteWriter`].
pub fn write_vote_record(dir: impl AsRef<Path>, record: &ElectionRecord) -> io::Result<()> {
    let dir = dir.as_ref();
    fs::create_dir_all(dir)?;
    write_json(&dir.join(RECORD_FILE), record)
}

/// The directory of vote `name` in an assembly record directory.
pub fn vote_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join("votes").join(name)
}

/// Reads `assembly.json` from an assembly record directory.
pub fn read_assembly_record(dir: impl AsRef<Path>) -> io::Result<AssemblyRecord> {
    let path = dir.as_ref().join(ASSEMBLY_FILE);
    let record: AssemblyRecord = read_json(&path)?;
    // A vote name leads to the vote's files: it must not leave the record.
    record.check_vote_names().map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    Ok(record)
}

/// Reads `record.json` from a vote directory.
pub fn read_vote_record(dir: impl AsRef<Path>) -> io::Result<ElectionRecord> {
    read_json(&dir.as_ref().join(RECORD_FILE))
}

/// Verifies one shard of a vote from its streams (spec/record.md §4.1):
/// every line of `ballots` is read, the ballots of `shard` are checked,
/// and `challenged` is read by the first shard of a split by position and
/// by every shard of a split by ballot id. Returns the
/// ballot-independent checks and the mergeable [`BallotChecks`] of
/// [`RecordVerifier::finish_shard`]. `progress` is called with the number
/// of lines read so far.
pub fn verify_vote_shard<R: RngCore + CryptoRng>(
    record: &ElectionRecord,
    ballots: impl BufRead,
    challenged: impl BufRead,
    shard: Shard,
    rng: &mut R,
    mut progress: impl FnMut(u64),
) -> (Report, BallotChecks) {
    let mut v = RecordVerifier::with_shard(record, rng, shard);
    let mut n = 0u64;
    let sharded = shard.count() > 1;
    for line in bounded_lines(ballots) {
        n += 1;
        // Another shard's line is only checked to be well-formed (as
        // `parse` would), not decoded.
        let skipped = line.as_ref().is_ok_and(|l| {
            sharded
                && BallotLine::parse_head(l, Shard::PREFIX_LEN)
                    .is_some_and(|(code, prefix)| v.try_skip_ballot(code, &prefix))
        });
        if !skipped {
            match line
                .map_err(invalid)
                .and_then(|l| BallotLine::parse(&l).map_err(invalid))
            {
                Ok(l) => v.push_ballot(l),
                Err(e) => v.push_malformed(e),
            }
        }
        if n % 1024 == 0 {
            progress(n);
        }
    }
    progress(n);
    if shard.is_first() || shard.by() == ShardBy::BallotId {
        for line in bounded_lines(challenged) {
            match line
                .map_err(invalid)
                .and_then(|l| hex::decode(l.trim()).map_err(invalid))
            {
                Ok(bytes) => v.push_challenged(&bytes),
                Err(_) => v.push_challenged(&[]),
            }
        }
    }
    v.finish_shard()
}

/// Verifies one vote from its streams: `record` is the vote's record,
/// `ballots` and `challenged` its line streams. `progress` is called with
/// the number of ballots read so far.
pub fn verify_vote_streams<R: RngCore + CryptoRng>(
    record: &ElectionRecord,
    ballots: impl BufRead,
    challenged: impl BufRead,
    rng: &mut R,
    progress: impl FnMut(u64),
) -> Report {
    let (checks, ballots) =
        verify_vote_shard(record, ballots, challenged, Shard::WHOLE, rng, progress);
    ballots.complete(checks, &record.tally)
}

/// Verifies one shard of a single vote's directory: returns its record and
/// the outcome of [`verify_vote_shard`].
pub fn verify_vote_dir_shard<R: RngCore + CryptoRng>(
    dir: impl AsRef<Path>,
    shard: Shard,
    rng: &mut R,
    progress: impl FnMut(u64),
) -> io::Result<(ElectionRecord, Report, BallotChecks)> {
    let dir = dir.as_ref();
    let record = read_vote_record(dir)?;
    let (checks, ballots) = verify_vote_shard(
        &record,
        open(&dir.join(BALLOTS_FILE))?,
        open(&dir.join(CHALLENGED_FILE))?,
        shard,
        rng,
        progress,
    );
    Ok((record, checks, ballots))
}

/// Verifies a single vote's directory.
pub fn verify_vote_dir<R: RngCore + CryptoRng>(
    dir: impl AsRef<Path>,
    rng: &mut R,
    progress: impl FnMut(u64),
) -> io::Result<Report> {
    let (record, checks, ballots) = verify_vote_dir_shard(dir, Shard::WHOLE, rng, progress)?;
    Ok(ballots.complete(checks, &record.tally))
}

/// A vote's three parts as streams: its stored record and its two line
/// streams.
pub struct VoteStreams<'a> {
    /// The vote's own `record.json`.
    pub record: ElectionRecord,
    /// `ballots.txt`.
    pub ballots: Box<dyn BufRead + 'a>,
    /// `challenged.txt`.
    pub challenged: Box<dyn BufRead + 'a>,
}

/// The title of vote `name`'s section in an [`AssemblyReport`].
pub fn vote_title(name: &str) -> String {
    format!("Vote \"{name}\"")
}

/// One vote's outcome in a shard of an assembly's verification.
#[derive(Clone, Debug)]
pub struct VoteShard {
    /// The vote's name.
    pub name: String,
    /// The checks that do not depend on the cast ballots (E1–E3,
    /// E10–E12).
    pub record_checks: Report,
    /// The shard's mergeable ballot checks (E4–E9).
    pub ballots: BallotChecks,
}

/// The outcome of verifying one shard of an assembly record.
#[derive(Clone, Debug)]
pub struct AssemblyShard {
    /// The beacon and draw sections (first shard only, empty otherwise).
    pub sections: AssemblyReport,
    /// Every vote, in record order.
    pub votes: Vec<VoteShard>,
}

impl AssemblyShard {
    /// The whole report, once `votes` hold the ballot checks of every shard
    /// merged (or of [`Shard::WHOLE`]); `record` supplies the encrypted
    /// tallies E9 compares with.
    pub fn complete(self, record: &AssemblyRecord) -> AssemblyReport {
        let mut report = self.sections;
        for (vote, entry) in self.votes.into_iter().zip(&record.votes) {
            report.push(
                vote_title(&vote.name),
                vote.ballots
                    .complete(vote.record_checks, &entry.record.tally),
            );
        }
        report
    }
}

/// Verifies the anchors (A1–A3), the beacon (B1–B4) and the draw (S1–S17;
/// S12–S15 need the roll stream and are "not checked" without it) of an
/// assembly record: the report's first three sections.
pub fn verify_draw<'a, R: RngCore + CryptoRng>(
    record: &AssemblyRecord,
    anchoring: Anchoring<'_>,
    roll: Option<Box<dyn BufRead + 'a>>,
    rng: &mut R,
) -> AssemblyReport {
    draw_sections(record, anchoring, roll, &SeatPlan::of(record), rng)
}

/// [`verify_draw`] with the seat plan (S17) already made, so that an
/// assembly's verification makes it once for S17 and every vote's E16.
fn draw_sections<'a, R: RngCore + CryptoRng>(
    record: &AssemblyRecord,
    anchoring: Anchoring<'_>,
    roll: Option<Box<dyn BufRead + 'a>>,
    plan: &Result<SeatPlan, String>,
    rng: &mut R,
) -> AssemblyReport {
    let mut report = AssemblyReport::default();
    report.push("Anchors", verify_anchors(record, anchoring));
    let (beacon, chain) = verify_beacon(record, rng);
    report.push("Beacon", beacon);

    // Without a verified chain the draw is still checked against the
    // record's own output, and S3 (the output is the chain's) says "not
    // checked"; without the roll, S12–S15 say "not checked". No check is
    // ever dropped from the report (spec/record.md §4).
    let unverified = VerifiedRounds::new();
    let source: &dyn BeaconSource = match &chain {
        Some(chain) => chain,
        None => &unverified,
    };
    let unmade = record
        .announcement
        .params
        .features()
        .map(|_| FairnessFigures::not_established(LotteryKind::WholeRoll));
    let (mut draw, fairness) = match roll {
        None => {
            let mut r = record.selection.verify(&record.announcement, source);
            for (id, title) in ROLL_CHECKS {
                r.not_checked(id, title, "no roll supplied (roll.txt is missing)");
            }
            (r, unmade)
        }
        Some(roll) => {
            let mut bad_line: Option<String> = None;
            let entries = bounded_lines(roll).enumerate().map_while(|(i, line)| {
                let parsed = line
                    .map_err(invalid)
                    .and_then(|l| hex::decode(l.trim()).map_err(invalid))
                    .and_then(|b| RollEntry::from_bytes(&b).map_err(invalid));
                match parsed {
                    Ok(e) => Some(e),
                    Err(e) => {
                        bad_line = Some(format!("roll line {}: {e}", i + 1));
                        None
                    }
                }
            });
            let (mut r, mut fairness) =
                record
                    .selection
                    .verify_with_roll_figures(&record.announcement, source, entries);
            if bad_line.is_some() {
                fairness = unmade;
                // S12–S14, and the fairness checks on the census, were
                // judged on the entries before the bad line: not on the
                // roll, so not decided (spec/record.md §4.4).
                let on_census = |id: &str| LOTTERY_CHECKS.iter().any(|(f, _)| *f == id);
                for c in r
                    .checks
                    .iter_mut()
                    .filter(|c| matches!(c.id, "S12" | "S13" | "S14") || on_census(c.id))
                {
                    c.outcome =
                        Outcome::NotChecked(String::from("the roll stream is malformed (S15)"));
                }
            }
            r.record("S15", S15, bad_line.map_or(Ok(()), Err));
            (r, fairness)
        }
    };
    if chain.is_none() {
        for c in draw.checks.iter_mut().filter(|c| c.id == "S3") {
            c.outcome = Outcome::NotChecked(String::from("the beacon chain does not verify (B1)"));
        }
    }
    draw.push(
        "S16",
        "the announcement was fixed before the named round: registered with an earlier round (threshold beacon) or published before the round was due (drand)",
        registered_before(record, anchoring, chain.as_ref()),
    );
    draw.record(
        "S17",
        "every replacement seats the next reserve of the vacated seat's stratum",
        plan.as_ref().map(|_| ()),
    );
    report.push("Draw", draw);
    report.fairness = fairness;
    report
}

/// Verifies one shard of an assembly record from streams (spec/record.md
/// §4.1): the first shard also checks the beacon and the draw
/// ([`verify_draw`]); every shard checks its ballots of every vote with
/// [`verify_vote_shard`], whose streams `open_vote(name)` supplies.
pub fn verify_assembly_shard<'a, R: RngCore + CryptoRng>(
    record: &AssemblyRecord,
    anchoring: Anchoring<'_>,
    roll: Option<Box<dyn BufRead + 'a>>,
    mut open_vote: impl FnMut(&str) -> io::Result<VoteStreams<'a>>,
    shard: Shard,
    rng: &mut R,
    mut progress: impl FnMut(&str, u64),
) -> io::Result<AssemblyShard> {
    let plan = SeatPlan::of(record);
    let sections = if shard.is_first() {
        draw_sections(record, anchoring, roll, &plan, rng)
    } else {
        AssemblyReport::default()
    };
    let mut votes = Vec::with_capacity(record.votes.len());
    for (index, vote) in record.votes.iter().enumerate() {
        let streams = open_vote(&vote.name)?;
        let (mut record_checks, ballots) = verify_vote_shard(
            &vote.record,
            streams.ballots,
            streams.challenged,
            shard,
            rng,
            |n| progress(&vote.name, n),
        );
        record_checks.record(
            "E12",
            "the vote's own record is the one the assembly record lists",
            if streams.record == vote.record {
                Ok(())
            } else {
                Err("record.json differs from the assembly record")
            },
        );
        record_checks.push(
            "E15",
            "the vote's manifest, election key and electorate are the published ones",
            anchoring.election(vote),
        );
        record_checks.push(
            "E16",
            "the vote is restricted to exactly the delegates seated for it",
            check_electorate(record, index, &plan),
        );
        votes.push(VoteShard {
            name: vote.name.clone(),
            record_checks,
            ballots,
        });
    }
    Ok(AssemblyShard { sections, votes })
}

/// Verifies an assembly record from streams, wherever they come from (files,
/// memory, a browser's dropped files), against `anchoring`: the anchors
/// (A1–A3), the beacon (B1–B4), the draw (S1–S17; S12–S15 need the roll
/// stream) and every vote (E1–E16), whose streams `open_vote(name)`
/// supplies. `progress(vote, ballots)` reports streaming progress.
pub fn verify_assembly<'a, R: RngCore + CryptoRng>(
    record: &AssemblyRecord,
    anchoring: Anchoring<'_>,
    roll: Option<Box<dyn BufRead + 'a>>,
    open_vote: impl FnMut(&str) -> io::Result<VoteStreams<'a>>,
    rng: &mut R,
    progress: impl FnMut(&str, u64),
) -> io::Result<AssemblyReport> {
    verify_assembly_shard(
        record,
        anchoring,
        roll,
        open_vote,
        Shard::WHOLE,
        rng,
        progress,
    )
    .map(|s| s.complete(record))
}

/// Opens the roll stream of an assembly record directory, if it has one.
pub fn open_roll(dir: impl AsRef<Path>) -> Option<Box<dyn BufRead>> {
    File::open(dir.as_ref().join(ROLL_FILE))
        .ok()
        .map(|f| Box::new(BufReader::new(f)) as Box<dyn BufRead>)
}

/// Verifies one shard of an assembly record directory with
/// [`verify_assembly_shard`]; returns the record too.
pub fn verify_assembly_dir_shard<R: RngCore + CryptoRng>(
    dir: impl AsRef<Path>,
    anchoring: Anchoring<'_>,
    shard: Shard,
    rng: &mut R,
    progress: impl FnMut(&str, u64),
) -> io::Result<(AssemblyRecord, AssemblyShard)> {
    let dir = dir.as_ref();
    let record = read_assembly_record(dir)?;
    let roll = if shard.is_first() {
        open_roll(dir)
    } else {
        None
    };
    let open_vote = |name: &str| -> io::Result<VoteStreams<'static>> {
        let vdir = vote_dir(dir, name);
        Ok(VoteStreams {
            record: read_vote_record(&vdir)?,
            ballots: Box::new(open(&vdir.join(BALLOTS_FILE))?),
            challenged: Box::new(open(&vdir.join(CHALLENGED_FILE))?),
        })
    };
    let shard = verify_assembly_shard(&record, anchoring, roll, open_vote, shard, rng, progress)?;
    Ok((record, shard))
}

/// Verifies an assembly record directory with [`verify_assembly`].
pub fn verify_assembly_dir<R: RngCore + CryptoRng>(
    dir: impl AsRef<Path>,
    anchoring: Anchoring<'_>,
    rng: &mut R,
    progress: impl FnMut(&str, u64),
) -> io::Result<AssemblyReport> {
    let (record, shard) = verify_assembly_dir_shard(dir, anchoring, Shard::WHOLE, rng, progress)?;
    Ok(shard.complete(&record))
}

fn open(path: &Path) -> io::Result<BufReader<File>> {
    Ok(BufReader::new(
        File::open(path).map_err(|e| with_path(path, e))?,
    ))
}

/// Writes a pool draw record directory: `pool-draw.json`
/// (spec/pool-draw.md §4).
pub fn write_pool_draw(dir: impl AsRef<Path>, record: &PoolDrawRecord) -> io::Result<()> {
    let dir = dir.as_ref();
    fs::create_dir_all(dir)?;
    write_json(&dir.join(POOL_DRAW_FILE), record)
}

/// Reads a pool draw record directory's `pool-draw.json`; a file that does
/// not decode is an error of kind [`io::ErrorKind::InvalidData`] (check R1,
/// [`malformed_report`]). Reading allocates by the bytes of the file, never
/// by a count it claims.
pub fn read_pool_draw(dir: impl AsRef<Path>) -> io::Result<PoolDrawRecord> {
    read_json(&dir.as_ref().join(POOL_DRAW_FILE))
}

/// Verifies a pool draw record directory (spec/pool-draw.md §5) against the
/// anchors, or without them: the report's sections are Anchors, Beacon,
/// Pool draw and Fairness. A `pool-draw.json` that does not decode gives
/// the report of R1 failed alone, in the section [`RECORD_TITLE`].
pub fn verify_pool_dir<R: RngCore + CryptoRng>(
    dir: impl AsRef<Path>,
    anchoring: Anchoring<'_>,
    rng: &mut R,
) -> io::Result<AssemblyReport> {
    match read_pool_draw(dir) {
        Ok(record) => Ok(record.verify(anchoring, rng)),
        Err(e) if is_malformed(&e) => {
            let mut report = AssemblyReport::default();
            report.push(RECORD_TITLE, malformed_report(&e));
            Ok(report)
        }
        Err(e) => Err(e),
    }
}

/// Longest line a record stream may have: far above the largest ballot a
/// valid manifest allows, and a bound on the memory one line can take.
pub const MAX_LINE: usize = 64 << 20;

/// The lines of a stream, each at most [`MAX_LINE`] bytes: a longer line
/// (e.g. a file without newlines) is reported as an error, skipped, and
/// reading continues with the next line. Iteration ends after an I/O error.
pub fn bounded_lines<R: BufRead>(mut reader: R) -> impl Iterator<Item = io::Result<String>> {
    let mut done = false;
    core::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut buf = Vec::new();
        let limit = (MAX_LINE as u64).saturating_add(1);
        match reader.by_ref().take(limit).read_until(b'\n', &mut buf) {
            Err(e) => {
                done = true;
                Some(Err(e))
            }
            Ok(0) => None,
            Ok(_) if buf.len() > MAX_LINE => {
                // Skip the rest of the overlong line.
                let mut rest = Vec::new();
                loop {
                    rest.clear();
                    match reader.by_ref().take(1 << 20).read_until(b'\n', &mut rest) {
                        Ok(0) => break,
                        Ok(_) if rest.last() == Some(&b'\n') => break,
                        Ok(_) => continue,
                        Err(e) => {
                            done = true;
                            return Some(Err(e));
                        }
                    }
                }
                Some(Err(invalid(format!("line longer than {MAX_LINE} bytes"))))
            }
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                Some(String::from_utf8(buf).map_err(invalid))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines_split_and_reject_overlong_lines() {
        let mut input = b"a\r\nbb\n".to_vec();
        input.extend(core::iter::repeat_n(b'x', MAX_LINE + 10));
        input.extend(b"\nccc");
        let lines: Vec<_> = bounded_lines(&input[..]).collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].as_deref().ok(), Some("a"));
        assert_eq!(lines[1].as_deref().ok(), Some("bb"));
        assert!(lines[2].is_err());
        assert_eq!(lines[3].as_deref().ok(), Some("ccc"));
        assert!(bounded_lines(&b"\xff\xfe\n"[..])
            .next()
            .is_some_and(|l| l.is_err()));
        assert_eq!(bounded_lines(&b""[..]).count(), 0);
    }

    /// A feature draw's fairness checks in the draw section: passed with
    /// the roll, not checked without it or with a malformed roll stream
    /// (spec/record.md §4.4), never judged on part of the roll.
    #[cfg(feature = "solver")]
    #[test]
    fn the_fairness_checks_need_a_well_formed_roll() {
        use crate::fairness::LOTTERY_CHECKS;
        use crate::simulate::{simulate_assembly, MemorySink, SimulationParams};
        use alloc::vec;
        use rand_core::SeedableRng;

        let params = SimulationParams {
            citizens: 60,
            strata: 2,
            seats: 6,
            reserve: 1,
            trustees: 3,
            threshold: 2,
            absent: vec![3],
            challenged: 0,
            consultation_ballots: 0,
            features: true,
        };
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(15);
        let mut sink = MemorySink::default();
        let sim = simulate_assembly(&params, &mut rng, &mut sink, |_, _| {}).unwrap();
        let roll: String = sim
            .roll
            .iter()
            .map(|e| format!("{}\n", hex::encode(e.to_bytes())))
            .collect();
        let fairness = |roll: Option<String>| -> Vec<Outcome> {
            let roll = roll.map(|r| Box::new(io::Cursor::new(r.into_bytes())) as Box<dyn BufRead>);
            let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(16);
            let report = verify_draw(&sim.record, Anchoring::Unanchored, roll, &mut rng);
            let (_, draw) = report
                .sections
                .iter()
                .find(|(title, _)| title == "Draw")
                .unwrap();
            LOTTERY_CHECKS
                .iter()
                .map(|(id, _)| draw.get(id).unwrap().outcome.clone())
                .collect()
        };
        assert!(fairness(Some(roll.clone()))
            .iter()
            .all(|o| *o == Outcome::Passed));
        assert!(fairness(None)
            .iter()
            .all(|o| matches!(o, Outcome::NotChecked(_))));
        // A bad line after the last entry: the census is the whole roll's,
        // but the stream is malformed (S15), so nothing rests on it.
        let malformed = fairness(Some(format!("{roll}zz\n")));
        assert!(malformed
            .iter()
            .all(|o| *o == Outcome::NotChecked("the roll stream is malformed (S15)".into())));
    }
}
