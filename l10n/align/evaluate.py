"""Scoring an alignment against a gold one: precision and recall of the pairs written.

A gold file (``gold.yaml``) lists ``beads``: ``{de: [sentences…], en:
[sentences…]}`` in document order, covering every sentence of both files
(white space runs as one space), next to ``source`` and ``translation``, the
files' names. A written pair counts when both its sides are exactly a gold
bead's, its sentences joined with one space; gold beads with an empty side
are no pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .beads import Bead

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    """One evaluation pair: the files, the translation's language and the gold pairs."""

    name: str
    source: Path
    target: Path
    language: str
    gold: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Score:
    right: int
    written: int
    gold: int

    @property
    def precision(self) -> float:
        return self.right / self.written if self.written else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.right + other.right, self.written + other.written, self.gold + other.gold)


def load_case(folder: Path, source_language: str = "de") -> Case:
    """The case in ``folder`` (``gold.yaml`` beside the two files)."""
    data = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    target = folder / data["translation"]
    language = target.stem
    pairs = set()
    for bead in data["beads"]:
        one, other = bead.get(source_language) or [], bead.get(language) or []
        if one and other:
            pairs.add((_joined(one), _joined(other)))
    return Case(folder.name, folder / data["source"], target, language, frozenset(pairs))


def pairs(beads: list[Bead], min_confidence: float = 0.0) -> set[tuple[str, str]]:
    """The pairs written of ``beads``: both sides non-empty, at or above ``min_confidence``."""
    return {(_joined(b.source), _joined(b.target)) for b in beads
            if b.source and b.target and b.confidence >= min_confidence}


def score(written: set[tuple[str, str]], gold: frozenset[tuple[str, str]]) -> Score:
    return Score(len(written & gold), len(written), len(gold))


def _joined(sentences) -> str:
    return _SPACES.sub(" ", " ".join(sentences)).strip()
