"""The commands of the article pipeline: init, extract, status, publish, report, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import ArticleOption, LangOption, app, clip, fail, merged, plural, open_project, print_table


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Project folder, created if missing.")] = Path("."),
    source_lang: Annotated[str, typer.Option("--source-lang", "-s", help="Language of the articles.")] = "de",
    target_lang: Annotated[Optional[list[str]], typer.Option("--target-lang", "-t", help="Language to translate into (repeatable).")] = None,
) -> None:
    """Start a project: write l10n.yaml and create source/ and locales/."""
    from ..languages import normalize_language
    from ..project import create

    codes = []
    for option, code in [("--source-lang", source_lang)] + [("--target-lang", t) for t in target_lang or ["en"]]:
        normal = normalize_language(code)
        if normal is None:
            fail(f"{option} {code}: unknown language code (expected a code such as de, en, fr, pt_BR)")
        codes.append(normal)
    path = create(directory, codes[0], codes[1:])
    typer.echo(f"Created {path} ({codes[0]} → {', '.join(codes[1:])}) with source/ and locales/.")
    typer.echo("Put articles (.txt or .md) into source/, then run `l10n extract`.")


@app.command()
def extract(article: ArticleOption = None) -> None:
    """Read the articles in source/ and create or update templates and catalogs."""
    from ..extract import extract as run

    result = run(open_project(), article)
    for path in result.written:
        typer.echo(f"wrote {path}")
    for path, charset in result.converted:
        typer.echo(f"{path}: was {charset}, now written as UTF-8")
    merged(result.merged)
    obsolete = f", {result.obsolete} entries made obsolete" if result.obsolete else ""
    typer.echo(f"{plural(result.articles, 'article')}, {plural(result.units, 'unit')}; "
               f"{plural(len(result.written), 'file')} written{obsolete}.")


@app.command()
def status(
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    least_confident: Annotated[Optional[int], typer.Option(
        "--least-confident", min=1, metavar="N",
        help="Instead, list the N unreviewed machine suggestions with the lowest confidence.")] = None,
) -> None:
    """Show translation progress per language and article."""
    from ..status import status as run, with_totals

    if least_confident is not None:
        _least_confident(lang, least_confident, as_json)
        return
    rows = run(open_project(), lang)
    if as_json:
        import json

        typer.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    print_table([_status_cells(row) for row in with_totals(rows)],
                ("Language", "Article", "Units", "Words", "Reviewed", "Fuzzy", "Untranslated", "Reviewed %"),
                right=(2, 3, 4, 5, 6, 7))
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
    check_: Annotated[bool, typer.Option(
        "--check", help="Run the QA checks; an article with errors is not published (exit code 1).")] = False,
) -> None:
    """Write localized articles (to public/<lang>/, or where publish.path says) in the layout of the source."""
    from ..languages import language_name
    from ..publish import publish as run

    project = open_project()
    source_language = project.config.source_language
    outcomes = run(project, lang, article, min_reviewed, include_fuzzy, check=check_)
    for o in outcomes:
        if o.output is None:
            typer.echo(f"{o.language}: skipped {o.article}: {o.reason}")
            continue
        notes = [f"{o.percent_reviewed:.0f}% reviewed"]
        if o.fallback:
            notes.append(f"{plural(o.fallback, 'unit')} in the source language")
        if o.broken:
            notes.append(f"{plural(o.broken, 'unit')} kept in {language_name(source_language)}: broken markup")
        if o.restructured:
            notes.append(f"{plural(o.restructured, 'unit')} kept in {language_name(source_language)}: "
                         "it would change the page's structure")
        if o.stale:
            notes.append(f"{o.stale} not in the catalog: run `l10n extract`")
        typer.echo(f"{o.language}: {o.output} ({'; '.join(notes)})")
    published = sum(1 for o in outcomes if o.output)
    refused = sum(1 for o in outcomes if o.errors)
    because = f"; {refused} refused for QA errors" if refused else ""
    typer.echo(f"Published {published} of {plural(len(outcomes), 'article')}{because}.")
    if refused:
        raise typer.Exit(1)


@app.command()
def report(
    lang: LangOption = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the web browser.")] = False,
) -> None:
    """Write a static HTML review report to public/report/: progress, and source beside translation."""
    from ..report import report as run

    project = open_project()
    result = run(project, lang)
    findings = f", {plural(result.findings, 'QA finding')}"
    typer.echo(f"Report: {project.rel(result.index)} ({plural(result.pages, 'article page')}{findings}; "
               f"{plural(len(result.written), 'file')} written).")
    if open_:
        import webbrowser

        if not webbrowser.open(result.index.resolve().as_uri()):
            typer.echo(f"l10n: could not start a web browser; open {project.rel(result.index)} yourself.", err=True)


@app.command()
def check(
    lang: LangOption = None,
    article: ArticleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON for scripts.")] = False,
    list_checks: Annotated[bool, typer.Option("--list-checks", help="List the checks and exit.")] = False,
) -> None:
    """QA checks of every translated entry (fuzzy and reviewed); exit code 1 when one has an error.

    Silence a check on one entry with a translator comment `# l10n-ignore: NAME[, NAME…]`.
    """
    from ..qa.registry import CHECKS
    from ..qa.run import iter_findings, missing_catalogs

    if list_checks:
        print_table([(c.name, c.severity, c.doc) for c in CHECKS.values()])
        return
    project = open_project()
    missing = missing_catalogs(project, lang, article)
    if missing:
        fail(f"{'; '.join(missing)}; run `l10n extract`")
    findings = iter_findings(project, lang, article)
    if _json_findings(findings) if as_json else _print_findings(findings):
        raise typer.Exit(1)


def _print_findings(findings) -> int:
    """Print ``findings`` catalog by catalog, as they come, then a summary; the number of errors."""
    from itertools import groupby

    from ..qa.registry import ERROR

    errors = warnings = catalogs = 0
    for (language, slug), group in groupby(findings, key=lambda f: (f.language, f.article)):
        rows = [(f.line, f.severity, f.check, f.message) for f in group]
        typer.echo(f"{language}  {slug}")
        print_table(rows, right=(0,), indent=2)
        mine = sum(1 for row in rows if row[1] == ERROR)
        errors, warnings, catalogs = errors + mine, warnings + len(rows) - mine, catalogs + 1
    if catalogs:
        typer.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(catalogs, 'catalog')}.")
    else:
        typer.echo("No problems found.")
    return errors


def _json_findings(findings) -> int:
    """Print ``findings`` catalog by catalog, together the bytes ``json.dumps(list, ensure_ascii=False,
    indent=2)`` gives; the number of errors."""
    import json
    from itertools import groupby

    from ..qa.registry import ERROR

    errors = count = 0
    for _catalog, group in groupby(findings, key=lambda f: (f.language, f.article)):
        rows = [f.as_dict() for f in group]
        items = json.dumps(rows, ensure_ascii=False, indent=2)[2:-2]  # without the list's "[\n" and "\n]"
        typer.echo(("[\n" if not count else ",\n") + items, nl=False)
        count += len(rows)
        errors += sum(1 for row in rows if row["severity"] == ERROR)
    typer.echo("\n]" if count else "[]")
    return errors


def _least_confident(lang: list[str] | None, count: int, as_json: bool) -> None:
    from ..status import least_confident

    found = least_confident(open_project(), lang, count)
    if as_json:
        import json

        typer.echo(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("No unreviewed machine suggestions.")
        return
    print_table([(s.language, s.article, s.line, f"{s.confidence:.2f}",
                  clip(s.msgid, 60) + ("  [check]" if s.checks else "")) for s in found],
                ("Language", "Article", "Line", "Confidence", "Text"), right=(2, 3))
