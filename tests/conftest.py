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
