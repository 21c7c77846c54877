//! The committed pool of a pool draw (spec/pool-draw.md §3): every
//! volunteer's key, category in every feature and household, from which a
//! verifier recomputes the cells, their counts and the [`Pool`] that checks
//! F2–F5 and F7 read.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use sha3::{Digest as _, Sha3_256};

use super::features::FeatureQuotas;
use super::pool::{Pool, PoolPerson};
use super::problem::{Cell, CellProblem};
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::roll::{CitizenKey, Digest, RollEntry, MAX_ATTRIBUTES};

/// Encoding version of [`PoolRoster`].
pub const POOL_ROSTER_VERSION: u8 = 1;
/// Domain of [`PoolRoster::commitment`].
pub const POOL_DOMAIN: &[u8] = b"kleroterion/fairness/pool/v1";

/// One volunteer of a [`PoolRoster`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RosterPerson {
    /// The person's key, as panels list it.
    pub key: CitizenKey,
    /// The person's category index in every feature, in the quotas'
    /// feature order.
    pub categories: Vec<u16>,
    /// The person's household value, when the quotas name a household
    /// attribute (spec/csv.md: a hash of the address columns).
    pub household: Option<[u8; 32]>,
}

/// The pool of a pool draw: `F` features and `n ≥ 1` people strictly
/// ascending by key (tag `0x37`, spec/pool-draw.md §3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PoolRoster {
    features: usize,
    people: Vec<RosterPerson>,
}

fn invalid(what: &'static str) -> Error {
    Error::InvalidParameter { what }
}

impl PoolRoster {
    /// A validated roster: `1 ≤ features ≤ 15`, at least one person, each
    /// with one category per feature, keys strictly ascending.
    pub fn new(features: usize, people: Vec<RosterPerson>) -> Result<Self> {
        if features == 0 || features >= MAX_ATTRIBUTES {
            return Err(invalid("a pool has 1 to 15 features"));
        }
        if people.is_empty() || u32::try_from(people.len()).is_err() {
            return Err(invalid("a pool holds 1 to 2^32 - 1 people"));
        }
        if people.iter().any(|p| p.categories.len() != features) {
            return Err(invalid("every pool member has one category per feature"));
        }
        let ascending = people.windows(2).all(|w| match w {
            [a, b] => a.key < b.key,
            _ => true,
        });
        if !ascending {
            return Err(invalid("pool members are strictly ascending by key"));
        }
        Ok(PoolRoster { features, people })
    }

    /// The roster of roll entries (e.g. a people file read by
    /// `fairness::csv`) under `quotas`: each entry's categories and, when
    /// the quotas name a household attribute, its 32-byte household value.
    /// People are sorted by key; a key twice is an error.
    pub fn from_entries(quotas: &FeatureQuotas, entries: &[RollEntry]) -> Result<Self> {
        let mut people = Vec::with_capacity(entries.len());
        for (index, e) in (0u64..).zip(entries) {
            let categories = quotas.categories_of(&quotas.cell_value(e, index)?)?;
            let household = match quotas.household_of(e, index)? {
                None => None,
                Some(v) => Some(
                    <[u8; 32]>::try_from(v)
                        .map_err(|_| invalid("a household value has 32 bytes"))?,
                ),
            };
            people.push(RosterPerson {
                key: *e.key(),
                categories,
                household,
            });
        }
        people.sort_by_key(|p| p.key);
        PoolRoster::new(quotas.features().len(), people)
    }

    /// The number of features `F`.
    pub fn features(&self) -> usize {
        self.features
    }

    /// The people, ascending by key.
    pub fn people(&self) -> &[RosterPerson] {
        &self.people
    }

    /// `SHA3-256(lp(POOL_DOMAIN) ‖ enc(roster))`, the pool commitment of a
    /// panel announcement.
    pub fn commitment(&self) -> Digest {
        let mut w = Writer::new();
        w.bytes(POOL_DOMAIN);
        self.encode(&mut w);
        Digest(Sha3_256::digest(w.into_bytes()).into())
    }

    /// Checks that the roster fits `quotas` (check P9): as many features,
    /// every category index within its feature, and a household for every
    /// person exactly when the quotas name a household attribute.
    pub fn check_fits(&self, quotas: &FeatureQuotas) -> Result<()> {
        let features = quotas.features();
        if features.len() != self.features {
            return Err(invalid(
                "the pool has another number of features than the quotas",
            ));
        }
        let wants_household = quotas.household().is_some();
        for p in &self.people {
            let in_range = p
                .categories
                .iter()
                .zip(features)
                .all(|(&c, f)| usize::from(c) < f.categories.len());
            if !in_range {
                return Err(invalid(
                    "a pool member names a category its feature does not have",
                ));
            }
            if p.household.is_some() != wants_household {
                return Err(invalid(
                    "a pool member carries a household exactly when the quotas name one",
                ));
            }
        }
        Ok(())
    }

    /// The cell problem and the pool of spec/pool-draw.md §3: one cell per
    /// distinct category tuple, ascending, counting its people; each person
    /// (in roster order) in their cell, households numbered by ascending
    /// value. Fails unless [`check_fits`](Self::check_fits).
    pub fn problem(&self, quotas: &FeatureQuotas) -> Result<(CellProblem, Pool)> {
        self.check_fits(quotas)?;
        let mut cells: BTreeMap<&[u16], u64> = BTreeMap::new();
        let mut households: BTreeMap<[u8; 32], u64> = BTreeMap::new();
        for p in &self.people {
            *cells.entry(&p.categories).or_insert(0) += 1;
            if let Some(h) = p.household {
                households.insert(h, 0);
            }
        }
        for (i, id) in households.values_mut().enumerate() {
            *id = i as u64;
        }
        let index: BTreeMap<&[u16], u32> = cells.keys().zip(0u32..).map(|(k, i)| (*k, i)).collect();
        let mut people = Vec::with_capacity(self.people.len());
        for p in &self.people {
            let cell = *index
                .get(p.categories.as_slice())
                .ok_or(invalid("a pool member's cell is lost"))?;
            let household = p.household.and_then(|h| households.get(&h).copied());
            people.push(PoolPerson {
                key: p.key,
                cell,
                household,
            });
        }
        let problem = CellProblem {
            seats: quotas.seats(),
            quotas: quotas
                .features()
                .iter()
                .map(|f| f.categories.iter().map(|c| c.bounds).collect())
                .collect(),
            cells: cells
                .into_iter()
                .map(|(categories, eligible)| Cell {
                    categories: categories.to_vec(),
                    eligible,
                })
                .collect(),
        };
        Ok((problem, Pool { people }))
    }
}

impl Encode for PoolRoster {
    /// `0x37 ‖ 0x01 ‖ u32 F ‖ u32 n ‖ n × (key ‖ F × u16le(category) ‖
    /// household)`, `household = 0x00 | 0x01 ‖ value(32)`.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::PoolRoster, POOL_ROSTER_VERSION);
        w.len(self.features);
        w.len(self.people.len());
        for p in &self.people {
            p.key.encode(w);
            for c in &p.categories {
                w.raw(&c.to_le_bytes());
            }
            match &p.household {
                None => w.u8(0),
                Some(h) => {
                    w.u8(1);
                    w.raw(h);
                }
            }
        }
    }
}

impl Decode for PoolRoster {
    const NAME: &'static str = "pool roster";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::PoolRoster, &[POOL_ROSTER_VERSION], Self::NAME)?;
        let features = usize::try_from(r.u32("features")?)
            .map_err(|_| invalid("a pool has 1 to 15 features"))?;
        if features == 0 || features >= MAX_ATTRIBUTES {
            return Err(invalid("a pool has 1 to 15 features"));
        }
        // The smallest person: key, F categories, the household flag.
        let n = r.len(33 + 2 * features, "pool members")?;
        let mut people = Vec::with_capacity(n);
        for _ in 0..n {
            let key = CitizenKey::decode(r)?;
            let mut categories = Vec::with_capacity(features);
            for _ in 0..features {
                categories.push(u16::from_le_bytes(r.array("category")?));
            }
            let household = match r.u8("household")? {
                0 => None,
                1 => Some(r.array::<32>("household")?),
                _ => return Err(invalid("household flag is 0 or 1")),
            };
            people.push(RosterPerson {
                key,
                categories,
                household,
            });
        }
        PoolRoster::new(features, people)
    }
}

crate::impl_serde_via_encoding!(PoolRoster);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::{Category, Feature, QuotaBounds};
    use crate::roll::Attribute;
    use alloc::vec;

    pub(crate) fn key(i: u64) -> CitizenKey {
        use curve25519_dalek::{RistrettoPoint, Scalar};
        let point = RistrettoPoint::mul_base(&Scalar::from(i + 1));
        CitizenKey::new(point.compress().to_bytes()).unwrap()
    }

    fn quotas(household: bool) -> FeatureQuotas {
        let q = QuotaBounds { min: 1, max: 1 };
        let feature = |label: &str| Feature {
            label: label.into(),
            categories: vec![
                Category {
                    value: b"a".to_vec(),
                    bounds: q,
                },
                Category {
                    value: b"b".to_vec(),
                    bounds: q,
                },
            ],
        };
        FeatureQuotas::new(2, vec![feature("g")], household.then(|| "household".into())).unwrap()
    }

    fn entries(household: bool) -> Vec<RollEntry> {
        (0..4u64)
            .map(|i| {
                let mut attrs = vec![Attribute::new(
                    "g",
                    if i % 2 == 0 {
                        b"a".to_vec()
                    } else {
                        b"b".to_vec()
                    },
                )
                .unwrap()];
                if household {
                    attrs.push(Attribute::new("household", vec![(i / 2) as u8; 32]).unwrap());
                }
                RollEntry::new(key(i), attrs).unwrap()
            })
            .collect()
    }

    #[test]
    fn roster_round_trips_and_gives_cells() {
        let q = quotas(true);
        let roster = PoolRoster::from_entries(&q, &entries(true)).unwrap();
        let bytes = roster.to_bytes();
        assert_eq!(bytes.first(), Some(&0x37));
        assert_eq!(PoolRoster::from_bytes(&bytes).unwrap(), roster);
        let (problem, pool) = roster.problem(&q).unwrap();
        assert_eq!(problem.cells.len(), 2);
        assert!(problem.cells.iter().all(|c| c.eligible == 2));
        pool.validate(&problem).unwrap();
        // Trailing bytes, another version, a forged count.
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            PoolRoster::from_bytes(&long),
            Err(Error::TrailingBytes { .. })
        ));
        let mut v2 = bytes.clone();
        v2[1] = 2;
        assert!(matches!(
            PoolRoster::from_bytes(&v2),
            Err(Error::UnsupportedVersion { .. })
        ));
        let mut huge = bytes.clone();
        huge[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            PoolRoster::from_bytes(&huge),
            Err(Error::UnexpectedEnd { .. })
        ));
    }

    #[test]
    fn roster_rejects_unsorted_keys_and_misfits() {
        let q = quotas(false);
        let roster = PoolRoster::from_entries(&q, &entries(false)).unwrap();
        let mut people = roster.people().to_vec();
        people.swap(0, 1);
        assert!(PoolRoster::new(1, people.clone()).is_err());
        people.swap(0, 1);
        people.push(people[0].clone());
        assert!(PoolRoster::new(1, people).is_err());
        // A household the quotas do not name, a category out of range.
        assert!(roster.check_fits(&quotas(true)).is_err());
        let mut out = roster.people().to_vec();
        out[0].categories[0] = 2;
        let bad = PoolRoster::new(1, out).unwrap();
        assert!(bad.problem(&q).is_err());
    }
}
