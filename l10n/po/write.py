"""Reading and writing PO/POT catalogs: polib objects in, GNU gettext's bytes out.

:func:`format_catalog` prints a catalog exactly as GNU ``msgcat`` (gettext
0.21, default options) prints it, so ``msgcat x.po`` of a file we wrote gives
the same bytes back.  It is a port of gettext's ``write-po.c``:

- order: the header entry, the other live entries in order, then obsolete
  ones; a blank line between entries;
- comments: ``#`` translator lines, ``#.`` extracted lines, ``#:``
  references (``./`` stripped, duplicates dropped, wrapped at the page
  width), ``#,`` flags, ``#|`` previous msgctxt/msgid/msgid_plural;
- flags as msgcat normalises them: ``fuzzy`` first (dropped when the msgstr
  is empty), then the ``*-format`` flags in gettext's language order,
  ``range:``, ``no-wrap``; ``wrap`` and unknown flags vanish, and
  ``possible-c-format`` prints as ``c-format``.  Obsolete entries keep only
  ``fuzzy``, the formats and ``no-wrap``, and vanish when untranslated;
- strings: cut after each embedded newline, escaped, broken at UAX #14
  opportunities (:mod:`l10n.linebreak`) to fit 79 columns, with the
  ``msgid ""`` first line when a string wraps or holds an inner newline;
  ``no-wrap`` turns wrapping off, and with a ``c-format``, ``objc-format``
  or ``python-format`` flag no break falls inside a format directive
  (directives of the other format languages are not analysed);
- the header declares charset UTF-8 (we write UTF-8), unless the catalog
  is pure ASCII and declares a charset msgcat accepts: msgcat refuses the
  POT placeholder ``CHARSET`` and non-ASCII text without a charset;
- a catalog that is nothing but its header: msgcat prints nothing at all
  (unless given ``--force-po``); we print the header.

:func:`read_catalog` reads a file in one pass into the objects polib's
parser would make of it, checking gettext's grammar on the way, so that
every problem becomes one :class:`~l10n.errors.L10nError` line naming the
file and the line (or byte).
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

import polib

from . import linebreak
from .errors import L10nError
from .fsutil import atomic_write

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------
# Flags, as gettext's read-catalog-special.c parses them and write-po.c prints them

# The format languages of gettext 0.21, in its order (format_language[]).
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)
_FORMAT_INDEX = {name: i for i, name in enumerate(FORMAT_LANGUAGES)}
_YES, _NO, _POSSIBLE, _IMPOSSIBLE = "yes", "no", "possible", "impossible"
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_RANGE = re.compile(r"([0-9]+)\.\.([0-9]+)")
_INT_MAX = 2**31 - 1


class Flags:
    """What gettext understands of an entry's ``#,`` flags."""

    __slots__ = ("fuzzy", "formats", "range", "no_wrap")

    def __init__(self, fuzzy: bool, formats: dict[int, str], range_: tuple[int, int] | None, no_wrap: bool):
        self.fuzzy = fuzzy
        self.formats = formats  # language index -> yes/no/possible/impossible
        self.range = range_
        self.no_wrap = no_wrap

    def format_words(self) -> list[str]:
        """The ``*-format`` flags as msgcat prints them, in gettext's order."""
        words = []
        for index in sorted(self.formats):
            value = self.formats[index]
            if value == _NO:
                words.append(f"no-{FORMAT_LANGUAGES[index]}-format")
            elif value != _IMPOSSIBLE:
                words.append(f"{FORMAT_LANGUAGES[index]}-format")
        return words

    def directive_language(self) -> str | None:
        """The format language whose directives must not be broken (gettext's possible_format_p)."""
        for index in sorted(self.formats):
            if self.formats[index] in (_YES, _POSSIBLE):
                return FORMAT_LANGUAGES[index]
        return None


@lru_cache(maxsize=4096)
def parse_flags(flags: tuple[str, ...]) -> Flags:
    """Interpret polib flags as gettext does (later flags win, unknown ones are ignored)."""
    fuzzy = False
    no_wrap = False
    formats: dict[int, str] = {}
    range_ = None
    tokens = [t for t in _FLAG_SEPARATORS.split(" ".join(flags)) if t]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "fuzzy":
            fuzzy = True
        elif token.endswith("-format") and _format_flag(token, formats):
            pass
        elif token == "range:":
            if i < len(tokens):
                value = tokens[i]
                i += 1
                match = _RANGE.match(value)
                if match:
                    low, high = (min(int(g), _INT_MAX) for g in match.groups())
                    if low <= high:
                        range_ = (low, high)
        elif token == "wrap":
            no_wrap = False
        elif token == "no-wrap":
            no_wrap = True
    return Flags(fuzzy, formats, range_, no_wrap)


def _format_flag(token: str, formats: dict[int, str]) -> bool:
    name = token[:-7]
    value = _YES
    if name.startswith("no-"):
        name, value = name[3:], _NO
    elif name.startswith("possible-"):
        name, value = name[9:], _POSSIBLE
    elif name.startswith("impossible-"):
        name, value = name[11:], _IMPOSSIBLE
    index = _FORMAT_INDEX.get(name)
    if index is None:
        return False
    formats[index] = value
    return True


# ---------------------------------------------------------------------------
# Strings

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
            "\\": "\\\\", '"': '\\"'}
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


@lru_cache(maxsize=1 << 16)
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
        if not escaped or column + linebreak.display_width(escaped) <= width:
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
        found = linebreak.breaks_and_columns(escaped)
        if found is not None and prohibited:
            positions, columns, total = found
            kept = [(p, c) for p, c in zip(positions, columns) if p not in prohibited]
            found = [p for p, _ in kept], [c for _, c in kept], total
        self.opportunities = found

    def breaks(self, column: int) -> list[int]:
        if self.opportunities is not None:
            positions, columns, total = self.opportunities
            return linebreak.fit(positions, columns, total, self.width, column)
        # Contextual characters (combining marks, joiners, ...): the faithful loop.
        overrides = dict.fromkeys(self.prohibited, linebreak.PROHIBITED) | escape_overrides(self.escaped)
        codes, _ = linebreak.width_linebreaks(self.escaped, self.width, column, 0, overrides)
        return [i for i, code in enumerate(codes) if code == linebreak.POSSIBLE]


def _directive_positions(language: str, value: str, is_msgstr: bool) -> frozenset[int] | None:
    """Positions inside (not at the start of) valid format directives: no break there."""
    parser = _DIRECTIVE_PARSERS.get(language)
    if parser is None:
        return None
    inner = set()
    for start, end in parser(value, is_msgstr):
        inner.update(range(start + 1, end + 1))
    return frozenset(inner)


def _c_directives(value: str, translated: bool, objc: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the C format directives gettext 0.21 accepts, up to the first invalid one.

    A port of format-c-parse.h as gettext 0.21 has it (checked against its
    msgcat): ``%[m$][flags][width][.precision][size...]conversion`` or
    ``%...<PRI...>``.
    """
    directives = []
    n = len(value)
    i = 0
    numbered = unnumbered = 0

    def at(k: int) -> str:
        return value[k] if k < n else ""

    def number_dollar(k: int) -> tuple[int, int] | None:
        """(number, index after '$') when digits followed by '$' start at k."""
        f = k
        while at(f).isdigit() and at(f).isascii():
            f += 1
        if f > k and at(f) == "$":
            return int(value[k:f]), f + 1
        return None

    while i < n:
        if value[i] != "%":
            i += 1
            continue
        start = i
        i += 1
        number = 0
        if at(i).isdigit() and at(i).isascii():
            found = number_dollar(i)
            if found:
                if found[0] == 0:
                    return directives
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
                found = number_dollar(i) if at(i).isdigit() else None
                if found:
                    if found[0] == 0:
                        return directives
                    i = found[1]
                    if unnumbered:
                        return directives
                    numbered += 1
                else:
                    if numbered:
                        return directives
                    unnumbered += 1
            else:
                while at(i).isdigit() and at(i).isascii():
                    i += 1
        if at(i) == "<":
            match = _PRI_MACRO.match(value, i)
            if not match:
                return directives
            i = match.end() - 1
            takes_argument = True
        else:
            while at(i) in ("h", "l", "L", "q", "j", "z", "Z", "t") and at(i):
                i += 1
            conversion = at(i)
            if not conversion or conversion not in _C_CONVERSIONS and not (objc and conversion == "@"):
                return directives
            takes_argument = conversion not in ("%", "m")
        if takes_argument:
            if number:
                if unnumbered:
                    return directives
                numbered += 1
            else:
                if numbered:
                    return directives
                unnumbered += 1
        directives.append((start, i))
        i += 1
    return directives


def escape_overrides(escaped: str) -> dict[int, int]:
    """No line break inside an escape sequence: after each backslash of ``escaped``."""
    overrides = {}
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            overrides[i + 1] = linebreak.PROHIBITED
            i += 2
        else:
            i += 1
    return overrides


_C_CONVERSIONS = frozenset("%mcCsSidu" "oxXeEfFgGaApn")
_PRI_MACRO = re.compile(r"<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")


def _python_directives(value: str, translated: bool) -> list[tuple[int, int]]:
    """(start, end) of the Python ``%`` directives gettext 0.21 accepts, up to the first invalid one."""
    directives = []
    n = len(value)
    i = 0
    named = unnamed = 0

    def at(k: int) -> str:
        return value[k] if k < n else ""

    def number_or_star(k: int) -> tuple[int, int]:
        """Skip a width or precision: ``*`` (counted as 1) or ASCII digits."""
        if at(k) == "*":
            return k + 1, 1
        while at(k).isdigit() and at(k).isascii():
            k += 1
        return k, 0

    while i < n:
        if value[i] != "%":
            i += 1
            continue
        start = i
        i += 1
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
                return directives
            i += 1
            has_name = True
        while at(i) in ("-", "+", " ", "#", "0") and at(i):
            i += 1
        i, star = number_or_star(i)  # width
        if at(i) == ".":
            i, precision_star = number_or_star(i + 1)
            star += precision_star
        if star:
            if named:
                return directives
            unnamed += star
        if at(i) in ("h", "l", "L") and at(i):
            i += 1
        conversion = at(i)
        if not conversion or conversion not in _PYTHON_CONVERSIONS:
            return directives
        if has_name:
            if unnamed:
                return directives
            named += 1
        elif conversion != "%":
            if named:
                return directives
            unnamed += 1
        directives.append((start, i))
        i += 1
    return directives


_PYTHON_CONVERSIONS = frozenset("%crsiduoxXeEfgG")

# The languages whose directives gettext 0.21 keeps on one line, as far as
# ported here.  Its python-brace parser marks none (checked against its
# msgcat); the directives of the others (java, sh, perl, ...) are not
# analysed, so a break could fall inside one where msgcat would not break.
_DIRECTIVE_PARSERS = {
    "c": _c_directives,
    "objc": lambda value, translated: _c_directives(value, translated, objc=True),
    "python": _python_directives,
}


# ---------------------------------------------------------------------------
# Entries


# A Solaris-style reference, which gettext reads out of a translator comment
# ("# File: x.c, line:12" or "# file: x.c, line number:12").
_SOLARIS = re.compile(r"[Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*\Z")


def _entry_key(entry: polib.POEntry, obsolete: bool, page_width: int) -> tuple:
    """Everything of an entry that msgcat prints, as a hashable key for :func:`_render_entry`."""
    plural = entry.msgid_plural or ""
    if plural:
        forms = entry.msgstr_plural or {}
        msgstrs = tuple(forms[k] for k in sorted(forms)) or ("", "")
    else:
        msgstrs = (entry.msgstr or "",)
    occurrences = tuple(tuple(o) if isinstance(o, list) else o for o in getattr(entry, "occurrences", None) or ())
    return (obsolete, page_width, entry.msgctxt, entry.msgid, plural, msgstrs, entry.tcomment or "",
            getattr(entry, "comment", "") or "", occurrences, tuple(entry.flags), entry.previous_msgctxt,
            entry.previous_msgid, entry.previous_msgid_plural)


@lru_cache(maxsize=1 << 16)
def _render_entry(key: tuple) -> str:
    """One entry as msgcat prints it (without the blank line before it)."""
    (obsolete, page_width, msgctxt, msgid, plural, msgstrs, tcomment, comment, occurrences, flag_words,
     previous_msgctxt, previous_msgid, previous_msgid_plural) = key
    out = []
    references = [(str(f), "" if n is None else str(n)) for f, n in occurrences]
    if tcomment:
        solaris = []
        for line in tcomment.split("\n"):
            match = _SOLARIS.match(line)
            if match:
                solaris.append(match.groups())
            else:
                out.append(f"# {_comment_text(line)}\n" if line else "#\n")
        references[:0] = solaris
    if comment:
        for line in comment.split("\n"):
            out.append(f"#. {_comment_text(line)}\n" if line else "#.\n")
    if references:
        out.append(_references(tuple(references), page_width))

    flags = parse_flags(flag_words)
    words = []
    if flags.fuzzy and msgstrs[0]:
        words.append("fuzzy")
    words.extend(flags.format_words())
    if flags.range is not None and not obsolete:
        words.append(f"range: {flags.range[0]}..{flags.range[1]}")
    if flags.no_wrap:
        words.append("no-wrap")
    if words:
        out.append("#, " + ", ".join(words) + "\n")

    width = _NO_WRAP_WIDTH if flags.no_wrap else page_width
    language = flags.directive_language()
    if previous_msgid is not None:
        # gettext's grammar has no previous msgctxt or msgid_plural without a previous msgid.
        previous = "#~| " if obsolete else "#| "
        for keyword, value in (("msgctxt", previous_msgctxt), ("msgid", previous_msgid),
                               ("msgid_plural", previous_msgid_plural)):
            if value is not None:
                out.append(wrap_string(previous, keyword, value, width, language if value else None))
    prefix = "#~ " if obsolete else ""
    if msgctxt is not None:
        out.append(wrap_string(prefix, "msgctxt", msgctxt, width, language if msgctxt else None))
    out.append(wrap_string(prefix, "msgid", msgid, width, language if msgid else None))
    if plural:
        out.append(wrap_string(prefix, "msgid_plural", plural, width, language))
        for i, value in enumerate(msgstrs):
            out.append(wrap_string(prefix, f"msgstr[{i}]", value, width, language if value else None))
    else:
        out.append(wrap_string(prefix, "msgstr", msgstrs[0], width, language if msgstrs[0] else None))
    return "".join(out)


def _comment_text(line: str) -> str:
    # gettext's lexer joins a line that ends in a backslash with the next
    # one; a space after the backslash keeps the comment on its line.
    return line + " " if line.endswith("\\") else line


@lru_cache(maxsize=4096)
def _references(occurrences: tuple[tuple[str, str], ...], page_width: int = PAGE_WIDTH) -> str:
    """The ``#:`` lines: ``file:line`` tokens joined by spaces, a new line before the page width."""
    seen = set()
    tokens = []
    for name, line in occurrences:
        while name.startswith("./"):
            name = name[2:]
        line = line.strip()
        if line.isdecimal() and line.isascii():
            line = str(int(line))
        token = f"{name}:{line}" if line else name
        if token not in seen:
            seen.add(token)
            tokens.append(token)
    parts = ["#:"]
    column = 2
    for token in tokens:
        width = len(token.encode("utf-8")) + 1
        if column > 2 and column + width > page_width:
            parts.append("\n#:")
            column = 2
        parts.append(" ")
        parts.append(token)
        column += width
    parts.append("\n")
    return "".join(parts)


# ---------------------------------------------------------------------------
# The header

_CHARSET = re.compile(r"charset=([^ \t\n]*)")


def _header_entry(catalog: polib.POFile, ascii_only: bool) -> polib.POEntry | None:
    text = "".join(f"{key}: {value}\n" for key, value in (catalog.metadata or {}).items())
    text = _declare_charset(text, ascii_only)
    fuzzy = catalog.metadata_is_fuzzy
    if isinstance(fuzzy, (list, tuple)):
        flags = list(fuzzy)
    else:
        flags = ["fuzzy"] if fuzzy else []
    if not text and not catalog.header and not flags:
        return None
    return polib.POEntry(msgid="", msgstr=text, tcomment=catalog.header or "", flags=flags)


# Charsets msgcat accepts and that read pure ASCII as ASCII.
_ASCII_CHARSETS = frozenset(["ASCII", "US-ASCII", "UTF-8"] + [f"ISO-8859-{n}" for n in range(1, 16)])


def _declare_charset(header: str, ascii_only: bool) -> str:
    """The header text with a charset msgcat accepts for the UTF-8 bytes we write.

    msgcat refuses a catalog whose charset is the POT placeholder ``CHARSET``
    or a name it does not know (``utf8``), and non-ASCII text without a
    charset; other charsets would make it read our UTF-8 bytes wrongly.
    """
    match = _CHARSET.search(header)
    if match is None:
        if ascii_only:
            return header
        kept = [line for line in header.splitlines(keepends=True) if not line.startswith("Content-Type:")]
        return "".join(kept) + "Content-Type: text/plain; charset=UTF-8\n"
    charset = match.group(1).upper()
    if charset == "UTF-8" or (ascii_only and charset in _ASCII_CHARSETS):
        return header
    return header[:match.start(1)] + "UTF-8" + header[match.end(1):]


def _is_ascii(catalog: polib.POFile) -> bool:
    for entry in catalog:
        for text in (entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural, entry.tcomment,
                     entry.comment, entry.previous_msgid, entry.previous_msgctxt, entry.previous_msgid_plural):
            if text and not text.isascii():
                return False
        if entry.msgstr_plural and not all(v.isascii() for v in entry.msgstr_plural.values()):
            return False
        if entry.occurrences and not all(str(f).isascii() for f, _ in entry.occurrences):
            return False
    if catalog.header and not catalog.header.isascii():
        return False
    return all(str(k).isascii() and str(v).isascii() for k, v in (catalog.metadata or {}).items())


# ---------------------------------------------------------------------------
# Public interface


def format_catalog(catalog: polib.POFile, width: int = PAGE_WIDTH) -> str:
    """The catalog as text, byte-for-byte what GNU ``msgcat`` (gettext 0.21, default options) prints for it."""
    out: list[str] = []
    header = _header_entry(catalog, _is_ascii(catalog))
    live = [entry for entry in catalog if not entry.obsolete]
    if header is not None:
        live.insert(0, header)
    for entry in live:
        out.append(_render_entry(_entry_key(entry, False, width)))
    # msgcat prints no untranslated obsolete entry, and refuses a second
    # entry with the same msgctxt and msgid: such obsolete entries go.
    keys = {(entry.msgctxt, entry.msgid) for entry in live}
    for entry in catalog:
        if entry.obsolete and (entry.msgctxt, entry.msgid) not in keys:
            key = _entry_key(entry, True, width)
            if key[5][0]:
                keys.add((entry.msgctxt, entry.msgid))
                out.append(_render_entry(key))
    return "\n".join(out)


def write_catalog(path: Path, catalog: polib.POFile) -> bool:
    """Write the catalog as msgcat would; returns whether the file changed."""
    return atomic_write(Path(path), format_catalog(catalog).encode("utf-8"))


def read_catalog(path: Path) -> polib.POFile:
    """Read a PO/POT file into polib's objects, in one pass (see :class:`_Reader`).

    Every problem raises :class:`~l10n.errors.L10nError` with one line that
    names the file as given and the place: ``x.po:12: syntax error: ...``,
    ``x.po: byte 345: not valid UTF-8 (the charset the header declares)``
    (a 0-based byte offset), ``x.po: not found``, ``x.po: empty file is not a
    PO catalog``.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise L10nError(f"{name}: not found") from None
    except IsADirectoryError:
        raise L10nError(f"{name}: is a directory, not a PO catalog") from None
    except PermissionError:
        raise L10nError(f"{name}: permission denied") from None
    except OSError as exc:
        raise L10nError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return parse_catalog(data, name)


def parse_catalog(data: bytes, name: str) -> polib.POFile:
    """Parse the bytes of a PO/POT file; ``name`` is the file named in errors (see :func:`read_catalog`)."""
    if not data.strip():
        raise L10nError(f"{name}: empty file is not a PO catalog")
    text, charset = _decode(name, data)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return _Reader(name, charset).read(text)


# ---------------------------------------------------------------------------
# Reading

_DECLARED_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:+-]+)")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """The file's text, decoded in the charset its header declares (UTF-8 when none)."""
    head = data[:data.find(b"\nmsgid", data.find(b"msgstr"))] if b"msgstr" in data else data
    match = _DECLARED_CHARSET.search(head)
    declared = match.group(1).decode("ascii") if match else None
    charset = declared if declared and declared.upper() != "CHARSET" else "UTF-8"
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise L10nError(f"{name}: the header declares charset {declared}, which is unknown") from None
    if codec != "utf-8" and _single_byte(codec) and _utf8_multibyte(data):
        line = head.count(b"\n", 0, match.start()) + 1
        raise L10nError(f"{name}:{line}: the header declares charset {declared}, but the file is UTF-8 "
                        "(an editor saved it without changing the header); set charset=UTF-8 there")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        why = "the charset the header declares" if declared and charset == declared else "no charset declared, UTF-8 assumed"
        raise L10nError(f"{name}: byte {exc.start}: not valid {charset} ({why})") from None
    return text, codec


def _single_byte(codec: str) -> bool:
    """Whether ``codec`` gives every byte one character (ISO-8859-*, Windows-125*, KOI8 …)."""
    return len(bytes(range(256)).decode(codec, "replace")) == 256


def _utf8_multibyte(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 with at least one multi-byte sequence.

    Text in a single-byte charset almost never is: its accented letters
    stand alone, where UTF-8 needs a lead byte followed by continuation bytes.
    """
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[([0-9]+)\])?)[ \t]+(" + _STRING + r")[ \t]*\Z")
_CONTINUATION = re.compile("(" + _STRING + r")[ \t]*\Z")
_STARTS_STRING = re.compile(r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[[0-9]+\])?)?[ \t]*(" + _STRING + ")?")
_ESCAPE_PAIR = re.compile(r"\\(.?)", re.DOTALL)
_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a", "\\": "\\", '"': '"'}
_PREVIOUS_FIELDS = {"msgctxt": "previous_msgctxt", "msgid": "previous_msgid", "msgid_plural": "previous_msgid_plural"}
_IN_ENTRY = ("msgctxt", "msgid", "msgid_plural")  # states where the entry still lacks its msgstr


class _Reader:
    """One pass over a catalog: gettext's grammar checked, polib's objects built.

    The grammar: ``[msgctxt] msgid [msgid_plural] (msgstr | msgstr[0]
    msgstr[1] ...)``, each keyword followed by a string and optional
    continuation strings, the whole entry prefixed with ``#~`` when obsolete;
    comments only between entries; no two entries with the same msgctxt and
    msgid.  A line that breaks it is an error at once.

    The entries and the header are what polib's parser makes of the lines
    (flags, references, ``#|`` previous strings, metadata, even ``linenum``),
    except for what polib loses, read here as gettext reads it: translator
    (``#``) and extracted (``#.``) comments (polib drops empty ``#.`` lines
    and leading empty ``#`` lines, and gives the comments above the first
    entry to the file even when that entry is not the header), the ``#~|``
    previous strings of obsolete entries, and the ``\\a`` escape.

    polib refuses some comment lines gettext accepts, as it goes by a line's
    first word (``#foo``, ``#,fuzzy``, a bare ``#~``, ``#|`` lines it cannot
    read): the first one is reported, in polib's words, once the whole file
    has passed the grammar check.
    """

    def __init__(self, name: str, charset: str):
        self.name = name
        self.catalog = polib.POFile(fpath=name, wrapwidth=PAGE_WIDTH, encoding=charset)
        self.state = "start"  # start, msgctxt, msgid, msgid_plural, msgstr, msgstr[n]
        self.obsolete = False
        self.entry: polib.POEntry | None = None
        self.entry_line = 0
        self.plural_index = -1
        self.field = ""  # the entry's field that continuation strings add to
        self.seen: dict[tuple[str | None, str], int] = {}
        # what the comment lines before it give the next entry
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.flags: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.previous: dict[str, str] = {}  # from #| lines
        self.previous_field = ""  # the one a "#| " continuation adds to, as polib reads it
        self.obsolete_previous: dict[str, str] = {}  # from #~| lines: an obsolete entry's
        self.obsolete_previous_field = ""
        # polib starts its next entry at the first line it reads after a msgstr: the entry's linenum
        self.linenum = 0
        self.after_msgstr = False
        self.refused: str | None = None  # the first line polib refuses, as the error to report

    def fail(self, line_no: int, message: str) -> None:
        raise L10nError(f"{self.name}:{line_no}: syntax error: {message}")

    def refuse(self, line_no: int, why: str = "") -> None:
        """A line polib refuses: the error, unless the grammar check finds one anywhere in the file."""
        if self.refused is None:
            self.refused = f"{self.name}:{line_no}: syntax error" + (f": {why}" if why else "")

    def read(self, text: str) -> polib.POFile:
        for line_no, raw in enumerate(text.split("\n"), 1):
            line = raw.strip()
            if line:
                self.line(line_no, line)
        self.end_entry()
        if self.refused:
            raise L10nError(self.refused)
        return self.finish()

    def line(self, line_no: int, line: str) -> None:
        if line[0] != "#":
            self.string_line(line_no, line, False)
        elif line.startswith("#~|"):
            self.obsolete_previous_line(line_no, line)
        elif line.startswith("#~") and (len(line) == 2 or line[2] in " \t"):
            rest = line[2:].lstrip()
            if rest:
                self.string_line(line_no, rest, True)
            else:
                self.refuse(line_no)  # a bare "#~"
        else:
            self.comment_line(line_no, line)

    def string_line(self, line_no: int, line: str, obsolete: bool) -> None:
        keyword = _KEYWORD.match(line)
        if keyword:
            self.keyword(line_no, keyword.group(1), keyword.group(2), obsolete,
                         _unquote(self.name, line_no, keyword.group(3)))
            return
        string = _CONTINUATION.match(line)
        if string:
            value = _unquote(self.name, line_no, string.group(1))
            if self.state == "start" or not self.field:
                self.fail(line_no, "string without a keyword before it")
            if obsolete != self.obsolete:
                self.fail(line_no, "inconsistent use of #~ in an entry")
            if self.field == "msgstr_plural":
                self.entry.msgstr_plural[self.plural_index] += value
            else:
                setattr(self.entry, self.field, getattr(self.entry, self.field) + value)
            return
        found = _STARTS_STRING.match(line)
        if line.startswith(('"', "msgctxt", "msgid", "msgstr")) and found.group(1) is None:
            if '"' in line:
                self.fail(line_no, "unterminated string")
            self.fail(line_no, "keyword without a string")
        if found.group(1) is not None:
            self.fail(line_no, "text after the closing quote (an unescaped double quote?)")
        self.fail(line_no, f"unexpected text: {line[:40]}")

    def keyword(self, line_no: int, word: str, index: str | None, obsolete: bool, value: str) -> None:
        ended_by_a_comment = not self.after_msgstr  # polib starts its next entry at a comment after a msgstr
        self.moves_on(line_no)
        if word == "msgctxt" or (word == "msgid" and self.state != "msgctxt"):
            self.start_entry(line_no, obsolete)
        elif obsolete != self.obsolete:
            self.fail(line_no, "inconsistent use of #~ in an entry")
        elif word == "msgid":
            pass  # after msgctxt
        elif word == "msgid_plural":
            if self.state != "msgid":
                self.fail(line_no, "msgid_plural without msgid")
        elif word == "msgstr":
            if self.state == "msgid_plural":
                self.fail(line_no, "an entry with msgid_plural needs msgstr[0], msgstr[1], ...")
            if self.state != "msgid":
                self.fail(line_no, "msgstr without msgid")
        else:
            number = int(index)
            if self.state == "msgid_plural":
                self.plural_index = -1
            elif self.state != "msgstr[n]":
                self.fail(line_no, f"{word} without msgid_plural")
            elif ended_by_a_comment:
                self.refuse(line_no)  # msgstr[0] "a"  # x  msgstr[1] "b": gettext refuses it too
            if number != self.plural_index + 1 or number > 9:
                self.fail(line_no, f"{word} out of order")
            self.plural_index = number
            self.entry.msgstr_plural[number] = value
            self.state, self.field = "msgstr[n]", "msgstr_plural"
            self.after_msgstr = True
            return
        setattr(self.entry, word, value)
        self.state = self.field = word
        self.after_msgstr = word == "msgstr"

    def start_entry(self, line_no: int, obsolete: bool) -> None:
        self.end_entry()
        self.obsolete = obsolete
        self.entry_line = line_no
        entry = polib.POEntry(linenum=self.linenum, obsolete=int(obsolete),  # polib's parser sets 1 or 0
                              tcomment="\n".join(self.tcomment), comment="\n".join(self.comment),
                              flags=self.flags, occurrences=self.occurrences, **self.previous)
        if obsolete:
            for field, value in self.obsolete_previous.items():
                setattr(entry, field, value)
        self.catalog.append(entry)
        self.entry = entry
        self.tcomment, self.comment, self.flags, self.occurrences = [], [], [], []
        self.previous, self.obsolete_previous = {}, {}
        self.obsolete_previous_field = ""

    def end_entry(self) -> None:
        if self.state in _IN_ENTRY:
            self.fail(self.entry_line, "entry without msgstr")
        if self.state != "start":
            key = (self.entry.msgctxt, self.entry.msgid)
            first = self.seen.get(key)
            if first is not None:
                raise L10nError(f"{self.name}:{self.entry_line}: duplicate message definition "
                                f"(first at line {first})")
            self.seen[key] = self.entry_line
        self.state = "start"

    def moves_on(self, line_no: int) -> None:
        """polib reads a line other than a continuation string."""
        self.previous_field = ""
        if self.after_msgstr:
            self.linenum = line_no
            self.after_msgstr = False

    def comment_line(self, line_no: int, line: str) -> None:
        if self.state in _IN_ENTRY:
            self.fail(line_no, "comment inside an entry (is the msgstr missing?)")
        self.field = ""
        kind = line[1:2]
        if kind == ".":
            self.comment.append(line[3:] if line[2:3] == " " else line[2:])
        elif kind not in (":", ",", "!", "|", "~"):
            self.tcomment.append(line[2:] if kind == " " else line[1:])
        # What polib makes of the line: it goes by the first word.
        if kind == "" or kind == "#" or kind.isspace():
            self.moves_on(line_no)  # a translator comment
        elif len(line) == 2:
            if kind not in ":,.":
                self.refuse(line_no)
            # a bare "#:", "#," or "#." polib skips
        elif not line[2].isspace():
            self.refuse(line_no)  # "#foo", "#,fuzzy", ...
        elif kind == ":":
            self.moves_on(line_no)
            self.occurrences.extend(_occurrences(line[3:]))
        elif kind == ",":
            self.moves_on(line_no)
            self.flags += [flag.strip() for flag in line[3:].split(",")]
        elif kind == ".":
            self.moves_on(line_no)
        elif kind == "|":
            self.previous_line(line_no, line)
        else:  # "#! x"; "#~" and a space other than " " or "\t" (obsolete to polib, a comment to the grammar)
            self.refuse(line_no)

    def previous_line(self, line_no: int, line: str) -> None:
        """A ``#|`` line, as polib reads it: only the first and last characters of a string are checked."""
        line = _bells(line)
        words = line.split(None, 2)
        rest = line[2:].lstrip()
        if words[1].startswith('"'):
            if self.previous_field:
                self.previous[self.previous_field] += polib.unescape(rest[1:-1])
            else:
                self.refuse(line_no)  # no #| keyword line just before
        elif len(words) == 2:
            self.refuse(line_no, "invalid continuation line")
        elif words[1] not in _PREVIOUS_FIELDS:
            self.refuse(line_no, f"unknown keyword {words[1]}")
        else:
            self.moves_on(line_no)
            self.previous_field = _PREVIOUS_FIELDS[words[1]]
            self.previous[self.previous_field] = polib.unescape(rest[len(words[1]):].lstrip()[1:-1])

    def obsolete_previous_line(self, line_no: int, line: str) -> None:
        """A ``#~|`` line (polib skips them)."""
        body = line[3:].lstrip()
        match = _KEYWORD.match(body)
        if match and match.group(1) in _PREVIOUS_FIELDS:
            self.obsolete_previous_field = _PREVIOUS_FIELDS[match.group(1)]
            self.obsolete_previous[self.obsolete_previous_field] = _unquote(self.name, line_no, match.group(3))
        else:
            match = _CONTINUATION.match(body)
            if not (match and self.obsolete_previous_field):
                self.fail(line_no, "unreadable #~| line")
            self.obsolete_previous[self.obsolete_previous_field] += _unquote(self.name, line_no, match.group(1))
        if not line[3].isspace():
            self.refuse(line_no)  # "#~|msgid": not the word polib skips

    def finish(self) -> polib.POFile:
        """The header out of the entries, as polib's parser takes it out."""
        catalog = self.catalog
        header = catalog.find("")
        if header is None:
            return catalog
        catalog.remove(header)
        catalog.header = header.tcomment
        catalog.metadata_is_fuzzy = header.flags
        key = None
        for line in header.msgstr.splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                catalog.metadata[key] = value.strip()
            elif key is not None:
                catalog.metadata[key] += "\n" + line.strip()
        return catalog


def _occurrences(text: str) -> list[tuple[str, str]]:
    """The references of a ``#:`` line, as polib reads them: ``(file, line)``, line empty when not a number."""
    found = []
    for word in text.split():
        name, colon, line = word.rpartition(":")
        found.append((name, line) if colon and line.isdigit() else (word, ""))
    return found


def _unescape_pair(pair: re.Match) -> str:
    return _UNESCAPES[pair.group(1)]


def _unquote(name: str, line_no: int, quoted: str) -> str:
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    try:
        return _ESCAPE_PAIR.sub(_unescape_pair, inner)
    except KeyError:
        bad = next(pair for pair in _ESCAPE_PAIR.finditer(inner) if pair.group(1) not in _UNESCAPES)
        raise L10nError(f"{name}:{line_no}: syntax error: escape sequence {bad.group(0)} is not supported") from None


def _bells(text: str) -> str:
    """``\\a`` escapes (BEL, which gettext writes) made the character itself: polib does not know them."""
    return _ESCAPE_PAIR.sub(lambda m: "\a" if m.group(1) == "a" else m.group(0), text) if "\\a" in text else text
