"""One article and its translation aligned: blocks by structure, then sentences within paired blocks."""

from __future__ import annotations

from ..config import Config
from . import blocks as blocks_module
from .anchors import NONE, Anchors, Side, restrict
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
        items_a = _by_block(blocks_a, sentences_a, restrict(found_a, found_b))
        items_b = _by_block(blocks_b, sentences_b, restrict(found_b, found_a))
        anchors_a = [sum((item.anchors for item in items), NONE) for items in items_a]
        anchors_b = [sum((item.anchors for item in items), NONE) for items in items_b]
        beads = []
        for (i, a), (j, b) in blocks_module.pair(blocks_a, blocks_b, anchors_a, anchors_b, ratio):
            one = [item for items in items_a[i:i + a] for item in items]
            other = [item for items in items_b[j:j + b] for item in items]
            if one and other:
                beads.extend(align(one, other, ratio))
            else:
                beads.extend(Bead((item.text,), ()) for item in one)
                beads.extend(Bead((), (item.text,)) for item in other)
        return beads


def _by_block(blocks: list[blocks_module.Block], sentences: list[str], anchors: list[Anchors]) -> list[list[Item]]:
    """The sentences with their anchors, block by block."""
    items = iter([Item(text, found) for text, found in zip(sentences, anchors)])
    return [[next(items) for _ in block.sentences] for block in blocks]


def _ratio(source: list[str], target: list[str]) -> float:
    """Characters of the translation per character of the source, within :data:`RATIO_RANGE`."""
    total = sum(map(len, source))
    if not total:
        return 1.0
    low, high = RATIO_RANGE
    return min(max(sum(map(len, target)) / total, low), high)
