//! JSON text deserialized into the crate's serde types: never panics;
//! whatever deserializes serializes and deserializes back to itself.
//! (Serde goes through the canonical encodings, so this also exercises every
//! decoder behind hex and JSON parsing.)
#![no_main]

use kleroterion::beacon::{ecvrf, threshold};
use kleroterion::elgamal::{Ciphertext, PublicKey};
use kleroterion::proofs::{DisjunctiveProof, DleqProof, SchnorrProof};
use kleroterion::record::{AssemblyRecord, ElectionRecord};
use kleroterion::roll::{InclusionProof, RollDigest, RollEntry};
use kleroterion::sortition::SelectionRecord;
use kleroterion::trustees::dkg::{round1, round2, Complaint, DkgTranscript};
use kleroterion::trustees::{PartialDecryption, ShareEvaluation, TrusteeSet};
use kleroterion_fuzz::json_roundtrip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    json_roundtrip::<SchnorrProof>(data);
    json_roundtrip::<DleqProof>(data);
    json_roundtrip::<DisjunctiveProof>(data);
    json_roundtrip::<PublicKey>(data);
    json_roundtrip::<Ciphertext>(data);
    json_roundtrip::<round1::Package>(data);
    json_roundtrip::<round2::Package>(data);
    json_roundtrip::<Complaint>(data);
    json_roundtrip::<DkgTranscript>(data);
    json_roundtrip::<TrusteeSet>(data);
    json_roundtrip::<ShareEvaluation>(data);
    json_roundtrip::<PartialDecryption>(data);
    json_roundtrip::<threshold::ChainMode>(data);
    json_roundtrip::<threshold::BeaconParameters>(data);
    json_roundtrip::<threshold::BeaconPartial>(data);
    json_roundtrip::<threshold::BeaconRound>(data);
    json_roundtrip::<threshold::BeaconRecord>(data);
    json_roundtrip::<ecvrf::PublicKey>(data);
    json_roundtrip::<ecvrf::Proof>(data);
    json_roundtrip::<ecvrf::Output>(data);
    // Serde-derived records (merged later; structure checked by their
    // verifiers, not by a canonical decoder).
    json_roundtrip::<RollEntry>(data);
    json_roundtrip::<RollDigest>(data);
    json_roundtrip::<InclusionProof>(data);
    json_roundtrip::<SelectionRecord>(data);
    json_roundtrip::<ElectionRecord>(data);
    json_roundtrip::<AssemblyRecord>(data);
});
