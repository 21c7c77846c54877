//! End-to-end tests of an assembly vote's record (spec/record.md): trustees,
//! ballots, challenges, tally, threshold decryption with absent trustees,
//! and the numbered checks of the verifier — including a tamper test that
//! changes each part of the record and names the check that fails.

use kleroterion::ballot::{
    BallotId, ChallengedBallot, ConfirmationCode, Contest, ContestKind, Election, Manifest,
    MotionVote, PlaintextBallot, PlaintextContest,
};
use kleroterion::encoding::{Decode, Encode};
use kleroterion::parallel::Parallelism;
use kleroterion::record::{
    verify_record, BallotBox, BallotLine, ElectionRecord, RecordVerifier, Shard, ShardBy,
    TrusteeDecryption,
};
use kleroterion::report::Report;
use kleroterion::trustees::dkg::{DkgOutput, DkgParameters};
use kleroterion::trustees::simulate::run_locally;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A vote's full public output: record, cast-ballot lines, challenged ballots.
#[derive(Clone)]
struct Vote {
    record: ElectionRecord,
    lines: Vec<BallotLine>,
    challenged: Vec<Vec<u8>>,
    trustees: Vec<usize>,
}

/// The trustees of an election: the key generation's context is the
/// election id, so packages cannot be replayed across elections.
fn trustees(election: &str, seed: u64) -> Vec<DkgOutput> {
    let params = DkgParameters::new(5, 3, election.as_bytes()).unwrap();
    run_locally(&params, &mut ChaCha20Rng::seed_from_u64(seed)).unwrap()
}

/// Runs a vote: every plaintext is cast, except those at `challenge`
/// positions, which are challenged (and then re-cast, as a voter would).
/// Trustees at `present` positions decrypt.
fn run_vote(
    manifest: Manifest,
    dkg: &[DkgOutput],
    plaintexts: Vec<Vec<PlaintextContest>>,
    challenge: &[usize],
    present: &[usize],
    seed: u64,
) -> Vote {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let election = Election::new(manifest, *dkg[0].trustees.joint_public_key());
    let mut bb =
        BallotBox::open(election.clone(), dkg[0].transcript.clone(), None, &mut rng).unwrap();
    let mut lines = Vec::new();
    let mut challenged = Vec::new();
    for (i, contests) in plaintexts.into_iter().enumerate() {
        if challenge.contains(&i) {
            let plain = PlaintextBallot::new(BallotId::random(&mut rng), contests.clone());
            let pending = election.encrypt(plain, &mut rng).unwrap();
            challenged.push(bb.challenge(&pending.challenge(), &mut rng).unwrap());
        }
        let plain = PlaintextBallot::new(BallotId::random(&mut rng), contests);
        let pending = election.encrypt(plain, &mut rng).unwrap();
        lines.push(bb.cast(pending.cast(), &mut rng).unwrap());
    }
    let decryptions = present
        .iter()
        .map(|&i| TrusteeDecryption::produce(&dkg[i].share, bb.trustees(), bb.tally(), &mut rng))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let record = bb.close(decryptions, &mut rng).unwrap();
    Vote {
        record,
        lines,
        challenged,
        trustees: present.to_vec(),
    }
}

fn verify(vote: &Vote) -> Report {
    verify_record(
        &vote.record,
        &vote.lines,
        &vote.challenged,
        &mut ChaCha20Rng::seed_from_u64(99),
    )
}

fn failed(report: &Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

fn motion_vote(seed: u64, yes: usize, no: usize, abstain: usize) -> Vote {
    motion_vote_in("assembly-7/harm-finding", seed, yes, no, abstain)
}

fn motion_vote_in(election: &str, seed: u64, yes: usize, no: usize, abstain: usize) -> Vote {
    let manifest = Manifest::new(election, vec![Contest::motion("harm")]).unwrap();
    let votes = [
        (MotionVote::Yes, yes),
        (MotionVote::No, no),
        (MotionVote::Abstain, abstain),
    ]
    .into_iter()
    .flat_map(|(v, n)| core::iter::repeat_n(v, n))
    .map(|v| vec![PlaintextContest::motion("harm", v)])
    .collect();
    // Trustees 2 and 4 (positions 1 and 3) are absent.
    run_vote(
        manifest,
        &trustees(election, seed),
        votes,
        &[3, 77],
        &[0, 2, 4],
        seed,
    )
}

#[test]
fn assembly_of_150_decides_a_motion_with_two_trustees_absent() {
    let vote = motion_vote(1, 80, 61, 9);
    let report = verify(&vote);
    assert!(report.all_passed(), "{report}");
    assert_eq!(report.checks.len(), 11);
    let outcome = vote
        .record
        .result
        .contest("harm")
        .unwrap()
        .motion()
        .unwrap();
    assert_eq!((outcome.yes, outcome.no, outcome.abstain), (80, 61, 9));
    assert!(outcome.passes);
    assert_eq!(vote.record.result.ballots(), 150);
    assert_eq!(vote.challenged.len(), 2);
    assert_eq!(vote.trustees, [0, 2, 4]);

    // The record survives serialization.
    let json = serde_json::to_string(&vote.record).unwrap();
    assert_eq!(
        serde_json::from_str::<ElectionRecord>(&json).unwrap(),
        vote.record
    );
    for line in &vote.lines {
        assert_eq!(&BallotLine::parse(&line.to_line()).unwrap(), line);
    }
}

#[test]
fn approval_and_score_contests() {
    let manifest = Manifest::new(
        "assembly-7/remedy",
        vec![
            Contest::new(
                "priorities",
                ContestKind::Approval { limit: 2 },
                ["housing", "water", "schools", "transport"]
                    .map(String::from)
                    .to_vec(),
            ),
            Contest::new(
                "rating",
                ContestKind::Score { max: 5 },
                ["plan A", "plan B"].map(String::from).to_vec(),
            ),
        ],
    )
    .unwrap();
    let ballots: Vec<Vec<PlaintextContest>> = (0..12u64)
        .map(|i| {
            vec![
                PlaintextContest::new("priorities", vec![i % 2, (i + 1) % 2, u64::from(i < 3), 0]),
                PlaintextContest::new("rating", vec![i % 6, 5 - i % 6]),
            ]
        })
        .collect();
    let vote = run_vote(
        manifest,
        &trustees("assembly-7/remedy", 2),
        ballots,
        &[4],
        &[1, 3, 4],
        2,
    );
    let report = verify(&vote);
    assert!(report.all_passed(), "{report}");
    let p = vote.record.result.contest("priorities").unwrap();
    assert_eq!(p.counts(), [6, 6, 3, 0]);
    let r = vote.record.result.contest("rating").unwrap();
    let a: u64 = (0..12u64).map(|i| i % 6).sum();
    assert_eq!(r.counts(), [a, 12 * 5 - a]);
}

/// Changes one part of the record at a time and checks which numbered check
/// fails.
#[test]
fn tamper_matrix_names_the_failing_check() {
    let vote = motion_vote(3, 6, 3, 1);
    assert!(verify(&vote).all_passed());
    // Another vote: another election id, other trustees, other ballots.
    let other = motion_vote_in("assembly-8/harm-finding", 4, 3, 6, 1);
    let mut rng = ChaCha20Rng::seed_from_u64(5);

    let check = |name: &str, v: &Vote, expected: &str| {
        let report = verify(v);
        let f = failed(&report);
        assert!(
            f.contains(&expected),
            "{name}: expected {expected} to fail, failed: {f:?}\n{report}"
        );
    };

    let mut v = vote.clone();
    v.record.version = 2;
    check("version", &v, "E1");

    let mut v = vote.clone();
    v.record.manifest = other.record.manifest.clone();
    check("manifest", &v, "E2");

    let mut v = vote.clone();
    v.record.trustees.round1[0] = other.record.trustees.round1[0].clone();
    check("trustee package from another key generation", &v, "E3");

    // A transcript that verifies but is not the one the ballots were
    // encrypted under: every ballot fails.
    let mut v = vote.clone();
    v.record.trustees = other.record.trustees.clone();
    check("trustees of another vote", &v, "E7");

    let mut v = vote.clone();
    let last = v.lines[4].ballot.len() - 1;
    v.lines[4].ballot[last] ^= 1;
    let report = verify(&v);
    assert!(
        failed(&report).iter().any(|c| *c == "E4" || *c == "E7"),
        "{report}"
    );
    assert!(!report.all_passed());

    let mut v = vote.clone();
    v.lines[2].ballot.truncate(10);
    check("truncated ballot", &v, "E4");

    let mut v = vote.clone();
    v.lines.push(v.lines[0].clone());
    check("duplicate ballot", &v, "E5");

    let mut v = vote.clone();
    v.challenged.push(v.challenged[0].clone());
    check("duplicate challenged ballot", &v, "E5");

    let mut v = vote.clone();
    v.lines[1].code = ConfirmationCode([7; 32]);
    check("confirmation code", &v, "E6");

    let mut v = vote.clone();
    v.lines[0] = other.lines[0].clone();
    check("ballot replayed from another election", &v, "E7");

    let mut v = vote.clone();
    let n = v.challenged[0].len();
    v.challenged[0][n - 40] ^= 1;
    check("challenged opening", &v, "E8");

    // Regression (found by the tamper matrix and the `record` fuzz target,
    // issue 9): a changed proof of a challenged
    // ballot leaves its opening valid; E8 verifies the proofs too.
    let mut v = vote.clone();
    let opened = ChallengedBallot::from_bytes(&v.challenged[0]).unwrap();
    let ballot_end = 2 + opened.ballot().to_bytes().len();
    v.challenged[0][ballot_end - 32] ^= 1;
    check("challenged ballot's proof", &v, "E8");

    let mut v = vote.clone();
    v.lines.pop();
    check("dropped ballot", &v, "E9");

    let mut v = vote.clone();
    v.record.tally = other.record.tally.clone();
    check("tally", &v, "E9");

    let mut v = vote.clone();
    let mut bytes = v.record.decryptions[0].to_bytes();
    // The trustee index (after the 2-byte header): claim to be trustee 2,
    // who is absent and whose proof this is not.
    bytes[2..4].copy_from_slice(&2u16.to_le_bytes());
    v.record.decryptions[0] = TrusteeDecryption::from_bytes(&bytes).unwrap();
    check("decryption share under another trustee's index", &v, "E10");

    let mut v = vote.clone();
    v.record.decryptions.truncate(2);
    check("fewer than t decryptions", &v, "E10");

    let mut v = vote.clone();
    v.record.result = other.record.result.clone();
    check("result of another vote", &v, "E11");

    let mut v = vote.clone();
    let mut bytes = v.record.result.to_bytes();
    let n = bytes.len();
    // The last count (abstain) + 1.
    bytes[n - 8] ^= 1;
    v.record.result = kleroterion::tally::TallyResult::from_bytes(&bytes).unwrap();
    check("wrong count", &v, "E11");

    // A random single-byte change anywhere in the record's parts never
    // passes and never panics.
    for _ in 0..24 {
        let mut v = vote.clone();
        let mut bytes = v.record.tally.to_bytes();
        let i = (rng.next_u32() as usize) % bytes.len();
        bytes[i] ^= 1 << (rng.next_u32() % 8);
        match kleroterion::tally::TallyAccumulator::from_bytes(&bytes) {
            Ok(t) => {
                v.record.tally = t;
                assert!(!verify(&v).all_passed());
            }
            Err(_) => continue,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    /// Random honest votes always verify and report the right majority.
    #[test]
    fn honest_votes_verify_and_report_the_majority(
        yes in 0usize..12, no in 0usize..12, abstain in 0usize..4, seed in 10u64..1000
    ) {
        let vote = motion_vote(seed, yes, no, abstain);
        let report = verify(&vote);
        prop_assert!(report.all_passed(), "{}", report);
        let m = vote.record.result.contest("harm").unwrap().motion().unwrap();
        prop_assert_eq!((m.yes, m.no, m.abstain), (yes as u64, no as u64, abstain as u64));
        prop_assert_eq!(m.passes, yes > no);
    }
}

/// Verifies `vote` in `count` shards by position, merged.
fn verify_sharded(vote: &Vote, count: u64) -> Report {
    verify_split(vote, count, ShardBy::Position, Parallelism::default())
}

/// Verifies `vote` in `count` shards split `by`, each verifying its blocks
/// with `parallelism`, merges their ballot checks in reverse order (merging
/// is order-independent) and completes the report with the first shard's
/// record checks. Every shard is given the challenged ballots (a split by
/// position checks them in shard 0).
fn verify_split(vote: &Vote, count: u64, by: ShardBy, parallelism: Parallelism) -> Report {
    let mut rng = ChaCha20Rng::seed_from_u64(98);
    let mut parts: Vec<_> = (0..count)
        .map(|i| {
            let shard = Shard::split(i, count, by).unwrap();
            let mut v = RecordVerifier::with_shard(&vote.record, &mut rng, shard)
                .with_parallelism(parallelism);
            for line in &vote.lines {
                v.push_ballot(line.clone());
            }
            for c in &vote.challenged {
                v.push_challenged(c);
            }
            v.finish_shard()
        })
        .collect();
    let (first_checks, mut merged) = parts.remove(0);
    for (_, ballots) in parts.into_iter().rev() {
        merged.merge(ballots).unwrap();
    }
    merged.complete(first_checks, &vote.record.tally)
}

#[test]
fn shards_merge_to_the_unsharded_verdict() {
    let vote = motion_vote(6, 5, 3, 2);
    let whole = verify(&vote);
    assert!(whole.all_passed(), "{whole}");
    for by in [ShardBy::Position, ShardBy::BallotId] {
        for count in [1, 2, 3, 11] {
            assert_eq!(
                verify_split(&vote, count, by, Parallelism::default()),
                whole,
                "{count} shards by {by:?}"
            );
        }
    }

    // A ballot repeated in another shard: E5 (across shards) and E6; a
    // ballot dropped: E6 and E9; the same failures as unsharded.
    let mut repeated = vote.clone();
    repeated.lines[2] = repeated.lines[1].clone();
    let mut dropped = vote.clone();
    dropped.lines.remove(4);
    for (name, v, expected) in [
        ("repeated", &repeated, vec!["E5", "E6", "E9"]),
        ("dropped", &dropped, vec!["E6", "E9"]),
    ] {
        assert_eq!(failed(&verify(v)), expected, "{name} unsharded");
        for count in [2, 3] {
            assert_eq!(
                failed(&verify_sharded(v, count)),
                expected,
                "{name} {count}"
            );
        }
    }

    assert!(Shard::new(2, 2).is_err());
    assert!(Shard::new(0, 0).is_err());
    assert!(Shard::split(3, 3, ShardBy::BallotId).is_err());
    let s = Shard::new(1, 3).unwrap();
    assert!(s.contains(4) && !s.contains(3) && !s.is_first());
    assert_eq!(s.by(), ShardBy::Position);
}

/// Split by ballot id, a ballot id repeated anywhere in the stream, or a challenged ballot's id
/// reused by a cast ballot, is caught inside one shard, and no ids are
/// carried to the merge.
#[test]
fn shards_by_ballot_id_decide_uniqueness_alone() {
    let vote = motion_vote(6, 5, 3, 2);
    // Every ballot is checked by exactly one shard.
    let count = 3;
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let mut lines = 0;
    let mut summaries = Vec::new();
    for i in 0..count {
        let shard = Shard::split(i, count, ShardBy::BallotId).unwrap();
        let mut v = RecordVerifier::with_shard(&vote.record, &mut rng, shard);
        let mine = vote
            .lines
            .iter()
            .enumerate()
            .filter(|(p, l)| shard.contains_ballot(*p as u64, &l.ballot, false))
            .count() as u64;
        for line in &vote.lines {
            v.push_ballot(line.clone());
        }
        let (_, checks) = v.finish_shard();
        assert_eq!(checks.ballots(), mine);
        lines += mine;
        summaries.push(serde_json::to_string(&checks).unwrap());
    }
    assert_eq!(lines, vote.lines.len() as u64);
    // The summaries carry no ids.
    assert!(summaries.iter().all(|s| s.contains("\"ids\":[]")));

    let mut repeated = vote.clone();
    repeated.lines[7] = repeated.lines[1].clone();
    let mut reused = vote.clone();
    let challenged =
        kleroterion::ballot::ChallengedBallot::from_bytes(&vote.challenged[0]).unwrap();
    let ballot = challenged.ballot().clone();
    // The challenged ballot itself, cast: its proofs verify, its id is taken.
    let code = reused.lines[5].code.next(&ballot);
    reused.lines.insert(6, BallotLine::new(code, &ballot, None));
    for (name, v) in [("repeated", &repeated), ("reused", &reused)] {
        let expected = failed(&verify(v));
        assert!(expected.contains(&"E5"), "{name}: {expected:?}");
        for count in [2, 3, 5] {
            assert_eq!(
                failed(&verify_split(
                    v,
                    count,
                    ShardBy::BallotId,
                    Parallelism::default()
                )),
                expected,
                "{name} {count}"
            );
        }
    }

    // Shards of different splits do not merge.
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let by_id = RecordVerifier::with_shard(
        &vote.record,
        &mut rng,
        Shard::split(0, 2, ShardBy::BallotId).unwrap(),
    )
    .finish_shard()
    .1;
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let (_, mut by_position) =
        RecordVerifier::with_shard(&vote.record, &mut rng, Shard::new(1, 2).unwrap())
            .finish_shard();
    assert!(by_position.merge(by_id).is_err());
}

/// The verdict is the same whether ballot chunks are verified on rayon
/// threads or on this thread, whole or in shards — for an honest record of
/// several chunks and when a ballot in the second chunk is bad (the batch
/// fails and each ballot is checked alone to name it).
#[test]
fn verdict_is_the_same_with_and_without_threads() {
    let vote = motion_vote(8, 300, 200, 100);
    assert!(vote.lines.len() > kleroterion::ballot::BATCH_CHUNK);
    let whole = verify(&vote);
    assert!(whole.all_passed(), "{whole}");
    let mut bad = vote.clone();
    let at = bad.lines[550].ballot.len() / 2;
    bad.lines[550].ballot[at] ^= 1;
    let bad_whole = verify(&bad);
    assert!(!bad_whole.all_passed());
    for (v, expected) in [(&vote, &whole), (&bad, &bad_whole)] {
        for parallelism in [Parallelism::Sequential, Parallelism::Parallel] {
            for (count, by) in [
                (1, ShardBy::Position),
                (2, ShardBy::Position),
                (2, ShardBy::BallotId),
            ] {
                assert_eq!(
                    &verify_split(v, count, by, parallelism),
                    expected,
                    "{parallelism:?}, {count} shards by {by:?}"
                );
            }
        }
    }
}

/// An assembly vote restricted to the 150 seated delegates: each ballot
/// carries an anonymous membership proof with a linking tag. A ballot from a
/// non-delegate and a second ballot from one delegate are both rejected by
/// the ballot box, and — if a dishonest box publishes them anyway — by the
/// numbered checks E13 and E14.
#[test]
fn eligible_delegates_vote_once_each_anonymously() {
    use kleroterion::credential::{AnonymitySet, CitizenSecretKey, MembershipProof};
    use kleroterion::record::eligibility_context;

    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let delegates: Vec<CitizenSecretKey> = (0..150)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let set = AnonymitySet::new(delegates.iter().map(|d| d.public_key()).collect()).unwrap();
    let dkg = trustees("assembly-7/eligible", 21);
    let manifest = Manifest::new("assembly-7/eligible", vec![Contest::motion("harm")]).unwrap();
    let election = Election::new(manifest, *dkg[0].trustees.joint_public_key());
    let context = eligibility_context(election.manifest()).to_vec();
    let mut bb = BallotBox::open(
        election.clone(),
        dkg[0].transcript.clone(),
        Some(set.clone()),
        &mut rng,
    )
    .unwrap();
    let ballot = |rng: &mut ChaCha20Rng, vote| {
        let plain = PlaintextBallot::new(
            BallotId::random(rng),
            vec![PlaintextContest::motion("harm", vote)],
        );
        election.encrypt(plain, rng).unwrap().cast()
    };

    let mut lines = Vec::new();
    for (i, d) in delegates.iter().enumerate() {
        let b = ballot(
            &mut rng,
            if i % 3 == 0 {
                MotionVote::No
            } else {
                MotionVote::Yes
            },
        );
        let proof = MembershipProof::prove(&set, d, &context, &b.hash(), &mut rng).unwrap();
        lines.push(bb.cast_eligible(b, &proof, &mut rng).unwrap());
    }
    // A non-delegate cannot prove membership; a proof over another set that
    // contains their key does not verify over the delegates' set.
    let outsider = CitizenSecretKey::generate(&mut rng);
    let b = ballot(&mut rng, MotionVote::Yes);
    assert!(MembershipProof::prove(&set, &outsider, &context, &b.hash(), &mut rng).is_err());
    let mut keys: Vec<_> = set.keys().to_vec();
    keys[0] = outsider.public_key();
    let other_set = AnonymitySet::new(keys).unwrap();
    let forged =
        MembershipProof::prove(&other_set, &outsider, &context, &b.hash(), &mut rng).unwrap();
    assert!(bb.cast_eligible(b.clone(), &forged, &mut rng).is_err());
    // A delegate's second ballot: a valid proof, but the same linking tag.
    let second = ballot(&mut rng, MotionVote::Yes);
    let again =
        MembershipProof::prove(&set, &delegates[7], &context, &second.hash(), &mut rng).unwrap();
    assert!(bb.cast_eligible(second.clone(), &again, &mut rng).is_err());
    // An open-vote cast is refused in a restricted vote.
    assert!(bb.cast(ballot(&mut rng, MotionVote::No), &mut rng).is_err());

    let decryptions = [0, 1, 3]
        .iter()
        .map(|&i| TrusteeDecryption::produce(&dkg[i].share, bb.trustees(), bb.tally(), &mut rng))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let record = bb.close(decryptions, &mut rng).unwrap();
    let honest = Vote {
        record,
        lines,
        challenged: Vec::new(),
        trustees: vec![0, 1, 3],
    };
    let report = verify(&honest);
    assert!(report.all_passed(), "{report}");
    assert!(report.get("E13").is_some() && report.get("E14").is_some());
    let m = honest
        .record
        .result
        .contest("harm")
        .unwrap()
        .motion()
        .unwrap();
    assert_eq!((m.yes, m.no), (100, 50));

    // A dishonest box publishes the outsider's ballot and the second
    // ballot, each with a consistent confirmation code.
    let append = |v: &mut Vote, b: &kleroterion::ballot::EncryptedBallot, p: &MembershipProof| {
        let code = v.lines.last().unwrap().code.next(b);
        v.lines.push(BallotLine::new(code, b, Some(p)));
    };
    let mut v = honest.clone();
    append(&mut v, &b, &forged);
    let report = verify(&v);
    assert!(failed(&report).contains(&"E13"), "{report}");
    assert!(report.get("E13").unwrap().outcome != kleroterion::report::Outcome::Passed);
    assert!(format!("{report}").contains("ballot #151"), "{report}");

    let mut v = honest.clone();
    append(&mut v, &second, &again);
    let report = verify(&v);
    assert!(failed(&report).contains(&"E14"), "{report}");
    assert!(!failed(&report).contains(&"E13"), "{report}");
    // Sharded: the two ballots of one delegate are checked by different
    // shards (positions 8 and 151 of 2 shards), and the merge catches it.
    assert_eq!(failed(&verify_sharded(&v, 2)), failed(&report));
    assert_eq!(verify_sharded(&honest, 3), verify(&honest));

    // A ballot without its proof.
    let mut v = honest.clone();
    v.lines[5].eligibility = None;
    assert!(failed(&verify(&v)).contains(&"E13"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// `BallotLine::parse_head` accepts only lines `parse` accepts, with
    /// the same code and the start of the same ballot — and all of them on
    /// its fast path (ASCII without U+000B) — whatever character is put
    /// anywhere in a line.
    #[test]
    fn parse_head_agrees_with_parse(
        code in proptest::collection::vec(any::<u8>(), 31..34),
        ballot in proptest::collection::vec(any::<u8>(), 1..40),
        proof in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..8)),
        at in any::<proptest::sample::Index>(),
        put in proptest::option::of(prop_oneof![
            Just('0'), Just('f'), Just('F'), Just('g'), Just(' '), Just('\t'), Just('é'),
            Just('\u{b}'), Just('\u{a0}'), Just('\u{1c}')
        ]),
        cut in any::<bool>(),
        n in 0usize..16,
    ) {
        let mut line = hex::encode(&code) + " " + &hex::encode(&ballot);
        if let Some(p) = &proof {
            line = line + " " + &hex::encode(p);
        }
        let mut chars: Vec<char> = line.chars().collect();
        let i = at.index(chars.len());
        match put {
            Some(c) => chars.insert(i, c),
            None if cut => chars.truncate(i),
            None => {}
        }
        let line: String = chars.into_iter().collect();
        let fast = line.is_ascii() && !line.contains('\u{b}');
        match (BallotLine::parse_head(&line, n), BallotLine::parse(&line)) {
            (None, Err(_)) => {}
            (None, Ok(_)) if !fast => {}
            (Some((code, head)), Ok(full)) => {
                prop_assert_eq!(code, full.code);
                prop_assert_eq!(&head[..], &full.ballot[..n.min(full.ballot.len())]);
            }
            (head, full) => prop_assert!(false, "{line:?}: head {head:?}, parse {full:?}"),
        }
    }
}

/// Every check's id and outcome, failure reasons in sorted order (merged
/// shards may list them in another order).
fn reasons(report: &Report) -> Vec<(&'static str, Vec<String>)> {
    report
        .checks
        .iter()
        .map(|c| {
            let mut r: Vec<String> = match &c.outcome {
                kleroterion::report::Outcome::Failed(why) => {
                    why.split("; ").map(String::from).collect()
                }
                other => vec![format!("{other:?}")],
            };
            r.sort();
            (c.id, r)
        })
        .collect()
}

/// Sharded jobs that read other shards' lines with `parse_head` (the file
/// reader) reach the unsharded verdict, with malformed lines in the stream.
#[test]
fn sharded_file_reading_skips_other_lines_exactly() {
    use kleroterion::record::files::{verify_vote_shard, verify_vote_streams};
    let vote = motion_vote(6, 5, 3, 2);
    let mut lines: Vec<String> = vote.lines.iter().map(BallotLine::to_line).collect();
    // Non-hex past the id, an odd-length ballot, an empty line.
    let mid = lines[2].len() - 10;
    lines[2].replace_range(mid..mid + 1, "z");
    lines[5].push('0');
    lines[7] = String::new();
    let ballots = lines.join("\n") + "\n";
    let challenged: String = vote
        .challenged
        .iter()
        .map(|c| hex::encode(c) + "\n")
        .collect();
    let whole = verify_vote_streams(
        &vote.record,
        ballots.as_bytes(),
        challenged.as_bytes(),
        &mut ChaCha20Rng::seed_from_u64(1),
        |_| {},
    );
    assert_eq!(failed(&whole), ["E4", "E6", "E9"], "{whole}");
    for by in [ShardBy::Position, ShardBy::BallotId] {
        for count in [2, 3] {
            let mut rng = ChaCha20Rng::seed_from_u64(2);
            let mut parts = (0..count).map(|i| {
                verify_vote_shard(
                    &vote.record,
                    ballots.as_bytes(),
                    challenged.as_bytes(),
                    Shard::split(i, count, by).unwrap(),
                    &mut rng,
                    |_| {},
                )
            });
            let (checks, mut merged) = parts.next().unwrap();
            for (_, other) in parts {
                merged.merge(other).unwrap();
            }
            let merged = merged.complete(checks, &vote.record.tally);
            assert_eq!(
                reasons(&merged),
                reasons(&whole),
                "{count} shards by {by:?}"
            );
        }
    }
}

/// Shard summaries (`record::shards`) merge to the unsharded report, line
/// for line, in any order; summaries that are not shards `0..n` of one
/// split of one record are refused with the typed reason.
#[test]
fn shard_summaries_merge_or_are_refused() {
    use kleroterion::record::files::verify_vote_shard;
    use kleroterion::record::shards::{merge, MergeError, ShardSummary};
    use kleroterion::report::check_lines;
    let vote = motion_vote(6, 5, 3, 2);
    let ballots: String = vote.lines.iter().map(|l| l.to_line() + "\n").collect();
    let challenged: String = vote
        .challenged
        .iter()
        .map(|c| hex::encode(c) + "\n")
        .collect();
    let summaries = |count: u64, by: ShardBy, digest: &str| -> Vec<ShardSummary> {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        (0..count)
            .map(|i| {
                let shard = Shard::split(i, count, by).unwrap();
                let (checks, part) = verify_vote_shard(
                    &vote.record,
                    ballots.as_bytes(),
                    challenged.as_bytes(),
                    shard,
                    &mut rng,
                    |_| {},
                );
                ShardSummary::of_vote(digest.into(), shard, &vote.record.tally, &checks, part)
            })
            .collect()
    };
    let whole = check_lines(&verify(&vote));
    for by in [ShardBy::Position, ShardBy::BallotId] {
        let mut parts = summaries(3, by, "r");
        parts.reverse();
        let sections = merge(parts).unwrap();
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0].checks, whole, "{by:?}");
    }

    let parts = summaries(3, ShardBy::Position, "r");
    let refused = |parts: Vec<ShardSummary>| merge(parts).unwrap_err();
    assert_eq!(refused(Vec::new()), MergeError::Empty);
    assert!(matches!(
        refused(parts[..2].to_vec()),
        MergeError::Missing { index: 2, count: 3 }
    ));
    let mut twice = parts.clone();
    twice.push(parts[1].clone());
    assert!(matches!(
        refused(twice),
        MergeError::Repeated { index: 1, .. }
    ));
    let mut other_split = parts.clone();
    other_split[2] = summaries(3, ShardBy::BallotId, "r").remove(2);
    assert!(matches!(refused(other_split), MergeError::Split { .. }));
    let mut other_record = parts.clone();
    other_record[1] = summaries(3, ShardBy::Position, "s").remove(1);
    assert!(matches!(
        refused(other_record),
        MergeError::OtherRecord { index: 1 }
    ));
    let mut other_votes = parts.clone();
    other_votes[2].votes[0].title = "Vote \"other\"".into();
    assert!(matches!(
        refused(other_votes),
        MergeError::OtherVotes { index: 2, .. }
    ));
    let mut other_format = parts.clone();
    other_format[0].format = "kleroterion-shard-summary/0".into();
    assert!(matches!(refused(other_format), MergeError::Format { .. }));
    // The JSON form (what jobs write) round-trips.
    let text = serde_json::to_string(&parts[0]).unwrap();
    assert_eq!(
        serde_json::from_str::<ShardSummary>(&text).unwrap(),
        parts[0]
    );
}

/// Issue #16, attack 3: an invalid challenge sent under a victim's ballot
/// id is rejected and leaves the id free, so the victim's genuine ballot is
/// still accepted. Garbage, a replay from another election and duplicates
/// from other voters are refused without disturbing the honest voters: the
/// record verifies.
#[test]
fn rejected_submissions_do_not_burn_ballot_ids() {
    let mut rng = ChaCha20Rng::seed_from_u64(160);
    let dkg = trustees("assembly-7/hostile-box", 160);
    let manifest = Manifest::new("assembly-7/hostile-box", vec![Contest::motion("harm")]).unwrap();
    let election = Election::new(manifest, *dkg[0].trustees.joint_public_key());
    let mut bb =
        BallotBox::open(election.clone(), dkg[0].transcript.clone(), None, &mut rng).unwrap();
    let pending = |rng: &mut ChaCha20Rng, election: &Election| {
        let plain = PlaintextBallot::new(
            BallotId::random(rng),
            vec![PlaintextContest::motion("harm", MotionVote::Yes)],
        );
        election.encrypt(plain, rng).unwrap()
    };
    let victim = pending(&mut rng, &election).cast();

    // The attacker's own challenged ballot, relabelled with the victim's id
    // (it follows the challenged ballot's and the inner ballot's headers):
    // its proofs no longer verify.
    let mut bytes = pending(&mut rng, &election).challenge().to_bytes();
    let id = victim.id().as_bytes();
    bytes[4..4 + id.len()].copy_from_slice(id);
    let forged = ChallengedBallot::from_bytes(&bytes).unwrap();
    assert_eq!(forged.id(), victim.id());
    assert!(bb.challenge(&forged, &mut rng).is_err());
    // So is a ballot of another election under the victim's id.
    let other = Election::new(
        Manifest::new("assembly-8/elsewhere", vec![Contest::motion("harm")]).unwrap(),
        *dkg[0].trustees.joint_public_key(),
    );
    let mut bytes = pending(&mut rng, &other).cast().to_bytes();
    bytes[2..2 + id.len()].copy_from_slice(id);
    let replayed = kleroterion::ballot::EncryptedBallot::from_bytes(&bytes).unwrap();
    assert!(bb.cast(replayed, &mut rng).is_err());

    // The victim's genuine ballot is still accepted, once.
    let mut lines = vec![bb.cast(victim.clone(), &mut rng).unwrap()];
    assert!(bb.cast(victim, &mut rng).is_err());
    // A genuine challenge, and its replay, and more honest ballots.
    let challenge = pending(&mut rng, &election).challenge();
    let challenged = vec![bb.challenge(&challenge, &mut rng).unwrap()];
    assert!(bb.challenge(&challenge, &mut rng).is_err());
    for _ in 0..3 {
        lines.push(
            bb.cast(pending(&mut rng, &election).cast(), &mut rng)
                .unwrap(),
        );
    }
    let decryptions = [0, 2, 3]
        .iter()
        .map(|&i| TrusteeDecryption::produce(&dkg[i].share, bb.trustees(), bb.tally(), &mut rng))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let record = bb.close(decryptions, &mut rng).unwrap();
    let vote = Vote {
        record,
        lines,
        challenged,
        trustees: vec![0, 2, 3],
    };
    let report = verify(&vote);
    assert!(report.all_passed(), "{report}");
    let m = vote
        .record
        .result
        .contest("harm")
        .unwrap()
        .motion()
        .unwrap();
    assert_eq!(m.yes, 4);
}

/// Replaces every occurrence of `from` in `bytes` by `to` (same length).
fn splice(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("present");
    bytes[at..at + to.len()].copy_from_slice(to);
}

/// Issue #16, attack 1: the attacker runs the trustees' key generation,
/// publishes a tally that hides a large value in one sum and a random point
/// in another, claims `2⁶³ − 2` ballots, and adds valid partial
/// decryptions of that tally. The claimed count disagrees with the stream,
/// so E9 fails naming both counts and E11 is not checked: no discrete-log
/// table is sized from the claim. The record is rejected at once.
#[test]
fn huge_claimed_ballot_count_is_rejected_at_once() {
    use kleroterion::elgamal::Ciphertext;
    use kleroterion::tally::{TallyAccumulator, TallyResult};
    let vote = motion_vote(16, 2, 1, 0);
    let dkg = trustees("assembly-7/harm-finding", 16);
    let mut rng = ChaCha20Rng::seed_from_u64(161);
    let pk = dkg[0].trustees.joint_public_key();
    let claimed: u64 = (1 << 63) - 2;
    let mut bytes = vote.record.tally.to_bytes();
    // Header (2 bytes), manifest hash (32), then the ballot count.
    bytes[34..42].copy_from_slice(&claimed.to_le_bytes());
    let sums = vote.record.tally.sums()[0].clone();
    let (large, _) = Ciphertext::encrypt_u64(pk, 1 << 40, &mut rng);
    let (random, _) = Ciphertext::encrypt(
        pk,
        &curve25519_dalek::Scalar::from_bytes_mod_order([0x5a; 32]),
        &mut rng,
    );
    splice(&mut bytes, &sums[0].to_bytes(), &large.to_bytes());
    splice(&mut bytes, &sums[1].to_bytes(), &random.to_bytes());
    let forged = TallyAccumulator::from_bytes(&bytes).unwrap();
    assert_eq!(forged.ballots(), claimed);

    let mut v = vote.clone();
    v.record.decryptions = [0, 1, 2]
        .iter()
        .map(|&i| {
            TrusteeDecryption::produce(&dkg[i].share, &dkg[0].trustees, &forged, &mut rng).unwrap()
        })
        .collect();
    v.record.tally = forged;
    // The announced result claims the same count.
    let mut result = v.record.result.to_bytes();
    splice(
        &mut result,
        &vote.record.result.ballots().to_le_bytes(),
        &claimed.to_le_bytes(),
    );
    v.record.result = TallyResult::from_bytes(&result).unwrap();
    assert_eq!(v.record.result.ballots(), claimed);

    let start = std::time::Instant::now();
    let report = verify(&v);
    let elapsed = start.elapsed();
    assert_eq!(failed(&report), ["E9"], "{report}");
    let e9 = report.get("E9").unwrap().outcome.reason().unwrap();
    assert!(e9.contains(&claimed.to_string()), "{e9}");
    assert!(report.get("E10").unwrap().passed(), "{report}");
    let e11 = &report.get("E11").unwrap().outcome;
    assert!(
        matches!(e11, kleroterion::report::Outcome::NotChecked(why) if why.contains("E9")),
        "{report}"
    );
    assert_eq!(
        report.tally().verdict(),
        kleroterion::report::Verdict::Failed
    );
    // Measured well under 0.1 s (the whole record, including its 3 ballots
    // and 3 × 3 partial decryptions); before the fix, the table alone took
    // about 50 s and the search weeks.
    assert!(elapsed.as_secs_f64() < 2.0, "took {elapsed:?}");

    // The same forgery with a count the stream agrees with: the tally then
    // hides a value no 3 ballots can give, E9 fails on the sums and E11,
    // decided by one multiplication per sum, is not checked either.
    let mut bytes = v.record.tally.to_bytes();
    bytes[34..42].copy_from_slice(&3u64.to_le_bytes());
    v.record.tally = TallyAccumulator::from_bytes(&bytes).unwrap();
    let start = std::time::Instant::now();
    let report = verify(&v);
    assert!(start.elapsed().as_secs_f64() < 2.0);
    assert_eq!(failed(&report), ["E9"], "{report}");
    assert!(matches!(
        report.get("E11").unwrap().outcome,
        kleroterion::report::Outcome::NotChecked(_)
    ));
}

/// A record whose claimed counts disagree with its contents is rejected by
/// the check that compares them: a result claiming more ballots than the
/// tally (E11), a tally claiming fewer ballots than the stream (E9, and
/// E11 not checked), a count above what the ballots can give (E11).
#[test]
fn claimed_counts_that_disagree_with_the_contents_are_named() {
    let vote = motion_vote(17, 2, 1, 1);
    let mut v = vote.clone();
    let mut result = v.record.result.to_bytes();
    splice(&mut result, &4u64.to_le_bytes(), &5u64.to_le_bytes());
    v.record.result = kleroterion::tally::TallyResult::from_bytes(&result).unwrap();
    let report = verify(&v);
    assert_eq!(failed(&report), ["E11"], "{report}");
    assert!(report
        .get("E11")
        .unwrap()
        .outcome
        .reason()
        .unwrap()
        .contains("5 ballots"));

    let mut v = vote.clone();
    v.lines.push(v.lines[0].clone());
    let report = verify(&v);
    assert!(failed(&report).contains(&"E9"), "{report}");
    assert!(matches!(
        report.get("E11").unwrap().outcome,
        kleroterion::report::Outcome::NotChecked(_)
    ));
}

/// Threshold decryption of a tally keeps working when trustees that are not
/// needed for the threshold (or anyone posting under a trustee's index)
/// send garbage, duplicates or a decryption of another tally: the ballot
/// box leaves them out of the record, which verifies; a verifier given them
/// names each under E10 and still decides E11.
#[test]
fn tally_decryption_ignores_garbage_duplicates_and_replays() {
    let honest = motion_vote(18, 3, 2, 1);
    let dkg = trustees("assembly-7/harm-finding", 18);
    let mut rng = ChaCha20Rng::seed_from_u64(181);
    let election = Election::new(
        honest.record.manifest.clone(),
        *dkg[0].trustees.joint_public_key(),
    );
    let mut bb =
        BallotBox::open(election.clone(), dkg[0].transcript.clone(), None, &mut rng).unwrap();
    let mut lines = Vec::new();
    for vote in [MotionVote::Yes, MotionVote::No, MotionVote::Yes] {
        let plain = PlaintextBallot::new(
            BallotId::random(&mut rng),
            vec![PlaintextContest::motion("harm", vote)],
        );
        lines.push(
            bb.cast(election.encrypt(plain, &mut rng).unwrap().cast(), &mut rng)
                .unwrap(),
        );
    }
    let produce = |i: usize, tally, rng: &mut ChaCha20Rng| {
        TrusteeDecryption::produce(&dkg[i].share, bb.trustees(), tally, rng).unwrap()
    };
    // Trustee 2's decryption of another tally (the honest vote's): another
    // round's message under an honest index, placed first.
    let replayed = produce(1, &honest.record.tally, &mut rng);
    // Garbage under trustee 1's index: trustee 4's shares relabelled.
    let mut garbage = produce(3, bb.tally(), &mut rng).to_bytes();
    garbage[2..4].copy_from_slice(&1u16.to_le_bytes());
    let garbage = TrusteeDecryption::from_bytes(&garbage).unwrap();
    let first = produce(0, bb.tally(), &mut rng);
    let decryptions = vec![
        replayed,
        garbage,
        first.clone(),
        produce(1, bb.tally(), &mut rng),
        first,
        produce(4, bb.tally(), &mut rng),
    ];
    let given = decryptions.clone();
    let record = bb.close(decryptions, &mut rng).unwrap();
    let published: Vec<u16> = record.decryptions.iter().map(|d| d.index().get()).collect();
    assert_eq!(
        published,
        [1, 2, 5],
        "exactly the valid decryptions, once each"
    );
    let mut vote = Vote {
        record,
        lines,
        challenged: Vec::new(),
        trustees: vec![0, 1, 4],
    };
    let report = verify(&vote);
    assert!(report.all_passed(), "{report}");
    let m = vote
        .record
        .result
        .contest("harm")
        .unwrap()
        .motion()
        .unwrap();
    assert_eq!((m.yes, m.no), (2, 1));

    // The verifier, given everything that was sent, names the bad ones
    // (E10) and still checks the result (E11).
    vote.record.decryptions = given;
    let report = verify(&vote);
    assert_eq!(failed(&report), ["E10"], "{report}");
    assert!(report.get("E11").unwrap().passed());
}

/// Without a trustee set (E3 failed) nothing that needs the joint key is
/// reported as passed: E4–E11 are not checked, with the reason.
#[test]
fn checks_that_need_the_joint_key_are_not_checked_without_it() {
    let vote = motion_vote(19, 2, 1, 0);
    let other = motion_vote_in("assembly-8/harm-finding", 20, 1, 1, 0);
    let mut v = vote.clone();
    v.record.trustees.round1[0] = other.record.trustees.round1[0].clone();
    let report = verify(&v);
    assert_eq!(failed(&report), ["E3"], "{report}");
    for id in ["E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11"] {
        let outcome = &report.get(id).unwrap().outcome;
        assert!(
            matches!(outcome, kleroterion::report::Outcome::NotChecked(why) if why.contains("E3")),
            "{id}: {outcome:?}"
        );
    }
    assert_eq!(
        report.tally().verdict(),
        kleroterion::report::Verdict::Failed
    );
}
