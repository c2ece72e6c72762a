"""``l10n check``: quality checks over every translated catalog entry.

Each check is a small function registered with a name, a severity
(``error`` or ``warning``) and a one-line description (:data:`CHECKS`). It
looks at one pair of source text and translation and yields messages that
quote the offending part; :func:`check_entry` turns them into
:class:`Finding` objects for one catalog entry, and :func:`run_checks` runs
every check over the chosen catalogs of a project.

Every live entry with a translation is checked, fuzzy or reviewed (plural
entries form by form); untranslated entries are not. A translator silences
checks on one entry with a translator comment line (it survives ``msgcat``,
``msgmerge`` and PO editors, unlike an unknown ``#,`` flag, which ``msgcat``
drops)::

    # l10n-ignore: numbers, quotes

Numbers are compared by value with the number rules of the source and the
target language from Babel (CLDR): German ``5,6 Millionen`` is English
``5.6 million`` (or ``5,600,000``), ``1.000.000`` is ``1,000,000``. The scale
words (``Millionen``, ``Mrd.``, ``billion``, ``M``) are CLDR's compact number
formats of each language. Protected text (URLs, e-mail addresses, glossary
terms) is found with :mod:`l10n.mt.protect`, exactly as ``l10n translate``
protects it from the model.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import polib

from . import formats
from .languages import base_language
from .project import Project
from .mt.protect import Protector

ERROR = "error"
WARNING = "warning"
IGNORE_PREFIX = "l10n-ignore:"


@dataclass
class Finding:
    """One problem of one catalog entry. ``article`` is the article's slug, ``line`` its line in the article."""

    article: str
    line: int
    msgid: str
    check: str
    severity: str
    message: str
    language: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    doc: str
    run: Callable[[str, str, Context], Iterable[str]]


CHECKS: dict[str, Check] = {}


def check(name: str, severity: str, doc: str):
    """Register ``fn(source, translation, context) -> messages`` as the check ``name``."""
    def register(fn):
        CHECKS[name] = Check(name, severity, doc, fn)
        return fn
    return register


@dataclass
class Context:
    """What the checks need to know beyond the entry: languages, article, glossary."""

    source_language: str
    target_language: str
    article: str = ""  # slug
    article_path: str = ""  # path from the project root, as in the catalog's references
    keep: tuple[str, ...] = ()
    terms: dict[str, str] = field(default_factory=dict)  # term -> fixed translation into the target
    # the ``check_markup`` of the article's format (Markdown): the markup check then compares markup as it reads it
    format_markup: Callable[[str, str], Iterable[str]] | None = None

    def __post_init__(self) -> None:
        self.links = Protector()  # URLs and e-mail addresses only
        self.source_terms = Protector(self.keep, self.terms)
        variants = {v for t in self.terms.values() for v in (t, t[:1].upper() + t[1:], t[:1].lower() + t[1:])}
        self.target_terms = Protector(tuple(self.keep) + tuple(sorted(variants - set(self.keep))))

    @classmethod
    def for_project(cls, project: Project, language: str, article=None) -> Context:
        glossary = project.config.glossary
        path = getattr(article, "rel", "")
        return cls(project.config.source_language, language, getattr(article, "slug", ""), path,
                   tuple(glossary.keep), glossary.for_language(language),
                   formats.for_path(path).check_markup if path else None)


# ------------------------------------------------------------------ running


def ignored(entry: polib.POEntry) -> set[str]:
    """The checks a translator silenced on ``entry`` (``# l10n-ignore: numbers, quotes``)."""
    names: set[str] = set()
    for line in (entry.tcomment or "").split("\n"):
        line = line.strip()
        if line.startswith(IGNORE_PREFIX):
            names.update(n for n in re.split(r"[\s,]+", line[len(IGNORE_PREFIX):]) if n)
    return names


def pairs(entry: polib.POEntry) -> list[tuple[str, str, str]]:
    """(source, translation, label) for each translated form of ``entry``; label is '' or 'plural form N'."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr, "")] if entry.msgstr else []
    forms = entry.msgstr_plural or {}
    if not any(forms.values()):
        return []
    return [(entry.msgid if int(n) == 0 else entry.msgid_plural, text, f"plural form {n}")
            for n, text in sorted(forms.items(), key=lambda kv: int(kv[0]))]


def entry_line(entry: polib.POEntry, article_path: str = "") -> int:
    """The line in the article of the entry's first reference there (0 when it has none)."""
    refs = entry.occurrences or []
    chosen = [r for r in refs if r[0] == article_path] or refs
    for _path, line in chosen:
        try:
            return int(line)
        except (TypeError, ValueError):
            continue
    return 0


def check_entry(entry: polib.POEntry, context: Context) -> list[Finding]:
    """Every finding of every check on one entry (none for untranslated, obsolete or header entries)."""
    if entry.obsolete or not entry.msgid:
        return []
    forms = pairs(entry)
    if not forms:
        return []
    line = entry_line(entry, context.article_path)
    silenced = ignored(entry)
    found = []

    def add(name: str, severity: str, message: str) -> None:
        found.append(Finding(context.article, line, entry.msgid, name, severity, message, context.target_language))

    for name in sorted(silenced - set(CHECKS)):
        add("ignore", WARNING, f"`{IGNORE_PREFIX} {name}` names no check (checks: {', '.join(CHECKS)})")
    for chk in CHECKS.values():
        if chk.name in silenced:
            continue
        for source, target, label in forms:
            for message in chk.run(source, target, context):
                add(chk.name, chk.severity, f"{label}: {message}" if label else message)
    return found


def check_catalog(po: Iterable[polib.POEntry], context: Context, reviewed_only: bool = False) -> list[Finding]:
    """The findings of every entry of a catalog; only reviewed (not fuzzy) entries with ``reviewed_only``."""
    found = []
    for entry in po:
        if reviewed_only and entry.fuzzy:
            continue
        found.extend(check_entry(entry, context))
    return found


def run_checks(project: Project, languages: list[str] | None = None, articles: list[str] | None = None, *,
               reviewed_only: bool = False) -> list[Finding]:
    """The findings over the catalogs of the chosen languages and articles, by language, article and line.

    Missing catalogs are passed over here (``l10n check`` first refuses
    them, see :func:`missing_catalogs`; ``l10n publish`` skips their articles).
    ``reviewed_only`` leaves fuzzy entries out, as publishing does.
    """
    from .po import read_catalog

    found = []
    for lang, article, path in project.catalogs(languages, articles):
        if path.is_file():
            context = Context.for_project(project, lang, article)
            found.extend(check_catalog(read_catalog(path), context, reviewed_only))
    order = {name: i for i, name in enumerate(CHECKS)}
    found.sort(key=lambda f: (f.language, f.article, f.line, f.severity != ERROR, order.get(f.check, -1)))
    return found


def missing_catalogs(project: Project, languages: list[str] | None = None,
                     articles: list[str] | None = None) -> list[str]:
    """One problem per chosen catalog that is not a file (``path: no catalog``), for ``l10n check`` to fail on.

    A gate that checked nothing must not pass: an article without its
    catalog has not been checked.
    """
    problems = []
    for _lang, _article, path in project.catalogs(languages, articles):
        if path.is_dir():
            problems.append(f"{project.rel(path)}: a folder, not a catalog (remove it)")
        elif not path.is_file():
            problems.append(f"{project.rel(path)}: no catalog")
    return problems


# ------------------------------------------------------------------ helpers

_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _clip(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _q(text: str) -> str:
    """Quote a piece of text in a message."""
    return f"“{_clip(text)}”"


def _around(text: str, at: int, before: int = 20, after: int = 30) -> str:
    """The words of ``text`` around position ``at``, quoted, with … where it is cut."""
    start, end = max(0, at - before), min(len(text), at + after)
    if start > 0:
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", at, end)
        end = space if space != -1 else end
    return f"“{'…' if start > 0 else ''}{text[start:end].strip()}{'…' if end < len(text) else ''}”"


def _blank(text: str, protector: Protector, kinds: tuple[str, ...] | None = None) -> str:
    """``text`` with the spans ``protector`` finds (of ``kinds``) replaced by spaces, positions kept."""
    out = list(text)
    for span in protector.protect(text).spans:
        if kinds is None or span.kind in kinds:
            out[span.start:span.end] = " " * (span.end - span.start)
    return "".join(out)


# ------------------------------------------------------------------ checks


@check("empty", ERROR, "The translation is nothing but white space while the source has text.")
def _empty(source: str, target: str, ctx: Context) -> Iterator[str]:
    if source.strip() and not target.strip():
        yield "the translation is empty" if not target else f"the translation is only white space ({target!r})"


@check("untranslated", WARNING, "The translation is the source text itself (three words or more to translate).")
def _untranslated(source: str, target: str, ctx: Context) -> Iterator[str]:
    if target.strip() != source.strip():
        return
    rest = _blank(source, ctx.source_terms)  # names and links are copied on purpose
    words = [w for w in _WORD.findall(rest) if _LETTERS.search(w)]
    if len(words) >= 3:
        yield f"the translation is identical to the source: {_q(source)}"


@check("whitespace", WARNING, "Leading or trailing white space differs from the source.")
def _whitespace(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not target.strip():
        return
    for where, s, t in (("leading", _lead(source), _lead(target)), ("trailing", _trail(source), _trail(target))):
        if s != t:
            yield f"{where} white space differs: {s!r} in the source, {t!r} in the translation"


def _lead(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _trail(text: str) -> str:
    return text[len(text.rstrip()):]


_CLOSERS = "\"'“”‘’„‚«»‹›」』）)]"
_FINAL = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", ",": ",",
          "。": ".", "．": ".", "！": "!", "？": "?", "：": ":", "；": ";", "、": ",", "，": ","}


def _final_mark(text: str) -> str:
    """The sentence punctuation a text ends with (after closing quotes and brackets), or ''."""
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    if text.endswith("..."):
        return "…"
    return _FINAL.get(text[-1:], "")


@check("punctuation", WARNING, "The translation ends with other final punctuation than the source.")
def _punctuation(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not target.strip():
        return
    s, t = _final_mark(source), _final_mark(target)
    if s != t:
        said = lambda mark: f"with “{mark}”" if mark else "without final punctuation"  # noqa: E731
        yield f"the source ends {said(s)}, the translation {said(t)}: {_q(target[-40:].lstrip())}"


# ------------------------------------------------------------------ numbers


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
                    if not zeros or not word or _LETTERS.search(word) is None:
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

    def parse(self, digits: str) -> Decimal | None:
        """The value of ``digits`` as a number of this language, or None when it is not one."""
        from babel.numbers import NumberFormatError, parse_decimal

        try:
            return parse_decimal(digits, self.locale, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            return None

    def numbers(self, text: str) -> list[Number]:
        found = []
        for m in self.pattern.finditer(text):
            digits = m["digits"].rstrip(self._SPACES)
            word = m.groupdict().get("scale")
            value = self.parse(digits)
            groups = self._SPACES if self.group in self._SPACES else self.group
            grouped = any(c in digits for c in groups)
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
def _numbers(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not any(c.isdigit() for c in source):
        return
    src_rules = number_rules(ctx.source_language)
    tgt_rules = number_rules(ctx.target_language)
    wanted = src_rules.numbers(_blank(source, ctx.source_terms))
    if not wanted:
        return
    have = tgt_rules.numbers(_blank(target, ctx.target_terms))
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


# ------------------------------------------------------------ placeholders


_KINDS = {"url": "URL", "email": "e-mail address"}


@check("placeholders", ERROR, "URLs and e-mail addresses must be copied exactly, as often as in the source.")
def _placeholders(source: str, target: str, ctx: Context) -> Iterator[str]:
    src = Counter((s.kind, s.original) for s in ctx.links.protect(source).spans)
    tgt = Counter((s.kind, s.original) for s in ctx.links.protect(target).spans)
    if src == tgt:
        return
    missing = src - tgt
    extra = tgt - src
    for (kind, text), n in missing.items():
        times = f" ({n} of {src[(kind, text)]} times)" if src[(kind, text)] > 1 else ""
        instead = [t for (k, t) in extra if k == kind]
        also = f"; the translation has {instead[0]}" if instead else ""
        yield f"{_KINDS[kind]} {text} is missing{times}{also}"
    for (kind, text), n in extra.items():
        if not any(k == kind for (k, _t) in missing):
            yield f"{_KINDS[kind]} {text} is not in the source"


# ------------------------------------------------------------------ markup

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*/?>")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK_TARGET = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+[\"'(][^)]*)?\)")
_MARKERS = re.compile(r"\*\*|__|~~|(?<![*\w])\*(?=\S)|(?<=\S)\*(?![*\w])")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _balanced(text: str) -> bool:
    stack = []
    for c in text:
        if c in _BRACKETS:
            stack.append(_BRACKETS[c])
        elif c in _BRACKETS.values():
            if not stack or stack.pop() != c:
                return False
    return not stack


@check("markup", ERROR, "Inline markup kept: HTML tags, Markdown code, links and emphasis markers, "
                        "balanced brackets.")
def _markup(source: str, target: str, ctx: Context) -> Iterator[str]:
    if ctx.format_markup is not None:  # a Markdown article: its markup as Markdown reads it
        yield from ctx.format_markup(source, target)
        return
    for name, pattern, group in (("tag", _TAG, 0), ("code", _CODE, 0), ("link target", _LINK_TARGET, 1)):
        src = Counter(m.group(group) for m in pattern.finditer(source))
        tgt = Counter(m.group(group) for m in pattern.finditer(target))
        for text in (src - tgt):
            yield f"{name} {text} is missing"
        for text in (tgt - src):
            yield f"{name} {text} is not in the source"
    plain_src = _CODE.sub(" ", _blank(source, ctx.links))
    plain_tgt = _CODE.sub(" ", _blank(target, ctx.links))
    src = Counter(m.group() for m in _MARKERS.finditer(plain_src))
    tgt = Counter(m.group() for m in _MARKERS.finditer(plain_tgt))
    for marker in sorted(set(src) | set(tgt)):
        if src[marker] != tgt[marker]:
            yield f"emphasis marker {marker} appears {tgt[marker]} times, {src[marker]} in the source"
    if _balanced(plain_src) and not _balanced(plain_tgt):
        counts = "; ".join(f"{plain_tgt.count(o)} “{o}” and {plain_tgt.count(c)} “{c}”"
                           for o, c in _BRACKETS.items() if plain_tgt.count(o) != plain_tgt.count(c))
        yield f"brackets do not pair up in the translation: {counts or 'wrongly nested'}"


# ---------------------------------------------------------------- glossary


@check("glossary-keep", ERROR, "A do-not-translate term of the glossary (glossary.keep) is changed or missing.")
def _glossary_keep(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not ctx.keep:
        return
    wanted = {s.original for s in ctx.source_terms.protect(source).spans if s.kind == "keep"}
    if not wanted:
        return
    present = {s.original for s in ctx.target_terms.protect(target).spans}
    for term in sorted(wanted - present, key=source.find):
        yield f"{term} is not in the translation (glossary.keep: copy it as it is)"


@check("glossary-terms", WARNING, "A term with a fixed translation (glossary.terms) is not translated that way.")
def _glossary_terms(source: str, target: str, ctx: Context) -> Iterator[str]:
    if not ctx.terms:
        return
    wanted = {s.original: s.restore for s in ctx.source_terms.protect(source).spans if s.kind == "term"}
    if not wanted:
        return
    present = {s.original.casefold() for s in ctx.target_terms.protect(target).spans}
    for term, translation in sorted(wanted.items(), key=lambda kv: source.find(kv[0])):
        if translation.casefold() not in present:
            yield f"{term} should be translated as {translation} (glossary.terms)"


# ------------------------------------------------------------------ quotes

# Quotation marks per language: (start, end, alternate start, alternate end),
# as in CLDR's delimiters data (which Babel does not carry).
QUOTES = {
    "cs": "„“‚‘", "da": "“”‘’", "de": "„“‚‘", "de_CH": "«»‹›", "en": "“”‘’", "es": "«»“”", "fi": "””’’",
    "fr": "«»“”", "it": "«»“”", "ja": "「」『』", "nl": "‘’“”", "pl": "„”«»", "pt": "“”‘’", "ru": "«»„“",
    "sv": "””’’", "uk": "«»„“", "zh": "“”‘’",
}


def _quotes(language: str) -> str:
    return QUOTES.get(language, QUOTES.get(base_language(language), ""))


@check("quotes", WARNING, "Quotation marks of the source language left in the translation, or unpaired ones.")
def _quote_marks(source: str, target: str, ctx: Context) -> Iterator[str]:
    src_marks, tgt_marks = _quotes(ctx.source_language), _quotes(ctx.target_language)
    if not src_marks or not tgt_marks:
        return
    foreign = [c for c in dict.fromkeys(src_marks) if c not in tgt_marks]
    seen = [c for c in foreign if c in target]
    for mark in seen:
        at = target.index(mark)
        yield (f"{unicodedata.name(mark, mark).lower()} {mark} is a quotation mark of the source language: "
               f"{_around(target, at)}")
    if seen:
        return
    # Only the main quotation marks pair up reliably: a single one is also an apostrophe (DeepSeek’s).
    start, end = src_marks[0], src_marks[1]
    if start == end or source.count(start) != source.count(end):
        return  # the quotation goes on in another unit
    start, end = tgt_marks[0], tgt_marks[1]
    if start != end and target.count(start) != target.count(end):
        yield f"quotation marks do not pair up: {target.count(start)} {start} but {target.count(end)} {end}"


# ----------------------------------------------------- machine degeneration


def _tokens(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _tandem(tokens: list[str], min_repeats: int = 3, max_n: int = 6) -> tuple[tuple[str, ...], int] | None:
    """The longest run of a phrase of 1–``max_n`` words repeated back to back ``min_repeats`` times or more."""
    best = None
    for n in range(1, max_n + 1):
        i = 0
        while i + n * min_repeats <= len(tokens):
            phrase = tokens[i:i + n]
            repeats = 1
            while tokens[i + repeats * n:i + (repeats + 1) * n] == phrase:
                repeats += 1
            if repeats >= min_repeats and (best is None or repeats * n > best[1] * len(best[0])):
                best = (tuple(phrase), repeats)
            i += max(1, (repeats - 1) * n) if repeats > 1 else 1
    return best


@check("repetition", WARNING, "A word or phrase repeated three times or more in a row that the source does not "
                              "repeat (machine translation gone wrong).")
def _repetition(source: str, target: str, ctx: Context) -> Iterator[str]:
    found = _tandem(_tokens(target))
    if found is None:
        return
    phrase, repeats = found
    if _tandem(_tokens(source)) is not None:
        return
    yield f"“{' '.join(phrase)}” is repeated {repeats} times in a row"


LENGTH_MIN_SOURCE = 20  # characters; shorter units vary too much
LENGTH_RATIO = 2.0  # longer than this many times the source, or shorter than its inverse


@check("length", WARNING, f"The translation is more than {LENGTH_RATIO:g} times longer or shorter than the source.")
def _length(source: str, target: str, ctx: Context) -> Iterator[str]:
    s, t = len(" ".join(source.split())), len(" ".join(target.split()))
    if s < LENGTH_MIN_SOURCE or not t:
        return
    if t > s * LENGTH_RATIO:
        yield f"the translation has {t} characters, {t / s:.1f} times the {s} of the source"
    elif t * LENGTH_RATIO < s:
        yield f"the translation has {t} characters, {t / s:.0%} of the {s} of the source"
