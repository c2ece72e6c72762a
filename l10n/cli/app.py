"""The command group, its options and the helpers every command uses to print.

Exit codes: 0 success, 1 a problem the user must fix (one line on stderr),
2 a usage error.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Optional, get_args

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import L10nError

try:  # typer >= 0.29 coerces option values with pydantic
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
except ImportError:  # an older typer uses click's types, which cost nothing to set up
    RuntimeParam = None


if RuntimeParam is not None:
    class _Deferred(RuntimeParam):
        """Typer's coercion of one parameter, set up only for a value that needs it.

        Typer builds a pydantic ``TypeAdapter`` for every parameter of the
        command being run, given or not, and importing pydantic alone takes
        about 70 ms: most of what a small command costs. An option that was
        not given is never coerced (typer passes ``None`` over), and text is
        text as given, as typer's own coercion leaves it; any other value
        goes through typer's coercion, built when first needed.
        """

        def __init__(self, descriptor: TypeDescriptor):  # not a dataclass of its own: making one takes 5 ms
            super().__init__(descriptor.parameter_info, descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)

        def _coerce_value(self, value: Any, param, ctx) -> Any:
            info, annotation = self.parameter_info, self.annotation
            if info.parser is None and not self.descriptor.is_choice:
                if annotation is str and isinstance(value, str):
                    return value
                if (getattr(annotation, "__origin__", None) is list and get_args(annotation) == (str,)
                        and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)):
                    return list(value)
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _defer_coercion(command, ctx: typer.Context) -> None:
    """Let ``command``'s parameters set up typer's coercion only where a value needs it (see :class:`_Deferred`).

    ``ctx`` is the command's context or its parent's: the help option it
    adds is made with the help option names of ``ctx``, which a command
    inherits unless it names its own.
    """
    if RuntimeParam is None or command is None:
        return
    parents_help = "help_option_names" in (command.context_settings or {}) and ctx.command is not command
    for param in command.params if parents_help else command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _Deferred(descriptor)


class _Group(TyperGroup):
    """A command group whose commands set up typer's coercion lazily (see :class:`_Deferred`)."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        _defer_coercion(self, ctx)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: typer.Context, cmd_name: str):
        command = super().get_command(ctx, cmd_name)
        _defer_coercion(command, ctx)
        return command


class _Commands(_Group):
    """The command group: runs a command in the project folder and turns user errors into one line.

    ``-C DIR`` changes into DIR for the command and back afterwards (as
    ``git -C`` does, paths in messages are relative to DIR); a problem the
    user must fix (:class:`L10nError`, or an ``OSError`` with its file)
    becomes ``l10n: error: …`` on stderr and exit code 1, unless
    ``--debug`` asks for the traceback.
    """

    def invoke(self, ctx: typer.Context):
        here = os.getcwd()
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `l10n status | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except (L10nError, OSError) as exc:
            if ctx.meta.get("l10n.debug"):
                raise
            fail(_message(exc))
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


def command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group such as ``l10n models``."""
    group = typer.Typer(cls=_Group, help=help, no_args_is_help=True,
                        context_settings={"help_option_names": ["-h", "--help"]})
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
            fail(f"{project}: {exc.strerror}")


def open_project():
    """The project in the current folder (``-C DIR`` has changed into it)."""
    from ..project import Project

    return Project(Path("."))


def fail(message: str) -> None:
    """End the command with one line on stderr and exit code 1."""
    typer.echo(f"l10n: error: {message}", err=True)
    raise typer.Exit(1)


def merged(paths: list[str]) -> None:
    """Say which catalogs someone saved while the command ran (their work was kept, ours merged in)."""
    if paths:
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        typer.echo(f"Merged with changes saved during the run (theirs kept): {', '.join(paths[:3])}{more}.")


def print_table(rows: list[tuple], header: tuple[str, ...] | None = None, right: tuple[int, ...] = (),
          indent: int = 0) -> None:
    """Print ``rows`` as aligned columns (a rich table without lines): ``right`` lists right-aligned columns.

    Plain cells (one line of printable characters one cell wide each, no
    white space at either end) are aligned here, as rich would align them,
    without importing rich (20 ms of a small command); any other table is
    rich's.
    """
    cells = [tuple(str(cell) for cell in row) for row in ([header] if header else []) + rows]
    lines = _plain_table(cells, right)
    if lines is None:
        lines = _rich_table(cells, header is not None, right)
    if lines:  # one write: a check of a large project prints hundreds of thousands of lines
        typer.echo("\n".join((" " * indent + line).rstrip() for line in lines))


_WIDE_OR_CONTROL = re.compile(r"[^\x20-\x7e\xa0-\u02ff\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2190-\u21ff]")


def _plain_table(cells: list[tuple[str, ...]], right: tuple[int, ...]) -> list[str] | None:
    """The lines of the table, or None unless every cell is plain (see :func:`print_table`)."""
    if not cells or len({len(row) for row in cells}) != 1:
        return None
    for row in cells:
        for cell in row:
            if _WIDE_OR_CONTROL.search(cell) or cell != cell.strip():
                return None
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    return ["  ".join(cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            for row in cells]


def _rich_table(cells: list[tuple[str, ...]], has_header: bool, right: tuple[int, ...]) -> list[str]:
    import io

    from rich.console import Console
    from rich.table import Table

    grid = Table(box=None, pad_edge=False, show_edge=False, show_header=has_header, header_style=None)
    for i, name in enumerate(cells[0] if cells else ()):
        grid.add_column(name if has_header else "", justify="right" if i in right else "left", no_wrap=True)
    for row in cells[1:] if has_header else cells:
        grid.add_row(*row)
    out = io.StringIO()
    Console(file=out, width=100_000, color_system=None, highlight=False, markup=False, emoji=False).print(grid)
    return out.getvalue().splitlines()


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
