"""Source formats, chosen by file extension.

``formats.for_path(path)`` is the :class:`Format` of an article (``.txt``:
:mod:`l10n.formats.text`, ``.md``: :mod:`l10n.formats.markdown`), and
:data:`SUFFIXES` the extensions of articles. A format reads with
:class:`FormatSettings`, the few settings of ``l10n.yaml`` it uses
(``FormatSettings.from_config(config)``)::

    fmt = formats.for_path(article.rel)
    doc = fmt.read(data, article.rel, settings)
    published = fmt.localize(doc.render(...), article.rel, language, settings)
    fmt.check_markup        # None, or (source, translation) -> messages
    fmt.protected_spans(text)

A format module is imported when an article of its kind is first read.
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Config
from ..document import Document
from ..errors import L10nError
from .base import Format, FormatSettings

__all__ = ["SUFFIXES", "Format", "FormatSettings", "for_path", "read"]


def _text() -> Format:
    from .text import TEXT

    return TEXT


def _markdown() -> Format:
    from .markdown import MARKDOWN

    return MARKDOWN


_REGISTRY: dict[str, Callable[[], Format]] = {".txt": _text, ".md": _markdown}
SUFFIXES = tuple(_REGISTRY)


def for_path(path: str) -> Format:
    """The format of the file ``path``, by its extension (in any case)."""
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    loader = _REGISTRY.get(suffix)
    if loader is None:
        raise L10nError(f"{path}: not an article: expected a name ending in {' or '.join(SUFFIXES)}")
    return loader()


def read(data: bytes, path: str, settings: FormatSettings | Config) -> Document:
    """Parse the source file ``path`` (relative to the project) with the format for its extension."""
    return for_path(path).read(data, path, settings)
