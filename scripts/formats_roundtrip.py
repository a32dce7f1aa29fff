#!/usr/bin/env python3
"""Load every `kestrel extract --format` output with pandas and pyarrow and check it against the
`kestrel/1` JSON records of the same input: the same events, the same count in every format.

Usage: python3 scripts/formats_roundtrip.py [--kestrel PATH] [--no-parquet] [INPUT...]

With no INPUT it codes examples/ and, when ../shared/corpus is there, the seed article and the
Wikinews file. It makes its own virtual environment (target/formats-venv, or $KESTREL_VENV) with
pandas and pyarrow from PyPI, builds `kestrel` in release mode with the `parquet` feature unless
--kestrel names a binary, writes the outputs under target/formats-out/, prints
`read_csv(...).groupby('plover_type').size()` for each input, and exits 1 on any disagreement.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
VENV = Path(os.environ.get("KESTREL_VENV", TARGET / "formats-venv"))


def ensure_venv():
    """Re-run this script inside a virtual environment that has pandas and pyarrow."""
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not py.exists():
        print(f"creating {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    probe = subprocess.run([str(py), "-c", "import pandas, pyarrow"], capture_output=True)
    if probe.returncode != 0:
        print("installing pandas and pyarrow", file=sys.stderr)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pandas", "pyarrow"], check=True)
    os.execv(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]])


def build(parquet):
    cmd = ["cargo", "build", "--release", "-p", "kestrel-cli"]
    if parquet:
        cmd += ["--features", "parquet"]
    subprocess.run(cmd, cwd=ROOT, check=True)
    return TARGET / "release" / "kestrel"


def default_inputs():
    inputs = [("examples", ROOT / "examples")]
    shared = ROOT.parent / "shared" / "corpus"
    for name, rel in [
        ("seed", "seed/000_b9cc3ed0ce90f727.txt"),
        ("wikinews", "wikinews/wikinews-2019.jsonl"),
    ]:
        if (shared / rel).exists():
            inputs.append((name, shared / rel))
    return inputs


def check(kestrel, name, path, parquet, out_dir):
    import json

    import pandas as pd
    import pyarrow.parquet as pq

    files = {
        "jsonl": out_dir / f"{name}.jsonl",
        "csv": out_dir / f"{name}.csv",
        "plover": out_dir / f"{name}.plover.jsonl",
        "cameo": out_dir / f"{name}.cameo.tsv",
    }
    if parquet:
        files["parquet"] = out_dir / f"{name}.parquet"
    for fmt, out in files.items():
        subprocess.run(
            [str(kestrel), "extract", "-q", "--format", fmt, "-o", str(out), str(path)],
            check=True,
        )

    events = []
    with open(files["jsonl"], encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for e in rec["events"]:
                events.append((f"{rec['id']}:{e['id']}", e["type"], e["cameo"]))
    ids = [e[0] for e in events]
    by_type = pd.Series([e[1] for e in events], dtype=object).value_counts().sort_index()
    problems = []

    def same(fmt, got_ids):
        if list(got_ids) != ids:
            problems.append(f"{name}: {fmt} has {len(got_ids)} events, the records {len(ids)}")

    df = pd.read_csv(files["csv"], dtype={"event_id": str, "cameo": str}, keep_default_na=False)
    same("csv", df["event_id"])
    sizes = df.groupby("plover_type").size()
    print(f"== {name}: pandas.read_csv(...).groupby('plover_type').size()")
    print(sizes.to_string())
    if not sizes.sort_index().astype(int).equals(by_type.astype(int)):
        problems.append(f"{name}: csv type counts differ from the records")
    if list(df["cameo"]) != [e[2] for e in events]:
        problems.append(f"{name}: csv cameo codes differ from the records")

    with open(files["plover"], encoding="utf-8") as f:
        plover = [json.loads(line) for line in f]
    same("plover", [p["id"] for p in plover])
    if [p["event"][0] for p in plover] != [e[1] for e in events]:
        problems.append(f"{name}: plover event types differ from the records")

    if files["cameo"].stat().st_size:
        cameo = pd.read_csv(files["cameo"], sep="\t", header=None, dtype=str,
                            keep_default_na=False, quoting=3)
        if cameo.shape[1] != 58:
            problems.append(f"{name}: cameo rows have {cameo.shape[1]} columns, not 58")
        same("cameo", cameo[0])
        if list(cameo[26]) != [e[2] for e in events]:
            problems.append(f"{name}: cameo EventCode differs from the records")
    else:
        same("cameo", [])

    counts = {"jsonl": len(ids), "csv": len(df), "plover": len(plover),
              "cameo": sum(1 for _ in open(files["cameo"], encoding="utf-8"))}
    if parquet:
        schema = pq.read_schema(files["parquet"])
        want_types = {"event_date": "date32[day]", "published": "date32[day]",
                      "fatalities_min": "int64", "lat": "double", "confidence": "double",
                      "event_id": "string"}
        for col, t in want_types.items():
            if str(schema.field(col).type) != t:
                problems.append(f"{name}: parquet {col} is {schema.field(col).type}, not {t}")
        table = pd.read_parquet(files["parquet"])
        same("parquet", table["event_id"])
        if not table.groupby("plover_type").size().astype(int).equals(by_type.astype(int)):
            problems.append(f"{name}: parquet type counts differ from the records")
        counts["parquet"] = len(table)
        meta = pq.ParquetFile(files["parquet"]).metadata
        print(f"   parquet: {meta.num_rows} rows in {meta.num_row_groups} row group(s)")
    print("   events per format: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return problems


def main():
    ensure_venv()
    args = sys.argv[1:]
    parquet = "--no-parquet" not in args
    args = [a for a in args if a != "--no-parquet"]
    kestrel = None
    if "--kestrel" in args:
        i = args.index("--kestrel")
        kestrel = Path(args[i + 1])
        del args[i:i + 2]
    inputs = [(Path(a).name.split(".")[0], Path(a)) for a in args] or default_inputs()
    kestrel = kestrel or build(parquet)
    out_dir = TARGET / "formats-out"
    out_dir.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in inputs:
        problems += check(kestrel, name, path, parquet, out_dir)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    print(f"{len(inputs)} inputs, {len(problems)} problems; outputs in {out_dir}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
