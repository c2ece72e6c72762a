"""The project's translation memory: reviewed translations, reused for identical units.

For one target language it holds every reviewed entry (a translation that is
not fuzzy and not obsolete) of every catalog of that language in the
project, as ``msgid → translation``, with the article it came from. Only an
exact match of the whole unit counts.

When several articles translate the same unit differently, the translation
used most often wins; between equally frequent ones, the first in article
order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from .status import is_reviewed


@dataclass(frozen=True)
class Match:
    """A reviewed translation found in the memory; ``source`` names where it came from."""

    msgstr: str
    source: str


class TranslationMemory:
    """Reviewed translations of one target language, looked up by exact source text."""

    def __init__(self, language: str):
        self.language = language
        # msgid -> {msgstr: [count, source of its first use, order of first use]}
        self._units: dict[str, dict[str, list]] = {}
        self._order = 0

    def add(self, catalog: Iterable[polib.POEntry], source: str) -> int:
        """Add the reviewed entries of one catalog; ``source`` names it (the article's path).

        Returns how many entries were added.
        """
        added = 0
        for entry in catalog:
            if not is_reviewed(entry) or entry.msgid_plural or entry.msgctxt is not None:
                continue
            candidates = self._units.setdefault(entry.msgid, {})
            seen = candidates.get(entry.msgstr)
            if seen is None:
                candidates[entry.msgstr] = [1, source, self._order]
                self._order += 1
            else:
                seen[0] += 1
            added += 1
        return added

    def lookup(self, msgid: str) -> Match | None:
        """The reviewed translation of exactly this unit, or None."""
        candidates = self._units.get(msgid)
        if not candidates:
            return None
        msgstr, (_count, source, _order) = max(candidates.items(), key=lambda kv: (kv[1][0], -kv[1][2]))
        return Match(msgstr, source)

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
        from .pofile import read_catalog as read
    catalogs = catalogs or {}
    memory = TranslationMemory(language)
    folder = project.catalog_path(language, "x").parent
    sources = {project.catalog_path(language, a.slug): a.rel for a in project.articles()}
    if not folder.is_dir():
        return memory
    for path in sorted(folder.rglob("*.po")):
        po = catalogs.get(path)
        if po is None:
            po = read(path)
        memory.add(po, sources.get(path, project.rel(path)))
    return memory
