"""Sentence splitters of the two sides of an alignment.

The source language is split with the project's own rules
(:mod:`l10n.segment`), exactly as ``l10n extract`` splits it, so aligned
sentences are the catalog's units. A target language gets the splitter
chosen by measurement on ``tests/data/segmentation_en.yaml`` and
``segmentation_fr.yaml`` (``python benchmarks/align.py --splitters``; see
docs/align.md): the project's German rules are never applied to another
language.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import L10nError
from ..languages import base_language
from ..segment import Splitter

# pysbd's languages (its ``pysbd.languages.LANGUAGE_CODES``), by ISO code
_PYSBD = ("am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja", "kk", "mr", "my",
          "nl", "pl", "ru", "sk", "ur", "zh")


def target_splitter(language: str) -> Splitter:
    """The sentence splitter for the translation's ``language``: ``(start, end)`` spans, stripped.

    An unknown language is one error line; a language the splitter has no
    rules for is refused rather than split with another language's rules.
    """
    base = base_language(language)
    if base not in _PYSBD:
        raise L10nError(f"--lang {language}: no sentence splitter for this language "
                        f"(l10n splits {', '.join(_PYSBD)})")
    return _pysbd(base)


@lru_cache(maxsize=None)
def _pysbd(language: str) -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language=language, clean=False)
    return _cached(lambda text: segmenter.segment(text))


def _cached(segment) -> Splitter:
    """A splitter of the sentences ``segment(text)`` gives as strings: spans found in order, line breaks as spaces."""

    @lru_cache(maxsize=16384)
    def spans(text: str) -> list[tuple[int, int]]:
        flat = text.replace("\r", " ").replace("\n", " ")  # a paragraph's line breaks are spaces
        out, pos = [], 0
        for piece in segment(flat):
            piece = piece.strip()
            start = flat.find(piece, pos) if piece else -1
            if start < 0:
                continue
            out.append((start, start + len(piece)))
            pos = start + len(piece)
        return out

    return spans
