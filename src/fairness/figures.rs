//! The fairness figures a verifier shows (spec/record.md §10.1): the exact
//! smallest selection probability it recomputed, how many people have it,
//! the certificate's bound and the gap between them, next to the gap the
//! record announces.
//!
//! Every figure comes from the verifier's own run of the fairness checks
//! (a [`FairnessVerdict`] of [`super::check_lottery`] or
//! [`super::check_panels`]) on the objects it checked, never from a number
//! the record states; a figure is `None` unless the checks that establish
//! it passed.

use alloc::collections::BTreeMap;
use alloc::vec;

use num_bigint::BigInt;

use super::allocation_list::AllocationList;
use super::certificate::FairnessCertificate;
use super::check::FairnessVerdict;
use super::pool::Pool;
use super::problem::CellProblem;
use super::ratio::Ratio;
use crate::report::Outcome;
use crate::sortition::panel::PanelList;

/// Which lottery the figures are of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LotteryKind {
    /// A whole-roll feature draw: `m` cell allocations, every eligible
    /// citizen of the roll a candidate (spec/sortition.md §10).
    WholeRoll,
    /// A pool draw: `m` person-level panels of volunteers
    /// (spec/pool-draw.md).
    Pool,
}

/// The fairness figures of a feature or pool draw, as the verifier
/// recomputed them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FairnessFigures {
    /// Which lottery.
    pub kind: LotteryKind,
    /// `m`: the allocations or panels of the checked list (`None` when the
    /// fairness checks were not made).
    pub m: Option<u64>,
    /// The candidates: the eligible citizens of the verifier's census, or
    /// the volunteers of the pool (`None` when the checks were not made).
    pub people: Option<u64>,
    /// The exact smallest selection probability `p_min`, recomputed from
    /// the list (only when F2, and F3 for a pool, passed).
    pub min_probability: Option<Ratio>,
    /// How many of the candidates have exactly `p_min`.
    pub at_minimum: Option<u64>,
    /// The certificate's bound `B` on the best smallest probability any
    /// lottery could give (only when F4 and F5 passed).
    pub bound: Option<Ratio>,
    /// `B − p_min`, when both are established.
    pub gap: Option<Ratio>,
    /// The gap the certificate announces, `gap_num / gap_den`: the
    /// record's claim, which F7 compares `B − p_min` with (`None` without
    /// a certificate).
    pub announced_gap: Option<Ratio>,
}

/// Whether check `id` of `verdict` passed.
fn passed(verdict: &FairnessVerdict, id: &str) -> bool {
    verdict.outcome(id) == Some(&Outcome::Passed)
}

impl FairnessFigures {
    /// The figures of a lottery whose fairness checks were not made: every
    /// figure `None`.
    pub fn not_established(kind: LotteryKind) -> Self {
        FairnessFigures {
            kind,
            m: None,
            people: None,
            min_probability: None,
            at_minimum: None,
            bound: None,
            gap: None,
            announced_gap: None,
        }
    }

    /// The figures of [`super::check_lottery`]`(problem, lottery,
    /// certificate)`, whose verdict is `verdict`: a citizen of cell `c` is
    /// selected with probability `seats_of(c) / (m · e_c)`.
    pub fn of_lottery(
        verdict: &FairnessVerdict,
        problem: &CellProblem,
        lottery: &AllocationList,
        certificate: &FairnessCertificate,
    ) -> Self {
        let m = u64::from(lottery.len());
        let min_probability = verdict.min_probability.clone().filter(|_| {
            passed(verdict, "F2") && verdict.outcome("F3").is_none_or(|o| *o == Outcome::Passed)
        });
        let at_minimum = min_probability.as_ref().map(|p| {
            problem
                .cells
                .iter()
                .enumerate()
                .filter(|(c, cell)| {
                    Ratio::new(
                        BigInt::from(lottery.seats_of(*c)),
                        BigInt::from(m) * BigInt::from(cell.eligible),
                    )
                    .is_some_and(|q| q == *p)
                })
                .map(|(_, cell)| cell.eligible)
                .sum()
        });
        let people = problem.cells.iter().map(|c| c.eligible).sum();
        Self::assemble(
            LotteryKind::WholeRoll,
            verdict,
            (m, people),
            min_probability,
            at_minimum,
            certificate,
        )
    }

    /// The figures of [`super::check_panels`]`(problem, pool, list,
    /// certificate)`, whose verdict is `verdict`: a volunteer is selected
    /// with probability (panels holding them) / `m`.
    pub fn of_panels(
        verdict: &FairnessVerdict,
        pool: &Pool,
        list: &PanelList,
        certificate: &FairnessCertificate,
    ) -> Self {
        let m = list.panels().len() as u64;
        let min_probability = verdict
            .min_probability
            .clone()
            .filter(|_| passed(verdict, "F2") && passed(verdict, "F3"));
        let at_minimum = min_probability.as_ref().map(|p| {
            let index: BTreeMap<_, _> = pool.index();
            let mut counts = vec![0u64; pool.people.len()];
            for key in list.panels().iter().flatten() {
                if let Some(c) = index.get(key).and_then(|&i| counts.get_mut(i)) {
                    *c += 1;
                }
            }
            counts
                .iter()
                .filter(|&&n| Ratio::new(BigInt::from(n), BigInt::from(m)).is_some_and(|q| q == *p))
                .count() as u64
        });
        Self::assemble(
            LotteryKind::Pool,
            verdict,
            (m, pool.people.len() as u64),
            min_probability,
            at_minimum,
            certificate,
        )
    }

    fn assemble(
        kind: LotteryKind,
        verdict: &FairnessVerdict,
        (m, people): (u64, u64),
        min_probability: Option<Ratio>,
        at_minimum: Option<u64>,
        certificate: &FairnessCertificate,
    ) -> Self {
        let bound = verdict
            .bound
            .clone()
            .filter(|_| passed(verdict, "F4") && passed(verdict, "F5"));
        let gap = match (&bound, &min_probability) {
            (Some(b), Some(p)) => Some(b.sub(p)),
            _ => None,
        };
        FairnessFigures {
            kind,
            m: Some(m),
            people: Some(people),
            min_probability,
            at_minimum,
            bound,
            gap,
            announced_gap: Ratio::new(
                BigInt::from(certificate.gap_num),
                BigInt::from(certificate.gap_den),
            ),
        }
    }

    /// The same figures with every value dropped (the checks they rest on
    /// were overruled, e.g. a malformed roll stream).
    pub fn cleared(&self) -> Self {
        Self::not_established(self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::check::{
        self,
        tests::{key, lottery, problem},
    };
    use crate::fairness::pool::PoolPerson;
    use crate::fairness::{check_lottery, check_panels};
    use crate::roll::CitizenKey;
    use alloc::vec::Vec;

    /// The checks' two-cell problem (people of both cells have 1/2, the
    /// maximin) and its exact certificate (`B = 1/2`), with the gap 1/100
    /// announced.
    fn certificate() -> FairnessCertificate {
        FairnessCertificate {
            gap_num: 1,
            gap_den: 100,
            ..check::tests::certificate()
        }
    }

    fn ratio(n: i64, d: i64) -> Ratio {
        Ratio::new(BigInt::from(n), BigInt::from(d)).unwrap()
    }

    #[test]
    fn lottery_figures_are_the_verdicts_with_the_people_at_the_minimum() {
        let p = problem();
        let lottery = lottery();
        let cert = certificate();
        let v = check_lottery(&p, &lottery, &cert).unwrap();
        let f = FairnessFigures::of_lottery(&v, &p, &lottery, &cert);
        assert_eq!(f.kind, LotteryKind::WholeRoll);
        assert_eq!((f.m, f.people), (Some(1), Some(4)));
        assert_eq!(f.min_probability, Some(ratio(1, 2)));
        assert_eq!(f.min_probability, v.min_probability);
        assert_eq!(f.at_minimum, Some(4));
        assert_eq!(f.bound, Some(ratio(1, 2)));
        assert_eq!(f.gap, Some(ratio(0, 1)));
        assert_eq!(f.announced_gap, Some(ratio(1, 100)));
    }

    #[test]
    fn a_certificate_that_fails_gives_no_bound() {
        let p = problem();
        let lottery = lottery();
        let mut cert = certificate();
        cert.denominator = 5; // Σ W·e = 4 ≠ 5: F4 fails
        let v = check_lottery(&p, &lottery, &cert).unwrap();
        let f = FairnessFigures::of_lottery(&v, &p, &lottery, &cert);
        assert_eq!(f.min_probability, Some(ratio(1, 2)));
        assert_eq!((f.bound, f.gap), (None, None));
    }

    #[test]
    fn panel_figures_count_the_volunteers_at_the_minimum() {
        let p = problem();
        let mut keys: Vec<CitizenKey> = (0..4).map(key).collect();
        keys.sort();
        let pool = Pool {
            people: keys
                .iter()
                .enumerate()
                .map(|(i, &key)| PoolPerson {
                    key,
                    cell: (i / 2) as u32,
                    household: None,
                })
                .collect(),
        };
        // Panels {0, 2} and {0, 3}: person 0 has 1, person 1 has 0.
        let panel = |a: usize, b: usize| {
            let mut v = vec![keys[a], keys[b]];
            v.sort();
            v
        };
        let list = PanelList::new(vec![panel(0, 2), panel(0, 3)]).unwrap();
        let cert = certificate();
        let v = check_panels(&p, &pool, &list, &cert).unwrap();
        let f = FairnessFigures::of_panels(&v, &pool, &list, &cert);
        assert_eq!(f.kind, LotteryKind::Pool);
        assert_eq!(f.min_probability, Some(ratio(0, 2)));
        assert_eq!(f.at_minimum, Some(1));
        assert_eq!(f.bound, Some(ratio(1, 2)));
        assert_eq!(f.gap, Some(ratio(1, 2)));
        assert_eq!(
            f.cleared(),
            FairnessFigures::not_established(LotteryKind::Pool)
        );
    }
}
