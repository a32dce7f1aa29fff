"""Runs spark/kestrel_spark.py with spark-submit, both ways (`pipe` with the binary shipped by
--files, `python` with the package in the executors), in local mode and on the standalone cluster
that scripts/test_spark.sh starts, and checks the Parquet events against `kestrel extract`."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "spark" / "kestrel_spark.py"
EXAMPLES = ROOT / "examples"
MASTER = os.environ.get("KESTREL_SPARK_MASTER")
WORK = Path(os.environ.get("KESTREL_SPARK_WORK", ROOT / "target" / "spark-test"))
KESTREL_BIN = Path(os.environ.get("KESTREL_BIN", ROOT / "target" / "release" / "kestrel"))


def shared_wikinews():
    for shared in (ROOT.parent / "shared", Path("/work/shared")):
        path = shared / "corpus" / "wikinews" / "wikinews-2019.jsonl"
        if path.is_file():
            return path
    return None


WIKINEWS = shared_wikinews()
TIMINGS = []  # one summary per spark-submit, written to $KESTREL_SPARK_WORK/timings.jsonl


@pytest.fixture(scope="module", autouse=True)
def needs_tools():
    if not KESTREL_BIN.is_file():
        pytest.skip(f"no kestrel binary at {KESTREL_BIN} (scripts/test_spark.sh builds it)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("pyspark is not installed (scripts/test_spark.sh installs it)")
    yield
    if TIMINGS:
        WORK.mkdir(parents=True, exist_ok=True)
        with open(WORK / "timings.jsonl", "a", encoding="utf-8") as f:
            for t in TIMINGS:
                f.write(json.dumps(t) + "\n")


def cli_records(*inputs):
    out = subprocess.run([str(KESTREL_BIN), "extract", "-q", *map(str, inputs)], stdout=subprocess.PIPE, check=False).stdout
    return [json.loads(l) for l in out.decode("utf-8").splitlines()]


def spark_submit(master, mode, inputs, out, extra=()):
    submit = Path(sys.executable).with_name("spark-submit")
    cmd = [str(submit), "--master", master, "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1"]
    if mode == "pipe":
        cmd += ["--files", str(KESTREL_BIN)]
    cmd += [str(SCRIPT), "--mode", mode, "--output", str(out), *extra, *map(str, inputs)]
    start = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    wall = time.time() - start
    stderr = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 0, stderr[-4000:]
    summary = json.loads(p.stdout.decode("utf-8").strip().splitlines()[-1])
    summary["wall_seconds"] = round(wall, 1)
    summary["inputs"] = [Path(i).name for i in inputs] + list(extra)
    TIMINGS.append(summary)
    return summary


def read_events(out):
    import pyarrow.parquet as pq

    return pq.read_table(out)


def no_id_input(tmp_path):
    """JSON Lines without ids (the script must name them as the CLI does), with a blank line."""
    src = tmp_path / "no-ids.jsonl"
    lines = [json.dumps({"text": p.read_text(encoding="utf-8"), "published": "2020-01-24"}) for p in sorted(EXAMPLES.glob("*.txt"))]
    src.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return src


def warc_input(tmp_path):
    """A small `.warc.gz` crawl (one gzip member per record, as Common Crawl writes them): a
    warcinfo record, then an HTTP response with an HTML page for each example article."""
    import gzip
    import html

    def record(n, headers, body):
        head = [f"WARC/1.0", f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>", *headers]
        head.append(f"Content-Length: {len(body)}")
        return gzip.compress(("\r\n".join(head) + "\r\n\r\n").encode() + body + b"\r\n\r\n", mtime=0)

    out = [record(0, ["WARC-Type: warcinfo", "Content-Type: application/warc-fields"], b"software: kestrel tests\r\n")]
    for n, path in enumerate(sorted(EXAMPLES.glob("*.txt")), 1):
        title = html.escape(path.stem.replace("-", " "))
        paras = "".join(f"<p>{html.escape(p)}</p>\n" for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
        page = f"<!DOCTYPE html><html lang=en><head><title>{title}</title></head><body><article><h1>{title}</h1>\n{paras}</article></body></html>".encode()
        http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(page)}\r\n\r\n".encode() + page
        out.append(record(n, ["WARC-Type: response", f"WARC-Target-URI: https://news.example.org/{path.stem}", "WARC-Date: 2020-01-24T10:00:00Z", "Content-Type: application/http; msgtype=response"], http))
    dst = tmp_path / "crawl.warc.gz"
    dst.write_bytes(b"".join(out))
    return dst


def event_ids(records):
    return sorted(f"{r['id']}:{e['id']}" for r in records for e in r["events"])


def comparable_rows(table):
    """Rows as sortable text; CSV (pipe) cannot tell an empty string from a missing value."""
    rows = [{k: (None if v == "" else v) for k, v in r.items()} for r in table.to_pylist()]
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def check_run(summary, out, inputs, partition_by="published"):
    """The Parquet holds exactly the CLI's events for `inputs` (ids compared), and the Wikinews
    events among them are the CLI's on that file alone (the issue's check)."""
    expected = event_ids(cli_records(*inputs))
    table = read_events(out)
    ids = sorted(table.column("event_id").to_pylist())
    summary["cli_events"] = len(expected)
    assert summary["events"] == len(expected) == table.num_rows
    assert ids == expected
    if WIKINEWS in inputs:
        wikinews_expected = event_ids(cli_records(WIKINEWS))
        assert wikinews_expected
        assert [i for i in ids if i.startswith("wn-")] == wikinews_expected
        summary["wikinews_events"] = len(wikinews_expected)
    dirs = [p.name for p in out.iterdir() if p.is_dir()]
    assert dirs and all(d.startswith(partition_by + "=") for d in dirs)
    # One file per date directory (the rows are repartitioned by date before writing).
    assert all(len(list((out / d).glob("*.parquet"))) == 1 for d in dirs)
    return table


def test_local_mode_both_ways(tmp_path):
    """Local mode: JSON Lines (with and without ids), a directory of text articles and a WARC file,
    through `rdd.pipe` with the binary (files fetched by Spark: --copy-inputs) and through
    `mapInArrow`/`mapPartitions` with the package (files read by path): the events are the CLI's,
    and both ways write the same rows."""
    inputs = ([WIKINEWS] if WIKINEWS else []) + [no_id_input(tmp_path), EXAMPLES, warc_input(tmp_path)]
    tables = {}
    for mode, extra in (("pipe", ["--copy-inputs"]), ("python", [])):
        out = tmp_path / mode
        summary = spark_submit("local[2]", mode, inputs, out, extra)
        table = check_run(summary, out, inputs)
        ids = table.column("event_id").to_pylist()
        assert any(i.startswith("no-ids-") for i in ids) and any(i.startswith("crawl-") for i in ids)
        assert (out / "published=2020-01-24").is_dir()
        tables[mode] = table
    assert comparable_rows(tables["pipe"]) == comparable_rows(tables["python"])


def test_standalone_cluster_pipe(tmp_path):
    """On the standalone master and worker, `rdd.pipe` with the binary shipped by --files: the
    Wikinews file (the examples without ids when ../shared is absent) gives the CLI's events."""
    if not MASTER:
        pytest.skip("no standalone cluster (scripts/test_spark.sh starts one and sets KESTREL_SPARK_MASTER)")
    inputs = [WIKINEWS] if WIKINEWS else [no_id_input(tmp_path)]
    out = tmp_path / "events"
    check_run(spark_submit(MASTER, "pipe", inputs, out), out, inputs)


def test_standalone_cluster_python(tmp_path):
    """On the standalone master and worker, the package in the executors' Python: the Wikinews
    file and a WARC file fetched by Spark, partitioned by event date."""
    if not MASTER:
        pytest.skip("no standalone cluster (scripts/test_spark.sh starts one and sets KESTREL_SPARK_MASTER)")
    inputs = ([WIKINEWS] if WIKINEWS else []) + [warc_input(tmp_path)]
    out = tmp_path / "events"
    summary = spark_submit(MASTER, "python", inputs, out, ["--copy-inputs", "--partition-by", "event_date"])
    check_run(summary, out, inputs, partition_by="event_date")
