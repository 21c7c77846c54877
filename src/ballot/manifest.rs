//! The election manifest: what is being voted on (spec/ballot.md §1).
//!
//! A [`Manifest`] names the election and lists its contests in ballot order.
//! It is validated once, when it is built or decoded, so that every other
//! part of the crate can rely on its invariants (unique ids, limits within the
//! option count, bounded sizes). Its SHA3-256 hash ([`Manifest::hash`]) is
//! bound into every ballot proof's transcript.

use alloc::string::String;
use alloc::vec::Vec;

use super::code::tagged_hash;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};

/// Maximum length in bytes of an election id, contest id or option label.
pub const MAX_LABEL_LEN: usize = 128;
/// Maximum number of contests in a manifest.
pub const MAX_CONTESTS: usize = 64;
/// Maximum number of options in a contest.
pub const MAX_OPTIONS: usize = 256;

/// The option labels of a motion, in ballot order.
pub const MOTION_OPTIONS: [&str; 3] = ["yes", "no", "abstain"];

/// Index of the "yes" option of a motion.
pub const MOTION_YES: usize = 0;
/// Index of the "no" option of a motion.
pub const MOTION_NO: usize = 1;
/// Index of the "abstain" option of a motion.
pub const MOTION_ABSTAIN: usize = 2;

/// Domain separator of the manifest hash (spec/ballot.md §1.3).
const MANIFEST_HASH_DOMAIN: &[u8] = b"kleroterion/v1/manifest";

/// How a contest is voted (spec/ballot.md §1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContestKind {
    /// The assembly's question: options yes / no / abstain, exactly one selected.
    Motion,
    /// Exactly one of the options selected.
    OneOfN,
    /// Each option 0 or 1, at most `limit` options selected.
    Approval {
        /// Maximum number of selected options, `1 ≤ limit ≤ options`.
        limit: u32,
    },
    /// Each option scored in `0..=max`.
    Score {
        /// Highest score, `1 ≤ max ≤ u32::MAX`.
        max: u32,
    },
}

impl ContestKind {
    /// The largest value one ballot can put on one option.
    pub fn max_per_option(&self) -> u64 {
        match self {
            ContestKind::Score { max } => u64::from(*max),
            _ => 1,
        }
    }

    /// The kind's code and parameter: `0` motion, `1` one-of-n,
    /// `2` approval (limit), `3` score (maximum); the parameter is 1 for the
    /// kinds without one. Bound into every contest transcript.
    pub(crate) fn code(&self) -> (u8, u32) {
        match self {
            ContestKind::Motion => (0, 1),
            ContestKind::OneOfN => (1, 1),
            ContestKind::Approval { limit } => (2, *limit),
            ContestKind::Score { max } => (3, *max),
        }
    }
}

/// `u8 code`, then `LE32(parameter)` for approval and score only.
impl Encode for ContestKind {
    fn encode(&self, w: &mut Writer) {
        let (code, param) = self.code();
        w.u8(code);
        if matches!(
            self,
            ContestKind::Approval { .. } | ContestKind::Score { .. }
        ) {
            w.u32(param);
        }
    }
}

impl Decode for ContestKind {
    const NAME: &'static str = "contest kind";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        Ok(match r.u8(Self::NAME)? {
            0 => ContestKind::Motion,
            1 => ContestKind::OneOfN,
            2 => ContestKind::Approval {
                limit: r.u32("approval limit")?,
            },
            3 => ContestKind::Score {
                max: r.u32("score maximum")?,
            },
            _ => {
                return Err(Error::InvalidParameter {
                    what: "unknown contest kind",
                })
            }
        })
    }
}

/// One contest of a manifest: an id, a kind and its option labels.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Contest {
    id: String,
    kind: ContestKind,
    options: Vec<String>,
}

impl Contest {
    /// A motion: options `yes`, `no`, `abstain`, exactly one selected.
    pub fn motion(id: impl Into<String>) -> Self {
        Self::new(
            id,
            ContestKind::Motion,
            MOTION_OPTIONS.iter().map(|s| String::from(*s)).collect(),
        )
    }

    /// A contest of the given kind; checked when the manifest is built.
    pub fn new(id: impl Into<String>, kind: ContestKind, options: Vec<String>) -> Self {
        Contest {
            id: id.into(),
            kind,
            options,
        }
    }

    /// The contest id, unique within the manifest.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The contest kind.
    pub fn kind(&self) -> ContestKind {
        self.kind
    }

    /// The option labels, in ballot order.
    pub fn options(&self) -> &[String] {
        &self.options
    }

    fn validate(&self) -> Result<()> {
        check_label(&self.id, "contest id must be 1..=128 bytes")?;
        let n = self.options.len();
        if n == 0 || n > MAX_OPTIONS {
            return Err(Error::InvalidParameter {
                what: "contest must have 1..=256 options",
            });
        }
        for (i, o) in self.options.iter().enumerate() {
            check_label(o, "option label must be 1..=128 bytes")?;
            if self.options.iter().take(i).any(|p| p == o) {
                return Err(Error::InvalidParameter {
                    what: "duplicate option label in contest",
                });
            }
        }
        match self.kind {
            ContestKind::Motion => {
                if !self.options.iter().map(String::as_str).eq(MOTION_OPTIONS) {
                    return Err(Error::InvalidParameter {
                        what: "motion options must be exactly yes, no, abstain",
                    });
                }
            }
            ContestKind::OneOfN => {
                if n < 2 {
                    return Err(Error::InvalidParameter {
                        what: "one-of-n contest needs at least 2 options",
                    });
                }
            }
            ContestKind::Approval { limit } => {
                if limit == 0 || usize::try_from(limit).map_or(true, |l| l > n) {
                    return Err(Error::InvalidParameter {
                        what: "approval limit must be 1..=number of options",
                    });
                }
            }
            ContestKind::Score { max } => {
                if max == 0 {
                    return Err(Error::InvalidParameter {
                        what: "score maximum must be at least 1",
                    });
                }
            }
        }
        Ok(())
    }
}

fn check_label(s: &str, what: &'static str) -> Result<()> {
    if s.is_empty() || s.len() > MAX_LABEL_LEN {
        return Err(Error::InvalidParameter { what });
    }
    Ok(())
}

/// A validated election manifest (spec/ballot.md §1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    election_id: String,
    contests: Vec<Contest>,
    hash: [u8; 32],
}

impl Manifest {
    /// Builds and validates a manifest: election id of 1..=128 bytes,
    /// 1..=64 contests with unique ids, each with 1..=256 unique option
    /// labels and kind-specific limits (spec/ballot.md §1.2).
    pub fn new(election_id: impl Into<String>, contests: Vec<Contest>) -> Result<Self> {
        let election_id = election_id.into();
        check_label(&election_id, "election id must be 1..=128 bytes")?;
        if contests.is_empty() || contests.len() > MAX_CONTESTS {
            return Err(Error::InvalidParameter {
                what: "manifest must have 1..=64 contests",
            });
        }
        for (i, c) in contests.iter().enumerate() {
            c.validate()?;
            if contests.iter().take(i).any(|d| d.id == c.id) {
                return Err(Error::InvalidParameter {
                    what: "duplicate contest id in manifest",
                });
            }
        }
        let mut m = Manifest {
            election_id,
            contests,
            hash: [0; 32],
        };
        m.hash = tagged_hash(MANIFEST_HASH_DOMAIN, &[&m.to_bytes()]);
        Ok(m)
    }

    /// The election id.
    pub fn election_id(&self) -> &str {
        &self.election_id
    }

    /// The contests, in ballot order.
    pub fn contests(&self) -> &[Contest] {
        &self.contests
    }

    /// The contest with the given id.
    pub fn contest(&self, id: &str) -> Option<&Contest> {
        self.contests.iter().find(|c| c.id == id)
    }

    /// `SHA3-256(LE32(23) ‖ "kleroterion/v1/manifest" ‖ encoding)`
    /// (spec/ballot.md §1.3).
    pub fn hash(&self) -> &[u8; 32] {
        &self.hash
    }
}

/// Length of a bounded label or domain as `u32` (all are ≤ 128 bytes).
pub(crate) fn u32_len(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Encode for Manifest {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::Manifest, 1);
        w.bytes(self.election_id.as_bytes());
        w.len(self.contests.len());
        for c in &self.contests {
            w.bytes(c.id.as_bytes());
            c.kind.encode(w);
            w.len(c.options.len());
            for o in &c.options {
                w.bytes(o.as_bytes());
            }
        }
    }
}

fn read_label(r: &mut Reader<'_>, what: &'static str) -> Result<String> {
    let bytes = r.bytes(what)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| Error::InvalidParameter {
        what: "manifest label is not UTF-8",
    })
}

impl Decode for Manifest {
    const NAME: &'static str = "manifest";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::Manifest, &[1], Self::NAME)?;
        let election_id = read_label(r, "election id")?;
        // A contest takes at least 4 (id) + 1 (kind) + 4 (options) bytes.
        let n = r.len(9, "contests")?;
        let mut contests = Vec::with_capacity(n);
        for _ in 0..n {
            let id = read_label(r, "contest id")?;
            let kind = ContestKind::decode(r)?;
            let k = r.len(4, "options")?;
            let options = (0..k)
                .map(|_| read_label(r, "option label"))
                .collect::<Result<Vec<_>>>()?;
            contests.push(Contest { id, kind, options });
        }
        Manifest::new(election_id, contests)
    }
}

crate::impl_serde_via_encoding!(Manifest);

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn opts(n: usize) -> Vec<String> {
        (0..n).map(|i| alloc::format!("option {i}")).collect()
    }

    pub(crate) fn sample() -> Manifest {
        Manifest::new(
            "assembly-2026/harm-finding",
            vec![
                Contest::motion("harm"),
                Contest::new("chair", ContestKind::OneOfN, opts(3)),
                Contest::new("panel", ContestKind::Approval { limit: 2 }, opts(4)),
                Contest::new("remedy", ContestKind::Score { max: 5 }, opts(2)),
            ],
        )
        .unwrap()
    }

    #[test]
    fn roundtrip_and_hash() {
        let m = sample();
        let bytes = m.to_bytes();
        let d = Manifest::from_bytes(&bytes).unwrap();
        assert_eq!(d, m);
        assert_eq!(d.hash(), m.hash());
        let other = Manifest::new("other", m.contests().to_vec()).unwrap();
        assert_ne!(other.hash(), m.hash());
        assert_eq!(
            m.contest("panel").unwrap().kind(),
            ContestKind::Approval { limit: 2 }
        );
        assert!(m.contest("nope").is_none());
    }

    #[test]
    fn validation_errors() {
        let bad = |contests: Vec<Contest>| Manifest::new("e", contests).unwrap_err();
        let param = |e: Error| matches!(e, Error::InvalidParameter { .. });
        assert!(param(
            Manifest::new("", vec![Contest::motion("m")]).unwrap_err()
        ));
        assert!(param(bad(vec![])));
        assert!(param(bad(vec![Contest::motion("m"), Contest::motion("m")])));
        assert!(param(bad(vec![Contest::new(
            "m",
            ContestKind::Motion,
            opts(3)
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::OneOfN,
            opts(1)
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::OneOfN,
            vec![]
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::OneOfN,
            vec!["a".into(), "a".into()]
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::Approval { limit: 3 },
            opts(2)
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::Approval { limit: 0 },
            opts(2)
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::Score { max: 0 },
            opts(2)
        )])));
        assert!(param(bad(vec![Contest::new(
            "",
            ContestKind::OneOfN,
            opts(2)
        )])));
        assert!(param(bad(vec![Contest::new(
            "c",
            ContestKind::OneOfN,
            opts(MAX_OPTIONS + 1)
        )])));
    }

    #[test]
    fn decode_rejects_bad_input() {
        let bytes = sample().to_bytes();
        for cut in 0..bytes.len() {
            assert!(Manifest::from_bytes(&bytes[..cut]).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            Manifest::from_bytes(&long),
            Err(Error::TrailingBytes { .. })
        ));
        // Unknown kind code: the first contest's kind byte follows the
        // header, the election id and the contest count and id.
        let m = Manifest::new("e", vec![Contest::motion("m")]).unwrap();
        let mut b = m.to_bytes();
        let kind_at = 2 + 4 + 1 + 4 + 4 + 1;
        b[kind_at] = 9;
        assert!(matches!(
            Manifest::from_bytes(&b),
            Err(Error::InvalidParameter { .. })
        ));
        let mut b = m.to_bytes();
        b[2 + 4] = 0xff; // election id byte → invalid UTF-8
        assert!(matches!(
            Manifest::from_bytes(&b),
            Err(Error::InvalidParameter { .. })
        ));
    }
}
