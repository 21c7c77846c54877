use super::*;
use alloc::vec;

/// quicknet's public key (drand/drand-client lib/defaults.ts).
const QUICKNET_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// quicknet round 2 (ChainSafe/forest src/beacon/signatures/tests.rs).
const QUICKNET_2: &str = "b6b6a585449b66eb12e875b64fcbab3799861a00e4dbf092d99e969a5eac57dd3f798acf61e705fe4f093db926626807";

fn bytes(h: &str) -> Vec<u8> {
    hex::decode(h).unwrap_or_default()
}

fn quicknet() -> DrandChain {
    let seed = bytes("f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e");
    let seed: [u8; 32] = seed.as_slice().try_into().unwrap_or([0; 32]);
    DrandChain::new(
        DrandScheme::UnchainedG1,
        &bytes(QUICKNET_KEY),
        3,
        1692803367,
        seed,
        "quicknet",
    )
    .expect("quicknet chain info")
}

#[test]
fn quicknet_round_verifies_and_chain_hash_is_drands() {
    let chain = quicknet();
    assert_eq!(
        hex::encode(chain.chain_hash().0),
        "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
    );
    let round = DrandRound {
        round: 2,
        signature: bytes(QUICKNET_2),
        previous_signature: None,
    };
    let out = chain.verify_round(&round).expect("round 2 verifies");
    assert_eq!(
        hex::encode(out.0),
        "5782d6987841c654515a0e72b2d1ebb4e741234042c37cb19608ae50d93fb60c"
    );
    assert_eq!(chain.round_time(1), Some(1692803367));
    assert_eq!(chain.round_time(2), Some(1692803370));
    assert_eq!(chain.round_time(0), None);
    assert_eq!(chain.round_time(u64::MAX), None);
}

#[test]
fn bad_points_are_rejected_with_typed_errors() {
    let sig = bytes(QUICKNET_2);
    assert!(matches!(
        decode_g1(&sig[..47], "s"),
        Err(Error::InvalidLength {
            expected: 48,
            actual: 47,
            ..
        })
    ));
    // The compressed identity: flags 0b11 (compressed, infinity), all zero.
    let mut identity = [0u8; 48];
    identity[0] = 0xc0;
    assert_eq!(decode_g1(&identity, "s"), Err(Error::IdentityPoint));
    let mut identity2 = [0u8; 96];
    identity2[0] = 0xc0;
    assert_eq!(decode_g2(&identity2, "s"), Err(Error::IdentityPoint));
    // Uncompressed flag cleared: not a compressed encoding.
    let mut flags = sig.clone();
    flags[0] &= 0x7f;
    assert_eq!(decode_g1(&flags, "s"), Err(Error::InvalidPoint));
    // x = p (non-canonical): p's big-endian bytes with the compression flag.
    let mut p = bytes("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
    if let Some(b) = p.first_mut() {
        *b |= 0x80;
    }
    assert_eq!(decode_g1(&p, "s"), Err(Error::InvalidPoint));
    // x = 0 with the compression flag: y² = 4 has roots, but (0, ±2) is
    // not in the prime-order subgroup.
    let mut zero = [0u8; 48];
    zero[0] = 0x80;
    assert_eq!(decode_g1(&zero, "s"), Err(Error::InvalidPoint));
    // A changed byte is (with overwhelming probability) off the curve or
    // out of the subgroup, or a different point that fails to verify.
    let mut flipped = sig.clone();
    flipped[47] ^= 1;
    let round = DrandRound {
        round: 2,
        signature: flipped,
        previous_signature: None,
    };
    assert!(quicknet().verify_round(&round).is_err());
}

#[test]
fn malformed_rounds_are_rejected() {
    let chain = quicknet();
    let mut round = DrandRound {
        round: 0,
        signature: bytes(QUICKNET_2),
        previous_signature: None,
    };
    assert!(matches!(
        chain.verify_round(&round),
        Err(Error::InvalidParameter { .. })
    ));
    round.round = 2;
    round.previous_signature = Some(vec![0; 96]);
    assert!(matches!(
        chain.verify_round(&round),
        Err(Error::InvalidParameter { .. })
    ));
    round.previous_signature = None;
    round.round = 3;
    assert_eq!(
        chain.verify_round(&round),
        Err(Error::VerificationFailed {
            proof: "drand round signature"
        })
    );
    assert!(matches!(
        DrandScheme::from_name("pedersen-bls-unchained"),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(DrandChain::new(
        DrandScheme::Chained,
        &bytes(QUICKNET_KEY),
        3,
        0,
        [0; 32],
        ""
    )
    .is_err());
    assert!(DrandChain::new(
        DrandScheme::UnchainedG1,
        &bytes(QUICKNET_KEY),
        0,
        0,
        [0; 32],
        ""
    )
    .is_err());
}
