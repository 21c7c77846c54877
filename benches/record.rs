//! Whole-record verification: an assembly vote of 150 delegates (with
//! eligibility proofs) and the ballot throughput of an open vote streamed
//! through the record verifier.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kleroterion::record::{verify_record, ElectionRecord};
use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams, HARM_VOTE};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn vote(params: &SimulationParams, name: &str) -> (ElectionRecord, MemorySink) {
    let mut sink = MemorySink::default();
    let sim = simulate_assembly(
        params,
        &mut ChaCha20Rng::seed_from_u64(1),
        &mut sink,
        |_, _| {},
    )
    .unwrap();
    let record = sim
        .record
        .votes
        .into_iter()
        .find(|v| v.name == name)
        .unwrap()
        .record;
    (record, sink)
}

fn record(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let mut g = c.benchmark_group("record");
    g.sample_size(10);

    let params = SimulationParams {
        citizens: 1_000,
        ..SimulationParams::default()
    };
    let (rec, sink) = vote(&params, HARM_VOTE);
    let lines = &sink.ballots[HARM_VOTE];
    let challenged = &sink.challenged[HARM_VOTE];
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("verify_assembly_vote_150_delegates", |b| {
        b.iter(|| assert!(verify_record(&rec, lines, challenged, &mut rng).all_passed()))
    });

    let ballots = 8_192;
    let params = SimulationParams {
        citizens: 300,
        consultation_ballots: ballots,
        ..SimulationParams::default()
    };
    let (rec, sink) = vote(&params, kleroterion::simulate::CONSULTATION_VOTE);
    let lines = &sink.ballots[kleroterion::simulate::CONSULTATION_VOTE];
    let challenged = &sink.challenged[kleroterion::simulate::CONSULTATION_VOTE];
    g.throughput(Throughput::Elements(ballots));
    g.bench_function("verify_open_vote_8192_ballots", |b| {
        b.iter(|| assert!(verify_record(&rec, lines, challenged, &mut rng).all_passed()))
    });
    g.finish();
}

criterion_group!(benches, record);
criterion_main!(benches);
