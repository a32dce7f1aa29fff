#!/usr/bin/env bash
# Peak memory of `kestrel extract` as the input grows: JSON Lines corpora of each size given (MB,
# default 100 and 1000) are made from the Wikinews file (repeated, unique ids) and run through the
# whole pipeline with all cores under /usr/bin/time -v; peak RSS should stay flat while the input
# grows tenfold. The corpora are deleted afterwards (also on interrupt). Not part of the test command.
# Usage: bench/memory.sh [MB...]      env: KESTREL_BIN, WIKINEWS, THREADS (default: all cores)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000)
THREADS=${THREADS:-$CORES}
FILES=()
cleanup() { [ ${#FILES[@]} -eq 0 ] || rm -f "${FILES[@]}"; }
trap cleanup EXIT

echo "== Kestrel peak memory as the input grows ($KESTREL_BIN, --threads $THREADS)"
machine_line
printf '  %-10s %10s %12s %10s %10s %12s %12s\n' "input" "articles" "JSONL MB" "wall s" "CPU s" "MB/s (file)" "peak RSS MB"
for mb in "${SIZES[@]}"; do
  f="$OUT/memory-${mb}mb.jsonl"
  FILES+=("$f" "$f.part")
  info=$(python3 bench/make_corpus.py "$WIKINEWS" "$f" --mb "$mb")
  articles=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["articles"])' "$info")
  bytes=$(stat -c %s "$f")
  log="$OUT/memory-${mb}mb.time"
  if ! run_timed "$log" "$KESTREL_BIN" extract --threads "$THREADS" -o /dev/null "$f"; then
    echo "bench: kestrel failed on $f:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  awk -v mb="$mb" -v n="$articles" -v b="$bytes" -v w="$(wall_s "$log")" -v c="$(cpu_s "$log")" \
    -v kb="$(peak_kb "$log")" 'BEGIN {
      printf "  %-10s %10d %12.0f %10.2f %10.2f %12.1f %12.1f\n", mb " MB", n, b / 1e6, w, c, b / 1e6 / w, kb / 1024 }'
  rm -f "$f"
done
