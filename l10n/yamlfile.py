"""YAML read strictly: the safe loader, a key given twice is an error, every error one line."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import L10nError


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first: int):
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line, self.first = key, line, first


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice in one mapping (YAML 1.2 forbids it; PyYAML keeps the last).

    Merge keys (``<<: *anchor``) may still be overridden: the check runs on
    the mapping as written, before the merged keys are added.
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node)
                try:
                    if key in first:
                        raise _DuplicateKey(key, key_node.start_mark.line + 1, first[key] + 1)
                    first[key] = key_node.start_mark.line
                except TypeError:  # an unhashable key: SafeConstructor reports it
                    continue
        return super().construct_mapping(node, deep)


def load_yaml(text: str, where: str) -> Any:
    """Parse YAML ``text`` with :class:`_Loader`; a syntax error or a duplicate key is one line naming ``where``."""
    try:
        return yaml.load(text, Loader=_Loader)
    except _DuplicateKey as exc:
        raise L10nError(f"{where}:{exc.line}: duplicate key {exc.key!r} (first on line {exc.first})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise L10nError(f"{where}{at}: YAML syntax error: {problem}") from None
