#!/usr/bin/env bash
# Steady-state throughput of the whole pipeline on the Wikinews file repeated to at least 50 MB,
# one thread and all threads, with peak memory. Not part of the test command.
# Usage: bench/throughput.sh [TARGET-MB]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-50}
SRC=../shared/corpus/wikinews/wikinews-2019.jsonl
OUT=bench/out; mkdir -p "$OUT"
cargo build --release -q
python3 - "$SRC" "$OUT/wikinews-${MB}mb.jsonl" "$MB" <<'PY'
import json, sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [json.loads(l) for l in open(src, encoding="utf-8")]
size, n = 0, 0
with open(dst, "w", encoding="utf-8") as f:
    while size < mb * 1_000_000:
        for d in lines:
            d = dict(d); d["id"] = f'{d["id"]}-r{n}'
            s = json.dumps(d, ensure_ascii=False) + "\n"
            f.write(s); size += len(d["text"].encode()); 
        n += 1
print(f"{dst}: {size/1e6:.1f} MB of article text, {n} copies of {len(lines)} articles")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for t in 1 $(nproc); do
  echo "== --threads $t"
  /usr/bin/time -f "peak RSS %M KB, wall %e s" target/release/kestrel extract --threads "$t" \
    -o /dev/null "$OUT/wikinews-${MB}mb.jsonl"
done
