//! End-to-end tests of an assembly vote's record (spec/record.md): trustees,
//! ballots, challenges, tally, threshold decryption with absent trustees,
//! and the numbered checks of the verifier — including a tamper test that
//! changes each part of the record and names the check that fails.

use kleroterion::ballot::{
    BallotId, ChallengedBallot, ConfirmationCode, Contest, ContestKind, Election, Manifest,
    MotionVote, PlaintextBallot, PlaintextContest,
};
use kleroterion::encoding::{Decode, Encode};
use kleroterion::record::{
    verify_record, BallotBox, BallotLine, ElectionRecord, RecordVerifier, Shard, TrusteeDecryption,
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
            challenged.push(bb.challenge(&pending.challenge()).unwrap());
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
    .flat_map(|(v, n)| core::iter::repeat(v).take(n))
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

    // A changed proof in a challenged ballot (found by the `record` fuzz
    // target): the opening still reproduces the ciphertexts, but the
    // validity proofs no longer verify.
    let mut v = vote.clone();
    let opened = ChallengedBallot::from_bytes(&v.challenged[0]).unwrap();
    // 0x64 0x01 ‖ ballot ‖ …; the ballot ends with a proof's last scalar,
    // whose lowest byte comes first.
    let last_scalar = 2 + opened.ballot().to_bytes().len() - 32;
    v.challenged[0][last_scalar] ^= 1;
    assert!(ChallengedBallot::from_bytes(&v.challenged[0]).is_ok());
    check("challenged ballot's proofs", &v, "E8");

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

/// Verifies `vote` in `count` shards, merges their ballot checks in
/// reverse order (merging is order-independent) and completes the report
/// with the first shard's record checks.
fn verify_sharded(vote: &Vote, count: u64) -> Report {
    let mut rng = ChaCha20Rng::seed_from_u64(98);
    let mut parts: Vec<_> = (0..count)
        .map(|i| {
            let shard = Shard::new(i, count).unwrap();
            let mut v = RecordVerifier::with_shard(&vote.record, &mut rng, shard);
            for line in &vote.lines {
                v.push_ballot(line.clone());
            }
            if shard.is_first() {
                for c in &vote.challenged {
                    v.push_challenged(c);
                }
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
    for count in [1, 2, 3, 11] {
        assert_eq!(verify_sharded(&vote, count), whole, "{count} shards");
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
    let s = Shard::new(1, 3).unwrap();
    assert!(s.contains(4) && !s.contains(3) && !s.is_first());
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
