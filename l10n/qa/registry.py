"""The check registry: what a check is, what it sees and what it finds.

A check is a plain function ``fn(source, translation, context) -> messages``
declared with :func:`check` (name, severity, one-line description; a message
may be a ``(severity, message)`` pair of its own, as a check that finds both
errors and warnings yields) and put
into :data:`CHECKS` by :func:`register`, in the order ``l10n check`` lists
checks and sorts findings (:mod:`l10n.qa` registers them all).
:func:`check_entry` runs every check over one catalog entry and turns the
messages into :class:`Finding` objects. What a check says of a source text
and its translation is remembered for the rest of the run, under the
context's languages, glossary and format (:attr:`Context.said_key`): a check
that looks at anything else (the entry's place in its article, as
``structure`` does) must be declared ``in_place=True``.

A translator silences checks on one entry with a translator comment line
(it survives ``msgcat``, ``msgmerge`` and PO editors, unlike an unknown
``#,`` flag, which ``msgcat`` drops)::

    # l10n-ignore: numbers, quotes
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache

import polib

from .. import formats
from ..document import Document
from ..mt.protect import Protected, Protector
from ..project import Project
from .common import LINK_MARK

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
    # True: what it finds depends on where the entry is in its article, not only on the texts and the settings
    in_place: bool = False


CHECKS: dict[str, Check] = {}


def check(name: str, severity: str, doc: str, in_place: bool = False):
    """Declare ``fn(source, translation, context) -> messages`` the check ``name`` (see :func:`register`).

    A check that looks at the entry in its article says ``in_place``; what
    the others find depends only on the two texts and the context's
    languages, glossary and format, and is remembered (see :func:`check_entry`).
    """
    def declare(fn):
        fn.check = Check(name, severity, doc, fn, in_place)
        return fn
    return declare


_generation = 0  # how many times checks were registered: what was remembered of earlier ones is not used


def register(*functions) -> None:
    """Put the checks that ``functions`` were declared as into :data:`CHECKS`, in this order."""
    global _generation
    for fn in functions:
        CHECKS[fn.check.name] = fn.check
    _generation += 1


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` by language, article and line; errors first, then in the order of :data:`CHECKS`."""
    order = {name: i for i, name in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: (f.language, f.article, f.line, f.severity != ERROR, order.get(f.check, -1)))


class _Remembering:
    """A :class:`Protector` that remembers its last answers: several checks ask it about the same text.

    A text without any of its terms, and without what a URL or an e-mail
    address starts from, has nothing to protect: it is not searched.
    """

    def __init__(self, protector: Protector):
        self._protector = protector
        self._terms = tuple(protector.replacements)
        self.protect = lru_cache(maxsize=8)(self._protect)

    def _protect(self, text: str) -> Protected:
        if not LINK_MARK.search(text) and not any(term in text for term in self._terms):
            return Protected(text, text, ())
        return self._protector.protect(text)


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
    # reads the article (for checks that look at an entry in its place): see :attr:`document`
    load_document: Callable[[], Document] | None = None

    def __post_init__(self) -> None:
        self.links = _Remembering(Protector())  # URLs and e-mail addresses only
        self.source_terms = _Remembering(Protector(self.keep, self.terms))
        variants = {v for t in self.terms.values() for v in (t, t[:1].upper() + t[1:], t[:1].lower() + t[1:])}
        self.target_terms = _Remembering(Protector(tuple(self.keep) + tuple(sorted(variants - set(self.keep)))))
        # all that the checks that do not look at the article see of the context, as a number (see check_entry)
        seen = (self.source_language, self.target_language, tuple(self.keep), tuple(self.terms.items()),
                self.format_markup)
        self.said_key = _CONTEXTS.setdefault(seen, len(_CONTEXTS))

    @cached_property
    def article_format(self) -> formats.Format:
        """The format of the article (by its name; an unknown kind of file raises :class:`L10nError`)."""
        return formats.for_path(self.article_path)

    @cached_property
    def document(self) -> Document | None:
        """The article parsed, read when a check first asks (None when the context has no article)."""
        return self.load_document() if self.load_document is not None else None

    @classmethod
    def for_project(cls, project: Project, language: str, article=None) -> Context:
        glossary = project.config.glossary
        path = getattr(article, "rel", "")
        return cls(project.config.source_language, language, getattr(article, "slug", ""), path,
                   tuple(glossary.keep), glossary.for_language(language),
                   formats.for_path(path).check_markup if path else None,
                   (lambda: project.document(article)) if path else None)


# ------------------------------------------------------------------ one entry


def ignored(entry: polib.POEntry) -> set[str]:
    """The checks a translator silenced on ``entry`` (``# l10n-ignore: numbers, quotes``)."""
    names: set[str] = set()
    if IGNORE_PREFIX not in (entry.tcomment or ""):
        return names
    for line in entry.tcomment.split("\n"):
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

    for name in sorted(silenced - CHECKS.keys()):
        add("ignore", WARNING, f"`{IGNORE_PREFIX} {name}` names no check (checks: {', '.join(CHECKS)})")
    said = [_said(source, target, context) for source, target, _label in forms]
    for chk in CHECKS.values():
        if chk.name in silenced:
            continue
        for (source, target, label), known in zip(forms, said):
            messages = None if chk.in_place else known.get(chk.name)
            if messages is None:
                messages = [message if isinstance(message, tuple) else (chk.severity, message)
                            for message in chk.run(source, target, context)]
                if not chk.in_place:
                    known[chk.name] = messages
            for severity, message in messages:
                add(chk.name, severity, f"{label}: {message}" if label else message)
    return found


# What the checks that do not look at an entry's place (see :func:`check`) said of a source and
# translation, under the languages, glossary and format they were checked with: an article, or a
# project, says many things more than once. By (registry generation, context, source, translation),
# then by check name: ``(severity, message)`` pairs.
_SAID: dict[tuple, dict[str, list[tuple[str, str]]]] = {}
_SAID_MAX = 100_000
_CONTEXTS: dict[tuple, int] = {}  # what the checks see of a context -> a small number standing for it


def _said(source: str, target: str, context: Context) -> dict[str, list[tuple[str, str]]]:
    key = (_generation, context.said_key, source, target)
    known = _SAID.get(key)
    if known is None:
        if len(_SAID) >= _SAID_MAX:
            _SAID.clear()
        known = _SAID[key] = {}
    return known
