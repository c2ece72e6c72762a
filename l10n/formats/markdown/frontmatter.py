"""YAML front matter: its translated values as units, and setting a key of it when publishing.

A ``---`` block at the very top is YAML front matter; the values of the top-level
keys ``markdown.front_matter`` lists (plain, quoted, literal or folded string
scalars) are units, written back by :mod:`.encoding`. A TOML front matter
(``+++``) is skeleton as a whole.
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
    """The values of the top-level ``keys`` of the front matter ``token`` of ``text``, as (start, end, unit)."""
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
    for key, value in root.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value in keys
                and key.start_mark.column == 0
                and isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
            continue
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
        note = f"front matter: {key.value}"
        unit = EncodedUnit(value_text, source, f"front matter {key.value}",
                           bisect.bisect_right(line_starts, base + start), note, ("yaml", style, newline))
        yield base + start, base + end, unit


def set_front_matter_key(text: str, key: str, value: str, path: str = "") -> str:
    """``text`` with the top-level YAML front matter key ``key`` set to the string ``value``.

    The value of an existing top-level ``key`` is replaced (in its quoting
    style); otherwise ``key: value`` becomes the last line of the front
    matter. An article without front matter gets one holding only that line;
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
