"""Anchors: what survives translation and so tells which sentences belong together.

* numbers, compared by value with each language's conventions (the parsing
  of the ``numbers`` check, :mod:`l10n.qa.numbers`): ``2,4 Mrd.`` =
  ``2.4 billion``, ``1.200`` = ``1,200``, ``34,2 %`` = ``34.2%``;
* tokens copied as they are: names, acronyms, words with digits (``DeepSeek``,
  ``EU``, ``R1``), URLs and e-mail addresses; a capitalised word counts
  where it does not start the sentence;
* the project's glossary (``l10n.yaml``): ``keep`` terms, and ``terms`` with
  their fixed translation (``KI`` = ``AI``);
* punctuation: question and exclamation marks, quotations, parentheses.

A :class:`Side` holds the anchors of one language for a document pair;
:meth:`Side.of` gives a sentence's :class:`Anchors`. Only anchors found on
both sides of the document pair count (a German noun is capitalised, but no
English sentence copies it), and :func:`misses` weighs those an alignment
leaves without their counterpart.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ..mt.protect import Protector
from ..qa.numbers import number_rules, number_words

# weight of an anchor left without its counterpart, by kind (in the units of the length cost, nats)
WEIGHTS = {"number": 2.5, "token": 1.0, "term": 1.5, "punct": 0.75, "cognate": 0.5}

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_QUOTES = "„“”\"«»‹›"  # not ’ and ‘: an apostrophe looks the same
_PUNCT = {"?": "?", "!": "!", "(": "("}
SPELLED = range(2, 21)  # numbers that are anchors when spelled out too (one is also an article: "ein", "un")
_NOT_NUMBERS = {"second"}  # spellings that are more often something else


@dataclass(frozen=True)
class Anchors:
    """The anchors of one sentence (or several): numbers (each the values it may stand for) and other keys."""

    numbers: tuple[frozenset[Decimal], ...] = ()
    keys: Counter = field(default_factory=Counter)  # (kind, text) -> how often

    def __add__(self, other: Anchors) -> Anchors:
        return Anchors(self.numbers + other.numbers, self.keys + other.keys)

    def __len__(self) -> int:
        return len(self.numbers) + sum(self.keys.values())

    @cached_property
    def weight(self) -> float:
        """The weight of all these anchors, were none matched."""
        return WEIGHTS["number"] * len(self.numbers) + sum(WEIGHTS[kind] * n for (kind, _), n in self.keys.items())


NONE = Anchors()


class Side:
    """Finds the anchors of sentences in one ``language``.

    ``keep`` lists the glossary's names copied as they are; ``terms`` maps
    a term as written in this language to its name on both sides (the
    source term: ``AI`` → ``KI``).
    """

    def __init__(self, language: str, keep: tuple[str, ...], terms: dict[str, str]):
        self.language = language
        self.numbers = number_rules(language)
        self.terms = Protector(keep, terms)
        self.names = {term: term for term in keep} | terms
        self.spelled = {word: Decimal(value) for value in SPELLED for word in number_words(value, language)
                        if word not in _NOT_NUMBERS and " " not in word and "-" not in word}

    def _spelled(self, word: str) -> Decimal | None:
        """The value of a spelled-out number, also inflected (``neuntes``: up to two endings of e, n, r, s, m)."""
        folded = word.casefold()
        value = self.spelled.get(folded)
        for cut in (1, 2):
            if value is None and len(folded) - cut >= 4 and all(c in "enrsm" for c in folded[-cut:]):
                value = self.spelled.get(folded[:-cut])
        return value

    @classmethod
    def pair(cls, source: str, target: str, keep: tuple[str, ...], terms: dict[str, str]) -> tuple[Side, Side]:
        """The sides of ``source`` → ``target`` for a glossary's ``keep`` and ``terms`` (term → its translation)."""
        translated = {}
        for term, translation in terms.items():
            for variant in (translation, translation[:1].upper() + translation[1:],
                            translation[:1].lower() + translation[1:]):
                translated.setdefault(variant, term)
        return cls(source, keep, {term: term for term in terms}), cls(target, keep, translated)

    def of(self, text: str) -> Anchors:
        """Every anchor of ``text`` (before :func:`restrict` keeps those of both sides)."""
        keys: Counter = Counter()
        blanked = text
        for span in self.terms.protect(text).spans:
            if span.kind in ("keep", "term"):
                keys["term", self.names.get(span.original, span.original)] += 1
            else:
                keys["token", span.original] += 1
            blanked = blanked[:span.start] + " " * (span.end - span.start) + blanked[span.end:]
        numbers = []
        for number in self.numbers.numbers(blanked) if _DIGIT.search(blanked) else ():
            if number.values:
                numbers.append(number.values)
            else:  # a date or version: its parts one by one
                numbers.extend(frozenset([part]) for part in number.parts)
        first = True
        for m in _WORD.finditer(blanked):
            word = m[0]
            if not word.islower() and _copied(word, first):
                keys["token", word] += 1
            elif (value := self._spelled(word)) is not None:
                numbers.append(frozenset([value]))
            elif len(word) >= 5 and word.isalpha():
                keys["cognate", word[:4].casefold()] += 1
            first = False
        for mark, name in _PUNCT.items():
            if mark in text:
                keys["punct", name] += text.count(mark)
        quotes = sum(text.count(q) for q in _QUOTES)
        if quotes:
            keys["punct", "quote"] += (quotes + 1) // 2
        return Anchors(tuple(numbers), keys)


def _copied(word: str, first: bool) -> bool:
    """Whether ``word`` looks copied from one language into the other: a name, an acronym, digits in a word."""
    if len(word) < 2 or not any(c.isalpha() for c in word):
        return False
    if any(c.isdigit() for c in word) or word.isupper() or any(c.isupper() for c in word[1:]):
        return True
    return word[0].isupper() and not first


def restrict(anchors: list[Anchors], other: list[Anchors]) -> list[Anchors]:
    """``anchors`` with only the keys that ``other`` (the other side's sentences) has somewhere too."""
    shared = set().union(*(a.keys for a in other)) if other else set()
    return [Anchors(a.numbers, Counter({k: n for k, n in a.keys.items() if k in shared})) for a in anchors]


def misses(source: Anchors, target: Anchors) -> tuple[float, int]:
    """The weighed anchors of either side without a counterpart on the other, and how many matched."""
    missed = source.weight + target.weight
    matched = 0
    if source.numbers and target.numbers:
        free = list(target.numbers)
        for values in source.numbers:
            hit = next((k for k, have in enumerate(free) if have & values), None)
            if hit is not None:
                free.pop(hit)
                matched += 1
        missed -= 2 * WEIGHTS["number"] * matched
    small, large = (source.keys, target.keys) if len(source.keys) <= len(target.keys) else (target.keys, source.keys)
    for key, n in small.items():
        m = large.get(key)
        if m:
            both = min(n, m)
            matched += both
            missed -= 2 * WEIGHTS[key[0]] * both
    return max(missed, 0.0), matched
