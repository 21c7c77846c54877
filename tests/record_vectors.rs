//! Known-answer vectors for a small deterministic election
//! (test-vectors/election.json): the complete record, its ballot streams and
//! the expected verification report.
//!
//! [`generate`] runs a 3-of-5 key generation, a motion and an approval
//! contest, eight ballots (one challenged first) and decryption by trustees
//! 1, 3 and 5, all from a fixed ChaCha20 seed. The test verifies the record
//! read from the file alone, compares the report with the expected one, and
//! checks that the generator still reproduces the file exactly. Regenerate
//! with `KLEROTERION_REGENERATE_VECTORS=1 cargo test --test record_vectors`.

use kleroterion::ballot::{
    BallotId, Contest, ContestKind, Election, Manifest, MotionVote, PlaintextBallot,
    PlaintextContest,
};
use kleroterion::record::{
    verify_record, BallotBox, BallotLine, ElectionRecord, TrusteeDecryption,
};
use kleroterion::report::Outcome;
use kleroterion::trustees::dkg::DkgParameters;
use kleroterion::trustees::simulate::run_locally;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/election.json");
const SEED: u64 = 0x656c_6563_7469_6f6e;

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct File {
    source: String,
    record: ElectionRecord,
    /// `ballots.txt` lines.
    ballots: Vec<String>,
    /// `challenged.txt` lines.
    challenged: Vec<String>,
    /// The expected report: check id and "ok" or "failed".
    report: Vec<(String, String)>,
    /// Motion result: yes, no, abstain.
    motion: [u64; 3],
    /// Approval counts per option.
    approval: Vec<u64>,
}

fn generate() -> File {
    let mut rng = ChaCha20Rng::seed_from_u64(SEED);
    let election_id = "kleroterion test election";
    let dkg = run_locally(
        &DkgParameters::new(5, 3, election_id.as_bytes()).unwrap(),
        &mut rng,
    )
    .unwrap();
    let manifest = Manifest::new(
        election_id,
        vec![
            Contest::motion("harm"),
            Contest::new(
                "priorities",
                ContestKind::Approval { limit: 2 },
                vec!["housing".into(), "water".into(), "schools".into()],
            ),
        ],
    )
    .unwrap();
    let election = Election::new(manifest, *dkg[0].trustees.joint_public_key());
    let mut bb =
        BallotBox::open(election.clone(), dkg[0].transcript.clone(), None, &mut rng).unwrap();
    let votes = [
        MotionVote::Yes,
        MotionVote::Yes,
        MotionVote::No,
        MotionVote::Yes,
        MotionVote::Abstain,
        MotionVote::No,
        MotionVote::Yes,
        MotionVote::Yes,
    ];
    let mut ballots = Vec::new();
    let mut challenged = Vec::new();
    for (i, v) in votes.iter().enumerate() {
        let contests = vec![
            PlaintextContest::motion("harm", *v),
            PlaintextContest::new("priorities", vec![(i % 2) as u64, 1, 0]),
        ];
        if i == 0 {
            let plain = PlaintextBallot::new(BallotId::random(&mut rng), contests.clone());
            let opened = election.encrypt(plain, &mut rng).unwrap().challenge();
            // Batch weights from their own generator: the vectors' stream
            // is unchanged.
            let weights = &mut ChaCha20Rng::seed_from_u64(0);
            challenged.push(hex::encode(bb.challenge(&opened, weights).unwrap()));
        }
        let plain = PlaintextBallot::new(BallotId::random(&mut rng), contests);
        let ballot = election.encrypt(plain, &mut rng).unwrap().cast();
        ballots.push(bb.cast(ballot, &mut rng).unwrap().to_line());
    }
    let decryptions = [0usize, 2, 4]
        .iter()
        .map(|&i| TrusteeDecryption::produce(&dkg[i].share, bb.trustees(), bb.tally(), &mut rng))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let record = bb.close(decryptions, &mut rng).unwrap();
    let m = record.result.contest("harm").unwrap().motion().unwrap();
    let approval = record
        .result
        .contest("priorities")
        .unwrap()
        .counts()
        .to_vec();
    File {
        source: "kleroterion tests/record_vectors.rs: generate() from \
                 ChaCha20Rng::seed_from_u64(0x656c_6563_7469_6f6e); spec/record.md"
            .into(),
        report: (1..=11).map(|i| (format!("E{i}"), "ok".into())).collect(),
        motion: [m.yes, m.no, m.abstain],
        approval,
        record,
        ballots,
        challenged,
    }
}

#[test]
fn election_known_answers() {
    if std::env::var_os("KLEROTERION_REGENERATE_VECTORS").is_some() {
        let json = serde_json::to_string_pretty(&generate()).unwrap() + "\n";
        std::fs::write(PATH, json).unwrap();
    }
    let file: File = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();

    let lines: Vec<BallotLine> = file
        .ballots
        .iter()
        .map(|l| BallotLine::parse(l).unwrap())
        .collect();
    let challenged: Vec<Vec<u8>> = file
        .challenged
        .iter()
        .map(|l| hex::decode(l).unwrap())
        .collect();
    let report = verify_record(
        &file.record,
        &lines,
        &challenged,
        &mut ChaCha20Rng::seed_from_u64(1),
    );
    let got: Vec<(String, String)> = report
        .checks
        .iter()
        .map(|c| {
            let outcome = if c.outcome == Outcome::Passed {
                "ok"
            } else {
                "failed"
            };
            (c.id.to_string(), outcome.to_string())
        })
        .collect();
    assert_eq!(got, file.report, "{report}");
    let m = file
        .record
        .result
        .contest("harm")
        .unwrap()
        .motion()
        .unwrap();
    assert_eq!([m.yes, m.no, m.abstain], file.motion);
    assert_eq!([m.yes, m.no, m.abstain], [5, 2, 1]);
    assert_eq!(file.approval, [4, 8, 0]);

    assert_eq!(generate(), file);
}
