"""``l10n extract``: articles → templates → catalogs for every target language.

All inputs are read and checked before anything is written, so a bad file
stops the run with nothing on disk changed; the files are then written
all-or-nothing. A catalog that someone saved while extract ran is merged
again from what is on disk now (:mod:`l10n.store`), never overwritten. An article whose source bytes,
settings and catalogs are exactly as the last run left them is skipped; the
record of that lives in ``.l10n/extract-cache.sqlite`` and is only a cache.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

import polib

from . import catalog, parallel, store
from .cache import Cache, code_version
from .fsutil import scratch_db
from .po import format_catalog, parse_catalog, read_catalog
from .project import Article, Project

_LIBRARIES = ("polib", "markdown_it", "mdit_py_plugins", "yaml")  # what the templates and catalogs depend on


@dataclass
class ExtractResult:
    articles: int = 0
    units: int = 0
    written: list[str] = field(default_factory=list)  # files created or changed
    obsolete: int = 0  # entries newly made obsolete
    merged: list[str] = field(default_factory=list)  # catalogs someone saved meanwhile: merged again
    converted: list[tuple[str, str]] = field(default_factory=list)  # (catalog, its old charset): now UTF-8


def extract(project: Project, only: list[str] | None = None) -> ExtractResult:
    """Update the templates and catalogs of the chosen articles; see the module docstring.

    Article by article, the new files are made (by worker processes when
    there are many: :mod:`l10n.parallel`), staged beside their targets
    (:class:`store.Staging`), and not kept in memory; they are renamed
    together at the end.
    """
    result = ExtractResult()
    with _State(project) as state, store.Staging(project.root) as staging:
        rebase = functools.partial(_rebase, project, staging)  # one for every catalog: the rows tell them apart

        def tasks():
            for article in project.articles(only):
                data = article.source()
                digest = hashlib.blake2b(data, digest_size=16).hexdigest()
                units = state.fresh(article.slug, digest)
                if units is None:
                    yield True, (article, digest, data)  # for _make
                else:
                    yield False, _Made(article, digest, units)  # as the last run left it

        for made in parallel.ordered(tasks(), _make, project):
            result.articles += 1
            result.units += made.units
            if made.template is None:
                continue  # as the last run left it
            staging.put(project.template_path(made.article.slug), made.template)
            for lang, (seen, data, converted, obsolete) in zip(project.config.target_languages, made.catalogs):
                path = project.catalog_path(lang, made.article.slug)
                if converted:
                    result.converted.append((project.rel(path), converted))
                result.obsolete += obsolete
                staging.change(path, seen, data, rebase, lang, made.article.slug, made.article.rel)
            state.extracted(made.article.slug, made.digest, made.units)
        staging.commit()
        result.written = [project.rel(path) for path in staging.written()]
        result.merged = [project.rel(path) for path in staging.merged()]
        state.save()
    return result


@dataclass
class _Made:
    """One article's new template and catalogs (``template`` None: the article is as the last run left it)."""

    article: Article
    digest: str  # of its source
    units: int
    template: bytes | None = None
    # per target language: the catalog's fingerprint as read, its new bytes, its old charset if not UTF-8,
    # and how many of its entries became obsolete
    catalogs: list[tuple[store.Fingerprint | None, bytes, str, int]] = field(default_factory=list)


def _make(project: Project, work: tuple[Article, str, bytes]) -> _Made:
    """The new template and catalogs of one article (no file is written here: see :mod:`l10n.parallel`)."""
    article, digest, data = work
    doc = project.document(article, data)
    pot_path = project.template_path(article.slug)
    old_pot = read_catalog(pot_path) if pot_path.exists() else None
    created = old_pot.metadata.get("POT-Creation-Date", "") if old_pot else ""
    pot = catalog.template(doc, project.config.name, created)
    if old_pot is None or not catalog.same_template(pot, old_pot):
        pot.metadata["POT-Creation-Date"] = catalog.now()
    made = _Made(article, digest, len(pot), format_catalog(pot).encode("utf-8"))
    for lang in project.config.target_languages:
        tracked = store.read(project.catalog_path(lang, article.slug))
        old = tracked.po
        converted = old.encoding if old is not None and old.encoding != "utf-8" else ""
        live = {(e.msgctxt, e.msgid) for e in old if not e.obsolete} if old else set()
        po = catalog.merge(pot, old, lang, article.rel)
        obsolete = sum(1 for e in po if e.obsolete and (e.msgctxt, e.msgid) in live)
        made.catalogs.append((tracked.seen, format_catalog(po).encode("utf-8"), converted, obsolete))
    return made


def _rebase(project: Project, staging: store.Staging, current: polib.POFile | None,
            lang: str, slug: str, rel: str) -> bytes:
    """A catalog saved meanwhile, merged again with the article's template as staged."""
    pot_path = project.template_path(slug)
    staged = parse_catalog(staging.bytes_of(pot_path), project.rel(pot_path))
    return format_catalog(catalog.merge(staged, current, lang, rel)).encode("utf-8")


class _State:
    """What the last extract saw, per article: source digest, settings, catalog file stats → unit count.

    Kept in ``.l10n/extract-cache.sqlite`` (:class:`l10n.cache.Cache`: a
    missing or damaged one only means the work is done again), read article
    by article; the articles extracted now wait in a temporary database and
    are recorded only once the commit succeeded, with the stats of the
    files as the commit left them.
    """

    def __init__(self, project: Project):
        self.project = project
        cfg = project.config
        self.settings = repr((cfg.name, cfg.source_language, cfg.target_languages, cfg.segmentation,
                              cfg.locales_dir, [(r.pattern.pattern, r.scope, r.publish) for r in cfg.skip],
                              cfg.markdown.front_matter))
        self._cache = Cache(project.root, "extract", code_version(*_LIBRARIES))
        self._done = scratch_db()
        self._done.execute("CREATE TABLE done (slug TEXT PRIMARY KEY, source TEXT NOT NULL, units INTEGER NOT NULL)")

    def __enter__(self) -> _State:
        return self

    def __exit__(self, *exc) -> None:
        self._cache.__exit__(*exc)
        self._done.close()

    def _key(self, slug: str, digest: str) -> str | None:
        """What the unit count of ``slug`` depends on, or None while one of its files is missing."""
        stats = []
        for path in [self.project.template_path(slug)] + [self.project.catalog_path(lang, slug)
                                                          for lang in self.project.config.target_languages]:
            try:
                st = path.stat()
            except FileNotFoundError:
                return None
            stats.append(f"{st.st_size}:{st.st_mtime_ns}")
        return f"{self.settings}\n{digest}\n{' '.join(stats)}"

    def fresh(self, slug: str, digest: str) -> int | None:
        """The unit count if nothing changed since the last run, else None."""
        key = self._key(slug, digest)
        return None if key is None else self._cache.get(slug, key)

    def extracted(self, slug: str, digest: str, units: int) -> None:
        """Note an article extracted now, to record once the commit succeeded."""
        self._done.execute("INSERT OR REPLACE INTO done VALUES (?, ?, ?)", (slug, digest, units))

    def save(self) -> None:
        """Record the articles extracted now (call after the commit)."""
        for slug, digest, units in self._done.execute("SELECT slug, source, units FROM done ORDER BY rowid"):
            key = self._key(slug, digest)
            if key is not None:
                self._cache.put(slug, key, units)
        self._cache.save()
