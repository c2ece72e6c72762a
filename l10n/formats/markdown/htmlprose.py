"""Prose inside HTML blocks: the text of elements is translated, the HTML is layout.

An HTML block (and a JSX/Vue component block, ``<Tabs>`` … ``</Tabs>``) is
read as a run of tags and text. Text between two block-level tags (``<p>``,
``<div>``, ``<summary>``, ``<li>``, ``<td>``, a component such as
``<TabItem>`` …) is a run: one paragraph, with the inline tags (``<b>``,
``<a href>``, ``<code>``, ``<br>`` …) inside it, which the reader splits
into sentences. Nothing inside ``<script>``, ``<style>``, ``<pre>``,
``<textarea>``, ``<svg>`` or ``<math>`` is text, and neither are comments; a
``<code>`` element stays whole inside its sentence. The text attributes of
block-level tags (``<TabItem label="…">``, ``<img alt="…">`` standing alone)
are units of their own. A block with a ``<`` that starts no tag the scanner
knows is read the same, that ``<`` being text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sitesyntax import parameter_values

_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
                     "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                     "var", "wbr"})
_RAW = frozenset({"script", "style", "pre", "textarea", "svg", "math"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_ATTR = r"""\s+(?:[^\s"'<>/=`{}]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\}|[^\s"'=<>`]+))?|\{[^{}]*\})"""
TAG = re.compile(rf"<(/?)([A-Za-z][\w:.-]*)((?:{_ATTR})*)\s*(/?)>")
_OTHER = re.compile(r"<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![A-Za-z][^>]*>?|<\?[\s\S]*?(?:\?>|$)")

Segment = tuple[int, int, int]  # line index, start and end offset in the article


@dataclass
class Run:
    """Text of one element: its pieces of lines, and the element it stands in."""

    segments: list[Segment]
    element: str


def scan(text: str, segments: list[Segment]) -> tuple[list[Run], list[tuple[int, int, str]]]:
    """The runs of text in the HTML block whose lines are ``segments`` of ``text``, and the text attribute
    values of its block-level tags as (start, end, note), offsets in ``text``."""
    joined = "\n".join(text[start:end] for _line, start, end in segments)
    origin = []  # joined offset of each segment's start
    pos = 0
    for _line, start, end in segments:
        origin.append(pos)
        pos += end - start + 1
    boundaries: list[tuple[int, int, str]] = []  # start, end, the element open after it
    values: list[tuple[int, int, str]] = []
    stack: list[str] = []
    pos = 0
    while (lt := joined.find("<", pos)) >= 0:
        other = _OTHER.match(joined, lt)
        tag = None if other else TAG.match(joined, lt)
        if not (other or tag):
            pos = lt + 1
            continue
        end = (other or tag).end()
        if tag:
            closing, name, self_closing = tag.group(1) == "/", tag.group(2), tag.group(4) == "/"
            lower = name.lower()
            if lower in _INLINE and (name == lower or name.isupper()):  # <Code> would be a component
                pos = end
                continue
            if closing:
                if name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(name):]
            else:
                what = f"component <{name}>" if name[:1].isupper() else f"HTML <{name}>"
                values += [(a, b, f"{what}: {attr}") for a, b, attr in parameter_values(joined, tag.end(2), end)]
                if lower in _RAW and not self_closing:
                    close = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE).search(joined, end)
                    end = close.end() if close else len(joined)
                elif not self_closing and lower not in _VOID:
                    stack.append(name)
        boundaries.append((lt, end, stack[-1] if stack else ""))
        pos = end
    runs = []
    edges = [(0, 0, "")] + boundaries + [(len(joined), len(joined), "")]
    for (_a, start, element), (end, _b, _e) in zip(edges, edges[1:]):
        if joined[start:end].strip():
            runs.append(Run(_cut(segments, origin, start, end), element))
    placed = []
    for a, b, note in values:
        cut = _cut(segments, origin, a, b)
        if len(cut) == 1:
            placed.append((cut[0][1], cut[0][2], note))
    return runs, placed


def _cut(segments: list[Segment], origin: list[int], start: int, end: int) -> list[Segment]:
    """The pieces of ``segments`` that the joined offsets ``start:end`` cover."""
    out = []
    for (line, first, last), base in zip(segments, origin):
        a, b = max(start, base), min(end, base + last - first)
        if a < b:
            out.append((line, first + a - base, first + b - base))
    return out
