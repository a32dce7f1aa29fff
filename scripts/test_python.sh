#!/usr/bin/env bash
# Build and test the `kestrel` Python package in a fresh virtual environment (target/py-venv):
# `pip install .` from the repository root (maturin comes from PyPI as the build requirement),
# then the Python tests in python/tests/ against the `kestrel` binary built here.
#
# Environment: PYTHON (the interpreter to make the venv with, default python3); KESTREL_BIN (the
# CLI to compare with; default: build it with cargo); CARGO_TARGET_DIR is honoured by both cargo
# and maturin. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/target/py-venv"
python=${PYTHON:-python3}

if [ -z "${KESTREL_BIN:-}" ]; then
    echo "== building the kestrel CLI (the reference the Python records are compared with)"
    cargo build --release -p kestrel-cli --quiet
    export KESTREL_BIN="${CARGO_TARGET_DIR:-$root/target}/release/kestrel"
fi
# The tests run from another directory: the binary's path must not be relative.
export KESTREL_BIN="$(realpath "$KESTREL_BIN")"
[ -x "$KESTREL_BIN" ] || { echo "$(basename "$0"): no kestrel binary at $KESTREL_BIN" >&2; exit 2; }

echo "== fresh virtual environment in $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo "== pip install . (builds crates/kestrel-py with maturin)"
start=$(date +%s)
"$venv/bin/python" -m pip install --quiet .
echo "   installed in $(( $(date +%s) - start )) s"
"$venv/bin/python" -m pip install --quiet pytest pandas pyarrow

echo "== python tests"
# Run from outside the source tree so that `import kestrel` is the installed package.
cd "$root/python/tests"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" .
