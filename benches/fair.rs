//! Fair-selection benches (issue 19), short: on the generated pool of 150
//! volunteers for a panel of 22 (benches/peer/pools.rs),
//!
//! * `fair/lottery_150_22`: feasibility, maximin by column generation,
//!   rounding to 1000 panels, household-respecting assignment and the
//!   certificate (the organiser's whole run, feature `solver`);
//! * `fair/check_panels_150_22`: checks F2–F5, F7 of those 1000 panels, exact
//!   arithmetic, what every verifier runs.
//!
//! The side-by-side comparison with sortition-algorithms on pools of 150,
//! 300 and 500 is benches/peer/run.sh (BENCHMARKS.md).

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use std::hint::black_box;
use std::time::Duration;

use kleroterion::fairness::check_panels;
use kleroterion::fairness::solve::fair_panels;

#[path = "peer/pools.rs"]
#[allow(dead_code)]
mod pools;

fn fair(c: &mut Criterion) {
    let (problem, pool) = pools::generate(150, 22, 2026 + 150).problem();
    let mut g = c.benchmark_group("fair");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    g.bench_function("lottery_150_22", |b| {
        b.iter(|| fair_panels(black_box(&problem), &pool, 1000).expect("fair panels"))
    });
    let panels = fair_panels(&problem, &pool, 1000).expect("fair panels");
    g.bench_function("check_panels_150_22", |b| {
        b.iter(|| {
            let v = check_panels(
                black_box(&problem),
                &pool,
                &panels.list,
                &panels.certificate,
            )
            .expect("a well-formed problem and pool");
            assert!(v.passed());
        })
    });
    g.finish();
}

criterion_group!(benches, fair);
criterion_main!(benches);
