"""The block structure of a published page: what publishing checks, and ``l10n check`` reports.

Every translation is written so that it cannot start a block where its unit
starts a line, nor end one (:mod:`.encoding`). What can still change the
page's blocks (a ``|`` that makes a paragraph line a table header over a
line of dashes, blank translations) is found here:
the rendered page and the source are parsed with the reader's markdown-it
set-up and their block tokens compared (type, nesting, tag, markup and
level; not content). :func:`unsafe_units` names the units whose translation
publishing must not use; :func:`problems` says for one catalog entry what
publishing does with it.
"""

from __future__ import annotations

from collections.abc import Callable

from ...document import Document, Unit
from .encoding import START, EncodedUnit, encode, opens_block
from .frontmatter import TOML_FENCE
from .parser import MD, NEWLINES

Translate = Callable[[Unit], "str | None"]
Blocks = list[tuple[str, int, str, str, int]]

# what a block token is, in a message
_NAMES = {"paragraph": "a paragraph", "bullet_list": "a list", "ordered_list": "a numbered list",
          "list_item": "a list item", "heading": "a heading", "blockquote": "a quote", "table": "a table",
          "thead": "a table header", "tbody": "a table body", "tr": "a table row", "th": "a table cell",
          "td": "a table cell", "hr": "a horizontal rule", "code_block": "a code block", "fence": "a code block",
          "html_block": "an HTML block", "footnote_reference": "a footnote", "inline": "text",
          "front_matter": "the front matter"}


def blocks(page: str | bytes) -> Blocks:
    """The block structure of a Markdown page: (type, nesting, tag, markup, level) of each block token."""
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    text = NEWLINES.sub("\n", text[1:] if text.startswith("\ufeff") else text)
    lines = text.split("\n")
    if TOML_FENCE.fullmatch(lines[0]):  # blanked out as the reader does: it is no Markdown
        end = next((k for k in range(1, len(lines)) if TOML_FENCE.fullmatch(lines[k])), None)
        if end is not None:
            text = "\n".join([""] * (end + 1) + lines[end + 1:])
    return [(t.type, t.nesting, t.tag, t.markup, t.level) for t in MD.parse(text, {})]


def unsafe_units(doc: Document, translate: Translate) -> list[Unit]:
    """The units whose translation (``translate(unit)``, None: none) would change the page's block structure.

    The page is rendered as publishing renders it; if its blocks are those
    of the source, none. Otherwise each translated unit is tried alone in
    the source page, and the ones that change it are named; should the rest
    together still change it (two translations that only break the page
    together), the others are added back one at a time, and each that
    changes it is named too. Publishing the page with the named units in the
    source text gives the source's blocks.
    """
    want = blocks(doc.render(publish=True))
    if blocks(doc.render(translate, publish=True)) == want:
        return []
    translated = [unit for unit in doc.units() if translate(unit) not in (None, unit.text)]
    unsafe = [unit for unit in translated if blocks(_alone(doc, unit, translate(unit))) != want]
    named = {id(unit) for unit in unsafe}
    if blocks(doc.render(lambda unit: None if id(unit) in named else translate(unit), publish=True)) != want:
        used: set[int] = set()
        for unit in translated:
            if id(unit) in named:
                continue
            trial = used | {id(unit)}
            if blocks(doc.render(lambda u: translate(u) if id(u) in trial else None, publish=True)) == want:
                used = trial
            else:
                unsafe.append(unit)
                named.add(id(unit))
    return unsafe


def _alone(doc: Document, unit: Unit, text: str | None) -> bytes:
    return doc.render(lambda part: text if part is unit else None, publish=True)


def problems(doc: Document, msgid: str, translation: str) -> list[tuple[bool, str]]:
    """What publishing does with ``translation`` for the units ``msgid`` of ``doc``: ``(kept, message)`` each.

    ``kept``: the translation would change the page's blocks, so publishing
    keeps the source text of the unit; otherwise the messages say what it
    escapes or folds so that the page keeps its blocks (a line break made a
    space, ``1.`` at the start of a line written ``1\\.``).
    """
    found: dict[str, bool] = {}
    want: Blocks | None = None
    for unit in doc.units():
        if unit.text != msgid or translation == msgid:
            continue
        notes: list[tuple[str, str, str]] = []
        written = encode(unit, translation, notes) if isinstance(unit, EncodedUnit) else unit.encode(translation)
        if _may_change(unit, written, notes):
            want = want if want is not None else blocks(doc.render(publish=True))
            have = blocks(_alone(doc, unit, translation))
            if have != want:
                found.setdefault(f"it would change the page's structure ({_difference(want, have)}): "
                                 "publish keeps the source text", True)
                continue
        for what, line, escaped in notes:
            found.setdefault(_repair(unit, what, line, escaped), False)
    return [(kept, message) for message, kept in found.items()]


def _may_change(unit: Unit, written: str, notes: list) -> bool:
    """Whether the encoded translation ``written`` can change blocks at all (else no page is parsed).

    Written on one line, not blank, with no ``|`` or backslash, and with its
    line start escaped, a translation is text in its block.
    """
    if not written.strip() or any(ch in written for ch in "|\\\r\n") or notes:
        return True
    start = getattr(unit, "encoding", ())[-1:] == (START,)
    return start and not written[:1].isalpha()


def _repair(unit: Unit, what: str, line: str, escaped: str) -> str:
    if what == "line break":
        place = {"item": "list item", "quote": "quote", "footnote": "footnote", "heading": "heading",
                 "table cell": "table cell"}.get(unit.kind, "paragraph")
        return f"a line break in the translation is published as a space: a new line could leave the {place}"
    if line[:1].isspace():
        if escaped == line.lstrip():
            return f"leading indentation at the start of a line would begin {what}: published without it"
        line = line.lstrip()
        what = opens_block(line) or what
    shown, done = line.split(None, 1)[0][:12], escaped.split(None, 1)[0][:14]
    return f"“{shown}” at the start of a line would begin {what}: published as “{done}”"


def _difference(want: Blocks, have: Blocks) -> str:
    """The first block that differs, in words: ``a table where the source has a paragraph``."""
    for k in range(max(len(want), len(have))):
        a = want[k] if k < len(want) else None
        b = have[k] if k < len(have) else None
        if a != b:
            break
    else:  # pragma: no cover - only called when they differ
        return "the same blocks"
    if b is None:
        return f"{_name(a)} of the source would be lost"
    if a is None:
        return f"{_name(b)} after the end of the page"
    if (a[0], a[2]) == (b[0], b[2]):
        return f"{_name(b)} would be nested otherwise"
    return f"{_name(b)} where the source has {_name(a)}"


def _name(token: tuple) -> str:
    kind = token[0].removesuffix("_open").removesuffix("_close")
    name = _NAMES.get(kind, kind.replace("_", " "))
    return f"the end of {name}" if token[1] < 0 else name
