//! Per-context registry of used linking tags (spec/credential.md §5).

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use super::keys::LinkingTag;
use super::membership::MembershipProof;
use super::set::AnonymitySet;
use crate::error::Result;

/// Outcome of [`TagRegistry::record`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum TagOutcome {
    /// The tag had not been seen in this context and is now recorded.
    Fresh,
    /// The tag was already recorded: the same citizen already acted in this
    /// context (a second ballot on one motion, a second petition signature).
    AlreadyUsed,
}

/// The set of linking tags seen in one context.
///
/// A citizen has exactly one tag per context (`T = sk·H_ctx`), so recording
/// the tag of every *verified* proof detects a second action by the same
/// citizen without learning who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRegistry {
    context: Vec<u8>,
    seen: BTreeSet<LinkingTag>,
}

impl TagRegistry {
    /// An empty registry for `context`.
    pub fn new(context: &[u8]) -> Self {
        Self {
            context: context.to_vec(),
            seen: BTreeSet::new(),
        }
    }

    /// The context this registry belongs to.
    pub fn context(&self) -> &[u8] {
        &self.context
    }

    /// Records `tag`; [`TagOutcome::AlreadyUsed`] if it was seen before (the
    /// registry is unchanged then).
    pub fn record(&mut self, tag: &LinkingTag) -> TagOutcome {
        if self.seen.insert(*tag) {
            TagOutcome::Fresh
        } else {
            TagOutcome::AlreadyUsed
        }
    }

    /// Verifies `proof` over `set` for this registry's context and `message`,
    /// then records its tag. A proof that does not verify is not recorded.
    pub fn verify_and_record(
        &mut self,
        set: &AnonymitySet,
        message: &[u8],
        proof: &MembershipProof,
    ) -> Result<TagOutcome> {
        proof.verify(set, &self.context, message)?;
        Ok(self.record(proof.tag()))
    }

    /// Whether `tag` has been recorded.
    pub fn contains(&self, tag: &LinkingTag) -> bool {
        self.seen.contains(tag)
    }

    /// Number of recorded tags.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no tag has been recorded.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}
