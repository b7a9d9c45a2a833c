"""The package's folders show a one-way flow: an import against the direction, or a cycle, fails here.

model → read / parse / store → report / views / corpus → ingest / present → briefs → cli. Modules of
one layer do not import each other's folders (read, parse and store only know model). Imports inside
functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import analysis

PACKAGE = Path(analysis.__file__).parent
# the folder (or top-level module) → its layer; a module may import its own folder and lower layers
LAYERS: dict[str, int] = {
    "model": 0,
    "read": 1,
    "parse": 1,
    "store": 1,
    "report": 2,
    "views": 2,
    "corpus": 2,
    "synth": 2,
    "ingest": 3,
    "present": 3,
    "briefs": 4,
    "cli": 5,
    "__main__": 6,
    "__init__": 6,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = PACKAGE.parent / Path(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path) -> set[str]:
    """Every module of the package a file imports (top-level or inside a function)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "analysis":
                target = node.module
            else:
                continue
            for alias in node.names:  # `from analysis import views` imports the module analysis.views
                sub = f"{target}.{alias.name}"
                found.add(sub if is_module(sub) else target)
    return found - {name}


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH: dict[str, set[str]] = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_folder_has_a_layer() -> None:
    assert {unit(m) for m in GRAPH} <= set(LAYERS), "add the new folder to LAYERS (and to the README)"


def test_imports_point_one_way() -> None:
    wrong = [
        f"{m} (layer {LAYERS[unit(m)]}) imports {t} (layer {LAYERS[unit(t)]})"
        for m, targets in GRAPH.items()
        for t in sorted(targets)
        if unit(t) != unit(m) and LAYERS[unit(t)] >= LAYERS[unit(m)]
    ]
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    """Tarjan's strongly connected components of the module graph: every component is one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    """The test would pass on an empty graph: check it reads what report.py imports, lazy ones included."""
    assert {"analysis.read", "analysis.model.document", "analysis.store.schema"} <= GRAPH["analysis.report"]
