//! The panel lottery (spec/sortition.md §8), after Flanigan, Gölz, Gupta,
//! Hennig and Procaccia, "Fair Sortition Made Transparent" (NeurIPS 2021).
//!
//! A fairness algorithm (`fairness::solve::fair_panels`, or one outside the
//! crate) turns a pool of volunteers into a distribution over panels,
//! rounded to a list of `m` panels (repetitions allowed) such that picking
//! one uniformly realises the distribution. The list is published and
//! committed ([`PanelList`]) in a [`PanelAnnouncement`] (version 2) together
//! with the feature quotas, the pool, the fairness certificate and the
//! beacon round that will pick from it (spec/pool-draw.md); the round's
//! output then picks one panel uniformly and anyone can recompute the pick
//! ([`PanelLotteryRecord`]) and check the lottery's fairness (F2–F5 and F7).

use alloc::format;
use alloc::vec::Vec;
use sha3::{Digest as _, Sha3_256};

use alloc::string::String;

use super::{BeaconChain, BeaconOutput, BeaconSource, Sampler};
use crate::civic::{AssemblyId, PolityId, MAX_SEATS};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::fairness::{
    check_panels, FairnessCertificate, FairnessFigures, FairnessVerdict, FeatureQuotas,
    LotteryKind, PoolRoster, PANEL_CHECKS,
};
use crate::report::{Outcome, Report};
use crate::roll::{CitizenKey, Digest};

/// Domain label of the panel list commitment.
pub const PANELS_DOMAIN: &[u8] = b"kleroterion/sortition/panels/v1";
/// Domain label of the panel announcement hash (spec/pool-draw.md §2).
pub const PANEL_ANNOUNCEMENT_DOMAIN: &[u8] = b"kleroterion/sortition/panel-announcement/v2";
/// Encoding version of [`PanelAnnouncement`]: 2 since it binds the quotas,
/// the pool, the certificate and the beacon chain (version 1, the list
/// only, is rejected).
pub const PANEL_ANNOUNCEMENT_VERSION: u8 = 2;
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

impl Decode for PanelList {
    const NAME: &'static str = "panel list";

    /// Strict: every panel's keys strictly ascending (the canonical order),
    /// 1 to 150 of them, at least one panel.
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::PanelList, &[1], Self::NAME)?;
        let m = r.len(4 + 32, "panels")?;
        let mut panels = Vec::with_capacity(m);
        for _ in 0..m {
            let n = r.len(32, "panel")?;
            if n > MAX_SEATS as usize {
                return Err(Error::InvalidParameter {
                    what: "a panel holds 1 to 150 distinct citizens",
                });
            }
            let mut keys = Vec::with_capacity(n);
            for _ in 0..n {
                keys.push(CitizenKey::decode(r)?);
            }
            let ascending = keys.windows(2).all(|w| match w {
                [a, b] => a < b,
                _ => true,
            });
            if !ascending {
                return Err(Error::InvalidParameter {
                    what: "a panel's keys are strictly ascending",
                });
            }
            panels.push(keys);
        }
        PanelList::new(panels)
    }
}

/// The objects a [`PanelAnnouncement`] commits to (spec/pool-draw.md §1).
#[derive(Clone, Copy, Debug)]
pub struct PoolObjects<'a> {
    /// The feature quotas every panel meets.
    pub quotas: &'a FeatureQuotas,
    /// The pool of volunteers.
    pub pool: &'a PoolRoster,
    /// The panel list the beacon picks from.
    pub panels: &'a PanelList,
    /// The fairness certificate, with its announced gap.
    pub certificate: &'a FairnessCertificate,
}

/// Published before the beacon round (tag `0x34`, version 2,
/// spec/pool-draw.md §2): who draws, on which beacon chain and round, and
/// the commitments to the quotas, the pool, the panel list and the
/// fairness certificate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PanelAnnouncement {
    /// The polity.
    pub polity: PolityId,
    /// The assembly the panel will form.
    pub assembly: AssemblyId,
    /// The year.
    pub year: u32,
    /// The beacon whose round picks the panel.
    pub beacon_chain: BeaconChain,
    /// The beacon round whose output picks the panel.
    pub beacon_round: u64,
    /// [`FeatureQuotas::commitment`] of the quotas.
    pub quotas: Digest,
    /// [`PoolRoster::commitment`] of the pool.
    pub pool: Digest,
    /// [`PanelList::commitment`] of the list.
    pub panels: Digest,
    /// Number of panels `m ≥ 1` in the list.
    pub count: u32,
    /// [`FairnessCertificate::commitment`] of the certificate.
    pub certificate: Digest,
}

impl Encode for PanelAnnouncement {
    /// `0x34 ‖ 0x02 ‖ lp(polity) ‖ lp(assembly) ‖ u32 year ‖ beacon ‖
    /// u64 round ‖ quotas ‖ pool ‖ panels ‖ u32 m ‖ certificate`.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::PanelAnnouncement, PANEL_ANNOUNCEMENT_VERSION);
        w.bytes(self.polity.as_str().as_bytes());
        w.bytes(self.assembly.as_str().as_bytes());
        w.u32(self.year);
        self.beacon_chain.encode(w);
        w.u64(self.beacon_round);
        self.quotas.encode(w);
        self.pool.encode(w);
        self.panels.encode(w);
        w.u32(self.count);
        self.certificate.encode(w);
    }
}

fn read_label(r: &mut Reader<'_>, what: &'static str) -> Result<String> {
    let b = r.bytes(what)?;
    core::str::from_utf8(b)
        .map(String::from)
        .map_err(|_| Error::InvalidParameter {
            what: "a label is printable ASCII",
        })
}

impl Decode for PanelAnnouncement {
    const NAME: &'static str = "panel announcement";

    /// Version 2 only: version 1 is [`Error::UnsupportedVersion`].
    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(
            Tag::PanelAnnouncement,
            &[PANEL_ANNOUNCEMENT_VERSION],
            Self::NAME,
        )?;
        let polity = PolityId::new(read_label(r, "polity")?)?;
        let assembly = AssemblyId::new(read_label(r, "assembly")?)?;
        let year = r.u32("year")?;
        let beacon_chain = BeaconChain::decode(r)?;
        let beacon_round = r.u64("beacon round")?;
        let quotas = Digest::decode(r)?;
        let pool = Digest::decode(r)?;
        let panels = Digest::decode(r)?;
        let count = r.u32("panel count")?;
        if count == 0 {
            return Err(Error::InvalidParameter {
                what: "a panel list holds 1 to 2^32 - 1 panels",
            });
        }
        let certificate = Digest::decode(r)?;
        Ok(PanelAnnouncement {
            polity,
            assembly,
            year,
            beacon_chain,
            beacon_round,
            quotas,
            pool,
            panels,
            count,
            certificate,
        })
    }
}

impl PanelAnnouncement {
    /// The announcement of a pool draw committing to `objects`.
    pub fn new(
        polity: PolityId,
        assembly: AssemblyId,
        year: u32,
        beacon_chain: BeaconChain,
        beacon_round: u64,
        objects: PoolObjects<'_>,
    ) -> Result<Self> {
        Ok(PanelAnnouncement {
            polity,
            assembly,
            year,
            beacon_chain,
            beacon_round,
            quotas: objects.quotas.commitment(),
            pool: objects.pool.commitment(),
            panels: objects.panels.commitment(),
            count: u32::try_from(objects.panels.panels.len()).map_err(|_| {
                Error::InvalidParameter {
                    what: "a panel list holds 1 to 2^32 - 1 panels",
                }
            })?,
            certificate: objects.certificate.commitment(),
        })
    }

    /// `SHA3-256(lp(PANEL_ANNOUNCEMENT_DOMAIN) ‖ enc(announcement))`: the
    /// anchor of the pool draw, registered with an earlier beacon round.
    pub fn hash(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(PANEL_ANNOUNCEMENT_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }

    /// The uniformly picked panel index: `below(m)` (spec/sortition.md §4.3)
    /// on `SHAKE256(lp(PICK_DOMAIN) ‖ lp(encode(announcement)) ‖
    /// lp(output))`.
    pub fn pick(&self, output: &BeaconOutput) -> Result<u32> {
        let i = Sampler::from_parts(&[PICK_DOMAIN, &self.to_bytes(), &output.0])
            .below(u64::from(self.count))?;
        u32::try_from(i).map_err(|_| Error::InvalidParameter {
            what: "panel index outside the list",
        })
    }
}

/// Titles of the pool draw checks (spec/pool-draw.md §5).
pub mod titles {
    /// P1 of an in-memory record.
    pub const P1: &str = "the record's announcement is the one published before the beacon round";
    /// P2.
    pub const P2: &str = "the beacon round used is the round the announcement named";
    /// P3.
    pub const P3: &str = "the beacon output is the verified output of the named round";
    /// P4.
    pub const P4: &str = "the panel list is the committed one";
    /// P5.
    pub const P5: &str = "the picked index is recomputed from the beacon output";
    /// P6.
    pub const P6: &str = "the recorded panel is the list's panel at the picked index";
    /// P7.
    pub const P7: &str = "the announcement was fixed before the named round";
    /// P8.
    pub const P8: &str = "the feature quotas are the announced ones";
    /// P9.
    pub const P9: &str = "the pool is the announced one and fits the quotas";
    /// P10.
    pub const P10: &str = "the fairness certificate is the announced one";
}

/// An object of a record as read: decoded, or why not (the decoder's error).
pub type Decoded<'a, T> = core::result::Result<&'a T, String>;

/// What P2–P6 read of a record: the round, output, pick and panel.
#[derive(Clone, Copy, Debug)]
pub struct PickClaim<'a> {
    /// The beacon round used.
    pub beacon_round: u64,
    /// Its output.
    pub beacon_output: &'a BeaconOutput,
    /// The picked index.
    pub chosen: u32,
    /// The picked panel.
    pub panel: &'a [CitizenKey],
}

/// P2–P6 (spec/pool-draw.md §5) of a pick under `announcement` (`None`
/// when it does not decode, P1): `beacon` is the verified beacon, `None`
/// when it does not verify (B1). Returns whether P4 passed.
pub fn pick_checks(
    r: &mut Report,
    announcement: Option<&PanelAnnouncement>,
    claim: PickClaim<'_>,
    list: Decoded<'_, PanelList>,
    beacon: Option<&dyn BeaconSource>,
) -> bool {
    use titles::*;
    let Some(a) = announcement else {
        for (id, title) in [("P2", P2), ("P3", P3), ("P4", P4), ("P5", P5), ("P6", P6)] {
            r.not_checked(id, title, "the announcement does not decode (P1)");
        }
        return false;
    };
    r.record(
        "P2",
        P2,
        if claim.beacon_round == a.beacon_round {
            Ok(())
        } else {
            Err(format!(
                "round {} was used, the announcement names {}",
                claim.beacon_round, a.beacon_round
            ))
        },
    );
    r.push(
        "P3",
        P3,
        match beacon.map(|b| b.verified_output(a.beacon_round)) {
            None => Outcome::NotChecked("the beacon does not verify (B1)".into()),
            Some(Ok(o)) if o == *claim.beacon_output => Outcome::Passed,
            Some(Ok(_)) => Outcome::Failed(format!(
                "not the verified output of round {}",
                a.beacon_round
            )),
            Some(Err(e)) => Outcome::Failed(format!("{e}")),
        },
    );
    let list_ok = match list {
        Err(e) => Err(format!("the panel list does not decode: {e}")),
        Ok(l) if l.commitment() != a.panels => Err(String::from(
            "the list does not hash to the announced commitment",
        )),
        Ok(l) if l.panels.len() != a.count as usize => Err(format!(
            "the list has {} panels, the announcement {}",
            l.panels.len(),
            a.count
        )),
        Ok(l) => Ok(l),
    };
    r.record("P4", P4, list_ok.as_ref().map(|_| ()).map_err(Clone::clone));
    r.record(
        "P5",
        P5,
        match a.pick(claim.beacon_output) {
            Ok(i) if i == claim.chosen => Ok(()),
            Ok(i) => Err(format!("the pick is panel {i}, not {}", claim.chosen)),
            Err(e) => Err(format!("{e}")),
        },
    );
    match list_ok {
        Ok(l) => r.record(
            "P6",
            P6,
            if l.panels.get(claim.chosen as usize).map(Vec::as_slice) == Some(claim.panel) {
                Ok(())
            } else {
                Err(format!(
                    "the recorded panel is not panel {} of the list",
                    claim.chosen
                ))
            },
        ),
        Err(_) => r.not_checked("P6", P6, "the panel list is not the committed one (P4)"),
    }
    list_ok.is_ok()
}

/// P8–P10, then F2–F5 and F7 of spec/fairness.md §8 in pool mode on the cells and
/// pool recomputed from the committed quotas and pool (spec/pool-draw.md
/// §3, §5). `list_ok` is whether P4 passed; F2–F5 and F7 are not checked unless
/// P4, P8, P9 and P10 all passed. Returns the fairness figures of the
/// verdict (spec/record.md §10.1), none established when the F checks were
/// not made.
pub fn fairness_checks(
    r: &mut Report,
    announcement: Option<&PanelAnnouncement>,
    list: Option<&PanelList>,
    quotas: Decoded<'_, FeatureQuotas>,
    pool: Decoded<'_, PoolRoster>,
    certificate: Decoded<'_, FairnessCertificate>,
) -> FairnessFigures {
    use titles::*;
    let unmade = FairnessFigures::not_established(LotteryKind::Pool);
    let Some(a) = announcement else {
        for (id, title) in [("P8", P8), ("P9", P9), ("P10", P10)] {
            r.not_checked(id, title, "the announcement does not decode (P1)");
        }
        skip_fairness(r, "the announcement does not decode (P1)");
        return unmade;
    };
    let quotas = quotas
        .map_err(|e| format!("the quotas do not decode: {e}"))
        .and_then(|q| {
            if q.commitment() == a.quotas {
                Ok(q)
            } else {
                Err(String::from(
                    "the quotas do not hash to the announced commitment",
                ))
            }
        });
    r.record("P8", P8, quotas.as_ref().map(|_| ()).map_err(Clone::clone));
    let cells = match (&quotas, pool) {
        (_, Err(e)) => Err(Outcome::Failed(format!("the pool does not decode: {e}"))),
        (_, Ok(p)) if p.commitment() != a.pool => Err(Outcome::Failed(String::from(
            "the pool does not hash to the announced commitment",
        ))),
        (Err(_), Ok(_)) => Err(Outcome::NotChecked(String::from(
            "the quotas are not the announced ones (P8)",
        ))),
        (Ok(q), Ok(p)) => p.problem(q).map_err(|e| Outcome::Failed(format!("{e}"))),
    };
    r.push(
        "P9",
        P9,
        cells
            .as_ref()
            .map_or_else(Clone::clone, |_| Outcome::Passed),
    );
    let certificate = certificate
        .map_err(|e| format!("the certificate does not decode: {e}"))
        .and_then(|c| {
            if c.commitment() == a.certificate {
                Ok(c)
            } else {
                Err(String::from(
                    "the certificate does not hash to the announced commitment",
                ))
            }
        });
    r.record(
        "P10",
        P10,
        certificate.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    match (list, &cells, &certificate) {
        (Some(list), Ok((problem, pool)), Ok(cert)) if quotas.is_ok() => {
            match check_panels(problem, pool, list, cert) {
                Ok(verdict) => {
                    verdict.append_to(r);
                    FairnessFigures::of_panels(&verdict, pool, list, cert)
                }
                Err(e) => {
                    FairnessVerdict::problem_failed(
                        &PANEL_CHECKS,
                        &format!("the quotas and the pool make no quota problem: {e}"),
                    )
                    .append_to(r);
                    unmade
                }
            }
        }
        _ => {
            let mut missing = Vec::new();
            if list.is_none() {
                missing.push("P4");
            }
            if quotas.is_err() {
                missing.push("P8");
            }
            if cells.is_err() {
                missing.push("P9");
            }
            if certificate.is_err() {
                missing.push("P10");
            }
            skip_fairness(
                r,
                &format!(
                    "{} did not pass: not the announced lottery",
                    missing.join(", ")
                ),
            );
            unmade
        }
    }
}

fn skip_fairness(r: &mut Report, why: &str) {
    FairnessVerdict::not_checked(&PANEL_CHECKS, why).append_to(r);
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

    fn claim(&self) -> PickClaim<'_> {
        PickClaim {
            beacon_round: self.beacon_round,
            beacon_output: &self.beacon_output,
            chosen: self.chosen,
            panel: &self.panel,
        }
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
        self.p1_to_p6(&mut r, published, list, beacon);
        r
    }

    fn p1_to_p6(
        &self,
        r: &mut Report,
        published: &PanelAnnouncement,
        list: &PanelList,
        beacon: &impl BeaconSource,
    ) -> bool {
        r.record(
            "P1",
            titles::P1,
            if self.announcement == *published {
                Ok(())
            } else {
                Err("the announcement differs from the published one")
            },
        );
        let beacon: &dyn BeaconSource = beacon;
        pick_checks(r, Some(published), self.claim(), Ok(list), Some(beacon))
    }

    /// P1–P6 (with `objects.panels` as the list), then P8–P10 (the quotas, pool and certificate are the
    /// announced ones) and F2–F5 and F7 of spec/fairness.md §8 on the committed
    /// list: every panel meets the quotas over the pool and seats one
    /// person per household, and `certificate` bounds the maximin
    /// probability within its announced gap of the list's smallest
    /// selection probability.
    pub fn verify_fair(
        &self,
        published: &PanelAnnouncement,
        beacon: &impl BeaconSource,
        objects: PoolObjects<'_>,
    ) -> Report {
        let mut r = Report::new();
        let list_ok = self.p1_to_p6(&mut r, published, objects.panels, beacon);
        // The figures are the pool draw record's (`record::pool`); this
        // report carries the checks alone.
        let _figures = fairness_checks(
            &mut r,
            Some(published),
            list_ok.then_some(objects.panels),
            Ok(objects.quotas),
            Ok(objects.pool),
            Ok(objects.certificate),
        );
        r
    }
}
