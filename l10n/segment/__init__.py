"""Sentence segmentation, per source language.

l10n has its own rule-based sentence splitter for each language it has rules
for (today German, :mod:`l10n.segment.de`), chosen by the project's
``source_language`` (its base language: ``de_AT`` and ``de_CH`` use the
German rules). A splitter takes one paragraph and gives its sentences as
``(start, end)`` offsets, each stripped of surrounding white space, with only
white space between them.

For a language without rules there is no sentence splitting: its
:func:`splitter_for` is :func:`paragraph_spans` (a paragraph stays one
unit). Sentence segmentation (``segmentation: sentence``) of such a language
is refused when the article formats are set up (see
:class:`l10n.formats.FormatSettings`), so an article is never split with
another language's rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..languages import base_language
from . import de

Splitter = Callable[[str], list[tuple[int, int]]]


@dataclass(frozen=True)
class Rules:
    """What l10n knows of the text of one source language."""

    language: str
    sentence_spans: Splitter
    caption_credit: re.Pattern[str]  # the start of an image credit line: "Foto:", "Bildquelle:"


_RULES = {"de": Rules("de", de.sentence_spans, de.CAPTION_CREDIT)}
LANGUAGES = tuple(_RULES)  # the languages with sentence rules

_BLANK_LINE = re.compile(r"\n\s*\n")


def rules_for(language: str) -> Rules | None:
    """The rules for ``language`` (a code such as ``de`` or ``de_AT``), None if l10n has none."""
    return _RULES.get(base_language(language))


def splitter_for(language: str) -> Splitter:
    """The sentence splitter for ``language``; :func:`paragraph_spans` for a language without rules."""
    rules = rules_for(language)
    return rules.sentence_spans if rules else paragraph_spans


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """The sentences of one paragraph in ``language`` (see :func:`splitter_for`)."""
    return splitter_for(language)(text)


def caption_credit(language: str) -> re.Pattern[str] | None:
    """What starts an image credit line in ``language`` (``Foto:``), None for a language without rules."""
    rules = rules_for(language)
    return rules.caption_credit if rules else None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """No sentence splitting: the paragraph as one span, stripped (a blank line inside still ends it)."""
    spans = []
    start = 0
    for end, after in [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)] + [(len(text), len(text))]:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if start < stop:
            spans.append((start, stop))
        start = after
    return spans
