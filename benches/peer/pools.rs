//! Deterministic benchmark pools for the fair-selection bench and the
//! side-by-side run against `sortition-algorithms` (benches/peer/run.sh):
//! four intersecting features, skewed like a real volunteer pool, about a
//! third of the people in two-person households, and quotas of ±15 % around
//! proportional shares.

use std::collections::BTreeMap;

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::fairness::{Cell, CellProblem, Pool, PoolPerson, QuotaBounds};
use kleroterion::roll::CitizenKey;

/// Feature names, their category names and the pool's skew (weights).
pub const FEATURES: [(&str, &[(&str, u64)]); 4] = [
    ("gender", &[("female", 52), ("male", 46), ("other", 2)]),
    (
        "age",
        &[("16-29", 18), ("30-44", 27), ("45-64", 33), ("65+", 22)],
    ),
    (
        "region",
        &[("north", 30), ("south", 25), ("east", 25), ("west", 20)],
    ),
    (
        "education",
        &[("school", 35), ("vocational", 30), ("degree", 35)],
    ),
];

/// One generated volunteer: category per feature and household number.
pub struct Person {
    /// Category index per feature.
    pub categories: Vec<u16>,
    /// Household number (people alone have their own).
    pub household: u64,
}

/// A generated pool with its panel size and quotas.
pub struct BenchPool {
    /// Panel size.
    pub seats: u32,
    /// The volunteers.
    pub people: Vec<Person>,
    /// `quotas[f][v]`.
    pub quotas: Vec<Vec<QuotaBounds>>,
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick(state: &mut u64, weights: &[(&str, u64)]) -> u16 {
    let total: u64 = weights.iter().map(|w| w.1).sum();
    let mut r = splitmix(state) % total;
    for (i, w) in weights.iter().enumerate() {
        if r < w.1 {
            return i as u16;
        }
        r -= w.1;
    }
    0
}

/// The pool of `size` volunteers for a panel of `seats`, from `seed`.
pub fn generate(size: usize, seats: u32, seed: u64) -> BenchPool {
    let mut s = seed;
    let mut people = Vec::with_capacity(size);
    let mut household = 0;
    while people.len() < size {
        // A third of households are pairs living in one region.
        let pair = splitmix(&mut s) % 3 == 0 && people.len() + 1 < size;
        let region = pick(&mut s, FEATURES[2].1);
        for _ in 0..if pair { 2 } else { 1 } {
            let categories = FEATURES
                .iter()
                .enumerate()
                .map(|(f, (_, w))| if f == 2 { region } else { pick(&mut s, w) })
                .collect();
            people.push(Person {
                categories,
                household,
            });
        }
        household += 1;
    }
    let quotas = FEATURES
        .iter()
        .enumerate()
        .map(|(f, (_, cats))| {
            (0..cats.len())
                .map(|v| {
                    let n = people
                        .iter()
                        .filter(|p| usize::from(p.categories[f]) == v)
                        .count();
                    let target = n as f64 * f64::from(seats) / size as f64;
                    QuotaBounds {
                        min: (target * 0.85).floor() as u32,
                        max: ((target * 1.15).ceil() as u32).max(1),
                    }
                })
                .collect()
        })
        .collect();
    BenchPool {
        seats,
        people,
        quotas,
    }
}

/// The key of volunteer `i`.
pub fn key(i: usize) -> CitizenKey {
    let p = RistrettoPoint::mul_base(&Scalar::from(i as u64 + 1));
    CitizenKey::new(p.compress().to_bytes()).expect("a multiple of the base point")
}

impl BenchPool {
    /// The cell problem and the pool (cells ascending by categories).
    pub fn problem(&self) -> (CellProblem, Pool) {
        let mut cells: BTreeMap<Vec<u16>, u64> = BTreeMap::new();
        for p in &self.people {
            *cells.entry(p.categories.clone()).or_default() += 1;
        }
        let index: BTreeMap<Vec<u16>, u32> = cells
            .keys()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        let problem = CellProblem {
            seats: self.seats,
            quotas: self.quotas.clone(),
            cells: cells
                .into_iter()
                .map(|(categories, eligible)| Cell {
                    categories,
                    eligible,
                })
                .collect(),
        };
        let people = self
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| PoolPerson {
                key: key(i),
                cell: index[&p.categories],
                household: Some(p.household),
            })
            .collect();
        (problem, Pool { people })
    }

    /// `features.csv` and `people.csv` in the Sortition Foundation's
    /// formats (feature,value,min,max; id, one column per feature,
    /// address1 for the household).
    pub fn csv(&self) -> (String, String) {
        let mut features = String::from("feature,value,min,max\n");
        for (f, (name, cats)) in FEATURES.iter().enumerate() {
            for (v, (value, _)) in cats.iter().enumerate() {
                let q = self.quotas[f][v];
                features.push_str(&format!("{name},{value},{},{}\n", q.min, q.max));
            }
        }
        let mut people = String::from("id,gender,age,region,education,address1\n");
        for (i, p) in self.people.iter().enumerate() {
            let names: Vec<&str> = p
                .categories
                .iter()
                .zip(FEATURES.iter())
                .map(|(&v, (_, cats))| cats[usize::from(v)].0)
                .collect();
            people.push_str(&format!("p{i},{},h{}\n", names.join(","), p.household));
        }
        (features, people)
    }
}
