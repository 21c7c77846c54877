//! RFC 9381 ECVRF public keys and proofs.
//!
//! Input: `public key (32) ‖ proof (80) ‖ alpha`. Decoders reject or
//! round-trip byte for byte. The proof is verified under the decoded key and
//! under the fixture key with the given alpha: a triple that verifies must
//! be a known valid one (RFC 9381 vectors or the fixture), and its output is
//! `proof_to_hash`.
#![no_main]

use kleroterion::beacon::ecvrf::{Output, Proof, PublicKey};
use kleroterion_fuzz::fixtures::fixtures;
use kleroterion_fuzz::{known_vrf_triples, split_vrf_input};
use libfuzzer_sys::fuzz_target;

fn verify(pk: &PublicKey, proof: &Proof, alpha: &[u8]) {
    if let Ok(beta) = pk.verify(alpha, proof) {
        assert_eq!(beta, proof.proof_to_hash());
        let triple = (
            pk.to_bytes().to_vec(),
            proof.to_bytes().to_vec(),
            alpha.to_vec(),
        );
        assert!(known_vrf_triples().contains(&triple), "ECVRF forgery");
    }
}

fuzz_target!(|data: &[u8]| {
    for bytes in [data, data.get(..32).unwrap_or_default()] {
        if let Ok(pk) = PublicKey::from_bytes(bytes) {
            assert_eq!(pk.as_bytes().as_slice(), bytes);
        }
    }
    if let Ok(proof) = Proof::from_bytes(data) {
        assert_eq!(proof.to_bytes().as_slice(), data);
    }
    if let Ok(output) = Output::from_bytes(data) {
        assert_eq!(output.as_bytes().as_slice(), data);
    }
    let Some((pk, pi, alpha)) = split_vrf_input(data) else {
        return;
    };
    let Ok(proof) = Proof::from_bytes(pi) else {
        return;
    };
    assert_eq!(proof.to_bytes().as_slice(), pi);
    verify(&fixtures().vrf_key, &proof, alpha);
    if let Ok(pk) = PublicKey::from_bytes(pk) {
        verify(&pk, &proof, alpha);
    }
});
