// kleroterion: the record verifier of the Rust crate `kleroterion`, compiled
// to WebAssembly (wasm-bindgen --target web), behind a small typed API.
// Types and documentation: index.d.ts. Node's entry point (node.js) only adds
// reading the .wasm file from disk to init().
import wasmInit, * as wasm from './pkg/kleroterion_wasm.js';

// The name of the published anchors file (spec/anchors.md); the verifier
// uses a file of this name among the files it is given.
const ANCHORS_FILE = 'anchors.json';

let initialised = null;
let ready = false;

/**
 * Loads the WebAssembly module. Without `source`, it is fetched from beside
 * this file (`new URL('./pkg/kleroterion_wasm_bg.wasm', import.meta.url)`);
 * otherwise `source` is its URL, a `Response`, its bytes or a compiled
 * `WebAssembly.Module`, or a promise of one of these. Calling it again
 * returns the first call's promise.
 */
export function init(source) {
  if (initialised === null) {
    initialised = Promise.resolve(source)
      .then((s) => wasmInit(s === undefined ? undefined : { module_or_path: s }))
      .then(() => { ready = true; });
    // A failed load may be retried (with another source).
    initialised.catch(() => { initialised = null; });
  }
  return initialised;
}

function loaded() {
  if (!ready) throw new Error('kleroterion: the verifier is not loaded; call and await init() first');
}

const encoder = new TextEncoder();

// File contents as a Uint8Array: bytes as they are, text as UTF-8.
function bytes(path, content) {
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  if (ArrayBuffer.isView(content)) {
    return new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
  }
  if (typeof content === 'string') return encoder.encode(content);
  throw new TypeError(`${path}: contents must be a string, a Uint8Array or an ArrayBuffer`);
}

// A Map, an iterable of [path, contents] pairs, or a plain object → a Map of
// path → Uint8Array.
function fileMap(files) {
  if (files === null || typeof files !== 'object') {
    throw new TypeError('files must be a Map, an iterable of [path, contents] or an object');
  }
  const entries = typeof files[Symbol.iterator] === 'function' ? files : Object.entries(files);
  const map = new Map();
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new TypeError('files must hold [path, contents] pairs with a string path');
    }
    map.set(entry[0], bytes(entry[0], entry[1]));
  }
  return map;
}

function anchorsBytes(anchors) {
  if (typeof anchors === 'string' || anchors instanceof Uint8Array || anchors instanceof ArrayBuffer) {
    return bytes(ANCHORS_FILE, anchors);
  }
  if (anchors !== null && typeof anchors === 'object') return encoder.encode(JSON.stringify(anchors));
  throw new TypeError('anchors must be the anchors file (string or bytes) or its parsed JSON');
}

function progressCallback(onProgress) {
  if (onProgress === undefined) return undefined;
  if (typeof onProgress !== 'function') throw new TypeError('onProgress must be a function');
  return (vote, ballots, total) => onProgress({ vote, ballots, total });
}

/**
 * Verifies the record among `files` (an assembly record: the shallowest
 * `assembly.json`; otherwise a single vote's `record.json`) and returns the
 * report. See index.d.ts.
 */
export function verifyRecord(files, options = {}) {
  loaded();
  const map = fileMap(files);
  if (options.anchors !== undefined) {
    for (const path of map.keys()) {
      if (path.replaceAll('\\', '/').split('/').pop() === ANCHORS_FILE) {
        throw new Error(`${path}: the files already hold an anchors file; give the anchors once`);
      }
    }
    map.set(ANCHORS_FILE, anchorsBytes(options.anchors));
  }
  return JSON.parse(wasm.verify_record(map, progressCallback(options.onProgress)));
}

/**
 * Verifies one vote from the contents of its `record.json`, `ballots.txt`
 * and `challenged.txt`. See index.d.ts.
 */
export function verifyVote(vote, options = {}) {
  loaded();
  if (vote === null || typeof vote !== 'object') {
    throw new TypeError('verifyVote takes { record, ballots, challenged }');
  }
  const json = wasm.verify_vote(
    bytes('record', vote.record),
    bytes('ballots', vote.ballots),
    bytes('challenged', vote.challenged),
    progressCallback(options.onProgress),
  );
  return JSON.parse(json);
}

/** Every check of a report, in order (across its sections). */
export function checks(report) {
  return report.sections.flatMap((section) => section.checks);
}

/** The version of the verifier (the Rust crate `kleroterion-wasm`). */
export function version() {
  loaded();
  return wasm.version();
}
