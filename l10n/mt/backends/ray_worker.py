"""What runs inside a Ray actor: a copy of the model, translating the chunks the driver hands it.

The model's files reach the actor in one of two ways. Where the driver's
package folder is on the actor's machine (the same path, the same names,
sizes and modification times: one machine, or a shared file system), the
actor reads it there. Elsewhere it takes the folder's files from Ray's
object store, where the driver put them once (:func:`ship`), and unpacks
them into a cache folder of its machine that every actor there shares.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ray

from ...config import EngineConfig
from ...errors import L10nError
from ..engine import Engine, Suggestion
from ..models import ModelPackage

CACHE_NAME = "l10n-ray-models"


@dataclass(frozen=True)
class Shipped:
    """A package folder as the driver has it: its fingerprint, and its files in Ray's object store.

    ``files`` holds the reference inside a list, so that Ray hands an
    actor the reference, not the bytes: only an actor that needs them fetches them.
    """

    fingerprint: str
    files: list  # [ray.ObjectRef of {relative path: bytes}]


def fingerprint(folder: Path) -> str:
    """A digest of the relative paths, sizes and modification times of every file below ``folder``."""
    rows = sorted((p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(json.dumps(rows).encode("utf-8")).hexdigest()


def ship(folder: Path) -> Shipped:
    """Put the files of a package folder into Ray's object store (once per run, read by reference)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return Shipped(fingerprint(folder), [ray.put(files)])


def local_package(package: ModelPackage, shipped: Shipped) -> ModelPackage:
    """``package`` with a folder on this machine: the driver's own, or the shipped files unpacked."""
    folder = Path(package.path)
    if folder.is_dir() and fingerprint(folder) == shipped.fingerprint:
        return package
    cache = Path(tempfile.gettempdir()) / CACHE_NAME / f"{folder.name}-{shipped.fingerprint[:16]}"
    if not cache.is_dir():
        cache.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=cache.parent))
        for name, data in ray.get(shipped.files[0]).items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            os.rename(staging, cache)
        except OSError:  # another actor on this machine unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    return dataclasses.replace(package, path=cache)


class Worker:
    """One Ray actor: an :class:`Engine` on the CPUs (or the GPU) Ray gave it."""

    def __init__(self, route: list[ModelPackage], shipped: list[Shipped], settings: EngineConfig):
        self._route, self._shipped, self._settings = route, shipped, settings
        self._engine: Engine | None = None

    def ready(self) -> tuple[int, str]:
        """Load the model; (this process's id, "" or the one-line problem that stops it loading)."""
        try:
            route = [local_package(p, s) for p, s in zip(self._route, self._shipped)]
            self._engine = Engine(route, self._settings)
            self._engine.load()  # now: a broken model is reported before any chunk is handed out
        except L10nError as e:
            return os.getpid(), str(e)
        return os.getpid(), ""

    def lengths(self, texts: list[str]) -> list[int]:
        """The number of tokens of each text for the first model, which :meth:`Engine.translate_iter` sorts by."""
        first = self._engine._load()[0]
        return [len(tokens) for tokens in self._engine._encode_all(first, texts)]

    def translate(self, texts: list[str]) -> list[Suggestion]:
        """Translate one chunk (distinct texts, sorted by length): the same call as a local chunk."""
        return self._engine.translate(texts)
