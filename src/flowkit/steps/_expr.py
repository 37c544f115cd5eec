"""A safe expression language for ``when:`` and ``kind: conditional``.

An expression is Python syntax restricted to an allow-list: boolean logic, comparisons,
arithmetic, subscripts, conditional expressions, literals, and calls of ``len``, ``any``
and ``all``. Attribute access, any other call, dunder names, comprehensions and lambdas are
refused when the expression is parsed, before anything runs. Evaluation walks the tree
itself (no ``eval``), touches nothing but the context it is given, and is deterministic,
so it is safe inside a workflow::

    >>> evaluate("len(order['items']) > 2 and order['total'] >= 100", {"order": order})
"""

from __future__ import annotations

import ast
import functools
import operator
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flowkit._sdk._errors import StepError

__all__ = ["Expression", "ExpressionError", "UnsafeExpressionError", "evaluate", "when"]

_MAX_SEQUENCE = 10_000  # longest string or list that `*` may build
_MAX_EXPONENT = 128

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.Not: operator.not_,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_FUNCTIONS: dict[str, Callable[[Any], Any]] = {"len": len, "any": any, "all": all}
_ALLOWED: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.Load, ast.Constant, ast.Name, ast.Slice, ast.IfExp, ast.BoolOp,
    ast.And, ast.Or, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.UnaryOp, ast.BinOp,
    ast.Compare, ast.Subscript, ast.Call, *_BINARY, *_UNARY, *_COMPARE,
)  # fmt: skip

_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Call: "calls other than len, any and all",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.NamedExpr: "assignments",
    ast.Starred: "unpacking",
    ast.Await: "await",
    ast.JoinedStr: "f-strings",
}


class ExpressionError(StepError):
    """An expression cannot be parsed or evaluated.

    A :class:`~flowkit.workflow.StepError`: in workflow code it fails the run (type
    ``ExpressionError``, the step named) rather than the workflow task.

    Attributes:
        expression: the whole expression text.
        part: the offending part of it ('' when it concerns the whole).
        column: 1-based column of the part, or 0.
    """

    def __init__(self, expression: str, message: str, part: str = "", column: int = 0) -> None:
        self.expression = expression
        self.part = part
        self.column = column
        where = f" at column {column}" if column else ""
        what = f": `{part}`" if part else ""
        super().__init__(f"expression `{expression}`{where}{what}: {message}")


class UnsafeExpressionError(ExpressionError):
    """The expression uses something outside the allow-list (attributes, calls, dunders)."""


def _part(text: str, node: ast.AST) -> tuple[str, int]:
    segment = ast.get_source_segment(text, node) or ""
    return segment, getattr(node, "col_offset", -1) + 1


_PARSE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> ast.Expression:
    """``ast.parse`` once per text per process, one thread at a time.

    Workflows evaluate expressions on worker threads, over and over. On CPython 3.11.7 and
    older (gh-106905) the AST builder keeps its recursion depth in interpreter-wide state,
    so two threads parsing at once can fail one of them with "AST constructor recursion
    depth mismatch". Parsing each text once, under a lock, keeps flowkit's own parses from
    racing each other (other threads' parses, such as traceback formatting, still can).
    The trees are never mutated, so sharing them is safe.
    """
    with _PARSE_LOCK:
        return ast.parse(text, mode="eval")


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression; evaluate it as often as needed.

    Attributes:
        text: the expression as written.
    """

    text: str
    _tree: ast.Expression = field(repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> Expression:
        """Parse and check ``text``.

        Raises:
            ExpressionError: it is not a Python expression.
            UnsafeExpressionError: it uses a form outside the allow-list.
        """
        try:
            tree = _parse(text.strip())
        except SyntaxError as exc:
            message = f"not an expression ({exc.msg})"
            raise ExpressionError(text, message, column=exc.offset or 0) from None
        _check(text.strip(), tree)
        return cls(text.strip(), tree)

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The value of the expression, with names looked up in ``context``.

        Raises:
            ExpressionError: a name is unknown, a key is missing, or an operation fails.
        """
        return _Evaluator(self.text, context).visit(self._tree.body)


def _check(text: str, tree: ast.AST) -> None:
    for node in ast.walk(tree):
        reason = _refusal(node)
        if reason:
            raise UnsafeExpressionError(text, reason, *_part(text, node))


def _refusal(node: ast.AST) -> str:
    """Why ``node`` is not allowed, or '' when it is."""
    if isinstance(node, ast.Name) and (node.id.startswith("__") or node.id.endswith("__")):
        return "dunder names are not allowed"
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        simple = len(node.args) == 1 and not node.keywords
        if name in _FUNCTIONS and simple and not isinstance(node.args[0], ast.Starred):
            return ""
        return f"{_REFUSED[ast.Call]} (with one positional argument) are not allowed"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.startswith("__") and node.value.endswith("__"):
            return "dunder keys are not allowed"
        return ""
    if type(node) in _REFUSED:
        return f"{_REFUSED[type(node)]} are not allowed"
    if not isinstance(node, _ALLOWED):
        return f"{type(node).__name__} is not allowed"
    return ""


class _Evaluator:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.text = text
        self.context = context

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(self.text, message, *_part(self.text, node))

    def visit(self, node: ast.AST) -> Any:  # one branch per allowed form
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in _FUNCTIONS:
                raise self.fail(node, f"{node.id} can only be called")
            if node.id not in self.context:
                known = ", ".join(sorted(self.context)) or "none"
                raise self.fail(node, f"unknown name {node.id!r} (known: {known})")
            return self.context[node.id]
        if isinstance(node, ast.BoolOp):
            value: Any = None
            for operand in node.values:
                value = self.visit(operand)
                if isinstance(node.op, ast.And) != bool(value):
                    return value
            return value
        if isinstance(node, ast.IfExp):
            return self.visit(node.body if self.visit(node.test) else node.orelse)
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.visit(right_node)
                if not self.apply(node, _COMPARE[type(op)], left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.UnaryOp):
            return self.apply(node, _UNARY[type(node.op)], self.visit(node.operand))
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            self.guard(node, left, right)
            return self.apply(node, _BINARY[type(node.op)], left, right)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if p is None else self.visit(p) for p in parts))
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # _check allowed nothing else
            return self.apply(node, _FUNCTIONS[node.func.id], self.visit(node.args[0]))
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = [self.visit(e) for e in node.elts]
            kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
            return self.apply(node, kind, items)
        if isinstance(node, ast.Dict):
            keys = [None if k is None else self.visit(k) for k in node.keys]
            return self.apply(
                node, dict, zip(keys, [self.visit(v) for v in node.values], strict=True)
            )
        raise self.fail(node, f"{type(node).__name__} is not allowed")  # pragma: no cover

    def subscript(self, node: ast.Subscript) -> Any:
        container, key = self.visit(node.value), self.visit(node.slice)
        if hasattr(container, "model_dump"):  # a pydantic model: read its fields as keys
            container = container.model_dump()
        try:
            return container[key]
        except (KeyError, IndexError):
            raise self.fail(node, f"no item {key!r}") from None
        except TypeError as exc:
            raise self.fail(node, str(exc)) from None

    def guard(self, node: ast.BinOp, left: Any, right: Any) -> None:
        big_power = isinstance(right, int | float) and abs(right) > _MAX_EXPONENT
        if isinstance(node.op, ast.Pow) and big_power:
            raise self.fail(node, f"exponent larger than {_MAX_EXPONENT}")
        if isinstance(node.op, ast.Mult):
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > _MAX_SEQUENCE:
                    raise self.fail(node, f"result longer than {_MAX_SEQUENCE}")

    def apply(self, node: ast.AST, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise self.fail(node, str(exc)) from None


def evaluate(
    expression: str | Expression, context: Mapping[str, Any], *, step: str | None = None
) -> Any:
    """Parse (if needed) and evaluate an expression over ``context``.

    Args:
        expression: the text, or an :class:`Expression` parsed before.
        context: the names the expression may use.
        step: the step the expression belongs to; a failure names it.

    Raises:
        ExpressionError: the expression is malformed, unsafe, or fails on this context.
    """
    try:
        parsed = expression if isinstance(expression, Expression) else Expression.parse(expression)
        return parsed.evaluate(context)
    except ExpressionError as exc:
        raise exc.at_step(step) from None


def when(
    expression: str | Expression, context: Mapping[str, Any], *, step: str | None = None
) -> bool:
    """The truth of an expression: what a step's ``when:`` decides."""
    return bool(evaluate(expression, context, step=step))
