"""Shared fixtures for the tests of the `kestrel` Python package: the repository, the `kestrel`
binary the records are compared with, and the shared corpus when it is present."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _shared():
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "corpus").is_dir():
            return candidate
    return None


SHARED = _shared()


@pytest.fixture(scope="session")
def kestrel_bin():
    """The `kestrel` binary (KESTREL_BIN, else target/release/kestrel)."""
    path = Path(os.environ.get("KESTREL_BIN", ROOT / "target" / "release" / "kestrel"))
    if not path.is_file():
        pytest.skip(f"no kestrel binary at {path}: set KESTREL_BIN (scripts/test_python.sh does)")
    return path


@pytest.fixture(scope="session")
def run_cli(kestrel_bin):
    """Run `kestrel ARGS...` with optional stdin bytes; returns (exit code, stdout, stderr)."""

    def run(*args, stdin=b""):
        p = subprocess.run(
            [str(kestrel_bin), *map(str, args)],
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=False,
        )
        return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")

    return run


@pytest.fixture(scope="session")
def shared():
    if SHARED is None:
        pytest.skip("the shared corpus (../shared) is not present")
    return SHARED
