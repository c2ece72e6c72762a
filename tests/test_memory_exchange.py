"""``l10n memory export/import`` (TMX 1.4 and PO) and fuzzy memory matches in ``l10n translate``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import polib
import pytest
from lxml import etree
from support import run_l10n, snapshot

from l10n.memory.exchange import import_file
from l10n.memory.lookup import TranslationMemory
from l10n.memory.tmx import imported_pairs, memory_path
from l10n.po import read_catalog
from l10n.project import Project
from l10n.notes import memory_note, provenance

SLUG = "open-source-ki-deepseek"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TITLE = "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?"
TITLE_EN = "What is open-source AI and why is DeepSeek different?"

# The content model of TMX 1.4 (LISA OSCAR) for the elements l10n writes and reads, as a DTD.
TMX_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|prop|ude)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
          segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED adminlang CDATA #REQUIRED
          srclang CDATA #REQUIRED datatype CDATA #REQUIRED o-encoding CDATA #IMPLIED creationdate CDATA #IMPLIED
          creationid CDATA #IMPLIED changedate CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT ude (map+)>
<!ATTLIST ude name CDATA #REQUIRED base CDATA #IMPLIED>
<!ELEMENT map EMPTY>
<!ATTLIST map unicode CDATA #REQUIRED code CDATA #IMPLIED ent CDATA #IMPLIED subst CDATA #IMPLIED>
<!ELEMENT note (#PCDATA)>
<!ATTLIST note o-encoding CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu tuid CDATA #IMPLIED srclang CDATA #IMPLIED datatype CDATA #IMPLIED creationdate CDATA #IMPLIED
          changedate CDATA #IMPLIED segtype (block|paragraph|sentence|phrase) #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED creationdate CDATA #IMPLIED changedate CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA|bpt|ept|ph|it|hi)*>
<!ELEMENT bpt (#PCDATA)>
<!ATTLIST bpt i CDATA #REQUIRED x CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT ept (#PCDATA)>
<!ATTLIST ept i CDATA #REQUIRED>
<!ELEMENT ph (#PCDATA)>
<!ATTLIST ph x CDATA #IMPLIED assoc CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT it (#PCDATA)>
<!ATTLIST it pos (begin|end) #REQUIRED x CDATA #IMPLIED type CDATA #IMPLIED>
<!ELEMENT hi (#PCDATA|bpt|ept|it|ph|hi)*>
<!ATTLIST hi x CDATA #IMPLIED type CDATA #IMPLIED>
"""

# A TMX file as another tool writes it: regional codes, a third language, notes, inline codes.
FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OtherTool" creationtoolversion="2" segtype="sentence" o-tmf="xliff" adminlang="en-US"
          srclang="de-DE" datatype="plaintext" creationdate="20250101T120000Z"/>
  <body>
    <tu tuid="1">
      <note>Checked by the desk.</note>
      <tuv xml:lang="de-DE"><seg>Viele Entwickler nutzen das Modell bereits.</seg></tuv>
      <tuv xml:lang="EN-US"><seg>Many developers already use the model.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>De nombreux développeurs utilisent déjà le modèle.</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="de-DE"><seg>Klicken Sie <bpt i="1">&lt;b&gt;</bpt>hier<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
    <tu tuid="3">
      <tuv xml:lang="de-DE"><seg>Nur Deutsch.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Seulement en français.</seg></tuv>
    </tu>
    <tu tuid="4">
      <tuv lang="de"><seg>Was bedeutet Open-Source-KI und warum ist DeepSeek anders?</seg></tuv>
      <tuv lang="en"><seg>IMPORTED: a title from elsewhere</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _catalog(project: Path, slug: str = SLUG) -> Path:
    return project / "locales" / "en" / "LC_MESSAGES" / f"{slug}.po"


def _reviewed(project: Path) -> dict[str, str]:
    """The reviewed translations of the sample article."""
    return {e.msgid: e.msgstr for e in read_catalog(_catalog(project)) if e.msgstr and not e.fuzzy}


def _pairs(project: Path) -> set[tuple[str, str]]:
    """Every reviewed (source, translation) pair of every English catalog of the project."""
    return {(e.msgid, e.msgstr) for path in sorted((project / "locales" / "en").rglob("*.po"))
            for e in read_catalog(path) if e.msgstr and not e.fuzzy and not e.obsolete}


def _fresh(sample: Path) -> Path:
    """The sample with empty catalogs: its memory is empty."""
    shutil.rmtree(sample / "locales")
    run_l10n("extract", cwd=sample)
    return sample


# ------------------------------------------------------------------ export


def test_export_tmx_is_valid_tmx_14_with_the_languages_everywhere(sample, tmp_path):
    out = tmp_path / "memory.tmx"
    proc = run_l10n("memory", "export", "--lang", "en", str(out), cwd=sample)
    reviewed = _pairs(sample)
    assert proc.stdout == f"Exported {len(reviewed)} reviewed pairs (de→en) to {out} (TMX 1.4).\n"

    doc = etree.parse(str(out))
    assert doc.docinfo.encoding == "UTF-8" and doc.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    dtd = etree.DTD(BytesIO(TMX_DTD.encode()))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    root = doc.getroot()
    header = root.find("header")
    assert root.get("version") == "1.4" and header.get("srclang") == "de" and header.get("creationtool") == "l10n"
    assert header.findtext("prop[@type='x-l10n-target-language']") == "en"
    pairs = []
    for tu in root.iter("tu"):
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["de", "en"]
        assert tu.findtext("prop[@type='x-l10n-origin']").startswith("source/")
        pairs.append((tuvs[0].findtext("seg"), tuvs[1].findtext("seg")))
    assert len(pairs) == len(reviewed) and set(pairs) == reviewed

    # the same project gives the same bytes (no dates inside)
    again = tmp_path / "again.tmx"
    run_l10n("memory", "export", str(again), cwd=sample)
    assert again.read_bytes() == out.read_bytes()


def test_export_tmx_reads_in_translate_toolkit(sample, tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    out = tmp_path / "memory.tmx"
    run_l10n("memory", "export", str(out), cwd=sample)
    store = tmx.tmxfile.parsefile(str(out))
    assert {(u.source, u.target) for u in store.units} == _pairs(sample)


@pytest.mark.gettext
def test_export_po_is_a_gnu_catalog_of_one_translation_per_source(sample, tmp_path):
    out = tmp_path / "memory.po"
    proc = run_l10n("memory", "export", str(out), cwd=sample)
    assert proc.stdout.endswith(f"to {out} (PO).\n")
    check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(out)], capture_output=True, text=True)
    assert check.returncode == 0 and check.stderr == "", check.stderr
    gnu = subprocess.run(["msgcat", str(out)], capture_output=True, check=True).stdout
    assert gnu == out.read_bytes()
    po = read_catalog(out)
    assert po.metadata["Language"] == "en" and po.metadata["X-Source-Language"] == "de"
    pairs = _pairs(sample)
    assert {e.msgid for e in po} == {source for source, _ in pairs} and len(po) == len({s for s, _ in pairs})
    assert all((e.msgid, e.msgstr) in pairs and not e.fuzzy for e in po)


def test_export_needs_the_language_when_there_are_several(sample, tmp_path):
    config = sample / "l10n.yaml"
    config.write_text(config.read_text().replace("target_languages: [en]", "target_languages: [en, fr]"))
    proc = run_l10n("memory", "export", str(tmp_path / "m.tmx"), cwd=sample, check=False)
    assert proc.returncode == 2 and "--lang" in proc.stderr
    assert run_l10n("memory", "export", "-l", "fr", str(tmp_path / "m.tmx"), cwd=sample).stdout.startswith(
        "Exported 0 reviewed pairs (de→fr)")
    assert run_l10n("memory", "export", "-f", "xliff", str(tmp_path / "m"), cwd=sample, check=False).returncode == 2


# ------------------------------------------------------------------ import


@pytest.mark.parametrize("fmt", ["tmx", "po"])
def test_round_trip_export_then_import_fills_a_fresh_project(sample, tmp_path, fmt):
    reviewed = _pairs(sample)
    exported = tmp_path / f"memory.{fmt}"
    out = run_l10n("memory", "export", str(exported), cwd=sample).stdout
    count = int(re.match(r"Exported (\d+) ", out).group(1))
    assert count == (len(reviewed) if fmt == "tmx" else len({source for source, _ in reviewed}))
    project = _fresh(sample)
    assert not _pairs(project)

    out = run_l10n("memory", "import", str(exported), cwd=project).stdout
    assert out == f"de→en: {count} pairs added to locales/memory/en.tmx\n"
    stored = memory_path(Project(project), "en")
    imported = {(p.source, p.target) for p in imported_pairs(Project(project), "en")}
    assert len(imported) == count and imported <= reviewed
    assert {p.origin for p in imported_pairs(Project(project), "en")} == {exported.name}
    before = snapshot(project)
    out = run_l10n("memory", "import", str(exported), cwd=project).stdout
    assert out == f"de→en: 0 pairs added to locales/memory/en.tmx, {count} already there\n"
    assert snapshot(project) == before

    # every unit has an exact match now: translate needs no model at all
    out = run_l10n("translate", cwd=project).stdout
    assert re.search(r"^de→en: \d+ from memory, 0 from the engine", out, re.M), out
    for entry in read_catalog(_catalog(project)):
        assert entry.fuzzy and (entry.msgid, entry.msgstr) in reviewed
        assert provenance(entry).source == f"imported from {exported.name}"
    assert stored.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx")


def test_import_foreign_tmx_regional_codes_inline_codes_and_precedence(sample, tmp_path):
    path = tmp_path / "other.tmx"
    path.write_text(FOREIGN_TMX, encoding="utf-8")
    out = run_l10n("memory", "import", str(path), cwd=sample).stdout
    assert out == "de→en: 3 pairs added to locales/memory/en.tmx; left out: 1 without both languages\n"
    pairs = {p.source: p.target for p in imported_pairs(Project(sample), "en")}
    assert pairs["Klicken Sie <b>hier</b>."] == "Click <b>here</b>."
    assert pairs["Viele Entwickler nutzen das Modell bereits."] == "Many developers already use the model."

    from l10n.memory import lookup as memory

    tm = memory.load(Project(sample), "en")
    assert tm.lookup(TITLE).msgstr == TITLE_EN  # the project's own reviewed translation comes first
    assert tm.lookup("Viele Entwickler nutzen das Modell bereits.").source == "imported from other.tmx"


def _po_file(path: Path, language: str | None, entries: list[polib.POEntry], charset: str = "UTF-8") -> Path:
    po = polib.POFile()
    po.metadata = {"MIME-Version": "1.0", "Content-Type": f"text/plain; charset={charset}",
                   "Content-Transfer-Encoding": "8bit"}
    if language:
        po.metadata["Language"] = language
    for entry in entries:
        po.append(entry)
    path.write_bytes(str(po).encode(charset.lower()) + b"\n")
    return path


def test_import_po_leaves_out_what_is_not_a_plain_reviewed_pair(sample, tmp_path):
    entries = [
        polib.POEntry(msgid="Guten Tag.", msgstr="Good day."),
        polib.POEntry(msgid="Grüße aus Köln.", msgstr="Greetings from Cologne."),
        polib.POEntry(msgid="Unsicher.", msgstr="Unsure.", flags=["fuzzy"]),
        polib.POEntry(msgid="Offen.", msgstr=""),
        polib.POEntry(msgid="Datei", msgctxt="menu", msgstr="File"),
        polib.POEntry(msgid="%d Datei", msgid_plural="%d Dateien", msgstr_plural={0: "%d file", 1: "%d files"}),
        polib.POEntry(msgid="%s gelesen", msgstr="%s read", flags=["c-format"]),
        polib.POEntry(msgid="Alt.", msgstr="Old.", obsolete=True),
        polib.POEntry(msgid="Seite\f2", msgstr="Page\f2"),
    ]
    path = _po_file(tmp_path / "latin1.po", "en_GB", entries, charset="ISO-8859-1")
    out = run_l10n("memory", "import", str(path), cwd=sample).stdout
    assert out == ("de→en: 3 pairs added to locales/memory/en.tmx; left out: 1 control characters, 1 fuzzy, "
                   "1 obsolete, 1 plural, 1 untranslated, 1 with context\n")
    assert {p.source: p.target for p in imported_pairs(Project(sample), "en")} == {
        "Guten Tag.": "Good day.", "Grüße aus Köln.": "Greetings from Cologne.", "%s gelesen": "%s read"}


def _debian_catalogs(tmp_path: Path) -> list[Path]:
    folder = Path("/usr/share/locale/de/LC_MESSAGES")
    mos = sorted(folder.glob("*.mo")) if folder.is_dir() else []
    if not mos or shutil.which("msgunfmt") is None:
        pytest.skip("no German .mo catalogs of Debian packages (or no msgunfmt) on this machine")
    out = []
    for mo in mos:
        po = tmp_path / f"{mo.stem}.po"
        if subprocess.run(["msgunfmt", str(mo), "-o", str(po)], capture_output=True).returncode == 0:
            out.append(po)
    return out


@pytest.mark.gettext
def test_import_real_catalogs_of_debian_packages(tmp_path):
    project = tmp_path / "en-de"
    run_l10n("init", str(project), "-s", "en", "-t", "de", cwd=tmp_path)
    catalogs = _debian_catalogs(tmp_path)
    stored = memory_path(Project(project), "de")
    dtd = etree.DTD(BytesIO(TMX_DTD.encode()))
    for po in catalogs:  # each into an empty memory (a memory of all of them is slow to rewrite 90 times)
        language = read_catalog(po).metadata.get("Language")
        results = import_file(Project(project), po, None if language else ["de"])
        assert [r.language for r in results] == ["de"]
        if results[0].added:
            doc = etree.parse(str(stored))
            assert dtd.validate(doc), po.name
            assert {tuv.get(XML_LANG) for tuv in doc.iter("tuv")} == {"en", "de"}
            assert len(imported_pairs(Project(project), "de")) == results[0].added
            stored.unlink()
    # a few of them into one memory, then one again through the command line: nothing new any more
    some = [p for p in catalogs if p.stem in ("coreutils", "grep", "sed", "tar", "bash")] or catalogs[:3]
    added = sum(import_file(Project(project), po, ["de"])[0].added for po in some)
    assert added > 100 and len(imported_pairs(Project(project), "de")) == added
    coreutils = some[0]
    out = run_l10n("memory", "import", "--lang", "de", str(coreutils), cwd=project).stdout
    assert re.fullmatch(r"en→de: 0 pairs added to locales/memory/de\.tmx, \d+ already there(; left out: .*)?\n", out)

    # into a project whose source language is the catalog's language: refused
    other = tmp_path / "de-en"
    run_l10n("init", str(other), "-s", "de", "-t", "en", cwd=tmp_path)
    proc = run_l10n("memory", "import", str(coreutils), cwd=other, check=False)
    assert proc.returncode == 1 and "the catalog translates into de, this project's source language" in proc.stderr


def _mo(tmp_path: Path) -> Path:
    po = _po_file(tmp_path / "x.po", "en", [polib.POEntry(msgid="Hallo.", msgstr="Hello.")])
    subprocess.run(["msgfmt", "-o", str(tmp_path / "x.mo"), str(po)], check=True)
    return tmp_path / "x.mo"


BAD_FILES = {
    "truncated TMX": (lambda t: FOREIGN_TMX[:700], ".tmx:14: not well-formed XML: "),
    "not TMX": (lambda t: '<?xml version="1.0"?>\n<html><body/></html>\n',
                ".tmx:2: not a TMX file (the root element is <html>, not <tmx>)"),
    "tuv without language": (lambda t: FOREIGN_TMX.replace('xml:lang="EN-US"', ""), ".tmx:10: <tuv> without xml:lang"),
    "unknown language": (lambda t: FOREIGN_TMX.replace('"EN-US"', '"xx-YY"'), ".tmx:10: unknown language code 'xx-YY'"),
    "entity": (lambda t: FOREIGN_TMX.replace('"tmx14.dtd">', '"tmx14.dtd" [<!ENTITY x "y">]>')
               .replace("Nur Deutsch.", "&x;"), ".tmx:18: entity &x; in a segment"),
    "no pairs for the project": (lambda t: FOREIGN_TMX.replace("EN-US", "it").replace("en-GB", "it")
                                 .replace('lang="en"', 'lang="it"'),
                                 ".tmx: no de→en pairs in the file (its languages: de, de_DE, fr_FR, it)"),
    "PO syntax error": (lambda t: 'msgid "a"\nmsgstr "b\n', ".po:2: "),
    "PO into the source language": (lambda t: 'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "a"\nmsgstr "b"\n',
                                    ".po: the catalog translates into de, this project's source language"),
    "PO into another language": (lambda t: 'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid "a"\nmsgstr "b"\n',
                                 ".po: the catalog translates into fr, not a target language of this project (en)"),
    "PO without language": (lambda t: 'msgid "a"\nmsgstr "b"\n', ".po: no Language in the catalog's header"),
    "MO file": (lambda t: _mo(t).read_bytes(), ".po: byte 0: a compiled MO catalog; turn it into a PO file"),
    "missing": (None, "missing.tmx: no such file"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_are_one_line_exit_1_and_change_nothing(sample, tmp_path, case):
    make, message = BAD_FILES[case]
    suffix = ".tmx" if message.startswith(".tmx") or case == "missing" else ".po"
    path = tmp_path / ("missing.tmx" if make is None else f"bad{suffix}")
    if make is not None:
        data = make(tmp_path)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    existing = tmp_path / "existing.tmx"  # the project has imported memory already
    existing.write_text(FOREIGN_TMX, encoding="utf-8")
    run_l10n("memory", "import", str(existing), cwd=sample)
    before = snapshot(sample)
    proc = run_l10n("memory", "import", str(path), cwd=sample, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"l10n: error: {path.parent}"), proc.stderr
    assert message in lines[0], lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert snapshot(sample) == before


# ------------------------------------------------------------------ memory


def test_closest_match_threshold_and_tiers():
    tm = TranslationMemory("en")
    tm.add_pairs([("Das Modell ist kostenlos und quelloffen.", "The model is free and open source.")], "a.tmx")
    assert tm.closest("Das Modell ist kostenlos und quelloffen!", 85).msgstr == "The model is free and open source."
    match = tm.closest("Das Modell ist kostenlos und quelloffen!", 85)
    assert 95 < match.score < 100 and match.msgid == "Das Modell ist kostenlos und quelloffen." and \
        match.source == "a.tmx"
    assert tm.closest("Das Modell ist teuer.", 85) is None
    assert tm.closest("Das Modell ist kostenlos und quelloffen!", 100.5) is None
    # the project's catalogs (tier 0) win over imported pairs, however often those say otherwise
    for origin in ("b.tmx", "c.tmx"):
        tm.add_pairs([("Hallo.", "Hi.")], origin)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Hallo.", msgstr="Hello."))
    tm.add(po, "source/a.txt")
    assert tm.lookup("Hallo.").msgstr == "Hello." and tm.lookup("Hallo.").source == "source/a.txt"


def test_memory_note_with_score_parses_back():
    entry = polib.POEntry(msgid="x", msgstr="y", tcomment=memory_note("source/other.txt", 91.7))
    assert entry.tcomment == "l10n: from translation memory, 91% match (source/other.txt)"
    note = provenance(entry)
    assert (note.kind, note.source, note.score) == ("memory", "source/other.txt", 91)
    assert provenance(polib.POEntry(msgid="x", tcomment=memory_note("source/a.txt"))).score is None


@pytest.mark.parametrize("value, message", [
    ("40", "memory.fuzzy_threshold: expected a percentage from 50 to 100, got 40"),
    ("high", "memory.fuzzy_threshold: expected a percentage from 50 to 100, got a string"),
    ("{}", "memory.fuzzy_threshold: expected a percentage from 50 to 100, got a mapping"),
])
def test_bad_threshold_is_one_line(sample, value, message):
    config = sample / "l10n.yaml"
    config.write_text(config.read_text() + f"memory:\n  fuzzy_threshold: {value}\n")
    proc = run_l10n("translate", "--dry-run", cwd=sample, check=False)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and message in proc.stderr, proc.stderr


# ------------------------------------------------------- fuzzy matches in translate

SIMILAR = ("Mitte Februar 2025 hat DeepSeek ChatGPT überholt und ist die am häufigsten heruntergeladene kostenlose "
           "App im US-amerikanischen Apple App Store.")
SECOND = f"""Neuigkeiten

{SIMILAR}

{TITLE}

Viele Entwickler nutzen das Modell bereits.
"""


def test_translate_uses_similar_and_imported_memory_before_the_engine(argos_env, sample, tmp_path):
    project = sample
    (project / "source" / "zweiter.txt").write_text(SECOND, encoding="utf-8")
    run_l10n("extract", cwd=project)
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    other = tmp_path / "other.tmx"
    other.write_text(FOREIGN_TMX, encoding="utf-8")
    run_l10n("memory", "import", str(other), cwd=project)

    out = run_l10n("translate", cwd=project).stdout
    assert re.search(r"^de→en: 3 from memory \(1 of them from similar units\), 1 from the engine", out, re.M), out
    entries = {e.msgid: e for e in read_catalog(_catalog(project, "zweiter"))}
    seed = _reviewed(project)
    similar = entries[SIMILAR]
    original = next(m for m in seed if m.startswith("Ende Januar 2025 hat DeepSeek"))
    assert similar.fuzzy and similar.msgstr == seed[original]
    note = provenance(similar)
    assert note.kind == "memory" and note.source == f"source/{SLUG}.txt" and 85 <= note.score < 100
    assert f"l10n: from translation memory, {note.score}% match (source/{SLUG}.txt)" in similar.tcomment
    assert entries[TITLE].msgstr == TITLE_EN  # the project's own translation, not the imported one
    assert entries["Viele Entwickler nutzen das Modell bereits."].msgstr == "Many developers already use the model."
    assert provenance(entries["Viele Entwickler nutzen das Modell bereits."]).source == "imported from other.tmx"
    assert provenance(entries["Neuigkeiten"]).kind == "machine"
    # the QA checks see nothing wrong in what memory gave (the year is the same)
    assert run_l10n("check", "--article", "zweiter", cwd=project, check=False).returncode == 0

    # with the threshold at 100 only exact matches count: the similar unit goes to the engine
    config = project / "l10n.yaml"
    config.write_text(config.read_text() + "memory:\n  fuzzy_threshold: 100\n")
    out = run_l10n("translate", "--retranslate-fuzzy", "--article", "zweiter", cwd=project).stdout
    assert re.search(r"^de→en: 2 from memory, 2 from the engine", out, re.M), out
    similar = next(e for e in read_catalog(_catalog(project, "zweiter")) if e.msgid == SIMILAR)
    assert provenance(similar).kind == "machine"
