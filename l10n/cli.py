"""The ``l10n`` command line: parses options, calls the pipeline, prints results.

Exit codes: 0 success, 1 a problem the user must fix (one line on stderr),
2 a usage error.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from typer.core import TyperGroup

from . import __version__
from .errors import L10nError


class _Commands(TyperGroup):
    """The command group: runs a command in the project folder and turns user errors into one line.

    ``-C DIR`` changes into DIR for the command and back afterwards (as
    ``git -C`` does, paths in messages are relative to DIR); a problem the
    user must fix (:class:`L10nError`, or an ``OSError`` with its file)
    becomes ``l10n: error: …`` on stderr and exit code 1, unless
    ``--debug`` asks for the traceback.
    """

    def invoke(self, ctx: click.Context):
        here = os.getcwd()
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `l10n status | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except (L10nError, OSError) as exc:
            if ctx.meta.get("l10n.debug"):
                raise
            _fail(_message(exc))
        except KeyboardInterrupt:
            typer.echo("l10n: interrupted", err=True)
            raise typer.Exit(130) from None
        finally:
            os.chdir(here)


def _message(exc: Exception) -> str:
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)


app = typer.Typer(
    cls=_Commands,
    help="Localise articles offline: extract units into gettext catalogs, translate, review, publish.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

def _command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group such as ``l10n models``."""
    group = typer.Typer(help=help, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
    app.add_typer(group, name=name)
    return group


LangOption = Annotated[Optional[list[str]], typer.Option("--lang", "-l", help="Only this target language (repeatable).")]
ArticleOption = Annotated[Optional[list[str]], typer.Option("--article", "-a", help="Only this article slug (repeatable).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    project: Annotated[Optional[Path], typer.Option("--project", "-C", help="Run in this project folder (default: the current one).",
                                                    file_okay=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Offline localisation pipeline for articles."""
    ctx.meta["l10n.debug"] = debug
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
    typer.echo("Put articles (.txt or .md) into source/, then run `l10n extract`.")


@app.command()
def extract(article: ArticleOption = None) -> None:
    """Read the articles in source/ and create or update templates and catalogs."""
    from .extract import extract as run

    result = run(_project(), article)
    for path in result.written:
        typer.echo(f"wrote {path}")
    for path, charset in result.converted:
        typer.echo(f"{path}: was {charset}, now written as UTF-8")
    _merged(result.merged)
    obsolete = f", {result.obsolete} entries made obsolete" if result.obsolete else ""
    typer.echo(f"{_plural(result.articles, 'article')}, {_plural(result.units, 'unit')}; "
               f"{_plural(len(result.written), 'file')} written{obsolete}.")


@app.command()
def status(
    lang: LangOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    least_confident: Annotated[Optional[int], typer.Option(
        "--least-confident", min=1, metavar="N",
        help="Instead, list the N unreviewed machine suggestions with the lowest confidence.")] = None,
) -> None:
    """Show translation progress per language and article."""
    from .status import Progress, status as run

    if least_confident is not None:
        _least_confident(lang, least_confident, as_json)
        return
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
    check_: Annotated[bool, typer.Option(
        "--check", help="Run the QA checks; an article with errors is not published (exit code 1).")] = False,
) -> None:
    """Write localized articles (to public/<lang>/, or where publish.path says) in the layout of the source."""
    from .languages import language_name
    from .publish import publish as run

    project = _project()
    source_language = project.config.source_language
    outcomes = run(project, lang, article, min_reviewed, include_fuzzy, check=check_)
    for o in outcomes:
        if o.output is None:
            typer.echo(f"{o.language}: skipped {o.article}: {o.reason}")
            continue
        notes = [f"{o.percent_reviewed:.0f}% reviewed"]
        if o.fallback:
            notes.append(f"{_plural(o.fallback, 'unit')} in the source language")
        if o.broken:
            notes.append(f"{_plural(o.broken, 'unit')} kept in {language_name(source_language)}: broken Markdown")
        if o.stale:
            notes.append(f"{o.stale} not in the catalog: run `l10n extract`")
        typer.echo(f"{o.language}: {o.output} ({'; '.join(notes)})")
    published = sum(1 for o in outcomes if o.output)
    refused = sum(1 for o in outcomes if o.errors)
    because = f"; {refused} refused for QA errors" if refused else ""
    typer.echo(f"Published {published} of {_plural(len(outcomes), 'article')}{because}.")
    if refused:
        raise typer.Exit(1)


@app.command()
def report(
    lang: LangOption = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the web browser.")] = False,
) -> None:
    """Write a static HTML review report to public/report/: progress, and source beside translation."""
    from .report import report as run

    project = _project()
    result = run(project, lang)
    findings = f", {_plural(result.findings, 'QA finding')}" if result.checks else ""
    typer.echo(f"Report: {project.rel(result.index)} ({_plural(result.pages, 'article page')}{findings}; "
               f"{_plural(len(result.written), 'file')} written).")
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
    from .checks import CHECKS, ERROR, missing_catalogs, run_checks

    if list_checks:
        width = max(len(name) for name in CHECKS)
        for c in CHECKS.values():
            typer.echo(f"{c.name.ljust(width)}  {c.severity.ljust(7)}  {c.doc}")
        return
    project = _project()
    missing = missing_catalogs(project, lang, article)
    if missing:
        _fail(f"{'; '.join(missing)}; run `l10n extract`")
    findings = run_checks(project, lang, article)
    errors = sum(1 for f in findings if f.severity == ERROR)
    if as_json:
        typer.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    elif not findings:
        typer.echo("No problems found.")
    else:
        groups: dict[tuple[str, str], list] = {}
        for f in findings:
            groups.setdefault((f.language, f.article), []).append(f)
        for (language, slug), group in groups.items():
            typer.echo(f"{language}  {slug}")
            width = max(len(str(f.line)) for f in group)
            name = max(len(f.check) for f in group)
            for f in group:
                typer.echo(f"  {str(f.line).rjust(width)}  {f.severity.ljust(7)}  {f.check.ljust(name)}  {f.message}")
        warnings = len(findings) - errors
        typer.echo(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in "
                   f"{_plural(len(groups), 'catalog')}.")
    if errors:
        raise typer.Exit(1)


def _least_confident(lang: list[str] | None, count: int, as_json: bool) -> None:
    from .status import least_confident

    found = least_confident(_project(), lang, count)
    if as_json:
        typer.echo(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("No unreviewed machine suggestions.")
        return
    header = ("Language", "Article", "Line", "Confidence", "Text")
    rows = [(s.language, s.article, str(s.line), f"{s.confidence:.2f}",
             _clip(s.msgid, 60) + ("  [check]" if s.checks else "")) for s in found]
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(4)]
    for cells in [header] + rows:
        typer.echo("  ".join([cells[0].ljust(widths[0]), cells[1].ljust(widths[1]), cells[2].rjust(widths[2]),
                              cells[3].rjust(widths[3]), cells[4]]).rstrip())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@app.command()
def translate(
    lang: LangOption = None,
    article: ArticleOption = None,
    retranslate_fuzzy: Annotated[bool, typer.Option(
        "--retranslate-fuzzy", help="Also refresh fuzzy (unreviewed) translations.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Only say what would be done; write nothing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary (errors only).")] = False,
    wait: Annotated[bool, typer.Option(
        "--wait", help="If another `l10n translate` runs in this project, wait for it instead of stopping.")] = False,
    save_every: Annotated[float, typer.Option(
        "--save-every", min=0.0, metavar="SECONDS", help="Save catalogs at this interval during a long run.")] = 5.0,
) -> None:
    """Fill empty translations: from the translation memory, then by machine (Argos), all as fuzzy.

    Reviewed translations are never changed. Machine translation runs offline
    with the installed Argos models (see `l10n models`), with the engine
    settings and glossary of l10n.yaml.
    """
    from .mt.translate import translate as run

    bar = None if quiet or dry_run else _ProgressBar()
    on_wait = None if quiet else (lambda message: typer.echo(f"l10n: {message}…", err=True))
    finished = False
    try:
        result = run(_project(), lang, article, retranslate_fuzzy=retranslate_fuzzy, dry_run=dry_run, wait=wait,
                     save_every=save_every, progress=bar, on_wait=on_wait)
        finished = True
    finally:
        if bar is not None:
            bar.close(keep=finished)
    if dry_run:
        for r in result.languages:
            engine = f" ({r.engine_name})" if r.engine_name else ""
            typer.echo(f"{r.label}: {r.memory} from memory{_similar(r)}, {r.engine} to the engine{engine}, "
                       f"{r.glossary} from the glossary or copied, {r.skipped} skipped{_skip_detail(r)}")
        typer.echo("Dry run: nothing written.")
        problems = [r.problem for r in result.languages if r.problem]
        if problems:
            _fail(problems[0])
        return
    if quiet:
        return
    for r in result.languages:
        engine = f" ({r.engine_name})" if r.engine_name and r.engine else ""
        speed = f"; {r.seconds:.1f} s, {r.units_per_second:.1f} units/s" if r.filled else ""
        typer.echo(f"{r.label}: {r.memory} from memory{_similar(r)}, {r.engine} from the engine{engine}, "
                   f"{r.glossary} from the glossary or copied, {r.skipped} skipped{_skip_detail(r)}{speed}")
        if r.recovered:
            typer.echo(f"  {_plural(r.recovered, 'unit')} recovered from an interrupted run (not translated again)")
        if r.flagged:
            typer.echo(f"  {_plural(r.flagged, 'unit')} translated in pieces: the model lost a placeholder; "
                       "marked `l10n: check` in the catalog")
        if r.no_output:
            typer.echo(f"  {_plural(r.no_output, 'unit')} left empty: the model returned nothing")
        if r.failed:
            msgid, why = r.failed[0]
            more = f" (and {len(r.failed) - 1} more)" if len(r.failed) > 1 else ""
            typer.echo(f"  {_plural(len(r.failed), 'unit')} left empty: the model failed on \"{_clip(msgid, 50)}\"{more}: "
                       f"{why}")
    _merged(result.merged)
    filled = sum(r.filled for r in result.languages)
    skipped = sum(r.skipped for r in result.languages)
    rate = filled / result.seconds if result.seconds > 0 else 0.0
    typer.echo(f"Filled {_plural(filled, 'unit')} ({skipped} skipped) in {result.seconds:.1f} s, "
               f"{rate:.1f} units/s; {_plural(len(result.written), 'file')} written.")
    if any(r.skipped_fuzzy for r in result.languages) and not retranslate_fuzzy:
        typer.echo("Fuzzy translations were kept; --retranslate-fuzzy refreshes them.")
    broken = [r for r in result.languages if r.failed and not r.engine]
    if broken:
        _fail(f"{broken[0].engine_name}: every unit failed: {broken[0].failed[0][1]}")


def _merged(paths: list[str]) -> None:
    """Say which catalogs someone saved while the command ran (their work was kept, ours merged in)."""
    if paths:
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        typer.echo(f"Merged with changes saved during the run (theirs kept): {', '.join(paths[:3])}{more}.")


def _similar(r) -> str:
    return f" ({r.similar} of them from similar units)" if r.similar else ""


def _skip_detail(r) -> str:
    parts = [f"{n} {what}" for n, what in ((r.skipped_reviewed, "reviewed"), (r.skipped_fuzzy, "fuzzy"),
                                           (r.skipped_other, "plural or with context")) if n]
    return f" ({', '.join(parts)})" if parts else ""


class _ProgressBar:
    """A rich progress bar on stderr, one line per language pair: units, units per second, time left.

    On a terminal it is live and vanishes if the run fails (so an error stays
    one line); elsewhere (a log, a pipe) the final state is printed once at
    the end.
    """

    def __init__(self) -> None:
        self._progress = None
        self._tasks: dict[str, int] = {}
        self._live = False

    def __call__(self, label: str, done: int, total: int) -> None:
        if self._progress is None:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)
            from rich.text import Text

            class Speed(ProgressColumn):
                def render(self, task) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text(f"{speed:.1f} units/s" if speed else "… units/s", style="progress.data.speed")

            console = Console(stderr=True)
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      Speed(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                      console=console, speed_estimate_period=10.0)
            self._live = console.is_terminal
            if self._live:
                self._progress.start()
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._progress.add_task(label, total=total)
        self._progress.update(task, completed=done, total=total)

    def close(self, keep: bool = True) -> None:
        progress = self._progress
        if progress is None:
            return
        if self._live:
            progress.live.transient = not keep
            progress.stop()
        elif keep:
            progress.console.print(progress.get_renderable())


# ------------------------------------------------------------------ models

models_app = _command_group("models", "Argos translation models: list, install, remove.")


@models_app.command("list")
def models_list(
    available: Annotated[bool, typer.Option(
        "--available", help="List the packages of the Argos package index instead (needs the network).")] = False,
) -> None:
    """Show the installed models and which of this project's language pairs they serve."""
    from .mt import models

    installed = models.installed()
    if available:
        have = {(p.from_code, p.to_code): p.version for p in installed}
        index = models.available()
        rows = [(f"{p.from_code} → {p.to_code}", f"{p.from_name} → {p.to_name}", p.version,
                 f"installed {have[(p.from_code, p.to_code)]}" if (p.from_code, p.to_code) in have else "")
                for p in index]
        typer.echo(f"{_plural(len(index), 'package')} in the Argos package index:")
        _table(("Pair", "Languages", "Version", "Installed"), rows)
        typer.echo("Install one with `l10n models install FROM TO`.")
        return
    folder = models.packages_dir()
    if not installed:
        typer.echo(f"No Argos models installed (in {folder}).")
        typer.echo("Install one with `l10n models install de en` (downloads from the Argos package index), "
                   "or offline with `l10n models install --file PATH.argosmodel`.")
    else:
        typer.echo(f"Installed Argos models (in {folder}):")
        _table(("Pair", "Languages", "Version", "Size", "Folder"),
               [(f"{p.from_code} → {p.to_code}", f"{p.from_name} → {p.to_name}", p.version, _size(p.size),
                 str(p.path)) for p in installed])
    _project_routes()


def _project_routes() -> None:
    """In a project folder: which model serves each of its language pairs, or what to install."""
    from . import config
    from .mt.routes import project_routes

    if not Path(config.CONFIG_NAME).is_file():
        return
    routes = project_routes(_project())
    typer.echo("This project's language pairs:")
    width = max(len(pair) for pair, _ in routes)
    for pair, how in routes:
        typer.echo(f"  {pair.ljust(width)}  {how}")


@models_app.command("install")
def models_install(
    from_code: Annotated[Optional[str], typer.Argument(metavar="FROM", help="Source language code, e.g. de.")] = None,
    to_code: Annotated[Optional[str], typer.Argument(metavar="TO", help="Target language code, e.g. en.")] = None,
    file: Annotated[Optional[Path], typer.Option(
        "--file", "-f", dir_okay=False, metavar="PATH",
        help="Install this downloaded .argosmodel file (offline) instead of downloading.")] = None,
    sha256: Annotated[Optional[str], typer.Option(
        "--sha256", metavar="HEX", help="Refuse the file unless its SHA-256 checksum is this.")] = None,
) -> None:
    """Install a model: `install de en` from the Argos package index, or `install --file PATH` offline."""
    from .mt import models
    from .mt.routes import argos_code

    if (from_code is None) != (to_code is None):
        raise typer.BadParameter("give both languages, e.g. `l10n models install de en`", param_hint="FROM TO")
    if sha256 is not None:
        if file is None:
            raise typer.BadParameter("only with --file", param_hint="--sha256")
        if not re.fullmatch(r"[0-9a-fA-F]{64}", sha256.strip()):
            raise typer.BadParameter("expected 64 hexadecimal digits", param_hint="--sha256")
    pair = (argos_code(from_code), argos_code(to_code)) if from_code and to_code else None
    if file is not None:
        pkg = models.install_file(file, sha256, pair=pair)
    elif pair is not None:
        if sys.stderr.isatty():
            typer.echo(f"Downloading the {pair[0]} → {pair[1]} package from the Argos package index…", err=True)
        pkg = models.install_from_index(*pair)
    else:
        raise typer.BadParameter("give the languages (`install de en`) or a file (`install --file PATH`)",
                                 param_hint="FROM TO")
    typer.echo(f"Installed {pkg.from_code} → {pkg.to_code} {pkg.version} ({_size(pkg.size)}) in {pkg.path}")


@models_app.command("remove")
def models_remove(
    from_code: Annotated[str, typer.Argument(metavar="FROM", help="Source language code, e.g. de.")],
    to_code: Annotated[str, typer.Argument(metavar="TO", help="Target language code, e.g. en.")],
) -> None:
    """Uninstall the model(s) for a language pair."""
    from .mt import models
    from .mt.routes import argos_code

    for pkg in models.remove(argos_code(from_code), argos_code(to_code)):
        typer.echo(f"Removed {pkg.from_code} → {pkg.to_code} {pkg.version} ({pkg.path})")


# ------------------------------------------------------------------ memory

memory_app = _command_group(
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
    from .memory.exchange import FORMATS, export, export_target
    from .fsutil import atomic_write

    if fmt is None:
        fmt = "po" if file.suffix.lower() in (".po", ".pot") else "tmx"
    elif fmt.lower() not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    fmt = fmt.lower()
    project = _project()
    targets = project.config.target_languages
    if lang is None and len(targets) > 1:
        raise typer.BadParameter(f"the project has several target languages ({', '.join(targets)}): say which",
                                 param_hint="--lang")
    language = project.languages([lang] if lang else None)[0]
    target = export_target(project, file)
    data, count = export(project, language, fmt)
    atomic_write(target, data)
    what = "TMX 1.4" if fmt == "tmx" else "PO"
    typer.echo(f"Exported {_plural(count, 'reviewed pair')} "
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
    from .memory.exchange import import_file

    project = _project()
    for r in import_file(project, file, lang):
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(r.skipped.items()))
        known = f", {r.known} already there" if r.known else ""
        typer.echo(f"{project.config.source_language}→{r.language}: {_plural(r.added, 'pair')} added to {r.path}"
                   f"{known}{f'; left out: {skipped}' if skipped else ''}")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for cells in [header] + rows:
        typer.echo("  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip())


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run() -> None:
    """Console entry point (see :class:`_Commands` for how errors are shown)."""
    app()
