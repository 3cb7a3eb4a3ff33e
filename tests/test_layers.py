"""The import graph of policyreader/: no circles, no upward imports, a pure core, every package installed."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "policyreader"
# Lower layers never import higher ones; the modules at the top of the package sit where listed.
LAYERS = {
    "policyreader": 0,
    "policyreader.resources_path": 0,
    "policyreader.core": 1,
    "policyreader.storage": 2,
    "policyreader.ui": 3,
    "policyreader.cli": 4,
    "policyreader.cli_diff": 4,
    "policyreader.cli_notes": 4,
    "policyreader.batch": 2,  # many files, worker processes and output files: I/O, as storage
    "policyreader.cli_scan": 4,
    "policyreader.app_compare": 4,
    "policyreader.app": 4,
    "policyreader.__main__": 4,
}
# Inside ui/: shared pieces, the reader, the features (which never import one another, except
# that notes opens the library window), and the shell that puts them together.
UI_LAYERS = {
    "common": 0,
    "reader": 1,
    "library": 2,
    "practices": 3,
    "versions": 3,
    "notes": 3,
    "compare_policies": 4,  # several policies at once: it opens passages with the practices' flash
    "shell": 5,
}
NOT_IN_CORE = (
    "PySide6",
    "shiboken6",
    "sqlite3",
    "platformdirs",
    "socket",
    "urllib.request",
    "http",
    "ssl",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, anywhere in it (functions and TYPE_CHECKING blocks too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in MODULES else node.module


def graph() -> dict[str, set[str]]:
    return {
        name: {m for m in imported(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def layer(module: str) -> int:
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)
    return LAYERS[best]


def ui_layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[:2] != ["policyreader", "ui"] or len(parts) < 4:
        return None
    return UI_LAYERS[parts[2]]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def upward(edges: dict[str, set[str]]) -> list[str]:
    wrong = []
    for source, targets in edges.items():
        for target in targets:
            if layer(target) > layer(source):
                wrong.append(f"{source} -> {target}")
            mine, theirs = ui_layer(source), ui_layer(target)
            same_package = source.split(".")[:3] == target.split(".")[:3]
            if mine is not None and theirs is not None and not same_package and theirs >= mine:
                wrong.append(f"{source} -> {target}")
    return sorted(wrong)


def test_the_graph_is_read() -> None:
    edges = graph()
    assert "policyreader.ui.reader.tab_area" in edges["policyreader.ui.shell.main_window"]
    assert len(edges) > 80


def test_no_import_circle() -> None:
    assert cycles(graph()) == []


def test_no_upward_import() -> None:
    assert upward(graph()) == []


def test_the_checks_catch_a_circle_and_an_upward_import() -> None:
    edges = graph()
    edges["policyreader.core.document"].add("policyreader.ui.reader.document_tab")
    assert "policyreader.core.document -> policyreader.ui.reader.document_tab" in upward(edges)
    assert any("policyreader.core.document" in c for c in cycles(edges))
    edges = graph()
    edges["policyreader.ui.notes.tab_notes"].add("policyreader.ui.versions.versions_feature")
    assert upward(edges) == [
        "policyreader.ui.notes.tab_notes -> policyreader.ui.versions.versions_feature"
    ]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) == 1))
def test_core_imports_no_gui_database_or_network(name: str) -> None:
    bad = [
        m
        for m in imported(MODULES[name])
        if any(m == b or m.startswith(b + ".") for b in NOT_IN_CORE)
    ]
    assert bad == []


def test_every_package_is_installed() -> None:
    """``pyproject.toml`` lists the packages (packages.find cannot map policyreader.resources)."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    packages = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert packages <= listed
