//! Python exceptions for the library's typed errors. Nothing crosses the
//! boundary as a panic: every fallible call returns one of these or an
//! `OSError` (files), and a record that is read but does not decode is a
//! failed report (check R1), not an exception, where a verification is
//! asked for.

use std::io;

use kleroterion::record::shards::MergeError;
use kleroterion::Error;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _native,
    KleroterionError,
    PyException,
    "Base class of every error kleroterion raises (files raise OSError)."
);
create_exception!(
    _native,
    DecodeError,
    KleroterionError,
    "Input does not decode: JSON that does not parse, a non-canonical encoding, a wrong length, bad hex."
);
create_exception!(
    _native,
    VerificationError,
    KleroterionError,
    "A proof, signature or beacon round did not verify."
);
create_exception!(
    _native,
    ParameterError,
    KleroterionError,
    "A parameter is outside what the protocol allows (an unsorted roll, a shard index, a draw with too few eligible citizens)."
);
create_exception!(
    _native,
    ShardMergeError,
    KleroterionError,
    "Shard summaries are not the summaries of shards 0..n of one split of one record, once each."
);

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("KleroterionError", py.get_type::<KleroterionError>())?;
    m.add("DecodeError", py.get_type::<DecodeError>())?;
    m.add("VerificationError", py.get_type::<VerificationError>())?;
    m.add("ParameterError", py.get_type::<ParameterError>())?;
    m.add("ShardMergeError", py.get_type::<ShardMergeError>())?;
    Ok(())
}

/// The exception of a library error, by its kind.
pub fn lib(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::InvalidLength { .. }
        | Error::UnexpectedEnd { .. }
        | Error::TrailingBytes { .. }
        | Error::NonCanonicalScalar
        | Error::InvalidPoint
        | Error::IdentityPoint
        | Error::InvalidHex
        | Error::WrongObjectType { .. }
        | Error::UnsupportedVersion { .. }
        | Error::SmallOrderPoint => DecodeError::new_err(msg),
        Error::VerificationFailed { .. }
        | Error::BatchVerificationFailed { .. }
        | Error::RoundFailed { .. }
        | Error::ParticipantFailed { .. } => VerificationError::new_err(msg),
        Error::InvalidParameter { .. }
        | Error::LengthMismatch { .. }
        | Error::EmptyRoll
        | Error::UnsortedRoll { .. }
        | Error::DuplicateRollEntry { .. }
        | Error::MissingAttribute { .. }
        | Error::InsufficientEligible { .. }
        | Error::DuplicateIndex { .. }
        | Error::UnknownIndex { .. }
        | Error::Disqualified { .. }
        | Error::BelowThreshold { .. }
        | Error::DiscreteLogNotFound { .. } => ParameterError::new_err(msg),
        _ => KleroterionError::new_err(msg),
    }
}

/// The exception of a file error: a file that was read but is not a valid
/// record is a [`DecodeError`]; anything else the `OSError` subclass of its
/// kind (`FileNotFoundError`, `PermissionError`, …).
pub fn io(e: io::Error) -> PyErr {
    if kleroterion::record::files::is_malformed(&e) {
        DecodeError::new_err(e.to_string())
    } else if e.kind() == io::ErrorKind::InvalidInput {
        ParameterError::new_err(e.to_string())
    } else {
        PyErr::from(e)
    }
}

/// The exception of JSON input that does not decode (it also carries the
/// library's validation errors, e.g. a non-canonical point).
pub fn json(what: &str, e: serde_json::Error) -> PyErr {
    DecodeError::new_err(format!("{what}: {e}"))
}

/// The exception of shard summaries that cannot be merged.
pub fn merge(e: MergeError) -> PyErr {
    ShardMergeError::new_err(e.to_string())
}

/// Serialises a value the library made; its serialisers do not fail, but
/// an error is still an exception, never a panic.
pub fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| KleroterionError::new_err(e.to_string()))
}
