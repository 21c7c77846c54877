//! Beacon benchmarks: RFC 9381 ECVRF prove and verify, with the
//! double-scalar multiplication that dominates verification as a reference;
//! the threshold beacon's partials, combination, round and chain
//! verification, with the multiscalar multiplication a round needs as a
//! reference.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use kleroterion::beacon::drand::{DrandChain, DrandRound};
use kleroterion::beacon::ecvrf::{Proof, PublicKey, SecretKey};
use kleroterion::beacon::threshold::{
    combine, verify_chain, verify_round, BeaconOutput, BeaconParameters, BeaconPartial,
    BeaconRecord, ChainMode,
};
use kleroterion::beacon::Registrations;
use kleroterion::trustees::dkg::{DkgOutput, DkgParameters};
use kleroterion::trustees::simulate::run_locally;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "support/msm.rs"]
mod msm;

fn ecvrf(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(9381);
    let sk = SecretKey::generate(&mut rng);
    let alpha = b"kleroterion beacon round 1";
    let proof = sk.prove(alpha).unwrap();
    let pk_bytes = sk.public_key().to_bytes();
    let pi_bytes = proof.to_bytes();

    let mut g = c.benchmark_group("ecvrf");
    g.bench_function("prove", |b| b.iter(|| sk.prove(black_box(alpha)).unwrap()));
    g.bench_function("verify", |b| {
        b.iter(|| sk.public_key().verify(black_box(alpha), &proof).unwrap())
    });
    g.bench_function("decode_and_verify", |b| {
        b.iter(|| {
            let pk = PublicKey::from_bytes(black_box(&pk_bytes)).unwrap();
            let proof = Proof::from_bytes(black_box(&pi_bytes)).unwrap();
            pk.verify(black_box(alpha), &proof).unwrap()
        })
    });
    g.bench_function("encode_to_curve", |b| {
        b.iter(|| sk.public_key().encode_to_curve(black_box(alpha)).unwrap())
    });

    // References: verification computes U = s·B − c·Y (a double-scalar
    // multiplication with the basepoint) and V = s·H − c·Gamma (a two-point
    // vartime multiscalar multiplication); everything else is hashing,
    // point decoding and encoding.
    let (s, t) = (Scalar::random(&mut rng), Scalar::random(&mut rng));
    let y = *sk.public_key().as_point();
    let h = sk.public_key().encode_to_curve(alpha).unwrap();
    g.bench_function("reference_vartime_double_scalar_mul_basepoint", |b| {
        b.iter(|| {
            EdwardsPoint::vartime_double_scalar_mul_basepoint(black_box(&t), &y, black_box(&s))
        })
    });
    g.bench_function("reference_vartime_multiscalar_mul_2", |b| {
        b.iter(|| EdwardsPoint::vartime_multiscalar_mul(black_box([s, t]), [h, y]))
    });
    g.finish();
}

/// A chain of `rounds` rounds by a `t`-of-`n` trustee set, each round
/// combined from exactly `t` partials.
fn threshold_chain(n: u16, t: u16, rounds: u64) -> (BeaconRecord, Vec<DkgOutput>) {
    let mut rng = ChaCha20Rng::seed_from_u64(u64::from(n));
    let dkg = DkgParameters::new(n, t, b"bench").unwrap();
    let outputs = run_locally(&dkg, &mut rng).unwrap();
    let params = BeaconParameters::new(outputs[0].trustees.clone(), ChainMode::Chained, [1; 32]);
    let mut previous: Option<BeaconOutput> = None;
    let mut out = Vec::new();
    for r in 1..=rounds {
        let partials: Vec<BeaconPartial> = outputs[..usize::from(t)]
            .iter()
            .map(|o| {
                BeaconPartial::produce(
                    &params,
                    &o.share,
                    r,
                    previous.as_ref(),
                    &Registrations::none(),
                    &mut rng,
                )
                .unwrap()
            })
            .collect();
        let round = combine(
            &params,
            r,
            previous.as_ref(),
            &Registrations::none(),
            &partials,
            &mut rng,
        )
        .unwrap()
        .round;
        previous = Some(*round.output());
        out.push(round);
    }
    (
        BeaconRecord {
            parameters: params,
            rounds: out,
        },
        outputs,
    )
}

fn threshold(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let mut g = c.benchmark_group("threshold_beacon");
    g.sample_size(20);
    for (t, n) in [(3u16, 5u16), (11, 21)] {
        let (record, outputs) = threshold_chain(n, t, 1);
        let params = &record.parameters;
        let partials: Vec<BeaconPartial> = outputs[..usize::from(t)]
            .iter()
            .map(|o| {
                BeaconPartial::produce(params, &o.share, 1, None, &Registrations::none(), &mut rng)
                    .unwrap()
            })
            .collect();
        let id = format!("t{t}_n{n}");
        g.bench_function(format!("partial_produce/{id}"), |b| {
            b.iter(|| {
                BeaconPartial::produce(
                    params,
                    &outputs[0].share,
                    1,
                    None,
                    &Registrations::none(),
                    &mut rng,
                )
                .unwrap()
            })
        });
        g.bench_function(format!("partial_verify/{id}"), |b| {
            b.iter(|| {
                partials[0]
                    .verify(params, None, &Registrations::none())
                    .unwrap()
            })
        });
        g.bench_function(format!("combine/{id}"), |b| {
            b.iter(|| {
                combine(
                    params,
                    1,
                    None,
                    &Registrations::none(),
                    black_box(&partials),
                    &mut rng,
                )
                .unwrap()
            })
        });
        g.bench_function(format!("verify_round/{id}"), |b| {
            b.iter(|| verify_round(params, black_box(&record.rounds[0]), None, &mut rng).unwrap())
        });
        // References: the multiscalar multiplication a round's check cannot
        // avoid (spec/beacon.md §2.5): one term each for G, H_r and σ, and per
        // partial one each for Yⱼ, σⱼ and the two DLEQ commitments. The
        // coefficients of σ, T₁ and T₂ are bare 128-bit weights, those of the
        // other points full scalars, as in any random-weight batch.
        let tt = usize::from(t);
        let round = msm::Terms {
            full: 2 + 2 * tt,
            short: 1 + 2 * tt,
        };
        msm::reference_msm(
            &mut g,
            BenchmarkId::new("reference_msm_round", &id),
            &[round],
            &mut rng,
        );
        // The same points with every coefficient a full scalar (the
        // reference used before; kept to compare with earlier figures).
        msm::reference_msm(
            &mut g,
            BenchmarkId::new("reference_msm_round_full_scalars", &id),
            &[msm::Terms {
                full: round.full + round.short,
                short: 0,
            }],
            &mut rng,
        );
    }
    g.finish();

    let rounds = 10_000;
    let (record, _) = threshold_chain(5, 3, rounds);
    let mut g = c.benchmark_group("threshold_beacon_chain");
    g.sample_size(10);
    g.bench_function("verify_chain/t3_n5/10000", |b| {
        b.iter(|| verify_chain(black_box(&record), &mut rng).unwrap())
    });
    // Reference: the chain's one multiscalar multiplication needs a term for
    // G and each of the n verification shares, and per round H_r, σ and, per
    // partial, σⱼ, T₁ and T₂ (128-bit weights on σ, T₁ and T₂).
    let (t, n, len) = (3, 5, usize::try_from(rounds).unwrap());
    let chain = msm::Terms {
        full: 1 + n + len * (1 + t),
        short: len * (1 + 2 * t),
    };
    msm::reference_msm(
        &mut g,
        BenchmarkId::new("reference_msm_chain", "t3_n5/10000"),
        &[chain],
        &mut rng,
    );
    g.finish();
}

/// One real round of each drand network (`test-vectors/drand.json`):
/// decoding, hashing to the curve, the two-pairing check and the SHA-256
/// of the signature, as a verifier does per round.
fn drand(c: &mut Criterion) {
    let file: serde_json::Value = serde_json::from_str(include_str!("../test-vectors/drand.json"))
        .expect("test-vectors/drand.json");
    let mut g = c.benchmark_group("drand");
    g.sample_size(20);
    for chain in file["chains"].as_array().expect("chains") {
        let info = DrandChain::from_info_json(&chain["info"].to_string()).expect("chain info");
        let r = &chain["rounds"][1];
        let hex_of = |k: &str| r[k].as_str().map(|s| hex::decode(s).expect("hex"));
        let round = DrandRound {
            round: r["round"].as_u64().expect("round"),
            signature: hex_of("signature").expect("signature"),
            previous_signature: hex_of("previous_signature"),
        };
        let name = chain["name"].as_str().expect("name");
        g.bench_function(format!("verify_round/{name}"), |b| {
            b.iter(|| info.verify_round(black_box(&round)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, ecvrf, threshold, drand);
criterion_main!(benches);
