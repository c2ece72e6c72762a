"""One article and its translation aligned: blocks by structure, then sentences within paired blocks."""

from __future__ import annotations

from ..config import Config
from . import blocks as blocks_module
from .anchors import NONE, Side, restrict
from .beads import Bead, Item, align
from .sentences import target_splitter

RATIO_RANGE = (0.5, 2.0)  # the document's length ratio (translation / source) is kept within this


class Aligner:
    """Aligns articles of the project (``config``) with their translations into ``language``.

    ``anchored`` False: length only, with neither structure nor anchors (the
    hunalign-style baseline: all sentences of each article in one sequence).
    """

    def __init__(self, config: Config, language: str, anchored: bool = True):
        self.config = config
        self.language = language
        self.anchored = anchored
        self.splitter = target_splitter(language)
        glossary = config.glossary
        self.sides = Side.pair(config.source_language, language, tuple(glossary.keep),
                               glossary.for_language(language))

    def align(self, source: bytes, source_name: str, target: bytes, target_name: str) -> list[Bead]:
        """The beads of the article ``source`` and its translation ``target`` (file names for messages)."""
        blocks_a = blocks_module.read_source(source, source_name, self.config)
        blocks_b = blocks_module.read_target(target, target_name, self.config, self.language, self.splitter)
        return self.align_blocks(blocks_a, blocks_b)

    def align_blocks(self, blocks_a: list[blocks_module.Block], blocks_b: list[blocks_module.Block]) -> list[Bead]:
        sentences_a = [s for b in blocks_a for s in b.sentences]
        sentences_b = [s for b in blocks_b for s in b.sentences]
        ratio = _ratio(sentences_a, sentences_b)
        if not self.anchored:
            return align([Item(s) for s in sentences_a], [Item(s) for s in sentences_b], ratio, anchored=False)
        side_a, side_b = self.sides
        found_a = [side_a.of(s) for s in sentences_a]
        found_b = [side_b.of(s) for s in sentences_b]
        items_a = dict(zip(sentences_a, (Item(s, a) for s, a in zip(sentences_a, restrict(found_a, found_b)))))
        items_b = dict(zip(sentences_b, (Item(s, a) for s, a in zip(sentences_b, restrict(found_b, found_a)))))
        block_anchors_a = [sum((items_a[s].anchors for s in b.sentences), NONE) for b in blocks_a]
        block_anchors_b = [sum((items_b[s].anchors for s in b.sentences), NONE) for b in blocks_b]
        beads = []
        for group_a, group_b in blocks_module.pair(blocks_a, blocks_b, block_anchors_a, block_anchors_b, ratio):
            one = [items_a[s] for b in group_a for s in b.sentences]
            other = [items_b[s] for b in group_b for s in b.sentences]
            if one and other:
                beads.extend(align(one, other, ratio))
            else:
                beads.extend(Bead((i.text,), ()) for i in one)
                beads.extend(Bead((), (i.text,)) for i in other)
        return beads


def _ratio(source: list[str], target: list[str]) -> float:
    """Characters of the translation per character of the source, within :data:`RATIO_RANGE`."""
    total = sum(map(len, source))
    if not total:
        return 1.0
    low, high = RATIO_RANGE
    return min(max(sum(map(len, target)) / total, low), high)
