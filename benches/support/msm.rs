//! The reference of a verification bench: the raw
//! `RistrettoPoint::vartime_multiscalar_mul` over as many random points as
//! the verifier's final check cannot avoid, measured in the same run (the
//! "MSM" column of BENCHMARKS.md).

use criterion::measurement::Measurement;
use criterion::{BenchmarkGroup, BenchmarkId};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_chacha::ChaCha20Rng;
use std::hint::black_box;

/// Benches one vartime multiscalar multiplication of `terms` random points
/// and full-size random scalars as `id` in `g`.
pub fn reference_msm<M: Measurement>(
    g: &mut BenchmarkGroup<'_, M>,
    id: BenchmarkId,
    terms: usize,
    rng: &mut ChaCha20Rng,
) {
    let points: Vec<RistrettoPoint> = (0..terms).map(|_| RistrettoPoint::random(rng)).collect();
    let scalars: Vec<Scalar> = (0..terms).map(|_| Scalar::random(rng)).collect();
    g.bench_function(id, |b| {
        b.iter(|| RistrettoPoint::vartime_multiscalar_mul(black_box(&scalars), &points))
    });
}
