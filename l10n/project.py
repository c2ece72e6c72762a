"""Where a project keeps its files: articles, templates, catalogs, published output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import config as config_module
from .config import Config
from .errors import L10nError
from .formats import FORMATS


@dataclass(frozen=True)
class Article:
    """A source article. ``slug`` names its catalogs; ``rel`` is its path from the project root."""

    slug: str
    rel: str
    path: Path

    @property
    def name(self) -> str:
        """The path below the source folder, kept for published files."""
        return self.slug + self.path.suffix


class Project:
    """A project folder with ``l10n.yaml``; the sphinx-intl layout under ``locales/``."""

    def __init__(self, root: Path, config: Config | None = None):
        self.root = root
        self.config = config or config_module.load(root)

    def articles(self, only: list[str] | None = None) -> list[Article]:
        """Every article under the source folder, sorted by slug, optionally only the named slugs."""
        folder = self.config.source_path
        if not folder.is_dir():
            raise L10nError(f"{self.rel(folder)}: source folder not found")
        root = self.root.resolve()
        found = []
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in FORMATS or any(p.startswith(".") for p in path.relative_to(folder).parts):
                continue
            slug = path.relative_to(folder).with_suffix("").as_posix()
            found.append(Article(slug, self.rel(path), path))
        # What l10n publishes may land in the source folder (publish.path: "source/{dir}{stem}.{lang}{ext}"):
        # a published article is no article to translate.
        published = {self.rel(self.output_path(lang, a)) for a in found for lang in self.config.target_languages}
        by_slug: dict[str, Article] = {}
        for article in found:
            if article.rel in published:
                continue
            path, slug = article.path, article.slug
            resolved = path.resolve()
            if not resolved.is_relative_to(root):
                raise L10nError(f"{self.rel(path)}: points outside the project folder (to {resolved}); "
                                "copy the file into the project instead")
            if not resolved.is_file():
                continue
            clash = by_slug.get(slug.casefold())
            if clash:
                raise L10nError(f"{article.rel}: same slug {slug!r} as {clash.rel}; rename one of them")
            by_slug[slug.casefold()] = article
        articles = sorted(by_slug.values(), key=lambda a: a.slug)
        if only:
            known = {a.slug for a in articles}
            for slug in only:
                if slug not in known:
                    raise L10nError(f"{self.rel(folder)}: no article with slug {slug!r}")
            articles = [a for a in articles if a.slug in only]
        return articles

    def languages(self, only: list[str] | None = None) -> tuple[str, ...]:
        """The target languages, or the given subset (an unknown one is an error)."""
        if not only:
            return self.config.target_languages
        from .languages import normalize_language

        chosen = []
        for code in only:
            normal = normalize_language(code)
            if normal not in self.config.target_languages:
                targets = ", ".join(self.config.target_languages)
                raise L10nError(f"{config_module.CONFIG_NAME}: {code!r} is not a target language (targets: {targets})")
            chosen.append(normal)
        return tuple(chosen)

    def template_path(self, slug: str) -> Path:
        return self.config.locales_path / "templates" / f"{slug}.pot"

    def catalog_path(self, lang: str, slug: str) -> Path:
        return self.config.locales_path / lang / "LC_MESSAGES" / f"{slug}.po"

    def output_path(self, lang: str, article: Article) -> Path:
        """Where ``article`` is published in ``lang``: the ``publish.path`` template filled in."""
        name = PurePosixPath(article.name)
        folder = name.parent.as_posix()
        return self.root / self.config.publish_path.format(
            lang=lang, path=name.as_posix(), dir="" if folder == "." else folder + "/", stem=name.stem,
            ext=name.suffix)

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, as shown to the user and written in references."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
