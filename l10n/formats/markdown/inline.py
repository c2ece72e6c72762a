"""Inline Markdown of a unit and its translation: the markup a model must not change, the markup kept.

:func:`protected_spans` is what ``l10n translate`` replaces by placeholders;
:func:`check_markup` is the ``markup`` check of ``l10n check`` for Markdown
articles, which ``l10n publish`` uses too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from markdown_it import MarkdownIt

from .sitesyntax import html_signature, masked_for_check, positions, tag_problems

# A plain inline parser for comparing a unit with its translation; escaped characters stay apart from text.
_CHECKER = MarkdownIt("commonmark").enable(["strikethrough"]).disable("text_join")
_EMPHASIS = {"strong_open": "strong emphasis **…**", "em_open": "emphasis *…*", "s_open": "strikethrough ~~…~~"}
_LITERALS = ("**", "*", "__", "_", "~~", "`")  # delimiters that pair with nothing stay text: shown as typed
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_REFERENCE = re.compile(r"\]\[([^\[\]]*)\]")  # the label of a reference link [text][label]


def _markup(text: str) -> tuple[Counter, str]:
    """The inline markup of ``text`` as a multiset of (kind, what), and the text Markdown shows literally."""
    found: Counter = Counter()
    literal = []
    for token in _CHECKER.parseInline(text, {})[0].children or ():
        kind = token.type
        if kind in _EMPHASIS:
            found[(_EMPHASIS[kind], "")] += 1
        elif kind == "link_open":
            found[("autolink" if token.markup == "autolink" else "link target", token.attrs.get("href", ""))] += 1
        elif kind == "image":
            found[("image", token.attrs.get("src", ""))] += 1
        elif kind == "code_inline":
            found[("code", f"`{token.content}`")] += 1
        elif kind == "html_inline":  # text attributes (title="…") are text to translate
            found[("HTML", html_signature(token.content))] += 1
        elif kind == "text":
            literal.append(token.content)
    literal_text = "\x00".join(literal)
    for label in _FOOTNOTE_REF.findall(literal_text):
        found[("footnote reference", label)] += 1
    for label in _REFERENCE.findall(literal_text):
        found[("reference label", f"[{label}]")] += 1
    return found, literal_text


def check_markup(source: str, translation: str) -> Iterator[str]:
    """What ``translation`` breaks of the inline Markdown of the unit ``source``, one message each.

    Compared as Markdown reads them: emphasis, strikethrough, links (by
    target), images (by source), autolinks, code spans, inline HTML,
    footnote references and reference labels must all be there, as often
    as in the source (in any order); a delimiter Markdown shows as typed
    (``**`` that pairs with nothing) and brackets that no longer pair up
    break the page too. Link titles and image alt texts are text to translate.
    Site generators' tags (Hugo shortcodes, Liquid tags, ``{{ … }}``,
    attribute lists) must all be there unchanged but for the values of their
    text parameters, as often as in the source (:func:`.sitesyntax.tag_problems`).
    """
    yield from tag_problems(source, translation)
    want, want_text = _markup(masked_for_check(source))
    have, have_text = _markup(masked_for_check(translation))
    for key in dict.fromkeys([*want, *have]):  # in the order of the source, then of the translation
        kind, what = key
        if want[key] == have[key]:
            continue
        if not what:
            yield f"{kind} appears {have[key]} times, {want[key]} in the source"
        elif want[key] > have[key]:
            times = f" ({want[key] - have[key]} of {want[key]} times)" if want[key] > 1 else ""
            yield f"{kind} {what} is missing{times}"
        else:
            yield f"{kind} {what} is not in the source"
    for literal in _LITERALS:
        extra = _count_delimiters(have_text, literal) - _count_delimiters(want_text, literal)
        if extra > 0:
            yield f"{literal} pairs with nothing, so Markdown shows it as typed ({extra} more than in the source)"
    for opener, closer in (("[", "]"), ("(", ")")):
        if _pairs_up(want_text, opener, closer) and not _pairs_up(have_text, opener, closer):
            yield (f"brackets do not pair up: {have_text.count(opener)} “{opener}” and "
                   f"{have_text.count(closer)} “{closer}”")


def _count_delimiters(text: str, delimiter: str) -> int:
    """How many runs of exactly ``delimiter`` (``*`` not counting a ``**`` run) ``text`` holds."""
    char = re.escape(delimiter[0])
    return len(re.findall(rf"(?<!{char}){re.escape(delimiter)}(?!{char})", text))


def _pairs_up(text: str, opener: str, closer: str) -> bool:
    depth = 0
    for char in text:
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """What a model must not change in the inline Markdown of a unit: ``(start, end, kind)`` in order.

    Kinds: ``link`` (the ``](destination "title")`` of an inline link or
    image: its text or alt text stays to translate), ``autolink``
    (``<https://…>``), ``code`` (a code span with its backticks), ``html``
    (an inline tag or comment; a ``<code>…</code>`` element whole),
    ``shortcode`` and ``template`` (a Hugo shortcode, a Liquid tag or
    ``{{ … }}``) and ``label`` (a footnote reference ``[^1]``, the
    ``][label]`` of a reference link). The values of text parameters and
    attributes (``caption="…"``, ``<abbr title="…">``) stay to translate:
    a tag that has one is protected in the pieces around it.
    """
    pos = positions(text, {})
    spans = sorted(pos.protect)
    for pattern in (_FOOTNOTE_REF, _REFERENCE):
        for match in pattern.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b, _kind in spans):
                spans.append((match.start(), match.end(), "label"))
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans):  # one inside another (a tag inside code) goes with it
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out
