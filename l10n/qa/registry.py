"""The check registry: what a check is, what it sees and what it finds.

A check is a plain function ``fn(source, translation, context) -> messages``
declared with :func:`check` (name, severity, one-line description; a message
may be a ``(severity, message)`` pair of its own, as a check that finds both
errors and warnings yields) and put
into :data:`CHECKS` by :func:`register`, in the order ``l10n check`` lists
checks and sorts findings (:mod:`l10n.qa` registers them all).
:func:`check_entry` runs every check over one catalog entry and turns the
messages into :class:`Finding` objects.

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
from ..mt.protect import Protector
from ..project import Project

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
    """Declare ``fn(source, translation, context) -> messages`` the check ``name`` (see :func:`register`)."""
    def declare(fn):
        fn.check = Check(name, severity, doc, fn)
        return fn
    return declare


def register(*functions) -> None:
    """Put the checks that ``functions`` were declared as into :data:`CHECKS`, in this order."""
    for fn in functions:
        CHECKS[fn.check.name] = fn.check


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` by language, article and line; errors first, then in the order of :data:`CHECKS`."""
    order = {name: i for i, name in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: (f.language, f.article, f.line, f.severity != ERROR, order.get(f.check, -1)))


class _Remembering:
    """A :class:`Protector` that remembers its last answers: several checks ask it about the same text."""

    def __init__(self, protector: Protector):
        self.protect = lru_cache(maxsize=8)(protector.protect)


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
    for chk in CHECKS.values():
        if chk.name in silenced:
            continue
        for source, target, label in forms:
            for message in chk.run(source, target, context):
                severity, message = message if isinstance(message, tuple) else (chk.severity, message)
                add(chk.name, severity, f"{label}: {message}" if label else message)
    return found
