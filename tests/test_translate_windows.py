"""``l10n translate`` over a project larger than one window of articles (``l10n.mt.translate.WINDOW``).

Articles are planned and filled a window at a time so that memory use does
not grow with the project; the catalogs must come out as one window gives.
"""

from __future__ import annotations

import re
import shutil

import pytest
from support import big_project, run_l10n

from l10n.mt import translate as translate_module
from l10n.po import read_catalog

CONFIDENCE = re.compile(r"confidence (\d\.\d\d)")


def _filled(project):
    """Every live entry of every catalog: (catalog, msgid) → (msgstr, flags, notes without the confidence), confidences."""
    entries, confidences = {}, []
    for path in sorted((project / "locales").rglob("*.po")):
        for e in read_catalog(path):
            if not e.obsolete:
                entries[path.name, e.msgid] = (e.msgstr, tuple(e.flags), CONFIDENCE.sub("", e.tcomment or ""))
                confidences += [float(c) for c in CONFIDENCE.findall(e.tcomment or "")]
    return entries, confidences


@pytest.fixture
def two_projects(argos_env, tmp_path):
    one = big_project(tmp_path / "one", articles=7, sentences=3)
    # One text a batch: with padding, a near tie of the random test model can go either way
    # depending on which texts share a batch, and the windows make other batches.
    config = one / "l10n.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("batch_size: 2", "batch_size: 1"), encoding="utf-8")
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=one)
    many = tmp_path / "many"
    shutil.copytree(one, many)
    return one, many


def test_windows_of_articles_fill_what_one_window_fills(two_projects, monkeypatch):
    one, many = two_projects
    dry_one = run_l10n("translate", "--dry-run", cwd=one).stdout
    run_l10n("translate", "--quiet", cwd=one)
    monkeypatch.setattr(translate_module, "WINDOW", 3)
    monkeypatch.setattr(translate_module, "FIRST_WINDOW", 2)  # 7 articles: windows of 2, 3 and 2
    assert run_l10n("translate", "--dry-run", cwd=many).stdout == dry_one
    out = run_l10n("translate", cwd=many).stdout
    assert "from the engine" in out and "skipped" in out

    entries_one, conf_one = _filled(one)
    entries_many, conf_many = _filled(many)
    assert entries_many == entries_one
    assert all(msgstr for msgstr, _flags, _notes in entries_many.values())
    # the batches differ between the runs: CTranslate2's float sums may differ in the last digits
    assert conf_many == pytest.approx(conf_one, abs=0.011)
    assert not (many / ".l10n" / "translate-journal.jsonl").exists()



def test_a_damaged_catalog_in_a_later_window_stops_the_run_before_anything_is_written(two_projects, monkeypatch):
    _one, many = two_projects
    monkeypatch.setattr(translate_module, "WINDOW", 3)
    monkeypatch.setattr(translate_module, "FIRST_WINDOW", 2)  # windows of 2, 3 and 2
    catalogs = sorted((many / "locales" / "en").rglob("*.po"))
    damaged = catalogs[-1]  # in the last window, which is planned while the one before is translated
    damaged.write_bytes(damaged.read_bytes() + b'msgid "cut short\n')
    before = {path: path.read_bytes() for path in catalogs}

    out = run_l10n("translate", "--quiet", cwd=many, check=False)

    # the memory reads every catalog of the language before the first window is filled
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1 and damaged.name in out.stderr and "Traceback" not in out.stderr
    assert {path: path.read_bytes() for path in catalogs} == before
