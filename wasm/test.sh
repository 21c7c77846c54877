#!/usr/bin/env bash
# Tests of the npm package and the verifier page: builds the wasm once
# (build.sh: the package, its tarball, the page's copy); type-checks the
# package (tsc); installs the tarball into a scratch project and runs
# npm/test/node.test.mjs there (Node, the conformance kit); installs Debian's
# Chromium if none is on PATH, generates an assembly record with the example,
# and runs test/browser.mjs on it (the page: good, tampered and bad inputs;
# the package's API in the browser).
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

record="$(mktemp -d)"
app="$(mktemp -d)"
trap 'rm -rf "$record" "$app"' EXIT

step "npm package: npm ci, tsc --noEmit"
(cd "$here/npm" && npm ci --no-audit --no-fund --prefer-offline && npx --no-install tsc --noEmit -p .)
step "npm package: the tarball installed in a scratch project, node --test"
tarball="$(ls "$here"/npm/kleroterion-*.tgz)"
echo '{ "name": "scratch", "private": true, "type": "module" }' >"$app/package.json"
(cd "$app" && npm install --no-audit --no-fund --offline "$tarball" >/dev/null)
cp "$here/npm/test/node.test.mjs" "$app/"
(cd "$app" && KLEROTERION_ROOT="$root" node --test --test-reporter=spec node.test.mjs)

step "npm ci (browser test)"
(cd "$here" && npm ci --no-audit --no-fund --prefer-offline)
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
