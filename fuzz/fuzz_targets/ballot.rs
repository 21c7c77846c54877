//! Encrypted ballots, opened (challenged) ballots and confirmation codes,
//! verified against the fixture election (`src/civic.rs`: a motion, a
//! 1-of-3, an approval and a score contest under a fixed key).
//!
//! * `EncryptedBallot`, `ChallengedBallot` and `ConfirmationCode` round-trip.
//! * A decoded `EncryptedBallot` that verifies is one of the fixture ballots
//!   (the ballot id, every ciphertext and every proof is bound: anything else
//!   is a forgery or a malleable encoding). `verify_cast` agrees with
//!   `verify`; `verify_batch` and `decode_verify_cast_batch` over
//!   `[fuzzed, fixture ballots…]` succeed exactly when it verifies, and
//!   otherwise name index 0.
//! * The confirmation code of a decoded ballot is the same from the value and
//!   from its encoding; from a fixture code, a fuzzed ballot yields the next
//!   fixture code only if it is the fixture ballot.
//! * A `ChallengedBallot` whose opening verifies reveals a valid plaintext
//!   ballot for the manifest; if its ciphertexts are those of a fixture
//!   ballot it reveals exactly that ballot's selections (binding).
//! * A `ChallengedBallot` carrying the id of a cast ballot of
//!   `test-vectors/election.json` is offered to a `BallotBox` of that
//!   election before the cast ballot: if the challenge is rejected, the
//!   cast ballot is still accepted (issue #16: a rejected challenge must not
//!   burn a voter's ballot id).
#![no_main]

use kleroterion::ballot::{
    ChallengedBallot, ConfirmationCode, Election, EncryptedBallot, PlaintextBallot,
    PlaintextContest,
};
use kleroterion::encoding::{Decode, Encode};
use kleroterion::record::BallotBox;
use kleroterion_fuzz::civic::{ballot_fixtures, record_fixtures};
use kleroterion_fuzz::fixtures::rng;
use kleroterion_fuzz::{assert_batch_agrees, roundtrip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = ballot_fixtures();
    let election = &f.election;
    let mut rng = rng(3);
    if let Some(ballot) = roundtrip::<EncryptedBallot>(data) {
        let valid = election.verify(&ballot, &mut rng).is_ok();
        if valid {
            assert!(
                f.valid_ballots().any(|b| *b == ballot),
                "ballot forgery: a ballot that is not a fixture ballot verifies"
            );
        }
        assert_eq!(
            election.verify_cast(ballot.clone(), &mut rng).is_ok(),
            valid,
            "verify_cast disagrees with verify"
        );
        let mut ballots = vec![ballot.clone()];
        ballots.extend(f.cast.iter().cloned());
        assert_batch_agrees(
            election.verify_batch(&ballots, &mut rng),
            valid,
            "verify_batch",
        );
        let mut encoded = vec![data.to_vec()];
        encoded.extend(f.cast.iter().map(Encode::to_bytes));
        assert_batch_agrees(
            election.decode_verify_cast_batch(&encoded, &mut rng),
            valid,
            "decode_verify_cast_batch",
        );
        for (i, known) in f.cast.iter().enumerate() {
            let next = f.codes[i].next(&ballot);
            assert_eq!(
                next,
                f.codes[i].next_encoded(data),
                "code of value ≠ code of bytes"
            );
            assert_eq!(
                next == f.codes[i + 1],
                ballot == *known,
                "confirmation code collision"
            );
        }
    }
    if let Some(code) = roundtrip::<ConfirmationCode>(data) {
        for (i, known) in f.cast.iter().enumerate() {
            assert_eq!(
                code.next(known) == f.codes[i + 1],
                code == f.codes[i],
                "confirmation chain collision"
            );
        }
    }
    if let Some(opened) = roundtrip::<ChallengedBallot>(data) {
        challenge_keeps_the_id_free(&opened);
        if opened.verify_opening(election).is_ok() {
            let contests = election
                .manifest()
                .contests()
                .iter()
                .zip(opened.selections())
                .map(|(c, values)| PlaintextContest::new(c.id(), values.clone()))
                .collect();
            PlaintextBallot::new(*opened.id(), contests)
                .validate(election.manifest())
                .expect("an opening that verifies reveals a valid plaintext ballot");
            if let Some(known) = f.selections_of(opened.ballot()) {
                assert_eq!(
                    opened.selections(),
                    known,
                    "a fixture ballot opened to other selections"
                );
            }
        }
    }
});

/// Issue #16 (attack 3): if `opened` carries the id of a cast ballot of the
/// vector election, a box that rejects it still accepts that cast ballot.
fn challenge_keeps_the_id_free(opened: &ChallengedBallot) {
    let v = &record_fixtures().vector;
    if v.record.eligible.is_some() {
        return;
    }
    let Some(line) = v
        .ballots
        .iter()
        .find(|l| l.ballot.get(2..34) == Some(opened.id().as_bytes().as_slice()))
    else {
        return;
    };
    let mut rng = rng(4);
    let trustees = v.record.trustees.verify(&mut rng).expect("vector trustees");
    let election = Election::new(v.record.manifest.clone(), *trustees.joint_public_key());
    let mut bb = BallotBox::open(election, v.record.trustees.clone(), None, &mut rng)
        .expect("vector ballot box");
    let challenged = bb.challenge(opened, &mut rng);
    let cast = EncryptedBallot::from_bytes(&line.ballot).expect("vector ballot");
    let accepted = bb.cast(cast, &mut rng);
    assert_eq!(
        accepted.is_ok(),
        challenged.is_err(),
        "a challenge decided a cast ballot's fate (burned id or double use)"
    );
}
