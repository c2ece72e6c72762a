"""Both articles read with the project's formats, and their blocks paired by structure.

A block is what a format makes a unit or a run of sentence units of: the
title, a heading, a list item, a caption, a paragraph (a table cell, a
quote, a front matter value in Markdown). The source article is read
exactly as ``l10n extract`` reads it (the project's settings), so its
sentences are the catalog's units; the translation is read with the same
format and settings, split into sentences by the target language's
splitter (:mod:`l10n.align.sentences`).

Blocks are paired by dynamic programming too (:func:`l10n.align.beads.best_path`):
1-1, a block dropped or added, and two paragraphs merged into one or one
split into two; the cost is the kinds' agreement (title with title, items
with items, …), the Gale-Church length cost of the blocks and their anchors.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..config import Config
from ..formats import FormatSettings, for_path
from ..segment import Splitter
from .anchors import Anchors, misses
from .beads import Item, Runs, best_path, length_cost

_CONTINUES = re.compile(r", sentence (\d+) of \d+$")
_PROSE = {"paragraph", "heading", "caption", "byline", "quote"}  # kinds a translation may swap (a short line)
_PRIORS = {(1, 1): 0.0, (1, 0): 0.0, (0, 1): 0.0, (2, 1): -math.log(0.02), (1, 2): -math.log(0.02)}
SKIP = 5.0  # the cost of a block without counterpart
BAND = 10


@dataclass(frozen=True)
class Block:
    """A block of an article: its kind, its sentences (units), the line it starts on."""

    kind: str
    sentences: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class _TargetSettings(FormatSettings):
    """The project's format settings, with the translation's language and sentence splitter."""

    split: Splitter | None = None

    def __post_init__(self) -> None:  # the target splitter is chosen by l10n.align.sentences
        pass

    @property
    def splitter(self) -> Splitter:
        return self.split


def read_source(data: bytes, name: str, config: Config) -> list[Block]:
    """The blocks of the source article ``name`` as ``l10n extract`` reads it."""
    return _blocks(for_path(name).read(data, name, FormatSettings.from_config(config)).units())


def read_target(data: bytes, name: str, config: Config, language: str, splitter: Splitter) -> list[Block]:
    """The blocks of the translation ``name`` in ``language``, its paragraphs split by ``splitter``."""
    base = FormatSettings.from_config(config)
    settings = _TargetSettings(language, base.segmentation, base.skip, base.front_matter, base.language_key,
                               base.add_front_matter, splitter)
    return _blocks(for_path(name).read(data, name, settings).units())


def _blocks(units) -> list[Block]:
    """Units grouped into blocks: a unit noted ``…, sentence k of n`` (k > 1) continues the block before."""
    blocks: list[list] = []
    for unit in units:
        m = _CONTINUES.search(unit.note)
        if m and int(m[1]) > 1 and blocks:
            blocks[-1][1].append(unit.text)
        else:
            kind = "paragraph" if unit.kind == "sentence" else unit.kind
            blocks.append([kind, [unit.text], unit.line])
    return [Block(kind, tuple(sentences), line) for kind, sentences, line in blocks]


def kind_cost(source: list[Block], target: list[Block]) -> float | None:
    """What pairing blocks of these kinds costs: nothing for the same kind, more the further apart (None: never)."""
    if len(source) == len(target) == 1 and source[0].kind == target[0].kind:
        return 0.0
    kinds_a, kinds_b = {b.kind for b in source}, {b.kind for b in target}
    if len(source) + len(target) > 2 and kinds_a | kinds_b != {"paragraph"}:
        return None  # only paragraphs are merged or split
    if kinds_a == kinds_b:
        return 0.0
    if kinds_a | kinds_b <= _PROSE:
        return 1.5
    return 5.0


def pair(source: list[Block], target: list[Block], anchors_a: list[Anchors], anchors_b: list[Anchors],
         ratio: float) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The blocks paired by structure (see the module docstring), as ((first, count), (first, count)) of each side.

    ``anchors_*``: each block's anchors."""
    runs_a = Runs([Item(" ".join(b.sentences), a) for b, a in zip(source, anchors_a)])
    runs_b = Runs([Item(" ".join(b.sentences), a) for b, a in zip(target, anchors_b)])

    def cost(i: int, a: int, j: int, b: int) -> float | None:
        if not a or not b:
            return SKIP + (runs_a(i, a) if a else runs_b(j, b))[1].weight
        kinds = kind_cost(source[i:i + a], target[j:j + b])
        if kinds is None:
            return None
        (ls, src), (lt, tgt) = runs_a(i, a), runs_b(j, b)
        missed = misses(src, tgt)[0]
        return _PRIORS[a, b] + kinds + length_cost(ls, lt, ratio) + missed

    return [((i, a), (j, b)) for i, a, j, b in best_path(len(source), len(target), cost, tuple(_PRIORS), BAND)]
