"""The translation memory kept as an index on disk: ``.l10n/memory-<lang>.sqlite``.

The catalogs (``locales/<lang>/LC_MESSAGES/*.po``) and the imported memory
(``locales/memory/<lang>.tmx``) stay the source of truth; the index is a
cache of them that :func:`load` brings up to date. It records each file's
fingerprint (size, modification time, hash of its bytes, and the name its
translations go by); only files whose fingerprint changed are read again,
their rows replaced in one transaction, and files gone have their rows
removed. A file is hashed again only when its size or mtime changed, or when
it was hashed within ``SETTLED_NS`` of its mtime (a write in the same
timestamp tick could leave both as they were). A missing, damaged or older
index is rebuilt from scratch.

Tables: ``pairs`` holds each file's distinct (msgid, translation) pairs with
how often and where first used; ``units`` holds, per msgid, the translation
chosen by :class:`~l10n.memory.lookup.TranslationMemory` (the only place
where the precedence is decided: the pairs of the msgids that changed are
replayed into one, in file order); ``words`` holds each word (``\\w+``,
lower case) of the msgids with the number of units it occurs in, and
``keys`` the (word, length, unit) postings, ordered for range scans.

:meth:`IndexedMemory.closest` looks only at the units whose length the
threshold allows (a normalised Indel similarity of ``t`` bounds the ratio of
the lengths) and takes its candidates from the postings of the query's
rarest words (a word expected in more than ``COMMON`` such units is not
looked at; the rarest ones are taken until ``BUDGET`` postings), ranks them
by the number of those words they share with the query (then by closeness
of length), and rescores the first ``CANDIDATES`` with rapidfuzz exactly as
the linear scan does. A query without any such word is compared with every
unit of a fitting length, when there are at most ``SCAN`` of them. This can
miss a match the linear scan finds (see ``docs/memory-index.md`` for the
measured recall); what it finds, it scores as the scan does.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .. import parallel
from ..errors import L10nError
from ..fsutil import state_dir
from .lookup import Match, TranslationMemory, add_imported, catalog_sources
from .lookup import load as load_in_memory
from .tmx import memory_path

SCHEMA = 2
CANDIDATES = 50  # units, ranked by the rare words they share with the query, rescored per similar-unit query
COMMON = 5_000  # a word expected in more units of a fitting length than this is too common to choose by
BUDGET = 3_000  # postings read per query: the rarest words until their units add up to this (at least MIN_WORDS)
MIN_WORDS = 3
SETTLED_NS = 2_000_000_000  # a file last changed this long before it was hashed is trusted while size and mtime hold
SCAN = 20_000  # a query without such words is compared with the units of a fitting length, if not more than this
_TMX = "\0imported"  # the ``source`` recorded for the imported memory's file (its pairs name their own)
_WORD = re.compile(r"\w+")
_SLICE = 20_000  # msgids decided again at a time: what an update holds in memory stays bounded
_BATCH = 500  # values bound to one statement (SQLite before 3.32 takes 999 at most); also the most words chosen

_TABLES = """
CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER, mtime_ns INTEGER,
                    hash TEXT, source TEXT, rank INTEGER, hashed_ns INTEGER);
CREATE TABLE pairs (file INTEGER NOT NULL, msgid TEXT NOT NULL, msgstr TEXT NOT NULL, count INTEGER,
                    source TEXT, pos INTEGER, tier INTEGER);
CREATE INDEX pairs_msgid ON pairs (msgid);
CREATE INDEX pairs_file ON pairs (file);
CREATE TABLE units (id INTEGER PRIMARY KEY, msgid TEXT UNIQUE NOT NULL, msgstr TEXT, source TEXT,
                    length INTEGER);
CREATE INDEX units_length ON units (length);
CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT UNIQUE NOT NULL, units INTEGER NOT NULL);
CREATE TABLE keys (word INTEGER NOT NULL, length INTEGER NOT NULL, unit INTEGER NOT NULL,
                   PRIMARY KEY (word, length, unit)) WITHOUT ROWID;
"""


def index_path(project, language: str) -> Path:
    """Where the index of ``language`` lives: the project's ``.l10n/`` folder."""
    return state_dir(project.root) / f"memory-{language}.sqlite"


def load(project, language: str, read=None, catalogs: dict[Path, object] | None = None, keep: bool = True):
    """The memory of ``language`` (as :func:`l10n.memory.lookup.load`), backed by its index, brought up to date.

    With ``keep`` False (a dry run), or where no index can be kept (a
    read-only project), the memory is read into a :class:`TranslationMemory`
    as before and nothing is written.
    """
    if read is None:
        from ..po import read_catalog as read
    if not keep:
        return load_in_memory(project, language, read=read, catalogs=catalogs)
    try:
        path = index_path(project, language)
    except OSError:
        return load_in_memory(project, language, read=read, catalogs=catalogs)
    for attempt in (1, 2):
        try:
            return IndexedMemory(path, project, language, read, catalogs or {})
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error) or attempt == 2:
                break
            _remove(path)  # damaged or of another schema: start again
        except OSError:
            break
    return load_in_memory(project, language, read=read, catalogs=catalogs)


def _remove(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        try:
            name.unlink()
        except FileNotFoundError:
            pass


def words(text: str) -> set[str]:
    """The distinct words of ``text`` (``\\w+``, lower case): the keys under which a unit is found."""
    return set(_WORD.findall(text.lower()))


def length_window(length: int, threshold: float) -> tuple[int, int]:
    """The lengths a unit may have to be at least ``threshold`` percent similar to one of ``length`` characters."""
    r = max(threshold, 0.0) / 100
    if r <= 0:
        return 0, 1 << 62
    return int(r * length / (2 - r)), int(length * (2 - r) / r) + 1


class IndexedMemory:
    """The reviewed translations of one language, looked up in the index; the API of :class:`TranslationMemory`."""

    def __init__(self, path: Path, project, language: str, read, catalogs: dict):
        self.language = language
        self.path = path
        self.reread: list[Path] = []  # the files read again by the last update
        # Used by one thread at a time: translate loads the memory, then its helper thread looks things up.
        self._con = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        self._con.execute("PRAGMA cache_size = -65536")  # KiB: an update of a large index touches pages all over
        try:
            self._update(project, read, catalogs)
        except BaseException:
            self._con.close()
            raise
        self._len = self._con.execute("SELECT count(*) FROM units").fetchone()[0]
        self._lengths: tuple[list[int], list[int]] | None = None  # the units' lengths, and how many are shorter

    def close(self) -> None:
        self._con.close()

    # ------------------------------------------------------------ the update

    def _update(self, project, read, catalogs: dict) -> None:
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not con.execute("SELECT 1 FROM sqlite_master").fetchone():
                _create(con)
            elif version != SCHEMA:
                raise sqlite3.DatabaseError(f"index schema {version}, wanted {SCHEMA}")
            con.execute("CREATE TEMP TABLE IF NOT EXISTS touched (msgid TEXT PRIMARY KEY)")
            con.execute("DELETE FROM touched")
            self._sync_files(project, read, catalogs)
            self._choose()
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    def _sync_files(self, project, read, catalogs: dict) -> None:
        """Replace the pairs of each file that changed, drop those of files gone; their msgids go to ``touched``.

        The catalogs to read again are parsed by worker processes when there are many (:mod:`l10n.parallel`).
        """
        con = self._con
        wanted = [(path, source) for path, source in catalog_sources(project, self.language)]
        tmx = memory_path(project, self.language)
        if tmx.is_file():
            wanted.append((tmx, _TMX))
        known = {row[1]: row for row in con.execute(
            "SELECT id, path, size, mtime_ns, hash, source, rank, hashed_ns FROM files")}

        def changed():
            """(read it here or not, (file id, path, source, or its rows)) for each file whose pairs changed."""
            for rank, (path, source) in enumerate(wanted):
                rel = project.rel(path)
                old = known.pop(rel, None)
                if old is not None and _settled(old, path, source):
                    if old[6] != rank:
                        con.execute("UPDATE files SET rank = ? WHERE id = ?", (rank, old[0]))
                    continue
                hashed_ns = time.time_ns()
                size, mtime_ns, digest = _fingerprint(path)
                if old is not None:
                    con.execute("UPDATE files SET size = ?, mtime_ns = ?, hash = ?, source = ?, rank = ?, "
                                "hashed_ns = ? WHERE id = ?", (size, mtime_ns, digest, source, rank, hashed_ns, old[0]))
                    if (old[4], old[5]) == (digest, source):
                        continue
                    self._drop(old[0])
                    file_id = old[0]
                else:
                    file_id = con.execute("INSERT INTO files (path, size, mtime_ns, hash, source, rank, hashed_ns) "
                                          "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                          (rel, size, mtime_ns, digest, source, rank, hashed_ns)).lastrowid
                self.reread.append(path)
                if source == _TMX:
                    memory = TranslationMemory(self.language)
                    add_imported(project, self.language, memory)
                    yield False, (file_id, list(memory.rows()))
                elif path in catalogs:  # read already
                    yield False, (file_id, _pairs(self.language, catalogs[path], source))
                else:
                    yield True, (file_id, path, source)

        for file_id, rows in parallel.ordered(changed(), _read_pairs, (self.language, read)):
            rows = [(file_id, *row) for row in rows]
            con.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            con.executemany("INSERT OR IGNORE INTO touched VALUES (?)", ((row[1],) for row in rows))
        for old in known.values():  # files gone
            self._drop(old[0])
            con.execute("DELETE FROM files WHERE id = ?", (old[0],))

    def _drop(self, file_id: int) -> None:
        self._con.execute("INSERT OR IGNORE INTO touched SELECT msgid FROM pairs WHERE file = ?", (file_id,))
        self._con.execute("DELETE FROM pairs WHERE file = ?", (file_id,))

    def _choose(self) -> None:
        """Decide again the translation of each ``touched`` msgid, ``_SLICE`` of them at a time."""
        last = 0
        while True:
            rows = self._con.execute("SELECT rowid, msgid FROM touched WHERE rowid > ? ORDER BY rowid LIMIT ?",
                                     (last, _SLICE)).fetchall()
            if not rows:
                break
            self._choose_some(last + 1, rows[-1][0], [msgid for _rowid, msgid in rows])
            last = rows[-1][0]
        self._con.execute("DELETE FROM touched")

    def _choose_some(self, first: int, last: int, msgids: list[str]) -> None:
        """Decide again the translation of these msgids (``touched`` rows ``first`` to ``last``), replaying their
        pairs in file order, and file the units that appear or disappear under their words."""
        con = self._con
        chosen = "SELECT msgid FROM touched WHERE rowid BETWEEN ? AND ?"
        memory = TranslationMemory(self.language)
        for msgid, msgstr, source, tier, count in con.execute(
                "SELECT p.msgid, p.msgstr, p.source, p.tier, p.count FROM pairs p JOIN files f ON f.id = p.file "
                f"WHERE p.msgid IN ({chosen}) ORDER BY f.rank, p.pos", (first, last)):
            memory.add_counted(msgid, msgstr, source, tier, count)
        ids = dict(con.execute(f"SELECT msgid, id FROM units WHERE msgid IN ({chosen})", (first, last)))
        gone, changed, new = [], [], []
        for msgid in msgids:
            match = memory.lookup(msgid)
            if match is None:
                if msgid in ids:
                    gone.append((ids[msgid], msgid))
            elif msgid in ids:
                changed.append((match.msgstr, match.source, ids[msgid]))
            else:
                new.append((msgid, match.msgstr, match.source, len(msgid)))
        con.executemany("DELETE FROM units WHERE id = ?", ((unit,) for unit, _msgid in gone))
        self._key(gone, -1)
        con.executemany("UPDATE units SET msgstr = ?, source = ? WHERE id = ?", changed)
        next_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM units").fetchone()[0]
        added = [(next_id + n, row[0]) for n, row in enumerate(new)]
        con.executemany("INSERT INTO units (id, msgid, msgstr, source, length) VALUES (?, ?, ?, ?, ?)",
                        ((unit, *row) for (unit, _msgid), row in zip(added, new)))
        self._key(added, +1)

    def _key(self, units: list[tuple[int, str]], sign: int) -> None:
        """Add (``sign`` +1) or remove (-1) the postings of these (id, msgid) units, and count their words."""
        if not units:
            return
        con = self._con
        keyed = [(unit, len(msgid), words(msgid)) for unit, msgid in units]
        counts = Counter(word for _unit, _length, found in keyed for word in found)
        ids = self._word_ids(counts)
        rows = ((ids[word], length, unit) for unit, length, found in keyed for word in found)
        if sign > 0:  # inserted in key order: one walk along the postings' B-tree, not a descent per row
            con.execute("CREATE TEMP TABLE IF NOT EXISTS new_keys (word INTEGER, length INTEGER, unit INTEGER)")
            con.executemany("INSERT INTO new_keys VALUES (?, ?, ?)", rows)
            con.execute("INSERT INTO keys SELECT word, length, unit FROM new_keys ORDER BY word, length, unit")
            con.execute("DELETE FROM new_keys")
        else:
            con.executemany("DELETE FROM keys WHERE word = ? AND length = ? AND unit = ?", rows)
        con.executemany("UPDATE words SET units = units + ? WHERE id = ?",
                        ((sign * n, ids[word]) for word, n in counts.items()))
        if sign < 0:
            con.executemany("DELETE FROM words WHERE id = ? AND units <= 0", ((ids[word],) for word in counts))

    def _word_ids(self, found: Iterable[str]) -> dict[str, int]:
        """The id of each of these words in ``words``; the words not there yet are added (in no unit)."""
        con = self._con
        found = list(found)
        ids: dict[str, int] = {}
        for places, chunk in _batches(found):
            ids.update(con.execute(f"SELECT word, id FROM words WHERE word IN ({places})", chunk))
        missing = [word for word in found if word not in ids]
        first = con.execute("SELECT coalesce(max(id), 0) + 1 FROM words").fetchone()[0]
        ids.update((word, first + n) for n, word in enumerate(missing))
        con.executemany("INSERT INTO words (id, word, units) VALUES (?, ?, 0)", ((ids[w], w) for w in missing))
        return ids

    # ------------------------------------------------------------ lookups

    def _execute(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Rows of a query; damage found now ends the run in one line, and the index is removed to be rebuilt."""
        try:
            return self._con.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as error:
            self._con.close()
            _remove(self.path)
            raise L10nError(f"{self.path}: the translation memory index is damaged ({error}); it was removed, "
                            "run the command again to rebuild it") from None

    def _execute_in(self, sql: str, values: list) -> list[tuple]:
        """Rows of a query whose ``IN ({})`` takes ``values``, asked in batches (old SQLite binds 999 at most)."""
        return [row for places, chunk in _batches(values) for row in self._execute(sql.format(places), chunk)]

    def lookup(self, msgid: str) -> Match | None:
        """The reviewed translation of exactly this unit, or None."""
        row = self._execute("SELECT msgstr, source FROM units WHERE msgid = ?", (msgid,))
        return None if not row else Match(row[0][0], row[0][1])

    def closest(self, msgid: str, threshold: float) -> Match | None:
        """As :meth:`TranslationMemory.closest`, among the :meth:`candidates` (ties: the first in file order)."""
        if threshold > 100 or not self._len:
            return None
        exact = self.lookup(msgid)
        if exact is not None:
            return Match(exact.msgstr, exact.source, 100.0, msgid)
        from rapidfuzz import fuzz

        best, score = [], -1.0
        for text in self.candidates(msgid, threshold):
            found = fuzz.ratio(msgid, text, processor=None)
            if found < threshold or found < score:
                continue
            if found > score:
                best, score = [text], found
            else:
                best.append(text)
        if not best:
            return None
        text = best[0] if len(best) == 1 else self._first(best)
        match = self.lookup(text)
        return Match(match.msgstr, match.source, score, text)

    def candidates(self, msgid: str, threshold: float) -> list[str]:
        """The units that may be at least ``threshold`` percent similar to ``msgid``, most likely first."""
        low, high = length_window(len(msgid), threshold)
        fitting = self._fitting(low, high)
        keys = self._rare_words(msgid, fitting / self._len) if threshold > 0 else []
        if not keys:  # no word rare enough to choose by: every unit of a fitting length, unless too many
            return [] if fitting > SCAN else [row[0] for row in self._execute(
                "SELECT msgid FROM units WHERE length BETWEEN ? AND ?", (low, high))]
        ids = [row[0] for row in self._execute(
            f"SELECT unit, count(*) AS shared FROM keys WHERE word IN ({','.join('?' * len(keys))}) "
            "AND length BETWEEN ? AND ? GROUP BY unit ORDER BY shared DESC, abs(length - ?), unit LIMIT ?",
            (*keys, low, high, len(msgid), CANDIDATES))]
        texts = dict(self._execute_in("SELECT id, msgid FROM units WHERE id IN ({})", ids))
        return [texts[i] for i in ids]

    def _rare_words(self, msgid: str, share: float) -> list[int]:
        """The ids of the query's rarest words, ``share`` of whose units are expected to have a fitting length:
        while each has at most ``COMMON`` such units, at least ``MIN_WORDS``, then within ``BUDGET`` in all."""
        found = list(words(msgid))
        counted = sorted((units, word) for word, units in self._execute_in(
            "SELECT id, units FROM words WHERE word IN ({})", found))[:_BATCH]
        chosen, total = [], 0.0
        for units, word in counted:
            expected = units * share
            if expected > COMMON or (len(chosen) >= MIN_WORDS and total + expected > BUDGET):
                break
            chosen.append(word)
            total += expected
        return chosen

    def _fitting(self, low: int, high: int) -> int:
        """How many units have a length from ``low`` to ``high`` (from the lengths, counted once)."""
        if self._lengths is None:
            rows = self._execute("SELECT length, count(*) FROM units GROUP BY length ORDER BY length")
            self._lengths = ([length for length, _n in rows], [0, *itertools.accumulate(n for _length, n in rows)])
        lengths, below = self._lengths
        return below[bisect.bisect_right(lengths, high)] - below[bisect.bisect_left(lengths, low)]

    def _first(self, texts: list[str]) -> str:
        """Of equally similar units, the one the linear scan meets first: the earliest in file order."""
        rows = self._execute_in("SELECT p.msgid, f.rank, p.pos FROM pairs p JOIN files f ON f.id = p.file "
                                "WHERE p.msgid IN ({})", texts)
        return min(rows, key=lambda row: (row[1], row[2]))[0]

    def __len__(self) -> int:
        return self._len

    def __contains__(self, msgid: str) -> bool:
        return bool(self._execute("SELECT 1 FROM units WHERE msgid = ?", (msgid,)))


def _batches(values: list):
    """``values`` in slices of ``_BATCH``, each with its ``?`` placeholders."""
    for start in range(0, len(values), _BATCH):
        chunk = values[start:start + _BATCH]
        yield ",".join("?" * len(chunk)), chunk


def _create(con: sqlite3.Connection) -> None:
    for statement in _TABLES.strip().split(";\n"):
        if statement.strip():
            con.execute(statement)
    con.execute(f"PRAGMA user_version = {SCHEMA}")


def _pairs(language: str, catalog, source: str) -> list[tuple]:
    """The reviewed pairs of a catalog, as :meth:`TranslationMemory.rows` gives them."""
    memory = TranslationMemory(language)
    memory.add(catalog, source)
    return list(memory.rows())


def _read_pairs(context: tuple, task: tuple) -> tuple[int, list[tuple]]:
    """(file id, its pairs) for a catalog read with ``read``: a worker's task."""
    language, read = context
    file_id, path, source = task
    return file_id, _pairs(language, read(path), source)


def _settled(old: tuple, path: Path, source: str) -> bool:
    """Whether a file is as recorded, without reading it: the same size, mtime and name, and hashed long after
    its mtime (so that a later write, even within the file system's timestamp granularity, changes the mtime)."""
    stat = os.stat(path)
    return ((old[2], old[3], old[5]) == (stat.st_size, stat.st_mtime_ns, source)
            and stat.st_mtime_ns + SETTLED_NS < old[7])


def _fingerprint(path: Path) -> tuple[int, int, str]:
    """Size, modification time and hash of the bytes of a file, taken from one open file."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        digest = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    return stat.st_size, stat.st_mtime_ns, digest
