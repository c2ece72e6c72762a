"""Where a project keeps its files: articles, templates, catalogs, published output."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import config as config_module
from . import formats
from .config import Config
from .document import Document
from .errors import L10nError
from .formats import SUFFIXES


# C0 and C1 control characters, and the surrogates os.fsdecode makes of bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\udc80-\udcff]")


def printable(name: str) -> str:
    """``name`` with control characters escaped (``\\n``) and bytes that are not UTF-8 as ``\\xff``: one line."""
    def escape(match: re.Match) -> str:
        char = match.group()
        if "\udc80" <= char <= "\udcff":
            return f"\\x{ord(char) - 0xDC00:02x}"
        return ascii(char)[1:-1]
    return _UNPRINTABLE.sub(escape, name)


def _check_name(rel: str) -> None:
    """A file name that would break a catalog's ``#:`` line, or cannot be written as UTF-8, is an error."""
    shown = printable(rel)
    if any("\udc80" <= c <= "\udcff" for c in rel):
        raise L10nError(f"{shown}: the file name is not valid UTF-8; rename it")
    if shown != rel:
        raise L10nError(f"{shown}: the file name has a control character; rename it")


def resolved(path: Path, shown: str) -> Path:
    """``path.resolve()`` (it need not exist), with a loop of symbolic links as one line naming ``shown``."""
    loop = L10nError(f"{shown}: a loop of symbolic links")
    try:
        target = path.resolve()
    except RuntimeError:  # Python < 3.13: "Symlink loop from ..."
        raise loop from None
    except OSError as exc:
        raise (loop if exc.errno == errno.ELOOP else L10nError(f"{shown}: {exc.strerror}")) from None
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as exc:  # Python 3.13 resolves a loop without a word
            if exc.errno == errno.ELOOP:
                raise loop from None
    return target


@dataclass(frozen=True, slots=True)  # slots, and the path as a string: a project of many articles keeps one each
class Article:
    """A source article. ``slug`` names its catalogs; ``rel`` is its path from the project root."""

    slug: str
    rel: str
    file: str  # its path, as the file system is given it

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def name(self) -> str:
        """The path below the source folder, kept for published files."""
        return self.slug + os.path.splitext(self.file)[1]

    def source(self) -> bytes:
        """The article's bytes."""
        try:
            with open(self.file, "rb") as f:
                return f.read()
        except OSError as exc:
            raise L10nError(f"{self.rel}: cannot read: {exc.strerror}") from None


class Project:
    """A project folder with ``l10n.yaml``; the sphinx-intl layout under ``locales/``."""

    def __init__(self, root: Path, config: Config | None = None):
        self.root = root
        self.config = config or config_module.load(root)

    def articles(self, only: list[str] | None = None) -> list[Article]:
        """Every article under the source folder, sorted by slug, optionally only the named slugs.

        A name with a control character or a byte that is not UTF-8, a link
        out of the project and a loop of links are errors naming the file.
        """
        folder = self.config.source_path
        if not folder.is_dir():
            raise L10nError(f"{self.rel(folder)}: source folder not found")
        root = self.root.resolve()
        found = []
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES or any(p.startswith(".") for p in path.relative_to(folder).parts):
                continue
            slug = path.relative_to(folder).with_suffix("").as_posix()
            rel = self.rel(path)
            _check_name(rel)
            found.append(Article(slug, rel, str(path)))
        # What l10n publishes may land in the source folder (publish.path: "source/{dir}{stem}.{lang}{ext}"):
        # a published article is no article to translate.
        published = {self.rel(self.output_path(lang, a)) for a in found for lang in self.config.target_languages}
        by_slug: dict[str, Article] = {}
        for article in found:
            if article.rel in published:
                continue
            path, slug = article.path, article.slug
            target = resolved(path, article.rel)
            if not target.is_relative_to(root):
                raise L10nError(f"{self.rel(path)}: points outside the project folder (to {target}); "
                                "copy the file into the project instead")
            if not target.is_file():
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

    def catalogs(self, languages: list[str] | None = None,
                 articles: list[str] | None = None) -> Iterator[tuple[str, Article, Path]]:
        """(language, article, catalog path) for the chosen languages and articles, language by language.

        The paths may not exist yet (``l10n extract`` makes them).
        """
        chosen = self.articles(articles)
        for lang in self.languages(languages):
            for article in chosen:
                yield lang, article, self.catalog_path(lang, article.slug)

    def document(self, article: Article, data: bytes | None = None) -> Document:
        """``article`` parsed with its format (from ``data``, its bytes, when they were read already)."""
        source = article.source() if data is None else data
        return formats.for_path(article.rel).read(source, article.rel, formats.FormatSettings.from_config(self.config))

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


def create(directory: Path, source_language: str, target_languages: list[str]) -> Path:
    """Start a project in ``directory``: a fresh ``l10n.yaml``, ``source/`` and ``locales/``; returns the settings' path.

    Refuses to overwrite an existing ``l10n.yaml``.
    """
    from .fsutil import atomic_write
    from .yamlfile import load_yaml

    path = directory / config_module.CONFIG_NAME
    if path.exists():
        raise L10nError(f"{path}: already exists; edit it instead of running init again")
    from .segment import rules_for

    text = config_module.render_new(source_language, target_languages, rules_for(source_language) is not None)
    config_module.parse(load_yaml(text, str(path)), directory)  # what init writes must load
    for folder in ("source", "locales"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    return path
