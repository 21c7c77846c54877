#!/usr/bin/env bash
# Browser test of the verifier page: installs Debian's Chromium if none is on
# PATH, builds the wasm package, generates an assembly record with the example,
# and runs test/browser.mjs on it (good, tampered and bad inputs).
# Caches outside the clone (see .ci/run): chromium (apt), wasm-bindgen-cli in
# ~/.cargo/bin (wasm/build.sh), npm's ~/.npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
started=$SECONDS
step() { echo "== $1 (at $((SECONDS - started)) s)"; }

if ! command -v chromium >/dev/null; then
  step "installing chromium (apt-get; none on PATH)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
CHROMIUM="$(command -v chromium)"
export CHROMIUM

step "building the wasm package"
bash "$here/build.sh"

step "npm ci"
(cd "$here" && npm ci --no-audit --no-fund --prefer-offline)

record="$(mktemp -d)"
trap 'rm -rf "$record"' EXIT
step "generating an assembly record (examples/assembly)"
# Built exactly as `cargo test --workspace --all-features` builds the examples
# (same packages, features and profile), so after the tests nothing is
# compiled again: `cargo run --example` would select the root package only,
# unify other features and rebuild the library and its dependencies.
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --locked --workspace --all-features --example assembly)
"$target/debug/examples/assembly" --seed 1 "$record/assembly-record" >/dev/null

step "browser test"
(cd "$here" && node test/browser.mjs "$record/assembly-record")
step "done"
