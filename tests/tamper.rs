//! Tamper matrix (issue 9): for every public record type, every change of
//! the encoded value is rejected — the decoder fails or the record's
//! verification fails — and nothing panics.
//!
//! A [`Record`] is a valid encoded value together with the check a verifier
//! runs on it against trusted anchors (the statement of a proof, the
//! published trustee set, the beacon parameters). Three sweeps run over every
//! record:
//!
//! * exhaustive: the lowest bit of every byte is flipped, every strict
//!   prefix and the value with one byte appended are checked;
//! * proptest: a random byte position is XORed with a random nonzero mask.
//!
//! To add a record type, add one entry to [`records`]. The large records
//! (election, selection and assembly records) are swept, with their
//! semantic tamper tables, in `tests/tamper_records.rs`.
//!
//! Some bytes of a record cannot be authenticated by its verifier; each such
//! range is listed with its reason in [`Record::unauthenticated`], and for
//! those bytes the matrix asserts the weaker property that tampering cannot
//! change the verified outcome.

use std::ops::Range;
use std::sync::OnceLock;

use kleroterion::ballot::{ChallengedBallot, Election};
use kleroterion::beacon::ecvrf;
use kleroterion::beacon::threshold::{
    verify_chain, verify_round, BeaconPartial, BeaconRecord, BeaconRound,
};
use kleroterion::credential::{ConsentStatement, MembershipProof};
use kleroterion::encoding::{Decode, Encode};
use kleroterion::proofs::{DisjunctiveProof, DleqProof, SchnorrProof};
use kleroterion::record::eligibility_context;
use kleroterion::roll::{InclusionProof, RollEntry};
use kleroterion::sortition::DrawnEntry;
use kleroterion::trustees::dkg::DkgTranscript;
use kleroterion::trustees::{PartialDecryption, TrusteeSet};
use kleroterion::Error;
use proptest::prelude::*;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

mod common;

use common::fixtures::{transcript, ALLOWED};
use common::{assembly, consent, dkg_round2_shares, fixtures, harm_vote, rng};

/// The check a verifier runs on an encoded record: decode, then verify
/// against trusted anchors.
type Check = Box<dyn Fn(&[u8]) -> Result<(), Error> + Send + Sync>;

/// One row of the matrix.
struct Record {
    name: &'static str,
    encoded: Vec<u8>,
    check: Check,
    /// Byte ranges no public check covers, with the reason; tampering there
    /// may pass but must not change the outcome of `check`.
    unauthenticated: Vec<(Range<usize>, &'static str)>,
}

impl Record {
    fn new(name: &'static str, encoded: Vec<u8>, check: Check) -> Self {
        Record {
            name,
            encoded,
            check,
            unauthenticated: Vec::new(),
        }
    }

    fn authenticated(&self, position: usize) -> bool {
        !self
            .unauthenticated
            .iter()
            .any(|(range, _)| range.contains(&position))
    }

    /// Asserts that `tampered` (a change at `position`, if any) is rejected.
    /// In an unauthenticated range the change may pass, but `check` still
    /// compares the outcome with the trusted anchor, so it cannot change it;
    /// there only the absence of panics is asserted.
    fn assert_rejected(&self, tampered: &[u8], position: Option<usize>, what: &str) {
        let outcome = (self.check)(tampered);
        let authenticated = position.map_or(true, |p| self.authenticated(p));
        if authenticated {
            assert!(outcome.is_err(), "{}: {what} was accepted", self.name);
        }
    }
}

/// Decodes a `T` and runs `verify` on it.
fn decode_then<T: Decode>(
    verify: impl Fn(&T) -> Result<(), Error> + Send + Sync + 'static,
) -> Check {
    Box::new(move |bytes| verify(&T::from_bytes(bytes)?))
}

fn mismatch(what: &'static str) -> Error {
    Error::VerificationFailed { proof: what }
}

/// Every record type of the crate, each a valid value with its check.
fn records() -> &'static [Record] {
    static CELL: OnceLock<Vec<Record>> = OnceLock::new();
    CELL.get_or_init(|| {
        let f = fixtures();
        vec![
            Record::new(
                "SchnorrProof",
                f.schnorr.to_bytes(),
                decode_then(|p: &SchnorrProof| {
                    let f = fixtures();
                    p.verify(&mut transcript(), &G, &f.schnorr_public)
                }),
            ),
            Record::new(
                "DleqProof",
                f.dleq.to_bytes(),
                decode_then(|p: &DleqProof| {
                    p.verify(&mut transcript(), &fixtures().dleq_statement)
                }),
            ),
            Record::new(
                "DisjunctiveProof",
                f.disjunctive.to_bytes(),
                decode_then(|p: &DisjunctiveProof| {
                    let f = fixtures();
                    p.verify(&mut transcript(), f.keys.public(), &f.ciphertext, &ALLOWED)
                }),
            ),
            Record::new(
                "ecvrf::Proof",
                f.vrf_proof.to_bytes().to_vec(),
                Box::new(|bytes| {
                    let f = fixtures();
                    let proof = ecvrf::Proof::from_bytes(bytes)?;
                    f.vrf_key.verify(&f.vrf_alpha, &proof).map(|_| ())
                }),
            ),
            Record::new(
                "PartialDecryption",
                f.partials[0].to_bytes(),
                decode_then(|p: &PartialDecryption| {
                    let f = fixtures();
                    p.verify(&f.trustees, &f.tally)
                }),
            ),
            dkg_transcript_record(),
            Record::new(
                "TrusteeSet",
                f.trustees.to_bytes(),
                // The published set must be the one its key generation yields.
                decode_then(|set: &TrusteeSet| {
                    let derived = fixtures().dkg.verify(&mut rng(5))?;
                    (derived == *set)
                        .then_some(())
                        .ok_or(mismatch("trustee set against its key generation"))
                }),
            ),
            Record::new(
                "BeaconPartial",
                f.chained.round1_partials[0].to_bytes(),
                decode_then(|p: &BeaconPartial| {
                    p.verify(&fixtures().chained.record.parameters, None)
                }),
            ),
            Record::new(
                "BeaconRecord (chained)",
                f.chained.record.to_bytes(),
                beacon_check(0),
            ),
            Record::new(
                "BeaconRecord (unchained)",
                f.unchained.record.to_bytes(),
                beacon_check(1),
            ),
            Record::new(
                "BeaconRound (chained round 2)",
                f.chained.record.rounds[1].to_bytes(),
                decode_then(|round: &BeaconRound| {
                    let chain = &fixtures().chained;
                    let previous = chain.record.rounds[0].output();
                    let output =
                        verify_round(&chain.record.parameters, round, Some(previous), &mut rng(8))?;
                    (round.round() == 2 && output == *chain.record.rounds[1].output())
                        .then_some(())
                        .ok_or(mismatch("beacon round against the client's round number"))
                }),
            ),
            membership_record(),
            Record::new(
                "ConsentStatement",
                consent()[0].to_bytes(),
                decode_then(|c: &ConsentStatement| {
                    c.verify(common::CONSENT_POLITY, common::CONSENT_YEAR)
                }),
            ),
            Record::new(
                "InclusionProof",
                drawn().proof.to_bytes(),
                decode_then(|p: &InclusionProof| p.verify(&drawn().entry, &announced_roll())),
            ),
            // Regression: before E8 verified the proofs, a changed ballot id
            // or proof of an opened ballot passed.
            Record::new(
                "ChallengedBallot",
                harm_vote().challenged[0].clone(),
                decode_then(|b: &ChallengedBallot| b.verify(harm_election(), &mut rng(14))),
            ),
            Record::new(
                "RollEntry (drawn)",
                drawn().entry.to_bytes(),
                decode_then(|e: &RollEntry| drawn().proof.verify(e, &announced_roll())),
            ),
        ]
    })
}

/// The election of the simulated assembly's harm vote, under the joint key
/// its key generation derives.
fn harm_election() -> &'static Election {
    static CELL: OnceLock<Election> = OnceLock::new();
    CELL.get_or_init(|| {
        let record = harm_vote().record;
        let trustees = record
            .trustees
            .verify(&mut rng(15))
            .expect("key generation");
        Election::new(record.manifest, *trustees.joint_public_key())
    })
}

/// The first delegate of the first stratum of the simulated assembly.
fn drawn() -> &'static DrawnEntry {
    &assembly().record.selection.strata[0].selected[0]
}

fn announced_roll() -> kleroterion::roll::RollDigest {
    assembly().record.announcement.roll
}

/// A delegate's eligibility proof on the first ballot line of the harm
/// vote, checked over the seated set with the vote's context and the
/// ballot's hash as the message. The linking tag is part of what is
/// checked (it decides E14), and the verifier binds it.
fn membership_record() -> Record {
    let vote = harm_vote();
    let line = &vote.lines[0];
    let encoded = line.eligibility.clone().expect("restricted vote");
    let message = kleroterion::ballot::EncryptedBallot::hash_encoding(&line.ballot);
    Record::new(
        "MembershipProof",
        encoded,
        decode_then(move |p: &MembershipProof| {
            let record = &assembly().record.votes[0].record;
            let set = record.eligible.as_ref().expect("restricted vote");
            p.verify(set, eligibility_context(&record.manifest), &message)
        }),
    )
}

/// A beacon record is checked by a client that holds the chain's
/// parameters: the record must carry exactly those and verify.
fn beacon_check(which: usize) -> Check {
    decode_then(move |record: &BeaconRecord| {
        let f = fixtures();
        let anchor = [&f.chained, &f.unchained][which];
        if record.parameters != anchor.record.parameters {
            return Err(mismatch("beacon parameters against the client's"));
        }
        verify_chain(record, &mut rng(6)).map(|_| ())
    })
}

/// The key generation transcript must verify to the published trustee set.
/// The round-2 encrypted shares are listed as unauthenticated
/// ([`dkg_round2_shares`]: only their recipients can check them).
fn dkg_transcript_record() -> Record {
    let transcript = &fixtures().dkg;
    let encoded = transcript.to_bytes();
    let unauthenticated = dkg_round2_shares(transcript, &encoded)
        .into_iter()
        .map(|range| {
            (
                range,
                "round-2 encrypted shares: only their recipients can check them",
            )
        })
        .collect();
    Record {
        name: "DkgTranscript",
        encoded,
        check: decode_then(|t: &DkgTranscript| {
            let set = t.verify(&mut rng(7))?;
            (set == fixtures().trustees)
                .then_some(())
                .ok_or(mismatch("key generation against the published trustee set"))
        }),
        unauthenticated,
    }
}

#[test]
fn every_record_verifies_untampered() {
    for record in records() {
        assert_eq!((record.check)(&record.encoded), Ok(()), "{}", record.name);
    }
}

#[test]
fn flipping_any_bit_zero_truncating_or_extending_is_rejected() {
    for record in records() {
        let bytes = &record.encoded;
        for position in 0..bytes.len() {
            let mut tampered = bytes.clone();
            tampered[position] ^= 1;
            record.assert_rejected(
                &tampered,
                Some(position),
                &format!("bit flip at {position}"),
            );
        }
        for len in 0..bytes.len() {
            record.assert_rejected(&bytes[..len], None, &format!("prefix of {len} bytes"));
        }
        let mut extended = bytes.clone();
        extended.push(0);
        record.assert_rejected(&extended, None, "one appended byte");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_single_byte_change_is_rejected(
        which in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let record = which.get(records());
        let position = position.index(record.encoded.len());
        let mut tampered = record.encoded.clone();
        tampered[position] ^= mask;
        record.assert_rejected(&tampered, Some(position), &format!("xor {mask:#04x} at {position}"));
    }
}
