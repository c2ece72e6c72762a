"""Templates and merging: one entry per text, msgmerge semantics, nothing reviewed lost."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from support import REPO, SEED

from l10n import catalog
from l10n import config as config_module
from l10n.formats import text
from l10n.po import read_catalog, write_catalog

CONFIG = config_module.load(REPO)


def pot_of(source: str, path: str = "source/a.txt") -> polib.POFile:
    doc = text.read(source.encode(), path, CONFIG)
    return catalog.template(doc, "test", "2026-01-01 00:00+0000")


def translated(pot: polib.POFile, table: dict[str, str], fuzzy: set[str] = frozenset()) -> polib.POFile:
    po = catalog.merge(pot, None, "en", "source/a.txt")
    for entry in po:
        entry.msgstr = table.get(entry.msgid, "")
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
    return po


def state(po: polib.POFile) -> set[tuple]:
    return {(e.msgid, e.msgstr, e.fuzzy, e.obsolete) for e in po}


def test_repeated_text_is_one_entry_with_every_reference():
    pot = pot_of(SEED.read_text())
    title = pot.find("Was bedeutet Open-Source-KI und warum ist DeepSeek anders?")
    assert title.occurrences == [("source/a.txt", "1"), ("source/a.txt", "3")]
    assert title.comment == "title\nheading"
    credit = pot.find("Bildquelle: Stanford University")
    assert len(credit.occurrences) == 3
    assert len({e.msgid for e in pot}) == len(pot)


OLD = "Titel\n\nErster Satz bleibt. Zweiter Satz wird leicht geändert. Dritter Satz fällt weg.\n"
NEW = "Titel\n\nErster Satz bleibt. Zweiter Satz wurde leicht geändert. Ein ganz neuer Gedanke kommt hinzu.\n"
TABLE = {"Titel": "Title", "Erster Satz bleibt.": "First sentence stays.",
         "Zweiter Satz wird leicht geändert.": "Second sentence is changed slightly.",
         "Dritter Satz fällt weg.": "Third sentence is dropped."}


def test_merge_keeps_reviewed_suggests_changed_and_obsoletes_removed():
    old = translated(pot_of(OLD), TABLE)
    old.find("Titel").tcomment = "translator's note"
    merged = catalog.merge(pot_of(NEW), old, "en", "source/a.txt")
    live = {e.msgid: e for e in merged if not e.obsolete}
    assert live["Titel"].msgstr == "Title" and not live["Titel"].fuzzy
    assert live["Titel"].tcomment == "translator's note"
    assert live["Erster Satz bleibt."].msgstr == "First sentence stays."
    changed = live["Zweiter Satz wurde leicht geändert."]
    assert changed.fuzzy and changed.msgstr == "Second sentence is changed slightly."
    assert changed.previous_msgid == "Zweiter Satz wird leicht geändert."
    assert live["Ein ganz neuer Gedanke kommt hinzu."].msgstr == ""
    obsolete = {e.msgid: e.msgstr for e in merged if e.obsolete}
    assert obsolete["Dritter Satz fällt weg."] == "Third sentence is dropped."


@pytest.mark.gettext
def test_merge_agrees_with_real_msgmerge(tmp_path: Path):
    old = translated(pot_of(OLD), TABLE)
    write_catalog(tmp_path / "old.po", old)
    write_catalog(tmp_path / "new.pot", pot_of(NEW))
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(tmp_path / "gnu.po"), str(tmp_path / "old.po"),
                    str(tmp_path / "new.pot")], check=True)
    gnu = polib.pofile(str(tmp_path / "gnu.po"))
    ours = catalog.merge(pot_of(NEW), read_catalog(tmp_path / "old.po"), "en", "source/a.txt")
    # Beyond msgmerge: each reviewed entry whose translation became a suggestion is also kept, obsolete.
    kept = {(e.previous_msgid, TABLE[e.previous_msgid], False, True) for e in gnu if e.previous_msgid}
    assert kept and state(ours) == state(gnu) | kept
    assert {e.msgid: e.previous_msgid for e in ours if not e.obsolete} == {
        e.msgid: e.previous_msgid for e in gnu if not e.obsolete}


@pytest.mark.gettext
def test_undoing_a_source_edit_brings_the_reviewed_translations_back(tmp_path: Path):
    old = translated(pot_of(OLD), TABLE)
    edited = catalog.merge(pot_of(NEW), old, "en", "source/a.txt")
    fuzzy = {e.msgid for e in edited if e.fuzzy and not e.obsolete}
    assert fuzzy  # the edited units: suggestions with their old text as "#| msgid"
    back = catalog.merge(pot_of(OLD), edited, "en", "source/a.txt")
    live = [e for e in back if not e.obsolete]
    assert {e.msgid: e.msgstr for e in live} == TABLE and not any(e.fuzzy for e in live)
    assert {e.msgid for e in back if e.obsolete} == fuzzy  # the edited texts' suggestions, obsolete now
    write_catalog(tmp_path / "back.po", back)
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "back.po")], check=True)


@pytest.mark.gettext
def test_a_plural_entry_a_translator_made_stays_the_units_only_entry(tmp_path: Path):
    old = translated(pot_of(OLD), TABLE)
    entry = old.find("Erster Satz bleibt.")
    entry.msgid_plural = "Erste Sätze bleiben."
    entry.msgstr_plural = {0: "First sentence stays.", 1: "First sentences stay."}
    entry.msgstr = ""
    for _ in range(2):  # and again: a second extract changes nothing
        old = catalog.merge(pot_of(OLD), old, "en", "source/a.txt")
        assert [e.msgid for e in old].count("Erster Satz bleibt.") == 1
        assert old.find("Erster Satz bleibt.").msgstr_plural[1] == "First sentences stay."
        write_catalog(tmp_path / "a.po", old)
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "a.po")], check=True)
        old = read_catalog(tmp_path / "a.po")


def test_obsolete_entry_comes_back_when_its_text_returns():
    old = translated(pot_of(OLD), TABLE)
    gone = catalog.merge(pot_of(NEW), old, "en", "source/a.txt")
    back = catalog.merge(pot_of(OLD), gone, "en", "source/a.txt")
    assert {e.msgid: e.msgstr for e in back if not e.obsolete} == TABLE
    # the obsolete entries are revived as they were: the removed one, and the reviewed one of the changed unit
    assert not [e for e in back if e.fuzzy and not e.obsolete]


def test_untranslated_entries_that_leave_are_dropped_not_kept_obsolete():
    old = translated(pot_of(OLD), {})
    merged = catalog.merge(pot_of(NEW), old, "en", "source/a.txt")
    assert not [e for e in merged if e.obsolete]


def test_hand_edits_survive_a_merge(tmp_path: Path):
    old = translated(pot_of(OLD), TABLE, fuzzy={"Erster Satz bleibt."})
    write_catalog(tmp_path / "a.po", old)
    edited = (tmp_path / "a.po").read_text()
    edited = edited.replace('#, fuzzy\nmsgid "Erster Satz bleibt."', '# checked by Anna\n#, no-wrap\nmsgid "Erster Satz bleibt."')
    (tmp_path / "a.po").write_text(edited)
    merged = catalog.merge(pot_of(NEW), read_catalog(tmp_path / "a.po"), "en", "source/a.txt")
    entry = merged.find("Erster Satz bleibt.")
    assert not entry.fuzzy and entry.flags == ["no-wrap"] and entry.tcomment == "checked by Anna"
    assert entry.msgstr == "First sentence stays."


@pytest.mark.gettext
@pytest.mark.parametrize("lang", ["en", "fr", "pt_BR", "ja"])
def test_new_catalog_header_is_complete_and_valid(tmp_path: Path, lang: str):
    po = catalog.merge(pot_of(SEED.read_text()), None, lang, "source/a.txt")
    for key in ("Project-Id-Version", "POT-Creation-Date", "PO-Revision-Date", "Language", "Plural-Forms",
                "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "X-Generator"):
        assert po.metadata[key], key
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    write_catalog(tmp_path / "a.po", po)
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "a.po")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
