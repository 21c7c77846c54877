//! Civic domain types: polities, assemblies, staggered terms and the motion
//! life cycle (spec/civic.md).
//!
//! These are plain data types with validation; they carry no behaviour
//! beyond the rules the draw and the ballots rely on:
//!
//! * a [`Polity`] is an issue domain over a region. Regions nest
//!   (`eu` ⊃ `eu/fr` ⊃ `eu/fr/idf`), polities overlap (a citizen of
//!   `eu/fr/idf` belongs to every polity whose region contains it, in every
//!   domain), and human-rights matters are decided only by the polity of the
//!   widest region (spec/civic.md §1);
//! * an [`Assembly`] of at most [`MAX_SEATS`] delegates serves one polity,
//!   with a [`TermSchedule`] that renews a fixed cohort of seats each year
//!   (spec/civic.md §2–3);
//! * a [`Motion`] moves through harm finding → remedy approval → periodic
//!   review, each step decided by a majority [`VoteResult`] (spec/civic.md §4).
//!
//! # Example
//!
//! ```
//! use kleroterion::civic::{Region, TermSchedule, VoteResult};
//!
//! let idf = Region::parse("eu/fr/idf")?;
//! assert!(Region::parse("eu")?.contains(&idf));
//! assert_eq!(idf.parent(), Some(Region::parse("eu/fr")?));
//!
//! // 150 seats, 50 renewed each year for three-year terms, founded in 2031.
//! let schedule = TermSchedule::new(150, 50, 3, 2031)?;
//! assert_eq!(schedule.seats_to_fill(2031)?, 0..150);
//! assert_eq!(schedule.seats_to_fill(2033)?, 100..150);
//! assert!(TermSchedule::new(150, 40, 3, 2031).is_err()); // 40 × 3 ≠ 150
//!
//! let vote = VoteResult { yes: 76, no: 70, abstain: 4 };
//! assert!(vote.carries(150)?);
//! assert!(vote.carries(140).is_err()); // more votes than seats
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use crate::error::{Error, Result};
use crate::roll::check_label;

/// Most seats an assembly may have.
pub const MAX_SEATS: u32 = 150;

macro_rules! label_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// 1 to 64 printable ASCII bytes without spaces.
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps a label.
            pub fn new(label: impl Into<String>) -> Result<Self> {
                let label = label.into();
                check_label(&label)?;
                Ok($name(label))
            }

            /// The label.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self> {
                $name::new(s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

label_type!(
    /// Identifier of a polity, e.g. `health@eu/fr`.
    PolityId
);
label_type!(
    /// Identifier of an assembly, e.g. `health-fr-2027`.
    AssemblyId
);
label_type!(
    /// Name of an issue domain, e.g. `health` or `transport`.
    DomainName
);

/// The matters a polity decides.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IssueDomain {
    /// Human-rights matters: decided only at the widest level.
    HumanRights,
    /// Any other issue domain.
    Named(DomainName),
}

/// A region as a path of nested segments, widest first: `[]` is the widest
/// level, `["eu", "fr"]` is inside `["eu"]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Region(Vec<String>);

impl Region {
    /// The widest level, which contains every region.
    pub fn widest() -> Self {
        Region(Vec::new())
    }

    /// Parses `"eu/fr/idf"`; the empty string is the widest level. Each
    /// segment is a label (1 to 64 printable ASCII bytes, no `/`); at most
    /// 16 levels.
    pub fn parse(path: &str) -> Result<Self> {
        if path.is_empty() {
            return Ok(Region::widest());
        }
        let segments: Vec<String> = path.split('/').map(String::from).collect();
        if segments.len() > 16 {
            return Err(Error::InvalidParameter {
                what: "region nested deeper than 16 levels",
            });
        }
        for s in &segments {
            check_label(s)?;
        }
        Ok(Region(segments))
    }

    /// Whether `self` is `other` or contains it.
    pub fn contains(&self, other: &Region) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The region one level wider, or `None` at the widest level.
    pub fn parent(&self) -> Option<Region> {
        let (_, init) = self.0.split_last()?;
        Some(Region(init.to_vec()))
    }

    /// The nesting depth (0 for the widest level).
    pub fn depth(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl TryFrom<String> for Region {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Region::parse(&s)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> String {
        alloc::format!("{r}")
    }
}

/// A polity: the citizens of a region, for the matters of one issue domain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Polity {
    id: PolityId,
    domain: IssueDomain,
    region: Region,
}

impl Polity {
    /// A polity. Human-rights matters belong only to the widest region.
    pub fn new(id: PolityId, domain: IssueDomain, region: Region) -> Result<Self> {
        if domain == IssueDomain::HumanRights && region != Region::widest() {
            return Err(Error::InvalidParameter {
                what: "human-rights matters are decided only at the widest level",
            });
        }
        Ok(Polity { id, domain, region })
    }

    /// The identifier.
    pub fn id(&self) -> &PolityId {
        &self.id
    }

    /// The issue domain.
    pub fn domain(&self) -> &IssueDomain {
        &self.domain
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// Whether a citizen residing in `residence` belongs to this polity.
    /// Polities overlap: one residence belongs to many polities.
    pub fn includes_resident_of(&self, residence: &Region) -> bool {
        self.region.contains(residence)
    }

    /// Whether this polity nests inside `wider`: same domain, region inside.
    pub fn nests_within(&self, wider: &Polity) -> bool {
        self.domain == wider.domain && wider.region.contains(&self.region)
    }
}

/// Staggered terms: `seats = seats_per_year × term_years`, and every year
/// one cohort of `seats_per_year` seats is renewed (spec/civic.md §3).
///
/// Seats are numbered `0..seats`; cohort `c` holds seats
/// `c·seats_per_year .. (c+1)·seats_per_year`. The founding draw in
/// `first_year` fills every seat; in a later year `y`, cohort
/// `(y − first_year) mod term_years` is renewed, so each delegate after the
/// founding serves exactly `term_years` years (founding cohort `c` serves
/// `c` years, cohort 0 a full term).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TermSchedule {
    /// Total seats of the assembly (≤ [`MAX_SEATS`]).
    pub seats: u32,
    /// Seats renewed each year.
    pub seats_per_year: u32,
    /// Length of a term in years.
    pub term_years: u32,
    /// Year of the founding draw.
    pub first_year: u32,
}

impl TermSchedule {
    /// A validated schedule, e.g. `TermSchedule::new(150, 25, 6, 2027)`.
    pub fn new(seats: u32, seats_per_year: u32, term_years: u32, first_year: u32) -> Result<Self> {
        let s = TermSchedule {
            seats,
            seats_per_year,
            term_years,
            first_year,
        };
        s.validate()?;
        Ok(s)
    }

    /// Checks `0 < seats ≤ 150`, `seats_per_year ≥ 1`, `term_years ≥ 1` and
    /// `seats = seats_per_year × term_years`.
    pub fn validate(&self) -> Result<()> {
        if self.seats == 0 || self.seats > MAX_SEATS {
            return Err(Error::InvalidParameter {
                what: "assembly seats must be 1..=150",
            });
        }
        if self.seats_per_year == 0 || self.term_years == 0 {
            return Err(Error::InvalidParameter {
                what: "seats per year and term length must be positive",
            });
        }
        if self.seats_per_year.checked_mul(self.term_years) != Some(self.seats) {
            return Err(Error::InvalidParameter {
                what: "seats must equal seats_per_year x term_years",
            });
        }
        Ok(())
    }

    /// The seats whose terms expire in `year` and are filled by that year's
    /// draw: every seat in the founding year, then one cohort per year.
    pub fn seats_to_fill(&self, year: u32) -> Result<Range<u32>> {
        self.validate()?;
        let since = year
            .checked_sub(self.first_year)
            .ok_or(Error::InvalidParameter {
                what: "year precedes the assembly's founding",
            })?;
        if since == 0 {
            return Ok(0..self.seats);
        }
        let cohort = since % self.term_years;
        let start = cohort * self.seats_per_year;
        Ok(start..start + self.seats_per_year)
    }

    /// The term of a seat filled in `year`: the years it is held, ending
    /// when the seat is next renewed.
    pub fn term_of(&self, seat: u32, year: u32) -> Result<Term> {
        if !self.seats_to_fill(year)?.contains(&seat) {
            return Err(Error::InvalidParameter {
                what: "seat is not filled in that year",
            });
        }
        let cohort = seat / self.seats_per_year;
        let since = year - self.first_year;
        let len = if since == 0 && cohort != 0 {
            cohort
        } else {
            self.term_years
        };
        Ok(Term {
            first_year: year,
            end_year: year.checked_add(len).ok_or(Error::InvalidParameter {
                what: "term ends after year 2^32",
            })?,
        })
    }
}

/// The years a delegate holds a seat: `first_year ..end_year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Term {
    /// First year served.
    pub first_year: u32,
    /// First year no longer served.
    pub end_year: u32,
}

/// A citizens' assembly of one polity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Assembly {
    id: AssemblyId,
    polity: PolityId,
    schedule: TermSchedule,
}

impl Assembly {
    /// An assembly; its size is the schedule's seat count (≤ 150).
    pub fn new(id: AssemblyId, polity: PolityId, schedule: TermSchedule) -> Result<Self> {
        schedule.validate()?;
        Ok(Assembly {
            id,
            polity,
            schedule,
        })
    }

    /// The identifier.
    pub fn id(&self) -> &AssemblyId {
        &self.id
    }

    /// The polity it serves.
    pub fn polity(&self) -> &PolityId {
        &self.polity
    }

    /// The term schedule.
    pub fn schedule(&self) -> &TermSchedule {
        &self.schedule
    }

    /// Number of seats.
    pub fn seats(&self) -> u32 {
        self.schedule.seats
    }
}

/// The counted result of one secret majority vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VoteResult {
    /// Votes for.
    pub yes: u32,
    /// Votes against.
    pub no: u32,
    /// Abstentions.
    pub abstain: u32,
}

impl VoteResult {
    /// Whether the motion carries: more yes than no votes, with at most
    /// `seats` votes in all.
    pub fn carries(&self, seats: u32) -> Result<bool> {
        let total = self
            .yes
            .checked_add(self.no)
            .and_then(|t| t.checked_add(self.abstain));
        match total {
            Some(t) if t <= seats => {}
            _ => {
                return Err(Error::InvalidParameter {
                    what: "more votes than seats",
                })
            }
        }
        Ok(self.yes > self.no)
    }
}

/// Where a motion stands (spec/civic.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MotionStage {
    /// Asking: does the law allow for harm?
    HarmFinding,
    /// Harm was found; the civil service proposes remedies until one is
    /// approved. `rejected` counts the remedies turned down so far.
    RemedyApproval {
        /// Remedies rejected so far.
        rejected: u32,
    },
    /// A remedy is in force until the review due in `review_year`.
    InForce {
        /// Year of the next review.
        review_year: u32,
    },
    /// The motion is closed.
    Closed(Closure),
}

/// Why a motion closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Closure {
    /// The assembly found no harm.
    NoHarmFound,
    /// A review found the harm gone; the remedy is lifted.
    RemedyLifted,
}

/// A motion before an assembly and its life cycle.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Motion {
    assembly: AssemblyId,
    seats: u32,
    stage: MotionStage,
}

impl Motion {
    /// A new motion before `assembly`, awaiting the harm finding.
    pub fn new(assembly: &Assembly) -> Self {
        Motion {
            assembly: assembly.id.clone(),
            seats: assembly.seats(),
            stage: MotionStage::HarmFinding,
        }
    }

    /// The assembly deciding it.
    pub fn assembly(&self) -> &AssemblyId {
        &self.assembly
    }

    /// The current stage.
    pub fn stage(&self) -> MotionStage {
        self.stage
    }

    /// Records the harm-finding vote: harm found → remedy approval;
    /// otherwise closed.
    pub fn harm_finding(&mut self, vote: VoteResult) -> Result<MotionStage> {
        if self.stage != MotionStage::HarmFinding {
            return Err(WRONG_STAGE);
        }
        self.stage = if vote.carries(self.seats)? {
            MotionStage::RemedyApproval { rejected: 0 }
        } else {
            MotionStage::Closed(Closure::NoHarmFound)
        };
        Ok(self.stage)
    }

    /// Records the vote on a proposed remedy: approved → in force until the
    /// review in `review_year`; rejected → the next remedy is awaited.
    pub fn remedy_approval(&mut self, vote: VoteResult, review_year: u32) -> Result<MotionStage> {
        let MotionStage::RemedyApproval { rejected } = self.stage else {
            return Err(WRONG_STAGE);
        };
        self.stage = if vote.carries(self.seats)? {
            MotionStage::InForce { review_year }
        } else {
            MotionStage::RemedyApproval {
                rejected: rejected.saturating_add(1),
            }
        };
        Ok(self.stage)
    }

    /// Records a periodic review vote ("does the harm persist?"): carried →
    /// the remedy stays until `next_review_year`, which must be later than
    /// the review just held; otherwise the remedy is lifted.
    pub fn review(&mut self, vote: VoteResult, next_review_year: u32) -> Result<MotionStage> {
        let MotionStage::InForce { review_year } = self.stage else {
            return Err(WRONG_STAGE);
        };
        self.stage = if vote.carries(self.seats)? {
            if next_review_year <= review_year {
                return Err(Error::InvalidParameter {
                    what: "next review must come after the current one",
                });
            }
            MotionStage::InForce {
                review_year: next_review_year,
            }
        } else {
            MotionStage::Closed(Closure::RemedyLifted)
        };
        Ok(self.stage)
    }
}

const WRONG_STAGE: Error = Error::InvalidParameter {
    what: "vote does not match the motion's stage",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_nest_and_polities_overlap() {
        let eu = Region::parse("eu").unwrap();
        let fr = Region::parse("eu/fr").unwrap();
        let idf = Region::parse("eu/fr/idf").unwrap();
        assert!(Region::widest().contains(&idf) && eu.contains(&idf) && fr.contains(&idf));
        assert!(!idf.contains(&fr));
        assert_eq!(idf.parent(), Some(fr.clone()));
        assert_eq!(Region::widest().parent(), None);
        assert!(Region::parse("eu//fr").is_err());
        assert_eq!(alloc::format!("{idf}"), "eu/fr/idf");

        let health = IssueDomain::Named(DomainName::new("health").unwrap());
        let transport = IssueDomain::Named(DomainName::new("transport").unwrap());
        let h_fr = Polity::new(PolityId::new("health@eu/fr").unwrap(), health.clone(), fr).unwrap();
        let h_eu = Polity::new(PolityId::new("health@eu").unwrap(), health, eu.clone()).unwrap();
        let t_idf = Polity::new(
            PolityId::new("transport@idf").unwrap(),
            transport,
            idf.clone(),
        )
        .unwrap();
        // One resident belongs to all three polities.
        assert!([&h_fr, &h_eu, &t_idf]
            .iter()
            .all(|p| p.includes_resident_of(&idf)));
        assert!(h_fr.nests_within(&h_eu) && !t_idf.nests_within(&h_eu));
        // Human rights only at the widest level.
        assert!(Polity::new(
            PolityId::new("hr@eu").unwrap(),
            IssueDomain::HumanRights,
            eu
        )
        .is_err());
        let hr = Polity::new(
            PolityId::new("hr").unwrap(),
            IssueDomain::HumanRights,
            Region::widest(),
        )
        .unwrap();
        assert!(hr.includes_resident_of(&idf));
        assert!(PolityId::new("with space").is_err());
    }

    #[test]
    fn staggered_terms() {
        let s = TermSchedule::new(150, 25, 6, 2027).unwrap();
        assert_eq!(s.seats_to_fill(2027).unwrap(), 0..150);
        assert_eq!(s.seats_to_fill(2028).unwrap(), 25..50);
        assert_eq!(s.seats_to_fill(2032).unwrap(), 125..150);
        assert_eq!(s.seats_to_fill(2033).unwrap(), 0..25);
        assert!(s.seats_to_fill(2026).is_err());
        // Every seat is renewed exactly once in any six consecutive years.
        let mut count = [0u32; 150];
        for y in 2028..2034 {
            for seat in s.seats_to_fill(y).unwrap() {
                count[seat as usize] += 1;
                assert_eq!(
                    s.term_of(seat, y).unwrap(),
                    Term {
                        first_year: y,
                        end_year: y + 6
                    }
                );
            }
        }
        assert!(count.iter().all(|&c| c == 1));
        assert_eq!(s.term_of(30, 2027).unwrap().end_year, 2028);
        assert_eq!(s.term_of(0, 2027).unwrap().end_year, 2033);
        assert!(s.term_of(0, 2028).is_err());
        assert!(TermSchedule::new(151, 151, 1, 2027).is_err());
        assert!(TermSchedule::new(150, 20, 6, 2027).is_err());
        assert!(TermSchedule::new(150, 0, 6, 2027).is_err());
    }

    #[test]
    fn motion_life_cycle() {
        let a = Assembly::new(
            AssemblyId::new("a").unwrap(),
            PolityId::new("p").unwrap(),
            TermSchedule::new(150, 25, 6, 2027).unwrap(),
        )
        .unwrap();
        let yes = VoteResult {
            yes: 80,
            no: 60,
            abstain: 10,
        };
        let no = VoteResult {
            yes: 60,
            no: 80,
            abstain: 10,
        };
        let mut m = Motion::new(&a);
        assert!(m.review(yes, 2030).is_err());
        assert_eq!(
            m.harm_finding(yes).unwrap(),
            MotionStage::RemedyApproval { rejected: 0 }
        );
        assert!(m.harm_finding(yes).is_err());
        assert_eq!(
            m.remedy_approval(no, 2029).unwrap(),
            MotionStage::RemedyApproval { rejected: 1 }
        );
        assert_eq!(
            m.remedy_approval(yes, 2029).unwrap(),
            MotionStage::InForce { review_year: 2029 }
        );
        assert!(m.review(yes, 2029).is_err());
        assert_eq!(
            m.review(yes, 2031).unwrap(),
            MotionStage::InForce { review_year: 2031 }
        );
        assert_eq!(
            m.review(no, 2033).unwrap(),
            MotionStage::Closed(Closure::RemedyLifted)
        );
        let mut m = Motion::new(&a);
        assert_eq!(
            m.harm_finding(no).unwrap(),
            MotionStage::Closed(Closure::NoHarmFound)
        );
        let too_many = VoteResult {
            yes: 100,
            no: 50,
            abstain: 1,
        };
        assert!(Motion::new(&a).harm_finding(too_many).is_err());
        let tie = VoteResult {
            yes: 70,
            no: 70,
            abstain: 10,
        };
        assert_eq!(tie.carries(150), Ok(false));
    }
}
