"""``l10n extract``: articles → templates → catalogs for every target language.

All inputs are read and checked before anything is written, so a bad file
stops the run with nothing on disk changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import catalog, formats
from .errors import L10nError
from .pofile import read_catalog, write_catalog
from .project import Article, Project


@dataclass
class ExtractResult:
    articles: int = 0
    units: int = 0
    written: list[str] = field(default_factory=list)  # files created or changed
    obsolete: int = 0  # entries newly made obsolete


def extract(project: Project, only: list[str] | None = None) -> ExtractResult:
    result = ExtractResult()
    plans: list[tuple[Path, polib.POFile]] = []
    for article in project.articles(only):
        doc = read_document(project, article)
        pot_path = project.template_path(article.slug)
        old_pot = read_catalog(pot_path) if pot_path.exists() else None
        created = old_pot.metadata.get("POT-Creation-Date", "") if old_pot else ""
        pot = catalog.template(doc, project.config.name, created)
        if old_pot is None or not catalog.same_template(pot, old_pot):
            pot.metadata["POT-Creation-Date"] = catalog.now()
        plans.append((pot_path, pot))
        result.articles += 1
        result.units += len(pot)
        for lang in project.config.target_languages:
            po_path = project.catalog_path(lang, article.slug)
            old = read_catalog(po_path) if po_path.exists() else None
            before = sum(1 for e in old if e.obsolete) if old else 0
            po = catalog.merge(pot, old, lang, article.rel)
            result.obsolete += sum(1 for e in po if e.obsolete) - before
            plans.append((po_path, po))
    for path, po in plans:
        if write_catalog(path, po):
            result.written.append(project.rel(path))
    return result


def read_document(project: Project, article: Article):
    """Parse one article."""
    try:
        data = article.path.read_bytes()
    except OSError as exc:
        raise L10nError(f"{article.rel}: cannot read: {exc.strerror}") from None
    return formats.read(data, article.rel, project.config)
