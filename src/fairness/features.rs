//! Features and their quotas, and the census of a roll into cells
//! (spec/sortition.md §10).
//!
//! A [`FeatureQuotas`] names the panel size, the features (each a roll
//! attribute label with its categories and their seat bounds) and,
//! optionally, the attribute that identifies a household. A person's
//! **cell** is the tuple of their category indices, one per feature; its
//! canonical bytes ([`FeatureQuotas::cell_value`]) serve as the stratum
//! value of the draw, so the per-stratum machinery of
//! [`crate::sortition`] draws within cells unchanged.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;

use super::problem::{Cell, CellProblem, QuotaBounds};
use crate::civic::MAX_SEATS;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::roll::{check_label, CitizenKey, RollEntry, MAX_ATTRIBUTES, MAX_VALUE_LEN};
use crate::sortition::StratumCount;

/// Encoding version of [`FeatureQuotas`].
pub const FEATURE_QUOTAS_VERSION: u8 = 1;
/// Domain of [`FeatureQuotas::commitment`].
pub const QUOTAS_DOMAIN: &[u8] = b"kleroterion/fairness/quotas/v1";
/// Most categories one feature may have (category indices are `u16`).
pub const MAX_CATEGORIES: usize = 1024;

/// One category of a feature: the attribute value that places a person in
/// it, and its seat bounds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Category {
    /// The attribute value (0 to 255 bytes).
    #[cfg_attr(feature = "serde", serde(with = "crate::encoding::serde_bytes::raw"))]
    pub value: Vec<u8>,
    /// Fewest and most seats for the category.
    pub bounds: QuotaBounds,
}

/// A feature: the roll attribute it reads and its categories, strictly
/// ascending by value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Feature {
    /// The attribute label (spec/roll.md).
    pub label: String,
    /// Its categories, strictly ascending by value (bytewise).
    pub categories: Vec<Category>,
}

/// The quotas of a draw with several overlapping features
/// (spec/sortition.md §10.1).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "FeatureQuotasRepr"))]
pub struct FeatureQuotas {
    seats: u32,
    features: Vec<Feature>,
    household: Option<String>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct FeatureQuotasRepr {
    seats: u32,
    features: Vec<Feature>,
    household: Option<String>,
}

#[cfg(feature = "serde")]
impl TryFrom<FeatureQuotasRepr> for FeatureQuotas {
    type Error = Error;
    fn try_from(r: FeatureQuotasRepr) -> Result<Self> {
        FeatureQuotas::new(r.seats, r.features, r.household)
    }
}

fn invalid(what: &'static str) -> Error {
    Error::InvalidParameter { what }
}

impl FeatureQuotas {
    /// Validated quotas: `1 ≤ seats ≤ 150`; 1 to 15 features (16 attributes
    /// with the household) with distinct valid labels, each with 1 to
    /// [`MAX_CATEGORIES`] categories strictly ascending by value, values of
    /// at most 255 bytes, `min ≤ max`; a household label, when present,
    /// valid and distinct from every feature label.
    pub fn new(seats: u32, features: Vec<Feature>, household: Option<String>) -> Result<Self> {
        if seats == 0 || seats > MAX_SEATS {
            return Err(invalid("a panel has 1 to 150 seats"));
        }
        if features.is_empty() || features.len() >= MAX_ATTRIBUTES {
            return Err(invalid("a draw has 1 to 15 features"));
        }
        for f in &features {
            check_label(&f.label)?;
            if f.categories.is_empty() || f.categories.len() > MAX_CATEGORIES {
                return Err(invalid("a feature has 1 to 1024 categories"));
            }
            let ascending = f.categories.windows(2).all(|w| match w {
                [a, b] => a.value < b.value,
                _ => true,
            });
            if !ascending {
                return Err(invalid("categories must be strictly ascending by value"));
            }
            for c in &f.categories {
                if c.value.len() > MAX_VALUE_LEN {
                    return Err(invalid("a category value has at most 255 bytes"));
                }
                if c.bounds.min > c.bounds.max {
                    return Err(invalid("a category's min exceeds its max"));
                }
            }
        }
        let mut labels: Vec<&str> = features.iter().map(|f| f.label.as_str()).collect();
        if let Some(h) = &household {
            check_label(h)?;
            labels.push(h);
        }
        labels.sort_unstable();
        if labels.windows(2).any(|w| matches!(w, [a, b] if a == b)) {
            return Err(invalid("feature and household labels must be distinct"));
        }
        Ok(FeatureQuotas {
            seats,
            features,
            household,
        })
    }

    /// `SHA3-256(lp(QUOTAS_DOMAIN) ‖ enc(quotas))`, the quotas commitment
    /// of a panel announcement (spec/pool-draw.md §2).
    pub fn commitment(&self) -> crate::roll::Digest {
        use sha3::{Digest as _, Sha3_256};
        let mut w = Writer::new();
        w.bytes(QUOTAS_DOMAIN);
        self.encode(&mut w);
        crate::roll::Digest(Sha3_256::digest(w.into_bytes()).into())
    }

    /// Panel size `K`.
    pub fn seats(&self) -> u32 {
        self.seats
    }

    /// The features, in their committed order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The household attribute label, if at most one person per household
    /// may be seated.
    pub fn household(&self) -> Option<&str> {
        self.household.as_deref()
    }

    /// The category index of the entry at `index` in every feature, written
    /// as the cell value `u16be(c_1) ‖ … ‖ u16be(c_F)` into `out` (cleared
    /// first). Big-endian, so that bytewise order is the order of the
    /// category tuples.
    pub fn cell_value_into(&self, entry: &RollEntry, index: u64, out: &mut Vec<u8>) -> Result<()> {
        out.clear();
        for (fi, f) in self.features.iter().enumerate() {
            let v = entry
                .attribute(&f.label)
                .ok_or(Error::MissingAttribute { index })?;
            let c = f
                .categories
                .binary_search_by(|c| c.value.as_slice().cmp(v))
                .map_err(|_| Error::UnknownCategory {
                    index,
                    feature: fi as u32,
                })?;
            // c < MAX_CATEGORIES ≤ 2^16.
            out.extend_from_slice(&(c as u16).to_be_bytes());
        }
        Ok(())
    }

    /// [`cell_value_into`](Self::cell_value_into) into a fresh vector.
    pub fn cell_value(&self, entry: &RollEntry, index: u64) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(2 * self.features.len());
        self.cell_value_into(entry, index, &mut out)?;
        Ok(out)
    }

    /// The category tuple a cell value encodes, checked against the
    /// features (length and ranges).
    pub fn categories_of(&self, value: &[u8]) -> Result<Vec<u16>> {
        if value.len() != 2 * self.features.len() {
            return Err(invalid("a cell value has two bytes per feature"));
        }
        value
            .chunks_exact(2)
            .zip(&self.features)
            .map(|(b, f)| {
                let c = match b {
                    [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                    _ => return Err(invalid("a cell value has two bytes per feature")),
                };
                if usize::from(c) < f.categories.len() {
                    Ok(c)
                } else {
                    Err(invalid("a cell names a category its feature does not have"))
                }
            })
            .collect()
    }

    /// The entry's household value, when the quotas name a household
    /// attribute; an entry lacking it is [`Error::MissingAttribute`].
    pub fn household_of<'e>(&self, entry: &'e RollEntry, index: u64) -> Result<Option<&'e [u8]>> {
        match &self.household {
            None => Ok(None),
            Some(label) => entry
                .attribute(label)
                .map(Some)
                .ok_or(Error::MissingAttribute { index }),
        }
    }

    /// The quota problem of a census (spec/sortition.md §10.2): the cells of
    /// `counts` (ascending cell values, as a census lists them) that have
    /// at least one eligible person, in the same order.
    pub fn problem(&self, counts: &[StratumCount]) -> Result<CellProblem> {
        let mut cells = Vec::with_capacity(counts.len());
        for c in counts {
            let categories = self.categories_of(&c.value)?;
            if c.eligible > 0 {
                cells.push(Cell {
                    categories,
                    eligible: c.eligible,
                });
            }
        }
        let p = CellProblem {
            seats: self.seats,
            quotas: self
                .features
                .iter()
                .map(|f| f.categories.iter().map(|c| c.bounds).collect())
                .collect(),
            cells,
        };
        p.validate()?;
        Ok(p)
    }

    /// The cell census of a roll or pool (spec/sortition.md §10.2): one
    /// streaming pass giving each cell present its size and its eligible
    /// (not excluded, `exclusions` strictly ascending) count, ascending by
    /// cell value, in memory proportional to the number of cells.
    pub fn census<I>(&self, entries: I, exclusions: &[CitizenKey]) -> Result<Vec<StratumCount>>
    where
        I: IntoIterator,
        I::Item: Borrow<RollEntry>,
    {
        let mut counter = CellCounter::new(self);
        for (index, e) in (0u64..).zip(entries) {
            let e = e.borrow();
            counter.count(e, index, exclusions.binary_search(e.key()).is_err())?;
        }
        Ok(counter.finish())
    }
}

/// Streaming cell counts: size and eligible count per cell value, and each
/// eligible entry's rank in its cell.
#[derive(Clone, Debug)]
pub struct CellCounter<'a> {
    quotas: &'a FeatureQuotas,
    cells: BTreeMap<Vec<u8>, (u64, u64)>,
    buf: Vec<u8>,
}

impl<'a> CellCounter<'a> {
    /// An empty count.
    pub fn new(quotas: &'a FeatureQuotas) -> Self {
        CellCounter {
            quotas,
            cells: BTreeMap::new(),
            buf: Vec::new(),
        }
    }

    /// Counts the entry at `index`; returns its cell value and, if it is
    /// eligible, its rank among the cell's eligible entries so far.
    pub fn count(
        &mut self,
        entry: &RollEntry,
        index: u64,
        eligible: bool,
    ) -> Result<(&[u8], Option<u64>)> {
        self.quotas.cell_value_into(entry, index, &mut self.buf)?;
        if !self.cells.contains_key(self.buf.as_slice()) {
            self.cells.insert(self.buf.clone(), (0, 0));
        }
        let counts = self
            .cells
            .get_mut(self.buf.as_slice())
            .ok_or(invalid("cell count lost"))?;
        counts.0 = counts.0.saturating_add(1);
        let rank = eligible.then_some(counts.1);
        counts.1 = counts.1.saturating_add(u64::from(eligible));
        Ok((&self.buf, rank))
    }

    /// The counts, ascending by cell value.
    pub fn finish(self) -> Vec<StratumCount> {
        self.cells
            .into_iter()
            .map(|(value, (size, eligible))| StratumCount {
                value,
                size,
                eligible,
            })
            .collect()
    }
}

impl Encode for FeatureQuotas {
    /// `0x35 ‖ 0x01 ‖ u32 seats ‖ u32 F ‖ F × (lp(label) ‖ u32 C ‖ C ×
    /// (lp(value) ‖ u32 min ‖ u32 max)) ‖ household` with `household =
    /// 0x00 | 0x01 ‖ lp(label)` (spec/sortition.md §10.1).
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::FeatureQuotas, FEATURE_QUOTAS_VERSION);
        w.u32(self.seats);
        w.len(self.features.len());
        for f in &self.features {
            w.bytes(f.label.as_bytes());
            w.len(f.categories.len());
            for c in &f.categories {
                w.bytes(&c.value);
                w.u32(c.bounds.min);
                w.u32(c.bounds.max);
            }
        }
        match &self.household {
            None => w.u8(0),
            Some(h) => {
                w.u8(1);
                w.bytes(h.as_bytes());
            }
        }
    }
}

fn read_label(r: &mut Reader<'_>) -> Result<String> {
    let b = r.bytes("attribute label")?;
    let s = core::str::from_utf8(b).map_err(|_| invalid("attribute label is not ASCII"))?;
    check_label(s)?;
    Ok(String::from(s))
}

impl Decode for FeatureQuotas {
    const NAME: &'static str = "feature quotas";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::FeatureQuotas, &[FEATURE_QUOTAS_VERSION], Self::NAME)?;
        let seats = r.u32("seats")?;
        let nf = r.len(8, "features")?;
        if nf >= MAX_ATTRIBUTES {
            return Err(invalid("a draw has 1 to 15 features"));
        }
        let mut features = Vec::with_capacity(nf);
        for _ in 0..nf {
            let label = read_label(r)?;
            let nc = r.len(12, "categories")?;
            if nc > MAX_CATEGORIES {
                return Err(invalid("a feature has 1 to 1024 categories"));
            }
            let mut categories = Vec::with_capacity(nc);
            for _ in 0..nc {
                let value = r.bytes("category value")?.to_vec();
                let min = r.u32("min")?;
                let max = r.u32("max")?;
                categories.push(Category {
                    value,
                    bounds: QuotaBounds { min, max },
                });
            }
            features.push(Feature { label, categories });
        }
        let household = match r.u8("household")? {
            0 => None,
            1 => Some(read_label(r)?),
            _ => return Err(invalid("household flag is 0 or 1")),
        };
        FeatureQuotas::new(seats, features, household)
    }
}

#[cfg(test)]
mod tests;
