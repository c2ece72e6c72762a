"""``l10n publish``: catalogs + articles → localized articles in the original layout.

Reviewed translations are used; fuzzy ones only on request; everything else
falls back to the source text. An article whose reviewed share is below the
threshold is not published (po4a's rule), and the result says why.

In an article whose format can check markup (Markdown), a translation the
``markup`` check finds a problem in (:func:`l10n.qa.markup.markup_problems`:
an unpaired ``**``, a lost link bracket) is not used either: the unit keeps its source
text rather than break the page, unless the entry silences that check
(``# l10n-ignore: markup``). Nor is a translation that would change the
structure of the page (Markdown: its blocks, see
:mod:`l10n.formats.markdown.structure`), whatever the catalog says: the
format names those units (``Format.check_structure``) after rendering the
page. Each published article then goes through its
format's ``localize`` (Markdown: the language in the front matter), and is
written where ``publish.path`` says.

Publish writes only inside the project folder and never onto the project's
own files (:func:`_target`, :func:`_refuse_source_article`); a refused file
is one error line, and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import formats, parallel
from .config import CONFIG_NAME
from .fsutil import STATE_DIR
from .document import Document
from .entries import is_reviewed
from .errors import L10nError
from .fsutil import Batch, atomic_write
from .po import read_catalog
from .project import Article, Project, resolved
from .qa.markup import markup_problems
from .qa.registry import ERROR, Context, ignored
from .status import measure

# What publish wrote into the source folder, with a hash of the bytes (see _refuse_source_article).
RECORD = Path(STATE_DIR) / "published.json"


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
    restructured: int = 0  # units whose translation would change the page's structure: kept in the source language


def publish(project: Project, languages: list[str] | None = None, articles: list[str] | None = None,
            min_reviewed: float = 0.0, include_fuzzy: bool = False, check: bool = False) -> list[Outcome]:
    """Publish every chosen article in every chosen language; returns one outcome each.

    With ``check``, an article whose translations in use (reviewed ones, and
    fuzzy ones with ``include_fuzzy``) have a QA error (:mod:`l10n.qa`)
    is not published.
    """
    chosen = project.articles(articles)
    errors: dict[tuple[str, str], int] = {}
    if check:
        from .qa.run import iter_findings
        for finding in iter_findings(project, languages, articles, reviewed_only=not include_fuzzy):
            if finding.severity == ERROR:
                key = (finding.language, finding.article)
                errors[key] = errors.get(key, 0) + 1
    _no_clashes(project, chosen)
    langs = project.languages(languages)
    allowed = resolved(project.root, "."), resolved(project.config.locales_path, project.config.locales_dir)
    targets: dict[str, list[Path]] = {}  # of the articles under way: where each language's page goes

    def tasks():
        for article in chosen:
            targets[article.slug] = [_target(project, *allowed, lang, article) for lang in langs]
            yield True, article

    source = resolved(project.config.source_path, project.config.source_dir)
    record = _read_record(project)
    outcomes: dict[tuple[str, str], Outcome] = {}
    written: dict[str, str] = {}  # what goes into the source folder: its key and digest
    job = _Job(project, langs, min_reviewed, include_fuzzy, errors)
    with Batch() as batch:  # article by article, each page staged at once: none is kept in memory
        for article, pages in zip(chosen, parallel.ordered(tasks(), _pages, job)):
            for lang, target, (outcome, data) in zip(langs, targets.pop(article.slug), pages):
                outcomes[lang, article.slug] = outcome
                if data is None:
                    continue
                if target.is_relative_to(source):
                    _refuse_source_article(project, record, outcome, target, data)
                    written[_key(project, target)] = _digest(data)
                batch.stage(target, data)
        batch.sync()
        batch.commit()
    _record(project, record, written)
    return [outcomes[lang, article.slug] for lang in langs for article in chosen]


@dataclass(frozen=True)
class _Job:
    """What publishing each article shares (a worker process gets a copy)."""

    project: Project
    langs: tuple[str, ...]
    min_reviewed: float
    include_fuzzy: bool
    errors: dict[tuple[str, str], int]  # with check: QA errors per (language, slug)


def _pages(job: _Job, article: Article) -> list[tuple[Outcome, bytes | None]]:
    """The outcome and bytes of ``article`` in each language (no file is written here: see :mod:`l10n.parallel`)."""
    doc = job.project.document(article)
    return [_publish_one(job.project, lang, article, job.project.catalog_path(lang, article.slug), doc,
                         job.min_reviewed, job.include_fuzzy, job.errors.get((lang, article.slug), 0))
            for lang in job.langs]


def _publish_one(project: Project, lang: str, article: Article, po_path: Path, doc: Document, min_reviewed: float,
                 include_fuzzy: bool, errors: int) -> tuple[Outcome, bytes | None]:
    """The outcome of publishing one article in one language, and the bytes to write (None: not published)."""
    if not po_path.exists():
        reason = f"no catalog {project.rel(po_path)}; run `l10n extract`"
        return Outcome(lang, article.slug, None, 0.0, 0, 0, reason), None
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
        return outcome, None
    outcome.errors = errors
    if outcome.errors:
        outcome.output = None
        plural = "" if outcome.errors == 1 else "s"
        outcome.reason = (f"{outcome.errors} QA error{plural}; see `l10n check --lang {lang} "
                          f"--article {article.slug}`")
        return outcome, None
    context = Context.for_project(project, lang, article)
    if context.format_markup is not None:
        broken = _broken(table, context, {e.msgid for e in po if "markup" in ignored(e)})
        outcome.broken = sum(1 for u in units if u.text in broken)
        for msgid in broken:
            del table[msgid]
    fmt = formats.for_path(article.rel)
    unsafe = {id(unit) for unit in fmt.check_structure(doc, lambda unit: table.get(unit.text))}
    outcome.restructured = len(unsafe)
    data = doc.render(lambda unit: None if id(unit) in unsafe else table.get(unit.text), publish=True)
    localized = fmt.localize(data, article.rel, lang, formats.FormatSettings.from_config(project.config))
    return outcome, localized


def _target(project: Project, root: Path, locales: Path, lang: str, article: Article) -> Path:
    """The file publishing ``article`` in ``lang`` writes, its folders resolved; an error if it may not.

    Refused: a file outside the project folder ``root`` (every folder on the
    way is followed, as for articles), ``l10n.yaml``, anything in the
    ``locales`` folder or ``.l10n/``, a catalog or template (``.po``,
    ``.pot``), a folder. Each is checked before the article is published, so
    a refused one stops the run before anything is written.
    """
    path = project.output_path(lang, article)
    shown = project.rel(path)
    target = resolved(path.parent, shown) / path.name
    why = ""
    if not target.is_relative_to(root):
        why = f"is outside the project folder (in {target.parent})"
    elif target == root / CONFIG_NAME:
        why = f"would overwrite {CONFIG_NAME}"
    elif locales != root and target.is_relative_to(locales):
        why = f"would write into the locales folder ({project.config.locales_dir})"
    elif target.is_relative_to(root / STATE_DIR):
        why = f"would write into {STATE_DIR}/"
    elif target.suffix.lower() in (".po", ".pot"):
        why = f"would write a catalog or template ({target.suffix})"
    elif target.is_dir():
        why = "is a folder"
    if why:
        raise _refused(lang, shown, why)
    return target


def _refused(lang: str, shown: str, why: str) -> L10nError:
    return L10nError(f"{CONFIG_NAME}: publish.path: {lang}: {shown} {why}")


def _refuse_source_article(project: Project, record: dict[str, str], outcome: Outcome, target: Path,
                            data: bytes) -> None:
    """An error if publishing ``target``, in the source folder, would overwrite a source article.

    Published files may lie in the source folder (``source/{dir}{stem}.{lang}{ext}``),
    and :meth:`Project.articles` takes a file at a published path for
    published output. But only a file publish wrote may be replaced: an
    existing file in the source folder is overwritten only if it holds the
    bytes publish last wrote there (recorded in ``.l10n/published.json``) or
    exactly the new ones (a fresh clone of up-to-date output). Anything else
    there, an article someone wrote or a published file someone edited, is
    a source article.
    """
    if not (target.exists() or target.is_symlink()):
        return
    try:
        old = target.read_bytes()
    except OSError:
        old = None
    if old == data or (old is not None and _digest(old) == record.get(_key(project, target))):
        return
    raise _refused(outcome.language, outcome.output, f"would overwrite the source article {_key(project, target)}")


def _record(project: Project, record: dict[str, str], written: dict[str, str]) -> None:
    """Note in ``.l10n/published.json`` what publish wrote into the source folder (nothing if nothing went there)."""
    new = {**record, **written}
    if new != record:
        atomic_write(project.root / RECORD, json.dumps(new, indent=1, sort_keys=True).encode("utf-8") + b"\n")


def _read_record(project: Project) -> dict[str, str]:
    try:
        data = json.loads((project.root / RECORD).read_bytes())
    except (OSError, ValueError):
        return {}  # no record (a fresh clone): only files that already hold the new bytes are replaced
    return data if isinstance(data, dict) else {}


def _key(project: Project, target: Path) -> str:
    return target.relative_to(resolved(project.root, ".")).as_posix()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _broken(table: dict[str, str], context: Context, silenced: set[str]) -> set[str]:
    """The msgids whose translation in ``table`` breaks the markup of its source (:func:`markup_problems`)."""
    return {msgid for msgid, msgstr in table.items()
            if msgid not in silenced and markup_problems(msgid, msgstr, context)}


def _no_clashes(project: Project, articles) -> None:
    """An error if two articles would be published to the same file (``publish.path`` without ``{dir}``)."""
    seen: dict[str, str] = {}  # output path -> the article published there (strings: one per article)
    for lang in project.config.target_languages:
        for article in articles:
            path = project.output_path(lang, article)
            other = seen.setdefault(str(path), article.rel)
            if other != article.rel:
                raise L10nError(f"{CONFIG_NAME}: publish.path: {other} and {article.rel} would both be published "
                                f"as {project.rel(path)}; use {{path}}, or {{dir}} with {{stem}}")
