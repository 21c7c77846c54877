//! Ballot benchmarks: motion ballot encryption with proofs, single and batch
//! verification (with rayon when the `rayon` feature is enabled), decoding,
//! and tally accumulation.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use kleroterion::ballot::{
    BallotId, Contest, ContestKind, Election, EncryptedBallot, Manifest, MotionVote,
    PlaintextBallot, PlaintextContest, BATCH_CHUNK,
};
use kleroterion::elgamal::SecretKey;
use kleroterion::encoding::{Decode, Encode};
use kleroterion::tally::TallyAccumulator;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "support/msm.rs"]
mod msm;

const BATCH: usize = 1000;

fn election() -> Election {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let sk = SecretKey::generate(&mut rng);
    let manifest = Manifest::new("bench-assembly", vec![Contest::motion("harm")]).unwrap();
    Election::new(manifest, sk.public_key())
}

fn ballot(election: &Election, i: usize, rng: &mut ChaCha20Rng) -> EncryptedBallot {
    let vote = [MotionVote::Yes, MotionVote::No, MotionVote::Abstain][i % 3];
    let plain = PlaintextBallot::new(
        BallotId::random(rng),
        vec![PlaintextContest::motion("harm", vote)],
    );
    election.encrypt(plain, rng).unwrap().cast()
}

fn benches(c: &mut Criterion) {
    let election = election();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let ballots: Vec<EncryptedBallot> =
        (0..BATCH).map(|i| ballot(&election, i, &mut rng)).collect();
    let encoded: Vec<Vec<u8>> = ballots.iter().map(Encode::to_bytes).collect();
    let mode = if cfg!(feature = "rayon") {
        "rayon"
    } else {
        "sequential"
    };

    let mut g = c.benchmark_group("ballot");
    g.bench_function("motion encrypt+prove", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            ballot(&election, i, &mut rng)
        })
    });
    g.bench_function("motion verify one", |b| {
        b.iter(|| election.verify(&ballots[0], &mut rng).unwrap())
    });
    g.throughput(Throughput::Elements(BATCH as u64));
    g.sample_size(10);
    g.bench_function(format!("motion batch verify {BATCH} ({mode})"), |b| {
        b.iter(|| election.verify_batch(&ballots, &mut rng).unwrap())
    });
    #[cfg(feature = "rayon")]
    {
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        g.bench_function(
            format!("motion batch verify {BATCH} (rayon, 1 thread)"),
            |b| b.iter(|| one.install(|| election.verify_batch(&ballots, &mut rng).unwrap())),
        );
    }
    // The multiscalar multiplications the batch cannot avoid: per chunk of
    // BATCH_CHUNK ballots, per ballot its 16 points (12 proof commitments
    // with 128-bit weights, 4 ciphertext points with full scalars), plus G
    // and PK once.
    let chunks: Vec<msm::Terms> = (0..BATCH)
        .step_by(BATCH_CHUNK)
        .map(|start| {
            let ballots = BATCH_CHUNK.min(BATCH - start);
            msm::Terms {
                full: 4 * ballots + 2,
                short: 12 * ballots,
            }
        })
        .collect();
    msm::reference_msm(
        &mut g,
        BenchmarkId::from_parameter(format!("reference_msm motion batch {BATCH}")),
        &chunks,
        &mut rng,
    );
    g.bench_function(format!("motion decode {BATCH}"), |b| {
        b.iter(|| {
            encoded
                .iter()
                .map(|e| EncryptedBallot::from_bytes(e).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.bench_function(
        format!("motion decode+batch verify {BATCH} ({mode})"),
        |b| {
            b.iter(|| {
                election
                    .decode_verify_cast_batch(&encoded, &mut rng)
                    .unwrap()
            })
        },
    );
    g.bench_function(format!("motion tally add {BATCH}"), |b| {
        b.iter_batched(
            || {
                election
                    .verify_cast_batch(ballots.clone(), &mut rng)
                    .unwrap()
            },
            |cast| {
                let mut t = TallyAccumulator::new(election.manifest());
                t.add_all(&cast).unwrap();
                t
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    // One contest of every kind: motion, 1-of-3, approval (2 of 4), score
    // (2 options, 0..=5).
    let mixed = mixed_election();
    let plain = || {
        PlaintextBallot::new(
            BallotId([7; 32]),
            vec![
                PlaintextContest::motion("harm", MotionVote::No),
                PlaintextContest::new("chair", vec![0, 1, 0]),
                PlaintextContest::new("panel", vec![1, 0, 1, 0]),
                PlaintextContest::new("remedy", vec![4, 1]),
            ],
        )
    };
    let ballot = mixed.encrypt(plain(), &mut rng).unwrap().cast();
    let mut g = c.benchmark_group("ballot");
    g.sample_size(10);
    g.bench_function("mixed encrypt+prove", |b| {
        b.iter(|| mixed.encrypt(plain(), &mut rng).unwrap())
    });
    g.bench_function("mixed verify one", |b| {
        b.iter(|| mixed.verify(&ballot, &mut rng).unwrap())
    });
    g.finish();
}

fn mixed_election() -> Election {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let sk = SecretKey::generate(&mut rng);
    let opts = |n: usize| (0..n).map(|i| format!("option {i}")).collect::<Vec<_>>();
    let manifest = Manifest::new(
        "bench-mixed",
        vec![
            Contest::motion("harm"),
            Contest::new("chair", ContestKind::OneOfN, opts(3)),
            Contest::new("panel", ContestKind::Approval { limit: 2 }, opts(4)),
            Contest::new("remedy", ContestKind::Score { max: 5 }, opts(2)),
        ],
    )
    .unwrap();
    Election::new(manifest, sk.public_key())
}

criterion_group!(ballot_benches, benches);
criterion_main!(ballot_benches);
