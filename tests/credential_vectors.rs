//! Known-answer vectors for credentials (test-vectors/credential.json,
//! spec/credential.md §8).
//!
//! The file is produced by [`generate`] from `ChaCha20Rng::seed_from_u64(SEED)`:
//! for anonymity sets of 1, 3 and 5 citizens it records every citizen's
//! secret key, public key and linking tag, the set's canonical encoding,
//! commitment and depth, the generators `H_{j,i}` and `H_ctx`, one
//! membership proof per set, and one consent statement per citizen. The
//! test verifies every proof and statement from the public data in the file
//! alone, re-derives keys and tags from the secret keys, and checks that the
//! generator still reproduces the file exactly, so any change of transcript
//! labels, encodings, generator derivation or prover randomness derivation
//! fails. Regenerate with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test credential_vectors`
//! only after a deliberate, versioned change.

use kleroterion::credential::{
    tag_base, AnonymitySet, CitizenPublicKey, CitizenSecretKey, ConsentStatement, LinkingTag,
    MembershipProof, GENERATOR_DST,
};
use kleroterion::encoding::{encode_point, Decode, Encode};
use kleroterion::hash::hash_to_point;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/credential.json");
const SEED: u64 = 0x6372_6564_656e;
const CONTEXT: &[u8] = b"kleroterion test vectors: credential motion 1";
const MESSAGE: &[u8] = b"ballot hash";
const POLITY: &[u8] = b"polity:lakeside";
const YEAR: u32 = 2027;
const SIZES: [usize; 3] = [1, 3, 5];

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    context: String,
    message: String,
    polity: String,
    year: u32,
    tag_base: String,
    generators: Vec<String>,
    sets: Vec<SetVector>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct SetVector {
    citizens: Vec<Citizen>,
    set: String,
    commitment: String,
    depth: usize,
    prover: usize,
    proof: String,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct Citizen {
    secret_key: String,
    public_key: String,
    linking_tag: String,
    consent: String,
}

/// Builds the vectors deterministically from [`SEED`]; the prover of set
/// `s` is the citizen at position `s mod N` of the generated list.
fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let sets = SIZES
        .iter()
        .enumerate()
        .map(|(s, &n)| {
            let sks: Vec<_> = (0..n)
                .map(|_| CitizenSecretKey::generate(&mut rng))
                .collect();
            let citizens = sks
                .iter()
                .map(|sk| Citizen {
                    secret_key: hex::encode(*sk.to_bytes()),
                    public_key: hex::encode(sk.public_key().as_bytes()),
                    linking_tag: hex::encode(sk.linking_tag(CONTEXT).as_bytes()),
                    consent: hex::encode(
                        ConsentStatement::sign(sk, POLITY, YEAR, &mut rng)
                            .unwrap()
                            .to_bytes(),
                    ),
                })
                .collect();
            let set = AnonymitySet::new(sks.iter().map(|sk| sk.public_key()).collect()).unwrap();
            let prover = s % n;
            let proof =
                MembershipProof::prove(&set, &sks[prover], CONTEXT, MESSAGE, &mut rng).unwrap();
            SetVector {
                citizens,
                set: hex::encode(set.to_bytes()),
                commitment: hex::encode(set.commitment()),
                depth: set.depth(),
                prover,
                proof: hex::encode(proof.to_bytes()),
            }
        })
        .collect();
    File {
        source: format!(
            "kleroterion tests/credential_vectors.rs: generate() from ChaCha20Rng::seed_from_u64({SEED:#x}); spec/credential.md"
        ),
        context: hex::encode(CONTEXT),
        message: hex::encode(MESSAGE),
        polity: hex::encode(POLITY),
        year: YEAR,
        tag_base: hex::encode(encode_point(&tag_base(CONTEXT))),
        generators: (0..3u8)
            .flat_map(|j| [[j, 0], [j, 1]])
            .map(|ji| hex::encode(encode_point(&hash_to_point(GENERATOR_DST, &ji))))
            .collect(),
        sets,
    }
}

fn unhex(h: &str) -> Vec<u8> {
    hex::decode(h).unwrap()
}

#[test]
fn credential_vectors() {
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        std::fs::write(PATH, json).unwrap();
    }
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    let (context, message, polity) = (
        unhex(&file.context),
        unhex(&file.message),
        unhex(&file.polity),
    );
    assert_eq!(unhex(&file.tag_base), encode_point(&tag_base(&context)));

    for v in &file.sets {
        // From public data only: the set, the proof, the consent statements.
        let set = AnonymitySet::from_bytes(&unhex(&v.set)).unwrap();
        assert_eq!(set.commitment().as_slice(), unhex(&v.commitment));
        assert_eq!(set.depth(), v.depth);
        let proof = MembershipProof::from_bytes(&unhex(&v.proof)).unwrap();
        proof.verify(&set, &context, &message).unwrap();
        assert!(proof.verify(&set, &context, b"another message").is_err());
        for c in &v.citizens {
            let pk = CitizenPublicKey::from_bytes(&unhex(&c.public_key)).unwrap();
            assert!(set.contains(&pk));
            let st = ConsentStatement::from_bytes(&unhex(&c.consent)).unwrap();
            st.verify(&polity, file.year).unwrap();
            assert_eq!(st.public_key(), &pk);
            // The secret key re-derives the public key and the tag.
            let sk = CitizenSecretKey::from_bytes(&unhex(&c.secret_key)).unwrap();
            assert_eq!(sk.public_key(), pk);
            let tag = LinkingTag::from_bytes(&unhex(&c.linking_tag)).unwrap();
            assert_eq!(sk.linking_tag(&context), tag);
        }
        let prover = &v.citizens[v.prover];
        assert_eq!(
            proof.tag().as_bytes().as_slice(),
            unhex(&prover.linking_tag)
        );
    }
    assert_eq!(file, generate(), "generator no longer reproduces the file");
}
