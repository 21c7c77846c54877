//! The kleroterion side of benches/peer/run.sh: generates the benchmark
//! pools (150/22, 300/45, 500/75), writes them as CSV for the peer, and
//! runs the maximin panel lottery with its certificate on each, printing
//! one JSON line per pool.
//!
//! `cargo run --release --example fair_peer --features solver -- OUT_DIR [M]
//! [maximin|leximin] [POOL]` (POOL: only the pool of that size).

#[path = "pools.rs"]
mod pools;

use std::time::Instant;

use kleroterion::fairness::solve::{fair_panels_with, Objective, Options};
use kleroterion::fairness::{check_panels, Ratio};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "peer-pools".into());
    let m: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    std::fs::create_dir_all(&out).expect("output directory");
    let objective = match args.next().as_deref() {
        Some("leximin") => Objective::Leximin,
        _ => Objective::Maximin,
    };
    let options = Options {
        objective,
        ..Options::default()
    };
    let only: Option<usize> = args.next().and_then(|a| a.parse().ok());
    for (size, seats) in [(150, 22), (300, 45), (500, 75)] {
        if only.is_some_and(|o| o != size) {
            continue;
        }
        let pool = pools::generate(size, seats, 2026 + size as u64);
        let (features, people) = pool.csv();
        std::fs::write(format!("{out}/features_{size}.csv"), features).expect("write");
        std::fs::write(format!("{out}/people_{size}.csv"), people).expect("write");
        let (problem, members) = pool.problem();
        let start = Instant::now();
        let fair = fair_panels_with(&problem, &members, m, &options).expect("a fair lottery");
        let solve = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let verdict = check_panels(&problem, &members, &fair.list, &fair.certificate)
            .expect("a well-formed problem and pool");
        let verify = start.elapsed().as_secs_f64();
        let approx = |r: &Option<Ratio>| r.as_ref().map_or(f64::NAN, Ratio::approx);
        println!(
            "{{\"pool\":{size},\"objective\":\"{objective:?}\",\"panel\":{seats},\"cells\":{},\"m\":{m},\"quotas_met\":{},\
             \"households_ok\":{},\"distribution_min\":{:.6},\"cell_lottery_min\":{:.6},\
             \"lottery_min\":{:.6},\
             \"bound\":{:.6},\"certificate_verified\":{},\"rounds\":{},\"seconds\":{solve:.3},\
             \"verify_seconds\":{verify:.3}}}",
            problem.cells.len(),
            verdict.outcome("F2").is_some_and(|o| o.word() == "ok"),
            verdict.outcome("F3").is_some_and(|o| o.word() == "ok"),
            fair.cells.distribution.min_probability,
            approx(&fair.cells.verdict.min_probability),
            approx(&verdict.min_probability),
            approx(&verdict.bound),
            verdict.passed(),
            fair.cells.distribution.rounds,
        );
    }
}
