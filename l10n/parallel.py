"""Work spread over the machine's cores, its results handed back in order, a bounded number in flight.

Commands that go article by article (``extract``, ``publish``, ``check``) give the pure
part of each article's work (parse, check, render: no file written, no
cache touched) to worker processes and keep everything with a side effect
in their own process, in the order a single process would do it. A pool
starts only once a run has done :data:`START_AFTER` items itself, so a
command on a few articles never pays for one. Workers ignore Ctrl-C: the
command stops them and reports as it would alone, and a worker ends by
itself when the command is killed; an error raised in a
worker (an :class:`~l10n.errors.L10nError` naming a file) reaches the
command as it is.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .config import machine_cores
from .errors import L10nError

START_AFTER = 48  # items done in this process before a pool is worth its start-up
CHUNK = 8  # items per task sent to a worker
AHEAD = 3  # tasks in flight per worker: enough to keep each busy, few results held

_context: Any = None  # a worker's: the context its tasks run with


def ordered(tasks: Iterable[tuple[bool, Any]], fn: Callable[[Any, Any], Any], context: Any,
            jobs: int | None = None) -> Iterator[Any]:
    """For each task ``(todo, value)``: ``fn(context, value)`` if ``todo``, else ``value`` itself; in order.

    ``fn`` is a module-level function (a worker finds it by name) and
    ``context`` what every call shares (a worker gets a copy once).
    ``jobs`` worker processes (default: one per core) take the calls once
    there are more than :data:`START_AFTER`; ``jobs=1`` keeps them all here,
    and so does a process that runs other threads: a fork copies the locks
    they may hold, and not the threads that would let go of them.
    """
    jobs = (jobs or machine_cores()) if threading.active_count() == 1 else 1
    pool = None
    pending: deque = deque()  # ("value", v) or ("chunk", future) in task order
    chunk: list = []
    done_here = 0
    try:
        for todo, value in tasks:
            if pool is None and (not todo or done_here < START_AFTER or jobs == 1):
                if todo:
                    done_here += 1
                    value = fn(context, value)
                yield value
                continue
            if pool is None:
                pool = _pool(jobs, context)
            if todo:
                chunk.append(value)
                if len(chunk) < CHUNK:
                    continue
            if chunk:
                pending.append(("chunk", pool.submit(_run, fn, chunk)))
                chunk = []
            if not todo:
                pending.append(("value", value))
            while pending and (len(pending) > jobs * AHEAD or _ready(pending[0])):
                yield from _results(pending.popleft())
        if chunk:
            pending.append(("chunk", pool.submit(_run, fn, chunk)))
        while pending:
            yield from _results(pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _pool(jobs: int, context: Any):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork where the system has it: a worker starts with the command's modules and context, nothing to import
    method = "fork" if sys.platform == "linux" else None
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_start,
                               initargs=(context,))


def _start(context: Any) -> None:
    global _context
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _context = context
    threading.Thread(target=_end_with_parent, daemon=True).start()


def _end_with_parent() -> None:
    """End this worker when the command's process is gone (killed: it cannot stop its workers itself)."""
    import multiprocessing.connection

    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    os._exit(1)


def _run(fn: Callable[[Any, Any], Any], values: list) -> list:
    return [fn(_context, value) for value in values]


def _ready(slot: tuple[str, Any]) -> bool:
    kind, item = slot
    return kind == "value" or item.done()


def _results(slot: tuple[str, Any]) -> Iterator[Any]:
    kind, item = slot
    if kind == "value":
        yield item
        return
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield from item.result()
    except BrokenProcessPool:
        raise L10nError("a worker process ended unexpectedly (out of memory?); nothing was written") from None
