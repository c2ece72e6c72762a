"""Writing PO/POT catalogs: polib objects in, GNU gettext's bytes out.

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
  opportunities (:mod:`l10n.po.linebreak`) to fit 79 columns, with the
  ``msgid ""`` first line when a string wraps or holds an inner newline;
  ``no-wrap`` turns wrapping off, and with a ``c-format``, ``objc-format``
  or ``python-format`` flag no break falls inside a format directive
  (directives of the other format languages are not analysed);
- the header declares charset UTF-8 (we write UTF-8), unless the catalog
  is pure ASCII and declares a charset msgcat accepts: msgcat refuses the
  POT placeholder ``CHARSET`` and non-ASCII text without a charset;
- a catalog that is nothing but its header: msgcat prints nothing at all
  (unless given ``--force-po``); we print the header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import polib

from ..fsutil import atomic_write
from .wrap import _INT_MAX, _NO_WRAP_WIDTH, PAGE_WIDTH, wrap_string

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


@lru_cache(maxsize=1 << 13)  # bounded: a run over many catalogs must not grow with them
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
