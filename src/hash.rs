//! Hashing to ristretto255 (spec/encoding.md §Hash to group).
//!
//! Protocols that need a group element with unknown discrete logarithm (the
//! linking-tag base `H(context)` of credentials, the round base of the
//! threshold beacon, independent generators) derive it with
//! [`hash_to_point`], which is `hash_to_ristretto255` of RFC 9380 / RFC 9496
//! §4.3.4 for the suite `ristretto255_XMD:SHA-512_R255MAP_RO_`:
//!
//! ```text
//! uniform = expand_message_xmd(SHA-512, msg, DST, 64)   (RFC 9380 §5.3.1)
//! P       = ristretto255 element derivation(uniform)   (RFC 9496 §4.3.4)
//! ```
//!
//! Every call site uses its own domain-separation tag (DST), registered in
//! the spec, so that points derived for different purposes are independent.
//!
//! # Example
//!
//! ```
//! use kleroterion::hash::hash_to_point;
//!
//! // Independent points for independent purposes: the DST separates them.
//! let a = hash_to_point(b"example-dst-a", b"context");
//! assert_eq!(a, hash_to_point(b"example-dst-a", b"context"));
//! assert_ne!(a, hash_to_point(b"example-dst-b", b"context"));
//! assert_ne!(a, hash_to_point(b"example-dst-a", b"other context"));
//! ```

use curve25519_dalek::ristretto::RistrettoPoint;
use sha2::{Digest, Sha512};

/// Output size of SHA-512 in bytes (`b_in_bytes` in RFC 9380).
const B_IN_BYTES: usize = 64;
/// Input block size of SHA-512 in bytes (`s_in_bytes` in RFC 9380).
const S_IN_BYTES: usize = 128;

/// `expand_message_xmd` with SHA-512 (RFC 9380 §5.3.1) producing `LEN`
/// uniform bytes.
///
/// `LEN` is a compile-time constant of at most 255 × 64 bytes, so the only
/// failure condition of the RFC (`ell > 255`) cannot occur at run time; a
/// larger `LEN` fails to compile. Tags longer than 255 bytes are first
/// hashed as RFC 9380 §5.3.3 prescribes.
pub fn expand_message_xmd<const LEN: usize>(msg: &[u8], dst: &[u8]) -> [u8; LEN] {
    const { assert!(LEN <= 255 * B_IN_BYTES && LEN > 0) };
    let hashed_dst;
    let dst: &[u8] = if dst.len() > 255 {
        hashed_dst = Sha512::new()
            .chain_update(b"H2C-OVERSIZE-DST-")
            .chain_update(dst)
            .finalize();
        &hashed_dst
    } else {
        dst
    };
    // Both fit in a byte by the checks above.
    let dst_len = [dst.len() as u8];
    let ell = LEN.div_ceil(B_IN_BYTES);

    let b0 = Sha512::new()
        .chain_update([0u8; S_IN_BYTES])
        .chain_update(msg)
        .chain_update((LEN as u16).to_be_bytes())
        .chain_update([0u8])
        .chain_update(dst)
        .chain_update(dst_len)
        .finalize();

    let mut out = [0u8; LEN];
    let mut prev = [0u8; B_IN_BYTES];
    for (i, chunk) in (1..=ell).zip(out.chunks_mut(B_IN_BYTES)) {
        let mut input = [0u8; B_IN_BYTES];
        for ((x, a), b) in input.iter_mut().zip(b0.iter()).zip(prev.iter()) {
            *x = a ^ b;
        }
        let bi = Sha512::new()
            .chain_update(if i == 1 { &b0[..] } else { &input[..] })
            .chain_update([i as u8])
            .chain_update(dst)
            .chain_update(dst_len)
            .finalize();
        prev.copy_from_slice(&bi);
        for (o, b) in chunk.iter_mut().zip(bi.iter()) {
            *o = *b;
        }
    }
    out
}

/// `hash_to_ristretto255(msg, DST)`: a uniformly distributed point whose
/// discrete logarithm to any other point is unknown.
pub fn hash_to_point(dst: &[u8], msg: &[u8]) -> RistrettoPoint {
    RistrettoPoint::from_uniform_bytes(&expand_message_xmd::<64>(msg, dst))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9380 Appendix K.3, expand_message_xmd(SHA-512),
    /// DST = "QUUX-V01-CS02-with-expander-SHA512-256".
    #[test]
    fn rfc9380_k3_vectors() {
        let dst = b"QUUX-V01-CS02-with-expander-SHA512-256";
        assert_eq!(
            hex::encode(expand_message_xmd::<32>(b"", dst)),
            "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"
        );
        assert_eq!(
            hex::encode(expand_message_xmd::<32>(b"abc", dst)),
            "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"
        );
        assert_eq!(
            hex::encode(expand_message_xmd::<128>(b"abc", dst)),
            "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11\
             bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134\
             7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843\
             1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1"
        );
    }

    /// The hash-to-curve draft's reference vectors for SHA-512 with a
    /// 38-byte tag (poc/vectors/expand_message_xmd_SHA512_38.json).
    #[test]
    fn draft_reference_vectors() {
        let dst = b"QUUX-V01-CS02-with-expander-SHA256-256";
        assert_eq!(
            hex::encode(expand_message_xmd::<32>(b"abcdef0123456789", dst)),
            "16be288c9bc35efcd169a7d2ecc3d256934c1cd6ff3e8fc99ff033c8a8794f2f"
        );
        assert_eq!(
            hex::encode(expand_message_xmd::<128>(b"", dst)),
            "f0cf98375ce58cfa0935af5b25d29205a51954b154e6b8c1fd45975bdc10b5c4\
             fe36ef746a424778cf7bbb2c5acb4bccbc0f300cac75a500dfc42711d1d79f1e\
             3496f346f30a590508837ad5d78d1ac6fb0923ff61f3c8ecc15cc1b3bd845748\
             2611b89709aa4552d9e3d044667b8ed14430f2865ebf53ee6daabfccfd2cd041"
        );
    }

    #[test]
    fn domain_separation() {
        assert_ne!(hash_to_point(b"a", b"x"), hash_to_point(b"b", b"x"));
        assert_ne!(hash_to_point(b"a", b"x"), hash_to_point(b"a", b"y"));
        assert_eq!(hash_to_point(b"a", b"x"), hash_to_point(b"a", b"x"));
        let long = [7u8; 300];
        assert_ne!(
            hash_to_point(&long, b"x"),
            hash_to_point(&long[..299], b"x")
        );
    }
}
