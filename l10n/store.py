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
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import L10nError
from .fsutil import Batch, FileLock, state_dir
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
            staging.change(change)
        return staging.commit()


class Staging:
    """Files staged one by one as a run goes, then renamed together under the lock: :func:`save`, streamed.

    Each staged file's bytes go to a temporary beside its target at once, so
    a run over many articles holds none of them in memory; a change keeps
    only its ``tracked`` and its ``rebase``. Use as a context manager: what
    is not committed is removed on the way out.
    """

    def __init__(self, root: Path):
        self.root = root
        self._batch = Batch()
        self._changes: dict[Path, Change] = {}

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        self._batch.discard()

    def put(self, path: Path, data: bytes) -> None:
        """Stage a file no one edits (a template): written as it is."""
        self._batch.stage(path, data)

    def change(self, change: Change) -> None:
        """Stage a catalog's new bytes; its last look comes at :meth:`commit`."""
        self._batch.stage(change.tracked.path, change.data)
        self._changes[change.tracked.path] = Change(change.tracked, b"", change.rebase)

    def bytes_of(self, path: Path) -> bytes:
        """What ``path`` will hold once committed: its staged bytes, else the file as it is."""
        return Path(self._batch.staged(path) or path).read_bytes()

    def commit(self) -> Saved:
        """Flush, then rename every staged file, each catalog after its last look; see the module docstring."""
        saved = Saved()
        batch = self._batch
        ours: dict[Path, Fingerprint | None] = {}  # what each catalog will be once renamed

        def last_look(path: Path) -> None:
            change = self._changes.get(path)
            if change is None:
                return
            data, now = _settled(path, change.tracked.seen)
            if now != change.tracked.seen:
                saved.merged.append(path)
                rebased = change.rebase(None if data is None else parse_catalog(data, str(path)))
                change.tracked.seen = now
                if rebased is None:
                    batch.unstage(path)
                    return
                if batch.stage(path, rebased):
                    batch.sync_one(path)
            # A rename keeps the inode, size and modification time: this is the file once it is in place.
            # (Reading it again after the rename could see a person's save that came just after ours.)
            ours[path] = _read(batch.staged(path))[1] if batch.staged(path) else now

        batch.sync()
        with FileLock(state_dir(self.root) / LOCK_NAME):
            saved.written = batch.commit(last_look)
            for path in saved.written:
                if path in self._changes:
                    self._changes[path].tracked.seen = ours[path]
        return saved


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
