"""The ``l10n`` command line: parses options, calls the pipeline, prints results.

Exit codes: 0 success, 1 a problem the user must fix (one line on stderr),
2 a usage error.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import L10nError

app = typer.Typer(
    help="Localise articles offline: extract units into gettext catalogs, translate, review, publish.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False

LangOption = Annotated[Optional[list[str]], typer.Option("--lang", "-l", help="Only this target language (repeatable).")]
ArticleOption = Annotated[Optional[list[str]], typer.Option("--article", "-a", help="Only this article slug (repeatable).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    project: Annotated[Optional[Path], typer.Option("--project", "-C", help="Run in this project folder (default: the current one).",
                                                    file_okay=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Offline localisation pipeline for articles."""
    global _debug
    _debug = debug
    if project is not None:
        try:
            os.chdir(project)
        except OSError as exc:
            _fail(f"{project}: {exc.strerror}")


def _project():
    from .project import Project

    return Project(Path("."))


def _fail(message: str) -> None:
    typer.echo(f"l10n: error: {message}", err=True)
    raise typer.Exit(1)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Project folder, created if missing.")] = Path("."),
    source_lang: Annotated[str, typer.Option("--source-lang", "-s", help="Language of the articles.")] = "de",
    target_lang: Annotated[Optional[list[str]], typer.Option("--target-lang", "-t", help="Language to translate into (repeatable).")] = None,
) -> None:
    """Start a project: write l10n.yaml and create source/ and locales/."""
    import yaml

    from . import config
    from .fsutil import atomic_write
    from .languages import normalize_language

    targets = target_lang or ["en"]
    codes = []
    for option, code in [("--source-lang", source_lang)] + [("--target-lang", t) for t in targets]:
        normal = normalize_language(code)
        if normal is None:
            _fail(f"{option} {code}: unknown language code (expected a code such as de, en, fr, pt_BR)")
        codes.append(normal)
    path = directory / config.CONFIG_NAME
    if path.exists():
        _fail(f"{path}: already exists; edit it instead of running init again")
    text = config.render_new(codes[0], codes[1:])
    config.parse(yaml.safe_load(text), directory)  # what init writes must load
    for folder in ("source", "locales"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
    typer.echo(f"Created {path} ({codes[0]} → {', '.join(codes[1:])}) with source/ and locales/.")
    typer.echo("Put articles (.txt) into source/, then run `l10n extract`.")


@app.command()
def extract(article: ArticleOption = None) -> None:
    """Read the articles in source/ and create or update templates and catalogs."""
    from .extract import extract as run

    result = run(_project(), article)
    for path in result.written:
        typer.echo(f"wrote {path}")
    obsolete = f", {result.obsolete} entries made obsolete" if result.obsolete else ""
    typer.echo(f"{_plural(result.articles, 'article')}, {_plural(result.units, 'unit')}; "
               f"{_plural(len(result.written), 'file')} written{obsolete}.")


@app.command()
def status(
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show translation progress per language and article."""
    from .status import Progress, status as run

    rows = run(_project(), lang)
    if as_json:
        typer.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    header = ("Language", "Article", "Units", "Words", "Reviewed", "Fuzzy", "Untranslated", "Reviewed %")
    table = []
    languages = list(dict.fromkeys(row.language for row in rows))
    for language in languages:
        mine = [row for row in rows if row.language == language]
        total = Progress(language, "all articles")
        for row in mine:
            total.add(row)
            table.append(_status_cells(row))
        if len(mine) > 1:
            table.append(_status_cells(total))
    widths = [max(len(str(cells[i])) for cells in [header] + table) for i in range(len(header))]
    for cells in [header] + table:
        typer.echo("  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip())
    if any(row.missing for row in rows):
        typer.echo("Some catalogs are missing: run `l10n extract`.")


def _status_cells(row) -> tuple:
    if row.missing:
        return (row.language, row.article, "-", "-", "-", "-", "-", "no catalog")
    return (row.language, row.article, row.units, row.words, row.reviewed, row.fuzzy, row.untranslated,
            f"{row.percent_reviewed:.1f}%")


@app.command()
def publish(
    lang: LangOption = None,
    article: ArticleOption = None,
    min_reviewed: Annotated[float, typer.Option("--min-reviewed", min=0, max=100,
                                                help="Skip articles with a smaller reviewed share (percent).")] = 0.0,
    include_fuzzy: Annotated[bool, typer.Option("--include-fuzzy", help="Use fuzzy (unreviewed) translations too.")] = False,
) -> None:
    """Write localized articles to public/<lang>/ in the layout of the source."""
    from .publish import publish as run

    outcomes = run(_project(), lang, article, min_reviewed, include_fuzzy)
    for o in outcomes:
        if o.output is None:
            typer.echo(f"{o.language}: skipped {o.article}: {o.reason}")
            continue
        notes = [f"{o.percent_reviewed:.0f}% reviewed"]
        if o.fallback:
            notes.append(f"{_plural(o.fallback, 'unit')} in the source language")
        if o.stale:
            notes.append(f"{o.stale} not in the catalog: run `l10n extract`")
        typer.echo(f"{o.language}: {o.output} ({'; '.join(notes)})")
    published = sum(1 for o in outcomes if o.output)
    typer.echo(f"Published {published} of {_plural(len(outcomes), 'article')}.")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run() -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    try:
        app()
    except L10nError as exc:
        if _debug:
            raise
        typer.echo(f"l10n: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        if _debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"l10n: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("l10n: interrupted", err=True)
        sys.exit(130)
