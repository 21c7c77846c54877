//! RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI: the known-answer vectors of
//! Appendix B.3 (test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json)
//! through the public API, and every rejection rule of `beacon::ecvrf`.
//!
//! The intermediate values the API does not expose (x, k_string, k, U, V,
//! the try-and-increment counter) are checked by the unit tests of
//! `src/beacon/ecvrf.rs` against the same file.

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::scalar::Scalar;
use kleroterion::beacon::ecvrf::{
    Output, Proof, PublicKey, SecretKey, OUTPUT_LEN, PROOF_LEN, PUBLIC_KEY_LEN, SECRET_KEY_LEN,
};
use kleroterion::Error;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const VECTORS: &str = include_str!("../test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json");

struct Vector {
    name: String,
    sk: Vec<u8>,
    pk: Vec<u8>,
    alpha: Vec<u8>,
    h: Vec<u8>,
    pi: Vec<u8>,
    beta: Vec<u8>,
}

fn vectors() -> Vec<Vector> {
    let file: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(file["suite"], "ECVRF-EDWARDS25519-SHA512-TAI");
    assert_eq!(file["suite_string"], "03");
    let field = |v: &serde_json::Value, k: &str| hex::decode(v[k].as_str().unwrap()).unwrap();
    let vs: Vec<Vector> = file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            name: v["name"].as_str().unwrap().to_owned(),
            sk: field(v, "sk"),
            pk: field(v, "pk"),
            alpha: field(v, "alpha"),
            h: field(v, "h"),
            pi: field(v, "pi"),
            beta: field(v, "beta"),
        })
        .collect();
    let names: Vec<&str> = vs.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Example 16", "Example 17", "Example 18"]);
    vs
}

/// `p = 2^255 − 19` plus `k`, little-endian (for `k ≤ 18` it fits in 255 bits).
fn p_plus(k: u8) -> [u8; 32] {
    let mut b = [0xff; 32];
    b[0] = 0xed + k;
    b[31] = 0x7f;
    b
}

fn example_proof() -> (SecretKey, Vec<u8>, Proof) {
    let sk = SecretKey::generate(&mut ChaCha20Rng::seed_from_u64(16));
    let alpha = b"round 1 of the 2031 assembly draw".to_vec();
    let proof = sk.prove(&alpha).unwrap();
    (sk, alpha, proof)
}

// ---------------------------------------------------------------------------
// Known answers (RFC 9381 Appendix B.3)
// ---------------------------------------------------------------------------

#[test]
fn rfc9381_b3_key_generation() {
    for v in vectors() {
        let sk = SecretKey::from_bytes(&v.sk).unwrap();
        assert_eq!(sk.public_key().as_bytes()[..], v.pk[..], "{}", v.name);
        assert_eq!(sk.as_bytes()[..], v.sk[..], "{}", v.name);
        assert_eq!(PublicKey::from_bytes(&v.pk).unwrap(), *sk.public_key());
    }
}

#[test]
fn rfc9381_b3_encode_to_curve() {
    for v in vectors() {
        let pk = PublicKey::from_bytes(&v.pk).unwrap();
        let h = pk.encode_to_curve(&v.alpha).unwrap();
        assert_eq!(h.compress().as_bytes()[..], v.h[..], "{}", v.name);
    }
}

#[test]
fn rfc9381_b3_prove() {
    for v in vectors() {
        let sk = SecretKey::from_bytes(&v.sk).unwrap();
        let proof = sk.prove(&v.alpha).unwrap();
        assert_eq!(proof.to_bytes()[..], v.pi[..], "pi, {}", v.name);
        assert_eq!(
            proof.proof_to_hash().as_bytes()[..],
            v.beta[..],
            "beta, {}",
            v.name
        );
    }
}

#[test]
fn rfc9381_b3_verify() {
    for v in vectors() {
        let pk = PublicKey::from_bytes(&v.pk).unwrap();
        let proof = Proof::from_bytes(&v.pi).unwrap();
        assert_eq!(proof.to_bytes()[..], v.pi[..]);
        let beta = pk.verify(&v.alpha, &proof).unwrap();
        assert_eq!(beta.as_bytes()[..], v.beta[..], "{}", v.name);
        assert_eq!(Output::from_bytes(&v.beta).unwrap(), beta);
    }
}

/// Each vector's proof fails for the other vectors' keys and inputs.
#[test]
fn rfc9381_b3_cross_checks_fail() {
    let vs = vectors();
    for a in &vs {
        let proof = Proof::from_bytes(&a.pi).unwrap();
        for b in &vs {
            if a.name == b.name {
                continue;
            }
            let pk_b = PublicKey::from_bytes(&b.pk).unwrap();
            let pk_a = PublicKey::from_bytes(&a.pk).unwrap();
            let failed = Err(Error::VerificationFailed { proof: "ECVRF" });
            assert_eq!(pk_b.verify(&a.alpha, &proof), failed, "wrong key");
            assert_eq!(pk_a.verify(&b.alpha, &proof), failed, "wrong alpha");
        }
    }
}

/// Every single-bit change of each RFC proof is rejected: a changed Gamma
/// fails to decode or to verify, a changed c fails to verify, a changed s is
/// ≥ ℓ or fails to verify.
#[test]
fn rfc9381_b3_every_bit_flip_rejected() {
    for v in vectors() {
        let pk = PublicKey::from_bytes(&v.pk).unwrap();
        for i in 0..PROOF_LEN {
            for bit in 0..8 {
                let mut pi = v.pi.clone();
                pi[i] ^= 1 << bit;
                assert_tampered_rejected(&pk, &v.alpha, &pi, i);
            }
        }
    }
}

fn assert_tampered_rejected(pk: &PublicKey, alpha: &[u8], pi: &[u8], changed: usize) {
    let result = Proof::from_bytes(pi).and_then(|p| pk.verify(alpha, &p));
    let err = result.expect_err("a tampered proof verified");
    let allowed: &[Error] = match changed {
        0..=31 => &[
            Error::InvalidPoint,
            Error::VerificationFailed { proof: "ECVRF" },
        ],
        32..=47 => &[Error::VerificationFailed { proof: "ECVRF" }],
        _ => &[
            Error::NonCanonicalScalar,
            Error::VerificationFailed { proof: "ECVRF" },
        ],
    };
    assert!(allowed.contains(&err), "byte {changed}: unexpected {err:?}");
}

// ---------------------------------------------------------------------------
// Completeness and soundness on fresh keys
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prove_then_verify(seed in any::<[u8; 32]>(), alpha in proptest::collection::vec(any::<u8>(), 0..100)) {
        let sk = SecretKey::from_bytes(&seed).unwrap();
        let proof = sk.prove(&alpha).unwrap();
        let beta = sk.public_key().verify(&alpha, &proof).unwrap();
        prop_assert_eq!(beta, proof.proof_to_hash());
        // Deterministic: proving again gives the same proof.
        prop_assert_eq!(sk.prove(&alpha).unwrap(), proof);
        // Round trip through the RFC byte format.
        let decoded = Proof::from_bytes(&proof.to_bytes()).unwrap();
        prop_assert_eq!(sk.public_key().verify(&alpha, &decoded).unwrap(), beta);
    }

    #[test]
    fn tampered_proof_rejected(index in 0..PROOF_LEN, mask in 1u8..=255) {
        let (sk, alpha, proof) = example_proof();
        let mut pi = proof.to_bytes();
        pi[index] ^= mask;
        assert_tampered_rejected(sk.public_key(), &alpha, &pi, index);
    }

    #[test]
    fn different_message_rejected(other in proptest::collection::vec(any::<u8>(), 0..64)) {
        let (sk, alpha, proof) = example_proof();
        prop_assume!(other != alpha);
        prop_assert_eq!(
            sk.public_key().verify(&other, &proof),
            Err(Error::VerificationFailed { proof: "ECVRF" })
        );
    }

    #[test]
    fn wrong_key_rejected(seed in any::<[u8; 32]>()) {
        let (sk, alpha, proof) = example_proof();
        let other = SecretKey::from_bytes(&seed).unwrap();
        prop_assume!(other.public_key() != sk.public_key());
        prop_assert_eq!(
            other.public_key().verify(&alpha, &proof),
            Err(Error::VerificationFailed { proof: "ECVRF" })
        );
    }
}

#[test]
fn outputs_differ_across_inputs_and_keys() {
    let mut rng = ChaCha20Rng::seed_from_u64(18);
    let a = SecretKey::generate(&mut rng);
    let b = SecretKey::generate(&mut rng);
    let out = |sk: &SecretKey, m: &[u8]| sk.prove(m).unwrap().proof_to_hash();
    assert_ne!(out(&a, b"x"), out(&a, b"y"));
    assert_ne!(out(&a, b"x"), out(&b, b"x"));
    assert_eq!(out(&a, b"x"), out(&a, b"x"));
}

// ---------------------------------------------------------------------------
// Public key validation (RFC 9381 §5.4.5, RFC 8032 §5.1.3)
// ---------------------------------------------------------------------------

/// All 8 points of small order are rejected as public keys.
#[test]
fn small_order_public_keys_rejected() {
    for t in EIGHT_TORSION {
        let bytes = t.compress().to_bytes();
        assert_eq!(
            PublicKey::from_bytes(&bytes),
            Err(Error::SmallOrderPoint),
            "{}",
            hex::encode(bytes)
        );
    }
}

/// The RFC's list of bad `y` values (§5.4.5), with both sign bits: each
/// encoding is either of a small-order point or not a canonical encoding.
#[test]
fn rfc9381_bad_pk_list_rejected() {
    let y = |k: u8| {
        let mut b = [0u8; 32];
        b[0] = k;
        b
    };
    let bad_y2 =
        hex::decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05").unwrap();
    let p_minus_bad_y2 =
        hex::decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a").unwrap();
    let mut p_minus_1 = p_plus(0);
    p_minus_1[0] -= 1;
    let arr = |v: Vec<u8>| -> [u8; 32] { v.try_into().unwrap() };
    let cases: [([u8; 32], Error, Error); 7] = [
        // (y, error with sign bit 0, error with sign bit 1)
        (y(0), Error::SmallOrderPoint, Error::SmallOrderPoint),
        (y(1), Error::SmallOrderPoint, Error::InvalidPoint),
        (arr(bad_y2), Error::SmallOrderPoint, Error::SmallOrderPoint),
        (
            arr(p_minus_bad_y2),
            Error::SmallOrderPoint,
            Error::SmallOrderPoint,
        ),
        (p_minus_1, Error::SmallOrderPoint, Error::InvalidPoint),
        (p_plus(0), Error::InvalidPoint, Error::InvalidPoint),
        (p_plus(1), Error::InvalidPoint, Error::InvalidPoint),
    ];
    let mut small_order_encodings = Vec::new();
    for (bytes, err0, err1) in cases {
        for (sign, err) in [(0u8, err0), (0x80, err1)] {
            let mut b = bytes;
            b[31] |= sign;
            assert_eq!(
                PublicKey::from_bytes(&b),
                Err(err.clone()),
                "{}",
                hex::encode(b)
            );
            if err == Error::SmallOrderPoint {
                small_order_encodings.push(b);
            }
        }
    }
    // Exactly the 8 torsion points' encodings.
    let mut torsion: Vec<[u8; 32]> = EIGHT_TORSION
        .iter()
        .map(|t| t.compress().to_bytes())
        .collect();
    torsion.sort();
    small_order_encodings.sort();
    assert_eq!(small_order_encodings, torsion);
}

/// `y = p + k` aliases `y = k`; curve25519-dalek's decompress accepts it, the
/// RFC does not. Several such `k` are coordinates of points of large order,
/// so the rejection comes from the canonicity rule, not from the small-order
/// rule.
#[test]
fn non_canonical_y_rejected() {
    let mut large_order_aliases = 0;
    for k in 0..=18u8 {
        for sign in [0u8, 0x80] {
            let mut b = p_plus(k);
            b[31] |= sign;
            let dalek = curve25519_dalek::edwards::CompressedEdwardsY(b).decompress();
            if let Some(point) = dalek {
                if !point.is_small_order() {
                    large_order_aliases += 1;
                }
            }
            assert_eq!(
                PublicKey::from_bytes(&b),
                Err(Error::InvalidPoint),
                "{}",
                hex::encode(b)
            );
            let (_, _, proof) = example_proof();
            let mut pi = proof.to_bytes();
            pi[..32].copy_from_slice(&b);
            assert_eq!(
                Proof::from_bytes(&pi),
                Err(Error::InvalidPoint),
                "Gamma {}",
                hex::encode(b)
            );
        }
    }
    assert!(large_order_aliases > 0);
}

#[test]
fn not_on_curve_rejected() {
    // y = 2: (y² − 1)/(d·y² + 1) is not a square mod p.
    let mut b = [0u8; 32];
    b[0] = 2;
    assert!(curve25519_dalek::edwards::CompressedEdwardsY(b)
        .decompress()
        .is_none());
    assert_eq!(PublicKey::from_bytes(&b), Err(Error::InvalidPoint));
    let (_, _, proof) = example_proof();
    let mut pi = proof.to_bytes();
    pi[..32].copy_from_slice(&b);
    assert_eq!(Proof::from_bytes(&pi), Err(Error::InvalidPoint));
}

// ---------------------------------------------------------------------------
// Proof decoding (RFC 9381 §5.4.4)
// ---------------------------------------------------------------------------

#[test]
fn s_at_least_l_rejected() {
    let (sk, alpha, proof) = example_proof();
    let pi = proof.to_bytes();
    let s = Scalar::from_canonical_bytes(pi[48..].try_into().unwrap()).unwrap();
    // ℓ = −1 + 1 as an integer: the canonical bytes of −1, plus one.
    let mut l = (-Scalar::ONE).to_bytes();
    l[0] += 1;
    let add = |a: &[u8; 32], b: &[u8; 32]| {
        let mut out = [0u8; 32];
        let mut carry = 0u16;
        for i in 0..32 {
            let t = u16::from(a[i]) + u16::from(b[i]) + carry;
            out[i] = t as u8;
            carry = t >> 8;
        }
        assert_eq!(carry, 0);
        out
    };
    for bad_s in [l, add(&s.to_bytes(), &l), [0xff; 32]] {
        let mut tampered = pi;
        tampered[48..].copy_from_slice(&bad_s);
        assert_eq!(Proof::from_bytes(&tampered), Err(Error::NonCanonicalScalar));
    }
    // s itself still verifies.
    assert!(sk.public_key().verify(&alpha, &proof).is_ok());
}

/// A small-order Gamma decodes (the RFC does not reject it) but the proof
/// does not verify.
#[test]
fn small_order_gamma_fails_verification() {
    let (sk, alpha, proof) = example_proof();
    for t in EIGHT_TORSION {
        let mut pi = proof.to_bytes();
        pi[..32].copy_from_slice(t.compress().as_bytes());
        let p = Proof::from_bytes(&pi).unwrap();
        assert_eq!(
            sk.public_key().verify(&alpha, &p),
            Err(Error::VerificationFailed { proof: "ECVRF" })
        );
    }
}

// ---------------------------------------------------------------------------
// Lengths
// ---------------------------------------------------------------------------

#[test]
fn wrong_lengths_rejected() {
    let len_err = |what, expected, actual| {
        Some(Error::InvalidLength {
            what,
            expected,
            actual,
        })
    };
    let (sk, _, proof) = example_proof();
    let pk = sk.public_key().to_bytes();
    let pi = proof.to_bytes();
    let beta = proof.proof_to_hash().to_bytes();
    for n in [0, 31, 33] {
        let mut b = pk.to_vec();
        b.resize(n, 0);
        assert_eq!(
            PublicKey::from_bytes(&b).err(),
            len_err("ECVRF public key", PUBLIC_KEY_LEN, n)
        );
        assert_eq!(
            SecretKey::from_bytes(&b).err(),
            len_err("ECVRF secret key", SECRET_KEY_LEN, n)
        );
    }
    for n in [0, 79, 81] {
        let mut b = pi.to_vec();
        b.resize(n, 0);
        assert_eq!(
            Proof::from_bytes(&b).err(),
            len_err("ECVRF proof", PROOF_LEN, n)
        );
    }
    for n in [0, 63, 65] {
        let mut b = beta.to_vec();
        b.resize(n, 0);
        assert_eq!(
            Output::from_bytes(&b).err(),
            len_err("ECVRF output", OUTPUT_LEN, n)
        );
    }
}

#[test]
fn error_messages() {
    assert_eq!(
        Error::SmallOrderPoint.to_string(),
        "point of small order where the protocol forbids it"
    );
    assert_eq!(
        Error::InvalidPoint.to_string(),
        "bytes are not a canonical point encoding"
    );
}

// ---------------------------------------------------------------------------
// Serde: the RFC byte strings, hex in JSON
// ---------------------------------------------------------------------------

#[cfg(feature = "serde")]
#[test]
fn serde_json_round_trip_and_validation() {
    let v = &vectors()[0];
    let pk = PublicKey::from_bytes(&v.pk).unwrap();
    let proof = Proof::from_bytes(&v.pi).unwrap();
    let beta = Output::from_bytes(&v.beta).unwrap();

    let json = serde_json::to_string(&pk).unwrap();
    assert_eq!(json, format!("\"{}\"", hex::encode(&v.pk)));
    assert_eq!(serde_json::from_str::<PublicKey>(&json).unwrap(), pk);
    let json = serde_json::to_string(&proof).unwrap();
    assert_eq!(json, format!("\"{}\"", hex::encode(&v.pi)));
    assert_eq!(serde_json::from_str::<Proof>(&json).unwrap(), proof);
    let json = serde_json::to_string(&beta).unwrap();
    assert_eq!(serde_json::from_str::<Output>(&json).unwrap(), beta);

    // Deserialization applies the same checks as from_bytes.
    let torsion = hex::encode(EIGHT_TORSION[1].compress().as_bytes());
    assert!(serde_json::from_str::<PublicKey>(&format!("\"{torsion}\"")).is_err());
    assert!(serde_json::from_str::<PublicKey>("\"zz\"").is_err());
    assert!(serde_json::from_str::<Proof>(&format!("\"{}\"", hex::encode(&v.pk))).is_err());
}
