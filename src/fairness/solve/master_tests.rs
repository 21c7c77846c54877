//! The dense master against microlp's, and its optimality checked by its
//! own dual (weak and strong duality), on random and degenerate columns.

use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::fairness::solve::maximin::master_primal;

/// `Σ_k w_k z_k/size_k` for each column.
fn values(sizes: &[u64], columns: &[Vec<u32>], w: &[f64]) -> Vec<f64> {
    columns
        .iter()
        .map(|c| {
            c.iter()
                .zip(w)
                .zip(sizes)
                .map(|((&s, w), &size)| f64::from(s) * w / size as f64)
                .sum()
        })
        .collect()
}

/// The smallest class probability of `λ` over `columns`.
fn level_of(sizes: &[u64], columns: &[Vec<u32>], lambda: &[f64]) -> f64 {
    (0..sizes.len())
        .map(|k| {
            columns
                .iter()
                .zip(lambda)
                .map(|(c, l)| l * f64::from(c[k]))
                .sum::<f64>()
                / sizes[k] as f64
        })
        .fold(f64::INFINITY, f64::min)
}

/// The master's primal and dual are feasible, their values agree (so
/// both are optimal), and the value is microlp's.
fn check(sizes: &[u64], columns: &[Vec<u32>], master: &Master) {
    let lambda = master.lambda();
    let dual = master.dual();
    assert_eq!(lambda.len(), columns.len());
    assert!(lambda.iter().all(|&l| l >= 0.0));
    assert!((lambda.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    let primal = level_of(sizes, columns, &lambda);
    assert!(
        (primal - dual.value).abs() < 1e-9,
        "{primal} vs {}",
        dual.value
    );
    assert!(dual.weights.iter().all(|&y| y >= 0.0));
    assert!((dual.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    for v in values(sizes, columns, &dual.weights) {
        assert!(
            v <= dual.z + 1e-9,
            "a column prices above z: {v} > {}",
            dual.z
        );
    }
    assert!((dual.z - dual.value).abs() < 1e-9);
    let (_, reference) = master_primal(sizes, columns, &vec![None; sizes.len()]).unwrap();
    assert!(
        (reference - dual.value).abs() < 1e-8,
        "microlp {reference} vs {}",
        dual.value
    );
}

fn instance() -> impl Strategy<Value = (Vec<u64>, Vec<Vec<u32>>)> {
    (1usize..9, 1usize..14).prop_flat_map(|(n, j)| {
        proptest::collection::vec(1u64..6, n).prop_flat_map(move |sizes| {
            let col: Vec<_> = sizes.iter().map(|&s| 0u32..=s as u32).collect();
            (Just(sizes.clone()), proptest::collection::vec(col, j))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Built at once, the master is optimal and agrees with microlp.
    #[test]
    fn the_master_is_optimal((sizes, columns) in instance()) {
        let master = Master::new(&sizes, &columns).unwrap();
        check(&sizes, &columns, &master);
    }

    /// Columns added one by one (the column generation's use) leave it
    /// optimal after every addition.
    #[test]
    fn columns_added_one_by_one_keep_it_optimal((sizes, columns) in instance()) {
        let mut master = Master::new(&sizes, &columns[..1]).unwrap();
        check(&sizes, &columns[..1], &master);
        for j in 1..columns.len() {
            master.add(&sizes, &columns[j]).unwrap();
            check(&sizes, &columns[..=j], &master);
        }
    }
}

/// Every class at the same level for every column: the most degenerate
/// master (every surplus at 0), and repeated columns.
#[test]
fn degenerate_and_repeated_columns() {
    let sizes = vec![2, 4, 6, 2];
    let columns = vec![
        vec![1, 2, 3, 1],
        vec![1, 2, 3, 1],
        vec![2, 4, 6, 2],
        vec![0, 0, 0, 0],
        vec![1, 2, 3, 1],
    ];
    let master = Master::new(&sizes, &columns).unwrap();
    check(&sizes, &columns, &master);
    assert!((master.dual().value - 1.0).abs() < 1e-12);
}

/// A class no column seats: the level is 0, and the dual weight sits on
/// that class.
#[test]
fn an_uncovered_class_holds_the_level_at_zero() {
    let sizes = vec![3, 3, 3];
    let columns = vec![vec![3, 0, 0], vec![0, 3, 0], vec![1, 1, 0]];
    let master = Master::new(&sizes, &columns).unwrap();
    check(&sizes, &columns, &master);
    let dual = master.dual();
    assert!(dual.value.abs() < 1e-12);
    assert!((dual.weights[2] - 1.0).abs() < 1e-9);
}

/// The two-class game `max min(λ_0, 1 − λ_0)`: exactly one half each.
#[test]
fn a_two_column_game_splits_evenly() {
    let sizes = vec![1, 1];
    let columns = vec![vec![1, 0], vec![0, 1]];
    let master = Master::new(&sizes, &columns).unwrap();
    check(&sizes, &columns, &master);
    let lambda = master.lambda();
    assert!((lambda[0] - 0.5).abs() < 1e-12 && (lambda[1] - 0.5).abs() < 1e-12);
    let dual = master.dual();
    assert!((dual.weights[0] - 0.5).abs() < 1e-12);
}

/// A master without columns is refused, not a panic.
#[test]
fn no_column_is_an_error() {
    assert!(matches!(
        Master::new(&[1, 2], &[]),
        Err(SolveError::Solver(_))
    ));
}
