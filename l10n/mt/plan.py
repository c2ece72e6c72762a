"""Planning a window of articles for ``l10n translate``: where each empty entry's translation comes from.

Read the window's catalogs, then decide entry by entry, in the order
:mod:`l10n.mt.translate` describes: the memory, a copy or the glossary, a
similar unit of the memory, else the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polib

from .. import formats, store
from ..errors import L10nError
from ..languages import base_language
from ..memory import index as memory_module  # the memory, kept as an index in .l10n/ (lookup.py's API)
from ..notes import COPY_NOTE, GLOSSARY_NOTE, memory_note
from ..po import read_catalog
from ..project import Project
from . import routes
from .fills import Key, TargetCatalog
from .protect import Protected, Protector
from .results import LanguageReport

LETTER = re.compile(r"[^\W\d_]")  # a unit without one has nothing to translate


@dataclass
class Item:
    """One entry to fill."""

    catalog: TargetCatalog
    entry: polib.POEntry  # as read when planning: its msgid, and the msgstr a fill replaces
    protected: Protected | None = None

    @property
    def key(self) -> Key:
        return (self.entry.msgctxt, self.entry.msgid)


@dataclass
class Plan:
    """One window of articles in one language: its catalogs, and its entries by where their translation comes from."""

    language: str
    report: LanguageReport
    catalogs: list[TargetCatalog]
    items: list[Item]
    memory: list[tuple[Item, str, str]] = field(default_factory=list)  # (item, msgstr, note)
    copies: list[tuple[Item, str, str]] = field(default_factory=list)  # (item, msgstr, note)
    machine: list[Item] = field(default_factory=list)
    route: list = field(default_factory=list)  # ModelPackage route, resolved before writing
    lookup: Memory | None = None  # the language's translation memory, shared by its windows of articles


class Memory:
    """A language's translation memory, loaded when a window of articles first has units to fill, then kept.

    ``keep``: bring its index in ``.l10n/`` up to date (a dry run writes nothing).
    """

    def __init__(self, project: Project, language: str, keep: bool):
        self.project = project
        self.language = language
        self.keep = keep
        self.memory = None

    def get(self, catalogs: list[TargetCatalog]):
        if self.memory is None:  # the catalogs read already are not read again
            self.memory = memory_module.load(self.project, self.language, read=read_catalog,
                                             catalogs={c.path: c.po for c in catalogs}, keep=self.keep)
        return self.memory


def plan_window(project: Project, lang: str, chosen, retranslate_fuzzy: bool, memory: Memory,
          report: LanguageReport | None = None) -> Plan:
    """Read the catalogs of ``lang`` and decide, entry by entry, where its translation comes from.

    ``report``: the language's report to count into (that of earlier windows of articles).
    """
    source = project.config.source_language
    if report is None:
        report = LanguageReport(lang)
    report.label = report.label or f"{base_language(source)}→{lang}"
    catalogs = []
    items = []
    for article in chosen:
        path = project.catalog_path(lang, article.slug)
        tracked = store.read(path)
        if tracked.po is None:
            raise L10nError(f"{project.rel(path)}: no catalog; run `l10n extract` first")
        cat = TargetCatalog(project.rel(path), tracked, formats.for_path(article.rel).protected_spans)
        cat.reindex()
        catalogs.append(cat)
        for entry in cat.po:
            if entry.obsolete or not entry.msgid:
                continue
            if entry.msgid_plural or entry.msgctxt is not None:
                report.skipped_other += 1
            elif entry.msgstr and not entry.fuzzy:
                report.skipped_reviewed += 1
            elif entry.msgstr and not retranslate_fuzzy:
                report.skipped_fuzzy += 1
            else:
                items.append(Item(cat, entry))
    plan = Plan(lang, report, catalogs, items, lookup=memory)
    if not items:
        return plan  # nothing to do: no memory to load, no model

    tm = memory.get(catalogs)
    glossary = project.config.glossary
    protector = Protector(glossary.keep, glossary.for_language(lang))
    threshold = project.config.memory.fuzzy_threshold
    for item in items:
        msgid = item.entry.msgid
        match = tm.lookup(msgid)
        if match is not None:
            plan.memory.append((item, match.msgstr, memory_note(match.source)))
            report.memory += 1
            continue
        if not LETTER.search(msgid):
            plan.copies.append((item, msgid, COPY_NOTE))
            report.glossary += 1
            continue
        item.protected = protector.protect(msgid, item.catalog.markup)
        if not item.protected.translatable:
            plan.copies.append((item, item.protected.restored_source(), GLOSSARY_NOTE))
            report.glossary += 1
            continue
        match = tm.closest(msgid, threshold)
        if match is not None:
            plan.memory.append((item, match.msgstr, memory_note(match.source, match.score)))
            report.memory += 1
            report.similar += 1
            continue
        plan.machine.append(item)
    return plan


def route(project: Project, report: LanguageReport) -> list:
    """The packages for the report's language pair (L10nError if none), named in the report."""
    route = routes.route_for(project.config.source_language, report.language)
    report.engine_name = routes.engine_name(route)
    report.label = routes.label(route, report.label)
    return route
