//! Verifiable sortition: drawing assemblies by lot from a committed consent
//! roll with a beacon round named in advance (spec/sortition.md).
//!
//! The life of a draw:
//!
//! 1. **Announcement** (spec/sortition.md §2). Before the beacon round that
//!    seeds it exists, the organisers publish a [`DrawAnnouncement`]: polity,
//!    assembly, year, the roll commitment ([`RollDigest`]), the beacon round
//!    that will seed the draw, and every parameter ([`DrawParams`]: strata,
//!    quotas, reserve length, exclusions, term schedule). Nothing that can
//!    steer the draw is chosen after the randomness is known.
//! 2. **Census** (§3). One streaming pass over the roll recomputes the root
//!    and counts each stratum's members and eligible (not excluded) members
//!    ([`Census`]). The draw needs only these counts, never the roll again.
//! 3. **Draw** (§4–5). The seed is SHA3-256 over the announcement and the
//!    verified output of the named round ([`derive_seed`]). Each stratum gets
//!    its own SHAKE256 stream; unbiased integers by rejection sampling drive
//!    a partial Fisher–Yates shuffle over the stratum's eligible members
//!    (`O(k)` memory, any roll size). Quotas are explicit, or proportional
//!    to stratum sizes by the largest-remainder method ([`quotas`]). The
//!    shuffle's continuation is the ordered reserve list ([`draw`]).
//! 4. **Record** (§6). A second streaming pass maps the drawn ranks to roll
//!    entries and collects their Merkle inclusion proofs
//!    ([`SelectionRecord::create`]); [`SelectionRecord::verify`] recomputes
//!    everything and reports numbered checks S1–S11, and
//!    [`SelectionRecord::verify_with_roll`] adds S12–S14 from the roll.
//!
//! 5. **Feature draws** (§10). With [`Quotas::Features`], the strata are
//!    the cells of several overlapping features with min/max seats per
//!    category; the announcement commits to a lottery of cell allocations,
//!    the seed picks one ([`draw_features`]), each cell draws its seats as
//!    a stratum, optionally at most one per household
//!    ([`SelectionRecord::create_features`]); the verifier adds S18–S22.
//!    The list's fairness certificate
//!    ([`SelectionRecord::with_certificate`]) is checked after S22 by F2,
//!    F4, F5 and F7 (spec/fairness.md §8) on the quota problem of the
//!    verifier's own census of the roll, in
//!    [`SelectionRecord::verify_with_roll`]; without a certificate or the
//!    roll they are not checked.
//!
//! The beacon is an opaque, already verified input here: a [`BeaconSource`]
//! hands out the verified output of a round. [`panel`] implements the panel
//! lottery of Flanigan et al.
//!
//! # Example
//!
//! ```
//! use kleroterion::roll::Digest;
//! use kleroterion::sortition::Sampler;
//!
//! // The seed is `derive_seed(announcement, beacon output)`; a fixed one here.
//! let seed = Digest([7; 32]);
//! let ranks = |stratum: &[u8]| Sampler::for_stratum(&seed, stratum).shuffle_prefix(1_000, 5);
//! let north = ranks(b"north")?; // 5 distinct ranks among 1,000 eligible members
//! let mut distinct = north.clone();
//! distinct.sort_unstable();
//! distinct.dedup();
//! assert!(distinct.len() == 5 && north.iter().all(|&r| r < 1_000));
//! assert_eq!(north, ranks(b"north")?); // anyone recomputes the same draw
//! assert_ne!(north, ranks(b"south")?); // each stratum has its own stream
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod fair;
mod fair_record;
pub mod panel;
mod record;

pub use crate::beacon::{BeaconOutput, BeaconSource, VerifiedRounds};
pub use fair::{draw_features, FeatureDraw, FeatureLottery, HouseholdOracle};
pub use fair_record::FEATURE_CHECKS;
pub use record::{
    CellLottery, DrawnEntry, SelectionRecord, StratumSelection, RECORD_VERSION, ROLL_CHECKS, S15,
};

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;
use sha3::digest::{ExtendableOutput, Update, XofReader};
use sha3::{Digest as _, Sha3_256, Shake256};

use crate::civic::{AssemblyId, PolityId, TermSchedule, MAX_SEATS};
use crate::encoding::{Encode, Tag, Writer};
use crate::error::{Error, Result};
use crate::roll::{check_label, CitizenKey, Digest, RollBuilder, RollDigest, RollEntry};

/// Domain label of the seed derivation (spec/sortition.md §4.1).
pub const SEED_DOMAIN: &[u8] = b"kleroterion/sortition/seed/v1";
/// Domain label of the per-stratum SHAKE256 streams (spec/sortition.md §4.2).
pub const STREAM_DOMAIN: &[u8] = b"kleroterion/sortition/stratum/v1";
/// Domain of [`DrawAnnouncement::hash`].
pub const ANNOUNCEMENT_DOMAIN: &[u8] = b"kleroterion/sortition/announcement/v2";
/// Encoding version of [`DrawAnnouncement`]: 3 since its beacon is a
/// [`BeaconChain`] (a threshold chain or a drand network).
pub const ANNOUNCEMENT_VERSION: u8 = 3;
/// Longest reserve list a draw may request per stratum.
pub const MAX_RESERVE: u32 = 1000;

/// A stratum's fixed number of seats, for explicit quotas.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StratumQuota {
    /// The stratum: the value of the stratification attribute.
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub value: Vec<u8>,
    /// Seats drawn from it (≥ 1).
    pub seats: u32,
}

/// How the seats are split among the strata (spec/sortition.md §3.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Quotas {
    /// Seats proportional to the strata's sizes on the roll, by the
    /// largest-remainder (Hamilton) method.
    Proportional {
        /// Seats in all.
        seats: u32,
    },
    /// Fixed seats per stratum, sorted by value, each value once; strata of
    /// the roll not listed get no seat.
    Explicit(Vec<StratumQuota>),
    /// Several overlapping features with min/max seats per category, and
    /// the committed lottery over cell allocations that realises them
    /// (spec/sortition.md §10). The strata are the cells.
    Features(FeatureLottery),
}

/// Every parameter of a draw, fixed in the announcement before the beacon
/// round (spec/sortition.md §2).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrawParams {
    /// Label of the attribute that defines the strata, or `None` for one
    /// stratum (value `""`) holding the whole roll.
    pub stratify_by: Option<String>,
    /// The seats per stratum.
    pub quotas: Quotas,
    /// Length of each stratum's reserve list (at most [`MAX_RESERVE`]; a
    /// stratum with fewer spare eligible citizens gets all of them, and a
    /// stratum with no seat gets none).
    pub reserve: u32,
    /// Citizens who may not be drawn (serving elsewhere, or in cooldown),
    /// strictly ascending.
    pub exclusions: Vec<CitizenKey>,
    /// The assembly's staggered-term schedule; the draw then fills exactly
    /// the seats expiring in the announcement's year.
    pub schedule: Option<TermSchedule>,
}

impl DrawParams {
    /// Parameters with the exclusions put in canonical order (duplicates
    /// removed), then validated by [`validate`](Self::validate).
    pub fn new(
        stratify_by: Option<String>,
        quotas: Quotas,
        reserve: u32,
        mut exclusions: Vec<CitizenKey>,
        schedule: Option<TermSchedule>,
    ) -> Result<Self> {
        exclusions.sort_unstable();
        exclusions.dedup();
        let p = DrawParams {
            stratify_by,
            quotas,
            reserve,
            exclusions,
            schedule,
        };
        p.validate()?;
        Ok(p)
    }

    /// Checks the rules of spec/sortition.md §2: a valid label, explicit
    /// quotas sorted and positive, 1 to 150 seats in all, reserve within
    /// bounds, exclusions strictly ascending, a valid schedule.
    pub fn validate(&self) -> Result<()> {
        if let Some(label) = &self.stratify_by {
            check_label(label)?;
        }
        if let Quotas::Features(f) = &self.quotas {
            f.validate()?;
            if self.stratify_by.is_some() {
                return Err(Error::InvalidParameter {
                    what: "a feature draw's strata are its cells: stratify_by must be absent",
                });
            }
        }
        if let Quotas::Explicit(q) = &self.quotas {
            let sorted = q.windows(2).all(|w| match w {
                [a, b] => a.value < b.value,
                _ => true,
            });
            if !sorted || q.iter().any(|s| s.seats == 0) {
                return Err(Error::InvalidParameter {
                    what: "explicit quotas must be sorted by stratum, unique and positive",
                });
            }
        }
        let seats = self.total_seats();
        if seats == 0 || seats > u64::from(MAX_SEATS) {
            return Err(Error::InvalidParameter {
                what: "a draw fills 1..=150 seats",
            });
        }
        if self.reserve > MAX_RESERVE {
            return Err(Error::InvalidParameter {
                what: "reserve list longer than 1000 per stratum",
            });
        }
        let ascending = self.exclusions.windows(2).all(|w| match w {
            [a, b] => a < b,
            _ => true,
        });
        if !ascending {
            return Err(Error::InvalidParameter {
                what: "exclusions must be strictly ascending",
            });
        }
        if let Some(s) = &self.schedule {
            s.validate()?;
        }
        Ok(())
    }

    /// Seats in all.
    pub fn total_seats(&self) -> u64 {
        match &self.quotas {
            Quotas::Proportional { seats } => u64::from(*seats),
            Quotas::Explicit(q) => q
                .iter()
                .fold(0u64, |t, s| t.saturating_add(u64::from(s.seats))),
            Quotas::Features(f) => u64::from(f.quotas.seats()),
        }
    }

    /// The feature lottery, for a feature draw.
    pub fn features(&self) -> Option<&FeatureLottery> {
        match &self.quotas {
            Quotas::Features(f) => Some(f),
            _ => None,
        }
    }

    /// Whether `key` is excluded.
    pub fn is_excluded(&self, key: &CitizenKey) -> bool {
        self.exclusions.binary_search(key).is_ok()
    }

    /// The stratum of the entry at `index`: the value of the stratification
    /// attribute, `""` when the draw is not stratified, or the entry's cell
    /// value (spec/sortition.md §10.2) for a feature draw.
    pub fn stratum_of<'a>(&self, entry: &'a RollEntry, index: u64) -> Result<Cow<'a, [u8]>> {
        if let Quotas::Features(f) = &self.quotas {
            return f.quotas.cell_value(entry, index).map(Cow::Owned);
        }
        match &self.stratify_by {
            None => Ok(Cow::Borrowed(&[])),
            Some(label) => entry
                .attribute(label)
                .map(Cow::Borrowed)
                .ok_or(Error::MissingAttribute { index }),
        }
    }

    fn encode(&self, w: &mut Writer) {
        match &self.stratify_by {
            None => w.u8(0),
            Some(label) => {
                w.u8(1);
                w.bytes(label.as_bytes());
            }
        }
        match &self.quotas {
            Quotas::Proportional { seats } => {
                w.u8(0);
                w.u32(*seats);
            }
            Quotas::Explicit(q) => {
                w.u8(1);
                w.len(q.len());
                for s in q {
                    w.bytes(&s.value);
                    w.u32(s.seats);
                }
            }
            Quotas::Features(f) => {
                w.u8(2);
                f.encode_into(w);
            }
        }
        w.u32(self.reserve);
        w.len(self.exclusions.len());
        for k in &self.exclusions {
            k.encode(w);
        }
        match &self.schedule {
            None => w.u8(0),
            Some(s) => {
                w.u8(1);
                w.u32(s.seats);
                w.u32(s.seats_per_year);
                w.u32(s.term_years);
                w.u32(s.first_year);
            }
        }
    }
}

/// The beacon whose round seeds a draw (spec/sortition.md §2.1), by the
/// identifier an auditor anchors (spec/anchors.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum BeaconChain {
    /// A chain of the crate's threshold beacon, by its chain id
    /// ([`crate::beacon::threshold::BeaconParameters::chain_id`],
    /// spec/beacon.md §2.1). Encoded `0x01 ‖ chain_id`.
    Kleroterion(Digest),
    /// A drand network, by its chain hash
    /// ([`crate::beacon::drand::DrandChain::chain_hash`], spec/beacon.md
    /// §3.2). Encoded `0x02 ‖ chain_hash`.
    Drand(Digest),
}

impl BeaconChain {
    /// The chain id or chain hash.
    pub fn id(&self) -> &Digest {
        match self {
            BeaconChain::Kleroterion(d) | BeaconChain::Drand(d) => d,
        }
    }

    /// `kleroterion` or `drand`, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            BeaconChain::Kleroterion(_) => "kleroterion",
            BeaconChain::Drand(_) => "drand",
        }
    }
}

impl core::fmt::Display for BeaconChain {
    /// `kleroterion chain <hex>` or `drand chain <hex>`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} chain {}", self.kind(), hex::encode(self.id().0))
    }
}

impl Encode for BeaconChain {
    fn encode(&self, w: &mut Writer) {
        w.u8(match self {
            BeaconChain::Kleroterion(_) => 1,
            BeaconChain::Drand(_) => 2,
        });
        self.id().encode(w);
    }
}

impl crate::encoding::Decode for BeaconChain {
    const NAME: &'static str = "beacon chain";

    /// `0x01 ‖ chain_id(32) | 0x02 ‖ chain_hash(32)`; another kind byte is
    /// an error.
    fn decode(r: &mut crate::encoding::Reader<'_>) -> Result<Self> {
        match r.u8("beacon kind")? {
            1 => Ok(BeaconChain::Kleroterion(
                <Digest as crate::encoding::Decode>::decode(r)?,
            )),
            2 => Ok(BeaconChain::Drand(
                <Digest as crate::encoding::Decode>::decode(r)?,
            )),
            _ => Err(Error::InvalidParameter {
                what: "a beacon chain is 0x01 (kleroterion) or 0x02 (drand)",
            }),
        }
    }
}

/// What the organisers publish before the beacon round that seeds the draw
/// (spec/sortition.md §2). Its canonical encoding is hashed into the seed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DrawAnnouncement {
    /// The polity whose roll is drawn from.
    pub polity: PolityId,
    /// The assembly being filled.
    pub assembly: AssemblyId,
    /// The roll's year, which is also the year of the draw.
    pub year: u32,
    /// The commitment of the roll.
    pub roll: RollDigest,
    /// The beacon whose round seeds the draw: a chain of the crate's
    /// threshold beacon or a drand network (spec/sortition.md §2). A draw
    /// cannot be moved to another chain.
    pub beacon_chain: BeaconChain,
    /// The beacon round, still in the future when this is published, whose
    /// output seeds the draw.
    pub beacon_round: u64,
    /// Every parameter of the draw.
    pub params: DrawParams,
}

impl DrawAnnouncement {
    /// Checks the parameters and, with a schedule, that the seats drawn are
    /// exactly the seats expiring this year.
    pub fn validate(&self) -> Result<()> {
        self.params.validate()?;
        if self.roll.size == 0 {
            return Err(Error::EmptyRoll);
        }
        if let Some(s) = &self.params.schedule {
            let fill = s.seats_to_fill(self.year)?;
            if u64::from(fill.end - fill.start) != self.params.total_seats() {
                return Err(Error::InvalidParameter {
                    what: "seats drawn differ from the seats expiring this year",
                });
            }
        }
        Ok(())
    }

    /// The seat numbers this draw fills, in order: the seats expiring this
    /// year under the schedule, or `0..seats` without one.
    pub fn seats(&self) -> Result<core::ops::Range<u32>> {
        match &self.params.schedule {
            Some(s) => s.seats_to_fill(self.year),
            None => {
                let n = u32::try_from(self.params.total_seats()).map_err(|_| {
                    Error::InvalidParameter {
                        what: "a draw fills 1..=150 seats",
                    }
                })?;
                Ok(0..n)
            }
        }
    }
}

impl Encode for DrawAnnouncement {
    /// `0x32 ‖ 0x03 ‖ polity ‖ assembly ‖ u32 year ‖ root ‖ u64 size ‖
    /// beacon (kind byte ‖ chain id or hash) ‖ u64 round ‖ params`
    /// (spec/sortition.md §2.1).
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::DrawAnnouncement, ANNOUNCEMENT_VERSION);
        w.bytes(self.polity.as_str().as_bytes());
        w.bytes(self.assembly.as_str().as_bytes());
        w.u32(self.year);
        self.roll.root.encode(w);
        w.u64(self.roll.size);
        self.beacon_chain.encode(w);
        w.u64(self.beacon_round);
        self.params.encode(w);
    }
}

impl DrawAnnouncement {
    /// `SHA3-256(u32 len ‖ ANNOUNCEMENT_DOMAIN ‖ encode(announcement))`
    /// (spec/sortition.md §2.2): the value the organiser registers with the
    /// beacon (spec/beacon.md §2.7) and publishes as the draw's anchor
    /// (spec/anchors.md).
    pub fn hash(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(ANNOUNCEMENT_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }
}

/// The draw seed `SHA3-256(u32 len ‖ SEED_DOMAIN ‖ encode(announcement) ‖
/// beacon output)` (spec/sortition.md §4.1). The announcement's encoding
/// carries the polity, assembly, year, roll root and size, the named round
/// and every parameter.
pub fn derive_seed(announcement: &DrawAnnouncement, output: &BeaconOutput) -> Digest {
    let mut h = Sha3_256::new();
    let mut w = Writer::new();
    w.bytes(SEED_DOMAIN);
    announcement.encode(&mut w);
    w.raw(&output.0);
    sha3::Digest::update(&mut h, w.into_bytes());
    Digest(h.finalize().into())
}

/// Unbiased integers from a stratum's SHAKE256 stream (spec/sortition.md
/// §4.2–4.3).
pub struct Sampler {
    xof: <Shake256 as ExtendableOutput>::Reader,
}

impl core::fmt::Debug for Sampler {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Sampler")
    }
}

impl Sampler {
    /// The stream `SHAKE256(u32 len ‖ STREAM_DOMAIN ‖ seed ‖ u32 len ‖
    /// stratum value)`.
    pub fn for_stratum(seed: &Digest, stratum: &[u8]) -> Self {
        Self::from_parts(&[STREAM_DOMAIN, &seed.0, stratum])
    }

    /// A stream over length-prefixed parts (`u32` LE length before each).
    pub(crate) fn from_parts(parts: &[&[u8]]) -> Self {
        let mut w = Writer::new();
        for p in parts {
            w.bytes(p);
        }
        let mut x = Shake256::default();
        x.update(&w.into_bytes());
        Sampler {
            xof: x.finalize_xof(),
        }
    }

    /// A uniform integer in `[0, n)`, `n ≥ 1`: read 8 bytes as a
    /// little-endian `u64` `x`; reject `x ≥ 2^64 − (2^64 mod n)` and read
    /// again; otherwise return `x mod n`.
    pub fn below(&mut self, n: u64) -> Result<u64> {
        if n == 0 {
            return Err(Error::InvalidParameter {
                what: "sampling from an empty range",
            });
        }
        // 2^64 mod n, computed without 128-bit arithmetic.
        let rem = ((u64::MAX % n) + 1) % n;
        loop {
            let mut b = [0u8; 8];
            self.xof.read(&mut b);
            let x = u64::from_le_bytes(b);
            if rem == 0 || x <= u64::MAX - rem {
                return Ok(x % n);
            }
        }
    }

    /// The first `k` positions of a Fisher–Yates shuffle of `0..n`, in
    /// order: step `j` swaps position `j` with `j + below(n − j)` and
    /// outputs the new value at `j`. Memory is `O(k)` (a sparse map of the
    /// swapped positions), whatever `n`.
    pub fn shuffle_prefix(&mut self, n: u64, k: u64) -> Result<Vec<u64>> {
        if k > n {
            return Err(Error::InsufficientEligible {
                stratum: 0,
                requested: k,
                available: n,
            });
        }
        let mut walk = ShuffleWalk::new(&mut *self, n);
        let mut out = Vec::with_capacity(usize::try_from(k).unwrap_or(0));
        for _ in 0..k {
            match walk.next_rank()? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(out)
    }
}

/// A Fisher–Yates shuffle of `0..n` read one position at a time
/// (spec/sortition.md §5): step `j` swaps position `j` with
/// `j + below(n − j)` and outputs the new value at `j`. Memory is `O(steps)`.
#[derive(Debug)]
pub(crate) struct ShuffleWalk<S> {
    sampler: S,
    n: u64,
    j: u64,
    swapped: BTreeMap<u64, u64>,
}

impl<S: core::borrow::BorrowMut<Sampler>> ShuffleWalk<S> {
    pub(crate) fn new(sampler: S, n: u64) -> Self {
        ShuffleWalk {
            sampler,
            n,
            j: 0,
            swapped: BTreeMap::new(),
        }
    }

    /// The next position's value, or `None` once all `n` are out.
    pub(crate) fn next_rank(&mut self) -> Result<Option<u64>> {
        let j = self.j;
        if j >= self.n {
            return Ok(None);
        }
        let r = j + self.sampler.borrow_mut().below(self.n - j)?;
        let at_r = self.swapped.get(&r).copied().unwrap_or(r);
        let at_j = self.swapped.remove(&j).unwrap_or(j);
        if r != j {
            self.swapped.insert(r, at_j);
        }
        self.j += 1;
        Ok(Some(at_r))
    }
}

/// Members and eligible members of one stratum.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StratumCount {
    /// The stratum value.
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub value: Vec<u8>,
    /// Entries of the roll in the stratum.
    pub size: u64,
    /// Of those, the entries not excluded.
    pub eligible: u64,
}

/// The result of the first pass over the roll: its commitment and the
/// stratum counts, in canonical (ascending value) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Census {
    /// The recomputed roll commitment.
    pub roll: RollDigest,
    /// Per stratum counts, ascending by value.
    pub strata: Vec<StratumCount>,
}

/// Counts the members and eligible members of each stratum as the roll
/// streams past, and gives each eligible entry its rank in its stratum.
#[derive(Clone, Debug)]
pub(crate) struct StrataCounter<'a> {
    params: &'a DrawParams,
    strata: BTreeMap<Vec<u8>, (u64, u64)>,
}

impl<'a> StrataCounter<'a> {
    pub(crate) fn new(params: &'a DrawParams) -> Self {
        StrataCounter {
            params,
            strata: BTreeMap::new(),
        }
    }

    /// Counts the entry at `index`; returns its stratum and, unless it is
    /// excluded, its eligible rank in the stratum.
    pub(crate) fn count<'e>(
        &mut self,
        entry: &'e RollEntry,
        index: u64,
    ) -> Result<(Cow<'e, [u8]>, Option<u64>)> {
        let stratum = self.params.stratum_of(entry, index)?;
        let eligible = !self.params.is_excluded(entry.key());
        let counts = match self.strata.get_mut(&*stratum) {
            Some(c) => c,
            None => self.strata.entry(stratum.to_vec()).or_insert((0, 0)),
        };
        counts.0 = counts.0.saturating_add(1);
        let rank = eligible.then_some(counts.1);
        counts.1 = counts.1.saturating_add(u64::from(eligible));
        Ok((stratum, rank))
    }

    pub(crate) fn finish(self) -> Vec<StratumCount> {
        self.strata
            .into_iter()
            .map(|(value, (size, eligible))| StratumCount {
                value,
                size,
                eligible,
            })
            .collect()
    }
}

/// The streaming first pass (spec/sortition.md §3.1): the Merkle root, and
/// the size and eligible count of each stratum, in `O(log n + strata)`
/// memory.
#[derive(Clone, Debug)]
pub struct CensusBuilder<'a> {
    roll: RollBuilder,
    counter: StrataCounter<'a>,
}

impl<'a> CensusBuilder<'a> {
    /// Starts a census for a draw with `params`.
    pub fn new(params: &'a DrawParams) -> Self {
        CensusBuilder {
            roll: RollBuilder::new(),
            counter: StrataCounter::new(params),
        }
    }

    /// Adds the next entry of the roll (canonical order); returns its
    /// stratum and, unless it is excluded, its eligible rank there.
    pub fn push<'e>(&mut self, entry: &'e RollEntry) -> Result<(Cow<'e, [u8]>, Option<u64>)> {
        let index = self.roll.len();
        let counted = self.counter.count(entry, index)?;
        self.roll.push(entry)?;
        Ok(counted)
    }

    /// The census.
    pub fn finish(self) -> Result<Census> {
        Ok(Census {
            roll: self.roll.finish()?,
            strata: self.counter.finish(),
        })
    }
}

impl Census {
    /// Runs the first pass over a whole roll.
    pub fn scan<I>(entries: I, params: &DrawParams) -> Result<Self>
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        let mut c = CensusBuilder::new(params);
        for e in entries {
            c.push(e.borrow())?;
        }
        c.finish()
    }
}

/// The seats of each stratum (spec/sortition.md §3.2), aligned with
/// `strata` (ascending by value, as a [`Census`] lists them).
///
/// *Proportional*: with `K` seats and `N = Σ size`, stratum `s` first gets
/// `⌊K·size_s / N⌋`; the `K − Σ⌊…⌋` remaining seats go one each to the
/// strata with the largest remainders `K·size_s mod N`, ties broken by the
/// larger stratum first, then by the smaller value (bytewise).
///
/// *Explicit*: the listed seats; a listed stratum absent from the roll is an
/// error. In both cases a quota above the stratum's eligible count is
/// [`Error::InsufficientEligible`]: the assembly is never silently short.
pub fn quotas(params: &DrawParams, strata: &[StratumCount]) -> Result<Vec<u32>> {
    let out = match &params.quotas {
        Quotas::Features(_) => {
            return Err(Error::InvalidParameter {
                what: "a feature draw's quotas are its picked allocation (draw_features)",
            })
        }
        Quotas::Proportional { seats } => hamilton(*seats, strata)?,
        Quotas::Explicit(list) => {
            for q in list {
                if strata
                    .binary_search_by(|s| s.value.as_slice().cmp(&q.value))
                    .is_err()
                {
                    return Err(Error::InvalidParameter {
                        what: "explicit quota names a stratum absent from the roll",
                    });
                }
            }
            strata
                .iter()
                .map(|s| {
                    list.binary_search_by(|q| q.value.as_slice().cmp(&s.value))
                        .ok()
                        .and_then(|i| list.get(i))
                        .map_or(0, |q| q.seats)
                })
                .collect()
        }
    };
    check_eligible(strata, &out)?;
    Ok(out)
}

/// Fails with [`Error::InsufficientEligible`] if a quota exceeds its
/// stratum's eligible count.
pub(crate) fn check_eligible(strata: &[StratumCount], quotas: &[u32]) -> Result<()> {
    for (i, (s, &q)) in strata.iter().zip(quotas).enumerate() {
        if u64::from(q) > s.eligible {
            return Err(Error::InsufficientEligible {
                stratum: i as u64,
                requested: u64::from(q),
                available: s.eligible,
            });
        }
    }
    Ok(())
}

fn hamilton(seats: u32, strata: &[StratumCount]) -> Result<Vec<u32>> {
    let total: u128 = strata.iter().map(|s| u128::from(s.size)).sum();
    if total == 0 {
        return Err(Error::EmptyRoll);
    }
    let k = u128::from(seats);
    let mut out = Vec::with_capacity(strata.len());
    let mut rems = Vec::with_capacity(strata.len());
    for (i, s) in strata.iter().enumerate() {
        let share = k * u128::from(s.size);
        // share / total ≤ k ≤ u32::MAX.
        out.push(u32::try_from(share / total).unwrap_or(u32::MAX));
        rems.push((share % total, s.size, i));
    }
    let given = out
        .iter()
        .fold(0u64, |t, &q| t.saturating_add(u64::from(q)));
    let left = u64::from(seats).saturating_sub(given);
    // Largest remainder first, then larger stratum, then smaller value
    // (strata are ascending by value, so the smaller index).
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    for &(_, _, i) in rems
        .iter()
        .take(usize::try_from(left).unwrap_or(usize::MAX))
    {
        if let Some(q) = out.get_mut(i) {
            *q += 1;
        }
    }
    Ok(out)
}

/// One stratum's draw, in eligible-rank space: rank `r` is the `r`-th
/// (from 0) non-excluded entry of the stratum in roll order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StratumDraw {
    /// The stratum's counts.
    pub count: StratumCount,
    /// Seats of the stratum.
    pub quota: u32,
    /// Ranks of the selected citizens, in draw order.
    pub selected: Vec<u64>,
    /// Ranks of the reserve list, in order of call-up.
    pub reserve: Vec<u64>,
    /// Ranks the shuffle passed over because their household was already
    /// seated (spec/sortition.md §10.5), in shuffle order; empty without
    /// households.
    pub skipped: Vec<u64>,
}

/// The draw (spec/sortition.md §5): a pure function of the announcement,
/// the beacon output and the stratum counts. For each stratum with quota
/// `q > 0` and `e` eligible members, the first `q + min(reserve, e − q)`
/// positions of a Fisher–Yates shuffle of `0..e` driven by the stratum's
/// stream; the first `q` are selected, the rest are the reserve list.
pub fn draw(
    announcement: &DrawAnnouncement,
    output: &BeaconOutput,
    strata: &[StratumCount],
) -> Result<Vec<StratumDraw>> {
    check_counts(announcement, strata)?;
    let seed = derive_seed(announcement, output);
    let quotas = quotas(&announcement.params, strata)?;
    stratum_draws(&seed, announcement.params.reserve, strata, quotas)
}

/// Validates the announcement and checks that the stratum sizes add up to
/// the roll size.
pub(crate) fn check_counts(announcement: &DrawAnnouncement, strata: &[StratumCount]) -> Result<()> {
    announcement.validate()?;
    let total = strata.iter().try_fold(0u64, |t, s| t.checked_add(s.size));
    if total != Some(announcement.roll.size) {
        return Err(Error::InvalidParameter {
            what: "stratum sizes do not add up to the roll size",
        });
    }
    Ok(())
}

/// §5 for every stratum, given its quota: the shuffle prefix of the
/// stratum's stream, split into selected and reserve ranks.
pub(crate) fn stratum_draws(
    seed: &Digest,
    reserve: u32,
    strata: &[StratumCount],
    quotas: Vec<u32>,
) -> Result<Vec<StratumDraw>> {
    check_eligible(strata, &quotas)?;
    strata
        .iter()
        .zip(quotas)
        .map(|(count, quota)| {
            let (selected, reserve) = if quota == 0 {
                (Vec::new(), Vec::new())
            } else {
                let q = u64::from(quota);
                let spare = count.eligible.saturating_sub(q);
                let k = q + spare.min(u64::from(reserve));
                let mut ranks =
                    Sampler::for_stratum(seed, &count.value).shuffle_prefix(count.eligible, k)?;
                let reserve = ranks.split_off(usize::try_from(q).unwrap_or(usize::MAX));
                (ranks, reserve)
            };
            Ok(StratumDraw {
                count: count.clone(),
                quota,
                selected,
                reserve,
                skipped: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fair_tests;

#[cfg(all(test, feature = "std"))]
mod vector_tests;
