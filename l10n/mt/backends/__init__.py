"""Where machine translation runs: on this machine, or on a Ray cluster (``engine.backend``)."""

from __future__ import annotations

from ...config import EngineConfig
from ...errors import L10nError
from ..models import ModelPackage


def engine_for(route: list[ModelPackage], settings: EngineConfig):
    """The engine of ``settings.backend`` for ``route``: an :class:`~l10n.mt.engine.Engine`, or one on Ray."""
    if settings.backend == "ray":
        try:
            from .ray_engine import RayEngine
        except ModuleNotFoundError as e:
            if e.name != "ray" and not (e.name or "").startswith("ray."):
                raise
            raise L10nError('l10n.yaml: engine.backend: ray needs Ray, which is not installed here: '
                            'pip install "l10n[ray]"') from None
        return RayEngine(route, settings)
    from ..engine import Engine

    return Engine(route, settings)
