"""PO/POT catalogs: polib objects read from and written as GNU gettext's bytes.

:mod:`~l10n.po.read` reads a file in one pass, checking gettext's grammar;
:mod:`~l10n.po.write` prints a catalog exactly as ``msgcat`` does, wrapping
strings with :mod:`~l10n.po.wrap` (UAX #14 in :mod:`~l10n.po.linebreak`,
format directives in :mod:`~l10n.po.directives`).
"""

from __future__ import annotations

import polib

from .read import parse_catalog, read_catalog
from .wrap import PAGE_WIDTH
from .write import format_catalog, write_catalog

__all__ = ["PAGE_WIDTH", "format_catalog", "new_catalog_file", "parse_catalog", "read_catalog", "write_catalog"]


def new_catalog_file() -> polib.POFile:
    """An empty catalog, set to wrap at the page width gettext uses."""
    return polib.POFile(wrapwidth=PAGE_WIDTH)
