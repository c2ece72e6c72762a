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
* paragraphs, split into sentences with :func:`l10n.segment.sentence_spans`;
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
table pipes and the delimiter row), fenced and indented code, HTML blocks and
comments, link reference and footnote labels, thematic breaks, every other
front matter key, and a TOML front matter (``+++``) block as a whole. A
sentence or cell with no letter or digit outside code, HTML and URLs is no unit.

Skip rules match lines outside code and front matter, against the line as it
is and with its block markers removed; their scopes and publish actions are
those of the plain-text format.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..config import Config
from ..document import Document, Skipped, Unit, decode_source
from ..errors import L10nError
from ..segment import sentence_spans
from .lines import Line, mark_skipped, skipped_runs, split_lines

try:  # markdown-it-py 4 trims block content with JavaScript's set of whitespace, older versions with Python's
    from markdown_it.common.utils import MD_TRIM_CHARS
except ImportError:  # pragma: no cover
    MD_TRIM_CHARS = None  # type: ignore[assignment]

_NEWLINES = re.compile(r"\r\n?")
_BREAK = re.compile(r"\s*\n\s*")
_TASK_BOX = re.compile(r"\[[ xX]\](?=[ \t\n]|$)")
_MARKERS = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|#{1,6}(?=[ \t]|$)))*[ \t]*"
                      r"(?:\[[ xX]\][ \t]+)?")
_TOML_FENCE = re.compile(r"\+\+\+[ \t]*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_REC = "l10n.positions"
_STR_TAG = "tag:yaml.org,2002:str"

# inline rules whose match no sentence boundary may cut and whose letters are no prose
_OPAQUE = frozenset({"backticks", "autolink", "html_inline", "entity", "footnote_ref"})
_PAIRED = {"em_open": "em_close", "strong_open": "strong_close", "s_open": "s_close"}
# inline rules whose whole match a model must not change, and the kind of protected span they make
_PROTECT = {"backticks": "code", "autolink": "autolink", "html_inline": "html"}


@dataclass(frozen=True)
class EncodedUnit(Unit):
    """A unit whose translation is re-encoded for its place: a YAML scalar, a table cell, a title.

    ``encoding`` is ``("yaml", style, newline)``, ``("cell",)``, ``("line",)``
    or ``("title", closing delimiter)``.
    """

    encoding: tuple[str, ...] = ()

    def encode(self, text: str) -> str:
        return encode(self, text)


def encode(unit: EncodedUnit, text: str) -> str:
    """``text`` (a translation of ``unit``) as it must be written in place of ``unit.source``."""
    kind = unit.encoding[0]
    if kind == "yaml":
        return _yaml_scalar(unit, text)
    if kind == "cell":
        return _UNESCAPED_PIPE.sub(r"\\|", _BREAK.sub(" ", text.strip()))
    if kind == "title":
        closer = unit.encoding[1]
        return re.sub(r"(?<!\\)([" + re.escape(closer + ("(" if closer == ")" else "")) + "])", r"\\\1",
                      _BREAK.sub(" ", text.strip()))
    return _BREAK.sub(" ", text.strip())


def read(data: bytes, path: str, config: Config) -> Document:
    """Parse a Markdown article into skeleton and units."""
    return _Reader(decode_source(data, path), path, config).document()


def localize(data: bytes, path: str, language: str, config: Config) -> bytes:
    """A published article with its front matter key ``publish.front_matter_language_key`` set to ``language``."""
    key = config.publish.front_matter_language_key
    if not key:
        return data
    return set_front_matter_key(data.decode("utf-8"), key, language, path).encode("utf-8")


def set_front_matter_key(text: str, key: str, value: str, path: str = "") -> str:
    """``text`` with the top-level YAML front matter key ``key`` set to the string ``value``.

    The value of an existing top-level ``key`` is replaced (in its quoting
    style); otherwise ``key: value`` becomes the last line of the front
    matter. An article without front matter gets one holding only that line;
    a TOML (``+++``) front matter is left as it is. Everything else stays byte
    for byte. A front matter that is no YAML mapping, or in which the key
    cannot be set without changing anything else, is an :class:`L10nError`.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = split_lines(text)
    newline = next((text[line.end:line.stop] for line in lines if line.stop > line.end), "\n")
    source = _NEWLINES.sub("\n", text[len(bom):])
    if _TOML_FENCE.fullmatch(source.split("\n", 1)[0]):
        return text
    front = next((token for token in _MD.parse(source, {}) if token.type == "front_matter"), None)
    if front is None or not front.map:
        return f"{bom}---{newline}{key}: {_plain_or_quoted(value, '')}{newline}---{newline}{text[len(bom):]}"
    closing = front.map[1] - 1
    first = lines[front.map[0] + 1].start if closing > front.map[0] + 1 else lines[closing].start
    last = lines[closing].start  # the YAML text runs from first to last, its final line end included
    yaml_text = text[first:last]
    where = f"{path}:{front.map[0] + 1}: " if path else ""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        before = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        raise L10nError(f"{where}front matter is not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if root is not None and (not isinstance(root, yaml.MappingNode) or root.flow_style):
        raise L10nError(f"{where}front matter is not a YAML block mapping; cannot set {key}")
    existing = next((node for name, node in (root.value if root else ())
                     if isinstance(name, yaml.ScalarNode) and name.value == key and name.start_mark.column == 0),
                    None)
    if existing is None:
        ending = yaml_text[len(yaml_text.rstrip("\r\n")):] if yaml_text else ""
        line_end = text[lines[closing - 1].end:lines[closing - 1].stop] if closing > 0 else newline
        changed = yaml_text + ("" if ending or not yaml_text else line_end) + f"{key}: " \
            f"{_plain_or_quoted(value, '')}{line_end}"
    else:
        start, end = existing.start_mark.index, existing.end_mark.index
        while end > start and yaml_text[end - 1] in " \t\r\n":
            end -= 1
        style = existing.style if isinstance(existing, yaml.ScalarNode) else ""
        scalar = _plain_or_quoted(value, style or "")
        changed = yaml_text[:start] + (scalar if end > start else " " + scalar) + yaml_text[end:]
    expected = dict(before) if isinstance(before, dict) else {}
    expected[key] = value
    try:
        after = yaml.safe_load(changed)
    except yaml.YAMLError:
        after = None
    if after != expected:
        raise L10nError(f"{where}cannot set {key}: {value} in the front matter without changing other keys")
    return text[:first] + changed + text[last:]


def _plain_or_quoted(value: str, style: str) -> str:
    """``value`` as a YAML scalar: in ``style`` (``"``, ``'``), else plain if YAML reads it back as this string."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _load_scalar(value) == value:
        return value
    return _double_quoted(value)


# ------------------------------------------------------------------ parser


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin, move_to_end=False)
    # Inline content is parsed by the reader, block by block, from text it cut itself.
    md.disable("inline")
    for rule in md.block.ruler.__rules__:
        if rule.name in ("paragraph", "heading", "lheading", "table"):
            md.block.ruler.at(rule.name, _block_recorder(rule.fn), {"alt": rule.alt})
    for rule in md.inline.ruler.__rules__:
        md.inline.ruler.at(rule.name, _inline_recorder(rule.name, rule.fn), {"alt": rule.alt})
    return md


def _block_recorder(fn):
    """Wrap a block rule: its inline tokens remember where each line's content starts and ends."""

    def rule(state, start_line, end_line, silent):
        before = len(state.tokens)
        ok = fn(state, start_line, end_line, silent)
        if ok and not silent:
            for token in state.tokens[before:]:
                if token.type == "inline" and token.map and "l10n" not in token.meta:
                    token.meta["l10n"] = [(line, min(state.bMarks[line] + state.tShift[line], state.eMarks[line]),
                                           state.eMarks[line]) for line in range(*token.map)]
        return ok

    return rule


@dataclass
class _Positions:
    """What the inline rules matched in one piece of inline text, by offset."""

    tokens: list[Token] = field(default_factory=list)
    atoms: list[tuple[int, int]] = field(default_factory=list)  # markup a sentence boundary may not cut
    opaque: list[tuple[int, int]] = field(default_factory=list)  # text that is not prose (code, URLs, HTML)
    hard_breaks: list[tuple[int, int]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)  # HTML comments: trimmed off the ends of units
    # What the sentence splitter sees as spaces: emphasis markers, footnote references and the ``](url "title")``
    # of links, so that ``**Satz.** Satz.`` and ``Satz.[^1] Satz.`` split and a title ``"bzw."`` does not.
    hidden: list[tuple[int, int]] = field(default_factory=list)
    images: list[tuple[int, int, int, Token]] = field(default_factory=list)  # start, end, label end, token
    delimiters: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(token) -> offset, length
    protect: list[tuple[int, int, str]] = field(default_factory=list)  # see protected_spans


def _inline_recorder(name: str, fn):
    """Wrap an inline rule: record the offsets of what it matched (see :class:`_Positions`)."""

    def rule(state, silent):
        rec = state.env.get(_REC)
        if silent or rec is None or state.tokens is not rec.tokens:
            return fn(state, silent)
        start, before = state.pos, len(state.tokens)
        ok = fn(state, silent)
        if ok:
            _note(rec, name, state, start, before)
        return ok

    return rule


def _note(rec: _Positions, name: str, state, start: int, before: int) -> None:
    end = state.pos
    new = state.tokens[before:]
    if name in _PROTECT:
        rec.protect.append((start, end, _PROTECT[name]))
    if name in _OPAQUE:
        rec.atoms.append((start, end))
        rec.opaque.append((start, end))
        if name == "html_inline" and state.src.startswith("<!--", start):
            rec.comments.append((start, end))
        elif name == "footnote_ref":
            rec.hidden.append((start, end))
    elif name == "footnote_inline":  # ^[text of the note]
        rec.atoms.append((start, end))
    elif name == "link":
        rec.atoms.append((start, end))
        label_end = parseLinkLabel(state, start, True)
        rec.opaque.append((label_end if label_end > start else start, end))
        if label_end > start:
            rec.hidden.append((label_end, end))
            if state.src.startswith("](", label_end):
                rec.protect.append((label_end, end, "link"))
    elif name == "image":
        rec.atoms.append((start, end))
        label_end = start + 2 + len(new[-1].content)
        rec.opaque.append((label_end, end))
        rec.hidden.append((label_end, end))
        rec.images.append((start, end, label_end, new[-1]))
        if state.src.startswith("](", label_end):
            rec.protect.append((label_end, end, "link"))
    elif name in ("newline", "escape"):
        if any(token.type == "hardbreak" for token in new):
            first = start
            while name == "newline" and first > 0 and state.src[first - 1] == " ":
                first -= 1
            rec.hard_breaks.append((first, end))
    elif name in ("emphasis", "strikethrough"):
        # the rule pushed one text token per delimiter, after any pending text
        pos = end
        for token in reversed(new):
            if pos <= start:
                break
            pos -= len(token.content)
            rec.delimiters[id(token)] = (pos, len(token.content))


_MD = _parser()


# ------------------------------------------------------------------ reader


@dataclass
class _Inline:
    """Inline text of one block, cut from the source: ``text`` and the source offset of each character."""

    text: str
    offsets: list[int]
    lines: list[tuple[int, int, int]]  # (start, end, line index) of each line's part of text
    pos: _Positions
    opaque: list[bool] = field(default_factory=list)
    masked: str = ""  # text as the sentence splitter sees it (see _Positions.hidden)

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1

    def has_text(self, start: int, end: int) -> bool:
        return any(ch.isalnum() and not self.opaque[i] for i, ch in enumerate(self.text[start:end], start))

    def inside_atom(self, start: int, end: int) -> bool:
        return any(a < start and end <= b for a, b in self.pos.atoms)


class _Reader:
    def __init__(self, text: str, path: str, config: Config):
        self.text = text
        self.path = path
        self.config = config
        self.lines = split_lines(text)
        self.line_starts = [line.start for line in self.lines]
        self.spans: list[tuple[int, int, Unit | Skipped]] = []
        self.no_match: set[int] = set()  # lines skip rules are not matched against (code, front matter)
        self.body = 0  # first line after the front matter
        self.fallbacks: list[str] = []  # blocks left untranslated because their text could not be placed
        self.paragraph = 0

    def document(self) -> Document:
        source = self.text[1:] if self.text.startswith("\ufeff") else self.text
        source = _NEWLINES.sub("\n", source)
        source = self._toml_front_matter(source)
        self.norm_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.env: dict = {}
        tokens = _MD.parse(source, self.env)
        for token in tokens:  # skip rules are not matched in code and front matter
            if token.type in ("front_matter", "fence", "code_block") and token.map:
                self.no_match.update(range(*token.map))
                if token.type == "front_matter":
                    self.body = token.map[1]
        body = self.lines[self.body:]
        mark_skipped(self.text, body, self.config.skip, self._candidates)
        self._walk(tokens)
        units, self.spans = self.spans, []
        for start, end, drop in skipped_runs(body):
            self.spans.append((start, end, Skipped(self.text[start:end], drop)))
        self._place(units)
        return self._assemble()

    # -------------------------------------------------------------- structure

    def _toml_front_matter(self, source: str) -> str:
        """Blank out a ``+++`` TOML front matter for the parser; it stays skeleton."""
        lines = source.split("\n")
        if not _TOML_FENCE.fullmatch(lines[0]):
            return source
        for end in range(1, len(lines)):
            if _TOML_FENCE.fullmatch(lines[end]):
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
                self._front_matter(token)
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
            base = self.lines[line].start - self.norm_starts[line]
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
        pos = _Positions()
        self.env[_REC] = pos
        try:
            _MD.inline.parse(text, _MD, self.env, pos.tokens)
        finally:
            del self.env[_REC]
        self._pair_emphasis(pos, len(text))
        inline = _Inline(text, offsets[lead:stop], lines, pos)
        inline.opaque = [False] * len(text)
        for a, b in pos.opaque:
            inline.opaque[a:b] = [True] * (b - a)
        masked = list(text)
        for a, b in pos.hidden:
            masked[a:b] = " " * (b - a)
        inline.masked = "".join(masked)
        return inline

    @staticmethod
    def _pair_emphasis(pos: _Positions, length: int) -> None:
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
        if not _same_text(token.content, inline.text):
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
        split = self.config.segmentation == "sentence"
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
        if not _same_text(token.content, inline.text):
            self.fallbacks.append(f"heading at line {token.map[0] + 1}")
            return
        if not self._images(inline):
            for start, end in self._sentences(inline, [], False):
                self._unit(inline, start, end, "heading", "heading", ("line",))

    def _cell(self, token: Token, row: int, column: int) -> None:
        if not token.content:
            return
        line, start, end = self._segments(token)[0]
        cells = _split_row(self.text[start:end])
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
            alt = _strip(inline.text, start + 2, label_end)
            if alt and inline.has_text(*alt):
                self._unit(inline, *alt, "image alt text", "image alt text", ("line",))
            title = _title(inline.text, label_end, end)
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
                found = [(a + s, a + e) for s, e in sentence_spans(inline.masked[a:b])]
            else:
                found = [span] if (span := _strip(inline.text, a, b)) else []
            for span in _fit(found, inline.pos.atoms, a, b):
                span = _trim_comments(inline.text, span, inline.pos.comments)
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
        text = "\\\n".join(_BREAK.sub(" ", piece) for piece in pieces)
        first, last = inline.source_range(start, end)
        source = self.text[first:last]
        line = bisect.bisect_right(self.line_starts, first)
        unit = EncodedUnit(text, source, kind, line, note, encoding) if encoding else \
            Unit(text, source, kind, line, note)
        self.spans.append((first, last, unit))

    # -------------------------------------------------------------- front matter

    def _front_matter(self, token: Token) -> None:
        first, stop = token.map
        closing = stop - 1
        if closing <= first + 1 or closing >= len(self.lines):
            return
        base = self.lines[first + 1].start
        yaml_text = self.text[base:self.lines[closing - 1].end]
        try:
            root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = first + 2 + (mark.line if mark else 0)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise L10nError(f"{self.path}:{line}: front matter is not valid YAML: {problem} "
                            f"(a first line of --- opens front matter)") from None
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            return
        newline = "\r\n" if "\r\n" in yaml_text else "\r" if "\r" in yaml_text else "\n"
        for key, value in root.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value in self.config.markdown.front_matter
                    and key.start_mark.column == 0
                    and isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
                continue
            start, end = value.start_mark.index, value.end_mark.index
            while end > start and yaml_text[end - 1] in " \t\r\n":
                end -= 1
            source = yaml_text[start:end]
            text = value.value.strip()
            loaded = _load_scalar(source)
            if not text or source.startswith(("&", "!")) or not isinstance(loaded, str) \
                    or loaded.rstrip("\n") != value.value.rstrip("\n"):
                continue  # empty, anchored or tagged: left as it is
            style = value.style or ""
            note = f"front matter: {key.value}"
            unit = EncodedUnit(text, source, f"front matter {key.value}",
                               bisect.bisect_right(self.line_starts, base + start), note, ("yaml", style, newline))
            self.spans.append((base + start, base + end, unit))

    # -------------------------------------------------------------- skip rules and assembly

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

    def _assemble(self) -> Document:
        doc = Document(self.path)
        pos = 0
        for start, end, part in sorted(self.spans, key=lambda span: span[0]):
            if start < pos:  # never expected: a unit that would overlap another part stays skeleton
                if isinstance(part, Unit):
                    continue
                raise AssertionError(f"{self.path}: overlapping parts at offset {start}")
            if start > pos:
                doc.parts.append(self.text[pos:start])
            doc.parts.append(part)
            pos = end
        if pos < len(self.text):
            doc.parts.append(self.text[pos:])
        return doc


# ------------------------------------------------------------------ helpers


def _same_text(content: str, text: str) -> bool:
    """Whether the parser's content of a block and the text cut from the source agree (indentation aside)."""
    return re.sub(r"\n[ \t]+", "\n", content) == re.sub(r"\n[ \t]+", "\n", text)


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _fit(spans: list[tuple[int, int]], atoms: list[tuple[int, int]], low: int, high: int) -> list[tuple[int, int]]:
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


def _trim_comments(text: str, span: tuple[int, int] | None,
                   comments: list[tuple[int, int]]) -> tuple[int, int] | None:
    """``span`` without the HTML comments at its ends."""
    while span and comments:
        start, end = span
        for a, b in comments:
            if a == start:
                span = _strip(text, b, end)
                break
            if b == end:
                span = _strip(text, start, a)
                break
        else:
            break
    return span


def _split_row(row: str) -> list[tuple[int, int, str]]:
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


def _title(text: str, label_end: int, end: int) -> tuple[int, int, str] | None:
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
    span = _strip(text, pos + 1, title.pos - 1)
    return (span[0], span[1], text[title.pos - 1]) if span else None


# ------------------------------------------------------------------ translations: markup kept, markup protected

# A plain inline parser for comparing a unit with its translation; escaped characters stay apart from text.
_CHECKER = MarkdownIt("commonmark").enable(["strikethrough"]).disable("text_join")
_EMPHASIS = {"strong_open": "strong emphasis **…**", "em_open": "emphasis *…*", "s_open": "strikethrough ~~…~~"}
_LITERALS = ("**", "*", "__", "_", "~~", "`")  # delimiters that pair with nothing stay text: shown as typed
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_REFERENCE = re.compile(r"\]\[([^\[\]]*)\]")  # the label of a reference link [text][label]


def _markup(text: str) -> tuple[Counter, str]:
    """The inline markup of ``text`` as a multiset of (kind, what), and the text Markdown shows literally."""
    found: Counter = Counter()
    literal = []
    for token in _CHECKER.parseInline(text, {})[0].children or ():
        kind = token.type
        if kind in _EMPHASIS:
            found[(_EMPHASIS[kind], "")] += 1
        elif kind == "link_open":
            found[("autolink" if token.markup == "autolink" else "link target", token.attrs.get("href", ""))] += 1
        elif kind == "image":
            found[("image", token.attrs.get("src", ""))] += 1
        elif kind == "code_inline":
            found[("code", f"`{token.content}`")] += 1
        elif kind == "html_inline":
            found[("HTML", token.content)] += 1
        elif kind == "text":
            literal.append(token.content)
    literal_text = "\x00".join(literal)
    for label in _FOOTNOTE_REF.findall(literal_text):
        found[("footnote reference", label)] += 1
    for label in _REFERENCE.findall(literal_text):
        found[("reference label", f"[{label}]")] += 1
    return found, literal_text


def check_markup(source: str, translation: str) -> Iterator[str]:
    """What ``translation`` breaks of the inline Markdown of the unit ``source``, one message each.

    Compared as Markdown reads them: emphasis, strikethrough, links (by
    target), images (by source), autolinks, code spans, inline HTML,
    footnote references and reference labels must all be there, as often
    as in the source (in any order); a delimiter Markdown shows as typed
    (``**`` that pairs with nothing) and brackets that no longer pair up
    break the page too. Link titles and image alt texts are text to translate.
    """
    want, want_text = _markup(source)
    have, have_text = _markup(translation)
    for key in dict.fromkeys([*want, *have]):  # in the order of the source, then of the translation
        kind, what = key
        if want[key] == have[key]:
            continue
        if not what:
            yield f"{kind} appears {have[key]} times, {want[key]} in the source"
        elif want[key] > have[key]:
            times = f" ({want[key] - have[key]} of {want[key]} times)" if want[key] > 1 else ""
            yield f"{kind} {what} is missing{times}"
        else:
            yield f"{kind} {what} is not in the source"
    for literal in _LITERALS:
        extra = _count_delimiters(have_text, literal) - _count_delimiters(want_text, literal)
        if extra > 0:
            yield f"{literal} pairs with nothing, so Markdown shows it as typed ({extra} more than in the source)"
    for opener, closer in (("[", "]"), ("(", ")")):
        if _pairs_up(want_text, opener, closer) and not _pairs_up(have_text, opener, closer):
            yield (f"brackets do not pair up: {have_text.count(opener)} “{opener}” and "
                   f"{have_text.count(closer)} “{closer}”")


def _count_delimiters(text: str, delimiter: str) -> int:
    """How many runs of exactly ``delimiter`` (``*`` not counting a ``**`` run) ``text`` holds."""
    char = re.escape(delimiter[0])
    return len(re.findall(rf"(?<!{char}){re.escape(delimiter)}(?!{char})", text))


def _pairs_up(text: str, opener: str, closer: str) -> bool:
    depth = 0
    for char in text:
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """What a model must not change in the inline Markdown of a unit: ``(start, end, kind)`` in order.

    Kinds: ``link`` (the ``](destination "title")`` of an inline link or
    image: its text or alt text stays to translate), ``autolink``
    (``<https://…>``), ``code`` (a code span with its backticks), ``html``
    (an inline tag or comment) and ``label`` (a footnote reference ``[^1]``,
    the ``][label]`` of a reference link).
    """
    pos = _Positions()
    env = {_REC: pos}
    _MD.inline.parse(text, _MD, env, pos.tokens)
    spans = sorted(pos.protect)
    for pattern in (_FOOTNOTE_REF, _REFERENCE):
        for match in pattern.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b, _kind in spans):
                spans.append((match.start(), match.end(), "label"))
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans):  # one inside another (a tag inside code) goes with it
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


# ------------------------------------------------------------------ YAML scalars


def _load_scalar(scalar: str) -> object:
    """The value of ``scalar`` written as a top-level front matter value; None if it is no valid YAML."""
    try:
        data = yaml.safe_load(f"k: {scalar}\n")
    except yaml.YAMLError:
        return None
    return data.get("k") if isinstance(data, dict) else None


def _yaml_scalar(unit: EncodedUnit, text: str) -> str:
    """``text`` as a YAML scalar in the unit's style if that style holds it exactly, else double-quoted."""
    _, style, newline = unit.encoding
    candidates = []
    if style == "" and "\n" not in text:
        candidates.append(text)
    elif style == "'" and "\n" not in text:
        candidates.append("'" + text.replace("'", "''") + "'")
    elif style in ("|", ">"):
        header = re.split(r"\r\n|\r|\n", unit.source, maxsplit=1)
        if len(header) == 2:
            indent = re.match(r"[ ]*", header[1]).group()
            lines = [indent + line if line else "" for line in text.split("\n")]
            candidates.append(header[0] + "\n" + ("\n" if style == "|" else "\n\n").join(lines))
    quoted = _double_quoted(text)
    for candidate in candidates + [quoted, "'" + text.replace("'", "''") + "'"]:
        value = _load_scalar(candidate)
        if isinstance(value, str) and value.strip() == text.strip() and candidate != unit.text:
            return candidate.replace("\n", newline)
    return quoted


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F or ch in "\u2028\u2029\ufeff" or 0xD800 <= code <= 0xDFFF \
                or code in (0xFFFE, 0xFFFF):
            out.append(json.dumps(ch)[1:-1] if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
