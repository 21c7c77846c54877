//! The panel lottery (spec/sortition.md §8), after Flanigan, Gölz, Gupta,
//! Hennig and Procaccia, "Fair Sortition Made Transparent" (NeurIPS 2021).
//!
//! A fairness algorithm run outside the crate (e.g. LEXIMIN) turns a pool
//! of volunteers into a distribution over panels, rounded to a list of `m`
//! panels (repetitions allowed) such that picking one uniformly realises the
//! distribution. The list is published and committed ([`PanelList`]),
//! together with the beacon round that will pick from it
//! ([`PanelAnnouncement`]); the round's output then picks one panel
//! uniformly and anyone can recompute the pick ([`PanelLotteryRecord`]).

use alloc::format;
use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use super::{BeaconOutput, BeaconSource, Sampler};
use crate::civic::{AssemblyId, PolityId, MAX_SEATS};
use crate::encoding::{Encode, Tag, Writer};
use crate::error::{Error, Result};
use crate::fairness::{check_panels, CellProblem, FairnessCertificate, Pool};
use crate::report::Report;
use crate::roll::{CitizenKey, Digest};

/// Domain label of the panel list commitment.
pub const PANELS_DOMAIN: &[u8] = b"kleroterion/sortition/panels/v1";
/// Domain label of the panel pick stream.
pub const PICK_DOMAIN: &[u8] = b"kleroterion/sortition/panel-pick/v1";

/// A list of `m ≥ 1` candidate panels; each panel is a set of 1 to 150
/// citizen keys, kept sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PanelListRepr"))]
pub struct PanelList {
    panels: Vec<Vec<CitizenKey>>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct PanelListRepr {
    panels: Vec<Vec<CitizenKey>>,
}

#[cfg(feature = "serde")]
impl TryFrom<PanelListRepr> for PanelList {
    type Error = Error;
    fn try_from(r: PanelListRepr) -> Result<Self> {
        PanelList::new(r.panels)
    }
}

impl PanelList {
    /// A validated list; each panel's keys are sorted, and a panel that is
    /// empty, larger than 150 or lists a key twice is rejected.
    pub fn new(mut panels: Vec<Vec<CitizenKey>>) -> Result<Self> {
        if panels.is_empty() || u32::try_from(panels.len()).is_err() {
            return Err(Error::InvalidParameter {
                what: "a panel list holds 1 to 2^32 - 1 panels",
            });
        }
        for p in &mut panels {
            p.sort_unstable();
            let distinct = p.windows(2).all(|w| match w {
                [a, b] => a != b,
                _ => true,
            });
            if p.is_empty() || p.len() > MAX_SEATS as usize || !distinct {
                return Err(Error::InvalidParameter {
                    what: "a panel holds 1 to 150 distinct citizens",
                });
            }
        }
        Ok(PanelList { panels })
    }

    /// The panels.
    pub fn panels(&self) -> &[Vec<CitizenKey>] {
        &self.panels
    }

    /// `SHA3-256(u32 len ‖ PANELS_DOMAIN ‖ encode(list))`, the value
    /// published in the [`PanelAnnouncement`].
    pub fn commitment(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(PANELS_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }
}

impl Encode for PanelList {
    /// `0x33 ‖ 0x01 ‖ u32 m ‖ (u32 len ‖ key*)*`
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::PanelList, 1);
        w.len(self.panels.len());
        for p in &self.panels {
            w.len(p.len());
            for k in p {
                k.encode(w);
            }
        }
    }
}

/// Published before the beacon round: the committed panel list and the
/// round that will pick from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PanelAnnouncement {
    /// The polity.
    pub polity: PolityId,
    /// The assembly the panel will form.
    pub assembly: AssemblyId,
    /// The year.
    pub year: u32,
    /// [`PanelList::commitment`] of the list.
    pub panels: Digest,
    /// Number of panels `m` in the list.
    pub count: u32,
    /// The beacon round whose output picks the panel.
    pub beacon_round: u64,
}

impl Encode for PanelAnnouncement {
    /// `0x34 ‖ 0x01 ‖ polity ‖ assembly ‖ u32 year ‖ commitment ‖ u32 m ‖
    /// u64 round`
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::PanelAnnouncement, 1);
        w.bytes(self.polity.as_str().as_bytes());
        w.bytes(self.assembly.as_str().as_bytes());
        w.u32(self.year);
        self.panels.encode(w);
        w.u32(self.count);
        w.u64(self.beacon_round);
    }
}

impl PanelAnnouncement {
    /// The announcement for `list`.
    pub fn new(
        polity: PolityId,
        assembly: AssemblyId,
        year: u32,
        list: &PanelList,
        beacon_round: u64,
    ) -> Result<Self> {
        Ok(PanelAnnouncement {
            polity,
            assembly,
            year,
            panels: list.commitment(),
            count: u32::try_from(list.panels.len()).map_err(|_| Error::InvalidParameter {
                what: "a panel list holds 1 to 2^32 - 1 panels",
            })?,
            beacon_round,
        })
    }

    /// The uniformly picked panel index: `below(m)` (spec/sortition.md §4.3)
    /// on `SHAKE256(u32 len ‖ PICK_DOMAIN ‖ u32 len ‖ encode(announcement) ‖
    /// u32 len ‖ output)`.
    pub fn pick(&self, output: &BeaconOutput) -> Result<u32> {
        let i = Sampler::from_parts(&[PICK_DOMAIN, &self.to_bytes(), &output.0])
            .below(u64::from(self.count))?;
        u32::try_from(i).map_err(|_| Error::InvalidParameter {
            what: "panel index outside the list",
        })
    }
}

/// The result of a panel lottery.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PanelLotteryRecord {
    /// The announcement published before the round.
    pub announcement: PanelAnnouncement,
    /// The beacon round used.
    pub beacon_round: u64,
    /// Its output.
    pub beacon_output: BeaconOutput,
    /// The picked index.
    pub chosen: u32,
    /// The picked panel.
    pub panel: Vec<CitizenKey>,
}

impl PanelLotteryRecord {
    /// Picks a panel of `list` with the verified output of the announced
    /// round.
    pub fn create(
        announcement: &PanelAnnouncement,
        list: &PanelList,
        beacon: &impl BeaconSource,
    ) -> Result<Self> {
        if announcement.panels != list.commitment() {
            return Err(Error::VerificationFailed {
                proof: "panel list differs from the announced commitment",
            });
        }
        let output = beacon.verified_output(announcement.beacon_round)?;
        let chosen = announcement.pick(&output)?;
        let panel = list
            .panels
            .get(chosen as usize)
            .cloned()
            .ok_or(Error::InvalidParameter {
                what: "panel index outside the list",
            })?;
        Ok(PanelLotteryRecord {
            announcement: announcement.clone(),
            beacon_round: announcement.beacon_round,
            beacon_output: output,
            chosen,
            panel,
        })
    }

    /// Checks P1–P6 of spec/sortition.md §8 against the published
    /// announcement and panel list.
    pub fn verify(
        &self,
        published: &PanelAnnouncement,
        list: &PanelList,
        beacon: &impl BeaconSource,
    ) -> Report {
        let mut r = Report::new();
        r.record(
            "P1",
            "the record's announcement is the one published before the beacon round",
            if self.announcement == *published {
                Ok(())
            } else {
                Err("the announcement differs from the published one")
            },
        );
        r.record(
            "P2",
            "the beacon round used is the round the announcement named",
            if self.beacon_round == published.beacon_round {
                Ok(())
            } else {
                Err("another round was used")
            },
        );
        r.record(
            "P3",
            "the beacon output is the verified output of the named round",
            match beacon.verified_output(published.beacon_round) {
                Ok(o) if o == self.beacon_output => Ok(()),
                Ok(_) => Err(format!(
                    "not the verified output of round {}",
                    published.beacon_round
                )),
                Err(e) => Err(format!("{e}")),
            },
        );
        r.record(
            "P4",
            "the panel list is the committed one",
            if list.commitment() == published.panels
                && list.panels.len() == published.count as usize
            {
                Ok(())
            } else {
                Err("the list does not match the announced commitment and count")
            },
        );
        r.record(
            "P5",
            "the picked index is recomputed from the beacon output",
            match published.pick(&self.beacon_output) {
                Ok(i) if i == self.chosen => Ok(()),
                Ok(i) => Err(format!("the pick is panel {i}, not {}", self.chosen)),
                Err(e) => Err(format!("{e}")),
            },
        );
        r.record(
            "P6",
            "the recorded panel is the list's panel at the picked index",
            if list.panels.get(self.chosen as usize) == Some(&self.panel) {
                Ok(())
            } else {
                Err("the recorded panel differs")
            },
        );
        r
    }

    /// P1–P6, then F1–F7 of spec/fairness.md §8 on the committed list: every
    /// panel meets the quotas of `problem` over `pool` and seats one person
    /// per household, and `certificate` bounds the maximin probability
    /// within its announced gap of the list's smallest selection probability.
    pub fn verify_fair(
        &self,
        published: &PanelAnnouncement,
        list: &PanelList,
        beacon: &impl BeaconSource,
        problem: &CellProblem,
        pool: &Pool,
        certificate: &FairnessCertificate,
    ) -> Report {
        let mut r = self.verify(published, list, beacon);
        check_panels(problem, pool, list, certificate).append_to(&mut r);
        r
    }
}
