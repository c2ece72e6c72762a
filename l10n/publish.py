"""``l10n publish``: catalogs + articles → localized articles in the original layout.

Reviewed translations are used; fuzzy ones only on request; everything else
falls back to the source text. An article whose reviewed share is below the
threshold is not published (po4a's rule), and the result says why.

In an article whose format can check markup (Markdown), a translation the
``markup`` check of :mod:`l10n.checks` finds a problem in (an unpaired
``**``, a lost link bracket) is not used either: the unit keeps its source
text rather than break the page, unless the entry silences that check
(``# l10n-ignore: markup``). Each published article then goes through its
format's ``localize`` (Markdown: the language in the front matter), and is
written where ``publish.path`` says.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formats
from .checks import CHECKS, Context, ignored
from .config import CONFIG_NAME
from .errors import L10nError
from .extract import read_document
from .fsutil import atomic_write_many
from .pofile import read_catalog
from .project import Project
from .status import is_reviewed, measure


@dataclass
class Outcome:
    language: str
    article: str
    output: str | None  # path written (or unchanged), None when not published
    percent_reviewed: float
    fallback: int  # units shown in the source language
    stale: int  # units of the article that its catalog lacks (extract not run)
    reason: str = ""
    errors: int = 0  # with check: QA errors in the translations it would use (then not published)
    broken: int = 0  # units whose translation breaks the markup: kept in the source language


def publish(project: Project, languages: list[str] | None = None, articles: list[str] | None = None,
            min_reviewed: float = 0.0, include_fuzzy: bool = False, check: bool = False) -> list[Outcome]:
    """Publish every chosen article in every chosen language; returns one outcome each.

    With ``check``, an article whose translations in use (reviewed ones, and
    fuzzy ones with ``include_fuzzy``) have a QA error (:mod:`l10n.checks`)
    is not published.
    """
    planned = []
    chosen = project.articles(articles)
    errors: dict[tuple[str, str], int] = {}
    if check:
        from .checks import ERROR, run_checks

        for finding in run_checks(project, languages, articles, reviewed_only=not include_fuzzy):
            if finding.severity == ERROR:
                key = (finding.language, finding.article)
                errors[key] = errors.get(key, 0) + 1
    _no_clashes(project, chosen)
    documents = {a.slug: read_document(project, a) for a in chosen}
    for lang in project.languages(languages):
        for article in chosen:
            po_path = project.catalog_path(lang, article.slug)
            doc = documents[article.slug]
            if not po_path.exists():
                planned.append((Outcome(lang, article.slug, None, 0.0, 0, 0,
                                        f"no catalog {project.rel(po_path)}; run `l10n extract`"), None))
                continue
            po = read_catalog(po_path)
            progress = measure(po, lang, article.slug)
            table = {e.msgid: e.msgstr for e in po
                     if e.msgstr and not e.obsolete and (include_fuzzy or is_reviewed(e))}
            known = {e.msgid for e in po if not e.obsolete}
            units = list(doc.units())
            outcome = Outcome(lang, article.slug, project.rel(project.output_path(lang, article)),
                              progress.percent_reviewed, sum(1 for u in units if u.text not in table),
                              sum(1 for u in units if u.text not in known))
            if progress.percent_reviewed < min_reviewed:
                outcome.output = None
                outcome.reason = f"{progress.percent_reviewed:.0f}% reviewed, below the {min_reviewed:g}% threshold"
                planned.append((outcome, None))
                continue
            outcome.errors = errors.get((lang, article.slug), 0)
            if outcome.errors:
                outcome.output = None
                plural = "" if outcome.errors == 1 else "s"
                outcome.reason = (f"{outcome.errors} QA error{plural}; see `l10n check --lang {lang} "
                                  f"--article {article.slug}`")
                planned.append((outcome, None))
                continue
            context = Context.for_project(project, lang, article)
            if context.format_markup is not None:
                broken = _broken(table, context, {e.msgid for e in po if "markup" in ignored(e)})
                outcome.broken = sum(1 for u in units if u.text in broken)
                for msgid in broken:
                    del table[msgid]
            data = doc.render(lambda unit: table.get(unit.text), publish=True)
            planned.append((outcome, formats.localize(data, article.rel, lang, project.config)))
    atomic_write_many((project.root / outcome.output, data) for outcome, data in planned if data is not None)
    return [outcome for outcome, _ in planned]


def _broken(table: dict[str, str], context: Context, silenced: set[str]) -> set[str]:
    """The msgids whose translation in ``table`` the ``markup`` check finds a problem in."""
    markup = CHECKS["markup"].run
    return {msgid for msgid, msgstr in table.items()
            if msgid not in silenced and next(iter(markup(msgid, msgstr, context)), None) is not None}


def _no_clashes(project: Project, articles) -> None:
    """An error if two articles would be published to the same file (``publish.path`` without ``{dir}``)."""
    seen: dict = {}
    for lang in project.config.target_languages:
        for article in articles:
            path = project.output_path(lang, article)
            other = seen.setdefault(path, article)
            if other is not article:
                raise L10nError(f"{CONFIG_NAME}: publish.path: {other.rel} and {article.rel} would both be published "
                                f"as {project.rel(path)}; use {{path}}, or {{dir}} with {{stem}}")
