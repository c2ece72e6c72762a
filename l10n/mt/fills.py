"""What a translate run puts into each catalog, and how it is saved while people edit the same files.

A run records its own changes (:class:`Fill`) per catalog; every save goes
through :mod:`l10n.store`, and a catalog someone saved meanwhile gets
those fills again, each only where the entry is still empty or still holds
the unreviewed suggestion the fill replaces (:func:`entitled`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import catalog, store
from ..notes import provenance_lines, set_notes
from ..po import format_catalog
from ..project import Project

Key = tuple  # (msgctxt, msgid): an entry's identity in its catalog


@dataclass(frozen=True)
class Fill:
    """A translation this run puts into an entry that held ``replaces`` (empty, or a fuzzy suggestion)."""

    msgstr: str
    notes: tuple[str, ...]
    replaces: str


@dataclass
class TargetCatalog:
    rel: str
    tracked: store.Tracked
    markup: Callable | None = None  # the article format's protected_spans (Markdown), for the placeholders
    fills: dict[Key, Fill] = field(default_factory=dict)  # this run's own changes, to apply again on a merge

    @property
    def path(self) -> Path:
        return self.tracked.path

    @property
    def po(self) -> polib.POFile:
        return self.tracked.po

    _index: dict[Key, polib.POEntry] = field(default_factory=dict, repr=False)

    def entry(self, key: Key) -> polib.POEntry | None:
        """The live entry ``key`` of the catalog as it is now (see :meth:`reindex`)."""
        return self._index.get(key)

    def reindex(self) -> None:
        self._index = {(e.msgctxt, e.msgid): e for e in self.po if not e.obsolete}


class Saver:
    """Changed catalogs, saved atomically together every ``every`` seconds and at the end.

    ``written`` and ``merged`` collect the catalogs (as shown to the user)
    that were written, and that someone had saved meanwhile; one saver
    serves one window of articles, whose catalogs no other window has.
    """

    def __init__(self, project: Project, every: float, written: list[str], merged: list[str]):
        self.project = project
        self.every = every
        self.written = written
        self.merged = merged
        self.dirty: dict[Path, TargetCatalog] = {}
        self.last = time.monotonic()
        self._named: tuple[set[str], set[str]] = (set(), set())  # what this saver put into written, merged

    def touch(self, cat: TargetCatalog) -> None:
        self.dirty[cat.path] = cat

    def maybe_save(self) -> None:
        if time.monotonic() - self.last >= self.every:
            self.save()

    def save(self) -> None:
        stamp = catalog.now()
        changes = []
        for cat in self.dirty.values():
            cat.po.metadata["PO-Revision-Date"] = stamp
            changes.append(store.Change(cat.tracked, format_catalog(cat.po).encode("utf-8"),
                                        lambda current, cat=cat: rebase(cat, current, stamp)))
        saved = store.save(self.project.root, changes)  # one sync for all of them
        by_path = {cat.path: cat for cat in self.dirty.values()}
        for paths, names, named in zip((saved.written, saved.merged), (self.written, self.merged), self._named):
            for p in paths:
                if by_path[p].rel not in named:  # a set: the lists grow with the project
                    named.add(by_path[p].rel)
                    names.append(by_path[p].rel)
        self.dirty.clear()
        self.last = time.monotonic()


def rebase(cat: TargetCatalog, current: polib.POFile | None, stamp: str) -> bytes | None:
    """This run's fills applied to the catalog as someone saved it meanwhile; None: nothing of ours applies."""
    if current is None:
        return None  # the catalog was removed: not ours to bring back
    cat.tracked.po = current
    cat.reindex()
    applied = False
    for key, fill in cat.fills.items():
        entry = cat.entry(key)
        if entry is not None and entitled(entry, fill) and not holds(entry, fill):
            apply(entry, fill)
            applied = True
    if not applied:
        return None
    current.metadata["PO-Revision-Date"] = stamp
    return format_catalog(current).encode("utf-8")


def entitled(entry: polib.POEntry, fill: Fill) -> bool:
    """Whether a fill may go into ``entry``: it is still empty, or still holds what the fill replaces (unreviewed)."""
    if entry.msgid_plural:
        return False
    return not entry.msgstr or (entry.fuzzy and entry.msgstr in (fill.replaces, fill.msgstr))


def holds(entry: polib.POEntry, fill: Fill) -> bool:
    return entry.fuzzy and entry.msgstr == fill.msgstr and provenance_lines(entry) == list(fill.notes)


def apply(entry: polib.POEntry, fill: Fill) -> None:
    entry.msgstr = fill.msgstr
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    # A "#| msgid" belongs to the old translation being replaced.
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None
    set_notes(entry, list(fill.notes))
