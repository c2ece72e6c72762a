"""Atomic file writes: a crash leaves the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file, fsync and rename.

    Returns False (and leaves the file untouched) when it already holds
    exactly these bytes, so unchanged files keep their modification time.
    """
    return bool(atomic_write_many([(path, data)]))


def atomic_write_many(files: Iterable[tuple[Path, bytes]]) -> list[Path]:
    """Write several files atomically; returns the paths that changed.

    Each changed file is written to a temporary file beside it; all of them
    are flushed to disk together (one sync instead of one per file, which
    dominates the time of a run over thousands of catalogs), then renamed
    over their targets.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            if _holds(path, data):
                continue
            staged.append((_stage(path, data), path))
        if len(staged) == 1:
            fd = os.open(staged[0][0], os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        elif staged:
            os.sync()
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for _, path in staged]


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _stage(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
