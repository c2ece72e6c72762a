"""The Markdown article format: units, skeleton, front matter, and exact round trips."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from l10n import config as config_module
from l10n import formats
from l10n.errors import L10nError
from l10n.formats import markdown
from l10n.mt.protect import Protector

from support import run_l10n

PLAIN = config_module.parse({"source_language": "de", "target_languages": ["en"]}, Path("."))
BY_PARAGRAPH = config_module.parse({"source_language": "de", "target_languages": ["en"], "segmentation": "paragraph"},
                                   Path("."))

_PROTECTOR = Protector(["DeepSeek", "Kanzlerin"], {"Energiewende": "energy transition"})

# An independent parser (no position recording) to compare the block structure of two documents.
_CHECK = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
          .use(front_matter_plugin).use(footnote_plugin, move_to_end=False))
_MARKER_START = re.compile(r"(?:#{1,6}|>|[-*+]|\|)(?:[ \t]|$)")


def read(source: str, cfg=PLAIN):
    return markdown.read(source.encode(), "a.md", cfg)


def units(source: str, cfg=PLAIN):
    return list(read(source, cfg).units())


def texts(source: str, cfg=PLAIN):
    return [u.text for u in units(source, cfg)]


def shape(source: str):
    """Block structure and the inline markup of a document (plain text and line breaks aside)."""
    out = []
    for token in _CHECK.parse(source):
        out.append((token.type, token.tag, token.markup, token.info, token.attrs.get("style")))
        if token.type == "front_matter":
            data = yaml.safe_load(token.content)
            out.append(sorted(data) if isinstance(data, dict) else data)
        for child in token.children or ():
            if child.type not in ("text", "softbreak", "text_special"):
                out.append((child.type, child.markup))
    return out


def check_document(source: str, cfg=PLAIN, strict: bool = True):
    """Every property a document must have: exact round trips, sane units, and an uppercase
    translation that changes only unit text and keeps the structure."""
    data = source.encode()
    reader = markdown.Reader(markdown.decode_source(data, "a.md"), "a.md", cfg)
    doc = reader.document()
    if strict:
        assert reader.fallbacks == []
    assert doc.render(lambda unit: unit.text) == data
    assert doc.render() == data
    assert doc.render(publish=True) == data or cfg.skip
    found = list(doc.units())
    for unit in found:
        assert unit.text and unit.text == unit.text.strip(), unit
        if not unit.kind.startswith("front matter"):  # a literal block scalar keeps its line breaks
            assert not re.search(r"\r|(?<!\\)\n", unit.text), unit
        if strict and unit.kind == "table cell":
            assert not re.search(r"^\||(?<!\\)\|$", unit.text), unit
        elif strict and not unit.kind.startswith("front matter"):
            assert not _MARKER_START.match(unit.text), unit
            assert "\n>" not in unit.text and "\n|" not in unit.text, unit
        assert unit.source and source.count(unit.source) >= 1
        assert 1 <= unit.line <= source.count("\n") + source.count("\r") + 1
        # a unit left as it is breaks nothing, and its protected markup comes back byte for byte
        assert list(markdown.check_markup(unit.text, unit.text)) == [], unit
        protected = _PROTECTOR.protect(unit.text, markdown.protected_spans)
        assert protected.restore(protected.text).text == protected.restored_source(), (unit, protected)
        assert "".join(p if isinstance(p, str) else p.original for p in protected.pieces()) == unit.text
    uppercased = doc.render(lambda unit: upper(unit.text)).decode()
    if strict:
        # the structure is the same, and all translated text reads back as unit text (by paragraph, as
        # capitals change where the sentence splitter cuts)
        assert shape(_body(uppercased)) == shape(_body(source))
        again = markdown.Reader(uppercased, "a.md", BY_PARAGRAPH)
        redone = _squash("".join(u.text for u in again.document().units()))
        assert again.fallbacks == []
        pos = 0
        for unit in found:
            pos = redone.index(_squash(upper(unit.text)), pos)
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+|\\\n", "", text)


def upper(text: str) -> str:
    """A stand-in translation: everything in capitals but footnote labels and entities, whose case matters."""
    return "".join(part if i % 2 else part.upper() for i, part in enumerate(_KEEP_CASE.split(text)))


_KEEP_CASE = re.compile(r"(\[\^[^\]\s]+\]|&#?\w+;)")


def _body(text: str) -> str:
    return re.sub(r"\r\n?", "\n", text.removeprefix("\ufeff"))


# ------------------------------------------------------------------ real-world shapes

FRONT_MATTER = """\
---
title: "Die „Energiewende“ im \\"Faktencheck\\""
description: >-
  Was die Bundesregierung plant, was es kostet
  und wer es bezahlt.
summary: 'Drei Fragen, drei Antworten: ein ''kurzer'' Überblick'
date: 2024-05-01T08:00:00+02:00
slug: energiewende-faktencheck
draft: false
tags:
  - Energie
  - "Politik"
authors: [Anna Beispiel, Max Muster]
---

# Die Energiewende im Faktencheck

Die Regierung will bis 2030 achtzig Prozent des Stroms aus erneuerbaren Quellen gewinnen. Das ist ehrgeizig.
"""

NESTED_LISTS = """\
Einleitung vor der Liste:

- Erster Punkt mit *Betonung*. Und ein zweiter Satz.
- Zweiter Punkt
  über zwei Zeilen
  - Unterpunkt eins
  - Unterpunkt zwei
    1. Tief verschachtelt
    2. Noch tiefer
- [ ] Offene Aufgabe
- [x] Erledigte Aufgabe

3. Drei
4) Vier

* Stern-Punkt

  Zweiter Absatz im selben Punkt.

      eingerückter Code im Punkt
"""

TABLE = """\
| Partei | Stimmen | Anteil in % |
|:-------|:-------:|------------:|
| CDU/CSU | 12,5 Mio. | 28,5 |
| SPD \\| links | `a \\| b` | 16,4 |
| Grüne | **11,6** Mio. |
Ohne | Randstriche | hier

> | Im | Zitat |
> |----|-------|
> | a  | b     |
"""

HARD_BREAKS = """\
**Foto:** dpa  
**Text:** Anna Beispiel\\
Berlin, 1. Mai 2024

Ein Satz mit **Betonung  
über den Umbruch** hinweg. Danach ein zweiter Satz.
"""

SETEXT = """\
Hauptüberschrift
================

Unterüberschrift über
zwei Zeilen
-----------

Text.

### ATX mit Abschluss ###

#### ATX ohne Abschluss
"""

HTML = """\
Erster Absatz.

<!-- Kommentar: nicht übersetzen.
     Auch die zweite Zeile nicht. -->

<div class="infobox">
<p>HTML-Block bleibt, wie er ist.</p>
</div>

Ein Satz mit <abbr title="Europäische Union">EU</abbr> und <br> darin. <!-- inline --> Zweiter Satz.
"""

FOOTNOTES = """\
Die Studie[^1] zeigt einen Anstieg.[^quelle] Weitere Details folgen^[Inline-Fußnote. Mit Punkt.] bald.

[^1]: Veröffentlicht im März. Die Autoren sind unabhängig.
[^quelle]: Statistisches Bundesamt, *Pressemitteilung* Nr. 123.

    Zweiter Absatz der Fußnote.
"""

EMPHASIS_ACROSS = """\
Das ist **wichtig. Sehr wichtig** sogar. Und *das hier. Auch* noch. ~~Alt. Weg~~ neu. Letzter Satz.
"""

LINKS = """\
Mehr dazu auf [der Seite des Ministeriums. Hier](https://example.org/a.b "Ministerium. Startseite") und
bei [Wikipedia][wp]. Siehe auch <https://example.org/x.y>. Oder [kurz]. Kontakt: <info@example.org>.
Code wie `z. B. foo()` bleibt im Satz.

[wp]: https://de.wikipedia.org/wiki/Energiewende "Wikipedia: Energiewende"
[kurz]: <https://example.org/kurz>
"""

IMAGES = """\
![Windräder vor Sonnenuntergang](bilder/wind.jpg "Foto: Anna Beispiel")

[![Logo des Ministeriums](logo.svg)](https://example.org)

![Erstes Bild](a.png) ![Zweites Bild](b.png 'Zweiter Titel')

Ein Satz mit ![Inline-Bild](x.png) darin. Zweiter Satz.

![](leer.png)
"""

QUOTES = """\
> Wir schaffen das. Das sagte die Kanzlerin
> im Sommer 2015.
>
> > Verschachteltes Zitat.
>
> - Liste im Zitat
> # Überschrift im Zitat
faul weitergeführte Zeile gehört nicht mehr dazu.

> Faule
Fortsetzung im Zitat.
"""

CODE = """\
Vor dem Code.

```python
# Kommentar, kein Markdown
print("Hallo. Welt.")
```

~~~
Tilde-Fence
~~~

---

    eingerückter Code. Zwei Sätze.

Nach dem Code.
"""

TOML = """\
+++
title = "TOML bleibt Skelett"
date = 2024-05-01
+++

# Überschrift
"""

NO_FINAL_NEWLINE = "# Titel\n\nLetzter Satz ohne Zeilenende."

SHAPES = {
    "front matter": FRONT_MATTER, "nested lists": NESTED_LISTS, "table": TABLE, "hard breaks": HARD_BREAKS,
    "setext": SETEXT, "html": HTML, "footnotes": FOOTNOTES, "emphasis across sentences": EMPHASIS_ACROSS,
    "links": LINKS, "images": IMAGES, "quotes": QUOTES, "code": CODE, "toml front matter": TOML,
    "no final newline": NO_FINAL_NEWLINE,
}

VARIANTS = {
    "lf": lambda s: s,
    "crlf": lambda s: s.replace("\n", "\r\n"),
    "cr": lambda s: s.replace("\n", "\r"),
    "bom": lambda s: "\ufeff" + s,
    "no final newline": lambda s: s.rstrip("\n"),
    "blank lines around": lambda s: "\n\n" + s + "\n\n\n",
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", SHAPES)
def test_real_world_shapes_round_trip(name, variant):
    source = VARIANTS[variant](SHAPES[name])
    if variant == "blank lines around" and source.startswith(("\n\n---", "\n\n+++")):
        return  # front matter must open the file
    found = check_document(source)
    base = check_document(SHAPES[name]) if variant != "lf" else found
    assert [u.text for u in found] == [u.text for u in base]
    check_document(source, BY_PARAGRAPH)


def test_front_matter_values_are_units_in_their_styles():
    found = units(FRONT_MATTER)
    front = [(u.kind, u.note, u.text) for u in found if u.kind.startswith("front matter")]
    assert front == [
        ("front matter title", "front matter: title", "Die „Energiewende“ im \"Faktencheck\""),
        ("front matter description", "front matter: description",
         "Was die Bundesregierung plant, was es kostet und wer es bezahlt."),
        ("front matter summary", "front matter: summary", "Drei Fragen, drei Antworten: ein 'kurzer' Überblick"),
    ]
    assert [u.line for u in found[:3]] == [2, 3, 6]
    # other keys and the tag list stay as they are
    assert not any(t in u.text for u in found for t in ("2024-05-01", "energiewende-faktencheck", "Energie\n"))


def test_front_matter_translations_are_re_encoded_for_their_style():
    doc = read(FRONT_MATTER)
    tricky = 'It\'s "new": a # b'
    out = doc.render(lambda u: tricky if u.kind.startswith("front matter") else None).decode()
    head = out.split("---\n")[1]
    assert 'title: "It\'s \\"new\\": a # b"\n' in head  # double-quoted stays double-quoted, quotes escaped
    assert "description: >-\n  It's \"new\": a # b\n" in head  # folded block keeps header and indentation
    assert "summary: 'It''s \"new\": a # b'\n" in head  # single quotes doubled
    data = yaml.safe_load(head)
    assert data["title"] == data["description"] == data["summary"] == tricky
    assert data["tags"] == ["Energie", "Politik"] and data["draft"] is False
    assert out.split("---\n", 2)[2] == FRONT_MATTER.split("---\n", 2)[2]


@pytest.mark.parametrize("value, translation, expected", [
    ("Ein schlichter Titel", "A plain title", "A plain title"),
    ("Ein schlichter Titel", "Title: with colon", "\"Title: with colon\""),
    ("Ein schlichter Titel", "yes", "\"yes\""),  # plain would read as a boolean
    ("Ein schlichter Titel", "- dash", "\"- dash\""),
    ("Ein schlichter Titel", "two\nlines", "\"two\\nlines\""),
    ("'Zitat'", "it's", "'it''s'"),
    ("\"Doppelt\"", "say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\""),
    ("|\n  Zeile eins\n  Zeile zwei", "Line one\nLine two", "|\n  Line one\n  Line two"),
    ("|-\n    tief eingerückt", "deep", "|-\n    deep"),
    (">\n  gefaltet\n  weiter", "folded", ">\n  folded"),
    (">\n  gefaltet\n  weiter", "first\nsecond", ">\n  first\n\n  second"),
    ("Ein\n  mehrzeiliger schlichter Titel", "One line", "One line"),
])
def test_front_matter_scalar_styles(value, translation, expected):
    source = f"---\ntitle: {value}\nslug: x\n---\n\nText.\n"
    doc = read(source)
    assert doc.render(lambda u: u.text) == source.encode()
    title = next(doc.units())
    assert title.kind == "front matter title" and title.source == value
    assert title.text == yaml.safe_load(source.split("---\n")[1])["title"].strip()
    out = doc.render(lambda u: translation if u is title else None).decode()
    assert out == source.replace(value, expected, 1)
    assert yaml.safe_load(out.split("---\n")[1])["title"].strip() == translation


def test_front_matter_edge_cases():
    # numbers, dates, empty values, anchors, lists and nested keys are no units
    source = ("---\ntitle: 2024\ndescription:\nsummary: &s Anker\nsub:\n  title: Verschachtelt\n---\n\n"
              "# Überschrift\n")
    assert texts(source) == ["Überschrift"]
    assert texts("---\n---\n\nText.\n") == ["Text."]
    assert texts("---\n- eine\n- Liste\n---\n\nText.\n") == ["Text."]
    # front matter written with CRLF keeps CRLF in re-encoded block scalars
    crlf = "---\r\ndescription: |\r\n  Zeile\r\n---\r\nText.\r\n"
    out = read(crlf).render(lambda u: "a\nb" if u.kind.startswith("front") else None)
    assert out == b"---\r\ndescription: |\r\n  a\r\n  b\r\n---\r\nText.\r\n"


def test_invalid_front_matter_is_one_clear_line():
    with pytest.raises(L10nError) as info:
        read("---\ntitle: Ein: Doppelpunkt\n---\n\nText.\n")
    assert str(info.value).startswith("a.md:2: front matter is not valid YAML: ")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("source, expected", [
    ("---\ntitle: T\n---\n\n# T\n", "---\ntitle: T\nlang: en\n---\n\n# T\n"),  # added as the last line
    ("---\nlang: de  # Sprache\ntitle: T\n---\n", "---\nlang: en  # Sprache\ntitle: T\n---\n"),  # replaced
    ("---\nlang: 'de'\n---\n", "---\nlang: 'en'\n---\n"),  # in its quoting style
    ('---\nlang: "de"\n---\n', '---\nlang: "en"\n---\n'),
    ("---\nlang:\ntags: [a]\n---\n", "---\nlang: en\ntags: [a]\n---\n"),  # an empty value
    ("---\nsub:\n  lang: de\n---\n", "---\nsub:\n  lang: de\nlang: en\n---\n"),  # top-level keys only
    ("---\nd: |\n  Zeile\n\n---\n", "---\nd: |\n  Zeile\n\nlang: en\n---\n"),
    ("---\n---\nText\n", "---\nlang: en\n---\nText\n"),  # an empty front matter
    ("---\n# nur ein Kommentar\n...\nText\n", "---\n# nur ein Kommentar\nlang: en\n...\nText\n"),
    ("\ufeff---\r\ntitle: T\r\n---\r\nText\r\n", "\ufeff---\r\ntitle: T\r\nlang: en\r\n---\r\nText\r\n"),
    ("# T\r\n\r\nText", "---\r\nlang: en\r\n---\r\n# T\r\n\r\nText"),  # none: one is created
    ("\ufeffText\n", "\ufeff---\nlang: en\n---\nText\n"),
    ("+++\ntitle = \"T\"\n+++\nText\n", "+++\ntitle = \"T\"\n+++\nText\n"),  # TOML: left as it is
])
def test_front_matter_language_key(source, expected):
    assert markdown.set_front_matter_key(source, "lang", "en", "a.md") == expected
    again = markdown.set_front_matter_key(expected, "lang", "en", "a.md")
    assert again == expected  # setting it twice changes nothing


def test_front_matter_language_key_values_and_refusals():
    # a code that YAML would read as something else is quoted
    assert markdown.set_front_matter_key("---\nt: x\n---\n", "lang", "no") == '---\nt: x\nlang: "no"\n---\n'
    assert markdown.set_front_matter_key("# T\n", "lang", "pt_BR") == "---\nlang: pt_BR\n---\n# T\n"
    for source, message in [("---\n- a\n- b\n---\n", "a.md:1: front matter is not a YAML block mapping; cannot set lang"),
                            ("---\n{a: 1}\n---\n", "a.md:1: front matter is not a YAML block mapping"),
                            ("---\na: &x de\nlang: *x\n---\n", "a.md:1: cannot set lang: en in the front matter")]:
        with pytest.raises(L10nError) as info:
            markdown.set_front_matter_key(source, "lang", "en", "a.md")
        assert str(info.value).startswith(message), str(info.value)
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"],
                               "publish": {"front_matter_language_key": "sprache"}}, Path("."))
    assert markdown.localize(b"# T\n", "a.md", "en", cfg) == b"# T\n"  # no front matter the page did not have
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"],
                               "publish": {"front_matter_language_key": "sprache", "add_front_matter": True}},
                              Path("."))
    assert markdown.localize(b"# T\n", "a.md", "en", cfg) == b"---\nsprache: en\n---\n# T\n"
    assert markdown.localize(b"# T\n", "a.md", "en", PLAIN) == b"# T\n"


def test_front_matter_keys_come_from_the_config():
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"],
                               "markdown": {"front_matter": ["teaser", "slug"]}}, Path("."))
    source = "---\ntitle: Titel\nteaser: Ein Anreißer\nslug: ein-slug\n---\n\nText.\n"
    assert [(u.kind, u.text) for u in units(source, cfg)] == [
        ("front matter teaser", "Ein Anreißer"), ("front matter slug", "ein-slug"), ("sentence", "Text.")]
    assert read(source, cfg).render(lambda unit: unit.text.upper()).decode() == \
        "---\ntitle: Titel\nteaser: EIN ANREISSER\nslug: EIN-SLUG\n---\n\nTEXT.\n"


def test_toml_front_matter_is_skeleton():
    assert texts(TOML) == ["Überschrift"]


def test_headings_keep_their_markers_in_the_skeleton():
    doc = read(SETEXT)
    headings = [u for u in doc.units() if u.kind == "heading"]
    assert [u.text for u in headings] == [
        "Hauptüberschrift", "Unterüberschrift über zwei Zeilen", "ATX mit Abschluss", "ATX ohne Abschluss"]
    assert [u.line for u in headings] == [1, 4, 10, 12]
    out = doc.render(lambda u: "X").decode()
    assert out == "X\n================\n\nX\n-----------\n\nX\n\n### X ###\n\n#### X\n"


def test_sentences_never_split_inside_markup():
    assert texts(EMPHASIS_ACROSS) == [
        "Das ist **wichtig. Sehr wichtig** sogar.", "Und *das hier. Auch* noch.", "~~Alt. Weg~~ neu.",
        "Letzter Satz."]
    # markers and footnote references after a sentence end do not hide it from the splitter
    assert texts("**Erster Satz.** Zweiter Satz.[^1] *Dritter.* ~~Vierter~~.\n\n[^1]: Quelle.\n") == [
        "**Erster Satz.**", "Zweiter Satz.", "*Dritter.*", "~~Vierter~~.", "Quelle."]
    found = units(LINKS)
    assert [u.text for u in found] == [
        'Mehr dazu auf [der Seite des Ministeriums. Hier](https://example.org/a.b "Ministerium. Startseite") und '
        "bei [Wikipedia][wp].",
        "Siehe auch <https://example.org/x.y>.",
        "Oder [kurz].",
        "Kontakt: <info@example.org>.",
        "Code wie `z. B. foo()` bleibt im Satz.",
    ]
    assert [u.note for u in found][:2] == ["paragraph 1, sentence 1 of 5", "paragraph 1, sentence 2 of 5"]
    assert [u.line for u in found] == [1, 2, 2, 2, 3]
    # the first sentence spans a line break: the msgid folds it, the source keeps it
    assert found[0].source.count("\n") == 1
    # link reference definitions are skeleton
    assert not any("wikipedia.org" in u.text for u in found)


def test_lists_quotes_and_task_boxes():
    found = units(NESTED_LISTS)
    items = [(u.text, u.note) for u in found if u.kind == "item"]
    assert items == [
        ("Erster Punkt mit *Betonung*.", "list item, sentence 1 of 2"),
        ("Und ein zweiter Satz.", "list item, sentence 2 of 2"),
        ("Zweiter Punkt über zwei Zeilen", "list item"),
        ("Unterpunkt eins", "list item"), ("Unterpunkt zwei", "list item"),
        ("Tief verschachtelt", "list item"), ("Noch tiefer", "list item"),
        ("Offene Aufgabe", "list item"), ("Erledigte Aufgabe", "list item"),
        ("Drei", "list item"), ("Vier", "list item"), ("Stern-Punkt", "list item"),
        ("Zweiter Absatz im selben Punkt.", "list item"),
    ]
    assert found[0].note == "paragraph 1" and found[0].text == "Einleitung vor der Liste:"
    out = read(NESTED_LISTS).render(lambda u: u.text.upper()).decode()
    assert "- [ ] OFFENE AUFGABE\n- [x] ERLEDIGTE AUFGABE\n" in out
    assert "    1. TIEF VERSCHACHTELT\n" in out and "      eingerückter Code im Punkt\n" in out

    quotes = [(u.kind, u.text, u.note) for u in units(QUOTES)]
    assert quotes == [
        ("quote", "Wir schaffen das.", "quote, sentence 1 of 2"),
        ("quote", "Das sagte die Kanzlerin im Sommer 2015.", "quote, sentence 2 of 2"),
        ("quote", "Verschachteltes Zitat.", "quote"),
        ("item", "Liste im Zitat", "list item"),
        ("heading", "Überschrift im Zitat", "heading"),
        ("sentence", "faul weitergeführte Zeile gehört nicht mehr dazu.", "paragraph 1"),
        ("quote", "Faule Fortsetzung im Zitat.", "quote"),
    ]
    out = read(QUOTES).render(lambda u: "X").decode()
    assert out.startswith("> X X\n>\n> > X\n>\n> - X\n> # X\nX\n\n> X\n")


def test_table_cells():
    found = [u for u in units(TABLE)]
    assert all(u.kind == "table cell" for u in found)
    assert [(u.text, u.note) for u in found[:4]] == [
        ("Partei", "table cell (row 1, column 1)"), ("Stimmen", "table cell (row 1, column 2)"),
        ("Anteil in %", "table cell (row 1, column 3)"), ("CDU/CSU", "table cell (row 2, column 1)")]
    assert [u.text for u in found[4:]] == [
        "12,5 Mio.", "28,5", "SPD \\| links", "16,4", "Grüne", "**11,6** Mio.", "Ohne", "Randstriche", "hier",
        "Im", "Zitat", "a", "b"]  # a cell of code only is no unit
    # a pipe in a translated cell is escaped so the row keeps its columns
    doc = read(TABLE)
    out = doc.render(lambda u: "x | y" if u.text == "Partei" else u.text.upper()).decode()
    assert out.startswith("| x \\| y | STIMMEN | ANTEIL IN % |\n|:-------|:-------:|------------:|\n")
    assert shape(out) == shape(TABLE)


def test_hard_breaks_end_units_and_stay_in_the_skeleton():
    found = units(HARD_BREAKS)
    assert [u.text for u in found] == [
        "**Foto:** dpa", "**Text:** Anna Beispiel", "Berlin, 1. Mai 2024",
        "Ein Satz mit **Betonung\\\nüber den Umbruch** hinweg.", "Danach ein zweiter Satz."]
    # a break inside emphasis stays in the msgid as a backslash break; the source slice is exact
    assert found[3].source == "Ein Satz mit **Betonung  \nüber den Umbruch** hinweg."
    out = read(HARD_BREAKS).render(lambda u: u.text.upper()).decode()
    assert out.startswith("**FOTO:** DPA  \n**TEXT:** ANNA BEISPIEL\\\nBERLIN, 1. MAI 2024\n\n")
    assert shape(out) == shape(HARD_BREAKS)


def test_images_alt_texts_and_titles():
    found = units(IMAGES)
    assert [(u.kind, u.text) for u in found] == [
        ("image alt text", "Windräder vor Sonnenuntergang"), ("image title", "Foto: Anna Beispiel"),
        ("image alt text", "Logo des Ministeriums"),
        ("image alt text", "Erstes Bild"), ("image alt text", "Zweites Bild"), ("image title", "Zweiter Titel"),
        ("sentence", "Ein Satz mit ![Inline-Bild](x.png) darin."), ("sentence", "Zweiter Satz."),
    ]
    doc = read(IMAGES)
    out = doc.render(lambda u: 'Say "cheese"' if u.text == "Foto: Anna Beispiel" else
                     "It's" if u.text == "Zweiter Titel" else None).decode()
    assert out.startswith('![Windräder vor Sonnenuntergang](bilder/wind.jpg "Say \\"cheese\\"")\n')
    assert "![Zweites Bild](b.png 'It\\'s')" in out
    assert shape(out) == shape(IMAGES)


def test_html_code_and_footnotes():
    assert texts(HTML) == [  # the prose of an HTML block is a unit too (see "Static-site syntax")
        "Erster Absatz.", "HTML-Block bleibt, wie er ist.",
        'Ein Satz mit <abbr title="Europäische Union">EU</abbr> und <br> darin.', "Zweiter Satz."]
    assert texts(CODE) == ["Vor dem Code.", "Nach dem Code."]
    found = units(FOOTNOTES)
    assert [(u.text, u.note) for u in found] == [
        ("Die Studie[^1] zeigt einen Anstieg.", "paragraph 1, sentence 1 of 2"),
        ("Weitere Details folgen^[Inline-Fußnote. Mit Punkt.] bald.", "paragraph 1, sentence 2 of 2"),
        ("Veröffentlicht im März.", "footnote [^1], sentence 1 of 2"),
        ("Die Autoren sind unabhängig.", "footnote [^1], sentence 2 of 2"),
        ("Statistisches Bundesamt, *Pressemitteilung* Nr. 123.", "footnote [^quelle]"),
        ("Zweiter Absatz der Fußnote.", "footnote [^quelle]"),
    ]
    assert {u.kind for u in found[2:]} == {"footnote"}


def test_paragraph_segmentation_keeps_blocks_whole():
    assert texts(EMPHASIS_ACROSS, BY_PARAGRAPH) == [EMPHASIS_ACROSS.strip()]
    found = units("- Eins. Zwei.\n\n> Drei. Vier.\n", BY_PARAGRAPH)
    assert [(u.kind, u.text) for u in found] == [("item", "Eins. Zwei."), ("quote", "Drei. Vier.")]


def test_skip_rules_outside_code_and_front_matter():
    cfg = config_module.parse({"source_language": "de", "target_languages": ["en"], "skip": [
        {"match": "^Anzeige$", "scope": "block", "publish": "drop"},
        {"match": "^Foto:", "scope": "line", "publish": "keep"},
        {"match": "^Mehr zum Thema$", "scope": "rest", "publish": "drop"},
        {"match": "^title", "scope": "line", "publish": "drop"},
    ]}, Path("."))
    source = ("---\ntitle: Titel\n---\n\n# Überschrift\n\n> Anzeige\n> Kaufen Sie jetzt.\n\n"
              "Ein Satz.\nFoto: dpa\nNoch ein Satz.\n\n```\nAnzeige\n```\n\n"
              "## Mehr zum Thema\n\n- [Anderer Artikel](https://example.org)\n")
    doc = read(source, cfg)
    assert [u.text for u in doc.units()] == ["Titel", "Überschrift", "Ein Satz.", "Noch ein Satz."]
    assert doc.render(lambda u: u.text) == source.encode()
    published = doc.render(lambda u: "X", publish=True).decode()
    # dropped blocks take the blank lines before them along, as in plain-text articles
    assert published == "---\ntitle: X\n---\n\n# X\n\nX\nFoto: dpa\nX\n\n```\nAnzeige\n```\n"
    check_document(source, cfg)


def test_read_through_the_format_registry():
    doc = formats.read(b"# Titel\n\nText.\n", "news/artikel.md", PLAIN)
    assert [u.text for u in doc.units()] == ["Titel", "Text."]
    assert doc.path == "news/artikel.md"


def test_extract_and_publish_a_markdown_article(tmp_path):
    run_l10n("init", ".", "-s", "de", "-t", "en", cwd=tmp_path)
    source = ("---\ntitle: \"Ein Titel\"\ndate: 2024-01-01\n---\n\n# Überschrift\n\n"
              "Erster Satz. Zweiter **Satz**.\n\n| A | B |\n|---|---|\n| x | y |\n")
    (tmp_path / "source" / "artikel.md").write_text(source, encoding="utf-8")
    run_l10n("extract", cwd=tmp_path)
    po_path = tmp_path / "locales" / "en" / "LC_MESSAGES" / "artikel.po"
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po] == [
        "Ein Titel", "Überschrift", "Erster Satz.", "Zweiter **Satz**.", "A", "B", "x", "y"]
    assert [e.occurrences[0][1] for e in po] == ["2", "6", "8", "8", "10", "10", "12", "12"]
    assert po[0].comment == "front matter: title" and po[4].comment == "table cell (row 1, column 1)"
    translations = {"Ein Titel": 'The "title"', "Erster Satz.": "First sentence.", "A": "a | b"}
    for entry in po:
        entry.msgstr = translations.get(entry.msgid, entry.msgid.upper())
    po.save()
    run_l10n("publish", cwd=tmp_path)
    assert (tmp_path / "public" / "en" / "artikel.md").read_text(encoding="utf-8") == (
        '---\ntitle: "The \\"title\\""\ndate: 2024-01-01\n---\n\n# ÜBERSCHRIFT\n\n'
        "First sentence. ZWEITER **SATZ**.\n\n| a \\| b | B |\n|---|---|\n| X | Y |\n")


@pytest.mark.parametrize("data, message", [
    (b"", "a.md: empty file"),
    (b" \n\n", "a.md: empty file"),
    (b"# Titel\n\xff\xfe kaputt\n", "a.md: byte 8: not valid UTF-8"),
    (b"PK\x03\x04\x00\x00binary", "a.md: byte 4: binary file"),
])
def test_bad_input_is_one_clear_line(data, message):
    with pytest.raises(L10nError) as info:
        markdown.read(data, "a.md", PLAIN)
    assert str(info.value).startswith(message)


def test_units_that_are_only_code_html_or_urls_are_skeleton():
    source = "`nur Code`\n\n<https://example.org>\n\n<span>x</span>\n\n| `a` | --- |\n|---|---|\n\n&nbsp;\n"
    assert texts(source) == ["<span>x</span>"]


# ------------------------------------------------------------------ generated documents

_WORDS = st.sampled_from([
    "die", "Regierung", "plant", "neue", "Gesetze", "für", "mehr", "Klimaschutz", "im", "Jahr", "2030", "12,5",
    "Prozent", "Bürger", "zahlen", "weniger", "Straße", "Köln", "z. B.", "Dr. Müller", "sagte", "„Wir",
    "schaffen", "das“", "(laut", "Bericht)", "Öl", "Energie-Wende", "u. a.", "am", "3. Mai", "bzw.", "Mio.", "e.V.",
])
_INLINE = st.one_of(
    _WORDS, _WORDS,
    _WORDS.map(lambda w: f"**{w}**"), _WORDS.map(lambda w: f"*{w}*"), _WORDS.map(lambda w: f"_{w}_"),
    _WORDS.map(lambda w: f"~~{w}~~"), _WORDS.map(lambda w: f"`{w}()`"),
    st.tuples(_WORDS, _WORDS).map(lambda t: f"[{t[0]} {t[1]}](https://example.org/{len(t[0])}.html)"),
    st.tuples(_WORDS, _WORDS).map(lambda t: f'[{t[0]}. {t[1]}](https://example.org/x "Titel. {t[1]}")'),
    _WORDS.map(lambda w: f"[{w}][ref]"), st.just("<https://example.org/a.b>"), _WORDS.map(lambda w: f"<b>{w}</b>"),
    _WORDS.map(lambda w: f"![{w}](bild.jpg)"), st.just("[^1]"), st.just("\\*"),
    st.tuples(_WORDS, _WORDS).map(lambda t: f"**{t[0]}. {t[1].capitalize()}**"),
)
_CAPITAL = st.sampled_from(["Die", "Der", "Ein", "Sie", "Laut", "Heute", "Bürger", "Köln", "Es"])
_SENTENCE = st.builds(lambda first, rest, end: " ".join([first] + rest) + end,
                      _CAPITAL, st.lists(_INLINE, min_size=1, max_size=6), st.sampled_from([".", "!", "?", "…", ":"]))


def _lines(sentences: list[str], breaks: list[str]) -> str:
    out = sentences[0]
    for sentence, brk in zip(sentences[1:], breaks):
        out += brk + sentence
    return out


_PARAGRAPH = st.builds(_lines, st.lists(_SENTENCE, min_size=1, max_size=4),
                       st.lists(st.sampled_from([" ", " ", "\n", "  \n", "\\\n", " \n"]), min_size=3, max_size=3))
_SHORT = st.builds(lambda first, rest: " ".join([first] + rest), _CAPITAL, st.lists(_INLINE, min_size=0, max_size=4))


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = (first if first is not None else prefix) + lines[0]
    return "\n".join([head] + [(prefix + line) if line else prefix.rstrip() for line in lines[1:]])


@st.composite
def _list(draw, depth=0):
    marker = draw(st.sampled_from(["-", "*", "+", "1.", "1)"]))
    items = []
    for number in range(draw(st.integers(1, 3))):
        mark = marker if not marker[0].isdigit() else f"{number + 1}{marker[-1]}"
        body = draw(st.one_of(_SHORT, _PARAGRAPH))
        if draw(st.booleans()) and depth == 0:
            body = draw(st.sampled_from(["[ ] ", "[x] "])) + body
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            body += "\n" + draw(_list(depth + 1))
        items.append(_indent(body, " " * (len(mark) + 1), mark + " "))
    return "\n".join(items)


def _table(header: list[str], align: list[str], rows: list[list[str]], pipes: bool) -> str:
    def row(cells):
        inner = " | ".join(cells)
        return f"| {inner} |" if pipes or len(header) == 1 or not cells[0] else inner
    return "\n".join([row(header), row(align[:len(header)] + ["---"] * (len(header) - len(align)))]
                     + [row(r) for r in rows])


_CELL = st.one_of(_SHORT, _WORDS, st.just("`x \\| y`"), st.just("a \\| b"), st.just(""))
_TABLE = st.integers(1, 4).flatmap(lambda n: st.builds(
    _table, st.lists(_SHORT, min_size=n, max_size=n),
    st.lists(st.sampled_from([":---", "---:", ":---:", "---"]), min_size=n, max_size=n),
    st.lists(st.lists(_CELL, min_size=1, max_size=n + 1), max_size=3), st.booleans()))

_CODE = st.builds(lambda fence, info, body: f"{fence}{info}\n{body}\n{fence}",
                  st.sampled_from(["```", "~~~", "````"]), st.sampled_from(["", "python", "yaml"]),
                  st.sampled_from(["print('Satz. Satz.')", "# kein Titel\n- keine Liste", "", "> kein Zitat"]))

_BLOCK = st.one_of(
    _PARAGRAPH, _PARAGRAPH, _PARAGRAPH,
    st.builds(lambda level, text, close: "#" * level + " " + text + (" " + "#" * close if close else ""),
              st.integers(1, 6), _SHORT, st.integers(0, 3)),
    st.builds(lambda text, char, n: f"{text}\n{char * n}", _SHORT, st.sampled_from("=-"), st.integers(1, 12)),
    _list(),
    st.builds(lambda inner, prefix: _indent(inner, prefix), st.one_of(_PARAGRAPH, _list()),
              st.sampled_from(["> ", ">", "> > "])),
    _CODE,
    st.builds(lambda body: _indent(body, "    "), st.sampled_from(["code()", "eins. zwei.\nzeile zwei"])),
    _TABLE,
    st.sampled_from(["<div class=\"box\">\n<p>HTML bleibt.</p>\n</div>", "<!-- Kommentar. Nicht übersetzen. -->",
                     "<!--\nmehrzeilig\n-->", "***", "___", "[ref]: https://example.org/ref \"Ref. Titel\""]),
    st.builds(lambda text: "[^1]: " + text, _PARAGRAPH),
    st.builds(lambda alt, title: f'![{alt}](bild.jpg "{title}")', _SHORT, _SHORT),
)

_SCALAR = st.one_of(
    _SHORT,
    _SHORT.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    _SHORT.map(lambda t: "'" + t.replace("'", "''") + "'"),
    st.builds(lambda style, t: f"{style}\n  {t}\n  {t}", st.sampled_from(["|", ">", "|-", ">-", "|+"]), _SHORT),
)


@st.composite
def _front_matter(draw):
    keys = draw(st.permutations(["title", "description", "summary", "date", "tags", "slug", "draft"]))
    lines = []
    for key in keys[:draw(st.integers(1, 7))]:
        if key in PLAIN.markdown.front_matter:
            value = draw(_SCALAR)
            try:
                if not isinstance(yaml.safe_load(f"k: {value}\n")["k"], str):
                    value = '"' + value + '"'
            except yaml.YAMLError:
                value = "Titel"
            lines.append(f"{key}: {value}")
        else:
            lines.append({"date": "date: 2024-05-01", "tags": "tags:\n  - Politik\n  - \"Energie\"",
                          "slug": "slug: mein-artikel", "draft": "draft: false"}[key])
    return "---\n" + "\n".join(lines) + "\n---\n"


_DOCUMENT = st.builds(
    lambda front, blocks, seps, ending: front + "".join(b + s for b, s in zip(blocks, seps))[:-1] + ending,
    st.one_of(st.just(""), _front_matter()),
    st.lists(_BLOCK, min_size=1, max_size=8),
    st.lists(st.sampled_from(["\n\n", "\n\n", "\n\n\n"]), min_size=8, max_size=8),
    st.sampled_from(["\n", "", "\n\n"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_DOCUMENT, st.sampled_from(list(VARIANTS)))
def test_generated_documents(source, variant):
    source = VARIANTS[variant](source)
    if variant == "blank lines around" and source.startswith("\n\n---"):
        source = source[2:]
    check_document(source)


_SOUP = st.sampled_from(
    list("ab Zß.!?:*_`[]()<>#|\\-+=~&\"'\t\n\r") + [
        "\r\n", "\n\n", "    ", "1. ", "- ", "> ", "```", "---", "***", "<b>", "</b>", "<!--", "-->", "](u)",
        "[^1]", "[^1]: ", "![", "  \n", "\\\n", "| a |", "|---|", "Satz. ", "z. B. ", "\u00a0", "&amp;",
        "<http://x.y>", "[x]: /u", "[ ] ", "\u2028", "\x85", "title: ", "+++"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SOUP, min_size=1, max_size=80).map("".join), st.booleans())
def test_any_text_round_trips(body, bom):
    data = (("\ufeff" if bom else "") + body).encode()
    if not data.replace(b"\xef\xbb\xbf", b"").strip():
        return
    try:
        doc = markdown.read(data, "a.md", PLAIN)
    except L10nError as exc:
        assert "front matter is not valid YAML" in str(exc)
        return
    assert doc.render(lambda unit: unit.text) == data
    assert doc.render() == data
    for unit in doc.units():
        assert unit.text and unit.text == unit.text.strip()
