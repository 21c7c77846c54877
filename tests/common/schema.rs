//! Validation against the JSON Schemas of `spec/schema/` (spec/json.md §7),
//! shared by `tests/schema.rs`, `tests/conformance.rs` and the CLI's tests
//! (`cli/tests/cli.rs`), which include this file by path.
//!
//! Every `*.schema.json` under `spec/schema/` is loaded from disk and
//! registered under its `$id` (the `$id`s are names, never fetched: the
//! validator, boon, is given no network loader). A schema is named by its
//! path relative to `spec/schema/`, optionally with a JSON-pointer fragment
//! (`sortition.schema.json#/$defs/DrawAnnouncement`).

// Each test binary uses a part of these helpers.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The base of every schema's `$id`; a schema file `F` of `spec/schema/`
/// has the id `ID_BASE + F`.
pub const ID_BASE: &str = "https://kleroterion.example/schema/1/";

/// `spec/schema/` of the workspace, from the root crate or from `cli/`.
pub fn schema_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|d| d.join("spec/schema"))
        .find(|d| d.is_dir())
        .expect("spec/schema/ above CARGO_MANIFEST_DIR")
}

/// Every schema file under `dir`, as paths relative to it (`/`-separated).
pub fn schema_files(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .expect("read spec/schema")
            .map(|e| e.expect("directory entry"))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.path().is_dir() {
                walk(&e.path(), &format!("{name}/"), out);
            } else if name.ends_with(".schema.json") {
                out.push(name);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out
}

/// The compiled schemas of `spec/schema/`.
pub struct Validator {
    compiler: boon::Compiler,
    schemas: boon::Schemas,
    compiled: BTreeMap<String, boon::SchemaIndex>,
}

impl Validator {
    /// Loads every schema file and checks its `$id` and `$schema`.
    fn load() -> Self {
        let dir = schema_dir();
        let mut compiler = boon::Compiler::new();
        for f in schema_files(&dir) {
            let text = fs::read_to_string(dir.join(&f)).expect("read schema");
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{f} is not JSON: {e}"));
            assert_eq!(
                value["$id"],
                format!("{ID_BASE}{f}"),
                "{f}: $id must be its path under spec/schema/"
            );
            assert_eq!(
                value["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{f}: every schema is draft 2020-12"
            );
            compiler
                .add_resource(&format!("{ID_BASE}{f}"), value)
                .unwrap_or_else(|e| panic!("{f}: {e}"));
        }
        Validator {
            compiler,
            schemas: boon::Schemas::new(),
            compiled: BTreeMap::new(),
        }
    }

    /// Compiles `name` (once): a path under `spec/schema/`, optionally with
    /// a fragment. Compiling checks the schema against the 2020-12
    /// metaschema and resolves every `$ref`.
    fn index(&mut self, name: &str) -> boon::SchemaIndex {
        if let Some(i) = self.compiled.get(name) {
            return *i;
        }
        let i = self
            .compiler
            .compile(&format!("{ID_BASE}{name}"), &mut self.schemas)
            .unwrap_or_else(|e| panic!("schema {name} does not compile: {e:#}"));
        self.compiled.insert(name.to_string(), i);
        i
    }

    /// Validates `value` against schema `name`: `Err` with boon's
    /// description of every violation.
    pub fn check(&mut self, name: &str, value: &Value) -> Result<(), String> {
        let i = self.index(name);
        self.schemas
            .validate(value, i)
            .map_err(|e| format!("{e:#}"))
    }
}

/// Runs `f` with this thread's validator (built once per thread: boon's
/// compiler is not `Send`, and loading the schemas takes a millisecond).
pub fn with_validator<T>(f: impl FnOnce(&mut Validator) -> T) -> T {
    thread_local! {
        static VALIDATOR: RefCell<Option<Validator>> = const { RefCell::new(None) };
    }
    VALIDATOR.with(|v| f(v.borrow_mut().get_or_insert_with(Validator::load)))
}

/// Validates `value` against schema `name`.
pub fn check(name: &str, value: &Value) -> Result<(), String> {
    with_validator(|v| v.check(name, value))
}

/// Panics unless `value` (described by `what`) is valid against `name`.
pub fn assert_valid(name: &str, value: &Value, what: &str) {
    if let Err(e) = check(name, value) {
        panic!("{what} is not valid against spec/schema/{name}:\n{e}");
    }
}

/// Panics unless the JSON text `text` parses and is valid against `name`.
pub fn assert_valid_text(name: &str, text: &str, what: &str) {
    let value: Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}"));
    assert_valid(name, &value, what);
}
