#!/usr/bin/env python3
"""Synthetic JSON Lines corpora for the benchmarks, made from a real news file.

The source file (by default the Wikinews file in ../shared) is repeated, copy after copy, until the
output reaches a target size; every copy gets fresh ids (`<id>-r<copy>`) so that no record repeats
an id. The text itself is unchanged, so throughput on the synthetic corpus is throughput on real
news. Usage:

    bench/make_corpus.py SRC DST --mb 200        # repeat until DST is at least 200 MB (file bytes)
    bench/make_corpus.py SRC DST --copies 50     # exactly 50 copies

It prints one line of JSON describing what it wrote (articles, copies, file bytes, text bytes).
"""

import argparse
import json
import os
import sys


def load_articles(src):
    """The articles of a JSON Lines file, as dicts; a bad line is an error naming the line."""
    articles = []
    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"make_corpus: {src}:{n}: not JSON: {e}")
            if not isinstance(d, dict) or not isinstance(d.get("text"), str):
                sys.exit(f"make_corpus: {src}:{n}: no string field 'text'")
            articles.append(d)
    if not articles:
        sys.exit(f"make_corpus: {src}: no articles")
    return articles


def write_corpus(articles, dst, target_bytes=None, copies=None):
    """Write copies of `articles` with unique ids to `dst`; return a description of the result."""
    if (target_bytes is None) == (copies is None):
        raise ValueError("give exactly one of target_bytes and copies")
    file_bytes = text_bytes = n_articles = copy = 0
    tmp = dst + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        while (copies is not None and copy < copies) or (
            target_bytes is not None and file_bytes < target_bytes
        ):
            chunk = []
            for i, d in enumerate(articles):
                d = dict(d)
                d["id"] = f'{d.get("id", i)}-r{copy}'
                chunk.append(json.dumps(d, ensure_ascii=False))
                text_bytes += len(d["text"].encode("utf-8"))
            data = "\n".join(chunk) + "\n"
            f.write(data)
            file_bytes += len(data.encode("utf-8"))
            n_articles += len(articles)
            copy += 1
    os.replace(tmp, dst)
    return {
        "path": dst,
        "articles": n_articles,
        "copies": copy,
        "file_bytes": file_bytes,
        "text_bytes": text_bytes,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--mb", type=float, help="target size of DST in MB (10^6 bytes)")
    g.add_argument("--copies", type=int, help="number of copies of SRC")
    a = ap.parse_args()
    if (a.mb is not None and a.mb <= 0) or (a.copies is not None and a.copies <= 0):
        sys.exit("make_corpus: --mb and --copies must be positive")
    articles = load_articles(a.src)
    info = write_corpus(
        articles,
        a.dst,
        target_bytes=int(a.mb * 1e6) if a.mb is not None else None,
        copies=a.copies,
    )
    print(json.dumps(info))


if __name__ == "__main__":
    main()
