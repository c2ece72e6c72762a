"""Catalogs read with a fingerprint and saved without overwriting what someone else saved meanwhile.

Translators' editors (Poedit, Lokalize, a text editor) take no lock, so a
command that read a catalog and later writes it back must assume that a
person may have saved it in between. This is optimistic concurrency: each
catalog is read together with its fingerprint (size, modification time,
inode and a hash of its bytes). Saving first stages every new file beside
its target; then, under the project's catalog lock (which l10n commands
take, so they never interleave their saves), each target's fingerprint is
checked again just before the rename. A file that changed is read again
and handed to the command's ``rebase``, which applies only that command's
own changes to what is on disk now (a reviewed entry on disk always
wins); the result is staged in place of the first one. Each file gets
this last look right before its own rename: between the two lie
microseconds, not the minutes of a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import L10nError
from .fsutil import Batch, FileLock, scratch_db, state_dir
from .po import parse_catalog

LOCK_NAME = "catalogs.lock"
SETTLE_S = 0.02  # how long a changed file must stay the same to count as saved
SETTLE_TRIES = 50


@dataclass(frozen=True, slots=True)  # slots: a run over many catalogs keeps one of each
class Fingerprint:
    """What a file was when it was read; ``None`` stands for "no file"."""

    size: int
    mtime_ns: int
    inode: int
    digest: str


def _read(path: Path) -> tuple[bytes | None, Fingerprint | None]:
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read()
    except FileNotFoundError:
        return None, None
    except IsADirectoryError:
        raise L10nError(f"{path}: is a directory, not a PO catalog") from None
    except OSError as exc:
        raise L10nError(f"{path}: cannot read: {exc.strerror or exc}") from None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return data, Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, digest)


@dataclass(slots=True)
class Tracked:
    """A catalog as read from disk (``po`` is None when there was no file), with its fingerprint."""

    path: Path
    po: polib.POFile | None
    seen: Fingerprint | None


def read(path: Path) -> Tracked:
    """Read a catalog (or note that there is none) and remember its fingerprint."""
    data, seen = _read(path)
    return Tracked(path, None if data is None else parse_catalog(data, str(path)), seen)


Rebase = Callable[[polib.POFile | None], "bytes | None"]


@dataclass(slots=True)
class Change:
    """New bytes for a catalog read as ``tracked``; ``rebase`` redoes them on what is on disk now.

    ``rebase`` gets the catalog as it is now (None if the file is gone) and
    returns the bytes to write instead, or None to leave the file alone.
    """

    tracked: Tracked
    data: bytes
    rebase: Rebase


@dataclass
class Saved:
    written: list[Path] = field(default_factory=list)  # files created or changed
    merged: list[Path] = field(default_factory=list)  # of the changes: files that someone changed meanwhile


def save(root: Path, changes: list[Change], others: list[tuple[Path, bytes]] = ()) -> Saved:
    """Write ``changes`` (and ``others``, files no one edits, such as templates) all-or-nothing.

    Each catalog is checked just before its own rename (see the module
    docstring). Afterwards each change's ``tracked.seen`` is the fingerprint
    of the file as it now is, so a long run can save the same catalog again.
    """
    with Staging(root) as staging:
        for path, data in others:
            staging.put(path, data)
        for change in changes:
            staging.change(change.tracked.path, change.tracked.seen, change.data, change.rebase)
        staging.commit()
        for change in changes:
            change.tracked.seen = staging.seen(change.tracked.path)
        return Saved(list(staging.written()), list(staging.merged()))


class Staging:
    """Files staged one by one as a run goes, then renamed together under the lock: :func:`save`, streamed.

    Each staged file's bytes go to a temporary beside its target at once,
    and what the last look needs of a catalog (its fingerprint, which
    rebase to call and that call's arguments) is a row of a private
    temporary SQLite database (as in :class:`~l10n.fsutil.Batch`): a run over
    many articles keeps nothing of them in memory but the rebase functions,
    one per kind of change. Use as a context manager: what is not committed
    is removed on the way out.
    """

    def __init__(self, root: Path):
        self.root = root
        self._batch = Batch()
        self._db = scratch_db()
        self._db.execute("CREATE TABLE changes (target TEXT PRIMARY KEY, seen TEXT, rebase INTEGER NOT NULL, "
                         "args TEXT NOT NULL, merged INTEGER NOT NULL DEFAULT 0)")
        self._rebases: dict[Callable, int] = {}  # each rebase function once, by its number in the rows

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        self._batch.__exit__(*exc)
        self._db.close()

    def put(self, path: Path, data: bytes) -> None:
        """Stage a file no one edits (a template): written as it is."""
        self._batch.stage(path, data)

    def change(self, path: Path, seen: Fingerprint | None, data: bytes,
               rebase: Callable[..., bytes | None], *args: str) -> None:
        """Stage new bytes for a catalog that was read as ``seen``; its last look comes at :meth:`commit`.

        If the file changed meanwhile, ``rebase(current, *args)`` redoes the
        change on it (see :class:`Change`). Pass one ``rebase`` for many
        catalogs, with what tells them apart in ``args`` (short strings):
        those are kept on disk, a function is kept in memory.
        """
        self._batch.stage(path, data)
        number = self._rebases.setdefault(rebase, len(self._rebases))
        self._db.execute("INSERT OR REPLACE INTO changes (target, seen, rebase, args) VALUES (?, ?, ?, ?)",
                         (str(path), _pack(seen), number, json.dumps(args)))

    def bytes_of(self, path: Path) -> bytes:
        """What ``path`` will hold once committed: its staged bytes, else the file as it is."""
        return Path(self._batch.staged(path) or path).read_bytes()

    def commit(self) -> None:
        """Flush, then rename every staged file, each catalog after its last look; see the module docstring.

        :meth:`written`, :meth:`merged` and :meth:`seen` tell the outcome.
        """
        batch, db = self._batch, self._db
        rebases = list(self._rebases)

        def last_look(path: Path) -> None:
            row = db.execute("SELECT seen, rebase, args FROM changes WHERE target = ?", (str(path),)).fetchone()
            if row is None:
                return
            seen = _unpack(row[0])
            data, now = _settled(path, seen)
            if now != seen:
                db.execute("UPDATE changes SET merged = 1, seen = ? WHERE target = ?", (_pack(now), str(path)))
                rebased = rebases[row[1]](None if data is None else parse_catalog(data, str(path)),
                                          *json.loads(row[2]))
                if rebased is None:
                    batch.unstage(path)
                    return
                if batch.stage(path, rebased):
                    batch.sync_one(path)
            # A rename keeps the inode, size and modification time: this is the file once it is in place.
            # (Reading it again after the rename could see a person's save that came just after ours.)
            tmp = batch.staged(path)
            if tmp:
                db.execute("UPDATE changes SET seen = ? WHERE target = ?", (_pack(_read(tmp)[1]), str(path)))

        batch.sync()
        with FileLock(state_dir(self.root) / LOCK_NAME):
            batch.commit(last_look)

    def written(self) -> Iterator[Path]:
        """The files that :meth:`commit` created or changed, in order."""
        return self._batch.renamed()

    def merged(self) -> Iterator[Path]:
        """Of the catalogs: those that someone changed meanwhile, merged again at their last look."""
        for (target,) in self._db.execute("SELECT target FROM changes WHERE merged = 1 ORDER BY rowid"):
            yield Path(target)

    def seen(self, path: Path) -> Fingerprint | None:
        """The fingerprint of the catalog ``path`` as :meth:`commit` left it (as read, if it was not written)."""
        row = self._db.execute("SELECT seen FROM changes WHERE target = ?", (str(path),)).fetchone()
        return _unpack(row[0]) if row else None


def _pack(seen: Fingerprint | None) -> str | None:
    """A fingerprint as one string (an inode may not fit SQLite's integers)."""
    return None if seen is None else f"{seen.size} {seen.mtime_ns} {seen.inode} {seen.digest}"


def _unpack(text: str | None) -> Fingerprint | None:
    if text is None:
        return None
    size, mtime_ns, inode, digest = text.split(" ")
    return Fingerprint(int(size), int(mtime_ns), int(inode), digest)


def _settled(path: Path, seen: Fingerprint | None) -> tuple[bytes | None, Fingerprint | None]:
    """The file as it is now; if it changed since ``seen``, as it is once it stops changing.

    An editor that saves in place truncates the file and then writes it:
    what is read in between is half a catalog. So a changed file is read
    again until two reads a moment apart agree (for at most a second).
    """
    data, now = _read(path)
    for _ in range(SETTLE_TRIES):
        if now == seen:
            break
        time.sleep(SETTLE_S)
        again, later = _read(path)
        if later == now:
            break
        data, now = again, later
    return data, now
