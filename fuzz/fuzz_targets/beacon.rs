//! Threshold beacon parameters, partials, rounds and records.
//!
//! * Every decoder round-trips byte for byte.
//! * A decoded record is verified with `verify_chain`: if it verifies, its
//!   parameters are those of a known chain (the fixtures' chained and
//!   unchained ones, or `test-vectors/beacon-chain.json`), every round is a
//!   round of that chain, and the outputs are the rounds' outputs.
//! * A decoded round is verified with `verify_round` against both fixture
//!   chains; if it verifies it is a known round.
//! * A decoded partial is verified for the chained fixture, then combined
//!   for round 1 in front of three honest partials: the round still
//!   completes with the known round-1 output, and the round it publishes
//!   verifies (issue #16: a rejected partial carrying a used trustee's
//!   index must not be published in its place).
#![no_main]

use kleroterion::beacon::threshold::{
    combine, verify_chain, verify_round, BeaconParameters, BeaconPartial, BeaconRecord, BeaconRound,
};
use kleroterion::beacon::Registrations;
use kleroterion_fuzz::fixtures::{fixtures, rng, Chain};
use kleroterion_fuzz::{roundtrip, vector_beacon};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let chains: [&Chain; 2] = [&f.chained, &f.unchained];
    let mut rng = rng(3);
    roundtrip::<BeaconParameters>(data);
    if let Some(record) = roundtrip::<BeaconRecord>(data) {
        if let Ok(outputs) = verify_chain(&record, &mut rng) {
            let known: Vec<&BeaconRecord> = chains
                .iter()
                .map(|c| &c.record)
                .chain([vector_beacon()])
                .collect();
            let chain = known
                .iter()
                .find(|k| k.parameters == record.parameters)
                .expect("a verified record belongs to a known chain");
            assert!(
                record.rounds.iter().all(|r| chain.rounds.contains(r)),
                "beacon round forgery"
            );
            let expected: Vec<_> = record.rounds.iter().map(|r| *r.output()).collect();
            assert_eq!(outputs, expected);
        }
    }
    if let Some(round) = roundtrip::<BeaconRound>(data) {
        for chain in chains {
            let previous = chain.previous(round.round());
            let params = &chain.record.parameters;
            if let Ok(out) = verify_round(params, &round, previous.as_ref(), &mut rng) {
                assert!(chain.knows(&round), "beacon round forgery");
                assert_eq!(&out, round.output());
            }
        }
    }
    if let Some(partial) = roundtrip::<BeaconPartial>(data) {
        let chain = &f.chained;
        let params = &chain.record.parameters;
        let previous = chain.previous(partial.round);
        if partial
            .verify(params, previous.as_ref(), &Registrations::none())
            .is_ok()
        {
            assert!(
                chain.round1_partials.contains(&partial),
                "beacon partial forgery"
            );
        }
        let mut partials = vec![partial];
        partials.extend_from_slice(&chain.round1_partials[1..]);
        let combined = combine(params, 1, None, &Registrations::none(), &partials, &mut rng)
            .expect("three honest partials complete the round");
        assert_eq!(combined.round.output(), chain.record.rounds[0].output());
        // Issue #16: the round publishes exactly the partials it used, so it
        // verifies even when the fuzzed partial carries a used index.
        verify_round(params, &combined.round, None, &mut rng).expect("a combined round verifies");
    }
});
