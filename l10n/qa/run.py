"""``l10n check`` over a project: the chosen catalogs, and those that are missing.

The command-level functions of :mod:`l10n.qa`; nothing below the commands
imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable

import polib

from ..po import read_catalog
from ..project import Project
from .registry import Context, Finding, check_entry, ordered


def check_catalog(po: Iterable[polib.POEntry], context: Context, reviewed_only: bool = False) -> list[Finding]:
    """The findings of every entry of a catalog; only reviewed (not fuzzy) entries with ``reviewed_only``."""
    found = []
    for entry in po:
        if reviewed_only and entry.fuzzy:
            continue
        found.extend(check_entry(entry, context))
    return found


def run_checks(project: Project, languages: list[str] | None = None, articles: list[str] | None = None, *,
               reviewed_only: bool = False) -> list[Finding]:
    """The findings over the catalogs of the chosen languages and articles, by language, article and line.

    Missing catalogs are passed over here (``l10n check`` first refuses
    them, see :func:`missing_catalogs`; ``l10n publish`` skips their articles).
    ``reviewed_only`` leaves fuzzy entries out, as publishing does.
    """
    found = []
    for lang, article, path in project.catalogs(languages, articles):
        if path.is_file():
            context = Context.for_project(project, lang, article)
            found.extend(check_catalog(read_catalog(path), context, reviewed_only))
    return ordered(found)


def missing_catalogs(project: Project, languages: list[str] | None = None,
                     articles: list[str] | None = None) -> list[str]:
    """One problem per chosen catalog that is not a file (``path: no catalog``), for ``l10n check`` to fail on.

    A gate that checked nothing must not pass: an article without its
    catalog has not been checked.
    """
    problems = []
    for _lang, _article, path in project.catalogs(languages, articles):
        if path.is_dir():
            problems.append(f"{project.rel(path)}: a folder, not a catalog (remove it)")
        elif not path.is_file():
            problems.append(f"{project.rel(path)}: no catalog")
    return problems
