//! The fairness certificate (spec/fairness.md §6): an LP dual solution over
//! one common denominator that bounds the maximin selection probability,
//! and the gap the organiser announces between that bound and the lottery.

use alloc::vec::Vec;

use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};

/// The dual values of one cell, times the denominator: `W_c` (the weight
/// of the cell's constraint `x_c ≥ t·e_c`) and `Δ_c` (of `x_c ≤ e_c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CellDual {
    /// `W_c ≥ 0`.
    pub weight: u128,
    /// `Δ_c ≥ 0`.
    pub slack: u128,
}

/// The dual values of one category, times the denominator: `A_fv` (of the
/// constraint `Σ x ≤ max`) and `B_fv` (of `Σ x ≥ min`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CategoryDual {
    /// `A_fv ≥ 0`, the multiplier of the category's max.
    pub upper: u128,
    /// `B_fv ≥ 0`, the multiplier of the category's min.
    pub lower: u128,
}

/// A dual solution of the cell relaxation, every value an integer over the
/// common denominator `D`, with the announced gap `gap_num / gap_den`.
///
/// It proves that no distribution over feasible panels gives everyone a
/// selection probability above
/// `B = (G·K + Σ A_fv·max_fv − Σ B_fv·min_fv + Σ Δ_c·e_c) / D`
/// whenever `Σ W_c·e_c = D` and `W_c ≤ G + Σ_f (A_{f,c_f} − B_{f,c_f}) + Δ_c`
/// for every cell (checks F4 and F5).
///
/// With serde it is its canonical encoding (tag `0x39`), hex in JSON
/// (spec/json.md §4.3): exact, without JSON numbers beyond `u64`, and
/// read through the same decoder as binary input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FairnessCertificate {
    /// `D > 0`.
    pub denominator: u128,
    /// `G`, the multiplier of `Σ x_c = K` (any sign).
    pub gamma: i128,
    /// Per cell, aligned with [`super::CellProblem::cells`].
    pub cells: Vec<CellDual>,
    /// Per feature, per category, aligned with
    /// [`super::CellProblem::quotas`].
    pub categories: Vec<Vec<CategoryDual>>,
    /// Numerator of the announced gap `B − p_min`.
    pub gap_num: u128,
    /// Denominator of the announced gap (`> 0`).
    pub gap_den: u128,
}

crate::impl_serde_via_encoding!(FairnessCertificate);

/// Domain of [`FairnessCertificate::commitment`].
pub const CERTIFICATE_DOMAIN: &[u8] = b"kleroterion/fairness/certificate/v1";

impl FairnessCertificate {
    /// `SHA3-256(lp(CERTIFICATE_DOMAIN) ‖ enc(certificate))`, the
    /// certificate commitment of a panel announcement (spec/pool-draw.md
    /// §1–§2): the announced gap cannot be loosened after the draw.
    pub fn commitment(&self) -> crate::roll::Digest {
        use sha3::{Digest as _, Sha3_256};
        let mut w = Writer::new();
        w.bytes(CERTIFICATE_DOMAIN);
        self.encode(&mut w);
        crate::roll::Digest(Sha3_256::digest(w.into_bytes()).into())
    }
}

fn u128_le(w: &mut Writer, v: u128) {
    w.raw(&v.to_le_bytes());
}

fn read_u128(r: &mut Reader<'_>, what: &'static str) -> Result<u128> {
    Ok(u128::from_le_bytes(r.array::<16>(what)?))
}

impl Encode for FairnessCertificate {
    /// `0x39 ‖ 0x01 ‖ u128 D ‖ i128 G ‖ u32 n ‖ n × (u128 W ‖ u128 Δ) ‖
    /// u32 F ‖ F × (u32 V ‖ V × (u128 A ‖ u128 B)) ‖ u128 gap_num ‖
    /// u128 gap_den`, every integer little-endian, `G` two's complement.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::FairnessCertificate, 1);
        u128_le(w, self.denominator);
        w.raw(&self.gamma.to_le_bytes());
        w.len(self.cells.len());
        for c in &self.cells {
            u128_le(w, c.weight);
            u128_le(w, c.slack);
        }
        w.len(self.categories.len());
        for f in &self.categories {
            w.len(f.len());
            for v in f {
                u128_le(w, v.upper);
                u128_le(w, v.lower);
            }
        }
        u128_le(w, self.gap_num);
        u128_le(w, self.gap_den);
    }
}

impl Decode for FairnessCertificate {
    const NAME: &'static str = "fairness certificate";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        const N: &str = FairnessCertificate::NAME;
        r.header(Tag::FairnessCertificate, &[1], N)?;
        let denominator = read_u128(r, N)?;
        let gamma = i128::from_le_bytes(r.array::<16>(N)?);
        let n = r.len(32, N)?;
        let mut cells = Vec::with_capacity(n);
        for _ in 0..n {
            let weight = read_u128(r, N)?;
            let slack = read_u128(r, N)?;
            cells.push(CellDual { weight, slack });
        }
        let features = r.len(4, N)?;
        let mut categories = Vec::with_capacity(features);
        for _ in 0..features {
            let v = r.len(32, N)?;
            let mut f = Vec::with_capacity(v);
            for _ in 0..v {
                let upper = read_u128(r, N)?;
                let lower = read_u128(r, N)?;
                f.push(CategoryDual { upper, lower });
            }
            categories.push(f);
        }
        let gap_num = read_u128(r, N)?;
        let gap_den = read_u128(r, N)?;
        if denominator == 0 || gap_den == 0 {
            return Err(Error::InvalidParameter {
                what: "a fairness certificate's denominators are positive",
            });
        }
        Ok(FairnessCertificate {
            denominator,
            gamma,
            cells,
            categories,
            gap_num,
            gap_den,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn sample() -> FairnessCertificate {
        FairnessCertificate {
            denominator: 12,
            gamma: -3,
            cells: vec![
                CellDual {
                    weight: 1,
                    slack: 0,
                },
                CellDual {
                    weight: 2,
                    slack: 5,
                },
            ],
            categories: vec![vec![
                CategoryDual { upper: 4, lower: 0 },
                CategoryDual { upper: 0, lower: 7 },
            ]],
            gap_num: 1,
            gap_den: 100,
        }
    }

    #[test]
    fn encoding_round_trips() {
        let c = sample();
        let bytes = c.to_bytes();
        assert_eq!(&bytes[..2], &[0x39, 0x01]);
        assert_eq!(bytes.len(), 2 + 32 + 4 + 2 * 32 + 4 + 4 + 2 * 32 + 32);
        assert_eq!(FairnessCertificate::from_bytes(&bytes).unwrap(), c);
        assert_eq!(i128::from_le_bytes(bytes[18..34].try_into().unwrap()), -3);
    }

    #[test]
    fn zero_denominators_and_truncation_are_rejected() {
        let mut c = sample();
        c.denominator = 0;
        assert!(FairnessCertificate::from_bytes(&c.to_bytes()).is_err());
        let mut c = sample();
        c.gap_den = 0;
        assert!(FairnessCertificate::from_bytes(&c.to_bytes()).is_err());
        let bytes = sample().to_bytes();
        assert!(FairnessCertificate::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_is_the_hex_of_the_encoding() {
        use alloc::format;
        let c = sample();
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(text, format!("\"{}\"", hex::encode(c.to_bytes())));
        assert_eq!(
            serde_json::from_str::<FairnessCertificate>(&text).unwrap(),
            c
        );
        let mut zero = c.clone();
        zero.denominator = 0;
        let bad = format!("\"{}\"", hex::encode(zero.to_bytes()));
        assert!(serde_json::from_str::<FairnessCertificate>(&bad).is_err());
    }
}
