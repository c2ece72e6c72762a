"""Shared fixtures (the sample project, tiny Argos models) and the markers for tools outside Python.

Tests that need a program outside Python carry a marker, so a developer can
deselect them (``-m "not chromium"``); when the program is missing they are
skipped with a line saying how to get it. ``.ci/run`` installs all of them,
so CI skips none but ``cuda``.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, find_chromium


@functools.cache
def _cuda_problem() -> str:
    """Why CTranslate2 cannot use a CUDA device here ("" when it can); probed once, when first needed."""
    probe = "import sys; from l10n.mt.cuda import cuda_devices; sys.exit(cuda_devices() == 0)"
    if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode != 0:
        return "no CUDA device usable by CTranslate2 (needs an NVIDIA GPU and its driver)"
    return ""


def _missing(marker: str) -> str:
    """Why the tests with ``marker`` cannot run here, with how to fix it; "" when they can."""
    if marker == "gettext":
        tools = ("msgfmt", "msgcat", "msgmerge", "msgattrib", "msgunfmt")
        if not all(shutil.which(t) for t in tools):
            return "GNU gettext is not installed (Debian/Ubuntu: apt-get install gettext; .ci/run does)"
    elif marker == "chromium":
        if find_chromium() is None:
            return "headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does)"
    elif marker == "cuda":
        return _cuda_problem()
    return ""


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("gettext", "chromium", "cuda"):
        if item.get_closest_marker(marker) is not None and (why := _missing(marker)):
            pytest.skip(why)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's sample project (l10n.yaml, source/, locales/)."""
    project = tmp_path / "sample"
    project.mkdir()
    shutil.copy(REPO / "l10n.yaml", project / "l10n.yaml")
    shutil.copytree(REPO / "source", project / "source")
    if (REPO / "locales").exists():
        shutil.copytree(REPO / "locales", project / "locales")
    return project


# ------------------------------------------------------------------ Argos

ARGOS_ENV = ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")


@pytest.fixture(scope="session")
def argos_models(tmp_path_factory):
    """Tiny real Argos packages built once per session: ``de_en`` and ``en_fr`` (.argosmodel paths).

    Their SentencePiece models are trained on the sentences of the sample
    article; the translations are gibberish (see ``tests/argos_builder.py``).
    """
    import re
    from types import SimpleNamespace

    from argos_builder import build_argos_package
    from support import SEED

    text = SEED.read_text(encoding="utf-8")
    corpus = [s for s in re.split(r"(?<=[.?!“])\s+", text) if len(s.split()) >= 3]
    folder = tmp_path_factory.mktemp("argos-models")
    return SimpleNamespace(
        corpus=corpus,
        de_en=build_argos_package(folder, "de", "en", corpus),
        en_fr=build_argos_package(folder, "en", "fr", corpus),
    )


def point_argos(mp: pytest.MonkeyPatch, root: Path) -> Path:
    """Point Argos at empty folders below ``root``, for child processes and for this one; returns the packages folder.

    Child processes read the environment when they import argostranslate;
    this process may have imported it already, so its settings module is
    pointed at the same folders. Nothing touches the user's Argos folders,
    and the package index address is a closed loopback port, so nothing
    reaches the network.
    """
    dirs = {name: root / name.lower() for name in ARGOS_ENV}
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        mp.setenv(name, str(path))
    mp.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:1/")
    mp.delenv("ARGOS_TRANSLATE_PACKAGE_DIR", raising=False)
    mp.delenv("SNAP", raising=False)

    from argostranslate import settings

    packages_dir = dirs["ARGOS_PACKAGES_DIR"]
    data_dir = dirs["XDG_DATA_HOME"] / "argos-translate"
    cache_dir = dirs["XDG_CACHE_HOME"] / "argos-translate"
    (cache_dir / "downloads").mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    for attr, value in {
        "package_data_dir": packages_dir,
        "package_dirs": [packages_dir],
        "data_dir": data_dir,
        "cache_dir": cache_dir,
        "downloads_dir": cache_dir / "downloads",
        "local_package_index": data_dir / "index.json",
        "remote_package_index": "http://127.0.0.1:1/index.json",
    }.items():
        mp.setattr(settings, attr, value)
    return packages_dir


@pytest.fixture
def argos_env(tmp_path, monkeypatch, argos_models):
    """Empty Argos folders of this test's own, for the commands it runs in this process or in children."""
    from types import SimpleNamespace

    from l10n.mt import models

    root = tmp_path / "argos-home"
    packages_dir = point_argos(monkeypatch, root)
    models._forget_installed_languages()
    yield SimpleNamespace(root=root, packages_dir=packages_dir, models=argos_models)
    models._forget_installed_languages()
