"""``l10n memory align``: anchors, beads, blocks, files and folders, the memory file, and translate's notes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import run_l10n, snapshot

from l10n.align.anchors import Side, misses, restrict
from l10n.align.article import Aligner
from l10n.align.beads import Bead, Item, align, length_cost
from l10n.align.blocks import read_target
from l10n.align.sentences import target_splitter
from l10n.config import parse
from l10n.errors import L10nError
from l10n.memory.tmx import Pair, imported_pairs, memory_path, tmx_bytes
from l10n.notes import memory_note, provenance
from l10n.project import Project

DE = """Stadtrat beschließt neuen Radweg

Der Stadtrat hat am Dienstag den Bau eines neuen Radwegs entlang der Hauptstraße beschlossen. Die Kosten liegen
bei 2,4 Mio. Euro. Der Bund übernimmt davon 60 %.

Bürgermeisterin Anna Keller (SPD) sprach von einem „großen Tag für die Stadt“. Gegner kritisierten den Wegfall
von 120 Parkplätzen. Ist das der richtige Weg?

• Baubeginn: März 2026
• Länge: 3,2 Kilometer
• Fertigstellung: Ende 2027

Die Arbeiten sollen in drei Abschnitten erfolgen. Der erste Abschnitt führt vom Bahnhof bis zum Marktplatz.
Anwohner werden vorab informiert.
"""

EN = """City council approves new cycle path

On Tuesday the city council approved the construction of a new cycle path along the Hauptstraße. The
Hauptstraße is the town's main shopping street. It will cost €2.4m, 60% of which will be paid by the
federal government.

Mayor Anna Keller, a Social Democrat, spoke of a “great day for the city”. Opponents criticised the loss of
120 parking spaces. Is this the right way?

• Start of construction: March 2026
• Length: 3.2 kilometres
• Completion: end of 2027

The work is to be carried out in three phases. The first phase runs from the station to the market square.
"""

# the beads a translator's reader sees: a sentence added (0-1), two merged (2-1), one dropped (1-0)
BEADS = [
    (["Stadtrat beschließt neuen Radweg"], ["City council approves new cycle path"]),
    (["Der Stadtrat hat am Dienstag den Bau eines neuen Radwegs entlang der Hauptstraße beschlossen."],
     ["On Tuesday the city council approved the construction of a new cycle path along the Hauptstraße."]),
    ([], ["The Hauptstraße is the town's main shopping street."]),
    (["Die Kosten liegen bei 2,4 Mio. Euro.", "Der Bund übernimmt davon 60 %."],
     ["It will cost €2.4m, 60% of which will be paid by the federal government."]),
    (["Bürgermeisterin Anna Keller (SPD) sprach von einem „großen Tag für die Stadt“."],
     ["Mayor Anna Keller, a Social Democrat, spoke of a “great day for the city”."]),
    (["Gegner kritisierten den Wegfall von 120 Parkplätzen."], ["Opponents criticised the loss of 120 parking spaces."]),
    (["Ist das der richtige Weg?"], ["Is this the right way?"]),
    (["Baubeginn: März 2026"], ["Start of construction: March 2026"]),
    (["Länge: 3,2 Kilometer"], ["Length: 3.2 kilometres"]),
    (["Fertigstellung: Ende 2027"], ["Completion: end of 2027"]),
    (["Die Arbeiten sollen in drei Abschnitten erfolgen."], ["The work is to be carried out in three phases."]),
    (["Der erste Abschnitt führt vom Bahnhof bis zum Marktplatz."],
     ["The first phase runs from the station to the market square."]),
    (["Anwohner werden vorab informiert."], []),
]
PAIRS = {(" ".join(de), " ".join(en)) for de, en in BEADS if de and en}

DE_MD = """---
title: Neue Regeln für KI
date: 2025-03-01
---

# Neue Regeln für KI

Die EU hat ihre [KI-Verordnung](https://example.org/ai-act) verabschiedet. Sie gilt ab 2026.

## Was sich ändert

- Anbieter müssen Risiken **prüfen**.
- Verstöße kosten bis zu 7 % des Umsatzes.
"""

EN_MD = """---
title: New rules for AI
date: 2025-03-01
---

# New rules for AI

The EU has passed its [AI Act](https://example.org/ai-act), which applies from 2026.

## What changes

- Providers must **assess** risks.
- Breaches cost up to 7% of turnover.
"""


def _config(**extra):
    return parse({"source_language": "de", "target_languages": ["en", "fr"], **extra}, Path("."))


def _pairs(beads: list[Bead]) -> set[tuple[str, str]]:
    return {(" ".join(b.source), " ".join(b.target)) for b in beads if b.source and b.target}


def _project(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en]\nglossary:\n  keep: [Keller]\n"
                                    "  terms:\n    KI: {en: AI}\n", encoding="utf-8")
    (root / "source").mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


# ------------------------------------------------------------------ anchors


@pytest.mark.parametrize("de, en", [
    ("Der Umsatz stieg auf 2,4 Mrd. Euro.", "Revenue rose to 2.4 billion euros."),
    ("Rund 1.200 Firmen nahmen teil.", "Around 1,200 firms took part."),
    ("Die Quote lag bei 34,2 %.", "The rate was 34.2%."),
    ("Es kostet 2,4 Mio. Euro.", "It costs €2.4m."),
])
def test_numbers_are_anchors_by_value(de, en):
    source, target = Side.pair("de", "en", (), {})
    (one,), (other,) = restrict([source.of(de)], [target.of(en)]), restrict([target.of(en)], [source.of(de)])
    assert misses(one, other) == (0, 1)
    assert misses(one, target.of("Nothing of the sort."))[0] > 0


def test_names_glossary_terms_and_punctuation_are_anchors():
    source, target = Side.pair("de", "en", ("DeepSeek",), {"KI": "AI"})
    de = source.of("Ist KI von DeepSeek sicher, fragt die EU?")
    en = target.of("Is AI from DeepSeek safe, asks the EU?")
    assert {k for k in de.keys if k in en.keys} == {("term", "KI"), ("term", "DeepSeek"), ("token", "EU"),
                                                    ("punct", "?")}
    (de,), (en,) = restrict([de], [en]), restrict([en], [de])
    assert misses(de, en) == (0, 4)
    # a sentence's first word is no name; a German noun is no anchor of an English sentence
    assert ("token", "Ist") not in de.keys and ("token", "Is") not in en.keys


def test_length_cost_grows_with_the_difference():
    assert length_cost(100, 100, 1.0) < length_cost(100, 130, 1.0) < length_cost(100, 200, 1.0)
    assert length_cost(0, 0, 1.0) == 0


# ------------------------------------------------------------------ beads and blocks


def test_an_article_pair_gives_merges_drops_and_additions():
    beads = Aligner(_config(), "en").align(DE.encode(), "de.txt", EN.encode(), "en.txt")
    assert [(list(b.source), list(b.target)) for b in beads] == BEADS
    assert all(0 < b.confidence <= 1 for b in beads if b.source and b.target)


def test_markdown_blocks_pair_title_headings_and_list_items():
    beads = Aligner(_config(), "en").align(DE_MD.encode(), "de.md", EN_MD.encode(), "en.md")
    assert _pairs(beads) == {
        ("Neue Regeln für KI", "New rules for AI"),  # front matter title, then the heading
        ("Die EU hat ihre [KI-Verordnung](https://example.org/ai-act) verabschiedet. Sie gilt ab 2026.",
         "The EU has passed its [AI Act](https://example.org/ai-act), which applies from 2026."),
        ("Was sich ändert", "What changes"),
        ("Anbieter müssen Risiken **prüfen**.", "Providers must **assess** risks."),
        ("Verstöße kosten bis zu 7 % des Umsatzes.", "Breaches cost up to 7% of turnover."),
    }


def test_a_dropped_list_item_does_not_shift_the_others():
    de = DE.replace("• Länge: 3,2 Kilometer\n", "• Länge: 3,2 Kilometer\n• Kosten je Meter: 750 Euro\n")
    beads = Aligner(_config(), "en").align(de.encode(), "de.txt", EN.encode(), "en.txt")
    assert ("Fertigstellung: Ende 2027", "Completion: end of 2027") in _pairs(beads)
    assert Bead(("Kosten je Meter: 750 Euro",), ()) in beads


def test_length_only_baseline_has_no_anchors():
    beads = Aligner(_config(), "en", anchored=False).align(DE.encode(), "de.txt", EN.encode(), "en.txt")
    assert sum(len(b.source) for b in beads) == sum(len(de) for de, _ in BEADS)
    assert align([Item("Eins.")], [Item("One.")], 1.0, anchored=False)[0].target == ("One.",)


def test_three_to_one_needs_strong_evidence():
    source, target = Side.pair("de", "en", (), {})
    de = ["Es gab 3 Tore.", "Es gab 4 Karten.", "Es gab 5 Ecken."]
    en = "There were 3 goals, 4 cards and 5 corners."
    found, other = [source.of(s) for s in de], [target.of(en)]
    items = [Item(s, a) for s, a in zip(de, restrict(found, other))]
    beads = align(items, [Item(en, restrict(other, found)[0])], 1.0)
    assert [len(b.source) for b in beads] == [3]
    plain = align([Item(s) for s in de], [Item(en)], 1.0)
    assert [len(b.source) for b in plain] != [3]


def test_target_splitter_splits_english_and_french_not_with_german_rules():
    split = target_splitter("en")
    text = "Mr. Smith arrived at 3 p.m. on Monday. He\nleft again."
    assert [text[a:b] for a, b in split(text)] == ["Mr. Smith arrived at 3 p.m. on Monday.", "He\nleft again."]
    french = "M. Dupont est arrivé lundi. Il est reparti."
    assert [french[a:b] for a, b in target_splitter("fr")(french)] == ["M. Dupont est arrivé lundi.",
                                                                        "Il est reparti."]
    blocks = read_target(EN.encode(), "en.txt", _config(), "en", split)
    assert [b.kind for b in blocks][:2] == ["title", "paragraph"] and len(blocks[1].sentences) == 3
    initials = "M. J.-P. Martin a été nommé préfet. Il prendra ses fonctions le 1er mars."
    assert len(target_splitter("fr")(initials)) == 2


# ------------------------------------------------------------------ the memory file


def test_tmx_keeps_the_confidence_next_to_the_origin(sample):
    project = Project(sample)
    path = memory_path(project, "en")
    path.parent.mkdir(parents=True)
    path.write_bytes(tmx_bytes([Pair("Ja.", "Yes.", "a.txt ↔ b.txt", 0.875), Pair("Nein.", "No.", "x.po")], "de", "en"))
    assert b'<prop type="x-l10n-confidence">0.875</prop>' in path.read_bytes()
    assert imported_pairs(project, "en") == [Pair("Ja.", "Yes.", "a.txt ↔ b.txt", 0.875), Pair("Nein.", "No.", "x.po")]
    path.write_bytes(path.read_bytes().replace(b">0.875<", b">high<"))
    with pytest.raises(L10nError, match=r"^locales/memory/en.tmx:\d+: <prop type=\"x-l10n-confidence\">: expected"):
        imported_pairs(project, "en")


def test_notes_name_aligned_memory_and_read_it_back():
    import polib

    entry = polib.POEntry(msgid="a", msgstr="b", tcomment=memory_note("aligned from de/a.txt ↔ en/a.txt"))
    assert entry.tcomment == "l10n: from translation memory (aligned from de/a.txt ↔ en/a.txt)"
    note = provenance(entry)
    assert note.kind == "memory" and note.aligned and note.source == "aligned from de/a.txt ↔ en/a.txt"
    entry.tcomment = memory_note("imported from other.tmx", 91)
    assert provenance(entry).score == 91 and not provenance(entry).aligned


# ------------------------------------------------------------------ the command


def test_align_two_files_writes_pairs_once(tmp_path):
    project = _project(tmp_path / "p", {"archive/de.txt": DE, "archive/en.txt": EN})
    out = run_l10n("memory", "align", "archive/de.txt", "archive/en.txt", "--lang", "en", cwd=project).stdout
    assert out == f"de→en: 1 article pair aligned, {len(PAIRS)} pairs: {len(PAIRS)} added to locales/memory/en.tmx\n"
    pairs = imported_pairs(Project(project), "en")
    assert {(p.source, p.target) for p in pairs} == PAIRS
    assert {p.origin for p in pairs} == {"archive/de.txt ↔ archive/en.txt"}
    assert all(0.5 <= p.confidence <= 1 for p in pairs)
    before = snapshot(project / "locales")
    out = run_l10n("memory", "align", "archive/de.txt", "archive/en.txt", cwd=project).stdout
    assert out.endswith(f"0 added to locales/memory/en.tmx, {len(PAIRS)} already there\n")
    assert snapshot(project / "locales") == before


def test_min_confidence_leaves_pairs_out_and_counts_them(tmp_path):
    project = _project(tmp_path / "p", {"de.txt": DE, "en.txt": EN})
    out = run_l10n("memory", "align", "de.txt", "en.txt", "--min-confidence", "1", cwd=project).stdout
    assert out == f"de→en: 1 article pair aligned, 0 pairs: 0 added to locales/memory/en.tmx; " \
                  f"{len(PAIRS)} below confidence 1 left out\n"
    assert not memory_path(Project(project), "en").exists()
    proc = run_l10n("memory", "align", "de.txt", "en.txt", "--min-confidence", "1.5", cwd=project, check=False)
    assert proc.returncode == 2 and "--min-confidence" in proc.stderr


def test_dry_run_shows_the_alignment_and_writes_nothing(tmp_path):
    project = _project(tmp_path / "p", {"de.txt": DE, "en.txt": EN})
    before = snapshot(project)
    out = run_l10n("memory", "align", "de.txt", "en.txt", "--dry-run", cwd=project).stdout
    assert snapshot(project) == before
    assert "de.txt ↔ en.txt" in out and "confidence" in out and "Anwohner werden vorab" in out and "—" in out
    assert out.splitlines()[-1] == f"de→en: 1 article pair aligned, {len(PAIRS)} pairs would be added or kept " \
                                   "(dry run: nothing written)"


def test_folders_pair_by_path_and_say_what_they_skipped(tmp_path):
    project = _project(tmp_path / "p", {"de/news/a.txt": DE, "en/news/a.txt": EN, "de/b.md": DE_MD,
                                        "en/b.md": EN_MD, "de/only.txt": DE, "en/extra.txt": EN})
    out = run_l10n("memory", "align", "de", "en", cwd=project).stdout
    lines = out.splitlines()
    assert re.fullmatch(r"de→en: 2 article pairs aligned, \d+ pairs: \d+ added to locales/memory/en.tmx; "
                        r"2 files skipped", lines[0]), out
    assert lines[1:] == ["  skipped de/only.txt: no translation en/only.txt",
                         "  skipped en/extra.txt: no article it translates"]
    origins = {p.origin for p in imported_pairs(Project(project), "en")}
    assert origins == {"de/news/a.txt ↔ en/news/a.txt", "de/b.md ↔ en/b.md"}


def test_folders_pair_by_stem_or_a_template(tmp_path):
    project = _project(tmp_path / "p", {"de/a.txt": DE, "en/a.md": EN_MD.replace("New rules", "Old rules"),
                                        "site/b.md": DE_MD, "site/b.en.md": EN_MD})
    out = run_l10n("memory", "align", "de", "en", "--pair-by", "stem", "--dry-run", cwd=project).stdout
    assert "de/a.txt ↔ en/a.md" in out
    out = run_l10n("memory", "align", "site", "site", "--pair-by", "{dir}{stem}.{lang}{ext}", cwd=project).stdout
    assert out.startswith("de→en: 1 article pair aligned, 5 pairs: 5 added") and "skipped" not in out
    proc = run_l10n("memory", "align", "de", "en", "--pair-by", "{name}", cwd=project, check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("l10n: error: --pair-by {name}: expected path, stem")


def test_a_bad_file_in_a_folder_is_skipped_alone(tmp_path):
    project = _project(tmp_path / "p", {"de/a.txt": DE, "en/a.txt": EN, "de/b.txt": DE})
    (project / "en" / "b.txt").write_bytes(b"Titel\n\nKaputt \xff\n")
    out = run_l10n("memory", "align", "de", "en", cwd=project).stdout
    assert out.splitlines()[1] == "  skipped de/b.txt: en/b.txt: byte 14: not valid UTF-8 (invalid start byte)"


@pytest.mark.parametrize("args, message", [
    (("missing.txt", "en.txt"), "missing.txt: no such file or folder"),
    (("de.txt", "gone.txt"), "gone.txt: no such file or folder"),
    (("folder", "en.txt"), "folder is a folder but en.txt is not: give two files or two folders"),
    (("de.txt", "bad.txt"), "bad.txt: byte 6: not valid UTF-8 (invalid start byte)"),
    (("de.txt", "en.doc"), "en.doc: not an article: expected a name ending in .txt or .md"),
    (("de.txt", "en.txt", "--lang", "xx"), "l10n.yaml: 'xx' is not a target language (targets: en)"),
    (("de.txt", "./de.txt"), "de.txt: the same file as de.txt: give the translation's"),
    (("folder", "folder/"), "folder: the same folder as folder: give the translation's, or a --pair-by rule"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path, args, message):
    project = _project(tmp_path / "p", {"de.txt": DE, "en.txt": EN, "en.doc": EN, "folder/a.txt": DE})
    (project / "bad.txt").write_bytes(b"Title \xff\n")
    before = snapshot(project)
    proc = run_l10n("memory", "align", *args, cwd=project, check=False)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", f"l10n: error: {message}\n")
    assert snapshot(project) == before


def test_unreadable_file_is_one_line(tmp_path):
    import os

    project = _project(tmp_path / "p", {"de.txt": DE, "en.txt": EN})
    (project / "en.txt").chmod(0)
    try:
        if os.access(project / "en.txt", os.R_OK):
            pytest.skip("running as a user who reads any file")
        proc = run_l10n("memory", "align", "de.txt", "en.txt", cwd=project, check=False)
        assert proc.stderr == "l10n: error: en.txt: cannot read: Permission denied\n"
    finally:
        (project / "en.txt").chmod(0o644)


def test_translate_offers_aligned_pairs_as_fuzzy_memory(sample, tmp_path):
    """The sample's reviewed English published, the catalogs emptied, then aligned: translate needs no model."""
    run_l10n("publish", cwd=sample)
    shutil.move(sample / "public" / "en", tmp_path / "en")
    shutil.rmtree(sample / "locales")
    run_l10n("extract", cwd=sample)
    run_l10n("memory", "align", "source", str(tmp_path / "en"), cwd=sample)
    out = run_l10n("translate", cwd=sample).stdout
    assert re.search(r"^de→en: \d+ from memory, 0 from the engine", out, re.M), out
    from l10n.po import read_catalog

    entry = next(e for e in read_catalog(sample / "locales/en/LC_MESSAGES/open-source-ki-deepseek.po") if e.msgid)
    assert entry.fuzzy
    assert provenance(entry).aligned
    assert entry.tcomment == (f"l10n: from translation memory (aligned from source/open-source-ki-deepseek.txt ↔ "
                              f"{(tmp_path / 'en' / 'open-source-ki-deepseek.txt').as_posix()})")
