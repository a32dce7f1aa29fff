#!/usr/bin/env bash
# Test the Spark integration (spark/kestrel_spark.py) with PySpark from PyPI, which bundles Spark
# (needs Java 17): in local mode and on a standalone master and worker started here on 127.0.0.1
# and stopped on exit. Both ways are run, `rdd.pipe` with the `kestrel` binary shipped by --files
# and `mapInArrow`/`mapPartitions` with the Python package, on JSON Lines, a directory and a WARC
# file and, when ../shared is present, on the Wikinews 2019 file; the Parquet events must be
# `kestrel extract`'s on the same inputs.
#
# Uses the virtual environment of scripts/test_python.sh (target/py-venv; made first when it
# lacks the kestrel package or codes differently from the CLI). Environment: SPARK_TEST_PORT
# (master port, default: a free one); KESTREL_BIN (the CLI; default: build it with cargo). Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv="$root/target/py-venv"

command -v java >/dev/null || { echo "test_spark.sh: Spark needs Java (17) on PATH" >&2; exit 2; }
if [ -z "${KESTREL_BIN:-}" ]; then
    cargo build --release -p kestrel-cli --quiet
    export KESTREL_BIN="${CARGO_TARGET_DIR:-$root/target}/release/kestrel"
fi
# The tests run from another directory: the binary's path must not be relative.
export KESTREL_BIN="$(realpath "$KESTREL_BIN")"
[ -x "$KESTREL_BIN" ] || { echo "$(basename "$0"): no kestrel binary at $KESTREL_BIN" >&2; exit 2; }

# The package in the venv must code as this CLI does (it is stale when the sources changed since
# it was installed): compare their records for the examples, and reinstall when they differ.
same_as_cli() {
    "$venv/bin/python" - "$KESTREL_BIN" <<'PY' 2>/dev/null
import subprocess, sys
import kestrel, pandas, pyarrow, pytest  # noqa: F401
cli = subprocess.run([sys.argv[1], "extract", "-q", "examples"], stdout=subprocess.PIPE, check=True)
sys.exit(0 if list(kestrel.extract_files("examples", as_json=True)) == cli.stdout.decode().splitlines() else 1)
PY
}
if ! same_as_cli; then
    echo "== the kestrel package in $venv is missing or stale: running scripts/test_python.sh first"
    bash scripts/test_python.sh
fi
echo "== pyspark into $venv"
"$venv/bin/python" -m pip install --quiet pyspark
spark_home=$("$venv/bin/python" -c "import os, pyspark; print(os.path.dirname(pyspark.__file__))")

work="$root/target/spark-test"
rm -rf "$work"
mkdir -p "$work"
# A free port unless one is given: another run on the machine may hold Spark's default 7077.
port=${SPARK_TEST_PORT:-$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
export SPARK_HOME="$spark_home"
export PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$work/logs" SPARK_WORKER_DIR="$work/worker"

master_pid=""
worker_pid=""
stop_cluster() {
    [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true
    [ -n "$master_pid" ] && kill "$master_pid" 2>/dev/null || true
    [ -n "$worker_pid" ] && wait "$worker_pid" 2>/dev/null || true
    [ -n "$master_pid" ] && wait "$master_pid" 2>/dev/null || true
}
trap stop_cluster EXIT

wait_for() { # wait_for SECONDS FILE PATTERN
    local deadline=$(( $(date +%s) + $1 ))
    until grep -q "$3" "$2" 2>/dev/null; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "test_spark.sh: timed out waiting for '$3' in $2" >&2
            tail -20 "$2" >&2 || true
            exit 1
        fi
        sleep 1
    done
}

echo "== standalone master and worker on 127.0.0.1:$port"
"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0 > "$work/master.log" 2>&1 &
master_pid=$!
wait_for 120 "$work/master.log" "I have been elected leader"
"$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker "spark://127.0.0.1:$port" \
    --host 127.0.0.1 --cores 2 --memory 2g --webui-port 0 --work-dir "$work/worker" > "$work/worker.log" 2>&1 &
worker_pid=$!
wait_for 120 "$work/worker.log" "Successfully registered with master"

echo "== spark tests"
export KESTREL_SPARK_MASTER="spark://127.0.0.1:$port" KESTREL_SPARK_WORK="$work"
status=0
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" spark/tests || status=$?
if [ -f "$work/timings.jsonl" ]; then
    echo "== spark runs (wall_seconds: spark-submit end to end; seconds: coding and writing)"
    cat "$work/timings.jsonl"
fi
exit "$status"
