//! The Sortition Foundation's CSV formats (`sortition-algorithms` 0.12):
//! features with min/max, people with feature columns, and the selected and
//! remaining lists (spec/csv.md). Feature `csv` (std).
//!
//! * [`read_features`] turns a features file into [`FeatureQuotas`];
//! * [`People::read`] turns a people file into roll entries (keys derived
//!   from the id column, households from the address columns) and keeps
//!   each row for the output;
//! * [`People::write_selected`] and [`People::write_remaining`] write the
//!   two output files of a draw.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use sha3::{Digest as _, Sha3_256};

use super::features::{Category, Feature, FeatureQuotas};
use super::problem::QuotaBounds;
use crate::error::Error;
use crate::roll::{Attribute, CitizenKey, RollEntry};

/// Domain separation tag of the person keys derived from ids.
pub const PERSON_KEY_DST: &[u8] = b"kleroterion-csv-person-key-v1";
/// Domain label of the household value derived from address columns.
pub const HOUSEHOLD_DOMAIN: &[u8] = b"kleroterion/csv/household/v1";
/// The roll attribute that carries the household value.
pub const HOUSEHOLD_LABEL: &str = "household";

/// Why a CSV file could not be read or written: the row or column and the
/// rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError(pub String);

impl core::fmt::Display for CsvError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CsvError {}

impl From<Error> for CsvError {
    fn from(e: Error) -> Self {
        CsvError(e.to_string())
    }
}

/// Results of this module.
pub type CsvResult<T> = core::result::Result<T, CsvError>;

fn bad(why: impl Into<String>) -> CsvError {
    CsvError(why.into())
}

fn csv_error(e: ::csv::Error) -> CsvError {
    bad(format!("CSV: {e}"))
}

/// The person key of an id: `hash_to_ristretto255(id, PERSON_KEY_DST)`
/// (RFC 9380, expand_message_xmd with SHA-512), so equal ids give equal
/// keys and nobody knows the secret key of a derived key.
pub fn person_key(id: &str) -> crate::error::Result<CitizenKey> {
    CitizenKey::from_point(&crate::hash::hash_to_point(PERSON_KEY_DST, id.as_bytes()))
}

/// The household value of an address:
/// `SHA3-256(lp(HOUSEHOLD_DOMAIN) ‖ lp(a_1) ‖ … ‖ lp(a_k))` over the
/// trimmed address cells, so that long addresses fit an attribute and
/// the roll does not publish them.
pub fn household_value(address: &[&str]) -> [u8; 32] {
    let mut w = crate::encoding::Writer::new();
    w.bytes(HOUSEHOLD_DOMAIN);
    for a in address {
        w.bytes(a.as_bytes());
    }
    Sha3_256::digest(w.into_bytes()).into()
}

/// A strict CSV reader over `input` (every row as long as the header) and
/// its header's column names, trimmed.
fn reader<R: Read>(input: R) -> CsvResult<(::csv::Reader<R>, Vec<String>)> {
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(input);
    let header = r
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    Ok((r, header))
}

/// Reads a features file: a header with `feature`, `value`, `min`, `max`
/// (or the older `category`, `name`, `min`, `max`), optionally `min_flex`
/// and `max_flex`, other columns ignored; one row per category. Cells are
/// trimmed; rows with an empty feature are skipped. Features keep the
/// order of their first row; categories are sorted by value. Flex bounds,
/// when present, must satisfy `min_flex ≤ min` and `max_flex ≥ max`; the
/// draw does not use them. `household`, if given, is the household label.
pub fn read_features(
    input: impl Read,
    seats: u32,
    household: Option<&str>,
) -> CsvResult<FeatureQuotas> {
    let (mut r, header) = reader(input)?;
    let col = |names: &[&str]| -> CsvResult<Option<usize>> {
        let found: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| names.contains(&h.as_str()))
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [i] => Ok(Some(*i)),
            _ => Err(bad(format!(
                "more than one column named {}",
                names.join(" or ")
            ))),
        }
    };
    let need = |names: &[&str]| {
        col(names)?.ok_or_else(|| bad(format!("no column named {}", names.join(" or "))))
    };
    let (fc, vc) = (need(&["feature", "category"])?, need(&["value", "name"])?);
    let (minc, maxc) = (need(&["min"])?, need(&["max"])?);
    let (minf, maxf) = (col(&["min_flex"])?, col(&["max_flex"])?);
    let mut order: Vec<String> = Vec::new();
    let mut cats: BTreeMap<String, BTreeMap<Vec<u8>, QuotaBounds>> = BTreeMap::new();
    for (row, rec) in r.records().enumerate() {
        let rec = rec.map_err(csv_error)?;
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        let feature = cell(fc);
        if feature.is_empty() {
            continue;
        }
        let number = |i: usize, what: &str| -> CsvResult<u32> {
            cell(i).parse::<u32>().map_err(|_| {
                bad(format!(
                    "row {}: {what} {:?} is not a count",
                    row + 2,
                    cell(i)
                ))
            })
        };
        let (value, min, max) = (cell(vc), number(minc, "min")?, number(maxc, "max")?);
        if value.is_empty() {
            return Err(bad(format!(
                "row {}: blank value of feature {feature}",
                row + 2
            )));
        }
        if let (Some(a), Some(b)) = (minf, maxf) {
            if number(a, "min_flex")? > min || number(b, "max_flex")? < max {
                return Err(bad(format!("row {}: flex bounds inside min..max", row + 2)));
            }
        }
        if !cats.contains_key(feature) {
            order.push(feature.to_string());
        }
        let b = QuotaBounds { min, max };
        if cats
            .entry(feature.to_string())
            .or_default()
            .insert(value.as_bytes().to_vec(), b)
            .is_some()
        {
            return Err(bad(format!(
                "row {}: {feature}/{value} is listed twice",
                row + 2
            )));
        }
    }
    let features = order
        .into_iter()
        .map(|label| {
            let categories = cats
                .remove(&label)
                .unwrap_or_default()
                .into_iter()
                .map(|(value, bounds)| Category { value, bounds })
                .collect();
            Feature { label, categories }
        })
        .collect();
    Ok(FeatureQuotas::new(
        seats,
        features,
        household.map(str::to_string),
    )?)
}

/// Which columns of a people file mean what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeopleColumns {
    /// The unique id column (the package's `id_column`).
    pub id: String,
    /// The address columns that identify a household
    /// (`check_same_address_columns`); empty for no household rule.
    pub address: Vec<String>,
    /// Columns copied to the output files (`columns_to_keep`).
    pub keep: Vec<String>,
}

/// One person of a people file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The id cell.
    pub id: String,
    /// The derived roll key ([`person_key`]).
    pub key: CitizenKey,
    /// Their household value, with address columns.
    pub household: Option<[u8; 32]>,
    /// The output columns' cells, aligned with [`People::output_columns`].
    pub output: Vec<String>,
}

/// A people file read against feature quotas: the roll entries (canonical
/// order) and each person's output row.
#[derive(Clone, Debug)]
pub struct People {
    columns: Vec<String>,
    people: BTreeMap<CitizenKey, Person>,
    entries: Vec<RollEntry>,
}

impl People {
    /// Reads a people file: a header naming the id column, every feature's
    /// column, the address and kept columns (each once); one row per
    /// person, cells trimmed, rows with an empty id skipped. Each person
    /// becomes a roll entry with key [`person_key`]`(id)`, one attribute
    /// per feature (label = feature label, value = the cell, which must be
    /// one of the feature's categories) and, with address columns, the
    /// attribute [`HOUSEHOLD_LABEL`] = [`household_value`]. Repeated ids
    /// are an error.
    pub fn read(
        input: impl Read,
        quotas: &FeatureQuotas,
        columns: &PeopleColumns,
    ) -> CsvResult<Self> {
        if columns.address.is_empty() != quotas.household().is_none() {
            return Err(bad(
                "address columns go with a household attribute in the quotas",
            ));
        }
        let (mut r, header) = reader(input)?;
        let at = |name: &str| -> CsvResult<usize> {
            let mut found = header
                .iter()
                .enumerate()
                .filter(|(_, h)| h.as_str() == name);
            match (found.next(), found.next()) {
                (Some((i, _)), None) => Ok(i),
                (None, _) => Err(bad(format!("no column {name:?} in the people file"))),
                _ => Err(bad(format!(
                    "more than one column {name:?} in the people file"
                ))),
            }
        };
        let id = at(&columns.id)?;
        let features: Vec<(usize, &str)> = quotas
            .features()
            .iter()
            .map(|f| Ok((at(&f.label)?, f.label.as_str())))
            .collect::<CsvResult<_>>()?;
        let address: Vec<usize> = columns
            .address
            .iter()
            .map(|c| at(c))
            .collect::<CsvResult<_>>()?;
        // The package's output columns: kept columns, then features not kept.
        let mut out_cols: Vec<String> = columns.keep.clone();
        for f in quotas.features() {
            if !out_cols.contains(&f.label) {
                out_cols.push(f.label.clone());
            }
        }
        let out_at: Vec<usize> = out_cols.iter().map(|c| at(c)).collect::<CsvResult<_>>()?;
        let mut people = BTreeMap::new();
        let mut entries = Vec::new();
        for (row, rec) in r.records().enumerate() {
            let rec = rec.map_err(csv_error)?;
            let cell = |i: usize| rec.get(i).unwrap_or("").trim();
            let pid = cell(id);
            if pid.is_empty() {
                continue;
            }
            let key = person_key(pid)?;
            let mut attrs = features
                .iter()
                .map(|&(i, label)| Attribute::new(label, cell(i)))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let household = (!address.is_empty()).then(|| {
                let cells: Vec<&str> = address.iter().map(|&i| cell(i)).collect();
                household_value(&cells)
            });
            if let Some(h) = household {
                attrs.push(Attribute::new(HOUSEHOLD_LABEL, h.to_vec())?);
            }
            let entry = RollEntry::new(key, attrs)?;
            // Every feature value must be a category (reported by row).
            quotas
                .cell_value(&entry, row as u64)
                .map_err(|e| bad(format!("person {pid:?} (row {}): {e}", row + 2)))?;
            let person = Person {
                id: pid.to_string(),
                key,
                household,
                output: out_at.iter().map(|&i| cell(i).to_string()).collect(),
            };
            if people.insert(key, person).is_some() {
                return Err(bad(format!("person id {pid:?} appears twice")));
            }
            entries.push(entry);
        }
        entries.sort_by_key(|e| *e.key());
        Ok(People {
            columns: out_cols,
            people,
            entries,
        })
    }

    /// The roll entries, in canonical (key) order.
    pub fn entries(&self) -> &[RollEntry] {
        &self.entries
    }

    /// The output columns after the id: kept columns, then the features not
    /// among them.
    pub fn output_columns(&self) -> &[String] {
        &self.columns
    }

    /// The person with roll key `key`.
    pub fn get(&self, key: &CitizenKey) -> Option<&Person> {
        self.people.get(key)
    }

    fn write_rows<'a>(
        &self,
        id_column: &str,
        rows: impl Iterator<Item = &'a Person>,
        out: impl Write,
    ) -> CsvResult<()> {
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec![id_column.to_string()];
        header.extend(self.columns.iter().cloned());
        w.write_record(&header).map_err(csv_error)?;
        for p in rows {
            let mut rec = vec![p.id.as_str()];
            rec.extend(p.output.iter().map(String::as_str));
            w.write_record(&rec).map_err(csv_error)?;
        }
        w.flush().map_err(|e| bad(e.to_string()))
    }

    /// Writes the selected file: a header (id column, output columns) and
    /// one row per selected key, in the given (seat) order.
    pub fn write_selected(
        &self,
        id_column: &str,
        selected: &[CitizenKey],
        out: impl Write,
    ) -> CsvResult<()> {
        let rows = selected
            .iter()
            .map(|k| {
                self.people
                    .get(k)
                    .ok_or_else(|| bad("a selected key is not in the people file"))
            })
            .collect::<CsvResult<Vec<_>>>()?;
        self.write_rows(id_column, rows.into_iter(), out)
    }

    /// Writes the remaining file: everyone not selected and, with
    /// households, not sharing a household with a selected person (as the
    /// package removes them), in roll (key) order.
    pub fn write_remaining(
        &self,
        id_column: &str,
        selected: &[CitizenKey],
        out: impl Write,
    ) -> CsvResult<()> {
        let chosen: BTreeSet<&CitizenKey> = selected.iter().collect();
        let homes: BTreeSet<[u8; 32]> = selected
            .iter()
            .filter_map(|k| self.people.get(k)?.household)
            .collect();
        let rows = self.people.values().filter(|p| {
            !chosen.contains(&p.key) && !p.household.is_some_and(|h| homes.contains(&h))
        });
        self.write_rows(id_column, rows, out)
    }
}

#[cfg(test)]
mod tests;
