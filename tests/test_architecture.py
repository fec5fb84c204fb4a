"""The shape of the code, checked: no import cycle in src/, no module over 500 lines,
and the data layer (core/) never imports Textual or Rich.

Imports are read with ``ast``, never run, and are of three kinds: at module level
(they run when the module is imported), in a function (they run when it is called),
and type-only (under ``if TYPE_CHECKING:``, never run). Counting every kind, they must
form no cycle at all.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "readinglist"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


MODULE_LEVEL, IN_FUNCTION, TYPE_ONLY = "module level", "in a function", "type checking"


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Each import statement, and when it runs: at import (``MODULE_LEVEL``), when a
    function is called (``IN_FUNCTION``), or never (``TYPE_ONLY``)."""

    def walk(nodes: list[ast.stmt], kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, kind
            elif isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from walk(node.body, TYPE_ONLY)
                yield from walk(node.orelse, kind)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(node.body, IN_FUNCTION if kind == MODULE_LEVEL else kind)
            elif isinstance(node, ast.Try):
                for body in (node.body, node.orelse, node.finalbody):
                    yield from walk(body, kind)
                for handler in node.handlers:
                    yield from walk(handler.body, kind)
            elif isinstance(node, ast.If | ast.For | ast.While | ast.With | ast.ClassDef):
                yield from walk(node.body, kind)
                yield from walk(getattr(node, "orelse", []), kind)

    yield from walk(tree.body, MODULE_LEVEL)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules of ours that ``node`` in ``module`` imports (a package or a submodule)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    if node.level:
        is_package = MODULES[module].name == "__init__.py"
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        if f"{source}.{alias.name}" in MODULES:
            found.add(f"{source}.{alias.name}")  # ``from . import papers``
        elif source in MODULES:
            found.add(source)
    return found


def _graph(*kinds: str) -> dict[str, set[str]]:
    """Import edges between our modules, of the ``kinds`` given."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for node, kind in _imports(ast.parse(path.read_text(), str(path))):
            if kind in kinds:
                graph[name] |= _targets(name, node) - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_import_cycle_at_module_level():
    """What runs on import: a cycle here breaks start-up in whichever order it happens."""
    assert _cycles(_graph(MODULE_LEVEL)) == []


def test_no_import_cycle_at_all():
    """Imports in functions and type-only ones count too (the issue's 'no cycle anywhere'):
    with no start-up break, two modules in a cycle still cannot be understood, tested or
    moved one without the other. A module that needs a few things of one that imports it
    describes them with a ``Protocol`` (see ui/commands.py, ui/screens/list_loading.py)."""
    assert _cycles(_graph(MODULE_LEVEL, IN_FUNCTION, TYPE_ONLY)) == []


def test_the_import_walk_sees_every_kind_of_edge():
    """The walk itself: a relative submodule import, a parent's, a lazy and a typing one."""
    now = _graph(MODULE_LEVEL)
    assert f"{PACKAGE}.paths" in now[f"{PACKAGE}.cli.demo"]  # from .. import paths
    assert f"{PACKAGE}.core.textclean" in now[f"{PACKAGE}.cli.output"]  # from ..core.x import
    assert f"{PACKAGE}.ui.app" not in now[f"{PACKAGE}.cli.start"]  # imported in run_app
    assert f"{PACKAGE}.ui.app" in _graph(IN_FUNCTION)[f"{PACKAGE}.cli.start"]
    assert f"{PACKAGE}.core.service" in _graph(TYPE_ONLY)[f"{PACKAGE}.cli.context"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_500_lines(name: str):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(SRC)}: {lines} lines; split it"


def test_core_never_imports_textual_or_rich():
    """Anywhere in core/, at any level: the data layer has no terminal UI in it."""
    found = []
    for name, path in MODULES.items():
        if not name.startswith(f"{PACKAGE}.core"):
            continue
        for node, _kind in _imports(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            found += [f"{name}: {n}" for n in names if n.split(".")[0] in ("textual", "rich")]
    assert found == []


def test_core_and_cli_do_not_load_textual():
    """What actually runs: importing the service and the CLI loads no Textual or Rich."""
    code = (
        "import sys, readinglist.core.service, readinglist.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
