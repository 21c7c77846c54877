#!/usr/bin/env bash
# The Python package's CI: builds it with maturin into a virtual environment,
# runs its pytest suite (python/tests, including a Dask LocalCluster of
# processes), mypy --strict on the installed package, and the notebook-style
# example (python/examples/audit.py: plots written headless with matplotlib's
# Agg backend).
#
# Lean by design:
# * the extension is built with the workspace's dev profile (the arithmetic
#   crates at opt-level 3, Cargo.toml) in the workspace's target directory,
#   so it reuses the dependencies `cargo test --workspace` already built;
#   only pyo3 (with maturin's `extension-module`) and the extension itself
#   are compiled here;
# * the virtual environment with the pinned tools (requirements-ci.txt) is
#   kept in ~/.cache/kleroterion/python-venv (KLEROTERION_PY_VENV moves it)
#   and remade only when requirements-ci.txt changes; pip's downloads are
#   cached in ~/.cache/pip.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target="${CARGO_TARGET_DIR:-$root/target}"
venv="${KLEROTERION_PY_VENV:-$HOME/.cache/kleroterion/python-venv}"
python="${PYTHON:-python3}"

stamp="$(sha256sum python/requirements-ci.txt | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version)')"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.kleroterion-stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "python/test.sh: making the virtual environment $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-ci.txt
  echo "$stamp" > "$venv/.kleroterion-stamp"
fi

# `pip install ./python`, as a user would, with the dev profile and the
# workspace's target directory (maturin honours CARGO_TARGET_DIR and reads
# extra arguments from MATURIN_PEP517_ARGS); maturin is the pinned one.
PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target" MATURIN_PEP517_ARGS="--profile dev --strip" \
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-build-isolation --no-deps --force-reinstall ./python

# From the repository root (which has no kleroterion/ directory), so that
# the tests import the installed package, never python/kleroterion unbuilt.
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/pytest" -q -p no:cacheprovider python/tests
# The installed package's types (stubs of the extension, py.typed) are checked too.
"$venv/bin/mypy" --strict --cache-dir=/dev/null -p kleroterion
MPLBACKEND=Agg "$venv/bin/python" python/examples/audit.py "$target/audit/assembly-record" \
  --make-example --out "$target/audit" | tail -n 3
