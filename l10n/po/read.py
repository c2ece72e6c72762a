"""Reading PO/POT catalogs: a file's bytes in, the objects polib's parser would make of them out.

:func:`read_catalog` reads a file in one pass into the objects polib's
parser would make of it, checking gettext's grammar on the way, so that
every problem becomes one :class:`~l10n.errors.L10nError` line naming the
file and the line (or byte).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import polib

from ..errors import L10nError
from .wrap import PAGE_WIDTH


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
