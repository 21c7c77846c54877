#!/usr/bin/env bash
# Side by side with the Sortition Foundation's sortition-algorithms 0.12.15
# (not in CI): the same generated pools of 150, 300 and 500 volunteers with
# panels of 22, 45 and 75 (its documented benchmark sizes), four
# intersecting features and two-person households; its maximin with HiGHS
# (highspy) and, when installable, CBC (mip), against kleroterion's maximin
# and leximin with the certificate. Prints JSON lines; BENCHMARKS.md has the
# table.
#
#   bash benches/peer/run.sh [M]        # M panels in the lottery (1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
m="${1:-1000}"
work="${PEER_WORK:-target/peer}"
mkdir -p "$work"
if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q "sortition-algorithms==0.12.15"
  # mip 2.0 breaks sortition-algorithms 0.12.15 (it passes name=None to
  # add_var, which mip 2.0's CBC binding encodes); 1.15 works.
  "$work/venv/bin/pip" install -q "mip==1.15.0" || echo "mip (CBC) not installable: HiGHS only"
fi
for objective in maximin leximin; do
  echo "== kleroterion ($objective over classes, m=$m, certificate checked)"
  cargo run -q --release --example fair_peer --features solver -- "$work/pools" "$m" "$objective"
done
for backend in highspy mip-cbc; do
  if [ "$backend" = mip-cbc ] && ! "$work/venv/bin/python" -c "import mip" 2>/dev/null; then
    continue
  fi
  echo "== sortition-algorithms 0.12.15 maximin ($backend)"
  "$work/venv/bin/python" benches/peer/peer.py "$work/pools" "$backend" "$m"
done
