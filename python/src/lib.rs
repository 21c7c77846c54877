//! `kleroterion._native`: the Rust core of the Python package (PyO3).
//!
//! A thin layer over the library: every check, encoding and verification is
//! the library's; this crate converts arguments, maps the library's typed
//! errors to Python exceptions (module `errors`) and passes records, reports and
//! shard summaries across the boundary in their JSON formats (the ones the
//! CLI reads and writes), which the pure-Python package `kleroterion` turns
//! into typed objects. Long computations release the GIL.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod beacon;
mod draw;
mod errors;
mod records;
mod roll;
mod shards;
mod verify;

use pyo3::prelude::*;

/// The extension module: functions grouped by the files above, exceptions
/// from [`errors`].
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    verify::register(m)?;
    records::register(m)?;
    roll::register(m)?;
    draw::register(m)?;
    beacon::register(m)?;
    shards::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
