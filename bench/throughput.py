#!/usr/bin/env python3
"""Kestrel's throughput: the whole pipeline (`kestrel extract`) on the Wikinews file and on a
synthetic corpus made from it (the file repeated with unique ids to --mb MB, default 200), with one
thread and with all cores: articles/s and MB/s, per core, and peak memory.

MB are 10^6 bytes of article text (the `text` fields, UTF-8). Rates leave out the fixed start-up
cost (loading dictionaries, measured on a one-article input). "Per core" is work per CPU-second
(user + system time of the process): what one core does on an otherwise idle machine, and a figure
that other load on the machine barely moves. Wall-clock rates are printed too; they depend on that
load (the load average is printed with the machine).
Not part of the test command. Usage: bench/throughput.py [--mb 200] [--keep]
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the repository
import benchlib as B  # noqa: E402
from make_corpus import load_articles, write_corpus  # noqa: E402


def describe(label, n, text_bytes, r, startup, threads):
    steady = max(r.wall - startup.wall, 1e-9)
    steady_cpu = max(r.cpu - startup.cpu, 1e-9)
    aps, mbs = B.rates(n, text_bytes, steady)
    aps_cpu, mbs_cpu = B.rates(n, text_bytes, steady_cpu)
    row = {
        "input": label,
        "threads": threads,
        "articles": n,
        "text_mb": round(text_bytes / 1e6, 2),
        "wall_s": round(r.wall, 3),
        "cpu_s": round(r.cpu, 3),
        "articles_per_s": round(aps, 1),
        "mb_per_s": round(mbs, 2),
        "articles_per_s_per_core": round(aps_cpu, 1),
        "mb_per_s_per_core": round(mbs_cpu, 2),
        "peak_rss_mb": round(r.peak_mb, 1),
    }
    print(
        f"  {label}, --threads {threads}: {n:,} articles, {text_bytes / 1e6:.1f} MB of text; "
        f"per core {aps_cpu:,.0f} articles/s, {mbs_cpu:.2f} MB/s; wall {r.wall:.2f} s for "
        f"{r.cpu:.2f} CPU-s, {aps:,.0f} articles/s and {mbs:.2f} MB/s without start-up; "
        f"peak RSS {r.peak_mb:.0f} MB"
    )
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=200.0, help="size of the synthetic corpus in MB")
    ap.add_argument("--repeats", type=int, default=5, help="runs on the Wikinews file (median)")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic corpus file")
    a = ap.parse_args()
    if a.mb <= 0 or a.repeats <= 0:
        B.die("--mb and --repeats must be positive")
    binary = B.kestrel_bin()
    src = B.wikinews_path()
    cores = os.cpu_count() or 1
    thread_counts = [1] if cores == 1 else [1, cores]
    articles = load_articles(src)
    n_wn = len(articles)
    text_wn = sum(len(d["text"].encode("utf-8")) for d in articles)

    print(f"== Kestrel throughput ({binary})")
    print(f"machine: {B.machine()}")
    startup = B.kestrel_startup(binary)
    print(
        f"  start-up (one-article input): {startup.wall:.3f} s wall, {startup.cpu:.3f} s CPU, "
        f"peak RSS {startup.peak_mb:.0f} MB"
    )
    rows = []
    for t in thread_counts:
        runs = [B.kestrel_extract(binary, [src], t) for _ in range(a.repeats)]
        med = sorted(runs, key=lambda r: r.cpu)[len(runs) // 2]
        med.peak_mb = max(r.peak_mb for r in runs)
        rows.append(describe(f"Wikinews file (median of {a.repeats})", n_wn, text_wn, med, startup, t))

    big = B.OUT / f"synthetic-{a.mb:g}mb.jsonl"
    info = write_corpus(articles, str(big), target_bytes=int(a.mb * 1e6))
    print(
        f"  synthetic corpus: {info['articles']} articles ({info['copies']} copies of the Wikinews "
        f"file, unique ids), {info['file_bytes'] / 1e6:.0f} MB of JSON Lines, "
        f"{info['text_bytes'] / 1e6:.0f} MB of text"
    )
    try:
        for t in thread_counts:
            r = B.kestrel_extract(binary, [big], t)
            rows.append(
                describe(f"synthetic {info['file_bytes'] / 1e6:.0f} MB", info["articles"],
                         info["text_bytes"], r, startup, t)
            )
    finally:
        if not a.keep:
            big.unlink()
    result = {"machine": B.machine(), "startup_s": round(startup.wall, 3), "runs": rows}
    (B.OUT / "throughput.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"  (written to {B.OUT / 'throughput.json'})")


if __name__ == "__main__":
    main()
