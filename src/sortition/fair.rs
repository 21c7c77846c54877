//! The quota-respecting draw over the whole consent roll with several
//! overlapping features (spec/sortition.md §10).
//!
//! The announcement commits to the [`FeatureQuotas`] and to a list of `m`
//! feasible cell allocations ([`AllocationList`], computed before the
//! round by the maximin lottery). The seed picks one allocation uniformly;
//! each cell then draws its seats with the per-stratum shuffle of §5, the
//! cell's value being its stratum value. Without households, a person of
//! cell `c` is seated with probability exactly `Σ_j x_c^(j) / (m · e_c)`.
//! With households, the shuffle skips people whose household is already
//! seated (§10.5).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use super::{
    check_counts, check_eligible, derive_seed, stratum_draws, BeaconOutput, DrawAnnouncement,
    Sampler, ShuffleWalk, StratumCount, StratumDraw,
};
use crate::encoding::Encode;
use crate::error::{Error, Result};
use crate::fairness::{pick, AllocationList, FeatureQuotas};
use crate::roll::Digest;

/// The features form of a draw's quotas: the feature quotas and the
/// commitment to the lottery over cell allocations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FeatureLottery {
    /// Seats, features, categories with their bounds, household attribute.
    pub quotas: FeatureQuotas,
    /// [`AllocationList::commitment`] of the allocation list.
    pub allocations: Digest,
    /// Allocations in the list (`m ≥ 1`).
    pub m: u32,
}

impl FeatureLottery {
    /// The lottery committing to `list`.
    pub fn new(quotas: FeatureQuotas, list: &AllocationList) -> Self {
        FeatureLottery {
            quotas,
            allocations: list.commitment(),
            m: list.len(),
        }
    }

    /// `m ≥ 1` (the quotas validate themselves on construction and
    /// decoding).
    pub fn validate(&self) -> Result<()> {
        if self.m == 0 {
            return Err(Error::InvalidParameter {
                what: "an allocation lottery has at least one allocation",
            });
        }
        Ok(())
    }

    /// Whether `list` is the committed list: its commitment and length.
    pub fn commits_to(&self, list: &AllocationList) -> bool {
        list.commitment() == self.allocations && list.len() == self.m
    }

    /// The canonical encoding inside the announcement's params
    /// (spec/sortition.md §2.1): `encode(quotas) ‖ commitment ‖ u32 m`.
    pub(crate) fn encode_into(&self, w: &mut crate::encoding::Writer) {
        self.quotas.encode(w);
        self.allocations.encode(w);
        w.u32(self.m);
    }
}

/// A feature draw in eligible-rank space.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureDraw {
    /// Index of the allocation the seed picked.
    pub pick: u32,
    /// Per cell (census order), its quota (the picked allocation's seats)
    /// and drawn ranks.
    pub strata: Vec<StratumDraw>,
}

/// Households of eligible ranks: `(stratum position, rank) → household
/// value`. The draw consults it only with households.
pub type HouseholdOracle = BTreeMap<(usize, u64), Vec<u8>>;

/// Where a household draw ran past the households it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Need {
    /// The stratum (census position).
    pub stratum: usize,
    /// How many shuffle positions of it the walk needs.
    pub steps: u64,
}

/// The feature draw (spec/sortition.md §10.4–10.5): checks that `list` is
/// the committed one, picks an allocation from the seed, checks it is
/// feasible for the census `strata` and draws each cell's seats. With
/// households, `households` must know the household of every rank the
/// shuffles reach; a rank it lacks fails the draw.
pub fn draw_features(
    announcement: &DrawAnnouncement,
    output: &BeaconOutput,
    strata: &[StratumCount],
    list: &AllocationList,
    households: &HouseholdOracle,
) -> Result<FeatureDraw> {
    committed_lottery(announcement, list)?;
    recompute(announcement, output, strata, list, households)?.map_err(|_| {
        Error::VerificationFailed {
            proof: "the household of a rank the draw reaches is unknown",
        }
    })
}

/// The announcement's feature lottery, if `list` is the list it commits to
/// (spec/sortition.md §10.3); an error if the announcement is not a feature
/// draw or names another list.
pub(crate) fn committed_lottery<'a>(
    announcement: &'a DrawAnnouncement,
    list: &AllocationList,
) -> Result<&'a FeatureLottery> {
    let lottery = announcement
        .params
        .features()
        .ok_or(Error::InvalidParameter {
            what: "the announcement is not a feature draw",
        })?;
    if !lottery.commits_to(list) {
        return Err(Error::InvalidParameter {
            what: "the allocation list is not the committed one",
        });
    }
    Ok(lottery)
}

/// The draw given a list, without checking the list's commitment (the
/// callers do: [`draw_features`], and the verifier through S19);
/// `Ok(Err(need))` when a household is unknown.
pub(crate) fn recompute(
    announcement: &DrawAnnouncement,
    output: &BeaconOutput,
    strata: &[StratumCount],
    list: &AllocationList,
    households: &HouseholdOracle,
) -> Result<core::result::Result<FeatureDraw, Need>> {
    check_counts(announcement, strata)?;
    let lottery = announcement
        .params
        .features()
        .ok_or(Error::InvalidParameter {
            what: "the announcement is not a feature draw",
        })?;
    let seed = derive_seed(announcement, output);
    // One pick rule (spec/sortition.md §10.4): `below(m)` with the
    // announcement's `m`, never the length of the list at hand.
    let picked = pick(&seed, lottery.m)?;
    let quotas = cell_quotas(&lottery.quotas, strata, list, picked)?;
    let reserve = announcement.params.reserve;
    let draws = if lottery.quotas.household().is_some() {
        match household_draws(&seed, reserve, strata, quotas, households)? {
            Ok(d) => d,
            Err(need) => return Ok(Err(need)),
        }
    } else {
        stratum_draws(&seed, reserve, strata, quotas)?
    };
    Ok(Ok(FeatureDraw {
        pick: picked,
        strata: draws,
    }))
}

/// The seats of each census cell under allocation `picked` of `list`
/// (cells without eligible people get none), after checking that the
/// allocation is feasible for the census.
pub(crate) fn cell_quotas(
    quotas: &FeatureQuotas,
    strata: &[StratumCount],
    list: &AllocationList,
    picked: u32,
) -> Result<Vec<u32>> {
    let problem = quotas.problem(strata)?;
    let x = list.get(picked).ok_or(Error::InvalidParameter {
        what: "the picked allocation is outside the list",
    })?;
    if !problem.is_feasible(x) {
        return Err(Error::InvalidParameter {
            what: "the picked allocation is infeasible for the census",
        });
    }
    let mut seats = x.iter().copied();
    Ok(strata
        .iter()
        .map(|s| {
            if s.eligible > 0 {
                seats.next().unwrap_or(0)
            } else {
                0
            }
        })
        .collect())
}

/// §10.5: every cell's shuffle seats its quota, skipping anyone whose
/// household is already seated (cells in ascending order); then every
/// cell's shuffle continues for its reserve list, skipping anyone whose
/// household is seated or already on the cell's reserve list.
fn household_draws(
    seed: &Digest,
    reserve: u32,
    strata: &[StratumCount],
    quotas: Vec<u32>,
    households: &HouseholdOracle,
) -> Result<core::result::Result<Vec<StratumDraw>, Need>> {
    check_eligible(strata, &quotas)?;
    let mut draws: Vec<StratumDraw> = strata
        .iter()
        .zip(&quotas)
        .map(|(count, &quota)| StratumDraw {
            count: count.clone(),
            quota,
            selected: Vec::new(),
            reserve: Vec::new(),
            skipped: Vec::new(),
        })
        .collect();
    let mut walks: Vec<ShuffleWalk<Sampler>> = strata
        .iter()
        .map(|s| ShuffleWalk::new(Sampler::for_stratum(seed, &s.value), s.eligible))
        .collect();
    let mut seated: BTreeSet<&[u8]> = BTreeSet::new();
    for (si, (d, walk)) in draws.iter_mut().zip(&mut walks).enumerate() {
        while d.selected.len() < d.quota as usize {
            let Some(r) = walk.next_rank()? else {
                return Err(Error::InsufficientEligible {
                    stratum: si as u64,
                    requested: u64::from(d.quota),
                    available: d.selected.len() as u64,
                });
            };
            let Some(h) = households.get(&(si, r)) else {
                return Ok(Err(need(si, d)));
            };
            if seated.insert(h.as_slice()) {
                d.selected.push(r);
            } else {
                d.skipped.push(r);
            }
        }
    }
    for (si, (d, walk)) in draws.iter_mut().zip(&mut walks).enumerate() {
        if d.quota == 0 {
            continue;
        }
        let mut listed: BTreeSet<&[u8]> = BTreeSet::new();
        while d.reserve.len() < reserve as usize {
            let Some(r) = walk.next_rank()? else {
                break;
            };
            let Some(h) = households.get(&(si, r)) else {
                return Ok(Err(need(si, d)));
            };
            if seated.contains(h.as_slice()) || !listed.insert(h.as_slice()) {
                d.skipped.push(r);
            } else {
                d.reserve.push(r);
            }
        }
    }
    Ok(Ok(draws))
}

/// The walk of `d` needs one more position than it has output.
fn need(stratum: usize, d: &StratumDraw) -> Need {
    let done = d.selected.len() + d.reserve.len() + d.skipped.len();
    Need {
        stratum,
        steps: done as u64 + 1,
    }
}
