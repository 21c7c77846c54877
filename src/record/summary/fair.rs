//! The statements of a fair lottery (spec/record.md §10.1): a whole-roll
//! feature draw of an assembly record, and a pool draw record.
//!
//! Each statement rests on the feature checks (S18–S22), the pool draw's
//! bindings (P1–P10) and the fairness checks F2, F3, F4, F5 and F7; its
//! numbers are the verifier's [`FairnessFigures`], never the record's. A
//! statement about the lottery that was drawn (its list, its chances, its
//! gap) also rests on the announcement being the published one (A2) and
//! fixed before the round (S16, P7): a list chosen after the beacon output
//! is fair on paper only. The certificate's bound is a fact about the
//! quotas alone.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::encoding::Decode;
use crate::fairness::{FairnessFigures, FeatureQuotas, PoolRoster, Ratio};
use crate::report::Check;
use crate::sortition::panel::{PanelAnnouncement, PanelList};
use crate::sortition::FeatureLottery;

use super::super::assembly::AssemblyReport;
use super::super::pool::PoolDrawRecord;
use super::{find_check, short, statement, Statement};

/// Whole-roll feature draw: "the lottery is the committed list of `m`
/// allocations, each meeting the quotas on the roll's census".
pub const LOTTERY_MEETS_QUOTAS: &[&str] = &["A2", "S19", "F2"];
/// Whole-roll feature draw: "no two selected delegates share a household".
pub const ONE_PER_HOUSEHOLD: &[&str] = &["S22"];
/// Whole-roll feature draw: "nobody's chance is below `p_min`".
pub const SMALLEST_CHANCE: &[&str] = &["A2", "S16", "S19", "F2", "F7"];
/// Both lotteries: "no lottery could give everyone more than `B`" (the
/// certificate), for a whole-roll draw.
pub const CERTIFICATE_BOUND: &[&str] = &["F4", "F5"];
/// Whole-roll feature draw: "the announced gap holds".
pub const ANNOUNCED_GAP: &[&str] = &["A2", "S16", "S19", "F2", "F4", "F5", "F7"];

/// Pool draw: "panel `k` of the committed list was picked by the beacon".
pub const POOL_DRAWN: &[&str] = &[
    "A1", "A2", "B1", "B2", "B3", "B4", "P1", "P2", "P3", "P4", "P5", "P6", "P7",
];
/// Pool draw: "the quotas, the pool and the certificate are the announced
/// ones".
pub const POOL_BOUND_OBJECTS: &[&str] = &["A2", "P1", "P8", "P9", "P10"];
/// Pool draw: "every panel meets the quotas and households".
pub const POOL_MEETS_QUOTAS: &[&str] = &["A2", "P4", "P8", "P9", "F2", "F3"];
/// Pool draw: "nobody's chance is below `p_min`".
pub const POOL_SMALLEST_CHANCE: &[&str] = &["A2", "P4", "P7", "P8", "P9", "F2", "F3", "F7"];
/// Pool draw: "no lottery could give everyone more than `B`".
pub const POOL_BOUND: &[&str] = &["P8", "P9", "P10", "F4", "F5"];
/// Pool draw: "the announced gap holds".
pub const POOL_GAP: &[&str] = &[
    "A2", "P4", "P7", "P8", "P9", "P10", "F2", "F3", "F4", "F5", "F7",
];

/// What a pool draw record claims (decoded, not verified).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PoolDrawFacts {
    /// The polity.
    pub polity: String,
    /// The assembly.
    pub assembly: String,
    /// The year.
    pub year: u32,
    /// The beacon chain id (threshold beacon) or chain hash (drand), hex.
    pub beacon_chain: String,
    /// `kleroterion` or `drand`.
    pub beacon_kind: String,
    /// The announced beacon round.
    pub beacon_round: u64,
    /// `m`, the panels the announcement commits to.
    pub panels: u32,
    /// Seats of a panel (`null` if the quotas do not decode).
    pub seats: Option<u32>,
    /// Volunteers in the pool (`null` if the pool does not decode).
    pub pool_size: Option<u64>,
    /// The picked index the record states.
    pub chosen: u32,
}

/// The lottery's words: whole-roll (`citizens`, `allocations`) or pool
/// (`volunteers`, `panels`).
struct Words {
    people: &'static str,
    lists: &'static str,
    fair_lists: &'static str,
}

const WHOLE_ROLL: Words = Words {
    people: "eligible citizens",
    lists: "allocations",
    fair_lists: "seat allocations",
};
const POOL: Words = Words {
    people: "volunteers",
    lists: "panels",
    fair_lists: "panels",
};

/// `p_min = a/b (= d)`, or `p_min` when not established.
fn named(symbol: &str, value: Option<&Ratio>) -> String {
    match value {
        Some(v) => format!("{symbol} = {}", v.display_exact()),
        None => String::from(symbol),
    }
}

/// The chance, bound and gap statements, from the figures.
fn chance_statements<'r>(
    fig: Option<&FairnessFigures>,
    words: &Words,
    ids: [&'static [&'static str]; 3],
    caveat: &str,
    check: impl Fn(&str) -> Option<&'r Check> + Copy,
    out: &mut Vec<Statement>,
) {
    let p = fig.and_then(|f| f.min_probability.as_ref());
    let b = fig.and_then(|f| f.bound.as_ref());
    let g = fig.and_then(|f| f.announced_gap.as_ref());
    let who = match (fig.and_then(|f| f.at_minimum), fig.and_then(|f| f.people)) {
        (Some(n), Some(of)) if p.is_some() => {
            format!("; {n} of the {of} {} have exactly p_min", words.people)
        }
        _ => String::new(),
    };
    let [chance, bound, gap] = ids;
    out.push(statement(
        format!(
            "under the committed lottery nobody's chance of selection is below {}, the smallest \
             of all {}{who}{caveat}",
            named("p_min", p),
            words.people
        ),
        chance,
        check,
        None,
    ));
    out.push(statement(
        format!(
            "no lottery of {} meeting these quotas could give every one of the {} a chance \
             above {} (the fairness certificate)",
            words.fair_lists,
            words.people,
            named("B", b)
        ),
        bound,
        check,
        None,
    ));
    let actual = match fig.and_then(|f| f.gap.as_ref()) {
        Some(d) => format!(": B − p_min = {} ≤ g", d.display_exact()),
        None => String::from(" (B − p_min ≤ g)"),
    };
    out.push(statement(
        format!(
            "the lottery is within the announced gap {} of the best possible{actual}",
            named("g", g)
        ),
        gap,
        check,
        None,
    ));
}

/// The statements of a whole-roll feature draw, after the draw's: the
/// committed lottery meets the quotas, households, the smallest chance, the
/// bound and the gap. `check(id)` finds a check of the draw section.
pub(super) fn feature_draw_statements<'r>(
    f: &FeatureLottery,
    report: &AssemblyReport,
    check: impl Fn(&str) -> Option<&'r Check> + Copy,
    out: &mut Vec<Statement>,
) {
    out.push(statement(
        format!(
            "the lottery is the list of {} {} the announcement commits to, and every one of \
             them meets the quotas on the census of the roll",
            f.m, WHOLE_ROLL.lists
        ),
        LOTTERY_MEETS_QUOTAS,
        check,
        None,
    ));
    let household = f.quotas.household();
    if let Some(h) = household {
        out.push(statement(
            format!("no two selected delegates share a household (attribute \"{h}\")"),
            ONE_PER_HOUSEHOLD,
            check,
            None,
        ));
    }
    let caveat = if household.is_some() {
        " (households aside: sharing a household with citizens of other cells can lower a \
         citizen's chance)"
    } else {
        ""
    };
    chance_statements(
        report.fairness.as_ref(),
        &WHOLE_ROLL,
        [SMALLEST_CHANCE, CERTIFICATE_BOUND, ANNOUNCED_GAP],
        caveat,
        check,
        out,
    );
}

/// The facts of a pool draw record: its announcement and the sizes of
/// what it commits to, as far as they decode.
pub fn pool_draw_facts(record: &PoolDrawRecord) -> Option<PoolDrawFacts> {
    let a = PanelAnnouncement::from_bytes(&record.announcement).ok()?;
    Some(PoolDrawFacts {
        polity: a.polity.as_str().to_string(),
        assembly: a.assembly.as_str().to_string(),
        year: a.year,
        beacon_chain: hex::encode(a.beacon_chain.id().0),
        beacon_kind: a.beacon_chain.kind().to_string(),
        beacon_round: a.beacon_round,
        panels: a.count,
        seats: FeatureQuotas::from_bytes(&record.quotas)
            .ok()
            .map(|q| q.seats()),
        pool_size: PoolRoster::from_bytes(&record.pool)
            .ok()
            .map(|p| p.people().len() as u64),
        chosen: record.chosen,
    })
}

/// The statements of a pool draw record and its report.
pub(super) fn pool_draw_statements(
    facts: Option<&PoolDrawFacts>,
    record: &PoolDrawRecord,
    report: &AssemblyReport,
) -> Vec<Statement> {
    let check = |id: &str| find_check(report, None, id);
    let mut out = Vec::new();
    let m = facts.map(|f| f.panels).or_else(|| {
        PanelList::from_bytes(&record.panels)
            .ok()
            .map(|l| l.panels().len() as u32)
    });
    let of_m = m.map_or(String::new(), |m| format!(" of the {m} committed panels"));
    let (by, of) = match facts {
        Some(f) => (
            format!(
                "round {} of {} beacon chain {}",
                f.beacon_round,
                f.beacon_kind,
                short(&f.beacon_chain)
            ),
            format!(" for {} of {} ({})", f.assembly, f.polity, f.year),
        ),
        None => (String::from("the announced beacon round"), String::new()),
    };
    out.push(statement(
        format!(
            "the panel of {} people{of} is panel #{}{of_m}, picked by {by} from the \
             announcement fixed before it",
            record.panel.len(),
            record.chosen
        ),
        POOL_DRAWN,
        check,
        None,
    ));
    let pool = facts
        .and_then(|f| f.pool_size)
        .map_or(String::from("the pool"), |n| {
            format!("the pool of {n} volunteers")
        });
    out.push(statement(
        format!(
            "the quotas, {pool} and the fairness certificate are the ones the announcement \
             commits to"
        ),
        POOL_BOUND_OBJECTS,
        check,
        None,
    ));
    out.push(statement(
        format!(
            "every one of the{} committed panels meets the quotas and seats at most one person \
             per household",
            m.map_or(String::new(), |m| format!(" {m}"))
        ),
        POOL_MEETS_QUOTAS,
        check,
        None,
    ));
    chance_statements(
        report.fairness.as_ref(),
        &POOL,
        [POOL_SMALLEST_CHANCE, POOL_BOUND, POOL_GAP],
        "",
        check,
        &mut out,
    );
    out
}
