"""The expression language itself: its operators and functions, and the allow-list that
:meth:`Expression.parse` checks a tree against before anything runs.

Beyond what is unsafe (attributes, calls, dunders), the allow-list refuses what cannot be
plain data or would not be deterministic: bytes, imaginary and infinite literals, text
with lone surrogates (UTF-8 cannot carry them), ``...``, ``**`` unpacking (which the
evaluator once read as a ``None`` key), sets anywhere but in a comparison or ``len``/
``any``/``all`` (their order changes from one process to the next), and ``is`` with
anything but None, True or False (the identity of other values is an accident of CPython).
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections import deque
from collections.abc import Callable
from typing import Any

from flowkit.steps._expr_limits import MAX_INT_BITS

__all__ = ["BINARY", "COMPARE", "FUNCTIONS", "UNARY", "refusal"]

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.Not: operator.not_,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
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
FUNCTIONS: dict[str, Callable[[Any], Any]] = {"len": len, "any": any, "all": all}
_ALLOWED: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.Load, ast.Constant, ast.Name, ast.Slice, ast.IfExp, ast.BoolOp,
    ast.And, ast.Or, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.UnaryOp, ast.BinOp,
    ast.Compare, ast.Subscript, ast.Call, *BINARY, *UNARY, *COMPARE,
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
_SINGULAR = {"attribute access", "unpacking", "await"}
_OPERATORS = {ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<",
              ast.RShift: ">>", ast.MatMult: "@", ast.Invert: "~"}  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")  # text that UTF-8 (so JSON) cannot carry


def refusal(tree: ast.AST) -> tuple[str, ast.AST] | None:
    """The first form in ``tree`` outside the allow-list and why, or None when all are in.

    The walk is breadth first, so the outermost offending part is the one named.
    """
    queue: deque[tuple[ast.AST, ast.AST | None]] = deque([(tree, None)])
    while queue:
        node, parent = queue.popleft()
        reason = _refusal(node, parent)
        if reason:
            return reason, node
        queue.extend((child, node) for child in ast.iter_child_nodes(node))
    return None


def _refusal(node: ast.AST, parent: ast.AST | None) -> str:
    """Why ``node`` is not allowed, or '' when it is."""
    if isinstance(node, ast.Name) and (node.id.startswith("__") or node.id.endswith("__")):
        return "dunder names are not allowed"
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        simple = len(node.args) == 1 and not node.keywords
        if name in FUNCTIONS and simple and not isinstance(node.args[0], ast.Starred):
            return ""
        return f"{_REFUSED[ast.Call]} (with one positional argument) are not allowed"
    if isinstance(node, ast.Constant):
        return _constant_refusal(node.value)
    if isinstance(node, ast.Set) and not isinstance(parent, ast.Compare | ast.Call):
        return "sets outside comparisons and len, any and all are not allowed"
    if isinstance(node, ast.Dict) and None in node.keys:
        return "unpacking (**) is not allowed"
    index = node.slice if isinstance(node, ast.Subscript) else None
    if isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice) for e in index.elts):
        return "slices inside a tuple are not allowed"
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
            singleton = (None, True, False)
            if isinstance(op, ast.Is | ast.IsNot) and not any(
                isinstance(s, ast.Constant) and s.value in singleton for s in (left, right)
            ):  # identity of other values is an accident of CPython, not deterministic
                return "`is` with anything but None, True or False is not allowed"
    if type(node) in _REFUSED:
        what = _REFUSED[type(node)]
        return f"{what} {'is' if what in _SINGULAR else 'are'} not allowed"
    if type(node) in _OPERATORS:
        return f"the {_OPERATORS[type(node)]} operator is not allowed"
    if not isinstance(node, _ALLOWED):
        return f"{type(node).__name__} is not allowed"
    return ""


def _constant_refusal(value: Any) -> str:
    """Why a literal is not allowed: only plain data can be written."""
    if isinstance(value, str):
        if value.startswith("__") and value.endswith("__"):
            return "dunder keys are not allowed"
        return "text with lone surrogates is not allowed" if _SURROGATE.search(value) else ""
    if isinstance(value, bytes):
        return "bytes literals are not allowed"
    if isinstance(value, complex):
        return "imaginary numbers are not allowed"
    if value is Ellipsis:
        return "the ... literal is not allowed"
    if isinstance(value, float) and not math.isfinite(value):
        return "numbers too large for a float are not allowed"
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        return f"integers larger than {MAX_INT_BITS} bits are not allowed"
    return ""
