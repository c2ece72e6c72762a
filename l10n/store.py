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
wins); the result is staged in place of the first one. Between that last
check and the rename lie microseconds, not the minutes of a run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .errors import L10nError
from .fsutil import Batch, FileLock, state_dir
from .pofile import parse_catalog

LOCK_NAME = "catalogs.lock"


@dataclass(frozen=True)
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


@dataclass
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


@dataclass
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

    Afterwards each change's ``tracked.seen`` is the fingerprint of the file
    as it now is, so a long run can save the same catalog again.
    """
    saved = Saved()
    with Batch() as batch:
        for path, data in others:
            batch.stage(path, data)
        for change in changes:
            batch.stage(change.tracked.path, change.data)
        batch.sync()
        with FileLock(state_dir(root) / LOCK_NAME):
            for change in changes:
                tracked = change.tracked
                data, now = _read(tracked.path)
                if now == tracked.seen:
                    continue
                saved.merged.append(tracked.path)
                current = None if data is None else parse_catalog(data, str(tracked.path))
                rebased = change.rebase(current)
                if rebased is None:
                    batch.unstage(tracked.path)
                elif batch.stage(tracked.path, rebased):
                    batch.sync_one(tracked.path)
                tracked.seen = now
            saved.written = batch.commit()
            for change in changes:
                if change.tracked.path in saved.written:
                    change.tracked.seen = _read(change.tracked.path)[1]
    return saved
