//! The public record of an assembly vote and its verifier
//! (spec/record.md).
//!
//! A vote leaves a record that anyone can check without trusting the
//! trustees or the software that ran it:
//!
//! * an [`ElectionRecord`]: the manifest, the trustees' key-generation
//!   transcript, the encrypted tally, each present trustee's
//!   [`TrusteeDecryption`] and the announced result;
//! * the cast ballots, each with its confirmation code, as a *stream* of
//!   lines ([`BallotLine`]), so that a verifier of a million-ballot record
//!   never holds the ballots in memory;
//! * the challenged (opened, not counted) ballots, also a stream.
//!
//! [`RecordVerifier`] consumes these and produces a [`Report`] of the
//! numbered checks E1–E11 and E13–E14 of spec/record.md §4–§5 (E12 is added
//! by the assembly verifier), each passed, failed with the ballot, contest
//! or trustee at fault, or not checked with the reason (§4.2). A failed check never stops the
//! others: malformed lines, bad proofs or a wrong result are reported and
//! verification continues.
//!
//! Ballots are verified in blocks of [`BLOCK`] with one multiscalar
//! multiplication per chunk (in parallel with the `rayon` feature) and
//! summed into a [`TallyAccumulator`]; memory is bounded by the block plus
//! the set of seen ballot ids (32 bytes per ballot, needed to reject
//! duplicates).
//!
//! A large record can be verified by independent jobs: each checks one
//! [`Shard`] of the ballots ([`RecordVerifier::with_shard`]) and yields
//! mergeable [`BallotChecks`] (partial tally, ids, failures), which are
//! merged and completed into the same report (spec/record.md §4.1). A
//! split by ballot id ([`ShardBy::BallotId`]) puts every ballot with one
//! id in one shard, so that merging needs no ids: how a national record
//! is verified on many machines (spec/scale-out.md).
//!
//! # Example
//!
//! ```
//! use kleroterion::encoding::Encode;
//! use kleroterion::record::files::{verify_assembly, VoteStreams};
//! use kleroterion::record::{Anchoring, Anchors};
//! use kleroterion::report::Verdict;
//! use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams};
//! use rand_core::OsRng;
//!
//! let params = SimulationParams { citizens: 24, strata: 2, seats: 4, reserve: 1, ..SimulationParams::default() };
//! let mut sink = MemorySink::default();
//! let sim = simulate_assembly(&params, &mut OsRng, &mut sink, |_, _| {})?;
//! let anchors = Anchors::of(&sim.record); // published outside the record, in advance
//!
//! // The record's streams, from memory here (files, a browser's files, …).
//! let roll: String = sim.roll.iter().map(|e| hex::encode(e.to_bytes()) + "\n").collect();
//! let votes: Vec<(String, String, String)> = sim.record.votes.iter().map(|v| {
//!     let ballots = sink.ballots[&v.name].iter().map(|l| l.to_line() + "\n").collect();
//!     let challenged = sink.challenged.get(&v.name).into_iter().flatten();
//!     (v.name.clone(), ballots, challenged.map(|c| hex::encode(c) + "\n").collect())
//! }).collect();
//! let mut open_vote = |name: &str| {
//!     let v = sim.record.votes.iter().find(|v| v.name == name).unwrap();
//!     let (_, ballots, challenged) = votes.iter().find(|(n, _, _)| n == name).unwrap();
//!     Ok::<_, std::io::Error>(VoteStreams { record: v.record.clone(), ballots: Box::new(ballots.as_bytes()), challenged: Box::new(challenged.as_bytes()) })
//! };
//! let mut verify = |anchoring| {
//!     verify_assembly(&sim.record, anchoring, Some(Box::new(roll.as_bytes())), &mut open_vote, &mut OsRng, |_, _| {})
//! };
//! // Every numbered check (A, B, S, E) passes against the published anchors;
//! // without them the record is only shown consistent.
//! assert_eq!(verify(Anchoring::Published(&anchors))?.verdict(), Verdict::Passed);
//! assert_eq!(verify(Anchoring::Unanchored)?.verdict(), Verdict::Incomplete);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod anchor;
pub mod assembly;
mod ballot_box;
mod decryption;
#[cfg(feature = "json")]
pub mod files;
pub mod pool;
pub mod seats;
#[cfg(feature = "json")]
pub mod shards;
pub mod source;
pub mod summary;
mod verify;

pub use anchor::{Anchoring, Anchors, ElectionAnchor, Electorate};
pub use assembly::{AssemblyRecord, AssemblyReport, VoteEntry};
pub use ballot_box::BallotBox;
pub use decryption::{decrypt_tally, DecryptedTally, TrusteeDecryption};
pub use seats::Replacement;
pub use source::{AssemblyBeacon, VerifiedBeacon, DRAND_PRECEDENCE_MARGIN};
pub use summary::{Statement, StatementStatus, Summary};
pub use verify::{BallotChecks, RecordVerifier, Shard, ShardBy, BLOCK};

use alloc::string::String;
use alloc::vec::Vec;

use crate::ballot::{ConfirmationCode, EncryptedBallot, Manifest};
use crate::credential::{AnonymitySet, MembershipProof};
use crate::encoding::{Decode, Encode};
use crate::error::{Error, Result};
use crate::report::Report;
use crate::tally::{TallyAccumulator, TallyResult};
use crate::trustees::dkg::DkgTranscript;

/// The record format version this crate writes and verifies.
pub const RECORD_VERSION: u32 = 1;

/// The non-ballot parts of an election record (spec/record.md §2).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectionRecord {
    /// Record format version ([`RECORD_VERSION`]).
    pub version: u32,
    /// The election manifest (contests, options, limits).
    pub manifest: Manifest,
    /// The trustees' public key-generation transcript, from which the joint
    /// key and verification shares are re-derived.
    pub trustees: DkgTranscript,
    /// The encrypted tally: the homomorphic sums of the cast ballots.
    pub tally: TallyAccumulator,
    /// The partial decryptions of the trustees who took part (any `t` or
    /// more of the `n`).
    pub decryptions: Vec<TrusteeDecryption>,
    /// The announced result.
    pub result: TallyResult,
    /// For a vote restricted to eligible voters (an assembly's delegates):
    /// the anonymity set of their keys. Each ballot then carries a
    /// membership proof with a linking tag (spec/record.md §5).
    pub eligible: Option<AnonymitySet>,
}

/// The context of a vote's eligibility proofs and linking tags: the
/// manifest hash, so one delegate has exactly one tag per motion and tags
/// of different motions cannot be linked (spec/record.md §5).
pub fn eligibility_context(manifest: &Manifest) -> &[u8] {
    manifest.hash()
}

/// One line of the cast-ballot stream: the ballot's confirmation code, its
/// canonical encoding and, in a vote restricted to eligible voters, the
/// canonical encoding of its membership proof (spec/record.md §1).
///
/// The text form is `hex(code) ' ' hex(ballot) [' ' hex(proof)]`; a verifier
/// decodes the bytes only in the verification job, so that decoding runs in
/// parallel too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotLine {
    /// The confirmation code the voter was shown.
    pub code: ConfirmationCode,
    /// The canonical encoding of the [`EncryptedBallot`].
    pub ballot: Vec<u8>,
    /// The canonical encoding of the voter's [`MembershipProof`], if the
    /// vote is restricted to eligible voters.
    pub eligibility: Option<Vec<u8>>,
}

impl BallotLine {
    /// The line of a ballot, its code and its eligibility proof.
    pub fn new(
        code: ConfirmationCode,
        ballot: &EncryptedBallot,
        eligibility: Option<&MembershipProof>,
    ) -> Self {
        BallotLine {
            code,
            ballot: ballot.to_bytes(),
            eligibility: eligibility.map(Encode::to_bytes),
        }
    }

    /// Parses the text form (surrounding whitespace ignored).
    pub fn parse(line: &str) -> Result<Self> {
        let mut fields = line.split_whitespace();
        let mut field = |what| -> Result<Vec<u8>> {
            let f = fields.next().ok_or(Error::InvalidParameter { what })?;
            hex::decode(f).map_err(|_| Error::InvalidHex)
        };
        let code = field("ballot line must be `code ballot [proof]`")?;
        let ballot = field("ballot line has no ballot")?;
        let eligibility = fields
            .next()
            .map(|f| hex::decode(f).map_err(|_| Error::InvalidHex))
            .transpose()?;
        if fields.next().is_some() {
            return Err(Error::InvalidParameter {
                what: "ballot line has more than three fields",
            });
        }
        Ok(BallotLine {
            code: ConfirmationCode::from_bytes(&code)?,
            ballot,
            eligibility,
        })
    }

    /// The code and the first `n` bytes of the ballot of a line, checking
    /// the hex of every field without decoding the rest: when this returns
    /// `Some`, [`parse`](Self::parse) accepts the line with that code and a
    /// ballot starting with those bytes. `None` whenever `parse` fails, and
    /// also for lines outside the fast path (non-ASCII, or with U+000B):
    /// parse those. A sharded verifier reads the lines of other shards this
    /// way ([`RecordVerifier::try_skip_ballot`]).
    pub fn parse_head(line: &str, n: usize) -> Option<(ConfirmationCode, Vec<u8>)> {
        // On ASCII without U+000B (the one ASCII character that
        // `split_whitespace` splits on and `split_ascii_whitespace` does
        // not), the faster ASCII split finds the same fields; any other
        // line goes to `parse`.
        if !line.is_ascii() || line.contains('\u{b}') {
            return None;
        }
        let mut fields = line.split_ascii_whitespace();
        let code = fields.next()?;
        let ballot = fields.next()?;
        let proof = fields.next();
        let is_hex = |f: &str| f.len() % 2 == 0 && f.bytes().all(|b| b.is_ascii_hexdigit());
        if fields.next().is_some() || !is_hex(ballot) || !proof.is_none_or(is_hex) {
            return None;
        }
        let code = ConfirmationCode::from_bytes(&hex::decode(code).ok()?).ok()?;
        let head = ballot.get(..n.saturating_mul(2)).unwrap_or(ballot);
        Some((code, hex::decode(head).ok()?))
    }

    /// The text form, without a line terminator.
    pub fn to_line(&self) -> String {
        let mut s = hex::encode(self.code.as_bytes());
        s.push(' ');
        s.push_str(&hex::encode(&self.ballot));
        if let Some(p) = &self.eligibility {
            s.push(' ');
            s.push_str(&hex::encode(p));
        }
        s
    }
}

/// Verifies a record held entirely in memory: a convenience over
/// [`RecordVerifier`] for small votes and tests.
pub fn verify_record<R: rand_core::RngCore + rand_core::CryptoRng>(
    record: &ElectionRecord,
    ballots: &[BallotLine],
    challenged: &[Vec<u8>],
    rng: &mut R,
) -> Report {
    let mut v = RecordVerifier::new(record, rng);
    for line in ballots {
        v.push_ballot(line.clone());
    }
    for c in challenged {
        v.push_challenged(c);
    }
    v.finish()
}
