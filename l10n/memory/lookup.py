"""The project's translation memory: reviewed translations, reused for identical and similar units.

For one target language it holds every reviewed entry (a translation that is
not fuzzy and not obsolete) of every catalog of that language in the
project, as ``msgid → translation``, with the article it came from, and
after them the pairs imported with ``l10n memory import``
(``locales/memory/<lang>.tmx``, see :mod:`l10n.exchange`).

:meth:`TranslationMemory.lookup` finds an exact match of the whole unit.
When several articles translate the same unit differently, the project's
own translations come before imported ones; among those, the translation
used most often wins; between equally frequent ones, the first in article
order. :meth:`TranslationMemory.closest` finds the most similar unit
(rapidfuzz's normalised Indel similarity, in percent) at or above a
threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from ..entries import is_reviewed
from ..notes import imported_source
from .tmx import imported_pairs, memory_path


@dataclass(frozen=True)
class Match:
    """A reviewed translation found in the memory; ``source`` names where it came from.

    For a similar (not identical) unit, ``score`` is the similarity in
    percent and ``msgid`` the unit whose translation it is.
    """

    msgstr: str
    source: str
    score: float | None = None
    msgid: str = ""


class TranslationMemory:
    """Reviewed translations of one target language, looked up by exact source text."""

    def __init__(self, language: str):
        self.language = language
        # msgid -> {msgstr: [count, source of its first use, order of first use, tier]}
        # tier 0: the project's catalogs; 1: imported memory
        self._units: dict[str, dict[str, list]] = {}
        self._order = 0
        self._choices: list[str] | None = None  # the msgids, for closest()

    def add(self, catalog: Iterable[polib.POEntry], source: str) -> int:
        """Add the reviewed entries of one catalog; ``source`` names it (the article's path).

        Returns how many entries were added.
        """
        return self.add_pairs(((entry.msgid, entry.msgstr) for entry in catalog
                               if is_reviewed(entry) and not entry.msgid_plural and entry.msgctxt is None),
                              source, tier=0)

    def add_pairs(self, pairs: Iterable[tuple[str, str]], source: str, tier: int = 1) -> int:
        """Add (msgid, translation) pairs from ``source``; ``tier`` 1 (imported) ranks after the catalogs' 0."""
        added = 0
        for msgid, msgstr in pairs:
            if not msgid or not msgstr:
                continue
            self.add_counted(msgid, msgstr, source, tier)
            added += 1
        return added

    def add_counted(self, msgid: str, msgstr: str, source: str, tier: int, count: int = 1) -> None:
        """Count one translation of ``msgid`` ``count`` times, as if added that many times from ``source``."""
        candidates = self._units.setdefault(msgid, {})
        seen = candidates.get(msgstr)
        if seen is None:
            candidates[msgstr] = [count, source, self._order, tier]
            self._order += 1
        else:
            seen[0] += count
            seen[3] = min(seen[3], tier)
        self._choices = None

    def rows(self) -> Iterable[tuple[str, str, int, str, int, int]]:
        """Every (msgid, msgstr, count, source of first use, order of first use, tier), in order of first use."""
        found = [(msgid, msgstr, *seen) for msgid, candidates in self._units.items()
                 for msgstr, seen in candidates.items()]
        return sorted(found, key=lambda row: row[4])

    def lookup(self, msgid: str) -> Match | None:
        """The reviewed translation of exactly this unit, or None."""
        candidates = self._units.get(msgid)
        if not candidates:
            return None
        msgstr, (_count, source, _order, _tier) = max(candidates.items(),
                                                      key=lambda kv: (-kv[1][3], kv[1][0], -kv[1][2]))
        return Match(msgstr, source)

    def closest(self, msgid: str, threshold: float) -> Match | None:
        """The translation of the most similar other unit, at least ``threshold`` percent similar, or None.

        Similarity is rapidfuzz's ``fuzz.ratio`` (normalised Indel distance) on
        the whole text, case and punctuation included.
        """
        if threshold > 100 or not self._units:
            return None
        from rapidfuzz import fuzz, process

        if self._choices is None:
            self._choices = list(self._units)
        found = process.extractOne(msgid, self._choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold)
        if found is None:
            return None
        text, score, _index = found
        match = self.lookup(text)
        return Match(match.msgstr, match.source, score, text)

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, msgid: str) -> bool:
        return msgid in self._units


def load(project, language: str, read=None, catalogs: dict[Path, polib.POFile] | None = None) -> TranslationMemory:
    """The memory of ``language`` from every catalog in ``locales/<language>/LC_MESSAGES``.

    ``catalogs`` holds catalogs already read (by path), which are used rather
    than read again; ``read`` reads one catalog (default: ``read_catalog``).
    Catalogs of articles that left the source folder count too: their
    reviewed translations are still a person's work.
    """
    if read is None:
        from ..po import read_catalog as read
    catalogs = catalogs or {}
    memory = TranslationMemory(language)
    for path, source in catalog_sources(project, language):
        po = catalogs.get(path)
        if po is None:
            po = read(path)
        memory.add(po, source)
    add_imported(project, language, memory)
    return memory


def catalog_sources(project, language: str) -> list[tuple[Path, str]]:
    """Every catalog of ``language`` in article order (sorted paths), with the name its translations go by."""
    folder = project.catalog_path(language, "x").parent
    sources = {project.catalog_path(language, a.slug): a.rel for a in project.articles()}
    return [(path, sources.get(path, project.rel(path)))
            for path in (sorted(folder.rglob("*.po")) if folder.is_dir() else [])]


def add_imported(project, language: str, memory: TranslationMemory) -> None:
    """The pairs of ``l10n memory import`` and ``l10n memory align`` (``locales/memory/<language>.tmx``),
    after the catalogs; each goes by where it came from (see :func:`l10n.notes.imported_source`)."""
    if not memory_path(project, language).is_file():
        return
    for pair in imported_pairs(project, language):
        memory.add_pairs([(pair.source, pair.target)], imported_source(pair.origin, pair.confidence is not None),
                         tier=1)
