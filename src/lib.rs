//! # kleroterion
//!
//! Verifiable democracy on ristretto255: publicly verifiable random beacons
//! that draw citizens' assemblies by lot, anonymous credentials that let
//! consenting citizens prove they are on the roll, and assembly ballots
//! tallied homomorphically, with zero-knowledge proofs that every result is
//! correct.
//!
//! The normative description of every protocol lives in the `spec/` directory
//! of the repository; each module cites the section it implements.
//!
//! ## Foundation
//!
//! * [`transcript`]: Fiat–Shamir transcripts that bind the whole statement.
//! * [`encoding`] and [`error`]: canonical encodings and the typed error.
//! * [`proofs`]: Schnorr, Chaum–Pedersen DLEQ and CDS disjunctive proofs,
//!   each with a batch verifier built on [`batch`].
//! * [`elgamal`]: exponential ElGamal and baby-step giant-step discrete logs.
//!
//! ## Citizens
//!
//! * [`credential`]: citizen keys, consent statements, one-of-many membership
//!   proofs with per-context linking tags, and the registry of used tags.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod batch;
pub mod credential;
pub mod elgamal;
pub mod encoding;
pub mod error;
pub mod hash;
pub mod proofs;
pub mod transcript;

pub use error::{Error, Result};
