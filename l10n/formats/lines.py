"""Lines of a source article and the skip rules, shared by the formats.

A line ends at ``\\r\\n``, ``\\r`` or ``\\n`` (nothing else: no ``\\x85``,
``\\u2028``). A skip rule whose pattern matches a line takes that line, its
block (the run of non-blank lines around it) or the rest of the article out
of translation; see :class:`l10n.config.SkipRule`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ..config import SkipRule


@dataclass
class Line:
    start: int  # offset of the first character
    end: int  # offset after the content, before the line end
    stop: int  # offset after the line end
    number: int
    blank: bool
    skip: SkipRule | None = None


def split_lines(text: str) -> list[Line]:
    """The lines of ``text``; a leading byte order mark belongs to no line."""
    lines = []
    start = stop = 1 if text.startswith("\ufeff") else 0
    # str.splitlines() also breaks at \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029:
    # a piece that ends in one of those goes on into the next one.
    for piece in text[start:].splitlines(keepends=True):
        stop += len(piece)
        if piece.endswith("\r\n"):
            end = stop - 2
        elif piece.endswith(("\r", "\n")):
            end = stop - 1
        elif stop < len(text):
            continue
        else:
            end = stop
        content = text[start:end]
        lines.append(Line(start, end, stop, len(lines) + 1, not content or content.isspace()))
        start = stop
    return lines


def mark_skipped(text: str, lines: list[Line], rules: tuple[SkipRule, ...],
                 candidates: Callable[[Line], Sequence[str]] | None = None) -> None:
    """Set ``line.skip`` on every line a rule takes out of translation.

    A rule matches a line when its pattern is found in one of
    ``candidates(line)`` (by default the line's text); lines it gives no
    candidates for are never matched, though a block or rest scope still covers them.
    """
    for i, line in enumerate(lines):
        if line.blank or line.skip:
            continue
        texts = candidates(line) if candidates else (text[line.start:line.end],)
        rule = next((r for r in rules if any(r.pattern.search(t) for t in texts)), None)
        if rule is None:
            continue
        if rule.scope == "line":
            covered = [line]
        elif rule.scope == "rest":
            covered = lines[i:]
        else:
            first = i
            while first > 0 and not lines[first - 1].blank:
                first -= 1
            last = i
            while last + 1 < len(lines) and not lines[last + 1].blank:
                last += 1
            covered = lines[first:last + 1]
        for other in covered:
            if not other.blank and other.skip is None:
                other.skip = rule


def skipped_runs(lines: list[Line]) -> Iterator[tuple[int, int, bool]]:
    """Spans ``(start, stop, drop)`` of skipped lines.

    Blank lines that only separated dropped blocks are dropped too.
    """
    runs: list[list[Line]] = [[]]  # runs[i]: the blank lines before block i; the last one trails
    blocks: list[list[Line]] = []
    for line in lines:
        if line.blank:
            runs[-1].append(line)
        elif blocks and not runs[-1]:
            blocks[-1].append(line)
        else:
            blocks.append([line])
            runs.append([])
    runs[-1:] = [runs[-1]] if blocks else []
    drop_runs = set()
    for index, block in enumerate(blocks):
        for line in block:
            if line.skip:
                yield line.start, line.stop, line.skip.publish == "drop"
        if all(line.skip and line.skip.publish == "drop" for line in block):
            drop_runs.add(index if index else 1)
            if index == len(blocks) - 1:
                drop_runs.add(len(blocks))
    for index in sorted(drop_runs):
        if index < len(runs) and runs[index]:
            yield runs[index][0].start, runs[index][-1].stop, True
