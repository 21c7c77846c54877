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

mod allocation_list;
#[cfg(feature = "csv")]
pub mod csv;
pub mod features;
mod problem;

pub use allocation_list::{
    pick, AllocationList, ALLOCATIONS_DOMAIN, ALLOCATION_LIST_VERSION, CELL_PICK_DOMAIN,
};
pub use features::{Category, CellCounter, Feature, FeatureQuotas};
pub use problem::{Allocation, Cell, CellProblem, QuotaBounds};
