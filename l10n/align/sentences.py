"""Sentence splitters of the two sides of an alignment.

The source language is split with the project's own rules
(:mod:`l10n.segment`), exactly as ``l10n extract`` splits it, so aligned
sentences are the catalog's units. A target language gets a library
splitter chosen by measurement on ``tests/data/segmentation_en.yaml`` and
``segmentation_fr.yaml`` (``python benchmarks/align.py --splitters``; see
docs/align.md): sentencex (Wikimedia's rules for some 300 languages, compiled),
with one rule on top for every language: a split right after an initial
(``M.``, ``J.-P.``) is undone, as no sentence ends in one. The project's
German rules are never applied to another language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from ..languages import base_language
from ..segment import Splitter

# a sentence that ends in an initial or a hyphenated initial: "M.", "J.-P.", "J.-"
_INITIAL = re.compile(r"(?:^|[\s(„“\"«])(?:[A-ZÀ-ÞÉ]\.(?:-[A-ZÀ-ÞÉ]\.?)?|[A-ZÀ-ÞÉ]\.-?)$")


def target_splitter(language: str) -> Splitter:
    """The sentence splitter for the translation's ``language``: ``(start, end)`` spans, stripped."""
    return _sentencex(base_language(language))


@lru_cache(maxsize=None)
def _sentencex(language: str) -> Splitter:
    import sentencex

    return spans_of(lambda text: sentencex.segment(language, text))


def spans_of(segment: Callable[[str], Iterable[str]], initials: bool = True) -> Splitter:
    """A cached splitter of the sentences ``segment(text)`` gives as strings.

    A paragraph's line breaks are spaces to ``segment``; its sentences are
    found in order in the text; with ``initials`` a split after an initial is undone.
    """

    @lru_cache(maxsize=16384)
    def spans(text: str) -> list[tuple[int, int]]:
        flat = text.replace("\r", " ").replace("\n", " ")
        out: list[tuple[int, int]] = []
        pos = 0
        for piece in segment(flat):
            piece = piece.strip()
            start = flat.find(piece, pos) if piece else -1
            if start < 0:
                continue
            pos = start + len(piece)
            if out and initials and _INITIAL.search(flat[out[-1][0]:out[-1][1]]):
                out[-1] = (out[-1][0], pos)
            else:
                out.append((start, pos))
        return out

    return spans
