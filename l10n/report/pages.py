"""What the report shows: one page per article and language, one row per live catalog entry.

Each catalog is read once: its progress (:func:`l10n.status.measure`), its
rows and the findings of the QA checks (:mod:`l10n.qa`) come from the same
read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from ..notes import NOTE, Provenance, provenance
from ..po import read_catalog
from ..project import Article, Project
from ..qa.registry import Context, Finding, check_entry, ordered
from ..status import Progress, measure


@dataclass
class Row:
    """One live catalog entry as the report shows it."""

    number: int  # 1-based position in the catalog, the anchor ``#unit-<number>``
    msgid: str
    msgstr: str
    state: str  # reviewed | fuzzy | untranslated
    lines: list[int]
    note: list[str]  # the extracted comment lines: what the unit is
    comments: list[str]  # translators' own comment lines
    origin: Provenance
    previous: str | None  # old source text of a fuzzy match (#| msgid)
    findings: list[Finding] = field(default_factory=list)  # errors first, then in the checks' order
    rank: int = 0  # position in "least confident first" order

    @property
    def kind(self) -> str:
        first = self.note[0].split(",")[0].split()[0] if self.note and self.note[0].split() else "unit"
        return first.lower()


@dataclass
class Page:
    """One article in one language."""

    language: str
    article: Article
    progress: Progress
    rows: list[Row] = field(default_factory=list)
    stale: int = 0  # units of the article that its catalog lacks (extract not run)
    catalog: str = ""  # the catalog's path, relative to the project

    @property
    def href(self) -> str:
        """The page's path below the report folder."""
        return f"{self.language}/{self.article.slug}.html"

    @property
    def finding_count(self) -> int:
        return sum(len(row.findings) for row in self.rows)

    @property
    def with_findings(self) -> int:
        """How many rows have findings."""
        return sum(1 for row in self.rows if row.findings)


def read_pages(project: Project, languages: list[str] | None = None) -> dict[str, list[Page]]:
    """The pages of every article, by chosen language (default: all), in the order of :meth:`Project.catalogs`."""
    pages: dict[str, list[Page]] = {lang: [] for lang in project.languages(languages)}
    for lang, article, path in project.catalogs(languages):
        pages[lang].append(_page(project, lang, article, path))
    return pages


def _page(project: Project, lang: str, article: Article, path) -> Page:
    page = Page(lang, article, Progress(lang, article.slug, missing=True), catalog=project.rel(path))
    if not path.exists():
        return page
    po = read_catalog(path)
    page.progress = measure(po, lang, article.slug)
    context = Context.for_project(project, lang, article)
    live = [entry for entry in po if not entry.obsolete]
    page.rows = [_row(number, entry, context) for number, entry in enumerate(live, 1)]
    known = {row.msgid for row in page.rows}
    page.stale = sum(1 for unit in project.document(article).units() if unit.text not in known)
    _rank(page.rows)
    return page


def _row(number: int, entry: polib.POEntry, context: Context) -> Row:
    if not entry.msgstr:
        state = "untranslated"
    elif entry.fuzzy:
        state = "fuzzy"
    else:
        state = "reviewed"
    lines = []
    for _, line in entry.occurrences:
        try:
            lines.append(int(line))
        except (TypeError, ValueError):
            pass
    comments = [line for line in (entry.tcomment or "").split("\n") if line and not line.startswith(NOTE)]
    note = [line for line in (entry.comment or "").split("\n") if line]
    return Row(number, entry.msgid, entry.msgstr, state, lines, note, comments, provenance(entry),
               entry.previous_msgid if entry.fuzzy else None, ordered(check_entry(entry, context)))


def _rank(rows: list[Row]) -> None:
    """Least confident first: fuzzy machine suggestions by confidence, then the rest in catalog order."""
    machine = sorted((row for row in rows if is_suggestion(row)), key=lambda row: (row.origin.confidence, row.number))
    order = machine + [row for row in rows if not is_suggestion(row)]
    for rank, row in enumerate(order, 1):
        row.rank = rank


def is_suggestion(row: Row) -> bool:
    """Whether ``row`` is an unreviewed machine suggestion with a confidence."""
    return row.state == "fuzzy" and row.origin.kind == "machine" and row.origin.confidence is not None


def least_confident(pages: list[Page]) -> list[tuple[Page, Row]]:
    """The unreviewed machine suggestions of ``pages``, lowest confidence first."""
    found = [(page, row) for page in pages for row in page.rows if is_suggestion(row)]
    return sorted(found, key=lambda item: (item[1].origin.confidence, item[0].article.slug, item[1].number))
