//! Publicly verifiable randomness for drawing assemblies by lot
//! (spec/beacon.md).
//!
//! A draw by lot is only fair if its seed was unpredictable before it was
//! produced, could not be biased by whoever produced it, and can be checked by
//! anyone afterwards. This module family provides the randomness sources:
//!
//! * [`ecvrf`]: the single-party verifiable random function
//!   ECVRF-EDWARDS25519-SHA512-TAI of RFC 9381 (spec/beacon.md, section
//!   "ECVRF (RFC 9381)"). Its output is unique for a given key and input and
//!   anyone holding the public key can check it, but the key holder alone
//!   chooses *whether* to publish it; use it where a single party's
//!   verifiable randomness is enough, or as an interoperable primitive.
//! * [`threshold`]: a threshold chained beacon on ristretto255, where `t` of
//!   `n` trustees must cooperate to produce each round and rounds chain so
//!   that history cannot be rewritten (spec/beacon.md §2). This is the
//!   source that seeds sortition: no single party can predict or bias it.
//! * [`drand`]: rounds of the League of Entropy's drand networks
//!   (`quicknet` and the default chained network), verified against the
//!   network's chain info (spec/beacon.md §3). A draw may name a drand round
//!   instead of a round of the threshold beacon.
//!
//! # Example
//!
//! ```
//! use kleroterion::beacon::registry::Registrations;
//! use kleroterion::beacon::threshold::{combine, verify_round, BeaconParameters, BeaconPartial, ChainMode};
//! use kleroterion::trustees::dkg::DkgParameters;
//! use kleroterion::trustees::simulate::run_locally;
//! use rand_core::OsRng;
//!
//! // Three beacon trustees, any two of whom produce a round (key generation
//! // run here in one process; in practice each on its own machine).
//! let trustees = run_locally(&DkgParameters::new(3, 2, b"beacon trustees")?, &mut OsRng)?;
//! let params = BeaconParameters::new(trustees[0].trustees.clone(), ChainMode::Chained, [7; 32]);
//! let none = Registrations::default();
//! // Round 1 with trustee 1 absent.
//! let partials = trustees[1..]
//!     .iter()
//!     .map(|t| BeaconPartial::produce(&params, &t.share, 1, None, &none, &mut OsRng))
//!     .collect::<kleroterion::Result<Vec<_>>>()?;
//! let round = combine(&params, 1, None, &none, &partials, &mut OsRng)?.round;
//! // Anyone holding the parameters verifies the round and obtains its output.
//! assert_eq!(verify_round(&params, &round, None, &mut OsRng)?, *round.output());
//! # Ok::<(), kleroterion::Error>(())
//! ```

pub mod drand;
pub mod ecvrf;
pub mod registry;
pub mod threshold;

pub use registry::Registrations;

use alloc::collections::BTreeMap;

use crate::encoding::{Decode, Encode, Reader, Writer};
use crate::error::{Error, Result};

/// The 32-byte output of one beacon round: the randomness that seeds draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BeaconOutput(pub [u8; 32]);

impl BeaconOutput {
    /// The output bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl Encode for BeaconOutput {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0);
    }
}

impl Decode for BeaconOutput {
    const NAME: &'static str = "beacon output";
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(BeaconOutput(r.array(Self::NAME)?))
    }
}

crate::impl_serde_via_encoding!(BeaconOutput);

/// Where a draw or its verifier obtains "the verified output of round `r`".
///
/// An implementation MUST return only outputs whose round proof it has
/// verified (for the threshold beacon: the combined signature and the chain
/// link to the previous round), and an error for a round it cannot vouch
/// for. Sortition never sees the proofs themselves.
pub trait BeaconSource {
    /// The verified output of `round`.
    fn verified_output(&self, round: u64) -> Result<BeaconOutput>;
}

/// A [`BeaconSource`] over outputs the caller has already verified with the
/// beacon module (or obtained from a source it trusts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifiedRounds(BTreeMap<u64, BeaconOutput>);

impl VerifiedRounds {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the output of `round`. The caller attests that it verified the
    /// round's proof.
    pub fn insert_verified(&mut self, round: u64, output: BeaconOutput) {
        self.0.insert(round, output);
    }
}

impl BeaconSource for VerifiedRounds {
    fn verified_output(&self, round: u64) -> Result<BeaconOutput> {
        self.0
            .get(&round)
            .copied()
            .ok_or(Error::VerificationFailed {
                proof: "beacon round unknown to the beacon source",
            })
    }
}
