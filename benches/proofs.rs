//! Prove, verify and batch-verify costs of the sigma proofs, each batch
//! beside the raw vartime multiscalar multiplication over as many points as
//! the batch's final check uses (the reference limit, spec/proofs.md §6).
//!
//! `cargo bench --bench proofs -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::proofs::{
    DisjunctiveProof, DisjunctiveStatement, DleqProof, DleqStatement, EncodedPoint, SchnorrProof,
    SchnorrStatement,
};
use kleroterion::transcript::new_transcript;
use merlin::Transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

#[path = "support/msm.rs"]
mod msm;

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

/// The batch items `(transcript, statement, proof)` of the first `n` proofs.
fn items<'a, S, P>(sts: &'a [S], proofs: &'a [P], n: usize) -> Vec<(Transcript, &'a S, &'a P)> {
    sts.iter()
        .zip(proofs)
        .take(n)
        .map(|(s, p)| (t(), s, p))
        .collect()
}

/// Benches `batch_verify` over the first `n` proofs for every size, each
/// beside the raw MSM over the `terms(n)` points its final check uses.
fn batches<S, P>(
    c: &mut Criterion,
    group: &str,
    (sts, proofs): (&[S], &[P]),
    terms: fn(usize) -> msm::Terms,
    batch_verify: impl Fn(&[(Transcript, &S, &P)], &mut ChaCha20Rng) -> kleroterion::Result<()>,
    rng: &mut ChaCha20Rng,
) {
    for n in SIZES {
        let items = items(sts, proofs, n);
        let mut g = c.benchmark_group(group);
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("verify", n), |b| {
            b.iter(|| batch_verify(&items, rng).unwrap())
        });
        msm::reference_msm(&mut g, BenchmarkId::new("msm", n), &[terms(n)], rng);
        g.finish();
    }
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
    // Base shared: R and X per proof, one fixed term.
    let batch_verify = SchnorrProof::batch_verify::<EncodedPoint, _>;
    batches(
        c,
        "schnorr/batch",
        (&sts, &proofs),
        // Commitments with 128-bit weights; X per proof and G with full
        // scalars.
        |n| msm::Terms {
            full: n + 1,
            short: n,
        },
        batch_verify,
        &mut rng,
    );
    // Bare-point statements: every X is compressed during verification.
    let bare: Vec<SchnorrStatement> = sts
        .iter()
        .take(256)
        .map(|s| SchnorrStatement {
            base: G,
            public: *s.public.point(),
        })
        .collect();
    let mut g = c.benchmark_group("schnorr/batch");
    g.sample_size(10);
    let items = items(&bare, &proofs, 256);
    g.bench_function(BenchmarkId::new("verify_bare_points", 256), |b| {
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
    // G and H shared: T1, T2 (128-bit weights), A, B per proof, two fixed
    // terms.
    let batch_verify = DleqProof::batch_verify::<EncodedPoint, _>;
    batches(
        c,
        "dleq/batch",
        (&encoded, &proofs),
        |n| msm::Terms {
            full: 2 * n + 2,
            short: 2 * n,
        },
        batch_verify,
        &mut rng,
    );
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
    // G and PK shared: A0, B0, A1, B1 (128-bit weights), α, β per proof,
    // two fixed terms.
    let batch_verify = DisjunctiveProof::batch_verify::<EncodedPoint, _>;
    batches(
        c,
        "disjunctive01/batch",
        (&sts, &proofs),
        |n| msm::Terms {
            full: 2 * n + 2,
            short: 4 * n,
        },
        batch_verify,
        &mut rng,
    );
}

criterion_group!(benches, schnorr, dleq, disjunctive);
criterion_main!(benches);
