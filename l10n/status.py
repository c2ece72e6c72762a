"""Progress of every catalog: units, words, reviewed, fuzzy, untranslated.

The counts of each catalog are kept in ``.l10n/status-cache.sqlite`` under a
hash of its bytes (see :mod:`l10n.cache`): an unchanged catalog is not
parsed again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache, code_version, digest
from .project import Project

if TYPE_CHECKING:
    import polib

COUNTS = ("units", "words", "reviewed", "fuzzy", "untranslated")


@dataclass
class Progress:
    """Counts for one catalog (or a sum of catalogs). Reviewed means translated and not fuzzy."""

    language: str
    article: str
    units: int = 0
    words: int = 0
    reviewed: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    missing: bool = False  # no catalog yet: run `l10n extract`

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.units if self.units else 0.0

    def add(self, other: Progress) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missing = self.missing or other.missing

    def as_dict(self) -> dict:
        return asdict(self) | {"percent_reviewed": round(self.percent_reviewed, 1)}


def measure(po: polib.POFile, language: str, article: str) -> Progress:
    """Counts of one catalog's live entries."""
    progress = Progress(language, article)
    for entry in po:
        if entry.obsolete:
            continue
        progress.units += 1
        progress.words += len(entry.msgid.split())
        if not entry.msgstr:
            progress.untranslated += 1
        elif entry.fuzzy:
            progress.fuzzy += 1
        else:
            progress.reviewed += 1
    return progress


def with_totals(rows: list[Progress]) -> list[Progress]:
    """``rows`` with a row ``all articles`` after each language that has more than one article."""
    out = []
    for language in dict.fromkeys(row.language for row in rows):
        mine = [row for row in rows if row.language == language]
        out.extend(mine)
        if len(mine) > 1:
            total = Progress(language, "all articles")
            for row in mine:
                total.add(row)
            out.append(total)
    return out


def status(project: Project, languages: list[str] | None = None) -> list[Progress]:
    """One row per language and article, in that order."""
    cache = Cache(project.root, "status", code_version("polib"))
    rows = [_measured(path, project.rel(path), lang, article.slug, cache) if path.exists()
            else Progress(lang, article.slug, missing=True)
            for lang, article, path in project.catalogs(languages)]
    cache.save()
    return rows


def _measured(path: Path, place: str, language: str, article: str, cache: Cache) -> Progress:
    """:func:`measure` of the catalog at ``path``, from ``cache`` while its bytes are the same."""
    try:
        data = path.read_bytes()
    except OSError:  # read_catalog says what is wrong, in its words
        data = None
    key = digest(data) if data is not None else None
    counts = cache.get(place, key) if key else None
    if isinstance(counts, list) and len(counts) == len(COUNTS) and all(type(n) is int for n in counts):
        return Progress(language, article, *counts)
    from .po import parse_catalog, read_catalog  # only here: parsing is what the cache saves

    if key is None:
        return measure(read_catalog(path), language, article)
    progress = measure(parse_catalog(data, str(path)), language, article)
    cache.put(place, key, [getattr(progress, name) for name in COUNTS])
    return progress


# ------------------------------------------------------------ least confident


@dataclass(frozen=True)
class Suggestion:
    """An unreviewed machine suggestion, for ``l10n status --least-confident``."""

    language: str
    article: str
    line: int
    confidence: float
    msgid: str
    checks: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"language": self.language, "article": self.article, "line": self.line,
                "confidence": self.confidence, "msgid": self.msgid, "checks": list(self.checks)}


def least_confident(project: Project, languages: list[str] | None = None, count: int = 20) -> list[Suggestion]:
    """The ``count`` fuzzy machine suggestions with the lowest confidence, lowest first."""
    from .notes import provenance
    from .po import read_catalog

    found = []
    for lang, article, path in project.catalogs(languages):
        if path.is_file():
            for entry in read_catalog(path):
                if entry.obsolete or not entry.msgstr or not entry.fuzzy:
                    continue
                note = provenance(entry)
                if note.kind != "machine" or note.confidence is None:
                    continue
                line = 0
                if entry.occurrences:
                    try:
                        line = int(entry.occurrences[0][1])
                    except ValueError:
                        pass
                found.append(Suggestion(lang, article.slug, line, note.confidence, entry.msgid, note.checks))
    found.sort(key=lambda s: (s.confidence, s.language, s.article, s.line))
    return found[:count]
