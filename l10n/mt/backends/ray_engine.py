"""``engine.backend: ray``: the engine's chunks translated by Ray actors, each holding one copy of the model.

The driver (the ``l10n translate`` process) plans exactly as the local
:class:`~l10n.mt.engine.Engine` does: distinct texts, blank ones first,
sorted by their token length for the first model, cut into chunks of
``batch_size``. So every chunk is the same batch the local engine would
translate, and the catalogs come out the same. Each actor
(:class:`~l10n.mt.backends.ray_worker.Worker`) gets ``IN_FLIGHT`` chunks at
a time, one translating and the next waiting; chunks are handed back as
they finish, in any order, and the caller journals them.

A chunk whose actor died (its process killed, its machine gone) is handed
to another actor, and a new actor takes the dead one's place; a chunk is
tried ``MAX_ATTEMPTS`` times and a place restarted as often, then the run
stops with one line. See docs/ray.md.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
from collections import Counter, deque
from pathlib import Path
from typing import Any, Callable, Iterator

import ray
from ray.exceptions import RayActorError, WorkerCrashedError

from ...config import EngineConfig
from ...engine_settings import PER_GPU
from ...errors import L10nError, one_line
from ..engine import Engine, Suggestion
from ..models import ModelPackage
from .ray_worker import Worker, ship

IN_FLIGHT = 2  # chunks handed to each actor at a time: one translating, one waiting
MAX_ATTEMPTS = 3  # tries of one chunk, and starts of one actor's place, before the run stops
LENGTHS_SLICE = 4096  # texts per call that measures token lengths
CONNECT_TIMEOUT_S = 10.0
_DIED = (RayActorError, WorkerCrashedError)  # RayActorError covers ActorDiedError and ActorUnavailableError
_WHERE = "l10n.yaml: engine.ray"

_connected: list[str] = []  # the address this process is connected to


def connect(address: str) -> None:
    """Connect this process to the Ray cluster at ``address`` once; one line when nothing answers there."""
    if ray.is_initialized() and _connected == [address]:
        return
    if ray.is_initialized():
        ray.shutdown()
    if address != "auto":  # ray.init waits forever for an address where nothing listens
        host, _, port = address.removeprefix("ray://").rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
        except OSError as e:
            raise L10nError(f"{_WHERE}.address: no Ray cluster answers at {address}: {one_line(e)}") from None
    try:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise L10nError(f"{_WHERE}.address: cannot connect to a Ray cluster at {address}: "
                        f"{one_line(e)}") from None
    _connected[:] = [address]


class RayEngine(Engine):
    """An :class:`Engine` whose chunks Ray actors translate; planned here, translated there."""

    def __init__(self, route: list[ModelPackage], settings: EngineConfig | None = None):
        super().__init__(route, settings)
        self._workers: _Workers | None = None
        self._count = 0  # actors wanted: engine.ray.workers, or what the cluster holds

    @property
    def retried(self) -> int:
        """Chunks handed to another actor after theirs died."""
        return self._workers.retried if self._workers else 0

    def worker_pids(self) -> list[int]:
        """The process ids of the actors that have loaded the model."""
        return list(self._workers.pids.values()) if self._workers else []

    def translate_iter(self, texts: list[str]) -> Iterator[tuple[list[int], list[Suggestion]]]:
        """The same chunks and results as :meth:`Engine.translate_iter`, translated by the actors."""
        positions: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            positions.setdefault(text, []).append(i)
        todo = [text for text in positions if text.strip()]
        blank = [i for text, where in positions.items() if not text.strip() for i in where]
        if blank:
            yield blank, [Suggestion(texts[i], 1.0) for i in blank]
        if not todo:
            return
        size = self.settings.batch_size
        workers = self._start()
        workers.grow(min(self._count, -(-len(todo) // size)))  # no more actors than chunks
        done = False
        try:
            slices = [todo[start:start + LENGTHS_SLICE] for start in range(0, len(todo), LENGTHS_SLICE)]
            measured = dict(workers.map("lengths", slices))
            lengths = [n for k in range(len(slices)) for n in measured[k]]
            order = sorted(range(len(todo)), key=lengths.__getitem__)
            chunks = [order[start:start + size] for start in range(0, len(order), size)]
            for k, suggestions in workers.map("translate", [[todo[i] for i in chunk] for chunk in chunks]):
                finished: list[int] = []
                out: list[Suggestion] = []
                for i, suggestion in zip(chunks[k], suggestions):
                    finished.extend(positions[todo[i]])
                    out.extend(suggestion for _ in positions[todo[i]])
                yield finished, out
            done = True
        finally:
            if not done:  # stopped early (an error, Ctrl-C, the caller gave up): nothing goes on translating
                workers.close()
                self._workers = None

    @property
    def where(self) -> str:
        """Where the model runs: for example ``Ray at auto, 2 workers``."""
        count = self._workers.places if self._workers else 0
        return f"Ray at {self.settings.ray.address}, {count} worker{'s' * (count != 1)}"

    def load(self) -> None:
        """Connect to the cluster and start one actor with the model, so that a model that cannot load stops here."""
        self.start(1)

    def start(self, count: int) -> None:
        """Start ``count`` actors (or keep those running) and wait until they have loaded the model."""
        workers = self._start()
        workers.grow(count)
        workers.wait_ready(count)

    def _start(self) -> _Workers:
        """Connect, ship the model, and be ready to start actors; kept for later calls."""
        if self._workers is not None:
            return self._workers
        ray_settings = self.settings.ray
        connect(ray_settings.address)
        cpus = self.settings.threads or 1
        options: dict[str, Any] = {"num_cpus": cpus}
        local = dataclasses.replace(self.settings, backend="local", replicas=1, threads=cpus)
        resources = ray.cluster_resources()
        if ray_settings.workers == PER_GPU:
            self._count = int(resources.get("GPU", 0))
            if not self._count:
                raise L10nError(f"{_WHERE}.workers: {PER_GPU}, but the Ray cluster at {ray_settings.address} "
                                "has no GPU")
            options["num_gpus"] = 1
            local = dataclasses.replace(local, device="cuda")
        else:
            largest = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n["Alive"]), default=0)
            if largest < cpus:
                raise L10nError(f"l10n.yaml: engine.threads: {cpus} CPUs per Ray worker, but no machine of the "
                                f"cluster at {ray_settings.address} has more than {largest:g}")
            self._count = ray_settings.workers or max(1, int(resources.get("CPU", 0)) // cpus)
        route, shipped = self.route, [ship(Path(p.path)) for p in self.route]
        actor = ray.remote(Worker).options(**options)
        # No reference back to this engine: when the caller drops it, the actors end and free their CPUs.
        self._workers = _Workers(lambda: actor.remote(route, shipped, local))
        return self._workers


class _Workers:
    """The actors, each in a place of its own; a place whose actor died gets a new one."""

    def __init__(self, start: Callable[[], Any]):
        self._start = start
        self.ready: dict[int, Any] = {}  # place → actor that loaded the model
        self.pids: dict[int, int] = {}  # place → its process id
        self._starting: dict[Any, tuple[int, Any]] = {}  # ready() reference → (place, actor)
        self._starts: Counter[int] = Counter()
        self._problem = ""  # why the last actor died, for the line that ends the run
        self.retried = 0

    @property
    def places(self) -> int:
        return len(self._starts)

    def grow(self, count: int) -> None:
        """Start actors in new places until there are ``count``."""
        for place in range(self.places, count):
            self._launch(place)

    def wait_ready(self, count: int = 1) -> None:
        """Wait until ``count`` actors have loaded the model; L10nError when they cannot."""
        while len(self.ready) < count:
            if not self._starting:
                raise L10nError(f"{_WHERE}: no Ray worker could start; the last: {self._problem}")
            (ref,), _ = ray.wait(list(self._starting), num_returns=1)
            self._started(ref)

    def _launch(self, place: int) -> None:
        if self._starts[place] < MAX_ATTEMPTS:
            self._starts[place] += 1
            actor = self._start()
            self._starting[actor.ready.remote()] = (place, actor)

    def _started(self, ref: Any) -> None:
        place, actor = self._starting.pop(ref)
        try:
            pid, problem = ray.get(ref)
        except _DIED as e:
            self._problem = _first_line(e)
            self._launch(place)
            return
        if problem:
            raise L10nError(problem)
        self.ready[place], self.pids[place] = actor, pid

    def _died(self, place: int, actor: Any, error: Exception) -> None:
        self._problem = _first_line(error)
        if self.ready.get(place) is actor:  # not yet replaced (its other chunks fail too)
            del self.ready[place]
            del self.pids[place]
            self._launch(place)

    def map(self, method: str, items: list) -> Iterator[tuple[int, Any]]:
        """Call ``method`` of the actors on every item; yields (item's index, result) as they finish."""
        queue = deque(range(len(items)))
        attempts: Counter[int] = Counter()
        flying: dict[Any, tuple[int, int, Any]] = {}  # reference → (item, place, actor)
        while queue or flying:
            for place, actor in list(self.ready.items()):
                busy = sum(1 for _, p, _ in flying.values() if p == place)
                for _ in range(min(IN_FLIGHT - busy, len(queue))):
                    k = queue.popleft()
                    flying[getattr(actor, method).remote(items[k])] = (k, place, actor)
            if not flying and not self._starting:
                raise L10nError(f"{_WHERE}: every Ray worker died; the last: {self._problem}")
            (ref,), _ = ray.wait([*flying, *self._starting], num_returns=1)
            if ref in self._starting:
                self._started(ref)
                continue
            k, place, actor = flying.pop(ref)
            try:
                result = ray.get(ref)
            except _DIED as e:
                self._died(place, actor, e)
                attempts[k] += 1
                if attempts[k] == MAX_ATTEMPTS:
                    raise L10nError(f"{_WHERE}: a batch was tried {MAX_ATTEMPTS} times and its Ray worker "
                                    f"died each time; the last: {self._problem}") from None
                self.retried += 1
                queue.appendleft(k)
                continue
            yield k, result

    def close(self) -> None:
        for actor in [*self.ready.values(), *(actor for _, actor in self._starting.values())]:
            ray.kill(actor)
        self.ready.clear()
        self.pids.clear()
        self._starting.clear()


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return one_line(lines[0] if lines else error)[:300]
