# Shared helpers for the benchmark scripts (sourced, not run). After sourcing, the working
# directory is the repository root and these are set:
#   KESTREL_BIN  the kestrel binary: $KESTREL_BIN if set, else built here with
#                `cargo build --release -p kestrel-cli` (${CARGO_TARGET_DIR:-target}/release/kestrel)
#   KESTREL_ORIGIN  where that binary came from, in words
#   WIKINEWS     the Wikinews JSON Lines file ($WIKINEWS, else ../shared/corpus/wikinews/...)
#   OUT          bench/out (ignored by git), created
#   CORES        the number of cores
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=bench/out
mkdir -p "$OUT"
CORES=$(nproc)
WIKINEWS=${WIKINEWS:-../shared/corpus/wikinews/wikinews-2019.jsonl}
if [ ! -f "$WIKINEWS" ]; then
  echo "bench: the Wikinews file $WIKINEWS is missing (set WIKINEWS=PATH)" >&2
  exit 2
fi
if [ -z "${KESTREL_BIN:-}" ]; then
  echo "bench: building kestrel (cargo build --release -p kestrel-cli)" >&2
  cargo build --release -q -p kestrel-cli
  KESTREL_BIN=${CARGO_TARGET_DIR:-target}/release/kestrel
  KESTREL_ORIGIN="built from this checkout, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' with local changes')"
fi
KESTREL_ORIGIN=${KESTREL_ORIGIN:-given by KESTREL_BIN}
if [ ! -x "$KESTREL_BIN" ]; then
  echo "bench: $KESTREL_BIN is not an executable kestrel binary" >&2
  exit 2
fi
export KESTREL_BIN KESTREL_ORIGIN WIKINEWS

# The machine, in one line.
machine_line() {
  echo "machine: $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1 /proc/loadavg) now"
}

# run_timed LOG CMD...: run CMD with /usr/bin/time -v, its stderr (and time's report) into LOG.
run_timed() {
  local log=$1
  shift
  /usr/bin/time -v "$@" 2>"$log"
}

# Fields of a /usr/bin/time -v report: peak RSS in KB, wall seconds, user+sys CPU seconds.
peak_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall_s() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
cpu_s() {
  awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$1"
}
