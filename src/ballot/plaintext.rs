//! The voter's selections before encryption (spec/ballot.md §2.2).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::manifest::{Contest, ContestKind, Manifest, MOTION_ABSTAIN, MOTION_NO, MOTION_YES};
use super::BallotId;
use crate::error::{Error, Result};

/// A vote on a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MotionVote {
    /// For the motion.
    Yes,
    /// Against the motion.
    No,
    /// Neither: counted as participation, not in the majority.
    Abstain,
}

/// The selections of one contest: one value per option, in manifest order.
///
/// Secret: zeroized on drop, and `Debug` shows only the contest id.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PlaintextContest {
    contest_id: String,
    values: Vec<u64>,
}

impl fmt::Debug for PlaintextContest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaintextContest")
            .field("contest_id", &self.contest_id)
            .field("values", &"<redacted>")
            .finish()
    }
}

impl PlaintextContest {
    /// Selections given as one value per option (0/1 for motion, 1-of-n and
    /// approval contests; the score for score contests).
    pub fn new(contest_id: impl Into<String>, values: Vec<u64>) -> Self {
        PlaintextContest {
            contest_id: contest_id.into(),
            values,
        }
    }

    /// A vote on a motion: `yes`, `no` or `abstain`.
    pub fn motion(contest_id: impl Into<String>, vote: MotionVote) -> Self {
        let mut values = vec![0; 3];
        let index = match vote {
            MotionVote::Yes => MOTION_YES,
            MotionVote::No => MOTION_NO,
            MotionVote::Abstain => MOTION_ABSTAIN,
        };
        if let Some(v) = values.get_mut(index) {
            *v = 1;
        }
        Self::new(contest_id, values)
    }

    /// The contest id.
    pub fn contest_id(&self) -> &str {
        &self.contest_id
    }

    /// The per-option values.
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    /// Checks these selections against a contest of the manifest
    /// (spec/ballot.md §2.2).
    pub(crate) fn validate(&self, contest: &Contest) -> Result<()> {
        check_selections(contest, &self.contest_id, &self.values)
    }
}

/// Checks one contest's selections: the contest id, one value per option,
/// and the kind's rule. Shared by the encryptor and the opening verifier.
pub(crate) fn check_selections(contest: &Contest, contest_id: &str, values: &[u64]) -> Result<()> {
    if contest.id() != contest_id {
        return Err(Error::InvalidParameter {
            what: "contest id does not match the manifest",
        });
    }
    if values.len() != contest.options().len() {
        return Err(Error::LengthMismatch {
            what: "contest selections",
            expected: contest.options().len(),
            actual: values.len(),
        });
    }
    let max = contest.kind().max_per_option();
    if values.iter().any(|&v| v > max) {
        return Err(Error::InvalidParameter {
            what: "selection value above the option maximum",
        });
    }
    // Each value is ≤ max ≤ u32::MAX and there are ≤ 256 options: no overflow.
    let total: u64 = values.iter().sum();
    match contest.kind() {
        ContestKind::Motion | ContestKind::OneOfN if total != 1 => Err(Error::InvalidParameter {
            what: "exactly one option must be selected",
        }),
        ContestKind::Approval { limit } if total > u64::from(limit) => {
            Err(Error::InvalidParameter {
                what: "too many selections for the approval limit",
            })
        }
        _ => Ok(()),
    }
}

/// A voter's selections for every contest of a manifest, in manifest order.
///
/// Secret: zeroized on drop; `Debug` redacts the values.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct PlaintextBallot {
    id: BallotId,
    contests: Vec<PlaintextContest>,
}

impl PlaintextBallot {
    /// A ballot with the given id and per-contest selections.
    pub fn new(id: BallotId, contests: Vec<PlaintextContest>) -> Self {
        PlaintextBallot { id, contests }
    }

    /// The ballot id.
    pub fn id(&self) -> &BallotId {
        &self.id
    }

    /// The per-contest selections.
    pub fn contests(&self) -> &[PlaintextContest] {
        &self.contests
    }

    /// Checks the ballot against the manifest: every contest present once,
    /// in manifest order, each valid for its kind.
    pub fn validate(&self, manifest: &Manifest) -> Result<()> {
        if self.contests.len() != manifest.contests().len() {
            return Err(Error::LengthMismatch {
                what: "ballot contests",
                expected: manifest.contests().len(),
                actual: self.contests.len(),
            });
        }
        self.contests
            .iter()
            .zip(manifest.contests())
            .try_for_each(|(p, c)| p.validate(c))
    }
}
