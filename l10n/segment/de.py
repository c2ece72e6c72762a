"""German sentence segmentation for news paragraphs, and the German words of image credits.

A small rule-based splitter with no dependency, chosen over the candidate
libraries (pysbd, SoMaJo, syntok, sentencex, blingfire) by measurement: it is
more accurate on German news text than any of them and faster than all but
sentencex (compiled; ours takes a few microseconds per paragraph and is
memoised); see ``benchmarks/segmenters.md`` for the figures.

How a paragraph is split:

* a blank line ends a sentence; a single line break is whitespace like any
  other (a paragraph may be hard-wrapped);
* a candidate boundary is a run of ``.``, ``!``, ``?`` or ``…`` plus any closing
  quotes/brackets, followed by whitespace;
* no boundary lies inside a closed quotation („…“, »…«, «…», “…”, ‚…‘, "…")
  or a closed parenthesis/bracket, nor before a lower-case word, nor after a
  mark in parentheses such as ``(!)`` or ``[…]``;
* after ``!``, ``?``, ``…``, ``...`` or a closing quote/bracket the boundary is
  taken;
* after a single ``.`` the word before it decides: known abbreviations never
  end a sentence (``z. B.``, ``d. h.``, ``Dr.``, ``Nr.``, ``bzw.``, ...) or end
  one only before a typical sentence opener such as an article or pronoun
  (``usw.``, ``etc.``, ``u. a.``, ``o. Ä.``, ``Mio.``, ``Jh.``, initials);
  a number is an ordinal (``am 12. Juni``, ``den 2. Platz``, ``1. -3.``) unless
  a sentence opener follows, it is a year, or no article precedes it
  (``auf Platz 2. Der Sieg ...``); anything else ends the sentence.

Results are memoised per paragraph text. :data:`CAPTION_CREDIT` finds the
start of an image credit line (``Foto:``, ``Bildquelle:``), which makes a
line of a plain-text article a caption.
"""

from __future__ import annotations

import functools
import re

__all__ = ["CAPTION_CREDIT", "sentence_spans"]

_CACHE_SIZE = 2048

CAPTION_CREDIT = re.compile(r"(?:Bild|Foto|Fotos|Grafik|Quelle|Bildquelle|Fotoquelle|Abbildung|Illustration|Video)"
                            r"(?:nachweis)?\s*:", re.IGNORECASE)

_BLANK_LINE = re.compile(r"\n\s*\n")
_TERMINATORS = ".!?…"
_CLOSERS = "\"'“”‘’»«)]"
_QUOTE_CHAR = re.compile(r"[„“”»«‚‘\"()\[\]]")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"(\d+\.?[-–]|[-–])?(\d+)")
_ROMAN = re.compile(r"[IVXLC]+")
_HOUSE_NUMBER = re.compile(r"\d{1,3}(?![\d,])")

# opening char -> chars that close it
_CLOSES = {
    "„": "“”",
    "“": "”",
    "»": "«",
    "«": "»",
    "‚": "‘",
    '"': '"',
    "(": ")",
    "[": "]",
}
_LEADING_PUNCT = "(„“”‚‘»«\"'[{<"

_NEVER, _MAYBE = 0, 1

# Abbreviations without their final dot; multi-part ones without spaces.
# _NEVER: never ends a sentence; _MAYBE: ends one only before a sentence opener.
_ABBREVIATIONS: dict[str, int] = {}
for _kind, _words in (
    (
        _NEVER,
        """
        Dr Prof Hr Hrn Fr Frl Nr Nrn Abs Art Bd Bde Kap Abb Tab Anm Ziff Tz Rn
        vgl Vgl bzw Bzw ca Ca sog Sog inkl Inkl exkl zzgl abzgl gem lt Lt max
        min mind Mind bspw Bspw insb insbes evtl Evtl ggf Ggf ggfs St Str Tel
        Fax geb verh gest Dipl Ing Dipl.-Ing Mag Gebr od bzgl zw lfd ehem Ehem
        allg bes dt engl frz franz ital span lat griech russ chin jap ev kath
        Präs Vors stv Stv Gen Pfr resp Bsp Verf Anh Nachf Prok med dent vet
        rer nat phil jur oec pol habil Az rd Rd ungef Ungef insg Insg Pkt Anl Fn
        z.B Z.B z.b d.h D.h z.T Z.T z.Zt v.a V.a i.d.R I.d.R u.U U.U m.E i.A
        i.V o.g v.l.n.r z.Hd i.H.v
        """,
    ),
    (
        _MAYBE,
        """
        usw etc uvm usf Mio Mrd Mill Tsd Jh Jhs Jhd Jahrh Chr Co Inc Ltd Corp Jr Sen
        Hrsg ebd f ff Aufl Std Min Sek Bhf Jan Feb Mär Apr Jun Jul Aug Sep Sept
        Okt Nov Dez Mo Di Mi Do Sa So
        u.a U.a o.Ä u.Ä o.ä u.ä a.D e.V n.Chr v.Chr u.v.m u.s.w s.o s.u d.J
        i.R k.o a.M
        """,
    ),
):
    for _w in _words.split():
        _ABBREVIATIONS[_w] = _kind

# Capitalised words that open sentences but never follow an ordinal or an
# abbreviation within a sentence.
_OPENERS = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ich
    Ihr Man Du Dies Diese Dieser Dieses Diesen Diesem Dass Damit Dabei Dadurch
    Dafür Dagegen Daher Danach Dann Darauf Darüber Darum Davor Deshalb
    Deswegen Doch Dort Auch Aber Allerdings Also Als Am Im In Ins Auf Aus Bei
    Beim Bis Durch Für Gegen Mit Nach Nicht Noch Nun Ob Obwohl Oder Schon Seit
    So Sogar Später Trotzdem Und Um Unter Über Vom Von Vor Während Wann Warum
    Was Weil Wenn Wer Wie Wo Zudem Zum Zur Zwar Jedoch Jetzt Heute Hier
    Inzwischen Insgesamt Kein Keine Sein Seine Ihre Unser Unsere Zuvor Zuletzt
    Zunächst Außerdem Ebenfalls Gleichzeitig Gestern Laut Nur Erst Bereits
    Viele Einige Alle Beide Mehrere Andere Jeder Jede Jedes Welche Welcher
    Sowohl Weder Entweder Wegen Trotz Statt Anstatt Ohne Zwischen Neben Hinter
    Dazu Davon Daraus Darin Damals Dennoch Denn Seitdem Somit Stattdessen Sonst
    Vielmehr Weiterhin Ferner Hingegen Immerhin Nachdem Bevor Sobald Solange
    Falls Bislang Bisher Derzeit Demnach Folglich Jedenfalls Schließlich
    Tatsächlich Offenbar Vermutlich Zumindest Zugleich Unterdessen Mittlerweile
    Anschließend Zuerst
    """.split()
)

# Words after which a number with a dot is an ordinal (``den 2. Platz``).
_DETERMINERS = frozenset(
    """
    der die das den dem des am im zum zur vom beim ins ans aufs ein eine einen
    einem einer eines sein seine seinen seinem seiner seines ihr ihre ihren
    ihrem ihrer ihres unser unsere unseren unserem unserer unseres mein meine
    meinen meinem meiner euer eure euren eurem dessen deren jeder jede jedes
    jeden jedem dieser diese dieses diesen diesem jener jene jenes jenen jenem
    kein keine keinen keinem keiner
    """.split()
)

_MONTHS = frozenset(
    """
    Januar Jänner Februar März April Mai Juni Juli August September Oktober
    November Dezember Jan Feb Mär Mrz Apr Jun Jul Aug Sep Sept Okt Nov Dez
    """.split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of one paragraph as (start, end) offsets into text, each span stripped of surrounding whitespace;
    the text between spans is whitespace only. An empty/blank text gives []."""
    return list(_cached_spans(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_spans(text))


def _spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if "\n" not in text:
        _block_spans(text, 0, len(text), spans)
        return spans
    start = 0
    for m in _BLANK_LINE.finditer(text):
        _block_spans(text, start, m.start(), spans)
        start = m.end()
    _block_spans(text, start, len(text), spans)
    return spans


def _block_spans(text: str, bs: int, be: int, out: list[tuple[int, int]]) -> None:
    """Append the sentences of text[bs:be], a block without blank lines, to out."""
    while bs < be and text[bs].isspace():
        bs += 1
    while be > bs and text[be - 1].isspace():
        be -= 1
    if bs == be:
        return
    block = text[bs:be] if bs or be != len(text) else text
    # Candidates: a run of terminators, closing quotes/brackets, whitespace.
    # str.find is much faster than a regular-expression scan here.
    marks = []
    for t in _TERMINATORS:
        i = text.find(t, bs, be)
        while i >= 0:
            marks.append(i)
            i = text.find(t, i + 1, be)
    start = bs
    if marks:
        if len(marks) > 1:
            marks.sort()
        regions = None
        skip_to = bs
        for ts in marks:
            if ts < skip_to:
                continue  # inside a run already looked at
            te = ts + 1
            while te < be and text[te] in _TERMINATORS:
                te += 1
            end = te
            while end < be and text[end] in _CLOSERS:
                end += 1
            skip_to = end
            if end >= be or not text[end].isspace():
                continue
            nxt = end + 1
            while text[nxt].isspace():
                nxt += 1
            if text[nxt].islower() and not text[nxt + 1 : nxt + 2].isupper():
                continue  # lower-case word ("iPhone", "eBay" do start sentences)
            if regions is None:
                # most blocks have no quotes or brackets at all
                regions = _regions(text, bs, be) if _has_opening(block) else ()
            if regions and _inside(regions, end):
                continue
            if _is_boundary(text, bs, ts, te, end, nxt):
                out.append((start, end))
                start = nxt
    out.append((start, be))


def _has_opening(s: str) -> bool:
    # a chain of "in" tests is much cheaper than a regex scan or any(...)
    return "„" in s or "“" in s or "»" in s or "«" in s or '"' in s or "(" in s or "[" in s or "‚" in s


def _regions(text: str, bs: int, be: int) -> list[tuple[int, int]]:
    """(open, close) indices of the closed quotations and brackets in text[bs:be]."""
    stack: list[tuple[str, int]] = []
    regions: list[tuple[int, int]] = []
    for m in _QUOTE_CHAR.finditer(text, bs, be):
        ch = m.group()
        if ch == '"' and m.start() > bs and text[m.start() - 1].isdigit():
            continue  # inch mark: 27"
        for k in range(len(stack) - 1, -1, -1):
            if ch in _CLOSES[stack[k][0]]:
                regions.append((stack[k][1], m.start()))
                del stack[k:]
                break
        else:
            if ch in _CLOSES:
                stack.append((ch, m.start()))
    return regions


def _inside(regions: list[tuple[int, int]], pos: int) -> bool:
    for o, c in regions:
        if o < pos <= c:
            return True
    return False


def _token_start(text: str, bs: int, i: int) -> int:
    """Start of the whitespace-delimited token that ends at i."""
    j = text.rfind(" ", bs, i) + 1
    if j < bs:
        j = bs
    if text[j:i].isprintable():  # no other whitespace (no-break space, tab, ...)
        return j
    while i > j and not text[i - 1].isspace():
        i -= 1
    return i


def _prev_token(text: str, bs: int, i: int) -> tuple[int, int]:
    """(start, end) of the token before position i (a token start); (i, i) if none."""
    j = i
    while j > bs and text[j - 1].isspace():
        j -= 1
    return _token_start(text, bs, j), j


def _is_boundary(text: str, bs: int, ts: int, te: int, end: int, nxt: int) -> bool:
    """Whether the marks text[ts:te], closers text[te:end] and the whitespace
    up to nxt end a sentence."""
    if ts > bs and text[ts - 1] in "([":  # (!) (?) […] (...)
        return False
    if te - ts > 1 or text[ts] != "." or end > te:
        return True  # ! ? … ... or a closing quote/bracket after the mark
    tstart = text.rfind(" ", bs, ts) + 1
    if tstart < bs or not text[tstart:ts].isprintable():  # other whitespace (no-break space, tab, ...)
        tstart = _token_start(text, bs, ts)
    tok = text[tstart:ts].lstrip(_LEADING_PUNCT)
    if not tok:
        return True
    kind = _ABBREVIATIONS.get(tok)
    if kind is None:
        if tok[-1].isdigit():
            num = _NUMBER.fullmatch(tok)
            return num is None or _number_ends_sentence(text, bs, tstart, num, nxt)
        if len(tok) > 3 and not tok.isupper():
            # an ordinary word, or a street before its number: "Hauptstr. 5", "Goethe-Str. 12a"
            return not (tok.endswith(("str", "Str")) and _HOUSE_NUMBER.match(text, nxt))
        kind = _abbreviation_kind(text, bs, tstart, tok)
        if kind is None:
            return True
    if kind == _NEVER:
        return False
    word = _WORD.match(text, nxt)
    return word is not None and word.group() in _OPENERS


def _abbreviation_kind(text: str, bs: int, tstart: int, tok: str) -> int | None:
    """Kind of a short or all-capitals token that is not itself a known abbreviation."""
    if len(tok) > 1 and tok.isupper() and _ROMAN.fullmatch(tok):
        return _MAYBE  # "Ludwig XIV."
    if len(tok) > 3 or not tok.isalpha():
        return None
    # spaced multi-part abbreviation: "z. B.", "i. d. R.", "n. Chr."
    key = tok
    pos = tstart
    for _ in range(3):
        ps, pe = _prev_token(text, bs, pos)
        prev = text[ps:pe].lstrip(_LEADING_PUNCT)
        if not (2 <= len(prev) <= 3 and prev[-1] == "." and prev[:-1].isalpha()):
            break
        key = prev + key
        kind = _ABBREVIATIONS.get(key)
        if kind is not None:
            return kind
        pos = ps
    if len(tok) == 1:
        if tok.isupper():
            return _MAYBE  # initial
        ps, pe = _prev_token(text, bs, tstart)
        if tok in "mglths" and ps < pe and text[pe - 1].isdigit():
            return None  # unit: "100 m", "9,58 s"
        return _NEVER
    return None


def _number_ends_sentence(text: str, bs: int, tstart: int, num: re.Match[str], nxt: int) -> bool:
    word = _WORD.match(text, nxt)
    if word is None or not word.group()[0].isalpha():
        # digit, dash, quote, bracket ...: "1. -3.", "S. 225", "17. „..."
        return not (text[nxt].isdigit() or text[nxt] in "-–")
    w = word.group()
    if w in _OPENERS:
        return True
    digits = num.group(2)
    if len(digits) <= 2 and int(digits) <= 31 and w in _MONTHS:
        return False
    if num.group(1):  # range "1.-3." / "-3."
        return False
    if len(digits) == 4:
        return True  # a year
    ps, pe = _prev_token(text, bs, tstart)
    if ps == pe:
        return False  # "1. FC Köln ..." at the start
    prev = text[ps:pe].lstrip(_LEADING_PUNCT)
    if prev[-1:] in (",", "–", "-"):
        return False  # "Bundesliga, 3. Spieltag"
    return prev.lower() not in _DETERMINERS
