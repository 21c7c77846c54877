//! The reference of a verification bench: the raw
//! `RistrettoPoint::vartime_multiscalar_mul` over as many random points as
//! the verifier's final check cannot avoid, with the coefficient shapes of a
//! random-weight batch, measured in the same run (the "MSM" column of
//! BENCHMARKS.md).
//!
//! Two details keep the reference honest rather than flattering:
//!
//! * **Coefficient shapes.** In a batch a commitment's coefficient is a bare
//!   128-bit weight, every other point's a full scalar; a 128-bit
//!   coefficient costs a Pippenger term about half the bucket additions of a
//!   full one, so the reference uses the same mix ([`Terms`]).
//! * **Fresh coefficients.** A verifier never meets the same weights twice.
//!   With one fixed scalar set the branch predictor learns the vartime MSM's
//!   digit pattern and the MSM runs ~10 % faster than any verification
//!   could, so each iteration takes the next of several scalar sets.

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, BenchmarkId};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;
use std::hint::black_box;

/// The terms of one multiscalar multiplication: `full` points with
/// full-size coefficients and `short` points with 128-bit ones.
#[derive(Clone, Copy, Debug)]
pub struct Terms {
    /// Points whose coefficient is a full scalar (statement points, sums
    /// of weighted challenges and responses).
    pub full: usize,
    /// Points whose coefficient is a bare 128-bit weight (commitments).
    pub short: usize,
}

/// Total scalars kept per reference across its sets (≈ 8 MiB).
const SCALAR_BUDGET: usize = 1 << 18;

/// One multiscalar multiplication's random points and several coefficient
/// sets for them.
struct Msm {
    points: Vec<RistrettoPoint>,
    sets: Vec<Vec<Scalar>>,
}

impl Msm {
    fn new(terms: Terms, sets: usize, rng: &mut ChaCha20Rng) -> Self {
        let n = terms.full + terms.short;
        let points = (0..n).map(|_| RistrettoPoint::random(rng)).collect();
        let sets = (0..sets)
            .map(|_| {
                let mut scalars: Vec<Scalar> =
                    (0..terms.full).map(|_| Scalar::random(rng)).collect();
                scalars.extend((0..terms.short).map(|_| {
                    let mut bytes = [0u8; 32];
                    rng.fill_bytes(&mut bytes[..16]);
                    Scalar::from_bytes_mod_order(bytes)
                }));
                scalars
            })
            .collect();
        Self { points, sets }
    }

    fn run(&self, k: usize) -> RistrettoPoint {
        let scalars = &self.sets[k % self.sets.len()];
        RistrettoPoint::vartime_multiscalar_mul(black_box(scalars), &self.points)
    }
}

/// Benches, as `id` in `g`, the multiscalar multiplications of `msms` (one
/// per entry, e.g. one per chunk of a chunked batch), each iteration with
/// fresh coefficients.
pub fn reference_msm<M: Measurement>(
    g: &mut BenchmarkGroup<'_, M>,
    id: BenchmarkId,
    msms: &[Terms],
    rng: &mut ChaCha20Rng,
) {
    let total: usize = msms.iter().map(|t| t.full + t.short).sum();
    let sets = (SCALAR_BUDGET / total.max(1)).clamp(2, 64);
    let msms: Vec<Msm> = msms.iter().map(|&t| Msm::new(t, sets, rng)).collect();
    g.bench_function(id, |b| {
        let mut k = 0usize;
        b.iter(|| {
            k = k.wrapping_add(1);
            for msm in &msms {
                black_box(msm.run(k));
            }
        })
    });
}
