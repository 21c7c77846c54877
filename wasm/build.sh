#!/usr/bin/env bash
# Builds the verifier once and everything made of it: release wasm for
# wasm32-unknown-unknown; wasm-bindgen --target web (the CLI at exactly the
# version of the wasm-bindgen crate, installed if it differs) into the npm
# package, wasm/npm/pkg/; the package's tarball (npm pack,
# wasm/npm/kleroterion-VERSION.tgz); and the page's copy of the package,
# unpacked from that tarball into wasm/www/kleroterion/, so the page runs
# exactly what is published.
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
npm="$here/npm"
rm -rf "$npm/pkg"
# The package's types are hand-written (npm/index.d.ts, checked by tsc):
# the generated ones would type the JSON report as a string.
wasm-bindgen --target web --no-typescript --out-dir "$npm/pkg" "$wasm"

step "npm pack (the kleroterion package) and the page's copy of it"
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$npm/"
rm -f "$npm"/kleroterion-*.tgz
tarball="$(cd "$npm" && npm pack --silent)"
rm -rf "$here/www/kleroterion"
mkdir -p "$here/www/kleroterion"
tar -xzf "$npm/$tarball" -C "$here/www/kleroterion" --strip-components=1
echo "== wasm/npm/$tarball: $(wc -c <"$npm/$tarball") bytes, $(tar -tzf "$npm/$tarball" | wc -l) files"

# The spec beside the page, for the footer's link (spec/record.md §4 lists
# every check).
rm -rf "$here/www/spec"
mkdir -p "$here/www/spec"
cp "$root"/spec/*.md "$here/www/spec/"

out="$npm/pkg/kleroterion_wasm_bg.wasm"
size=$(wc -c <"$out")
gz=$(gzip -9 -c "$out" | wc -c)
awk -v f="${out#"$root"/}" -v s="$size" -v g="$gz" 'BEGIN {
  printf "== %s: %d bytes (%.0f KiB), gzip -9: %d bytes (%.0f KiB)\n", f, s, s / 1024, g, g / 1024 }'
