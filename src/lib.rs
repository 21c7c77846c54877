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
//! * [`hash`]: RFC 9380 hashing to ristretto255.
//! * [`report`]: numbered verification reports shared by every record verifier.
//!
//! ## Randomness
//!
//! * [`beacon`]: verifiable randomness for draws by lot: [`beacon::ecvrf`] is
//!   RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI, [`beacon::threshold`] the
//!   t-of-n chained beacon.
//!
//! ## Assembly ballots
//!
//! * [`ballot`]: manifests, encrypted ballots with validity proofs for motion,
//!   1-of-n, approval and score contests, cast-or-challenge, confirmation
//!   codes, and batch verification.
//! * [`tally`]: mergeable homomorphic tally accumulators and their decryption.
//! * [`record`]: the public record of a vote and its streaming verifier with
//!   numbered checks.
//! * [`trustees`]: t-of-n distributed key generation (joint Feldman VSS with
//!   proofs of possession, verifiable complaints, disqualification), partial
//!   decryptions with DLEQ proofs and Lagrange combination from any `t`.
//!
//! ## Sortition
//!
//! * [`roll`]: consent rolls and their streaming SHA3-256 Merkle commitment.
//! * [`sortition`]: verifiable draws of assemblies from a committed roll with a
//!   beacon round named in advance; strata, exclusions, reserves, staggered
//!   terms, the panel lottery, and the selection record verifier.
//! * [`civic`]: polities, assemblies, terms and the motion life cycle.
//!
//! ## Citizens
//!
//! * [`credential`]: citizen keys, consent statements, one-of-many membership
//!   proofs with per-context linking tags, and the registry of used tags.
//!
//! ## Life cycle
//!
//! * [`simulate`]: a whole assembly life cycle in one process, producing a
//!   complete public record (used by the `assembly` example and the CLI).
#![no_std]
#![forbid(unsafe_code)]
// docs.rs (Cargo.toml's package.metadata.docs.rs) marks feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod ballot;
pub mod batch;
pub mod beacon;
pub mod civic;
pub mod credential;
pub mod elgamal;
pub mod encoding;
pub mod error;
pub mod fairness;
pub mod hash;
pub mod parallel;
pub mod proofs;
pub mod record;
pub mod report;
pub mod roll;
pub mod simulate;
pub mod sortition;
pub mod tally;
pub mod transcript;
pub mod trustees;
mod wide;

pub use error::{Error, Result};
