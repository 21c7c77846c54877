#!/usr/bin/env bash
# Ready to publish, leanly (called by .ci/run): rustdoc without warnings;
# the crates.io packages of the library and the CLI (cargo package
# --no-verify: the files, no build) and their size; then the packaged crates
# themselves, unpacked into a scratch workspace with dependencies resolved
# for the library's stated MSRV, checked with that toolchain (installed by
# rustup, --profile minimal, kept in ~/.rustup). That check is what `cargo
# publish`'s verification would find missing (a file left out of the
# package) and what the MSRV claim needs, at `check` cost instead of a
# second full build.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
started=$SECONDS
step() { echo "== $1 (at $((SECONDS - started)) s)"; }
target="${CARGO_TARGET_DIR:-$root/target}"

step "rustdoc of the workspace, warnings denied"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features --locked

step "cargo package --no-verify: kleroterion, kleroterion-cli"
cargo package --no-verify --locked -p kleroterion -p kleroterion-cli
version() { sed -n 's/^version = "\(.*\)"/\1/p' "$1" | head -1; }
lib="kleroterion-$(version Cargo.toml)"
cli="kleroterion-cli-$(version cli/Cargo.toml)"
for crate in "$lib" "$cli"; do
  file="$target/package/$crate.crate"
  echo "   $crate.crate: $(wc -c <"$file") bytes, $(tar -tzf "$file" | wc -l) files"
done

msrv="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
step "the packaged crates on Rust $msrv (the library's rust-version)"
rustup toolchain install "$msrv" --profile minimal >/dev/null
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for crate in "$lib" "$cli"; do tar -xzf "$target/package/$crate.crate" -C "$scratch"; done
# The CLI's dependency on the library resolves to the packaged library, as
# it would to the published one.
cat >"$scratch/Cargo.toml" <<EOF
[workspace]
members = ["$lib", "$cli"]
resolver = "2"
[patch.crates-io]
kleroterion = { path = "$lib" }
EOF
# Dependencies resolved as a user on the MSRV gets them (Cargo ≥ 1.84 with
# `incompatible-rust-versions = "fallback"`: the newest versions whose
# rust-version the members' accepts), on the current toolchain.
(cd "$scratch" && CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile -q)
(cd "$scratch" && CARGO_TARGET_DIR="$target/msrv" cargo "+$msrv" check --locked --workspace --all-features)
step "done"
