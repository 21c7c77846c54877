//! The one error type of the crate.
//!
//! Every decoder and verifier returns [`Error`] rather than panicking: untrusted
//! input (a proof, a ballot, a record) can only ever produce one of these typed
//! variants. The enum is `#[non_exhaustive]` so that later protocol versions can
//! add variants without a breaking change.
//!
//! # Example
//!
//! ```
//! use kleroterion::elgamal::PublicKey;
//! use kleroterion::encoding::Decode;
//! use kleroterion::Error;
//!
//! // Untrusted bytes give a typed error, never a panic.
//! let err = PublicKey::from_bytes(&[0u8; 31]).unwrap_err();
//! assert_eq!(err, Error::UnexpectedEnd { what: "point" });
//! assert_eq!(err.to_string(), "point: input ended early");
//! assert_eq!(PublicKey::from_bytes(&[0u8; 32]), Err(Error::IdentityPoint));
//! ```

use core::fmt;

/// Result alias used throughout the crate.
pub type Result<T> = core::result::Result<T, Error>;

/// Everything that can go wrong when decoding or verifying kleroterion data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A byte string had the wrong length for the value it encodes.
    InvalidLength {
        /// What was being decoded.
        what: &'static str,
        /// The length the encoding requires.
        expected: usize,
        /// The length that was supplied.
        actual: usize,
    },
    /// Input ended before a complete value could be decoded.
    UnexpectedEnd {
        /// What was being decoded.
        what: &'static str,
    },
    /// Bytes remained after a complete value was decoded.
    TrailingBytes {
        /// What was being decoded.
        what: &'static str,
        /// How many bytes were left over.
        remaining: usize,
    },
    /// A 32-byte scalar encoding was not reduced modulo the group order ℓ.
    NonCanonicalScalar,
    /// A 32-byte string is not the canonical encoding of a point: for
    /// ristretto255, RFC 9496 §4.3.1 rejects it; for edwards25519
    /// (`beacon::ecvrf`), RFC 8032 §5.1.3 decoding rejects it.
    InvalidPoint,
    /// The identity point appeared where the protocol forbids it.
    IdentityPoint,
    /// A hex string in a human-readable format could not be decoded.
    InvalidHex,
    /// An encoded object carried a type tag for a different kind of object.
    WrongObjectType {
        /// The tag the decoder expected.
        expected: u8,
        /// The tag that was found.
        found: u8,
    },
    /// An encoded object carried a format version this build does not support.
    UnsupportedVersion {
        /// What was being decoded.
        what: &'static str,
        /// The version that was found.
        found: u32,
    },
    /// Two inputs that must have matching lengths did not.
    LengthMismatch {
        /// Which inputs disagree.
        what: &'static str,
        /// The length required by the statement.
        expected: usize,
        /// The length that was supplied.
        actual: usize,
    },
    /// A parameter was outside the range the protocol allows.
    InvalidParameter {
        /// Which parameter, and the constraint it violated.
        what: &'static str,
    },
    /// A zero-knowledge proof did not verify.
    VerificationFailed {
        /// Which proof failed.
        proof: &'static str,
    },
    /// A batch of proofs did not verify; `index` names the first bad proof
    /// when the fallback to individual verification located one.
    BatchVerificationFailed {
        /// Which kind of proof was batched.
        proof: &'static str,
        /// Position of the first invalid proof in the batch, if located.
        index: Option<usize>,
    },
    /// A discrete logarithm was not found within the searched bound.
    DiscreteLogNotFound {
        /// The exclusive upper bound that was searched.
        bound: u64,
    },
    /// A point of small order (one of the 8 edwards25519 points `P` with
    /// `8·P` the identity) appeared where the protocol forbids it, such as an
    /// RFC 9381 ECVRF public key (§5.4.5 `validate_key`).
    SmallOrderPoint,
    /// A participant (trustee) index appeared twice where indices must be
    /// distinct (spec/trustees.md §2).
    DuplicateIndex {
        /// The repeated index.
        index: u32,
    },
    /// A participant index is not one of the participants `1..=n`
    /// (spec/trustees.md §2).
    UnknownIndex {
        /// The unknown index.
        index: u32,
    },
    /// A participant was disqualified during key generation and may not
    /// contribute (spec/trustees.md §4.5).
    Disqualified {
        /// The disqualified participant.
        index: u32,
    },
    /// Fewer valid contributions than the threshold `t` were available
    /// (spec/trustees.md §2).
    BelowThreshold {
        /// The threshold `t`.
        threshold: usize,
        /// How many valid, distinct contributions there were.
        available: usize,
    },
    /// A named participant's contribution failed a protocol check
    /// (spec/trustees.md).
    ParticipantFailed {
        /// The participant at fault.
        index: u32,
        /// The check that failed.
        check: &'static str,
    },
    /// A beacon round failed a named check (spec/beacon.md §2).
    RoundFailed {
        /// The round at fault.
        round: u64,
        /// The check that failed.
        check: &'static str,
    },
    /// A consent roll had no entries where at least one is required.
    EmptyRoll,
    /// A consent roll was not in canonical order: the entry at `index` does
    /// not sort after the one before it (spec/roll.md §2).
    UnsortedRoll {
        /// Position of the first out-of-order entry.
        index: u64,
    },
    /// A consent roll listed the same citizen key twice; `index` is the
    /// position of the second occurrence (spec/roll.md §2).
    DuplicateRollEntry {
        /// Position of the repeated entry.
        index: u64,
    },
    /// A roll entry lacks the attribute a draw stratifies by.
    MissingAttribute {
        /// Position of the entry in the roll.
        index: u64,
    },
    /// A roll entry's value of a feature is none of the feature's
    /// categories (spec/sortition.md §10.2).
    UnknownCategory {
        /// Position of the entry in the roll.
        index: u64,
        /// Position of the feature in the quotas.
        feature: u32,
    },
    /// A draw asked for more citizens than are eligible: an assembly is never
    /// silently short (spec/sortition.md §5).
    InsufficientEligible {
        /// Position of the stratum in canonical stratum order (0 when the
        /// draw is not stratified).
        stratum: u64,
        /// Seats the quota requires.
        requested: u64,
        /// Eligible citizens in the stratum.
        available: u64,
    },
    /// A record sink (a file, a stream) could not take the data.
    Sink(alloc::string::String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidLength {
                what,
                expected,
                actual,
            } => write!(f, "{what}: expected {expected} bytes, got {actual}"),
            Error::UnexpectedEnd { what } => write!(f, "{what}: input ended early"),
            Error::TrailingBytes { what, remaining } => {
                write!(f, "{what}: {remaining} trailing bytes after the value")
            }
            Error::NonCanonicalScalar => f.write_str("scalar encoding is not canonical (≥ ℓ)"),
            Error::InvalidPoint => f.write_str("bytes are not a canonical point encoding"),
            Error::IdentityPoint => f.write_str("identity point where the protocol forbids it"),
            Error::InvalidHex => f.write_str("invalid hex string"),
            Error::WrongObjectType { expected, found } => write!(
                f,
                "wrong object type: expected tag 0x{expected:02x}, found 0x{found:02x}"
            ),
            Error::UnsupportedVersion { what, found } => {
                write!(f, "{what}: unsupported format version {found}")
            }
            Error::LengthMismatch {
                what,
                expected,
                actual,
            } => write!(f, "{what}: expected {expected} items, got {actual}"),
            Error::InvalidParameter { what } => write!(f, "invalid parameter: {what}"),
            Error::VerificationFailed { proof } => write!(f, "{proof} proof does not verify"),
            Error::BatchVerificationFailed { proof, index } => match index {
                Some(i) => write!(f, "batch of {proof} proofs: proof #{i} does not verify"),
                None => write!(f, "batch of {proof} proofs does not verify"),
            },
            Error::DiscreteLogNotFound { bound } => {
                write!(f, "discrete logarithm not found below {bound}")
            }
            Error::SmallOrderPoint => {
                f.write_str("point of small order where the protocol forbids it")
            }
            Error::DuplicateIndex { index } => write!(f, "participant index {index} repeated"),
            Error::UnknownIndex { index } => write!(f, "unknown participant index {index}"),
            Error::Disqualified { index } => write!(f, "participant {index} is disqualified"),
            Error::BelowThreshold {
                threshold,
                available,
            } => write!(
                f,
                "{available} valid contributions, the threshold needs {threshold}"
            ),
            Error::ParticipantFailed { index, check } => {
                write!(f, "participant {index} failed the check: {check}")
            }
            Error::RoundFailed { round, check } => {
                write!(f, "beacon round {round} failed the check: {check}")
            }
            Error::EmptyRoll => f.write_str("the consent roll is empty"),
            Error::UnsortedRoll { index } => {
                write!(f, "roll entry #{index} is out of canonical order")
            }
            Error::DuplicateRollEntry { index } => {
                write!(f, "roll entry #{index} repeats the previous citizen key")
            }
            Error::MissingAttribute { index } => {
                write!(f, "roll entry #{index} lacks the stratification attribute")
            }
            Error::UnknownCategory { index, feature } => write!(
                f,
                "roll entry #{index}: its value of feature #{feature} is none of its categories"
            ),
            Error::InsufficientEligible {
                stratum,
                requested,
                available,
            } => write!(
                f,
                "stratum #{stratum}: {requested} seats requested but only {available} citizens eligible"
            ),
            Error::Sink(why) => write!(f, "could not write the record: {why}"),
        }
    }
}

impl core::error::Error for Error {}
