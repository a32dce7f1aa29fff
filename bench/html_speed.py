#!/usr/bin/env python3
"""HTML extraction speed: `kestrel extract --threads 1` against trafilatura on the 181 pages of the
article-extraction benchmark, one core each.

Both read the same decompressed page bytes (the pages are unpacked once into bench/out/html-pages,
so neither side pays for gzip). trafilatura: `trafilatura.extract(page_bytes,
include_comments=False)` page by page, main text only, --passes passes (default 1: caches cannot
help a first pass). Kestrel: its whole pipeline (extraction, then sentences, actors, events...), so
its figure is an upper bound on its extraction time; the pages are hard-linked into enough copies
for the run to take about --seconds of CPU, and the fixed start-up cost is left out.

"Per core" is work per CPU-second (user + system time of the process): what one core does on an
otherwise idle machine, and a figure that other load on the machine barely moves. MB are 10^6
bytes of HTML.

When the kestrel binary does not accept .html input yet, the script says so and exits with status
3 without measuring anything. Needs bench/setup_python.sh's environment (re-runs itself under
bench/out/venv/bin/python when trafilatura is not importable).
Usage: bench/html_speed.py [--pages DIR] [--seconds 5] [--passes 1]
"""

import argparse
import gzip
import json
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402

DEFAULT_PAGES = B.ROOT.parent / "shared/eval/html/article-extraction-benchmark/html"


def unpack(pages_dir):
    """Decompress every *.html.gz (or copy *.html) of `pages_dir` into bench/out/html-pages."""
    dst = B.OUT / "html-pages" / "r0"
    if dst.parent.exists():
        shutil.rmtree(dst.parent)
    dst.mkdir(parents=True)
    pages = []
    for p in sorted(pages_dir.iterdir()):
        if p.name.endswith(".html.gz"):
            try:
                data = gzip.decompress(p.read_bytes())
            except (OSError, EOFError) as e:
                B.die(f"{p}: not a readable gzip file: {e}")
            name = p.name[: -len(".gz")]
        elif p.name.endswith(".html"):
            data, name = p.read_bytes(), p.name
        else:
            continue
        (dst / name).write_bytes(data)
        pages.append((dst / name, data))
    if not pages:
        B.die(f"no .html or .html.gz pages in {pages_dir}")
    return pages


def kestrel_accepts_html(binary, page):
    """None when kestrel turns an HTML page into a record, else why not."""
    out = B.OUT / "html-probe.jsonl"
    r = B.kestrel_extract(binary, [page], 1, output=out, check=False)
    records = out.read_text(encoding="utf-8").count("\n") if out.exists() else 0
    out.unlink(missing_ok=True)
    if r.returncode == 0 and records >= 1:
        return None
    msg = next((l for l in r.stderr.splitlines() if "error" in l), r.stderr.strip()[:300])
    return f"exit status {r.returncode}, {records} records; {msg or 'no message'}"


def copies_dir(n):
    """bench/out/html-pages with r0..r{n-1}, each holding every page (hard links of r0)."""
    base = B.OUT / "html-pages"
    r0 = base / "r0"
    for i in range(1, n):
        d = base / f"r{i}"
        if d.exists():
            continue
        d.mkdir()
        for p in r0.iterdir():
            try:
                os.link(p, d / p.name)
            except OSError:
                shutil.copyfile(p, d / p.name)
    for d in base.iterdir():
        if d.name.startswith("r") and d.name[1:].isdigit() and int(d.name[1:]) >= n:
            shutil.rmtree(d)
    return base


def measure_kestrel(binary, pages, seconds):
    startup = B.kestrel_startup(binary)
    n_bytes1 = sum(len(d) for _, d in pages)
    copies = 1
    while True:
        r = B.kestrel_extract(binary, [copies_dir(copies)], 1)
        steady_cpu = r.cpu - startup.cpu
        if steady_cpu >= 0.8 * seconds or copies >= 2000:
            break
        per_copy = max(steady_cpu, 0.01) / copies
        copies = min(2000, max(copies * 2, int(seconds / per_copy) + 1))
    return {
        "pages": len(pages) * copies,
        "html_bytes": n_bytes1 * copies,
        "copies": copies,
        "wall_s": r.wall,
        "steady_s": r.wall - startup.wall,
        "steady_cpu_s": steady_cpu,
        "startup_s": startup.wall,
        "peak_rss_mb": r.peak_mb,
    }


def measure_trafilatura(pages, passes):
    import trafilatura

    n = n_bytes = empty = out_chars = 0
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(passes):
        for _, data in pages:
            text = trafilatura.extract(data, include_comments=False)
            n += 1
            n_bytes += len(data)
            if text:
                out_chars += len(text)
            else:
                empty += 1
    return {
        "version": trafilatura.__version__,
        "pages": n,
        "html_bytes": n_bytes,
        "passes": passes,
        "empty": empty,
        "text_chars": out_chars,
        "steady_s": time.perf_counter() - w0,
        "steady_cpu_s": time.process_time() - c0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=os.path.abspath, default=str(DEFAULT_PAGES))
    ap.add_argument("--seconds", type=float, default=5.0, help="Kestrel's run time, about")
    ap.add_argument("--passes", type=int, default=1, help="trafilatura passes over the pages")
    a = ap.parse_args()
    if a.seconds <= 0 or a.passes <= 0:
        B.die("--seconds and --passes must be positive")
    B.ensure_venv("trafilatura")
    pages_dir = B.Path(a.pages)
    if not pages_dir.is_dir():
        B.die(f"{pages_dir} is not a directory of HTML pages")
    binary = B.kestrel_bin()
    print("== HTML extraction: Kestrel vs trafilatura, one core each")
    print(f"machine: {B.machine()}")
    pages = unpack(pages_dir)
    why = kestrel_accepts_html(binary, pages[0][0])
    if why:
        print(f"  SKIPPED: {binary} does not accept .html input yet ({why}).")
        print("  Needed: `kestrel extract PAGE.html` giving one record per page (issue 9, part 1).")
        shutil.rmtree(B.OUT / "html-pages")
        (B.OUT / "html_speed.json").unlink(missing_ok=True)  # no stale figures from an older run
        sys.exit(3)
    k = measure_kestrel(binary, pages, a.seconds)
    t = measure_trafilatura(pages, a.passes)
    out = {"machine": B.machine()}
    for name, m in (("kestrel", k), ("trafilatura", t)):
        m["pages_per_s"], m["mb_per_s"] = B.rates(m["pages"], m["html_bytes"], m["steady_s"])
        m["pages_per_cpu_s"], m["mb_per_cpu_s"] = B.rates(m["pages"], m["html_bytes"], m["steady_cpu_s"])
        out[name] = m
    ratio = k["pages_per_cpu_s"] / t["pages_per_cpu_s"]
    ratio_wall = k["pages_per_s"] / t["pages_per_s"]
    out["ratio_per_core"], out["ratio_wall"] = ratio, ratio_wall
    print(
        f"  Kestrel (extract --threads 1, whole pipeline): {k['pages']:,} pages ({k['copies']} "
        f"cop{'ies' if k['copies'] != 1 else 'y'} of {len(pages)}), {k['html_bytes'] / 1e6:.1f} MB "
        f"of HTML in {k['steady_cpu_s']:.2f} CPU-s: per core {k['pages_per_cpu_s']:,.0f} pages/s, "
        f"{k['mb_per_cpu_s']:.1f} MB/s (wall {k['steady_s']:.2f} s + {k['startup_s']:.2f} s "
        f"start-up); peak RSS {k['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  trafilatura {t['version']} (extract, include_comments=False): {t['pages']} pages "
        f"({t['passes']} pass{'es' if t['passes'] != 1 else ''}), {t['html_bytes'] / 1e6:.1f} MB "
        f"of HTML in {t['steady_cpu_s']:.2f} CPU-s: per core {t['pages_per_cpu_s']:,.1f} pages/s, "
        f"{t['mb_per_cpu_s']:.2f} MB/s (wall {t['steady_s']:.2f} s); {t['empty']} pages gave no text"
    )
    print(f"  ratio Kestrel / trafilatura per core: {ratio:,.1f}x (wall clock: {ratio_wall:,.1f}x)")
    (B.OUT / "html_speed.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"  (written to {B.OUT / 'html_speed.json'})")
    shutil.rmtree(B.OUT / "html-pages")


if __name__ == "__main__":
    main()
