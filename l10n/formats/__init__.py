"""Source formats, chosen by file extension: each module has ``read(data, path, config) -> Document``."""

from __future__ import annotations

from importlib import import_module

from ..config import Config
from ..document import Document

FORMATS = {".txt": "text", ".md": "markdown"}


def read(data: bytes, path: str, config: Config) -> Document:
    """Parse the source file ``path`` (relative to the project) with the module for its extension."""
    suffix = path[path.rfind("."):].lower()
    module = import_module(f".{FORMATS[suffix]}", __name__)
    return module.read(data, path, config)
