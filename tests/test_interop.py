"""A translator's day with real programs: nothing l10n writes is lost in them, nothing they write is lost in l10n.

- GNU gettext: ``msgmerge`` against our template, ``msgattrib
  --clear-fuzzy`` to review, ``msgcat`` rewrapping at other widths,
  ``msgfmt -c --statistics`` counting as ``l10n status`` does;
- translate-toolkit, the library Weblate reads and writes PO files with;
- a catalog as other editors save it: CRLF line ends, a byte-order mark,
  another wrapping width, extra header fields, more translator comments,
  the entries in another order;
- real catalogs of other projects: the German ``.mo`` files that Debian
  packages install, turned back into PO files with ``msgunfmt``, read,
  written and imported with ``l10n memory import``.

The project is the sample in the middle of a review (``review_in_progress``
of ``test_report``): reviewed, fuzzy and untranslated entries, machine
suggestion notes, a fuzzy match with its old source text, a translator's
comment, and a second article with ``<``, ``&`` and a URL in its units.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import run_l10n, snapshot
from test_pofile import assert_reads_as_polib
from test_report import SLUG, review_in_progress

from l10n.memory.lookup import TranslationMemory
from l10n.memory.tmx import imported_pairs
from l10n.po import format_catalog, read_catalog
from l10n.project import Project

GNU_ENV = dict(os.environ, LC_ALL="C", LANGUAGE="")  # untranslated messages from the gettext tools
SYSTEM_LOCALE = Path("/usr/share/locale")


def gnu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(args), cwd=cwd, env=GNU_ENV, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc


def catalog_path(project: Path, slug: str = SLUG) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def catalogs(project: Path) -> list[Path]:
    return sorted((project / "locales").rglob("*.po")) + sorted((project / "locales").rglob("*.pot"))


def status(project: Path) -> dict[str, dict]:
    return {r["article"]: r for r in json.loads(run_l10n("status", "--json", cwd=project).stdout)}


def msgfmt_statistics(path: Path) -> dict[str, int]:
    """``msgfmt -c --statistics``: translated (reviewed), fuzzy and untranslated entries."""
    out = gnu("msgfmt", "-c", "--statistics", "-o", os.devnull, str(path)).stderr.decode()
    counts = {"reviewed": 0, "fuzzy": 0, "untranslated": 0}
    for number, what in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out):
        counts["reviewed" if what == "translated" else what] = int(number)
    return counts


def content(path: Path) -> dict:
    """Everything a catalog says, independent of layout: header fields, then every entry in msgid order.

    (Read as polib's own parser reads it, comments aside: see ``assert_reads_as_polib``.)
    """
    po = assert_reads_as_polib(path)
    entries = {}
    for e in po:
        entries[(e.obsolete, e.msgctxt, e.msgid)] = (e.msgstr, e.msgid_plural, tuple(sorted(e.msgstr_plural.items())),
                                                    e.fuzzy, e.tcomment, e.comment, tuple(e.occurrences),
                                                    e.previous_msgid, e.previous_msgctxt)
    return {"header": po.header, "metadata": dict(po.metadata), "fuzzy header": po.metadata_is_fuzzy,
            "entries": dict(sorted(entries.items(), key=repr))}


def edit_source(project: Path) -> None:
    """The editor's changes of the day: one sentence reworded, one deleted, one added."""
    path = project / "source" / f"{SLUG}.txt"
    text = path.read_text(encoding="utf-8")
    for old, new in [("die Tech-Welt auf den Kopf", "die Technologiewelt auf den Kopf"),
                     ("Es wurde erst im Jahr 2023 gegründet. ", ""),
                     ("Was macht DeepSeek anders?\n",
                      "Was macht DeepSeek anders?\n\nDas Unternehmen beschäftigt rund 200 Mitarbeiter.\n")]:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def reviewing(sample: Path) -> Path:
    review_in_progress(sample)
    return sample


# ------------------------------------------------------------------ GNU gettext


@pytest.mark.gettext
def test_msgfmt_statistics_agree_with_status(reviewing: Path):
    project = reviewing
    edit_source(project)
    run_l10n("extract", cwd=project)  # now with an obsolete entry and a fuzzy match too
    rows = status(project)
    for path in sorted((project / "locales").rglob("*.po")):
        row = rows[path.stem]
        assert msgfmt_statistics(path) == {k: row[k] for k in ("reviewed", "fuzzy", "untranslated")}, path.name
    assert rows[SLUG]["fuzzy"] and rows[SLUG]["untranslated"] and rows["preise"]["fuzzy"]


@pytest.mark.gettext
def test_msgmerge_with_our_template_gives_what_extract_gives(reviewing: Path, tmp_path: Path):
    project = reviewing
    before = tmp_path / "before.po"
    shutil.copy(catalog_path(project), before)
    edit_source(project)
    run_l10n("extract", cwd=project)
    pot = project / "locales" / "templates" / f"{SLUG}.pot"
    merged = tmp_path / "merged.po"
    gnu("msgmerge", "--quiet", "--previous", "-o", str(merged), str(before), str(pot))
    # Same bytes: kept translations and states, the reworded sentence as a fuzzy match with its old
    # text (#| msgid), the deleted one obsolete (#~), comments kept. (The two fuzzy matchers measure
    # similarity differently and may pick differently elsewhere; on this day they agree.) Beyond
    # msgmerge, extract also keeps the reworded sentence's reviewed entry, obsolete and not fuzzy.
    ours = read_catalog(catalog_path(project))
    previous = {e.previous_msgid for e in ours if e.fuzzy and not e.obsolete}
    kept = [e for e in ours if e.obsolete and not e.fuzzy and e.msgid in previous]
    assert kept and all(e.msgstr for e in kept)
    for entry in kept:
        ours.remove(entry)
    assert merged.read_bytes() == format_catalog(ours).encode("utf-8")
    po = read_catalog(merged)
    reworded = po.find("DeepSeek hat die Technologiewelt auf den Kopf gestellt.")
    assert reworded.fuzzy and reworded.msgstr
    assert reworded.previous_msgid == "DeepSeek hat die Tech-Welt auf den Kopf gestellt."
    assert po.find("Es wurde erst im Jahr 2023 gegründet.", include_obsolete_entries=True).obsolete
    # l10n takes msgmerge's catalog as its own: nothing to do on the next extract
    shutil.copy(merged, catalog_path(project))
    before_extract = snapshot(project / "locales")
    assert "0 files written" in run_l10n("extract", cwd=project).stdout
    assert snapshot(project / "locales") == before_extract


@pytest.mark.gettext
def test_review_with_msgattrib_clear_fuzzy(reviewing: Path):
    project = reviewing
    path = catalog_path(project)
    was = status(project)[SLUG]
    gnu("msgattrib", "--clear-fuzzy", "-o", str(path), str(path))
    now = status(project)[SLUG]
    assert now["fuzzy"] == 0 and now["reviewed"] == was["reviewed"] + was["fuzzy"]
    assert now["untranslated"] == was["untranslated"]
    assert msgfmt_statistics(path) == {k: now[k] for k in ("reviewed", "fuzzy", "untranslated")}
    reviewed = content(path)
    run_l10n("extract", cwd=project)
    assert content(path) == reviewed
    out = run_l10n("publish", cwd=project)
    assert f"({now['percent_reviewed']:.0f}% reviewed" in out.stdout
    english = (project / "public" / "en" / f"{SLUG}.txt").read_text(encoding="utf-8")
    assert "DeepSeek has shaken up the AI industry" in english  # was a fuzzy machine suggestion


@pytest.mark.gettext
@pytest.mark.parametrize("width", ["20", "60", "100", "--no-wrap"])
def test_msgcat_rewrapped_catalogs_read_back_and_return_to_our_layout(reviewing: Path, width: str):
    project = reviewing
    edit_source(project)
    run_l10n("extract", cwd=project)
    ours = {path: path.read_bytes() for path in catalogs(project)}
    expected = {path: content(path) for path in ours}
    option = [width] if width.startswith("--") else ["-w", width]
    for path in ours:
        gnu("msgcat", *option, "-o", str(path), str(path))
        assert content(path) == expected[path], path.name
    assert catalog_path(project).read_bytes() != ours[catalog_path(project)]
    rows = status(project)
    for path in ours:
        if path.suffix == ".po":
            assert msgfmt_statistics(path) == {k: rows[path.stem][k] for k in ("reviewed", "fuzzy", "untranslated")}
    # extract rewrites the files in GNU's default layout: the bytes l10n wrote before
    run_l10n("extract", cwd=project)
    for path, data in ours.items():
        assert path.read_bytes() == data, path.name


# ------------------------------------------------------------------ translate-toolkit (Weblate)


def test_translate_toolkit_reads_every_catalog_l10n_writes(reviewing: Path):
    from translate.storage import po as ttk_po
    from translate.tools import pocount

    project = reviewing
    edit_source(project)
    run_l10n("extract", cwd=project)
    rows = status(project)
    for path in catalogs(project):
        with path.open("rb") as f:
            store = ttk_po.pofile(f)
        units = [u for u in store.units if not u.isheader()]
        ours = [e for e in read_catalog(path)]
        assert len(units) == len(ours)
        for unit, entry in zip(units, ours):
            assert (unit.source, unit.target, unit.isobsolete()) == (entry.msgid, entry.msgstr, entry.obsolete)
            assert unit.isfuzzy() == (entry.fuzzy and not entry.obsolete)
            assert unit.getnotes("developer") == entry.comment
            assert unit.getnotes("translator") == entry.tcomment
            assert unit.getlocations() == [f"{file}:{line}" for file, line in entry.occurrences]
            if entry.previous_msgid:
                assert unit.prev_source == entry.previous_msgid
        live = [u for u in units if not u.isobsolete()]
        counts = {"reviewed": sum(1 for u in live if u.istranslated()),
                  "fuzzy": sum(1 for u in live if u.isfuzzy()),
                  "untranslated": sum(1 for u in live if not u.istranslated() and not u.isfuzzy())}
        stats = pocount.calcstats(str(path))
        assert (stats["translated"], stats["fuzzy"], stats["untranslated"], stats["total"]) == (
            counts["reviewed"], counts["fuzzy"], counts["untranslated"], len(live))
        if path.suffix == ".po":
            row = rows[path.stem]
            assert counts == {k: row[k] for k in ("reviewed", "fuzzy", "untranslated")}, path.name
        else:
            assert counts["untranslated"] == len(live)
        # Weblate saving the file unchanged gives back the same bytes
        assert bytes(store) == path.read_bytes(), path.name


@pytest.mark.gettext
def test_a_catalog_saved_by_translate_toolkit_after_editing_reads_back(reviewing: Path):
    from translate.storage import po as ttk_po

    project = reviewing
    path = catalog_path(project)
    was = status(project)[SLUG]
    with path.open("rb") as f:
        store = ttk_po.pofile(f)
    edited = 0
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        if not unit.target:
            unit.target = f"Translated in Weblate: {unit.source[:20]}"
            unit.markfuzzy(False)
            edited += 1
        elif unit.isfuzzy():
            unit.markfuzzy(False)
            unit.addnote("Approved in Weblate", origin="translator")
            edited += 1
    path.write_bytes(bytes(store))
    row = status(project)[SLUG]
    assert (row["reviewed"], row["fuzzy"], row["untranslated"]) == (row["units"], 0, 0)
    assert edited == was["fuzzy"] + was["untranslated"]
    saved = content(path)
    run_l10n("extract", cwd=project)
    assert content(path) == saved
    assert sum("Approved in Weblate" in e.tcomment for e in read_catalog(path)) == was["fuzzy"]
    gnu("msgfmt", "-c", "-o", os.devnull, str(path))


# ------------------------------------------------------------------ catalogs as other editors save them


def foreign_layout(text: str) -> str:
    """The catalog as another editor might save it, same content plus a reviewer's comments and header fields.

    Entries in reverse order (obsolete ones last), wrapped at 50 columns
    (done by the caller with msgcat), extra header fields, a translator comment on every
    fifth entry, CRLF line ends.
    """
    blocks = text.rstrip("\n").split("\n\n")
    header, rest = blocks[0], blocks[1:]
    obsolete = [b for b in rest if "\n#~ msgid " in "\n" + b]
    live = [b for b in rest if b not in obsolete]
    assert '"Language-Team: \\n"' in header
    header = header.replace('"Language-Team: \\n"', '"Language-Team: English <en@li.org>\\n"')
    header = header.replace('"Content-Transfer-Encoding: 8bit\\n"',
                            '"Content-Transfer-Encoding: 8bit\\n"\n"Report-Msgid-Bugs-To: news@example.org\\n"\n'
                            '"X-Poedit-SourceCharset: UTF-8\\n"')
    live = [f"# Reviewer: Anna, 2026-11-29\n{b}" if i % 5 == 0 else b for i, b in enumerate(live)]
    return ("\n\n".join([header] + live[::-1] + obsolete) + "\n").replace("\n", "\r\n")


@pytest.mark.gettext
def test_crlf_rewrapped_reordered_catalog_with_extra_header_and_comments_loses_nothing(reviewing: Path,
                                                                                       tmp_path: Path):
    project = reviewing
    path = catalog_path(project)
    edit_source(project)
    run_l10n("extract", cwd=project)  # an obsolete entry and a fuzzy match with #| msgid
    original = content(path)
    narrow = gnu("msgcat", "-w", "50", str(path)).stdout.decode("utf-8")
    path.write_bytes(foreign_layout(narrow).encode("utf-8"))
    assert b"\r\n" in path.read_bytes()
    row = status(project)[SLUG]
    assert msgfmt_statistics(path) == {k: row[k] for k in ("reviewed", "fuzzy", "untranslated")}
    # and saved by a Windows editor that starts UTF-8 files with a byte-order mark (msgfmt refuses that)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert status(project)[SLUG] == row
    out = run_l10n("extract", cwd=project)
    assert f"wrote locales/en/LC_MESSAGES/{SLUG}.po" in out.stdout
    data = path.read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert gnu("msgcat", str(path)).stdout == data  # back in GNU's layout, in the template's order
    merged = content(path)
    metadata = merged.pop("metadata")
    assert metadata == original.pop("metadata") | {"Language-Team": "English <en@li.org>",
                                                   "Report-Msgid-Bugs-To": "news@example.org",
                                                   "X-Poedit-SourceCharset": "UTF-8"}
    commented = 0
    for key, entry in original["entries"].items():
        new = merged["entries"][key]
        if new[4] != entry[4]:
            assert new[4] == "\n".join(filter(None, ["Reviewer: Anna, 2026-11-29", entry[4]]))
            commented += 1
        assert new[:4] + new[5:] == entry[:4] + entry[5:], key
    live = sum(1 for obsolete, _, _ in original["entries"] if not obsolete)
    assert merged["entries"].keys() == original["entries"].keys() and commented == len(range(0, live, 5))
    assert [e.msgid for e in read_catalog(path) if not e.obsolete] == [
        e.msgid for e in read_catalog(project / "locales" / "templates" / f"{SLUG}.pot")]


def test_crlf_catalog_with_nothing_changed_comes_back_byte_for_byte(reviewing: Path):
    project = reviewing
    path = catalog_path(project)
    lf = path.read_bytes()
    was = status(project)
    path.write_bytes(lf.replace(b"\n", b"\r\n"))
    assert status(project) == was
    run_l10n("extract", cwd=project)
    assert path.read_bytes() == lf


# ------------------------------------------------------------------ catalogs of other projects


@pytest.mark.gettext
def test_a_bell_escape_as_gettext_writes_it_reads_back(tmp_path: Path):
    path = tmp_path / "bell.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    '# not an escape in a comment: \\a\n'
                    'msgid "\\atimed out waiting for input\\n"\nmsgstr "\\aZeit \\\\a abgelaufen\\n"\n',
                    encoding="utf-8")
    po = assert_reads_as_polib(path)
    assert po[0].msgid == "\atimed out waiting for input\n"
    assert po[0].msgstr == "\aZeit \\a abgelaufen\n"
    assert po[0].tcomment == "not an escape in a comment: \\a"
    assert format_catalog(po).encode("utf-8") == gnu("msgcat", str(path)).stdout


# Catalogs of GNU programs that Debian systems usually have (bash has \a escapes), and net-tools's
# in ISO-8859-1; when none of them is there, whatever German catalogs there are.
REAL_CATALOGS = ("bash", "coreutils", "diffutils", "findutils", "gettext-runtime", "gettext-tools", "grep", "sed",
                 "tar", "make", "wget", "gnutls30", "libc", "gprof", "ld", "net-tools")


def _german_mo_files() -> list[Path]:
    folder = SYSTEM_LOCALE / "de" / "LC_MESSAGES"
    chosen = [folder / f"{name}.mo" for name in REAL_CATALOGS if (folder / f"{name}.mo").is_file()]
    return chosen or sorted(folder.glob("*.mo"))[:15]


@pytest.mark.gettext
@pytest.mark.skipif(not _german_mo_files(), reason=f"no German .mo catalogs under {SYSTEM_LOCALE}/de")
def test_real_catalogs_of_other_projects_read_into_the_memory(tmp_path: Path):
    from translate.storage import po as ttk_po

    checked = entries = 0
    for mo in _german_mo_files():
        path = tmp_path / f"{mo.stem}.po"
        gnu("msgunfmt", "-o", str(path), str(mo))
        po = assert_reads_as_polib(path)
        memory = TranslationMemory("de")
        added = memory.add(po, mo.name)
        expected = sum(1 for e in po if e.msgstr and not e.fuzzy and not e.obsolete and not e.msgid_plural
                       and e.msgctxt is None)
        assert added == expected, mo.name
        # what l10n writes of it holds every message GNU's reading of the file holds
        ours = tmp_path / f"{mo.stem}.l10n.po"
        ours.write_text(format_catalog(po), encoding="utf-8")
        assert_reads_as_polib(ours)
        units = {}
        for source in (path, ours):
            with source.open("rb") as f:
                units[source] = [(u.getcontext(), u.source, u.target) if not u.hasplural() else
                                 (u.getcontext(), tuple(u.source.strings), tuple(u.target.strings))
                                 for u in ttk_po.pofile(f).units if not u.isheader()]
        assert units[ours] == units[path], mo.name
        # msgfmt -c accepts what l10n wrote when it accepts the original
        original_ok, ours_ok = (subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(p)], env=GNU_ENV,
                                               capture_output=True).returncode == 0 for p in (path, ours))
        assert ours_ok == original_ok, mo.name
        checked += 1
        entries += len(units[ours])
    assert checked and entries


@pytest.mark.gettext
@pytest.mark.skipif(not _german_mo_files(), reason=f"no German .mo catalogs under {SYSTEM_LOCALE}/de")
def test_every_german_catalog_of_the_system_reads_as_polib_reads_it(tmp_path: Path):
    """read_catalog against polib's own parser on every German catalog installed (see ``assert_reads_as_polib``)."""
    entries = 0
    for mo in sorted((SYSTEM_LOCALE / "de" / "LC_MESSAGES").glob("*.mo")):
        path = tmp_path / f"{mo.stem}.po"
        gnu("msgunfmt", "-o", str(path), str(mo))
        entries += len(assert_reads_as_polib(path))
    assert entries


@pytest.mark.gettext
@pytest.mark.skipif(not _german_mo_files(), reason=f"no German .mo catalogs under {SYSTEM_LOCALE}/de")
def test_real_catalogs_of_other_projects_import_with_l10n_memory_import(tmp_path: Path):
    project = tmp_path / "en-de"
    run_l10n("init", str(project), "-s", "en", "-t", "de", cwd=tmp_path)
    added_in_all = 0
    for mo in _german_mo_files()[:8]:  # one command each: the first eight are enough
        path = tmp_path / f"{mo.stem}.po"
        gnu("msgunfmt", "-o", str(path), str(mo))
        out = run_l10n("memory", "import", "--lang", "de", str(path), cwd=project).stdout
        match = re.fullmatch(r"en→de: (\d+) pairs? added to locales/memory/de\.tmx(?:, (\d+) already there)?"
                             r"(?:; left out: (.*))?\n", out)
        assert match, out
        added, there = int(match[1]), int(match[2] or 0)
        left_out = sum(int(n) for n in re.findall(r"(\d+) [^,]+", match[3] or ""))
        # every message of the file is accounted for: added, already there, or left out with a reason
        assert added + there + left_out == sum(1 for e in read_catalog(path) if e.msgid or e.msgctxt), mo.name
        added_in_all += added
    assert added_in_all and len(imported_pairs(Project(project), "de")) == added_in_all
