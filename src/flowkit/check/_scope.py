"""Which code in a module is workflow code: the bodies of ``@workflow.defn`` and
``@agent.defn`` classes (flowkit's, temporalio's or Restack's decorator, however
imported), and the module's functions they call, directly or through one another."""

from __future__ import annotations

import ast

from flowkit.check._names import Names

__all__ = ["workflow_code"]

_DECORATORS = frozenset(
    {
        "temporalio.workflow.defn",
        "flowkit.workflow.workflow.defn",
        "flowkit.agent.agent.defn",
        "restack_ai.workflow.workflow.defn",
        "restack_ai.agent.agent.defn",
    }
)
# A function with one of these is a step (an activity), run outside the sandbox.
_STEPS = frozenset({"temporalio.activity.defn", "flowkit.function.function.defn"})

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _decorated(node: ast.ClassDef | Function, names: Names, wanted: frozenset[str]) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if names.canonical(target) in wanted:
            return True
    return False


def workflow_code(tree: ast.Module, names: Names) -> tuple[list[ast.ClassDef], list[Function]]:
    """The module's workflow classes, and the top-level functions their code calls."""
    classes = [
        n for n in tree.body if isinstance(n, ast.ClassDef) and _decorated(n, names, _DECORATORS)
    ]
    functions = {
        n.name: n
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        and not _decorated(n, names, _STEPS)
    }
    reached: dict[str, Function] = {}
    todo: list[ast.AST] = list(classes)
    while todo:
        for sub in ast.walk(todo.pop()):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
                fn = functions.get(sub.func.id)
                if fn is not None and fn.name not in reached:
                    reached[fn.name] = fn
                    todo.append(fn)
    return classes, list(reached.values())
