"""Results worked out from files, kept between runs in the project's ``.l10n/`` folder.

``l10n status`` and ``l10n check`` keep what they found per catalog under a
key: a hash of everything the result depends on (the catalog's bytes, the
article's, the settings, l10n's own code and the libraries it asks). A result
is used only when its key is the one worked out now; anything else (another
key, a cache file that cannot be read or parsed, another version of l10n) is
worked out again and the cache file replaced, so a cache can only save time.

A cache is kept only in a project whose ``.l10n/`` folder exists (every
command that writes catalogs makes it): a command that only reads never adds
a folder to a project that has none.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path

from .errors import L10nError
from .fsutil import STATE_DIR, atomic_write

_PACKAGE = Path(__file__).resolve().parent
_MISSING = object()


def digest(*parts: bytes | str) -> str:
    """A hash of ``parts`` (each one framed by its length, so parts cannot run into each other)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_version(*libraries: str) -> str:
    """A fingerprint of l10n's own code and of the installed ``libraries`` (top-level module names).

    Every source file of the package counts by path, size and modification
    time, and so does each library's top-level file: editing l10n or
    installing another version of a library makes every cached result old.
    """
    marks = [f"{p.relative_to(_PACKAGE)}:{s.st_size}:{s.st_mtime_ns}"
             for p in sorted(_PACKAGE.rglob("*.py")) for s in [p.stat()]]
    for name in libraries:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            stat = os.stat(origin)
            marks.append(f"{name}:{origin}:{stat.st_size}:{stat.st_mtime_ns}")
        else:
            marks.append(f"{name}: not installed")
    return digest(*marks)


class Cache:
    """One kind of result (``name``), per catalog, in ``.l10n/<name>-cache.json``.

    ``version`` (see :func:`code_version`) is part of every key: a cache file
    of other code is ignored as a whole.
    """

    def __init__(self, root: Path, name: str, version: str):
        self.path = Path(root) / STATE_DIR / f"{name}-cache.json"
        self.version = version
        self.enabled = self.path.parent.is_dir()
        self._entries: dict[str, dict] = {}
        self._changed = False
        if self.enabled:
            self._entries = self._load()

    def _load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):  # missing, unreadable or damaged: start afresh
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, place: str, key: str, default=None):
        """The result stored for ``place`` under ``key``, or ``default``."""
        entry = self._entries.get(place)
        if isinstance(entry, dict) and entry.get("key") == key and "value" in entry:
            return entry["value"]
        return default

    def put(self, place: str, key: str, value) -> None:
        """Store ``value`` (plain JSON data) for ``place`` under ``key``, replacing what ``place`` held."""
        if self.enabled and self.get(place, key, _MISSING) != value:
            self._entries[place] = {"key": key, "value": value}
            self._changed = True

    def save(self) -> None:
        """Write the cache file if anything changed; a cache that cannot be written is only not kept."""
        if not self._changed:
            return
        data = json.dumps({"version": self.version, "entries": self._entries}, ensure_ascii=False,
                          separators=(",", ":"))
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except (OSError, L10nError):
            return
        self._changed = False
