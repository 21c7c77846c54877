//! The maximin stage's master LP, solved by a small dense revised primal
//! simplex kept warm across new columns (spec/fairness.md §4, §9).
//!
//! In standard form, with one row per class `k` and a convexity row 0:
//! maximise `t` subject to `Σ_j a_kj λ_j − t − s_k = 0` (`a_kj =
//! z_k^(j)/size_k`), `Σ_j λ_j = 1`, `λ, s ≥ 0`, `t` free. A new column is
//! a new nonbasic `λ_j` at 0: the basis stays primal feasible and a few
//! primal pivots re-optimise it, where re-solving (or the dual simplex on
//! the dual's new row) costs far more. The basis inverse is kept explicit
//! (`m × m`, `m` = classes + 1), updated per pivot and recomputed by
//! Gauss–Jordan elimination every [`REFACTOR`] pivots. The duals are
//! `y_k = −π_k`, `z = π_0` for `π = c_B B⁻¹`; `t` never leaves the basis
//! (it is free), so `Σ_k y_k = 1` and the optimum is `t = z`.
//!
//! Only the maximin stage (no fixed classes) uses it; leximin's later
//! stages keep microlp's master. Nothing it returns is trusted: the
//! distribution's probabilities are recomputed from `λ`, and the bound is
//! the exact certificate of spec/fairness.md §6.

use alloc::vec;
use alloc::vec::Vec;

use super::SolveError;

/// Pivots after which the basis inverse is recomputed in any case.
const REFACTOR: usize = 5000;

/// The largest primal or dual residual of the basis accepted at the end
/// of a re-optimisation.
const RESIDUAL: f64 = 1e-9;

/// Reduced cost a variable needs to enter.
const ENTER_TOLERANCE: f64 = 1e-11;

/// Smallest pivot element accepted by the ratio test.
const PIVOT_TOLERANCE: f64 = 1e-9;

/// Primal infeasibility the (Harris) ratio test may leave on a basic
/// variable.
const FEASIBILITY_TOLERANCE: f64 = 1e-10;

/// Pivots without progress of `t` after which Bland's rule takes over
/// (it cannot cycle), until `t` improves again.
const STALL: usize = 50;

/// Pivots one re-optimisation may take before it gives up.
const MAX_PIVOTS: usize = 100_000;

/// Devex reference weights of the `λ` and surpluses.
struct Devex {
    lambda: Vec<f64>,
    surplus: Vec<f64>,
}

impl Devex {
    fn weight(&self, v: Var) -> f64 {
        match v {
            Var::Lambda(j) => self.lambda.get(j).copied().unwrap_or(1.0),
            Var::Surplus(k) => self.surplus.get(k).copied().unwrap_or(1.0),
            Var::Level => 1.0,
        }
    }

    fn set(&mut self, v: Var, w: f64) {
        let slot = match v {
            Var::Lambda(j) => self.lambda.get_mut(j),
            Var::Surplus(k) => self.surplus.get_mut(k),
            Var::Level => None,
        };
        if let Some(slot) = slot {
            *slot = w;
        }
    }
}

/// A variable of the standard form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Var {
    /// `λ_j`.
    Lambda(usize),
    /// The level `t`.
    Level,
    /// The surplus `s_k` of class `k`.
    Surplus(usize),
}

/// The master LP over the columns so far, at an optimal basis.
#[derive(Clone, Debug)]
pub(crate) struct Master {
    /// Classes.
    n: usize,
    /// Per column `j`: its nonzero entries `(row, a)`, row 0 the
    /// convexity row (entry 1), row `1 + k` class `k`.
    columns: Vec<Vec<(usize, f64)>>,
    /// The basic variable of each row position.
    basis: Vec<Var>,
    /// `B⁻¹`, row-major: row `i` at `i·m..(i+1)·m`.
    inverse: Vec<f64>,
    /// The basic variables' values.
    values: Vec<f64>,
    /// Pivots since the inverse was last recomputed.
    since: usize,
}

/// The master's dual solution.
pub(crate) struct Dual {
    /// `y_k ≥ 0`, per class, summing to 1.
    pub(crate) weights: Vec<f64>,
    /// The bound on every column's value `Σ_k y_k a_kj`.
    pub(crate) z: f64,
    /// The level `t` over the columns so far (equal to `z`).
    pub(crate) value: f64,
}

impl Master {
    /// The optimal master over `columns` (at least one) of classes of
    /// `sizes`.
    pub(crate) fn new(sizes: &[u64], columns: &[Vec<u32>]) -> Result<Master, SolveError> {
        let n = sizes.len();
        let (first, rest) = columns
            .split_first()
            .ok_or_else(|| SolveError::Solver("the master has no column".into()))?;
        let first = sparse(sizes, first);
        // Start: λ_0 = 1, t = min_k a_k0, every surplus basic but that of
        // the class at the minimum.
        let low = (0..n)
            .min_by(|&a, &b| entry(&first, 1 + a).total_cmp(&entry(&first, 1 + b)))
            .ok_or_else(|| SolveError::Solver("the master has no class".into()))?;
        let mut basis = vec![Var::Lambda(0), Var::Level];
        basis.extend((0..n).filter(|&k| k != low).map(Var::Surplus));
        let mut master = Master {
            n,
            columns: vec![first],
            basis,
            inverse: Vec::new(),
            values: Vec::new(),
            since: 0,
        };
        master.refactor()?;
        for col in rest {
            master.columns.push(sparse(sizes, col));
        }
        master.optimise()?;
        Ok(master)
    }

    /// Adds columns and re-optimises.
    pub(crate) fn add(&mut self, sizes: &[u64], cols: &[Vec<u32>]) -> Result<(), SolveError> {
        for col in cols {
            self.columns.push(sparse(sizes, col));
        }
        self.optimise()
    }

    /// Rows: classes and the convexity row.
    fn rows(&self) -> usize {
        self.n + 1
    }

    /// The dual solution of the current basis.
    pub(crate) fn dual(&self) -> Dual {
        let pi = self.duals();
        let z = pi.first().copied().unwrap_or(0.0);
        Dual {
            weights: pi.iter().skip(1).map(|&p| (-p).max(0.0)).collect(),
            z,
            value: self.level(),
        }
    }

    /// `λ` per column.
    pub(crate) fn lambda(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.columns.len()];
        for (v, &x) in self.basis.iter().zip(&self.values) {
            if let Some(slot) = match *v {
                Var::Lambda(j) => out.get_mut(j),
                _ => None,
            } {
                *slot = x.max(0.0);
            }
        }
        out
    }

    /// The current level `t`.
    fn level(&self) -> f64 {
        self.basis
            .iter()
            .position(|v| *v == Var::Level)
            .and_then(|r| self.values.get(r))
            .copied()
            .unwrap_or(0.0)
    }

    /// `π = c_B B⁻¹`: the row of `B⁻¹` at `t`'s position.
    fn duals(&self) -> Vec<f64> {
        let m = self.rows();
        let p = self.basis.iter().position(|v| *v == Var::Level).unwrap_or(0);
        self.inverse
            .get(p * m..(p + 1) * m)
            .map_or_else(|| vec![0.0; m], <[f64]>::to_vec)
    }

    /// The entries of a variable's column.
    fn column(&self, v: Var) -> Vec<(usize, f64)> {
        match v {
            Var::Lambda(j) => self.columns.get(j).cloned().unwrap_or_default(),
            Var::Level => (1..self.rows()).map(|r| (r, -1.0)).collect(),
            Var::Surplus(k) => vec![(1 + k, -1.0)],
        }
    }

    /// `B⁻¹ a` for a sparse `a`.
    fn ftran(&self, a: &[(usize, f64)]) -> Vec<f64> {
        let m = self.rows();
        self.inverse
            .chunks_exact(m)
            .map(|row| {
                a.iter()
                    .map(|&(r, v)| row.get(r).copied().unwrap_or(0.0) * v)
                    .sum()
            })
            .collect()
    }

    /// The reduced cost `c_q − π a_q` of a nonbasic `λ` or surplus (`t`,
    /// always basic, has 0).
    fn reduced(&self, pi: &[f64], v: Var) -> f64 {
        let at = |r: usize| pi.get(r).copied().unwrap_or(0.0);
        match v {
            Var::Lambda(j) => -self
                .columns
                .get(j)
                .map_or(0.0, |c| c.iter().map(|&(r, a)| at(r) * a).sum::<f64>()),
            Var::Surplus(k) => at(1 + k),
            Var::Level => 0.0,
        }
    }

    /// Re-optimises; the inverse is recomputed when the basis's primal or
    /// dual residual exceeds [`RESIDUAL`] at the end, and the pivots
    /// resume.
    fn optimise(&mut self) -> Result<(), SolveError> {
        loop {
            self.pivots()?;
            if self.residual() <= RESIDUAL {
                return Ok(());
            }
            if self.since == 0 {
                return Err(SolveError::Solver("the master LP is ill-conditioned".into()));
            }
            self.refactor()?;
        }
    }

    /// The largest of `|B x_B − e_0|` and `|π B − c_B|`, entrywise.
    fn residual(&self) -> f64 {
        let pi = self.duals();
        let mut primal = vec![0.0; self.rows()];
        if let Some(r) = primal.first_mut() {
            *r = -1.0;
        }
        let mut worst: f64 = 0.0;
        for (&v, &x) in self.basis.iter().zip(&self.values) {
            let col = self.column(v);
            let mut dot = 0.0;
            for &(r, a) in &col {
                if let Some(p) = primal.get_mut(r) {
                    *p += a * x;
                }
                dot += pi.get(r).copied().unwrap_or(0.0) * a;
            }
            let cost = if v == Var::Level { 1.0 } else { 0.0 };
            worst = worst.max((dot - cost).abs());
        }
        primal.iter().fold(worst, |w, p| w.max(p.abs()))
    }

    /// Primal simplex pivots until no nonbasic variable has a positive
    /// reduced cost.
    fn pivots(&mut self) -> Result<(), SolveError> {
        let mut best = self.level();
        let mut stalled = 0;
        let mut devex = Devex {
            lambda: vec![1.0; self.columns.len()],
            surplus: vec![1.0; self.n],
        };
        for _i in 0..MAX_PIVOTS {
            if self.since >= REFACTOR {
                self.refactor()?;
            }
            let pi = self.duals();
            let bland = stalled >= STALL;
            let Some(q) = self.entering(&pi, bland, &devex) else {
                if std::env::var("KL_DEBUG").is_ok() { std::eprintln!("DBG pivots {} cols {} level {}", _i, self.columns.len(), self.level()); }
                return Ok(());
            };
            let alpha = self.ftran(&self.column(q));
            let p = self.leaving(&alpha, bland)?;
            self.update_devex(&mut devex, q, p, &alpha);
            self.pivot(q, p, &alpha);
            let level = self.level();
            if level > best + 1e-13 {
                best = level;
                stalled = 0;
            } else {
                stalled += 1;
            }
        }
        Err(SolveError::Solver("the master LP did not converge".into()))
    }

    /// The entering variable: the largest positive reduced cost
    /// (Dantzig), or with `bland` the first in a fixed order.
    fn entering(&self, pi: &[f64], bland: bool, devex: &Devex) -> Option<Var> {
        let mut basic = vec![false; self.columns.len() + self.n];
        for v in &self.basis {
            match *v {
                Var::Lambda(j) => set(&mut basic, j),
                Var::Surplus(k) => set(&mut basic, self.columns.len() + k),
                Var::Level => {}
            }
        }
        let candidates = (0..self.columns.len())
            .map(Var::Lambda)
            .chain((0..self.n).map(Var::Surplus))
            .zip(&basic)
            .filter(|(_, &b)| !b)
            .map(|(v, _)| (v, self.reduced(pi, v)))
            .filter(|&(_, d)| d > ENTER_TOLERANCE);
        if bland {
            candidates.map(|(v, _)| v).next()
        } else {
            candidates
                .map(|(v, d)| (v, d * d / devex.weight(v)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(v, _)| v)
        }
    }

    /// The leaving row for the entering column `alpha = B⁻¹ a_q`: Harris's
    /// two-pass ratio test (the largest pivot among the nearly tied), or
    /// with `bland` the smallest ratio, ties to the first variable in a
    /// fixed order. `t` never leaves.
    fn leaving(&self, alpha: &[f64], bland: bool) -> Result<usize, SolveError> {
        let rows = || {
            alpha
                .iter()
                .zip(&self.values)
                .zip(&self.basis)
                .enumerate()
                .filter(|(_, ((&a, _), &v))| a > PIVOT_TOLERANCE && v != Var::Level)
                .map(|(r, ((&a, &x), &v))| (r, a, x, v))
        };
        let bound = rows()
            .map(|(_, a, x, _)| (x + FEASIBILITY_TOLERANCE) / a)
            .fold(f64::INFINITY, f64::min);
        if !bound.is_finite() {
            return Err(SolveError::Solver("the master LP is unbounded".into()));
        }
        let chosen = if bland {
            let least = rows()
                .map(|(_, a, x, _)| x.max(0.0) / a)
                .fold(f64::INFINITY, f64::min);
            rows()
                .filter(|&(_, a, x, _)| x.max(0.0) / a <= least + 1e-12)
                .min_by_key(|&(_, _, _, v)| order(v, self.columns.len()))
        } else {
            rows()
                .filter(|&(_, a, x, _)| x / a <= bound)
                .max_by(|a, b| a.1.total_cmp(&b.1))
        };
        chosen
            .map(|(r, ..)| r)
            .ok_or_else(|| SolveError::Solver("the master LP's ratio test failed".into()))
    }

    /// Devex's reference weights after `q` enters at row `p`
    /// (Forrest and Goldfarb): `w_j = max(w_j, (α_pj/α_pq)² w_q)` for the
    /// nonbasic `j`, `max(w_q/α_pq², 1)` for the leaving variable.
    fn update_devex(&self, devex: &mut Devex, q: Var, p: usize, alpha: &[f64]) {
        let m = self.rows();
        let Some(row) = self.inverse.get(p * m..(p + 1) * m) else {
            return;
        };
        let apq = alpha.get(p).copied().unwrap_or(1.0);
        let wq = devex.weight(q);
        let mut basic = vec![false; self.columns.len() + self.n];
        for v in &self.basis {
            match *v {
                Var::Lambda(j) => set(&mut basic, j),
                Var::Surplus(k) => set(&mut basic, self.columns.len() + k),
                Var::Level => {}
            }
        }
        for (j, col) in self.columns.iter().enumerate() {
            if basic.get(j).copied().unwrap_or(true) || Var::Lambda(j) == q {
                continue;
            }
            let apj: f64 = col
                .iter()
                .map(|&(r, a)| row.get(r).copied().unwrap_or(0.0) * a)
                .sum();
            let ratio = apj / apq;
            if let Some(w) = devex.lambda.get_mut(j) {
                *w = w.max(ratio * ratio * wq);
            }
        }
        for k in 0..self.n {
            if basic.get(self.columns.len() + k).copied().unwrap_or(true)
                || Var::Surplus(k) == q
            {
                continue;
            }
            let ratio = -row.get(1 + k).copied().unwrap_or(0.0) / apq;
            if let Some(w) = devex.surplus.get_mut(k) {
                *w = w.max(ratio * ratio * wq);
            }
        }
        if let Some(&leaving) = self.basis.get(p) {
            devex.set(leaving, (wq / (apq * apq)).max(1.0));
        }
    }

    /// Brings `q` into the basis at row `p`.
    fn pivot(&mut self, q: Var, p: usize, alpha: &[f64]) {
        let m = self.rows();
        let ap = alpha.get(p).copied().unwrap_or(1.0);
        let theta = (self.values.get(p).copied().unwrap_or(0.0) / ap).max(0.0);
        for (x, &a) in self.values.iter_mut().zip(alpha) {
            *x -= theta * a;
        }
        if let Some(x) = self.values.get_mut(p) {
            *x = theta;
        }
        let pivot_row: Vec<f64> = self
            .inverse
            .get(p * m..(p + 1) * m)
            .map_or_else(|| vec![0.0; m], |row| row.iter().map(|&b| b / ap).collect());
        for (i, (row, &a)) in self.inverse.chunks_exact_mut(m).zip(alpha).enumerate() {
            if i == p {
                row.copy_from_slice(&pivot_row);
            } else if a != 0.0 {
                row.iter_mut().zip(&pivot_row).for_each(|(b, &v)| *b -= a * v);
            }
        }
        if let Some(slot) = self.basis.get_mut(p) {
            *slot = q;
        }
        self.since += 1;
    }

    /// Recomputes `B⁻¹` (Gauss–Jordan, partial pivoting) and the basic
    /// values `B⁻¹ e_0`.
    fn refactor(&mut self) -> Result<(), SolveError> {
        if std::env::var("KL_DEBUG").is_ok() { std::eprintln!("DBG refactor"); }
        let m = self.rows();
        // Row-major [B | I].
        let w = 2 * m;
        let mut t = vec![0.0; m * w];
        for (c, &v) in self.basis.iter().enumerate() {
            for (r, a) in self.column(v) {
                if let Some(x) = t.get_mut(r * w + c) {
                    *x = a;
                }
            }
        }
        for r in 0..m {
            if let Some(x) = t.get_mut(r * w + m + r) {
                *x = 1.0;
            }
        }
        for c in 0..m {
            let p = (c..m)
                .max_by(|&a, &b| {
                    let va = t.get(a * w + c).copied().unwrap_or(0.0).abs();
                    let vb = t.get(b * w + c).copied().unwrap_or(0.0).abs();
                    va.total_cmp(&vb)
                })
                .unwrap_or(c);
            let piv = t.get(p * w + c).copied().unwrap_or(0.0);
            if piv.abs() < 1e-12 {
                return Err(SolveError::Solver("the master basis is singular".into()));
            }
            if p != c {
                for i in 0..w {
                    t.swap(p * w + i, c * w + i);
                }
            }
            let (above, rest) = t.split_at_mut(c * w);
            let (row, below) = rest.split_at_mut(w);
            row.iter_mut().for_each(|x| *x /= piv);
            for other in above.chunks_exact_mut(w).chain(below.chunks_exact_mut(w)) {
                let f = other.get(c).copied().unwrap_or(0.0);
                if f != 0.0 {
                    other.iter_mut().zip(&*row).for_each(|(x, &y)| *x -= f * y);
                }
            }
        }
        // Row r of [I | B⁻¹] is row r of B⁻¹.
        self.inverse = t
            .chunks_exact(w)
            .flat_map(|row| row.get(m..).unwrap_or(&[]).iter().copied())
            .collect();
        self.values = self
            .inverse
            .chunks_exact(m)
            .map(|row| row.first().copied().unwrap_or(0.0))
            .collect();
        self.since = 0;
        Ok(())
    }
}

/// A column's entries `(row, z_k/size_k)`, with the convexity row's 1.
fn sparse(sizes: &[u64], col: &[u32]) -> Vec<(usize, f64)> {
    let mut out = vec![(0, 1.0)];
    out.extend(
        col.iter()
            .zip(sizes)
            .enumerate()
            .filter(|(_, (&s, _))| s > 0)
            .map(|(k, (&s, &size))| (1 + k, f64::from(s) / size.max(1) as f64)),
    );
    out
}

/// The entry of a sparse column at `row`.
fn entry(col: &[(usize, f64)], row: usize) -> f64 {
    col.iter()
        .find(|&&(r, _)| r == row)
        .map_or(0.0, |&(_, a)| a)
}

/// Marks slot `i`.
fn set(flags: &mut [bool], i: usize) {
    if let Some(f) = flags.get_mut(i) {
        *f = true;
    }
}

/// Bland's fixed order: the `λ` by column, then the surpluses.
fn order(v: Var, columns: usize) -> usize {
    match v {
        Var::Lambda(j) => j,
        Var::Surplus(k) => columns + k,
        Var::Level => usize::MAX,
    }
}
