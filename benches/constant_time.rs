//! A dudect-style statistical timing test of the secret-key operations
//! (issue 9; Reparaz, Balasch and Verbauwhede, "Dude, is my code constant
//! time?", DATE 2017). Not part of CI's pass/fail: timing on a shared
//! machine is noisy, so this is run by hand and its results are recorded
//! in SECURITY.md ("Constant-time check").
//!
//! ```text
//! cargo bench --bench constant_time                 # every operation, 20 s each
//! KLEROTERION_DUDECT_SECONDS=60 cargo bench --bench constant_time -- ecvrf
//! ```
//!
//! For each operation, inputs of two classes are prepared outside the
//! timed region — class 0 a fixed secret (a low-weight or otherwise
//! special value where that can matter), class 1 a fresh random secret —
//! and every public input is the same in both classes. The classes are
//! interleaved at random, each call is timed with the monotonic clock
//! (operations far below a microsecond are repeated inside one
//! measurement), and Welch's t-test compares the two timing distributions:
//! on all measurements, and (as dudect does) on the measurements below
//! several percentiles, which removes the long tail that interrupts and
//! other processes add. The largest `|t|` is reported; `|t| < 4.5` means
//! no leak was detected with this many samples, `|t| > 4.5` means the
//! timing depends on the secret's class.
//!
//! One operation is deliberately variable time — curve25519-dalek's
//! `vartime_double_scalar_mul_basepoint`, on the same secrets as the
//! constant-time scalar multiplication — to show that the harness detects
//! a leak.

use std::hint::black_box;
use std::time::{Duration, Instant};

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::beacon::ecvrf;
use kleroterion::credential::{AnonymitySet, CitizenSecretKey, ConsentStatement, MembershipProof};
use kleroterion::elgamal::{Ciphertext, SecretKey};
use kleroterion::encoding::{Tag, Writer};
use kleroterion::transcript::new_transcript;
use kleroterion::trustees::{ParticipantIndex, SecretPolynomial, SecretShare, ShareEvaluation};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha512};

/// Welford's running mean and variance.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.n < 2.0 {
            0.0
        } else {
            self.m2 / (self.n - 1.0)
        }
    }
}

/// Welch's t statistic of two samples.
fn welch_t(a: &Moments, b: &Moments) -> f64 {
    let se = (a.variance() / a.n + b.variance() / b.n).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (a.mean - b.mean) / se
    }
}

/// The outcome of one operation's test.
struct Verdict {
    samples: usize,
    /// Mean time per call of each class, nanoseconds.
    means: [f64; 2],
    /// The largest |t| and the crop (percentile, or "all") it was found at.
    max_t: f64,
    at: String,
}

/// Percentiles below which measurements are kept for the cropped tests.
const CROPS: [f64; 5] = [0.5, 0.75, 0.9, 0.95, 0.99];
/// Measurements discarded at the start (caches, frequency ramp-up).
const WARMUP: usize = 500;
/// Inputs prepared (outside the timed region) per batch.
const BATCH: usize = 256;

/// Runs `op` on inputs made by `make(rng, class)` for `budget`, each
/// measurement timing `reps` calls, and tests the two classes.
fn measure<I>(
    budget: Duration,
    reps: u32,
    rng: &mut ChaCha20Rng,
    mut make: impl FnMut(&mut ChaCha20Rng, usize) -> I,
    mut op: impl FnMut(&I),
) -> Verdict {
    let mut times: Vec<(usize, f64)> = Vec::new();
    let start = Instant::now();
    while start.elapsed() < budget {
        let inputs: Vec<(usize, I)> = (0..BATCH)
            .map(|_| {
                let class = (rng.next_u32() & 1) as usize;
                (class, make(rng, class))
            })
            .collect();
        for (class, input) in &inputs {
            let t0 = Instant::now();
            for _ in 0..reps {
                op(black_box(input));
            }
            let dt = t0.elapsed();
            times.push((*class, dt.as_nanos() as f64 / f64::from(reps)));
        }
    }
    let times = times.split_off(WARMUP.min(times.len()));
    let mut sorted: Vec<f64> = times.iter().map(|(_, t)| *t).collect();
    sorted.sort_by(f64::total_cmp);
    let threshold = |p: f64| sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)];

    let test = |limit: f64| {
        let mut m = [Moments::default(); 2];
        for (class, t) in &times {
            if *t <= limit {
                m[*class].push(*t);
            }
        }
        m
    };
    let all = test(f64::INFINITY);
    let mut max_t = welch_t(&all[0], &all[1]).abs();
    let mut at = String::from("all");
    for p in CROPS {
        let m = test(threshold(p));
        let t = welch_t(&m[0], &m[1]).abs();
        if t > max_t {
            max_t = t;
            at = format!("p{}", (p * 100.0) as u32);
        }
    }
    Verdict {
        samples: times.len(),
        means: [all[0].mean, all[1].mean],
        max_t,
        at,
    }
}

/// A secret scalar of each class: class 0 is 1 (the lowest-weight nonzero
/// scalar), class 1 uniformly random.
fn secret_scalar(rng: &mut ChaCha20Rng, class: usize) -> Scalar {
    if class == 0 {
        Scalar::ONE
    } else {
        Scalar::random(rng)
    }
}

/// A secret share of trustee 2 holding `value`.
fn share(value: &Scalar) -> SecretShare {
    let mut w = Writer::new();
    w.header(Tag::SecretShare, 1);
    w.raw(&2u16.to_le_bytes());
    w.scalar(value);
    SecretShare::from_secret_bytes(&w.into_bytes()).expect("share")
}

/// Whether RFC 9381's try-and-increment finds the point for `(pk, alpha)`
/// at its first attempt (`ctr = 0`): the bench keeps only such inputs, so
/// that the (public, input-dependent) number of attempts is the same in
/// both classes and only the secret differs.
fn first_attempt(pk: &ecvrf::PublicKey, alpha: &[u8]) -> bool {
    let mut hash = Sha512::new();
    hash.update([0x03, 0x01]);
    hash.update(pk.as_bytes());
    hash.update(alpha);
    hash.update([0x00, 0x00]);
    let digest = hash.finalize();
    let mut first = [0u8; 32];
    first.copy_from_slice(&digest[..32]);
    let candidate = CompressedEdwardsY(first)
        .decompress()
        .map(|p| p.mul_by_cofactor());
    candidate.is_some() && candidate == pk.encode_to_curve(alpha).ok()
}

type Run = Box<dyn Fn(Duration, &mut ChaCha20Rng) -> Verdict>;

fn operations() -> Vec<(&'static str, Run)> {
    let base = kleroterion::hash::hash_to_point(b"kleroterion/v1/dudect", b"base");
    let point = G * Scalar::from(0xdead_beef_u64);
    let ciphertext = Ciphertext::encrypt_with_nonce(
        &SecretKey::from_scalar(Scalar::from(7u64))
            .expect("key")
            .public_key(),
        &Scalar::ONE,
        &Scalar::from(11u64),
    );
    let members: Vec<CitizenSecretKey> = {
        let mut r = ChaCha20Rng::seed_from_u64(16);
        (0..16)
            .map(|_| CitizenSecretKey::generate(&mut r))
            .collect()
    };
    let set = AnonymitySet::new(members.iter().map(|k| k.public_key()).collect()).expect("set");
    let fixed_vrf = ecvrf::SecretKey::from_bytes(&[0u8; 32]).expect("key");
    vec![
        (
            "scalar × variable point (curve25519-dalek, constant time)",
            Box::new(move |budget, rng| {
                measure(budget, 1, rng, secret_scalar, |s| {
                    black_box(s * point);
                })
            }),
        ),
        (
            "CONTROL: vartime_double_scalar_mul_basepoint (variable time)",
            Box::new(move |budget, rng| {
                measure(budget, 1, rng, secret_scalar, |s| {
                    black_box(RistrettoPoint::vartime_double_scalar_mul_basepoint(
                        s,
                        &point,
                        &Scalar::ZERO,
                    ));
                })
            }),
        ),
        (
            "scalar × G (fixed-base table)",
            Box::new(|budget, rng| {
                measure(budget, 4, rng, secret_scalar, |s| {
                    black_box(RistrettoPoint::mul_base(s));
                })
            }),
        ),
        (
            "scalar arithmetic: s·c + k (Schnorr response)",
            Box::new(|budget, rng| {
                let (c, k) = (Scalar::random(rng), Scalar::random(rng));
                measure(budget, 256, rng, secret_scalar, move |s| {
                    black_box(s * c + k);
                })
            }),
        ),
        (
            "ElGamal decryption: SecretKey::decrypt_to_point",
            Box::new(move |budget, rng| {
                measure(
                    budget,
                    1,
                    rng,
                    |r, class| SecretKey::from_scalar(secret_scalar(r, class)).expect("key"),
                    |sk| {
                        black_box(sk.decrypt_to_point(&ciphertext));
                    },
                )
            }),
        ),
        (
            "partial decryption / beacon partial: ShareEvaluation::prove",
            Box::new(move |budget, rng| {
                measure(
                    budget,
                    1,
                    rng,
                    |r, class| {
                        (
                            share(&secret_scalar(r, class)),
                            ChaCha20Rng::from_rng(&mut *r).expect("rng"),
                        )
                    },
                    |(s, nonce_rng)| {
                        let mut t = new_transcript(b"dudect");
                        black_box(ShareEvaluation::prove(
                            s,
                            &mut t,
                            &base,
                            &mut nonce_rng.clone(),
                        ));
                    },
                )
            }),
        ),
        (
            "DKG share evaluation: SecretPolynomial::evaluate (t = 3)",
            Box::new(|budget, rng| {
                let fixed = SecretPolynomial::random(3, &mut ChaCha20Rng::seed_from_u64(0))
                    .expect("polynomial");
                let index = ParticipantIndex::new(4).expect("index");
                measure(
                    budget,
                    64,
                    rng,
                    |r, class| {
                        if class == 0 {
                            fixed.clone()
                        } else {
                            SecretPolynomial::random(3, r).expect("polynomial")
                        }
                    },
                    move |p| {
                        black_box(p.evaluate(index));
                    },
                )
            }),
        ),
        (
            "consent signature: ConsentStatement::sign (Schnorr)",
            Box::new(|budget, rng| {
                let fixed = CitizenSecretKey::from_bytes(Scalar::ONE.as_bytes()).expect("key");
                measure(
                    budget,
                    1,
                    rng,
                    |r, class| {
                        let sk = if class == 0 {
                            CitizenSecretKey::from_bytes(&fixed.to_bytes()[..]).expect("key")
                        } else {
                            CitizenSecretKey::generate(r)
                        };
                        (sk, ChaCha20Rng::from_rng(&mut *r).expect("rng"))
                    },
                    |(sk, nonce_rng)| {
                        black_box(
                            ConsentStatement::sign(sk, b"polity", 2027, &mut nonce_rng.clone())
                                .expect("sign"),
                        );
                    },
                )
            }),
        ),
        (
            "credential: MembershipProof::prove (16 keys; secret key and position)",
            Box::new(move |budget, rng| {
                let members = members.clone();
                let set = set.clone();
                measure(
                    budget,
                    1,
                    rng,
                    move |r, class| {
                        let i = if class == 0 {
                            0
                        } else {
                            (r.next_u32() % 16) as usize
                        };
                        (i, ChaCha20Rng::from_rng(&mut *r).expect("rng"))
                    },
                    move |(i, nonce_rng)| {
                        black_box(
                            MembershipProof::prove(
                                &set,
                                &members[*i],
                                b"context",
                                b"message",
                                &mut nonce_rng.clone(),
                            )
                            .expect("prove"),
                        );
                    },
                )
            }),
        ),
        (
            "ECVRF prove (RFC 9381; inputs with equal try-and-increment attempts)",
            Box::new(move |budget, rng| {
                let fixed = ecvrf::SecretKey::from_bytes(fixed_vrf.as_bytes()).expect("key");
                measure(
                    budget,
                    1,
                    rng,
                    |r, class| {
                        let key = if class == 0 {
                            ecvrf::SecretKey::from_bytes(fixed.as_bytes()).expect("key")
                        } else {
                            ecvrf::SecretKey::generate(r)
                        };
                        let mut alpha = r.next_u64().to_le_bytes().to_vec();
                        while !first_attempt(key.public_key(), &alpha) {
                            alpha = r.next_u64().to_le_bytes().to_vec();
                        }
                        (key, alpha)
                    },
                    |(key, alpha)| {
                        black_box(key.prove(alpha).expect("prove"));
                    },
                )
            }),
        ),
    ]
}

fn main() {
    let seconds: u64 = std::env::var("KLEROTERION_DUDECT_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    // `cargo bench` passes `--bench`; any other argument filters by name.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let mut rng = ChaCha20Rng::from_entropy();
    println!("dudect: fixed (class 0) vs random (class 1) secrets, {seconds} s per operation");
    println!(
        "{:<74} {:>9} {:>11} {:>11} {:>7} {:>5}  verdict",
        "operation", "samples", "ns class0", "ns class1", "max|t|", "at"
    );
    for (name, run) in operations() {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let v = run(Duration::from_secs(seconds), &mut rng);
        let verdict = if v.max_t < 4.5 {
            "no leak detected"
        } else {
            "LEAK (|t| ≥ 4.5)"
        };
        println!(
            "{:<74} {:>9} {:>11.0} {:>11.0} {:>7.2} {:>5}  {verdict}",
            name, v.samples, v.means[0], v.means[1], v.max_t, v.at
        );
    }
}
