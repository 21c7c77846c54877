//! Records of feature draws: making them (with households, more than one
//! pass over the roll) and the feature checks S18–S22
//! (spec/sortition.md §10.6–10.7).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;

use super::fair::{self, cell_quotas, FeatureLottery, HouseholdOracle};
use super::{
    derive_seed, BeaconSource, CellLottery, Census, DrawAnnouncement, Sampler, SelectionRecord,
    ShuffleWalk, StrataCounter, StratumCount,
};
use crate::error::{Error, Result};
use crate::fairness::{
    check_lottery, pick, AllocationList, CellProblem, FairnessCertificate, FairnessFigures,
    FairnessVerdict, LotteryKind, LOTTERY_CHECKS,
};
use crate::report::Report;
use crate::roll::RollEntry;

/// The checks of a feature draw (S18–S22), with their titles, in order.
pub const FEATURE_CHECKS: [(&str, &str); 5] = [
    ("S18", S18),
    ("S19", S19),
    ("S20", S20),
    ("S21", S21),
    ("S22", S22),
];

const S18: &str =
    "the recorded cells are cells of the announced features and make a valid quota problem";
const S19: &str = "the allocation list is the committed one: its commitment and its length m";
const S20: &str = "every allocation of the list is feasible for the recorded census";
const S21: &str = "the picked allocation index is recomputed from the seed";
const S22: &str = "no two selected citizens share a household";

type Check = core::result::Result<(), String>;

impl SelectionRecord {
    /// Makes the record of a feature draw (spec/sortition.md §10): takes
    /// the verified output of the announced round, picks an allocation of
    /// `list` (which must be the committed one, and the picked allocation
    /// feasible for `census`), draws each cell, and maps the drawn ranks to
    /// roll entries with inclusion proofs. `roll` yields the roll in
    /// canonical order each time it is called: once without households;
    /// with households, once more per round of household look-ups (usually
    /// one: the shuffles' first positions are fetched in bulk, and doubled
    /// for a cell whose households collide beyond them).
    pub fn create_features<I, F>(
        announcement: &DrawAnnouncement,
        beacon: &impl BeaconSource,
        census: &Census,
        list: &AllocationList,
        mut roll: F,
    ) -> Result<Self>
    where
        F: FnMut() -> I,
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        if census.roll != announcement.roll {
            return Err(Error::VerificationFailed {
                proof: "roll differs from the announced commitment",
            });
        }
        let lottery = fair::committed_lottery(announcement, list)?;
        let output = beacon.verified_output(announcement.beacon_round)?;
        let strata = &census.strata;
        let mut households = HouseholdOracle::new();
        let mut lengths: Option<Vec<u64>> = None;
        let drawn = loop {
            match fair::recompute(announcement, &output, strata, list, &households)? {
                Ok(d) => break d,
                Err(need) => {
                    let next = match lengths.take() {
                        None => {
                            let seed = derive_seed(announcement, &output);
                            let q = cell_quotas(
                                &lottery.quotas,
                                strata,
                                list,
                                pick(&seed, lottery.m)?,
                            )?;
                            first_lengths(strata, &q, announcement.params.reserve)
                        }
                        Some(mut l) => {
                            let at = l.get_mut(need.stratum).ok_or(Error::InvalidParameter {
                                what: "household look-up outside the census",
                            })?;
                            let e = strata.get(need.stratum).map_or(0, |s| s.eligible);
                            if *at >= e {
                                // Cannot happen: the walk stops at e.
                                return Err(Error::InvalidParameter {
                                    what: "household look-up beyond the cell",
                                });
                            }
                            *at = at.saturating_mul(2).max(need.steps).min(e);
                            l
                        }
                    };
                    let seed = derive_seed(announcement, &output);
                    households =
                        fetch_households(announcement, lottery, strata, &next, &seed, roll())?;
                    lengths = Some(next);
                }
            }
        };
        let record_lottery = CellLottery {
            pick: drawn.pick,
            allocations: list.clone(),
            certificate: None,
        };
        Self::assemble(
            announcement,
            output,
            census,
            drawn.strata,
            Some(record_lottery),
            roll(),
        )
    }

    /// The households of the recorded drawn entries by (stratum, rank),
    /// for recomputing a household draw; empty without households.
    pub(crate) fn recorded_households(&self, a: &DrawAnnouncement) -> Result<HouseholdOracle> {
        let mut out = HouseholdOracle::new();
        let Some(f) = a.params.features() else {
            return Ok(out);
        };
        if f.quotas.household().is_none() {
            return Ok(out);
        }
        for (si, s) in self.strata.iter().enumerate() {
            for d in s.selected.iter().chain(&s.reserve).chain(&s.skipped) {
                if let Some(h) = f.quotas.household_of(&d.entry, d.proof.index)? {
                    out.insert((si, d.rank), h.to_vec());
                }
            }
        }
        Ok(out)
    }

    /// Attaches the fairness certificate of the allocation list
    /// (spec/fairness.md §6) to this feature draw's record. The
    /// certificate is a proof about the committed list on the census's
    /// quota problem, not a commitment, so it may come after the draw; it
    /// must pass F2, F4, F5 and F7 on the recorded census and list.
    pub fn with_certificate(
        mut self,
        a: &DrawAnnouncement,
        certificate: FairnessCertificate,
    ) -> Result<Self> {
        let f = a.params.features().ok_or(Error::InvalidParameter {
            what: "a fairness certificate belongs to a feature draw",
        })?;
        let counts: Vec<StratumCount> = self.strata.iter().map(|s| s.count.clone()).collect();
        let problem = f.quotas.problem(&counts)?;
        let lottery = self.lottery.as_mut().ok_or(Error::InvalidParameter {
            what: "a feature draw's record lacks its allocation list",
        })?;
        if !check_lottery(&problem, &lottery.allocations, &certificate)?.passed() {
            return Err(Error::VerificationFailed {
                proof: "the fairness certificate fails F2, F4, F5 or F7 on the census and the list",
            });
        }
        lottery.certificate = Some(certificate);
        Ok(self)
    }

    /// F2, F4, F5 and F7 (spec/fairness.md §8) on the quota problem of
    /// `census` (the verifier's census of the announced roll, or why there
    /// is none), the recorded list and certificate; not checked when the
    /// list is not the committed one (S19), there is no certificate or no
    /// census. A census that makes no quota problem (which a census of the
    /// announced roll under a valid announcement always makes) fails F2.
    /// Returns the figures of the verdict (spec/record.md §10.1).
    pub(crate) fn verify_fairness(
        &self,
        f: &FeatureLottery,
        census: core::result::Result<&[StratumCount], String>,
        report: &mut Report,
    ) -> FairnessFigures {
        let mut figures = FairnessFigures::not_established(LotteryKind::WholeRoll);
        let skip = |why: &str| FairnessVerdict::not_checked(&LOTTERY_CHECKS, why);
        let verdict = match self.committed_lottery(f) {
            Err(why) => skip(&why_uncommitted(&why)),
            Ok(l) => match (&l.certificate, census) {
                (None, _) => skip("the record carries no fairness certificate"),
                (Some(_), Err(why)) => skip(&why),
                (Some(c), Ok(counts)) => match f.quotas.problem(counts).and_then(|problem| {
                    check_lottery(&problem, &l.allocations, c).map(|verdict| (problem, verdict))
                }) {
                    Ok((problem, verdict)) => {
                        figures =
                            FairnessFigures::of_lottery(&verdict, &problem, &l.allocations, c);
                        verdict
                    }
                    Err(e) => FairnessVerdict::problem_failed(
                        &LOTTERY_CHECKS,
                        &format!("the census of the roll makes no quota problem: {e}"),
                    ),
                },
            },
        };
        verdict.append_to(report);
        figures
    }

    /// S18–S22 of a feature draw.
    pub(crate) fn verify_features(
        &self,
        a: &DrawAnnouncement,
        f: &FeatureLottery,
        counts: &[StratumCount],
        report: &mut Report,
    ) {
        let problem = f.quotas.problem(counts).map_err(|e| format!("{e}"));
        report.record(
            "S18",
            S18,
            problem.as_ref().map(|_| ()).map_err(String::clone),
        );
        let lottery = self.committed_lottery(f);
        report.record(
            "S19",
            S19,
            lottery.as_ref().map(|_| ()).map_err(String::clone),
        );
        match lottery {
            Ok(l) => report.record("S20", S20, check_feasible(&problem, &l.allocations)),
            Err(why) => report.not_checked("S20", S20, why_uncommitted(&why)),
        }
        report.record("S21", S21, self.check_pick(a, f));
        report.record("S22", S22, self.check_households(f));
    }

    /// The recorded lottery if its allocation list is the committed one
    /// (S19): the record carries it, it hashes to the announced commitment
    /// and has the announced `m` allocations; otherwise why not. The checks that
    /// read the list (S5, S9, S10, S20 and the fairness checks) read it
    /// only through this (spec/sortition.md §7, "Only the committed list is
    /// read").
    pub(crate) fn committed_lottery(
        &self,
        f: &FeatureLottery,
    ) -> core::result::Result<&CellLottery, String> {
        match &self.lottery {
            None => Err(String::from("the record lacks its allocation list")),
            Some(l) if l.allocations.commitment() != f.allocations => Err(String::from(
                "the allocation list does not hash to the announced commitment",
            )),
            Some(l) if l.allocations.len() != f.m => Err(format!(
                "the list has {} allocations, the announcement {}",
                l.allocations.len(),
                f.m
            )),
            Some(l) => Ok(l),
        }
    }

    fn check_pick(&self, a: &DrawAnnouncement, f: &FeatureLottery) -> Check {
        let recorded = self
            .lottery
            .as_ref()
            .ok_or_else(|| String::from("the record lacks its pick"))?
            .pick;
        let seed = derive_seed(a, &self.beacon_output);
        let expected = pick(&seed, f.m).map_err(|e| format!("{e}"))?;
        if recorded == expected {
            Ok(())
        } else {
            Err(format!(
                "the record picks allocation #{recorded}, the seed picks #{expected}"
            ))
        }
    }

    fn check_households(&self, f: &FeatureLottery) -> Check {
        if f.quotas.household().is_none() {
            return Ok(());
        }
        let mut seen: BTreeSet<&[u8]> = BTreeSet::new();
        for (si, s) in self.strata.iter().enumerate() {
            for (i, d) in s.selected.iter().enumerate() {
                let h = f
                    .quotas
                    .household_of(&d.entry, d.proof.index)
                    .map_err(|e| format!("stratum #{si} selected #{i}: {e}"))?
                    .unwrap_or_default();
                if !seen.insert(h) {
                    return Err(format!(
                        "stratum #{si} selected #{i}: the household is already seated"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Why a check that reads the allocation list is not checked, given why
/// S19 failed.
pub(crate) fn why_uncommitted(s19: &str) -> String {
    format!("the allocation list is not the committed one (S19: {s19})")
}

/// Every allocation of the committed list feasible (S20).
fn check_feasible(
    problem: &core::result::Result<CellProblem, String>,
    list: &AllocationList,
) -> Check {
    let problem = problem
        .as_ref()
        .map_err(|e| format!("no quota problem: {e}"))?;
    match list
        .allocations()
        .iter()
        .position(|x| !problem.is_feasible(x))
    {
        None => Ok(()),
        Some(j) => Err(format!(
            "allocation #{j} breaks a quota, the seats or a cell's eligible count"
        )),
    }
}

/// How far to fetch each cell's shuffle first: twice its seats plus its
/// reserve, plus 8, at most its eligible count.
fn first_lengths(strata: &[StratumCount], quotas: &[u32], reserve: u32) -> Vec<u64> {
    strata
        .iter()
        .zip(quotas)
        .map(|(s, &q)| {
            if q == 0 {
                0
            } else {
                (2 * u64::from(q) + u64::from(reserve) + 8).min(s.eligible)
            }
        })
        .collect()
}

/// One pass over the roll: the household of every rank among the first
/// `lengths[s]` positions of each cell's shuffle (seeded by `seed`).
fn fetch_households<I>(
    a: &DrawAnnouncement,
    f: &FeatureLottery,
    strata: &[StratumCount],
    lengths: &[u64],
    seed: &crate::roll::Digest,
    roll: I,
) -> Result<HouseholdOracle>
where
    I: IntoIterator,
    I::Item: Borrow<RollEntry>,
{
    let mut wanted: BTreeMap<(&[u8], u64), usize> = BTreeMap::new();
    for (si, (s, &len)) in strata.iter().zip(lengths).enumerate() {
        let mut walk = ShuffleWalk::new(Sampler::for_stratum(seed, &s.value), s.eligible);
        for _ in 0..len {
            match walk.next_rank()? {
                Some(r) => wanted.insert((&s.value, r), si),
                None => break,
            };
        }
    }
    let mut out = HouseholdOracle::new();
    let mut counter = StrataCounter::new(&a.params);
    for (index, e) in (0u64..).zip(roll) {
        let e = e.borrow();
        let (stratum, rank) = counter.count(e, index)?;
        if let Some(&si) = rank.and_then(|r| wanted.get(&(&*stratum, r))) {
            if let (Some(h), Some(r)) = (f.quotas.household_of(e, index)?, rank) {
                out.insert((si, r), h.to_vec());
            }
        }
    }
    if counter.finish() != strata {
        return Err(Error::VerificationFailed {
            proof: "roll differs from its census",
        });
    }
    Ok(out)
}
