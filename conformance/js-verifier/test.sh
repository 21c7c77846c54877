#!/usr/bin/env bash
# The independent JavaScript verifier (issue 17): unit tests over the crypto vectors of
# test-vectors/, then the conformance kit. Needs Node.js >= 20.19 and npm (installed with
# apt-get when missing). Exit status non-zero on any failure or kit mismatch.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "js-verifier: installing nodejs and npm with apt-get"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm; else sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm; fi
fi
# @noble/curves and @noble/hashes 2.x declare "node": ">= 20.19.0".
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "js-verifier: Node.js >= 20.19 required, found $(node --version)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
node --test test/
# The kit: JS_VERIFIER_KIT names another kit directory (e.g. a branch's), default the repository's.
kit="${JS_VERIFIER_KIT:-../../test-vectors/conformance}"
node src/runner.js "$kit"
# The same cases with every vote's ballots verified in 3 shards, split by position and by id.
node src/runner.js "$kit" --shards 3
