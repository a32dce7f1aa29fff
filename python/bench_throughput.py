"""Throughput of the `kestrel` Python package against the `kestrel` CLI on the same articles.

    python python/bench_throughput.py [--threads N] [--repeat R] [--runs K] --bin target/release/kestrel INPUT

INPUT is a JSON Lines file or a directory of HTML pages (`*.html`, `*.html.gz`).

- JSON Lines: the file is repeated R times (ids made unique) into a temporary file; the CLI codes
  it (`kestrel extract FILE --threads N -o /dev/null`) and the package codes the same lines
  (`kestrel.extract_many(lines, threads=N)`, records as dicts, and with `as_json=True`).
- HTML pages: they are packed R times into a temporary `.warc.gz` (HTTP responses, one gzip member
  per record, as Common Crawl writes them); the CLI codes it (`kestrel extract CRAWL.warc.gz`)
  and the package codes the same file (`kestrel.extract_files(path, threads=N)`).

Each is run K times, interleaved. Resources are loaded before timing in both (the CLI's own
closing summary gives its processing time, without loading; what loads lazily on first use is
counted out by subtracting a run on one article). Reports the median wall-clock articles/s and the
CPU seconds (user + system) per 1,000 articles, which stay comparable on a busy machine.
"""

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import kestrel


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_cli(binary, path, threads):
    before = cpu_children()
    p = subprocess.run(
        [binary, "extract", path, "--threads", str(threads), "-o", os.devnull],
        stderr=subprocess.PIPE,
        check=False,
    )
    cpu = cpu_children() - before
    err = p.stderr.decode()
    if p.returncode not in (0, 2):  # 2: some inputs were reported and skipped
        sys.exit(f"{binary} failed:\n{err}")
    m = re.search(r"(\d+) records out, .* in ([0-9.]+) s", err)
    loaded = re.search(r"resources loaded in ([0-9.]+) s", err)
    # The CLI's CPU time includes loading resources; count it out in proportion to wall time.
    load_s = float(loaded.group(1)) if loaded else 0.0
    return int(m.group(1)), float(m.group(2)), max(cpu - load_s, 0.0)


def run_package(records):
    """Time the iteration of a record iterator: (records, wall seconds, CPU seconds)."""
    before_cpu, start = cpu_self(), time.perf_counter()
    n = 0
    for _ in records():
        n += 1
    return n, time.perf_counter() - start, cpu_self() - before_cpu


def warc_record(headers, body):
    head = "\r\n".join(["WARC/1.0", *headers, f"Content-Length: {len(body)}"]) + "\r\n\r\n"
    return gzip.compress(head.encode() + body + b"\r\n\r\n", compresslevel=6)


def write_warc(path, pages):
    """A `.warc.gz` of HTTP responses, one per (url, HTML bytes) page."""
    with open(path, "wb") as f:
        for i, (url, page) in enumerate(pages):
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(page) + page
            f.write(
                warc_record(
                    [
                        "WARC-Type: response",
                        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{i:012d}>",
                        f"WARC-Target-URI: {url}",
                        "WARC-Date: 2020-01-24T10:00:00Z",
                        "Content-Type: application/http; msgtype=response",
                    ],
                    http,
                )
            )


def html_pages(directory):
    pages = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if name.endswith(".html.gz"):
            pages.append((name, gzip.open(path).read()))
        elif name.endswith((".html", ".htm")):
            pages.append((name, open(path, "rb").read()))
    return pages


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="a JSON Lines file, or a directory of HTML pages")
    ap.add_argument("--bin", default="target/release/kestrel")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="kestrel-bench-")
    if os.path.isdir(a.input):
        base = html_pages(a.input)
        pages = [(f"https://news.example.org/r{r}/{name}", page) for r in range(a.repeat) for name, page in base]
        path, one = os.path.join(tmp, "crawl.warc.gz"), os.path.join(tmp, "one.warc.gz")
        write_warc(path, pages)
        write_warc(one, pages[:1])
        what = f"{len(pages)} HTML pages ({a.input} x{a.repeat}, {os.path.getsize(path) / 1e6:.1f} MB of .warc.gz)"
        ways = {
            "package (dicts)": lambda: kestrel.extract_files(path, a.threads, errors="skip"),
            "package (as_json)": lambda: kestrel.extract_files(path, a.threads, errors="skip", as_json=True),
        }
    else:
        base = [json.loads(line) for line in open(a.input, encoding="utf-8") if line.strip()]
        lines = []
        for r in range(a.repeat):
            for d in base:
                d = dict(d, id=f"{d.get('id', 'x')}-r{r}")
                lines.append(json.dumps(d, ensure_ascii=False))
        path, one = os.path.join(tmp, "articles.jsonl"), os.path.join(tmp, "one.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        with open(one, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n")
        what = f"{len(lines)} articles ({a.input} x{a.repeat})"
        ways = {
            "package (dicts)": lambda: kestrel.extract_many(lines, a.threads, errors="skip"),
            "package (as_json)": lambda: kestrel.extract_many(lines, a.threads, errors="skip", as_json=True),
        }
    # Resources (and whatever loads lazily) before timing.
    list(kestrel.extract_files(one, errors="skip"))
    results = {"cli": [], **{name: [] for name in ways}}
    try:
        for _ in range(a.runs):
            n, wall, cpu = run_cli(a.bin, path, a.threads)
            _, wall1, cpu1 = run_cli(a.bin, one, a.threads)
            results["cli"].append((n, max(wall - wall1, 1e-9) * n / (n - 1), max(cpu - cpu1, 0.0) * n / (n - 1)))
            for name, records in ways.items():
                results[name].append(run_package(records))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{what}, {a.threads} threads, {a.runs} runs each (median)")
    summary = {}
    for name, runs in results.items():
        n = runs[0][0]
        rate = statistics.median(n / wall for _, wall, _ in runs)
        cpu_k = statistics.median(cpu / n * 1000 for _, _, cpu in runs)
        summary[name] = rate
        print(f"  {name:18} {rate:8.1f} records/s   {cpu_k:6.2f} CPU s per 1,000 records   ({n} records)")
    cli = summary["cli"]
    for name in ways:
        print(f"  {name} / cli: {summary[name] / cli:.2f}")


if __name__ == "__main__":
    sys.exit(main())
