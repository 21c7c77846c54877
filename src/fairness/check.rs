//! Checks F2–F5 and F7 of a fair lottery and its certificate
//! (spec/fairness.md §8): exact, solver-free, no_std. F1 and F6 are
//! retired ids: the problem and the pool are a precondition (a typed
//! error, not a check), and `p_min ≤ B` is part of F7.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use num_bigint::BigInt;

use super::allocation_list::AllocationList;
use super::certificate::FairnessCertificate;
use super::pool::Pool;
use super::problem::CellProblem;
use super::ratio::Ratio;
use crate::error::Result;
use crate::report::{Check, Outcome, Report};
use crate::sortition::panel::PanelList;

/// A check's result: `Err` with the reason it failed.
type CheckResult = core::result::Result<(), String>;

/// The checks of a panel lottery ([`check_panels`], pool mode), with their
/// titles, in report order: F2, F3, F4, F5, F7. The one table of the
/// fairness checks' ids and titles ([`LOTTERY_CHECKS`] and
/// [`check_title`] read it).
pub const PANEL_CHECKS: [(&str, &str); 5] = [
    (
        "F2",
        "the quota problem (and pool) is well formed and every allocation or panel of the \
         lottery meets the quotas",
    ),
    ("F3", "every panel seats at most one person per household"),
    (
        "F4",
        "the certificate fits the problem and its weights sum to the denominator",
    ),
    (
        "F5",
        "the certificate's dual constraint holds for every cell",
    ),
    (
        "F7",
        "the smallest selection probability, recomputed, is at most the bound, and the bound \
         exceeds it by at most the announced gap",
    ),
];

/// The checks of a lottery over cell allocations ([`check_lottery`]), with
/// their titles, in order: F2, F4, F5 and F7 (F3, households, is
/// pool-only).
pub const LOTTERY_CHECKS: [(&str, &str); 4] = [
    PANEL_CHECKS[0],
    PANEL_CHECKS[2],
    PANEL_CHECKS[3],
    PANEL_CHECKS[4],
];

/// The title of check `id` (`"F2"` … `"F7"`), or `""` for another id
/// (the retired `"F1"` and `"F6"` included).
pub fn check_title(id: &str) -> &'static str {
    PANEL_CHECKS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("", |(_, title)| title)
}

/// The outcome of the fairness checks with the exact values they
/// established.
#[derive(Clone, Debug)]
pub struct FairnessVerdict {
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// The smallest selection probability of anyone, recomputed from the
    /// lottery (when F2, and in pool mode F3, passed).
    pub min_probability: Option<Ratio>,
    /// The certificate's upper bound `B` on the maximin probability (when
    /// F4 and F5 passed).
    pub bound: Option<Ratio>,
}

impl FairnessVerdict {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(Check::passed)
    }

    /// The outcome of check `id`, if it was made.
    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.checks.iter().find(|c| c.id == id).map(|c| &c.outcome)
    }

    /// The verdict of a lottery whose checks could not be made: every
    /// check of `checks` ([`LOTTERY_CHECKS`] or [`PANEL_CHECKS`]) not
    /// checked, for `why` (no certificate, no census of the roll, …).
    pub fn not_checked(checks: &[(&'static str, &'static str)], why: &str) -> Self {
        let mut run = Run::default();
        for &(id, _) in checks {
            run.skip(id, why);
        }
        run.verdict()
    }

    /// The verdict of a lottery for which the verifier has no well-formed
    /// quota problem (or pool), which the problem's constructors exclude
    /// (spec/fairness.md §8, spec/sortition.md §10.8): F2 failed for
    /// `why`, every other check of `checks` not checked. Never passed.
    pub fn problem_failed(checks: &[(&'static str, &'static str)], why: &str) -> Self {
        let mut run = Run::default();
        for &(id, _) in checks {
            if id == "F2" {
                run.result(id, Err(String::from(why)));
            } else {
                run.skip(id, "there is no well-formed quota problem (F2)");
            }
        }
        run.verdict()
    }

    /// Appends the checks to a report.
    pub fn append_to(&self, report: &mut Report) {
        for c in &self.checks {
            report.push(c.id, c.title, c.outcome.clone());
        }
    }
}

#[derive(Default)]
struct Run {
    checks: Vec<Check>,
}

impl Run {
    fn push(&mut self, id: &'static str, outcome: Outcome) -> bool {
        let ok = outcome == Outcome::Passed;
        let title = check_title(id);
        self.checks.push(Check { id, title, outcome });
        ok
    }

    fn result(&mut self, id: &'static str, r: CheckResult) -> bool {
        self.push(id, Outcome::from_result(r))
    }

    fn skip(&mut self, id: &'static str, why: &str) {
        self.push(id, Outcome::NotChecked(why.into()));
    }

    fn verdict(self) -> FairnessVerdict {
        FairnessVerdict {
            checks: self.checks,
            min_probability: None,
            bound: None,
        }
    }
}

/// Checks a lottery over cell allocations (the whole-roll draw, spec/fairness.md
/// §5) against its problem and certificate: F2, F4, F5 and F7. A person of
/// cell `c`, drawn uniformly inside the cell, is selected with probability
/// `Σ_j x_c^(j) / (m·e_c)`.
///
/// # Errors
///
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when the
/// problem is malformed ([`CellProblem::validate`]): the problem is the
/// verifier's own input, a precondition of the checks, not something they
/// judge (spec/fairness.md §8).
pub fn check_lottery(
    problem: &CellProblem,
    lottery: &AllocationList,
    certificate: &FairnessCertificate,
) -> Result<FairnessVerdict> {
    problem.validate()?;
    let mut run = Run::default();
    let feasible = lottery
        .allocations()
        .iter()
        .position(|a| !problem.is_feasible(a))
        .map_or(Ok(()), |j| {
            Err(format!("allocation {j} does not meet the quotas"))
        });
    let p_min = run
        .result("F2", feasible)
        .then(|| cell_min_probability(problem, lottery))
        .flatten();
    Ok(certificate_checks(run, problem, certificate, p_min))
}

/// Checks a committed panel list (spec/sortition.md §8) drawn from `pool`
/// against its problem and certificate: F2, F3, F4, F5 and F7. A person's
/// selection probability is the number of panels holding them over `m`.
///
/// # Errors
///
/// [`Error::InvalidParameter`](crate::Error::InvalidParameter) when the
/// problem is malformed or the pool does not fit it ([`Pool::validate`]):
/// a precondition of the checks (spec/fairness.md §8).
pub fn check_panels(
    problem: &CellProblem,
    pool: &Pool,
    list: &PanelList,
    certificate: &FairnessCertificate,
) -> Result<FairnessVerdict> {
    problem.validate()?;
    pool.validate(problem)?;
    let mut run = Run::default();
    let index = pool.index();
    let mut counts = vec![0u64; pool.people.len()];
    let mut quotas = Ok(());
    let mut households = Ok(());
    for (j, panel) in list.panels().iter().enumerate() {
        let mut alloc = vec![0u32; problem.cells.len()];
        let mut seen = BTreeSet::new();
        for key in panel {
            let Some(&i) = index.get(key) else {
                quotas = quotas.and(Err(format!("panel {j} seats a key outside the pool")));
                continue;
            };
            let person = pool.people.get(i);
            if let Some(s) = person.and_then(|p| alloc.get_mut(p.cell as usize)) {
                *s += 1;
            }
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
            if let Some(h) = person.and_then(|p| p.household) {
                if !seen.insert(h) {
                    households =
                        households.and(Err(format!("panel {j} seats household {h} twice")));
                }
            }
        }
        if !problem.is_feasible(&alloc) {
            quotas = quotas.and(Err(format!("panel {j} does not meet the quotas")));
        }
    }
    let f2 = run.result("F2", quotas);
    let f3 = run.result("F3", households);
    let p_min = (f2 && f3).then(|| {
        let least = counts.iter().copied().min().unwrap_or(0);
        Ratio::new(BigInt::from(least), BigInt::from(list.panels().len()))
    });
    Ok(certificate_checks(
        run,
        problem,
        certificate,
        p_min.flatten(),
    ))
}

/// `min_c Σ_j x_c^(j) / (m·e_c)`.
fn cell_min_probability(problem: &CellProblem, lottery: &AllocationList) -> Option<Ratio> {
    let m = BigInt::from(lottery.len());
    problem
        .cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| {
            Ratio::new(
                BigInt::from(lottery.seats_of(c)),
                &m * BigInt::from(cell.eligible),
            )
        })
        .min()
}

/// F4, F5 and F7 on the certificate, given the lottery's recomputed
/// minimum probability (`None` when F2 or F3 failed).
fn certificate_checks(
    mut run: Run,
    problem: &CellProblem,
    cert: &FairnessCertificate,
    p_min: Option<Ratio>,
) -> FairnessVerdict {
    let f4 = run.result("F4", normalisation(problem, cert));
    let f5 = if f4 {
        run.result("F5", dual_feasibility(problem, cert))
    } else {
        run.skip("F5", "the certificate does not fit the problem (F4)");
        false
    };
    let bound = f5.then(|| bound(problem, cert)).flatten();
    match (&p_min, &bound) {
        (Some(p), Some(b)) => {
            run.result("F7", within_gap(p, b, cert));
        }
        (None, _) => run.skip("F7", "the lottery failed F2 or F3"),
        (Some(_), None) => run.skip("F7", "the certificate failed F4 or F5"),
    }
    FairnessVerdict {
        checks: run.checks,
        min_probability: p_min,
        bound,
    }
}

/// F7: `p_min ≤ B` (implied by F2, F4 and F5 through weak duality, so a
/// failure here is an arithmetic error, never a pass) and
/// `B − p_min ≤ gap_num / gap_den`.
fn within_gap(p_min: &Ratio, bound: &Ratio, cert: &FairnessCertificate) -> CheckResult {
    let gap = Ratio::new(BigInt::from(cert.gap_num), BigInt::from(cert.gap_den))
        .ok_or_else(|| String::from("the announced gap has a zero denominator"))?;
    if p_min > bound {
        return Err(format!(
            "p_min {} exceeds the bound {}",
            p_min.describe(),
            bound.describe()
        ));
    }
    let actual = bound.sub(p_min);
    if actual <= gap {
        Ok(())
    } else {
        Err(format!(
            "B − p_min = {} exceeds the announced gap {}",
            actual.describe(),
            gap.describe()
        ))
    }
}

/// F4: one dual pair per cell and per category, `D > 0`, and
/// `Σ W_c·e_c = D`.
fn normalisation(problem: &CellProblem, cert: &FairnessCertificate) -> CheckResult {
    if cert.cells.len() != problem.cells.len() {
        return Err(format!(
            "{} cell duals for {} cells",
            cert.cells.len(),
            problem.cells.len()
        ));
    }
    let shape_ok = cert.categories.len() == problem.quotas.len()
        && cert
            .categories
            .iter()
            .zip(&problem.quotas)
            .all(|(d, q)| d.len() == q.len());
    if !shape_ok {
        return Err("the category duals do not match the features and categories".into());
    }
    if cert.denominator == 0 {
        return Err("the denominator is zero".into());
    }
    let sum: BigInt = cert
        .cells
        .iter()
        .zip(&problem.cells)
        .map(|(d, c)| BigInt::from(d.weight) * BigInt::from(c.eligible))
        .sum();
    if sum == BigInt::from(cert.denominator) {
        Ok(())
    } else {
        Err(format!(
            "Σ W_c·e_c = {sum}, the denominator is {}",
            cert.denominator
        ))
    }
}

/// F5: `W_c ≤ G + Σ_f (A_{f,c_f} − B_{f,c_f}) + Δ_c` for every cell.
fn dual_feasibility(problem: &CellProblem, cert: &FairnessCertificate) -> CheckResult {
    for (c, (cell, d)) in problem.cells.iter().zip(&cert.cells).enumerate() {
        let mut rhs = BigInt::from(cert.gamma) + BigInt::from(d.slack);
        for (f, &v) in cell.categories.iter().enumerate() {
            let q = cert
                .categories
                .get(f)
                .and_then(|f| f.get(usize::from(v)))
                .ok_or_else(|| format!("cell {c} names a category without a dual"))?;
            rhs += BigInt::from(q.upper);
            rhs -= BigInt::from(q.lower);
        }
        if BigInt::from(d.weight) > rhs {
            return Err(format!("cell {c}: W_c = {} exceeds {rhs}", d.weight));
        }
    }
    Ok(())
}

/// `B = (G·K + Σ A·max − Σ B·min + Σ Δ_c·e_c) / D`.
pub(crate) fn bound(problem: &CellProblem, cert: &FairnessCertificate) -> Option<Ratio> {
    let mut num = BigInt::from(cert.gamma) * BigInt::from(problem.seats);
    for (duals, bounds) in cert.categories.iter().zip(&problem.quotas) {
        for (d, q) in duals.iter().zip(bounds) {
            num += BigInt::from(d.upper) * BigInt::from(q.max);
            num -= BigInt::from(d.lower) * BigInt::from(q.min);
        }
    }
    for (d, c) in cert.cells.iter().zip(&problem.cells) {
        num += BigInt::from(d.slack) * BigInt::from(c.eligible);
    }
    Ratio::new(num, BigInt::from(cert.denominator))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fairness::certificate::{CategoryDual, CellDual};
    use crate::fairness::pool::PoolPerson;
    use crate::fairness::problem::{Cell, QuotaBounds};
    use crate::roll::CitizenKey;
    use curve25519_dalek::ristretto::RistrettoPoint;
    use curve25519_dalek::scalar::Scalar;

    /// One feature with two categories of two people each, one seat per
    /// category: the only panel shape is `[1, 1]`, the maximin is 1/2.
    pub(crate) fn problem() -> CellProblem {
        CellProblem {
            seats: 2,
            quotas: vec![vec![QuotaBounds { min: 1, max: 1 }; 2]],
            cells: vec![
                Cell {
                    categories: vec![0],
                    eligible: 2,
                },
                Cell {
                    categories: vec![1],
                    eligible: 2,
                },
            ],
        }
    }

    /// `w = (1/4, 1/4)`, `γ = 1/4`: `B = γ·K = 1/2`, over `D = 4`.
    pub(crate) fn certificate() -> FairnessCertificate {
        FairnessCertificate {
            denominator: 4,
            gamma: 1,
            cells: vec![
                CellDual {
                    weight: 1,
                    slack: 0
                };
                2
            ],
            categories: vec![vec![CategoryDual { upper: 0, lower: 0 }; 2]],
            gap_num: 0,
            gap_den: 1,
        }
    }

    pub(crate) fn lottery() -> AllocationList {
        AllocationList::new(vec![vec![1, 1]]).unwrap()
    }

    fn failed(v: &FairnessVerdict) -> Vec<&'static str> {
        v.checks
            .iter()
            .filter(|c| c.failed())
            .map(|c| c.id)
            .collect()
    }

    #[test]
    fn an_optimal_lottery_verifies_with_a_zero_gap() {
        let v = check_lottery(&problem(), &lottery(), &certificate()).unwrap();
        assert!(v.passed(), "{:?}", v.checks);
        let ids: Vec<_> = v.checks.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["F2", "F4", "F5", "F7"]);
        let titled: Vec<_> = v.checks.iter().map(|c| (c.id, c.title)).collect();
        assert_eq!(titled, LOTTERY_CHECKS);
        let half = Ratio::new(BigInt::from(1), BigInt::from(2)).unwrap();
        assert_eq!(v.min_probability, Some(half.clone()));
        assert_eq!(v.bound, Some(half));
    }

    #[test]
    fn each_tampered_component_fails_its_check() {
        let p = problem();
        let l = lottery();
        let cases: Vec<(&str, FairnessCertificate, &str)> = vec![
            (
                "weight",
                {
                    let mut c = certificate();
                    c.cells[0].weight = 2;
                    c
                },
                "F4",
            ),
            (
                "denominator",
                {
                    let mut c = certificate();
                    c.denominator = 3;
                    c
                },
                "F4",
            ),
            (
                "zero denominator",
                {
                    let mut c = certificate();
                    c.denominator = 0;
                    c
                },
                "F4",
            ),
            (
                "missing cell dual",
                {
                    let mut c = certificate();
                    c.cells.pop();
                    c
                },
                "F4",
            ),
            (
                "extra category",
                {
                    let mut c = certificate();
                    c.categories[0].push(CategoryDual { upper: 0, lower: 0 });
                    c
                },
                "F4",
            ),
            (
                "gamma lowered",
                {
                    let mut c = certificate();
                    c.gamma = 0;
                    c
                },
                "F5",
            ),
            (
                "lower multiplier raised",
                {
                    let mut c = certificate();
                    c.categories[0][1].lower = 1;
                    c
                },
                "F5",
            ),
            (
                "gamma raised",
                {
                    let mut c = certificate();
                    c.gamma = 2;
                    c
                },
                "F7",
            ),
            (
                "slack raised",
                {
                    let mut c = certificate();
                    c.cells[1].slack = 1;
                    c
                },
                "F7",
            ),
            (
                "upper multiplier raised",
                {
                    let mut c = certificate();
                    c.categories[0][0].upper = 1;
                    c
                },
                "F7",
            ),
            (
                "gap's denominator zeroed",
                {
                    let mut c = certificate();
                    c.gap_den = 0;
                    c
                },
                "F7",
            ),
        ];
        for (what, cert, id) in cases {
            let v = check_lottery(&p, &l, &cert).unwrap();
            assert_eq!(failed(&v), [id], "{what}: {:?}", v.checks);
        }
    }

    #[test]
    fn an_understated_gap_fails_f7_and_an_honest_one_passes() {
        // A lottery that always seats the same two people of a larger cell:
        // p_min = 1/4 while B = 1/2.
        let mut p = problem();
        p.cells[1].eligible = 4;
        let mut cert = certificate();
        cert.denominator = 6; // 1·2 + 1·4
        cert.gamma = 1;
        // B = 2/6 = 1/3 ≥ p_min = min(1/2, 1/4) = 1/4; the gap is 1/12.
        let v = check_lottery(&p, &lottery(), &cert).unwrap();
        assert_eq!(failed(&v), ["F7"], "{:?}", v.checks);
        cert.gap_num = 1;
        cert.gap_den = 13;
        assert_eq!(
            failed(&check_lottery(&p, &lottery(), &cert).unwrap()),
            ["F7"]
        );
        cert.gap_den = 12;
        assert!(check_lottery(&p, &lottery(), &cert).unwrap().passed());
    }

    #[test]
    fn tampered_lotteries_and_quotas_fail_f2() {
        let v = check_lottery(
            &problem(),
            &AllocationList::new(vec![vec![1, 1], vec![2, 0]]).unwrap(),
            &certificate(),
        )
        .unwrap();
        assert_eq!(failed(&v), ["F2"]);
        assert!(matches!(v.outcome("F7"), Some(Outcome::NotChecked(_))));
        assert_eq!(v.min_probability, None);
        let mut p = problem();
        p.quotas[0][0].min = 2;
        p.quotas[0][0].max = 2;
        assert_eq!(
            failed(&check_lottery(&p, &lottery(), &certificate()).unwrap()),
            ["F2"]
        );
        let short = AllocationList::new(vec![vec![2]]).unwrap();
        assert_eq!(
            failed(&check_lottery(&problem(), &short, &certificate()).unwrap()),
            ["F2"]
        );
    }

    #[test]
    fn p_min_above_the_bound_fails_f7_never_passes() {
        // Weak duality excludes it after F2, F4 and F5; the guard turns a
        // verifier's arithmetic error into a failure, not a pass (a
        // negative B − p_min is below every gap).
        let third = Ratio::new(BigInt::from(1), BigInt::from(3)).unwrap();
        let half = Ratio::new(BigInt::from(1), BigInt::from(2)).unwrap();
        let generous = FairnessCertificate {
            gap_num: 1,
            gap_den: 1,
            ..certificate()
        };
        let err = within_gap(&half, &third, &generous).unwrap_err();
        assert!(err.contains("exceeds the bound"), "{err}");
        assert!(within_gap(&third, &half, &generous).is_ok());
        assert!(within_gap(&half, &half, &certificate()).is_ok());
    }

    #[test]
    fn a_malformed_problem_is_a_typed_error_not_a_verdict() {
        let mut p = problem();
        p.quotas[0][0].min = 3;
        let err = check_lottery(&p, &lottery(), &certificate()).unwrap_err();
        assert!(
            matches!(err, crate::Error::InvalidParameter { .. }),
            "{err}"
        );
        let mut unsorted = problem();
        unsorted.cells.swap(0, 1);
        assert!(check_lottery(&unsorted, &lottery(), &certificate()).is_err());
        let list = panels(&[&[0, 3], &[1, 2]]);
        assert!(check_panels(&p, &pool(), &list, &certificate()).is_err());
    }

    #[test]
    fn one_table_of_ids_and_titles_without_the_retired_ones() {
        let ids: Vec<_> = PANEL_CHECKS.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, ["F2", "F3", "F4", "F5", "F7"]);
        for (id, title) in PANEL_CHECKS {
            assert_eq!(check_title(id), title);
            assert!(!title.is_empty());
        }
        assert_eq!(check_title("F1"), "");
        assert_eq!(check_title("F6"), "");
        assert!(LOTTERY_CHECKS.iter().all(|c| PANEL_CHECKS.contains(c)));
    }

    #[test]
    fn a_verdict_without_a_problem_fails_f2_and_checks_nothing_else() {
        for table in [&LOTTERY_CHECKS[..], &PANEL_CHECKS[..]] {
            let v = FairnessVerdict::problem_failed(table, "no census");
            assert!(!v.passed());
            assert_eq!(failed(&v), ["F2"]);
            assert_eq!(v.checks.len(), table.len());
            assert!(v
                .checks
                .iter()
                .filter(|c| c.id != "F2")
                .all(|c| matches!(c.outcome, Outcome::NotChecked(_))));
            let v = FairnessVerdict::not_checked(table, "no certificate");
            assert!(!v.passed() && failed(&v).is_empty());
            assert_eq!(v.checks.len(), table.len());
        }
    }

    pub(crate) fn key(i: u64) -> CitizenKey {
        let point = RistrettoPoint::mul_base(&Scalar::from(i + 1));
        CitizenKey::new(point.compress().to_bytes()).unwrap()
    }

    /// People 0, 1 in cell 0 and 2, 3 in cell 1; 0 and 2 share a household.
    fn pool() -> Pool {
        let person = |i: u64, cell, household| PoolPerson {
            key: key(i),
            cell,
            household,
        };
        Pool {
            people: vec![
                person(0, 0, Some(7)),
                person(1, 0, None),
                person(2, 1, Some(7)),
                person(3, 1, Some(9)),
            ],
        }
    }

    fn panels(sets: &[&[u64]]) -> PanelList {
        PanelList::new(
            sets.iter()
                .map(|s| s.iter().map(|&i| key(i)).collect())
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn panels_verify_with_person_level_probabilities() {
        // {0,3}, {1,2}: everyone once in two panels, p_min = 1/2 = B.
        let list = panels(&[&[0, 3], &[1, 2]]);
        let v = check_panels(&problem(), &pool(), &list, &certificate()).unwrap();
        assert!(v.passed(), "{:?}", v.checks);
        let titled: Vec<_> = v.checks.iter().map(|c| (c.id, c.title)).collect();
        assert_eq!(titled, PANEL_CHECKS);
        // {0,3}, {1,3}: person 2 never sits, p_min = 0, gap 1/2 unannounced.
        let list = panels(&[&[0, 3], &[1, 3]]);
        assert_eq!(
            failed(&check_panels(&problem(), &pool(), &list, &certificate()).unwrap()),
            ["F7"]
        );
    }

    #[test]
    fn panel_forgeries_fail_named_checks() {
        let p = problem();
        let cert = certificate();
        // Two of one household.
        let v = check_panels(&p, &pool(), &panels(&[&[0, 2], &[1, 3]]), &cert).unwrap();
        assert_eq!(failed(&v), ["F3"]);
        assert!(matches!(v.outcome("F7"), Some(Outcome::NotChecked(_))));
        // Two of one cell: quotas broken.
        let v = check_panels(&p, &pool(), &panels(&[&[0, 1], &[2, 3]]), &cert).unwrap();
        assert_eq!(failed(&v), ["F2"]);
        // A stranger.
        let v = check_panels(&p, &pool(), &panels(&[&[0, 3], &[1, 5]]), &cert).unwrap();
        assert_eq!(failed(&v), ["F2"]);
        // A pool whose cell counts are not the problem's, or with a key
        // twice: the precondition, a typed error.
        let mut bad = pool();
        bad.people[3].cell = 0;
        assert!(check_panels(&p, &bad, &panels(&[&[0, 3]]), &cert).is_err());
        let mut twice = pool();
        twice.people[1].key = key(0);
        assert!(check_panels(&p, &twice, &panels(&[&[0, 3]]), &cert).is_err());
    }
}
