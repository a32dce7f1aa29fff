#!/usr/bin/env bash
# Every benchmark, in one command (not part of the test command):
#   1. Kestrel's throughput on the Wikinews file and on a ~200 MB synthetic corpus (throughput.py)
#   2. Kestrel vs spaCy en_core_web_sm, one core each, and their ratio (compare_spacy.py)
#   3. HTML extraction: Kestrel vs trafilatura on the benchmark pages (html_speed.py; skipped with
#      a message when this kestrel does not read .html yet)
#   4. Peak memory on ~100 MB and ~1 GB of JSON Lines (memory.sh)
# Builds kestrel (cargo build --release -p kestrel-cli) unless KESTREL_BIN names a binary, and
# sets up bench/out/venv (setup_python.sh) on first use. Everything goes to the terminal and to
# bench/out/report.txt; the figures also to bench/out/*.json.
# Usage: bench/run_all.sh [--quick]   (--quick: smaller corpora and shorter runs, for a smoke test)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
REPORT=$OUT/report.txt
PYTHON=$(bench/setup_python.sh | tail -1)

{
  echo "Kestrel benchmarks, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "binary: $KESTREL_BIN ($("$KESTREL_BIN" --version); $KESTREL_ORIGIN)"
  machine_line
  echo
  if [ $QUICK = 1 ]; then
    "$PYTHON" bench/throughput.py --mb 20 --repeats 3
    echo
    "$PYTHON" bench/compare_spacy.py --seconds 2
  else
    "$PYTHON" bench/throughput.py --mb 200
    echo
    "$PYTHON" bench/compare_spacy.py --seconds 10
  fi
  echo
  set +e
  "$PYTHON" bench/html_speed.py --seconds $([ $QUICK = 1 ] && echo 1 || echo 5)
  rc=$?
  set -e
  [ $rc = 0 ] || [ $rc = 3 ] || exit $rc
  echo
  if [ $QUICK = 1 ]; then bench/memory.sh 10 100; else bench/memory.sh 100 1000; fi
} 2>&1 | tee "$REPORT"
exit "${PIPESTATUS[0]}"
