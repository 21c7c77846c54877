//! Known-answer vectors for key generation and threshold decryption
//! (test-vectors/trustees.json, spec/trustees.md).
//!
//! The file is produced by [`generate`] from a fixed ChaCha20 seed: a 2-of-4
//! key generation in which dealer 2 sends recipient 4 a bad share in its
//! signed round-2 package, recipient 4's complaint, and partial decryptions
//! (one of them forged). The test
//! re-verifies everything from the public encodings alone — the transcript
//! must yield the expected trustee set, the partials the expected plaintext
//! and rejections — and checks that the generator still reproduces the file.
//! Regenerate with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test trustees_vectors`.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::elgamal::Ciphertext;
use kleroterion::encoding::{decode_point, encode_point, Decode, Encode};
use kleroterion::trustees::dkg::{self, DkgParameters, DkgTranscript};
use kleroterion::trustees::simulate::part2_cheating;
use kleroterion::trustees::{combine, PartialDecryption, ParticipantIndex, TrusteeSet};
use kleroterion::Error;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/trustees.json");
const SEED: u64 = 0x7472_7573_7465_6573;
const CONTEXT: &[u8] = b"kleroterion test vectors: trustees";
const MESSAGE: u64 = 97;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    dkg: Dkg,
    decryption: Decryption,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Dkg {
    description: String,
    /// `DkgTranscript` encoding (tag 0x44).
    transcript: String,
    /// Expected `TrusteeSet` encoding (tag 0x45).
    trustee_set: String,
    joint_public_key: String,
    disqualified: Vec<u16>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Decryption {
    description: String,
    message: u64,
    alpha: String,
    beta: String,
    /// `PartialDecryption` encodings (tag 0x47), in the order given to `combine`.
    partials: Vec<String>,
    plaintext_point: String,
    used: Vec<u16>,
    rejected: Vec<u16>,
}

fn idx(i: u16) -> ParticipantIndex {
    ParticipantIndex::new(i).unwrap()
}

fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let params = DkgParameters::new(4, 2, CONTEXT).unwrap();
    let (s1, p1): (Vec<_>, Vec<_>) = ParticipantIndex::range(4)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    // Dealer 2 deals recipient 4 a bad share and signs it.
    let (s2, p2): (Vec<_>, Vec<_>) = s1
        .into_iter()
        .zip(ParticipantIndex::range(4))
        .map(|(s, i)| match i.get() {
            2 => part2_cheating(s, &p1, idx(4), &mut rng).unwrap(),
            _ => dkg::part2(s, &p1, &mut rng).unwrap(),
        })
        .unzip();
    let (s3, complaints): (Vec<_>, Vec<_>) = s2
        .into_iter()
        .map(|s| dkg::part3(s, &p2, &mut rng).unwrap())
        .unzip();
    let complaints: Vec<_> = complaints.into_iter().flatten().collect();
    let outputs: Vec<_> = s3
        .into_iter()
        .map(|s| dkg::finish(s, &complaints, &mut rng))
        .filter_map(Result::ok)
        .collect();
    let trustees = &outputs[0].trustees;

    let ct = Ciphertext::encrypt_with_nonce(
        trustees.joint_public_key(),
        &Scalar::from(MESSAGE),
        &Scalar::random(&mut rng),
    );
    // Trustees 1, 3 and 4 (2 is disqualified); trustee 1's partial is forged
    // by shifting its share point.
    let mut partials: Vec<PartialDecryption> = outputs
        .iter()
        .map(|o| PartialDecryption::prove(&o.share, trustees, &ct, &mut rng).unwrap())
        .collect();
    let mut forged = partials[0].to_bytes();
    forged[4..36].copy_from_slice(&encode_point(&(partials[0].share_point() + G)));
    partials[0] = PartialDecryption::from_bytes(&forged).unwrap();
    let decryption = combine(trustees, &ct, &partials, &mut rng).unwrap();

    File {
        source: "kleroterion tests/trustees_vectors.rs: generate() from \
                 ChaCha20Rng::seed_from_u64(0x7472_7573_7465_6573); spec/trustees.md"
            .into(),
        dkg: Dkg {
            description: "2-of-4 key generation, context \"kleroterion test vectors: \
                          trustees\"; dealer 2 sent recipient 4 a bad share in its signed \
                          round-2 package, 4 complained with its DH key and DLEQ proof; \
                          2 is disqualified"
                .into(),
            transcript: hex::encode(outputs[0].transcript.to_bytes()),
            trustee_set: hex::encode(trustees.to_bytes()),
            joint_public_key: hex::encode(encode_point(trustees.joint_public_key().point())),
            disqualified: trustees.disqualified().map(ParticipantIndex::get).collect(),
        },
        decryption: Decryption {
            description: "partial decryptions of trustees 1, 3, 4 under the joint key; \
                          trustee 1's share point is forged (+G), so it is rejected and \
                          3 and 4 decrypt"
                .into(),
            message: MESSAGE,
            alpha: hex::encode(encode_point(&ct.alpha)),
            beta: hex::encode(encode_point(&ct.beta)),
            partials: partials.iter().map(|p| hex::encode(p.to_bytes())).collect(),
            plaintext_point: hex::encode(encode_point(&decryption.plaintext)),
            used: decryption.used.iter().map(|i| i.get()).collect(),
            rejected: decryption.rejected.iter().map(|(i, _)| i.get()).collect(),
        },
    }
}

fn point(h: &str) -> RistrettoPoint {
    decode_point(&hex::decode(h).unwrap()).unwrap()
}

#[test]
fn vectors_verify_from_public_data() {
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);

    let transcript =
        DkgTranscript::from_bytes(&hex::decode(&file.dkg.transcript).unwrap()).unwrap();
    let trustees = transcript.verify(&mut rng).unwrap();
    assert_eq!(hex::encode(trustees.to_bytes()), file.dkg.trustee_set);
    let decoded = TrusteeSet::from_bytes(&hex::decode(&file.dkg.trustee_set).unwrap()).unwrap();
    assert_eq!(decoded, trustees);
    assert_eq!(
        *trustees.joint_public_key().point(),
        point(&file.dkg.joint_public_key)
    );
    let disqualified: Vec<u16> = trustees.disqualified().map(ParticipantIndex::get).collect();
    assert_eq!(disqualified, file.dkg.disqualified);

    let d = &file.decryption;
    let ct = Ciphertext {
        alpha: point(&d.alpha),
        beta: point(&d.beta),
    };
    let partials: Vec<PartialDecryption> = d
        .partials
        .iter()
        .map(|h| PartialDecryption::from_bytes(&hex::decode(h).unwrap()).unwrap())
        .collect();
    let decryption = combine(&trustees, &ct, &partials, &mut rng).unwrap();
    assert_eq!(decryption.plaintext, point(&d.plaintext_point));
    assert_eq!(decryption.plaintext, Scalar::from(d.message) * G);
    assert_eq!(
        decryption.used,
        d.used.iter().map(|&i| idx(i)).collect::<Vec<_>>()
    );
    assert_eq!(
        decryption.rejected,
        d.rejected
            .iter()
            .map(|&i| (
                idx(i),
                Error::ParticipantFailed {
                    index: u32::from(i),
                    check: "DLEQ proof of the share evaluation"
                }
            ))
            .collect::<Vec<_>>()
    );
}

#[test]
fn generator_reproduces_the_file() {
    let generated = generate();
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generated).unwrap();
        std::fs::write(PATH, json + "\n").unwrap();
    }
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    assert_eq!(file, generated);
}
