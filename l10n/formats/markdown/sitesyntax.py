"""Static-site generator syntax inside Markdown text: its tags are markup, never text.

Found by :func:`find_tags` outside code spans:

* Hugo shortcodes ``{{< name … >}}`` and ``{{% name … %}}`` (a closing one
  ``{{< /name >}}``; the ``{{</* … */>}}`` form too);
* Liquid (Jekyll) tags ``{% name … %}`` and outputs ``{{ … }}``, which also
  cover Vue interpolation (VitePress) and mdBook's ``{{#include …}}``;
* attribute lists ``{#id}``, ``{.class}``, ``{: .class}`` (kramdown, Pandoc,
  MkDocs ``attr_list``) and MDX comments ``{/* … */}``.

Inside a unit a tag is one piece a sentence boundary never cuts, no prose of
its own, and protected from machine translation, except the values of its
text parameters (:data:`TEXT_PARAMETERS`: ``title="…"``, ``caption="…"``,
the ``title="…"`` of an inline HTML tag …), which are text to translate. The
markup check (:func:`tag_problems`) compares the tags of a unit and its
translation with those values left out: a tag changed, missing or repeated
is an error. A tag that only structures the page (a closing tag, an opening
one whose closing tag the article has, a Liquid control tag, an attribute
list, mdBook's ``{{#…}}``) is trimmed off the ends of units.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ...document import Unit
from .parser import MD, REC, Positions

# Parameters whose values are text to translate, in shortcodes, Liquid tags, HTML tags and components.
TEXT_PARAMETERS = frozenset({"alt", "caption", "label", "text", "title"})
_BREAK = re.compile(r"\s*\n\s*")
MASK = "\ue000"  # what the inline parser sees in place of a tag: a letter-like character that is no markup

_Q = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
_SCAN = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`)[\s\S]*?(?<!`)(?P=ticks)(?!`))"
    rf"|(?P<hugo>\{{\{{(?:<(?:{_Q}|[^\"'])*?>|%(?:{_Q}|[^\"'])*?%)\}}\}})"
    rf"|(?P<liquid>\{{%(?:{_Q}|[^\"'])*?%\}})"
    rf"|(?P<output>\{{\{{(?:{_Q}|[^\"'{{}}])*?\}}\}})"
    r"|(?P<mdx>\{/\*[\s\S]*?\*/\})"
    r"|(?P<attributes>\{:?[ \t]*[#.:][^{}\n]*\})")
_NAME = re.compile(r"[\w./-]+")
_PARAM = {True: re.compile(rf"(?<![\w.-])(?P<name>[A-Za-z_][\w-]*)[ \t]*=[ \t]*(?P<value>{_Q})|{_Q}"),
          False: re.compile(r"(?<![\w.-])(?P<name>[A-Za-z_][\w-]*)[ \t]*=[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*')"
                            r"|\"[^\"\n]*\"|'[^'\n]*'")}
_LIQUID_CONTROL = frozenset({"if", "elsif", "else", "unless", "case", "when", "for", "break", "continue", "capture",
                             "assign", "increment", "decrement", "cycle", "tablerow", "raw", "comment", "highlight",
                             "liquid", "endif", "endunless", "endcase", "endfor", "endcapture", "endraw",
                             "endcomment", "endhighlight", "endtablerow"})
# tags whose body is code or literal text, not prose: {% highlight %} … {% endhighlight %} and the like
CODE_TAGS = frozenset({("liquid", "highlight"), ("liquid", "raw"), ("liquid", "comment"), ("hugo", "highlight")})
LABELS = {"hugo": "shortcode", "liquid": "Liquid tag", "output": "template tag", "mdx": "MDX comment",
          "attributes": "attribute list"}
_HTML_TAG = re.compile(r"<([A-Za-z][\w:.-]*)(?=[\s/>])")


@dataclass(frozen=True)
class Tag:
    """One tag in a text: ``syntax`` is a key of :data:`LABELS`; ``values`` the text parameter values."""

    start: int
    end: int
    syntax: str
    name: str
    closing: bool
    values: tuple[tuple[int, int, str], ...] = ()  # (start, end, parameter name), offsets in the text

    @property
    def escape(self) -> str:
        """How a quotation mark is written inside a value: Hugo knows ``\\"``, Liquid nothing."""
        return "backslash" if self.syntax == "hugo" else "none"

    def signature(self, text: str) -> str:
        """The tag as written in ``text``, its text parameter values replaced by ``…``."""
        return _blank_values(text, self.start, self.end, self.values)

    def layout(self, paired: Iterable[str] = ()) -> bool:
        """Whether the tag only structures the page (then it is trimmed off the ends of units)."""
        if self.syntax in ("attributes", "mdx"):
            return True
        if self.syntax == "hugo":
            return self.closing or self.name in paired
        if self.syntax == "liquid":
            return self.name in _LIQUID_CONTROL or self.closing
        return self.name.startswith("#")  # mdBook {{#include …}}

    def note(self) -> str:
        return f"{LABELS[self.syntax]} {self.name}".rstrip()


def find_tags(text: str) -> list[Tag]:
    """The site generators' tags in ``text``, in order (none inside a code span)."""
    out = []
    for match in _SCAN.finditer(text):
        syntax = next((name for name in LABELS if match.group(name) is not None), None)
        if syntax is not None:  # None: a code span
            out.append(_tag(text, match.start(), match.end(), syntax))
    return out


def _tag(text: str, start: int, end: int, syntax: str) -> Tag:
    name, closing = "", False
    if syntax == "hugo":
        inner = text[start + 3:end - 3].strip()
        if inner.startswith("/*"):
            inner = inner[2:].lstrip()
        closing = inner.startswith("/")
        found = _NAME.match(inner.lstrip("/ \t"))
        name = found.group() if found else ""
    elif syntax == "liquid":
        found = _NAME.match(text[start + 2:end - 2].strip("- \t\n"))
        name = found.group() if found else ""
        closing = name.startswith("end")
    elif syntax == "output":
        inner = text[start + 2:end - 2].strip()
        found = _NAME.match(inner[1:]) if inner.startswith("#") else None
        name = "#" + found.group() if found else ""
    values = parameter_values(text, start, end, backslash=syntax == "hugo") if syntax in ("hugo", "liquid") else ()
    return Tag(start, end, syntax, name, closing, values)


def parameter_values(text: str, start: int, end: int, backslash: bool = False) -> tuple[tuple[int, int, str], ...]:
    """The values of the text parameters (``name="value"``) between ``start`` and ``end`` of ``text``.

    A value counts when it has a letter and its parameter is one of :data:`TEXT_PARAMETERS`.
    """
    out = []
    for match in _PARAM[backslash].finditer(text, start, end):
        name = match.group("name")
        if name and name.lower() in TEXT_PARAMETERS:
            a, b = match.start("value") + 1, match.end("value") - 1
            if any(ch.isalpha() for ch in text[a:b]):
                out.append((a, b, name))
    return tuple(out)


def html_values(text: str, start: int, end: int) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The element name and the text attribute values of the HTML or JSX opening tag at ``start:end``."""
    found = _HTML_TAG.match(text, start, end)
    if not found:
        return "", ()
    return found.group(1), parameter_values(text, found.end(), end)


def _blank_values(text: str, start: int, end: int, values: Iterable[tuple[int, int, str]]) -> str:
    out, pos = [], start
    for a, b, _name in values:
        out += [text[pos:a], "…"]
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def paired_names(text: str) -> frozenset[str]:
    """The shortcodes the article closes somewhere (``{{< /note >}}``): their opening tags are layout."""
    return frozenset(tag.name for tag in find_tags(text) if tag.syntax == "hugo" and tag.closing)


def mask(text: str, tags: Iterable[Tag]) -> str:
    """``text`` with each tag's characters (line breaks aside) replaced by :data:`MASK`."""
    chars = list(text)
    for tag in tags:
        for i in range(tag.start, tag.end):
            if chars[i] != "\n":
                chars[i] = MASK
    return "".join(chars)


# ------------------------------------------------------------------ inline positions


def positions(text: str, env: dict, paired: Iterable[str] = ()) -> Positions:
    """What the inline parser and the site tags mark in ``text`` (see :class:`~.parser.Positions`)."""
    tags = find_tags(text)
    pos = Positions()
    env[REC] = pos
    try:
        MD.inline.parse(mask(text, tags) if tags else text, MD, env, pos.tokens)
    finally:
        del env[REC]
    paired = frozenset(paired)
    for tag in tags:
        pos.atoms.append((tag.start, tag.end))
        pos.opaque.append((tag.start, tag.end))
        pos.protect += _pieces(tag.start, tag.end, tag.values, "shortcode" if tag.syntax == "hugo" else "template")
        pos.values += [(a, b, f"{tag.note()}: {name}", tag.escape) for a, b, name in tag.values]
        if tag.layout(paired):
            pos.comments.append((tag.start, tag.end))
    _html_positions(text, pos)
    return pos


def _pieces(start: int, end: int, values: Iterable[tuple[int, int, str]], kind: str) -> list[tuple[int, int, str]]:
    """The span ``start:end`` without the values: what a model must not change of a tag."""
    out, pos = [], start
    for a, b, _name in values:
        if a > pos:
            out.append((pos, a, kind))
        pos = b
    if end > pos:
        out.append((pos, end, kind))
    return out


def _html_positions(text: str, pos: Positions) -> None:
    """Inline HTML: text attributes stay to translate; a ``<code>…</code>`` element is one protected piece."""
    protect = []
    opened = None
    for start, end, kind in sorted(pos.protect):
        if kind != "html":
            protect.append((start, end, kind))
            continue
        name, values = html_values(text, start, end)
        protect += _pieces(start, end, values, "html")
        what = f"component <{name}>" if name[:1].isupper() else f"HTML <{name}>"
        pos.values += [(a, b, f"{what}: {attr}", "html") for a, b, attr in values]
        if name.lower() == "code" and not text.startswith("/>", end - 2):
            opened = opened or start
        elif text[start:start + 6].lower() == "</code" and opened is not None:
            protect = [span for span in protect if span[0] < opened] + [(opened, end, "code")]
            pos.atoms.append((opened, end))
            pos.opaque.append((opened, end))
            opened = None
    pos.protect = protect


# ------------------------------------------------------------------ the markup check


def tag_problems(source: str, translation: str) -> Iterator[str]:
    """What ``translation`` changes of the site tags of ``source``: a tag changed, missing, repeated or moved
    before its opening tag. Text parameter values may change."""
    want = Counter((tag.syntax, tag.signature(source)) for tag in find_tags(source))
    have_tags = find_tags(translation)
    have = Counter((tag.syntax, tag.signature(translation)) for tag in have_tags)
    for key in dict.fromkeys([*want, *have]):
        if want[key] == have[key]:
            continue
        label, what = LABELS[key[0]], key[1]
        if not have[key]:
            yield f"{label} {what} is missing"
        elif not want[key]:
            yield f"{label} {what} is not in the source"
        else:
            yield f"{label} {what} appears {have[key]} times, {want[key]} in the source"
    if _nested(find_tags(source)) and not _nested(have_tags):
        yield "shortcodes no longer nest: a closing tag comes before its opening tag"


def _nested(tags: list[Tag]) -> bool:
    """Whether every closing shortcode comes after an opening one of its name."""
    depth: Counter = Counter()
    for tag in tags:
        if tag.syntax == "hugo":
            depth[tag.name] += -1 if tag.closing else 1
            if depth[tag.name] < 0:
                return False
    return True


def masked_for_check(text: str) -> str:
    """``text`` with each site tag replaced by one :data:`MASK`, for comparing the rest as Markdown."""
    out, pos = [], 0
    for tag in find_tags(text):
        out += [text[pos:tag.start], MASK]
        pos = tag.end
    out.append(text[pos:])
    return "".join(out)


def html_signature(tag: str) -> str:
    """An inline HTML tag with its text attribute values replaced by ``…``."""
    return _blank_values(tag, 0, len(tag), html_values(tag, 0, len(tag))[1])


# ------------------------------------------------------------------ text parameters as units


@dataclass(frozen=True)
class ParameterUnit(Unit):
    """The value of a text parameter (``caption="…"``): a translation is written back inside the same quotes.

    ``escape``: ``backslash`` (Hugo: ``\\"``), ``html`` (``&quot;``) or ``none``
    (Liquid has no escape: a typographic quotation mark takes the place of the delimiter).
    """

    quote: str = '"'
    escape: str = "none"

    def encode(self, text: str) -> str:
        text = _BREAK.sub(" ", text.strip())
        if self.escape == "backslash":
            return re.sub(r"(?<!\\)" + re.escape(self.quote), lambda m: "\\" + self.quote, text)
        if self.escape == "html":
            return text.replace(self.quote, "&quot;" if self.quote == '"' else "&#39;")
        return text.replace(self.quote, "”" if self.quote == '"' else "’")


def parameter_unit(text: str, start: int, end: int, line: int, note: str, escape: str) -> ParameterUnit | None:
    """The unit of the value ``text[start:end]`` (None when it is no single-line text)."""
    value = text[start:end]
    if not value.strip() or "\n" in value or "\r" in value or not any(ch.isalpha() for ch in value):
        return None
    return ParameterUnit(value, value, "parameter", line, note, text[start - 1], escape)
