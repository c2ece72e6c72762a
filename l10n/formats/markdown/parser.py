"""The markdown-it-py parser l10n reads Markdown with, and what it records of the source while parsing.

CommonMark plus GFM tables and strikethrough, and the mdit-py-plugins front
matter and footnote plugins. Block rules keep where each line's content
starts and ends (for HTML blocks too, whose prose :mod:`.htmlprose` finds); inline
rules, while a :class:`Positions` is in the environment under :data:`REC`,
record the offsets of what they matched (:func:`.sitesyntax.positions` adds
the site generators' tags).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

try:  # markdown-it-py 4 trims block content with JavaScript's set of whitespace, older versions with Python's
    from markdown_it.common.utils import MD_TRIM_CHARS
except ImportError:  # pragma: no cover
    MD_TRIM_CHARS = None  # type: ignore[assignment]

NEWLINES = re.compile(r"\r\n?")  # the parser reads \n line ends only
REC = "l10n.positions"  # the environment key of the Positions being recorded

# inline rules whose match no sentence boundary may cut and whose letters are no prose
_OPAQUE = frozenset({"backticks", "autolink", "html_inline", "entity", "footnote_ref"})
# inline rules whose whole match a model must not change, and the kind of protected span they make
_PROTECT = {"backticks": "code", "autolink": "autolink", "html_inline": "html"}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin, move_to_end=False)
    # Inline content is parsed by the reader, block by block, from text it cut itself.
    md.disable("inline")
    for rule in md.block.ruler.__rules__:
        if rule.name in ("paragraph", "heading", "lheading", "table", "html_block"):
            md.block.ruler.at(rule.name, _block_recorder(rule.fn), {"alt": rule.alt})
    for rule in md.inline.ruler.__rules__:
        md.inline.ruler.at(rule.name, _inline_recorder(rule.name, rule.fn), {"alt": rule.alt})
    return md


def _block_recorder(fn):
    """Wrap a block rule: its inline tokens remember where each line's content starts and ends."""

    def rule(state, start_line, end_line, silent):
        before = len(state.tokens)
        ok = fn(state, start_line, end_line, silent)
        if ok and not silent:
            for token in state.tokens[before:]:
                if token.type in ("inline", "html_block") and token.map and "l10n" not in token.meta:
                    token.meta["l10n"] = [(line, min(state.bMarks[line] + state.tShift[line], state.eMarks[line]),
                                           state.eMarks[line]) for line in range(*token.map)]
        return ok

    return rule


@dataclass
class Positions:
    """What the inline rules matched in one piece of inline text, by offset."""

    tokens: list[Token] = field(default_factory=list)
    atoms: list[tuple[int, int]] = field(default_factory=list)  # markup a sentence boundary may not cut
    opaque: list[tuple[int, int]] = field(default_factory=list)  # text that is not prose (code, URLs, HTML)
    hard_breaks: list[tuple[int, int]] = field(default_factory=list)
    # HTML comments and layout-only site tags ({{< /note >}}, {% endif %}): trimmed off the ends of units
    comments: list[tuple[int, int]] = field(default_factory=list)
    # What the sentence splitter sees as spaces: emphasis markers, footnote references and the ``](url "title")``
    # of links, so that ``**Satz.** Satz.`` and ``Satz.[^1] Satz.`` split and a title ``"bzw."`` does not.
    hidden: list[tuple[int, int]] = field(default_factory=list)
    images: list[tuple[int, int, int, Token]] = field(default_factory=list)  # start, end, label end, token
    delimiters: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(token) -> offset, length
    protect: list[tuple[int, int, str]] = field(default_factory=list)  # see protected_spans
    # text parameters of tags (caption="…", <abbr title="…">): start, end, note, how a quote is escaped in them
    values: list[tuple[int, int, str, str]] = field(default_factory=list)


def _inline_recorder(name: str, fn):
    """Wrap an inline rule: record the offsets of what it matched (see :class:`Positions`)."""

    def rule(state, silent):
        rec = state.env.get(REC)
        if silent or rec is None or state.tokens is not rec.tokens:
            return fn(state, silent)
        start, before = state.pos, len(state.tokens)
        ok = fn(state, silent)
        if ok:
            _note(rec, name, state, start, before)
        return ok

    return rule


def _note(rec: Positions, name: str, state, start: int, before: int) -> None:
    end = state.pos
    new = state.tokens[before:]
    if name in _PROTECT:
        rec.protect.append((start, end, _PROTECT[name]))
    if name in _OPAQUE:
        rec.atoms.append((start, end))
        rec.opaque.append((start, end))
        if name == "html_inline" and state.src.startswith("<!--", start):
            rec.comments.append((start, end))
        elif name == "footnote_ref":
            rec.hidden.append((start, end))
    elif name == "footnote_inline":  # ^[text of the note]
        rec.atoms.append((start, end))
    elif name == "link":
        rec.atoms.append((start, end))
        label_end = parseLinkLabel(state, start, True)
        rec.opaque.append((label_end if label_end > start else start, end))
        if label_end > start:
            rec.hidden.append((label_end, end))
            if state.src.startswith("](", label_end):
                rec.protect.append((label_end, end, "link"))
    elif name == "image":
        rec.atoms.append((start, end))
        label_end = start + 2 + len(new[-1].content)
        rec.opaque.append((label_end, end))
        rec.hidden.append((label_end, end))
        rec.images.append((start, end, label_end, new[-1]))
        if state.src.startswith("](", label_end):
            rec.protect.append((label_end, end, "link"))
    elif name in ("newline", "escape"):
        if any(token.type == "hardbreak" for token in new):
            first = start
            while name == "newline" and first > 0 and state.src[first - 1] == " ":
                first -= 1
            rec.hard_breaks.append((first, end))
    elif name in ("emphasis", "strikethrough"):
        # the rule pushed one text token per delimiter, after any pending text
        pos = end
        for token in reversed(new):
            if pos <= start:
                break
            pos -= len(token.content)
            rec.delimiters[id(token)] = (pos, len(token.content))


MD = _parser()
