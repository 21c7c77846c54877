#!/usr/bin/env bash
# Builds the browser verifier into wasm/www/pkg/: release wasm for
# wasm32-unknown-unknown, then wasm-bindgen --target web with the CLI at
# exactly the version of the wasm-bindgen crate (installed if it differs).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
started=$SECONDS
step() { echo "== $1 (at $((SECONDS - started)) s)"; }

# The wasm-bindgen crate's version, as locked (the CLI must match it exactly).
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
[ -n "$version" ] || { echo "wasm-bindgen is not in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
  step "installing wasm-bindgen-cli $version (into ~/.cargo/bin, kept across runs)"
  # --locked uses the CLI's own lock file; a registry mirror that lacks one
  # of its locked versions makes that fail, and then the newest compatible
  # versions are used (the CLI's version itself is still exact).
  cargo install --locked wasm-bindgen-cli --version "$version" ||
    cargo install wasm-bindgen-cli --version "$version"
fi
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown

step "cargo build (wasm32, profile wasm-release)"
cargo build -p kleroterion-wasm --target wasm32-unknown-unknown --profile wasm-release --locked
target="${CARGO_TARGET_DIR:-$root/target}"
wasm="$target/wasm32-unknown-unknown/wasm-release/kleroterion_wasm.wasm"

step "wasm-bindgen --target web"
rm -rf "$here/www/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$here/www/pkg" "$wasm"

# The spec beside the page, for the footer's link (spec/record.md §4 lists
# every check).
rm -rf "$here/www/spec"
mkdir -p "$here/www/spec"
cp "$root"/spec/*.md "$here/www/spec/"

out="$here/www/pkg/kleroterion_wasm_bg.wasm"
size=$(wc -c <"$out")
gz=$(gzip -9 -c "$out" | wc -c)
awk -v f="${out#"$root"/}" -v s="$size" -v g="$gz" 'BEGIN {
  printf "== %s: %d bytes (%.0f KiB), gzip -9: %d bytes (%.0f KiB)\n", f, s, s / 1024, g, g / 1024 }'
