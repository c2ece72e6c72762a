"""Reading a Markdown article into skeleton and units (see :mod:`l10n.formats.markdown`)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from markdown_it.token import Token

from ...config import Config
from ...document import Document, Skipped, Unit
from ..base import FormatSettings
from ..lines import Line, mark_skipped, skipped_runs, split_lines
from .encoding import BREAK, START, EncodedUnit, starts_line
from .frontmatter import TOML_FENCE, front_matter_units
from .htmlprose import scan as scan_html
from .parser import MD, MD_TRIM_CHARS, NEWLINES, Positions
from .sitelayout import plan as plan_layout
from .sitesyntax import paired_names, parameter_unit, positions
from .spans import fit_spans, image_title, same_text, split_row, strip_span, trim_comments

_TASK_BOX = re.compile(r"\[[ xX]\](?=[ \t\n]|$)")
_MARKERS = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|#{1,6}(?=[ \t]|$)))*[ \t]*"
                      r"(?:\[[ xX]\][ \t]+)?")
_PAIRED = {"em_open": "em_close", "strong_open": "strong_close", "s_open": "s_close"}


@dataclass
class _Inline:
    """Inline text of one block, cut from the source: ``text`` and the source offset of each character."""

    text: str
    offsets: list[int]
    lines: list[tuple[int, int, int]]  # (start, end, line index) of each line's part of text
    pos: Positions
    opaque: list[bool] = field(default_factory=list)
    masked: str = ""  # text as the sentence splitter sees it (see Positions.hidden)

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1

    def has_text(self, start: int, end: int) -> bool:
        return any(ch.isalnum() and not self.opaque[i] for i, ch in enumerate(self.text[start:end], start))

    def inside_atom(self, start: int, end: int) -> bool:
        return any(a < start and end <= b for a, b in self.pos.atoms)


class Reader:
    """Reads one article: ``Reader(text, path, settings).document()``; ``fallbacks`` then says what it left as it is."""

    def __init__(self, text: str, path: str, settings: FormatSettings | Config):
        self.text = text
        self.path = path
        self.settings = FormatSettings.of(settings)
        self.split = self.settings.splitter
        self.lines = split_lines(text)
        self.line_starts = [line.start for line in self.lines]
        self.spans: list[tuple[int, int, Unit | Skipped]] = []
        self.no_match: set[int] = set()  # lines skip rules are not matched against (code, front matter)
        self.body = 0  # first line after the front matter
        self.fallbacks: list[str] = []  # blocks left untranslated because their text could not be placed
        self.paragraph = 0

    def document(self) -> Document:
        source = self.text[1:] if self.text.startswith("\ufeff") else self.text
        source = NEWLINES.sub("\n", source)
        source = self._toml_front_matter(source)
        # site generators' block syntax: layout lines blanked, admonition bodies dedented (see .sitelayout)
        self.layout = plan_layout(source, lambda text: MD.parse(text, {}))
        self.no_match.update(self.layout.code)
        self.paired = paired_names(source)
        self.inlines: list[_Inline] = []
        source = self.layout.source
        self.norm_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.env: dict = {}
        tokens = MD.parse(source, self.env)
        for token in tokens:  # skip rules are not matched in code and front matter
            if token.type in ("front_matter", "fence", "code_block") and token.map:
                self.no_match.update(range(*token.map))
                if token.type == "front_matter":
                    self.body = token.map[1]
        body = self.lines[self.body:]
        mark_skipped(self.text, body, self.settings.skip, self._candidates)
        self._walk(tokens)
        self._titles()
        self._parameters()
        units, self.spans = self.spans, []
        for start, end, drop in skipped_runs(body):
            self.spans.append((start, end, Skipped(self.text[start:end], drop)))
        self._place(units)
        return Document.from_spans(self.path, self.text, self.spans)

    # -------------------------------------------------------------- structure

    def _toml_front_matter(self, source: str) -> str:
        """Blank out a ``+++`` TOML front matter for the parser; it stays skeleton."""
        lines = source.split("\n")
        if not TOML_FENCE.fullmatch(lines[0]):
            return source
        for end in range(1, len(lines)):
            if TOML_FENCE.fullmatch(lines[end]):
                self.no_match.update(range(end + 1))
                self.body = end + 1
                return "\n".join([""] * (end + 1) + lines[end + 1:])
        return source

    def _walk(self, tokens: list[Token]) -> None:
        containers: list[str] = []
        row = column = 0
        item_start = False
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "front_matter":
                self.spans.extend(front_matter_units(self.text, self.lines, token, self.path,
                                                     self.settings.front_matter))
            elif kind == "list_item_open":
                containers.append("item")
            elif kind == "blockquote_open":
                containers.append("quote")
            elif kind == "footnote_reference_open":
                containers.append(f"footnote [^{token.meta.get('label', '')}]")
            elif kind in ("list_item_close", "blockquote_close", "footnote_reference_close"):
                containers.pop()
            elif kind == "table_open":
                row = 0
            elif kind == "tr_open":
                row, column = row + 1, 0
            elif kind in ("th_open", "td_open"):
                column += 1
            elif kind == "html_block" and "l10n" in token.meta:
                self._html(token)
            elif kind == "inline" and "l10n" in token.meta:
                opener = tokens[index - 1]
                if opener.type == "heading_open":
                    self._heading(token, opener)
                elif opener.type in ("th_open", "td_open"):
                    self._cell(token, row, column)
                elif opener.type == "paragraph_open":
                    item_start = containers[-1:] == ["item"] and tokens[index - 2].type == "list_item_open"
                    self._paragraph(token, containers[-1] if containers else None, item_start)

    # -------------------------------------------------------------- blocks

    def _segments(self, token: Token) -> list[tuple[int, int, int]]:
        """(line index, start, end) in the source of the content of each line of an inline token."""
        out = []
        for line, start, end in token.meta["l10n"]:
            base = self.lines[line].start - self.norm_starts[line] + self.layout.shift[line]
            out.append((line, base + start, base + end))
        return out

    def _inline(self, segments: list[tuple[int, int, int]]) -> _Inline:
        parts: list[str] = []
        offsets: list[int] = []
        bounds = []
        for k, (line, start, end) in enumerate(segments):
            if k:
                parts.append("\n")
                offsets.append(segments[k - 1][2])
            bounds.append((len(offsets), len(offsets) + end - start, line))
            parts.append(self.text[start:end])
            offsets.extend(range(start, end))
        joined = "".join(parts)
        lead = len(joined) - len(joined.lstrip(MD_TRIM_CHARS))
        stop = len(joined.rstrip(MD_TRIM_CHARS))
        if stop <= lead:
            lead = stop = 0
        text = joined[lead:stop]
        lines = [(max(a - lead, 0), min(b - lead, len(text)), line) for a, b, line in bounds]
        pos = positions(text, self.env, self.paired)
        self._pair_emphasis(pos, len(text))
        inline = _Inline(text, offsets[lead:stop], lines, pos)
        self.inlines.append(inline)
        inline.opaque = [False] * len(text)
        for a, b in pos.opaque:
            inline.opaque[a:b] = [True] * (b - a)
        masked = list(text)
        for a, b in pos.hidden:
            masked[a:b] = " " * (b - a)
        inline.masked = "".join(masked)
        return inline

    @staticmethod
    def _pair_emphasis(pos: Positions, length: int) -> None:
        stack: list[Token] = []
        for token in pos.tokens:
            if token.type in _PAIRED:
                stack.append(token)
            elif token.type in _PAIRED.values():
                while stack and _PAIRED[stack[-1].type] != token.type:
                    stack.pop()
                if not stack:
                    continue
                opener = stack.pop()
                if id(opener) in pos.delimiters and id(token) in pos.delimiters:
                    at, size = pos.delimiters[id(opener)]
                    start = at + size - len(opener.markup)
                    end = pos.delimiters[id(token)][0] + len(token.markup)
                    if 0 <= start < end <= length:
                        pos.atoms.append((start, end))
                        pos.hidden += [(start, start + len(opener.markup)), (end - len(token.markup), end)]

    def _paragraph(self, token: Token, container: str | None, item_start: bool) -> None:
        inline = self._inline(self._segments(token))
        if not same_text(token.content, inline.text):
            self.fallbacks.append(f"paragraph at line {token.map[0] + 1}")
            return
        if container is None:
            self.paragraph += 1
        if self._images(inline):
            return
        exclude = []
        if item_start:
            box = _TASK_BOX.match(inline.text)
            if box:
                exclude.append((0, box.end()))
        split = self.settings.split_sentences
        spans = self._sentences(inline, exclude, split)
        if container is None:
            kind, note = ("sentence" if split else "paragraph"), f"paragraph {self.paragraph}"
        elif container == "item":
            kind, note = "item", "list item"
        elif container == "quote":
            kind, note = "quote", "quote"
        else:
            kind, note = "footnote", container
        for k, (start, end) in enumerate(spans, 1):
            self._unit(inline, start, end, kind, f"{note}, sentence {k} of {len(spans)}" if len(spans) > 1 else note)

    def _heading(self, token: Token, opener: Token) -> None:
        segments = self._segments(token)
        if opener.markup.startswith("#"):  # ATX: the content lies after the opening sequence
            line, start, end = segments[0]
            found = self.text.find(token.content, start + len(opener.markup), end) if token.content else -1
            if found < 0 or self.text[start + len(opener.markup):found].strip(MD_TRIM_CHARS):
                if token.content:
                    self.fallbacks.append(f"heading at line {line + 1}")
                return
            segments = [(line, found, found + len(token.content))]
        inline = self._inline(segments)
        if not same_text(token.content, inline.text):
            self.fallbacks.append(f"heading at line {token.map[0] + 1}")
            return
        if not self._images(inline):
            for start, end in self._sentences(inline, [], False):
                self._unit(inline, start, end, "heading", "heading", ("line",))

    def _cell(self, token: Token, row: int, column: int) -> None:
        if not token.content:
            return
        line, start, end = self._segments(token)[0]
        cells = split_row(self.text[start:end])
        if column > len(cells):
            return
        first, last, content = cells[column - 1]
        if content != token.content:
            self.fallbacks.append(f"table cell at line {line + 1}")
            return
        inline = self._inline([(line, start + first, start + last)])
        if not self._images(inline):
            for a, b in self._sentences(inline, [], False):
                self._unit(inline, a, b, "table cell", f"table cell (row {row}, column {column})", ("cell",))

    def _images(self, inline: _Inline) -> bool:
        """Units for the alt texts and titles of a block that holds only images; False if it holds more."""
        pos = inline.pos
        if not pos.images:
            return False
        for token in pos.tokens:
            if token.type not in ("image", "link_open", "link_close", "softbreak", "hardbreak") and not (
                    token.type == "text" and not token.content.strip()):
                return False
        for start, end, label_end, _token in pos.images:
            alt = strip_span(inline.text, start + 2, label_end)
            if alt and inline.has_text(*alt):
                self._unit(inline, *alt, "image alt text", "image alt text", ("line",))
            title = image_title(inline.text, label_end, end)
            if title and any(ch.isalnum() for ch in inline.text[title[0]:title[1]]):
                self._unit(inline, title[0], title[1], "image title", "image title", ("title", title[2]))
        return True

    def _sentences(self, inline: _Inline, exclude: list[tuple[int, int]], split: bool) -> list[tuple[int, int]]:
        """Spans of units: pieces between hard breaks and skipped lines, split into sentences."""
        cuts = sorted(exclude + [hb for hb in inline.pos.hard_breaks if not inline.inside_atom(*hb)]
                      + [(a, b + 1) for a, b, line in inline.lines if self.lines[line].skip])
        pieces, pos = [], 0
        for a, b in cuts:
            if a > pos:
                pieces.append((pos, a))
            pos = max(pos, b)
        if pos < len(inline.text):
            pieces.append((pos, len(inline.text)))
        spans = []
        for a, b in pieces:
            if split:
                found = [(a + s, a + e) for s, e in self.split(inline.masked[a:b])]
            else:
                found = [span] if (span := strip_span(inline.text, a, b)) else []
            for span in fit_spans(found, inline.pos.atoms, a, b):
                span = trim_comments(inline.text, span, inline.pos.comments)
                if span and inline.has_text(*span):
                    spans.append(span)
        return spans

    def _unit(self, inline: _Inline, start: int, end: int, kind: str, note: str,
              encoding: tuple[str, ...] = ()) -> None:
        breaks = [hb for hb in inline.pos.hard_breaks if start <= hb[0] and hb[1] <= end]
        pieces, pos = [], start
        for a, b in breaks:
            pieces.append(inline.text[pos:a])
            pos = b
        pieces.append(inline.text[pos:end])
        text = "\\\n".join(BREAK.sub(" ", piece) for piece in pieces)
        first, last = inline.source_range(start, end)
        source = self.text[first:last]
        line = bisect.bisect_right(self.line_starts, first)
        # prose too is re-encoded (typed line breaks, a block marker where the unit starts a line: see .encoding)
        encoding = (encoding or ("prose",)) + (starts_line(self.text, self.line_starts[line - 1], first),)
        self.spans.append((first, last, EncodedUnit(text, source, kind, line, note, encoding)))

    # -------------------------------------------------------------- site syntax and HTML blocks

    def _html(self, token: Token) -> None:
        """The prose of an HTML block, element by element (see .htmlprose); the tags stay layout."""
        runs, values = scan_html(self.text, self._segments(token))
        split = self.settings.split_sentences
        before = len(self.spans)
        for run in runs:
            inline = self._inline(run.segments)
            spans = self._sentences(inline, [], split)
            note = f"HTML <{run.element}>" if run.element else "HTML block"
            for k, (start, end) in enumerate(spans, 1):
                self._unit(inline, start, end, "sentence" if split else "paragraph",
                           f"{note}, sentence {k} of {len(spans)}" if len(spans) > 1 else note)
        # an HTML block is raw text up to a blank line: a translation that starts a line there starts no
        # Markdown block, and a backslash would show, so nothing is escaped
        for k in range(before, len(self.spans)):
            first, last, unit = self.spans[k]
            if isinstance(unit, EncodedUnit) and unit.encoding[-1:] == (START,):
                self.spans[k] = (first, last, replace(unit, encoding=unit.encoding[:-1] + ("",)))
        for start, end, note in values:
            self._parameter(start, end, note, "html")

    def _titles(self) -> None:
        """The titles on the marker lines of containers, admonitions and content tabs."""
        for title in self.layout.titles:
            first = self.lines[title.line].start
            inline = self._inline([(title.line, first + title.start, first + title.end)])
            for start, end in self._sentences(inline, [], False):
                self._unit(inline, start, end, "heading", title.note, title.encoding)

    def _parameters(self) -> None:
        """Units for the text parameters of tags on layout lines, and of tags that no unit took in."""
        for line, start, end, note, escape in self.layout.values:
            first = self.lines[line].start
            self._parameter(first + start, first + end, note, escape)
        covered = sorted((start, end) for start, end, _unit in self.spans)
        starts = [start for start, _end in covered]
        for inline in self.inlines:
            for a, b, note, escape in inline.pos.values:
                first, last = inline.source_range(a, b)
                k = bisect.bisect_right(starts, first)
                if not (k and covered[k - 1][1] >= last):
                    self._parameter(first, last, note, escape)

    def _parameter(self, first: int, last: int, note: str, escape: str) -> None:
        line = bisect.bisect_right(self.line_starts, first)
        unit = parameter_unit(self.text, first, last, line, note, escape)
        if unit:
            self.spans.append((first, last, unit))

    # -------------------------------------------------------------- skip rules

    def _candidates(self, line: Line) -> tuple[str, ...]:
        index = line.number - 1
        if index in self.no_match:
            return ()
        raw = self.text[line.start:line.end]
        return raw, raw[_MARKERS.match(raw).end():]

    def _place(self, units: list[tuple[int, int, Unit | Skipped]]) -> None:
        """Add the units that no skipped text overlaps."""
        skipped = sorted((start, end) for start, end, _ in self.spans)
        starts = [start for start, _ in skipped]
        for start, end, unit in units:
            k = bisect.bisect_right(starts, start)
            if (k and skipped[k - 1][1] > start) or (k < len(skipped) and skipped[k][0] < end):
                continue
            self.spans.append((start, end, unit))
