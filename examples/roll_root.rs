//! The Merkle commitment of a synthetic roll of `N` entries, streamed
//! (entries generated on the fly, memory `O(log N)`): the roll-commitment
//! figure of BENCHMARKS.md at sizes too large for criterion.
//!
//! ```text
//! cargo run --release --example roll_root -- 100000000                       # sequential
//! RAYON_NUM_THREADS=2 cargo run --release --features rayon --example roll_root -- 100000000 par
//! ```
//!
//! Prints the root, the size and the wall time; measure CPU time and peak
//! memory with `/usr/bin/time -v`.

use std::time::Instant;

use kleroterion::roll::{MerkleBuilder, RollDigest};

#[path = "../benches/support/synthetic_roll.rs"]
mod synthetic_roll;
use synthetic_roll::synthetic_leaf;

fn sequential(n: u64) -> kleroterion::Result<RollDigest> {
    let mut tree = MerkleBuilder::new();
    for i in 0..n {
        tree.push(synthetic_leaf(i))?;
    }
    tree.finish()
}

#[cfg(feature = "rayon")]
fn parallel(n: u64) -> kleroterion::Result<RollDigest> {
    kleroterion::roll::merkle_root_par(0..n, |_, _| Ok(()), |&i| synthetic_leaf(i))
}

#[cfg(not(feature = "rayon"))]
fn parallel(_: u64) -> kleroterion::Result<RollDigest> {
    Err(kleroterion::Error::InvalidParameter {
        what: "`par` needs the `rayon` feature",
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map_or(Ok(10_000_000), |a| a.parse())?;
    let par = match args.next().as_deref() {
        None | Some("seq") => false,
        Some("par") => true,
        Some(other) => return Err(format!("mode must be `seq` or `par`, not {other:?}").into()),
    };
    let start = Instant::now();
    let digest = if par { parallel(n)? } else { sequential(n)? };
    let elapsed = start.elapsed();
    println!(
        "root {} of {} entries ({}): {:.2} s",
        hex::encode(digest.root.0),
        digest.size,
        if par { "rayon" } else { "sequential" },
        elapsed.as_secs_f64()
    );
    Ok(())
}
