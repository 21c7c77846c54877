//! Tests of the ballot module (spec/ballot.md).

use super::encrypted::encode_ciphertexts;
use super::transcript::prove_shared;
use super::*;
use crate::elgamal::{Ciphertext, Nonce, SecretKey};
use crate::encoding::{Decode, Encode};
use crate::proofs::{DisjunctiveCommitment, DisjunctiveProof, DisjunctiveStatement, EncodedPoint};
use crate::tally::TallyAccumulator;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

pub(crate) fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn opts(n: usize) -> Vec<String> {
    (0..n).map(|i| alloc::format!("option {i}")).collect()
}

/// A motion-only election and its secret key.
pub(crate) fn motion_election(seed: u64) -> (Election, SecretKey) {
    let sk = SecretKey::generate(&mut rng(seed));
    let manifest = Manifest::new("assembly-7/harm", vec![Contest::motion("harm")]).unwrap();
    (Election::new(manifest, sk.public_key()), sk)
}

/// An election with one contest of every kind.
pub(crate) fn mixed_election(seed: u64) -> (Election, SecretKey) {
    let sk = SecretKey::generate(&mut rng(seed));
    let manifest = Manifest::new(
        "assembly-7/mixed",
        vec![
            Contest::motion("harm"),
            Contest::new("chair", ContestKind::OneOfN, opts(3)),
            Contest::new("panel", ContestKind::Approval { limit: 2 }, opts(4)),
            Contest::new("remedy", ContestKind::Score { max: 5 }, opts(2)),
        ],
    )
    .unwrap();
    (Election::new(manifest, sk.public_key()), sk)
}

pub(crate) fn motion_ballot(id: BallotId, vote: MotionVote) -> PlaintextBallot {
    PlaintextBallot::new(id, vec![PlaintextContest::motion("harm", vote)])
}

pub(crate) fn mixed_ballot(id: BallotId, values: [Vec<u64>; 4]) -> PlaintextBallot {
    let [a, b, c, d] = values;
    PlaintextBallot::new(
        id,
        vec![
            PlaintextContest::new("harm", a),
            PlaintextContest::new("chair", b),
            PlaintextContest::new("panel", c),
            PlaintextContest::new("remedy", d),
        ],
    )
}

/// `values` of [`mixed_election`]'s contests encrypted as ballot `id` and
/// cast.
fn cast_mixed(
    election: &Election,
    id: BallotId,
    values: [Vec<u64>; 4],
    r: &mut ChaCha20Rng,
) -> EncryptedBallot {
    election
        .encrypt(mixed_ballot(id, values), r)
        .unwrap()
        .cast()
}

/// Replaces a contest's transmitted ciphertexts (and their cached
/// encodings); an exactly-one contest's last ciphertext is derived.
fn set_ciphertexts(ec: &mut EncryptedContest, mut cts: Vec<Ciphertext>) {
    ec.encoded = encode_ciphertexts(&cts);
    if matches!(ec.proofs, ContestProofs::ExactlyOne(_)) {
        cts.push(Ciphertext::complement(1, cts.clone()));
    }
    ec.ciphertexts = cts;
}

fn vote_of(i: usize) -> MotionVote {
    match i % 5 {
        0 | 2 => MotionVote::Yes,
        1 | 4 => MotionVote::No,
        _ => MotionVote::Abstain,
    }
}

#[test]
fn motion_150_delegates_end_to_end() {
    let (election, sk) = motion_election(1);
    let mut r = rng(2);
    let mut chain = ConfirmationChain::new(election.manifest());
    let mut submitted = Vec::new();
    let mut codes = Vec::new();
    for i in 0..150 {
        let pending = election
            .encrypt(motion_ballot(BallotId::random(&mut r), vote_of(i)), &mut r)
            .unwrap();
        codes.push(chain.append(pending.ballot()));
        submitted.push(pending.cast());
    }
    assert_eq!(chain.len(), 150);
    let cast = election
        .verify_cast_batch(submitted.clone(), &mut r)
        .unwrap();
    assert_eq!(
        first_duplicate_id(cast.iter().map(|c| c.ballot().id())),
        None
    );
    let mut tally = TallyAccumulator::new(election.manifest());
    tally.add_all(&cast).unwrap();
    let result = tally.decrypt(election.manifest(), &sk).unwrap();
    let outcome = result.contest("harm").unwrap().motion().unwrap();
    // i mod 5 ∈ {0, 2} yes, {1, 4} no, {3} abstain: 60 / 60 / 30.
    assert_eq!((outcome.yes, outcome.no, outcome.abstain), (60, 60, 30));
    assert!(!outcome.passes, "a tie does not pass");
    assert_eq!(result.ballots(), 150);

    // The verifier recomputes the same confirmation codes.
    let mut replay = ConfirmationChain::new(election.manifest());
    for (b, code) in submitted.iter().zip(&codes) {
        assert_eq!(&replay.append(b), code);
    }
    // The same codes straight from the encodings.
    let mut code = ConfirmationCode::seed(election.manifest());
    for (b, expected) in submitted.iter().zip(&codes) {
        code = code.next_encoded(&b.to_bytes());
        assert_eq!(&code, expected);
    }
    // Dropping one ballot changes every later code.
    let mut skip = ConfirmationChain::new(election.manifest());
    for b in submitted.iter().skip(1) {
        skip.append(b);
    }
    assert_ne!(skip.last(), chain.last());
}

#[test]
fn mixed_contests_tally_to_plaintext_sums() {
    let (election, sk) = mixed_election(3);
    let mut r = rng(4);
    let plain = [
        [vec![1, 0, 0], vec![0, 1, 0], vec![1, 1, 0, 0], vec![5, 0]],
        [vec![0, 1, 0], vec![0, 1, 0], vec![0, 0, 0, 1], vec![3, 4]],
        [vec![1, 0, 0], vec![1, 0, 0], vec![0, 0, 0, 0], vec![0, 2]],
    ];
    let ballots: Vec<EncryptedBallot> = plain
        .iter()
        .map(|p| {
            let id = BallotId::random(&mut r);
            cast_mixed(&election, id, p.clone(), &mut r)
        })
        .collect();
    for b in &ballots {
        election.verify(b, &mut r).unwrap();
        assert_eq!(&EncryptedBallot::from_bytes(&b.to_bytes()).unwrap(), b);
    }
    let cast = election.verify_cast_batch(ballots, &mut r).unwrap();
    let mut tally = TallyAccumulator::new(election.manifest());
    for c in &cast {
        tally.add(c).unwrap();
    }
    let result = tally.decrypt(election.manifest(), &sk).unwrap();
    let counts: Vec<&[u64]> = result.contests().iter().map(|c| c.counts()).collect();
    assert_eq!(
        counts,
        vec![&[2u64, 1, 0][..], &[1, 2, 0], &[1, 1, 0, 1], &[8, 6]]
    );
    let motion = result.contests()[0].motion().unwrap();
    assert!(motion.passes);
    assert!(result.contests()[1].motion().is_none());
}

#[test]
fn prover_rejects_invalid_selections() {
    let (election, _) = mixed_election(5);
    let mut r = rng(6);
    let id = BallotId([7; 32]);
    let ok = || [vec![1, 0, 0], vec![0, 1, 0], vec![1, 1, 0, 0], vec![5, 0]];
    let param = |e: Error| matches!(e, Error::InvalidParameter { .. });
    let mut bad = ok();
    bad[0] = vec![1, 1, 0]; // two answers to a motion
    assert!(param(
        election.encrypt(mixed_ballot(id, bad), &mut r).unwrap_err()
    ));
    let mut bad = ok();
    bad[1] = vec![0, 0, 0]; // no choice in a 1-of-n
    assert!(param(
        election.encrypt(mixed_ballot(id, bad), &mut r).unwrap_err()
    ));
    let mut bad = ok();
    bad[2] = vec![1, 1, 1, 0]; // approval limit 2
    assert!(param(
        election.encrypt(mixed_ballot(id, bad), &mut r).unwrap_err()
    ));
    let mut bad = ok();
    bad[2] = vec![2, 0, 0, 0]; // approval value above 1
    assert!(param(
        election.encrypt(mixed_ballot(id, bad), &mut r).unwrap_err()
    ));
    let mut bad = ok();
    bad[3] = vec![6, 0]; // score above max
    assert!(param(
        election.encrypt(mixed_ballot(id, bad), &mut r).unwrap_err()
    ));
    let mut bad = ok();
    bad[3] = vec![1]; // one score missing
    assert!(matches!(
        election.encrypt(mixed_ballot(id, bad), &mut r),
        Err(Error::LengthMismatch { .. })
    ));
    // A missing contest and a contest out of order.
    let missing = PlaintextBallot::new(id, vec![PlaintextContest::motion("harm", MotionVote::No)]);
    assert!(matches!(
        election.encrypt(missing, &mut r),
        Err(Error::LengthMismatch { .. })
    ));
    let [a, b, c, d] = ok();
    let swapped = PlaintextBallot::new(
        id,
        vec![
            PlaintextContest::new("chair", b),
            PlaintextContest::new("harm", a),
            PlaintextContest::new("panel", c),
            PlaintextContest::new("remedy", d),
        ],
    );
    assert!(param(election.encrypt(swapped, &mut r).unwrap_err()));
    // Debug never shows the selections.
    let dbg = alloc::format!("{:?}", mixed_ballot(id, ok()));
    assert!(dbg.contains("redacted") && !dbg.contains("[1, 0, 0]"));
}

/// Encrypts each of `values` under the election key with a fresh nonce.
fn encrypt_values(
    election: &Election,
    values: &[u64],
    r: &mut ChaCha20Rng,
) -> (Vec<Nonce>, Vec<Ciphertext>) {
    let nonces: Vec<Nonce> = values.iter().map(|_| Nonce::random(r)).collect();
    let cts = values
        .iter()
        .zip(&nonces)
        .map(|(v, n)| {
            Ciphertext::encrypt_with_nonce(election.public_key(), &Scalar::from(*v), n.as_scalar())
        })
        .collect();
    (nonces, cts)
}

/// The first moves of honest {0,1} proofs of the options `values`
/// encrypted as `cts`, for the contest transcript `base`.
fn option_commitments(
    election: &Election,
    base: &merlin::Transcript,
    values: &[u64],
    nonces: &[Nonce],
    cts: &[[EncodedPoint; 2]],
    r: &mut ChaCha20Rng,
) -> Vec<DisjunctiveCommitment> {
    values
        .iter()
        .zip(nonces)
        .zip(cts)
        .map(|((v, n), ct)| {
            DisjunctiveProof::commit_own_encryption(
                base,
                &election.key,
                &election.option_statement(ct),
                *v as usize,
                n.as_scalar(),
                r,
            )
            .unwrap()
        })
        .collect()
}

/// Re-proves a selection contest of `ballot` for arbitrary values, with the
/// option proofs honest and the sum proof an honest proof of the *true*
/// total over `claimed`: what a cheating device can produce.
fn forge_selection_contest(
    election: &Election,
    ballot: &mut EncryptedBallot,
    index: usize,
    values: &[u64],
    claimed: &[u64],
    r: &mut ChaCha20Rng,
) {
    let (nonces, cts) = encrypt_values(election, values, r);
    let encoded = encode_ciphertexts(&cts);
    let base = election
        .contest_transcript(index, &ballot.id, &encoded)
        .unwrap();
    let mut commitments = option_commitments(election, &base, values, &nonces, &encoded, r);
    let total: u64 = values.iter().sum();
    let total_ct: Ciphertext = cts.iter().sum();
    let total_nonce: Nonce = nonces.iter().sum();
    let statement = DisjunctiveStatement {
        pk: election.pk_encoded,
        alpha: EncodedPoint::new(total_ct.alpha),
        beta: EncodedPoint::new(total_ct.beta),
        allowed: claimed,
    };
    let pos = claimed.iter().position(|&a| a == total).unwrap();
    commitments.push(
        DisjunctiveProof::commit_own_encryption(
            &base,
            &election.key,
            &statement,
            pos,
            total_nonce.as_scalar(),
            r,
        )
        .unwrap(),
    );
    let mut options = prove_shared(base, commitments);
    let sum = options.pop().unwrap();
    let ec = &mut ballot.contests[index];
    ec.proofs = ContestProofs::Selection { options, sum };
    set_ciphertexts(ec, cts);
}

/// Re-proves an exactly-one contest of `ballot` with arbitrary transmitted
/// values, honest option proofs, and the last option proved to be the
/// complement of the others with respect to `total` (the verifier uses 1).
fn forge_exactly_one_contest(
    election: &Election,
    ballot: &mut EncryptedBallot,
    index: usize,
    values: &[u64],
    total: u64,
    r: &mut ChaCha20Rng,
) {
    let (nonces, cts) = encrypt_values(election, values, r);
    let encoded = encode_ciphertexts(&cts);
    let base = election
        .contest_transcript(index, &ballot.id, &encoded)
        .unwrap();
    let mut commitments = option_commitments(election, &base, values, &nonces, &encoded, r);
    let last = total - values.iter().sum::<u64>();
    let nonce = -nonces.iter().map(Nonce::as_scalar).sum::<Scalar>();
    let statement = crate::proofs::ComplementStatement {
        pk: election.pk_encoded,
        total,
        parts: &encoded,
        allowed: &[0, 1],
    };
    commitments.push(
        DisjunctiveProof::commit_own_encryption(
            &base,
            &election.key,
            &statement,
            last as usize,
            &nonce,
            r,
        )
        .unwrap(),
    );
    let ec = &mut ballot.contests[index];
    ec.proofs = ContestProofs::ExactlyOne(prove_shared(base, commitments));
    set_ciphertexts(ec, cts);
    // The derived ciphertext is the complement with respect to 1, whatever
    // the forger claimed.
    assert_eq!(ec.ciphertexts.len(), values.len() + 1);
}

#[test]
fn verifier_rejects_forged_too_many_selections() {
    let (election, _) = mixed_election(7);
    let mut r = rng(8);
    let honest = cast_mixed(
        &election,
        BallotId([1; 32]),
        [vec![1, 0, 0], vec![0, 1, 0], vec![1, 0, 0, 0], vec![1, 1]],
        &mut r,
    );
    election.verify(&honest, &mut r).unwrap();

    // Forgery harness sanity: a forged but *valid* contest verifies.
    let mut b = honest.clone();
    forge_selection_contest(&election, &mut b, 2, &[1, 1, 0, 0], &[0, 1, 2], &mut r);
    election.verify(&b, &mut r).unwrap();

    // Approval: 3 selections, sum proved over {0..3} instead of {0..2}.
    let mut b = honest.clone();
    forge_selection_contest(&election, &mut b, 2, &[1, 1, 1, 0], &[0, 1, 2, 3], &mut r);
    assert!(election.verify(&b, &mut r).is_err());
    // Exactly-one harness sanity: "no" (abstain derived as 0) verifies.
    let mut b = honest.clone();
    forge_exactly_one_contest(&election, &mut b, 0, &[0, 1], 1, &mut r);
    election.verify(&b, &mut r).unwrap();
    // Motion: yes and no at once; abstain (derived as −1) proved to be 0
    // as the complement with respect to 2.
    let mut b = honest.clone();
    forge_exactly_one_contest(&election, &mut b, 0, &[1, 1], 2, &mut r);
    assert!(election.verify(&b, &mut r).is_err());
    // 1-of-n: nothing selected; the last option proved to be 0 as the
    // complement with respect to 0.
    let mut b = honest.clone();
    forge_exactly_one_contest(&election, &mut b, 1, &[0, 0], 0, &mut r);
    assert!(election.verify(&b, &mut r).is_err());
    // The approval form (all three ciphertexts and a sum proof) is refused
    // for a motion, which transmits two.
    let mut b = honest.clone();
    forge_selection_contest(&election, &mut b, 0, &[1, 0, 0], &[1], &mut r);
    assert!(matches!(
        election.verify(&b, &mut r),
        Err(Error::LengthMismatch { .. })
    ));
    // The batch verifier names the forged ballot.
    let batch = vec![honest.clone(), honest.clone(), b];
    assert_eq!(
        election.verify_batch(&batch, &mut r),
        Err(Error::BatchVerificationFailed {
            proof: "ballot",
            index: Some(2)
        })
    );
}

#[test]
fn replay_under_other_context_rejected() {
    let sk = SecretKey::generate(&mut rng(9));
    let mut r = rng(10);
    let contests = vec![Contest::motion("first"), Contest::motion("second")];
    let m1 = Manifest::new("election-1", contests.clone()).unwrap();
    let m2 = Manifest::new("election-2", contests).unwrap();
    let e1 = Election::new(m1, sk.public_key());
    let e2 = Election::new(m2, sk.public_key());
    let plain = PlaintextBallot::new(
        BallotId([3; 32]),
        vec![
            PlaintextContest::motion("first", MotionVote::Yes),
            PlaintextContest::motion("second", MotionVote::No),
        ],
    );
    let ballot = e1.encrypt(plain, &mut r).unwrap().cast();
    e1.verify(&ballot, &mut r).unwrap();
    // Same ballot under another election id.
    assert!(e2.verify(&ballot, &mut r).is_err());
    // Contests swapped (ids renamed so the structure matches).
    let mut swapped = ballot.clone();
    swapped.contests.swap(0, 1);
    swapped.contests[0].contest_id = "first".into();
    swapped.contests[1].contest_id = "second".into();
    assert!(e1.verify(&swapped, &mut r).is_err());
    // Proofs copied under a fresh ballot id (ballot copying).
    let mut copied = ballot.clone();
    copied.id = BallotId([4; 32]);
    assert!(e1.verify(&copied, &mut r).is_err());
    // Two option proofs of a contest swapped: they share the contest's
    // challenge, but each answers for its own ciphertext.
    let mut reordered = ballot.clone();
    match &mut reordered.contests[0].proofs {
        ContestProofs::ExactlyOne(proofs) => proofs.swap(0, 1),
        other => panic!("a motion has exactly-one proofs, not {other:?}"),
    }
    assert!(e1.verify(&reordered, &mut r).is_err());
    // A contest's proofs taken from the same contest of another ballot
    // with the same id: the challenge binds the ciphertexts.
    let again = e1
        .encrypt(
            PlaintextBallot::new(
                BallotId([3; 32]),
                vec![
                    PlaintextContest::motion("first", MotionVote::Yes),
                    PlaintextContest::motion("second", MotionVote::No),
                ],
            ),
            &mut r,
        )
        .unwrap()
        .cast();
    let mut mixed = ballot.clone();
    mixed.contests[0].proofs = again.contests[0].proofs.clone();
    assert!(e1.verify(&mixed, &mut r).is_err());
    // Under another key.
    let other = Election::new(
        e1.manifest().clone(),
        SecretKey::generate(&mut r).public_key(),
    );
    assert!(other.verify(&ballot, &mut r).is_err());
    // An unknown contest id.
    let mut unknown = ballot.clone();
    unknown.contests[1].contest_id = "third".into();
    assert!(matches!(
        e1.verify(&unknown, &mut r),
        Err(Error::InvalidParameter { .. })
    ));
    // A missing contest.
    let mut short = ballot.clone();
    short.contests.pop();
    assert!(matches!(
        e1.verify(&short, &mut r),
        Err(Error::LengthMismatch { .. })
    ));
    // A missing option.
    let mut fewer = ballot.clone();
    let mut cts = fewer.contests[0].ciphertexts.clone();
    cts.truncate(1);
    set_ciphertexts(&mut fewer.contests[0], cts);
    assert!(matches!(
        e1.verify(&fewer, &mut r),
        Err(Error::LengthMismatch { .. })
    ));
    // α = identity is refused for a fresh ballot ciphertext.
    let mut zero = ballot;
    let mut cts = zero.contests[0].ciphertexts.clone();
    cts.pop();
    cts[0] = Ciphertext::zero();
    set_ciphertexts(&mut zero.contests[0], cts);
    assert_eq!(e1.verify(&zero, &mut r), Err(Error::IdentityPoint));
}

#[test]
fn proof_kind_must_match_contest_kind() {
    let (election, _) = mixed_election(11);
    let mut r = rng(12);
    let values = [vec![1, 0, 0], vec![0, 1, 0], vec![1, 0, 0, 0], vec![1, 1]];
    let mut b = cast_mixed(&election, BallotId([1; 32]), values, &mut r);
    b.contests[0].proofs = b.contests[3].proofs.clone();
    assert!(matches!(
        election.verify(&b, &mut r),
        Err(Error::InvalidParameter { .. })
    ));
    // Score generators exist only in elections with score contests.
    let (motion, _) = motion_election(13);
    assert!(matches!(
        motion.score_gens(),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn challenged_ballots_open_and_are_excluded() {
    let (election, sk) = mixed_election(14);
    let mut r = rng(15);
    let values = [vec![0, 0, 1], vec![0, 0, 1], vec![0, 1, 1, 0], vec![2, 5]];
    let pending = election
        .encrypt(mixed_ballot(BallotId([9; 32]), values.clone()), &mut r)
        .unwrap();
    let challenged = pending.challenge();
    challenged.verify_opening(&election).unwrap();
    assert_eq!(challenged.selections(), &values[..]);
    election.verify(challenged.ballot(), &mut r).unwrap();
    let decoded = ChallengedBallot::from_bytes(&challenged.to_bytes()).unwrap();
    assert_eq!(decoded, challenged);
    decoded.verify_opening(&election).unwrap();
    decoded.verify(&election, &mut r).unwrap();

    // Regression (tamper matrix, issue 9): a changed proof of the opened
    // ballot leaves the opening valid, so only `verify` rejects it.
    let mut bytes = challenged.to_bytes();
    let end = 2 + challenged.ballot().to_bytes().len();
    bytes[end - 32] ^= 1;
    let altered = ChallengedBallot::from_bytes(&bytes).unwrap();
    altered.verify_opening(&election).unwrap();
    assert!(altered.verify(&election, &mut r).is_err());

    // An opening that claims other selections (a lying device) fails.
    let mut lie = challenged.clone();
    lie.selections[0] = vec![1, 0, 0];
    assert!(matches!(
        lie.verify_opening(&election),
        Err(Error::VerificationFailed { .. })
    ));
    // An opening that claims invalid selections fails before any check.
    let mut invalid = challenged.clone();
    invalid.selections[0] = vec![1, 1, 0];
    assert!(matches!(
        invalid.verify_opening(&election),
        Err(Error::InvalidParameter { .. })
    ));
    // A wrong nonce fails.
    let mut wrong = challenged.clone();
    wrong.nonces[1][2] = Nonce::random(&mut r);
    assert!(wrong.verify_opening(&election).is_err());
    let mut short = challenged.clone();
    short.nonces[1].pop();
    assert!(matches!(
        short.verify_opening(&election),
        Err(Error::LengthMismatch { .. })
    ));

    // The voter re-encrypts and casts; only the cast ballot is tallied, and
    // a record listing the challenged id among the cast ones is caught.
    let cast = cast_mixed(&election, BallotId([10; 32]), values, &mut r);
    let cast = election.verify_cast(cast, &mut r).unwrap();
    let mut tally = TallyAccumulator::new(election.manifest());
    tally.add(&cast).unwrap();
    let result = tally.decrypt(election.manifest(), &sk).unwrap();
    assert_eq!(result.ballots(), 1);
    assert_eq!(result.contests()[3].counts(), &[2, 5]);
    let ids = [cast.ballot().id(), challenged.id()];
    assert_eq!(first_duplicate_id(ids), None);
    let ids = [cast.ballot().id(), challenged.id(), challenged.id()];
    assert_eq!(first_duplicate_id(ids), Some(2));
}

#[test]
fn batch_matches_individual_verification() {
    let (election, _) = motion_election(16);
    let mut r = rng(17);
    let mut ballots: Vec<EncryptedBallot> = (0..(verify::CHUNK + 20))
        .map(|i| {
            election
                .encrypt(motion_ballot(BallotId::random(&mut r), vote_of(i)), &mut r)
                .unwrap()
                .cast()
        })
        .collect();
    election.verify_batch(&ballots, &mut r).unwrap();
    election.verify_batch(&[], &mut r).unwrap();
    // The same from the encodings; a truncated encoding is named.
    let mut encoded: Vec<Vec<u8>> = ballots.iter().map(Encode::to_bytes).collect();
    let cast = election.decode_verify_cast_batch(&encoded, &mut r).unwrap();
    assert_eq!(cast.len(), ballots.len());
    assert!(cast.iter().zip(&ballots).all(|(c, b)| c.ballot() == b));
    encoded[verify::CHUNK + 1].pop();
    assert_eq!(
        election.decode_verify_cast_batch(&encoded, &mut r),
        Err(Error::BatchVerificationFailed {
            proof: "ballot",
            index: Some(verify::CHUNK + 1)
        })
    );
    // A bad proof before a structural error (or an undecodable ballot) in
    // the same chunk: the first one is named.
    let mut mixed = ballots.clone();
    let mut cts = mixed[2].contests[0].ciphertexts.clone();
    cts.swap(0, 2);
    set_ciphertexts(&mut mixed[2].contests[0], cts);
    let mut encoded: Vec<Vec<u8>> = mixed.iter().map(Encode::to_bytes).collect();
    mixed[9].contests.clear();
    encoded[9].truncate(40);
    let first = Err(Error::BatchVerificationFailed {
        proof: "ballot",
        index: Some(2),
    });
    assert_eq!(election.verify_batch(&mixed, &mut r), first);
    assert_eq!(
        election
            .decode_verify_cast_batch(&encoded, &mut r)
            .map(|_| ()),
        first
    );

    // Corrupt one ballot in the second chunk: swap two ciphertexts of a
    // ballot (a yes becomes a no without new proofs).
    let bad = verify::CHUNK + 7;
    let mut cts = ballots[bad].contests[0].ciphertexts.clone();
    cts.swap(0, 1);
    set_ciphertexts(&mut ballots[bad].contests[0], cts);
    // Deterministic report regardless of the rng and of rayon.
    for seed in 0..3 {
        assert_eq!(
            election.verify_batch(&ballots, &mut rng(seed)),
            Err(Error::BatchVerificationFailed {
                proof: "ballot",
                index: Some(bad)
            })
        );
    }
    // A structural error is reported with the index too.
    ballots[3].contests.clear();
    assert_eq!(
        election.verify_batch(&ballots, &mut r),
        Err(Error::BatchVerificationFailed {
            proof: "ballot",
            index: Some(3)
        })
    );
    let encoded: Vec<Vec<u8>> = ballots.iter().map(Encode::to_bytes).collect();
    assert_eq!(
        election.decode_verify_cast_batch(&encoded, &mut r),
        Err(Error::BatchVerificationFailed {
            proof: "ballot",
            index: Some(3)
        })
    );
    assert!(election.verify_cast_batch(ballots, &mut r).is_err());
}

#[test]
fn every_byte_of_a_motion_ballot_is_bound() {
    let (election, _) = motion_election(18);
    let mut r = rng(19);
    let ballot = election
        .encrypt(
            motion_ballot(BallotId([5; 32]), MotionVote::Abstain),
            &mut r,
        )
        .unwrap()
        .cast();
    let bytes = ballot.to_bytes();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            if let Ok(decoded) = EncryptedBallot::from_bytes(&b) {
                assert!(
                    election.verify(&decoded, &mut r).is_err(),
                    "byte {i} flip {flip:#x} accepted"
                );
            }
        }
    }
    for cut in 0..bytes.len() {
        assert!(EncryptedBallot::from_bytes(&bytes[..cut]).is_err());
    }
    // Header errors name the problem.
    let mut b = bytes.clone();
    b[0] = 0x62;
    assert_eq!(
        EncryptedBallot::from_bytes(&b),
        Err(Error::WrongObjectType {
            expected: 0x61,
            found: 0x62
        })
    );
    let mut b = bytes.clone();
    b[1] = 2;
    assert!(matches!(
        EncryptedBallot::from_bytes(&b),
        Err(Error::UnsupportedVersion { found: 2, .. })
    ));
    let mut b = bytes.clone();
    b.push(0);
    assert!(matches!(
        EncryptedBallot::from_bytes(&b),
        Err(Error::TrailingBytes { remaining: 1, .. })
    ));
    // The contest proof-kind byte must be 0, 1 or 2: two ciphertexts are
    // transmitted, the third (abstain) is derived.
    let contest = ballot.contests[0].to_bytes();
    let kind_at = bytes.len() - contest.len() + 2 + 4 + 4 + 4 + 2 * 66;
    assert_eq!(bytes[kind_at], 2);
    let mut b = bytes.clone();
    b[kind_at] = 3;
    assert!(matches!(
        EncryptedBallot::from_bytes(&b),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn score_ballot_bytes_are_bound() {
    let (election, _) = mixed_election(20);
    let mut r = rng(21);
    let ballot = cast_mixed(
        &election,
        BallotId([6; 32]),
        [vec![0, 1, 0], vec![1, 0, 0], vec![0, 0, 0, 1], vec![4, 0]],
        &mut r,
    );
    let bytes = ballot.to_bytes();
    // The score contest is the tail of the encoding: every other byte of it
    // (the other kinds share the code paths of the motion test above).
    let start = bytes.len() - ballot.contests[3].to_bytes().len();
    for i in (start..bytes.len()).step_by(2) {
        let mut b = bytes.clone();
        b[i] ^= 0x04;
        if let Ok(decoded) = EncryptedBallot::from_bytes(&b) {
            assert!(
                election.verify(&decoded, &mut r).is_err(),
                "byte {i} accepted"
            );
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_json_roundtrip() {
    let (election, _) = motion_election(22);
    let mut r = rng(23);
    let ballot = election
        .encrypt(motion_ballot(BallotId([8; 32]), MotionVote::Yes), &mut r)
        .unwrap()
        .cast();
    let json = serde_json::to_string(&ballot).unwrap();
    let back: EncryptedBallot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ballot);
    let m = serde_json::to_string(election.manifest()).unwrap();
    assert_eq!(
        &serde_json::from_str::<Manifest>(&m).unwrap(),
        election.manifest()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Random honest elections tally to the plaintext sums, and the
    /// majority is the plaintext majority.
    #[test]
    fn honest_elections_tally_to_plaintext_sums(
        seed in any::<u64>(),
        ballots in proptest::collection::vec(
            (0usize..3, 0usize..3, proptest::collection::vec(0u64..2, 4), 0u64..6, 0u64..6),
            0..5,
        ),
    ) {
        let (election, sk) = mixed_election(seed);
        let mut r = rng(seed ^ 1);
        let mut expect = [vec![0u64; 3], vec![0; 3], vec![0; 4], vec![0; 2]];
        let mut submitted = Vec::new();
        for (m, c, mut approvals, s0, s1) in ballots {
            // Keep approvals within the limit of 2.
            let mut seen = 0;
            for a in approvals.iter_mut() {
                if *a == 1 {
                    seen += 1;
                    if seen > 2 { *a = 0; }
                }
            }
            let mut motion = vec![0; 3];
            motion[m] = 1;
            let mut chair = vec![0; 3];
            chair[c] = 1;
            let values = [motion, chair, approvals, vec![s0, s1]];
            for (e, v) in expect.iter_mut().zip(&values) {
                for (x, y) in e.iter_mut().zip(v) { *x += y; }
            }
            submitted.push(
                cast_mixed(&election, BallotId::random(&mut r), values, &mut r),
            );
        }
        let cast = election.verify_cast_batch(submitted, &mut r).unwrap();
        let mut tally = TallyAccumulator::new(election.manifest());
        tally.add_all(&cast).unwrap();
        let result = tally.decrypt(election.manifest(), &sk).unwrap();
        for (res, e) in result.contests().iter().zip(&expect) {
            prop_assert_eq!(res.counts(), &e[..]);
        }
        let outcome = result.contests()[0].motion().unwrap();
        prop_assert_eq!(outcome.passes, expect[0][0] > expect[0][1]);
    }
}

/// Known answers: the manifest encoding, its hash and the confirmation-code
/// seed of a fixed manifest (spec/ballot.md §1.3, §4). Any change to these
/// encodings or domains breaks interoperability and must change the spec.
#[test]
fn known_answer_manifest_hash_and_code_seed() {
    let m = Manifest::new(
        "kat",
        vec![
            Contest::motion("m"),
            Contest::new("s", ContestKind::Score { max: 3 }, vec!["a".into()]),
        ],
    )
    .unwrap();
    // Layout (hand-derived): header, "kat", 2 contests; "m": motion, 3
    // options yes/no/abstain; "s": score max 3, 1 option "a".
    assert_eq!(
        hex::encode(m.to_bytes()),
        concat!(
            "6001",
            "03000000",
            "6b6174",
            "02000000",
            "01000000",
            "6d",
            "00",
            "03000000",
            "03000000",
            "796573",
            "02000000",
            "6e6f",
            "07000000",
            "6162737461696e",
            "01000000",
            "73",
            "03",
            "03000000",
            "01000000",
            "01000000",
            "61",
        )
    );
    // Computed independently with Python's hashlib.sha3_256.
    assert_eq!(
        hex::encode(m.hash()),
        "480d71e0dcc9f171fb1e248a80adae776028f5a2d9e3a0b539efa94efa2576ad"
    );
    assert_eq!(
        hex::encode(ConfirmationCode::seed(&m).as_bytes()),
        "0bea95e3e6f210ef168af27cc1936eecdf64c4a8427572cc7a15059aae58c496"
    );
}
