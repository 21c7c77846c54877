//! Known-answer vectors for exponential ElGamal (test-vectors/elgamal.json).
//!
//! The file is produced by [`generate`] from a fixed ChaCha20 seed. The test
//! recomputes every value from the file's inputs alone (keys, messages,
//! nonces) and also checks that the generator still reproduces the file, so
//! any change of arithmetic or encoding breaks the build. Regenerate with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test elgamal_vectors`.

use curve25519_dalek::scalar::Scalar;
use kleroterion::elgamal::{Ciphertext, DlogTable, KeyPair, Nonce, PublicKey, SecretKey};
use kleroterion::encoding::{decode_scalar, Decode, Encode};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/elgamal.json");
const SEED: u64 = 0x6b6c_6572_6f74;
const MESSAGES: [u64; 5] = [0, 1, 150, 1_000_000, 123_456_789];
const DLOG_BOUND: u64 = 1_000_000_000;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    secret_key: String,
    public_key: String,
    dlog_bound: u64,
    encryptions: Vec<Encryption>,
    sum: Sum,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Encryption {
    message: u64,
    nonce: String,
    ciphertext: String,
    rerandomize_nonce: String,
    rerandomized: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Sum {
    message: u64,
    nonce: String,
    ciphertext: String,
}

fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let kp = KeyPair::generate(&mut rng);
    let pk = kp.public();
    let mut encryptions = Vec::new();
    let mut total = Ciphertext::zero();
    let mut nonces = Vec::new();
    for m in MESSAGES {
        let (ct, nonce) = Ciphertext::encrypt_u64(pk, m, &mut rng);
        let (re, delta) = ct.rerandomize(pk, &mut rng);
        total += ct;
        encryptions.push(Encryption {
            message: m,
            nonce: hex::encode(nonce.to_bytes()),
            ciphertext: hex::encode(ct.to_bytes()),
            rerandomize_nonce: hex::encode(delta.to_bytes()),
            rerandomized: hex::encode(re.to_bytes()),
        });
        nonces.push(nonce);
    }
    let total_nonce: Nonce = nonces.iter().sum();
    File {
        source: "kleroterion tests/elgamal_vectors.rs: generate() from ChaCha20Rng::seed_from_u64(0x6b6c_6572_6f74); \
                 spec/elgamal.md"
            .into(),
        secret_key: hex::encode(*kp.secret().to_bytes()),
        public_key: hex::encode(pk.to_bytes()),
        dlog_bound: DLOG_BOUND,
        encryptions,
        sum: Sum {
            message: MESSAGES.iter().sum(),
            nonce: hex::encode(total_nonce.to_bytes()),
            ciphertext: hex::encode(total.to_bytes()),
        },
    }
}

fn bytes(h: &str) -> Vec<u8> {
    hex::decode(h).unwrap()
}

#[test]
fn elgamal_known_answers() {
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        std::fs::write(PATH, json).unwrap();
    }
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();

    // Recompute from the inputs in the file alone.
    let sk = SecretKey::from_bytes(&bytes(&file.secret_key)).unwrap();
    let pk = PublicKey::from_bytes(&bytes(&file.public_key)).unwrap();
    assert_eq!(sk.public_key(), pk);
    let table = DlogTable::new(file.dlog_bound).unwrap();
    let mut total = Ciphertext::zero();
    for e in &file.encryptions {
        let m = Scalar::from(e.message);
        let r = decode_scalar(&bytes(&e.nonce)).unwrap();
        let ct = Ciphertext::encrypt_with_nonce(&pk, &m, &r);
        assert_eq!(hex::encode(ct.to_bytes()), e.ciphertext);
        assert_eq!(Ciphertext::from_bytes(&bytes(&e.ciphertext)), Ok(ct));
        ct.verify_opening(&pk, &m, &Nonce::from_bytes(&bytes(&e.nonce)).unwrap())
            .unwrap();
        let delta = decode_scalar(&bytes(&e.rerandomize_nonce)).unwrap();
        let re = ct.rerandomize_with_nonce(&pk, &delta);
        assert_eq!(hex::encode(re.to_bytes()), e.rerandomized);
        assert_eq!(sk.decrypt(&re, &table), Ok(e.message));
        total += ct;
    }
    assert_eq!(hex::encode(total.to_bytes()), file.sum.ciphertext);
    assert_eq!(sk.decrypt(&total, &table), Ok(file.sum.message));
    let total_nonce = Nonce::from_bytes(&bytes(&file.sum.nonce)).unwrap();
    total
        .verify_opening(&pk, &Scalar::from(file.sum.message), &total_nonce)
        .unwrap();

    // The documented generator still reproduces the file.
    assert_eq!(generate(), file);
}
