//! Anonymous credentials for consenting citizens (spec/credential.md).
//!
//! Each year a citizen who consents to citizenship of a polity signs a
//! [`ConsentStatement`] with their [`CitizenSecretKey`]; the registrar
//! verifies it and adds the [`CitizenPublicKey`] to that year's roll. To act
//! anonymously (cast a delegate's ballot, sign a petition), the citizen
//! proves with a [`MembershipProof`] that they hold the key of one member of
//! an [`AnonymitySet`] (the roll, or one part of its
//! [partition](AnonymitySet::partition)) without revealing which, and
//! publishes the [`LinkingTag`] `T = sk·H(context)`: one tag per citizen and
//! context, so a [`TagRegistry`] detects a second action in the same context,
//! while tags of different contexts are unlinkable.
//!
//! * [`keys`]: key pairs and tags (spec §2);
//! * [`ConsentStatement`]: the signed yearly consent (spec §6);
//! * [`AnonymitySet`]: sets, commitments, partition (spec §3);
//! * [`MembershipProof`]: the one-of-many proof (spec §4);
//! * [`TagRegistry`]: double-use detection (spec §5).

mod consent;
pub mod keys;
mod membership;
mod registry;
mod set;

pub use consent::{ConsentStatement, CONSENT_LABEL, MAX_POLITY_ID_LEN};
pub use keys::{tag_base, CitizenPublicKey, CitizenSecretKey, LinkingTag};
pub use membership::{MembershipProof, PROTOCOL_LABEL, PROTOCOL_VERSION};
pub use registry::{TagOutcome, TagRegistry};
pub use set::{AnonymitySet, GENERATOR_DST, MAX_DEPTH, MAX_SET_SIZE};

#[cfg(test)]
mod tests;
