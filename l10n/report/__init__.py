"""``l10n report``: a static HTML review report in ``<output>/report/``.

``index.html`` has a progress bar per language and article (reviewed, fuzzy,
untranslated, the same counts as ``l10n status``) and the least confident
machine suggestions; ``<lang>/<slug>.html`` shows one article's catalog
entry by entry, source beside translation, coloured by state, with the unit's
kind and line, where a suggestion came from (machine translation with its
confidence, translation memory, glossary), the old source text of a fuzzy
match, the translators' comments and the findings of the QA checks
(:mod:`l10n.qa`, as ``l10n check`` reports them).

:mod:`.pages` reads each catalog once into what the pages show;
:mod:`.render` writes the HTML with the Jinja2 templates in ``templates/``
(autoescaped) and inlines the style sheet ``report.css``.

The pages are self-contained: inline CSS, no script, no font or image, and a
Content-Security-Policy that forbids loading anything, so they open from the
file system anywhere. Filtering by state and the "least confident first"
order are CSS alone (radio buttons, ``:has()`` and ``order``). The output
depends only on the project's files, so an unchanged project rewrites
nothing; all files are written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import atomic_write_many
from ..project import Project
from .pages import read_pages
from .render import article_html, index_html

REPORT_DIR = "report"


@dataclass
class ReportResult:
    index: Path
    pages: int = 0  # article pages
    written: list[str] = field(default_factory=list)  # files created or changed
    findings: int = 0


def report(project: Project, languages: list[str] | None = None) -> ReportResult:
    """Write the report for the chosen languages (default: all); returns what was done."""
    pages = read_pages(project, languages)
    folder = project.config.output_path / REPORT_DIR
    shown = [page for lang_pages in pages.values() for page in lang_pages if not page.progress.missing]
    files = [(folder / "index.html", index_html(project, pages).encode("utf-8"))]
    files += [(folder / page.href, article_html(project, page).encode("utf-8")) for page in shown]
    written = atomic_write_many(files)
    return ReportResult(index=folder / "index.html", pages=len(shown), written=[project.rel(p) for p in written],
                        findings=sum(page.finding_count for page in shown))
