"""Nothing reviewed is lost while people and commands work at the same time, or when a command is killed.

Real processes throughout: ``l10n translate`` (and ``extract``, ``publish``)
run as child processes on a corpus big enough to take seconds, while this
process saves catalogs the way a PO editor does (polib, which wraps lines
differently from gettext) and runs ``extract`` after changing an article.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from support import big_project, run_l10n, run_l10n_process

from l10n.po import read_catalog

pytestmark = pytest.mark.gettext

OURS = re.compile(r"\.l10n-\d+-[0-9a-f]{8}\.(tmp|bak)$")


def _start(project: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.Popen([sys.executable, "-m", "l10n", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _catalogs(project: Path) -> list[Path]:
    return sorted((project / "locales" / "en").rglob("*.po"))


def _machine_filled(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("l10n: machine translation")


def _wait_for(condition, proc: subprocess.Popen, what: str, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, f"the run ended before {what}: {proc.stdout.read()}{proc.stderr.read()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _edit_as_an_editor(path: Path, changes: dict[str, str]) -> None:
    """Save translations the way a PO editor does: polib's own reader and writer, reviewed (not fuzzy)."""
    po = polib.pofile(str(path), wrapwidth=60)
    for entry in po:
        if entry.msgid in changes:
            entry.msgstr = changes[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()


def _valid(path: Path) -> None:
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], check=True, capture_output=True)


def _reviewed(path: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in read_catalog(path) if e.msgstr and not e.fuzzy and not e.obsolete}


def test_saves_and_extract_during_translate_are_kept(argos_env, tmp_path):
    project = big_project(tmp_path / "big", articles=40, sentences=40)
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    paths = _catalogs(project)
    first, middle, late, extended = paths[0], paths[len(paths) // 2], paths[-3], paths[-1]
    _edit_as_an_editor(first, {"Bericht Nummer 0": "Report number 0"})  # reviewed before the run
    proc = _start(project, "translate", "--save-every", "0.1")
    try:
        # 1. as soon as the run has saved once: change a reviewed translation, review an empty entry
        _wait_for(lambda: any(_machine_filled(p) for p in paths), proc, "its first save")
        empty = next(e.msgid for e in read_catalog(middle) if not e.msgstr)
        _edit_as_an_editor(first, {"Bericht Nummer 0": "Report no. 0 (edited)"})
        _edit_as_an_editor(middle, {empty: "A translator's own sentence."})
        # 2. later: a new sentence in an article, and extract while translate runs
        _wait_for(lambda: _machine_filled(paths[len(paths) // 4]) > 0, proc, "a quarter of the catalogs")
        article = project / "source" / "bericht-039.txt"
        article.write_text(article.read_text(encoding="utf-8") + "\nEin ganz neuer Satz kommt hinzu.\n",
                           encoding="utf-8")
        run_l10n("extract", cwd=project)
        # 3. and once more, on a catalog the run has not reached yet
        _edit_as_an_editor(late, {"Bericht Nummer 37": "Report number 37"})
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert _reviewed(first)["Bericht Nummer 0"] == "Report no. 0 (edited)"
    assert _reviewed(middle)[empty] == "A translator's own sentence."
    assert _reviewed(late)["Bericht Nummer 37"] == "Report number 37"
    po = read_catalog(extended)
    assert po.find("Ein ganz neuer Satz kommt hinzu.") is not None  # the unit extract added survived
    for path in paths:
        _valid(path)
        assert all(e.msgstr for e in read_catalog(path) if not e.obsolete
                   and e.msgid != "Ein ganz neuer Satz kommt hinzu."), path
    assert "Merged with changes saved during the run (theirs kept)" in out


def _published(project: Path) -> dict[str, bytes]:
    """The published pages (not the temporaries a killed run left beside them: the next run removes those)."""
    return {p.name: p.read_bytes() for p in sorted((project / "public").rglob("*"))
            if p.is_file() and not OURS.search(p.name)}


def _leftovers(project: Path) -> list[Path]:
    return [p for p in project.rglob("*") if OURS.search(p.name)]


def test_kill_at_random_moments_then_rerun_keeps_every_invariant(argos_env, tmp_path):
    project = big_project(tmp_path / "big", articles=30, sentences=30)
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    paths = _catalogs(project)
    _edit_as_an_editor(paths[2], {"Bericht Nummer 2": "REVIEWED: report 2"})
    reviewed = {p: _reviewed(p) for p in paths}
    blocks = [b for b in paths[2].read_text(encoding="utf-8").split("\n\n") if "REVIEWED" in b]
    rng = random.Random(20261201)  # the same moments on every machine, as far as timing allows

    def kill_then_rerun(args: tuple[str, ...], delay: float) -> None:
        before = _published(project)
        proc = _start(project, *args)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = _published(project)
        run_l10n_process(*args, cwd=project)
        after = _published(project)
        for name, data in killed.items():  # each output is the old file or the new one, never half
            assert data in (before.get(name), after[name]), name
        assert not _leftovers(project), _leftovers(project)
        for path in paths:
            _valid(path)
            assert reviewed[path].items() <= _reviewed(path).items(), path
        assert [b for b in paths[2].read_text(encoding="utf-8").split("\n\n") if "REVIEWED" in b] == blocks

    for round_ in range(3):
        article = project / "source" / f"bericht-{round_:03d}.txt"
        article.write_text(article.read_text(encoding="utf-8") + f"\nNeuer Satz in Runde {round_}.\n",
                           encoding="utf-8")
        kill_then_rerun(("extract",), rng.uniform(0.3, 1.2))
        kill_then_rerun(("translate", "--quiet", "--save-every", "0.1"), rng.uniform(0.8, 2.5))
        kill_then_rerun(("publish", "--include-fuzzy"), rng.uniform(0.3, 1.2))
    published = _published(project)
    assert len(published) == len(paths)
    po = read_catalog(paths[0])
    assert all(e.msgstr for e in po if not e.obsolete)
