//! Key generation among trustees simulated in one process, for tests,
//! examples, benchmarks and the `simulate` tooling. In a real election each
//! trustee runs its own rounds on its own machine and only the public
//! packages travel; this helper runs the same rounds back to back.
//!
//! # Example
//!
//! ```
//! use kleroterion::trustees::dkg::DkgParameters;
//! use kleroterion::trustees::simulate::run_locally;
//! use rand_core::OsRng;
//!
//! // Five trustees, any three of whom can decrypt; all agree on the public trustee set.
//! let outputs = run_locally(&DkgParameters::new(5, 3, b"election trustees")?, &mut OsRng)?;
//! assert_eq!(outputs.len(), 5);
//! assert!(outputs.iter().all(|o| o.trustees == outputs[0].trustees));
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::vec::Vec;
use rand_core::{CryptoRng, RngCore};

use super::dkg::{self, Complaint, DkgOutput, DkgParameters};
use super::shares::ParticipantIndex;
use crate::error::Result;

/// Runs every round of the key generation for all `n` honest trustees and
/// returns each trustee's output, in index order.
pub fn run_locally<R: RngCore + CryptoRng>(
    params: &DkgParameters,
    rng: &mut R,
) -> Result<Vec<DkgOutput>> {
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(params.participants())
        .map(|i| dkg::part1(params, i, rng))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let (s2, round2): (Vec<_>, Vec<_>) = s1
        .into_iter()
        .map(|s| dkg::part2(s, &round1, rng))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let (s3, complaints): (Vec<_>, Vec<_>) = s2
        .into_iter()
        .map(|s| dkg::part3(s, &round2, rng))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let complaints: Vec<Complaint> = complaints.into_iter().flatten().collect();
    s3.into_iter()
        .map(|s| dkg::finish(s, &complaints, rng))
        .collect()
}

/// Round 2 of a **cheating** dealer, for tests and demonstrations of the
/// complaint path (spec/trustees.md §4.4): like [`dkg::part2`], but the
/// share encrypted for `victim` is `f(victim) + 1`. The package is signed
/// as usual, so the victim's complaint convicts the dealer publicly. An
/// honest trustee never calls this; a dishonest one needs no help to cheat.
pub fn part2_cheating<R: RngCore + CryptoRng>(
    secret: dkg::round1::SecretPackage,
    round1_packages: &[dkg::round1::Package],
    victim: ParticipantIndex,
    rng: &mut R,
) -> Result<(dkg::round2::SecretPackage, dkg::round2::Package)> {
    dkg::deal(secret, round1_packages, Some(victim), rng)
}
