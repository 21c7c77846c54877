//! The parser of `test-vectors/drand.json`, shared by the `drand` fuzz
//! target (`fuzz/src/drand.rs`) and the known-answer tests
//! (`tests/drand_vectors.rs`, which include this file by path).
//!
//! Self-contained on purpose: it uses only `kleroterion`, `serde_json` and
//! `hex`, which both crates depend on.

// Each includer uses a part of these helpers.
#![allow(dead_code)]

use kleroterion::beacon::drand::{DrandChain, DrandRound};
use serde_json::Value;

/// The text of `test-vectors/drand.json`.
pub const TEXT: &str = include_str!("../../test-vectors/drand.json");

/// One network of the file.
#[derive(Clone, Debug)]
pub struct Network {
    /// Its name in the file (`quicknet`, `default`).
    pub name: String,
    /// Its chain info, read as drand publishes it (the v1 form), its stated
    /// hash checked.
    pub chain: DrandChain,
    /// Its published rounds, each with its published randomness when the
    /// source gave it.
    pub rounds: Vec<(DrandRound, Option<Vec<u8>>)>,
}

impl Network {
    /// The rounds without their randomness.
    pub fn plain_rounds(&self) -> Vec<DrandRound> {
        self.rounds.iter().map(|(r, _)| r.clone()).collect()
    }
}

/// The file as JSON.
pub fn json() -> Value {
    serde_json::from_str(TEXT).expect("test-vectors/drand.json parses")
}

/// The bytes of the hex string `v[key]`, if `v` has that key.
pub fn hex_of(v: &Value, key: &str) -> Option<Vec<u8>> {
    v.get(key)
        .map(|s| hex::decode(s.as_str().expect("hex string")).expect("valid hex"))
}

/// Every network of the file, in its order.
pub fn networks() -> Vec<Network> {
    json()["chains"]
        .as_array()
        .expect("chains")
        .iter()
        .map(|c| Network {
            name: c["name"].as_str().expect("name").to_owned(),
            chain: DrandChain::from_info_json(&c["info"].to_string()).expect("chain info"),
            rounds: c["rounds"]
                .as_array()
                .expect("rounds")
                .iter()
                .map(|r| {
                    let round = DrandRound {
                        round: r["round"].as_u64().expect("round"),
                        signature: hex_of(r, "signature").expect("signature"),
                        previous_signature: hex_of(r, "previous_signature"),
                    };
                    (round, hex_of(r, "randomness"))
                })
                .collect(),
        })
        .collect()
}
