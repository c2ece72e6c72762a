"""Plain-text articles: blocks separated by blank lines, as scraped news text.

The first line is the title; lines starting with a bullet (``•``, ``-``, ``*``,
``–``) are list items, the marker and indentation being skeleton, and so are
numbered lines (``1.``, ``2)``, ``a)``) that belong to a list: a line of the
same numbering style with the number before or after it is near, with nothing
but blank lines, indented lines and other list items in between (so a lone
``1. Mai …`` at the start of a line stays prose). Short lines between
paragraphs are headings, captions (image credits, and the line before one if
it reads like a caption: at most two sentences and 40 words; the credit words
are the source language's, see :mod:`l10n.segment`) or, after the last
paragraph, the byline; everything else is a paragraph, split into sentences
with the source language's rules. Skip rules take lines out of translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import segment
from ..config import Config
from ..document import Document, Skipped, Unit, decode_source
from .base import Format, FormatSettings
from .lines import Line as _Line
from .lines import mark_skipped, skipped_runs, split_lines

_BULLET = re.compile(r"[ \t]*[•\-*–][ \t\u00a0]+(?=\S)")
_NUMBERED = re.compile(r"[ \t]*(?:(\d{1,3})([.)])|([A-Za-z])\))[ \t\u00a0]+(?=\S)")
_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n)\s*")
_HEADING_MAX_WORDS = 12
_CAPTION_MAX_WORDS = 40
_CAPTION_MAX_SENTENCES = 2


@dataclass
class _Group:
    """Consecutive lines of one block that form one list item or one prose piece."""

    start: int
    end: int
    line: int
    lines: int
    block: int
    item: bool
    kind: str = ""


class TextFormat(Format):
    name = "text"
    suffixes = (".txt",)

    def read(self, data: bytes, path: str, settings: FormatSettings | Config) -> Document:
        return read(data, path, settings)


def read(data: bytes, path: str, settings: FormatSettings | Config) -> Document:
    """Parse an article into skeleton and units (``settings``: FormatSettings, or the Config to take them from)."""
    settings = FormatSettings.of(settings)
    text = decode_source(data, path)
    lines = split_lines(text)
    mark_skipped(text, lines, settings.skip)
    groups = _groups(text, lines)
    split = settings.splitter
    _classify(text, groups, split, segment.caption_credit(settings.source_language))

    spans: list[tuple[int, int, Unit | Skipped]] = []
    for start, end, drop in skipped_runs(lines):
        spans.append((start, end, Skipped(text[start:end], drop)))
    paragraph = 0
    for group in groups:
        if group.kind == "paragraph":
            paragraph += 1
            spans.extend(_sentences(text, group, paragraph, split if settings.split_sentences else None))
        else:
            note = "list item" if group.kind == "item" else group.kind
            spans.append(_unit(text, group.start, group.end, group, group.kind, note))
    return Document.from_spans(path, text, spans)


TEXT = TextFormat()


def _groups(text: str, lines: list[_Line]) -> list[_Group]:
    groups: list[_Group] = []
    numbered = _numbered_items(text, lines)
    block = 0
    previous: _Line | None = None
    for line in lines:
        if line.blank:
            previous = None
            continue
        if previous is None:
            block += 1
        if line.skip:
            previous = line
            continue
        bullet = _BULLET.match(text, line.start, line.end)
        marker_end = bullet.end() if bullet else numbered.get(line.number)
        current = groups[-1] if groups and previous is not None and not previous.skip else None
        continues_item = current is not None and current.item and text[line.start] in " \t"
        if marker_end is not None:
            start = marker_end
            groups.append(_Group(start, _rstrip(text, start, line.end), line.number, 1, block, True))
        elif current is not None and (continues_item or not current.item):
            current.end = _rstrip(text, line.start, line.end)
            current.lines += 1
        else:
            start = _lstrip(text, line.start, line.end)
            groups.append(_Group(start, _rstrip(text, start, line.end), line.number, 1, block, False))
        previous = line
    return groups


def _numbered_items(text: str, lines: list[_Line]) -> dict[int, int]:
    """The numbered lines that are list items: line number → the end of the marker and the space after it.

    A line starting with ``1.``, ``2)``, ``a)`` (any indentation) is an item
    when the nearest numbered line of the same style before or after it has
    the number before or after its own, with only blank lines, indented
    lines, bullet lines and numbered lines of other styles in between.
    """
    items: dict[int, int] = {}
    last: dict[str, tuple[int, int, int]] = {}  # style -> (number, line number, marker end) of the latest one
    for line in lines:
        if line.blank or line.skip:
            continue
        m = _NUMBERED.match(text, line.start, line.end)
        if m is None:
            if text[line.start] not in " \t" and not _BULLET.match(text, line.start, line.end):
                last.clear()  # prose in between: a list ends
            continue
        style = m[2] if m[1] else ("a)" if m[3].islower() else "A)")
        number = int(m[1]) if m[1] else ord(m[3].lower())
        before = last.get(style)
        if before is not None and number == before[0] + 1:
            items[before[1]] = before[2]
            items[line.number] = m.end()
        last[style] = (number, line.number, m.end())
    return items


def _classify(text: str, groups: list[_Group], sentence_spans: segment.Splitter,
              credit: re.Pattern[str] | None) -> None:
    prose = [g for g in groups if not g.item]
    for g in groups:
        g.kind = "item" if g.item else "paragraph"
    for i, g in enumerate(prose):
        if i == 0 and g.line == 1 and g.lines == 1:
            g.kind = "title"
        elif credit is not None and credit.match(text, g.start):
            g.kind = "caption"
        elif (g.lines == 1 and _words(text[g.start:g.end], _HEADING_MAX_WORDS + 1) <= _HEADING_MAX_WORDS
              and text[g.end - 1] not in ".:;," and len(sentence_spans(text[g.start:g.end])) == 1):
            g.kind = "heading"
    for before, after in zip(prose, prose[1:]):
        if after.kind == "caption" and before.kind in ("heading", "paragraph") and before.lines == 1 \
                and after.block == before.block + 1 and _caption_like(text, before, sentence_spans):
            before.kind = "caption"
    last_body = max((g.block for g in groups if g.kind in ("paragraph", "item")), default=0)
    for g in prose:
        if g.kind == "heading" and last_body and g.block > last_body:
            g.kind = "byline"


def _caption_like(text: str, group: _Group, sentence_spans: segment.Splitter) -> bool:
    """Whether the line before an image credit reads like a caption: at most two sentences and 40 words."""
    if group.kind == "heading":
        return True
    piece = text[group.start:group.end]
    return _words(piece, _CAPTION_MAX_WORDS + 1) <= _CAPTION_MAX_WORDS \
        and len(sentence_spans(piece)) <= _CAPTION_MAX_SENTENCES


def _sentences(text: str, group: _Group, paragraph: int, sentence_spans: segment.Splitter | None):
    if sentence_spans is None:
        return [_unit(text, group.start, group.end, group, "paragraph", f"paragraph {paragraph}")]
    spans = sentence_spans(text[group.start:group.end])
    return [
        _unit(text, group.start + s, group.start + e, group, "sentence",
              f"paragraph {paragraph}, sentence {k} of {len(spans)}" if len(spans) > 1 else f"paragraph {paragraph}")
        for k, (s, e) in enumerate(spans, 1)
    ]


def _unit(text: str, start: int, end: int, group: _Group, kind: str, note: str):
    source = text[start:end]
    line = group.line + (text.count("\n", group.start, start) if group.lines > 1 else 0)
    # the regular expression is slow to find no line break where there is none
    one_line = _LINE_BREAK.sub(" ", source) if "\n" in source or "\r" in source else source
    return start, end, Unit(one_line, source, kind, line, note)


def _words(text: str, most: int) -> int:
    """The number of words in ``text``, counted up to ``most`` (no need to split a whole paragraph)."""
    return len(text.split(None, most - 1))


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
