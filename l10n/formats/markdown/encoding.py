"""Units whose translation is re-encoded for its place: YAML scalars (front matter values), table cells, titles."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from ...document import Unit

BREAK = re.compile(r"\s*\n\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


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
        return yaml_scalar(unit, text)
    if kind == "cell":
        return _UNESCAPED_PIPE.sub(r"\\|", BREAK.sub(" ", text.strip()))
    if kind == "title":
        closer = unit.encoding[1]
        return re.sub(r"(?<!\\)([" + re.escape(closer + ("(" if closer == ")" else "")) + "])", r"\\\1",
                      BREAK.sub(" ", text.strip()))
    return BREAK.sub(" ", text.strip())


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
