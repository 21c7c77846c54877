//! Shared code of the kleroterion fuzz targets (see `README.md`).
//!
//! * [`fixtures`]: fixed valid objects (keys, statements, proofs, a key
//!   generation, beacon chains) that targets verify fuzzed input against;
//!   [`civic`]: the same for ballots, credentials, sortition and records.
//! * [`drand_vectors`]: the parser of `test-vectors/drand.json`, which
//!   `tests/drand_vectors.rs` includes by path (as `tests/common` does
//!   [`fixtures`]).
//! * [`roundtrip`] and [`json_roundtrip`]: the decoder properties every
//!   target asserts.
//! * [`SEEDS`]: the seed corpus of every target, written by the `seed`
//!   binary (`src/bin/seed.rs`) before each campaign.
//!
//! Adding a target: write `fuzz_targets/<name>.rs` with the helpers below,
//! add a `[[bin]]` entry to `Cargo.toml`, and add `(<name>, seed_fn)` to
//! [`SEEDS`].

pub mod civic;
pub mod drand;
pub mod drand_vectors;
pub mod fixtures;
pub mod pool;

use std::fmt::Debug;

use kleroterion::beacon::ecvrf;
use kleroterion::beacon::threshold::BeaconRecord;
use kleroterion::encoding::{Decode, Encode, Tag, Writer};
use kleroterion::trustees::dkg::DkgParameters;
use serde::de::DeserializeOwned;
use serde::Serialize;

use fixtures::fixtures;

/// Decodes `data` as a `T`; if that succeeds, asserts that re-encoding gives
/// back exactly `data` (every encoding is canonical: one value, one byte
/// string) and returns the value.
pub fn roundtrip<T: Decode + Encode>(data: &[u8]) -> Option<T> {
    let value = T::from_bytes(data).ok()?;
    assert!(
        value.to_bytes() == data,
        "{}: decode→encode is not the identity",
        T::NAME
    );
    Some(value)
}

/// Deserializes JSON text as a `T`; if that succeeds, asserts that the value
/// serializes and deserializes back to itself and returns it. Never panics
/// otherwise.
pub fn json_roundtrip<T>(data: &[u8]) -> Option<T>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value = serde_json::from_slice::<T>(data).ok()?;
    let text = serde_json::to_string(&value).expect("a decoded value serializes");
    let back: T = serde_json::from_str(&text).expect("serialized JSON deserializes");
    assert_eq!(back, value, "JSON round trip changed the value");
    Some(value)
}

/// Asserts that a batch verification over `[fuzzed, valid…]` agrees with
/// the individual verification of the fuzzed item (`valid`): it succeeds
/// exactly when that verifies, and otherwise names index 0.
pub fn assert_batch_agrees<T>(outcome: kleroterion::Result<T>, valid: bool, what: &str) {
    match outcome {
        Ok(_) => assert!(valid, "{what}: batch accepted an invalid item"),
        Err(kleroterion::Error::BatchVerificationFailed { index: Some(0), .. }) => {
            assert!(!valid, "{what}: batch rejected valid items")
        }
        Err(e) => panic!("{what}: batch must name the fuzzed item (index 0): {e:?}"),
    }
}

/// The ids of a verifier report's checks, in order.
pub fn check_ids(report: &kleroterion::report::Report) -> Vec<&'static str> {
    report.checks.iter().map(|c| c.id).collect()
}

/// The encoded beacon record of `test-vectors/beacon-chain.json`.
pub fn vector_beacon_record() -> Vec<u8> {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../test-vectors/beacon-chain.json"))
            .expect("beacon-chain.json parses");
    unhex(&file["record"])
}

/// The decoded beacon record of `test-vectors/beacon-chain.json`.
pub fn vector_beacon() -> &'static BeaconRecord {
    static CELL: std::sync::OnceLock<BeaconRecord> = std::sync::OnceLock::new();
    CELL.get_or_init(|| BeaconRecord::from_bytes(&vector_beacon_record()).expect("valid record"))
}

pub(crate) fn unhex(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("valid hex")
}

pub(crate) fn json_file(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("test vector JSON parses")
}

/// A target name and the function listing its seed inputs.
pub type SeedSource = (&'static str, fn() -> Vec<Vec<u8>>);

/// Seeds of every target, in the order of `cargo fuzz list`.
pub const SEEDS: &[SeedSource] = &[
    ("ballot", civic::ballot_seeds),
    ("beacon", seeds_beacon),
    ("credential", civic::credential_seeds),
    ("decode_records", seeds_decode_records),
    ("decode_scalar_point", seeds_decode_scalar_point),
    ("drand", drand::seeds),
    ("ecvrf", seeds_ecvrf),
    ("elgamal", seeds_elgamal),
    ("pool_draw", pool::seeds),
    ("proofs", seeds_proofs),
    ("record", civic::record_seeds),
    ("serde_json", seeds_serde_json),
    ("sortition", civic::sortition_seeds),
    ("trustees", seeds_trustees),
];

/// Reader script operations of the `decode_scalar_point` target.
pub mod ops {
    /// `Reader::header(Tag::SchnorrProof, &[1, 2])`.
    pub const HEADER: u8 = 0;
    /// `Reader::u8`.
    pub const U8: u8 = 1;
    /// `Reader::u32`.
    pub const U32: u8 = 2;
    /// `Reader::u64`.
    pub const U64: u8 = 3;
    /// `Reader::scalar`.
    pub const SCALAR: u8 = 4;
    /// `Reader::point`.
    pub const POINT: u8 = 5;
    /// `Reader::nonidentity_point`.
    pub const NONIDENTITY_POINT: u8 = 6;
    /// `Reader::len(32)`: a count of 32-byte items (the items are not read).
    pub const LEN: u8 = 7;
    /// `Reader::bytes`.
    pub const BYTES: u8 = 8;
    /// `Reader::array::<3>`.
    pub const ARRAY3: u8 = 9;
    /// Number of operations; other op bytes are taken modulo this.
    pub const COUNT: u8 = 10;
}

fn seeds_decode_scalar_point() -> Vec<Vec<u8>> {
    let file = json_file(include_str!("../../test-vectors/rfc9496.json"));
    let mut seeds: Vec<Vec<u8>> = ["multiples_of_generator", "invalid_encodings"]
        .iter()
        .flat_map(|k| file[*k]["vectors"].as_array().expect("vectors").clone())
        .map(|v| unhex(&v["encoding"]))
        .collect();
    let f = fixtures();
    let mut w = Writer::new();
    w.u8(ops::HEADER);
    w.header(Tag::SchnorrProof, 1);
    w.u8(ops::U8);
    w.u8(7);
    w.u8(ops::U32);
    w.u32(0xdead_beef);
    w.u8(ops::U64);
    w.u64(u64::MAX);
    w.u8(ops::SCALAR);
    w.scalar(&curve25519_dalek::scalar::Scalar::from(5u64));
    w.u8(ops::POINT);
    w.point(&f.schnorr_public);
    w.u8(ops::NONIDENTITY_POINT);
    w.point(&f.dleq_statement.h);
    w.u8(ops::LEN);
    w.u32(0);
    w.u8(ops::BYTES);
    w.bytes(b"kleroterion");
    w.u8(ops::ARRAY3);
    w.raw(b"abc");
    seeds.push(w.into_bytes());
    seeds
}

/// Every hex string (of at least two bytes) in every test-vector file.
fn seeds_decode_records() -> Vec<Vec<u8>> {
    const FILES: &[&str] = &[
        include_str!("../../test-vectors/beacon-chain.json"),
        include_str!("../../test-vectors/credential.json"),
        include_str!("../../test-vectors/election.json"),
        include_str!("../../test-vectors/elgamal.json"),
        include_str!("../../test-vectors/proofs.json"),
        include_str!("../../test-vectors/sortition.json"),
        include_str!("../../test-vectors/trustees.json"),
    ];
    fn collect(v: &serde_json::Value, out: &mut Vec<Vec<u8>>) {
        match v {
            serde_json::Value::String(s) => {
                if let Ok(bytes) = hex::decode(s) {
                    if bytes.len() >= 2 {
                        out.push(bytes);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| collect(x, out)),
            serde_json::Value::Object(map) => map.values().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut seeds = Vec::new();
    for text in FILES {
        collect(&json_file(text), &mut seeds);
    }
    seeds.sort();
    seeds.dedup();
    seeds
}

fn seeds_proofs() -> Vec<Vec<u8>> {
    let f = fixtures();
    vec![
        f.schnorr.to_bytes(),
        f.dleq.to_bytes(),
        f.disjunctive.to_bytes(),
    ]
}

fn seeds_elgamal() -> Vec<Vec<u8>> {
    let f = fixtures();
    let file = json_file(include_str!("../../test-vectors/elgamal.json"));
    let mut seeds: Vec<Vec<u8>> = file["encryptions"]
        .as_array()
        .expect("encryptions")
        .iter()
        .flat_map(|e| [unhex(&e["ciphertext"]), unhex(&e["rerandomized"])])
        .collect();
    seeds.push(unhex(&file["sum"]["ciphertext"]));
    seeds.push(unhex(&file["public_key"]));
    seeds.push(unhex(&file["sum"]["nonce"]));
    seeds.push(f.ciphertext.to_bytes());
    seeds.push(f.tally.to_bytes());
    seeds.push(f.keys.public().to_bytes());
    // DlogTable parameters: bound − 1 (u16), baby steps − 1 (u16), m (u64).
    let mut table = Vec::new();
    table.extend_from_slice(&999u16.to_le_bytes());
    table.extend_from_slice(&30u16.to_le_bytes());
    table.extend_from_slice(&777u64.to_le_bytes());
    seeds.push(table);
    seeds
}

fn seeds_trustees() -> Vec<Vec<u8>> {
    let f = fixtures();
    let t = &f.dkg;
    let mut seeds = vec![
        t.to_bytes(),
        f.trustees.to_bytes(),
        t.parameters.to_bytes(),
        DkgParameters::new(1, 1, b"").expect("1-of-1").to_bytes(),
    ];
    seeds.extend(t.round1.iter().map(Encode::to_bytes));
    seeds.extend(t.round2.iter().map(Encode::to_bytes));
    seeds.extend(t.complaints.iter().map(Encode::to_bytes));
    seeds.extend(f.partials.iter().map(Encode::to_bytes));
    seeds.extend(
        f.chained
            .round1_partials
            .iter()
            .map(|p| p.evaluation.to_bytes()),
    );
    seeds.extend(f.shares.iter().map(|s| s.to_secret_bytes().to_vec()));
    seeds
}

fn seeds_ecvrf() -> Vec<Vec<u8>> {
    let f = fixtures();
    let file = json_file(include_str!(
        "../../test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json"
    ));
    let mut seeds: Vec<Vec<u8>> = file["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .map(|v| [unhex(&v["pk"]), unhex(&v["pi"]), unhex(&v["alpha"])].concat())
        .collect();
    seeds.push(
        [
            f.vrf_key.to_bytes().as_slice(),
            f.vrf_proof.to_bytes().as_slice(),
            &f.vrf_alpha,
        ]
        .concat(),
    );
    seeds
}

fn seeds_beacon() -> Vec<Vec<u8>> {
    let f = fixtures();
    let mut seeds = vec![vector_beacon_record()];
    for chain in [&f.chained, &f.unchained] {
        seeds.push(chain.record.to_bytes());
        seeds.push(chain.record.parameters.to_bytes());
        seeds.extend(chain.record.rounds.iter().map(Encode::to_bytes));
        seeds.extend(chain.round1_partials.iter().map(Encode::to_bytes));
    }
    // Issue #16 (attack 2): trustee 1's partial relabelled with the index of
    // the first honest partial it is put in front of.
    let honest = &f.chained.round1_partials;
    if let (Some(first), Some(next)) = (honest.first(), honest.get(1)) {
        let mut garbage = first.clone();
        garbage.evaluation.index = next.evaluation.index;
        seeds.push(garbage.to_bytes());
    }
    seeds
}

fn seeds_serde_json() -> Vec<Vec<u8>> {
    let f = fixtures();
    let json = |v: &dyn erased::Json| v.json().into_bytes();
    let mut seeds = vec![
        json(&f.schnorr),
        json(&f.dleq),
        json(&f.disjunctive),
        json(f.keys.public()),
        json(&f.ciphertext),
        json(&f.dkg),
        json(&f.dkg.round1[0]),
        json(&f.dkg.round2[0]),
        json(&f.dkg.complaints[0]),
        json(&f.trustees),
        json(&f.partials[0]),
        json(&f.chained.round1_partials[0].evaluation),
        json(&f.chained.round1_partials[0]),
        json(&f.chained.record),
        json(&f.chained.record.parameters),
        json(&f.chained.record.rounds[0]),
        json(&f.chained.record.parameters.mode()),
        json(&f.vrf_key),
        json(&f.vrf_proof),
        json(&f.vrf_proof.proof_to_hash()),
    ];
    seeds.push(br#"{"not": ["a", "kleroterion", "value"], "n": -1e999}"#.to_vec());
    seeds
}

/// Object-safe JSON serialization, so the seed list can mix types.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("fixtures serialize")
        }
    }
}

/// An encoded ECVRF `(public key, proof, alpha)`.
pub type VrfTriple = (Vec<u8>, Vec<u8>, Vec<u8>);

/// Every ECVRF `(public key, proof, alpha)` known to be valid: the RFC 9381
/// vectors and the fixture. A fuzzed triple that verifies must be one of
/// these (nobody but the key holder can make another).
pub fn known_vrf_triples() -> &'static [VrfTriple] {
    static CELL: std::sync::OnceLock<Vec<VrfTriple>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let f = fixtures();
        let file = json_file(include_str!(
            "../../test-vectors/rfc9381-ecvrf-edwards25519-sha512-tai.json"
        ));
        let mut known: Vec<_> = file["vectors"]
            .as_array()
            .expect("vectors")
            .iter()
            .map(|v| (unhex(&v["pk"]), unhex(&v["pi"]), unhex(&v["alpha"])))
            .collect();
        known.push((
            f.vrf_key.to_bytes().to_vec(),
            f.vrf_proof.to_bytes().to_vec(),
            f.vrf_alpha.clone(),
        ));
        known
    })
}

/// Splits ECVRF target input into `(public key, proof, alpha)` bytes.
pub fn split_vrf_input(data: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let (pk, rest) = data.split_at_checked(ecvrf::PUBLIC_KEY_LEN)?;
    let (pi, alpha) = rest.split_at_checked(ecvrf::PROOF_LEN)?;
    Some((pk, pi, alpha))
}
