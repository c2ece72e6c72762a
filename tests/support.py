"""Helpers the tests share: paths of the repository and running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "open-source-ki-deepseek.txt"


def run_l10n(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as a user would."""
    env = dict(os.environ, PYTHONUTF8="1", COLUMNS="120")
    proc = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"l10n {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes, to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
