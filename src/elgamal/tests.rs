use super::*;
use alloc::format;
use alloc::vec::Vec;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn table() -> DlogTable {
    DlogTable::new(10_000).unwrap()
}

#[test]
fn encrypt_decrypt_round_trip() {
    let mut rng = rng(1);
    let kp = KeyPair::generate(&mut rng);
    assert_eq!(*kp.public(), kp.secret().public_key());
    let table = table();
    for m in [0u64, 1, 2, 149, 9_999] {
        let (ct, nonce) = Ciphertext::encrypt_u64(kp.public(), m, &mut rng);
        ct.validate_fresh().unwrap();
        assert_eq!(
            kp.secret().decrypt_to_point(&ct),
            RistrettoPoint::mul_base(&Scalar::from(m))
        );
        assert_eq!(kp.secret().decrypt(&ct, &table), Ok(m));
        ct.verify_opening(kp.public(), &Scalar::from(m), &nonce)
            .unwrap();
    }
    let (ct, _) = Ciphertext::encrypt_u64(kp.public(), 10_000, &mut rng);
    assert_eq!(
        kp.secret().decrypt(&ct, &table),
        Err(Error::DiscreteLogNotFound { bound: 10_000 })
    );
}

#[test]
fn encrypt_with_nonce_is_deterministic_and_matches_definition() {
    let mut rng = rng(2);
    let kp = KeyPair::generate(&mut rng);
    let (m, r) = (Scalar::from(7u64), Scalar::from(11u64));
    let ct = Ciphertext::encrypt_with_nonce(kp.public(), &m, &r);
    assert_eq!(ct, Ciphertext::encrypt_with_nonce(kp.public(), &m, &r));
    assert_eq!(ct.alpha, RistrettoPoint::mul_base(&r));
    assert_eq!(
        ct.beta,
        RistrettoPoint::mul_base(&m) + r * kp.public().point()
    );
    // Fresh randomness gives distinct ciphertexts of the same message.
    let (c1, _) = Ciphertext::encrypt(kp.public(), &m, &mut rng);
    let (c2, _) = Ciphertext::encrypt(kp.public(), &m, &mut rng);
    assert_ne!(c1, c2);
}

#[test]
fn wrong_key_does_not_decrypt() {
    let mut rng = rng(3);
    let kp = KeyPair::generate(&mut rng);
    let other = SecretKey::generate(&mut rng);
    let (ct, _) = Ciphertext::encrypt_u64(kp.public(), 5, &mut rng);
    assert!(other.decrypt(&ct, &table()).is_err());
}

#[test]
fn homomorphic_sum_sub_neg_and_scalar_mul() {
    let mut rng = rng(4);
    let kp = KeyPair::generate(&mut rng);
    let pk = kp.public();
    let table = table();
    let votes = [1u64, 0, 1, 1, 0, 1, 1];
    let (cts, nonces): (Vec<_>, Vec<_>) = votes
        .iter()
        .map(|&v| Ciphertext::encrypt_u64(pk, v, &mut rng))
        .unzip();
    let total: Ciphertext = cts.iter().sum();
    assert_eq!(kp.secret().decrypt(&total, &table), Ok(5));
    assert_eq!(total, cts.iter().copied().sum::<Ciphertext>());
    // The nonces add like the ciphertexts.
    let total_nonce: Nonce = nonces.iter().sum();
    total
        .verify_opening(pk, &Scalar::from(5u64), &total_nonce)
        .unwrap();

    let mut acc = Ciphertext::zero();
    for c in &cts {
        acc += c;
    }
    assert_eq!(acc, total);
    acc -= &cts[0];
    assert_eq!(kp.secret().decrypt(&acc, &table), Ok(4));
    assert_eq!(kp.secret().decrypt(&(total - cts[0]), &table), Ok(4));
    assert_eq!(
        kp.secret().decrypt(&Add::add(&total, &-&cts[0]), &table),
        Ok(4)
    );
    assert_eq!(total - total, Ciphertext::zero());

    let k = Scalar::from(30u64);
    let tripled = Mul::mul(&total, &k);
    assert_eq!(kp.secret().decrypt(&tripled, &table), Ok(150));
    tripled
        .verify_opening(pk, &Scalar::from(150u64), &(&total_nonce * &k))
        .unwrap();
    assert_eq!(total * k, tripled);
}

#[test]
fn zero_is_neutral_encryption_of_zero() {
    let mut rng = rng(5);
    let kp = KeyPair::generate(&mut rng);
    let zero = Ciphertext::zero();
    assert_eq!(kp.secret().decrypt(&zero, &table()), Ok(0));
    zero.verify_opening(
        kp.public(),
        &Scalar::ZERO,
        &Nonce::from_scalar(Scalar::ZERO),
    )
    .unwrap();
    let (ct, _) = Ciphertext::encrypt_u64(kp.public(), 3, &mut rng);
    assert_eq!(ct + zero, ct);
    assert_eq!(core::iter::empty::<Ciphertext>().sum::<Ciphertext>(), zero);
    assert_eq!(zero.validate_fresh(), Err(Error::IdentityPoint));
    // A nonce-0 encryption is exactly what validate_fresh exists to reject.
    let leaky = Ciphertext::encrypt_with_nonce(kp.public(), &Scalar::ONE, &Scalar::ZERO);
    assert_eq!(leaky.validate_fresh(), Err(Error::IdentityPoint));
}

#[test]
fn rerandomize_keeps_plaintext_changes_ciphertext() {
    let mut rng = rng(6);
    let kp = KeyPair::generate(&mut rng);
    let pk = kp.public();
    let (ct, nonce) = Ciphertext::encrypt_u64(pk, 42, &mut rng);
    let (re, delta) = ct.rerandomize(pk, &mut rng);
    assert_ne!(re.alpha, ct.alpha);
    assert_ne!(re.beta, ct.beta);
    assert_eq!(kp.secret().decrypt(&re, &table()), Ok(42));
    re.verify_opening(pk, &Scalar::from(42u64), &(&nonce + &delta))
        .unwrap();
    assert_eq!(re, ct.rerandomize_with_nonce(pk, delta.as_scalar()));
}

#[test]
fn opening_rejects_wrong_message_nonce_or_key() {
    let mut rng = rng(7);
    let kp = KeyPair::generate(&mut rng);
    let other = KeyPair::generate(&mut rng);
    let (ct, nonce) = Ciphertext::encrypt_u64(kp.public(), 1, &mut rng);
    let fail = Err(Error::VerificationFailed {
        proof: "ElGamal opening",
    });
    assert_eq!(ct.verify_opening(kp.public(), &Scalar::ZERO, &nonce), fail);
    assert_eq!(
        ct.verify_opening(kp.public(), &Scalar::ONE, &Nonce::random(&mut rng)),
        fail
    );
    assert_eq!(
        ct.verify_opening(other.public(), &Scalar::ONE, &nonce),
        fail
    );
    assert_eq!(ct.verify_opening(kp.public(), &Scalar::ONE, &nonce), Ok(()));
}

#[test]
fn keys_reject_zero_and_identity() {
    assert!(matches!(
        SecretKey::from_scalar(Scalar::ZERO),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        SecretKey::from_bytes(&[0u8; 32]),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(
        SecretKey::from_bytes(&[0xff; 32]).err(),
        Some(Error::NonCanonicalScalar)
    );
    assert!(matches!(
        SecretKey::from_bytes(&[1u8; 31]),
        Err(Error::InvalidLength {
            expected: 32,
            actual: 31,
            ..
        })
    ));
    assert_eq!(
        PublicKey::from_point(RistrettoPoint::identity()),
        Err(Error::IdentityPoint)
    );
    let mut rng = rng(8);
    let sk = SecretKey::generate(&mut rng);
    let restored = SecretKey::from_bytes(&*sk.to_bytes()).unwrap();
    assert_eq!(restored.public_key(), sk.public_key());
    assert_eq!(restored.as_scalar(), sk.as_scalar());
    assert_eq!(
        PublicKey::from_point(*sk.public_key().point()),
        Ok(sk.public_key())
    );
}

#[test]
fn debug_redacts_secrets() {
    let mut rng = rng(9);
    let kp = KeyPair::generate(&mut rng);
    let (_, nonce) = Ciphertext::encrypt_u64(kp.public(), 1, &mut rng);
    let sk_hex = hex::encode(kp.secret().as_scalar().as_bytes());
    let nonce_hex = hex::encode(nonce.as_scalar().as_bytes());
    let printed = format!("{kp:?} {nonce:?} {:?}", kp.secret());
    assert!(!printed.contains(&sk_hex) && !printed.contains(&nonce_hex));
    assert!(printed.contains("<redacted>"));
    assert!(printed.contains(&hex::encode(kp.public().to_bytes())));
}

#[test]
fn public_key_encoding() {
    let mut rng = rng(10);
    let pk = SecretKey::generate(&mut rng).public_key();
    let bytes = pk.to_bytes();
    assert_eq!(bytes.len(), 32);
    assert_eq!(PublicKey::from_bytes(&bytes), Ok(pk));
    assert_eq!(PublicKey::from_bytes(&[0u8; 32]), Err(Error::IdentityPoint));
    assert_eq!(PublicKey::from_bytes(&[0xff; 32]), Err(Error::InvalidPoint));
    assert!(matches!(
        PublicKey::from_bytes(&bytes[..31]),
        Err(Error::UnexpectedEnd { .. })
    ));
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        PublicKey::from_bytes(&long),
        Err(Error::TrailingBytes { remaining: 1, .. })
    ));
}

#[test]
fn ciphertext_encoding_and_each_rejection() {
    let mut rng = rng(11);
    let pk = SecretKey::generate(&mut rng).public_key();
    let (ct, _) = Ciphertext::encrypt_u64(&pk, 3, &mut rng);
    let bytes = ct.to_bytes();
    assert_eq!(bytes.len(), CIPHERTEXT_LEN);
    assert_eq!(bytes[..2], [Tag::Ciphertext as u8, CIPHERTEXT_VERSION]);
    assert_eq!(bytes[2..34], encode_point(&ct.alpha));
    assert_eq!(bytes[34..], encode_point(&ct.beta));
    assert_eq!(Ciphertext::from_bytes(&bytes), Ok(ct));

    // The zero ciphertext (identity α and β) decodes: it is a valid sum.
    let zero = Ciphertext::zero().to_bytes();
    assert_eq!(Ciphertext::from_bytes(&zero), Ok(Ciphertext::zero()));

    let mut wrong_tag = bytes.clone();
    wrong_tag[0] = 0x11;
    assert_eq!(
        Ciphertext::from_bytes(&wrong_tag),
        Err(Error::WrongObjectType {
            expected: 0x10,
            found: 0x11
        })
    );
    let mut wrong_version = bytes.clone();
    wrong_version[1] = 2;
    assert!(matches!(
        Ciphertext::from_bytes(&wrong_version),
        Err(Error::UnsupportedVersion { found: 2, .. })
    ));
    let mut bad_alpha = bytes.clone();
    bad_alpha[2..34].copy_from_slice(&[0xff; 32]);
    assert_eq!(Ciphertext::from_bytes(&bad_alpha), Err(Error::InvalidPoint));
    let mut bad_beta = bytes.clone();
    bad_beta[34] ^= 1; // an odd s is never canonical
    assert_eq!(Ciphertext::from_bytes(&bad_beta), Err(Error::InvalidPoint));
    for len in [0, 1, 2, 33, 65] {
        assert!(matches!(
            Ciphertext::from_bytes(&bytes[..len]),
            Err(Error::UnexpectedEnd { .. })
        ));
    }
    let mut long = bytes.clone();
    long.extend_from_slice(&[0, 0]);
    assert!(matches!(
        Ciphertext::from_bytes(&long),
        Err(Error::TrailingBytes { remaining: 2, .. })
    ));
}

#[test]
fn nonce_encoding() {
    let mut rng = rng(12);
    let nonce = Nonce::random(&mut rng);
    let bytes = nonce.to_bytes();
    assert_eq!(
        Nonce::from_bytes(&bytes).unwrap().as_scalar(),
        nonce.as_scalar()
    );
    assert_eq!(
        Nonce::from_bytes(&[0xff; 32]).err(),
        Some(Error::NonCanonicalScalar)
    );
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trips_through_canonical_encoding() {
    let mut rng = rng(13);
    let pk = SecretKey::generate(&mut rng).public_key();
    let (ct, nonce) = Ciphertext::encrypt_u64(&pk, 9, &mut rng);
    let json = serde_json::to_string(&ct).unwrap();
    assert_eq!(json, format!("\"{}\"", hex::encode(ct.to_bytes())));
    assert_eq!(serde_json::from_str::<Ciphertext>(&json).unwrap(), ct);
    let json = serde_json::to_string(&pk).unwrap();
    assert_eq!(serde_json::from_str::<PublicKey>(&json).unwrap(), pk);
    let json = serde_json::to_string(&nonce).unwrap();
    assert_eq!(
        serde_json::from_str::<Nonce>(&json).unwrap().as_scalar(),
        nonce.as_scalar()
    );
    // Serde input goes through the same validation.
    let identity = format!("\"{}\"", hex::encode([0u8; 32]));
    assert!(serde_json::from_str::<PublicKey>(&identity).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn prop_homomorphic_add(a in 0u64..1_000_000, b in 0u64..1_000_000, seed: u64) {
        let mut rng = rng(seed);
        let kp = KeyPair::generate(&mut rng);
        let (ca, na) = Ciphertext::encrypt_u64(kp.public(), a, &mut rng);
        let (cb, nb) = Ciphertext::encrypt_u64(kp.public(), b, &mut rng);
        let sum = ca + cb;
        prop_assert_eq!(
            kp.secret().decrypt_to_point(&sum),
            RistrettoPoint::mul_base(&Scalar::from(a + b))
        );
        prop_assert_eq!(sum, Ciphertext::encrypt_with_nonce(
            kp.public(),
            &Scalar::from(a + b),
            (&na + &nb).as_scalar(),
        ));
        prop_assert_eq!(sum - cb, ca);
    }

    #[test]
    fn prop_every_byte_flip_rejected_or_changes_value(idx in 0usize..CIPHERTEXT_LEN, flip in 1u8..=255, seed: u64) {
        let mut rng = rng(seed);
        let pk = SecretKey::generate(&mut rng).public_key();
        let (ct, _) = Ciphertext::encrypt_u64(&pk, 1, &mut rng);
        let mut bytes = ct.to_bytes();
        bytes[idx] ^= flip;
        // Canonical encoding: a changed byte string never decodes to the same value.
        if let Ok(other) = Ciphertext::from_bytes(&bytes) {
            prop_assert_ne!(other, ct);
        }
    }
}
