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

    /// The same value in lowest terms (`0/1` for zero).
    pub fn reduced(&self) -> Ratio {
        let zero = BigInt::from(0u8);
        let (mut a, mut b) = (abs(&self.num), self.den.clone());
        while b != zero {
            let r = &a % &b;
            a = b;
            b = r;
        }
        if a == zero || self.num == zero {
            return Ratio {
                num: zero,
                den: BigInt::from(1u8),
            };
        }
        Ratio {
            num: &self.num / &a,
            den: &self.den / &a,
        }
    }

    /// The value in decimal, truncated (never rounded up) after `digits`
    /// significant digits, with no more than 60 digits after the point;
    /// `exact` says whether nothing was cut. Exact integer arithmetic, for
    /// reports: `1/3` is `("0.333333", false)` for 6 digits, `1/40` is
    /// `("0.025", true)`.
    pub fn decimal(&self, digits: usize) -> (String, bool) {
        let zero = BigInt::from(0u8);
        let ten = BigInt::from(10u8);
        let negative = self.num < zero;
        let n = abs(&self.num);
        let int = &n / &self.den;
        let mut rem = &n % &self.den;
        let mut out = format!("{}{int}", if negative { "-" } else { "" });
        let mut significant = if int == zero {
            0
        } else {
            format!("{int}").len()
        };
        let mut fraction = String::new();
        let mut places = 0;
        while rem != zero && significant < digits && places < 60 {
            rem *= &ten;
            let d = &rem / &self.den;
            rem = &rem % &self.den;
            fraction.push_str(&format!("{d}"));
            places += 1;
            if significant > 0 || d != zero {
                significant += 1;
            }
        }
        if !fraction.is_empty() {
            out.push('.');
            out.push_str(&fraction);
        }
        (out, rem == zero)
    }

    /// `a/b (= d)` in lowest terms with its exact decimal, or `a/b (≈ d)`
    /// truncated to 6 significant digits when it does not end, or the
    /// integer alone (`0`, `1`) when it is one: the form of
    /// the fairness figures in reports.
    pub fn display_exact(&self) -> String {
        let r = self.reduced();
        if r.den == BigInt::from(1u8) {
            return format!("{}", r.num);
        }
        let (decimal, exact) = r.decimal(6);
        if exact {
            format!("{r} (= {decimal})")
        } else {
            format!("{r} (≈ {decimal})")
        }
    }
}

fn abs(n: &BigInt) -> BigInt {
    if *n < BigInt::from(0u8) {
        -n
    } else {
        n.clone()
    }
}

/// JSON and other serde forms: `{"num": "…", "den": "…"}`, the fraction in
/// lowest terms with both integers as decimal strings (they may exceed any
/// fixed-width integer), `den ≥ 1` (spec/json.md §7.3).
#[cfg(feature = "serde")]
impl serde::Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.reduced();
        let mut st = s.serialize_struct("Ratio", 2)?;
        st.serialize_field("num", &format!("{}", r.num))?;
        st.serialize_field("den", &format!("{}", r.den))?;
        st.end()
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
    use alloc::string::ToString;

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
    fn reduces_and_writes_decimals_exactly() {
        assert_eq!(r(6, 8).reduced().to_string(), "3/4");
        assert_eq!(r(0, 7).reduced().to_string(), "0/1");
        assert_eq!(r(-6, 4).reduced().to_string(), "-3/2");
        assert_eq!(r(1, 3).decimal(6), ("0.333333".into(), false));
        assert_eq!(r(1, 40).decimal(6), ("0.025".into(), true));
        assert_eq!(r(1, 7000).decimal(3), ("0.000142".into(), false));
        assert_eq!(r(5, 1).decimal(6), ("5".into(), true));
        assert_eq!(r(-1, 4).decimal(6), ("-0.25".into(), true));
        assert_eq!(r(2, 6).display_exact(), "1/3 (≈ 0.333333)");
        assert_eq!(r(3, 100).display_exact(), "3/100 (= 0.03)");
        assert_eq!(r(0, 100).display_exact(), "0");
        assert_eq!(r(4, 2).display_exact(), "2");
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let big = BigInt::from(u128::MAX);
        let a = Ratio::new(&big * &big, BigInt::from(3)).unwrap();
        let b = Ratio::new(&big * &big, BigInt::from(2)).unwrap();
        assert!(a < b);
    }
}
