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
//! Every byte of every record is authenticated by its check. (The round-2
//! encrypted shares of a key generation transcript were not, until dealers
//! signed their round-2 packages: spec/trustees.md §4.3.)

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
use common::{assembly, consent, find, fixtures, harm_vote, rng};

/// The check a verifier runs on an encoded record: decode, then verify
/// against trusted anchors.
type Check = Box<dyn Fn(&[u8]) -> Result<(), Error> + Send + Sync>;

/// One row of the matrix.
struct Record {
    name: &'static str,
    encoded: Vec<u8>,
    check: Check,
}

impl Record {
    fn new(name: &'static str, encoded: Vec<u8>, check: Check) -> Self {
        Record {
            name,
            encoded,
            check,
        }
    }

    /// Asserts that `tampered` is rejected.
    fn assert_rejected(&self, tampered: &[u8], what: &str) {
        assert!(
            (self.check)(tampered).is_err(),
            "{}: {what} was accepted",
            self.name
        );
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
                    p.verify(
                        &fixtures().chained.record.parameters,
                        None,
                        &kleroterion::beacon::Registrations::none(),
                    )
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
/// Every byte is authenticated: the round-2 encrypted shares, which the
/// public verifier cannot decrypt, are signed by their dealers
/// (spec/trustees.md §4.3), so altering one fails with the dealer's
/// `"round-2 package signature"` check.
fn dkg_transcript_record() -> Record {
    Record::new(
        "DkgTranscript",
        fixtures().dkg.to_bytes(),
        decode_then(|t: &DkgTranscript| {
            let set = t.verify(&mut rng(7))?;
            (set == fixtures().trustees)
                .then_some(())
                .ok_or(mismatch("key generation against the published trustee set"))
        }),
    )
}

/// Formerly a known limitation (the tamper matrix found it): an altered
/// round-2 ciphertext of a stored transcript went unnoticed. Every
/// ciphertext of every round-2 package, changed to another canonical
/// scalar, now fails verification naming its dealer.
#[test]
fn altered_round2_ciphertexts_fail_the_dealer_signature() {
    let f = fixtures();
    let encoded = f.dkg.to_bytes();
    let n = usize::from(f.dkg.parameters.participants());
    let mut checked = 0;
    for package in &f.dkg.round2 {
        // header (2) ‖ dealer (2) ‖ count (4) ‖ one 32-byte share per recipient
        let start = find(&encoded, &package.to_bytes()) + 8;
        for k in 0..n - 1 {
            let mut tampered = encoded.clone();
            // Flipping the lowest bit keeps the scalar canonical.
            tampered[start + 32 * k] ^= 1;
            let transcript = DkgTranscript::from_bytes(&tampered).unwrap();
            assert_eq!(
                transcript.verify(&mut rng(8)),
                Err(Error::ParticipantFailed {
                    index: u32::from(package.dealer()),
                    check: "round-2 package signature",
                })
            );
            checked += 1;
        }
    }
    assert_eq!(checked, f.dkg.round2.len() * (n - 1));
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
            record.assert_rejected(&tampered, &format!("bit flip at {position}"));
        }
        for len in 0..bytes.len() {
            record.assert_rejected(&bytes[..len], &format!("prefix of {len} bytes"));
        }
        let mut extended = bytes.clone();
        extended.push(0);
        record.assert_rejected(&extended, "one appended byte");
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
        record.assert_rejected(&tampered, &format!("xor {mask:#04x} at {position}"));
    }
}
