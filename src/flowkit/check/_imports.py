"""FK107: module-level imports in a workflow module that Temporal's sandbox re-imports
for every run. The sandbox passes the standard library, temporalio, pydantic and flowkit
through from the worker (imported once); any other module imported at the top of a
workflow module is imported afresh, with its import-time side effects, for each run,
unless the import sits under ``workflow.unsafe.imports_passed_through()``. (flowkit's
worker plugin passes a few more through: structlog, rich, yaml, opentelemetry.)"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from flowkit.check._names import Names

__all__ = ["FLOWKIT_PASSED", "first_party", "sandbox_imports"]

# What SandboxRestrictions.passthrough_modules_default holds beside the standard library
# (temporalio 1.35).
_TEMPORAL_PASSED = frozenset(
    {
        "temporalio",
        "nexusrpc",
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "google",
        "grpc",
        "typing_extensions",
    }
)
# What flowkit's worker plugin passes through as well: flowkit.runtime.PASSTHROUGH_MODULES
# (a later layer, so repeated here; tests/check/test_check.py holds them equal).
FLOWKIT_PASSED = frozenset({"flowkit", "structlog", "rich", "yaml", "opentelemetry"})
_PASSED = _TEMPORAL_PASSED | FLOWKIT_PASSED
_STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
_PASS_THROUGH = "temporalio.workflow.unsafe.imports_passed_through"


def first_party(path: Path | None) -> Callable[[str], bool]:
    """Whether a top-level module name is the project's own, for a file at ``path``: a
    package or module beside the file's top-level package (also under ``src/``)."""
    if path is None:
        return lambda name: False
    folder = path.resolve().parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    roots = [folder, folder / "src"]

    def check(name: str) -> bool:
        return any((r / name).is_dir() or (r / f"{name}.py").is_file() for r in roots)

    return check


def _type_checking(node: ast.If, names: Names) -> bool:
    test = node.test
    named = names.canonical(test) in {"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"}
    return named or (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")


def _passed_through(node: ast.With, names: Names) -> bool:
    for item in node.items:
        call = item.context_expr
        if isinstance(call, ast.Call) and names.canonical(call.func) == _PASS_THROUGH:
            return True
    return False


def _top_level(body: list[ast.stmt], names: Names) -> Iterator[ast.Import | ast.ImportFrom]:
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt
        elif isinstance(stmt, ast.If):
            if not _type_checking(stmt, names):
                yield from _top_level(stmt.body, names)
            yield from _top_level(stmt.orelse, names)
        elif isinstance(stmt, ast.Try):
            for part in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from _top_level(part, names)
            for handler in stmt.handlers:
                yield from _top_level(handler.body, names)
        elif isinstance(stmt, ast.With) and not _passed_through(stmt, names):
            yield from _top_level(stmt.body, names)


def sandbox_imports(
    tree: ast.Module, names: Names, is_first_party: Callable[[str], bool]
) -> Iterator[tuple[ast.AST, str]]:
    """(import statement, module) for each import the sandbox re-imports per run."""
    for stmt in _top_level(tree.body, names):
        if isinstance(stmt, ast.ImportFrom):
            if stmt.level or not stmt.module:
                continue
            modules = [stmt.module]
        else:
            modules = [alias.name for alias in stmt.names]
        for module in modules:
            top = module.split(".")[0]
            if top in _STDLIB or top in _PASSED or is_first_party(top):
                continue
            yield stmt, module
