//! A whole assembly life cycle simulated in one process, producing a
//! complete public record (spec/record.md §6): the roll of consenting
//! citizens, the threshold beacon, the draw of the assembly, the election
//! trustees' key generation, the assembly's votes (harm finding, remedy
//! approval) with challenged ballots and decryption with absent trustees,
//! and optionally a large consultation vote.
//!
//! Used by the `assembly` example, the CLI's `simulate`, benchmarks and
//! tests. Every party runs honestly here; in a real deployment each
//! citizen, trustee and beacon node runs its part on its own machine and
//! only the public messages travel.
//!
//! # Example
//!
//! ```
//! use kleroterion::simulate::{simulate_assembly, MemorySink, SimulationParams, HARM_VOTE, REMEDY_VOTE};
//! use rand_core::OsRng;
//!
//! let params = SimulationParams { citizens: 24, strata: 2, seats: 4, reserve: 1, ..SimulationParams::default() };
//! let mut sink = MemorySink::default(); // or files: record::files
//! let sim = simulate_assembly(&params, &mut OsRng, &mut sink, |_stage, _n| {})?;
//! assert_eq!(sim.roll.len(), 24);
//! let votes: Vec<&str> = sim.record.votes.iter().map(|v| v.name.as_str()).collect();
//! assert_eq!(votes, [HARM_VOTE, REMEDY_VOTE]);
//! for v in &sim.record.votes {
//!     assert_eq!(sink.ballots[&v.name].len() as u64, v.record.tally.ballots());
//! }
//! # Ok::<(), kleroterion::Error>(())
//! ```

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use rand_core::{CryptoRng, RngCore};
use sha3::Digest as _;

use crate::ballot::{
    BallotId, Contest, Election, Manifest, MotionVote, PlaintextBallot, PlaintextContest,
};
use crate::beacon::threshold::{combine, BeaconParameters, BeaconPartial, BeaconRecord, ChainMode};
use crate::beacon::BeaconOutput;
use crate::beacon::Registrations;
use crate::civic::{AssemblyId, PolityId};
use crate::credential::{AnonymitySet, CitizenSecretKey, MembershipProof};
use crate::error::{Error, Result};
use crate::fairness::{
    AllocationList, Category, CellProblem, FairnessCertificate, Feature, FeatureQuotas, QuotaBounds,
};
use crate::record::{
    eligibility_context, AssemblyRecord, BallotBox, BallotLine, ElectionRecord, Electorate,
    Replacement, TrusteeDecryption, VoteEntry,
};
use crate::roll::{roll_digest, Attribute, CitizenKey, RollEntry};
use crate::sortition::{
    Census, DrawAnnouncement, DrawParams, FeatureLottery, Quotas, SelectionRecord,
};
use crate::trustees::dkg::{DkgOutput, DkgParameters};
use crate::trustees::simulate::run_locally;

/// What to simulate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimulationParams {
    /// Consenting citizens on the roll.
    pub citizens: u64,
    /// Regions (strata) the roll is split into; seats are proportional.
    pub strata: u32,
    /// Seats of the assembly (at most 150).
    pub seats: u32,
    /// Reserve list length per region.
    pub reserve: u32,
    /// Trustees of the beacon and of the election key (`n`).
    pub trustees: u16,
    /// Threshold `t`.
    pub threshold: u16,
    /// Election trustees absent at decryption (indices `1..=n`).
    pub absent: Vec<u16>,
    /// Ballots challenged (opened, not counted) in each assembly vote.
    pub challenged: u32,
    /// Ballots of an additional polity-wide consultation vote (0 = none).
    pub consultation_ballots: u64,
    /// Draw with overlapping features (gender × age band × region, min and
    /// max seats per category) and at most one delegate per household
    /// (spec/sortition.md §10), drawn from the maximin lottery with its
    /// fairness certificate (needs the feature `solver`, a default
    /// feature), instead of seats proportional to regions.
    pub features: bool,
}

impl Default for SimulationParams {
    /// 10,000 citizens in 5 regions, 150 seats drawn by gender × age band
    /// × region with households, 3 reserves per cell, 5 trustees with
    /// `t = 3`, trustees 2 and 4 absent at decryption, 3 challenged ballots
    /// per vote, no consultation.
    fn default() -> Self {
        SimulationParams {
            citizens: 10_000,
            strata: 5,
            seats: 150,
            reserve: 3,
            trustees: 5,
            threshold: 3,
            absent: vec![2, 4],
            challenged: 3,
            consultation_ballots: 0,
            features: true,
        }
    }
}

/// Gender categories of the simulated roll.
const GENDERS: [&str; 2] = ["female", "male"];
/// Age bands of the simulated roll.
const AGE_BANDS: [&str; 4] = ["18-34", "35-49", "50-64", "65+"];

/// The simulated citizen `i`'s attributes: region, and for a feature draw
/// gender, age band and household (three consecutive citizens share one;
/// they differ in gender or age, so households cross cells).
fn citizen_attributes(params: &SimulationParams, i: u64) -> Result<Vec<Attribute>> {
    let region = Attribute::new(
        "region",
        format!("region-{}", i % u64::from(params.strata.max(1))),
    )?;
    if !params.features {
        return Ok(vec![region]);
    }
    fn pick(list: &[&'static str], at: u64) -> &'static str {
        list.get(at as usize % list.len().max(1))
            .copied()
            .unwrap_or("")
    }
    Ok(vec![
        region,
        Attribute::new("gender", pick(&GENDERS, i))?,
        Attribute::new("age", pick(&AGE_BANDS, i / 2))?,
        Attribute::new("household", format!("household-{}", i / 3))?,
    ])
}

/// Allocations in the simulated feature draw's lottery (`m`): on the
/// default simulation the rounding keeps 98% of the maximin probability.
pub const LOTTERY_SIZE: u32 = 400;

/// The draw parameters of a feature draw on `roll`, its lottery and the
/// lottery's fairness certificate. Each category's bounds are its
/// proportional share of the seats, widened by the number of runs its
/// cells form in cell order: then the proportional seats `K·e_c / N` of
/// the cells, rounded systematically (cumulative sums rounded down, one
/// offset for all), meet every bound, since a run's rounded seats are
/// within one of its share; so the quotas are feasible. The lottery is
/// the maximin lottery over [`LOTTERY_SIZE`] allocations with its
/// certificate (spec/fairness.md §4–§6), from the solver.
fn feature_params(
    params: &SimulationParams,
    roll: &[RollEntry],
) -> Result<(DrawParams, AllocationList, FairnessCertificate)> {
    let regions: Vec<String> = (0..params.strata.max(1))
        .map(|r| format!("region-{r}"))
        .collect();
    let mut regions_sorted = regions.clone();
    regions_sorted.sort();
    let names: [(&str, Vec<String>); 3] = [
        ("age", AGE_BANDS.iter().map(|s| s.to_string()).collect()),
        ("gender", GENDERS.iter().map(|s| s.to_string()).collect()),
        ("region", regions_sorted),
    ];
    let features = |bounds: &dyn Fn(usize, usize) -> QuotaBounds| -> Vec<Feature> {
        names
            .iter()
            .enumerate()
            .map(|(f, (label, values))| Feature {
                label: label.to_string(),
                categories: values
                    .iter()
                    .enumerate()
                    .map(|(v, value)| Category {
                        value: value.as_bytes().to_vec(),
                        bounds: bounds(f, v),
                    })
                    .collect(),
            })
            .collect()
    };
    let open = FeatureQuotas::new(
        params.seats,
        features(&|_, _| QuotaBounds {
            min: 0,
            max: params.seats,
        }),
        Some("household".into()),
    )?;
    let cells = open.census(roll, &[])?;
    let total: u64 = cells.iter().map(|c| c.eligible).sum();
    let k = u64::from(params.seats);
    // The population of each category, and the runs its cells form.
    let share = |f: usize, v: usize| -> QuotaBounds {
        let n: u64 = cells
            .iter()
            .filter(|c| {
                open.categories_of(&c.value)
                    .ok()
                    .and_then(|t| t.get(f).copied())
                    == Some(v as u16)
            })
            .map(|c| c.eligible)
            .sum();
        let runs: u64 = names.iter().take(f).map(|(_, v)| v.len() as u64).product();
        let low = (k * n) / total.max(1);
        let high = (k * n).div_ceil(total.max(1));
        QuotaBounds {
            min: u32::try_from(low.saturating_sub(runs)).unwrap_or(0),
            max: u32::try_from(high + runs).unwrap_or(u32::MAX),
        }
    };
    let quotas = FeatureQuotas::new(params.seats, features(&share), Some("household".into()))?;
    let problem = quotas.problem(&cells)?;
    let (list, certificate) = maximin_lottery(&problem)?;
    let draw = DrawParams::new(
        None,
        Quotas::Features(FeatureLottery::new(quotas, &list)),
        params.reserve,
        Vec::new(),
        None,
    )?;
    Ok((draw, list, certificate))
}

/// The maximin lottery over [`LOTTERY_SIZE`] allocations of `problem` and
/// its certificate, verified by F2, F4, F5 and F7. The solver has no time
/// limit (spec/fairness.md §5), so a seeded simulation is the same on
/// every machine.
#[cfg(feature = "solver")]
fn maximin_lottery(problem: &CellProblem) -> Result<(AllocationList, FairnessCertificate)> {
    use crate::fairness::solve::fair_lottery;
    match fair_lottery(problem, LOTTERY_SIZE) {
        Ok(fair) => Ok((fair.lottery, fair.certificate)),
        Err(crate::fairness::solve::SolveError::Problem(e)) => Err(e),
        Err(_) => Err(Error::InvalidParameter {
            what: "the solver found no fair lottery for the simulated quotas",
        }),
    }
}

/// Without the solver there is no maximin lottery: a simulated feature
/// draw needs the feature `solver` (a default feature).
#[cfg(not(feature = "solver"))]
fn maximin_lottery(_: &CellProblem) -> Result<(AllocationList, FairnessCertificate)> {
    Err(Error::InvalidParameter {
        what: "a simulated feature draw needs the feature `solver` (the maximin lottery)",
    })
}

/// Where the simulation publishes ballot streams (e.g.
/// [`crate::record::files::DirSink`]).
pub trait RecordSink {
    /// Appends a cast ballot of vote `vote`.
    fn ballot(&mut self, vote: &str, line: &BallotLine) -> Result<()>;
    /// Appends a challenged ballot of vote `vote`.
    fn challenged(&mut self, vote: &str, encoded: &[u8]) -> Result<()>;
}

/// A [`RecordSink`] that keeps the streams in memory (small records).
#[derive(Clone, Debug, Default)]
pub struct MemorySink {
    /// Per vote: the cast-ballot lines.
    pub ballots: BTreeMap<String, Vec<BallotLine>>,
    /// Per vote: the challenged ballots' encodings.
    pub challenged: BTreeMap<String, Vec<Vec<u8>>>,
}

impl RecordSink for MemorySink {
    fn ballot(&mut self, vote: &str, line: &BallotLine) -> Result<()> {
        self.ballots
            .entry(vote.into())
            .or_default()
            .push(line.clone());
        Ok(())
    }

    fn challenged(&mut self, vote: &str, encoded: &[u8]) -> Result<()> {
        self.challenged
            .entry(vote.into())
            .or_default()
            .push(encoded.to_vec());
        Ok(())
    }
}

/// The outcome of a simulation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The public record (ballot streams went to the sink).
    pub record: AssemblyRecord,
    /// The roll, in canonical order.
    pub roll: Vec<RollEntry>,
}

/// Names of the votes a simulation holds.
pub const HARM_VOTE: &str = "harm-finding";
/// The remedy approval vote.
pub const REMEDY_VOTE: &str = "remedy-approval";
/// The optional consultation vote.
pub const CONSULTATION_VOTE: &str = "consultation";

/// Runs the whole life cycle. `progress(stage, n)` is called as work
/// advances (stage names are human-readable).
pub fn simulate_assembly<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    rng: &mut R,
    sink: &mut impl RecordSink,
    progress: impl FnMut(&str, u64),
) -> Result<Simulation> {
    simulate_assembly_with(params, |_| Ok(None), rng, sink, progress)
}

/// [`simulate_assembly`] with the draw's parameters chosen by `draw` from
/// the roll (in canonical order): explicit quotas, exclusions or a term
/// schedule, for example. `None` keeps the parameters `params` describes.
/// The parameters must stratify by `region` or not at all, must not be a
/// feature draw (its allocation list is made from `params`), and must fill
/// exactly `params.seats` seats; the rest of the life cycle is as in
/// [`simulate_assembly`], drawing the same randomness from `rng`.
pub fn simulate_assembly_with<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    draw: impl FnOnce(&[RollEntry]) -> Result<Option<DrawParams>>,
    rng: &mut R,
    sink: &mut impl RecordSink,
    mut progress: impl FnMut(&str, u64),
) -> Result<Simulation> {
    // 1. The roll: every consenting citizen's key and region, committed.
    progress("roll", 0);
    let mut secrets: BTreeMap<[u8; 32], CitizenSecretKey> = BTreeMap::new();
    let mut roll = Vec::new();
    for i in 0..params.citizens {
        let sk = CitizenSecretKey::generate(rng);
        let key = CitizenKey::from(sk.public_key());
        roll.push(RollEntry::new(key, citizen_attributes(params, i)?)?);
        secrets.insert(*key.as_bytes(), sk);
    }
    roll.sort_by_key(|e| *e.key());
    let digest = roll_digest(&roll)?;
    progress("roll", params.citizens);

    // 2. The beacon chain, set up long before any draw: its chain id is
    //    published once (an anchor, spec/anchors.md).
    progress("beacon", 0);
    let beacon_dkg = DkgParameters::new(params.trustees, params.threshold, b"beacon trustees")?;
    let beacon_trustees = run_locally(&beacon_dkg, rng)?;
    let first = beacon_trustees.first().ok_or(Error::InvalidParameter {
        what: "no beacon trustees",
    })?;
    let beacon_params = BeaconParameters::new(
        first.trustees.clone(),
        ChainMode::Chained,
        // In practice: the hash of a public event after the key generation.
        sha3::Sha3_256::digest(b"kleroterion simulation genesis").into(),
    );

    // 3. The announcement names the chain and a future round; its hash is
    //    published and registered with an earlier round (spec/beacon.md
    //    §2.7), which proves it was fixed before the seeding output.
    let draw_round = 3;
    let register_round = 1;
    let chosen = draw(&roll)?;
    if chosen.as_ref().is_some_and(|p| p.features().is_some()) {
        return Err(Error::InvalidParameter {
            what: "a simulated feature draw takes its parameters from the simulation's",
        });
    }
    let (draw_params, lottery) = if let Some(p) = chosen {
        (p, None)
    } else if params.features {
        let (p, list, certificate) = feature_params(params, &roll)?;
        (p, Some((list, certificate)))
    } else {
        let p = DrawParams::new(
            Some("region".to_string()),
            Quotas::Proportional {
                seats: params.seats,
            },
            params.reserve,
            Vec::new(),
            None,
        )?;
        (p, None)
    };
    let announcement = DrawAnnouncement {
        polity: PolityId::new("health@region-north")?,
        assembly: AssemblyId::new("health-assembly")?,
        year: 2027,
        roll: digest,
        beacon_chain: crate::sortition::BeaconChain::Kleroterion(crate::roll::Digest(
            *beacon_params.chain_id(),
        )),
        beacon_round: draw_round,
        params: draw_params,
    };

    // 4. The beacon trustees produce rounds up to the named one.
    let mut rounds = Vec::new();
    let mut previous: Option<BeaconOutput> = None;
    for r in 1..=draw_round {
        let registered = if r == register_round {
            Registrations::new(vec![announcement.hash()])?
        } else {
            Registrations::none()
        };
        let partials = beacon_trustees
            .iter()
            .map(|t| {
                BeaconPartial::produce(
                    &beacon_params,
                    &t.share,
                    r,
                    previous.as_ref(),
                    &registered,
                    rng,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let round = combine(
            &beacon_params,
            r,
            previous.as_ref(),
            &registered,
            &partials,
            rng,
        )?
        .round;
        previous = Some(*round.output());
        rounds.push(round);
    }
    let beacon = BeaconRecord {
        parameters: beacon_params,
        rounds,
    };
    let verified = beacon.verify(rng)?;
    progress("beacon", draw_round);

    // 5. The draw.
    progress("draw", 0);
    let census = Census::scan(&roll, &announcement.params)?;
    let selection = match lottery {
        Some((list, certificate)) => {
            SelectionRecord::create_features(&announcement, &verified, &census, &list, || {
                roll.iter()
            })?
            .with_certificate(&announcement, certificate)?
        }
        None => SelectionRecord::create(&announcement, &verified, &census, &roll)?,
    };
    let key_of = |k: &CitizenKey| {
        secrets.get(k.as_bytes()).ok_or(Error::InvalidParameter {
            what: "a drawn citizen is not on the simulated roll",
        })
    };
    let delegates: Vec<&CitizenSecretKey> = selection
        .strata
        .iter()
        .flat_map(|s| &s.selected)
        .map(|d| key_of(d.entry.key()))
        .collect::<Result<_>>()?;
    if delegates.len() != params.seats as usize {
        return Err(Error::InvalidParameter {
            what: "the draw did not seat every delegate",
        });
    }
    let seated = AnonymitySet::new(delegates.iter().map(|sk| sk.public_key()).collect())?;
    progress("draw", delegates.len() as u64);

    // 6. Before the remedy vote, the first delegate of the first stratum
    //    with delegates and reserves is excused and that stratum's first
    //    reserve takes the seat (spec/record.md §6.2).
    let mut replacements = Vec::new();
    let first_stratum = selection
        .strata
        .iter()
        .find(|s| !s.selected.is_empty() && !s.reserve.is_empty());
    let excused = first_stratum
        .and_then(|s| Some((s.seats.first()?, s.selected.first()?, s.reserve.first()?)));
    let remedy_set = match excused {
        Some((seat, leaving, joining)) => {
            replacements.push(Replacement {
                from_vote: REMEDY_VOTE.into(),
                seat: *seat,
                leaving: *leaving.entry.key(),
                joining: *joining.entry.key(),
            });
            let leaving = key_of(leaving.entry.key())?;
            let joining = key_of(joining.entry.key())?;
            let mut keys = delegates.clone();
            for k in keys
                .iter_mut()
                .filter(|k| k.public_key() == leaving.public_key())
            {
                *k = joining;
            }
            Some(keys)
        }
        None => None,
    };

    // 5. The assembly's votes, then an optional consultation.
    let mut votes = Vec::new();
    let plan = [(HARM_VOTE, 0.62), (REMEDY_VOTE, 0.55)];
    for (name, yes_share) in plan {
        let (set, keys) = match (&remedy_set, name) {
            (Some(keys), REMEDY_VOTE) => (
                AnonymitySet::new(keys.iter().map(|sk| sk.public_key()).collect())?,
                keys.as_slice(),
            ),
            _ => (seated.clone(), delegates.as_slice()),
        };
        let choices: Vec<Vec<PlaintextContest>> = (0..keys.len())
            .map(|_| motion_ballot(rng, yes_share))
            .collect();
        let record = run_vote(
            params,
            name,
            vec![Contest::motion("motion")],
            &choices,
            Some((&set, keys)),
            rng,
            sink,
            &mut progress,
        )?;
        votes.push(VoteEntry {
            name: name.into(),
            electorate: Electorate::Seated,
            record,
        });
    }
    if params.consultation_ballots > 0 {
        let choices: Vec<Vec<PlaintextContest>> = (0..params.consultation_ballots)
            .map(|_| motion_ballot(rng, 0.5))
            .collect();
        let record = simulate_open_vote(
            params,
            CONSULTATION_VOTE,
            vec![Contest::motion("motion")],
            &choices,
            rng,
            sink,
            &mut progress,
        )?;
        votes.push(VoteEntry {
            name: CONSULTATION_VOTE.into(),
            electorate: Electorate::Open,
            record,
        });
    }

    Ok(Simulation {
        record: AssemblyRecord {
            version: crate::record::assembly::ASSEMBLY_RECORD_VERSION,
            beacon: crate::record::AssemblyBeacon::Kleroterion(beacon),
            announcement,
            selection,
            replacements,
            votes,
        },
        roll,
    })
}

/// A ballot with one random choice on the contest `motion`.
fn motion_ballot<R: RngCore>(rng: &mut R, yes_share: f64) -> Vec<PlaintextContest> {
    let u = f64::from(rng.next_u32()) / f64::from(u32::MAX);
    let choice = if u < yes_share {
        MotionVote::Yes
    } else if u < yes_share + (1.0 - yes_share) * 0.8 {
        MotionVote::No
    } else {
        MotionVote::Abstain
    };
    vec![PlaintextContest::motion("motion", choice)]
}

/// A vote open to the whole polity (no eligible set) on any `contests`,
/// run as the simulation runs its votes: the trustees' key generation
/// (`params.trustees`, `params.threshold`), one cast ballot per entry of
/// `ballots` (the first `params.challenged` of them also challenged
/// first), the tally and its decryption without the `params.absent`
/// trustees. The streams go to `sink` under `name`; the election id is
/// `health-assembly/2027/<name>`. Used for the consultation vote and by
/// the conformance kit (tests/conformance.rs) for a vote with every
/// contest kind.
///
/// # Errors
///
/// An invalid manifest, a ballot that does not fit it, or a failure of
/// the key generation, the ballot box or the decryption.
pub fn simulate_open_vote<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    name: &str,
    contests: Vec<Contest>,
    ballots: &[Vec<PlaintextContest>],
    rng: &mut R,
    sink: &mut impl RecordSink,
    progress: &mut impl FnMut(&str, u64),
) -> Result<ElectionRecord> {
    run_vote(params, name, contests, ballots, None, rng, sink, progress)
}

/// Eligible voters of a vote: the set and each voter's secret key.
type Voters<'a> = (&'a AnonymitySet, &'a [&'a CitizenSecretKey]);

/// One vote: trustees' key generation, ballots (the first few challenged
/// and re-cast), tally, decryption by the present trustees.
#[allow(clippy::too_many_arguments)]
fn run_vote<R: RngCore + CryptoRng>(
    params: &SimulationParams,
    name: &str,
    contests: Vec<Contest>,
    choices: &[Vec<PlaintextContest>],
    voters: Option<Voters<'_>>,
    rng: &mut R,
    sink: &mut impl RecordSink,
    progress: &mut impl FnMut(&str, u64),
) -> Result<ElectionRecord> {
    let election_id = format!("health-assembly/2027/{name}");
    let dkg = DkgParameters::new(params.trustees, params.threshold, election_id.as_bytes())?;
    let trustees: Vec<DkgOutput> = run_locally(&dkg, rng)?;
    let first = trustees.first().ok_or(Error::InvalidParameter {
        what: "no election trustees",
    })?;
    let manifest = Manifest::new(election_id, contests)?;
    let election = Election::new(manifest, *first.trustees.joint_public_key());
    let eligible = voters.map(|(set, _)| set.clone());
    let mut bb = BallotBox::open(election.clone(), first.transcript.clone(), eligible, rng)?;
    let context = eligibility_context(election.manifest()).to_vec();

    for (i, contests) in choices.iter().enumerate() {
        let contests = contests.clone();
        if (i as u64) < u64::from(params.challenged) {
            let plain = PlaintextBallot::new(BallotId::random(rng), contests.clone());
            let challenged = bb.challenge(&election.encrypt(plain, rng)?.challenge(), rng)?;
            sink.challenged(name, &challenged)?;
        }
        let plain = PlaintextBallot::new(BallotId::random(rng), contests);
        let ballot = election.encrypt(plain, rng)?.cast();
        let line = match voters {
            // Each delegate proves anonymously that they hold one of the
            // seated delegates' keys, bound to this vote and this ballot.
            Some((set, keys)) => {
                let sk = keys.get(i).ok_or(Error::InvalidParameter {
                    what: "more choices than eligible voters",
                })?;
                let proof = MembershipProof::prove(set, sk, &context, &ballot.hash(), rng)?;
                bb.cast_eligible(ballot, &proof, rng)?
            }
            None => bb.cast(ballot, rng)?,
        };
        sink.ballot(name, &line)?;
        if i % 1024 == 0 {
            progress(name, i as u64);
        }
    }
    progress(name, choices.len() as u64);

    let decryptions = trustees
        .iter()
        .filter(|t| !params.absent.contains(&t.share.index().get()))
        .map(|t| TrusteeDecryption::produce(&t.share, bb.trustees(), bb.tally(), rng))
        .collect::<Result<Vec<_>>>()?;
    bb.close(decryptions, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn small() -> SimulationParams {
        SimulationParams {
            citizens: 24,
            strata: 2,
            seats: 4,
            reserve: 1,
            trustees: 3,
            threshold: 2,
            absent: vec![],
            challenged: 0,
            consultation_ballots: 0,
            features: false,
        }
    }

    /// Parameters chosen by the caller are drawn as given; a feature draw
    /// (whose allocation list the caller cannot hand over) is refused.
    #[test]
    fn chosen_draw_parameters() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let params = small();
        let excluded = core::cell::Cell::new(None);
        let sim = simulate_assembly_with(
            &params,
            |roll| {
                excluded.set(Some(*roll[0].key()));
                DrawParams::new(
                    Some("region".into()),
                    Quotas::Proportional { seats: 4 },
                    1,
                    vec![*roll[0].key()],
                    None,
                )
                .map(Some)
            },
            &mut rng,
            &mut MemorySink::default(),
            |_, _| {},
        )
        .unwrap();
        let excluded = excluded.get().unwrap();
        assert_eq!(sim.record.announcement.params.exclusions, vec![excluded]);
        let features = SimulationParams {
            features: true,
            ..small()
        };
        let refused = simulate_assembly_with(
            &features,
            |roll| feature_params(&features, roll).map(|(p, _, _)| Some(p)),
            &mut rng,
            &mut MemorySink::default(),
            |_, _| {},
        );
        assert!(matches!(refused, Err(Error::InvalidParameter { .. })));
    }
}
