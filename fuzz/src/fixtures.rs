//! Fixed, valid objects that the fuzz targets verify against and that seed
//! the corpora. Everything is derived from fixed ChaCha20 seeds, so every run
//! (and every machine) sees the same statements, keys and proofs; the set is
//! built once per process with [`fixtures`].

use std::sync::OnceLock;

use kleroterion::beacon::threshold::{
    self, BeaconOutput, BeaconParameters, BeaconPartial, BeaconRecord, BeaconRound, ChainMode,
};
use kleroterion::beacon::{ecvrf, Registrations};
use kleroterion::elgamal::{Ciphertext, DlogTable, KeyPair, SecretKey};
use kleroterion::proofs::{DisjunctiveProof, DleqProof, DleqStatement, SchnorrProof};
use kleroterion::transcript::new_transcript;
use kleroterion::trustees::dkg::{self, round1, round2, Complaint, DkgParameters, DkgTranscript};
use kleroterion::trustees::simulate::part2_cheating;
use kleroterion::trustees::{PartialDecryption, ParticipantIndex, SecretShare, TrusteeSet};
use merlin::Transcript;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

/// Context string of every fixture transcript.
pub const CONTEXT: &[u8] = b"kleroterion fuzz fixtures";

/// The values of the disjunctive fixture's allowed set.
pub const ALLOWED: [u64; 3] = [0, 1, 2];

/// Exclusive bound of the discrete-log table used by the targets.
pub const DLOG_BOUND: u64 = 1000;

/// The plaintext of [`Fixtures::tally`].
pub const TALLY: u64 = 7;

/// A deterministic RNG: fuzz targets must behave the same on every run.
pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// A transcript with the fixture context.
pub fn transcript() -> Transcript {
    new_transcript(CONTEXT)
}

/// A beacon chain with every round it produced.
pub struct Chain {
    /// The record (parameters and all rounds).
    pub record: BeaconRecord,
    /// The partials of every trustee for round 1 (none combined yet).
    pub round1_partials: Vec<BeaconPartial>,
}

impl Chain {
    /// The output preceding round `r` in this chain's mode.
    pub fn previous(&self, r: u64) -> Option<BeaconOutput> {
        match self.record.parameters.mode() {
            ChainMode::Unchained => None,
            ChainMode::Chained => self
                .record
                .rounds
                .iter()
                .find(|x| x.round().checked_add(1) == Some(r))
                .map(|x| *x.output()),
        }
    }

    /// Whether `round` is byte for byte one of this chain's rounds.
    pub fn knows(&self, round: &BeaconRound) -> bool {
        self.record.rounds.iter().any(|r| r == round)
    }
}

/// All fixtures.
pub struct Fixtures {
    /// Schnorr: `X = x·G` and a proof of `x`.
    pub schnorr_public: RistrettoPoint,
    /// The Schnorr proof for [`Self::schnorr_public`].
    pub schnorr: SchnorrProof,
    /// DLEQ statement `A = x·G ∧ B = x·H`.
    pub dleq_statement: DleqStatement,
    /// The DLEQ proof for [`Self::dleq_statement`].
    pub dleq: DleqProof,
    /// An ElGamal key pair.
    pub keys: KeyPair,
    /// An encryption of `ALLOWED[1]` under [`Self::keys`].
    pub ciphertext: Ciphertext,
    /// The disjunctive proof that [`Self::ciphertext`] encrypts a value of
    /// [`ALLOWED`].
    pub disjunctive: DisjunctiveProof,
    /// A 3-of-5 key generation where dealer 1 sent trustee 2 a bad share,
    /// trustee 2 complained, and dealer 1 was disqualified.
    pub dkg: DkgTranscript,
    /// The trustee set that [`Self::dkg`] verifies to (trustees 2..=5).
    pub trustees: TrusteeSet,
    /// The qualified trustees' secret shares (for seeds only).
    pub shares: Vec<SecretShare>,
    /// An encryption of [`TALLY`] under the joint key.
    pub tally: Ciphertext,
    /// Every qualified trustee's partial decryption of [`Self::tally`].
    pub partials: Vec<PartialDecryption>,
    /// A chained beacon (3 rounds) over [`Self::trustees`].
    pub chained: Chain,
    /// An unchained beacon (rounds 1, 4, 9) over [`Self::trustees`].
    pub unchained: Chain,
    /// An ECVRF key.
    pub vrf_key: ecvrf::PublicKey,
    /// The ECVRF input of [`Self::vrf_proof`].
    pub vrf_alpha: Vec<u8>,
    /// An ECVRF proof for [`Self::vrf_alpha`].
    pub vrf_proof: ecvrf::Proof,
    /// A discrete-log table for `0 ≤ m <` [`DLOG_BOUND`].
    pub table: DlogTable,
}

/// The fixtures, built on first use.
pub fn fixtures() -> &'static Fixtures {
    static CELL: OnceLock<Fixtures> = OnceLock::new();
    CELL.get_or_init(build)
}

fn build() -> Fixtures {
    let mut rng = rng(0x6b6c_6572_6f74);

    let x = Scalar::from(0x1234_5678_9abc_def0u64) + Scalar::from(u64::MAX);
    let schnorr_public = G * x;
    let schnorr = SchnorrProof::prove(&mut transcript(), &G, &schnorr_public, &x, &mut rng);

    let h = kleroterion::hash::hash_to_point(b"kleroterion/v1/fuzz", b"H");
    let dleq_statement = DleqStatement {
        g: G,
        a: G * x,
        h,
        b: h * x,
    };
    let dleq = DleqProof::prove(&mut transcript(), &dleq_statement, &x, &mut rng);

    let keys = KeyPair::from_secret(
        SecretKey::from_scalar(Scalar::from(42u64) * x).expect("nonzero secret"),
    );
    let nonce = Scalar::from(99u64) * x;
    let ciphertext =
        Ciphertext::encrypt_with_nonce(keys.public(), &Scalar::from(ALLOWED[1]), &nonce);
    let disjunctive = DisjunctiveProof::prove(
        &mut transcript(),
        keys.public(),
        &ciphertext,
        &ALLOWED,
        1,
        &nonce,
        &mut rng,
    )
    .expect("honest disjunctive proof");

    let (dkg, trustees, shares) = key_generation(&mut rng);
    let (tally, _) = Ciphertext::encrypt_u64(trustees.joint_public_key(), TALLY, &mut rng);
    let partials = shares
        .iter()
        .map(|s| PartialDecryption::prove(s, &trustees, &tally, &mut rng).expect("partial"))
        .collect();

    let chained = chain(&trustees, &shares, ChainMode::Chained, &[1, 2, 3], &mut rng);
    let unchained = chain(
        &trustees,
        &shares,
        ChainMode::Unchained,
        &[1, 4, 9],
        &mut rng,
    );

    let vrf_secret = ecvrf::SecretKey::from_bytes(&[0x5a; 32]).expect("32 bytes");
    let vrf_alpha = b"kleroterion fuzz alpha".to_vec();
    let vrf_proof = vrf_secret.prove(&vrf_alpha).expect("ECVRF prove");

    Fixtures {
        schnorr_public,
        schnorr,
        dleq_statement,
        dleq,
        keys,
        ciphertext,
        disjunctive,
        dkg,
        trustees,
        shares,
        tally,
        partials,
        chained,
        unchained,
        vrf_key: *vrf_secret.public_key(),
        vrf_alpha,
        vrf_proof,
        table: DlogTable::new(DLOG_BOUND).expect("small table"),
    }
}

/// Runs a 3-of-5 key generation in which dealer 1 encrypts (and signs) a
/// wrong share for trustee 2, so that the transcript carries an upheld
/// complaint.
fn key_generation(rng: &mut ChaCha20Rng) -> (DkgTranscript, TrusteeSet, Vec<SecretShare>) {
    let params = DkgParameters::new(5, 3, CONTEXT).expect("parameters");
    let (s1, r1): (Vec<_>, Vec<round1::Package>) = ParticipantIndex::range(5)
        .map(|i| dkg::part1(&params, i, rng).expect("part1"))
        .unzip();
    let victim = ParticipantIndex::new(2).expect("index 2");
    let (s2, r2): (Vec<_>, Vec<round2::Package>) = s1
        .into_iter()
        .zip(ParticipantIndex::range(5))
        .map(|(s, i)| match i.get() {
            1 => part2_cheating(s, &r1, victim, rng).expect("part2 (cheating)"),
            _ => dkg::part2(s, &r1, rng).expect("part2"),
        })
        .unzip();
    let (s3, complaints): (Vec<_>, Vec<Vec<Complaint>>) = s2
        .into_iter()
        .map(|s| dkg::part3(s, &r2, rng).expect("part3"))
        .unzip();
    let complaints: Vec<Complaint> = complaints.into_iter().flatten().collect();
    assert_eq!(complaints.len(), 1, "trustee 2 complains about dealer 1");
    let outputs: Vec<_> = s3
        .into_iter()
        .filter_map(|s| dkg::finish(s, &complaints, rng).ok())
        .collect();
    assert_eq!(outputs.len(), 4, "dealer 1 is disqualified");
    let transcript = outputs[0].transcript.clone();
    let trustees = outputs[0].trustees.clone();
    let shares = outputs.into_iter().map(|o| o.share).collect();
    (transcript, trustees, shares)
}

fn chain(
    trustees: &TrusteeSet,
    shares: &[SecretShare],
    mode: ChainMode,
    rounds: &[u64],
    rng: &mut ChaCha20Rng,
) -> Chain {
    let params = BeaconParameters::new(trustees.clone(), mode, [0x17; 32]);
    let mut previous: Option<BeaconOutput> = None;
    let mut done = Vec::new();
    let mut round1_partials = Vec::new();
    for &r in rounds {
        let partials: Vec<BeaconPartial> = shares
            .iter()
            .map(|s| {
                BeaconPartial::produce(
                    &params,
                    s,
                    r,
                    previous.as_ref(),
                    &Registrations::none(),
                    rng,
                )
                .expect("partial")
            })
            .collect();
        // Leave out a different trustee each round.
        let skip = (r as usize) % partials.len();
        let chosen: Vec<BeaconPartial> = partials
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, p)| p.clone())
            .collect();
        let round = threshold::combine(
            &params,
            r,
            previous.as_ref(),
            &Registrations::none(),
            &chosen,
            rng,
        )
        .expect("combine")
        .round;
        if mode == ChainMode::Chained {
            previous = Some(*round.output());
        }
        if r == 1 {
            round1_partials = partials;
        }
        done.push(round);
    }
    Chain {
        record: BeaconRecord {
            parameters: params,
            rounds: done,
        },
        round1_partials,
    }
}
