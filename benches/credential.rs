//! Benchmarks of credential membership proofs (spec/credential.md §4):
//! prove, verify and batch verification of 16 proofs over one set (4 at
//! N = 65,536, where each proof takes seconds to make), for anonymity sets of
//! N = 16, 256, 1,024, 4,096 and 65,536 keys. Also prints the proof size and
//! the mean time of the proofs made for the batch (the only prover timing
//! at N = 65,536). The assembly case (150 ballots over 150 delegates) is
//! measured batched and one by one. Beside each verification, the
//! reference multiscalar multiplication of its terms (`reference_msm_k`).

use std::time::Instant;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kleroterion::credential::{AnonymitySet, CitizenSecretKey, MembershipProof};
use kleroterion::encoding::Encode;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "support/msm.rs"]
mod msm;

const SIZES: [usize; 5] = [16, 256, 1024, 4096, 65536];
/// The prover is O(N log N) constant-time group operations: at 2^16 one run
/// is timed by hand instead of sampled.
const MAX_SAMPLED_PROVER: usize = 4096;
/// Proofs per batch: 16, or 4 at N = 65,536.
fn batch_size(n: usize) -> usize {
    if n > MAX_SAMPLED_PROVER {
        4
    } else {
        16
    }
}

fn setup(n: usize) -> (Vec<CitizenSecretKey>, AnonymitySet) {
    let mut rng = ChaCha20Rng::seed_from_u64(n as u64);
    let sks: Vec<_> = (0..n)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let set = AnonymitySet::new(sks.iter().map(|s| s.public_key()).collect()).unwrap();
    (sks, set)
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for n in SIZES {
        let (sks, set) = setup(n);
        let sk = &sks[n / 3];
        let mut g = c.benchmark_group("credential");
        g.sample_size(10);
        if n <= MAX_SAMPLED_PROVER {
            g.bench_with_input(BenchmarkId::new("prove", n), &n, |b, _| {
                b.iter(|| MembershipProof::prove(&set, sk, b"motion", b"ballot", &mut rng).unwrap())
            });
        }
        let batch = batch_size(n);
        let start = Instant::now();
        let proofs: Vec<MembershipProof> = (0..batch)
            .map(|i| {
                MembershipProof::prove(&set, &sks[(i * 7919) % n], b"motion", &[i as u8], &mut rng)
                    .unwrap()
            })
            .collect();
        let per_proof = start.elapsed() / batch as u32;
        println!(
            "credential/N={n}: proof size {} bytes, mean prove time over {batch} runs {per_proof:?}",
            proofs[0].to_bytes().len()
        );
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| proofs[0].verify(&set, b"motion", &[0]).unwrap())
        });
        // One MSM of N + 2m + 2 + k·(2m + 5) terms verifies k proofs
        // (m = log2 of the padded set size). A single proof's weights are
        // squeezed from its transcript (full scalars); in a batch the
        // commitments A and D get bare 128-bit weights.
        let terms = |k: usize| n + 2 * set.depth() + 2 + k * (2 * set.depth() + 5);
        msm::reference_msm(
            &mut g,
            BenchmarkId::new("reference_msm_1", n),
            &[msm::Terms {
                full: terms(1),
                short: 0,
            }],
            &mut rng,
        );
        let msgs: Vec<[u8; 1]> = (0..batch).map(|i| [i as u8]).collect();
        let items: Vec<(&[u8], &MembershipProof)> = msgs
            .iter()
            .map(|m| m.as_slice())
            .zip(proofs.iter())
            .collect();
        g.bench_with_input(
            BenchmarkId::new(format!("verify_batch_{batch}"), n),
            &n,
            |b, _| {
                b.iter(|| MembershipProof::verify_batch(&set, b"motion", &items, &mut rng).unwrap())
            },
        );
        msm::reference_msm(
            &mut g,
            BenchmarkId::new(format!("reference_msm_{batch}"), n),
            &[msm::Terms {
                full: terms(batch) - 2 * batch,
                short: 2 * batch,
            }],
            &mut rng,
        );
        g.finish();
    }
}

/// The assembly case: 150 delegates' ballot proofs over the 150 seated keys,
/// verified in one batch.
fn assembly(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(150);
    let (sks, set) = setup(150);
    let msgs: Vec<[u8; 1]> = (0..150).map(|i| [i as u8]).collect();
    let proofs: Vec<MembershipProof> = sks
        .iter()
        .zip(&msgs)
        .map(|(sk, m)| MembershipProof::prove(&set, sk, b"motion", m, &mut rng).unwrap())
        .collect();
    let items: Vec<(&[u8], &MembershipProof)> = msgs
        .iter()
        .map(|m| m.as_slice())
        .zip(proofs.iter())
        .collect();
    let mut g = c.benchmark_group("credential");
    g.sample_size(10);
    g.bench_function("assembly_150_ballots_verify_batch", |b| {
        b.iter(|| MembershipProof::verify_batch(&set, b"motion", &items, &mut rng).unwrap())
    });
    g.bench_function("assembly_150_ballots_verify_each", |b| {
        b.iter(|| {
            for (m, p) in &items {
                p.verify(&set, b"motion", m).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, assembly, bench);
criterion_main!(benches);
