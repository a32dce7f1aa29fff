#!/usr/bin/env bash
# Run every fuzz target for a while (not part of CI). Usage: fuzz/run.sh [SECONDS-PER-TARGET]
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 enables them on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in repair jsonl pipeline; do
  mkdir -p corpus/$t
  echo "== fuzz target $t for ${SECS}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -max_len=4096 2>&1 | grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs|SUMMARY|panicked|ERROR" || true
done
