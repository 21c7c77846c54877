//! Fixtures and helpers shared by the tamper-matrix tests (issue 9):
//! `tests/tamper.rs` (every byte of every small encoded value) and
//! `tests/tamper_records.rs` (the semantic tables of every record type and
//! the byte sweeps of the large records).
//!
//! Everything is derived from fixed ChaCha20 seeds and built once per test
//! process.

// Each test binary uses a part of these helpers.
#![allow(dead_code, unused_imports)]

use std::io::{self, BufRead, Cursor};
use std::sync::OnceLock;

use kleroterion::beacon::threshold::VerifiedChain;
use kleroterion::credential::{CitizenSecretKey, ConsentStatement};
use kleroterion::encoding::Encode;
use kleroterion::record::assembly::AssemblyReport;
use kleroterion::record::files::{verify_assembly, VoteStreams};
use kleroterion::record::{Anchoring, Anchors, AssemblyRecord, BallotLine, ElectionRecord};
use kleroterion::report::Report;
use kleroterion::roll::RollEntry;
use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams, HARM_VOTE};

// The fixtures are shared with the fuzz targets, which use all of them.
#[path = "../../fuzz/src/fixtures.rs"]
pub mod fixtures;

pub use fixtures::{fixtures, rng};

/// A small simulated assembly: its public record, the roll and the ballot
/// streams of its votes, and its verified beacon chain.
pub struct Assembly {
    /// The assembly record.
    pub record: AssemblyRecord,
    /// The roll, canonical order.
    pub roll: Vec<RollEntry>,
    /// The cast and challenged ballots of every vote.
    pub streams: MemorySink,
    /// The verified beacon chain the draw is checked against.
    pub chain: VerifiedChain,
}

/// 24 citizens in 2 regions, 4 seats with 1 reserve per region, 3 trustees
/// with `t = 2` (trustee 3 absent at decryption), 1 challenged ballot per
/// vote: every part of the record, small enough to verify often.
pub fn assembly() -> &'static Assembly {
    static CELL: OnceLock<Assembly> = OnceLock::new();
    CELL.get_or_init(|| {
        let params = SimulationParams {
            citizens: 24,
            strata: 2,
            seats: 4,
            reserve: 1,
            trustees: 3,
            threshold: 2,
            absent: vec![3],
            challenged: 1,
            consultation_ballots: 0,
            features: false,
        };
        let mut streams = MemorySink::default();
        let sim =
            simulate_assembly(&params, &mut rng(9), &mut streams, |_, _| {}).expect("simulation");
        let chain = sim
            .record
            .beacon
            .threshold()
            .expect("a threshold beacon")
            .verify(&mut rng(10))
            .expect("beacon");
        Assembly {
            record: sim.record,
            roll: sim.roll,
            streams,
            chain,
        }
    })
}

/// One vote's public output: its record and its two ballot streams.
#[derive(Clone)]
pub struct Vote {
    /// The election record.
    pub record: ElectionRecord,
    /// The cast-ballot lines.
    pub lines: Vec<BallotLine>,
    /// The challenged ballots' encodings.
    pub challenged: Vec<Vec<u8>>,
}

/// The harm-finding vote of [`assembly`] (restricted to the 4 delegates,
/// so every line carries a membership proof).
pub fn harm_vote() -> Vote {
    let a = assembly();
    Vote {
        record: a.record.votes[0].record.clone(),
        lines: a.streams.ballots[HARM_VOTE].clone(),
        challenged: a.streams.challenged[HARM_VOTE].clone(),
    }
}

impl Vote {
    /// The vote's report (checks E1–E14).
    pub fn verify(&self) -> Report {
        kleroterion::record::verify_record(
            &self.record,
            &self.lines,
            &self.challenged,
            &mut rng(11),
        )
    }
}

/// The roll stream: one hex-encoded entry per line.
pub fn roll_text(entries: &[RollEntry]) -> String {
    entries
        .iter()
        .map(|e| hex::encode(e.to_bytes()) + "\n")
        .collect()
}

/// The streams of vote `name` kept in `sink`, with `record` as the vote's
/// own `record.json`.
pub fn vote_streams(sink: &MemorySink, name: &str, record: ElectionRecord) -> VoteStreams<'static> {
    let lines: String = sink
        .ballots
        .get(name)
        .into_iter()
        .flatten()
        .map(|l| l.to_line() + "\n")
        .collect();
    let challenged: String = sink
        .challenged
        .get(name)
        .into_iter()
        .flatten()
        .map(|c| hex::encode(c) + "\n")
        .collect();
    VoteStreams {
        record,
        ballots: Box::new(Cursor::new(lines.into_bytes())),
        challenged: Box::new(Cursor::new(challenged.into_bytes())),
    }
}

/// The anchors an auditor holds for [`assembly`]: those of the honest
/// record, published before the events they fix.
pub fn honest_anchors() -> &'static Anchors {
    static CELL: OnceLock<Anchors> = OnceLock::new();
    CELL.get_or_init(|| Anchors::of(&assembly().record))
}

/// Verifies `record` as the files verifier does, against the honest
/// anchors, with `roll` as the roll stream (if any) and the honest streams
/// of [`assembly`] for each vote; a vote's `record.json` is the honest one,
/// as published beside the assembly record.
pub fn verify_assembly_with(
    record: &AssemblyRecord,
    roll: Option<String>,
) -> io::Result<AssemblyReport> {
    verify_assembly_anchored(record, roll, Anchoring::Published(honest_anchors()))
}

/// [`verify_assembly_with`] with the given anchoring.
pub fn verify_assembly_anchored(
    record: &AssemblyRecord,
    roll: Option<String>,
    anchoring: Anchoring<'_>,
) -> io::Result<AssemblyReport> {
    let honest = assembly();
    let roll = roll.map(|r| Box::new(Cursor::new(r.into_bytes())) as Box<dyn BufRead>);
    let open_vote = |name: &str| -> io::Result<VoteStreams<'static>> {
        let entry = honest
            .record
            .votes
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, name.to_string()))?;
        Ok(vote_streams(&honest.streams, name, entry.record.clone()))
    };
    verify_assembly(record, anchoring, roll, open_vote, &mut rng(12), |_, _| {})
}

/// The ids of the failed checks of a report, in order.
pub fn failed(report: &Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

/// The ids of the failed checks of every section, in order.
pub fn failed_sections(report: &AssemblyReport) -> Vec<&'static str> {
    report
        .sections
        .iter()
        .flat_map(|(_, r)| failed(r))
        .collect()
}

/// The position of `needle` in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("sub-encoding present")
}

/// The polity and year of [`consent`].
pub const CONSENT_POLITY: &[u8] = b"health@region-north";
/// The year of [`consent`].
pub const CONSENT_YEAR: u32 = 2027;

/// A citizen's consent statement and a second citizen's, for swaps.
pub fn consent() -> &'static [ConsentStatement; 2] {
    static CELL: OnceLock<[ConsentStatement; 2]> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut r = rng(13);
        [0, 1].map(|_| {
            let sk = CitizenSecretKey::generate(&mut r);
            ConsentStatement::sign(&sk, CONSENT_POLITY, CONSENT_YEAR, &mut r).expect("consent")
        })
    })
}
