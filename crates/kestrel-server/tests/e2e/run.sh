#!/usr/bin/env bash
# End-to-end test of the dashboard in a real browser: headless Chromium (Debian's `chromium`)
# driven by `playwright-core` (npm). Ingests examples/ (and the seed article when ../shared is
# there) into a temporary database, serves it on 127.0.0.1, opens the dashboard, filters to
# PROTEST, opens an event's article, checks the highlighted evidence, and saves screenshots under
# target/e2e/ (dashboard.png: the filtered view; article.png: the article view).
#
# Installs what is missing: chromium with apt-get (as root), playwright-core into
# target/e2e/node_modules. When either cannot be installed (no registry, not root) the test is
# skipped with a message and exit status 0; a failing check exits 1.
#
# Usage: crates/kestrel-server/tests/e2e/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cd "$root"
out="$root/target/e2e"
mkdir -p "$out"
PLAYWRIGHT_VERSION=1.64.1

skip() {
  echo "e2e: SKIPPED: $*"
  exit 0
}

command -v node >/dev/null || skip "node is not installed"
chromium_bin="$(command -v chromium || true)"
if [ -z "$chromium_bin" ]; then
  [ "$(id -u)" = 0 ] || skip "chromium is not installed and installing it needs root"
  echo "e2e: installing chromium (apt-get)"
  timeout 300 apt-get update -qq >"$out/apt.log" 2>&1 || skip "apt-get update failed (registry unreachable?), see $out/apt.log"
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq chromium >>"$out/apt.log" 2>&1 \
    || skip "apt-get install chromium failed, see $out/apt.log"
  chromium_bin="$(command -v chromium || true)"
  [ -n "$chromium_bin" ] || skip "chromium still missing after install"
fi

if [ ! -f "$out/node_modules/playwright-core/package.json" ]; then
  command -v npm >/dev/null || skip "npm is not installed"
  echo "e2e: installing playwright-core@$PLAYWRIGHT_VERSION (npm)"
  timeout 300 npm install --prefix "$out" --no-audit --no-fund --no-save \
    "playwright-core@$PLAYWRIGHT_VERSION" >"$out/npm.log" 2>&1 \
    || skip "npm install playwright-core failed (registry unreachable?), see $out/npm.log"
fi

echo "e2e: building kestrel"
cargo build -q -p kestrel-cli
kestrel="${CARGO_TARGET_DIR:-$root/target}/debug/kestrel"

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

inputs=(examples)
seed="$root/../shared/corpus/seed/seed.jsonl"
[ -f "$seed" ] && inputs+=("$seed") || seed=""
"$kestrel" ingest -q --db "$tmp/e2e.db" "${inputs[@]}"

"$kestrel" serve --db "$tmp/e2e.db" --addr 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$tmp/serve.log" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.log"; echo "e2e: FAILED: the server did not start"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/serve.log"; echo "e2e: FAILED: no address from the server"; exit 1; }
echo "e2e: server at $url"

NODE_PATH="$out/node_modules" CHROMIUM="$chromium_bin" BASE_URL="$url" OUT_DIR="$out" \
  SEED="${seed:+yes}" timeout 300 node "$here/dashboard.cjs"
