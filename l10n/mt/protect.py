"""Text a model must not change: placeholders in, original bytes out.

Before a unit goes to the model, URLs, e-mail addresses, the glossary's
do-not-translate terms (``glossary.keep``) and terms with a fixed translation
(``glossary.terms``) are replaced by numbered placeholders such as ``QZ1``:
short, all-capital letters and a digit, like the product codes (``A380``,
``MP3``) that translation models learn to copy. After translation each
placeholder is put back: the original text byte for byte, or the fixed
translation of a term.

Restoring is lenient where that is safe: ``QZ1``, ``qz1`` and ``QZ 1`` all
count as placeholder 1. A placeholder the model dropped is *lost*; one it
duplicated, or a number that was never given out, or a leftover ``QZ``
without its number, is *mangled*. Either way :meth:`Protected.restore`
reports the problem instead of producing broken text, and the caller falls
back to translating the plain pieces between the protected spans
(:meth:`Protected.pieces`), which keeps every protected span intact whatever
the model does.

Articles whose format has markup a model must not touch (Markdown) add its
spans: :meth:`Protector.protect` takes the format's ``protected_spans``
(see :mod:`l10n.formats`), and the ``](destination "title")`` of links and
images, autolinks, code spans, inline HTML and reference labels become
placeholders too (link texts stay to translate). Such a span may sit right
against a word (``EU](https://…)``, ``[^1]``): its placeholder is then set
off by a space, which restoring takes away again, so the text comes back
byte for byte.

Matching rules: URLs start with ``http://``, ``https://``, ``ftp://`` or
``www.`` and end before white space (closing punctuation at the end is not
part of them); e-mail addresses are ``local@domain.tld``; glossary terms match
case-sensitively as whole words (not inside a longer word, but ``KI`` does
match in ``KI-Modelle``), the longest term first (``DeepSeek-R1`` before
``DeepSeek``). A URL or address wins over a term inside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# Placeholder prefixes, tried in order: a text that already contains
# something like the first one gets the next, so restoring never confuses
# the article's own text with a placeholder.
_PREFIXES = ("QZ", "XQ", "ZX", "QX", "ZQ", "XZ")

_URL = r"(?:https?://|ftp://|www\.)[^\s<>\"“”„«»‹›]+"
_EMAIL = r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])"
# Characters that end a sentence or close a quotation rather than belong to a URL.
_URL_TRAILING = ".,;:!?'\"’”»›…"
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Span:
    """A protected piece of the source text.

    ``original`` is the text as it stands in the source; ``restore`` what goes
    into the translation in its place (the same text, or a term's fixed
    translation); ``kind`` is ``url``, ``email``, ``keep`` or ``term``.
    """

    start: int
    end: int
    original: str
    restore: str
    kind: str
    # a word touches the span on that side: the placeholder is set off by a space, taken away when restoring
    space_before: bool = False
    space_after: bool = False


@dataclass(frozen=True)
class Restored:
    """The outcome of putting placeholders back into a model's output."""

    text: str
    lost: tuple[str, ...] = ()  # originals whose placeholder the output lacks
    mangled: tuple[str, ...] = ()  # originals whose placeholder came back duplicated or damaged
    stray: bool = False  # placeholder-like text that belongs to no span

    @property
    def ok(self) -> bool:
        return not (self.lost or self.mangled or self.stray)

    def problems(self) -> list[str]:
        """One short phrase per kind of problem, e.g. ``placeholder lost: https://x.org``."""
        out = []
        if self.lost:
            out.append("placeholder lost: " + ", ".join(self.lost))
        if self.mangled:
            out.append("placeholder mangled: " + ", ".join(self.mangled))
        if self.stray:
            out.append("model invented a placeholder")
        return out


@dataclass(frozen=True)
class Protected:
    """A unit prepared for the model: ``text`` holds placeholders instead of ``spans``."""

    source: str
    text: str
    spans: tuple[Span, ...]
    prefix: str = _PREFIXES[0]

    @property
    def translatable(self) -> bool:
        """Whether anything but protected spans has letters (else there is nothing to translate)."""
        return any(_LETTER.search(piece) for piece in self.pieces() if isinstance(piece, str))

    def placeholder(self, index: int) -> str:
        """The placeholder of the ``index``-th span (counting from 0)."""
        return f"{self.prefix}{index + 1}"

    def restore(self, translated: str) -> Restored:
        """Put every span back into the model's ``translated`` text and report what went wrong."""
        if not self.spans:
            return Restored(translated)
        loose, leftover = _patterns(self.prefix)
        found: dict[int, int] = {}
        stray = False

        out: list[str] = []
        pos, trim = 0, False  # trim: the span just put back wants the white space after it taken away
        for match in loose.finditer(translated):
            head = translated[pos:match.start()]
            head = head.lstrip() if trim else head
            pos, trim = match.end(), False
            number = int(match.group(1))
            if not 1 <= number <= len(self.spans):
                stray = True
                out += [head, match.group(0)]
                continue
            found[number - 1] = found.get(number - 1, 0) + 1
            span = self.spans[number - 1]
            out += [head.rstrip() if span.space_before else head, span.restore]
            trim = span.space_after
        tail = translated[pos:]
        out.append(tail.lstrip() if trim else tail)
        text = "".join(out)
        # What is left of a placeholder after restoring: its letters without a number.
        remains = [m for m in leftover.finditer(translated)
                   if not loose.match(translated, m.start())]
        lost = tuple(s.original for i, s in enumerate(self.spans) if found.get(i, 0) == 0)
        mangled = tuple(s.original for i, s in enumerate(self.spans) if found.get(i, 0) > 1)
        if remains:
            if lost:  # the letters survived, the number did not: damaged rather than dropped
                mangled, lost = mangled + lost, ()
            else:
                stray = True
        return Restored(text, lost, mangled, stray)

    def pieces(self) -> list[str | Span]:
        """The source as plain text and spans in order: what the fallback translates piece by piece."""
        out: list[str | Span] = []
        pos = 0
        for span in self.spans:
            if span.start > pos:
                out.append(self.source[pos:span.start])
            out.append(span)
            pos = span.end
        if pos < len(self.source):
            out.append(self.source[pos:])
        return out

    def restored_source(self) -> str:
        """The source with each span replaced by what it restores to (fixed terms translated)."""
        return "".join(p.restore if isinstance(p, Span) else p for p in self.pieces())


class Protector:
    """Finds what to protect in a text, for one target language.

    ``keep`` lists terms copied as they are; ``terms`` maps a term to its
    fixed translation in this language.
    """

    def __init__(self, keep: Iterable[str] = (), terms: Mapping[str, str] | None = None):
        self.replacements: dict[str, str] = {t: t for t in keep if t}
        self.kinds: dict[str, str] = {t: "keep" for t in self.replacements}
        for term, translation in (terms or {}).items():
            if term:
                self.replacements[term] = translation
                self.kinds[term] = "term"
        words = sorted(self.replacements, key=lambda t: (-len(t), t))
        alternatives = [f"(?P<url>{_URL})", f"(?P<email>{_EMAIL})"]
        if words:
            alternatives.append(r"(?P<term>(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w))")
        self._pattern = re.compile("|".join(alternatives))

    def protect(self, text: str, markup: Callable[[str], list[tuple[int, int, str]]] | None = None) -> Protected:
        """``text`` with placeholders for every URL, address and glossary term in it.

        ``markup`` finds the spans of the article format's markup
        (``protected_spans`` of :mod:`l10n.formats.markdown`); they win over
        a URL or term inside them.
        """
        spans = []
        marked = markup(text) if markup else []
        for start, end, kind in marked:
            spans.append(Span(start, end, text[start:end], text[start:end], kind,
                              space_before=start > 0 and text[start - 1].isalnum(),
                              space_after=end < len(text) and text[end].isalnum()))
        for match in self._pattern.finditer(text):
            kind = match.lastgroup
            start, end = match.span()
            original = match.group()
            if kind == "url":
                original = _trim_url(original)
                end = start + len(original)
                if len(original) <= len("www."):
                    continue
                restore = original
            elif kind == "email":
                restore = original
            else:
                restore = self.replacements[original]
                kind = self.kinds[original]
            if any(s.start < end and start < s.end for s in spans[:len(marked)]):
                continue
            spans.append(Span(start, end, original, restore, kind))
        spans.sort(key=lambda span: span.start)
        if not spans:
            return Protected(text, text, ())
        prefix = next((p for p in _PREFIXES if not _patterns(p)[1].search(text)), None)
        if prefix is None:  # the text is full of such codes: better not to guess
            prefix = _PREFIXES[0]
            return Protected(text, text, (), prefix)
        out, pos = [], 0
        for i, span in enumerate(spans):
            out.append(text[pos:span.start])
            out.append(" " * span.space_before + f"{prefix}{i + 1}" + " " * span.space_after)
            pos = span.end
        out.append(text[pos:])
        return Protected(text, "".join(out), tuple(spans), prefix)


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation after it; a closing bracket only when it opens none."""
    while url:
        last = url[-1]
        if last in _URL_TRAILING:
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


@lru_cache(maxsize=None)
def _patterns(prefix: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a placeholder as a model may return it, with its number; what is left of one without it)."""
    letters = r"\s?".join(re.escape(c) for c in prefix)
    loose = re.compile(rf"(?<![0-9A-Za-z]){letters}\s?(\d+)", re.IGNORECASE)
    leftover = re.compile(rf"(?<![0-9A-Za-z]){letters}(?![A-Za-z])", re.IGNORECASE)
    return loose, leftover
