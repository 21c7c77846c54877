//! Prove, verify and batch-verify costs of the sigma proofs, each batch
//! beside the raw vartime multiscalar multiplication over as many points as
//! the batch's final check uses (the reference limit, spec/proofs.md §6).
//!
//! `cargo bench --bench proofs -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use kleroterion::proofs::{
    DisjunctiveProof, DisjunctiveStatement, DleqProof, DleqStatement, EncodedPoint, SchnorrProof,
    SchnorrStatement,
};
use kleroterion::transcript::new_transcript;
use merlin::Transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const CTX: &[u8] = b"bench";
const SIZES: [usize; 4] = [1, 16, 256, 4096];
const MAX: usize = 4096;
const BIT: &[u64] = &[0, 1];

fn t() -> Transcript {
    new_transcript(CTX)
}

fn e(p: RistrettoPoint) -> EncodedPoint {
    EncodedPoint::new(p)
}

/// Times a raw MSM over `terms` random points and scalars.
fn msm(c: &mut Criterion, group: &str, n: usize, terms: usize, rng: &mut ChaCha20Rng) {
    let points: Vec<RistrettoPoint> = (0..terms).map(|_| RistrettoPoint::random(rng)).collect();
    let scalars: Vec<Scalar> = (0..terms).map(|_| Scalar::random(rng)).collect();
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.bench_with_input(BenchmarkId::new("msm", n), &n, |b, _| {
        b.iter(|| RistrettoPoint::vartime_multiscalar_mul(&scalars, &points))
    });
    g.finish();
}

fn schnorr(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let xs: Vec<Scalar> = (0..MAX).map(|_| Scalar::random(&mut rng)).collect();
    let sts: Vec<SchnorrStatement<EncodedPoint>> = xs
        .iter()
        .map(|x| SchnorrStatement {
            base: e(G),
            public: e(G * x),
        })
        .collect();
    let proofs: Vec<SchnorrProof> = xs
        .iter()
        .zip(&sts)
        .map(|(x, st)| SchnorrProof::prove(&mut t(), &G, st.public.point(), x, &mut rng))
        .collect();
    let (x, public, proof) = (xs[0], *sts[0].public.point(), proofs[0]);
    c.bench_function("schnorr/prove", |b| {
        b.iter(|| SchnorrProof::prove(&mut t(), &G, &public, &x, &mut rng))
    });
    c.bench_function("schnorr/verify", |b| {
        b.iter(|| proof.verify(&mut t(), &G, &public).unwrap())
    });
    for n in SIZES {
        let items: Vec<_> = sts
            .iter()
            .zip(&proofs)
            .take(n)
            .map(|(s, p)| (t(), s, p))
            .collect();
        let mut g = c.benchmark_group("schnorr/batch");
        g.sample_size(10);
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| SchnorrProof::batch_verify(&items, &mut rng).unwrap())
        });
        g.finish();
        // Base shared: R and X per proof, one fixed term.
        msm(c, "schnorr/batch", n, 2 * n + 1, &mut rng);
    }
    // Bare-point statements: every X is compressed during verification.
    let bare: Vec<SchnorrStatement> = sts
        .iter()
        .take(256)
        .map(|s| SchnorrStatement {
            base: G,
            public: *s.public.point(),
        })
        .collect();
    let items: Vec<_> = bare.iter().zip(&proofs).map(|(s, p)| (t(), s, p)).collect();
    let mut g = c.benchmark_group("schnorr/batch");
    g.sample_size(10);
    g.bench_with_input(BenchmarkId::new("verify_bare_points", 256), &256, |b, _| {
        b.iter(|| SchnorrProof::batch_verify(&items, &mut rng).unwrap())
    });
    g.finish();
}

fn dleq(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let h = RistrettoPoint::random(&mut rng);
    let xs: Vec<Scalar> = (0..MAX).map(|_| Scalar::random(&mut rng)).collect();
    let sts: Vec<DleqStatement> = xs
        .iter()
        .map(|x| DleqStatement {
            g: G,
            a: G * x,
            h,
            b: h * x,
        })
        .collect();
    let proofs: Vec<DleqProof> = xs
        .iter()
        .zip(&sts)
        .map(|(x, st)| DleqProof::prove(&mut t(), st, x, &mut rng))
        .collect();
    let encoded: Vec<DleqStatement<EncodedPoint>> = sts
        .iter()
        .map(|s| DleqStatement {
            g: e(s.g),
            a: e(s.a),
            h: e(s.h),
            b: e(s.b),
        })
        .collect();
    let (x, st, proof) = (xs[0], sts[0], proofs[0]);
    c.bench_function("dleq/prove", |b| {
        b.iter(|| DleqProof::prove(&mut t(), &st, &x, &mut rng))
    });
    c.bench_function("dleq/verify", |b| {
        b.iter(|| proof.verify(&mut t(), &st).unwrap())
    });
    for n in SIZES {
        let items: Vec<_> = encoded
            .iter()
            .zip(&proofs)
            .take(n)
            .map(|(s, p)| (t(), s, p))
            .collect();
        let mut g = c.benchmark_group("dleq/batch");
        g.sample_size(10);
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| DleqProof::batch_verify(&items, &mut rng).unwrap())
        });
        g.finish();
        // G and H shared: T1, T2, A, B per proof, two fixed terms.
        msm(c, "dleq/batch", n, 4 * n + 2, &mut rng);
    }
}

fn disjunctive(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let pk = RistrettoPoint::random(&mut rng);
    let mut witnesses = Vec::with_capacity(MAX);
    let mut sts: Vec<DisjunctiveStatement<'static, EncodedPoint>> = Vec::with_capacity(MAX);
    for i in 0..MAX {
        let r = Scalar::random(&mut rng);
        let m = (i % 2) as u64;
        sts.push(DisjunctiveStatement {
            pk: e(pk),
            alpha: e(G * r),
            beta: e(G * Scalar::from(m) + pk * r),
            allowed: BIT,
        });
        witnesses.push((i % 2, r));
    }
    let proofs: Vec<DisjunctiveProof> = sts
        .iter()
        .zip(&witnesses)
        .map(|(st, (i, r))| {
            DisjunctiveProof::prove_statement(&mut t(), st, *i, r, &mut rng).unwrap()
        })
        .collect();
    let (st, (i, r), proof) = (sts[1], witnesses[1], &proofs[1]);
    c.bench_function("disjunctive01/prove", |b| {
        b.iter(|| DisjunctiveProof::prove_statement(&mut t(), &st, i, &r, &mut rng).unwrap())
    });
    c.bench_function("disjunctive01/verify", |b| {
        b.iter(|| proof.verify_statement(&mut t(), &st).unwrap())
    });
    for n in SIZES {
        let items: Vec<_> = sts
            .iter()
            .zip(&proofs)
            .take(n)
            .map(|(s, p)| (t(), s, p))
            .collect();
        let mut g = c.benchmark_group("disjunctive01/batch");
        g.sample_size(10);
        g.bench_with_input(BenchmarkId::new("verify", n), &n, |b, _| {
            b.iter(|| DisjunctiveProof::batch_verify(&items, &mut rng).unwrap())
        });
        g.finish();
        // G and PK shared: A0, B0, A1, B1, α, β per proof, two fixed terms.
        msm(c, "disjunctive01/batch", n, 6 * n + 2, &mut rng);
    }
}

criterion_group!(benches, schnorr, dleq, disjunctive);
criterion_main!(benches);
