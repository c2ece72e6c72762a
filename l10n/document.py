"""A source article as skeleton plus translatable units.

Every format reads bytes into a :class:`Document` and renders it back. The
document is a flat list of parts: skeleton text kept as it is, text that is
skipped (kept verbatim, or dropped when publishing), and units to translate;
a format finds the units and skipped text, and :meth:`Document.from_spans`
fills the gaps with skeleton. Rendering with no translations gives back the
source bytes exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .errors import L10nError


@dataclass(frozen=True)
class Unit:
    """One translatable piece: a title, heading, list item, caption or sentence.

    ``text`` is the message id (inner line breaks folded to spaces); ``source``
    is the exact slice of the article it came from; ``note`` tells the
    translator what it is, e.g. ``paragraph 3, sentence 2``.
    """

    text: str
    source: str
    kind: str
    line: int
    note: str

    def encode(self, text: str) -> str:
        """A translation as it is written in place of ``source``; formats that must escape override this."""
        return text


@dataclass(frozen=True)
class Skipped:
    """Text a skip rule leaves untranslated; ``drop`` leaves it out of published output."""

    text: str
    drop: bool


Part = str | Unit | Skipped


@dataclass
class Document:
    """An article: ``path`` relative to the project, parts in source order."""

    path: str
    parts: list[Part] = field(default_factory=list)

    @classmethod
    def from_spans(cls, path: str, text: str, spans: Iterable[tuple[int, int, Unit | Skipped]]) -> Document:
        """The document of ``text`` whose units and skipped parts lie at ``(start, end)``; the gaps are skeleton.

        Spans are placed in order of their start (a stable sort). A unit that
        would overlap a part placed before it is left out (its text stays in
        the skeleton); overlapping skipped text is a bug.
        """
        doc = cls(path)
        pos = 0
        for start, end, part in sorted(spans, key=lambda span: span[0]):
            if start < pos:  # never expected
                if isinstance(part, Unit):
                    continue
                raise AssertionError(f"{path}: overlapping parts at offset {start}")
            if start > pos:
                doc.parts.append(text[pos:start])
            doc.parts.append(part)
            pos = end
        if pos < len(text):
            doc.parts.append(text[pos:])
        return doc

    def units(self) -> Iterator[Unit]:
        return (part for part in self.parts if isinstance(part, Unit))

    def render(self, translate: Callable[[Unit], str | None] = lambda unit: None, publish: bool = False) -> bytes:
        """The article with each unit replaced by ``translate(unit)`` where that is not None.

        A translation equal to the unit's text keeps the source slice, so
        identity rendering reproduces the source bytes. With ``publish``,
        skipped parts marked ``drop`` are left out.
        """
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Skipped):
                if not (publish and part.drop):
                    out.append(part.text)
            else:
                text = translate(part)
                out.append(part.source if text is None or text == part.text else part.encode(text))
        return "".join(out).encode("utf-8")


def decode_source(data: bytes, path: str) -> str:
    """Source bytes as text; invalid UTF-8, empty or binary input is a clear error."""
    if not data.strip():
        raise L10nError(f"{path}: empty file, nothing to translate")
    nul = data.find(b"\0")
    if nul >= 0:
        raise L10nError(f"{path}: byte {nul}: binary file (NUL byte), expected UTF-8 text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise L10nError(f"{path}: byte {exc.start}: not valid UTF-8 ({exc.reason})") from None
