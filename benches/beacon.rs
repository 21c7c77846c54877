//! Beacon benchmarks: RFC 9381 ECVRF prove and verify, with the
//! double-scalar multiplication that dominates verification as a reference.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use kleroterion::beacon::ecvrf::{Proof, PublicKey, SecretKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

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

criterion_group!(benches, ecvrf);
criterion_main!(benches);
