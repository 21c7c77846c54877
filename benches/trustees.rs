//! Benchmarks of key generation and threshold decryption (spec/trustees.md).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use curve25519_dalek::scalar::Scalar;
use kleroterion::elgamal::Ciphertext;
use kleroterion::trustees::dkg::{DkgOutput, DkgParameters};
use kleroterion::trustees::simulate::run_locally;
use kleroterion::trustees::{combine, PartialDecryption};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "support/msm.rs"]
mod msm;

/// Every participant's work for a whole honest key generation, run in one
/// process: n × (part1, part2, part3, finish).
fn full_dkg(n: u16, t: u16, rng: &mut ChaCha20Rng) -> Vec<DkgOutput> {
    let params = DkgParameters::new(n, t, b"bench election").unwrap();
    run_locally(&params, rng).unwrap()
}

fn benches(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut group = c.benchmark_group("trustees");
    group.sample_size(10);
    for (n, t) in [(5u16, 3u16), (25, 13)] {
        group.bench_function(format!("dkg_full_n{n}_t{t}"), |b| {
            b.iter(|| full_dkg(n, t, &mut rng))
        });
    }
    let outputs = full_dkg(25, 13, &mut rng);
    group.bench_function("dkg_transcript_verify_n25_t13", |b| {
        b.iter(|| outputs[0].transcript.verify(&mut rng).unwrap())
    });

    let outputs = full_dkg(5, 3, &mut rng);
    let trustees = &outputs[0].trustees;
    let ct = Ciphertext::encrypt_with_nonce(
        trustees.joint_public_key(),
        &Scalar::from(75u64),
        &Scalar::from(12345u64),
    );
    let share = &outputs[0].share;
    group.bench_function("partial_decryption_prove", |b| {
        b.iter(|| PartialDecryption::prove(share, trustees, &ct, &mut rng).unwrap())
    });
    let partials: Vec<PartialDecryption> = outputs[..3]
        .iter()
        .map(|o| PartialDecryption::prove(&o.share, trustees, &ct, &mut rng).unwrap())
        .collect();
    group.bench_function("partial_decryption_verify", |b| {
        b.iter(|| partials[0].verify(trustees, &ct).unwrap())
    });
    group.bench_function("combine_t3_of_n5", |b| {
        b.iter(|| combine(trustees, &ct, &partials, &mut rng).unwrap())
    });
    group.finish();

    // Batch verification of k partial decryptions of one ciphertext, beside
    // the reference MSM of its 4k + 2 terms (G and α once; per partial the
    // verification share, the partial and the two DLEQ commitments, these
    // with 128-bit weights).
    let mut group = c.benchmark_group("trustees");
    group.sample_size(10);
    for (n, t) in [(5u16, 3u16), (25, 13)] {
        let outputs = full_dkg(n, t, &mut rng);
        let trustees = &outputs[0].trustees;
        let partials: Vec<PartialDecryption> = outputs
            .iter()
            .map(|o| PartialDecryption::prove(&o.share, trustees, &ct, &mut rng).unwrap())
            .collect();
        let k = partials.len();
        group.bench_function(
            BenchmarkId::new("partial_decryption_verify_batch", k),
            |b| {
                b.iter(|| {
                    PartialDecryption::verify_batch(&partials, trustees, &ct, &mut rng).unwrap()
                })
            },
        );
        msm::reference_msm(
            &mut group,
            BenchmarkId::new("reference_msm_partial_decryptions", k),
            &[msm::Terms {
                full: 2 * k + 2,
                short: 2 * k,
            }],
            &mut rng,
        );
    }
    group.finish();
}

criterion_group!(trustees_benches, benches);
criterion_main!(trustees_benches);
