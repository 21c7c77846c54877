//! The kleroterion record verifier for the browser.
//!
//! A thin wasm-bindgen layer over [`kleroterion::record::files`]: the page
//! (`wasm/www/`) hands over the files a person selected or dropped, by
//! relative path, and gets back a JSON report with every numbered check of
//! spec/record.md (beacon B1–B3, draw S1–S15, each vote E1–E12), the vote
//! results and a summary line. Nothing here re-implements a check.
//!
//! JavaScript API (`wasm-bindgen --target web`):
//!
//! * `verify_record(files, progress?)`: `files` is a `Map` or a plain
//!   object from relative path to `Uint8Array` (or `ArrayBuffer`);
//!   `progress(vote, ballots, total)` is called while ballots stream
//!   (`total`: the ballots the vote's tally counts). Returns the
//!   JSON of a [`Verification`] (a record file that does not decode is a
//!   failed record: check R1); throws an `Error` with a readable message
//!   when the files are not a record (no `assembly.json`, `pool-draw.json`
//!   or `record.json`, a missing vote file). A pool draw record
//!   (spec/pool-draw.md) gives the sections Anchors, Beacon, Pool draw and
//!   Fairness.
//! * `verify_vote(record, ballots, challenged, progress?)`: one vote's
//!   `record.json`, `ballots.txt` and `challenged.txt` as `Uint8Array`s.
//! * `version()`: this crate's version.
//!
//! Batch-verification weights come from `crypto.getRandomValues`.

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod files;
pub mod verify;

pub use files::{FileSet, Root};
pub use verify::{verify_files, verify_vote_bytes, Verification};

use js_sys::{Array, ArrayBuffer, Function, Map, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Logs panics to the console (diagnostics only: the verifier does not
/// panic on any input; a panic would be a bug to report).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
pub fn start() {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = console, js_name = error)]
        fn console_error(s: &str);
    }
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!("kleroterion-wasm panicked: {info}"));
    }));
}

/// Verifies the record among `files` (a `Map` or object from relative path
/// to bytes) and returns the report as JSON.
#[wasm_bindgen]
pub fn verify_record(files: &JsValue, progress: Option<Function>) -> Result<String, JsError> {
    let files = file_set(files).map_err(|e| JsError::new(&e))?;
    finish(verify_files(
        &files,
        &mut rand_core::OsRng,
        reporter(progress.as_ref()),
    ))
}

/// Verifies one vote from its three files and returns the report as JSON.
#[wasm_bindgen]
pub fn verify_vote(
    record: &[u8],
    ballots: &[u8],
    challenged: &[u8],
    progress: Option<Function>,
) -> Result<String, JsError> {
    finish(verify_vote_bytes(
        record,
        ballots,
        challenged,
        &mut rand_core::OsRng,
        reporter(progress.as_ref()),
    ))
}

/// The version of this verifier.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

fn finish(result: Result<Verification, String>) -> Result<String, JsError> {
    let v = result.map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&v).map_err(|e| JsError::new(&e.to_string()))
}

/// Calls the JavaScript progress callback, if any; its exceptions are
/// ignored (progress is informational).
fn reporter(progress: Option<&Function>) -> impl FnMut(&str, u64, u64) + '_ {
    move |vote, ballots, total| {
        if let Some(f) = progress {
            // u64 → f64 is exact below 2^53 ballots.
            let _ = f.call3(
                &JsValue::NULL,
                &JsValue::from_str(vote),
                &JsValue::from_f64(ballots as f64),
                &JsValue::from_f64(total as f64),
            );
        }
    }
}

/// Reads a `Map` or a plain object of path → `Uint8Array`/`ArrayBuffer`.
fn file_set(files: &JsValue) -> Result<FileSet, String> {
    let entries: Array = if let Some(map) = files.dyn_ref::<Map>() {
        Array::from(&map.entries().into())
    } else if files.is_object() {
        Object::entries(files.unchecked_ref::<Object>())
    } else {
        return Err(String::from(
            "files must be a Map or an object from relative path to Uint8Array",
        ));
    };
    let mut set = FileSet::new();
    for entry in entries.iter() {
        let entry: Array = entry.unchecked_into();
        let path = entry
            .get(0)
            .as_string()
            .ok_or("a file's path is not a string")?;
        let value = entry.get(1);
        let bytes = if let Some(a) = value.dyn_ref::<Uint8Array>() {
            a.to_vec()
        } else if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
            Uint8Array::new(b).to_vec()
        } else {
            return Err(format!(
                "{path}: contents must be a Uint8Array or an ArrayBuffer"
            ));
        };
        set.insert(&path, bytes);
    }
    Ok(set)
}
