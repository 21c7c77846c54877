//! The selection record and its verifier (spec/sortition.md §6–7).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;

use crate::fairness::{AllocationList, FairnessCertificate, FairnessFigures};

use super::fair_record::why_uncommitted;
use super::{
    derive_seed, draw, quotas, BeaconOutput, BeaconSource, Census, CensusBuilder, DrawAnnouncement,
    StrataCounter, StratumCount, StratumDraw,
};
use crate::error::{Error, Result};
use crate::report::{Outcome, Report};
use crate::roll::{CitizenKey, Digest, InclusionProof, ProofBuilder, RollEntry};

/// Why [`SelectionRecord::verify`] leaves the fairness checks of a feature
/// draw not checked: they run on the verifier's census of the roll.
pub(crate) const NO_ROLL_CENSUS: &str =
    "no roll: the quota problem comes from the census of the roll";

/// Format version of [`SelectionRecord`].
pub const RECORD_VERSION: u32 = 1;

/// A drawn citizen: the eligible rank the draw produced, the roll entry at
/// that rank, and its inclusion proof (whose `index` is its roll position).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrawnEntry {
    /// Rank among the stratum's eligible entries, in roll order.
    pub rank: u64,
    /// The roll entry.
    pub entry: RollEntry,
    /// Its Merkle inclusion proof against the announced roll.
    pub proof: InclusionProof,
}

/// One stratum of a selection record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StratumSelection {
    /// The stratum and its counts on the roll.
    pub count: StratumCount,
    /// Seats of the stratum.
    pub quota: u32,
    /// The seat numbers its delegates take, aligned with `selected`.
    pub seats: Vec<u32>,
    /// The delegates, in draw order.
    pub selected: Vec<DrawnEntry>,
    /// The reserve list, in order of call-up.
    pub reserve: Vec<DrawnEntry>,
    /// The entries the shuffle passed over because their household was
    /// already seated (spec/sortition.md §10.5), in shuffle order; empty
    /// without households.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub skipped: Vec<DrawnEntry>,
}

/// The allocation lottery of a feature draw, as recorded: the committed
/// list, the index the seed picked and the list's fairness certificate
/// (spec/sortition.md §10.6).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CellLottery {
    /// The picked index.
    pub pick: u32,
    /// The committed list of cell allocations.
    pub allocations: AllocationList,
    /// The fairness certificate of the list on the census's quota problem
    /// (spec/fairness.md §6), checked by F2, F4, F5 and F7 after S22; a
    /// proof about committed data, so not itself committed. Without it
    /// those checks are not checked.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub certificate: Option<FairnessCertificate>,
}

/// Everything needed to recompute and check a draw (spec/sortition.md §6).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SelectionRecord {
    /// [`RECORD_VERSION`].
    pub version: u32,
    /// The announcement published before the beacon round.
    pub announcement: DrawAnnouncement,
    /// The beacon round whose output was used.
    pub beacon_round: u64,
    /// That round's output.
    pub beacon_output: BeaconOutput,
    /// The seed derived from the announcement and the output.
    pub seed: Digest,
    /// Per stratum, ascending by value.
    pub strata: Vec<StratumSelection>,
    /// For a feature draw, the allocation list and the pick.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub lottery: Option<CellLottery>,
}

/// Where a drawn rank goes in the record.
#[derive(Clone, Copy)]
enum Slot {
    Selected(usize),
    Reserve(usize),
    Skipped(usize),
}

impl SelectionRecord {
    /// Makes the record (spec/sortition.md §6.1): takes the verified output
    /// of the announced round from `beacon`, draws from the `census` (the
    /// first pass over the roll), then makes the second pass over `entries`
    /// (the same roll, canonical order) to map the drawn ranks to entries
    /// and collect their inclusion proofs. Fails if the roll differs from
    /// the announced one in either pass.
    pub fn create<I>(
        announcement: &DrawAnnouncement,
        beacon: &impl BeaconSource,
        census: &Census,
        entries: I,
    ) -> Result<Self>
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        if census.roll != announcement.roll {
            return Err(Error::VerificationFailed {
                proof: "roll differs from the announced commitment",
            });
        }
        let output = beacon.verified_output(announcement.beacon_round)?;
        let draws = draw(announcement, &output, &census.strata)?;
        Self::assemble(announcement, output, census, draws, None, entries)
    }

    /// The second pass and the record (§5, §6): maps every drawn rank to
    /// its roll entry with an inclusion proof, and puts the seats in place.
    pub(crate) fn assemble<I>(
        announcement: &DrawAnnouncement,
        output: BeaconOutput,
        census: &Census,
        draws: Vec<StratumDraw>,
        lottery: Option<CellLottery>,
        entries: I,
    ) -> Result<Self>
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        let mut wanted: BTreeMap<(&[u8], u64), (usize, Slot)> = BTreeMap::new();
        for (si, d) in draws.iter().enumerate() {
            for (i, &r) in d.selected.iter().enumerate() {
                wanted.insert((&d.count.value, r), (si, Slot::Selected(i)));
            }
            for (i, &r) in d.reserve.iter().enumerate() {
                wanted.insert((&d.count.value, r), (si, Slot::Reserve(i)));
            }
            for (i, &r) in d.skipped.iter().enumerate() {
                wanted.insert((&d.count.value, r), (si, Slot::Skipped(i)));
            }
        }
        let mut pb = ProofBuilder::new(announcement.roll);
        let mut counter = StrataCounter::new(&announcement.params);
        let mut found: Vec<(usize, Slot, u64, RollEntry)> = Vec::with_capacity(wanted.len());
        for e in entries {
            let e = e.borrow();
            let index = pb.next_index();
            let (stratum, rank) = counter.count(e, index)?;
            let hit =
                rank.and_then(|r| wanted.get(&(&*stratum, r)).map(|&(si, slot)| (si, slot, r)));
            pb.push(e, hit.is_some())?;
            if let Some((si, slot, r)) = hit {
                found.push((si, slot, r, e.clone()));
            }
        }
        if counter.finish() != census.strata {
            return Err(Error::VerificationFailed {
                proof: "roll differs from its census",
            });
        }
        let proofs = pb.finish()?;

        let mut seats = announcement.seats()?;
        let mut strata: Vec<StratumSelection> = draws
            .iter()
            .map(|d| StratumSelection {
                count: d.count.clone(),
                quota: d.quota,
                seats: seats.by_ref().take(d.selected.len()).collect(),
                selected: Vec::with_capacity(d.selected.len()),
                reserve: Vec::with_capacity(d.reserve.len()),
                skipped: Vec::with_capacity(d.skipped.len()),
            })
            .collect();
        let mut placed: Vec<(usize, Slot, DrawnEntry)> = found
            .into_iter()
            .zip(proofs)
            .map(|((si, slot, rank, entry), proof)| (si, slot, DrawnEntry { rank, entry, proof }))
            .collect();
        // Put each stratum's entries back in draw order.
        placed.sort_by_key(|(si, slot, _)| match slot {
            Slot::Selected(i) => (*si, 0, *i),
            Slot::Reserve(i) => (*si, 1, *i),
            Slot::Skipped(i) => (*si, 2, *i),
        });
        for (si, slot, drawn) in placed {
            let s = strata.get_mut(si).ok_or(Error::VerificationFailed {
                proof: "drawn entry outside every stratum",
            })?;
            match slot {
                Slot::Selected(_) => s.selected.push(drawn),
                Slot::Reserve(_) => s.reserve.push(drawn),
                Slot::Skipped(_) => s.skipped.push(drawn),
            }
        }
        let complete = strata.iter().zip(&draws).all(|(s, d)| {
            s.selected.len() == d.selected.len()
                && s.reserve.len() == d.reserve.len()
                && s.skipped.len() == d.skipped.len()
        });
        if !complete {
            return Err(Error::VerificationFailed {
                proof: "roll differs from its census",
            });
        }
        Ok(SelectionRecord {
            version: super::RECORD_VERSION,
            announcement: announcement.clone(),
            beacon_round: announcement.beacon_round,
            beacon_output: output,
            seed: derive_seed(announcement, &output),
            strata,
            lottery,
        })
    }

    /// Verifies the record against the announcement that was published
    /// before the beacon round and the beacon's verified outputs, without
    /// the roll: checks S1–S11 of spec/sortition.md §7.
    /// For a feature draw, F2, F4, F5 and F7 of the fairness certificate
    /// are not checked: they need the census of the roll
    /// ([`verify_with_roll`](Self::verify_with_roll)).
    pub fn verify(
        &self,
        published: &DrawAnnouncement,
        beacon: &(impl BeaconSource + ?Sized),
    ) -> Report {
        self.verify_against(published, beacon, Err(NO_ROLL_CENSUS.into()))
            .0
    }

    /// S1–S11, and for a feature draw S18–S22 and the fairness checks on
    /// `census`: the verifier's own census of the announced roll, or why
    /// there is none; with the fairness figures of a feature draw.
    fn verify_against(
        &self,
        published: &DrawAnnouncement,
        beacon: &(impl BeaconSource + ?Sized),
        census: core::result::Result<&[StratumCount], String>,
    ) -> (Report, Option<FairnessFigures>) {
        let mut report = Report::new();
        let a = published;

        report.record(
            "S1",
            "the record's announcement is the one published before the beacon round, and is well-formed",
            if self.version != super::RECORD_VERSION {
                Err(format!("unsupported record version {}", self.version))
            } else if self.announcement != *a {
                Err(String::from("the record's announcement differs from the published one"))
            } else {
                a.validate().map_err(|e| format!("{e}"))
            },
        );
        report.record(
            "S2",
            "the beacon round used is the round the announcement named",
            if self.beacon_round == a.beacon_round {
                Ok(())
            } else {
                Err(format!(
                    "used round {} but the announcement named round {}",
                    self.beacon_round, a.beacon_round
                ))
            },
        );
        report.record(
            "S3",
            "the beacon output is the verified output of the named round",
            match beacon.verified_output(a.beacon_round) {
                Ok(o) if o == self.beacon_output => Ok(()),
                Ok(_) => Err(format!(
                    "the output differs from the verified output of round {}",
                    a.beacon_round
                )),
                Err(e) => Err(format!("{e}")),
            },
        );
        report.record(
            "S4",
            "the seed is recomputed from the announcement and the beacon output",
            if derive_seed(a, &self.beacon_output) == self.seed {
                Ok(())
            } else {
                Err("the recorded seed differs from the recomputed one")
            },
        );
        let counts: Vec<StratumCount> = self.strata.iter().map(|s| s.count.clone()).collect();
        // A feature draw's S5, S9 and S10 read the allocation list only if
        // it is the committed one (S19); otherwise they are not checked.
        let committed = match a.params.features() {
            Some(f) => self
                .committed_lottery(f)
                .map(|_| ())
                .map_err(|why| why_uncommitted(&why)),
            None => Ok(()),
        };
        let recomputed = self.recompute(a, &counts);
        let gated = |check: &dyn Fn() -> core::result::Result<(), String>| match &committed {
            Ok(()) => Outcome::from_result(check()),
            Err(why) => Outcome::NotChecked(why.clone()),
        };
        report.push(
            "S5",
            "stratum quotas are computed correctly from the stratum sizes",
            gated(&|| self.check_quotas(a, &counts, &recomputed)),
        );
        report.record(
            "S6",
            "every drawn entry is included in the announced roll (Merkle proof)",
            self.each_drawn(|_, d| {
                d.proof
                    .verify(&d.entry, &a.roll)
                    .map_err(|e| format!("{e}"))
            }),
        );
        report.record(
            "S7",
            "every drawn entry belongs to its stratum",
            self.each_drawn(|s, d| match a.params.stratum_of(&d.entry, d.proof.index) {
                Ok(v) if *v == *s.count.value.as_slice() => Ok(()),
                Ok(_) => Err(String::from("entry is in another stratum")),
                Err(e) => Err(format!("{e}")),
            }),
        );
        report.record(
            "S8",
            "no excluded citizen is selected or in reserve",
            self.each_drawn(|_, d| {
                if a.params.is_excluded(d.entry.key()) {
                    Err(String::from("the citizen is excluded"))
                } else {
                    Ok(())
                }
            }),
        );
        report.push(
            "S9",
            "the recomputed draw equals the recorded selection, consistently with roll positions",
            gated(&|| self.check_selected(&recomputed)),
        );
        report.push(
            "S10",
            "the reserve lists continue the draw and are disjoint from the selection",
            gated(&|| self.check_reserve(&recomputed)),
        );
        report.record(
            "S11",
            "the selection fills exactly the seats to be filled this year",
            self.check_seats(a),
        );
        let figures = a.params.features().map(|lottery| {
            self.verify_features(a, lottery, &counts, &mut report);
            self.verify_fairness(lottery, census, &mut report)
        });
        (report, figures)
    }

    /// The quotas and draw recomputed from the recorded counts: §3.2 and §5,
    /// or for a feature draw §10.4–10.5 with the recorded allocation list,
    /// if it is the committed one (S19), and, with households, the recorded
    /// entries' households.
    fn recompute(&self, a: &DrawAnnouncement, counts: &[StratumCount]) -> Result<Vec<StratumDraw>> {
        let Some(f) = a.params.features() else {
            return draw(a, &self.beacon_output, counts);
        };
        let lottery = self
            .committed_lottery(f)
            .map_err(|_| Error::VerificationFailed {
                proof: "the allocation list is not the committed one",
            })?;
        let households = self.recorded_households(a)?;
        match super::fair::recompute(
            a,
            &self.beacon_output,
            counts,
            &lottery.allocations,
            &households,
        )? {
            Ok(d) => Ok(d.strata),
            Err(_) => Err(Error::VerificationFailed {
                proof: "the draw reaches a rank whose entry the record lacks",
            }),
        }
    }

    /// [`verify`](Self::verify), plus checks S12–S14 from one streaming pass
    /// over the roll itself (canonical order).
    pub fn verify_with_roll<I>(
        &self,
        published: &DrawAnnouncement,
        beacon: &(impl BeaconSource + ?Sized),
        entries: I,
    ) -> Report
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        self.verify_with_roll_figures(published, beacon, entries).0
    }

    /// [`verify_with_roll`](Self::verify_with_roll), with, for a feature
    /// draw, the fairness figures of the verifier's run of the fairness
    /// checks on its census of the roll (spec/record.md §10.1; `None` for
    /// another draw).
    pub fn verify_with_roll_figures<I>(
        &self,
        published: &DrawAnnouncement,
        beacon: &(impl BeaconSource + ?Sized),
        entries: I,
    ) -> (Report, Option<FairnessFigures>)
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        let scan = self.scan_roll(published, entries);
        let census = match &scan {
            Ok((c, _)) if c.roll == published.roll => Ok(c.strata.as_slice()),
            Ok(_) => Err(String::from("the roll is not the announced one (S12)")),
            Err(_) => Err(String::from("the roll could not be read (S12)")),
        };
        let (mut report, figures) = self.verify_against(published, beacon, census);
        let (census, misplaced) = match scan {
            Ok(v) => v,
            Err(e) => {
                let why = format!("the roll could not be read: {e}");
                report.record("S12", S12, Err(why.clone()));
                report.record("S13", S13, Err(why.clone()));
                report.record("S14", S14, Err(why));
                return (report, figures);
            }
        };
        report.record(
            "S12",
            S12,
            if census.roll == published.roll {
                Ok(())
            } else {
                Err(format!(
                    "the roll has {} entries and another root than the announced roll of {}",
                    census.roll.size, published.roll.size
                ))
            },
        );
        let counts: Vec<StratumCount> = self.strata.iter().map(|s| s.count.clone()).collect();
        report.record(
            "S13",
            S13,
            if census.strata == counts {
                Ok(())
            } else {
                Err("the recorded stratum counts differ from the roll's")
            },
        );
        report.record("S14", S14, misplaced.map_or(Ok(()), Err));
        (report, figures)
    }

    /// One pass: the census, and the first drawn entry that is not the
    /// entry at its rank in the roll.
    fn scan_roll<I>(&self, a: &DrawAnnouncement, entries: I) -> Result<(Census, Option<String>)>
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        let mut wanted: BTreeMap<(&[u8], u64), &DrawnEntry> = BTreeMap::new();
        let mut misplaced = None;
        for (si, s) in self.strata.iter().enumerate() {
            for d in s.selected.iter().chain(&s.reserve).chain(&s.skipped) {
                // Two entries at one rank cannot both be the roll entry at
                // that rank; without this, the second would hide the first.
                if wanted.insert((&s.count.value, d.rank), d).is_some() && misplaced.is_none() {
                    misplaced = Some(format!(
                        "two drawn entries of stratum #{si} claim rank {}",
                        d.rank
                    ));
                }
            }
        }
        let mut census = CensusBuilder::new(&a.params);
        let mut matched = 0usize;
        for (index, e) in (0u64..).zip(entries) {
            let e = e.borrow();
            let (stratum, rank) = census.push(e)?;
            if let Some(d) = rank.and_then(|r| wanted.get(&(&*stratum, r))) {
                matched += 1;
                if (d.entry != *e || d.proof.index != index) && misplaced.is_none() {
                    misplaced = Some(format!(
                        "rank {} of its stratum is roll entry #{index}, not the recorded one",
                        d.rank
                    ));
                }
            }
        }
        if matched != wanted.len() {
            misplaced.get_or_insert_with(|| {
                String::from("a recorded rank does not exist among the stratum's eligible entries")
            });
        }
        Ok((census.finish()?, misplaced))
    }

    fn each_drawn(
        &self,
        mut check: impl FnMut(&StratumSelection, &DrawnEntry) -> core::result::Result<(), String>,
    ) -> core::result::Result<(), String> {
        for (si, s) in self.strata.iter().enumerate() {
            for (list, entries) in [
                ("selected", &s.selected),
                ("reserve", &s.reserve),
                ("skipped", &s.skipped),
            ] {
                for (i, d) in entries.iter().enumerate() {
                    check(s, d).map_err(|e| format!("stratum #{si} {list} #{i}: {e}"))?;
                }
            }
        }
        Ok(())
    }

    fn check_quotas(
        &self,
        a: &DrawAnnouncement,
        counts: &[StratumCount],
        recomputed: &Result<Vec<StratumDraw>>,
    ) -> core::result::Result<(), String> {
        let ascending = counts.windows(2).all(|w| match w {
            [x, y] => x.value < y.value,
            _ => true,
        });
        if !ascending {
            return Err(String::from("strata are not in ascending order"));
        }
        let total = counts
            .iter()
            .try_fold(0u64, |t, c| t.checked_add(c.size))
            .ok_or_else(|| String::from("stratum sizes overflow"))?;
        if total != a.roll.size {
            return Err(format!(
                "stratum sizes add up to {total}, not the roll size {}",
                a.roll.size
            ));
        }
        let missing: u64 = counts
            .iter()
            .map(|c| c.size.saturating_sub(c.eligible))
            .sum();
        if counts.iter().any(|c| c.eligible > c.size) || missing > a.params.exclusions.len() as u64
        {
            return Err(String::from(
                "eligible counts are inconsistent with the sizes and the exclusions",
            ));
        }
        let q: Vec<u32> = match &a.params.quotas {
            super::Quotas::Features(_) => recomputed
                .as_ref()
                .map_err(|e| format!("{e}"))?
                .iter()
                .map(|d| d.quota)
                .collect(),
            _ => quotas(&a.params, counts).map_err(|e| format!("{e}"))?,
        };
        let recorded: Vec<u32> = self.strata.iter().map(|s| s.quota).collect();
        if q != recorded {
            return Err(format!(
                "quotas should be {q:?}, the record has {recorded:?}"
            ));
        }
        Ok(())
    }

    /// Each recorded stratum with the recomputed draw of the same stratum,
    /// numbered; fails if the draw failed or has another number of strata
    /// (the common start of S9 and S10).
    fn strata_with_draws<'s, 'd>(
        &'s self,
        recomputed: &'d Result<Vec<StratumDraw>>,
    ) -> core::result::Result<
        impl Iterator<Item = (usize, (&'s StratumSelection, &'d StratumDraw))>,
        String,
    > {
        let draws = recomputed
            .as_ref()
            .map_err(|e| format!("the draw fails: {e}"))?;
        if draws.len() != self.strata.len() {
            return Err(String::from("the record has another number of strata"));
        }
        Ok(self.strata.iter().zip(draws).enumerate())
    }

    fn check_selected(
        &self,
        recomputed: &Result<Vec<StratumDraw>>,
    ) -> core::result::Result<(), String> {
        let strata = self.strata_with_draws(recomputed)?;
        let mut keys: BTreeSet<&CitizenKey> = BTreeSet::new();
        for (si, (s, d)) in strata {
            let ranks: Vec<u64> = s.selected.iter().map(|e| e.rank).collect();
            let skipped: Vec<u64> = s.skipped.iter().map(|e| e.rank).collect();
            if ranks != d.selected || skipped != d.skipped {
                return Err(format!(
                    "stratum #{si}: recorded ranks differ from the draw"
                ));
            }
            // Within a stratum, ranks and roll positions must increase together.
            let mut drawn: Vec<&DrawnEntry> = s
                .selected
                .iter()
                .chain(&s.reserve)
                .chain(&s.skipped)
                .collect();
            drawn.sort_by_key(|e| e.rank);
            // Between two drawn entries there are at least as many roll
            // positions as ranks.
            let ordered = drawn.windows(2).all(|w| match w {
                [x, y] => match (
                    y.proof.index.checked_sub(x.proof.index),
                    y.rank.checked_sub(x.rank),
                ) {
                    (Some(di), Some(dr)) => dr > 0 && di >= dr,
                    _ => false,
                },
                _ => true,
            });
            if !ordered || drawn.iter().any(|e| e.proof.index < e.rank) {
                return Err(format!(
                    "stratum #{si}: roll positions are inconsistent with the ranks"
                ));
            }
            for e in &s.selected {
                if !keys.insert(e.entry.key()) {
                    return Err(format!("stratum #{si}: a citizen is selected twice"));
                }
            }
        }
        Ok(())
    }

    fn check_reserve(
        &self,
        recomputed: &Result<Vec<StratumDraw>>,
    ) -> core::result::Result<(), String> {
        let strata = self.strata_with_draws(recomputed)?;
        let selected: BTreeSet<&CitizenKey> = self
            .strata
            .iter()
            .flat_map(|s| s.selected.iter().map(|e| e.entry.key()))
            .collect();
        let mut reserve: BTreeSet<&CitizenKey> = BTreeSet::new();
        for (si, (s, d)) in strata {
            let ranks: Vec<u64> = s.reserve.iter().map(|e| e.rank).collect();
            if ranks != d.reserve {
                return Err(format!("stratum #{si}: reserve ranks differ from the draw"));
            }
            for e in &s.reserve {
                if selected.contains(e.entry.key()) || !reserve.insert(e.entry.key()) {
                    return Err(format!(
                        "stratum #{si}: a reserve citizen is also selected or listed twice"
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_seats(&self, a: &DrawAnnouncement) -> core::result::Result<(), String> {
        let expected: Vec<u32> = a.seats().map_err(|e| format!("{e}"))?.collect();
        let filled: Vec<u32> = self
            .strata
            .iter()
            .flat_map(|s| s.seats.iter().copied())
            .collect();
        if self
            .strata
            .iter()
            .any(|s| s.seats.len() != s.selected.len())
        {
            return Err(String::from(
                "a stratum has a different number of seats and delegates",
            ));
        }
        if filled != expected {
            return Err(format!(
                "{} seats filled, {} expected, or in another order",
                filled.len(),
                expected.len()
            ));
        }
        Ok(())
    }
}

/// The checks that need the roll stream itself (S12–S15), with their
/// titles: reported "not checked" when no roll is supplied.
pub const ROLL_CHECKS: [(&str, &str); 4] = [("S12", S12), ("S13", S13), ("S14", S14), ("S15", S15)];

const S12: &str = "the roll hashes to the announced root and size";
const S13: &str = "the recorded stratum sizes and eligible counts are the roll's";
const S14: &str = "every drawn entry is the roll entry at its rank in its stratum";
/// Title of S15, recorded by the reader of the roll stream.
pub const S15: &str = "the roll stream is well-formed";
