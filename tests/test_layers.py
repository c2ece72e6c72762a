"""The package's shape: one direction of flow, small modules and functions.

Read from the source with ``ast``, imports inside functions included, so a
lazy import counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

PACKAGE = REPO / "l10n"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# Modules that do one command's work; nothing below them may import them.
COMMANDS = ("l10n.cli", "l10n.extract", "l10n.publish", "l10n.status", "l10n.report", "l10n.mt.translate",
            "l10n.memory.exchange", "l10n.align.run", "l10n.qa.run")
LOWER = ("l10n.po", "l10n.formats", "l10n.segment", "l10n.document")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The l10n modules that ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        out.update(t for t in targets if t in known)
    out.discard(name)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_lower_layers_import_no_command_module():
    for name, imported in _graph().items():
        if _under(name, LOWER):
            assert not [m for m in imported if _under(m, COMMANDS)], name


def test_the_cli_reads_no_catalog_itself():
    for name, path in _modules().items():
        if _under(name, ("l10n.cli",)):
            text = path.read_text(encoding="utf-8")
            assert "polib" not in text and "read_catalog" not in text, name


def test_modules_and_functions_are_small():
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") <= MAX_MODULE_LINES, f"{name}: {text.count(chr(10))} lines"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name}: {length} lines"
