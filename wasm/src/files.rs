//! The files a person selected or dropped, by relative path, and where the
//! record lies among them.
//!
//! A browser names a file of a selected folder by its path *including* the
//! folder's own name (`assembly-record/votes/harm/ballots.txt`), and dropped
//! files by their bare names; a person may also select a parent folder. The
//! record's root is therefore found, not assumed: the shallowest
//! `assembly.json` makes an assembly record, otherwise the shallowest
//! `pool-draw.json` a pool draw record, otherwise a single `record.json`
//! makes a vote record (layout of spec/record.md §7 and
//! `kleroterion::record::files`).

use std::collections::BTreeMap;

use kleroterion::record::files::{ASSEMBLY_FILE, POOL_DRAW_FILE, RECORD_FILE};

/// Selected files by normalised relative path (`/`-separated, no leading
/// `./` or `/`).
#[derive(Clone, Debug, Default)]
pub struct FileSet {
    files: BTreeMap<String, Vec<u8>>,
}

/// Where the record is among the files: its kind and its root prefix
/// (empty, or a path ending in `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// An assembly record: `assembly.json` at this prefix.
    Assembly(String),
    /// A single vote's directory: `record.json` at this prefix.
    Vote(String),
    /// A pool draw record (spec/pool-draw.md): `pool-draw.json` at this
    /// prefix.
    PoolDraw(String),
}

impl FileSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file; a later file with the same path replaces the earlier.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(normalise(path), bytes);
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was given.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total size of the files in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files
            .values()
            .map(|b| u64::try_from(b.len()).unwrap_or(u64::MAX))
            .fold(0, u64::saturating_add)
    }

    /// The paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The contents of the file at `path`.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The contents of a file the record requires, or a message naming it.
    pub fn require(&self, path: &str) -> Result<&[u8], String> {
        self.get(path)
            .ok_or_else(|| format!("{path} is missing from the selected files"))
    }

    /// Finds the record among the files (see the module documentation).
    pub fn root(&self) -> Result<Root, String> {
        if let Some(prefix) = self.shallowest(ASSEMBLY_FILE) {
            return Ok(Root::Assembly(prefix));
        }
        if let Some(prefix) = self.shallowest(POOL_DRAW_FILE) {
            return Ok(Root::PoolDraw(prefix));
        }
        let votes: Vec<String> = self.prefixes_of(RECORD_FILE).collect();
        match votes.as_slice() {
            [one] => Ok(Root::Vote(one.clone())),
            [] if self.files.is_empty() => Err(String::from("no files were selected")),
            [] => Err(format!(
                "neither {ASSEMBLY_FILE} nor {RECORD_FILE} is among the {} selected files: \
                 select a record folder (an assembly record, or one vote's folder)",
                self.files.len()
            )),
            several => Err(format!(
                "{} vote records ({}) but no {ASSEMBLY_FILE}: select the whole assembly \
                 record folder or a single vote's folder",
                several.len(),
                several
                    .iter()
                    .map(|p| format!("{p}{RECORD_FILE}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The prefixes under which a file named `name` occurs.
    fn prefixes_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = String> + 'a {
        self.files.keys().filter_map(move |path| {
            let prefix = path.strip_suffix(name)?;
            (prefix.is_empty() || prefix.ends_with('/')).then(|| prefix.to_owned())
        })
    }

    /// The prefix of the least nested file named `name` (the first in
    /// path order among equally nested ones).
    fn shallowest(&self, name: &str) -> Option<String> {
        self.prefixes_of(name)
            .min_by_key(|p| p.matches('/').count())
    }
}

/// `\` becomes `/`; leading `/` and `./` are dropped.
fn normalise(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    loop {
        if let Some(rest) = p.strip_prefix("./") {
            p = rest.to_owned();
        } else if let Some(rest) = p.strip_prefix('/') {
            p = rest.to_owned();
        } else {
            return p;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[&str]) -> FileSet {
        let mut s = FileSet::new();
        for p in paths {
            s.insert(p, Vec::new());
        }
        s
    }

    #[test]
    fn finds_an_assembly_record_under_its_folder_name() {
        let s = set(&[
            "rec/assembly.json",
            "rec/roll.txt",
            "rec/votes/harm/record.json",
            "rec/votes/harm/ballots.txt",
        ]);
        assert_eq!(s.root(), Ok(Root::Assembly("rec/".into())));
        let s = set(&["assembly.json", "votes/harm/record.json"]);
        assert_eq!(s.root(), Ok(Root::Assembly(String::new())));
    }

    #[test]
    fn the_shallowest_assembly_wins() {
        let s = set(&[
            "a/b/assembly.json",
            "a/assembly.json",
            "z/c/d/assembly.json",
        ]);
        assert_eq!(s.root(), Ok(Root::Assembly("a/".into())));
    }

    #[test]
    fn finds_a_single_vote_and_refuses_several() {
        let s = set(&["./harm/record.json", "harm/ballots.txt"]);
        assert_eq!(s.root(), Ok(Root::Vote("harm/".into())));
        let s = set(&["record.json"]);
        assert_eq!(s.root(), Ok(Root::Vote(String::new())));
        let s = set(&["v/a/record.json", "v/b/record.json"]);
        let err = s.root().unwrap_err();
        assert!(err.contains("2 vote records"), "{err}");
    }

    #[test]
    fn finds_a_pool_draw() {
        let s = set(&["draw/pool-draw.json", "draw/anchors.json"]);
        assert_eq!(s.root(), Ok(Root::PoolDraw("draw/".into())));
    }

    #[test]
    fn names_what_is_missing() {
        assert_eq!(set(&[]).root(), Err("no files were selected".into()));
        let err = set(&["notes.txt", "xassembly.json"]).root().unwrap_err();
        assert!(
            err.contains("neither assembly.json nor record.json"),
            "{err}"
        );
        assert_eq!(
            set(&["a"]).require("b"),
            Err("b is missing from the selected files".into())
        );
    }

    #[test]
    fn normalises_paths() {
        assert_eq!(normalise(".\\rec\\assembly.json"), "rec/assembly.json");
        assert_eq!(normalise("/./rec/x"), "rec/x");
        let mut s = FileSet::new();
        s.insert("a", vec![1, 2]);
        s.insert("./a", vec![3]);
        assert_eq!(
            (s.len(), s.total_bytes(), s.get("a")),
            (1, 1, Some(&[3u8][..]))
        );
    }
}
