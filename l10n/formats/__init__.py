"""Source formats, chosen by file extension.

Each module has ``read(data, path, config) -> Document``. A format whose
units carry markup may also have:

* ``localize(data, path, language, config) -> bytes``: applied to each
  rendered article when it is published (Markdown sets the language in the
  front matter);
* ``check_markup(source, translation) -> messages``: what a translation
  breaks of a unit's markup; the ``markup`` check of ``l10n check`` uses
  it for the format's articles, and ``l10n publish`` keeps the source text
  of a unit it finds problems in;
* ``protected_spans(text) -> [(start, end, kind)]``: markup a model must
  not change, which ``l10n translate`` replaces by placeholders.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType

from ..config import Config
from ..document import Document

FORMATS = {".txt": "text", ".md": "markdown"}


def module(path: str) -> ModuleType:
    """The format module for the file ``path``, by its extension."""
    suffix = path[path.rfind("."):].lower()
    return import_module(f".{FORMATS[suffix]}", __name__)


def read(data: bytes, path: str, config: Config) -> Document:
    """Parse the source file ``path`` (relative to the project) with the module for its extension."""
    return module(path).read(data, path, config)


def localize(data: bytes, path: str, language: str, config: Config) -> bytes:
    """The rendered article ``path`` in ``language`` as it is published (the format's ``localize``, if any)."""
    fn = hook(path, "localize")
    return fn(data, path, language, config) if fn else data


def hook(path: str, name: str) -> Callable | None:
    """The function ``name`` of the format of ``path`` (``check_markup``, ``protected_spans``), or None."""
    return getattr(module(path), name, None)
