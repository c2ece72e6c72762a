"""Format directives: where the ``%`` directives of C, Objective-C and Python strings lie.

A port of gettext 0.21's format-c and format-python parsers, as far as
wrapping needs them: no line break falls inside a valid directive.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _directive_positions(language: str, value: str, is_msgstr: bool) -> frozenset[int] | None:
    """Positions inside (not at the start of) valid format directives: no break there."""
    parser = _DIRECTIVE_PARSERS.get(language)
    if parser is None:
        return None
    inner = set()
    for start, end in parser(value, is_msgstr):
        inner.update(range(start + 1, end + 1))
    return frozenset(inner)


# ---------------------------------------------------------------------------
# What every parser does: find the directives, count the arguments they take


class _Scan:
    """One string whose directives are read, and the arguments they took so far.

    gettext refuses a string whose directives mix arguments taken by number
    (``%1$s``, ``*2$``) or by name (``%(name)s``) with arguments taken in
    order (``%s``, ``*``): its directives count up to the first such mix.
    """

    __slots__ = ("value", "n", "numbered", "unnumbered")

    def __init__(self, value: str):
        self.value = value
        self.n = len(value)
        self.numbered = 0  # arguments taken by number or name
        self.unnumbered = 0  # arguments taken in order

    def at(self, k: int) -> str:
        """The character at ``k``, or ``""`` past the end."""
        return self.value[k] if k < self.n else ""

    def take(self, numbered: bool, count: int = 1) -> bool:
        """Count ``count`` arguments more; False when that mixes the two ways of taking them."""
        if numbered:
            if self.unnumbered:
                return False
            self.numbered += count
        else:
            if self.numbered:
                return False
            self.unnumbered += count
        return True


def _find_directives(value: str, directive: Callable[[_Scan, int], int | None]) -> list[tuple[int, int]]:
    """(start, end) of the directives of ``value``, up to the first invalid one: the loop every parser shares.

    ``directive(scan, i)`` reads one directive from ``i``, just after its
    ``%``, and returns the index of its last character (the conversion), or
    None when the directive is invalid.
    """
    scan = _Scan(value)
    directives = []
    i = 0
    while i < scan.n:
        if value[i] != "%":
            i += 1
            continue
        end = directive(scan, i + 1)
        if end is None:
            return directives
        directives.append((i, end))
        i = end + 1
    return directives


# ---------------------------------------------------------------------------
# C and Objective-C

_C_CONVERSIONS = frozenset("%mcCsSidu" "oxXeEfFgGaApn")
_PRI_MACRO = re.compile(r"<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")


def _c_directives(value: str, translated: bool, objc: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the C format directives gettext 0.21 accepts, up to the first invalid one.

    A port of format-c-parse.h as gettext 0.21 has it (checked against its
    msgcat): ``%[m$][flags][width][.precision][size...]conversion`` or
    ``%...<PRI...>``.
    """
    return _find_directives(value, lambda scan, i: _c_directive(scan, i, translated, objc))


def _number_dollar(scan: _Scan, k: int) -> tuple[int, int] | None:
    """(number, index after '$') when digits followed by '$' start at k."""
    at = scan.at
    f = k
    while at(f).isdigit() and at(f).isascii():
        f += 1
    if f > k and at(f) == "$":
        return int(scan.value[k:f]), f + 1
    return None


def _c_directive(scan: _Scan, i: int, translated: bool, objc: bool) -> int | None:
    """The index of the conversion of the C directive read from ``i``; None when it is invalid."""
    at = scan.at
    number = 0
    if at(i).isdigit() and at(i).isascii():
        found = _number_dollar(scan, i)
        if found:
            if found[0] == 0:
                return None
            number, i = found
    while at(i) in (" ", "+", "-", "#", "0", "'") and at(i) or (translated and at(i) == "I"):
        i += 1
    for part in ("width", "precision"):
        if part == "precision":
            if at(i) != ".":
                break
            i += 1
        if at(i) == "*":
            i += 1
            found = _number_dollar(scan, i) if at(i).isdigit() else None
            if found:
                if found[0] == 0:
                    return None
                i = found[1]
            if not scan.take(found is not None):
                return None
        else:
            while at(i).isdigit() and at(i).isascii():
                i += 1
    if at(i) == "<":
        match = _PRI_MACRO.match(scan.value, i)
        if not match:
            return None
        i = match.end() - 1
        takes_argument = True
    else:
        while at(i) in ("h", "l", "L", "q", "j", "z", "Z", "t") and at(i):
            i += 1
        conversion = at(i)
        if not conversion or conversion not in _C_CONVERSIONS and not (objc and conversion == "@"):
            return None
        takes_argument = conversion not in ("%", "m")
    if takes_argument and not scan.take(bool(number)):
        return None
    return i


# ---------------------------------------------------------------------------
# Python

_PYTHON_CONVERSIONS = frozenset("%crsiduoxXeEfgG")


def _python_directives(value: str, translated: bool) -> list[tuple[int, int]]:
    """(start, end) of the Python ``%`` directives gettext 0.21 accepts, up to the first invalid one."""
    return _find_directives(value, _python_directive)


def _number_or_star(scan: _Scan, k: int) -> tuple[int, int]:
    """Skip a width or precision: ``*`` (counted as 1) or ASCII digits."""
    at = scan.at
    if at(k) == "*":
        return k + 1, 1
    while at(k).isdigit() and at(k).isascii():
        k += 1
    return k, 0


def _python_directive(scan: _Scan, i: int) -> int | None:
    """The index of the conversion of the Python directive read from ``i``; None when it is invalid."""
    value, n, at = scan.value, scan.n, scan.at
    has_name = False
    if at(i) == "(":
        i += 1
        depth = 0
        while i < n:
            if value[i] == "(":
                depth += 1
            elif value[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if i >= n:
            return None
        i += 1
        has_name = True
    while at(i) in ("-", "+", " ", "#", "0") and at(i):
        i += 1
    i, star = _number_or_star(scan, i)  # width
    if at(i) == ".":
        i, precision_star = _number_or_star(scan, i + 1)
        star += precision_star
    if star and not scan.take(False, star):
        return None
    if at(i) in ("h", "l", "L") and at(i):
        i += 1
    conversion = at(i)
    if not conversion or conversion not in _PYTHON_CONVERSIONS:
        return None
    if has_name:
        if not scan.take(True):
            return None
    elif conversion != "%" and not scan.take(False):
        return None
    return i


# The languages whose directives gettext 0.21 keeps on one line, as far as
# ported here.  Its python-brace parser marks none (checked against its
# msgcat); the directives of the others (java, sh, perl, ...) are not
# analysed, so a break could fall inside one where msgcat would not break.
_DIRECTIVE_PARSERS = {
    "c": _c_directives,
    "objc": lambda value, translated: _c_directives(value, translated, objc=True),
    "python": _python_directives,
}
