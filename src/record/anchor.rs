//! Anchors: the few values an auditor must hold from *outside* a record
//! (spec/anchors.md).
//!
//! A verifier that only compares a record with itself proves consistency,
//! never authenticity: an organiser who runs their own beacon, picks the
//! announcement after seeing the output, or holds a vote among other keys
//! can write a record that agrees with itself. Anchors close this gap. The
//! organiser publishes them *before* the events they fix, in places the
//! auditor trusts independently of the record (the polity's gazette, a
//! newspaper, several websites):
//!
//! * the **beacon chain id** (hash of the trustee set, mode and genesis),
//!   long-lived like drand's chain hash;
//! * the **draw announcement's hash**, before the named beacon round (it is
//!   also registered with an earlier beacon round, spec/beacon.md §2.7);
//! * per vote, the **election anchor**: its name, its manifest hash, the
//!   hash of its trustees' key-generation transcript (which fixes the joint
//!   key ballots are encrypted under) and its electorate (the seated
//!   delegates, or open to the polity), before voting opens.
//!
//! [`Anchors::of`] computes them from a record for the organiser to
//! publish; every assembly verifier takes an [`Anchoring`] as a required
//! argument. Without anchors ([`Anchoring::Unanchored`]) the checks they
//! underpin are [`Outcome::NotAnchored`], carrying the record's digests
//! for a person to compare by hand, and the verdict is never "passed".
//!
//! # Example
//!
//! ```
//! use kleroterion::record::{Anchoring, Anchors};
//! use kleroterion::report::Outcome;
//! use kleroterion::roll::Digest;
//!
//! // The anchors file an organiser published (spec/anchors.md).
//! let anchors: Anchors = serde_json::from_str(r#"{
//!     "version": 1,
//!     "beacon_chain": "96c6c02b7203c126f5befcce9ca28288d96b72eb8a5d04c9d4fc594092115fb8",
//!     "announcement": "187bfecd30ca5e3340954c581bd4cf86921ff7dbb4e768e145c592efd6510885",
//!     "votes": []
//! }"#)?;
//! let chain = anchors.beacon_chain;
//! assert_eq!(Anchoring::Published(&anchors).beacon_chain(&chain), Outcome::Passed);
//! assert!(matches!(Anchoring::Published(&anchors).beacon_chain(&Digest([0; 32])), Outcome::Failed(_)));
//! // Without anchors: not anchored, with the record's value to compare by hand.
//! assert!(matches!(Anchoring::Unanchored.beacon_chain(&chain), Outcome::NotAnchored(_)));
//! # Ok::<(), serde_json::Error>(())
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use super::assembly::AssemblyRecord;
use crate::encoding::{Encode, Writer};
use crate::report::Outcome;
use crate::roll::Digest;
use crate::trustees::dkg::DkgTranscript;

/// The anchors format version.
pub const ANCHORS_VERSION: u32 = 1;

/// Domain of [`trustees_digest`].
pub const TRUSTEES_DOMAIN: &[u8] = b"kleroterion/anchor/trustees/v1";

/// Who may vote in a vote of an assembly record (spec/record.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Electorate {
    /// Exactly the delegates the draw seated (with verified replacements):
    /// every ballot proves membership of that set (check E16).
    Seated,
    /// Open to the polity (a consultation): no eligibility set.
    Open,
}

/// The published anchor of one vote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ElectionAnchor {
    /// The vote's name in the assembly record.
    pub name: String,
    /// The manifest hash (spec/ballot.md §1).
    pub manifest: Digest,
    /// [`trustees_digest`] of the vote's key-generation transcript, which
    /// fixes the joint key every ballot is encrypted and proven under.
    pub trustees: Digest,
    /// Who may vote.
    pub electorate: Electorate,
}

/// Everything an auditor holds from outside an assembly record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Anchors {
    /// [`ANCHORS_VERSION`].
    pub version: u32,
    /// The beacon chain id (spec/beacon.md §2.1).
    pub beacon_chain: Digest,
    /// The draw announcement's hash (spec/sortition.md §2.2).
    pub announcement: Digest,
    /// When the announcement hash was published (Unix time, seconds), as a
    /// party the auditor trusts attests it (a newspaper's edition, a
    /// transparency log's entry). Needed by S16 for a draw seeded by a drand
    /// round, which carries no registrations (spec/beacon.md §3.5); unused
    /// for the threshold beacon.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub announcement_published: Option<u64>,
    /// Every vote, in the order held.
    pub votes: Vec<ElectionAnchor>,
}

/// `SHA3-256(u32 len ‖ TRUSTEES_DOMAIN ‖ enc(DkgTranscript))`.
pub fn trustees_digest(transcript: &DkgTranscript) -> Digest {
    let mut w = Writer::new();
    w.bytes(TRUSTEES_DOMAIN);
    transcript.encode(&mut w);
    Digest(Sha3_256::digest(w.into_bytes()).into())
}

impl ElectionAnchor {
    /// The anchor of vote `entry`, as its record states it.
    pub fn of(entry: &super::VoteEntry) -> Self {
        ElectionAnchor {
            name: entry.name.clone(),
            manifest: Digest(*entry.record.manifest.hash()),
            trustees: trustees_digest(&entry.record.trustees),
            electorate: entry.electorate,
        }
    }
}

impl Anchors {
    /// The anchors a record states: what its organiser publishes (each
    /// before the event it fixes) and an auditor compares with.
    pub fn of(record: &AssemblyRecord) -> Self {
        Anchors {
            version: ANCHORS_VERSION,
            beacon_chain: *record.beacon.chain().id(),
            announcement: record.announcement.hash(),
            announcement_published: None,
            votes: record.votes.iter().map(ElectionAnchor::of).collect(),
        }
    }
}

/// Whether a verification runs against published anchors. A required
/// argument of every assembly verifier, so that skipping the anchors is a
/// visible choice.
#[derive(Clone, Copy, Debug)]
pub enum Anchoring<'a> {
    /// Verify against anchors obtained from outside the record.
    Published(&'a Anchors),
    /// No anchors: the record can only be shown consistent; the checks
    /// that need anchors are [`Outcome::NotAnchored`].
    Unanchored,
}

impl Anchoring<'_> {
    /// A1: the record's beacon chain id against the anchor.
    pub fn beacon_chain(&self, record: &Digest) -> Outcome {
        self.compare("beacon chain id", record, |a| &a.beacon_chain)
    }

    /// A2: the record's announcement hash against the anchor.
    pub fn announcement(&self, record: &Digest) -> Outcome {
        self.compare("announcement hash", record, |a| &a.announcement)
    }

    /// A3: the record's vote names, in order, against the anchors'.
    pub fn vote_names(&self, record: &[super::VoteEntry]) -> Outcome {
        let names: Vec<&str> = record.iter().map(|v| v.name.as_str()).collect();
        match self {
            Anchoring::Unanchored => Outcome::NotAnchored(format!(
                "the record holds the votes [{}]: compare with the published list",
                names.join(", ")
            )),
            Anchoring::Published(a) => {
                let published: Vec<&str> = a.votes.iter().map(|v| v.name.as_str()).collect();
                if published == names {
                    Outcome::Passed
                } else {
                    Outcome::Failed(format!(
                        "the record holds the votes [{}], the anchors [{}]",
                        names.join(", "),
                        published.join(", ")
                    ))
                }
            }
        }
    }

    /// E15: vote `entry` against its published election anchor.
    pub fn election(&self, entry: &super::VoteEntry) -> Outcome {
        let stated = ElectionAnchor::of(entry);
        match self {
            Anchoring::Unanchored => Outcome::NotAnchored(format!(
                "manifest {}, trustees {}, electorate {:?}: compare with the published anchor",
                hex::encode(stated.manifest.0),
                hex::encode(stated.trustees.0),
                stated.electorate
            )),
            Anchoring::Published(a) => match a.votes.iter().find(|v| v.name == entry.name) {
                None => Outcome::Failed(format!("no published anchor for vote \"{}\"", entry.name)),
                Some(p) if p.manifest != stated.manifest => Outcome::Failed(format!(
                    "manifest {} is not the published {}",
                    hex::encode(stated.manifest.0),
                    hex::encode(p.manifest.0)
                )),
                Some(p) if p.trustees != stated.trustees => Outcome::Failed(format!(
                    "trustee transcript {} is not the published {} (another election key)",
                    hex::encode(stated.trustees.0),
                    hex::encode(p.trustees.0)
                )),
                Some(p) if p.electorate != stated.electorate => Outcome::Failed(format!(
                    "electorate {:?} is not the published {:?}",
                    stated.electorate, p.electorate
                )),
                Some(_) => Outcome::Passed,
            },
        }
    }

    fn compare(
        &self,
        what: &str,
        record: &Digest,
        anchor: impl Fn(&Anchors) -> &Digest,
    ) -> Outcome {
        match self {
            Anchoring::Unanchored => Outcome::NotAnchored(format!(
                "the record's {what} is {}: compare with the published one",
                hex::encode(record.0)
            )),
            Anchoring::Published(a) => match anchor(a) {
                p if p == record => Outcome::Passed,
                p => Outcome::Failed(format!(
                    "the record's {what} {} is not the published {}",
                    hex::encode(record.0),
                    hex::encode(p.0)
                )),
            },
        }
    }
}
