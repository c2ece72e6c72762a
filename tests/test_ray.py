"""``engine.backend: ray`` on a real Ray cluster of this machine, with the tiny real Argos models.

One cluster for the module (:mod:`ray_cluster`), two CPUs, so two workers;
this process connects to it as the driver, as ``l10n translate`` does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from ray_cluster import LocalCluster, free_port
from support import SEED, big_project, run_l10n

from l10n.config import EngineConfig
from l10n.engine_settings import RayConfig
from l10n.mt import models
from l10n.mt.engine import Engine
from l10n.notes import provenance
from l10n.po import read_catalog

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster with 2 CPUs; stopped, and every process of it gone, at the end."""
    with LocalCluster(cpus=2) as running:
        yield running


def _ray_settings(address: str, workers: int = 2) -> str:
    return f"engine:\n  backend: ray\n  batch_size: 4\n  threads: 1\n  ray:\n    address: '{address}'\n" \
           f"    workers: {workers}\n"


def _project(root: Path, engine: str) -> Path:
    """The seed article into English and (through English) French."""
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    (root / "l10n.yaml").write_text("source_language: de\ntarget_languages: [en, fr]\n" + engine, encoding="utf-8")
    run_l10n("extract", cwd=root)
    return root


def _filled(project: Path) -> dict[str, list[tuple]]:
    """Per catalog: (msgid, msgstr, flags, provenance without confidence, confidence) of every entry."""
    out = {}
    for path in sorted((project / "locales").rglob("*.po")):
        rows = []
        for entry in read_catalog(path):
            note = provenance(entry)
            rows.append((entry.msgid, entry.msgstr, sorted(entry.flags), note.kind, note.engine, note.pieces,
                         note.confidence))
        out[path.relative_to(project).as_posix()] = rows
    return out


def _same(ray_rows: dict, local_rows: dict) -> None:
    assert ray_rows.keys() == local_rows.keys()
    for name in local_rows:
        assert [row[:-1] for row in ray_rows[name]] == [row[:-1] for row in local_rows[name]], name
        # float32 scores may differ in their last digits (see test_engine_split); notes keep two decimals
        for a, b in zip(ray_rows[name], local_rows[name]):
            assert (a[-1] is None) == (b[-1] is None)
            if b[-1] is not None:
                assert a[-1] == pytest.approx(b[-1], abs=0.0101), (name, a[0])


def test_ray_fills_the_same_catalogs_as_local(cluster, argos_env, tmp_path):
    local = _project(tmp_path / "local", "engine:\n  batch_size: 4\n  threads: 1\n")
    ray = _project(tmp_path / "ray", _ray_settings(cluster.address))
    for project in (local, ray):
        for name in ("de_en", "en_fr"):
            run_l10n("models", "install", "--file", str(getattr(argos_env.models, name)), cwd=project)
        run_l10n("translate", cwd=project)
    _same(_filled(ray), _filled(local))
    units = sum(1 for rows in _filled(ray).values() for row in rows if row[3] == "machine")
    assert units > 50


def test_a_worker_killed_mid_run_has_its_chunk_retried(cluster, argos_env):
    from l10n.mt.backends.ray_engine import RayEngine

    models.install_file(argos_env.models.de_en)
    route = models.route("de", "en")
    texts = [f"{sentence} ({n})" for n in range(3) for sentence in argos_env.models.corpus]
    expected = Engine(route, EngineConfig(batch_size=2, threads=1, replicas=1)).translate(texts)
    engine = RayEngine(route, EngineConfig(batch_size=2, threads=1, backend="ray",
                                           ray=RayConfig(address=cluster.address, workers=2)))
    got: dict[int, object] = {}
    killed = None
    for positions, suggestions in engine.translate_iter(texts):
        got.update(zip(positions, suggestions))
        if killed is None:
            killed = engine.worker_pids()[0]
            os.kill(killed, signal.SIGKILL)
    assert engine.retried >= 1
    assert killed not in engine.worker_pids()
    assert sorted(got) == list(range(len(texts)))
    assert [got[i].text for i in range(len(texts))] == [s.text for s in expected]
    for i, s in enumerate(expected):
        assert got[i].confidence == pytest.approx(s.confidence, rel=1e-4)


def test_through_ray_client_the_same_translations(cluster, argos_env):
    from l10n.mt.backends.ray_engine import RayEngine

    models.install_file(argos_env.models.de_en)
    route = models.route("de", "en")
    texts = argos_env.models.corpus
    expected = Engine(route, EngineConfig(batch_size=4, threads=1, replicas=1)).translate(texts)
    engine = RayEngine(route, EngineConfig(batch_size=4, threads=1, backend="ray",
                                           ray=RayConfig(address=cluster.client_address, workers=2)))
    got = engine.translate(texts)
    assert [s.text for s in got] == [s.text for s in expected]
    assert engine.where == f"Ray at {cluster.client_address}, 2 workers"


def test_a_model_that_cannot_load_is_the_local_engines_line(cluster, argos_env, tmp_path):
    from l10n.errors import L10nError
    from l10n.mt.backends.ray_engine import RayEngine

    package = models.install_file(argos_env.models.de_en)
    broken = tmp_path / "broken"
    shutil.copytree(package.path, broken)
    (broken / "model" / "model.bin").write_bytes(b"garbage")
    route = [models.ModelPackage("de", "en", "1.0", 0, broken)]
    with pytest.raises(L10nError) as local:
        Engine(route, EngineConfig(threads=1)).load()
    engine = RayEngine(route, EngineConfig(threads=1, backend="ray", ray=RayConfig(address=cluster.address)))
    with pytest.raises(L10nError) as remote:
        engine.load()
    assert str(remote.value) == str(local.value)
    assert "cannot load the translation model" in str(remote.value)


@pytest.mark.parametrize("threads, workers, message", [
    (1, "per-gpu", "engine.ray.workers: per-gpu, but the Ray cluster at {address} has no GPU"),
    (3, 0, "engine.threads: 3 CPUs per Ray worker, but no machine of the cluster at {address} has more than 2"),
])
def test_workers_the_cluster_cannot_hold_are_one_line(cluster, argos_env, threads, workers, message):
    from l10n.errors import L10nError
    from l10n.mt.backends.ray_engine import RayEngine

    route = [models.install_file(argos_env.models.de_en)]
    engine = RayEngine(route, EngineConfig(threads=threads, backend="ray",
                                           ray=RayConfig(address=cluster.address, workers=workers)))
    with pytest.raises(L10nError) as info:
        engine.load()
    assert str(info.value) == "l10n.yaml: " + message.format(address=cluster.address)


def test_a_model_not_on_the_workers_machine_is_shipped_to_it(cluster, argos_env, tmp_path, monkeypatch):
    from l10n.mt.backends import ray_worker
    from l10n.mt.backends.ray_engine import connect

    models.install_file(argos_env.models.de_en)
    (package,) = models.route("de", "en")
    connect(cluster.address)
    shipped = ray_worker.ship(Path(package.path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where this machine's cache of shipped models goes
    elsewhere = models.ModelPackage("de", "en", package.version, package.size, tmp_path / "elsewhere" / "pkg")
    unpacked = ray_worker.local_package(elsewhere, shipped)
    assert unpacked.path.parent == tmp_path / ray_worker.CACHE_NAME
    assert ray_worker.fingerprint(unpacked.path) != ""  # its own times; the same files and bytes:
    files = sorted(p.relative_to(package.path) for p in Path(package.path).rglob("*") if p.is_file())
    assert sorted(p.relative_to(unpacked.path) for p in unpacked.path.rglob("*") if p.is_file()) == files
    assert all((unpacked.path / f).read_bytes() == (Path(package.path) / f).read_bytes() for f in files)
    assert ray_worker.local_package(package, shipped) == package  # the driver's own folder is read in place


def _saved(paths: list[Path]) -> set[str]:
    """The msgids the catalogs hold a translation of (each saved whole, by a rename)."""
    return {e.msgid for p in paths for e in read_catalog(p) if e.msgstr}


def _journaled(journal: Path) -> set[str]:
    """The texts the journal holds a translation of."""
    texts = set()
    for line in journal.read_bytes().splitlines() if journal.exists() else []:
        try:
            texts.add(json.loads(line)["s"])
        except (ValueError, KeyError):  # a line the kill cut short
            continue
    return texts


def test_resume_after_the_driver_is_killed_translates_nothing_twice(cluster, argos_env, tmp_path):
    project = big_project(tmp_path / "big", articles=20, sentences=25)
    text = (project / "l10n.yaml").read_text(encoding="utf-8")
    ray = f"engine:\n  backend: ray\n  ray:\n    address: '{cluster.address}'\n    workers: 2\n"
    (project / "l10n.yaml").write_text(text.replace("engine:\n", ray), encoding="utf-8")
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    paths = sorted((project / "locales" / "en").rglob("*.po"))
    journal = project / ".l10n" / "translate-journal.jsonl"

    env = dict(os.environ, PYTHONUTF8="1")
    proc = subprocess.Popen([sys.executable, "-m", "l10n", "translate", "--quiet", "--save-every", "0.2"],
                            cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        # a periodic save, and more translations journaled than a save has seen
        while not (journal.exists() and _journaled(journal) - _saved(paths) and _saved(paths)):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()

    # (a save may have come between the last look and the kill: then nothing is left to recover)
    saved, journaled = _saved(paths), _journaled(journal)
    total = sum(1 for p in paths for e in read_catalog(p) if e.msgid)
    assert 0 < len(saved) < total

    out = run_l10n("translate", cwd=project).stdout
    recovered = re.search(r"(\d+) units? recovered", out)
    assert (int(recovered.group(1)) if recovered else 0) == len(journaled - saved)  # not asked of the model again
    assert int(re.search(r"(\d+) skipped", out).group(1)) == len(saved)
    assert all(e.msgstr for p in paths for e in read_catalog(p) if e.msgid)
    assert not journal.exists()


def test_no_cluster_at_the_address_is_one_line(argos_env, tmp_path):
    port = free_port()
    project = _project(tmp_path / "p", _ray_settings(f"127.0.0.1:{port}"))
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    proc = run_l10n("translate", "--lang", "en", cwd=project, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"l10n: error: l10n.yaml: engine.ray.address: no Ray cluster answers at "
                                          f"127.0.0.1:{port}: ")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_without_ray_installed_the_backend_says_how_to_get_it(argos_env, tmp_path):
    project = _project(tmp_path / "p", _ray_settings("auto"))
    run_l10n("models", "install", "--file", str(argos_env.models.de_en), cwd=project)
    code = "import sys; sys.modules['ray'] = None; sys.argv = ['l10n', 'translate', '--lang', 'en']; " \
           "from l10n.cli import run; run()"
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONUTF8="1"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == ('l10n: error: l10n.yaml: engine.backend: ray needs Ray, which is not installed '
                                   'here: pip install "l10n[ray]"')
    assert not [p for p in (project / "locales").rglob("*.po") if "machine translation" in p.read_text("utf-8")]


@pytest.mark.parametrize("engine, message", [
    ({"backend": "spark"}, "engine.backend: expected one of local, ray, got 'spark'"),
    ({"ray": {"address": "http://head:6379"}},
     "engine.ray.address: expected auto, ray://host:port or host:port, got 'http://head:6379'"),
    ({"ray": {"workers": "all"}}, "engine.ray.workers: expected a number of workers from 0 (as many as the "
                                  "cluster's CPUs hold) to 100000, or per-gpu, got 'all'"),
    ({"ray": {"nodes": 2}}, "engine.ray.nodes: unknown key (expected one of: address, workers)"),
])
def test_bad_ray_settings_are_one_line(tmp_path, engine, message):
    from l10n import config as config_module
    from l10n.errors import L10nError

    with pytest.raises(L10nError) as info:
        config_module.parse({"source_language": "de", "target_languages": ["en"], "engine": engine}, tmp_path)
    assert str(info.value) == f"l10n.yaml: {message}"


def test_ray_settings_load():
    from l10n import config as config_module

    config = config_module.parse({"source_language": "de", "target_languages": ["en"], "engine": {
        "backend": "ray", "ray": {"address": "ray://head.example.org:10001", "workers": "per-gpu"}}}, Path("."))
    assert config.engine.ray == RayConfig("ray://head.example.org:10001", "per-gpu")
    assert config_module.parse({"source_language": "de", "target_languages": ["en"]}, Path(".")).engine.ray == \
        RayConfig("auto", 0)
