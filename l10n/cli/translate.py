"""``l10n translate``: options, the progress bar and the summary."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import ArticleOption, LangOption, app, clip, fail, merged, plural, open_project


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
    from ..mt.translate import translate as run

    bar = None if quiet or dry_run else _ProgressBar()
    on_wait = None if quiet else (lambda message: typer.echo(f"l10n: {message}…", err=True))
    finished = False
    try:
        result = run(open_project(), lang, article, retranslate_fuzzy=retranslate_fuzzy, dry_run=dry_run, wait=wait,
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
            fail(problems[0])
        return
    if quiet:
        return
    for r in result.languages:
        engine = f" ({r.engine_name}{f', on {r.device}' if r.device else ''})" if r.engine_name and r.engine else ""
        speed = f"; {r.seconds:.1f} s, {r.units_per_second:.1f} units/s" if r.filled else ""
        typer.echo(f"{r.label}: {r.memory} from memory{_similar(r)}, {r.engine} from the engine{engine}, "
                   f"{r.glossary} from the glossary or copied, {r.skipped} skipped{_skip_detail(r)}{speed}")
        if r.recovered:
            typer.echo(f"  {plural(r.recovered, 'unit')} recovered from an interrupted run (not translated again)")
        if r.flagged:
            typer.echo(f"  {plural(r.flagged, 'unit')} translated in pieces: the model lost a placeholder; "
                       "marked `l10n: check` in the catalog")
        if r.no_output:
            typer.echo(f"  {plural(r.no_output, 'unit')} left empty: the model returned nothing")
        if r.failed:
            msgid, why = r.failed[0]
            more = f" (and {len(r.failed) - 1} more)" if len(r.failed) > 1 else ""
            typer.echo(f"  {plural(len(r.failed), 'unit')} left empty: the model failed on \"{clip(msgid, 50)}\"{more}: "
                       f"{why}")
    merged(result.merged)
    filled = sum(r.filled for r in result.languages)
    skipped = sum(r.skipped for r in result.languages)
    rate = filled / result.seconds if result.seconds > 0 else 0.0
    typer.echo(f"Filled {plural(filled, 'unit')} ({skipped} skipped) in {result.seconds:.1f} s, "
               f"{rate:.1f} units/s; {plural(len(result.written), 'file')} written.")
    if any(r.skipped_fuzzy for r in result.languages) and not retranslate_fuzzy:
        typer.echo("Fuzzy translations were kept; --retranslate-fuzzy refreshes them.")
    broken = [r for r in result.languages if r.failed and not r.engine]
    if broken:
        fail(f"{broken[0].engine_name}: every unit failed: {broken[0].failed[0][1]}")


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
