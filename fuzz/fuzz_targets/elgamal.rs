//! ElGamal keys, nonces, ciphertexts and baby-step giant-step logs.
//!
//! * `PublicKey`, `Nonce` and `Ciphertext` decoders round-trip byte for byte.
//! * A decoded ciphertext: the fixed table's `solve` on `β` and the fixed
//!   key's `decrypt` return only true logarithms below the bound;
//!   `validate_fresh` agrees with `α ≠ O`; homomorphic operations with the
//!   fixture ciphertext and `verify_opening` do not panic.
//! * The first 12 bytes as `(bound − 1, baby steps − 1, m)`: a table built
//!   with those parameters (bound ≤ 1024) either rejects them or finds `m`
//!   exactly when `m < bound`.
#![no_main]

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use kleroterion::elgamal::{Ciphertext, DlogTable, Nonce, PublicKey};
use kleroterion::error::Error;
use kleroterion_fuzz::fixtures::{fixtures, DLOG_BOUND};
use kleroterion_fuzz::roundtrip;
use libfuzzer_sys::fuzz_target;

fn check_log(point: &RistrettoPoint, found: Result<u64, Error>, bound: u64) {
    match found {
        Ok(m) => {
            assert!(m < bound, "log {m} outside the bound {bound}");
            assert_eq!(RistrettoPoint::mul_base(&Scalar::from(m)), *point);
        }
        Err(e) => assert_eq!(e, Error::DiscreteLogNotFound { bound }),
    }
}

fn table(data: &[u8]) {
    let Some(params) = data.get(..12) else { return };
    let (b, rest) = params.split_at(2);
    let (s, m) = rest.split_at(2);
    let bound = 1 + u64::from(u16::from_le_bytes([b[0], b[1]]) % 1024);
    let steps = 1 + u64::from(u16::from_le_bytes([s[0], s[1]]));
    let m = u64::from_le_bytes(m.try_into().expect("8 bytes")) % (bound + 64);
    let Ok(table) = DlogTable::with_baby_steps(bound, steps) else {
        assert!(steps > bound, "valid parameters rejected");
        return;
    };
    assert_eq!(table.bound(), bound);
    let point = RistrettoPoint::mul_base(&Scalar::from(m));
    let found = table.solve(&point);
    if m < bound {
        assert_eq!(found, Ok(m));
    } else {
        check_log(&point, found, bound);
    }
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    if let Some(pk) = roundtrip::<PublicKey>(data) {
        assert!(!pk.point().is_identity());
    }
    if let Some(nonce) = roundtrip::<Nonce>(data) {
        let _ = f
            .ciphertext
            .verify_opening(f.keys.public(), &Scalar::ONE, &nonce);
    }
    if let Some(ct) = roundtrip::<Ciphertext>(data) {
        assert_eq!(ct.validate_fresh().is_ok(), !ct.alpha.is_identity());
        check_log(&ct.beta, f.table.solve(&ct.beta), DLOG_BOUND);
        let plain = f.keys.secret().decrypt_to_point(&ct);
        check_log(&plain, f.keys.secret().decrypt(&ct, &f.table), DLOG_BOUND);
        let sum = ct + f.ciphertext;
        assert_eq!(sum - f.ciphertext, ct);
        let _ = ct.rerandomize_with_nonce(f.keys.public(), &Scalar::ONE);
    }
    table(data);
});
