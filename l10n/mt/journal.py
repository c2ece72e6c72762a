"""The journal of a translate run: machine translations appended batch by batch, for a resume after a kill."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..fsutil import scratch_db

JOURNAL_NAME = "translate-journal.jsonl"
_SLICE = 1_000  # journal lines taken into a Known at a time, and texts looked up in one query
_ROWS = 200  # rows inserted by one statement (four values each)


class Known(Mapping):
    """Translations by source text (text → (translation, confidence)), kept in a private temporary SQLite database.

    Such a database is on disk beyond its small page cache, and removed
    when closed; so what a run translated does not stay in its memory,
    however many texts that is. Each text also records whether it came
    from an interrupted run's journal (:meth:`found`).
    """

    def __init__(self):
        self._db = scratch_db()
        self._db.execute("CREATE TABLE known (source TEXT PRIMARY KEY, target TEXT, confidence REAL, "
                         "recovered INTEGER) WITHOUT ROWID")

    def add(self, rows: Iterable[tuple[str, str, float]], recovered: bool = False) -> None:
        """Keep (text, translation, confidence) rows; a later row of a text replaces an earlier one.

        Rows go in a few statements, not one each (see :meth:`found`).
        """
        rows = list(rows)
        for start in range(0, len(rows), _ROWS):
            part = rows[start:start + _ROWS]
            self._db.execute("INSERT OR REPLACE INTO known VALUES " + ",".join(["(?, ?, ?, ?)"] * len(part)),
                             [v for s, t, c in part for v in (s, t, c, int(recovered))])

    def __getitem__(self, text: str) -> tuple[str, float]:
        row = self._db.execute("SELECT target, confidence FROM known WHERE source = ?", (text,)).fetchone()
        if row is None:
            raise KeyError(text)
        return row[0], row[1]

    def found(self, texts: list[str]) -> dict[str, tuple[str, float, bool]]:
        """Those of ``texts`` known: text → (translation, confidence, whether from an interrupted run's journal).

        A few queries for many texts, not one each: each query lets go of the
        GIL, and waits to get it back while another thread runs Python.
        """
        out = {}
        for start in range(0, len(texts), _SLICE):
            part = texts[start:start + _SLICE]
            query = ("SELECT source, target, confidence, recovered FROM known "
                     f"WHERE source IN ({','.join('?' * len(part))})")
            out.update((s, (t, c, bool(r))) for s, t, c, r in self._db.execute(query, part))
        return out

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT source FROM known"))

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM known").fetchone()[0]

    def close(self) -> None:
        self._db.close()


class Journal:
    """Machine translations of this run, one JSON line per unit, appended after every batch.

    A run that is killed leaves it behind; the next run takes from it every
    translation made with the same engine and settings, instead of asking
    the model again. A run that finishes deletes it. A line cut short by the
    kill is ignored.
    """

    def __init__(self, path: Path):
        self.path = path
        self._file = None

    def load(self, signature: str) -> Known:
        """The translations journaled with ``signature``, read line by line, marked recovered."""
        known = Known()
        try:
            lines = open(self.path, "rb")
        except FileNotFoundError:
            return known
        with lines:
            rows = []
            for line in lines:
                try:  # a line cut short (a kill, a full disk), even inside a character, is no row
                    row = json.loads(line.decode("utf-8"))
                    if row["e"] == signature:
                        rows.append((str(row["s"]), str(row["t"]), float(row["c"])))
                except (ValueError, KeyError, TypeError):
                    continue
                if len(rows) >= _SLICE:
                    known.add(rows, recovered=True)
                    rows = []
            known.add(rows, recovered=True)
        return known

    def append(self, signature: str, rows: list[tuple[str, str, float]]) -> None:
        if not rows:
            return
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "ab")
            if self._file.tell():
                self._file.write(b"\n")  # whatever an earlier run cut short ends here
        self._file.write("".join(json.dumps({"e": signature, "s": s, "t": t, "c": round(c, 6)},
                                            ensure_ascii=False) + "\n" for s, t, c in rows).encode("utf-8"))
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)
