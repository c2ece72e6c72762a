"""The journal of a translate run: machine translations appended batch by batch, for a resume after a kill."""

from __future__ import annotations

import json
from pathlib import Path

JOURNAL_NAME = "translate-journal.jsonl"


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

    def load(self, signature: str) -> dict[str, tuple[str, float]]:
        known: dict[str, tuple[str, float]] = {}
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return known
        for line in data.splitlines():
            try:  # a line cut short (a kill, a full disk), even inside a character, is no row
                row = json.loads(line.decode("utf-8"))
                if row["e"] == signature:
                    known[str(row["s"])] = (str(row["t"]), float(row["c"]))
            except (ValueError, KeyError, TypeError):
                continue
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
