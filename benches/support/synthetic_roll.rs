//! Synthetic roll entries for the roll-commitment benches and the
//! `roll_root` example: the entries are generated on the fly (never stored)
//! so that a 10^8-entry root measures hashing, not memory.

use kleroterion::roll::{leaf_hash, Digest};

/// The number of `region` values (strata) of the synthetic roll.
pub const STRATA: u64 = 10;

/// The canonical encoding of synthetic entry `i`:
/// `0x30 0x01 ‖ key(32) ‖ u32 1 ‖ u32 6 "region" ‖ u32 2 "rN"`, the key
/// being `i` big-endian (so the roll is sorted) followed by zeros.
pub fn synthetic_leaf(i: u64) -> Digest {
    let mut enc = [0u8; 2 + 32 + 4 + 4 + 6 + 4 + 2];
    enc[..2].copy_from_slice(&[0x30, 0x01]);
    enc[2..10].copy_from_slice(&i.to_be_bytes());
    enc[34..38].copy_from_slice(&1u32.to_le_bytes());
    enc[38..42].copy_from_slice(&6u32.to_le_bytes());
    enc[42..48].copy_from_slice(b"region");
    enc[48..52].copy_from_slice(&2u32.to_le_bytes());
    enc[52] = b'r';
    enc[53] = b'0' + (i % STRATA) as u8;
    leaf_hash(&enc)
}
