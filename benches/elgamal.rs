//! Exponential ElGamal and baby-step giant-step discrete logs.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::elgamal::{Ciphertext, DlogTable, KeyPair};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn elgamal(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let kp = KeyPair::generate(&mut rng);
    let pk = *kp.public();
    let (ct, _) = Ciphertext::encrypt_u64(&pk, 1, &mut rng);
    let (other, _) = Ciphertext::encrypt_u64(&pk, 0, &mut rng);

    let mut g = c.benchmark_group("elgamal");
    g.bench_function("encrypt", |b| {
        b.iter(|| Ciphertext::encrypt_u64(&pk, black_box(1), &mut rng))
    });
    g.bench_function("rerandomize", |b| {
        b.iter(|| black_box(&ct).rerandomize(&pk, &mut rng))
    });
    g.bench_function("add", |b| b.iter(|| black_box(ct) + black_box(other)));
    g.bench_function("decrypt_to_point", |b| {
        b.iter(|| kp.secret().decrypt_to_point(black_box(&ct)))
    });
    g.finish();
}

fn dlog(c: &mut Criterion) {
    let mut g = c.benchmark_group("dlog");
    g.sample_size(10);
    for bound in [1_000_000u64, 1_000_000_000] {
        g.bench_with_input(BenchmarkId::new("table_build", bound), &bound, |b, &n| {
            b.iter(|| DlogTable::new(n).unwrap())
        });
        let table = DlogTable::new(bound).unwrap();
        // A delegate vote total, a mid value, and the worst case (every giant step).
        for m in [150, bound / 2, bound - 1] {
            let point = RistrettoPoint::mul_base(&Scalar::from(m));
            g.bench_with_input(
                BenchmarkId::new(format!("solve/{bound}"), m),
                &point,
                |b, p| b.iter(|| table.solve(p).unwrap()),
            );
        }
    }
    // A tally that decrypts many totals can afford a bigger table.
    let (bound, s) = (1_000_000_000u64, 1u64 << 20);
    g.bench_function("table_build/1000000000/baby_steps_2^20", |b| {
        b.iter(|| DlogTable::with_baby_steps(bound, s).unwrap())
    });
    let table = DlogTable::with_baby_steps(bound, s).unwrap();
    let worst = RistrettoPoint::mul_base(&Scalar::from(bound - 1));
    g.bench_function("solve/1000000000/baby_steps_2^20/999999999", |b| {
        b.iter(|| table.solve(&worst).unwrap())
    });
    g.finish();
}

criterion_group!(benches, elgamal, dlog);
criterion_main!(benches);
