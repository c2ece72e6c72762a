"""Sentence alignment: Gale-Church length cost and anchors, by dynamic programming.

A *bead* joins consecutive sentences of the two sides: 1-1, 1-0 (a sentence
the translator dropped), 0-1 (one added, an editor's note), 2-1 and 1-2
(sentences merged or split), 2-2, and 3-1/1-3 where the evidence is strong
(every one of the three sentences shares an anchor with the other side and
no anchor is left without its counterpart). Its cost is the Gale-Church
cost (Gale and Church 1993: the length of the translation in characters is
normally distributed around the source's length times the document's
ratio) plus the bead type's prior plus the weighed anchors it leaves without
their counterpart (:func:`l10n.align.anchors.misses`). The path of least
cost is found by dynamic programming, in a band around the diagonal.

:func:`align` with ``anchored=False`` is the length-only alignment of
hunalign without a dictionary (the baseline the benchmark compares with).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .anchors import NONE, Anchors, misses

VARIANCE = 6.8  # Gale and Church's variance of the length difference, per character

# -log of how often each bead type is (Gale and Church's figures; 2-2, 3-1 and 1-3 rarer)
PRIORS = {(1, 1): -math.log(0.89), (1, 0): -math.log(0.005), (0, 1): -math.log(0.005),
          (2, 1): -math.log(0.045), (1, 2): -math.log(0.045), (2, 2): -math.log(0.011),
          (3, 1): -math.log(0.003), (1, 3): -math.log(0.003)}
SKIP = 4.0  # the cost of a sentence without counterpart
_SURE = {(1, 1): 1.0, (2, 1): 0.9, (1, 2): 0.9, (2, 2): 0.8, (3, 1): 0.8, (1, 3): 0.8}


@dataclass(frozen=True)
class Item:
    """A sentence (or block) to align: its text and anchors."""

    text: str
    anchors: Anchors = NONE

    @property
    def length(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class Bead:
    """Sentences of the source and of the translation that translate each other; ``confidence`` 0–1."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    confidence: float = 0.0


def length_cost(source: int, target: int, ratio: float) -> float:
    """Gale and Church's cost of ``target`` characters translating ``source`` characters (-log of the tail)."""
    if source == target == 0:
        return 0.0
    mean = max((source + target / ratio) / 2, 1.0)
    delta = abs(target - source * ratio) / math.sqrt(mean * VARIANCE)
    return -_log_tail(delta)


def _log_tail(delta: float) -> float:
    """log P(|Z| ≥ delta) for a standard normal Z."""
    tail = math.erfc(delta / math.sqrt(2))
    if tail > 1e-300:
        return math.log(tail)
    return -delta * delta / 2 - math.log(delta * math.sqrt(math.pi / 2))  # the asymptote where erfc underflows


def best_path(n: int, m: int, cost: Callable[[int, int, int, int], float | None],
              moves: tuple[tuple[int, int], ...], band: int) -> list[tuple[int, int, int, int]]:
    """The moves ``(i, a, j, b)`` of least total ``cost`` from (0, 0) to (n, m).

    ``cost(i, a, j, b)`` prices taking source items ``i:i+a`` with target
    items ``j:j+b`` (None: not allowed). Only cells within ``band`` of the
    diagonal are visited (wide enough for the difference of the lengths).
    """
    width = band + abs(n - m)
    inf = math.inf
    best = {(0, 0): (0.0, None)}
    for i in range(n + 1):
        centre = i * m / n if n else 0
        for j in range(max(0, int(centre) - width), min(m, int(centre) + width + 1) + 1):
            if i == j == 0:
                continue
            here, back = inf, None
            for a, b in moves:
                if a > i or b > j:
                    continue
                before = best.get((i - a, j - b))
                if before is None:
                    continue
                price = cost(i - a, a, j - b, b)
                if price is not None and before[0] + price < here:
                    here, back = before[0] + price, (a, b)
            if back is not None:
                best[i, j] = (here, back)
    if (n, m) not in best:  # the band missed the corner: never for a band wider than the length difference
        raise AssertionError(f"no alignment path for {n}×{m} items")
    path = []
    i, j = n, m
    while i or j:
        a, b = best[i, j][1]
        i, j = i - a, j - b
        path.append((i, a, j, b))
    return path[::-1]


class Runs:
    """Runs of consecutive items, joined: their length in characters (a space between two) and anchors, cached."""

    def __init__(self, items: list[Item], anchored: bool = True):
        self.items = items
        self.anchored = anchored
        self._cache: dict[tuple[int, int], tuple[int, Anchors]] = {}

    def __call__(self, start: int, count: int) -> tuple[int, Anchors]:
        key = (start, count)
        found = self._cache.get(key)
        if found is None:
            chosen = self.items[start:start + count]
            anchors = chosen[0].anchors if count == 1 else sum((i.anchors for i in chosen), NONE)
            found = self._cache[key] = (sum(i.length for i in chosen) + max(count - 1, 0),
                                        anchors if self.anchored else NONE)
        return found


def align(source: list[Item], target: list[Item], ratio: float, anchored: bool = True,
          band: int = 12) -> list[Bead]:
    """The beads of ``source`` and ``target`` sentences (see the module docstring), in order."""
    runs_a, runs_b = Runs(source, anchored), Runs(target, anchored)

    def cost(i: int, a: int, j: int, b: int) -> float | None:
        if not a or not b:  # a sentence dropped or added: its length says nothing (hunalign prices it flat too)
            return SKIP + (runs_a(i, a) if a else runs_b(j, b))[1].weight
        (ls, src), (lt, tgt) = runs_a(i, a), runs_b(j, b)
        missed = misses(src, tgt)[0] if anchored else 0.0
        if max(a, b) == 3 and not (missed < 1e-9 and _each_anchored(source[i:i + a], target[j:j + b], a > b)):
            return None
        return PRIORS[a, b] + length_cost(ls, lt, ratio) + missed

    moves = tuple(PRIORS) if anchored else tuple(k for k in PRIORS if max(k) < 3)
    beads = []
    for i, a, j, b in best_path(len(source), len(target), cost, moves, band):
        texts = tuple(s.text for s in source[i:i + a]), tuple(t.text for t in target[j:j + b])
        if not a or not b:
            beads.append(Bead(*texts))
            continue
        (ls, src), (lt, tgt) = runs_a(i, a), runs_b(j, b)
        missed, matched = misses(src, tgt) if anchored else (0.0, 0)
        beads.append(Bead(*texts, confidence(length_cost(ls, lt, ratio), missed, matched, _SURE[a, b])))
    return beads


def confidence(length: float, missed: float, matched: int, sure: float) -> float:
    """How sure a bead is, 0–1: its length cost and missed anchors lower it, matched anchors raise it."""
    doubt = 1 - math.exp(-(length + missed) / 4)
    return round(sure * (1 - doubt * 0.6 ** matched), 3)


def _each_anchored(items: list[Item], other: list[Item], source_is_many: bool) -> bool:
    """Whether each of the many sentences of a 3-1 (1-3) bead shares an anchor with the one on the other side."""
    many, one = (items, other) if source_is_many else (other, items)
    single = one[0].anchors
    return all(misses(item.anchors, single)[1] > 0 for item in many)
