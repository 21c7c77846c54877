//! Where a verifier's independent jobs run: on every thread of the current
//! rayon pool (feature `rayon`) or one after the other on the calling thread
//! (spec/record.md §4.1).
//!
//! The jobs are the chunks of a ballot batch (each with its own
//! multiscalar multiplication and its own weight seed, drawn in chunk order
//! before any job runs), the partial sums of a tally and the columns of a
//! membership proof. Their results are collected in job order, so the
//! outcome — every verdict, every sum, every proof byte — is the same
//! whichever [`Parallelism`] runs them; the tests run both in one binary.
//!
//! # Example
//!
//! ```
//! use kleroterion::parallel::Parallelism;
//!
//! // The default runs a verifier's jobs on rayon's threads when the crate is
//! // built with `rayon`; `Sequential` runs the same jobs, with the same
//! // results, on the calling thread (for a single-threaded host, or to compare).
//! assert_eq!(Parallelism::default(), Parallelism::Parallel);
//! assert!(!Parallelism::Sequential.uses_threads());
//! ```

use alloc::vec::Vec;

/// How independent jobs are run. The default, [`Parallelism::Parallel`],
/// uses rayon when the crate is built with the `rayon` feature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Parallelism {
    /// On every thread of the current rayon pool with the `rayon` feature;
    /// without it, the same as [`Parallelism::Sequential`].
    #[default]
    Parallel,
    /// One after the other on the calling thread, in order.
    Sequential,
}

impl Parallelism {
    /// Whether jobs really run on rayon threads (`Parallel` with the
    /// `rayon` feature).
    pub fn uses_threads(self) -> bool {
        cfg!(feature = "rayon") && self == Parallelism::Parallel
    }

    /// `job(i, &items[i])` for every item, the results in item order.
    pub(crate) fn map<T, U, F>(self, items: &[T], job: F) -> Vec<U>
    where
        T: Sync,
        U: Send,
        F: Fn(usize, &T) -> U + Sync,
    {
        #[cfg(feature = "rayon")]
        if self.uses_threads() {
            use rayon::prelude::*;
            return items
                .par_iter()
                .enumerate()
                .map(|(i, item)| job(i, item))
                .collect();
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| job(i, item))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_give_the_same_results_in_order() {
        let items: Vec<u64> = (0..1000).collect();
        let job = |i: usize, x: &u64| (i as u64) * 1_000_003 + x * x;
        let seq = Parallelism::Sequential.map(&items, job);
        let par = Parallelism::Parallel.map(&items, job);
        assert_eq!(seq, par);
        assert_eq!(seq.len(), 1000);
        assert_eq!(seq[7], 7 * 1_000_003 + 49);
        assert!(Parallelism::Sequential.map(&[] as &[u64], job).is_empty());
        assert!(!Parallelism::Sequential.uses_threads());
        assert_eq!(
            Parallelism::Parallel.uses_threads(),
            cfg!(feature = "rayon")
        );
        assert_eq!(Parallelism::default(), Parallelism::Parallel);
    }
}
