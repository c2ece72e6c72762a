"""The ``l10n`` command line: parses options, calls the pipeline, prints results.

The commands live in the modules of this package, by what they work on;
:mod:`l10n.cli.app` holds the group that runs them and turns a user's
mistake into one line.
"""

from __future__ import annotations

from . import articles, memory, models, translate  # noqa: F401  (each registers its commands)
from .app import app


def run() -> None:
    """Console entry point (see :class:`l10n.cli.app._Commands` for how errors are shown)."""
    app()
