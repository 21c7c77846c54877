//! drand chain infos, points and rounds (spec/beacon.md §3).
//!
//! * The G1 and G2 point decoders never panic on any input.
//! * Mode 0 (`0x00 ‖ JSON`): a chain info that reads (its stated hash
//!   checked) writes a JSON form that reads back to the same chain.
//! * Mode 1 (`0x01 ‖ BE64(round) ‖ [previous signature ‖] signature`): a
//!   round that verifies under the quicknet or the default network is one of
//!   the real published rounds of `test-vectors/drand.json` (no forgery).
#![no_main]

use kleroterion::beacon::drand::{decode_g1, decode_g2, DrandChain};
use kleroterion_fuzz::drand::{networks, round_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_g1(data, "fuzz input");
    let _ = decode_g2(data, "fuzz input");
    match data.split_first() {
        Some((0, json)) => {
            if let Ok(Ok(chain)) = std::str::from_utf8(json).map(DrandChain::from_info_json) {
                let text = serde_json::to_string(&chain).expect("a chain info serializes");
                assert_eq!(DrandChain::from_info_json(&text), Ok(chain));
            }
        }
        Some((1, rest)) if rest.len() >= 8 => {
            let (head, body) = rest.split_at(8);
            let mut be = [0u8; 8];
            be.copy_from_slice(head);
            let round = u64::from_be_bytes(be);
            for network in networks() {
                let r = round_of(&network.chain, round, body);
                if network.chain.verify_round(&r).is_ok() {
                    assert!(
                        network
                            .rounds
                            .iter()
                            .any(|(k, _)| k.round == r.round && k.signature == r.signature),
                        "drand round forgery"
                    );
                }
            }
        }
        _ => {}
    }
});
