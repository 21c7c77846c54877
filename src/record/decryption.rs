//! Threshold decryption of a whole tally (spec/record.md §3).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};

use crate::ballot::Manifest;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::tally::{TallyAccumulator, TallyResult};
use crate::trustees::{combine, PartialDecryption, ParticipantIndex, SecretShare, TrusteeSet};

/// One trustee's partial decryptions of every sum of a tally, in manifest
/// order (contest, then option), each with its DLEQ proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrusteeDecryption {
    index: ParticipantIndex,
    /// `shares[c][o]` decrypts option `o` of contest `c`.
    shares: Vec<Vec<PartialDecryption>>,
}

impl TrusteeDecryption {
    /// Trustee `share.index()` partially decrypts every sum of `tally`.
    pub fn produce<R: RngCore + CryptoRng>(
        share: &SecretShare,
        trustees: &TrusteeSet,
        tally: &TallyAccumulator,
        rng: &mut R,
    ) -> Result<Self> {
        let shares = tally
            .sums()
            .iter()
            .map(|contest| {
                contest
                    .iter()
                    .map(|ct| PartialDecryption::prove(share, trustees, ct, rng))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TrusteeDecryption {
            index: share.index(),
            shares,
        })
    }

    /// The trustee.
    pub fn index(&self) -> ParticipantIndex {
        self.index
    }

    /// The partial decryption of option `option` of contest `contest`.
    fn share(&self, contest: usize, option: usize) -> Result<&PartialDecryption> {
        let share = self.shares.get(contest).and_then(|c| c.get(option)).ok_or(
            Error::ParticipantFailed {
                index: u32::from(self.index),
                check: "partial decryptions do not cover every sum of the tally",
            },
        )?;
        if share.index() != self.index {
            return Err(Error::ParticipantFailed {
                index: u32::from(self.index),
                check: "partial decryption signed by another trustee",
            });
        }
        Ok(share)
    }
}

impl Encode for TrusteeDecryption {
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::TrusteeDecryption, 1);
        self.index.encode(w);
        w.len(self.shares.len());
        for contest in &self.shares {
            w.len(contest.len());
            for share in contest {
                share.encode(w);
            }
        }
    }
}

/// Minimum encoded size of a partial decryption (header, index, point,
/// DLEQ proof), for allocation guards.
const MIN_PARTIAL_LEN: usize = 2 + 2 + 32 + 98;

impl Decode for TrusteeDecryption {
    const NAME: &'static str = "trustee decryption";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::TrusteeDecryption, &[1], Self::NAME)?;
        let index = ParticipantIndex::decode(r)?;
        let n = r.len(4, "decrypted contests")?;
        let shares = (0..n)
            .map(|_| {
                let k = r.len(MIN_PARTIAL_LEN, "decrypted options")?;
                (0..k).map(|_| PartialDecryption::decode(r)).collect()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TrusteeDecryption { index, shares })
    }
}

crate::impl_serde_via_encoding!(TrusteeDecryption);

/// What a tally decryption found: the result, the trustees whose shares
/// were combined, and every share that was rejected (unknown, disqualified
/// or duplicate trustee, bad proof), by trustee index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptedTally {
    /// The counts.
    pub result: TallyResult,
    /// Trustees combined for the first sum (the `t` valid ones with the
    /// smallest indices).
    pub used: Vec<ParticipantIndex>,
    /// Rejected shares: trustee index and reason, once per trustee
    /// decryption rejected.
    pub rejected: Vec<(u32, Error)>,
    /// The positions, in the decryptions given, of the trustee decryptions
    /// none of whose shares was rejected, ascending: the ones to publish
    /// (spec/record.md §2). Positions, not trustee indices: a rejected
    /// decryption may carry an honest trustee's index.
    pub valid: Vec<usize>,
}

/// Combines the trustees' decryptions of every sum of `tally` (any `t` of
/// them; absent trustees are normal), recovering each count by a discrete
/// log sized from the manifest. Every share's proof is checked; invalid
/// shares are reported in [`DecryptedTally::rejected`] and excluded, and the
/// decryption fails with [`Error::BelowThreshold`] only if fewer than `t`
/// valid shares remain for some sum.
///
/// This is the producer's step, on a tally it summed itself: the discrete
/// log costs `≈ √(ballots × max per option)` per sum. A verifier never
/// searches on a record's claimed counts; it checks the announced result
/// against the combined points instead (spec/record.md §3).
pub fn decrypt_tally<R: RngCore + CryptoRng>(
    manifest: &Manifest,
    trustees: &TrusteeSet,
    tally: &TallyAccumulator,
    decryptions: &[TrusteeDecryption],
    rng: &mut R,
) -> Result<DecryptedTally> {
    let combined =
        combine_tally(manifest, trustees, tally, decryptions, rng).map_err(|f| f.error)?;
    let result = tally.decrypt_with(manifest, |c, o, _| combined.point(c, o))?;
    let rejected: BTreeSet<usize> = combined.rejected.iter().map(|(at, _, _)| *at).collect();
    let valid = (0..decryptions.len())
        .filter(|at| !rejected.contains(at))
        .collect();
    Ok(DecryptedTally {
        result,
        rejected: combined.rejected(),
        used: combined.used,
        valid,
    })
}

/// A tally's threshold decryption up to the points: `m·G` for every sum,
/// the trustees used and the shares rejected. No discrete log is taken.
pub(crate) struct CombinedTally {
    /// `points[c][o] = m·G` for option `o` of contest `c`.
    points: Vec<Vec<RistrettoPoint>>,
    /// Trustees combined for the first sum.
    pub(crate) used: Vec<ParticipantIndex>,
    /// Rejected trustee decryptions: position in the input, trustee index
    /// and the first reason, once per position.
    rejected: Vec<(usize, u32, Error)>,
}

impl CombinedTally {
    /// The rejected trustee decryptions by trustee index, with the reason.
    pub(crate) fn rejected(&self) -> Vec<(u32, Error)> {
        self.rejected
            .iter()
            .map(|(_, index, e)| (*index, e.clone()))
            .collect()
    }

    fn point(&self, contest: usize, option: usize) -> Result<RistrettoPoint> {
        self.points
            .get(contest)
            .and_then(|c| c.get(option))
            .copied()
            .ok_or(Error::InvalidParameter {
                what: "no combined decryption for this sum",
            })
    }

    /// Checks that `result` announces exactly the counts this decryption of
    /// `tally` hides (spec/record.md §4, E11), with no discrete-log search:
    /// the manifest's contests in order, the tally's ballot count, and for
    /// every sum `count ≤ ballots × max per option` and `count·G = m·G`
    /// (one fixed-base multiplication per sum; `count < 2⁶⁴` is below the
    /// group order, so the equation has one solution). Returns the first
    /// disagreement.
    pub(crate) fn check_result(
        &self,
        manifest: &Manifest,
        tally: &TallyAccumulator,
        result: &TallyResult,
    ) -> core::result::Result<(), String> {
        if result.ballots() != tally.ballots() {
            return Err(format!(
                "the result counts {} ballots, the tally {}",
                result.ballots(),
                tally.ballots()
            ));
        }
        if result.contests().len() != manifest.contests().len() {
            return Err(format!(
                "the result has {} contests, the manifest {}",
                result.contests().len(),
                manifest.contests().len()
            ));
        }
        let ballots = u128::from(tally.ballots());
        for ((contest, announced), points) in manifest
            .contests()
            .iter()
            .zip(result.contests())
            .zip(&self.points)
        {
            let id = contest.id();
            if announced.contest_id() != id || announced.kind() != contest.kind() {
                return Err(format!("contest {id}: the result names another contest"));
            }
            if announced.counts().len() != points.len() {
                return Err(format!(
                    "contest {id}: {} counts for {} options",
                    announced.counts().len(),
                    points.len()
                ));
            }
            let max = ballots * u128::from(contest.kind().max_per_option());
            for (o, (&count, point)) in announced.counts().iter().zip(points).enumerate() {
                if u128::from(count) > max {
                    return Err(format!(
                        "contest {id}, option {o}: count {count} exceeds {max}, the most {ballots} ballots can give"
                    ));
                }
                if RistrettoPoint::mul_base(&Scalar::from(count)) != *point {
                    return Err(format!(
                        "contest {id}, option {o}: announced {count}, decrypted {}",
                        decrypted_count(point, max)
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Combines the trustees' partial decryptions of every sum of `tally` into
/// `m·G` (any `t` valid shares per sum; spec/trustees.md §7.2). Every
/// share's proof is checked once per sum, so the work is proportional to
/// the shares supplied. Fails if the tally does not have the manifest's
/// shape, or with [`Error::BelowThreshold`] if fewer than `t` valid shares
/// remain for some sum; a failure still names the trustee decryptions
/// whose shares were rejected (check E10).
pub(crate) fn combine_tally<R: RngCore + CryptoRng>(
    manifest: &Manifest,
    trustees: &TrusteeSet,
    tally: &TallyAccumulator,
    decryptions: &[TrusteeDecryption],
    rng: &mut R,
) -> core::result::Result<CombinedTally, CombineFailure> {
    let fail = |error| CombineFailure {
        error,
        rejected: Vec::new(),
    };
    tally.check_manifest(manifest).map_err(fail)?;
    let mut used = Vec::new();
    let mut rejected: Vec<(usize, u32, Error)> = Vec::new();
    let mut points = Vec::with_capacity(tally.sums().len());
    for (c, sums) in tally.sums().iter().enumerate() {
        let mut contest = Vec::with_capacity(sums.len());
        for (o, ct) in sums.iter().enumerate() {
            // The shares of this sum and the position of their decryption.
            let mut partials = Vec::with_capacity(decryptions.len());
            let mut from = Vec::with_capacity(decryptions.len());
            for (at, d) in decryptions.iter().enumerate() {
                match d.share(c, o) {
                    Ok(p) => {
                        partials.push(p.clone());
                        from.push(at);
                    }
                    Err(e) => note(&mut rejected, at, d.index, e),
                }
            }
            let decryption = match combine(trustees, ct, &partials, rng) {
                Ok(d) => d,
                Err(error) => {
                    // Below the threshold: name the shares that do not
                    // verify (one check per share supplied).
                    for (p, &at) in partials.iter().zip(&from) {
                        if let Err(why) = p.verify(trustees, ct) {
                            note(&mut rejected, at, p.index(), why);
                        }
                    }
                    return Err(CombineFailure { error, rejected });
                }
            };
            for ((i, e), p) in decryption.rejected.into_iter().zip(decryption.rejected_at) {
                if let Some(&at) = from.get(p) {
                    note(&mut rejected, at, i, e);
                }
            }
            if used.is_empty() {
                used = decryption.used;
            }
            contest.push(decryption.plaintext);
        }
        points.push(contest);
    }
    Ok(CombinedTally {
        points,
        used,
        rejected,
    })
}

/// Largest count bound for which a failed E11 searches the decrypted
/// count to show it: a 2¹⁶-entry table, built only when the check already
/// failed and only for a count bound that the supplied lines justify
/// (E11 is decided only when the tally's ballots equal the stream's lines).
pub const SHOWN_COUNT_BOUND: u128 = 1 << 32;

/// The decrypted count of `point` below `max + 1`, for a failure message,
/// or why it is not shown.
fn decrypted_count(point: &RistrettoPoint, max: u128) -> String {
    if max >= SHOWN_COUNT_BOUND {
        return String::from("a count not searched (bound above 2^32)");
    }
    // `max < 2^32`, so `max + 1` fits a u64.
    match crate::elgamal::DlogTable::new(max as u64 + 1).and_then(|t| t.solve(point)) {
        Ok(m) => format!("{m}"),
        Err(_) => format!("no count up to {max} (the combined point is not a possible count)"),
    }
}

/// Why [`combine_tally`] failed, and the trustee decryptions (position,
/// trustee index, reason) whose shares were rejected before it did.
pub(crate) struct CombineFailure {
    /// The error that stopped the combination.
    pub error: Error,
    /// The rejected trustee decryptions.
    pub rejected: Vec<(usize, u32, Error)>,
}

/// Records the rejection of the trustee decryption at position `at` (with
/// its first reason only).
fn note(rejected: &mut Vec<(usize, u32, Error)>, at: usize, index: ParticipantIndex, error: Error) {
    if !rejected.iter().any(|(p, _, _)| *p == at) {
        rejected.push((at, u32::from(index), error));
    }
}
