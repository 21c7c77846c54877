#!/usr/bin/env bash
# Browser test of the verifier page: installs Debian's Chromium if missing,
# builds the wasm package, generates an assembly record with the example,
# and runs test/browser.mjs on it (good, tampered and bad inputs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
started=$SECONDS
step() { echo "== $1 (at $((SECONDS - started)) s)"; }

if [ ! -x /usr/bin/chromium ]; then
  step "installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

step "building the wasm package"
bash "$here/build.sh"

step "npm ci"
(cd "$here" && npm ci --no-audit --no-fund)

record="$(mktemp -d)"
trap 'rm -rf "$record"' EXIT
step "generating an assembly record (examples/assembly)"
# The dev profile with all features: the build `cargo test --workspace
# --all-features` already made in CI, so nothing is compiled again.
(cd "$root" && cargo run --locked --all-features --example assembly -- "$record/assembly-record" >/dev/null)

step "browser test"
(cd "$here" && node test/browser.mjs "$record/assembly-record")
step "done"
