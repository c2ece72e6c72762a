"""The ``numbers`` check: numbers compared by value with each language's rules (Babel/CLDR, num2words).

German ``5,6 Millionen`` is English ``5.6 million`` (or ``5,600,000``),
``1.000.000`` is ``1,000,000``. The scale words (``Millionen``, ``Mrd.``,
``billion``, ``M``) are CLDR's compact number formats of each language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..languages import base_language
from .common import LETTERS, blank
from .registry import ERROR, Context, check


@dataclass(frozen=True)
class Number:
    """A number as written in a text, with the values it can stand for.

    ``values`` is empty when the digits are not a number in the language's
    format (a version ``3.5`` in German, a date ``12.06.2025``): then
    ``literal`` must be found as written, or else ``parts`` one by one.
    """

    text: str  # as written, with its scale word: "5,6 Millionen"
    digits: str  # the digits and separators: "5,6"
    values: frozenset[Decimal]
    literal: bool = False
    parts: tuple[Decimal, ...] = ()
    scale: str = ""  # "long" or "short" when a scale word followed
    grouped: bool = False


class NumberRules:
    """How numbers are written in one language, from Babel's CLDR data."""

    # English news style writes these as well as CLDR's K, M, B, T.
    _EXTRA_SCALES = {"en": {"k": 10**3, "m": 10**6, "mn": 10**6, "bn": 10**9, "tn": 10**12}}
    _SPACES = " \u00a0\u202f\u2009"

    def __init__(self, language: str):
        from babel import Locale
        from babel.numbers import get_decimal_symbol, get_group_symbol

        self.language = language
        self.locale = Locale.parse(language)
        self.group = get_group_symbol(self.locale)
        self.decimal = get_decimal_symbol(self.locale)
        separators = {self.group, self.decimal, ".", ","}
        if self.group in self._SPACES:
            separators |= set(self._SPACES)
        if self.group in "'’":
            separators |= {"'", "’"}
        self.scales: dict[str, tuple[Decimal, str]] = {}
        for kind in ("long", "short"):
            for patterns in self.locale.compact_decimal_formats.get(kind, {}).values():
                for magnitude, pattern in patterns.items():
                    if pattern is None:
                        continue
                    text = pattern.pattern
                    zeros = text.count("0")
                    word = text.replace("0", "").replace("'", "").strip(self._SPACES)
                    if not zeros or not word or LETTERS.search(word) is None:
                        continue
                    scale = Decimal(magnitude) / (10 ** (zeros - 1))
                    for form in {word, word.rstrip(".")}:
                        self.scales.setdefault(form.casefold(), (scale, kind))
        for word, scale in self._EXTRA_SCALES.get(base_language(language), {}).items():
            self.scales.setdefault(word, (Decimal(scale), "short"))
        seps = "".join(sorted(separators))
        words = "|".join(re.escape(w) for w in sorted(self.scales, key=lambda w: (-len(w), w)))
        scale_part = rf"(?:[{re.escape(self._SPACES)}-]?(?P<scale>{words})(?![^\W\d_]))?" if words else ""
        self.pattern = re.compile(rf"(?<![^\W_])(?P<digits>\d+(?:[{re.escape(seps)}]\d+)*){scale_part}",
                                  re.IGNORECASE)
        self._scaled = "scale" in self.pattern.groupindex
        self._groups = self._SPACES if self.group in self._SPACES else self.group

    def parse(self, digits: str) -> Decimal | None:
        """The value of ``digits`` as a number of this language, or None when it is not one."""
        return _parse_decimal(digits, self.locale)

    def numbers(self, text: str) -> list[Number]:
        found = []
        first = _DIGIT.search(text)  # a number starts with a digit: no need to try the pattern before
        for m in self.pattern.finditer(text, first.start() if first else len(text)):
            digits = m["digits"].rstrip(self._SPACES)
            word = m["scale"] if self._scaled else None
            value = self.parse(digits)
            grouped = not digits.isdigit() and any(c in digits for c in self._groups)
            if value is None:
                pieces = tuple(Decimal(p) for p in re.findall(r"\d+", digits))
                if _DATE.fullmatch(digits):
                    pieces = (pieces[0],) + pieces[2:]  # a date: the month may become a name
                found.append(Number(m.group(0), digits, frozenset(), True, pieces, grouped=grouped))
                continue
            values = {value}
            kind = ""
            if word:
                scale, kind = self.scales[word.casefold()]
                if kind == "long":
                    values = {value * scale}
                else:  # an abbreviation may be something else: "5 m" can be metres
                    values = {value, value * scale}
            found.append(Number(m.group(0), digits, frozenset(v.normalize() for v in values), scale=kind,
                                grouped=grouped))
        return found

    def show(self, number: Number, source: NumberRules) -> str:
        """How ``number`` (of ``source``'s language) is written in this language, e.g. ``5.6 million``."""
        from babel.numbers import format_compact_decimal, format_decimal

        if number.literal:
            return number.digits
        value = max(number.values)
        if number.scale:
            return format_compact_decimal(value, format_type=number.scale, locale=self.locale, fraction_digits=3)
        return format_decimal(value, format=None if number.grouped else "#0.######", locale=self.locale)


@lru_cache(maxsize=4096)
def _parse_decimal(digits: str, locale) -> Decimal | None:
    """Babel's strict reading of ``digits`` in ``locale`` (remembered: years and counts come back often)."""
    if digits.isascii() and digits.isdigit():
        return Decimal(digits)  # no separator to read: what Babel makes of it too
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return parse_decimal(digits, locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None


_DIGIT = re.compile(r"\d")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}(?:\.\d{2}|\.\d{4})?")  # 12.06, 12.06.25, 12.06.2025


@lru_cache(maxsize=None)
def number_rules(language: str) -> NumberRules:
    return NumberRules(language)


@lru_cache(maxsize=None)
def _number_words(value: int, language: str) -> tuple[str, ...]:
    """``3`` → ``three``, ``third`` in ``language`` (num2words), for numbers a translation may spell out."""
    try:
        from num2words import CONVERTER_CLASSES, num2words
    except ImportError:  # pragma: no cover - a dependency; without it digits must stay digits
        return ()
    lang = language if language in CONVERTER_CLASSES else base_language(language)
    if lang not in CONVERTER_CLASSES:
        return ()
    words = set()
    for to in ("cardinal", "ordinal"):
        try:
            words.add(num2words(value, lang=lang, to=to).casefold())
        # num2words signals a form a language lacks (e.g. no ordinals) with NotImplementedError
        except (NotImplementedError, OverflowError, ValueError, TypeError, AttributeError, KeyError):
            continue
    return tuple(sorted(w for w in words if w))


def number_words(value: int, language: str) -> tuple[str, ...]:
    """How ``language`` spells the whole number ``value``, as a cardinal and an ordinal (``3``: ``three``, ``third``)."""
    return _number_words(value, language)


def _spelled(value: Decimal, target: str, language: str) -> bool:
    """Whether ``target`` writes the small whole number ``value`` as a word (``drei`` → ``three``, ``1.`` → ``first``)."""
    if value != value.to_integral_value() or not 0 <= value <= 100:
        return False
    words = _number_words(int(value), language)
    folded = target.casefold()
    # a word may be inflected in the translation (German "ersten" for "erste"): two more letters at most
    return any(re.search(rf"(?<![^\W\d_]){re.escape(w)}[^\W\d_]{{0,2}}(?![^\W\d_])", folded) for w in words)


@check("numbers", ERROR, "A number of the source is missing from the translation (compared by value, "
                         "5,6 Millionen = 5.6 million).")
def numbers(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not _DIGIT.search(source):  # the number pattern needs a digit
        return
    src_rules = number_rules(ctx.source_language)
    tgt_rules = number_rules(ctx.target_language)
    wanted = src_rules.numbers(blank(source, ctx.source_terms))
    if not wanted:
        return
    have = tgt_rules.numbers(blank(target, ctx.target_terms))
    used = [False] * len(have)

    def take(test) -> bool:
        for i, n in enumerate(have):
            if not used[i] and test(n):
                used[i] = True
                return True
        return False

    for number in wanted:
        if number.values:
            if take(lambda n: bool(n.values & number.values)):
                continue
            if not number.scale and any(_spelled(v, target, ctx.target_language) for v in number.values):
                continue
        else:
            if take(lambda n: n.digits == number.digits):
                continue
            if all(take(lambda n, p=p: p in n.values) or _spelled(p, target, ctx.target_language)
                   for p in number.parts):
                continue
        shown = tgt_rules.show(number, src_rules)
        also = f" (in {ctx.target_language}: {shown})" if shown != number.text else ""
        yield f"{number.text}{also} is not in the translation"

