"""Block syntax of static-site generators, settled before the Markdown parser reads an article.

:func:`plan` returns the text the parser is given instead of the article
(line for line, and within a line position for position, but for the
indentation it takes away): the lines that are layout are blanked there, so
they end paragraphs and give no units, and what they hold that is text
comes back as :class:`Title` and parameter values, placed by the reader.

* VitePress/Docusaurus containers ``::: tip Titel`` … ``:::``
  (``:::tip[Titel]``, ``::::`` for nesting; Pandoc's ``::: {.note}``): the
  marker lines are layout, the title is a unit (``container title``);
* MkDocs/Material admonitions ``!!! note "Titel"``, collapsible ``??? note``
  and ``???+ note``, and content tabs ``=== "Titel"``: the marker line is
  layout, the title a unit; the body, indented by four spaces, is read as
  Markdown with that indentation taken away (it is no indented code);
* lines that hold nothing but tags (:mod:`.sitesyntax`: ``{{< note >}}``,
  ``{% if … %}``, ``{{#include …}}``, ``{: .class}``): layout; the values of
  their text parameters are units. Between ``{% highlight %}``,
  ``{% raw %}``, ``{% comment %}`` or ``{{< highlight >}}`` and its closing
  tag, every line is layout;
* MDX ``import``/``export`` statements at the start of a paragraph: layout
  up to the next blank line.

Nothing inside code blocks, HTML blocks or the front matter changes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from .htmlprose import TAG
from .sitesyntax import CODE_TAGS, find_tags, parameter_values

_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?")
_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*")
_CONTAINER = re.compile(r":{3,}(?P<rest>.*)")
_BRACKET_TITLE = re.compile(r"[ \t]*(?P<type>[A-Za-z][\w-]*)?\[(?P<title>.*)\](?P<after>[ \t]*(?:\{[^{}]*\})?[ \t]*)")
_PLAIN_TITLE = re.compile(r"[ \t]*(?:[A-Za-z][\w-]*)?[ \t]*(?P<title>.*?)[ \t]*(?:\{[^{}]*\})?[ \t]*")
_ADMONITION = re.compile(r'(?P<indent>[ \t]*)(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*'
                         r'(?:[ \t]+"(?P<title>.*)")?|===[ \t]+"(?P<tab>.*)")[ \t]*')
_ESM = re.compile(r"import[ \t]*(?:['\"{*]|[\w$]+[ \t]*(?:,|from\b))"
                  r"|export[ \t]*(?:[{*]|(?:const|let|var|function|class|default|async)\b)")
_CANDIDATES = re.compile(r"^[ \t>]*(?::::|!!!|\?\?\?|===|import|export)|\{[{%:#./]", re.MULTILINE)
_CODE_TOKENS = ("fence", "code_block", "html_block", "front_matter")


@dataclass(frozen=True)
class Title:
    """A title on a marker line: line index and columns of its text in the article's line."""

    line: int
    start: int
    end: int
    note: str
    encoding: tuple[str, ...] = ("line",)


@dataclass
class Layout:
    """What :func:`plan` settled: the parser's text, the indentation taken off each line, the units."""

    source: str
    shift: list[int]  # characters taken off the start of each line (admonition bodies)
    titles: list[Title] = field(default_factory=list)
    values: list[tuple[int, int, int, str, str]] = field(default_factory=list)  # line, start, end, note, escape
    code: set[int] = field(default_factory=set)  # lines of code-like tag blocks ({% highlight %} …)


def plan(source: str, parse: Callable[[str], list[Token]]) -> Layout:
    """The layout of ``source`` (normalised line ends); ``parse`` reads a text into block tokens."""
    lines = source.split("\n")
    layout = Layout(source, [0] * len(lines))
    if not _CANDIDATES.search(source):
        return layout
    seen: set[int] = set()
    for _ in range(8):  # one round per level of nested admonitions
        code = _code_lines(parse("\n".join(lines)))
        if not _admonitions(lines, code, seen, layout):
            break
    code = _code_lines(parse("\n".join(lines))) if seen else code
    _containers(lines, code, layout)
    _esm(lines, code)
    _jsx_lines(lines, code, layout)
    _tag_lines(lines, code, layout)
    layout.source = "\n".join(lines)
    return layout


def _code_lines(tokens: list[Token]) -> set[int]:
    out: set[int] = set()
    for token in tokens:
        if token.type in _CODE_TOKENS and token.map:
            out.update(range(*token.map))
    return out


def _blank(lines: list[str], index: int, keep: int) -> None:
    lines[index] = lines[index][:keep] + " " * (len(lines[index]) - keep)


def _indent(line: str) -> int:
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _admonitions(lines: list[str], code: set[int], seen: set[int], layout: Layout) -> bool:
    """Blank the marker lines of admonitions and content tabs not seen yet and take four columns off their
    bodies; whether there was one."""
    found = False
    for i, line in enumerate(lines):
        if i in code or i in seen:
            continue
        match = _ADMONITION.fullmatch(line)
        if not match:
            continue
        seen.add(i)
        found = True
        group = "title" if match.group("title") is not None else "tab"
        if match.group(group) and match.group(group).strip():
            start, end = match.span(group)
            note = "tab title" if group == "tab" else "admonition title"
            layout.titles.append(Title(i, start + layout.shift[i], end + layout.shift[i], note))
        _blank(lines, i, 0)
        body = _indent(match.group("indent")) + 4
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) >= body):
            j += 1
        while j > i + 1 and not lines[j - 1].strip():
            j -= 1
        for k in range(i + 1, j):
            taken, col = 0, 0
            while col < 4 and taken < len(lines[k]) and lines[k][taken] in " \t":
                col += 1 if lines[k][taken] == " " else 4 - col % 4
                taken += 1
            lines[k] = lines[k][taken:]
            layout.shift[k] += taken
    return found


def _containers(lines: list[str], code: set[int], layout: Layout) -> None:
    for i, line in enumerate(lines):
        if i in code:
            continue
        prefix = _QUOTES.match(line).end()
        match = _CONTAINER.fullmatch(line, prefix)
        if not match:
            continue
        rest, at = match.group("rest"), match.start("rest")
        if rest.strip() and not re.match(r"[ \t]*(?:[A-Za-z\[{]|$)", rest):
            continue  # "::: 3" or ":::-)" is no container
        bracket = _BRACKET_TITLE.fullmatch(rest)
        if bracket:
            start, end, encoding = bracket.start("title"), bracket.end("title"), ("title", "]")
        else:
            plain = _PLAIN_TITLE.fullmatch(rest)
            start, end, encoding = plain.start("title"), plain.end("title"), ("line",)
        if rest[start:end].strip() and not rest[start:end].startswith("{"):
            shift = layout.shift[i] + at
            layout.titles.append(Title(i, start + shift, end + shift, "container title", encoding))
        _blank(lines, i, prefix)


def _esm(lines: list[str], code: set[int]) -> None:
    """Blank MDX import/export statements: from such a line after a blank one up to the next blank line."""
    inside = False
    for i, line in enumerate(lines):
        if not line.strip() or i in code:
            inside = False
            continue
        if inside or ((i == 0 or not lines[i - 1].strip() or i - 1 in code) and _ESM.match(line)):
            inside = True
            _blank(lines, i, 0)


def _jsx_lines(lines: list[str], code: set[int], layout: Layout) -> None:
    """Blank the lines that hold only JSX tags with an expression attribute (``values={[…]}``), which the
    Markdown parser takes for text; their text attributes become units."""
    for i, line in enumerate(lines):
        if i in code or "={" not in line:
            continue
        pos = _QUOTES.match(line).end()
        tags = []
        while (found := TAG.match(line, pos)) is not None:
            tags.append(found)
            pos = found.end()
            pos += len(line[pos:]) - len(line[pos:].lstrip(" \t"))
        if not tags or pos < len(line) or not any("={" in tag.group(3) for tag in tags):
            continue
        for tag in tags:
            what = f"component <{tag.group(2)}>" if tag.group(2)[:1].isupper() else f"HTML <{tag.group(2)}>"
            for a, b, name in parameter_values(line, tag.end(2), tag.end()):
                layout.values.append((i, a + layout.shift[i], b + layout.shift[i], f"{what}: {name}", "html"))
        _blank(lines, i, _QUOTES.match(line).end())


def _tag_lines(lines: list[str], code: set[int], layout: Layout) -> None:
    """Blank the lines that hold only tags; their text parameter values become units."""
    visible = ["" if i in code else line for i, line in enumerate(lines)]
    scan = "\n".join(visible)
    starts = [0]
    for line in visible[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    tags = find_tags(scan)
    if not tags:
        return
    reach = [range(bisect.bisect_right(starts, tag.start) - 1, bisect.bisect_right(starts, tag.end - 1))
             for tag in tags]  # the lines each tag touches
    spans: dict[int, list[int]] = {}  # line -> the tags that touch it
    for k, lines_of in enumerate(reach):
        for line in lines_of:
            spans.setdefault(line, []).append(k)
    only = {i for i in spans if _covered(starts[i], visible[i], [tags[k] for k in spans[i]])}
    changed = True
    while changed:  # a tag is layout when every line it touches holds only tags
        changed = False
        for k, lines_of in enumerate(reach):
            if any(line in only for line in lines_of) and not all(line in only for line in lines_of):
                only -= set(lines_of)
                changed = True
    block = {k for i in only for k in spans[i]}
    skip_to = -1
    for k in sorted(block):
        tag = tags[k]
        if tag.start < skip_to:
            continue
        for a, b, name in tag.values:
            line = bisect.bisect_right(starts, a) - 1
            layout.values.append((line, a - starts[line] + layout.shift[line], b - starts[line] + layout.shift[line],
                                  f"{tag.note()}: {name}", tag.escape))
        if (tag.syntax, tag.name) in CODE_TAGS and not tag.closing:
            skip_to = _code_block(tags, k, block, starts, only, layout)
    for i in only:
        _blank(lines, i, _PREFIX.match(lines[i]).end() if i not in layout.code else 0)
    for i in layout.code:
        _blank(lines, i, 0)


def _covered(start: int, line: str, tags: list) -> bool:
    content = _PREFIX.match(line).end()
    covered = [False] * len(line)
    for tag in tags:
        for col in range(max(tag.start - start, 0), min(tag.end - start, len(line))):
            covered[col] = True
    return any(covered) and all(covered[col] or line[col] in " \t" for col in range(content, len(line)))


def _code_block(tags: list, k: int, block: set[int], starts: list[int], only: set[int], layout: Layout) -> int:
    """Mark the lines from the code-like tag ``k`` to its closing tag as code; the offset to skip to."""
    tag = tags[k]
    close = next((j for j in range(k + 1, len(tags)) if j in block and tags[j].syntax == tag.syntax
                  and tags[j].closing and tags[j].name in (tag.name, "end" + tag.name, "/" + tag.name)), None)
    if close is None:
        return tag.end
    first = bisect.bisect_right(starts, tag.start) - 1
    last = bisect.bisect_right(starts, tags[close].start) - 1
    layout.code.update(range(first + 1, last))
    return tags[close].start
