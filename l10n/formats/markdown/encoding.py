"""Units whose translation is re-encoded for its place: prose, YAML scalars (front matter values), table cells, titles.

A translation never changes the block structure of the page by itself: in
prose (sentences of paragraphs, list items, quotes and footnotes), headings,
alt texts and cells, a typed line break becomes a space, and where the unit
starts a line in the source, what would start a block there (``1.``, ``-``,
``#``, ``>``, ``<div>``, a ``===`` underline, indentation …) is escaped or
stripped (:func:`escape_line_start`). A hard break ``\\`` + line break that
the message id holds stays, continued with the unit's own block markers.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass

import yaml

from ...document import Unit
from .parser import MD, REC, Positions

BREAK = re.compile(r"\s*\n\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_TYPED_BREAK = re.compile(r"\s*[\r\n]\s*")
_HARD_BREAK = re.compile(r"\\[ \t]*(?:\r\n|\r|\n)\s*")
_CONTINUATION = re.compile(r"(\r\n|\r|\n)([ \t>]*)")
# what may stand before a unit that starts a line: container markers (quote, list item, footnote label)
_CONTAINERS = re.compile(r"\ufeff?(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])|\[\^[^\]\s]+\]:))*[ \t]*")
START = "start"  # the last item of a prose, line or cell encoding when the unit starts a line
_ESCAPED = ("prose", "line", "cell")  # the encodings whose line starts are escaped (others only fold line breaks)
_BLOCKS = {"bullet_list_open": "a list", "ordered_list_open": "a numbered list", "heading_open": "a heading",
           "blockquote_open": "a quote", "fence": "a code block", "code_block": "a code block",
           "html_block": "an HTML block", "hr": "a horizontal rule", "footnote_reference_open": "a footnote",
           "table_open": "a table", "front_matter": "a front matter block"}
_TEXT = ["paragraph_open", "inline", "paragraph_close"]


@dataclass(frozen=True)
class EncodedUnit(Unit):
    """A unit whose translation is re-encoded for its place: prose, a YAML scalar, a table cell, a title.

    ``encoding`` is ``("prose", start)``, ``("yaml", style, newline)``,
    ``("cell", start)``, ``("line", start)`` or ``("title", closing
    delimiter, …)``; ``start`` is :data:`START` where the unit starts a line
    in the source (only block markers before it), else ``""``.
    """

    encoding: tuple[str, ...] = ()

    def encode(self, text: str) -> str:
        return encode(self, text)


def encode(unit: EncodedUnit, text: str, notes: list[tuple[str, str, str]] | None = None) -> str:
    """``text`` (a translation of ``unit``) as it must be written in place of ``unit.source``.

    ``notes`` (for ``l10n check``) collects what was changed to keep the
    page's structure: ``("line break", "", "")`` for typed line breaks made
    spaces, ``(what it would begin, line, escaped line)`` for each escaped line start.
    """
    kind = unit.encoding[0] if unit.encoding else "prose"
    if kind == "yaml":
        return yaml_scalar(unit, text)
    if kind == "title":
        closer = unit.encoding[1]
        return re.sub(r"(?<!\\)([" + re.escape(closer + ("(" if closer == ")" else "")) + "])", r"\\\1",
                      BREAK.sub(" ", text.strip()))
    text = text.rstrip()
    pieces = _HARD_BREAK.split(text) if kind == "prose" else [text]
    if notes is not None and any(_TYPED_BREAK.search(piece.lstrip()) for piece in pieces):
        notes.append(("line break", "", ""))
    found = _CONTINUATION.search(unit.source)
    out = []
    for k, piece in enumerate(pieces):
        piece = _TYPED_BREAK.sub(" ", piece.lstrip("\r\n"))
        if kind in _ESCAPED and (k or unit.encoding[-1:] == (START,)):
            escaped, what = escape_line_start(piece)
            if what and notes is not None:
                notes.append((what, piece, escaped))
            piece = escaped.lstrip()
            if not k and unit.line == 1 and unit.kind == "item" and piece[1:3] == "--":
                piece = piece[:2] + "\\" + piece[2:]  # mdit's front matter rule reads "- x---" on line 1 so
        out.append(piece.lstrip())
    line = ("\\" + (found.group(1) + found.group(2) if found else "\n")).join(out)
    if kind == "cell":  # a backslash at the end would escape the cell's closing pipe: a space keeps it apart
        line = _UNESCAPED_PIPE.sub(r"\\|", line)
        return line + " " if line.endswith("\\") else line
    if kind == "line" and unit.encoding[-1:] == (START,):  # a setext heading: over a --- line, a | makes a table
        return escape_pipes(line)
    return line


def escape_pipes(text: str) -> str:
    """``text`` with each ``|`` outside code, links' destinations, autolinks and HTML written ``&#124;``.

    Over a ``---`` underline a line with a ``|`` is a table header, escaped or not; the entity is no pipe.
    """
    found = Positions()
    MD.inline.parse(text, MD, {REC: found}, found.tokens)
    out, pos = [], 0
    for start, end, _kind in sorted(found.protect) + [(len(text), len(text), "")]:
        out.append(re.sub(r"\\?\|", "&#124;", text[pos:start]) + text[start:end])
        pos = max(pos, end)
    return "".join(out)


def starts_line(text: str, line_start: int, start: int) -> str:
    """:data:`START` if only block markers stand between ``line_start`` and the unit at ``start`` of ``text``."""
    return START if _CONTAINERS.fullmatch(text, line_start, start) else ""


def opens_block(line: str) -> str | None:
    """What ``line`` would begin at the start of a line, of a paragraph or after a paragraph line; None: text."""
    first = line[:1]
    if not first or not (first in string.punctuation or first.isdigit() or first.isspace()):
        return None
    for before in ("\n", "x\n"):  # a line of its own, and one after a paragraph line
        kinds = [token.type for token in MD.parse(before + line, {})]
        if kinds == _TEXT:
            continue
        if before == "x\n" and kinds[:1] == ["heading_open"]:
            return "an underline that makes the line before a heading"
        return next((_BLOCKS[kind] for kind in kinds if kind in _BLOCKS), "a link reference definition")
    if first == "-" and MD.parse(line + "\n---\n", {})[0].type == "front_matter":  # the page's first line
        return _BLOCKS["front_matter"]
    return None


def escape_line_start(line: str) -> tuple[str, str]:
    """``line`` as it can start a line of a paragraph without starting a block, and what it would begin ("": text).

    Leading white space goes (it would make a code block); then a backslash
    goes before the first punctuation character (after any digits), as
    often as it takes: ``1\\.``, ``\\-``, ``\\#``, ``\\>``, ``\\<div>``, ``\\===``.
    """
    what = opens_block(line) or ""
    line = line.lstrip()
    for _ in range(3):
        if not opens_block(line):
            break
        pos = len(line) - len(line.lstrip(string.digits))
        if pos >= len(line) or line[pos] not in string.punctuation:
            break
        line = line[:pos] + "\\" + line[pos:]
    return line, what


def plain_or_quoted(value: str, style: str) -> str:
    """``value`` as a YAML scalar: in ``style`` (``"``, ``'``), else plain if YAML reads it back as this string."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and load_scalar(value) == value:
        return value
    return double_quoted(value)


def load_scalar(scalar: str) -> object:
    """The value of ``scalar`` written as a top-level front matter value; None if it is no valid YAML."""
    try:
        data = yaml.safe_load(f"k: {scalar}\n")
    except yaml.YAMLError:
        return None
    return data.get("k") if isinstance(data, dict) else None


def yaml_scalar(unit: EncodedUnit, text: str) -> str:
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
    quoted = double_quoted(text)
    for candidate in candidates + [quoted, "'" + text.replace("'", "''") + "'"]:
        value = load_scalar(candidate)
        if isinstance(value, str) and value.strip() == text.strip() and candidate != unit.text:
            return candidate.replace("\n", newline)
    return quoted


def double_quoted(text: str) -> str:
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
