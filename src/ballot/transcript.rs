//! The Fiat–Shamir transcripts of a ballot's contests (spec/ballot.md §3.1).
//!
//! A contest's transcript binds the manifest, the election, the contest,
//! its position and kind, the joint key, the ballot id and every
//! transmitted ciphertext of the contest. The part that does not depend on
//! the ballot ([`ContestPrefix`]) is computed once per [`Election`](super::Election)
//! and cloned per ballot. The disjunctive proofs of a motion, 1-of-n or
//! approval contest then append their commitments, in order, to that one
//! transcript and share its single challenge ([`prove_shared`],
//! [`shared_challenge`]); each score proof runs on its own copy
//! ([`option_transcript`]).

use alloc::vec::Vec;
use core::fmt;
use curve25519_dalek::scalar::Scalar;
use merlin::Transcript;

use super::manifest::{u32_len, Contest, Manifest};
use super::BallotId;
use crate::proofs::{DisjunctiveCommitment, DisjunctiveProof, EncodedPoint};
use crate::transcript::{new_transcript, TranscriptProtocol};

/// Protocol label of the contest transcript.
const CONTEST_LABEL: &[u8] = b"kleroterion/ballot-contest";
/// Version of the contest transcript (spec/ballot.md §3.1). Version 1 gave
/// every proof its own challenge.
const CONTEST_VERSION: u64 = 2;
/// Label of the challenge shared by a contest's disjunctive proofs.
const CHALLENGE_LABEL: &[u8] = b"c";

/// The ballot-independent part of contest `i`'s transcript (spec/ballot.md
/// §3.1): the manifest hash, the election and contest ids, the contest's
/// position, kind and parameter, and the joint key.
#[derive(Clone)]
pub(crate) struct ContestPrefix(Transcript);

impl fmt::Debug for ContestPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContestPrefix")
    }
}

impl ContestPrefix {
    /// The prefix of contest `index` (`contest`) of `manifest` under the
    /// key `pk`.
    pub(crate) fn new(
        manifest: &Manifest,
        index: usize,
        contest: &Contest,
        pk: &EncodedPoint,
    ) -> Self {
        let eid = manifest.election_id().as_bytes();
        let cid = contest.id().as_bytes();
        let mut ctx = Vec::with_capacity(32 + 4 + eid.len() + 4 + cid.len());
        ctx.extend_from_slice(manifest.hash());
        ctx.extend_from_slice(&u32_len(eid.len()).to_le_bytes());
        ctx.extend_from_slice(eid);
        ctx.extend_from_slice(&u32_len(cid.len()).to_le_bytes());
        ctx.extend_from_slice(cid);
        let mut t = new_transcript(&ctx);
        t.domain_sep(CONTEST_LABEL, CONTEST_VERSION);
        let (code, param) = contest.kind().code();
        // usize → u64 is lossless on every supported target.
        t.append_u64_le(b"contest-index", index as u64);
        t.append_u64_le(b"kind", u64::from(code));
        t.append_u64_le(b"param", u64::from(param));
        t.append_compressed(b"PK", pk.encoding());
        Self(t)
    }

    /// The contest's transcript in ballot `id` with the transmitted
    /// `ciphertexts`: the whole statement of every proof of the contest.
    pub(crate) fn ballot(&self, id: &BallotId, ciphertexts: &[[EncodedPoint; 2]]) -> Transcript {
        let mut t = self.0.clone();
        t.append_bytes(b"ballot-id", id.as_bytes());
        t.append_u64_le(b"options", ciphertexts.len() as u64);
        for [alpha, beta] in ciphertexts {
            t.append_compressed(b"alpha", alpha.encoding());
            t.append_compressed(b"beta", beta.encoding());
        }
        t
    }
}

/// The transcript of the score proof for option `i` (spec/ballot.md §3.3).
pub(crate) fn option_transcript(base: &Transcript, i: usize) -> Transcript {
    let mut t = base.clone();
    t.append_bytes(b"part", b"option");
    t.append_u64_le(b"index", i as u64);
    t
}

/// The challenge that a contest's disjunctive `proofs` share: their
/// commitments appended in order to the contest transcript `base`, then
/// one challenge (spec/ballot.md §3.1, spec/proofs.md §5.6).
pub(crate) fn shared_challenge<'a>(
    mut base: Transcript,
    proofs: impl IntoIterator<Item = &'a DisjunctiveProof>,
) -> Scalar {
    for proof in proofs {
        proof.append_commitments(&mut base);
    }
    base.challenge_scalar(CHALLENGE_LABEL)
}

/// The prover's side of [`shared_challenge`]: appends the `commitments`
/// in order to the contest transcript `base`, squeezes the one challenge
/// and answers it with each.
pub(crate) fn prove_shared(
    mut base: Transcript,
    commitments: Vec<DisjunctiveCommitment>,
) -> Vec<DisjunctiveProof> {
    for commitment in &commitments {
        commitment.append_to(&mut base);
    }
    let c = base.challenge_scalar(CHALLENGE_LABEL);
    commitments
        .into_iter()
        .map(|commitment| commitment.answer(&c))
        .collect()
}
