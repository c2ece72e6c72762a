"""Offsets in the inline text of a block: stripping, growing spans around markup, table cells, image titles."""

from __future__ import annotations

import re

from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from .parser import MD_TRIM_CHARS


def same_text(content: str, text: str) -> bool:
    """Whether the parser's content of a block and the text cut from the source agree (indentation aside)."""
    return re.sub(r"\n[ \t]+", "\n", content) == re.sub(r"\n[ \t]+", "\n", text)


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def fit_spans(spans: list[tuple[int, int]], atoms: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
    """Grow the spans (within low..high) so that each atom lies wholly in one span or in none: a span that
    holds part of an atom takes all of it, spans that share an atom become one."""
    spans = list(spans)
    changed = True
    while changed:
        changed = False
        for x, y in atoms:
            hit = [i for i, (s, e) in enumerate(spans) if s < y and e > x]
            if not hit:
                continue
            i, j = hit[0], hit[-1]
            grown = (max(min(spans[i][0], x), low), min(max(spans[j][1], y), high))
            if j > i or grown != spans[i]:
                spans[i:j + 1] = [grown]
                changed = True
    return spans


def trim_comments(text: str, span: tuple[int, int] | None,
                   comments: list[tuple[int, int]]) -> tuple[int, int] | None:
    """``span`` without the HTML comments at its ends."""
    while span and comments:
        start, end = span
        for a, b in comments:
            if a == start:
                span = strip_span(text, b, end)
                break
            if b == end:
                span = strip_span(text, start, a)
                break
        else:
            break
    return span


def split_row(row: str) -> list[tuple[int, int, str]]:
    """Cells of a table row as (start, end, content) like markdown-it's ``escapedSplit``: offsets of the trimmed
    raw cell in ``row``, and the content the parser sees (an escaped pipe loses its backslash)."""
    lead = len(row) - len(row.lstrip(MD_TRIM_CHARS))
    line = row.strip(MD_TRIM_CHARS)
    cells: list[tuple[int, int, str]] = []
    escaped, last, current, first = False, 0, "", 0
    for pos, ch in enumerate(line):
        if ch == "|":
            if not escaped:
                cells.append((first, pos, current + line[last:pos]))
                current, last, first = "", pos + 1, pos + 1
            else:
                current += line[last:pos - 1]
                last = pos
        escaped = ch == "\\"
    cells.append((first, len(line), current + line[last:]))
    if cells and cells[0][2] == "":
        cells.pop(0)
    if cells and cells[-1][2] == "":
        cells.pop()
    out = []
    for start, end, content in cells:
        raw = line[start:end]
        start += len(raw) - len(raw.lstrip(MD_TRIM_CHARS))
        end = start + len(raw.strip(MD_TRIM_CHARS))
        out.append((lead + start, lead + max(end, start), content.strip(MD_TRIM_CHARS)))
    return out


def image_title(text: str, label_end: int, end: int) -> tuple[int, int, str] | None:
    """The raw title of an inline image ``![alt](src "title")`` whose label ends at ``label_end``:
    (start, end, closing delimiter)."""
    pos = label_end + 1
    if text[pos:pos + 1] != "(":
        return None
    pos += 1
    while pos < end and text[pos] in " \t\n":
        pos += 1
    dest = parseLinkDestination(text, pos, end)
    if not dest.ok:
        return None
    pos = dest.pos
    while pos < end and text[pos] in " \t\n":
        pos += 1
    title = parseLinkTitle(text, pos, end)
    if not title.ok or title.pos <= pos:
        return None
    span = strip_span(text, pos + 1, title.pos - 1)
    return (span[0], span[1], text[title.pos - 1]) if span else None
