"""``l10n translate``: fill empty catalog entries, from the translation memory first, then by machine.

For every chosen language, each live entry with an empty translation (and,
with ``retranslate_fuzzy``, each fuzzy one) is filled, in this order:

1. the project's translation memory: a reviewed translation of exactly the
   same unit in any catalog of that language, or in the memory imported
   with ``l10n memory import`` (:mod:`l10n.memory.lookup`);
2. a unit with nothing to translate is copied (no letters: ``2025``), or
   filled from the glossary alone (it is nothing but protected terms);
3. the translation of the most similar unit in the memory, when it is at
   least ``memory.fuzzy_threshold`` percent similar (default 85), noted
   with its score;
4. machine translation with the language pair's Argos package(s) through
   :class:`~l10n.mt.engine.Engine`: all such units of a window of articles
   (``WINDOW``) in one deduplicated, length-sorted, batched run, with URLs, e-mail
   addresses and glossary terms replaced by placeholders
   (:mod:`l10n.protect`), and in Markdown articles link destinations,
   autolinks, code spans, inline HTML and reference labels too. When the
   model loses or mangles a placeholder, the unit is translated again in
   pieces around the protected text, and marked for checking.

Every suggestion is written fuzzy, with a translator comment line saying
where it came from (see :func:`provenance`); reviewed entries are never
touched. Nothing heavy is imported, and no model loaded, until the engine has
work: a run with nothing to do only reads catalogs.

Memory: articles are planned and filled a window at a time, and only the
window's catalogs are held, so a run over 30,000 articles needs no more
than one over 1,000. What a run keeps across windows is small: the
memory (an index on disk), the engine with its model, and the texts it
translated (so that a text is never sent to the model twice), on disk too.

Crash safety: each finished batch of machine translations is appended to a
journal in ``.l10n/`` before anything else happens to it, and the changed
catalogs are saved atomically every ``save_every`` seconds and at the end.
A run killed at any moment loses at most the batches in flight (those the
engine translates ahead, ``engine.AHEAD_PER_REPLICA`` per replica): the next run finds the saved entries
filled and takes the journaled translations without asking the model
again. A lock in ``.l10n/`` keeps two runs on one project apart.

Concurrency: translators keep saving while a run goes on, and ``extract``
may add units meanwhile. Every save goes through :mod:`l10n.store`: a
catalog that changed on disk since it was read is read again, and only
this run's fills are applied to it, each only where the entry is still
empty or still holds the unreviewed suggestion this run replaced. Anything
a person (or another command) wrote there wins.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import polib

from .. import formats, store
from .. import config as config_module
from ..memory import index as memory_module  # the memory, kept as an index in .l10n/ (lookup.py's API)
from ..errors import L10nError
from ..fsutil import FileLock, state_dir
from ..languages import base_language
from ..notes import COPY_NOTE, GLOSSARY_NOTE, check_note, machine_note, memory_note
from ..po import read_catalog
from ..project import Project
from . import routes
from .fills import Fill, Key, Saver, TargetCatalog, apply, entitled
from .journal import JOURNAL_NAME, Journal, Known
from .protect import Protected, Protector, Span
from .results import LanguageReport, TranslateResult

SAVE_EVERY_S = 5.0
# Articles planned and filled at a time: memory use does not grow with the project.
WINDOW = 150
LOCK_NAME = "translate.lock"

_LETTER = re.compile(r"[^\W\d_]")

Progress = Callable[[str, int, int], None]  # (label, units done, units in all)


# ---------------------------------------------------------------- planning


@dataclass
class _Item:
    """One entry to fill."""

    catalog: TargetCatalog
    entry: polib.POEntry  # as read when planning: its msgid, and the msgstr a fill replaces
    protected: Protected | None = None

    @property
    def key(self) -> Key:
        return (self.entry.msgctxt, self.entry.msgid)


@dataclass
class _Plan:
    language: str
    report: LanguageReport
    catalogs: list[TargetCatalog]
    items: list[_Item]
    memory: list[tuple[_Item, str, str]] = field(default_factory=list)  # (item, msgstr, note)
    copies: list[tuple[_Item, str, str]] = field(default_factory=list)  # (item, msgstr, note)
    machine: list[_Item] = field(default_factory=list)
    route: list = field(default_factory=list)  # ModelPackage route, resolved before writing
    lookup: _Memory | None = None  # the language's translation memory, shared by its windows of articles


class _Memory:
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


def translate(project: Project, languages: list[str] | None = None, articles: list[str] | None = None, *,
              retranslate_fuzzy: bool = False, dry_run: bool = False, wait: bool = False,
              save_every: float = SAVE_EVERY_S, progress: Progress | None = None,
              on_wait: Callable[[str], None] | None = None) -> TranslateResult:
    """Fill the empty entries of the chosen catalogs; see the module docstring.

    Raises :class:`L10nError` (before writing anything) when a catalog is
    missing or unreadable, or a language pair has no installed model; in a
    dry run a missing model is reported in the result instead.
    """
    started = time.perf_counter()
    config_module.check_threads(project.config.engine)
    langs = project.languages(languages)
    chosen = project.articles(articles)
    missing = [path for _lang, _article, path in project.catalogs(languages, articles) if not path.is_file()]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise L10nError(f"{project.rel(missing[0])}: no catalog{more}; run `l10n extract` first")
    windows = [chosen[i:i + WINDOW] for i in range(0, len(chosen), WINDOW)] or [[]]
    if dry_run:
        return TranslateResult([_dry_run(project, lang, windows, retranslate_fuzzy) for lang in langs],
                               time.perf_counter() - started, dry_run=True)

    with _run_lock(project, wait, on_wait):
        plans = []
        for lang in langs:
            t0 = time.perf_counter()
            plan = _plan(project, lang, windows[0], retranslate_fuzzy, _Memory(project, lang, keep=True))
            plan.report.seconds = time.perf_counter() - t0
            plans.append(plan)
        for plan in plans:  # every model the first articles need is found before anything is written
            if plan.machine:
                plan.route = _route(project, plan.report)
        journal = Journal(state_dir(project.root) / JOURNAL_NAME)
        reports = [plan.report for plan in plans]
        try:
            while plans:  # each language's first articles are let go once it is done
                _run_language(project, plans.pop(0), windows[1:], retranslate_fuzzy, journal, save_every, progress)
        finally:
            journal.close()
        journal.discard()  # everything it held is saved in the catalogs now
    return TranslateResult(reports, time.perf_counter() - started)


def _dry_run(project: Project, lang: str, windows: list, retranslate_fuzzy: bool) -> LanguageReport:
    """What translating ``lang`` would do, window by window; a missing model is the report's problem."""
    report = LanguageReport(lang)
    memory = _Memory(project, lang, keep=False)
    for window in windows:
        report.engine += len(_plan(project, lang, window, retranslate_fuzzy, memory, report=report).machine)
    if report.engine:
        try:
            _route(project, report)
        except L10nError as e:
            report.problem = str(e)
    return report


def _run_language(project: Project, plan: _Plan, later: list, retranslate_fuzzy: bool, journal: Journal,
                  save_every: float, progress: Progress | None) -> None:
    """Fill ``plan`` (the first articles), then plan and fill each later window of articles in turn.

    One engine serves every window: its model is loaded when a window first needs it.
    """
    machine = _Machine(journal, _Tally(progress) if progress else None)
    try:
        while True:
            t0 = time.perf_counter()
            _execute(project, plan, machine, save_every)
            plan.report.seconds += time.perf_counter() - t0
            if not later:
                return
            window, later = later[0], later[1:]
            t0 = time.perf_counter()
            language, lookup, report, route = plan.language, plan.lookup, plan.report, plan.route
            plan = None  # this window's catalogs go before the next window's are read
            plan = _plan(project, language, window, retranslate_fuzzy, lookup, report=report)
            plan.route = route or (_route(project, report) if plan.machine else [])
            plan.report.seconds += time.perf_counter() - t0
            if machine.progress:
                machine.progress.next_window()
    finally:
        machine.close()


def _plan(project: Project, lang: str, chosen, retranslate_fuzzy: bool, memory: _Memory,
          report: LanguageReport | None = None) -> _Plan:
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
                items.append(_Item(cat, entry))
    plan = _Plan(lang, report, catalogs, items, lookup=memory)
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
        if not _LETTER.search(msgid):
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


def _route(project: Project, report: LanguageReport) -> list:
    """The packages for the report's language pair (L10nError if none), named in the report."""
    route = routes.route_for(project.config.source_language, report.language)
    report.engine_name = routes.engine_name(route)
    report.label = routes.label(route, report.label)
    return route


# --------------------------------------------------------------- execution


def _fill(item: _Item, msgstr: str, notes: list[str], saver: Saver) -> None:
    cat = item.catalog
    fill = cat.fills[item.key] = Fill(msgstr, tuple(notes), item.entry.msgstr)
    entry = cat.entry(item.key)
    if entry is not None and entitled(entry, fill):
        apply(entry, fill)
        saver.touch(cat)


def _execute(project: Project, plan: _Plan, machine: _Machine, save_every: float) -> None:
    report = plan.report
    if plan.machine:  # a model that cannot load stops the run before anything is written
        machine.load(project, plan.route)
    saver = Saver(project, save_every, report.written, report.merged)
    try:
        for item, msgstr, note in plan.memory:
            _fill(item, msgstr, [note], saver)
        for item, msgstr, note in plan.copies:
            _fill(item, msgstr, [note], saver)
        if plan.machine:
            _translate(project, plan, machine, saver)
    finally:
        saver.save()  # also on Ctrl-C or an error: what is done is kept


class _Machine:
    """A language's engine, loaded when a window of articles first needs it, and what it translated.

    ``known`` holds the translations of this run and those an interrupted
    run left in the journal, on disk (:class:`~l10n.mt.journal.Known`): a
    text is never sent to the model twice.
    """

    def __init__(self, journal: Journal, progress: _Tally | None):
        self.journal = journal
        self.progress = progress
        self.engine = None
        self.signature = ""
        self.known: Known | None = None

    def load(self, project: Project, route: list) -> None:
        if self.engine is not None:
            return
        from .backends import engine_for

        settings = project.config.engine
        self.engine = engine_for(route, settings)  # engine.backend: this machine, or a Ray cluster
        self.engine.load()
        self.signature = f"{self.engine.description}; beam {settings.beam_size}; {settings.compute_type}"
        self.known = self.journal.load(self.signature)

    def remember(self, rows: list[tuple[str, str, float]]) -> None:
        """Journal ``rows`` (text, translation, confidence) first, then keep them for later windows."""
        self.journal.append(self.signature, rows)
        self.known.add(rows)

    def close(self) -> None:
        if self.known is not None:
            self.known.close()


def _translate(project: Project, plan: _Plan, machine: _Machine, saver: Saver) -> None:
    """Translate ``plan.machine`` with the engine (loaded by :func:`_execute`); see the module docstring."""
    engine, known, progress = machine.engine, machine.known, machine.progress
    report = plan.report
    name = engine.description

    # One model input per distinct protected text.
    by_text: dict[str, list[_Item]] = {}
    for item in plan.machine:
        by_text.setdefault(item.protected.text, []).append(item)
    total = len(plan.machine)
    done = 0
    retry: list[tuple[_Item, list[str]]] = []  # (item, problems): to translate in pieces

    def accept(text: str, translated: str, confidence: float, recovered: bool) -> int:
        for item in by_text[text]:
            restored = item.protected.restore(translated)
            if not restored.ok:
                retry.append((item, restored.problems()))
                continue
            result = restored.text.strip()
            if not result:
                report.no_output += 1
                continue
            _fill(item, result, [machine_note(name, confidence)], saver)
            report.engine += 1
            report.recovered += recovered
        return len(by_text[text])

    if progress:
        progress(report.label, 0, total)
    todo = []
    for text in by_text:
        found = known.get(text)
        if found is not None:
            done += accept(text, *found, recovered=known.recovered(text))
        else:
            todo.append(text)
    if progress and done:
        progress(report.label, done, total)
    for positions, suggestions in engine.translate_iter(todo):
        machine.remember([(todo[i], s.text, s.confidence) for i, s in zip(positions, suggestions)
                          if not s.problem])  # a failure is not remembered: the next run tries again
        for i, s in zip(positions, suggestions):
            if s.problem:
                report.failed.extend((item.entry.msgid, s.problem) for item in by_text[todo[i]])
                done += len(by_text[todo[i]])
                continue
            done += accept(todo[i], s.text, s.confidence, recovered=False)
        if progress:
            progress(report.label, done, total)
        saver.maybe_save()

    report.device = engine.where
    if retry:
        _in_pieces(retry, machine, saver, report)


def _in_pieces(retry: list[tuple[_Item, list[str]]], machine: _Machine, saver: Saver,
               report: LanguageReport) -> None:
    """Translate units whose placeholders did not survive piece by piece around the protected spans.

    Every protected span is then copied (or its fixed translation put in)
    exactly; the entry is marked for checking, since pieces lose context.
    """
    def core(piece: str) -> tuple[str, str, str]:
        stripped = piece.strip()
        if not stripped:
            return piece, "", ""
        start = piece.index(stripped)
        return piece[:start], stripped, piece[start + len(stripped):]

    engine, known, progress, name = machine.engine, machine.known, machine.progress, machine.engine.description
    wanted: dict[str, None] = {}
    for item, _problems in retry:
        for piece in item.protected.pieces():
            if isinstance(piece, str) and _LETTER.search(piece):
                wanted[core(piece)[1]] = None
    results: dict[str, tuple[str, float]] = {t: found for t in wanted if (found := known.get(t)) is not None}
    todo = [t for t in wanted if t not in results]
    label = f"{report.label}, in pieces"
    if progress:
        progress(label, len(results), len(wanted))
    for positions, suggestions in engine.translate_iter(todo):
        rows = [(todo[i], s.text, s.confidence) for i, s in zip(positions, suggestions)]
        machine.remember([row for row, s in zip(rows, suggestions) if not s.problem])
        for text, translated, confidence in rows:
            results[text] = (translated, confidence)
        if progress:
            progress(label, len(results), len(wanted))

    for item, problems in retry:
        out = []
        confidence = 1.0
        for piece in item.protected.pieces():
            if isinstance(piece, Span):
                out.append(piece.restore)
            elif not _LETTER.search(piece):
                out.append(piece)
            else:
                before, text, after = core(piece)
                translated, conf = results[text]
                confidence = min(confidence, conf)
                out.append(before + (translated.strip() or text) + after)
        notes = [machine_note(name, confidence, pieces=True)] + [check_note(p) for p in problems]
        _fill(item, "".join(out).strip(), notes, saver)
        report.engine += 1
        report.flagged += 1
    saver.maybe_save()


class _Tally:
    """Progress over windows of articles: each label's counts go on from where the window before ended."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.base: dict[str, tuple[int, int]] = {}
        self.last: dict[str, tuple[int, int]] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        done0, total0 = self.base.get(label, (0, 0))
        self.last[label] = (done0 + done, total0 + total)
        self.progress(label, *self.last[label])

    def next_window(self) -> None:
        self.base.update(self.last)


# -------------------------------------------------------------------- lock


def _run_lock(project: Project, wait: bool, on_wait: Callable[[str], None] | None) -> FileLock:
    """The lock that keeps two runs of ``l10n translate`` on one project apart."""
    def busy(holder: str) -> None:
        if not wait:
            raise L10nError(f"another `l10n translate` is running in this project{holder}; "
                            "wait for it to finish, or pass --wait")
        if on_wait:
            on_wait(f"waiting for another `l10n translate` in this project{holder} to finish")

    return FileLock(state_dir(project.root) / LOCK_NAME, busy)
