//! Known-answer vectors for the threshold beacon (test-vectors/beacon-chain.json).
//!
//! [`generate`] runs a 3-of-5 key generation and five chained rounds from a
//! fixed ChaCha20 seed. The test verifies the recorded chain from the file
//! alone (as an offline client holding only the parameters would), checks
//! every recorded output, and checks that the generator still reproduces the
//! file byte for byte. Regenerate with
//! `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test beacon_vectors`.

use kleroterion::beacon::threshold::{
    combine, verify_chain, BeaconOutput, BeaconParameters, BeaconPartial, BeaconRecord, ChainMode,
};
use kleroterion::beacon::Registrations;
use kleroterion::encoding::{Decode, Encode};
use kleroterion::roll::Digest;
use kleroterion::trustees::dkg::DkgParameters;
use kleroterion::trustees::simulate::run_locally;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/test-vectors/beacon-chain.json"
);
const SEED: u64 = 0x6265_6163_6f6e;
const ROUNDS: u64 = 5;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    participants: u16,
    threshold: u16,
    mode: String,
    genesis: String,
    chain_id: String,
    /// The encoded `BeaconRecord` (parameters and rounds).
    record: String,
    /// Round outputs, round 1 first.
    outputs: Vec<String>,
}

fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let dkg = DkgParameters::new(5, 3, b"kleroterion test beacon").unwrap();
    let trustees = run_locally(&dkg, &mut rng).unwrap();
    let genesis = [0x42u8; 32];
    let params = BeaconParameters::new(trustees[0].trustees.clone(), ChainMode::Chained, genesis);
    let mut rounds = Vec::new();
    let mut previous: Option<BeaconOutput> = None;
    for r in 1..=ROUNDS {
        // Round 2 registers two announcement hashes (spec/beacon.md §2.8).
        let registered = if r == 2 {
            Registrations::new(vec![Digest([0xa5; 32]), Digest([0x17; 32])]).unwrap()
        } else {
            Registrations::none()
        };
        // Rotate which trustee is absent each round.
        let partials: Vec<BeaconPartial> = trustees
            .iter()
            .enumerate()
            .filter(|(i, _)| *i as u64 != r % 5)
            .map(|(_, t)| {
                BeaconPartial::produce(
                    &params,
                    &t.share,
                    r,
                    previous.as_ref(),
                    &registered,
                    &mut rng,
                )
                .unwrap()
            })
            .collect();
        let round = combine(
            &params,
            r,
            previous.as_ref(),
            &registered,
            &partials,
            &mut rng,
        )
        .unwrap()
        .round;
        previous = Some(*round.output());
        rounds.push(round);
    }
    let record = BeaconRecord {
        parameters: params.clone(),
        rounds,
    };
    File {
        source: "kleroterion tests/beacon_vectors.rs: generate() from \
                 ChaCha20Rng::seed_from_u64(0x6265_6163_6f6e); spec/beacon.md §2"
            .into(),
        participants: 5,
        threshold: 3,
        mode: "chained".into(),
        genesis: hex::encode(genesis),
        chain_id: hex::encode(params.chain_id()),
        outputs: record
            .rounds
            .iter()
            .map(|r| hex::encode(r.output().as_bytes()))
            .collect(),
        record: hex::encode(record.to_bytes()),
    }
}

#[test]
fn beacon_chain_known_answers() {
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        std::fs::write(PATH, json).unwrap();
    }
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();

    let record = BeaconRecord::from_bytes(&hex::decode(&file.record).unwrap()).unwrap();
    assert_eq!(hex::encode(record.parameters.chain_id()), file.chain_id);
    assert_eq!(hex::encode(record.parameters.genesis()), file.genesis);
    assert_eq!(record.parameters.mode(), ChainMode::Chained);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let outputs = verify_chain(&record, &mut rng).unwrap();
    let outputs: Vec<String> = outputs.iter().map(|o| hex::encode(o.as_bytes())).collect();
    assert_eq!(outputs, file.outputs);
    // Round 2's registrations are listed ascending and found by a verifier.
    let registered: Vec<String> = record.rounds[1]
        .registered()
        .hashes()
        .iter()
        .map(|d| hex::encode(d.0))
        .collect();
    assert_eq!(registered, ["17".repeat(32), "a5".repeat(32)]);
    let chain = record.verify(&mut rng).unwrap();
    assert_eq!(chain.registered_in(&Digest([0xa5; 32])), Some(2));
    assert_eq!(chain.registered_in(&Digest([0x5a; 32])), None);

    assert_eq!(generate(), file);
}
