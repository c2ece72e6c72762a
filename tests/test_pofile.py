"""PO files as GNU gettext writes them: our bytes against the real msgcat and msgfmt.

The property test writes random catalogs and asks ``msgcat`` (gettext 0.21) to
print them again: the bytes must not change, and ``msgfmt -c`` must accept
them.  The line breaking underneath is also compared, where the library can
be loaded, with libunistring itself, which is what gettext calls.
"""

from __future__ import annotations

import ctypes
import random
import re
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n.errors import L10nError
from l10n.po import format_catalog, linebreak, read_catalog, write_catalog
from l10n.po.wrap import escape_overrides

HEADER = {
    "Project-Id-Version": "news",
    "POT-Creation-Date": "2026-01-01 00:00+0000",
    "PO-Revision-Date": "2026-01-02 10:00+0000",
    "Last-Translator": "Anna <anna@example.org>",
    "Language-Team": "English",
    "Language": "en",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
    "X-Generator": "l10n 0.1.0",
}
SOURCE = "source/open-source-ki-deepseek.txt"


def msgcat(path: Path, *options: str) -> bytes:
    done = subprocess.run(["msgcat", *options, str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def msgfmt_check(path: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def new_catalog(header_comment: str = "English translation of source/open-source-ki-deepseek.txt.") -> polib.POFile:
    po = polib.POFile()
    po.header = header_comment
    po.metadata = dict(HEADER)
    return po


def assert_msgcat_keeps(tmp_path: Path, po: polib.POFile, to_file: bool = True) -> bytes:
    """Write the catalog; msgcat (to stdout, and with -o) must give the same bytes; msgfmt -c must pass."""
    path = tmp_path / "x.po"
    write_catalog(path, po)
    ours = path.read_bytes()
    assert_reads_as_polib(path)
    # A catalog of nothing but its header: msgcat writes nothing unless forced.
    options = [] if b"\n\n" in ours else ["--force-po"]
    assert msgcat(path, *options).decode() == ours.decode()
    if to_file:
        out = tmp_path / "again.po"
        subprocess.run(["msgcat", *options, "-o", str(out), str(path)], check=True, capture_output=True)
        assert out.read_bytes() == ours
    msgfmt_check(path)
    return ours


# ---------------------------------------------------------------------------
# read_catalog reads what polib's own parser reads, and the comments it loses


PREVIOUS = ("previous_msgctxt", "previous_msgid", "previous_msgid_plural")


def polib_reading(path: Path, encoding: str, obsolete_previous: bool = False) -> polib.POFile:
    """polib's own parse of the file, told about the ``\\a`` escape, which it does not know.

    Lines are split at newlines only, as gettext splits them (polib's own
    reading of a file also splits at form feeds, U+2028 and the like inside
    strings).  With ``obsolete_previous``, the ``#~|`` lines that polib
    skips are given to it as ``#|`` lines.
    """
    text = path.read_bytes().decode(encoding).removeprefix("\ufeff").replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        start = line.lstrip()
        if obsolete_previous and start.startswith("#~|"):
            line = "#|" + start[3:]
        if not start.startswith("#") or start.startswith(("#~", "#|")):
            line = re.sub(r"\\(.)", lambda m: "\a" if m[1] == "a" else m[0], line)
        lines.append(line)
    parser = polib._POFileParser("\n".join(lines), encoding=encoding)  # noqa: SLF001 - polib.pofile() splits more
    parser.fhandle = lines
    return parser.parse()


def comments_as_written(path: Path) -> list[tuple[str, str]]:
    """Translator and extracted comments of each entry (header first), for catalogs of blank-line separated entries."""
    text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    found = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n")]
        if any(re.match(r"(#~ )?msgid ", line) for line in lines):
            found.append(("\n".join(line[2:] if line.startswith("# ") else line[1:]
                                    for line in lines if line == "#" or line.startswith("# ")),
                          "\n".join(line[3:] if line.startswith("#. ") else line[2:]
                                    for line in lines if line.startswith("#."))))
    return found


def assert_reads_as_polib(path: Path) -> polib.POFile:
    """read_catalog gives every field polib's parser gives, and the comments and ``#~|`` lines it loses.

    The catalog's entries must be separated by blank lines, with the header
    first when it has one.
    """
    ours = read_catalog(path)
    theirs = polib_reading(path, ours.encoding)
    with_previous = theirs
    if b"#~|" in path.read_bytes():
        with_previous = polib_reading(path, ours.encoding, obsolete_previous=True)
    assert (ours.fpath, ours.wrapwidth, ours.encoding) == (str(path), 79, theirs.encoding)
    assert (ours.metadata, ours.metadata_is_fuzzy) == (theirs.metadata, theirs.metadata_is_fuzzy)
    assert len(ours) == len(theirs) == len(with_previous)
    comments = comments_as_written(path)
    if theirs.metadata_is_fuzzy != 0:  # there is a header entry
        assert ours.header == comments.pop(0)[0]
    else:
        assert ours.header == ""
    assert len(comments) == len(ours)
    for entry, expected, previous, (tcomment, comment) in zip(ours, theirs, with_previous, comments):
        fields = dict(vars(expected), tcomment=tcomment, comment=comment)
        if entry.obsolete:
            fields.update({name: getattr(previous, name) for name in PREVIOUS})
        assert vars(entry) == fields
    return ours


# ---------------------------------------------------------------------------
# A realistic catalog, byte for byte

GOLDEN = r'''# English translation of source/open-source-ki-deepseek.txt.
# Mark an entry reviewed by removing its fuzzy flag.
msgid ""
msgstr ""
"Project-Id-Version: news\n"
"POT-Creation-Date: 2026-01-01 00:00+0000\n"
"PO-Revision-Date: 2026-01-02 10:00+0000\n"
"Last-Translator: Anna <anna@example.org>\n"
"Language-Team: English\n"
"Language: en\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"X-Generator: l10n 0.1.0\n"

#. title
#. heading
#: source/open-source-ki-deepseek.txt:1 source/open-source-ki-deepseek.txt:3
msgid "Was bedeutet Open-Source-KI und warum ist DeepSeek anders?"
msgstr "What is open-source AI and why is DeepSeek different?"

#. list item
#: source/open-source-ki-deepseek.txt:4
msgid ""
"DeepSeek hat die KI-Branche aufgemischt und ChatGPT überholt, um die am "
"häufigsten heruntergeladene kostenlose App im US-amerikanischen Apple App "
"Store zu werden."
msgstr ""
"DeepSeek has shaken up the AI industry and overtaken ChatGPT to become the "
"most downloaded free app on the US Apple App Store."

#: source/open-source-ki-deepseek.txt:6
#, fuzzy
#| msgid ""
#| "Die Initiative „AI for Industry Transformation“ des Weltwirtschaftsforums "
#| "untersucht Herausforderungen und Chancen KI-gestützter Innovationen."
msgid ""
"Die Initiative „AI for Industry Transformation“ des Weltwirtschaftsforums "
"untersucht die Herausforderungen und Chancen KI-gestützter Innovationen."
msgstr ""
"The World Economic Forum’s “AI for Industry Transformation” initiative looks "
"at the challenges and opportunities of AI-driven innovation."

#: source/open-source-ki-deepseek.txt:10
msgid ""
"Das ist zumindest die Meinung von Marc Andreessen, einem bekannten "
"Risikokapitalgeber im Technologiebereich."
msgstr ""

# checked by Anna
#: source/open-source-ki-deepseek.txt:12
msgid ""
"Laut einer Umfrage nutzen 42\u00a0% der Unternehmen\u00a0– vor allem in Europa\u00a0– "
"bereits KI-Werkzeuge; die Kosten liegen bei rund 20\u00a0000\u00a0€ pro Jahr."
msgstr ""
"According to a survey, 42\u00a0% of companies\u00a0– especially in Europe\u00a0– already "
"use AI tools; the costs are around €20,000 a year."

#. caption
#: source/open-source-ki-deepseek.txt:14 source/open-source-ki-deepseek.txt:30
#: source/open-source-ki-deepseek.txt:52
msgid "Bildquelle: Stanford University"
msgstr "Image source: Stanford University"

#~ msgid "Dritter Satz fällt weg."
#~ msgstr "Third sentence is dropped."
'''.replace("\\u00a0", "\u00a0")


def realistic_catalog() -> polib.POFile:
    po = new_catalog("English translation of source/open-source-ki-deepseek.txt.\n"
                     "Mark an entry reviewed by removing its fuzzy flag.")
    entry = polib.POEntry
    po.append(entry(msgid="Was bedeutet Open-Source-KI und warum ist DeepSeek anders?",
                    msgstr="What is open-source AI and why is DeepSeek different?", comment="title\nheading",
                    occurrences=[(SOURCE, "1"), (SOURCE, "3")]))
    po.append(entry(msgid="DeepSeek hat die KI-Branche aufgemischt und ChatGPT überholt, um die am häufigsten "
                          "heruntergeladene kostenlose App im US-amerikanischen Apple App Store zu werden.",
                    msgstr="DeepSeek has shaken up the AI industry and overtaken ChatGPT to become the most "
                           "downloaded free app on the US Apple App Store.",
                    comment="list item", occurrences=[(SOURCE, "4")]))
    po.append(entry(msgid="Die Initiative „AI for Industry Transformation“ des Weltwirtschaftsforums untersucht die "
                          "Herausforderungen und Chancen KI-gestützter Innovationen.",
                    msgstr="The World Economic Forum’s “AI for Industry Transformation” initiative looks at the "
                           "challenges and opportunities of AI-driven innovation.",
                    flags=["fuzzy"], occurrences=[(SOURCE, "6")],
                    previous_msgid="Die Initiative „AI for Industry Transformation“ des Weltwirtschaftsforums "
                                   "untersucht Herausforderungen und Chancen KI-gestützter Innovationen."))
    po.append(entry(msgid="Das ist zumindest die Meinung von Marc Andreessen, einem bekannten Risikokapitalgeber "
                          "im Technologiebereich.", msgstr="", occurrences=[(SOURCE, "10")]))
    po.append(entry(msgid="Laut einer Umfrage nutzen 42\u00a0% der Unternehmen\u00a0– vor allem in Europa\u00a0– bereits "
                          "KI-Werkzeuge; die Kosten liegen bei rund 20\u00a0000\u00a0€ pro Jahr.",
                    msgstr="According to a survey, 42\u00a0% of companies\u00a0– especially in Europe\u00a0– already use "
                           "AI tools; the costs are around €20,000 a year.",
                    tcomment="checked by Anna", occurrences=[(SOURCE, "12")]))
    po.append(entry(msgid="Bildquelle: Stanford University", msgstr="Image source: Stanford University",
                    comment="caption", occurrences=[(SOURCE, "14"), (SOURCE, "30"), (SOURCE, "52")]))
    po.append(entry(msgid="Dritter Satz fällt weg.", msgstr="Third sentence is dropped.", obsolete=True))
    return po


@pytest.mark.gettext
def test_realistic_catalog_is_what_msgcat_prints(tmp_path: Path):
    po = realistic_catalog()
    assert format_catalog(po) == GOLDEN
    assert assert_msgcat_keeps(tmp_path, po) == GOLDEN.encode()


def test_write_catalog_reports_whether_the_file_changed(tmp_path: Path):
    path = tmp_path / "de" / "x.po"
    po = realistic_catalog()
    assert write_catalog(path, po) is True
    assert write_catalog(path, po) is False
    po[0].msgstr = "What does open-source AI mean?"
    assert write_catalog(path, po) is True


# ---------------------------------------------------------------------------
# What msgcat normalises, and the corners of its layout


def entry_text(po: polib.POFile, index: int = 0) -> str:
    """The printed entry number ``index`` (after the header), with its final newline."""
    return format_catalog(po).split("\n\n")[index + 1].rstrip("\n") + "\n"


@pytest.mark.gettext
def test_flags_as_msgcat_orders_and_filters_them(tmp_path: Path):
    po = new_catalog()
    po.append(polib.POEntry(msgid="a", msgstr="b", flags=[
        "no-wrap", "unknown-flag", "php-format", "possible-c-format", "fuzzy", "range: 1..5", "no-python-format"]))
    po.append(polib.POEntry(msgid="c", msgstr="", flags=["fuzzy", "wrap"]))
    po.append(polib.POEntry(msgid="d", msgstr="e", flags=["no-wrap", "wrap"]))
    assert entry_text(po, 0).startswith("#, fuzzy, c-format, no-python-format, php-format, range: 1..5, no-wrap\n")
    assert entry_text(po, 1) == 'msgid "c"\nmsgstr ""\n'  # fuzzy without a translation goes
    assert entry_text(po, 2) == 'msgid "d"\nmsgstr "e"\n'  # the later flag wins
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_references_wrap_at_the_page_width_without_duplicates(tmp_path: Path):
    po = new_catalog()
    refs = [("./source/a.txt", "1"), ("source/a.txt", "1"), ("source/a.txt", "007")]
    refs += [(f"source/artikel-{i:05d}.txt", str(i)) for i in range(12)] + [("README", "")]
    po.append(polib.POEntry(msgid="a", msgstr="b", occurrences=refs))
    text = entry_text(po)
    lines = text.splitlines()[:-2]
    assert lines[0] == "#: source/a.txt:1 source/a.txt:7 source/artikel-00000.txt:0"
    assert all(line.startswith("#: ") and len(line) <= 79 for line in lines)
    assert lines[-1].endswith(" README")
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_no_wrap_and_newlines(tmp_path: Path):
    long = "Dies ist ein sehr langer Satz, der eigentlich umbrochen werden müsste, weil er wirklich lang ist."
    po = new_catalog()
    po.append(polib.POEntry(msgid=long, msgstr=long, flags=["no-wrap"]))
    po.append(polib.POEntry(msgid="Titel\n\nErster Absatz.\n", msgstr="Title\n\nFirst paragraph.\n"))
    po.append(polib.POEntry(msgid="x" * 74 + " \n", msgstr="y\n"))
    assert entry_text(po, 0) == f'#, no-wrap\nmsgid "{long}"\nmsgstr "{long}"\n'
    assert entry_text(po, 1).startswith('msgid ""\n"Titel\\n"\n"\\n"\n"Erster Absatz.\\n"\n')
    # the only opportunity is just before the final "\n", where gettext never breaks: an overlong line
    assert entry_text(po, 2).startswith('msgid "' + "x" * 74 + ' \\n"\n')
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_breaks_fall_after_spaces_and_hyphens_never_inside_escapes(tmp_path: Path):
    po = new_catalog()
    word = "Donaudampfschifffahrtsgesellschaftskapitäns"
    po.append(polib.POEntry(msgid=f"{word}-Open-Source-KI-{word}-Mützenabzeichen-Herstellerverband-Mitglieder",
                            msgstr=""))
    po.append(polib.POEntry(msgid='Er sagte: "' + "a\\b" * 30 + '" und ging.', msgstr=""))
    first = entry_text(po, 0).splitlines()
    assert first[1].endswith('-"') and first[2].endswith('-"')
    second = entry_text(po, 1).splitlines()
    assert all(not line[:-1].endswith("\\") or line[:-1].endswith("\\\\") for line in second)
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_obsolete_entries_as_msgcat_keeps_them(tmp_path: Path):
    po = new_catalog()
    po.append(polib.POEntry(msgid="live", msgstr="lebendig"))
    po.append(polib.POEntry(msgid="gone, untranslated", msgstr="", obsolete=True))
    po.append(polib.POEntry(msgid="live", msgstr="doppelt", obsolete=True))
    po.append(polib.POEntry(msgid="Obsolet ist ein sehr langer Satz, der nun umbrochen wird, weil er lang ist.",
                            msgstr="old", obsolete=True, flags=["fuzzy", "range: 1..2", "c-format"],
                            previous_msgid="Ein vorheriger Text", tcomment="note"))
    text = format_catalog(po)
    assert "gone" not in text and "doppelt" not in text
    assert text.endswith('# note\n#, fuzzy, c-format\n#~| msgid "Ein vorheriger Text"\n#~ msgid ""\n'
                         '#~ "Obsolet ist ein sehr langer Satz, der nun umbrochen wird, weil er lang "\n'
                         '#~ "ist."\n#~ msgstr "old"\n')
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_what_gettext_cannot_read_is_printed_the_way_it_reads_it(tmp_path: Path):
    po = new_catalog()
    # a comment ending in a backslash would swallow the next line
    po.append(polib.POEntry(msgid="a", msgstr="b", tcomment="C:\\Pfad\\", comment="x\\"))
    # a previous msgctxt needs a previous msgid
    po.append(polib.POEntry(msgid="c", msgstr="d", previous_msgctxt="ctx"))
    # a Solaris-style comment is a reference to gettext
    po.append(polib.POEntry(msgid="e", msgstr="f", tcomment="File: x.c, line:12\nFile: z.c, line: 1", occurrences=[("y.c", "3")]))
    assert entry_text(po, 0) == '# C:\\Pfad\\ \n#. x\\ \nmsgid "a"\nmsgstr "b"\n'
    assert entry_text(po, 1) == 'msgid "c"\nmsgstr "d"\n'
    assert entry_text(po, 2) == "# File: z.c, line: 1\n#: x.c:12 y.c:3\nmsgid \"e\"\nmsgstr \"f\"\n"
    assert_msgcat_keeps(tmp_path, po)


@pytest.mark.gettext
def test_non_utf8_charsets_are_declared_utf8(tmp_path: Path):
    po = new_catalog()
    po.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    po.append(polib.POEntry(msgid="Grüße", msgstr="Greetings"))
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in format_catalog(po)
    del po.metadata["Content-Type"]
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in format_catalog(po)
    assert_msgcat_keeps(tmp_path, po)
    # msgcat refuses the POT placeholder even in a pure ASCII catalog
    pot = new_catalog()
    pot.metadata["Content-Type"] = "text/plain; charset=CHARSET"
    pot.append(polib.POEntry(msgid="Hello", msgstr=""))
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in format_catalog(pot)
    assert_msgcat_keeps(tmp_path, pot)


@pytest.mark.gettext
def test_plurals_context_and_format_directives(tmp_path: Path):
    po = new_catalog()
    po.append(polib.POEntry(msgctxt="Menü", msgid="%d neue Nachricht", msgid_plural="%d neue Nachrichten",
                            msgstr_plural={0: "%d new message", 1: "%d new messages"}, flags=["c-format"]))
    # "% d" is a C directive (space flag): gettext does not break inside it
    text = "x" * 70 + " 50 % der Leser"
    po.append(polib.POEntry(msgid=text, msgstr=text, flags=["c-format"]))
    po.append(polib.POEntry(msgid=text, msgstr=text, msgctxt="plain"))
    assert entry_text(po, 1).splitlines()[2:4] == ['"' + "x" * 70 + ' 50 "', '"% der Leser"']
    assert entry_text(po, 2).splitlines()[2:4] == ['"' + "x" * 70 + ' 50 % "', '"der Leser"']
    assert_msgcat_keeps(tmp_path, po)


# ---------------------------------------------------------------------------
# Random catalogs against msgcat and msgfmt -c

WORDS = [
    "der", "die", "und", "Künstliche", "Intelligenz", "Straße", "größer", "ÄÖÜäöüß", "Open-Source-KI",
    "KI-gestützter", "E-Mail-Adresse", "„Sputnik-Moment“", "‚klein‘", "«Guillemets»", "DeepSeek",
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellerverband", "x" * 85,
    "https://www.weforum.org/stories/2025/02/open-source-ai-innovation-deepseek/", "und/oder", "z.\u00a0B.",
    "2025", "3,5", "1.000.000", "20\u00a0000\u00a0€", "42\u00a0%", "–", "—", "…", "(Klammer)", "[eckig]",
    "Frage?", "Ausruf!", "Semikolon;", "Doppelpunkt:", '"zitiert"', "back\\slash", "Tab\tTab", "\\", '"',
    "中文字符", "日本語のテキスト", "한국어", "e\u0301", "a\u0308", "👩\u200d💻", "🇩🇪", "😀", "שלום",
    "Ελληνικά", "\u00ad", "\u2009", "100\u202f%",
]
SEPARATORS = [" ", " ", " ", " ", "  ", "\u00a0", "\n", "\t", ""]
FORMAT_WORDS = ["Datei", "%s", "%d", "% d", "%-5.2f", "%%", "Wert", "Open-Source-KI", " "]


@st.composite
def prose(draw, max_words: int = 30, words: list[str] = WORDS) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(words), st.sampled_from(SEPARATORS)), max_size=max_words))
    return "".join(w + s for w, s in parts)


@st.composite
def comment_text(draw) -> str:
    lines = draw(st.lists(prose(max_words=8).map(lambda s: " ".join(s.split())), min_size=1, max_size=3))
    return "\n".join(lines)


def like(msgid: str, msgstr: str) -> str:
    """``msgstr`` changed to begin and end with a newline exactly when ``msgid`` does (msgfmt -c)."""
    msgstr = msgstr.strip("\n") or "x"
    return ("\n" if msgid.startswith("\n") else "") + msgstr + ("\n" if msgid.endswith("\n") else "")


@st.composite
def entries(draw, index: int) -> polib.POEntry:
    kind = draw(st.sampled_from(["plain", "plain", "plain", "format", "plural"]))
    if kind == "format":
        language = draw(st.sampled_from(["c", "python"]))
        msgid = draw(prose(words=FORMAT_WORDS)) + f" #{index}"
        msgstr = draw(st.sampled_from([msgid, ""]))
        flags = [f"{language}-format"]
    else:
        msgid = draw(prose()) + f" #{index}"
        msgstr = draw(st.one_of(st.just(""), prose().map(lambda s: like(msgid, s))))
        flags = draw(st.lists(st.sampled_from(["no-wrap", "no-c-format", "wrap", "range: 1..3", "x-flag"]),
                              max_size=2))
    if draw(st.booleans()) and (msgstr or kind == "plural"):
        flags.insert(draw(st.integers(0, len(flags))), "fuzzy")
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags)
    if kind == "plural":
        entry.msgid_plural = msgid + " (plural)"
        forms = draw(st.one_of(st.just(["", ""]), st.lists(prose().map(lambda s: like(msgid, s)),
                                                             min_size=2, max_size=2)))
        entry.msgstr = ""
        entry.msgstr_plural = dict(enumerate(forms))
    if draw(st.integers(0, 9)) < 2:
        entry.msgctxt = draw(prose(max_words=4))
    if draw(st.integers(0, 9)) < 3:
        entry.tcomment = draw(comment_text())
    if draw(st.integers(0, 9)) < 3:
        entry.comment = draw(comment_text())
    if draw(st.integers(0, 9)) < 6:
        names = st.sampled_from(["source/a.txt", "./source/b.txt", "source/" + "lang" * 12 + ".txt", "README"])
        lines = st.one_of(st.integers(1, 99999).map(str), st.just(""))
        entry.occurrences = draw(st.lists(st.tuples(names, lines), min_size=1, max_size=25))
    if draw(st.integers(0, 9)) < 2:
        entry.previous_msgid = draw(prose())
        if draw(st.booleans()):
            entry.previous_msgctxt = draw(prose(max_words=3))
    entry.obsolete = draw(st.integers(0, 9)) < 2
    return entry


@st.composite
def catalogs(draw) -> polib.POFile:
    po = new_catalog(draw(comment_text()))
    if draw(st.integers(0, 9)) == 0:
        po.metadata_is_fuzzy = ["fuzzy"]
    for index in range(draw(st.integers(0, 12))):
        po.append(draw(entries(index)))
    return po


@pytest.mark.gettext
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(po=catalogs())
def test_random_catalogs_are_what_msgcat_prints(tmp_path_factory, po: polib.POFile):
    tmp_path = tmp_path_factory.mktemp("random")
    ours = assert_msgcat_keeps(tmp_path, po, to_file=False)
    # and reading it back gives the same catalog
    assert format_catalog(read_catalog(tmp_path / "x.po")).encode() == ours


# ---------------------------------------------------------------------------
# Round trip


def test_round_trip_gives_equal_entries(tmp_path: Path):
    po = realistic_catalog()
    po.append(polib.POEntry(msgctxt="Menü", msgid="%d Datei", msgid_plural="%d Dateien",
                            msgstr_plural={0: "%d file", 1: "%d files"}, flags=["c-format"],
                            occurrences=[("src/app.c", "12")], tcomment="zwei\nZeilen"))
    po.append(polib.POEntry(msgid="Alt", msgstr="Old", obsolete=True, flags=["fuzzy"],
                            previous_msgctxt="vorher", previous_msgid="Älter"))
    po.append(polib.POEntry(msgid='Tab\tund "Zitat" und \\ und\nZeile', msgstr='Tab\tand "quote" and \\ and\nline'))
    path = tmp_path / "x.po"
    write_catalog(path, po)
    back = read_catalog(path)
    fields = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "tcomment", "comment", "occurrences",
              "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete")
    assert len(back) == len(po)
    in_file_order = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    for old, new in zip(in_file_order, back):
        assert {f: getattr(new, f) for f in fields} == {f: getattr(old, f) for f in fields}
    assert back.metadata == po.metadata and back.header == po.header
    assert format_catalog(back) == format_catalog(po)


# ---------------------------------------------------------------------------
# read_catalog: one line per problem, naming the file and the place


def read_error(path: Path) -> str:
    with pytest.raises(L10nError) as caught:
        read_catalog(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_read_errors_name_the_file_and_the_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    po = Path("locales/en/LC_MESSAGES/x.po")
    po.parent.mkdir(parents=True)
    good = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    cases = {
        'msgid "a"\nmsgstr "b\n': "locales/en/LC_MESSAGES/x.po:2: syntax error: unterminated string",
        'msgid "a"\nmsgstr "b" c"\n':
            "locales/en/LC_MESSAGES/x.po:2: syntax error: text after the closing quote (an unescaped double quote?)",
        good + '\nmsgid "c"\n': "locales/en/LC_MESSAGES/x.po:7: syntax error: entry without msgstr",
        good + 'msgstr "c"\n': "locales/en/LC_MESSAGES/x.po:6: syntax error: msgstr without msgid",
        good + '\nmsgid "a"\nmsgstr "c"\n':
            "locales/en/LC_MESSAGES/x.po:7: duplicate message definition (first at line 4)",
        good + '\nBlabla\n': "locales/en/LC_MESSAGES/x.po:7: syntax error: unexpected text: Blabla",
        good + '\nmsgid "x\\q"\nmsgstr ""\n':
            "locales/en/LC_MESSAGES/x.po:7: syntax error: escape sequence \\q is not supported",
        good + '\n#~ msgid "y"\nmsgstr "z"\n':
            "locales/en/LC_MESSAGES/x.po:8: syntax error: inconsistent use of #~ in an entry",
        # comment lines polib refuses, as it goes by the first word of a line: in its words
        good + '\n#,fuzzy\nmsgid "c"\nmsgstr "d"\n': "locales/en/LC_MESSAGES/x.po:7: syntax error",
        good + '\n#| foo "x"\nmsgid "c"\nmsgstr "d"\n':
            "locales/en/LC_MESSAGES/x.po:7: syntax error: unknown keyword foo",
        good + '\n#| msgid\nmsgid "c"\nmsgstr "d"\n': "locales/en/LC_MESSAGES/x.po:7: syntax error: invalid continuation line",
        # the grammar's errors come first, wherever they are
        good + '\n#,fuzzy\nmsgid "c"\nmsgstr "d"\nmsgstr "e"\n':
            "locales/en/LC_MESSAGES/x.po:10: syntax error: msgstr without msgid",
        # gettext refuses these too (polib misread them)
        good + '#| "x"\n': "locales/en/LC_MESSAGES/x.po:6: syntax error",
        good + '\nmsgid "c"\nmsgid_plural "cs"\nmsgstr[0] "d"\n# x\nmsgstr[1] "e"\n':
            "locales/en/LC_MESSAGES/x.po:11: syntax error",
    }
    for text, message in cases.items():
        po.write_text(text, encoding="utf-8")
        assert read_error(po) == message


@pytest.mark.gettext
def test_what_polib_misreads_is_read_as_msgcat_reads_it(tmp_path: Path):
    path = tmp_path / "x.po"
    good = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    for tail in ["#.\n",  # polib lost the last entry after a line it skips
                 '\nmsgid "c"\nmsgid_plural "cs"\nmsgstr[0] "d"\nmsgstr[01] "e"\n']:  # polib: msgstr[0] "e"
        path.write_text(good + tail, encoding="utf-8")
        assert format_catalog(read_catalog(path)).encode() == msgcat(path)
    # msgcat refuses a #~| line with no entry after it; polib lost the entry before it
    path.write_text(good + '#~| msgid "p"\n', encoding="utf-8")
    assert [(e.msgid, e.msgstr) for e in read_catalog(path)] == [("a", "b")]


def test_read_errors_about_bytes_and_files(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    header = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    Path("x.po").write_bytes(header + b'msgid "Gr\xfc\xdfe"\nmsgstr ""\n')
    assert read_error(Path("x.po")) == f"x.po: byte {len(header) + 9}: not valid UTF-8 (the charset the header declares)"
    Path("y.po").write_bytes(b'msgid "Gr\xc3"\nmsgstr ""\n')
    assert read_error(Path("y.po")) == "y.po: byte 9: not valid UTF-8 (no charset declared, UTF-8 assumed)"
    assert read_error(Path("missing.po")) == "missing.po: not found"
    Path("empty.po").write_bytes(b"")
    assert read_error(Path("empty.po")) == "empty.po: empty file is not a PO catalog"
    Path("blank.po").write_bytes(b"\n \n")
    assert read_error(Path("blank.po")) == "blank.po: empty file is not a PO catalog"
    Path("dir.po").mkdir()
    assert read_error(Path("dir.po")) == "dir.po: is a directory, not a PO catalog"
    Path("z.po").write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NO-SUCH\\n"\n')
    assert read_error(Path("z.po")) == "z.po: the header declares charset NO-SUCH, which is unknown"


def test_read_catalog_decodes_the_declared_charset(tmp_path: Path):
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
                     b'msgid "Gr\xfc\xdfe"\nmsgstr "Greetings"\n')
    po = read_catalog(path)
    assert [(e.msgid, e.msgstr) for e in po] == [("Grüße", "Greetings")]


# ---------------------------------------------------------------------------
# The line breaking itself, against libunistring (what gettext calls)


def libunistring():
    """The functions gettext 0.21 calls, from libunistring 1.0 (the version our tables come from)."""
    try:
        lib = ctypes.CDLL("libunistring.so.2")
        version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
        possible = lib.u8_possible_linebreaks_v2
        fitted = lib.u8_width_linebreaks_v2
    except (OSError, AttributeError, ValueError):
        pytest.skip("libunistring is not loadable here")
    major, minor = version >> 16, (version >> 8) & 0xFF  # 0xMMmmss
    if (major, minor) != (1, 0):
        pytest.skip(f"libunistring {major}.{minor} here, the tables are those of 1.0")
    possible.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
    fitted.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                       ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    fitted.restype = ctypes.c_int
    return possible, fitted


def test_line_breaking_agrees_with_libunistring():
    possible, fitted = libunistring()
    props = linebreak.tables()[0]
    # two characters of every class, and the ones of our texts
    by_class: dict[int, list[str]] = {}
    for code in [*range(0x3000), *range(0xA000, 0x30000, 5)]:
        if not 0xD800 <= code < 0xE000 and code and len(by_class.setdefault(props[code], [])) < 3:
            by_class[props[code]].append(chr(code))
    alphabet = [c for chars in by_class.values() for c in chars] + list(" aäß-–—„“”.,/%€0\u00a0\\\"")
    rng = random.Random(2025)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        data = text.encode()
        starts = [len(text[:i].encode()) for i in range(len(text))]
        out = ctypes.create_string_buffer(len(data))
        possible(data, len(data), b"UTF-8", out)
        assert [out.raw[i] for i in starts] == linebreak.possible_linebreaks(text), repr(text)
        width, column = rng.randint(1, 20), rng.randint(0, 10)
        overrides = {i: linebreak.PROHIBITED for i in range(len(text)) if rng.random() < 0.1}
        raw_overrides = bytearray(len(data))
        for i in overrides:
            raw_overrides[starts[i]] = linebreak.PROHIBITED
        end = fitted(data, len(data), width, column, 0, bytes(raw_overrides), b"UTF-8", out)
        codes, our_end = linebreak.width_linebreaks(text, width, column, 0, overrides)
        assert ([out.raw[i] for i in starts], end) == (codes, our_end), repr(text)


def test_the_shortcut_agrees_with_the_faithful_loop():
    rng = random.Random(7)
    pieces = WORDS + [" ", " ", "  ", "\\n", '\\"', "\\\\", "-"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        text = text.replace("\n", " ").replace("\t", " ")
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        found = linebreak.breaks_and_columns(escaped)
        if found is None:
            continue
        width, column = rng.randint(5, 60), rng.randint(0, 12)
        codes, _ = linebreak.width_linebreaks(escaped, width, column, 0, escape_overrides(escaped))
        assert linebreak.fit(*found, width, column) == [i for i, c in enumerate(codes) if c == linebreak.POSSIBLE]
        assert found[2] == linebreak.display_width(escaped)


def test_one_column_ranges_and_widths():
    widths = linebreak.tables()[1]
    for low, high in linebreak.ONE_COLUMN_RANGES:
        assert set(widths[low:high + 1]) == {1}
    assert [linebreak.char_width(c) for c in "a\u00a0中\u0301\u00ad😀\x01"] == [1, 1, 2, 0, 0, 2, 0]
    assert linebreak.display_width("Grüße, 中文 e\u0301") == 13
