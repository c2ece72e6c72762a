"""Markdown articles with YAML front matter, as static-site generators publish them.

Parsed with markdown-it-py (CommonMark, plus GFM tables and strikethrough)
and the mdit-py-plugins front matter and footnote plugins. The block
structure comes from the parser's source maps; the text of each block is cut
from the source lines themselves, so every unit is an exact slice of the
article and everything between units is kept byte for byte.

Units, each keeping its inline Markdown (``**wichtig**``, ``[Link](https://…)``,
`` `code` ``) in the message id, as mdpo does:

* headings (ATX and setext): the ``#`` markers, closing ``#`` and the setext
  underline are skeleton;
* paragraphs, split into sentences with the source language's rules (:mod:`l10n.segment`);
  the paragraphs of list items (nested, ordered or not; a task box ``[ ]`` /
  ``[x]`` is skeleton), block quotes and footnote definitions are split the
  same way. A split never falls inside a link, image, code span, autolink,
  inline HTML, footnote or an emphasis/strikethrough span: the sentences
  around it are merged instead. The splitter sees emphasis markers, footnote
  references and link destinations and titles as spaces, so
  ``**Satz.** Satz.`` and ``Satz.[^1] Satz.`` split after the first sentence
  (the unit takes its markers along; a footnote reference after a sentence
  end, like an HTML comment at either end of a sentence, stays in the
  skeleton);
* table cells, one unit each (a ``|`` in a translation is escaped);
* in an HTML block, the text of each element (``<summary>``, ``<p>``, text in
  a ``<div>`` or a component), split like a paragraph, its inline tags kept
  (:mod:`.htmlprose`); never in ``<script>``, ``<style>``, ``<pre>``;
* the titles of containers (``::: tip Titel``, ``:::tip[Titel]``),
  admonitions (``!!! note "Titel"``) and content tabs (``=== "Titel"``),
  whose bodies are ordinary Markdown (:mod:`.sitelayout`);
* the values of the text parameters (``alt``, ``caption``, ``label``,
  ``text``, ``title``) of shortcodes, Liquid tags, HTML tags and components
  that no sentence holds (:class:`.sitesyntax.ParameterUnit`);
* in a paragraph that holds nothing but images (a figure, maybe linked), the
  alt text and the title of each image; an image or link elsewhere stays
  inside its sentence, title included;
* the front matter values of the keys ``markdown.front_matter`` of
  ``l10n.yaml`` lists (by default ``title``, ``description``, ``summary``;
  plain, single- or double-quoted, literal ``|`` or folded ``>`` scalars):
  the message id is the decoded value; a translation is written back in the
  same style when that style can hold it (quotes escaped, block indentation
  kept), otherwise as a double-quoted scalar.

A unit's source slice may span lines (and the block markers of the lines it
continues on); a translation replaces it on one line, which Markdown reads as
the same paragraph. Inner line breaks fold into spaces in the message id. A hard
line break (two trailing spaces or a backslash) ends a unit and stays in the
skeleton; only inside a link or emphasis, where ending the unit would cut the
markup, it stays in the message id, written as a backslash and a line break.

Skeleton, never translated: block markers (``>``, list markers, indentation,
table pipes and the delimiter row), fenced and indented code, the tags of HTML
blocks and comments, link reference and footnote labels, thematic breaks,
every other front matter key, and a TOML front matter (``+++``) block as a
whole; the static-site generators' layout: lines of nothing but tags (Hugo
``{{< … >}}``, Liquid ``{% … %}``, ``{{ … }}``, mdBook ``{{#include …}}``,
attribute lists), container and admonition marker lines, MDX
``import``/``export`` statements. A tag inside a sentence stays in it as
protected markup (:mod:`.sitesyntax`). A sentence or cell with no letter or
digit outside code, HTML, site tags and URLs is no unit.

Skip rules match lines outside code and front matter, against the line as it
is and with its block markers removed; their scopes and publish actions are
those of the plain-text format.

Publishing never changes the page's block structure: a translation is
written on its unit's line (typed line breaks become spaces) and, where the
unit starts a line, with what would start a block there escaped (``1\\.``,
``\\-``, ``\\#``, ``\\>``, ``\\<div>``; :mod:`.encoding`); a translation that
would still change the page's blocks is not used (:mod:`.structure`).

The modules: :mod:`.parser` (the markdown-it-py set-up and what it records of
the source), :mod:`.reader` (blocks to units), :mod:`.spans` (offsets in a
block's inline text), :mod:`.frontmatter` (YAML front matter),
:mod:`.encoding` (a translation written back as prose, a YAML scalar, cell or
title), :mod:`.structure` (the page's blocks before and after),
:mod:`.inline` (inline markup: protected spans and the markup check),
:mod:`.sitesyntax` (site generators' tags inside text), :mod:`.sitelayout`
(their block syntax, settled before parsing) and :mod:`.htmlprose` (the text
of HTML blocks).
"""

from __future__ import annotations

from collections.abc import Callable

from ...config import Config
from ...document import Document, Unit, decode_source
from ..base import Format, FormatSettings
from .encoding import EncodedUnit, encode
from .frontmatter import set_front_matter_key
from .inline import check_markup, protected_spans
from .reader import Reader
from .structure import problems, unsafe_units

__all__ = ["MARKDOWN", "EncodedUnit", "MarkdownFormat", "Reader", "check_markup", "decode_source", "encode",
           "localize", "protected_spans", "read", "set_front_matter_key"]



def read(data: bytes, path: str, settings: FormatSettings | Config) -> Document:
    """Parse a Markdown article into skeleton and units."""
    return Reader(decode_source(data, path), path, settings).document()


def localize(data: bytes, path: str, language: str, settings: FormatSettings | Config) -> bytes:
    """A published article with its front matter key ``publish.front_matter_language_key`` set to ``language``.

    An article without front matter gets one only with ``publish.add_front_matter``: publishing
    adds nothing the site does not read (mdBook reads no front matter).
    """
    settings = FormatSettings.of(settings)
    if not settings.language_key:
        return data
    text = data.decode("utf-8")
    return set_front_matter_key(text, settings.language_key, language, path,
                                add=settings.add_front_matter).encode("utf-8")


class MarkdownFormat(Format):
    name = "markdown"
    suffixes = (".md",)
    check_markup = staticmethod(check_markup)

    def read(self, data: bytes, path: str, settings: FormatSettings | Config) -> Document:
        return read(data, path, settings)

    def localize(self, data: bytes, path: str, language: str, settings: FormatSettings | Config) -> bytes:
        return localize(data, path, language, settings)

    def protected_spans(self, text: str) -> list[tuple[int, int, str]]:
        return protected_spans(text)

    def check_structure(self, doc: Document, translate: Callable[[Unit], str | None]) -> list[Unit]:
        return unsafe_units(doc, translate)

    def structure_problems(self, doc: Document, msgid: str, translation: str) -> list[tuple[bool, str]]:
        return problems(doc, msgid, translation)


MARKDOWN = MarkdownFormat()
