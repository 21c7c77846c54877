#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10) and fails on any crash.
#   fuzz/run.sh 600         # the 10-minute local campaign
# Seeds come from test-vectors/ (see seed.sh) and the corpus grows in fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
cargo +nightly fuzz build -O
for t in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$t"
  echo "== fuzz $t for ${secs}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 | tail -n 3
done
