//! Exact non-negative rationals for the fairness certificate check
//! (spec/fairness.md §6): big-integer numerator and denominator, so that
//! no input, however hostile, can overflow.

use alloc::format;
use alloc::string::String;
use core::cmp::Ordering;
use core::fmt;

use num_bigint::BigInt;

/// An exact rational `num / den` with `den > 0` (not necessarily reduced).
#[derive(Clone, Debug)]
pub struct Ratio {
    num: BigInt,
    den: BigInt,
}

impl Ratio {
    /// `num / den`; `None` when `den` is not positive.
    pub fn new(num: BigInt, den: BigInt) -> Option<Self> {
        (den > BigInt::from(0u8)).then_some(Ratio { num, den })
    }

    /// The numerator.
    pub fn numer(&self) -> &BigInt {
        &self.num
    }

    /// The (positive) denominator.
    pub fn denom(&self) -> &BigInt {
        &self.den
    }

    /// `self − other`, exactly.
    pub fn sub(&self, other: &Ratio) -> Ratio {
        Ratio {
            num: &self.num * &other.den - &other.num * &self.den,
            den: &self.den * &other.den,
        }
    }

    /// The value as an `f64`, for messages and reports only (never for a
    /// decision).
    pub fn approx(&self) -> f64 {
        let digits = |b: &BigInt| {
            let s = format!("{b}");
            s.parse::<f64>().unwrap_or(f64::NAN)
        };
        digits(&self.num) / digits(&self.den)
    }

    /// `num/den (≈ decimal)`, the form used in check messages.
    pub fn describe(&self) -> String {
        format!("{}/{} (≈ {:.6})", self.num, self.den, self.approx())
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    /// Denominators are positive, so cross-multiplication orders exactly.
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Ratio {
        Ratio::new(BigInt::from(n), BigInt::from(d)).unwrap()
    }

    #[test]
    fn orders_and_subtracts_exactly() {
        assert!(r(1, 3) < r(34, 100));
        assert_eq!(r(2, 6), r(1, 3));
        assert_eq!(r(1, 2).sub(&r(1, 3)), r(1, 6));
        assert!(r(-1, 5) < r(0, 1));
        assert!(Ratio::new(BigInt::from(1), BigInt::from(0)).is_none());
        assert!(Ratio::new(BigInt::from(1), BigInt::from(-2)).is_none());
        assert_eq!(r(1, 4).describe(), "1/4 (≈ 0.250000)");
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let big = BigInt::from(u128::MAX);
        let a = Ratio::new(&big * &big, BigInt::from(3)).unwrap();
        let b = Ratio::new(&big * &big, BigInt::from(2)).unwrap();
        assert!(a < b);
    }
}
