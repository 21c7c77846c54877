//! Known-answer tests of drand verification (spec/beacon.md §3) against real
//! rounds of the League of Entropy's `quicknet` and default networks
//! (`test-vectors/drand.json`, each value's source named there), and the
//! forgeries each check stops.

use kleroterion::beacon::drand::{DrandBeacon, DrandChain, DrandRound, DrandScheme};
use kleroterion::Error;

// The parser of the file, shared with the `drand` fuzz target.
#[path = "../fuzz/src/drand_vectors.rs"]
mod drand_vectors;

use drand_vectors::{json as vectors, networks};

fn chain(name: &str) -> (DrandChain, Vec<DrandRound>) {
    let network = networks()
        .into_iter()
        .find(|n| n.name == name)
        .expect("network");
    let rounds = network.plain_rounds();
    (network.chain, rounds)
}

#[test]
fn chain_hashes_are_drands() {
    let v = vectors();
    for (c, network) in v["chains"]
        .as_array()
        .expect("chains")
        .iter()
        .zip(networks())
    {
        assert_eq!(
            hex::encode(network.chain.chain_hash().0),
            c["info"]["hash"].as_str().expect("hash"),
            "{}",
            network.name
        );
    }
    let (quicknet, _) = chain("quicknet");
    assert_eq!(quicknet.scheme(), DrandScheme::UnchainedG1);
    assert_eq!(quicknet.period(), 3);
    let (default, _) = chain("default");
    assert_eq!(default.scheme(), DrandScheme::Chained);
    assert_eq!(default.beacon_id(), "default");
}

#[test]
fn every_published_round_verifies_with_its_randomness() {
    let mut n = 0;
    for drand_vectors::Network {
        name,
        chain,
        rounds,
    } in networks()
    {
        for (round, randomness) in rounds {
            let out = chain
                .verify_round(&round)
                .unwrap_or_else(|e| panic!("{name} round {}: {e}", round.round));
            if let Some(expected) = randomness {
                assert_eq!(out.0.to_vec(), expected, "{name} round {}", round.round);
            }
            n += 1;
        }
    }
    assert!(n >= 15, "{n} rounds");
}

#[test]
fn tampered_rounds_are_rejected() {
    for drand_vectors::Network {
        name,
        chain,
        rounds,
    } in networks()
    {
        for (round, _) in rounds {
            // Another round number: the message changes.
            let mut other = round.clone();
            other.round += 1;
            if chain.scheme() == DrandScheme::Chained && round.round == 1 {
                other.previous_signature = Some(vec![0xaa; 96]);
            }
            assert!(
                chain.verify_round(&other).is_err(),
                "{name} {}",
                round.round
            );
            // A changed signature byte.
            for i in [0usize, 20, round.signature.len() - 1] {
                let mut t = round.clone();
                t.signature[i] ^= 0x04;
                assert!(
                    chain.verify_round(&t).is_err(),
                    "{name} {} byte {i}",
                    round.round
                );
            }
            // A truncated or extended signature.
            let mut short = round.clone();
            short.signature.pop();
            assert!(matches!(
                chain.verify_round(&short),
                Err(Error::InvalidLength { .. })
            ));
            let mut long = round.clone();
            long.signature.push(0);
            assert!(matches!(
                chain.verify_round(&long),
                Err(Error::InvalidLength { .. })
            ));
            // A chained round with another previous signature, or none.
            if let Some(prev) = &round.previous_signature {
                let mut t = round.clone();
                let mut p = prev.clone();
                p[5] ^= 1;
                t.previous_signature = Some(p);
                assert!(chain.verify_round(&t).is_err());
                t.previous_signature = None;
                assert!(matches!(
                    chain.verify_round(&t),
                    Err(Error::InvalidParameter { .. })
                ));
            }
        }
    }
}

#[test]
fn a_round_of_one_network_does_not_verify_under_the_other() {
    let (quicknet, q) = chain("quicknet");
    let (default, d) = chain("default");
    for r in &q {
        assert!(default.verify_round(r).is_err());
    }
    for r in &d {
        assert!(quicknet.verify_round(r).is_err());
    }
    // quicknet's testnet twin (quicknet-t, drand/drand-client lib/defaults.ts):
    // same scheme and period, another key: quicknet's rounds fail under it.
    let testnet = DrandChain::from_info_json(
        r#"{"public_key":"b15b65b46fb29104f6a4b5d1e11a8da6344463973d423661bb0804846a0ecd1ef93c25057f1c0baab2ac53e56c662b66072f6d84ee791a3382bfb055afab1e6a375538d8ffc451104ac971d2dc9b168e2d3246b0be2015969cbaac298f6502da","period":3,"genesis_time":1689232296,"hash":"cc9c398442737cbd141526600919edd69f1d6f9b4adb67e4d912fbc64341a9a5","groupHash":"40d49d910472d4adb1d67f65db8332f11b4284eecf05c05c5eacd5eef7d40e2d","schemeID":"bls-unchained-g1-rfc9380","metadata":{"beaconID":"quicknet-t"}}"#,
    )
    .expect("quicknet-t chain info");
    for r in &q {
        assert_eq!(
            testnet.verify_round(r),
            Err(Error::VerificationFailed {
                proof: "drand round signature"
            })
        );
    }
}

#[test]
fn chain_info_json_is_checked_against_its_hash() {
    let v = vectors();
    let info = &v["chains"][0]["info"];
    // The v2 form drand serves today, as DrandChain writes it.
    let (quicknet, _) = chain("quicknet");
    let v2 = serde_json::to_string(&quicknet).expect("JSON");
    assert!(v2.contains(
        "\"chain_hash\":\"52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971\""
    ));
    assert_eq!(DrandChain::from_info_json(&v2), Ok(quicknet.clone()));
    // Any field changed: the stated hash no longer matches.
    for (key, value) in [
        ("period", serde_json::json!(30)),
        ("genesis_time", serde_json::json!(1692803368u64)),
        ("groupHash", serde_json::json!("00".repeat(32))),
        ("metadata", serde_json::json!({"beaconID": "quicknet2"})),
    ] {
        let mut t = info.clone();
        t[key] = value;
        assert_eq!(
            DrandChain::from_info_json(&t.to_string()),
            Err(Error::VerificationFailed {
                proof: "drand chain hash (SHA-256 of the chain info)"
            }),
            "{key}"
        );
    }
    // The other network's key, or the other scheme: rejected as a key.
    let mut t = info.clone();
    t["schemeID"] = serde_json::json!("pedersen-bls-chained");
    assert!(matches!(
        DrandChain::from_info_json(&t.to_string()),
        Err(Error::InvalidLength { .. })
    ));
    // Two names of one field that disagree.
    let mut t = info.clone();
    t["beacon_id"] = serde_json::json!("default");
    assert!(matches!(
        DrandChain::from_info_json(&t.to_string()),
        Err(Error::InvalidParameter { .. })
    ));
    let mut t = info.clone();
    t["scheme"] = serde_json::json!("pedersen-bls-chained");
    assert!(matches!(
        DrandChain::from_info_json(&t.to_string()),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn a_beacon_record_verifies_its_rounds_and_their_links() {
    let (default, d) = chain("default");
    let beacon = DrandBeacon {
        chain: default.clone(),
        rounds: d.clone(),
    };
    let verified = beacon.verify().expect("rounds verify");
    use kleroterion::beacon::BeaconSource;
    assert!(verified.verified_output(3).is_ok());
    assert!(verified.verified_output(5).is_err());
    // Out of order.
    let mut swapped = beacon.clone();
    swapped.rounds.swap(0, 1);
    assert!(matches!(swapped.verify(), Err(Error::RoundFailed { .. })));
    // A consecutive round must sign its predecessor's signature: round 3
    // re-signed on another previous signature cannot be made, and a list
    // whose round 2 was replaced breaks round 3's link.
    let mut relinked = beacon.clone();
    relinked.rounds[1] = relinked.rounds[2].clone();
    relinked.rounds[1].round = 2;
    assert!(matches!(
        relinked.verify(),
        Err(Error::RoundFailed { round: 2, .. })
    ));
    // JSON round trip of the record form.
    let json = serde_json::to_string(&beacon).expect("JSON");
    let back: DrandBeacon = serde_json::from_str(&json).expect("read back");
    assert_eq!(back, beacon);
}
