"""Checks of the text itself: empty, untranslated, white space, punctuation, quotes, repetition, length."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from ..languages import base_language
from .common import LETTERS, blank
from .registry import ERROR, WARNING, Context, check

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _q(text: str) -> str:
    """Quote a piece of text in a message."""
    return f"“{_clip(text)}”"


def _around(text: str, at: int, before: int = 20, after: int = 30) -> str:
    """The words of ``text`` around position ``at``, quoted, with … where it is cut."""
    start, end = max(0, at - before), min(len(text), at + after)
    if start > 0:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space != -1 else end
    return f"“{'…' if start > 0 else ''}{text[start:end].strip()}{'…' if end < len(text) else ''}”"


@check("empty", ERROR, "The translation is nothing but white space while the source has text.")
def empty(source: str, target: str, ctx: Context) -> Iterator[str]:
    if source.strip() and not target.strip():
        yield "the translation is empty" if not target else f"the translation is only white space ({target!r})"


@check("untranslated", WARNING, "The translation is the source text itself (three words or more to translate).")
def untranslated(source: str, target: str, ctx: Context) -> Iterator[str]:
    if target.strip() != source.strip():
        return
    rest = blank(source, ctx.source_terms)  # names and links are copied on purpose
    words = [w for w in _WORD.findall(rest) if LETTERS.search(w)]
    if len(words) >= 3:
        yield f"the translation is identical to the source: {_q(source)}"


@check("whitespace", WARNING, "Leading or trailing white space differs from the source.")
def whitespace(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not target.strip():
        return
    for where, s, t in (("leading", _lead(source), _lead(target)), ("trailing", _trail(source), _trail(target))):
        if s != t:
            yield f"{where} white space differs: {s!r} in the source, {t!r} in the translation"


def _lead(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trail(text: str) -> str:
    return text[len(text.rstrip()):]


_CLOSERS = "\"'“”‘’„‚«»‹›」』）)]"
_FINAL = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", ",": ",",
          "。": ".", "．": ".", "！": "!", "？": "?", "：": ":", "；": ";", "、": ",", "，": ","}


def _final_mark(text: str) -> str:
    """The sentence punctuation a text ends with (after closing quotes and brackets), or ''."""
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    if text.endswith("..."):
        return "…"
    return _FINAL.get(text[-1:], "")


@check("punctuation", WARNING, "The translation ends with other final punctuation than the source.")
def punctuation(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not target.strip():
        return
    s, t = _final_mark(source), _final_mark(target)
    if s != t:
        said = lambda mark: f"with “{mark}”" if mark else "without final punctuation"  # noqa: E731
        yield f"the source ends {said(s)}, the translation {said(t)}: {_q(target[-40:].lstrip())}"


# ------------------------------------------------------------------ quotes

# Quotation marks per language: (start, end, alternate start, alternate end),
# as in CLDR's delimiters data (which Babel does not carry).
QUOTES = {
    "cs": "„“‚‘", "da": "“”‘’", "de": "„“‚‘", "de_CH": "«»‹›", "en": "“”‘’", "es": "«»“”", "fi": "””’’",
    "fr": "«»“”", "it": "«»“”", "ja": "「」『』", "nl": "‘’“”", "pl": "„”«»", "pt": "“”‘’", "ru": "«»„“",
    "sv": "””’’", "uk": "«»„“", "zh": "“”‘’",
}


def _quotes(language: str) -> str:
    return QUOTES.get(language, QUOTES.get(base_language(language), ""))


@lru_cache(maxsize=None)
def _foreign_quotes(source_language: str, target_language: str) -> tuple[str, str, tuple[str, ...]] | None:
    """The quotation marks of both languages and those of the source that the target does not use."""
    src_marks, tgt_marks = _quotes(source_language), _quotes(target_language)
    if not src_marks or not tgt_marks:
        return None
    return src_marks, tgt_marks, tuple(c for c in dict.fromkeys(src_marks) if c not in tgt_marks)


@check("quotes", WARNING, "Quotation marks of the source language left in the translation, or unpaired ones.")
def quote_marks(source: str, target: str, ctx: Context) -> Iterator[str]:
    marks = _foreign_quotes(ctx.source_language, ctx.target_language)
    if marks is None:
        return
    src_marks, tgt_marks, foreign = marks
    seen = [c for c in foreign if c in target]
    for mark in seen:
        at = target.index(mark)
        yield (f"{unicodedata.name(mark, mark).lower()} {mark} is a quotation mark of the source language: "
               f"{_around(target, at)}")
    if seen:
        return
    # Only the main quotation marks pair up reliably: a single one is also an apostrophe (DeepSeek’s).
    start, end = src_marks[0], src_marks[1]
    if start == end or source.count(start) != source.count(end):
        return  # the quotation goes on in another unit
    start, end = tgt_marks[0], tgt_marks[1]
    if start != end and target.count(start) != target.count(end):
        yield f"quotation marks do not pair up: {target.count(start)} {start} but {target.count(end)} {end}"


# ----------------------------------------------------- machine degeneration


def _tokens(text: str) -> list[str]:
    return list(map(str.casefold, _WORD.findall(text)))


def _tandem(tokens: list[str], min_repeats: int = 3, max_n: int = 6) -> tuple[tuple[str, ...], int] | None:
    """The longest run of a phrase of 1–``max_n`` words repeated back to back ``min_repeats`` times or more."""
    best = None
    for n in _run_lengths(tokens, min_repeats, max_n):
        i = 0
        while i + n * min_repeats <= len(tokens):
            phrase = tokens[i:i + n]
            repeats = 1
            while tokens[i + repeats * n:i + (repeats + 1) * n] == phrase:
                repeats += 1
            if repeats >= min_repeats and (best is None or repeats * n > best[1] * len(best[0])):
                best = (tuple(phrase), repeats)
            i += max(1, (repeats - 1) * n) if repeats > 1 else 1
    return best


def _run_lengths(tokens: list[str], min_repeats: int, max_n: int) -> list[int]:
    """The phrase lengths n at which some word comes back n words on, and again, ``min_repeats`` times in all.

    A phrase of n words repeated ``min_repeats`` times back to back is only
    possible at these lengths, so :func:`_tandem` need look at no other.
    """
    counts = Counter(tokens)
    if len(tokens) < min_repeats or max(counts.values()) < min_repeats:
        return []
    at: dict[str, set[int]] = {}
    for i, token in enumerate(tokens):
        if counts[token] >= min_repeats:
            at.setdefault(token, set()).add(i)
    lengths = set()
    for places in at.values():
        for i in places:
            for n in range(1, max_n + 1):
                k = 1
                while k < min_repeats and i + k * n in places:
                    k += 1
                if k == min_repeats:
                    lengths.add(n)
    return sorted(lengths)


@check("repetition", WARNING, "A word or phrase repeated three times or more in a row that the source does not "
                              "repeat (machine translation gone wrong).")
def repetition(source: str, target: str, ctx: Context) -> Iterator[str]:
    found = _tandem(_tokens(target))
    if found is None:
        return
    phrase, repeats = found
    if _tandem(_tokens(source)) is not None:
        return
    yield f"“{' '.join(phrase)}” is repeated {repeats} times in a row"


LENGTH_MIN_SOURCE = 20  # characters; shorter units vary too much
LENGTH_RATIO = 2.0  # longer than this many times the source, or shorter than its inverse


@check("length", WARNING, f"The translation is more than {LENGTH_RATIO:g} times longer or shorter than the source.")
def length(source: str, target: str, ctx: Context) -> Iterator[str]:
    s, t = len(" ".join(source.split())), len(" ".join(target.split()))
    if s < LENGTH_MIN_SOURCE or not t:
        return
    if t > s * LENGTH_RATIO:
        yield f"the translation has {t} characters, {t / s:.1f} times the {s} of the source"
    elif t * LENGTH_RATIO < s:
        yield f"the translation has {t} characters, {t / s:.0%} of the {s} of the source"
