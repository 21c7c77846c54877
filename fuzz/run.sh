#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10) and fails on any crash.
#   bash fuzz/run.sh 600          # the 10-minute-per-target local campaign
#   bash fuzz/run.sh 20           # CI
#   bash fuzz/run.sh 60 proofs    # one target
# Builds once (release + debug assertions and overflow checks, AddressSanitizer),
# regenerates the seed corpus (src/bin/seed.rs: test-vectors/ and freshly encoded
# fixtures) into fuzz/corpus/<target>/, then runs each target on it. Crashing
# inputs land in fuzz/artifacts/<target>/; logs in fuzz/logs/<target>.log; a
# summary (time, executions, corpus size) is printed at the end.
#
# Slowness and memory are findings, not only panics (issue #16): an input that
# runs longer than FUZZ_TIMEOUT seconds (default 5; every honest execution takes
# milliseconds, the slowest under 1 s), makes the process's RSS exceed
# FUZZ_RSS_MB MiB (default 1024; ASan runs peak at 340-550 MB) or makes a single
# allocation larger than FUZZ_MALLOC_MB MiB (default 64; none is larger than a
# few MiB) is reported as a crash, with the input saved as an artifact. The
# stall of issue #16 (a 128 MiB discrete-log table built in about 50 s) trips
# all three.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"
shift || true

rustup run nightly rustc --version >/dev/null 2>&1 ||
  rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"

start=$(date +%s)
cargo +nightly fuzz build
echo "== fuzz build took $(( $(date +%s) - start ))s"
"$CARGO_TARGET_DIR/$triple/release/seed" corpus

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
mkdir -p logs
summary=()
status=0
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${secs}s"
  if cargo +nightly fuzz run "$t" "corpus/$t" -- \
      -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-5}" \
      -rss_limit_mb="${FUZZ_RSS_MB:-1024}" -malloc_limit_mb="${FUZZ_MALLOC_MB:-64}" \
      -print_final_stats=1 \
      >"logs/$t.log" 2>&1; then
    result=ok
  else
    result=CRASH
    status=1
    grep -E -A2 "panicked at|ERROR: |SUMMARY: |^Failing input|^Reproduce with|timeout|out-of-memory|malloc\(" "logs/$t.log" | head -n 40
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -n 1)
  summary+=("$(printf '%-20s %6ss %12s execs %6s corpus files  %s' \
    "$t" "$secs" "${execs:-?}" "$(ls "corpus/$t" | wc -l)" "$result")")
done
printf '%s\n' "== fuzz summary" "${summary[@]}"
exit $status
