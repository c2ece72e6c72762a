"""Publishing never changes a Markdown page's block structure, whatever a catalog holds.

A translation that starts with a block marker (``1.``, ``-``, ``#``, ``>``,
``<div>``, a ``===`` underline, indentation) where its unit starts a line is
escaped; a line break typed into it becomes a space; a translation that would
change the page's blocks all the same keeps the source text. ``l10n check``
reports each case: the ``structure`` check.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from support import run_l10n

from l10n import config as config_module
from l10n import formats
from l10n.formats import markdown
from l10n.formats.markdown.structure import blocks
from l10n.po import read_catalog, write_catalog
from l10n.qa.registry import CHECKS, Context, check_entry

PLAIN = config_module.parse({"source_language": "de", "target_languages": ["en"]}, Path("."))
# An independent parser, inline rules on, to compare blocks and read the text a page shows.
_HTML = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
         .use(front_matter_plugin).use(footnote_plugin, move_to_end=False))

PAGE = """\
# Die Wahl

Die Wahl beginnt am Montag. Sie dauert
eine Woche.
Danach folgt das Ergebnis.

- Erster Punkt der Liste.
- Zweiter Punkt, mit
  Umbruch im Text.
  - Verschachtelter Punkt.

1. Schritt eins.

> Ein Zitat aus der Rede.
> Es geht weiter.

Der Satz mit Fußnote.[^1]

[^1]: Die Quelle der Zahl.

Zwischentitel
-------------

Partei | Stimmen
---|---
Grüne | viele
"""

# units that start a line in the source, by the shape they have there
STARTS = {
    "first sentence of a paragraph": "Die Wahl beginnt am Montag.",
    "sentence starting a wrapped line": "Danach folgt das Ergebnis.",
    "list item": "Erster Punkt der Liste.",
    "wrapped list item": "Zweiter Punkt, mit Umbruch im Text.",
    "nested list item": "Verschachtelter Punkt.",
    "ordered list item": "Schritt eins.",
    "quote": "Ein Zitat aus der Rede.",
    "second line of a quote": "Es geht weiter.",
    "footnote": "Die Quelle der Zahl.",
    "setext heading": "Zwischentitel",
    "table cell starting a row": "Grüne",
}
MIDDLE = {"second sentence of a line": "Sie dauert eine Woche.", "atx heading": "Die Wahl", "table cell": "viele"}
HOSTILE = ["1. This comes first.", "1) This comes first.", "- second, then more", "+ x", "* star", "# then text follows.",
           "###### six", "> quoted", "=====", "---", "***", "_ _ _", "    indented", "\tindented", "```", "~~~ code",
           "<div>", "<!-- note -->", "[label]: /somewhere", "[^9]: a note"]


def read(source: str):
    return markdown.read(source.encode(), "a.md", PLAIN)


def shape(page: str | bytes) -> list[tuple]:
    """The block tokens of a page, as the independent parser reads them."""
    text = page.decode() if isinstance(page, bytes) else page
    return [(t.type, t.nesting, t.tag, t.markup, t.level) for t in _HTML.parse(text)]


def shown(page: str | bytes) -> str:
    """The text a page shows, white space folded."""
    text = page.decode() if isinstance(page, bytes) else page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _HTML.render(text))).split())


def publish(doc, table: dict[str, str]) -> bytes:
    """The page as ``l10n publish`` renders it: translations in use but those that change its blocks."""
    unsafe = {id(u) for u in formats.for_path("a.md").check_structure(doc, lambda u: table.get(u.text))}
    return doc.render(lambda u: None if id(u) in unsafe else table.get(u.text), publish=True)


def test_the_page_and_where_its_units_start():
    doc = read(PAGE)
    assert doc.render(lambda u: u.text) == PAGE.encode()
    starts = {u.text for u in doc.units() if u.encoding[-1] == "start"}
    assert set(STARTS.values()) <= starts and not set(MIDDLE.values()) & starts


# ------------------------------------------------------------------ leading block markers


@pytest.mark.parametrize("translation", HOSTILE)
@pytest.mark.parametrize("where", list(STARTS))
def test_a_leading_block_marker_is_escaped_where_the_unit_starts_a_line(where, translation):
    doc = read(PAGE)
    page = doc.render(lambda u: translation if u.text == STARTS[where] else None)
    assert shape(page) == shape(PAGE), page.decode()
    assert translation.strip() in shown(page)  # the text as typed, not a list or a heading
    assert formats.for_path("a.md").check_structure(doc, lambda u: translation if u.text == STARTS[where] else None) \
        == []


@pytest.mark.parametrize("where", list(MIDDLE))
def test_a_unit_inside_a_line_is_written_as_it_is(where):
    doc = read(PAGE)
    for translation in ("1. This comes first.", "- second", "# then", "> quoted", "<div>"):
        page = doc.render(lambda u: translation if u.text == MIDDLE[where] else None).decode()
        assert shape(page) == shape(PAGE)
        assert translation in page


@pytest.mark.parametrize("translation, written", [
    ("1. This comes first.", "1\\. This comes first."), ("12) Zwölf", "12\\) Zwölf"), ("- second", "\\- second"),
    ("+ x", "\\+ x"), ("* x", "\\* x"), ("# then", "\\# then"), ("> quoted", "\\> quoted"), ("=====", "\\====="),
    ("---", "\\---"), ("    indented", "indented"), ("<div>", "\\<div>"), ("```", "\\```"),
    ("[a]: /x", "\\[a]: /x"),
    # what starts no block stays as it is
    ("1.5 million", "1.5 million"), ("2025 was", "2025 was"), ("*Emphasis* first", "*Emphasis* first"),
    ("**Bold** first", "**Bold** first"), ("#hashtag", "#hashtag"), ("<b>Bold</b> text", "<b>Bold</b> text"),
    ("(brackets)", "(brackets)"), ("„Quoted“", "„Quoted“"), ("1\\. escaped", "1\\. escaped"),
])
def test_how_a_line_start_is_escaped(translation, written):
    doc = read(PAGE)
    unit = next(u for u in doc.units() if u.text == STARTS["first sentence of a paragraph"])
    assert unit.encode(translation) == written


@pytest.mark.parametrize("source, msgid, translation, written", [
    # over a --- underline a line with a | is a table header, escaped or not: the pipe is written as an entity
    ("Zwischentitel\n-------------\n", "Zwischentitel", "Results | 2024 `a|b`", "Results &#124; 2024 `a|b`"),
    # on the page's first line, --- with a --- line below would open a front matter block
    ("Erster Satz.\n\nText.\n\n---\n\nMehr.\n", "Erster Satz.", "--- first", "\\--- first"),
    # mdit-py-plugins' front matter rule reads "- x---" on the page's first line as a front matter block
    ("- Erster Punkt.\n- Zweiter.\n\n---\n", "Erster Punkt.", "--- first", "- \\-\\-- first"),
    # a backslash at the end of a cell would escape its closing pipe
    ("|Zelle|b|\n|---|---|\n|c|d|\n", "Zelle", "Cell \\", "Cell \\ "),
])
def test_lines_that_would_make_a_table_or_a_front_matter(source, msgid, translation, written):
    doc = read(source)
    page = doc.render(lambda u: translation if u.text == msgid else None)
    assert written in page.decode()
    assert shape(page) == shape(source)
    assert " ".join(translation.replace("`a|b`", "a|b").split()) in shown(page)


# ------------------------------------------------------------------ typed line breaks


@pytest.mark.parametrize("where", list(STARTS) + list(MIDDLE))
def test_a_typed_line_break_becomes_a_space(where):
    msgid = {**STARTS, **MIDDLE}[where]
    doc = read(PAGE)
    for translation in ("First line\nsecond line", "Text\n- falls out of the list", "Text\n\nnew paragraph",
                        "Text\n> quote\n# heading\n    code", "Text\r\nWindows"):
        page = doc.render(lambda u: translation if u.text == msgid else None)
        assert shape(page) == shape(PAGE), page.decode()
        assert " ".join(translation.split()) in shown(page)


def test_a_hard_break_of_the_message_id_stays_with_the_quote_marker():
    source = "> **Fett\\\n> weiter** im Zitat.\n\n- [Link\\\n  weiter](https://example.org) im Punkt.\n"
    doc = read(source)
    assert [u.text for u in doc.units()] == ["**Fett\\\nweiter** im Zitat.",
                                            "[Link\\\nweiter](https://example.org) im Punkt."]
    table = {"**Fett\\\nweiter** im Zitat.": "**Bold\\\n- and on** in\nthe quote.",
             "[Link\\\nweiter](https://example.org) im Punkt.": "[Link\\\n# on](https://example.org) in the item."}
    page = doc.render(lambda u: table.get(u.text)).decode()
    assert page == ("> **Bold\\\n> \\- and on** in the quote.\n\n"
                    "- [Link\\\n  \\# on](https://example.org) in the item.\n")
    assert shape(page) == shape(source)


# ------------------------------------------------------------------ what still changes the page


MISSING_HEADER = "Die Werte im Überblick.\n|---|---|\n| 1 | 2 |\n\nDanach ein Satz.\n"


def test_a_translation_that_changes_the_blocks_keeps_the_source_text():
    doc = read(MISSING_HEADER)
    table = {"Die Werte im Überblick.": "Values | overview.", "Danach ein Satz.": "- Then a sentence."}
    raw = doc.render(lambda u: table.get(u.text))
    assert shape(raw) != shape(MISSING_HEADER)  # a table where the source has a paragraph
    unsafe = formats.for_path("a.md").check_structure(doc, lambda u: table.get(u.text))
    assert [u.text for u in unsafe] == ["Die Werte im Überblick."]
    page = publish(doc, table).decode()
    assert shape(page) == shape(MISSING_HEADER)
    assert page == "Die Werte im Überblick.\n|---|---|\n| 1 | 2 |\n\n\\- Then a sentence.\n"
    assert formats.for_path("a.txt").check_structure(doc, lambda u: table.get(u.text)) == []


def test_translations_that_only_break_the_page_together():
    # each blank line alone leaves the paragraph its other line; both together make it vanish
    source = "Erste Zeile.\nZweite Zeile.\n\nDanach.\n"
    doc = read(source)
    table = {"Erste Zeile.": " ", "Zweite Zeile.": " "}
    assert formats.for_path("a.md").check_structure(doc, lambda u: table[u.text] if u.text in table else None) \
        == [next(u for u in doc.units() if u.text == "Zweite Zeile.")]
    page = publish(doc, table)
    assert page == b"\nZweite Zeile.\n\nDanach.\n"
    assert shape(page) == shape(source)


# ------------------------------------------------------------------ l10n check


def _context(doc, path: str = "source/a.md") -> Context:
    return Context("de", "en", "a", path, format_markup=markdown.check_markup, load_document=lambda: doc)


def _findings(msgid: str, msgstr: str, source: str = PAGE, comment: str = "") -> list[tuple[str, str]]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, tcomment=comment, occurrences=[("source/a.md", "3")])
    return [(f.severity, f.message) for f in check_entry(entry, _context(read(source))) if f.check == "structure"]


def test_the_check_warns_where_publish_escapes_or_folds():
    assert CHECKS["structure"].severity == "error"
    first = STARTS["first sentence of a paragraph"]
    assert _findings(first, "1. This comes first.") == [
        ("warning", "“1.” at the start of a line would begin a numbered list: published as “1\\.”")]
    assert _findings(STARTS["list item"], "- second, …") == [
        ("warning", "“-” at the start of a line would begin a list: published as “\\-”")]
    assert _findings(STARTS["quote"], "# then text follows.") == [
        ("warning", "“#” at the start of a line would begin a heading: published as “\\#”")]
    assert _findings(STARTS["footnote"], "> quoted") == [
        ("warning", "“>” at the start of a line would begin a quote: published as “\\>”")]
    assert _findings(STARTS["sentence starting a wrapped line"], "=====") == [
        ("warning", "“=====” at the start of a line would begin an underline that makes the line before a "
                    "heading: published as “\\=====”")]
    assert _findings(STARTS["nested list item"], "<div>") == [
        ("warning", "“<div>” at the start of a line would begin an HTML block: published as “\\<div>”")]
    assert _findings(first, "    indented") == [
        ("warning", "leading indentation at the start of a line would begin a code block: published without it")]
    assert _findings(STARTS["wrapped list item"], "Second item, with\na line break.") == [
        ("warning", "a line break in the translation is published as a space: a new line could leave the "
                    "list item")]
    # in the middle of a line, or starting with text, there is nothing to say
    assert _findings(MIDDLE["second sentence of a line"], "1. This comes second.") == []
    assert _findings(first, "The vote starts on Monday.") == []
    assert _findings(first, first) == []


def test_the_check_errs_where_publish_keeps_the_source_text():
    assert _findings("Die Werte im Überblick.", "Values | overview.", MISSING_HEADER) == [
        ("error", "it would change the page's structure (a table where the source has a paragraph): "
                  "publish keeps the source text")]
    # silenced on the entry: the translator knows; publish keeps the page's blocks all the same
    assert _findings("Die Werte im Überblick.", "Values | overview.", MISSING_HEADER,
                     comment="l10n-ignore: structure") == []


def test_the_check_needs_an_article_with_blocks():
    entry = polib.POEntry(msgid="Ein Satz.", msgstr="1. A sentence.", occurrences=[("source/a.txt", "1")])
    text = Context("de", "en", "a", "source/a.txt")
    assert [f for f in check_entry(entry, text) if f.check == "structure"] == []
    unknown = Context("de", "en", "a", "source/a.md", format_markup=markdown.check_markup)
    assert [f for f in check_entry(entry, unknown) if f.check == "structure"] == []


# ------------------------------------------------------------------ the commands


ARTICLE = """\
---
title: Die Wahl
---

Die Wahl beginnt am Montag. Sie dauert eine Woche.

- Erster Punkt der Liste.

Die Werte im Überblick.
|---|---|
| 1 | 2 |
"""
TRANSLATIONS = {
    "Die Wahl": "The vote",
    "Die Wahl beginnt am Montag.": "1. The vote starts on Monday.",
    "Sie dauert eine Woche.": "It lasts a week.",
    "Erster Punkt der Liste.": "First point\nof the list.",
    "Die Werte im Überblick.": "Values | overview.",
    "|---|---| | 1 | 2 |": "|---|---| | 1 | 2 |",
}


def test_check_reports_and_publish_keeps_the_structure(tmp_path):
    project = tmp_path / "p"
    run_l10n("init", str(project), "-s", "de", "-t", "en", cwd=tmp_path)
    (project / "source" / "wahl.md").write_text(ARTICLE, encoding="utf-8")
    run_l10n("extract", cwd=project)
    catalog = project / "locales" / "en" / "LC_MESSAGES" / "wahl.po"
    po = read_catalog(catalog)
    for entry in po:
        entry.msgstr = TRANSLATIONS[entry.msgid]
    write_catalog(catalog, po)

    proc = run_l10n("check", cwd=project, check=False)
    assert proc.returncode == 1
    rows = sorted(tuple(line.split(None, 3)) for line in proc.stdout.splitlines() if " structure " in line)
    assert rows == [
        ("5", "warning", "structure", "“1.” at the start of a line would begin a numbered list: published as “1\\.”"),
        ("7", "warning", "structure", "a line break in the translation is published as a space: a new line could "
                                      "leave the list item"),
        ("9", "error", "structure", "it would change the page's structure (a table where the source has a "
                                    "paragraph): publish keeps the source text")]

    out = run_l10n("publish", cwd=project).stdout
    assert "en: public/en/wahl.md (100% reviewed; 1 unit kept in German: it would change the page's structure)" in out
    published = (project / "public" / "en" / "wahl.md").read_text(encoding="utf-8")
    assert published == ("---\ntitle: The vote\n---\n\n1\\. The vote starts on Monday. It lasts a week.\n\n"
                         "- First point of the list.\n\nDie Werte im Überblick.\n|---|---|\n| 1 | 2 |\n")
    assert shape(published) == shape(ARTICLE)
    # with --check, the error refuses the article
    proc = run_l10n("publish", "--check", cwd=project, check=False)
    assert proc.returncode == 1 and "skipped wahl: 1 QA error" in proc.stdout


# ------------------------------------------------------------------ generated pages, hostile translations

_WORD = st.sampled_from(["Die", "Wahl", "beginnt", "am", "Montag", "und", "dauert", "eine", "Woche", "2030",
                         "**fett**", "*kursiv*", "`code`", "[Link](https://example.org)", "Köln", "z. B."])
_SENTENCE = st.lists(_WORD, min_size=1, max_size=5).map(lambda words: "Satz " + " ".join(words) + ".")
_TEXT = st.builds(lambda sentences, seps: "".join(s + sep for s, sep in zip(sentences, seps)).rstrip(),
                  st.lists(_SENTENCE, min_size=1, max_size=4),
                  st.lists(st.sampled_from([" ", " ", "\n"]), min_size=4, max_size=4))


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0]] + [rest + line for line in lines[1:]])


@st.composite
def _list(draw, depth: int = 0) -> str:
    marker = draw(st.sampled_from(["-", "*", "+", "1.", "1)"]))
    items = []
    for k in range(draw(st.integers(1, 3))):
        mark = f"{k + 1}{marker[-1]}" if marker[0].isdigit() else marker
        body = draw(_TEXT)
        if depth < 1 and draw(st.booleans()):
            body += "\n" + draw(_list(depth + 1))
        items.append(_indent(body, mark + " ", " " * (len(mark) + 1)))
    return "\n".join(items)


def _table(cells: list[str], style: str) -> str:
    row = {"pipes": lambda c: "| " + " | ".join(c) + " |", "tight": lambda c: "|" + "|".join(c) + "|",
           "bare": lambda c: " | ".join(c)}[style]
    return "\n".join([row(cells[:2]), row(["---", "---"]), row(cells[2:4])])


_CELL = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_BLOCK = st.one_of(
    _TEXT, _TEXT, _list(),
    st.builds(lambda inner: _indent(inner, "> ", "> "), st.one_of(_TEXT, _list())),
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 3), _SENTENCE),
    st.builds(lambda text, char: f"{text}\n{char * 5}", _SENTENCE, st.sampled_from("=-")),
    st.builds(_table, st.lists(_CELL, min_size=4, max_size=4), st.sampled_from(["pipes", "tight", "bare"])),
    st.builds(lambda text: _indent(text, "[^1]: ", "    "), _TEXT),
)
_PAGE = st.lists(_BLOCK, min_size=1, max_size=6).map(lambda parts: "\n\n".join(parts) + "\n")
_HOSTILE = st.builds(
    lambda lead, words, middle, tail: lead + words + middle + tail,
    st.sampled_from(["", "", "1. ", "1) ", "- ", "+ ", "* ", "# ", "> ", "    ", "\t", "=====", "---", "***",
                     "<div>", "```", "[a]: /b", "\n", " "]),
    st.sampled_from(["Text", "This comes first.", "**unbalanced", "a | b", "_x", "2024"]),
    st.sampled_from(["", "", "\n", "\n\n", "\n- x", "\n> y", "\n# z", "\n    code", "\n=====", "\\\n- w", " | ",
                     "**", "`"]),
    st.sampled_from(["", "", " end.", "\n", "  ", "\\"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PAGE, st.lists(_HOSTILE, min_size=1, max_size=30))
def test_published_pages_keep_the_block_structure(source, hostile):
    doc = read(source)
    assert doc.render(lambda u: u.text) == source.encode()
    units = list(doc.units())
    table = {u.text: hostile[k % len(hostile)] for k, u in enumerate(units)}
    page = publish(doc, table)
    assert shape(page) == shape(source), page.decode()
    assert blocks(page) == blocks(source)
    # on these pages, escaping and folding alone keep the blocks: no unit needs its source text
    unsafe = formats.for_path("a.md").check_structure(doc, lambda u: table.get(u.text))
    assert unsafe == [], [(u.text, table[u.text]) for u in unsafe]
