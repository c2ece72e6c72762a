"""``l10n memory``: export and import of translation memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import LangOption, command_group, plural, open_project

memory_app = command_group(
    "memory", "Translation memory: export reviewed translations, import TMX or PO files, align translated articles.")

LanguageOption = Annotated[Optional[str], typer.Option(
    "--lang", "-l", help="Target language (needed when the project has several).")]


def _one_language(project, lang: str | None) -> str:
    """The target language ``--lang`` names, or the project's only one."""
    targets = project.config.target_languages
    if lang is None and len(targets) > 1:
        raise typer.BadParameter(f"the project has several target languages ({', '.join(targets)}): say which",
                                 param_hint="--lang")
    return project.languages([lang] if lang else None)[0]


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False, help="The file to write.")],
    lang: LanguageOption = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="tmx|po", help="File format (default: from FILE's suffix, else tmx).")] = None,
) -> None:
    """Write every reviewed translation of the project into one language as TMX 1.4 or a PO file.

    An existing file is overwritten, as msgcat -o does (through a symbolic
    link, too). Refused: a folder, a link into the project, and the project's
    own files: l10n.yaml, the source and locales folders (the imported memory
    in locales/memory/ too) and .l10n/.
    """
    from ..memory.exchange import FORMATS, export_file

    if fmt is not None and fmt.lower() not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    project = open_project()
    language = _one_language(project, lang)
    count, fmt = export_file(project, file, language, fmt.lower() if fmt else None)
    what = "TMX 1.4" if fmt == "tmx" else "PO"
    typer.echo(f"Exported {plural(count, 'reviewed pair')} "
               f"({project.config.source_language}→{language}) to {file} ({what}).")


@memory_app.command("import")
def memory_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False, help="A TMX or PO file.")],
    lang: LangOption = None,
) -> None:
    """Add the translations of a TMX or PO file to the project's memory (locales/memory/<lang>.tmx).

    `l10n translate` uses them after the project's own reviewed translations.
    A PO file's language comes from its Language header (or --lang); its
    fuzzy, plural, context and obsolete entries are left out.
    """
    from ..memory.exchange import import_file

    project = open_project()
    for r in import_file(project, file, lang):
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(r.skipped.items()))
        known = f", {r.known} already there" if r.known else ""
        typer.echo(f"{project.config.source_language}→{r.language}: {plural(r.added, 'pair')} added to {r.path}"
                   f"{known}{f'; left out: {skipped}' if skipped else ''}")


@memory_app.command("align")
def memory_align(
    source: Annotated[Path, typer.Argument(metavar="SOURCE", help="An article in the source language, or a folder.")],
    translation: Annotated[Path, typer.Argument(metavar="TRANSLATION",
                                                help="Its published translation, or a folder of them.")],
    lang: LanguageOption = None,
    min_confidence: Annotated[Optional[float], typer.Option(
        "--min-confidence", min=0.0, max=1.0, help="Leave out pairs less sure than this, 0–1 (default: 0.5).")] = None,
    pair_by: Annotated[str, typer.Option(
        "--pair-by", metavar="path|stem|TEMPLATE",
        help="Folders: which translation goes with an article: the same relative path (default), the same name "
             "whatever the extension, or a template such as '{dir}{stem}.{lang}{ext}'.")] = "path",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the alignment side by side; write nothing.")] = False,
) -> None:
    """Align articles with their existing translations and add the sentence pairs to the memory.

    Structure first (title with title, headings, list items, captions,
    paragraphs), then sentences within paired blocks, by length and by
    anchors that survive translation (numbers, names, glossary terms,
    punctuation). The pairs go to locales/memory/<lang>.tmx with their origin
    and confidence; `l10n translate` offers them as fuzzy suggestions.
    """
    from ..align.run import MIN_CONFIDENCE, align

    project = open_project()
    language = _one_language(project, lang)
    threshold = MIN_CONFIDENCE if min_confidence is None else min_confidence
    bar = _Bar() if source.is_dir() and not dry_run else None
    try:
        result = align(project, source, translation, language, threshold, pair_by, dry_run, bar)
    finally:
        if bar:
            bar.close()
    if dry_run:
        _show(result)
    pairs = plural(len(result.pairs), "pair")
    low = f"; {result.low} below confidence {threshold:g} left out" if result.low else ""
    if dry_run:
        written = f"{pairs} would be added or kept (dry run: nothing written)"
    else:
        known = f", {result.known} already there" if result.known else ""
        written = f"{pairs}: {result.added} added to {result.path}{known}"
    skipped = f"; {plural(len(result.skipped), 'file')} skipped" if result.skipped else ""
    typer.echo(f"{project.config.source_language}→{result.language}: "
               f"{plural(len(result.articles), 'article pair')} aligned, {written}{low}{skipped}")
    for name, why in result.skipped:
        typer.echo(f"  skipped {name}: {why}")


def _show(result) -> None:
    """Each article's beads side by side, as a rich table."""
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, markup=False, emoji=False)
    for article, beads in result.articles:
        table = Table(title=article.origin, show_lines=True, expand=True)
        table.add_column("source")
        table.add_column("translation")
        table.add_column("confidence", justify="right", no_wrap=True)
        for bead in beads:
            both = bead.source and bead.target
            table.add_row("\n".join(bead.source) or "—", "\n".join(bead.target) or "—",
                          f"{bead.confidence:.2f}" if both else "")
        console.print(table)


class _Bar:
    """A rich progress bar on stderr over the article pairs of two folders (live on a terminal only)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        self.progress = Progress(TextColumn("aligning"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=console, disable=not console.is_terminal)
        self.task = self.progress.add_task("aligning", total=None)
        self.progress.start()

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def close(self) -> None:
        self.progress.stop()
