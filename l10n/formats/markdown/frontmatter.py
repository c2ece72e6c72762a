"""YAML front matter: its translated values as units, and setting a key of it when publishing.

A ``---`` block at the very top is YAML front matter; the values the key paths
of ``markdown.front_matter`` lead to (plain, quoted, literal or folded string
scalars) are units, written back by :mod:`.encoding` in their place. A path is
keys joined by ``.``, each followed by ``[]`` for every item of a list:
``title`` (a top-level key), ``menu.main.title`` (nested mappings),
``cards[].title`` (the ``title`` of every mapping in the list ``cards``),
``tags[]`` (every string of the list). A value in a flow collection (``[a,
b]``, ``{k: v}``) keeps its single quotes or is written double-quoted. A TOML
front matter (``+++``) is skeleton as a whole.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import yaml
from markdown_it.token import Token

from ...errors import L10nError
from ..lines import Line, split_lines
from .encoding import EncodedUnit, load_scalar, plain_or_quoted
from .parser import MD, NEWLINES

TOML_FENCE = re.compile(r"\+\+\+[ \t]*")
_STR_TAG = "tag:yaml.org,2002:str"


def front_matter_units(text: str, lines: list[Line], token: Token, path: str,
                       keys: tuple[str, ...]) -> Iterator[tuple[int, int, EncodedUnit]]:
    """The values the key paths ``keys`` lead to in the front matter ``token`` of ``text``, as (start, end, unit)."""
    line_starts = [line.start for line in lines]
    first, stop = token.map
    closing = stop - 1
    if closing <= first + 1 or closing >= len(lines):
        return
    base = lines[first + 1].start
    yaml_text = text[base:lines[closing - 1].end]
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first + 2 + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise L10nError(f"{path}:{line}: front matter is not valid YAML: {problem} "
                        f"(a first line of --- opens front matter)") from None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return
    newline = "\r\n" if "\r\n" in yaml_text else "\r" if "\r" in yaml_text else "\n"
    seen: set[int] = set()
    for key_path in keys:
        for where, value, flow in _walk(root, _steps(key_path), "", False):
            if id(value) in seen or not (isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
                continue
            seen.add(id(value))
            start, end = value.start_mark.index, value.end_mark.index
            while end > start and yaml_text[end - 1] in " \t\r\n":
                end -= 1
            source = yaml_text[start:end]
            value_text = value.value.strip()
            loaded = load_scalar(source)
            if not value_text or source.startswith(("&", "!")) or not isinstance(loaded, str) \
                    or loaded.rstrip("\n") != value.value.rstrip("\n"):
                continue  # empty, anchored or tagged: left as it is
            style = value.style or ""
            if flow and style != "'":
                style = '"'  # a plain scalar in [a, b] or {k: v} cannot hold every translation
            line = bisect.bisect_right(line_starts, base + start)
            unit = EncodedUnit(value_text, source, f"front matter {where}", line, f"front matter: {where}",
                               ("yaml", style, newline))
            yield base + start, base + end, unit


def _steps(key_path: str) -> list[tuple[str, int]]:
    """``cards[].title`` → ``[("cards", 1), ("title", 0)]``: each key, and how many ``[]`` follow it."""
    steps = []
    for part in key_path.split("."):
        name = part.rstrip("[]")
        steps.append((name, (len(part) - len(name)) // 2))
    return steps


def _walk(node: yaml.Node, steps: list[tuple[str, int]], where: str,
          flow: bool) -> Iterator[tuple[str, yaml.Node, bool]]:
    """The nodes ``steps`` lead to from ``node``: (their path with list indices, the node, inside a flow collection).

    Only the top-level keys at the start of a line count (as for the language key).
    """
    if not steps:
        yield where, node, flow
        return
    (name, lists), rest = steps[0], steps[1:]
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name and (where or key.start_mark.column == 0):
            yield from _items(value, lists, rest, _join(where, name), flow or bool(node.flow_style))


def _items(node: yaml.Node, lists: int, rest: list[tuple[str, int]], where: str,
           flow: bool) -> Iterator[tuple[str, yaml.Node, bool]]:
    if not lists:
        yield from _walk(node, rest, where, flow)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _items(item, lists - 1, rest, f"{where}[{i}]", flow or bool(node.flow_style))


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def set_front_matter_key(text: str, key: str, value: str, path: str = "", add: bool = True) -> str:
    """``text`` with the top-level YAML front matter key ``key`` set to the string ``value``.

    The value of an existing top-level ``key`` is replaced (in its quoting
    style); otherwise ``key: value`` becomes the last line of the front
    matter. An article without front matter gets one holding only that line
    if ``add`` (else it is left as it is);
    a TOML (``+++``) front matter is left as it is. Everything else stays byte
    for byte. A front matter that is no YAML mapping, or in which the key
    cannot be set without changing anything else, is an :class:`L10nError`.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = split_lines(text)
    newline = next((text[line.end:line.stop] for line in lines if line.stop > line.end), "\n")
    source = NEWLINES.sub("\n", text[len(bom):])
    if TOML_FENCE.fullmatch(source.split("\n", 1)[0]):
        return text
    front = next((token for token in MD.parse(source, {}) if token.type == "front_matter"), None)
    if front is None or not front.map:
        if not add:
            return text
        return f"{bom}---{newline}{key}: {plain_or_quoted(value, '')}{newline}---{newline}{text[len(bom):]}"
    closing = front.map[1] - 1
    first = lines[front.map[0] + 1].start if closing > front.map[0] + 1 else lines[closing].start
    last = lines[closing].start  # the YAML text runs from first to last, its final line end included
    yaml_text = text[first:last]
    where = f"{path}:{front.map[0] + 1}: " if path else ""
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        before = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        raise L10nError(f"{where}front matter is not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if root is not None and (not isinstance(root, yaml.MappingNode) or root.flow_style):
        raise L10nError(f"{where}front matter is not a YAML block mapping; cannot set {key}")
    existing = next((node for name, node in (root.value if root else ())
                     if isinstance(name, yaml.ScalarNode) and name.value == key and name.start_mark.column == 0),
                    None)
    if existing is None:
        ending = yaml_text[len(yaml_text.rstrip("\r\n")):] if yaml_text else ""
        line_end = text[lines[closing - 1].end:lines[closing - 1].stop] if closing > 0 else newline
        changed = yaml_text + ("" if ending or not yaml_text else line_end) + f"{key}: " \
            f"{plain_or_quoted(value, '')}{line_end}"
    else:
        start, end = existing.start_mark.index, existing.end_mark.index
        while end > start and yaml_text[end - 1] in " \t\r\n":
            end -= 1
        style = existing.style if isinstance(existing, yaml.ScalarNode) else ""
        scalar = plain_or_quoted(value, style or "")
        changed = yaml_text[:start] + (scalar if end > start else " " + scalar) + yaml_text[end:]
    expected = dict(before) if isinstance(before, dict) else {}
    expected[key] = value
    try:
        after = yaml.safe_load(changed)
    except yaml.YAMLError:
        after = None
    if after != expected:
        raise L10nError(f"{where}cannot set {key}: {value} in the front matter without changing other keys")
    return text[:first] + changed + text[last:]
