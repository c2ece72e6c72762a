"""``l10n extract``: articles → templates → catalogs for every target language.

All inputs are read and checked before anything is written, so a bad file
stops the run with nothing on disk changed; the files are then written
all-or-nothing. A catalog that someone saved while extract ran is merged
again from what is on disk now (:mod:`l10n.store`), never overwritten. An article whose source bytes,
settings and catalogs are exactly as the last run left them is skipped; the
record of that lives in ``.l10n/extract-state.json`` and is only a cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, catalog, store
from .document import Document
from .fsutil import STATE_DIR, atomic_write
from .po import format_catalog, parse_catalog, read_catalog
from .project import Article, Project

STATE_FILE = Path(STATE_DIR) / "extract-state.json"


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

    Article by article, the new files are staged beside their targets
    (:class:`store.Staging`) and nothing of the article is kept in memory;
    they are renamed together at the end.
    """
    result = ExtractResult()
    state = _State(project)
    done: list[tuple[str, str, int]] = []  # (slug, source digest, units): little per article, for many articles
    with store.Staging(project.root) as staging:
        for article in project.articles(only):
            data = article.source()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            result.articles += 1
            units = state.fresh(article.slug, digest, _outputs(project, article.slug))
            if units is None:
                units = _update(project, article, project.document(article, data), staging, result)
                done.append((article.slug, digest, units))
            result.units += units
        saved = staging.commit()
    result.written = [project.rel(path) for path in saved.written]
    result.merged = [project.rel(path) for path in saved.merged]
    for slug, digest, units in done:
        state.record(slug, digest, units, _outputs(project, slug))
    state.save()
    return result


def _outputs(project: Project, slug: str) -> list[Path]:
    """The template and the catalogs of an article."""
    return [project.template_path(slug)] + [project.catalog_path(lang, slug) for lang in project.config.target_languages]


def _update(project: Project, article: Article, doc: Document, staging: store.Staging,
            result: ExtractResult) -> int:
    """Stage the new template and catalogs of one article; returns its unit count."""
    pot_path = project.template_path(article.slug)
    old_pot = read_catalog(pot_path) if pot_path.exists() else None
    created = old_pot.metadata.get("POT-Creation-Date", "") if old_pot else ""
    pot = catalog.template(doc, project.config.name, created)
    if old_pot is None or not catalog.same_template(pot, old_pot):
        pot.metadata["POT-Creation-Date"] = catalog.now()
    staging.put(pot_path, format_catalog(pot).encode("utf-8"))
    for lang in project.config.target_languages:
        tracked = store.read(project.catalog_path(lang, article.slug))
        old = tracked.po
        if old is not None and old.encoding != "utf-8":
            result.converted.append((project.rel(tracked.path), old.encoding))
        live = {(e.msgctxt, e.msgid) for e in old if not e.obsolete} if old else set()
        po = catalog.merge(pot, old, lang, article.rel)
        result.obsolete += sum(1 for e in po if e.obsolete and (e.msgctxt, e.msgid) in live)

        def rebase(current, lang=lang):  # against the template as staged: nothing of this article is kept
            staged = parse_catalog(staging.bytes_of(pot_path), project.rel(pot_path))
            return format_catalog(catalog.merge(staged, current, lang, article.rel)).encode("utf-8")

        staging.change(store.Change(replace(tracked, po=None), format_catalog(po).encode("utf-8"), rebase))
    return len(pot)


class _State:
    """What the last extract saw: source digest, unit count and catalog file stats per article."""

    def __init__(self, project: Project):
        self.path = project.root / STATE_FILE
        cfg = project.config
        self.key = repr((__version__, cfg.name, cfg.source_language, cfg.target_languages, cfg.segmentation,
                         cfg.locales_dir, [(r.pattern.pattern, r.scope, r.publish) for r in cfg.skip],
                         cfg.markdown.front_matter))
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.articles = data["articles"] if data.get("key") == self.key else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.articles = {}

    def fresh(self, slug: str, digest: str, outputs: list[Path]) -> int | None:
        """The unit count if nothing changed since the last run, else None."""
        seen = self.articles.get(slug)
        if not seen or seen.get("source") != digest or seen.get("files") != _stats(outputs):
            return None
        return seen.get("units")

    def record(self, slug: str, digest: str, units: int, outputs: list[Path]) -> None:
        self.articles[slug] = {"source": digest, "units": units, "files": _stats(outputs)}

    def save(self) -> None:
        try:
            atomic_write(self.path, json.dumps({"key": self.key, "articles": self.articles}).encode())
        except OSError:
            pass  # only a cache: the next run does the work again


def _stats(paths: list[Path]) -> list:
    stats = []
    for path in paths:
        try:
            st = path.stat()
        except FileNotFoundError:
            return []
        stats.append([path.name, st.st_size, st.st_mtime_ns])
    return stats
