//! Who holds each seat when a vote is held: the draw's delegates, with the
//! replacements from the reserve lists applied in order (spec/record.md
//! §6.2). Check S17 verifies the replacements, check E16 that a vote is
//! restricted to exactly the seated delegates.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::anchor::Electorate;
use super::assembly::AssemblyRecord;
use crate::report::Outcome;
use crate::roll::CitizenKey;

/// A delegate who left a seat, and the reserve who took it over.
///
/// The incoming delegate is not chosen by anyone: it is the first reserve
/// of the seat's stratum, in reserve order, who has not already been
/// called up. The record states both keys so that a reader sees who left
/// and who joined; the verifier checks both.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Replacement {
    /// The first vote (by name) held with the new delegate in the seat.
    pub from_vote: String,
    /// The seat vacated.
    pub seat: u32,
    /// The delegate who left it.
    pub leaving: CitizenKey,
    /// The reserve who took it over.
    pub joining: CitizenKey,
}

/// Most replacements a record may list: a seat can be refilled from its
/// stratum's reserve list at most once per reserve, and a draw has at most
/// 150 seats with at most [`crate::sortition::MAX_RESERVE`] reserves in
/// each stratum; this bound keeps the check's work proportional to the
/// record's bytes anyway.
pub const MAX_REPLACEMENTS: usize = 150 * 1000;

/// The seat holders of an assembly before each of its votes.
pub struct SeatPlan {
    /// Per vote (record order): seat → key.
    before_vote: Vec<BTreeMap<u32, CitizenKey>>,
}

impl SeatPlan {
    /// Applies the record's replacements to the draw's selection (S17):
    /// every replacement names a vote of the record (in nondecreasing vote
    /// order), a seat the draw filled, its current holder, and the next
    /// unused reserve of that seat's stratum.
    pub fn of(record: &AssemblyRecord) -> Result<Self, String> {
        if record.replacements.len() > MAX_REPLACEMENTS {
            return Err(format!(
                "{} replacements, more than {MAX_REPLACEMENTS}",
                record.replacements.len()
            ));
        }
        // seat → (stratum, holder)
        let mut seats: BTreeMap<u32, (usize, CitizenKey)> = BTreeMap::new();
        for (si, s) in record.selection.strata.iter().enumerate() {
            if s.seats.len() != s.selected.len() {
                return Err(format!(
                    "stratum #{si} lists {} seats for {} delegates",
                    s.seats.len(),
                    s.selected.len()
                ));
            }
            for (seat, d) in s.seats.iter().zip(&s.selected) {
                if seats.insert(*seat, (si, *d.entry.key())).is_some() {
                    return Err(format!("seat {seat} is filled twice by the draw"));
                }
            }
        }
        let mut called = alloc::vec![0usize; record.selection.strata.len()];
        let mut pending = record.replacements.iter().enumerate().peekable();
        let mut before_vote = Vec::with_capacity(record.votes.len());
        for vote in &record.votes {
            while let Some((ri, r)) = pending.next_if(|(_, r)| r.from_vote == vote.name) {
                let fail = |why: &str| format!("replacement #{ri} (seat {}): {why}", r.seat);
                let (stratum, holder) = seats
                    .get_mut(&r.seat)
                    .ok_or_else(|| fail("the draw filled no such seat"))?;
                if *holder != r.leaving {
                    return Err(fail("the leaving delegate does not hold the seat"));
                }
                let next = record
                    .selection
                    .strata
                    .get(*stratum)
                    .zip(called.get_mut(*stratum))
                    .ok_or_else(|| fail("no such stratum"))?;
                let (s, used) = next;
                let reserve = s
                    .reserve
                    .get(*used)
                    .ok_or_else(|| fail("the stratum's reserve list is exhausted"))?;
                if *reserve.entry.key() != r.joining {
                    return Err(fail(&format!(
                        "the joining delegate is not reserve #{} of the stratum, the next in order",
                        *used + 1
                    )));
                }
                *used += 1;
                *holder = r.joining;
            }
            before_vote.push(seats.iter().map(|(seat, (_, k))| (*seat, *k)).collect());
        }
        if let Some((ri, r)) = pending.next() {
            return Err(format!(
                "replacement #{ri} names vote \"{}\", which is not a vote of the record held after the previous replacement's",
                r.from_vote
            ));
        }
        Ok(SeatPlan { before_vote })
    }

    /// The keys seated for vote `index` (record order).
    pub fn seated(&self, index: usize) -> Option<impl Iterator<Item = &CitizenKey>> {
        self.before_vote.get(index).map(|m| m.values())
    }
}

/// E16 for vote `index` of `record`: a vote of the seated delegates is
/// restricted to exactly their keys; an open vote carries no eligible set.
/// `plan` is the outcome of S17.
pub fn check_electorate(
    record: &AssemblyRecord,
    index: usize,
    plan: &Result<SeatPlan, String>,
) -> Outcome {
    let Some(vote) = record.votes.get(index) else {
        return Outcome::Failed(format!("no vote #{}", index + 1));
    };
    match (vote.electorate, &vote.record.eligible) {
        (Electorate::Open, None) => Outcome::Passed,
        (Electorate::Open, Some(_)) => {
            Outcome::Failed(String::from("an open vote must not carry an eligible set"))
        }
        (Electorate::Seated, None) => Outcome::Failed(String::from(
            "a vote of the seated delegates carries no eligible set: anyone could vote",
        )),
        (Electorate::Seated, Some(eligible)) => {
            if let Some(why) = partial_assembly(record) {
                return Outcome::NotChecked(why);
            }
            let plan = match plan {
                Ok(p) => p,
                Err(_) => {
                    return Outcome::NotChecked(String::from(
                        "the replacements do not verify (S17)",
                    ))
                }
            };
            // Both sides as key encodings, ascending (an anonymity set's
            // keys are sorted by encoding): no point is decompressed.
            let mut seated: Vec<&[u8; 32]> = plan
                .seated(index)
                .into_iter()
                .flatten()
                .map(CitizenKey::as_bytes)
                .collect();
            seated.sort_unstable();
            let eligible: Vec<&[u8; 32]> = eligible.keys().iter().map(|k| k.as_bytes()).collect();
            if seated == eligible {
                Outcome::Passed
            } else {
                let foreign = eligible
                    .iter()
                    .filter(|k| seated.binary_search(k).is_err())
                    .count();
                let missing = seated
                    .iter()
                    .filter(|k| eligible.binary_search(k).is_err())
                    .count();
                Outcome::Failed(format!(
                    "the eligible set has {} keys, {foreign} of them not seated; {missing} seated delegates are missing",
                    eligible.len()
                ))
            }
        }
    }
}

/// Why the seated set cannot be read from this record alone: with
/// staggered terms, a draw that fills only this year's cohort leaves the
/// other seats to earlier years' draws, whose records are not part of this
/// one (spec/record.md §6.2).
fn partial_assembly(record: &AssemblyRecord) -> Option<String> {
    let schedule = record.announcement.params.schedule.as_ref()?;
    let filled = record.announcement.seats().ok()?;
    (filled.len() != schedule.seats as usize).then(|| {
        format!(
            "staggered terms: this draw fills seats {}..{} of {}; the other cohorts' records are not part of this record",
            filled.start, filled.end, schedule.seats
        )
    })
}
