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
//!
//! # Example
//!
//! ```
//! use kleroterion::credential::{
//!     AnonymitySet, CitizenSecretKey, ConsentStatement, MembershipProof, TagOutcome, TagRegistry,
//! };
//! use rand_core::OsRng;
//!
//! // Citizens consent; the registrar checks each statement and builds the roll.
//! let citizens: Vec<_> = (0..5).map(|_| CitizenSecretKey::generate(&mut OsRng)).collect();
//! let statements: Vec<_> = citizens
//!     .iter()
//!     .map(|sk| ConsentStatement::sign(sk, b"polity:lakeside", 2027, &mut OsRng))
//!     .collect::<Result<_, _>>()?;
//! ConsentStatement::verify_batch(&statements, b"polity:lakeside", 2027, &mut OsRng)?;
//! let roll = AnonymitySet::new(statements.iter().map(|s| *s.public_key()).collect())?;
//!
//! // Citizen 3 signs a petition anonymously; the second signature is caught.
//! let context = b"petition 12";
//! let proof = MembershipProof::prove(&roll, &citizens[3], context, b"I sign", &mut OsRng)?;
//! let mut registry = TagRegistry::new(context);
//! assert_eq!(registry.verify_and_record(&roll, b"I sign", &proof)?, TagOutcome::Fresh);
//! let again = MembershipProof::prove(&roll, &citizens[3], context, b"again", &mut OsRng)?;
//! assert_eq!(registry.verify_and_record(&roll, b"again", &again)?, TagOutcome::AlreadyUsed);
//! # Ok::<(), kleroterion::Error>(())
//! ```

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
