"""The ``engine:`` section of ``l10n.yaml``: how machine translation runs, here or on a Ray cluster.

Validated by :func:`parse_engine` with the validator of :mod:`l10n.config`
(which re-exports :class:`EngineConfig`), so a mistake is one line naming
the key path, e.g. ``l10n.yaml: engine.ray.workers: expected ...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

DEVICES = ("cpu", "cuda", "auto")
# CTranslate2's compute types (``ctranslate2.Translator(compute_type=...)``).
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")
MAX_THREADS = 1024  # more than any machine has; the cores of the machine that translates are checked there
MAX_BEAM_SIZE = 16
MAX_BATCH_SIZE = 4096
BACKENDS = ("local", "ray")
PER_GPU = "per-gpu"
MAX_WORKERS = 100_000
# auto, ray://host:port (Ray Client) or host:port (the cluster's GCS); a host is a name, an IPv4 or an [IPv6] address.
RAY_ADDRESS = re.compile(r"auto|(?:ray://)?(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):"
                         r"(?:[1-9][0-9]{0,4})")


@dataclass(frozen=True)
class RayConfig:
    """Where ``engine.backend: ray`` translates (see docs/ray.md).

    ``address``: ``auto`` (the cluster this machine belongs to, or the one
    ``RAY_ADDRESS`` names), ``ray://host:10001`` (Ray Client) or the
    ``host:port`` of a running cluster's head. ``workers``: Ray actors, each
    with a copy of the model; 0: as many as the cluster's CPUs hold
    (``engine.threads`` CPUs each, default 1); ``per-gpu``: one per GPU.
    """

    address: str = "auto"
    workers: int | str = 0


@dataclass(frozen=True)
class EngineConfig:
    """Settings for machine translation (``l10n translate``)."""

    device: str = "cpu"
    threads: int = 0  # threads per replica (CTranslate2's intra_threads); 0: chosen from the cores
    replicas: int = 0  # model replicas translating batches side by side (inter_threads); 0: chosen
    beam_size: int = 2
    batch_size: int = 32
    compute_type: str = "default"
    backend: str = "local"  # local: on this machine; ray: on a Ray cluster (engine.ray)
    ray: RayConfig = field(default_factory=RayConfig)


def parse_engine(v: Any, value: Any, key: str) -> EngineConfig:
    """Validate the ``engine`` section with ``v``, the validator of :mod:`l10n.config`."""
    check = {
        "device": lambda given, where: v.choice(given, where, DEVICES),
        "threads": lambda given, where: v.integer(given, where, 0, MAX_THREADS),
        "replicas": lambda given, where: v.integer(given, where, 0, MAX_THREADS),
        "beam_size": lambda given, where: v.integer(given, where, 1, MAX_BEAM_SIZE),
        "batch_size": lambda given, where: v.integer(given, where, 1, MAX_BATCH_SIZE),
        "compute_type": lambda given, where: v.choice(given, where, COMPUTE_TYPES),
        "backend": lambda given, where: v.choice(given, where, BACKENDS),
        "ray": lambda given, where: _parse_ray(v, given, where),
    }
    engine = v.mapping(value, key, optional=tuple(f.name for f in fields(EngineConfig)))
    return EngineConfig(**{name: check[name](given, f"{key}.{name}") for name, given in engine.items()})


def _parse_ray(v: Any, value: Any, key: str) -> RayConfig:
    ray = v.mapping(value, key, optional=tuple(f.name for f in fields(RayConfig)))
    address = ray.get("address", RayConfig.address)
    if not isinstance(address, str) or not RAY_ADDRESS.fullmatch(address):
        v.fail(f"{key}.address", f"expected auto, ray://host:port or host:port, got {address!r}")
    workers = ray.get("workers", RayConfig.workers)
    if workers != PER_GPU and (isinstance(workers, bool) or not isinstance(workers, int)
                               or not 0 <= workers <= MAX_WORKERS):
        v.fail(f"{key}.workers", f"expected a number of workers from 0 (as many as the cluster's CPUs hold) "
                                 f"to {MAX_WORKERS}, or {PER_GPU}, got {workers!r}")
    return RayConfig(address, workers)
