"""Line wrapping of PO strings: ``keyword "value"`` lines as gettext's ``wrap()`` prints them.

Each string is cut after each embedded newline, escaped and broken at UAX #14
opportunities (:mod:`l10n.po.linebreak`) to fit the page width, with the
``msgid ""`` first line when a string wraps or holds an inner newline; no
break falls inside an escape sequence or, for the format languages
:mod:`l10n.po.directives` analyses, inside a format directive.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .directives import _directive_positions
from .linebreak import POSSIBLE, PROHIBITED, breaks_and_columns, display_width, fit, width_linebreaks

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------
# Strings

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}
_INT_MAX = 2**31 - 1
_NO_WRAP_WIDTH = _INT_MAX


_NEEDS_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')


def escape(text: str) -> str:
    """A string's PO form, without the quotes (gettext's escapes, nothing else)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    for char in "\n\t\a\b\f\r\v":
        if char in text:
            text = text.replace(char, _ESCAPES[char])
    return text


@lru_cache(maxsize=1 << 13)  # bounded: a run over many catalogs must not grow with them
def wrap_string(prefix: str, keyword: str, value: str, page_width: int, directives: str | None = None) -> str:
    """``keyword "value"`` lines as gettext's ``wrap()`` prints them, each ending in a newline.

    ``prefix`` starts every line (``""``, ``"#| "``, ``"#~ "`` or
    ``"#~| "``); ``page_width`` is 79 by default, or ``_NO_WRAP_WIDTH`` for a
    no-wrap entry; ``directives`` names the format language whose directives
    must stay on one line.
    """
    # Columns as write-po.c counts them: everything is relative to the start
    # of the string on a continuation line (after the prefix and the quote).
    after_break = len(prefix) + 1
    width = page_width - 1 - after_break
    first_column = len(prefix) + len(keyword) + 2 - after_break
    keep_together = _directive_positions(directives, value, keyword.startswith("msgstr")) if directives else None

    lines = []
    first_line = True
    start = 0
    end_of_value = len(value)
    while True:
        end = value.find("\n", start)
        end = end_of_value if end < 0 else end + 1
        portion = value[start:end]
        escaped = escape(portion)
        more = end < end_of_value
        column = first_column if first_line else 0
        if not escaped or column + display_width(escaped) <= width:
            breaks: list[int] = []
            if first_line and escaped and (more or column > width):
                lines.append(f'{prefix}{keyword} ""')
                first_line = False
        else:
            prohibited = _prohibited(portion, escaped, start, keep_together)
            layout = _Layout(escaped, width, prohibited)
            breaks = layout.breaks(column)
            if first_line and (more or column > width or breaks):
                lines.append(f'{prefix}{keyword} ""')
                first_line = False
                breaks = layout.breaks(0)
        head = f'{prefix}{keyword} "' if first_line else f'{prefix}"'
        first_line = False
        previous = 0
        for position in breaks:
            lines.append(f'{head}{escaped[previous:position]}"')
            head = f'{prefix}"'
            previous = position
        lines.append(f'{head}{escaped[previous:]}"')
        start = end
        if start >= end_of_value:
            break
    return "\n".join(lines) + "\n"


def _prohibited(portion: str, escaped: str, offset: int, keep_together: frozenset[int] | None) -> set[int]:
    """Positions in ``escaped`` where gettext's overrides forbid a break (besides inside escapes)."""
    prohibited = set()
    if portion.endswith("\n"):
        # "Don't break immediately before the \n at the end."
        prohibited.add(len(escaped) - 2)
    if keep_together:
        position = 0
        for index, char in enumerate(portion, offset):
            if index in keep_together:
                prohibited.add(position)
            position += 2 if char in _ESCAPES else 1
    return prohibited


class _Layout:
    """The break opportunities of one escaped portion, to be fitted at a start column."""

    __slots__ = ("escaped", "width", "prohibited", "opportunities")

    def __init__(self, escaped: str, width: int, prohibited: set[int]):
        self.escaped = escaped
        self.width = width
        self.prohibited = prohibited
        found = breaks_and_columns(escaped)
        if found is not None and prohibited:
            positions, columns, total = found
            kept = [(p, c) for p, c in zip(positions, columns) if p not in prohibited]
            found = [p for p, _ in kept], [c for _, c in kept], total
        self.opportunities = found

    def breaks(self, column: int) -> list[int]:
        if self.opportunities is not None:
            positions, columns, total = self.opportunities
            return fit(positions, columns, total, self.width, column)
        # Contextual characters (combining marks, joiners, ...): the faithful loop.
        overrides = dict.fromkeys(self.prohibited, PROHIBITED) | escape_overrides(self.escaped)
        codes, _ = width_linebreaks(self.escaped, self.width, column, 0, overrides)
        return [i for i, code in enumerate(codes) if code == POSSIBLE]


def escape_overrides(escaped: str) -> dict[int, int]:
    """No line break inside an escape sequence: after each backslash of ``escaped``."""
    overrides = {}
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            overrides[i + 1] = PROHIBITED
            i += 2
        else:
            i += 1
    return overrides
