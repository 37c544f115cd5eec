"""The layers of docs/architecture.md, held by reading every module's imports.

Each layer imports only itself and the layers before it in ``LAYERS``, and another
package only through its public names (its ``__init__``), never its ``_private`` modules.
Module-level imports form no cycle. The test reads source with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# Private top-level modules every layer may use (through their public names).
SHARED_PRIVATE = {"_emit", "_durations", "_version", "_hints", "_environment"}

# Lowest first: a layer may import the layers listed before it, and itself.
LAYERS: list[tuple[str, set[str]]] = [
    (
        "errors, policy",
        {"errors", "policy", "_durations", "_version", "_emit", "_hints", "_environment"},
    ),
    ("SDK", {"_sdk", "agent", "workflow", "function", "utils"}),
    ("steps", {"steps"}),
    ("compiler", {"compiler"}),
    ("check", {"check"}),
    ("runtime", {"runtime", "client", "security", "event"}),
    ("scaffold", {"scaffold", "port"}),
    ("cli", {"cli"}),
    ("testing", {"testing", "pytest_plugin"}),
]
LAYER_OF = {part: index for index, (_, parts) in enumerate(LAYERS) for part in parts}

# Private packages and modules that a layer's public modules are built from: importing
# them from those public modules is not reaching into another package.
IMPLEMENTS = {"_sdk": {"agent", "workflow", "function"}}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted((SRC / "flowkit").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, *, top_level_only: bool) -> Iterator[tuple[str, int]]:
    """(imported module, line) for each flowkit import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = {name for name, _ in _modules()}
    package = module if _is_package(path) else module.rpartition(".")[0]

    def visit(node: ast.AST, *, in_function: bool) -> Iterator[ast.stmt]:
        for child in ast.iter_child_nodes(node):
            if top_level_only and isinstance(child, ast.If) and _type_checking(child):
                continue  # not imported at run time
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if top_level_only and nested:
                continue  # runs when called, not at import
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from visit(child, in_function=nested)

    nodes = visit(tree, in_function=False)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "flowkit":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "flowkit":
                continue
            for alias in node.names:
                # `from flowkit.pkg import mod` imports a module when there is one.
                named = f"{target}.{alias.name}"
                yield (named if named in known else target), node.lineno


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _violations() -> list[str]:
    found = []
    for module, path in _modules():
        here = _part(module)
        if here not in LAYER_OF:
            if module != "flowkit":
                found.append(f"{module}: in no layer (add it to LAYERS)")
            continue
        for target, line in _imports(module, path, top_level_only=False):
            there = _part(target)
            where = f"{path.relative_to(SRC)}:{line}: imports {target}"
            if there == "":
                found.append(f"{where}: the top-level package imports every layer")
                continue
            if there not in LAYER_OF:
                continue
            if LAYER_OF[there] > LAYER_OF[here]:
                found.append(
                    f"{where}: {LAYERS[LAYER_OF[here]][0]} imports the later layer "
                    f"{LAYERS[LAYER_OF[there]][0]}"
                )
            if there == here or here in IMPLEMENTS.get(there, set()):
                continue
            private = [p for p in target.split(".")[1:] if p.startswith("_")]
            # A private top-level package (flowkit._emit) is used through its __init__.
            inner = target.split(".")[2:]
            if any(p.startswith("_") for p in inner) or (
                private
                and there not in {"_emit", "_durations", "_version", "_hints", "_environment"}
            ):
                found.append(f"{where}: another package's private module")
    return found


def _cycles(*, at_import: bool = True) -> list[list[str]]:
    """Circles of imports: those run at import time, or (``at_import=False``) any."""
    modules = dict(_modules())
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges = set()
        for target, _ in _imports(module, path, top_level_only=at_import):
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target != module:
                edges.add(target)
        graph[module] = edges
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


# Violations being removed: each entry must still occur (so the list only shrinks).
KNOWN: set[str] = set()


def _unplaced(violation: str) -> str:
    path, _, rest = violation.partition(":")
    return f"{path}:{rest.partition(':')[2]}" if rest[:1].isdigit() else violation


def test_every_import_respects_the_layers() -> None:
    found = {_unplaced(v): v for v in _violations()}
    assert sorted(v for k, v in found.items() if k not in KNOWN) == []
    assert sorted(KNOWN - set(found)) == [], "fixed: remove it from KNOWN"


def _real(cycles: list[list[str]]) -> list[list[str]]:
    # A package's __init__ re-exporting its modules, which import one another through
    # relative names, is not a cycle: only cycles among the modules themselves count.
    paths = dict(_modules())
    return [c for c in cycles if len([m for m in c if not _is_package(paths[m])]) > 1]


# Circles closed only by an import inside a function, being removed (none left).
KNOWN_CIRCLES: list[list[str]] = []


def test_module_imports_form_no_cycle() -> None:
    assert _real(_cycles()) == []


def test_no_circle_is_hidden_inside_a_function() -> None:
    found = _real(_cycles(at_import=False))
    assert [c for c in found if c not in KNOWN_CIRCLES] == []
    assert [c for c in KNOWN_CIRCLES if c not in found] == [], "fixed: remove it"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from flowkit.cli import run\n", "imports the later layer cli"),
        ("from flowkit.runtime._client import Client\n", "another package's private module"),
        ("import flowkit\n", "the top-level package imports every layer"),
    ],
)
def test_the_check_sees_a_violation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, expected: str
) -> None:
    package = tmp_path / "flowkit" / "steps"
    package.mkdir(parents=True)
    (tmp_path / "flowkit" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "_bad.py").write_text(source)
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    assert any(expected in v for v in _violations())


def test_the_check_sees_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "flowkit" / "steps"
    package.mkdir(parents=True)
    (tmp_path / "flowkit" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "_a.py").write_text("from flowkit.steps._b import B\nA = 1\n")
    (package / "_b.py").write_text("from ._a import A\nB = 2\n")
    monkeypatch.setitem(globals(), "SRC", tmp_path)
    assert _cycles() == [["flowkit.steps._a", "flowkit.steps._b"]]
