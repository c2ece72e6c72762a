"""Results worked out from files, kept between runs in the project's ``.l10n/`` folder.

``l10n status`` and ``l10n check`` keep what they found per catalog under a
key: a hash of everything the result depends on (the catalog's bytes, the
article's, the settings, l10n's own code and the libraries it asks). A result
is used only when its key is the one worked out now; anything else (another
key, another version of l10n, a value that cannot be parsed) is worked out
again and stored in its place, and a cache file that is not a database, or a
damaged one, is replaced: a cache can only save time.

Each kind of result is one SQLite table, a row per catalog, read row by row
and written about a megabyte at a time: however large the project, a cache
never holds more than that in memory.

A cache is kept only in a project whose ``.l10n/`` folder exists (every
command that writes catalogs makes it): a command that only reads never adds
a folder to a project that has none.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from importlib.util import find_spec
from pathlib import Path

from .fsutil import STATE_DIR

_PACKAGE = Path(__file__).resolve().parent
_WRITE_AT = 1_000_000  # characters of places and results kept in memory before they are written in one transaction


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
    """One kind of result (``name``), per catalog, in ``.l10n/<name>-cache.sqlite``.

    ``version`` (see :func:`code_version`) is part of every key: a result of
    other code is never used. The file is made by the first result stored. A
    cache that cannot be opened, read or written (another run writing it for
    too long, a read-only folder) only saves nothing. Used as a context
    manager, what was stored since the last write is kept only if the block
    ends without an error.
    """

    def __init__(self, root: Path, name: str, version: str):
        self.path = Path(root) / STATE_DIR / f"{name}-cache.sqlite"
        self.version = version
        self._usable = True
        self._db = self._open() if self.path.exists() else None
        self._pending: dict[str, tuple[str, str]] = {}  # place -> (key, value): not written yet
        self._pending_size = 0

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, error_type, *_details) -> None:
        if error_type is None:
            self.save()
        self._db = _closed(self._db)

    def _open(self) -> sqlite3.Connection | None:
        for _attempt in range(2):
            db = None
            try:
                db = sqlite3.connect(self.path, timeout=2)
                db.execute("CREATE TABLE IF NOT EXISTS results "
                           "(place TEXT PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL) WITHOUT ROWID")
                db.commit()
                return db
            except sqlite3.OperationalError:  # locked for too long, or not writable: no cache this time
                break
            except sqlite3.DatabaseError:  # not a database, or a damaged one: replaced
                _closed(db)
                self._remove()
        self._usable = False
        return _closed(db)

    def _remove(self) -> None:
        for suffix in ("", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass

    def _failed(self, error: sqlite3.DatabaseError) -> None:
        """Stop using the cache for this run; a damaged one is removed, to be made afresh by the next."""
        self._db = _closed(self._db)
        self._usable = False
        if not isinstance(error, sqlite3.OperationalError):
            self._remove()

    def get(self, place: str, key: str, default=None):
        """The result stored for ``place`` under ``key``, or ``default``."""
        row = self._pending.get(place)
        if row is None and self._db is not None:
            try:
                row = self._db.execute("SELECT key, value FROM results WHERE place = ?", (place,)).fetchone()
            except sqlite3.DatabaseError as error:
                self._failed(error)
        if row is None or row[0] != digest(self.version, key):
            return default
        try:
            return json.loads(row[1])
        except ValueError:
            return default

    def put(self, place: str, key: str, value) -> None:
        """Store ``value`` (plain JSON data) for ``place`` under ``key``, replacing what ``place`` held.

        Results are written about a megabyte at a time (see :meth:`save`).
        """
        if self._usable:
            data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            self._pending[place] = (digest(self.version, key), data)
            self._pending_size += len(place) + len(data) + 64  # 64: the key, and what a row costs besides
            if self._pending_size >= _WRITE_AT:
                self.save()

    def save(self) -> None:
        """Write what was stored; a cache that cannot be written is only not kept."""
        if not self._pending or not self._usable:
            return
        if self._db is None and self.path.parent.is_dir():  # the folder may have been made since the start
            self._db = self._open()
        try:
            if self._db is not None:
                with self._db:  # one transaction
                    self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                                         ((place, key, data) for place, (key, data) in self._pending.items()))
        except sqlite3.DatabaseError as error:
            self._failed(error)
        self._pending.clear()
        self._pending_size = 0


def _closed(db: sqlite3.Connection | None) -> None:
    """Close ``db`` (if any), dropping what it had not committed; None, for the caller to keep."""
    if db is not None:
        try:
            db.close()
        except sqlite3.Error:
            pass
    return None
