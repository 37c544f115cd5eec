"""What a name in a module refers to, read from its imports: ``dt.now`` after
``from datetime import datetime as dt`` is ``datetime.datetime.now``."""

from __future__ import annotations

import ast
import builtins

__all__ = ["Names", "dotted", "local_names"]

# flowkit re-exports some of temporalio under other names; they are the same thing.
_SAME = {
    "flowkit.workflow.temporal_workflow": "temporalio.workflow",
    "flowkit.agent.temporal_workflow": "temporalio.workflow",
    "flowkit.workflow.uuid": "temporalio.workflow.uuid4",
    "flowkit.agent.uuid": "temporalio.workflow.uuid4",
    "flowkit.workflow.import_functions": "temporalio.workflow.unsafe.imports_passed_through",
    "flowkit.agent.import_functions": "temporalio.workflow.unsafe.imports_passed_through",
    "flowkit.function.import_functions": "temporalio.workflow.unsafe.imports_passed_through",
}
_BUILTINS = frozenset(dir(builtins))


def dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; ``None`` for anything but a chain of names."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _normalize(name: str) -> str:
    for alias, real in _SAME.items():
        if name == alias or name.startswith(alias + "."):
            return real + name[len(alias) :]
    return name


class Names:
    """The module's imports (wherever they are in it) and its own top-level names."""

    def __init__(self, tree: ast.Module) -> None:
        self.imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imported[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        self.imported[head] = head
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name != "*":
                        joined = (
                            f"{base}.{alias.name}"
                            if base and base[-1] != "."
                            else base + alias.name
                        )
                        self.imported[alias.asname or alias.name] = joined
        self.defined: set[str] = set()
        for stmt in tree.body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.defined.add(stmt.name)
            else:
                for sub in ast.walk(stmt):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        self.defined.add(sub.id)
        for name in self.imported:
            self.defined.discard(name)

    def canonical(self, node: ast.expr, local: frozenset[str] = frozenset()) -> str | None:
        """The dotted name ``node`` refers to, or ``None`` when it is not a chain of names
        that starts at an import or a builtin (a local variable, ``self.x``, a call)."""
        parts = dotted(node)
        if parts is None or parts[0] in local:
            return None
        head = parts[0]
        if head in self.imported:
            return _normalize(".".join([self.imported[head], *parts[1:]]))
        if head in _BUILTINS and head not in self.defined:
            return ".".join(["builtins", *parts])
        return None


_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def _bound(nodes: list[ast.AST]) -> tuple[set[str], set[str]]:
    """(names bound, names declared global) in ``nodes``, not looking into nested scopes
    (their names are theirs)."""
    found: set[str] = set()
    declared: set[str] = set()
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        if isinstance(node, _SCOPES):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                found.add(node.name)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found, declared


def local_names(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """Names bound inside a function (its parameters, assignments, loop and ``with``
    targets), which hide the module's imports of the same name."""
    args = fn.args
    params = {
        a.arg
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if a is not None
    }
    body: list[ast.AST] = [fn.body] if isinstance(fn, ast.Lambda) else list(fn.body)
    found, declared = _bound(body)
    return (params | found) - declared


def comprehension_names(
    node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
) -> set[str]:
    """The names a comprehension's ``for`` clauses bind (its own scope)."""
    return _bound([g.target for g in node.generators])[0]
