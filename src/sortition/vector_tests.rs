//! The known-answer vectors of `test-vectors/sortition.json` (format version
//! 2, described in test-vectors/README.md): every draw object in exactly the
//! JSON of the records (spec/json.md §4), written through the record types,
//! with the binary encodings and hashes a verifier recomputes from them.

use super::fair_tests::feature;
use super::tests::{output, roll};
use super::*;
use crate::encoding::Decode;
use crate::fairness::{AllocationList, FeatureQuotas, ALLOCATIONS_DOMAIN, CELL_PICK_DOMAIN};
use crate::roll::{roll_digest, Attribute};
use alloc::format;
use alloc::string::ToString;
use alloc::vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use sha3::digest::{ExtendableOutput, Update, XofReader};

/// The `version` of the vector file's format: 2 since every object has its
/// record form (version 1, unnumbered, had shapes of its own).
const FORMAT_VERSION: u32 = 2;

const VECTORS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/sortition.json");

/// The beacon round every vector names.
const ROUND: u64 = 9;

/// The chain hash of drand's default mainnet network (spec/beacon.md §3.2),
/// named by the drand vector's announcement.
const DRAND_MAINNET: &str = "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce";

/// The file, members in this order.
#[derive(serde::Serialize)]
struct VectorFile {
    source: &'static str,
    version: u32,
    leaf_domain: &'static str,
    seed_domain: &'static str,
    stream_domain: &'static str,
    announcement_domain: &'static str,
    allocations_domain: &'static str,
    pick_domain: &'static str,
    vectors: Vec<Vector>,
}

/// One draw: its inputs and what a verifier recomputes from them.
#[derive(serde::Serialize)]
struct Vector {
    name: &'static str,
    /// The roll in canonical order, each entry in its record form.
    roll: Vec<RollEntry>,
    announcement: DrawAnnouncement,
    beacon_output: BeaconOutput,
    /// A feature draw's committed allocation list (the organiser's input);
    /// `null` otherwise.
    allocations: Option<AllocationList>,
    expected: Expected,
}

#[derive(serde::Serialize)]
struct Expected {
    /// hex of the tag-0x32 encoding the seed and the hash take.
    announcement_encoding: String,
    announcement_hash: crate::roll::Digest,
    seed: crate::roll::Digest,
    features: Option<FeatureExpected>,
    /// The selection record the draw writes (its `announcement` is the
    /// vector's).
    selection: SelectionRecord,
}

#[derive(serde::Serialize)]
struct FeatureExpected {
    /// hex of the tag-0x35 encoding of the announcement's feature quotas.
    quotas_encoding: String,
    /// hex of the tag-0x36 encoding of the allocation list.
    allocations_encoding: String,
    /// The list commitment, equal to the announcement's `allocations`.
    allocations_commitment: crate::roll::Digest,
    /// The picked allocation's index.
    pick: u32,
}

/// `n` citizens for the feature vectors, keys `(24·10^6 + i)·G`: gender
/// `g{i mod 2}`, age `a{(i / 2) mod 3}`, household `h{i / 2}` (citizens
/// `2j` and `2j + 1` share one, of either gender).
fn feature_roll(n: u64) -> Vec<RollEntry> {
    let mut v: Vec<RollEntry> = (1..=n)
        .map(|i| {
            let s = Scalar::from(24_000_000 + i);
            let key = CitizenKey::from_point(&(&s * RISTRETTO_BASEPOINT_TABLE)).unwrap();
            let attrs = vec![
                Attribute::new("gender", format!("g{}", i % 2)).unwrap(),
                Attribute::new("age", format!("a{}", (i / 2) % 3)).unwrap(),
                Attribute::new("home", format!("h{}", i / 2)).unwrap(),
            ];
            RollEntry::new(key, attrs).unwrap()
        })
        .collect();
    v.sort_by_key(|e| *e.key());
    v
}

/// Four seats, two per gender, one or two per age band, the first citizen
/// excluded; the lottery is every feasible allocation, in lexicographic
/// order.
fn feature_draw(entries: &[RollEntry], household: bool) -> (DrawParams, AllocationList) {
    let q = FeatureQuotas::new(
        4,
        vec![
            feature("gender", &[("g0", 2, 2), ("g1", 2, 2)]),
            feature("age", &[("a0", 1, 2), ("a1", 1, 2), ("a2", 1, 2)]),
        ],
        household.then(|| "home".to_string()),
    )
    .unwrap();
    let exclusions = vec![*entries[0].key()];
    let cells = q.census(entries, &exclusions).unwrap();
    let list = AllocationList::enumerate(&q.problem(&cells).unwrap(), 1000).unwrap();
    let params = DrawParams::new(
        None,
        Quotas::Features(FeatureLottery::new(q, &list)),
        1,
        exclusions,
        None,
    )
    .unwrap();
    (params, list)
}

/// One vector: the announcement (polity `health@eu/fr`, assembly
/// `health-fr`, round [`ROUND`], beacon output [`output`]`(ROUND)`), the
/// draw and its record.
fn vector(
    name: &'static str,
    entries: Vec<RollEntry>,
    params: DrawParams,
    year: u32,
    beacon_chain: BeaconChain,
    allocations: Option<AllocationList>,
) -> Vector {
    let a = DrawAnnouncement {
        polity: PolityId::new("health@eu/fr").unwrap(),
        assembly: AssemblyId::new("health-fr").unwrap(),
        year,
        roll: roll_digest(&entries).unwrap(),
        beacon_chain,
        beacon_round: ROUND,
        params,
    };
    let out = output(ROUND);
    let mut beacon = VerifiedRounds::new();
    beacon.insert_verified(ROUND, out);
    let census = Census::scan(&entries, &a.params).unwrap();
    let seed = derive_seed(&a, &out);
    let (selection, features) = match (&allocations, a.params.features()) {
        (Some(list), Some(lottery)) => {
            let rec =
                SelectionRecord::create_features(&a, &beacon, &census, list, || entries.iter())
                    .unwrap();
            let f = FeatureExpected {
                quotas_encoding: hex::encode(lottery.quotas.to_bytes()),
                allocations_encoding: hex::encode(list.to_bytes()),
                allocations_commitment: list.commitment(),
                pick: crate::fairness::pick(&seed, list.len()).unwrap(),
            };
            (rec, Some(f))
        }
        (None, None) => (
            SelectionRecord::create(&a, &beacon, &census, &entries).unwrap(),
            None,
        ),
        _ => unreachable!("a list exactly for a feature draw"),
    };
    Vector {
        name,
        roll: entries,
        expected: Expected {
            announcement_encoding: hex::encode(a.to_bytes()),
            announcement_hash: a.hash(),
            seed,
            features,
            selection,
        },
        announcement: a,
        beacon_output: out,
        allocations,
    }
}

/// The generator of `test-vectors/sortition.json`: six draws on fixed rolls
/// (keys `(s·10^6 + i)·G`) with the beacon output [`output`]`(9)`, as the
/// file's pretty-printed text.
fn generate_vectors() -> String {
    let kleroterion = BeaconChain::Kleroterion(crate::roll::Digest([0xbe; 32]));
    let drand = BeaconChain::Drand(crate::roll::Digest(
        hex::decode(DRAND_MAINNET).unwrap().try_into().unwrap(),
    ));
    let unstratified =
        || DrawParams::new(None, Quotas::Proportional { seats: 4 }, 2, vec![], None).unwrap();
    let r2 = roll(40, 3, 22);
    let ex2: Vec<CitizenKey> = vec![*r2[3].key(), *r2[17].key()];
    let explicit = DrawParams::new(
        Some("age".into()),
        Quotas::Explicit(vec![
            StratumQuota {
                value: b"a0".to_vec(),
                seats: 2,
            },
            StratumQuota {
                value: b"a1".to_vec(),
                seats: 3,
            },
        ]),
        1,
        vec![],
        Some(TermSchedule::new(15, 5, 3, 2026).unwrap()),
    )
    .unwrap();
    let proportional = DrawParams::new(
        Some("region".into()),
        Quotas::Proportional { seats: 7 },
        2,
        ex2,
        None,
    )
    .unwrap();
    let f_roll = feature_roll(24);
    let (f_params, f_list) = feature_draw(&f_roll, false);
    let (h_params, h_list) = feature_draw(&f_roll, true);
    let vectors = vec![
        vector(
            "unstratified",
            roll(12, 1, 21),
            unstratified(),
            2027,
            kleroterion,
            None,
        ),
        vector(
            "proportional-strata-with-exclusions",
            r2,
            proportional,
            2027,
            kleroterion,
            None,
        ),
        vector(
            "explicit-quotas-staggered-terms",
            roll(30, 3, 23),
            explicit,
            2028,
            kleroterion,
            None,
        ),
        vector(
            "unstratified-drand",
            roll(12, 1, 21),
            unstratified(),
            2027,
            drand,
            None,
        ),
        vector(
            "features",
            f_roll.clone(),
            f_params,
            2027,
            kleroterion,
            Some(f_list),
        ),
        vector(
            "features-households",
            f_roll,
            h_params,
            2027,
            kleroterion,
            Some(h_list),
        ),
    ];
    let file = VectorFile {
        source: "kleroterion sortition known-answer vectors (spec/sortition.md, spec/json.md §4); generated by generate_vectors() in src/sortition/vector_tests.rs",
        version: FORMAT_VERSION,
        leaf_domain: core::str::from_utf8(crate::roll::LEAF_DOMAIN).unwrap(),
        seed_domain: core::str::from_utf8(SEED_DOMAIN).unwrap(),
        stream_domain: core::str::from_utf8(STREAM_DOMAIN).unwrap(),
        announcement_domain: core::str::from_utf8(ANNOUNCEMENT_DOMAIN).unwrap(),
        allocations_domain: core::str::from_utf8(ALLOCATIONS_DOMAIN).unwrap(),
        pick_domain: core::str::from_utf8(CELL_PICK_DOMAIN).unwrap(),
        vectors,
    };
    serde_json::to_string_pretty(&file).unwrap() + "\n"
}

/// `lp(x)`: `u32le(len) ‖ x`, the length prefix of every hashed string.
fn lp(h: &mut impl Update, x: &[u8]) {
    h.update(&(x.len() as u32).to_le_bytes());
    h.update(x);
}

/// `below(n)` of spec/sortition.md §4.3, read literally: 8 bytes at a time,
/// rejecting values at or above the largest multiple of `n`.
fn below(xof: &mut impl XofReader, n: u64) -> u64 {
    loop {
        let mut b = [0u8; 8];
        xof.read(&mut b);
        let x = u64::from_le_bytes(b) as u128;
        let limit = (1u128 << 64) - (1u128 << 64) % n as u128;
        if x < limit {
            return (x % n as u128) as u64;
        }
    }
}

fn sha3_lp(parts: &[&[u8]], raw: &[&[u8]]) -> String {
    let mut h = Sha3_256::new();
    for p in parts {
        sha3::Digest::update(&mut h, (p.len() as u32).to_le_bytes());
        sha3::Digest::update(&mut h, p);
    }
    for r in raw {
        sha3::Digest::update(&mut h, r);
    }
    hex::encode(h.finalize())
}

fn unhex(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

#[test]
fn known_answer_vectors() {
    let text = std::fs::read_to_string(VECTORS_PATH).expect("test-vectors/sortition.json");
    assert!(
        text == generate_vectors(),
        "the draw or its JSON changed: test-vectors/sortition.json no longer matches"
    );
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], FORMAT_VERSION);
    // The inputs alone determine the outputs: read them with the record
    // types' readers and recompute each value from the spec.
    let (mut drawn, mut features) = (0, 0);
    for v in file["vectors"].as_array().unwrap() {
        let entries: Vec<RollEntry> = serde_json::from_value(v["roll"].clone()).unwrap();
        let a: DrawAnnouncement = serde_json::from_value(v["announcement"].clone()).unwrap();
        let x = &v["expected"];
        let sel: SelectionRecord = serde_json::from_value(x["selection"].clone()).unwrap();
        assert_eq!(roll_digest(&entries).unwrap(), a.roll);
        let enc = unhex(&x["announcement_encoding"]);
        assert_eq!(enc, a.to_bytes());
        assert_eq!(
            sha3_lp(&[ANNOUNCEMENT_DOMAIN], &[&enc]),
            x["announcement_hash"]
        );
        let out = unhex(&v["beacon_output"]);
        let seed = sha3_lp(&[SEED_DOMAIN], &[&enc, &out]);
        assert_eq!(seed, x["seed"]);
        assert_eq!(x["selection"]["seed"], x["seed"]);
        let seed: [u8; 32] = hex::decode(&seed).unwrap().try_into().unwrap();
        let mut beacon = VerifiedRounds::new();
        beacon.insert_verified(a.beacon_round, BeaconOutput(out.try_into().unwrap()));
        // Every draw check passes; a feature draw's certificate checks are
        // not checked, since the vectors carry no certificate (§10.8).
        let report = sel.verify_with_roll(&a, &beacon, &entries);
        for c in &report.checks {
            assert!(
                c.passed() || (c.id.starts_with('F') && !c.failed()),
                "{}: {:?}",
                c.id,
                c.outcome
            );
        }
        match a.params.features() {
            None => assert!(x["features"].is_null() && v["allocations"].is_null()),
            Some(lottery) => {
                check_features(v, lottery, &seed);
                features += 1;
            }
        }
        // Without households every cell draws as a stratum (§10.4).
        if a.params
            .features()
            .is_none_or(|f| f.quotas.household().is_none())
        {
            drawn += reference_draw(&a, &x["selection"], &entries, &seed);
        }
    }
    // 4 + 2, 7 + 6, 5 + 2, 4 + 2 drawn in the four single-attribute draws,
    // 4 + 3 in the feature draw without households.
    assert_eq!((drawn, features), (39, 2));
}

/// A feature vector: the 0x35 and 0x36 encodings decode to the
/// announcement's quotas and the list, the commitment and the pick are the
/// spec's (§10.3, §10.4) recomputed literally, and the record carries them.
fn check_features(v: &serde_json::Value, lottery: &FeatureLottery, seed: &[u8; 32]) {
    let f = &v["expected"]["features"];
    let list: AllocationList = serde_json::from_value(v["allocations"].clone()).unwrap();
    let quotas_enc = unhex(&f["quotas_encoding"]);
    assert_eq!(quotas_enc[..2], [0x35, 0x01]);
    assert_eq!(
        FeatureQuotas::from_bytes(&quotas_enc).unwrap(),
        lottery.quotas
    );
    let list_enc = unhex(&f["allocations_encoding"]);
    assert_eq!(list_enc[..2], [0x36, 0x01]);
    assert_eq!(AllocationList::from_bytes(&list_enc).unwrap(), list);
    let commitment = sha3_lp(&[ALLOCATIONS_DOMAIN], &[&list_enc]);
    assert_eq!(commitment, f["allocations_commitment"]);
    assert_eq!(hex::encode(lottery.allocations.0), commitment);
    assert_eq!(u64::from(lottery.m), list.allocations().len() as u64);
    let mut x = Shake256::default();
    lp(&mut x, CELL_PICK_DOMAIN);
    lp(&mut x, seed);
    let pick = below(&mut x.finalize_xof(), u64::from(lottery.m));
    assert_eq!(f["pick"], pick);
    let recorded = &v["expected"]["selection"]["lottery"];
    assert_eq!(recorded["pick"], pick);
    assert_eq!(recorded["allocations"], v["allocations"]);
    // The cells' quotas are the picked allocation's seats.
    let picked = &list.allocations()[pick as usize];
    let strata = v["expected"]["selection"]["strata"].as_array().unwrap();
    let quotas: Vec<u64> = strata
        .iter()
        .map(|s| s["quota"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = picked.iter().map(|&s| u64::from(s)).collect();
    assert_eq!(quotas, expected);
    if lottery.quotas.household().is_some() {
        assert!(
            strata.iter().any(|s| s.get("skipped").is_some()),
            "the household vector shows a skipped entry"
        );
    }
}

/// An independent, literal reading of spec/sortition.md §4.2–§5 (a dense
/// Fisher–Yates array, SHAKE256 read 8 bytes at a time, ranks mapped to
/// roll positions by counting) checked against a vector's selection record
/// (in its JSON form); returns the number of drawn entries checked.
fn reference_draw(
    a: &DrawAnnouncement,
    selection: &serde_json::Value,
    entries: &[RollEntry],
    seed: &[u8; 32],
) -> usize {
    let mut checked = 0;
    let reserve = u64::from(a.params.reserve);
    for s in selection["strata"].as_array().unwrap() {
        let value = unhex(&s["count"]["value"]);
        // Eligible members of the stratum, in roll order, with their positions.
        let members: Vec<(u64, String)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| stratum_value(a, e) == value)
            .filter(|(_, e)| !a.params.exclusions.contains(e.key()))
            .map(|(i, e)| (i as u64, hex::encode(e.key().as_bytes())))
            .collect();
        let e = members.len() as u64;
        assert_eq!(s["count"]["eligible"].as_u64().unwrap(), e);
        let q = s["quota"].as_u64().unwrap();
        let k = if q == 0 { 0 } else { q + reserve.min(e - q) };
        let mut x = Shake256::default();
        for part in [STREAM_DOMAIN, &seed[..], &value] {
            lp(&mut x, part);
        }
        let mut xof = x.finalize_xof();
        let mut perm: Vec<u64> = (0..e).collect();
        let mut out = Vec::new();
        for j in 0..k {
            let r = j + below(&mut xof, e - j);
            perm.swap(j as usize, r as usize);
            out.push(perm[j as usize]);
        }
        let listed: Vec<(u64, u64, String)> = ["selected", "reserve"]
            .iter()
            .flat_map(|l| s[*l].as_array().unwrap().iter())
            .map(|d| {
                (
                    d["rank"].as_u64().unwrap(),
                    d["proof"]["index"].as_u64().unwrap(),
                    d["entry"]["key"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(listed.len() as u64, k);
        for (rank, (r, index, key)) in out.iter().zip(&listed) {
            assert_eq!(rank, r);
            assert_eq!(members[*rank as usize], (*index, key.clone()));
            checked += 1;
        }
    }
    checked
}

/// An entry's stratum value, literally: the `stratify_by` attribute's value
/// (empty without one, §3), or for a feature draw its cell value, the
/// index of its category in each feature as `u16be` (§10.2).
fn stratum_value(a: &DrawAnnouncement, e: &RollEntry) -> Vec<u8> {
    match a.params.features() {
        Some(f) => f
            .quotas
            .features()
            .iter()
            .flat_map(|feature| {
                let v = e.attribute(&feature.label).unwrap();
                let c = feature
                    .categories
                    .iter()
                    .position(|c| c.value == v)
                    .unwrap();
                (c as u16).to_be_bytes()
            })
            .collect(),
        None => a
            .params
            .stratify_by
            .as_deref()
            .map_or(Vec::new(), |l| e.attribute(l).unwrap().to_vec()),
    }
}

/// Rewrites test-vectors/sortition.json: `cargo test --all-features --lib
/// write_sortition_vectors -- --ignored`. Only after an intended change of
/// the spec.
#[test]
#[ignore]
fn write_sortition_vectors() {
    std::fs::write(VECTORS_PATH, generate_vectors()).unwrap();
}
