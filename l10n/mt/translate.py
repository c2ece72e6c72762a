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

Memory and time: articles are planned (:mod:`l10n.mt.plan`) and filled a
window at a time, and only a few windows' catalogs are held, so a run over
30,000 articles needs no more than one over 1,000. While the model
translates a window, one helper thread plans the next and saves the one
before; the first window is small, so that the model starts early. What a
run keeps across windows is small: the memory (an index on disk), the
engine with its model, and the texts it translated (so that a text is
never sent to the model twice), on disk too.

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

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from .. import config as config_module
from ..errors import L10nError
from ..fsutil import FileLock, state_dir
from ..notes import check_note, machine_note
from ..project import Project
from . import plan as planning
from .fills import Fill, Saver, apply, entitled
from .journal import JOURNAL_NAME, Journal, Known
from .protect import Span
from .results import LanguageReport, TranslateResult

SAVE_EVERY_S = 5.0
# Articles planned and filled at a time: memory use does not grow with the project.
WINDOW = 150
FIRST_WINDOW = 25  # the first window is small: the model starts early, and the next is planned meanwhile
LOCK_NAME = "translate.lock"

Progress = Callable[[str, int, int], None]  # (label, units done, units in all)


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
    windows = _windows(chosen)
    if dry_run:
        return TranslateResult([_dry_run(project, lang, windows, retranslate_fuzzy) for lang in langs],
                               time.perf_counter() - started, dry_run=True)

    with _run_lock(project, wait, on_wait):
        # Plans and saves windows of articles beside the model (see _run_language). The first
        # windows are planned here before it starts, so that loading the memory may use every core.
        helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="l10n-windows")
        journal = Journal(state_dir(project.root) / JOURNAL_NAME)
        try:
            plans = []
            for lang in langs:
                t0 = time.perf_counter()
                memory = planning.Memory(project, lang, keep=True)
                plan = planning.plan_window(project, lang, windows[0], retranslate_fuzzy, memory)
                plan.report.seconds = time.perf_counter() - t0
                plans.append(plan)
            for plan in plans:  # every model the first articles need is found before anything is written
                if plan.machine:
                    plan.route = planning.route(project, plan.report)
            reports = [plan.report for plan in plans]
            while plans:  # each language's first articles are let go once it is done
                _run_language(project, plans.pop(0), windows[1:], retranslate_fuzzy, journal, save_every, progress,
                              helper)
        finally:
            helper.shutdown(cancel_futures=True)  # a save under way is finished first
            journal.close()
        journal.discard()  # everything it held is saved in the catalogs now
    return TranslateResult(reports, time.perf_counter() - started)


def _windows(chosen: list) -> list[list]:
    """The windows of articles: a small one first, so that the model starts early, then ``WINDOW`` at a time."""
    first = min(FIRST_WINDOW, WINDOW)
    return [chosen[:first]] + [chosen[i:i + WINDOW] for i in range(first, len(chosen), WINDOW)]


def _dry_run(project: Project, lang: str, windows: list, retranslate_fuzzy: bool) -> LanguageReport:
    """What translating ``lang`` would do, window by window; a missing model is the report's problem."""
    report = LanguageReport(lang)
    memory = planning.Memory(project, lang, keep=False)
    for window in windows:
        plan = planning.plan_window(project, lang, window, retranslate_fuzzy, memory, report=report)
        report.engine += len(plan.machine)
    if report.engine:
        try:
            planning.route(project, report)
        except L10nError as e:
            report.problem = str(e)
    return report


def _run_language(project: Project, plan: planning.Plan, later: list, retranslate_fuzzy: bool, journal: Journal,
                  save_every: float, progress: Progress | None, helper: ThreadPoolExecutor) -> None:
    """Fill ``plan`` (the first articles), then plan and fill each later window of articles in turn.

    One engine serves every window: its model is loaded when a window first
    needs it. While the model translates a window, ``helper`` (one thread)
    plans the next window and then saves the one before, so the model need
    not wait for either: the windows' catalogs are different files, and
    every save takes the catalog lock.
    """
    started = time.perf_counter()
    machine = _Machine(journal, _Tally(progress) if progress else None)
    language, lookup, report, route = plan.language, plan.lookup, plan.report, plan.route
    saving = None
    try:
        for window in [*later, None]:
            upcoming = None if window is None else helper.submit(
                planning.plan_window, project, language, window, retranslate_fuzzy, lookup, report)
            saver = _execute(project, plan, machine, save_every)
            if saving is not None:
                saving.result()  # a save that failed stops the run here
            saving = helper.submit(saver.save)
            if upcoming is None:
                break
            plan = upcoming.result()
            route = plan.route = route or (planning.route(project, report) if plan.machine else [])
            if machine.progress:
                machine.progress.next_window()
        saving.result()
    finally:
        machine.close()
        report.seconds += time.perf_counter() - started


# --------------------------------------------------------------- execution


def _fill(item: planning.Item, msgstr: str, notes: list[str], saver: Saver) -> None:
    cat = item.catalog
    fill = cat.fills[item.key] = Fill(msgstr, tuple(notes), item.entry.msgstr)
    entry = cat.entry(item.key)
    if entry is not None and entitled(entry, fill):
        apply(entry, fill)
        saver.touch(cat)


def _execute(project: Project, plan: planning.Plan, machine: _Machine, save_every: float) -> Saver:
    """Fill the entries of ``plan``; returns the saver that holds what is left to save.

    After an error (or Ctrl-C) what is done is saved here before the error goes on.
    """
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
    except BaseException:
        saver.save()
        raise
    return saver


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


def _translate(project: Project, plan: planning.Plan, machine: _Machine, saver: Saver) -> None:
    """Translate ``plan.machine`` with the engine (loaded by :func:`_execute`); see the module docstring."""
    engine, known, progress = machine.engine, machine.known, machine.progress
    report = plan.report
    name = engine.description

    # One model input per distinct protected text.
    by_text: dict[str, list[planning.Item]] = {}
    for item in plan.machine:
        by_text.setdefault(item.protected.text, []).append(item)
    total = len(plan.machine)
    done = 0
    retry: list[tuple[planning.Item, list[str]]] = []  # (item, problems): to translate in pieces

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
    found = known.found(list(by_text))
    for text in by_text:
        if text in found:
            done += accept(text, *found[text])
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


def _in_pieces(retry: list[tuple[planning.Item, list[str]]], machine: _Machine, saver: Saver,
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
            if isinstance(piece, str) and planning.LETTER.search(piece):
                wanted[core(piece)[1]] = None
    results = {t: (translated, confidence) for t, (translated, confidence, _) in known.found(list(wanted)).items()}
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
            elif not planning.LETTER.search(piece):
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
