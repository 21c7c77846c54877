//! Scalars, points and every `Reader` operation.
//!
//! * `decode_scalar`, `decode_point`, `decode_nonidentity_point` and
//!   `EncodedPoint::from_bytes` on the input and on its bytes 1..33: no panic,
//!   agreement with each other, and decode→encode is the identity.
//! * The input as a script of `Reader` operations (`op byte ‖ operand`,
//!   see `kleroterion_fuzz::ops`): whatever was read, written back with the
//!   matching `Writer` operation, reproduces the bytes consumed.
//! * `hash_to_point` on arbitrary domain-separation tags and messages.
#![no_main]

use kleroterion::encoding::{
    decode_nonidentity_point, decode_point, decode_scalar, encode_point, Reader, Tag, Writer,
};
use kleroterion::error::Error;
use kleroterion::proofs::EncodedPoint;
use kleroterion_fuzz::ops;
use libfuzzer_sys::fuzz_target;

fn elements(bytes: &[u8]) {
    if let Ok(s) = decode_scalar(bytes) {
        assert_eq!(s.as_bytes().as_slice(), bytes);
    }
    let point = decode_point(bytes);
    let encoded = EncodedPoint::from_bytes(bytes);
    assert_eq!(point.is_ok(), encoded.is_ok());
    match decode_nonidentity_point(bytes) {
        Ok(p) => assert_eq!(point, Ok(p)),
        Err(Error::IdentityPoint) => assert!(encoded.as_ref().is_ok_and(|e| e.is_identity())),
        Err(e) => assert_eq!(point, Err(e)),
    }
    if let Ok(p) = point {
        assert_eq!(encode_point(&p).as_slice(), bytes);
        let e = encoded.expect("agrees with decode_point");
        assert_eq!(e.point(), &p);
        assert_eq!(e.encoding().as_bytes().as_slice(), bytes);
    }
}

/// Runs the script; returns the bytes written for the operations that
/// succeeded and how many input bytes those consumed.
fn script(data: &[u8]) -> (Vec<u8>, usize) {
    let mut r = Reader::new(data);
    let mut w = Writer::new();
    loop {
        let consumed = data.len() - r.remaining();
        let Ok(op) = r.u8("op") else {
            return (w.into_bytes(), consumed);
        };
        let mut step = Writer::new();
        step.u8(op);
        let ok = match op % ops::COUNT {
            ops::HEADER => r
                .header(Tag::SchnorrProof, &[1, 2], "header")
                .map(|v| step.header(Tag::SchnorrProof, v)),
            ops::U8 => r.u8("u8").map(|v| step.u8(v)),
            ops::U32 => r.u32("u32").map(|v| step.u32(v)),
            ops::U64 => r.u64("u64").map(|v| step.u64(v)),
            ops::SCALAR => r.scalar().map(|s| step.scalar(&s)),
            ops::POINT => r.point().map(|p| step.point(&p)),
            ops::NONIDENTITY_POINT => r.nonidentity_point().map(|p| step.point(&p)),
            ops::LEN => r.len(32, "len").map(|n| {
                assert!(n.saturating_mul(32) <= r.remaining());
                step.len(n)
            }),
            ops::BYTES => r.bytes("bytes").map(|b| step.bytes(b)),
            _ => r.array::<3>("array").map(|a| step.raw(&a)),
        };
        if ok.is_err() {
            return (w.into_bytes(), consumed);
        }
        w.raw(&step.into_bytes());
    }
}

fuzz_target!(|data: &[u8]| {
    elements(data);
    if let Some(window) = data.get(1..33) {
        elements(window);
    }
    let (written, consumed) = script(data);
    assert_eq!(written.as_slice(), &data[..consumed]);
    if consumed == data.len() {
        assert!(Reader::new(&data[consumed..]).finish("script").is_ok());
    }
    let (dst, msg) = data.split_at(data.len() / 2);
    let _ = kleroterion::hash::hash_to_point(dst, msg);
});
