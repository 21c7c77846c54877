//! Key generation among trustees simulated in one process, for tests,
//! examples, benchmarks and the `simulate` tooling. In a real election each
//! trustee runs its own rounds on its own machine and only the public
//! packages travel; this helper runs the same rounds back to back.

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
