//! Writes the seed corpus of every fuzz target into `<corpus>/<target>/`
//! (default `corpus/`): `seed-NNN` files from `kleroterion_fuzz::SEEDS`.
//! Deterministic; existing seed files are overwritten, other corpus entries
//! are kept. Run by `run.sh` before each campaign.

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    for (target, seeds) in kleroterion_fuzz::SEEDS {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        let seeds = seeds();
        for (i, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), seed)?;
        }
        println!("{target}: {} seeds", seeds.len());
    }
    Ok(())
}
