//! Completeness, soundness, encoding and batch tests for `kleroterion::proofs`.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use kleroterion::batch::BatchVerifier;
use kleroterion::encoding::{Decode, Encode};
use kleroterion::proofs::{
    BatchContext, DisjunctiveProof, DisjunctiveStatement, DleqProof, DleqStatement, EncodedPoint,
    SchnorrProof, SchnorrStatement, DLEQ_PROOF_LEN, SCHNORR_PROOF_LEN,
};
use kleroterion::transcript::{new_transcript, TranscriptProtocol};
use kleroterion::Error;
use merlin::Transcript;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const CTX: &[u8] = b"test context";

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn t() -> Transcript {
    new_transcript(CTX)
}

fn point(rng: &mut ChaCha20Rng) -> RistrettoPoint {
    RistrettoPoint::random(rng)
}

// ---------------------------------------------------------------- Schnorr

struct SchnorrCase {
    base: RistrettoPoint,
    public: RistrettoPoint,
    proof: SchnorrProof,
}

fn schnorr_case(seed: u64) -> SchnorrCase {
    let mut rng = rng(seed);
    let base = point(&mut rng);
    let x = Scalar::random(&mut rng);
    let public = base * x;
    let proof = SchnorrProof::prove(&mut t(), &base, &public, &x, &mut rng);
    SchnorrCase {
        base,
        public,
        proof,
    }
}

#[test]
fn schnorr_completeness() {
    for seed in 0..8 {
        let c = schnorr_case(seed);
        c.proof.verify(&mut t(), &c.base, &c.public).unwrap();
        let st = SchnorrStatement {
            base: EncodedPoint::new(c.base),
            public: EncodedPoint::new(c.public),
        };
        c.proof.verify_statement(&mut t(), &st).unwrap();
    }
}

#[test]
fn schnorr_over_the_standard_generator() {
    let mut rng = rng(1);
    let x = Scalar::random(&mut rng);
    let proof = SchnorrProof::prove(&mut t(), &G, &(G * x), &x, &mut rng);
    proof.verify(&mut t(), &G, &(G * x)).unwrap();
}

#[test]
fn schnorr_leaves_prover_and_verifier_transcripts_in_the_same_state() {
    let mut rng = rng(2);
    let x = Scalar::random(&mut rng);
    let (mut tp, mut tv) = (t(), t());
    let proof = SchnorrProof::prove(&mut tp, &G, &(G * x), &x, &mut rng);
    proof.verify(&mut tv, &G, &(G * x)).unwrap();
    assert_eq!(tp.challenge_scalar(b"next"), tv.challenge_scalar(b"next"));
}

#[test]
fn schnorr_soundness() {
    let c = schnorr_case(3);
    let mut rng = rng(33);
    let failed = Err(Error::VerificationFailed { proof: "Schnorr" });
    // Different public key, base, context, protocol position.
    assert_eq!(c.proof.verify(&mut t(), &c.base, &point(&mut rng)), failed);
    assert_eq!(
        c.proof.verify(&mut t(), &point(&mut rng), &c.public),
        failed
    );
    assert_eq!(
        c.proof
            .verify(&mut new_transcript(b"other context"), &c.base, &c.public),
        failed
    );
    let mut prefixed = t();
    prefixed.append_u64_le(b"extra", 1);
    assert_eq!(c.proof.verify(&mut prefixed, &c.base, &c.public), failed);
    // Wrong witness: the prover's output does not verify.
    let x = Scalar::random(&mut rng);
    let bad = SchnorrProof::prove(&mut t(), &c.base, &c.public, &x, &mut rng);
    assert_eq!(bad.verify(&mut t(), &c.base, &c.public), failed);
    // A proof for another statement (same base).
    let other = schnorr_case(4);
    assert_eq!(other.proof.verify(&mut t(), &c.base, &c.public), failed);
}

#[test]
fn schnorr_rejects_identity_statement() {
    let c = schnorr_case(5);
    let o = RistrettoPoint::identity();
    assert_eq!(
        c.proof.verify(&mut t(), &o, &c.public),
        Err(Error::IdentityPoint)
    );
    assert_eq!(
        c.proof.verify(&mut t(), &c.base, &o),
        Err(Error::IdentityPoint)
    );
    let mut b = BatchVerifier::new();
    assert_eq!(
        c.proof.queue(&mut t(), &c.base, &o, &mut b, &mut rng(0)),
        Err(Error::IdentityPoint)
    );
}

#[test]
fn schnorr_encoding_roundtrip() {
    let c = schnorr_case(6);
    let bytes = c.proof.to_bytes();
    assert_eq!(bytes.len(), SCHNORR_PROOF_LEN);
    assert_eq!(&bytes[..2], &[0x01, 0x01]);
    assert_eq!(SchnorrProof::from_bytes(&bytes).unwrap(), c.proof);
}

// ---------------------------------------------------------------- DLEQ

struct DleqCase {
    st: DleqStatement,
    proof: DleqProof,
}

fn dleq_case(seed: u64) -> DleqCase {
    let mut rng = rng(seed);
    let x = Scalar::random(&mut rng);
    let h = point(&mut rng);
    let st = DleqStatement {
        g: G,
        a: G * x,
        h,
        b: h * x,
    };
    let proof = DleqProof::prove(&mut t(), &st, &x, &mut rng);
    DleqCase { st, proof }
}

#[test]
fn dleq_completeness() {
    for seed in 0..8 {
        let c = dleq_case(seed);
        c.proof.verify(&mut t(), &c.st).unwrap();
    }
}

#[test]
fn dleq_soundness() {
    let c = dleq_case(10);
    let mut rng = rng(11);
    let failed = Err(Error::VerificationFailed { proof: "DLEQ" });
    let r = point(&mut rng);
    for st in [
        DleqStatement { g: r, ..c.st },
        DleqStatement { a: r, ..c.st },
        DleqStatement { h: r, ..c.st },
        DleqStatement { b: r, ..c.st },
        // Swapped roles of the two bases.
        DleqStatement {
            g: c.st.h,
            a: c.st.b,
            h: c.st.g,
            b: c.st.a,
        },
    ] {
        assert_eq!(c.proof.verify(&mut t(), &st), failed);
    }
    assert_eq!(c.proof.verify(&mut new_transcript(b"other"), &c.st), failed);
    // A false statement (B has another discrete log) cannot be proven.
    let x = Scalar::random(&mut rng);
    let y = Scalar::random(&mut rng);
    let st = DleqStatement {
        g: G,
        a: G * x,
        h: r,
        b: r * y,
    };
    let bad = DleqProof::prove(&mut t(), &st, &x, &mut rng);
    assert_eq!(bad.verify(&mut t(), &st), failed);
    // A proof for another true statement.
    assert_eq!(dleq_case(12).proof.verify(&mut t(), &c.st), failed);
}

#[test]
fn dleq_identity_rules() {
    let c = dleq_case(13);
    let o = RistrettoPoint::identity();
    assert_eq!(
        c.proof.verify(&mut t(), &DleqStatement { g: o, ..c.st }),
        Err(Error::IdentityPoint)
    );
    assert_eq!(
        c.proof.verify(&mut t(), &DleqStatement { a: o, ..c.st }),
        Err(Error::IdentityPoint)
    );
    // H = B = O (partial decryption of an empty tally) is a true statement.
    let mut rng = rng(14);
    let x = Scalar::random(&mut rng);
    let st = DleqStatement {
        g: G,
        a: G * x,
        h: o,
        b: o,
    };
    DleqProof::prove(&mut t(), &st, &x, &mut rng)
        .verify(&mut t(), &st)
        .unwrap();
}

#[test]
fn dleq_encoding_roundtrip() {
    let c = dleq_case(15);
    let bytes = c.proof.to_bytes();
    assert_eq!(bytes.len(), DLEQ_PROOF_LEN);
    assert_eq!(&bytes[..2], &[0x02, 0x01]);
    assert_eq!(DleqProof::from_bytes(&bytes).unwrap(), c.proof);
}

// ---------------------------------------------------------------- decoding errors

/// Every decoding error variant, for an encoding whose layout is
/// `header ‖ … ‖ point (at offset p) ‖ … ‖ scalar`.
fn decoding_errors<T: Decode + core::fmt::Debug>(valid: &[u8], expected_tag: u8, p: usize) {
    let n = valid.len();
    assert!(T::from_bytes(valid).is_ok());
    // Truncated, empty, trailing bytes.
    assert!(matches!(
        T::from_bytes(&valid[..n - 1]),
        Err(Error::UnexpectedEnd { .. })
    ));
    assert!(matches!(
        T::from_bytes(&[]),
        Err(Error::UnexpectedEnd { .. })
    ));
    let mut long = valid.to_vec();
    long.push(0);
    assert!(matches!(
        T::from_bytes(&long),
        Err(Error::TrailingBytes { remaining: 1, .. })
    ));
    // Wrong tag, unsupported version.
    let mut b = valid.to_vec();
    b[0] = 0x7f;
    assert_eq!(
        T::from_bytes(&b).unwrap_err(),
        Error::WrongObjectType {
            expected: expected_tag,
            found: 0x7f
        }
    );
    let mut b = valid.to_vec();
    b[1] = 2;
    assert!(matches!(
        T::from_bytes(&b),
        Err(Error::UnsupportedVersion { found: 2, .. })
    ));
    // Invalid point (non-canonical field element) in the first point slot.
    let mut b = valid.to_vec();
    b[p..p + 32].copy_from_slice(&[0xff; 32]);
    assert_eq!(T::from_bytes(&b).unwrap_err(), Error::InvalidPoint);
    // Negative field element: a canonical-looking but invalid encoding.
    let mut b = valid.to_vec();
    b[p..p + 32].copy_from_slice(&{
        let mut e = [0u8; 32];
        e[0] = 1;
        e
    });
    assert_eq!(T::from_bytes(&b).unwrap_err(), Error::InvalidPoint);
    // Non-canonical scalar (≥ ℓ) in the last scalar slot.
    let mut b = valid.to_vec();
    b[n - 32..].copy_from_slice(&[0xff; 32]);
    assert_eq!(T::from_bytes(&b).unwrap_err(), Error::NonCanonicalScalar);
}

#[test]
fn schnorr_decoding_errors() {
    decoding_errors::<SchnorrProof>(&schnorr_case(20).proof.to_bytes(), 0x01, 2);
}

#[test]
fn dleq_decoding_errors() {
    decoding_errors::<DleqProof>(&dleq_case(21).proof.to_bytes(), 0x02, 34);
}

#[test]
fn encoded_point_errors() {
    assert!(matches!(
        EncodedPoint::from_bytes(&[0; 31]),
        Err(Error::InvalidLength {
            expected: 32,
            actual: 31,
            ..
        })
    ));
    assert_eq!(
        EncodedPoint::from_bytes(&[0xff; 32]),
        Err(Error::InvalidPoint)
    );
    let o = EncodedPoint::from_bytes(&[0; 32]).unwrap();
    assert!(o.is_identity());
    assert_eq!(
        EncodedPoint::new(G),
        EncodedPoint::from_bytes(G.compress().as_bytes()).unwrap()
    );
}

#[test]
fn identity_statement_with_encoded_points() {
    let c = schnorr_case(22);
    let st = SchnorrStatement {
        base: EncodedPoint::new(c.base),
        public: EncodedPoint::from_bytes(&[0; 32]).unwrap(),
    };
    assert_eq!(
        c.proof.verify_statement(&mut t(), &st),
        Err(Error::IdentityPoint)
    );
}

#[cfg(feature = "serde")]
#[test]
fn serde_roundtrip() {
    let c = schnorr_case(23);
    let json = serde_json::to_string(&c.proof).unwrap();
    assert_eq!(json, format!("\"{}\"", hex::encode(c.proof.to_bytes())));
    assert_eq!(
        serde_json::from_str::<SchnorrProof>(&json).unwrap(),
        c.proof
    );
    let d = dleq_case(24);
    let json = serde_json::to_string(&d.proof).unwrap();
    assert_eq!(serde_json::from_str::<DleqProof>(&json).unwrap(), d.proof);
    assert!(serde_json::from_str::<DleqProof>("\"0201\"").is_err());
    let p = disj_case(25, BIT, 1).proof;
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<DisjunctiveProof>(&json).unwrap(), p);
}

#[test]
fn shared_points_from_other_protocols() {
    // Another protocol's term on G lands on the same fixed point as the
    // proofs' G terms: (3·G) − 3·G = O.
    let mut ctx = BatchContext::new();
    ctx.add_shared(&EncodedPoint::GENERATOR, Scalar::from(3u64));
    ctx.add(-Scalar::ONE, G * Scalar::from(3u64));
    assert_eq!(ctx.len(), 2);
    ctx.add_shared(&EncodedPoint::new(G), Scalar::ONE);
    assert_eq!(ctx.len(), 2);
    assert!(!ctx.clone().verify());
    ctx.add_shared(&EncodedPoint::GENERATOR, -Scalar::ONE);
    assert!(ctx.verify());
    assert_eq!(EncodedPoint::GENERATOR, EncodedPoint::new(G));
    assert_eq!(
        format!("{:?}", EncodedPoint::GENERATOR),
        format!("EncodedPoint({})", hex::encode(G.compress().as_bytes()))
    );
}

// ---------------------------------------------------------------- tampering

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn schnorr_every_byte_change_is_rejected(seed in 0u64..1000, pos in 0usize..SCHNORR_PROOF_LEN, delta in 1u8..=255) {
        let c = schnorr_case(seed);
        let mut bytes = c.proof.to_bytes();
        bytes[pos] ^= delta;
        if let Ok(p) = SchnorrProof::from_bytes(&bytes) {
            prop_assert!(p.verify(&mut t(), &c.base, &c.public).is_err());
        }
    }

    #[test]
    fn dleq_every_byte_change_is_rejected(seed in 0u64..1000, pos in 0usize..DLEQ_PROOF_LEN, delta in 1u8..=255) {
        let c = dleq_case(seed);
        let mut bytes = c.proof.to_bytes();
        bytes[pos] ^= delta;
        if let Ok(p) = DleqProof::from_bytes(&bytes) {
            prop_assert!(p.verify(&mut t(), &c.st).is_err());
        }
    }
}

// ---------------------------------------------------------------- batches

#[test]
fn schnorr_batch_accepts_valid_and_names_the_bad_proof() {
    let mut rng = rng(30);
    let xs: Vec<Scalar> = (0..24).map(|_| Scalar::random(&mut rng)).collect();
    let sts: Vec<SchnorrStatement<EncodedPoint>> = xs
        .iter()
        .map(|x| SchnorrStatement {
            base: EncodedPoint::new(G),
            public: EncodedPoint::new(G * x),
        })
        .collect();
    let mut proofs: Vec<SchnorrProof> = xs
        .iter()
        .zip(&sts)
        .map(|(x, st)| {
            SchnorrProof::prove(&mut t(), st.base.point(), st.public.point(), x, &mut rng)
        })
        .collect();
    let batch = |proofs: &[SchnorrProof], rng: &mut ChaCha20Rng| {
        let items: Vec<_> = sts.iter().zip(proofs).map(|(st, p)| (t(), st, p)).collect();
        SchnorrProof::batch_verify(&items, rng)
    };
    batch(&proofs, &mut rng).unwrap();
    // The same base is one fixed term for the whole batch.
    let mut ctx = BatchContext::new();
    for (st, p) in sts.iter().zip(&proofs) {
        p.queue_in(&mut ctx, &mut t(), st, &mut rng).unwrap();
    }
    assert_eq!(ctx.len(), 1 + 2 * proofs.len());
    assert!(ctx.verify());
    // Replace proof 17 with a proof for another key.
    proofs[17] = proofs[3];
    assert_eq!(
        batch(&proofs, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "Schnorr",
            index: Some(17)
        })
    );
    // An item that cannot even be queued (identity key) is named as well.
    let mut bad_sts = sts.clone();
    bad_sts[5].public = EncodedPoint::from_bytes(&[0; 32]).unwrap();
    let refs: Vec<_> = bad_sts
        .iter()
        .zip(&proofs)
        .map(|(st, p)| (t(), st, p))
        .collect();
    assert_eq!(
        SchnorrProof::batch_verify(&refs, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "Schnorr",
            index: Some(5)
        })
    );
    // Empty batch verifies.
    SchnorrProof::batch_verify::<RistrettoPoint, _>(&[], &mut rng).unwrap();
}

#[test]
fn dleq_batch_accepts_valid_and_names_the_bad_proof() {
    let mut rng = rng(31);
    let h = point(&mut rng);
    let mut cases: Vec<(DleqStatement, DleqProof)> = (0..20)
        .map(|_| {
            let x = Scalar::random(&mut rng);
            let st = DleqStatement {
                g: G,
                a: G * x,
                h,
                b: h * x,
            };
            let p = DleqProof::prove(&mut t(), &st, &x, &mut rng);
            (st, p)
        })
        .collect();
    let run = |cases: &[(DleqStatement, DleqProof)], rng: &mut ChaCha20Rng| {
        let items: Vec<_> = cases.iter().map(|(st, p)| (t(), st, p)).collect();
        DleqProof::batch_verify(&items, rng)
    };
    run(&cases, &mut rng).unwrap();
    // Shared G and H: two fixed terms, four per-proof terms.
    let mut ctx = BatchContext::new();
    for (st, p) in &cases {
        p.queue_in(&mut ctx, &mut t(), st, &mut rng).unwrap();
    }
    assert_eq!(ctx.len(), 2 + 4 * cases.len());
    assert!(ctx.verify());
    // Tamper with one statement: B of proof 0 replaced.
    cases[0].0.b = point(&mut rng);
    assert_eq!(
        run(&cases, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "DLEQ",
            index: Some(0)
        })
    );
}

#[test]
fn mixed_proof_kinds_in_one_verifier() {
    let s = schnorr_case(40);
    let d = dleq_case(41);
    let mut rng = rng(42);
    let mut b = BatchVerifier::new();
    s.proof
        .queue(&mut t(), &s.base, &s.public, &mut b, &mut rng)
        .unwrap();
    d.proof.queue(&mut t(), &d.st, &mut b, &mut rng).unwrap();
    assert!(b.clone().verify());
    // A proof queued under the wrong context poisons the batch.
    d.proof
        .queue(&mut new_transcript(b"elsewhere"), &d.st, &mut b, &mut rng)
        .unwrap();
    assert!(!b.verify());
}

#[test]
fn contexts_merge() {
    let mut rng = rng(43);
    let (mut a, mut b) = (BatchContext::new(), BatchContext::new());
    let s = schnorr_case(44);
    let st = SchnorrStatement {
        base: s.base,
        public: s.public,
    };
    s.proof.queue_in(&mut a, &mut t(), &st, &mut rng).unwrap();
    let d = dleq_case(45);
    d.proof.queue_in(&mut b, &mut t(), &d.st, &mut rng).unwrap();
    a.append(b);
    assert!(!a.is_empty());
    assert!(a.clone().verify());
    a.add(Scalar::ONE, G);
    assert!(!a.verify());
}

// ---------------------------------------------------------------- disjunctive

const BIT: &[u64] = &[0, 1];

/// An encryption of `allowed[index]` under a random key, with its proof.
struct DisjCase {
    pk: RistrettoPoint,
    alpha: RistrettoPoint,
    beta: RistrettoPoint,
    allowed: &'static [u64],
    proof: DisjunctiveProof,
}

impl DisjCase {
    fn st(&self) -> DisjunctiveStatement<'static> {
        DisjunctiveStatement {
            pk: self.pk,
            alpha: self.alpha,
            beta: self.beta,
            allowed: self.allowed,
        }
    }
}

fn encrypt(pk: &RistrettoPoint, m: u64, r: &Scalar) -> (RistrettoPoint, RistrettoPoint) {
    (G * r, G * Scalar::from(m) + pk * r)
}

fn disj_case_with_key(
    rng: &mut ChaCha20Rng,
    pk: RistrettoPoint,
    allowed: &'static [u64],
    index: usize,
) -> DisjCase {
    let r = Scalar::random(rng);
    let (alpha, beta) = encrypt(&pk, allowed[index], &r);
    let st = DisjunctiveStatement {
        pk,
        alpha,
        beta,
        allowed,
    };
    let proof = DisjunctiveProof::prove_statement(&mut t(), &st, index, &r, rng).unwrap();
    DisjCase {
        pk,
        alpha,
        beta,
        allowed,
        proof,
    }
}

fn disj_case(seed: u64, allowed: &'static [u64], index: usize) -> DisjCase {
    let mut rng = rng(seed);
    let pk = point(&mut rng);
    disj_case_with_key(&mut rng, pk, allowed, index)
}

#[test]
fn disjunctive_completeness() {
    let sets: [&'static [u64]; 4] = [BIT, &[0, 1, 2, 3, 4, 5], &[42], &[3, 7, 100, u64::MAX]];
    for (seed, allowed) in sets.into_iter().enumerate() {
        for index in 0..allowed.len() {
            let c = disj_case(seed as u64 * 10 + index as u64, allowed, index);
            assert_eq!(c.proof.branches(), allowed.len());
            c.proof.verify_statement(&mut t(), &c.st()).unwrap();
            let encoded = DisjunctiveStatement {
                pk: EncodedPoint::new(c.pk),
                alpha: EncodedPoint::new(c.alpha),
                beta: EncodedPoint::new(c.beta),
                allowed,
            };
            c.proof.verify_statement(&mut t(), &encoded).unwrap();
        }
    }
}

#[test]
fn disjunctive_soundness() {
    let c = disj_case(50, BIT, 1);
    let mut rng = rng(51);
    let failed = Err(Error::VerificationFailed {
        proof: "disjunctive",
    });
    let r = point(&mut rng);
    let st = c.st();
    // Different key, ciphertext components, allowed set (same length), context.
    for other in [
        DisjunctiveStatement { pk: r, ..st },
        DisjunctiveStatement { alpha: r, ..st },
        DisjunctiveStatement { beta: r, ..st },
        DisjunctiveStatement {
            allowed: &[1, 0],
            ..st
        },
        DisjunctiveStatement {
            allowed: &[1, 2],
            ..st
        },
    ] {
        assert_eq!(c.proof.verify_statement(&mut t(), &other), failed);
    }
    assert_eq!(
        c.proof.verify_statement(&mut new_transcript(b"other"), &st),
        failed
    );
    // A proof for another ciphertext of the same value under the same key.
    let other = disj_case_with_key(&mut rng, c.pk, BIT, 1);
    assert_eq!(other.proof.verify_statement(&mut t(), &st), failed);
    // Homomorphic sum of two 1-votes encrypts 2: no proof for {0,1} verifies,
    // and the prover refuses to make one.
    let two = DisjunctiveStatement {
        alpha: c.alpha + other.alpha,
        beta: c.beta + other.beta,
        ..st
    };
    assert_eq!(c.proof.verify_statement(&mut t(), &two), failed);
}

#[test]
fn disjunctive_prover_checks_its_witness() {
    let mut rng = rng(52);
    let pk = point(&mut rng);
    let r = Scalar::random(&mut rng);
    let (alpha, beta) = encrypt(&pk, 2, &r);
    let st = DisjunctiveStatement {
        pk,
        alpha,
        beta,
        allowed: BIT,
    };
    let invalid = |res: Result<DisjunctiveProof, Error>| {
        assert!(
            matches!(res, Err(Error::InvalidParameter { .. })),
            "{res:?}"
        );
    };
    // Value 2 is not in {0, 1}: no index works.
    invalid(DisjunctiveProof::prove_statement(
        &mut t(),
        &st,
        0,
        &r,
        &mut rng,
    ));
    invalid(DisjunctiveProof::prove_statement(
        &mut t(),
        &st,
        1,
        &r,
        &mut rng,
    ));
    // Index out of range, wrong nonce, empty set.
    let st3 = DisjunctiveStatement {
        allowed: &[0, 1, 2],
        ..st
    };
    invalid(DisjunctiveProof::prove_statement(
        &mut t(),
        &st3,
        3,
        &r,
        &mut rng,
    ));
    invalid(DisjunctiveProof::prove_statement(
        &mut t(),
        &st3,
        2,
        &(r + Scalar::ONE),
        &mut rng,
    ));
    let empty = DisjunctiveStatement { allowed: &[], ..st };
    invalid(DisjunctiveProof::prove_statement(
        &mut t(),
        &empty,
        0,
        &r,
        &mut rng,
    ));
    // The right index works.
    DisjunctiveProof::prove_statement(&mut t(), &st3, 2, &r, &mut rng)
        .unwrap()
        .verify_statement(&mut t(), &st3)
        .unwrap();
}

#[test]
fn disjunctive_identity_and_length_rules() {
    let c = disj_case(53, BIT, 0);
    let o = RistrettoPoint::identity();
    let st = c.st();
    assert_eq!(
        c.proof
            .verify_statement(&mut t(), &DisjunctiveStatement { pk: o, ..st }),
        Err(Error::IdentityPoint)
    );
    assert_eq!(
        c.proof
            .verify_statement(&mut t(), &DisjunctiveStatement { alpha: o, ..st }),
        Err(Error::IdentityPoint)
    );
    // Nonce 0 gives α = O: the prover refuses.
    let mut rng = rng(54);
    let (alpha, beta) = encrypt(&c.pk, 1, &Scalar::ZERO);
    let zero = DisjunctiveStatement { alpha, beta, ..st };
    assert_eq!(
        DisjunctiveProof::prove_statement(&mut t(), &zero, 1, &Scalar::ZERO, &mut rng).unwrap_err(),
        Error::IdentityPoint
    );
    // Branch count must match the allowed set.
    for allowed in [&[0u64][..], &[0, 1, 2], &[]] {
        assert_eq!(
            c.proof
                .verify_statement(&mut t(), &DisjunctiveStatement { allowed, ..st }),
            Err(Error::LengthMismatch {
                what: "disjunctive proof branches vs allowed values",
                expected: allowed.len(),
                actual: 2
            })
        );
    }
}

#[test]
fn disjunctive_encoding() {
    let c = disj_case(55, &[0, 1, 2], 1);
    let bytes = c.proof.to_bytes();
    // header, count, 3 × (A, B), 2 challenges, 3 responses.
    assert_eq!(bytes.len(), 2 + 4 + 3 * 64 + 2 * 32 + 3 * 32);
    assert_eq!(&bytes[..6], &[0x03, 0x01, 3, 0, 0, 0]);
    assert_eq!(DisjunctiveProof::from_bytes(&bytes).unwrap(), c.proof);
    decoding_errors::<DisjunctiveProof>(&bytes, 0x03, 6 + 32);
    // Branch count: zero, larger than the input, and smaller than the
    // allowed set (decodes, then rejected at verification).
    let mut b = bytes.clone();
    b[2..6].copy_from_slice(&0u32.to_le_bytes());
    assert!(matches!(
        DisjunctiveProof::from_bytes(&b),
        Err(Error::InvalidParameter { .. })
    ));
    b[2..6].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        DisjunctiveProof::from_bytes(&b),
        Err(Error::UnexpectedEnd { .. })
    ));
    let two = disj_case(56, BIT, 0).proof;
    assert!(matches!(
        two.verify_statement(&mut t(), &c.st()),
        Err(Error::LengthMismatch { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn disjunctive_every_byte_change_is_rejected(seed in 0u64..1000, index in 0usize..2, pos in 0usize..(6 + 2 * 96 + 32), delta in 1u8..=255) {
        let c = disj_case(seed, BIT, index);
        let mut bytes = c.proof.to_bytes();
        prop_assert_eq!(bytes.len(), 6 + 2 * 96 + 32);
        bytes[pos] ^= delta;
        if let Ok(p) = DisjunctiveProof::from_bytes(&bytes) {
            prop_assert!(p.verify_statement(&mut t(), &c.st()).is_err());
        }
    }
}

#[test]
fn disjunctive_batch_accepts_valid_and_names_the_bad_proof() {
    let mut rng = rng(57);
    let pk = point(&mut rng);
    let mut cases: Vec<DisjCase> = (0..32)
        .map(|i| disj_case_with_key(&mut rng, pk, BIT, i % 2))
        .collect();
    let run = |cases: &[DisjCase], rng: &mut ChaCha20Rng| {
        let sts: Vec<_> = cases.iter().map(DisjCase::st).collect();
        let items: Vec<_> = sts
            .iter()
            .zip(cases)
            .map(|(st, c)| (t(), st, &c.proof))
            .collect();
        DisjunctiveProof::batch_verify(&items, rng)
    };
    run(&cases, &mut rng).unwrap();
    // G and PK are two fixed terms; each proof adds A₀, B₀, A₁, B₁, α, β.
    let mut ctx = BatchContext::new();
    for c in &cases {
        c.proof
            .queue_in(&mut ctx, &mut t(), &c.st(), &mut rng)
            .unwrap();
    }
    assert_eq!(ctx.len(), 2 + 6 * cases.len());
    assert!(ctx.verify());
    // Proof 29 swapped with proof 30's: both fail; the first is named.
    cases[29].proof = cases[30].proof.clone();
    assert_eq!(
        run(&cases, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "disjunctive",
            index: Some(29)
        })
    );
}
