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
import time
from collections.abc import Callable, Iterable
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
        return batch.commit()


class Batch:
    """Files staged beside their targets, flushed to disk in one sync, then renamed together.

    Use as a context manager: what is not committed is removed on the way
    out. :meth:`commit` renames every staged file over its target; if one
    rename fails, those already done are undone from their backups.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, str] = {}

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    def stage(self, path: Path, data: bytes) -> bool:
        """Write ``data`` to a temporary beside ``path`` (replacing one staged before); False if unchanged."""
        path = path if isinstance(path, Path) else Path(path)
        self.unstage(path)
        if _holds(path, data):
            sweep(path.parent)  # what a killed run left beside it goes, even when this file stays
            return False
        self._staged[path] = _stage(path, data)
        return True

    def sync(self) -> None:
        """Flush the staged files to disk: one fsync for one file, one sync for many."""
        if len(self._staged) == 1:
            (tmp,) = self._staged.values()
            _fsync(tmp)
        elif self._staged:
            os.sync()

    def sync_one(self, path: Path) -> None:
        """Flush the file staged for ``path`` (one restaged after :meth:`sync`)."""
        _fsync(self._staged[Path(path)])

    def commit(self, before: Callable[[Path], None] | None = None) -> list[Path]:
        """Rename every staged file over its target, all or none; returns the targets.

        ``before(path)`` runs just before each rename, with nothing else in
        between: a last look at the target, which may :meth:`stage` other
        bytes for it (or :meth:`unstage` it).
        """
        count = len(self._staged)
        done: list[Path] = []
        backups: dict[Path, str] = {}
        try:
            for path in list(self._staged):
                if before is not None:
                    before(path)
                if path not in self._staged:
                    continue
                try:
                    backup = _backup(path)
                    if backup:
                        backups[path] = backup
                    os.replace(self._staged[path], path)
                except OSError as exc:
                    raise L10nError(f"{path}: cannot replace: {exc.strerror or exc}; "
                                    f"no file was changed{_of(count)}") from None
                done.append(path)
                del self._staged[path]
        except BaseException:
            _undo(done, backups)
            raise
        finally:
            for backup in backups.values():
                Path(backup).unlink(missing_ok=True)
        return done

    def discard(self) -> None:
        for path in list(self._staged):
            self.unstage(path)

    def staged(self, path: Path) -> str | None:
        """The temporary file staged for ``path``, if any."""
        return self._staged.get(Path(path))

    def unstage(self, path: Path) -> None:
        """Forget the file staged for ``path``, if any."""
        tmp = self._staged.pop(path, None)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


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


def _undo(done: list[Path], backups: dict[Path, str]) -> None:
    for path in reversed(done):
        if path in backups:
            os.replace(backups[path], path)
        else:
            path.unlink(missing_ok=True)


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
