"""The ``markup`` check: the inline markup of the source kept in the translation.

:func:`markup_problems` is the comparison; ``l10n publish`` uses it too, to
keep a unit whose translation breaks the markup in the source language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .common import blank
from .registry import ERROR, Context, check

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?\s*/?>")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK_TARGET = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+[\"'(][^)]*)?\)")
_MARKERS = re.compile(r"\*\*|__|~~|(?<![*\w])\*(?=\S)|(?<=\S)\*(?![*\w])")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_MARKUP_CHAR = re.compile(r"[<`\]*_~()\[{}]")  # what any of the patterns below starts from
_CLOSING = frozenset(_BRACKETS.values())
_NOT_BRACKETS = re.compile(r"[^()\[\]{}]+")


def _balanced(text: str) -> bool:
    stack = []
    for c in _NOT_BRACKETS.sub("", text):
        if c in _BRACKETS:
            stack.append(_BRACKETS[c])
        elif c in _CLOSING:
            if not stack or stack.pop() != c:
                return False
    return not stack


@check("markup", ERROR, "Inline markup kept: HTML tags, Markdown code, links and emphasis markers, "
                        "balanced brackets.")
def markup_problems(source: str, target: str, context: Context) -> list[str]:
    """What the translation breaks of the source's inline markup, one message each ([] when nothing).

    In an article whose format checks markup (Markdown, ``context.format_markup``)
    that comparison decides; otherwise tags, code, link targets, emphasis
    markers and brackets are compared as plain text.
    """
    if context.format_markup is not None:  # a Markdown article: its markup as Markdown reads it
        return list(context.format_markup(source, target))
    return list(_plain_markup(source, target, context))


def _plain_markup(source: str, target: str, ctx: Context) -> Iterator[str]:
    # Each comparison is skipped where neither text has what its pattern needs (a text without
    # "<" has no tag, and so on): it could find nothing.
    if not _MARKUP_CHAR.search(source) and not _MARKUP_CHAR.search(target):
        return
    for name, pattern, group, needs in (("tag", _TAG, 0, "<"), ("code", _CODE, 0, "`"),
                                        ("link target", _LINK_TARGET, 1, "](")):
        if needs not in source and needs not in target:
            continue
        src = Counter(m.group(group) for m in pattern.finditer(source))
        tgt = Counter(m.group(group) for m in pattern.finditer(target))
        for text in (src - tgt):
            yield f"{name} {text} is missing"
        for text in (tgt - src):
            yield f"{name} {text} is not in the source"
    if not any(m in source or m in target for m in ("*", "__", "~~")) and not any(c in target for c in "()[]{}"):
        return  # no emphasis marker in either text, no bracket in the translation
    plain_src = _CODE.sub(" ", blank(source, ctx.links))
    plain_tgt = _CODE.sub(" ", blank(target, ctx.links))
    src = Counter(m.group() for m in _MARKERS.finditer(plain_src))
    tgt = Counter(m.group() for m in _MARKERS.finditer(plain_tgt))
    for marker in sorted(set(src) | set(tgt)):
        if src[marker] != tgt[marker]:
            yield f"emphasis marker {marker} appears {tgt[marker]} times, {src[marker]} in the source"
    if _balanced(plain_src) and not _balanced(plain_tgt):
        counts = "; ".join(f"{plain_tgt.count(o)} “{o}” and {plain_tgt.count(c)} “{c}”"
                           for o, c in _BRACKETS.items() if plain_tgt.count(o) != plain_tgt.count(c))
        yield f"brackets do not pair up in the translation: {counts or 'wrongly nested'}"

