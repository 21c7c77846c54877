//! Threshold decryption of a whole tally (spec/record.md §3).

use alloc::vec::Vec;
use rand_core::{CryptoRng, RngCore};

use crate::ballot::Manifest;
use crate::elgamal::Ciphertext;
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
    /// Rejected shares: trustee index and reason.
    pub rejected: Vec<(u32, Error)>,
}

/// Combines the trustees' decryptions of every sum of `tally` (any `t` of
/// them; absent trustees are normal), recovering each count by a discrete
/// log sized from the manifest. Every share's proof is checked; invalid
/// shares are reported in [`DecryptedTally::rejected`] and excluded, and the
/// decryption fails with [`Error::BelowThreshold`] only if fewer than `t`
/// valid shares remain for some sum.
pub fn decrypt_tally<R: RngCore + CryptoRng>(
    manifest: &Manifest,
    trustees: &TrusteeSet,
    tally: &TallyAccumulator,
    decryptions: &[TrusteeDecryption],
    rng: &mut R,
) -> Result<DecryptedTally> {
    let mut rejected = Vec::new();
    decrypt_tally_noting(manifest, trustees, tally, decryptions, rng, &mut rejected)
}

/// [`decrypt_tally`], noting rejected shares in `rejected` as it goes, so
/// that a decryption that fails (below the threshold) still names the
/// trustees whose shares were rejected (check E10).
pub(crate) fn decrypt_tally_noting<R: RngCore + CryptoRng>(
    manifest: &Manifest,
    trustees: &TrusteeSet,
    tally: &TallyAccumulator,
    decryptions: &[TrusteeDecryption],
    rng: &mut R,
    rejected: &mut Vec<(u32, Error)>,
) -> Result<DecryptedTally> {
    let mut used = Vec::new();
    let mut oracle = |c: usize, o: usize, ct: &Ciphertext| {
        let mut partials = Vec::with_capacity(decryptions.len());
        for d in decryptions {
            match d.share(c, o) {
                Ok(p) => partials.push(p.clone()),
                Err(e) => note(rejected, u32::from(d.index), e),
            }
        }
        let decryption = match combine(trustees, ct, &partials, rng) {
            Ok(d) => d,
            Err(e) => {
                // Below the threshold: name the shares that did not verify.
                for p in &partials {
                    if let Err(why) = p.verify(trustees, ct) {
                        note(rejected, u32::from(p.index()), why);
                    }
                }
                return Err(e);
            }
        };
        for (i, e) in decryption.rejected {
            note(rejected, u32::from(i), e);
        }
        if used.is_empty() {
            used = decryption.used;
        }
        Ok(decryption.plaintext)
    };
    let result = tally.decrypt_with(manifest, &mut oracle)?;
    Ok(DecryptedTally {
        result,
        used,
        rejected: core::mem::take(rejected),
    })
}

/// Records a rejection once per trustee.
fn note(rejected: &mut Vec<(u32, Error)>, index: u32, error: Error) {
    if !rejected.iter().any(|(i, _)| *i == index) {
        rejected.push((index, error));
    }
}
