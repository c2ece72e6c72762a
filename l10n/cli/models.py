"""``l10n models``: list, install, remove the Argos packages."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..sizes import human_size as size
from .app import command_group, open_project, plural, print_table

models_app = command_group("models", "Argos translation models: list, install, remove.")


@models_app.command("list")
def models_list(
    available: Annotated[bool, typer.Option(
        "--available", help="List the packages of the Argos package index instead (needs the network).")] = False,
) -> None:
    """Show the installed models and which of this project's language pairs they serve."""
    from ..mt import models

    installed = models.installed()
    if available:
        have = {(p.from_code, p.to_code): p.version for p in installed}
        index = models.available()
        rows = [(f"{p.from_code} → {p.to_code}", f"{p.from_name} → {p.to_name}", p.version,
                 f"installed {have[(p.from_code, p.to_code)]}" if (p.from_code, p.to_code) in have else "")
                for p in index]
        typer.echo(f"{plural(len(index), 'package')} in the Argos package index:")
        print_table(rows, ("Pair", "Languages", "Version", "Installed"), indent=2)
        typer.echo("Install one with `l10n models install FROM TO`.")
        return
    folder = models.packages_dir()
    if not installed:
        typer.echo(f"No Argos models installed (in {folder}).")
        typer.echo("Install one with `l10n models install de en` (downloads from the Argos package index), "
                   "or offline with `l10n models install --file PATH.argosmodel`.")
    else:
        typer.echo(f"Installed Argos models (in {folder}):")
        print_table([(f"{p.from_code} → {p.to_code}", f"{p.from_name} → {p.to_name}", p.version, size(p.size),
                      str(p.path)) for p in installed], ("Pair", "Languages", "Version", "Size", "Folder"), indent=2)
    _project_routes()


def _project_routes() -> None:
    """In a project folder: which model serves each of its language pairs, or what to install."""
    from .. import config
    from ..mt.routes import project_routes

    if not Path(config.CONFIG_NAME).is_file():
        return
    typer.echo("This project's language pairs:")
    print_table(project_routes(open_project()), indent=2)


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
    from ..mt import models
    from ..mt.routes import argos_code

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
    typer.echo(f"Installed {pkg.from_code} → {pkg.to_code} {pkg.version} ({size(pkg.size)}) in {pkg.path}")


@models_app.command("remove")
def models_remove(
    from_code: Annotated[str, typer.Argument(metavar="FROM", help="Source language code, e.g. de.")],
    to_code: Annotated[str, typer.Argument(metavar="TO", help="Target language code, e.g. en.")],
) -> None:
    """Uninstall the model(s) for a language pair."""
    from ..mt import models
    from ..mt.routes import argos_code

    for pkg in models.remove(argos_code(from_code), argos_code(to_code)):
        typer.echo(f"Removed {pkg.from_code} → {pkg.to_code} {pkg.version} ({pkg.path})")
