//! The pool draw record (spec/pool-draw.md): a panel lottery over a pool of
//! volunteers with its fairness certificate, and its verifier.
//!
//! The record carries the canonical bytes of every object the panel
//! announcement (version 2) commits to — the quotas, the pool, the panel
//! list, the certificate — and the beacon that picks. The verifier hashes
//! exactly the bytes it decodes, recomputes the cells from the pool and the
//! quotas, the pick from the announcement and the output, and reports, in
//! sections, A1–A2 (anchors), B1–B4 (beacon), P1–P10 (the draw and its
//! bindings) and F2–F5, F7 (fairness, pool mode).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha3::{Digest as _, Sha3_256};

use super::anchor::Anchoring;
use super::assembly::{verify_beacon_record, AssemblyReport};
use super::source::{AssemblyBeacon, VerifiedBeacon};
use crate::beacon::{BeaconOutput, BeaconSource};
use crate::encoding::{Decode, Encode, Writer};
use crate::error::{Error, Result};
use crate::fairness::{FairnessCertificate, FeatureQuotas, PoolRoster};
use crate::report::{Outcome, Report};
use crate::roll::{CitizenKey, Digest};
use crate::sortition::panel::{
    fairness_checks, pick_checks, titles, Decoded, PanelAnnouncement, PanelList, PickClaim,
    PoolObjects, PANEL_ANNOUNCEMENT_DOMAIN,
};

/// The pool draw record format version.
pub const POOL_DRAW_VERSION: u32 = 1;

/// Section titles of a pool draw report, in order.
pub mod sections {
    /// A1–A2.
    pub const ANCHORS: &str = "Anchors";
    /// B1–B4.
    pub const BEACON: &str = "Beacon";
    /// P1–P10.
    pub const DRAW: &str = "Pool draw";
    /// F2–F5, F7.
    pub const FAIRNESS: &str = "Fairness";
}

/// Title of P1 in a pool draw record.
pub const P1_DECODES: &str = "the announcement decodes as a panel announcement version 2";

/// A pool draw record (`pool-draw.json`, spec/pool-draw.md §4). The
/// committed objects are kept as bytes, so that the verifier hashes exactly
/// what it decodes and a byte that does not decode fails the check of its
/// object, not the whole record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PoolDrawRecord {
    /// [`POOL_DRAW_VERSION`].
    pub version: u32,
    /// The panel announcement's encoding (tag 0x34, version 2).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub announcement: Vec<u8>,
    /// The feature quotas' encoding (tag 0x35).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub quotas: Vec<u8>,
    /// The pool's encoding (tag 0x37).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub pool: Vec<u8>,
    /// The panel list's encoding (tag 0x33).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub panels: Vec<u8>,
    /// The fairness certificate's encoding (tag 0x39).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub certificate: Vec<u8>,
    /// The beacon up to at least the announced round.
    pub beacon: AssemblyBeacon,
    /// The beacon round used.
    pub beacon_round: u64,
    /// Its output.
    pub beacon_output: BeaconOutput,
    /// The picked index.
    pub chosen: u32,
    /// The picked panel, ascending.
    pub panel: Vec<CitizenKey>,
}

/// The announcement hash of spec/pool-draw.md §2 of announcement bytes,
/// decoded or not: `SHA3-256(lp(PANEL_ANNOUNCEMENT_DOMAIN) ‖ bytes)`.
pub fn announcement_hash(bytes: &[u8]) -> Digest {
    let mut w = Writer::new();
    w.bytes(PANEL_ANNOUNCEMENT_DOMAIN);
    w.raw(bytes);
    Digest(Sha3_256::digest(w.into_bytes()).into())
}

/// The anchors of a pool draw (spec/anchors.md, spec/pool-draw.md §5): the
/// beacon chain and the hash of the announcement's bytes; no votes, no
/// publication time (only the attesting party can state it).
pub fn anchors_of(announcement: &[u8], chain: &crate::sortition::BeaconChain) -> super::Anchors {
    super::Anchors {
        version: super::anchor::ANCHORS_VERSION,
        beacon_chain: *chain.id(),
        announcement: announcement_hash(announcement),
        announcement_published: None,
        votes: Vec::new(),
    }
}

fn decoded<T: Decode>(bytes: &[u8]) -> core::result::Result<T, String> {
    T::from_bytes(bytes).map_err(|e| format!("{e}"))
}

fn as_ref<T>(r: &core::result::Result<T, String>) -> Decoded<'_, T> {
    r.as_ref().map_err(Clone::clone)
}

impl PoolDrawRecord {
    /// The record of the draw `announcement` commits to: checks that
    /// `objects` are the committed ones, verifies `beacon` and picks the
    /// panel with the announced round's output.
    pub fn draw<R: rand_core::RngCore + rand_core::CryptoRng>(
        announcement: &PanelAnnouncement,
        objects: PoolObjects<'_>,
        beacon: AssemblyBeacon,
        rng: &mut R,
    ) -> Result<Self> {
        let committed = announcement.quotas == objects.quotas.commitment()
            && announcement.pool == objects.pool.commitment()
            && announcement.panels == objects.panels.commitment()
            && announcement.certificate == objects.certificate.commitment();
        if !committed {
            return Err(Error::VerificationFailed {
                proof: "the quotas, pool, panels or certificate are not the announced ones",
            });
        }
        if beacon.chain() != announcement.beacon_chain {
            return Err(Error::InvalidParameter {
                what: "the beacon is not the chain the announcement names",
            });
        }
        let verified = beacon.verify(rng)?;
        let output = verified.verified_output(announcement.beacon_round)?;
        let chosen = announcement.pick(&output)?;
        let panel = objects
            .panels
            .panels()
            .get(chosen as usize)
            .cloned()
            .ok_or(Error::InvalidParameter {
                what: "panel index outside the list",
            })?;
        Ok(PoolDrawRecord {
            version: POOL_DRAW_VERSION,
            announcement: announcement.to_bytes(),
            quotas: objects.quotas.to_bytes(),
            pool: objects.pool.to_bytes(),
            panels: objects.panels.to_bytes(),
            certificate: objects.certificate.to_bytes(),
            beacon,
            beacon_round: announcement.beacon_round,
            beacon_output: output,
            chosen,
            panel,
        })
    }

    /// The anchors of this record (spec/anchors.md): its beacon chain and
    /// announcement hash, which the organiser publishes before the round.
    pub fn anchors(&self) -> super::Anchors {
        anchors_of(&self.announcement, &self.beacon.chain())
    }

    /// Verifies the record (spec/pool-draw.md §5): sections Anchors
    /// (A1–A2), Beacon (B1–B4), Pool draw (P1–P10) and Fairness (F2–F5, F7).
    /// `rng` draws the beacon's batch-verification weights.
    pub fn verify<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        anchoring: Anchoring<'_>,
        rng: &mut R,
    ) -> AssemblyReport {
        let announcement = decoded::<PanelAnnouncement>(&self.announcement);
        let ann = announcement.as_ref().ok();

        let mut anchors = Report::new();
        anchors.push(
            "A1",
            "the beacon chain is the published chain (chain id)",
            anchoring.beacon_chain(self.beacon.chain().id()),
        );
        anchors.push(
            "A2",
            "the panel announcement is the published announcement (hash)",
            anchoring.announcement(&announcement_hash(&self.announcement)),
        );

        let (mut beacon, verified) = verify_beacon_record(&self.beacon, rng);
        self.beacon_checks(&mut beacon, ann, verified.as_ref());

        let mut draw = Report::new();
        draw.record(
            "P1",
            P1_DECODES,
            announcement.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let list = decoded::<PanelList>(&self.panels);
        let claim = PickClaim {
            beacon_round: self.beacon_round,
            beacon_output: &self.beacon_output,
            chosen: self.chosen,
            panel: &self.panel,
        };
        let source = verified.as_ref().map(|v| v as &dyn BeaconSource);
        let list_ok = pick_checks(&mut draw, ann, claim, as_ref(&list), source);
        draw.push(
            "P7",
            titles::P7,
            match (ann, &verified) {
                (None, _) => Outcome::NotChecked("the announcement does not decode (P1)".into()),
                (Some(_), None) => Outcome::NotChecked("the beacon does not verify (B1)".into()),
                (Some(a), Some(v)) => v.precedes_hash(
                    &announcement_hash(&self.announcement),
                    a.beacon_round,
                    anchoring,
                ),
            },
        );
        let quotas = decoded::<FeatureQuotas>(&self.quotas);
        let pool = decoded::<PoolRoster>(&self.pool);
        let certificate = decoded::<FairnessCertificate>(&self.certificate);
        let mut fairness = Report::new();
        let figures = fairness_checks(
            &mut fairness,
            ann,
            list.as_ref().ok().filter(|_| list_ok),
            as_ref(&quotas),
            as_ref(&pool),
            as_ref(&certificate),
        );
        // P8–P10 belong to the draw section, F2–F5, F7 to the fairness one.
        let (bindings, checks): (Vec<_>, Vec<_>) = fairness
            .checks
            .into_iter()
            .partition(|c| c.id.starts_with('P'));
        draw.checks.extend(bindings);

        let mut report = AssemblyReport::default();
        report.push(sections::ANCHORS, anchors);
        report.push(sections::BEACON, beacon);
        report.push(sections::DRAW, draw);
        report.push(sections::FAIRNESS, Report { checks });
        report.fairness = Some(figures);
        report
    }

    fn beacon_checks(
        &self,
        report: &mut Report,
        ann: Option<&PanelAnnouncement>,
        verified: Option<&VerifiedBeacon>,
    ) {
        report.push(
            "B2",
            "the announced beacon round is in the verified beacon",
            match (ann, verified) {
                (None, _) => Outcome::NotChecked("the announcement does not decode (P1)".into()),
                (_, None) => Outcome::NotChecked("the beacon does not verify (B1)".into()),
                (Some(a), Some(v)) if v.contains(a.beacon_round) => Outcome::Passed,
                (Some(a), Some(_)) => {
                    Outcome::Failed(format!("round {} is not in the record", a.beacon_round))
                }
            },
        );
        report.record(
            "B3",
            "record format version is supported",
            if self.version == POOL_DRAW_VERSION {
                Ok(())
            } else {
                Err(format!("version {}", self.version))
            },
        );
        let held = self.beacon.chain();
        report.push(
            "B4",
            "the panel announcement names this beacon chain",
            match ann {
                None => Outcome::NotChecked("the announcement does not decode (P1)".into()),
                Some(a) if a.beacon_chain == held => Outcome::Passed,
                Some(a) => Outcome::Failed(format!(
                    "the announcement names {}, the record holds {held}",
                    a.beacon_chain
                )),
            },
        );
    }
}
