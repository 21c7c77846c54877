//! Fair selection with overlapping quotas (spec/fairness.md).
//!
//! Real assemblies are stratified by several features at once (gender, age
//! band, region, …), each category with a minimum and a maximum number of
//! seats. People with the same category in every feature are
//! interchangeable for the quotas: they form a **cell**. A
//! [`CellProblem`] is the whole quota problem reduced to cells and their
//! eligible counts: the input of the feasibility check, of the maximin
//! lottery over cell allocations and of its fairness certificate.
//!
//! [`FeatureQuotas`] (tag 0x35) names the features of a draw and their
//! bounds and counts a roll into cells ([`FeatureQuotas::census`],
//! [`FeatureQuotas::problem`]); an [`AllocationList`] (tag 0x36) is the
//! committed lottery over cell allocations that a feature draw picks from
//! (spec/sortition.md §10). With feature `csv`, module `csv` reads and writes
//! the Sortition Foundation's files (spec/csv.md).
//!
//! * [`AllocationList`]: `m` cell allocations, one picked uniformly (the
//!   whole-roll draw, also what [`check_lottery`] checks); [`Pool`] and a [`crate::sortition::panel::PanelList`]:
//!   `m` person-level panels of volunteers, households respected.
//! * [`PoolRoster`] (tag 0x37): the committed pool of a pool draw
//!   (spec/pool-draw.md), from which the cells and the [`Pool`] are
//!   recomputed.
//! * [`FairnessCertificate`]: an LP dual solution, integers over one
//!   denominator, bounding the best possible minimum selection probability.
//! * [`check_lottery`] and [`check_panels`]: checks F2–F5 and F7 (F1 and F6
//!   are retired ids), exact, no solver, no_std.
//! * `solve` (feature `solver`): the organiser's side, with the LP/MILP
//!   solver: feasibility and infeasibility explained, the maximin lottery,
//!   its rounding to `m` allocations, panels and the certificate.

//!
//! # Example
//!
//! ```
//! use kleroterion::fairness::{Cell, CellProblem, QuotaBounds};
//!
//! // Four seats; two features of two categories each, 1 to 3 seats per category.
//! let q = QuotaBounds { min: 1, max: 3 };
//! let cell = |categories: [u16; 2], eligible| Cell { categories: categories.to_vec(), eligible };
//! let problem = CellProblem {
//!     seats: 4,
//!     quotas: vec![vec![q, q], vec![q, q]],
//!     cells: vec![cell([0, 0], 10), cell([0, 1], 2), cell([1, 0], 7), cell([1, 1], 1)],
//! };
//! problem.validate()?;
//! assert!(problem.is_feasible(&[2, 0, 1, 1]));
//! assert!(!problem.is_feasible(&[3, 1, 0, 0])); // category 1 of feature 0 gets no seat
//! assert!(!problem.is_feasible(&[1, 1, 0, 2])); // cell (1, 1) has one eligible person
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod allocation_list;
mod assign;
mod certificate;
mod check;
#[cfg(feature = "csv")]
pub mod csv;
pub mod features;
mod figures;
mod pool;
mod problem;
mod ratio;
mod roster;
#[cfg(feature = "solver")]
pub mod solve;

pub use allocation_list::{
    pick, AllocationList, ALLOCATIONS_DOMAIN, ALLOCATION_LIST_VERSION, CELL_PICK_DOMAIN,
};
pub use assign::assign_panels;
pub use certificate::{CategoryDual, CellDual, FairnessCertificate, CERTIFICATE_DOMAIN};
pub use check::{
    check_lottery, check_panels, check_title, FairnessVerdict, LOTTERY_CHECKS, PANEL_CHECKS,
};
pub use features::{Category, CellCounter, Feature, FeatureQuotas, QUOTAS_DOMAIN};
pub use figures::{FairnessFigures, LotteryKind};
pub use pool::{Pool, PoolPerson};
pub use problem::{Allocation, Cell, CellProblem, QuotaBounds};
pub use ratio::Ratio;
pub use roster::{PoolRoster, RosterPerson, POOL_DOMAIN, POOL_ROSTER_VERSION};
