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
//! * [`CellLottery`]: `m` cell allocations, one picked uniformly (the
//!   whole-roll draw); [`Pool`] and a [`crate::sortition::panel::PanelList`]:
//!   `m` person-level panels of volunteers, households respected.
//! * [`FairnessCertificate`]: an LP dual solution, integers over one
//!   denominator, bounding the best possible minimum selection probability.
//! * [`check_lottery`] and [`check_panels`]: checks F1–F7, exact, no solver,
//!   no_std.
//! * `solve` (feature `solver`): the organiser's side, with the LP/MILP
//!   solver: feasibility and infeasibility explained, the maximin lottery,
//!   its rounding to `m` allocations, panels and the certificate.

mod assign;
mod certificate;
mod check;
mod lottery;
mod pool;
mod problem;
mod ratio;
#[cfg(feature = "solver")]
pub mod solve;

pub use assign::assign_panels;
pub use certificate::{CategoryDual, CellDual, FairnessCertificate};
pub use check::{check_lottery, check_panels, FairnessVerdict};
pub use lottery::{CellLottery, LOTTERY_DOMAIN};
pub use pool::{Pool, PoolPerson};
pub use problem::{Allocation, Cell, CellProblem, QuotaBounds};
pub use ratio::Ratio;
