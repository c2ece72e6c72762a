"""``l10n memory align`` measured: the evaluation set's gold alignments, and the sample project's own catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO, run_l10n

from l10n.align.article import Aligner
from l10n.align.evaluate import Score, load_case, pairs, score
from l10n.align.run import MIN_CONFIDENCE
from l10n.config import parse
from l10n.memory.tmx import imported_pairs
from l10n.po import read_catalog
from l10n.project import Project

CASES = sorted(p for p in (REPO / "tests" / "data" / "align").glob("*/gold.yaml"))


def _aligned(folder: Path, anchored: bool = True) -> tuple[set, frozenset]:
    case = load_case(folder)
    config = parse({"source_language": "de", "target_languages": [case.language]}, folder)
    beads = Aligner(config, case.language, anchored).align(case.source.read_bytes(), case.source.name,
                                                           case.target.read_bytes(), case.target.name)
    return pairs(beads, MIN_CONFIDENCE if anchored else 0.0), case.gold


def test_the_evaluation_set_meets_the_goal():
    """Precision ≥ 0.95 and recall ≥ 0.90 of the pairs written, over the whole set (see docs/align.md)."""
    assert len(CASES) >= 6, "tests/data/align/ holds fewer than 6 evaluation pairs"
    total = Score(0, 0, 0)
    for gold in CASES:
        total += score(*_aligned(gold.parent))
    assert total.precision >= 0.95 and total.recall >= 0.90, total


@pytest.mark.parametrize("gold", CASES[:3], ids=lambda p: p.parent.name)
def test_structure_and_anchors_beat_length_alone(gold):
    ours, baseline = score(*_aligned(gold.parent)), score(*_aligned(gold.parent, anchored=False))
    assert ours.right >= baseline.right and ours.precision >= baseline.precision


def test_the_sample_project_gives_back_its_reviewed_pairs(sample, tmp_path):
    """Its reviewed English published and aligned with the German source: the catalogs' own pairs, no others."""
    run_l10n("publish", cwd=sample)
    reviewed = {(e.msgid, e.msgstr) for path in sorted((sample / "locales" / "en").rglob("*.po"))
                for e in read_catalog(path) if e.msgid and e.msgstr and not e.fuzzy and not e.obsolete}
    out = run_l10n("memory", "align", "source", "public/en", cwd=sample).stdout
    assert out == f"de→en: 2 article pairs aligned, {len(reviewed)} pairs: {len(reviewed)} added to " \
                  "locales/memory/en.tmx\n"
    assert {(p.source, p.target) for p in imported_pairs(Project(sample), "en")} == reviewed
