"""``l10n memory align``: files and folders, pairing them, and writing the pairs to the memory.

Two files are one article and its translation. Two folders hold many: each
article below the source folder (``.txt``, ``.md``, in subfolders too) is
paired with the file the ``pair_by`` rule names below the translation
folder — ``path``: the same relative path (the default); ``stem``: the same
folder and file name, whatever the extension (``a.txt`` with ``a.md``); or a
template of the translation's path with the fields ``{dir}`` (the folder
with a trailing ``/``, or nothing), ``{stem}``, ``{ext}``, ``{path}`` and
``{lang}`` (``{dir}{stem}.{lang}{ext}``: ``news/a.md`` with
``news/a.en.md``). Articles without a translation, translations without an
article, and (in folders) files that cannot be read are skipped and counted.

The pairs found (beads with sentences on both sides, joined with one space)
at or above ``min_confidence`` go to ``locales/memory/<lang>.tmx`` as
imported pairs, each with its origin (both file names) and confidence; a
pair already there is not added again. The memory file is read and
replaced under the project's catalog lock, atomically.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import L10nError
from ..formats import SUFFIXES
from ..memory.tmx import Pair, imported_pairs, memory_path, tmx_bytes
from ..project import Project
from .article import Aligner
from .beads import Bead

MIN_CONFIDENCE = 0.5  # the default of --min-confidence
PAIR_RULES = ("path", "stem")
_FIELDS = {"dir", "stem", "ext", "path", "lang"}


@dataclass(frozen=True)
class Article:
    """An article and its translation: the files, and their names as the user gave them."""

    source: Path
    target: Path

    @property
    def origin(self) -> str:
        return f"{self.source.as_posix()} ↔ {self.target.as_posix()}"


@dataclass
class Aligned:
    """What aligning brought: per article its beads, the pairs kept, and what was left out."""

    language: str
    path: str = ""  # the memory file, from the project root
    articles: list[tuple[Article, list[Bead]]] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)  # at or above the threshold, in order, duplicates left out
    low: int = 0  # pairs below the threshold
    added: int = 0
    known: int = 0  # pairs already in the memory
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def articles(source: Path, target: Path, language: str, pair_by: str = "path") -> tuple[list[Article],
                                                                                       list[tuple[str, str]]]:
    """The article pairs of two files or two folders, and the files skipped (name, why)."""
    for path in (source, target):
        if not path.exists():
            raise L10nError(f"{path}: no such file or folder")
    if source.is_dir() != target.is_dir():
        folder, file = (source, target) if source.is_dir() else (target, source)
        raise L10nError(f"{folder} is a folder but {file} is not: give two files or two folders")
    same = source.resolve() == target.resolve()
    if same and (not source.is_dir() or pair_by == "path"):
        raise L10nError(f"{target}: the same {'folder' if source.is_dir() else 'file'} as {source}: give the "
                        "translation's" + (", or a --pair-by rule" if source.is_dir() else ""))
    if not source.is_dir():
        return [Article(source, target)], []
    rule = _rule(pair_by, language)
    sources = _articles(source)
    candidates = {rel: [c for c in rule(rel) if not (same and c == rel)] for rel in sources}
    if same:  # translations beside their articles (Hugo): not articles themselves
        named = {c for rel in sources for c in candidates[rel]}
        sources = [rel for rel in sources if rel not in named]
    found, skipped, used = [], [], set()
    for rel in sources:
        other = next((c for c in candidates[rel] if (target / c).is_file()), None)
        if other is None:
            wanted = f" {(target / candidates[rel][0]).as_posix()}" if candidates[rel] else ""
            skipped.append(((source / rel).as_posix(), f"no translation{wanted}"))
            continue
        found.append(Article(source / rel, target / other))
        used.add(other)
    for rel in _articles(target):
        if rel not in used and not (same and rel in sources):
            skipped.append(((target / rel).as_posix(), "no article it translates"))
    return found, skipped


def _articles(folder: Path) -> list[PurePosixPath]:
    return sorted(PurePosixPath(p.relative_to(folder).as_posix()) for p in folder.rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.is_file() and not p.name.startswith("."))


def _rule(pair_by: str, language: str) -> Callable[[PurePosixPath], list[PurePosixPath]]:
    """The translation's possible relative paths for an article's, by ``pair_by`` (see the module docstring)."""
    if pair_by == "path":
        return lambda rel: [rel]
    if pair_by == "stem":
        return lambda rel: list(dict.fromkeys([rel] + [rel.with_suffix(suffix) for suffix in SUFFIXES]))
    try:
        fields = {name for _text, name, _spec, _conv in string.Formatter().parse(pair_by) if name is not None}
    except ValueError as exc:
        raise L10nError(f"--pair-by {pair_by}: {exc}") from None
    if not fields or fields - _FIELDS:
        raise L10nError(f"--pair-by {pair_by}: expected path, stem or a template with the fields "
                        "{dir}, {stem}, {ext}, {path}, {lang}")

    def fill(rel: PurePosixPath) -> list[PurePosixPath]:
        folder = rel.parent.as_posix()
        return [PurePosixPath(pair_by.format(dir="" if folder == "." else folder + "/", stem=rel.stem,
                                             ext=rel.suffix, path=rel.as_posix(), lang=language))]

    return fill


def align(project: Project, source: Path, target: Path, language: str, min_confidence: float = MIN_CONFIDENCE,
          pair_by: str = "path", dry_run: bool = False,
          progress: Callable[[int, int], None] | None = None) -> Aligned:
    """Align two files or two folders (see the module docstring) and, unless ``dry_run``, write the pairs.

    ``progress(done, total)`` is called after each article pair of a folder.
    """
    language = project.languages([language])[0]
    aligner = Aligner(project.config, language)
    found, skipped = articles(source, target, language, pair_by)
    result = Aligned(language, project.rel(memory_path(project, language)), skipped=skipped)
    seen: set[tuple[str, str]] = set()
    folders = source.is_dir()
    for done, article in enumerate(found, 1):
        try:
            beads = aligner.align(_read(article.source), article.source.as_posix(),
                                  _read(article.target), article.target.as_posix())
        except L10nError as error:
            if not folders:
                raise
            result.skipped.append((article.source.as_posix(), str(error)))
        else:
            _collect(result, article, beads, min_confidence, seen)
        if progress:
            progress(done, len(found))
    if not dry_run:
        _write(project, result)
    return result


def _collect(result: Aligned, article: Article, beads: list[Bead], min_confidence: float,
             seen: set[tuple[str, str]]) -> None:
    """Keep an article's beads, and its pairs at or above ``min_confidence`` not seen before."""
    result.articles.append((article, beads))
    for bead in beads:
        if not bead.source or not bead.target:
            continue
        if bead.confidence < min_confidence:
            result.low += 1
            continue
        pair = Pair(" ".join(bead.source), " ".join(bead.target), article.origin, bead.confidence)
        if (pair.source, pair.target) not in seen:
            seen.add((pair.source, pair.target))
            result.pairs.append(pair)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise L10nError(f"{path.as_posix()}: cannot read: {exc.strerror or exc}") from None


def _write(project: Project, result: Aligned) -> None:
    """Add the new pairs to the memory file, under the project's catalog lock."""
    from ..fsutil import FileLock, atomic_write, state_dir
    from ..store import LOCK_NAME

    path = memory_path(project, result.language)
    segtype = "paragraph" if project.config.segmentation == "paragraph" else "sentence"
    with FileLock(state_dir(project.root) / LOCK_NAME):
        existing = imported_pairs(project, result.language)
        known = {(p.source, p.target) for p in existing}
        added = [p for p in result.pairs if (p.source, p.target) not in known]
        result.added, result.known = len(added), len(result.pairs) - len(added)
        if added:
            atomic_write(path, tmx_bytes(existing + added, project.config.source_language, result.language, segtype))
