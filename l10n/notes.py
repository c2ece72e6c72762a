"""Our translator-comment lines (``# l10n: …``): where a suggestion came from, and what to check.

All our lines start with ``l10n: ``; a refresh replaces only those, so a
translator's own comment lines stay. :func:`provenance` reads them back for
``status``, ``check`` and the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib

NOTE = "l10n: "
_MACHINE = re.compile(r"^l10n: machine translation(?P<pieces> in pieces around protected text)?, "
                      r"(?P<engine>.+), confidence (?P<confidence>\d+(?:\.\d+)?)$")
_MEMORY = re.compile(r"^l10n: from translation memory(?:, (?P<score>\d+)% match)? \((?P<source>.+)\)$")
_CHECK = re.compile(r"^l10n: check: (?P<problem>.+)$")


@dataclass(frozen=True)
class Provenance:
    """Where an entry's translation came from, as our comment lines say.

    ``kind`` is ``machine``, ``memory``, ``glossary``, ``copy`` or ``""``
    (no note of ours); ``checks`` lists problems for the QA step.
    """

    kind: str = ""
    engine: str = ""
    confidence: float | None = None
    source: str = ""
    pieces: bool = False
    checks: tuple[str, ...] = ()
    score: int | None = None  # a similar unit's translation from memory: its similarity in percent

    @property
    def aligned(self) -> bool:
        """Whether the translation came from memory that ``l10n memory align`` found in translated articles."""
        return self.kind == "memory" and self.source.startswith(ALIGNED)


def machine_note(engine: str, confidence: float, pieces: bool = False) -> str:
    how = "machine translation in pieces around protected text" if pieces else "machine translation"
    return f"{NOTE}{how}, {engine}, confidence {confidence:.2f}"


def memory_note(source: str, score: float | None = None) -> str:
    """Where a translation from memory came from; ``score``: a similar unit's, this similar (percent)."""
    match = f", {int(score)}% match" if score is not None else ""
    return f"{NOTE}from translation memory{match} ({source})"


IMPORTED = "imported from "
ALIGNED = "aligned from "


def imported_source(origin: str, aligned: bool = False) -> str:
    """The name a pair of the imported memory goes by in a note: ``imported from coreutils.po``,
    ``aligned from de/a.txt ↔ en/a.txt`` (``l10n memory align``), or ``imported memory`` without an origin."""
    if not origin:
        return "aligned memory" if aligned else "imported memory"
    return f"{ALIGNED if aligned else IMPORTED}{origin}"


def check_note(problem: str) -> str:
    return f"{NOTE}check: {problem}"


GLOSSARY_NOTE = f"{NOTE}from the glossary (nothing else to translate)"
COPY_NOTE = f"{NOTE}copied from the source (nothing to translate)"


def provenance_lines(entry: polib.POEntry) -> list[str]:
    """Our comment lines of ``entry``."""
    return [line for line in entry.tcomment.split("\n") if line.startswith(NOTE)] if entry.tcomment else []


def set_notes(entry: polib.POEntry, notes: list[str]) -> None:
    """Replace our comment lines of ``entry`` with ``notes``, keeping every other line."""
    kept = [line for line in entry.tcomment.split("\n") if not line.startswith(NOTE)] if entry.tcomment else []
    entry.tcomment = "\n".join(kept + notes)


def provenance(entry: polib.POEntry) -> Provenance:
    """Read our comment lines back (see :func:`machine_note` and friends)."""
    kind, engine, confidence, source, pieces, checks, score = "", "", None, "", False, [], None
    for line in (entry.tcomment or "").split("\n"):
        if not line.startswith(NOTE):
            continue
        if m := _MACHINE.match(line):
            kind, engine, confidence = "machine", m["engine"], float(m["confidence"])
            pieces = bool(m["pieces"])
        elif m := _MEMORY.match(line):
            kind, source = "memory", m["source"]
            score = int(m["score"]) if m["score"] else None
        elif m := _CHECK.match(line):
            checks.append(m["problem"])
        elif line == GLOSSARY_NOTE:
            kind = "glossary"
        elif line == COPY_NOTE:
            kind = "copy"
    return Provenance(kind, engine, confidence, source, pieces, tuple(checks), score)
