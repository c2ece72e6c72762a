"""``l10n memory``: export and import of translation memory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import LangOption, command_group, plural, open_project

memory_app = command_group(
    "memory", "Translation memory exchange: export reviewed translations, import TMX or PO files.")


@memory_app.command("export")
def memory_export(
    file: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False, help="The file to write.")],
    lang: Annotated[Optional[str], typer.Option(
        "--lang", "-l", help="Target language (needed when the project has several).")] = None,
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
    targets = project.config.target_languages
    if lang is None and len(targets) > 1:
        raise typer.BadParameter(f"the project has several target languages ({', '.join(targets)}): say which",
                                 param_hint="--lang")
    language = project.languages([lang] if lang else None)[0]
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
