//! Fiat–Shamir transcripts (spec/transcript.md).
//!
//! Every non-interactive proof in kleroterion is a sigma protocol made
//! non-interactive by hashing its transcript with [merlin](https://merlin.cool).
//! [`TranscriptProtocol`] adds typed, labelled appends to
//! [`merlin::Transcript`]; [`new_transcript`] starts a transcript that is
//! already bound to the caller's *context* (an election id, a beacon round, a
//! polity and year) so that a proof made for one context never verifies in
//! another.
//!
//! The domain-separation scheme is:
//!
//! 1. `Transcript::new(b"kleroterion")`, then `append_message(b"context", context)`
//!    ([`new_transcript`]);
//! 2. each proof appends `domain-sep = protocol label` and
//!    `version = u64` ([`TranscriptProtocol::domain_sep`]);
//! 3. the proof appends its *whole statement* (generators, public keys,
//!    ciphertexts, claimed values) before any commitment;
//! 4. the commitments; then the challenge is squeezed as 64 bytes and reduced
//!    modulo ℓ ([`TranscriptProtocol::challenge_scalar`]).
//!
//! # Example
//!
//! ```
//! use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
//! use kleroterion::transcript::{new_transcript, TranscriptProtocol};
//!
//! let challenge = |context: &[u8]| {
//!     let mut t = new_transcript(context);
//!     t.domain_sep(b"example-proof", 1);
//!     t.append_point(b"statement", &G);
//!     t.challenge_scalar(b"challenge")
//! };
//! // The same statement in another context gives another challenge.
//! assert_eq!(challenge(b"election-2031"), challenge(b"election-2031"));
//! assert_ne!(challenge(b"election-2031"), challenge(b"election-2032"));
//! ```

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;

/// The label every kleroterion transcript starts from.
pub const TRANSCRIPT_LABEL: &[u8] = b"kleroterion";

/// Starts a transcript bound to a caller-supplied context (spec/transcript.md §1).
pub fn new_transcript(context: &[u8]) -> Transcript {
    let mut t = Transcript::new(TRANSCRIPT_LABEL);
    t.append_message(b"context", context);
    t
}

/// Typed, labelled appends and scalar challenges over a merlin transcript.
pub trait TranscriptProtocol {
    /// Binds the protocol name and version (spec/transcript.md §2).
    fn domain_sep(&mut self, protocol: &'static [u8], version: u64);
    /// Appends a point by its canonical encoding.
    fn append_point(&mut self, label: &'static [u8], point: &RistrettoPoint);
    /// Appends an already-compressed point.
    fn append_compressed(&mut self, label: &'static [u8], point: &CompressedRistretto);
    /// Appends a scalar by its canonical encoding.
    fn append_scalar(&mut self, label: &'static [u8], scalar: &Scalar);
    /// Appends a `u64` (little-endian, as merlin encodes it).
    fn append_u64_le(&mut self, label: &'static [u8], value: u64);
    /// Appends a byte string.
    fn append_bytes(&mut self, label: &'static [u8], bytes: &[u8]);
    /// Squeezes 64 bytes and reduces them modulo ℓ into a challenge scalar.
    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar;
}

impl TranscriptProtocol for Transcript {
    fn domain_sep(&mut self, protocol: &'static [u8], version: u64) {
        self.append_message(b"dom-sep", protocol);
        self.append_u64(b"version", version);
    }

    fn append_point(&mut self, label: &'static [u8], point: &RistrettoPoint) {
        self.append_message(label, point.compress().as_bytes());
    }

    fn append_compressed(&mut self, label: &'static [u8], point: &CompressedRistretto) {
        self.append_message(label, point.as_bytes());
    }

    fn append_scalar(&mut self, label: &'static [u8], scalar: &Scalar) {
        self.append_message(label, scalar.as_bytes());
    }

    fn append_u64_le(&mut self, label: &'static [u8], value: u64) {
        self.append_u64(label, value);
    }

    fn append_bytes(&mut self, label: &'static [u8], bytes: &[u8]) {
        self.append_message(label, bytes);
    }

    fn challenge_scalar(&mut self, label: &'static [u8]) -> Scalar {
        let mut buf = [0u8; 64];
        self.challenge_bytes(label, &mut buf);
        Scalar::from_bytes_mod_order_wide(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

    fn challenge(context: &[u8], x: &RistrettoPoint) -> Scalar {
        let mut t = new_transcript(context);
        t.domain_sep(b"test", 1);
        t.append_point(b"X", x);
        t.challenge_scalar(b"c")
    }

    #[test]
    fn binds_context_and_statement() {
        let c = challenge(b"ctx", &G);
        assert_eq!(c, challenge(b"ctx", &G));
        assert_ne!(c, challenge(b"ctx2", &G));
        assert_ne!(c, challenge(b"ctx", &(G + G)));
    }

    #[test]
    fn compressed_and_point_appends_agree() {
        let mut a = new_transcript(b"c");
        let mut b = new_transcript(b"c");
        a.append_point(b"P", &G);
        b.append_compressed(b"P", &G.compress());
        assert_eq!(a.challenge_scalar(b"x"), b.challenge_scalar(b"x"));
    }
}
