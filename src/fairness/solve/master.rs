//! The maximin stage's master LP, solved by a small dense revised primal
//! simplex kept warm across new columns (spec/fairness.md §4, §9).
//!
//! In standard form, with one row per class `k` and a convexity row 0:
//! maximise `t` subject to `Σ_j a_kj λ_j − t − s_k = 0` (`a_kj =
//! z_k^(j)/size_k`), `Σ_j λ_j = 1`, `λ, s ≥ 0`, `t` free. A new column is
//! a new nonbasic `λ_j` at 0: the basis stays primal feasible and primal
//! pivots from it re-optimise (about 100 a column on the benchmark pools,
//! each one dense `m²` update, some ten times cheaper than a pivot of
//! microlp's sparse LU on this dense-ish LP). The basis inverse is kept explicit
//! (`m × m`, `m` = classes + 1), updated per pivot and recomputed by
//! Gauss–Jordan elimination every [`REFACTOR`] pivots or when the basis's
//! residual exceeds [`RESIDUAL`]; pricing is Devex. The duals are
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

    /// Adds a column and re-optimises.
    pub(crate) fn add(&mut self, sizes: &[u64], col: &[u32]) -> Result<(), SolveError> {
        self.columns.push(sparse(sizes, col));
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
        let p = self
            .basis
            .iter()
            .position(|v| *v == Var::Level)
            .unwrap_or(0);
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
                return Err(SolveError::Solver(
                    "the master LP is ill-conditioned".into(),
                ));
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
    /// reduced cost. The reduced costs and Devex reference weights
    /// (Forrest and Goldfarb) are updated from the pivot row, and the
    /// reduced costs recomputed from `π` before optimality is declared.
    fn pivots(&mut self) -> Result<(), SolveError> {
        let mut best = self.level();
        let mut stalled = 0;
        let mut state = Pricing::new(self);
        for _ in 0..MAX_PIVOTS {
            if self.since >= REFACTOR {
                self.refactor()?;
                state.reprice(self);
            }
            let bland = stalled >= STALL;
            let q = match state.entering(bland) {
                Some(q) => q,
                None => {
                    state.reprice(self);
                    match state.entering(bland) {
                        Some(q) => q,
                        None => return Ok(()),
                    }
                }
            };
            let entering = state.var(q);
            let alpha = self.ftran(&self.column(entering));
            let p = self.leaving(&alpha, bland)?;
            state.update(self, q, p, &alpha);
            self.pivot(entering, p, &alpha);
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

    /// `π a` for a variable's column.
    fn dot(&self, pi: &[f64], v: Var) -> f64 {
        let at = |r: usize| pi.get(r).copied().unwrap_or(0.0);
        match v {
            Var::Lambda(j) => self
                .columns
                .get(j)
                .map_or(0.0, |c| c.iter().map(|&(r, a)| at(r) * a).sum()),
            Var::Surplus(k) => -at(1 + k),
            Var::Level => -(1..self.rows()).map(at).sum::<f64>(),
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
                row.iter_mut()
                    .zip(&pivot_row)
                    .for_each(|(b, &v)| *b -= a * v);
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

/// The pricing state of one re-optimisation, per slot (`λ_j` at `j`, the
/// surplus `s_k` at `J + k` for `J` columns): basic or not, the reduced
/// cost `c − π a`, the Devex weight.
struct Pricing {
    columns: usize,
    basic: Vec<bool>,
    reduced: Vec<f64>,
    weight: Vec<f64>,
}

impl Pricing {
    fn new(master: &Master) -> Pricing {
        let columns = master.columns.len();
        let slots = columns + master.n;
        let mut state = Pricing {
            columns,
            basic: vec![false; slots],
            reduced: vec![0.0; slots],
            weight: vec![1.0; slots],
        };
        for &v in &master.basis {
            if let Some(b) = state.slot(v).and_then(|i| state.basic.get_mut(i)) {
                *b = true;
            }
        }
        state.reprice(master);
        state
    }

    /// The slot of a `λ` or surplus.
    fn slot(&self, v: Var) -> Option<usize> {
        match v {
            Var::Lambda(j) => Some(j),
            Var::Surplus(k) => Some(self.columns + k),
            Var::Level => None,
        }
    }

    /// The variable of a slot.
    fn var(&self, i: usize) -> Var {
        if i < self.columns {
            Var::Lambda(i)
        } else {
            Var::Surplus(i - self.columns)
        }
    }

    /// Recomputes the reduced costs from `π`.
    fn reprice(&mut self, master: &Master) {
        let pi = master.duals();
        for i in 0..self.reduced.len() {
            let d = if self.basic.get(i).copied().unwrap_or(true) {
                0.0
            } else {
                -master.dot(&pi, self.var(i))
            };
            if let Some(slot) = self.reduced.get_mut(i) {
                *slot = d;
            }
        }
    }

    /// The entering slot: the largest `d²/w` among positive reduced costs
    /// (Devex), or with `bland` the first positive one.
    fn entering(&self, bland: bool) -> Option<usize> {
        let candidates = self
            .reduced
            .iter()
            .zip(&self.weight)
            .zip(&self.basic)
            .enumerate()
            .filter(|(_, ((&d, _), &b))| !b && d > ENTER_TOLERANCE)
            .map(|(i, ((&d, &w), _))| (i, d * d / w));
        if bland {
            candidates.map(|(i, _)| i).next()
        } else {
            candidates
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        }
    }

    /// The reduced costs and weights after slot `q` enters at row `p`
    /// (before `master` pivots): with the pivot row `α_pj`,
    /// `d_j −= d_q α_pj/α_pq` and `w_j = max(w_j, (α_pj/α_pq)² w_q)`; the
    /// leaving variable gets `−d_q/α_pq` and `max(w_q/α_pq², 1)`.
    fn update(&mut self, master: &Master, q: usize, p: usize, alpha: &[f64]) {
        let m = master.rows();
        let row = master.inverse.get(p * m..(p + 1) * m).unwrap_or(&[]);
        let apq = alpha.get(p).copied().unwrap_or(1.0);
        let dq = self.reduced.get(q).copied().unwrap_or(0.0);
        let wq = self.weight.get(q).copied().unwrap_or(1.0);
        for i in 0..self.reduced.len() {
            if i == q || self.basic.get(i).copied().unwrap_or(true) {
                continue;
            }
            let ratio = master.dot(row, self.var(i)) / apq;
            if let (Some(d), Some(w)) = (self.reduced.get_mut(i), self.weight.get_mut(i)) {
                *d -= dq * ratio;
                *w = w.max(ratio * ratio * wq);
            }
        }
        if let Some(l) = master.basis.get(p).and_then(|&v| self.slot(v)) {
            if let (Some(b), Some(d), Some(w)) = (
                self.basic.get_mut(l),
                self.reduced.get_mut(l),
                self.weight.get_mut(l),
            ) {
                *b = false;
                *d = -dq / apq;
                *w = (wq / (apq * apq)).max(1.0);
            }
        }
        if let (Some(b), Some(d)) = (self.basic.get_mut(q), self.reduced.get_mut(q)) {
            *b = true;
            *d = 0.0;
        }
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

/// Bland's fixed order: the `λ` by column, then the surpluses.
fn order(v: Var, columns: usize) -> usize {
    match v {
        Var::Lambda(j) => j,
        Var::Surplus(k) => columns + k,
        Var::Level => usize::MAX,
    }
}

#[cfg(test)]
#[path = "master_tests.rs"]
mod tests;
