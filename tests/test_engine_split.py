"""How the engine splits the CPU's cores into model replicas, and that the split changes no translation."""

from __future__ import annotations

import pytest

from l10n import config as config_module
from l10n.config import EngineConfig
from l10n.errors import L10nError
from l10n.mt import models
from l10n.mt.engine import LARGE_MODEL_BYTES, Engine, split_cores


@pytest.mark.parametrize("cores, settings, size, on_cpu, expected", [
    (2, EngineConfig(), 1000, True, (2, 1)),  # a replica per core, one thread each
    (8, EngineConfig(), 1000, True, (8, 1)),
    (8, EngineConfig(), LARGE_MODEL_BYTES + 1, True, (4, 2)),  # a large model: two threads a replica
    (2, EngineConfig(), LARGE_MODEL_BYTES + 1, True, (2, 1)),  # on two cores, still one each
    (8, EngineConfig(threads=4), 1000, True, (2, 4)),  # given threads: as many replicas as fit
    (8, EngineConfig(replicas=3, threads=2), 1000, True, (3, 2)),  # given values are kept
    (8, EngineConfig(device="cuda"), 1000, False, (1, 0)),  # a GPU: one replica unless set
])
def test_the_cores_are_split_into_replicas(monkeypatch, cores, settings, size, on_cpu, expected):
    monkeypatch.setattr(config_module, "machine_cores", lambda: cores)
    assert split_cores(settings, size, on_cpu) == expected


def test_more_replicas_than_cores_are_refused_where_translate_runs():
    cores = config_module.machine_cores()
    with pytest.raises(L10nError) as info:
        config_module.check_threads(EngineConfig(replicas=cores + 1))
    assert str(info.value) == (f"l10n.yaml: engine.replicas: expected 0 (all cores) or 1 to {cores}, "
                               f"the cores of this machine, got {cores + 1}")


def test_replicas_translate_what_one_replica_translates(argos_env):
    models.install_file(argos_env.models.de_en)
    route = models.route("de", "en")
    texts = argos_env.models.corpus[:24]
    one = Engine(route, EngineConfig(replicas=1, threads=1, batch_size=4)).translate(texts)
    two = Engine(route, EngineConfig(replicas=2, threads=1, batch_size=4)).translate(texts)
    assert [r.text for r in two] == [r.text for r in one]
    # the scores may differ in the last float32 digits (batch padding, vector instructions): see test_models_engine
    for a, b in zip(two, one):
        assert a.confidence == pytest.approx(b.confidence, rel=1e-4)
