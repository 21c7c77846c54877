//! Known-answer vectors for the sigma proofs (test-vectors/proofs.json,
//! spec/proofs.md §9).
//!
//! The file is produced by [`generate`] from a fixed ChaCha20 seed. The test
//! verifies every proof from the file's statement alone, checks each
//! statement against its witness, and checks that the generator still
//! reproduces the file byte for byte — so any change of transcript labels,
//! encodings or prover nonce derivation breaks the build. Regenerate with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test proofs_vectors` (only
//! after a deliberate, versioned change).

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::encoding::{decode_point, decode_scalar, encode_point, Decode, Encode};
use kleroterion::proofs::{
    ComplementStatement, DisjunctiveProof, DisjunctiveStatement, DleqProof, DleqStatement,
    EncodedPoint, SchnorrProof,
};
use kleroterion::transcript::new_transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/proofs.json");
const SEED: u64 = 0x7072_6f6f_6673;
const CONTEXT: &[u8] = b"kleroterion test vectors: proofs";

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    context: String,
    schnorr: Vec<Schnorr>,
    dleq: Vec<Dleq>,
    disjunctive: Vec<Disjunctive>,
    /// Disjunctive proofs over complement statements (spec/proofs.md §5.5).
    complement: Vec<Complement>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Complement {
    pk: String,
    total: u64,
    /// `(α_i, β_i)` of the parts.
    parts: Vec<[String; 2]>,
    /// The parts' values and nonces (the witness is minus their sum).
    values: Vec<u64>,
    nonces: Vec<String>,
    allowed: Vec<u64>,
    index: usize,
    proof: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Schnorr {
    base: String,
    public: String,
    secret: String,
    proof: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Dleq {
    g: String,
    a: String,
    h: String,
    b: String,
    secret: String,
    proof: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Disjunctive {
    pk: String,
    alpha: String,
    beta: String,
    allowed: Vec<u64>,
    index: usize,
    nonce: String,
    proof: String,
}

fn hp(p: &RistrettoPoint) -> String {
    hex::encode(encode_point(p))
}

fn hs(s: &Scalar) -> String {
    hex::encode(s.as_bytes())
}

fn point(h: &str) -> RistrettoPoint {
    decode_point(&hex::decode(h).unwrap()).unwrap()
}

fn scalar(h: &str) -> Scalar {
    decode_scalar(&hex::decode(h).unwrap()).unwrap()
}

fn t() -> merlin::Transcript {
    new_transcript(CONTEXT)
}

const DISJUNCTIVE_CASES: [(&[u64], usize); 5] = [
    (&[0, 1], 0),
    (&[0, 1], 1),
    (&[0, 1, 2, 3, 4, 5], 3),
    (&[42], 0),
    (&[7, 100, u64::MAX], 2),
];

fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let schnorr = [G, RistrettoPoint::random(&mut rng)]
        .into_iter()
        .map(|base| {
            let x = Scalar::random(&mut rng);
            let public = base * x;
            let proof = SchnorrProof::prove(&mut t(), &base, &public, &x, &mut rng);
            Schnorr {
                base: hp(&base),
                public: hp(&public),
                secret: hs(&x),
                proof: hex::encode(proof.to_bytes()),
            }
        })
        .collect();
    let dleq = (0..2)
        .map(|_| {
            let x = Scalar::random(&mut rng);
            let h = RistrettoPoint::random(&mut rng);
            let st = DleqStatement {
                g: G,
                a: G * x,
                h,
                b: h * x,
            };
            let proof = DleqProof::prove(&mut t(), &st, &x, &mut rng);
            Dleq {
                g: hp(&st.g),
                a: hp(&st.a),
                h: hp(&st.h),
                b: hp(&st.b),
                secret: hs(&x),
                proof: hex::encode(proof.to_bytes()),
            }
        })
        .collect();
    let pk = G * Scalar::random(&mut rng);
    let disjunctive = DISJUNCTIVE_CASES
        .into_iter()
        .map(|(allowed, index)| {
            let r = Scalar::random(&mut rng);
            let st = DisjunctiveStatement {
                pk,
                alpha: G * r,
                beta: G * Scalar::from(allowed[index]) + pk * r,
                allowed,
            };
            let proof =
                DisjunctiveProof::prove_statement(&mut t(), &st, index, &r, &mut rng).unwrap();
            Disjunctive {
                pk: hp(&st.pk),
                alpha: hp(&st.alpha),
                beta: hp(&st.beta),
                allowed: allowed.to_vec(),
                index,
                nonce: hs(&r),
                proof: hex::encode(proof.to_bytes()),
            }
        })
        .collect();
    // Exactly-one contests of 3 options: the first two transmitted.
    let complement = [[0u64, 0], [0, 1], [1, 0]]
        .into_iter()
        .map(|values| {
            let nonces: Vec<Scalar> = values.iter().map(|_| Scalar::random(&mut rng)).collect();
            let parts: Vec<[EncodedPoint; 2]> = values
                .iter()
                .zip(&nonces)
                .map(|(v, r)| {
                    [
                        EncodedPoint::new(G * r),
                        EncodedPoint::new(G * Scalar::from(*v) + pk * r),
                    ]
                })
                .collect();
            let index = usize::from(values.iter().sum::<u64>() == 0);
            let st = ComplementStatement {
                pk: EncodedPoint::new(pk),
                total: 1,
                parts: &parts,
                allowed: &[0, 1],
            };
            let nonce = -nonces.iter().sum::<Scalar>();
            let proof =
                DisjunctiveProof::prove_statement(&mut t(), &st, index, &nonce, &mut rng).unwrap();
            Complement {
                pk: hp(&pk),
                total: 1,
                parts: parts
                    .iter()
                    .map(|[a, b]| [hp(a.point()), hp(b.point())])
                    .collect(),
                values: values.to_vec(),
                nonces: nonces.iter().map(hs).collect(),
                allowed: vec![0, 1],
                index,
                proof: hex::encode(proof.to_bytes()),
            }
        })
        .collect();
    File {
        source: "kleroterion tests/proofs_vectors.rs: generate() from \
                 ChaCha20Rng::seed_from_u64(0x7072_6f6f_6673); spec/proofs.md"
            .into(),
        context: hex::encode(CONTEXT),
        schnorr,
        dleq,
        disjunctive,
        complement,
    }
}

fn render(file: &File) -> String {
    serde_json::to_string_pretty(file).unwrap() + "\n"
}

#[test]
fn proof_vectors() {
    let expected = render(&generate());
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        std::fs::write(PATH, &expected).unwrap();
    }
    let text = std::fs::read_to_string(PATH).unwrap();
    let file: File = serde_json::from_str(&text).unwrap();
    assert_eq!(hex::decode(&file.context).unwrap(), CONTEXT);

    // Every proof verifies from the file's statement alone, and re-encodes
    // to the same bytes.
    for v in &file.schnorr {
        let (base, public) = (point(&v.base), point(&v.public));
        assert_eq!(base * scalar(&v.secret), public);
        let bytes = hex::decode(&v.proof).unwrap();
        let proof = SchnorrProof::from_bytes(&bytes).unwrap();
        assert_eq!(proof.to_bytes(), bytes);
        proof.verify(&mut t(), &base, &public).unwrap();
        assert!(proof
            .verify(&mut new_transcript(b"x"), &base, &public)
            .is_err());
    }
    for v in &file.dleq {
        let st = DleqStatement {
            g: point(&v.g),
            a: point(&v.a),
            h: point(&v.h),
            b: point(&v.b),
        };
        let x = scalar(&v.secret);
        assert_eq!((st.g * x, st.h * x), (st.a, st.b));
        let bytes = hex::decode(&v.proof).unwrap();
        let proof = DleqProof::from_bytes(&bytes).unwrap();
        assert_eq!(proof.to_bytes(), bytes);
        proof.verify(&mut t(), &st).unwrap();
    }
    for v in &file.disjunctive {
        let st = DisjunctiveStatement {
            pk: point(&v.pk),
            alpha: point(&v.alpha),
            beta: point(&v.beta),
            allowed: &v.allowed,
        };
        let r = scalar(&v.nonce);
        assert_eq!(st.alpha, G * r);
        assert_eq!(st.beta, G * Scalar::from(v.allowed[v.index]) + st.pk * r);
        let bytes = hex::decode(&v.proof).unwrap();
        let proof = DisjunctiveProof::from_bytes(&bytes).unwrap();
        assert_eq!(proof.to_bytes(), bytes);
        proof.verify_statement(&mut t(), &st).unwrap();
    }

    for v in &file.complement {
        let pk = point(&v.pk);
        let parts: Vec<[EncodedPoint; 2]> = v
            .parts
            .iter()
            .map(|[a, b]| [EncodedPoint::new(point(a)), EncodedPoint::new(point(b))])
            .collect();
        let nonces: Vec<Scalar> = v.nonces.iter().map(|r| scalar(r)).collect();
        for (([a, b], m), r) in parts.iter().zip(&v.values).zip(&nonces) {
            assert_eq!(*a.point(), G * r);
            assert_eq!(*b.point(), G * Scalar::from(*m) + pk * r);
        }
        let st = ComplementStatement {
            pk: EncodedPoint::new(pk),
            total: v.total,
            parts: &parts,
            allowed: &v.allowed,
        };
        let value = v.total - v.values.iter().sum::<u64>();
        assert_eq!(v.allowed[v.index], value);
        let ct = st.ciphertext();
        let nonce = -nonces.iter().sum::<Scalar>();
        assert_eq!(
            (ct.alpha, ct.beta),
            (G * nonce, G * Scalar::from(value) + pk * nonce)
        );
        let bytes = hex::decode(&v.proof).unwrap();
        let proof = DisjunctiveProof::from_bytes(&bytes).unwrap();
        assert_eq!(proof.to_bytes(), bytes);
        proof.verify_statement(&mut t(), &st).unwrap();
    }

    // The generator reproduces the file exactly (transcript labels, nonce
    // derivation and encodings unchanged).
    assert_eq!(text, expected, "test-vectors/proofs.json is stale");
}
