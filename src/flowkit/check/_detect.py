"""Find the rules' sources in workflow code: a walk over the classes and functions
:func:`~flowkit.check._scope.workflow_code` picked, that resolves every name through
the module's imports and skips annotations (they never run)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from flowkit.check._names import Names, comprehension_names, dotted, local_names
from flowkit.check._sources import METHODS, PATH_CLASSES, PATH_METHODS, Source, lookup

__all__ = ["Hit", "mutable_globals", "walk_workflow_code"]

# (node, rule id, what was used, its own alternative or None)
Hit = tuple[ast.AST, str, str, str | None]

_MUTATORS = frozenset(
    [
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "popitem",
        "appendleft",
        "extendleft",
        "popleft",
        "rotate",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    ]
)
_MUTABLE_CALLS = frozenset(
    {
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.bytearray",
        "collections.defaultdict",
        "collections.deque",
        "collections.OrderedDict",
        "collections.Counter",
    }
)
_LOOPS = frozenset({"asyncio.get_event_loop", "asyncio.get_running_loop"})


def _shown(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mutable_globals(tree: ast.Module, names: Names) -> set[str]:
    """Top-level names bound to a list, dict, set or another mutable container."""
    found: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            value, targets = stmt.value, stmt.targets
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            value, targets = stmt.value, [stmt.target]
        else:
            continue
        mutable = isinstance(
            value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp | ast.SetComp
        ) or (isinstance(value, ast.Call) and names.canonical(value.func) in _MUTABLE_CALLS)
        if not mutable:
            continue
        found.update(t.id for t in targets if isinstance(t, ast.Name))
    return found


class _Walker(ast.NodeVisitor):
    def __init__(self, names: Names, mutable: set[str], report: Callable[[Hit], None]) -> None:
        self.names = names
        self.mutable = mutable
        self.report = report
        self.local: list[frozenset[str]] = [frozenset()]

    # -- scopes and annotations ----------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.visit(decorator)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.local.append(self.local[-1] | local_names(node))
        body = [node.body] if isinstance(node, ast.Lambda) else node.body
        for stmt in body:
            self.visit(stmt)
        self.local.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        # The first iterable is evaluated outside the comprehension's scope.
        self.visit(node.generators[0].iter)
        self.local.append(self.local[-1] | comprehension_names(node))
        for index, generator in enumerate(node.generators):
            if index:
                self.visit(generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for part in (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,):
            self.visit(part)
        self.local.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for stmt in node.body:
            self.visit(stmt)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        if node.value is not None:
            self.visit(node.value)

    # -- names ---------------------------------------------------------------------------

    def _name(self, node: ast.expr, call: ast.Call | None = None) -> bool:
        """Report ``node`` if it names a source; True when it is a chain of names (so its
        parts need no visit)."""
        if dotted(node) is None:
            return False
        canonical = self.names.canonical(node, self.local[-1])
        source: Source | None = lookup(canonical) if canonical else None
        if source is not None and not (
            source.only_without_args and (call is None or call.args or call.keywords)
        ):
            used = _shown(node) + ("()" if call is not None else "")
            self.report((node, source.rule, used, source.alternative))
        return True

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._name(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self._name(node):
            self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not self._name(func, node):
            self.visit(func)
        if isinstance(func, ast.Attribute):
            self._method(node, func)
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            self.visit(arg)

    def _method(self, call: ast.Call, func: ast.Attribute) -> None:
        receiver = func.value
        used = _shown(func) + "()"
        if func.attr in METHODS:
            source = METHODS[func.attr]
            self.report((func, source.rule, used, source.alternative))
        elif func.attr in PATH_METHODS and self._is_path(receiver):
            self.report((func, "FK104", used, None))
        elif (
            func.attr in {"stop", "close"}
            and isinstance(receiver, ast.Call)
            and self.names.canonical(receiver.func, self.local[-1]) in _LOOPS
        ):
            self.report((func, "FK106", used, METHODS["run_forever"].alternative))
        elif (
            func.attr in _MUTATORS
            and isinstance(receiver, ast.Name)
            and receiver.id in self.mutable
            and receiver.id not in self.local[-1]
        ):
            self.report((func, "FK108", used, None))

    def _is_path(self, node: ast.expr) -> bool:
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            node = node.left
        return (
            isinstance(node, ast.Call)
            and self.names.canonical(node.func, self.local[-1]) in PATH_CLASSES
        )

    # -- module state --------------------------------------------------------------------

    def visit_Global(self, node: ast.Global) -> None:
        self.report((node, "FK108", "global " + ", ".join(node.names), None))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        value = node.value
        if (
            isinstance(node.ctx, ast.Store | ast.Del)
            and isinstance(value, ast.Name)
            and value.id in self.mutable
            and value.id not in self.local[-1]
        ):
            self.report((node, "FK108", _shown(node) + " = …", None))
        self.generic_visit(node)


def walk_workflow_code(
    nodes: list[ast.ClassDef] | list[ast.FunctionDef | ast.AsyncFunctionDef],
    names: Names,
    mutable: set[str],
    report: Callable[[Hit], None],
) -> None:
    """Report every use of a source in ``nodes`` (and whatever they contain)."""
    walker = _Walker(names, mutable, report)
    for node in nodes:
        walker.visit(node)
