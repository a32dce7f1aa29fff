#!/usr/bin/env bash
# Run every evaluation Kestrel has on the gold in gold/ and the data in ../shared.
# Usage: eval/run.sh [PATH-TO-KESTREL-BINARY]   (default: build and use the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
K=${1:-}
if [ -z "$K" ]; then
  cargo build --release -q
  K=target/release/kestrel
fi
S=../shared
echo "## Team gold: seed + Wikinews"
GOLD=(); for g in gold/seed.jsonl gold/wikinews-*.jsonl; do GOLD+=(--gold "$g"); done
"$K" eval --misses 0 "${GOLD[@]}" \
  "$S/corpus/seed/seed.jsonl" "$S/corpus/wikinews/wikinews-2019.jsonl" || true
echo "## Team gold: examples"
"$K" eval --misses 0 --gold gold/examples.jsonl examples/ || true
echo "## Time expressions"
"$K" eval --misses 0 --timex gold/time-expressions.jsonl || true
echo "## PLOVER gold standard (dev) and PETRARCH-2 validation"
"$K" eval --misses 0 --plover "$S/eval/events/plover-gsr-dev.json" --petr2 "$S/eval/events/petr2-gsr-validation.xml" || true
echo "## PolNeAR (dev)"
"$K" eval --misses 0 --polnear "$S/eval/quotes/polnear/dev" || true
