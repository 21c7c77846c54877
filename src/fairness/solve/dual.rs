//! The certificate from the solver's dual (spec/fairness.md §6.3).
//!
//! The dual LP of the cell relaxation is solved in floats, then made exact:
//! `W_c = round(w_c·s)`, `D = Σ W_c·e_c` computed exactly, `G`, `A`, `B`
//! rounded from `γ·D`, `α·D`, `β·D` (the last two clamped at 0), and
//! `Δ_c = max(0, W_c − G − Σ_f (A − B))` computed exactly, so that the
//! rounded solution is dual feasible by construction, whatever the float
//! error: only the bound's tightness depends on the solver.

use alloc::vec;
use alloc::vec::Vec;

use microlp::{ComparisonOp, OptimizationDirection, Variable};
use num_bigint::BigInt;

use super::{lp, SolveError};
use crate::fairness::certificate::{CategoryDual, CellDual, FairnessCertificate};
use crate::fairness::problem::CellProblem;
use crate::fairness::ratio::Ratio;

/// Scale of the largest cell weight: `2^52`, the precision of an `f64`.
const SCALE: f64 = 4_503_599_627_370_496.0;

/// The dual LP of the cell relaxation, solved in floats.
struct DualLp {
    sol: microlp::Solution,
    gamma: Variable,
    cats: Vec<(u16, u16, Vec<usize>)>,
    alpha: Vec<Variable>,
    beta: Vec<Variable>,
    w: Vec<Variable>,
}

/// Solves the dual LP of §6.1 (with `Σ_c w_c = 1` on the weights of the
/// constraints `x_c/e_c ≥ t`).
fn solve_dual(problem: &CellProblem) -> Result<DualLp, SolveError> {
    let fail = |what: &str| SolveError::Solver(what.into());
    let mut m = lp::model(OptimizationDirection::Minimize);
    let k = f64::from(problem.seats);
    let gamma = m.add_var(k, (f64::NEG_INFINITY, f64::INFINITY));
    let cats = lp::categories(problem);
    let mut alpha = Vec::new();
    let mut beta = Vec::new();
    for (f, v, _) in &cats {
        let q = problem
            .quotas
            .get(usize::from(*f))
            .and_then(|x| x.get(usize::from(*v)))
            .ok_or_else(|| fail("category out of range"))?;
        alpha.push(m.add_var(f64::from(q.max), (0.0, f64::INFINITY)));
        beta.push(m.add_var(-f64::from(q.min), (0.0, f64::INFINITY)));
    }
    let w: Vec<Variable> = problem
        .cells
        .iter()
        .map(|_| m.add_var(0.0, (0.0, 1.0)))
        .collect();
    let delta: Vec<Variable> = problem
        .cells
        .iter()
        .map(|c| m.add_var(c.eligible as f64, (0.0, f64::INFINITY)))
        .collect();
    m.add_constraint(
        w.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>(),
        ComparisonOp::Eq,
        1.0,
    );
    for (c, cell) in problem.cells.iter().enumerate() {
        let (Some(&wc), Some(&dc)) = (w.get(c), delta.get(c)) else {
            continue;
        };
        let mut terms = vec![(wc, 1.0 / cell.eligible as f64), (gamma, -1.0), (dc, -1.0)];
        for (i, (_, _, cells)) in cats.iter().enumerate() {
            if cells.contains(&c) {
                if let (Some(&a), Some(&b)) = (alpha.get(i), beta.get(i)) {
                    terms.push((a, -1.0));
                    terms.push((b, 1.0));
                }
            }
        }
        m.add_constraint(terms, ComparisonOp::Le, 0.0);
    }
    let sol = lp::solve(&m)?.ok_or_else(|| fail("the certificate LP is infeasible"))?;
    Ok(DualLp {
        sol,
        gamma,
        cats,
        alpha,
        beta,
        w,
    })
}

/// The cell weights `w_c ≥ 0` (`Σ w_c = 1`) of the cell relaxation's dual:
/// no allocation has `Σ_c w_c x_c / e_c` above the bound `B`, so they are
/// a good first pricing point for the column generation.
pub(crate) fn cell_weights(problem: &CellProblem) -> Result<Vec<f64>, SolveError> {
    let d = solve_dual(problem)?;
    Ok(d.w.iter().map(|&v| d.sol.var_value(v).max(0.0)).collect())
}

/// The dual solution as a certificate with a zero gap (set it with
/// [`with_gap`]).
pub fn certificate(problem: &CellProblem) -> Result<FairnessCertificate, SolveError> {
    let fail = |what: &str| SolveError::Solver(what.into());
    let DualLp {
        sol,
        gamma,
        cats,
        alpha,
        beta,
        w,
    } = solve_dual(problem)?;

    // Exact rounding.
    let wf: Vec<f64> = w
        .iter()
        .zip(&problem.cells)
        .map(|(&v, c)| sol.var_value(v).max(0.0) / c.eligible as f64)
        .collect();
    let top = wf.iter().copied().fold(0.0, f64::max);
    if top <= 0.0 || !top.is_finite() {
        return Err(fail("the certificate LP gave no positive weight"));
    }
    let s = SCALE / top;
    let weights: Vec<u128> = wf.iter().map(|x| (x * s).round() as u128).collect();
    let mut d: u128 = 0;
    for (wc, c) in weights.iter().zip(&problem.cells) {
        d = wc
            .checked_mul(u128::from(c.eligible))
            .and_then(|t| d.checked_add(t))
            .ok_or_else(|| fail("the certificate denominator overflows"))?;
    }
    if d == 0 {
        return Err(fail("the certificate denominator is zero"));
    }
    let df = d as f64;
    let scaled = |v: Variable| (sol.var_value(v) * df).round();
    let g = scaled(gamma) as i128;
    let mut categories: Vec<Vec<CategoryDual>> = problem
        .quotas
        .iter()
        .map(|f| vec![CategoryDual { upper: 0, lower: 0 }; f.len()])
        .collect();
    for (i, (f, v, _)) in cats.iter().enumerate() {
        let (Some(&a), Some(&b)) = (alpha.get(i), beta.get(i)) else {
            continue;
        };
        if let Some(slot) = categories
            .get_mut(usize::from(*f))
            .and_then(|x| x.get_mut(usize::from(*v)))
        {
            slot.upper = scaled(a).max(0.0) as u128;
            slot.lower = scaled(b).max(0.0) as u128;
        }
    }
    let mut cells = Vec::with_capacity(problem.cells.len());
    for (cell, &wc) in problem.cells.iter().zip(&weights) {
        let mut rhs = BigInt::from(g);
        for (f, &v) in cell.categories.iter().enumerate() {
            if let Some(q) = categories.get(f).and_then(|x| x.get(usize::from(v))) {
                rhs += BigInt::from(q.upper);
                rhs -= BigInt::from(q.lower);
            }
        }
        let need = BigInt::from(wc) - rhs;
        let slack = if need > BigInt::from(0u8) {
            u128::try_from(need).map_err(|_| fail("a cell slack overflows"))?
        } else {
            0
        };
        cells.push(CellDual { weight: wc, slack });
    }
    Ok(FairnessCertificate {
        denominator: d,
        gamma: g,
        cells,
        categories,
        gap_num: 0,
        gap_den: 1,
    })
}

/// Sets the announced gap to `B − p_min` rounded up to a multiple of
/// `2^-64` (0 when `B ≤ p_min`, which weak duality rules out).
pub fn with_gap(
    problem: &CellProblem,
    mut cert: FairnessCertificate,
    p_min: &Ratio,
) -> Result<FairnessCertificate, SolveError> {
    let b = crate::fairness::check::bound(problem, &cert)
        .ok_or_else(|| SolveError::Solver("the certificate denominator is zero".into()))?;
    let gap = b.sub(p_min);
    let den = BigInt::from(1u128 << 64);
    let zero = BigInt::from(0u8);
    let scaled = gap.numer() * &den;
    let num = if scaled <= zero {
        zero
    } else {
        (scaled + gap.denom() - 1u8) / gap.denom()
    };
    cert.gap_num =
        u128::try_from(num).map_err(|_| SolveError::Solver("the gap does not fit".into()))?;
    cert.gap_den = 1u128 << 64;
    Ok(cert)
}
