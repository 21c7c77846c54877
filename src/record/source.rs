//! The beacon part of an assembly record (spec/record.md §6): a chain of the
//! crate's threshold beacon, or drand rounds with their network's chain
//! info, and how each shows that the draw's announcement preceded the round
//! that seeds it (check S16).

use alloc::format;
use alloc::string::String;

use crate::beacon::drand::DrandBeacon;
use crate::beacon::threshold::{BeaconRecord, VerifiedChain};
use crate::beacon::{BeaconOutput, BeaconSource, VerifiedRounds};
use crate::error::Result;
use crate::report::Outcome;
use crate::roll::Digest;
use crate::sortition::{BeaconChain, DrawAnnouncement};

use super::anchor::Anchoring;

/// Seconds by which the published time of a draw's announcement must
/// precede the time its drand round is due (spec/beacon.md §3.5): room for
/// the clock error of whoever attests the publication time and of the drand
/// nodes, and for a round emitted a little early by a threshold of nodes
/// whose clocks run fast.
pub const DRAND_PRECEDENCE_MARGIN: u64 = 300;

/// The beacon that seeded an assembly's draw. In JSON a threshold beacon
/// record is its hex encoding (as before drand rounds were accepted) and a
/// drand beacon is an object with the chain info and the rounds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum AssemblyBeacon {
    /// The crate's threshold beacon (spec/beacon.md §2).
    Kleroterion(BeaconRecord),
    /// Rounds of a drand network (spec/beacon.md §3).
    Drand(DrandBeacon),
}

impl AssemblyBeacon {
    /// The beacon as an announcement names it: the threshold chain's id or
    /// the drand network's chain hash.
    pub fn chain(&self) -> BeaconChain {
        match self {
            AssemblyBeacon::Kleroterion(b) => {
                BeaconChain::Kleroterion(Digest(*b.parameters.chain_id()))
            }
            AssemblyBeacon::Drand(d) => BeaconChain::Drand(d.chain.chain_hash()),
        }
    }

    /// The title of check B1 for this kind of beacon.
    pub fn b1_title(&self) -> &'static str {
        match self {
            AssemblyBeacon::Kleroterion(_) => {
                "beacon chain verifies: every round's partial proofs, interpolation and link"
            }
            AssemblyBeacon::Drand(_) => {
                "drand rounds verify: every BLS signature under the chain info, and the links of consecutive chained rounds"
            }
        }
    }

    /// The threshold beacon record, if that is the source.
    pub fn threshold(&self) -> Option<&BeaconRecord> {
        match self {
            AssemblyBeacon::Kleroterion(b) => Some(b),
            AssemblyBeacon::Drand(_) => None,
        }
    }

    /// The threshold beacon record, mutably, if that is the source.
    pub fn threshold_mut(&mut self) -> Option<&mut BeaconRecord> {
        match self {
            AssemblyBeacon::Kleroterion(b) => Some(b),
            AssemblyBeacon::Drand(_) => None,
        }
    }

    /// The rounds the record holds, in order.
    pub fn rounds(&self) -> alloc::vec::Vec<u64> {
        match self {
            AssemblyBeacon::Kleroterion(b) => b.rounds.iter().map(|r| r.round()).collect(),
            AssemblyBeacon::Drand(d) => d.rounds.iter().map(|r| r.round).collect(),
        }
    }

    /// Verifies every round (check B1): the threshold chain with `rng`'s
    /// batch weights, or every drand signature under the chain info.
    pub fn verify<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        rng: &mut R,
    ) -> Result<VerifiedBeacon> {
        match self {
            AssemblyBeacon::Kleroterion(b) => b.verify(rng).map(VerifiedBeacon::Kleroterion),
            AssemblyBeacon::Drand(d) => d.verify().map(|rounds| VerifiedBeacon::Drand {
                chain: alloc::boxed::Box::new(d.chain.clone()),
                rounds,
            }),
        }
    }
}

/// The verified rounds of an [`AssemblyBeacon`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifiedBeacon {
    /// A verified threshold chain.
    Kleroterion(VerifiedChain),
    /// Verified drand rounds of one network.
    Drand {
        /// The network's chain info (boxed: its decoded key is large).
        chain: alloc::boxed::Box<crate::beacon::drand::DrandChain>,
        /// The verified rounds.
        rounds: VerifiedRounds,
    },
}

impl BeaconSource for VerifiedBeacon {
    fn verified_output(&self, round: u64) -> Result<BeaconOutput> {
        match self {
            VerifiedBeacon::Kleroterion(c) => c.verified_output(round),
            VerifiedBeacon::Drand { rounds, .. } => rounds.verified_output(round),
        }
    }
}

impl VerifiedBeacon {
    /// Whether `round` verified.
    pub fn contains(&self, round: u64) -> bool {
        self.verified_output(round).is_ok()
    }

    /// Check S16: the announcement was fixed before the named round's
    /// output existed.
    ///
    /// * Threshold beacon: its hash is registered with a verified round
    ///   strictly before the named round (spec/beacon.md §2.8).
    /// * drand: a round carries no data, so precedence is shown by the
    ///   time at which the announcement hash was published, attested from
    ///   outside the record by the anchors (`announcement_published`,
    ///   spec/anchors.md): it must be at least
    ///   [`DRAND_PRECEDENCE_MARGIN`] seconds before the named round is due.
    ///   Without that anchor S16 is "not anchored", never passed.
    pub fn precedes(&self, announcement: &DrawAnnouncement, anchoring: Anchoring<'_>) -> Outcome {
        self.precedes_hash(&announcement.hash(), announcement.beacon_round, anchoring)
    }

    /// [`precedes`](Self::precedes) for any announcement, by its hash and
    /// the round it names: S16 of a draw, P7 of a pool draw
    /// (spec/pool-draw.md §5).
    pub fn precedes_hash(&self, hash: &Digest, named: u64, anchoring: Anchoring<'_>) -> Outcome {
        match self {
            VerifiedBeacon::Kleroterion(chain) => match chain.registered_in(hash) {
                Some(c) if c < named => Outcome::Passed,
                Some(c) => Outcome::Failed(format!(
                    "registered with round {c}, not before the named round {named}: the announcement may have been chosen after the output"
                )),
                None => Outcome::Failed(String::from(
                    "the announcement is registered with no round of the beacon chain",
                )),
            },
            VerifiedBeacon::Drand { chain, .. } => {
                let Some(due) = chain.round_time(named) else {
                    return Outcome::Failed(format!("drand round {named} has no emission time"));
                };
                let latest = due.saturating_sub(DRAND_PRECEDENCE_MARGIN);
                match anchoring {
                    Anchoring::Unanchored => Outcome::NotAnchored(format!(
                        "drand round {named} was due at {due} (Unix time): the announcement hash must have been published by {latest}; compare with the time of its publication"
                    )),
                    Anchoring::Published(a) => match a.announcement_published {
                        None => Outcome::NotAnchored(format!(
                            "the anchors carry no publication time of the announcement; drand round {named} was due at {due}, so it must have been published by {latest}"
                        )),
                        Some(t) if t <= latest => Outcome::Passed,
                        Some(t) => Outcome::Failed(format!(
                            "the announcement was published at {t}, not by {latest} ({DRAND_PRECEDENCE_MARGIN} s before drand round {named} was due at {due}): it may have been chosen after the output"
                        )),
                    },
                }
            }
        }
    }
}
