"""Shared fixtures: the sample project of the repository, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import REPO


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


@pytest.fixture
def argos_env(tmp_path, monkeypatch, argos_models):
    """Empty Argos folders of this test's own, set in the environment the commands it runs inherit.

    Nothing touches the user's Argos folders, and the package index address
    is a closed loopback port, so nothing reaches the network.
    """
    from types import SimpleNamespace

    root = tmp_path / "argos-home"
    for name in ARGOS_ENV:
        (root / name.lower()).mkdir(parents=True)
        monkeypatch.setenv(name, str(root / name.lower()))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:1/")
    monkeypatch.delenv("ARGOS_TRANSLATE_PACKAGE_DIR", raising=False)
    monkeypatch.delenv("SNAP", raising=False)
    return SimpleNamespace(root=root, packages_dir=root / "argos_packages_dir", models=argos_models)
