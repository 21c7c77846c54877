//! Fixtures of the `ballot`, `sortition`, `credential` and `record` targets:
//! a small election with one contest of every kind, a small simulated
//! assembly (roll, beacon, draw, two eligibility-restricted votes), the
//! election record of `test-vectors/election.json`, and credential proofs.
//!
//! Everything is made through the crate's public high-level APIs
//! (`Election::encrypt`, `simulate_assembly`, `MembershipProof::prove`,
//! `ConsentStatement::sign`) from fixed ChaCha20 seeds, and kept small so
//! that one execution of a target stays in the millisecond range. Each group
//! is built on first use, so a target pays only for what it verifies.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kleroterion::ballot::{
    BallotId, ChallengedBallot, ConfirmationChain, ConfirmationCode, Contest, ContestKind,
    Election, EncryptedBallot, Manifest, MotionVote, PlaintextBallot, PlaintextContest,
};
use kleroterion::beacon::threshold::VerifiedChain;
use kleroterion::credential::{AnonymitySet, CitizenSecretKey, ConsentStatement, MembershipProof};
use kleroterion::elgamal::{KeyPair, SecretKey};
use kleroterion::encoding::Decode;
use kleroterion::record::{AssemblyRecord, BallotLine, ElectionRecord};
use kleroterion::roll::RollEntry;
use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams};

use curve25519_dalek::scalar::Scalar;

use crate::fixtures::rng;

/// A small election: a motion, a 1-of-3, an approval (at most 2 of 3) and a
/// score (0..=3, two options) contest, under a fixed ElGamal key.
pub struct BallotFixtures {
    /// The manifest and key ballots are verified against.
    pub election: Election,
    /// Two cast ballots, in confirmation-chain order.
    pub cast: Vec<EncryptedBallot>,
    /// The selections of each cast ballot (per contest, per option).
    pub cast_selections: Vec<Vec<Vec<u64>>>,
    /// An opened (challenged) ballot; its encrypted ballot verifies too.
    pub challenged: ChallengedBallot,
    /// The confirmation codes: the manifest seed, then one per cast ballot.
    pub codes: Vec<ConfirmationCode>,
}

impl BallotFixtures {
    /// Every encrypted ballot known to verify: the cast ballots and the
    /// challenged one.
    pub fn valid_ballots(&self) -> impl Iterator<Item = &EncryptedBallot> {
        self.cast.iter().chain([self.challenged.ballot()])
    }

    /// The selections of a known ballot with the same ciphertexts as
    /// `ballot` (ElGamal is binding: such a ballot can only open to these).
    pub fn selections_of(&self, ballot: &EncryptedBallot) -> Option<&[Vec<u64>]> {
        let same = |known: &EncryptedBallot| {
            known.contests().len() == ballot.contests().len()
                && known
                    .contests()
                    .iter()
                    .zip(ballot.contests())
                    .all(|(a, b)| a.ciphertexts() == b.ciphertexts())
        };
        self.cast
            .iter()
            .zip(&self.cast_selections)
            .find(|(known, _)| same(known))
            .map(|(_, s)| s.as_slice())
            .or_else(|| same(self.challenged.ballot()).then(|| self.challenged.selections()))
    }
}

/// The ballot fixtures, built on first use.
pub fn ballot_fixtures() -> &'static BallotFixtures {
    static CELL: OnceLock<BallotFixtures> = OnceLock::new();
    CELL.get_or_init(build_ballots)
}

fn build_ballots() -> BallotFixtures {
    let mut rng = rng(0x6261_6c6c_6f74);
    let options = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let manifest = Manifest::new(
        "kleroterion fuzz election",
        vec![
            Contest::motion("motion"),
            Contest::new(
                "chair",
                ContestKind::OneOfN,
                options(&["ana", "ben", "cai"]),
            ),
            Contest::new(
                "budget",
                ContestKind::Approval { limit: 2 },
                options(&["parks", "roads", "wells"]),
            ),
            Contest::new(
                "priority",
                ContestKind::Score { max: 3 },
                options(&["housing", "water"]),
            ),
        ],
    )
    .expect("fixture manifest");
    let keys = KeyPair::from_secret(
        SecretKey::from_scalar(Scalar::from(0x000e_1ec7_104e_u64)).expect("nonzero secret"),
    );
    let election = Election::new(manifest, *keys.public());
    let plaintext = |vote: MotionVote, chair: u64, budget: [u64; 3], score: [u64; 2]| {
        let mut chairs = vec![0; 3];
        chairs[chair as usize] = 1;
        vec![
            PlaintextContest::motion("motion", vote),
            PlaintextContest::new("chair", chairs),
            PlaintextContest::new("budget", budget.to_vec()),
            PlaintextContest::new("priority", score.to_vec()),
        ]
    };
    let mut encrypt = |contests: Vec<PlaintextContest>| {
        let plain = PlaintextBallot::new(BallotId::random(&mut rng), contests);
        election.encrypt(plain, &mut rng).expect("fixture ballot")
    };
    let votes = [
        plaintext(MotionVote::Yes, 0, [1, 0, 1], [3, 0]),
        plaintext(MotionVote::Abstain, 2, [0, 0, 0], [1, 2]),
    ];
    let cast_selections = votes
        .iter()
        .map(|b| b.iter().map(|c| c.values().to_vec()).collect())
        .collect();
    let cast: Vec<EncryptedBallot> = votes.into_iter().map(|b| encrypt(b).cast()).collect();
    let challenged = encrypt(plaintext(MotionVote::No, 1, [0, 1, 0], [0, 3])).challenge();
    let mut chain = ConfirmationChain::new(election.manifest());
    let mut codes = vec![*chain.last()];
    codes.extend(cast.iter().map(|b| chain.append(b)));
    BallotFixtures {
        election,
        cast,
        cast_selections,
        challenged,
        codes,
    }
}

/// The `ballot` target's seeds: the fixture ballots, the opened ballot, the
/// codes and their chain inputs.
pub fn ballot_seeds() -> Vec<Vec<u8>> {
    use kleroterion::encoding::Encode;
    let f = ballot_fixtures();
    let mut seeds: Vec<Vec<u8>> = f.valid_ballots().map(Encode::to_bytes).collect();
    seeds.push(f.challenged.to_bytes());
    seeds.extend(f.codes.iter().map(Encode::to_bytes));
    seeds.push(f.election.manifest().to_bytes());
    seeds.extend(challenge_under_a_cast_id());
    seeds
}

/// Credential fixtures: an anonymity set of five citizens with proofs of
/// membership, consent statements, and the sets and proofs of
/// `test-vectors/credential.json`.
pub struct CredentialFixtures {
    /// Every known valid `(set, context, message, proof)`; the first three
    /// are over [`Self::set`]: citizen 0 on messages `A` and `B` (the same
    /// linking tag), citizen 3 on `A`.
    pub proofs: Vec<(AnonymitySet, Vec<u8>, Vec<u8>, MembershipProof)>,
    /// The fixture anonymity set.
    pub set: AnonymitySet,
    /// The polity of the consent statements.
    pub polity: Vec<u8>,
    /// The year of the consent statements.
    pub year: u32,
    /// Valid consent statements for [`Self::polity`] and [`Self::year`]
    /// (fixture citizens, then the vectors' citizens).
    pub consents: Vec<ConsentStatement>,
    /// The polity and year of the vectors' consent statements.
    pub vector_polity: (Vec<u8>, u32),
    /// Valid consent statements of the vectors.
    pub vector_consents: Vec<ConsentStatement>,
}

/// Context of the fixture membership proofs.
pub const CREDENTIAL_CONTEXT: &[u8] = b"kleroterion fuzz motion";

/// The credential fixtures, built on first use.
pub fn credential_fixtures() -> &'static CredentialFixtures {
    static CELL: OnceLock<CredentialFixtures> = OnceLock::new();
    CELL.get_or_init(build_credentials)
}

fn build_credentials() -> CredentialFixtures {
    let mut rng = rng(0x6372_6564);
    let citizens: Vec<CitizenSecretKey> = (0..5)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let set = AnonymitySet::new(citizens.iter().map(|c| c.public_key()).collect()).expect("set");
    let mut proofs = Vec::new();
    for (who, message) in [(0, b"ballot A"), (0, b"ballot B"), (3, b"ballot A")] {
        let proof =
            MembershipProof::prove(&set, &citizens[who], CREDENTIAL_CONTEXT, message, &mut rng)
                .expect("member");
        proofs.push((
            set.clone(),
            CREDENTIAL_CONTEXT.to_vec(),
            message.to_vec(),
            proof,
        ));
    }
    let polity = b"polity:fuzz".to_vec();
    let year = 2031;
    let consents = citizens
        .iter()
        .take(2)
        .map(|c| ConsentStatement::sign(c, &polity, year, &mut rng).expect("consent"))
        .collect();

    let file = crate::json_file(include_str!("../../test-vectors/credential.json"));
    let field = |name: &str| crate::unhex(&file[name]);
    let (context, message) = (field("context"), field("message"));
    let vector_polity = (
        field("polity"),
        u32::try_from(file["year"].as_u64().expect("year")).expect("u32 year"),
    );
    let mut vector_consents = Vec::new();
    for s in file["sets"].as_array().expect("sets") {
        let vset = AnonymitySet::from_bytes(&crate::unhex(&s["set"])).expect("vector set");
        let proof = MembershipProof::from_bytes(&crate::unhex(&s["proof"])).expect("proof");
        proofs.push((vset, context.clone(), message.clone(), proof));
        for c in s["citizens"].as_array().expect("citizens") {
            let consent = ConsentStatement::from_bytes(&crate::unhex(&c["consent"]));
            vector_consents.push(consent.expect("vector consent"));
        }
    }
    CredentialFixtures {
        proofs,
        set,
        polity,
        year,
        consents,
        vector_polity,
        vector_consents,
    }
}

/// The `credential` target's seeds: the fixture and vector sets, proofs and
/// consent statements.
pub fn credential_seeds() -> Vec<Vec<u8>> {
    use kleroterion::encoding::Encode;
    let f = credential_fixtures();
    let mut seeds = Vec::new();
    for (set, _, _, proof) in &f.proofs {
        seeds.push(set.to_bytes());
        seeds.push(proof.to_bytes());
    }
    seeds.extend(
        f.consents
            .iter()
            .chain(&f.vector_consents)
            .map(Encode::to_bytes),
    );
    seeds.sort();
    seeds.dedup();
    seeds
}

/// One vote's record with its streams.
pub struct Vote {
    /// The vote's record.
    pub record: ElectionRecord,
    /// Its cast-ballot lines, in order.
    pub ballots: Vec<BallotLine>,
    /// Its challenged ballots' encodings.
    pub challenged: Vec<Vec<u8>>,
}

impl Vote {
    /// The cast-ballot stream as text.
    pub fn ballot_text(&self) -> String {
        self.ballots.iter().map(|l| l.to_line() + "\n").collect()
    }

    /// The challenged-ballot stream as text.
    pub fn challenged_text(&self) -> String {
        self.challenged
            .iter()
            .map(|c| hex::encode(c) + "\n")
            .collect()
    }
}

/// A small simulated assembly and the election record of the test vectors.
pub struct RecordFixtures {
    /// The assembly record: 12 citizens in 2 regions, 4 seats and 1 reserve
    /// per region, 3 trustees with `t = 2` (trustee 2 absent at
    /// decryption), two votes of 4 delegates with 1 challenged ballot each.
    pub assembly: AssemblyRecord,
    /// The roll, in canonical order.
    pub roll: Vec<RollEntry>,
    /// The assembly's verified beacon chain.
    pub chain: VerifiedChain,
    /// The assembly's votes by name, with their streams.
    pub votes: BTreeMap<String, Vote>,
    /// The record of `test-vectors/election.json` (no eligibility
    /// restriction, 8 ballots, 1 challenged).
    pub vector: Vote,
}

impl RecordFixtures {
    /// Every known vote: the assembly's, then the vector's.
    pub fn all_votes(&self) -> impl Iterator<Item = &Vote> {
        self.votes.values().chain([&self.vector])
    }

    /// The roll stream as text (hex of each entry's encoding per line).
    pub fn roll_text(&self) -> String {
        use kleroterion::encoding::Encode;
        self.roll
            .iter()
            .map(|e| hex::encode(e.to_bytes()) + "\n")
            .collect()
    }
}

/// The record fixtures, built on first use.
pub fn record_fixtures() -> &'static RecordFixtures {
    static CELL: OnceLock<RecordFixtures> = OnceLock::new();
    CELL.get_or_init(build_records)
}

fn build_records() -> RecordFixtures {
    let mut rng = rng(0x7265_636f_7264);
    let params = SimulationParams {
        citizens: 12,
        strata: 2,
        seats: 4,
        reserve: 1,
        trustees: 3,
        threshold: 2,
        absent: vec![2],
        challenged: 1,
        consultation_ballots: 0,
        features: false,
    };
    let mut sink = MemorySink::default();
    let sim = simulate_assembly(&params, &mut rng, &mut sink, |_, _| {}).expect("simulation");
    let chain = sim
        .record
        .beacon
        .threshold()
        .expect("a threshold beacon")
        .verify(&mut rng)
        .expect("beacon verifies");
    let votes = sim
        .record
        .votes
        .iter()
        .map(|v| {
            let vote = Vote {
                record: v.record.clone(),
                ballots: sink.ballots.get(&v.name).cloned().unwrap_or_default(),
                challenged: sink.challenged.get(&v.name).cloned().unwrap_or_default(),
            };
            (v.name.clone(), vote)
        })
        .collect();

    let file = crate::json_file(include_str!("../../test-vectors/election.json"));
    let record: ElectionRecord =
        serde_json::from_value(file["record"].clone()).expect("vector record");
    let lines = |key: &str| -> Vec<String> {
        file[key]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l.as_str().expect("line").to_string())
            .collect()
    };
    let vector = Vote {
        record,
        ballots: lines("ballots")
            .iter()
            .map(|l| BallotLine::parse(l).expect("vector line"))
            .collect(),
        challenged: lines("challenged")
            .iter()
            .map(|l| hex::decode(l).expect("hex"))
            .collect(),
    };
    RecordFixtures {
        assembly: sim.record,
        roll: sim.roll,
        chain,
        votes,
        vector,
    }
}

/// The `sortition` target's seeds: the selection record (JSON), its drawn
/// entries and their inclusion proofs (canonical encodings).
pub fn sortition_seeds() -> Vec<Vec<u8>> {
    use kleroterion::encoding::Encode;
    let f = record_fixtures();
    let selection = &f.assembly.selection;
    let mut seeds = vec![serde_json::to_vec(selection).expect("JSON")];
    for d in selection
        .strata
        .iter()
        .flat_map(|s| s.selected.iter().chain(&s.reserve))
    {
        seeds.push(d.entry.to_bytes());
        seeds.push(d.proof.to_bytes());
    }
    seeds.push(selection.announcement.roll.root.to_bytes());
    seeds
}

/// The `record` target's seeds: the assembly record and every vote record
/// as JSON, and every vote's streams (`selector ‖ ballots ‖ NUL ‖
/// challenged`, see the target).
pub fn record_seeds() -> Vec<Vec<u8>> {
    let f = record_fixtures();
    let mut seeds = vec![serde_json::to_vec(&f.assembly).expect("JSON")];
    seeds.push(serde_json::to_vec(&huge_count_record(&f.vector.record)).expect("JSON"));
    for (i, vote) in f.all_votes().enumerate() {
        seeds.push(serde_json::to_vec(&vote.record).expect("JSON"));
        let mut stream = vec![u8::try_from(i).expect("few votes")];
        stream.extend_from_slice(vote.ballot_text().as_bytes());
        stream.push(0);
        stream.extend_from_slice(vote.challenged_text().as_bytes());
        seeds.push(stream);
    }
    seeds
}

/// Issue #16 (attack 1), a slow-input seed of the `record` target: `record`
/// with the ballot count of its tally and of its result set to `2⁶³ − 2`.
/// The partial decryptions still verify (the sums are unchanged); a
/// verifier that sized its discrete-log search from the claim built a
/// 128 MiB table (about 50 s) and then searched for weeks.
pub fn huge_count_record(record: &ElectionRecord) -> ElectionRecord {
    use kleroterion::encoding::Encode;
    use kleroterion::tally::{TallyAccumulator, TallyResult};
    let claimed: u64 = (1 << 63) - 2;
    // Header (2 bytes) and manifest hash (32 bytes), then the count.
    let with_count = |mut bytes: Vec<u8>| {
        if let Some(count) = bytes.get_mut(34..42) {
            count.copy_from_slice(&claimed.to_le_bytes());
        }
        bytes
    };
    let mut record = record.clone();
    record.tally =
        TallyAccumulator::from_bytes(&with_count(record.tally.to_bytes())).expect("tally");
    record.result = TallyResult::from_bytes(&with_count(record.result.to_bytes())).expect("result");
    record
}

/// Issue #16 (attack 3), a seed of the `ballot` target: the challenged
/// ballot of `test-vectors/election.json` relabelled with the id of that
/// vote's first cast ballot (its proofs no longer verify).
pub fn challenge_under_a_cast_id() -> Option<Vec<u8>> {
    let v = &record_fixtures().vector;
    let mut bytes = v.challenged.first()?.clone();
    let id = v.ballots.first()?.ballot.get(2..34)?.to_vec();
    // The id follows the challenged ballot's and the inner ballot's headers.
    bytes.get_mut(4..36)?.copy_from_slice(&id);
    Some(bytes)
}
