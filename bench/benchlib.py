"""Shared helpers for the Python benchmark scripts: where things are, how to run kestrel and
measure it (wall clock, CPU time and peak memory of the child process, from wait4), and how to
describe the machine.

Environment: KESTREL_BIN (a kestrel binary; otherwise `cargo build --release -p kestrel-cli` is
run at the repository root and ${CARGO_TARGET_DIR:-target}/release/kestrel used), WIKINEWS (the
Wikinews JSON Lines file; otherwise ../shared/corpus/wikinews/wikinews-2019.jsonl).
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV_PYTHON = OUT / "venv" / "bin" / "python"


def die(msg, code=2):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(code)


def wikinews_path():
    p = Path(os.environ.get("WIKINEWS", ROOT.parent / "shared/corpus/wikinews/wikinews-2019.jsonl"))
    if not p.is_file():
        die(f"the Wikinews file {p} is missing (set WIKINEWS=PATH)")
    return p


def kestrel_bin():
    """The kestrel binary to measure, building it when KESTREL_BIN is not set."""
    env = os.environ.get("KESTREL_BIN")
    if env:
        p = Path(env)
    else:
        print("bench: building kestrel (cargo build --release -p kestrel-cli)", file=sys.stderr)
        r = subprocess.run(["cargo", "build", "--release", "-q", "-p", "kestrel-cli"], cwd=ROOT)
        if r.returncode != 0:
            die("cargo build failed")
        p = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release" / "kestrel"
        if not p.is_absolute():
            p = ROOT / p
    if not (p.is_file() and os.access(p, os.X_OK)):
        die(f"{p} is not an executable kestrel binary")
    return p


def ensure_venv(*modules):
    """Re-run this script under bench/out/venv's python when `modules` do not import here."""
    try:
        for m in modules:
            __import__(m)
        return
    except ImportError as e:
        missing = e.name
    if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
    die(f"Python module {missing!r} is missing: run bench/setup_python.sh first")


def machine():
    """One line describing the machine."""
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    load = ""
    try:
        load = f", load average {os.getloadavg()[0]:.1f} now"
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model or platform.processor()}){mem}, {platform.system()}{load}"


class Run:
    """What one child process cost: wall and CPU seconds, peak resident memory in MB."""

    def __init__(self, wall, cpu, peak_mb, returncode, stderr):
        self.wall, self.cpu, self.peak_mb = wall, cpu, peak_mb
        self.returncode, self.stderr = returncode, stderr


TIME = Path("/usr/bin/time")


def run_measured(cmd, stdout=subprocess.DEVNULL, env=None):
    """Run `cmd`, returning its Run; stderr is captured (to a file, so it cannot block).

    CPU time and peak RSS come from /usr/bin/time wrapped around the command: Linux carries the
    high-water RSS of the process that forked a child into the child's `ru_maxrss`, so measuring
    from here directly would report this Python process's memory (with spaCy loaded, a gigabyte)
    whenever it exceeds the command's. Without /usr/bin/time, wait4's figures are used.
    """
    OUT.mkdir(parents=True, exist_ok=True)
    errf = OUT / f".stderr-{os.getpid()}"
    timef = OUT / f".time-{os.getpid()}"
    cmd = [str(c) for c in cmd]
    use_time = TIME.exists()
    if use_time:
        cmd = [str(TIME), "-o", str(timef), "-f", "%U %S %M", *cmd]
    with open(errf, "w+b") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=stdout, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    errf.unlink()
    cpu, peak_mb = ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024
    if use_time:
        # time's last line holds the figures (a line before it may say the command failed).
        fields = timef.read_text().strip().splitlines()[-1].split()
        timef.unlink()
        cpu, peak_mb = float(fields[0]) + float(fields[1]), int(fields[2]) / 1024
    return Run(wall, cpu, peak_mb, p.returncode, stderr)


def kestrel_extract(binary, inputs, threads, output=os.devnull, check=True):
    """`kestrel extract --threads T -o OUTPUT INPUTS...`, measured."""
    r = run_measured([binary, "extract", "--threads", str(threads), "-o", output, *inputs])
    if check and r.returncode != 0:
        die(f"kestrel exited with {r.returncode} on {inputs[0]}...:\n{r.stderr[-2000:]}")
    return r


def kestrel_startup(binary, repeats=3):
    """Fixed cost of one kestrel run (resource loading): median of runs on a one-article input."""
    one = OUT / "one-article.jsonl"
    with open(wikinews_path(), encoding="utf-8") as f:
        first = json.loads(f.readline())
    first["id"] = "startup-probe"
    one.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    runs = [kestrel_extract(binary, [one], 1) for _ in range(repeats)]
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
        0,
        "",
    )


def rates(n_articles, n_bytes, seconds):
    """(articles/s, MB/s) for this much work in `seconds`."""
    if seconds <= 0:
        return float("inf"), float("inf")
    return n_articles / seconds, n_bytes / 1e6 / seconds
