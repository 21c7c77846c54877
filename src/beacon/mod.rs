//! Publicly verifiable randomness for drawing assemblies by lot
//! (spec/beacon.md).
//!
//! A draw by lot is only fair if its seed was unpredictable before it was
//! produced, could not be biased by whoever produced it, and can be checked by
//! anyone afterwards. This module family provides the randomness sources:
//!
//! * [`ecvrf`]: the single-party verifiable random function
//!   ECVRF-EDWARDS25519-SHA512-TAI of RFC 9381 (spec/beacon.md, section
//!   "ECVRF (RFC 9381)"). Its output is unique for a given key and input and
//!   anyone holding the public key can check it, but the key holder alone
//!   chooses *whether* to publish it; use it where a single party's
//!   verifiable randomness is enough, or as an interoperable primitive.
//! * [`threshold`]: a threshold chained beacon on ristretto255, where `t` of
//!   `n` trustees must cooperate to produce each round and rounds chain so
//!   that history cannot be rewritten (spec/beacon.md §2). This is the
//!   source that seeds sortition: no single party can predict or bias it.

pub mod ecvrf;
pub mod threshold;
