"""Helpers the tests share: paths of the repository and running the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "open-source-ki-deepseek.txt"


def find_chromium() -> str | None:
    """The headless Chromium on PATH, if any."""
    return next((path for path in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if path), None)


def run_l10n(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run the command line in this process (typer's test runner), in ``cwd``.

    The same command object as the console script, with the same error
    handling, so output and exit codes are what a user sees; an exception
    that would have been a traceback is raised here, failing the test.
    Use :func:`run_l10n_process` where the process boundary is under test.
    """
    from typer.testing import CliRunner

    from l10n.cli import app

    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"COLUMNS": "120"}).invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    proc = subprocess.CompletedProcess(["l10n", *args], result.exit_code, result.stdout, result.stderr)
    _check(proc, check)
    return proc


def run_l10n_process(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as a shell would."""
    env = dict(os.environ, PYTHONUTF8="1", COLUMNS="120")
    proc = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    _check(proc, check)
    return proc


def _check(proc: subprocess.CompletedProcess, check: bool) -> None:
    if check and proc.returncode != 0:
        command = " ".join(proc.args[1:] if proc.args[0] == "l10n" else proc.args[3:])
        raise AssertionError(f"l10n {command} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def big_project(root: Path, articles: int, sentences: int) -> Path:
    """A project whose units are all different, extracted: enough work to interrupt.

    One engine thread: the tiny test model runs many times faster on one
    thread than spread over cores that other processes share.
    """
    (root / "source").mkdir(parents=True)
    (root / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\n"
                                    "engine:\n  beam_size: 2\n  batch_size: 2\n  threads: 1\n", encoding="utf-8")
    words = ("Die Regierung plant neue Regeln für Daten und Modelle in Europa und China sowie "
             "Forschung an Hochschulen mit Geld vom Staat").split()
    for a in range(articles):
        paragraphs = [f"Bericht Nummer {a}"]
        for s in range(sentences):
            picked = [words[(a * 7 + s * 3 + k * 5) % len(words)] for k in range(6 + (a + s) % 9)]
            paragraphs.append(" ".join(picked).capitalize() + f" im Jahr {1900 + a * sentences + s}.")
        (root / "source" / f"bericht-{a:03d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    run_l10n("extract", cwd=root)
    return root


def configure(project: Path, text: str) -> None:
    """Append settings to a project's ``l10n.yaml``."""
    with open(project / "l10n.yaml", "a", encoding="utf-8") as f:
        f.write("\n" + text)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes, to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
