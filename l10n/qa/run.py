"""``l10n check`` over a project: the chosen catalogs, and those that are missing.

The command-level functions of :mod:`l10n.qa`; nothing below the commands
imports this module. The findings are worked out, and handed on, catalog by
catalog: a run holds one catalog's findings at a time. The findings of each
catalog are kept in ``.l10n/check-cache.sqlite`` (see :mod:`l10n.cache`)
under a hash of all they depend on: the catalog's bytes, the article's (the
``structure`` check reads it), the settings, the language, and the code of
l10n and of the libraries the checks ask (Babel's CLDR data, num2words,
markdown-it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import parallel
from ..cache import Cache, code_version, digest
from ..config import CONFIG_NAME
from ..errors import L10nError
from ..project import Article, Project
from .registry import Context, Finding, check_entry, ordered

if TYPE_CHECKING:
    import polib

LIBRARIES = ("polib", "babel", "num2words", "markdown_it", "mdit_py_plugins")
_FIELDS = ("line", "msgid", "check", "severity", "message")
_ROW = (int, str, str, str, str)  # the types of a finding's _FIELDS


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
    """Every finding of :func:`iter_findings`, as a list."""
    return list(iter_findings(project, languages, articles, reviewed_only=reviewed_only))


def iter_findings(project: Project, languages: list[str] | None = None, articles: list[str] | None = None, *,
                  reviewed_only: bool = False) -> Iterator[Finding]:
    """The findings over the catalogs of the chosen languages and articles, by language, article and line.

    They come catalog by catalog (languages and slugs in alphabetical order:
    the order :func:`~l10n.qa.registry.ordered` gives all of them), so only
    one catalog's findings are held at a time.
    Missing catalogs are passed over here (``l10n check`` first refuses
    them, see :func:`missing_catalogs`; ``l10n publish`` skips their articles).
    ``reviewed_only`` leaves fuzzy entries out, as publishing does.
    """
    settings = digest(_settings_bytes(project), repr(project.config), str(reviewed_only))
    chosen = sorted(project.articles(articles), key=lambda article: article.slug)
    with Cache(project.root, "check", code_version(*LIBRARIES)) as cache:
        tasks = (_task(project, lang, article, path, cache, settings)
                 for lang in sorted(project.languages(languages)) for article in chosen
                 if (path := project.catalog_path(lang, article.slug)).is_file())
        for place, key, findings in parallel.ordered(tasks, _check, (project, reviewed_only)):
            if key:
                cache.put(place, key, [[getattr(f, name) for name in _FIELDS] for f in findings])
            yield from findings


def _settings_bytes(project: Project) -> bytes:
    try:
        return (project.root / CONFIG_NAME).read_bytes()
    except OSError:
        return b""


def _task(project: Project, lang: str, article: Article, path: Path, cache: Cache,
          settings: str) -> tuple[bool, tuple]:
    """A catalog's findings from ``cache`` while nothing they depend on changed, else the work to find them.

    Either way as a task for :func:`l10n.parallel.ordered`, whose value is
    (or, done by :func:`_check`, gives) ``(place, key to cache under, findings)``.
    """
    try:
        data = path.read_bytes()
    except OSError:  # read_catalog says what is wrong, in its words
        data = None
    try:
        source = article.source()
    except L10nError:  # the checks say what they make of an article they cannot read
        source = None
    place = project.rel(path)
    key = "" if data is None or source is None else digest(settings, lang, article.slug, article.rel, data, source)
    cached = _from_cache(cache.get(place, key) if key else None, lang, article.slug)
    if cached is not None:
        return False, (place, "", cached)
    return True, (lang, article, path, data, place, key)


def _check(context: tuple[Project, bool], work: tuple) -> tuple[str, str, list[Finding]]:
    """The findings of one catalog, in order (in a worker process when there are many: no cache here)."""
    from ..po import parse_catalog, read_catalog

    project, reviewed_only = context
    lang, article, path, data, place, key = work
    po = read_catalog(path) if data is None else parse_catalog(data, str(path))
    return place, key, ordered(check_catalog(po, Context.for_project(project, lang, article), reviewed_only))


def _from_cache(rows, lang: str, slug: str) -> list[Finding] | None:
    """The findings of ``rows`` as the cache stores them ([line, msgid, check, severity, message], in order),
    or None when they are anything else."""
    try:
        if not isinstance(rows, list) or (rows and {tuple(map(type, row)) for row in rows} != {_ROW}):
            return None
    except TypeError:  # a row that is no list
        return None
    return [Finding(slug, *row, lang) for row in rows]


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
