use alloc::vec::Vec;

use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use super::*;
use crate::encoding::{Decode, Encode};
use crate::error::Error;

fn keys(n: usize, seed: u64) -> (Vec<CitizenSecretKey>, AnonymitySet) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let sks: Vec<_> = (0..n)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let set = AnonymitySet::new(sks.iter().map(|s| s.public_key()).collect()).unwrap();
    (sks, set)
}

fn prove(set: &AnonymitySet, sk: &CitizenSecretKey, ctx: &[u8], msg: &[u8]) -> MembershipProof {
    MembershipProof::prove(set, sk, ctx, msg, &mut ChaCha20Rng::seed_from_u64(99)).unwrap()
}

#[test]
fn members_prove_and_verify() {
    for n in [1usize, 2, 3, 5, 16, 150] {
        let (sks, set) = keys(n, n as u64);
        assert_eq!(
            set.depth(),
            (n.next_power_of_two().trailing_zeros() as usize).max(1)
        );
        // First, last and a middle member (the last key also fills the padding).
        for i in [0, n / 2, n - 1] {
            let proof = prove(&set, &sks[i], b"motion 7", b"ballot");
            assert_eq!(proof.tag(), &sks[i].linking_tag(b"motion 7"));
            proof.verify(&set, b"motion 7", b"ballot").unwrap();
            let bytes = proof.to_bytes();
            assert_eq!(bytes.len(), 3 + 32 * (8 + 3 * set.depth()));
            assert_eq!(MembershipProof::from_bytes(&bytes).unwrap(), proof);
        }
    }
}

#[test]
fn non_member_cannot_prove() {
    let (_, set) = keys(5, 1);
    let outsider = CitizenSecretKey::generate(&mut ChaCha20Rng::seed_from_u64(77));
    assert!(matches!(
        MembershipProof::prove(
            &set,
            &outsider,
            b"c",
            b"m",
            &mut ChaCha20Rng::seed_from_u64(1)
        ),
        Err(Error::InvalidParameter { .. })
    ));
    // Forging: run the prover at every index with a key that is not the
    // index's secret key.
    for index in 0..5 {
        let forged = MembershipProof::prove_at(
            &set,
            index,
            &outsider,
            b"c",
            b"m",
            &mut ChaCha20Rng::seed_from_u64(2),
        );
        assert_eq!(
            forged.verify(&set, b"c", b"m"),
            Err(Error::VerificationFailed {
                proof: "credential membership"
            })
        );
    }
}

#[test]
fn forged_index_in_padding_fails() {
    // N = 5 pads to 8; indices 5..8 stand for the last key. A member other
    // than the last cannot use them.
    let (sks, set) = keys(5, 3);
    let not_last = set.keys().iter().position(|k| *k != set.keys()[4]).unwrap();
    let sk = sks
        .iter()
        .find(|s| s.public_key() == set.keys()[not_last])
        .unwrap();
    for index in 5..8 {
        let forged = MembershipProof::prove_at(
            &set,
            index,
            sk,
            b"c",
            b"m",
            &mut ChaCha20Rng::seed_from_u64(4),
        );
        assert!(forged.verify(&set, b"c", b"m").is_err());
    }
    // The last key's holder may use a padded index: it is still a member.
    let last = sks
        .iter()
        .find(|s| s.public_key() == set.keys()[4])
        .unwrap();
    let ok = MembershipProof::prove_at(
        &set,
        6,
        last,
        b"c",
        b"m",
        &mut ChaCha20Rng::seed_from_u64(4),
    );
    ok.verify(&set, b"c", b"m").unwrap();
}

#[test]
fn tags_link_within_a_context_only() {
    let (sks, set) = keys(4, 5);
    let p1 = prove(&set, &sks[1], b"ctx", b"m1");
    let p2 = MembershipProof::prove(
        &set,
        &sks[1],
        b"ctx",
        b"m2",
        &mut ChaCha20Rng::seed_from_u64(5),
    )
    .unwrap();
    assert_eq!(p1.tag(), p2.tag());
    let p3 = prove(&set, &sks[1], b"other ctx", b"m1");
    assert_ne!(p1.tag(), p3.tag());
    let p4 = prove(&set, &sks[2], b"ctx", b"m1");
    assert_ne!(p1.tag(), p4.tag());
}

#[test]
fn wrong_statement_fails() {
    let (sks, set) = keys(6, 6);
    let (_, other_set) = keys(6, 7);
    let proof = prove(&set, &sks[3], b"ctx", b"msg");
    proof.verify(&set, b"ctx", b"msg").unwrap();
    assert!(proof.verify(&set, b"ctx2", b"msg").is_err());
    assert!(proof.verify(&set, b"ctx", b"msg2").is_err());
    assert!(proof.verify(&other_set, b"ctx", b"msg").is_err());
    // A set of a different depth: typed length error.
    let (_, small) = keys(2, 8);
    assert_eq!(
        proof.verify(&small, b"ctx", b"msg"),
        Err(Error::LengthMismatch {
            what: "membership proof depth for this anonymity set",
            expected: 1,
            actual: 3
        })
    );
    // Swapping in another member's tag breaks the proof.
    let other = prove(&set, &sks[4], b"ctx", b"msg");
    let mut swapped = proof.to_bytes();
    swapped[3..35].copy_from_slice(other.tag().as_bytes());
    let swapped = MembershipProof::from_bytes(&swapped).unwrap();
    assert!(swapped.verify(&set, b"ctx", b"msg").is_err());
}

#[test]
fn next_years_roll_without_the_citizen() {
    let (sks, this_year) = keys(10, 9);
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let leaver = &sks[0];
    let mut next: Vec<_> = sks[1..].iter().map(|s| s.public_key()).collect();
    next.push(CitizenSecretKey::generate(&mut rng).public_key());
    let next_year = AnonymitySet::new(next).unwrap();
    let old = prove(&this_year, leaver, b"2027", b"m");
    old.verify(&this_year, b"2027", b"m").unwrap();
    assert!(old.verify(&next_year, b"2027", b"m").is_err());
    assert!(MembershipProof::prove(&next_year, leaver, b"2027", b"m", &mut rng).is_err());
}

#[test]
fn batch_verification() {
    let (sks, set) = keys(150, 11);
    let msgs: Vec<Vec<u8>> = (0..8u8).map(|i| alloc::vec![i; 3]).collect();
    let proofs: Vec<_> = (0..8)
        .map(|i| prove(&set, &sks[i * 17], b"motion", &msgs[i]))
        .collect();
    let items: Vec<(&[u8], &MembershipProof)> = msgs
        .iter()
        .map(|m| m.as_slice())
        .zip(proofs.iter())
        .collect();
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    MembershipProof::verify_batch(&set, b"motion", &items, &mut rng).unwrap();
    MembershipProof::verify_batch(&set, b"motion", &[], &mut rng).unwrap();

    let mut bad = items.clone();
    bad[5].0 = b"tampered";
    assert_eq!(
        MembershipProof::verify_batch(&set, b"motion", &bad, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "credential membership",
            index: Some(5)
        })
    );
    let (_, small) = keys(3, 13);
    let p_small = prove(&small, &keys(3, 13).0[0], b"motion", b"x");
    let mut wrong_depth = items.clone();
    wrong_depth[2] = (b"x", &p_small);
    assert_eq!(
        MembershipProof::verify_batch(&set, b"motion", &wrong_depth, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "credential membership",
            index: Some(2)
        })
    );
}

/// The batch's split evaluation of the key coefficients (two half-depth
/// trees per proof) covers every set size: odd and even depths, sets below
/// one row (`N − 1 < 2^⌊m/2⌋`), and the last key, which also fills the
/// padding.
#[test]
fn batch_verification_over_set_sizes() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    for n in [1usize, 2, 3, 5, 8, 9, 33] {
        let (sks, set) = keys(n, 100 + n as u64);
        let members = [0, n / 2, n - 1];
        let proofs: Vec<_> = members
            .iter()
            .map(|&i| prove(&set, &sks[i], b"motion", b"ballot"))
            .collect();
        let items: Vec<(&[u8], &MembershipProof)> =
            proofs.iter().map(|p| (b"ballot".as_slice(), p)).collect();
        MembershipProof::verify_batch(&set, b"motion", &items, &mut rng).unwrap();
        let mut bad = items.clone();
        bad[2].0 = b"other";
        assert_eq!(
            MembershipProof::verify_batch(&set, b"motion", &bad, &mut rng),
            Err(Error::BatchVerificationFailed {
                proof: "credential membership",
                index: Some(2)
            }),
            "N = {n}"
        );
    }
}

#[test]
fn registry_detects_double_use() {
    let (sks, set) = keys(3, 14);
    let mut reg = TagRegistry::new(b"motion 1");
    assert!(reg.is_empty());
    let p1 = prove(&set, &sks[0], b"motion 1", b"ballot a");
    let p2 = prove(&set, &sks[0], b"motion 1", b"ballot b");
    let p3 = prove(&set, &sks[1], b"motion 1", b"ballot c");
    assert_eq!(
        reg.verify_and_record(&set, b"ballot a", &p1),
        Ok(TagOutcome::Fresh)
    );
    assert_eq!(
        reg.verify_and_record(&set, b"ballot c", &p3),
        Ok(TagOutcome::Fresh)
    );
    assert_eq!(
        reg.verify_and_record(&set, b"ballot b", &p2),
        Ok(TagOutcome::AlreadyUsed)
    );
    assert_eq!(reg.len(), 2);
    assert!(reg.contains(p1.tag()));
    assert_eq!(reg.context(), b"motion 1");
    // A proof for another context is not recorded.
    let p4 = prove(&set, &sks[2], b"motion 2", b"ballot d");
    assert!(reg.verify_and_record(&set, b"ballot d", &p4).is_err());
    assert_eq!(reg.record(p4.tag()), TagOutcome::Fresh);
    assert_eq!(reg.record(p4.tag()), TagOutcome::AlreadyUsed);
}

#[test]
fn set_errors() {
    let (sks, _) = keys(3, 15);
    let pk = sks[0].public_key();
    assert!(matches!(
        AnonymitySet::new(Vec::new()),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        AnonymitySet::new(alloc::vec![pk, sks[1].public_key(), pk]),
        Err(Error::InvalidParameter {
            what: "anonymity set contains a duplicate key"
        })
    ));
    assert!(matches!(
        AnonymitySet::partition(Vec::new()),
        Err(Error::InvalidParameter { .. })
    ));
    // The identity and invalid encodings never become keys.
    assert_eq!(
        CitizenPublicKey::from_bytes(&[0; 32]),
        Err(Error::IdentityPoint)
    );
    assert_eq!(
        CitizenPublicKey::from_bytes(&[0xff; 32]),
        Err(Error::InvalidPoint)
    );
    assert_eq!(LinkingTag::from_bytes(&[0; 32]), Err(Error::IdentityPoint));
    assert!(matches!(
        CitizenPublicKey::from_bytes(&[0; 31]),
        Err(Error::InvalidLength { .. })
    ));
    assert_eq!(
        CitizenSecretKey::from_bytes(&[0; 32]).map(|_| ()),
        Err(Error::InvalidParameter {
            what: "citizen secret key must be non-zero"
        })
    );
    assert_eq!(
        CitizenSecretKey::from_bytes(&[0xff; 32]).map(|_| ()),
        Err(Error::NonCanonicalScalar)
    );
    let sk2 = CitizenSecretKey::from_bytes(&*sks[0].to_bytes()).unwrap();
    assert_eq!(sk2.public_key(), pk);
    assert_eq!(alloc::format!("{sk2:?}"), "CitizenSecretKey(<redacted>)");
}

#[test]
fn oversized_set_rejected_and_partitioned() {
    // 2^16 + 3 distinct keys: cheap points i·G, built without secret keys.
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
    let n = MAX_SET_SIZE + 3;
    let mut p = G;
    let pks: Vec<CitizenPublicKey> = (0..n)
        .map(|_| {
            let k = CitizenPublicKey::from_bytes(p.compress().as_bytes()).unwrap();
            p += G;
            k
        })
        .collect();
    assert_eq!(
        AnonymitySet::new(pks.clone()),
        Err(Error::InvalidParameter {
            what: "anonymity set must hold between 1 and 65536 keys"
        })
    );
    let parts = AnonymitySet::partition(pks.clone()).unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].len(), 32770);
    assert_eq!(parts[1].len(), 32769);
    assert!(parts[0].keys().last() < parts[1].keys().first());
    assert!(pks
        .iter()
        .all(|k| parts.iter().filter(|s| s.contains(k)).count() == 1));
    // A roll that fits is one set.
    let one = AnonymitySet::partition(pks[..10].to_vec()).unwrap();
    assert_eq!(
        one,
        alloc::vec![AnonymitySet::new(pks[..10].to_vec()).unwrap()]
    );
}

#[test]
fn set_encoding() {
    let (_, set) = keys(7, 16);
    let bytes = set.to_bytes();
    assert_eq!(bytes.len(), 2 + 4 + 7 * 32);
    assert_eq!(AnonymitySet::from_bytes(&bytes).unwrap(), set);
    // Out-of-order keys are not the canonical encoding.
    let mut swapped = bytes.clone();
    let (a, b) = (6, 6 + 32);
    for i in 0..32 {
        swapped.swap(a + i, b + i);
    }
    assert!(matches!(
        AnonymitySet::from_bytes(&swapped),
        Err(Error::InvalidParameter { .. })
    ));
    // The commitment depends on every key.
    let (_, set2) = keys(7, 17);
    assert_ne!(set.commitment(), set2.commitment());
}

#[test]
fn proof_decoding_errors() {
    let (sks, set) = keys(3, 18);
    let bytes = prove(&set, &sks[0], b"c", b"m").to_bytes();
    let mut bad = bytes.clone();
    bad[2] = 0;
    assert!(matches!(
        MembershipProof::from_bytes(&bad),
        Err(Error::InvalidParameter { .. })
    ));
    bad[2] = 17;
    assert!(matches!(
        MembershipProof::from_bytes(&bad),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        MembershipProof::from_bytes(&bytes[..bytes.len() - 1]),
        Err(Error::UnexpectedEnd { .. })
    ));
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        MembershipProof::from_bytes(&long),
        Err(Error::TrailingBytes { remaining: 1, .. })
    ));
    let mut tag = bytes.clone();
    tag[3..35].copy_from_slice(&[0; 32]);
    assert_eq!(MembershipProof::from_bytes(&tag), Err(Error::IdentityPoint));
    let mut hdr = bytes.clone();
    hdr[0] = 0x51;
    assert!(matches!(
        MembershipProof::from_bytes(&hdr),
        Err(Error::WrongObjectType { .. })
    ));
    hdr[0] = 0x50;
    hdr[1] = 2;
    assert!(matches!(
        MembershipProof::from_bytes(&hdr),
        Err(Error::UnsupportedVersion { .. })
    ));
    let mut scalar = bytes.clone();
    let z = scalar.len() - 32;
    scalar[z..].copy_from_slice(&[0xff; 32]);
    assert_eq!(
        MembershipProof::from_bytes(&scalar),
        Err(Error::NonCanonicalScalar)
    );
}

#[cfg(feature = "serde")]
#[test]
fn serde_roundtrip() {
    let (sks, set) = keys(3, 19);
    let proof = prove(&set, &sks[0], b"c", b"m");
    let json = serde_json::to_string(&proof).unwrap();
    assert_eq!(
        serde_json::from_str::<MembershipProof>(&json).unwrap(),
        proof
    );
    let pk = sks[1].public_key();
    let json = serde_json::to_string(&pk).unwrap();
    assert_eq!(json, alloc::format!("\"{}\"", hex::encode(pk.as_bytes())));
    assert_eq!(serde_json::from_str::<CitizenPublicKey>(&json).unwrap(), pk);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn tampered_proof_bytes_rejected(pos in 0usize..1000, xor in 1u8..=255) {
        let (sks, set) = keys(5, 20);
        let bytes = prove(&set, &sks[2], b"ctx", b"msg").to_bytes();
        let pos = pos % bytes.len();
        let mut t = bytes.clone();
        t[pos] ^= xor;
        if let Ok(p) = MembershipProof::from_bytes(&t) {
            prop_assert!(p.verify(&set, b"ctx", b"msg").is_err());
        }
    }
}

#[test]
fn every_byte_tampered_rejected() {
    let (sks, set) = keys(3, 21);
    let bytes = prove(&set, &sks[1], b"ctx", b"msg").to_bytes();
    for pos in 0..bytes.len() {
        let mut t = bytes.clone();
        t[pos] ^= 0x01;
        if let Ok(p) = MembershipProof::from_bytes(&t) {
            assert!(p.verify(&set, b"ctx", b"msg").is_err(), "byte {pos}");
        }
    }
}

#[test]
fn consent_statements() {
    let mut rng = ChaCha20Rng::seed_from_u64(30);
    let sks: Vec<_> = (0..4)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let sts: Vec<_> = sks
        .iter()
        .map(|sk| ConsentStatement::sign(sk, b"polity:lakeside", 2027, &mut rng).unwrap())
        .collect();
    for (st, sk) in sts.iter().zip(&sks) {
        st.verify(b"polity:lakeside", 2027).unwrap();
        assert_eq!(st.public_key(), &sk.public_key());
        assert_eq!((st.polity(), st.year()), (&b"polity:lakeside"[..], 2027));
        assert_eq!(ConsentStatement::from_bytes(&st.to_bytes()).unwrap(), *st);
    }
    let wrong = Err(Error::InvalidParameter {
        what: "consent statement is for another polity or year",
    });
    assert_eq!(sts[0].verify(b"polity:lakeside", 2028), wrong);
    assert_eq!(sts[0].verify(b"polity:hillside", 2027), wrong);
    ConsentStatement::verify_batch(&sts, b"polity:lakeside", 2027, &mut rng).unwrap();

    // Another citizen's key in the statement: the signature fails.
    let mut forged = sts[1].to_bytes();
    let pk_at = 2 + 4 + 15 + 4;
    forged[pk_at..pk_at + 32].copy_from_slice(sks[2].public_key().as_bytes());
    let forged = ConsentStatement::from_bytes(&forged).unwrap();
    assert!(matches!(
        forged.verify(b"polity:lakeside", 2027),
        Err(Error::VerificationFailed { .. })
    ));
    let mut batch = sts.clone();
    batch[3] = forged;
    assert_eq!(
        ConsentStatement::verify_batch(&batch, b"polity:lakeside", 2027, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "Schnorr",
            index: Some(3)
        })
    );
    batch[3] = ConsentStatement::sign(&sks[3], b"polity:lakeside", 2026, &mut rng).unwrap();
    assert_eq!(
        ConsentStatement::verify_batch(&batch, b"polity:lakeside", 2027, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "consent statement",
            index: Some(3)
        })
    );

    let bad_polity = Err(Error::InvalidParameter {
        what: "polity identifier must be 1 to 256 bytes",
    });
    assert_eq!(
        ConsentStatement::sign(&sks[0], b"", 2027, &mut rng),
        bad_polity
    );
    assert_eq!(
        ConsentStatement::sign(&sks[0], &[7; 257], 2027, &mut rng),
        bad_polity
    );
    let mut empty = sts[0].to_bytes();
    empty.splice(2..2 + 4 + 15, [0, 0, 0, 0]);
    assert_eq!(ConsentStatement::from_bytes(&empty), bad_polity);

    // Every single-byte change is rejected or fails to decode.
    let bytes = sts[0].to_bytes();
    for pos in 0..bytes.len() {
        let mut t = bytes.clone();
        t[pos] ^= 0x04;
        if let Ok(st) = ConsentStatement::from_bytes(&t) {
            assert!(st.verify(b"polity:lakeside", 2027).is_err(), "byte {pos}");
        }
    }
}
