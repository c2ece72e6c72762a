"""Safe file writes and locks: a crash leaves the old file or the new one, never half, and no litter.

Every file is written to a temporary file beside it, flushed to disk and
renamed over the target. Files written together (:class:`Batch`) are
all-or-nothing as far as the system allows: each existing target is first
hard-linked to a backup, so a rename that fails midway is rolled back and
the run says that nothing changed. Temporaries and backups are named
``.<name>.l10n-<pid>-<random>.tmp|.bak``; those of a process that is gone
(killed, or the machine lost power) are removed the next time l10n writes
into that folder. Errors name the file the user knows, never a temporary.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import L10nError

STATE_DIR = ".l10n"  # a project's scratch space: caches, journal, locks; never part of the project
_OURS = re.compile(r"\A\..+\.l10n-(?P<pid>\d+)-[0-9a-f]{8}\.(?:tmp|bak)\Z")
_STALE_AFTER_S = 24 * 3600  # a file of a live process id this old is left by an earlier process that had that id
_swept: set[Path] = set()


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (file untouched) when it already holds these bytes."""
    return bool(atomic_write_many([(path, data)]))


def atomic_write_many(files: Iterable[tuple[Path, bytes]]) -> list[Path]:
    """Write several files all-or-nothing (see :class:`Batch`); returns the paths that changed."""
    with Batch() as batch:
        for path, data in files:
            batch.stage(path, data)
        batch.sync()
        batch.commit()
        return list(batch.renamed())


def scratch_db() -> sqlite3.Connection:
    """A private temporary SQLite database, for records that grow with a run: deleted on close.

    SQLite keeps it in a bounded page cache and spills the rest to a file of
    its own. It is one transaction that is never committed (nothing is
    kept, and statements run faster that way).
    """
    db = sqlite3.connect("", isolation_level=None)  # "": a temporary database on disk
    db.execute("BEGIN")
    return db


class Batch:
    """Files staged beside their targets, flushed to disk in one sync, then renamed together.

    Use as a context manager: what is not committed is removed on the way
    out. :meth:`commit` renames every staged file over its target; if one
    rename fails, those already done are undone from their backups. What a
    batch keeps per file (target, temporary, backup) is a row of a
    :func:`scratch_db`: a batch of a million files takes no more memory
    than one of ten.
    """

    def __init__(self) -> None:
        self._db = scratch_db()
        # tmp is NULL once the file is renamed over its target; backup is the link to undo that with.
        self._db.execute("CREATE TABLE staged (target TEXT PRIMARY KEY, tmp TEXT, backup TEXT)")

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
        self._db.close()

    def stage(self, path: Path, data: bytes) -> bool:
        """Write ``data`` to a temporary beside ``path`` (replacing one staged before); False if unchanged.

        A file staged again keeps its place in the order of :meth:`commit`.
        """
        path = path if isinstance(path, Path) else Path(path)
        old = self.staged(path)
        if old is not None:
            Path(old).unlink(missing_ok=True)
        if _holds(path, data):
            self._db.execute("DELETE FROM staged WHERE target = ?", (str(path),))
            sweep(path.parent)  # what a killed run left beside it goes, even when this file stays
            return False
        self._db.execute("INSERT INTO staged (target, tmp) VALUES (?, ?) "
                         "ON CONFLICT (target) DO UPDATE SET tmp = excluded.tmp, backup = NULL",
                         (str(path), _stage(path, data)))
        return True

    def sync(self) -> None:
        """Flush the staged files to disk: one fsync for one file, one sync for many."""
        rows = self._db.execute("SELECT tmp FROM staged WHERE tmp IS NOT NULL LIMIT 2").fetchall()
        if len(rows) == 1:
            _fsync(rows[0][0])
        elif rows:
            os.sync()

    def sync_one(self, path: Path) -> None:
        """Flush the file staged for ``path`` (one restaged after :meth:`sync`)."""
        _fsync(self.staged(path))

    def commit(self, before: Callable[[Path], None] | None = None) -> None:
        """Rename every staged file over its target, all or none, in the order staged.

        ``before(path)`` runs just before each rename, with nothing else in
        between: a last look at the target, which may :meth:`stage` other
        bytes for it (or :meth:`unstage` it). :meth:`renamed` lists the
        targets afterwards.
        """
        db = self._db
        db.execute("DELETE FROM staged WHERE tmp IS NULL")  # what an earlier commit renamed
        (count,) = db.execute("SELECT count(*) FROM staged").fetchone()
        row = (0,)
        try:
            while row := db.execute("SELECT rowid, target FROM staged WHERE rowid > ? ORDER BY rowid LIMIT 1",
                                    row[:1]).fetchone():
                path = Path(row[1])
                if before is not None:
                    before(path)
                tmp = self.staged(path)
                if tmp is None:
                    continue
                try:
                    db.execute("UPDATE staged SET backup = ? WHERE rowid = ?", (_backup(path), row[0]))
                    os.replace(tmp, path)
                except OSError as exc:
                    raise L10nError(f"{path}: cannot replace: {exc.strerror or exc}; "
                                    f"no file was changed{_of(count)}") from None
                db.execute("UPDATE staged SET tmp = NULL WHERE rowid = ?", row[:1])
        except BaseException:
            self._undo()
            raise
        finally:
            for (backup,) in db.execute("SELECT backup FROM staged WHERE backup IS NOT NULL").fetchall():
                Path(backup).unlink(missing_ok=True)
            db.execute("UPDATE staged SET backup = NULL")

    def renamed(self) -> Iterator[Path]:
        """The targets that the last :meth:`commit` renamed, in order."""
        for (target,) in self._db.execute("SELECT target FROM staged WHERE tmp IS NULL ORDER BY rowid"):
            yield Path(target)

    def _undo(self) -> None:
        for target, backup in self._db.execute(
                "SELECT target, backup FROM staged WHERE tmp IS NULL ORDER BY rowid DESC").fetchall():
            if backup is not None:
                os.replace(backup, target)
            else:
                Path(target).unlink(missing_ok=True)
        self._db.execute("DELETE FROM staged WHERE tmp IS NULL")

    def discard(self) -> None:
        """Remove every staged temporary."""
        for (tmp,) in self._db.execute("SELECT tmp FROM staged WHERE tmp IS NOT NULL"):
            Path(tmp).unlink(missing_ok=True)
        self._db.execute("DELETE FROM staged WHERE tmp IS NOT NULL")

    def staged(self, path: Path) -> str | None:
        """The temporary file staged for ``path``, if any."""
        row = self._db.execute("SELECT tmp FROM staged WHERE target = ?", (str(path),)).fetchone()
        return row[0] if row else None

    def unstage(self, path: Path) -> None:
        """Forget the file staged for ``path``, if any."""
        tmp = self.staged(path)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
            self._db.execute("DELETE FROM staged WHERE target = ?", (str(path),))


def _backup(path: Path) -> str | None:
    """A hard link to ``path`` (a copy where the file system has none), to undo a half-done commit."""
    backup = _name(path, "bak")
    try:
        os.link(path, backup)
    except FileNotFoundError:
        return None
    except OSError:
        shutil.copyfile(path, backup)
    return backup


def _of(count: int) -> str:
    return f" (of {count} to write)" if count > 1 else ""


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
    except OSError as exc:
        raise L10nError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _name(path: Path, kind: str) -> str:
    return str(path.parent / f".{path.name}.l10n-{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _stage(path: Path, data: bytes) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise L10nError(f"{path.parent}: cannot create the folder: {exc.strerror or exc}") from None
    sweep(path.parent)
    tmp = _name(path, "tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise L10nError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _fsync(name: str) -> None:
    fd = os.open(name, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep(folder: Path) -> None:
    """Remove the temporaries and backups that a process now gone left in ``folder`` (once per process)."""
    folder = Path(folder)
    if folder in _swept:
        return
    _swept.add(folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _OURS.match(name)
        if match and _stale(folder / name, int(match["pid"])):
            try:
                (folder / name).unlink()
            except OSError:
                pass


def _stale(path: Path, pid: int) -> bool:
    if not process_alive(pid):
        return True
    if pid == os.getpid():
        return False
    try:
        return time.time() - path.lstat().st_mtime > _STALE_AFTER_S
    except OSError:
        return False


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (this one does); True when that cannot be told."""
    if pid == os.getpid() or os.name == "nt":  # on Windows, os.kill(pid, 0) would send CTRL_C_EVENT
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's process
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------- state


def state_dir(root: Path) -> Path:
    """The project's ``.l10n/`` folder, created with a ``.gitignore`` that keeps it out of version control."""
    folder = Path(root) / STATE_DIR
    ignore = folder / ".gitignore"
    try:
        if ignore.read_bytes() == b"*\n":
            return folder
    except OSError:
        pass
    atomic_write(ignore, b"*\n")
    return folder


# --------------------------------------------------------------------- locks


class FileLock:
    """An exclusive ``fcntl.flock`` on a file, held inside a ``with`` block.

    The operating system releases it when the process ends, however it
    ends, so a killed run never leaves a stale lock. The file holds the
    process id of the holder, for the message of the one that waits.
    ``busy`` is called with that message (`` (process N)``) when the lock is
    taken: it may raise to give up, or return to wait.
    """

    def __init__(self, path: Path, busy: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.busy = busy
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise L10nError(f"{self.path}: cannot open the lock file: {exc.strerror or exc}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if self.busy is not None:
                    self.busy(_holder(fd))
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
