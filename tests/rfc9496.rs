//! RFC 9496 Appendix A ristretto255 test vectors (test-vectors/rfc9496.json)
//! checked against the crate's canonical point decoding and encoding.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::traits::Identity;
use kleroterion::elgamal::PublicKey;
use kleroterion::encoding::{decode_nonidentity_point, decode_point, encode_point, Decode};
use kleroterion::Error;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    source: String,
    multiples_of_generator: Section<Multiple>,
    invalid_encodings: Section<Invalid>,
    from_uniform_bytes: Section<Uniform>,
}

#[derive(Deserialize)]
struct Section<T> {
    section: String,
    vectors: Vec<T>,
}

#[derive(Deserialize)]
struct Multiple {
    k: u64,
    encoding: String,
}

#[derive(Deserialize)]
struct Invalid {
    reason: String,
    encoding: String,
}

#[derive(Deserialize)]
struct Uniform {
    input: String,
    output: String,
}

fn vectors() -> Vectors {
    let v: Vectors = serde_json::from_str(include_str!("../test-vectors/rfc9496.json")).unwrap();
    assert!(v.source.starts_with("RFC 9496"));
    v
}

#[test]
fn a1_multiples_of_the_generator() {
    let v = vectors().multiples_of_generator;
    assert_eq!(v.section, "A.1");
    assert_eq!(v.vectors.len(), 16);
    let mut expected = RistrettoPoint::identity();
    for (i, m) in v.vectors.iter().enumerate() {
        assert_eq!(m.k, i as u64);
        let bytes = hex::decode(&m.encoding).unwrap();
        let p = decode_point(&bytes).unwrap();
        assert_eq!(p, expected, "B[{}] decodes to k·G", m.k);
        assert_eq!(
            encode_point(&p).as_slice(),
            bytes.as_slice(),
            "B[{}] re-encodes",
            m.k
        );
        assert_eq!(encode_point(&expected).as_slice(), bytes.as_slice());
        if m.k == 0 {
            assert_eq!(decode_nonidentity_point(&bytes), Err(Error::IdentityPoint));
            assert_eq!(PublicKey::from_bytes(&bytes), Err(Error::IdentityPoint));
        } else {
            assert_eq!(PublicKey::from_bytes(&bytes).unwrap().point(), &expected);
        }
        expected += RISTRETTO_BASEPOINT_POINT;
    }
}

#[test]
fn a2_invalid_encodings_are_rejected() {
    let v = vectors().invalid_encodings;
    assert_eq!(v.section, "A.2");
    assert_eq!(v.vectors.len(), 29);
    for bad in &v.vectors {
        let bytes = hex::decode(&bad.encoding).unwrap();
        assert_eq!(bytes.len(), 32);
        let why = format!("{} ({})", bad.encoding, bad.reason);
        assert_eq!(decode_point(&bytes), Err(Error::InvalidPoint), "{why}");
        assert_eq!(
            decode_nonidentity_point(&bytes),
            Err(Error::InvalidPoint),
            "{why}"
        );
        assert_eq!(
            PublicKey::from_bytes(&bytes),
            Err(Error::InvalidPoint),
            "{why}"
        );
    }
}

#[test]
fn a3_elements_from_uniform_bytes() {
    let v = vectors().from_uniform_bytes;
    assert_eq!(v.section, "A.3");
    assert_eq!(v.vectors.len(), 11);
    for u in &v.vectors {
        let input: [u8; 64] = hex::decode(&u.input).unwrap().try_into().unwrap();
        let output = hex::decode(&u.output).unwrap();
        let p = RistrettoPoint::from_uniform_bytes(&input);
        assert_eq!(
            encode_point(&p).as_slice(),
            output.as_slice(),
            "I = {}",
            u.input
        );
        assert_eq!(decode_point(&output), Ok(p));
    }
}
