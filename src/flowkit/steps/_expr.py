"""A safe expression language for ``when:`` and ``kind: conditional``.

(Past 300 lines: the evaluator is one walk over the tree, a branch per allowed form;
its limits live in ``_expr_limits``, its allow-list in ``_expr_syntax``.)

An expression is Python syntax restricted to an allow-list: boolean logic, comparisons,
arithmetic, subscripts, conditional expressions, literals, and calls of ``len``, ``any``
and ``all``. Attribute access, any other call, dunder names, comprehensions and lambdas are
refused when the expression is parsed, before anything runs. Evaluation walks the tree
itself (no ``eval``), touches nothing but the context it is given, and is deterministic,
so it is safe inside a workflow::

    >>> evaluate("len(order['items']) > 2 and order['total'] >= 100", {"order": order})

It is also total and bounded: whatever the text and the context, evaluation ends in a
value or an :class:`ExpressionError`, within the limits of :mod:`._expr_limits` (the text's
size and nesting, what each operation may build, a budget of steps). What it builds is
plain data — None, booleans, integers, finite floats, text, lists, tuples, and dicts with
scalar keys — so a result can always be stored in the run's history; a set may be used
(``x in {'a', 'b'}``, ``len({...})``) but never becomes part of a result, since its order
is not deterministic. Values read from the context are returned as they are.
"""

from __future__ import annotations

import ast
import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flowkit.steps import _expr_limits as limits
from flowkit.steps._brief import brief, printable
from flowkit.steps._expr_syntax import BINARY, COMPARE, FUNCTIONS, UNARY, refusal
from flowkit.workflow import StepError

__all__ = ["Expression", "ExpressionError", "UnsafeExpressionError", "evaluate", "when"]

_KEYS = (str, int, float, type(None))  # dict keys a result may have (bool is an int)


class ExpressionError(StepError):
    """An expression cannot be parsed or evaluated.

    A :class:`~flowkit.workflow.StepError`: in workflow code it fails the run (type
    ``ExpressionError``, the step named) rather than the workflow task. The message is
    one line, clipped and with unprintable characters escaped, whatever the text.

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
        what = f": `{printable(part, 80)}`" if part else ""
        shown = printable(expression)
        super().__init__(f"expression `{shown}`{where}{what}: {printable(message, 300)}")


class UnsafeExpressionError(ExpressionError):
    """The expression uses something outside the allow-list (attributes, calls, dunders),
    or is larger or more deeply nested than expressions may be."""


def _part(text: str, node: ast.AST) -> tuple[str, int]:
    segment = ast.get_source_segment(text, node) or ""
    return segment, getattr(node, "col_offset", -1) + 1


_PARSE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Expression:
    """Parse and check ``text`` once per process; ``ast.parse`` one thread at a time.

    Workflows evaluate expressions on worker threads, over and over. On CPython 3.11.7 and
    older (gh-106905) the AST builder keeps its recursion depth in interpreter-wide state,
    so two threads parsing at once can fail one of them with "AST constructor recursion
    depth mismatch". Parsing each text once, under a lock, keeps flowkit's own parses from
    racing each other (other threads' parses, such as traceback formatting, still can).
    Only accepted texts are cached; the trees are never mutated, so sharing them is safe.
    """
    if len(text) > limits.MAX_TEXT:
        reason = f"more than {limits.MAX_TEXT} characters are not allowed"
        raise UnsafeExpressionError(text, reason)
    try:
        with _PARSE_LOCK:
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:  # also NUL characters, and invalid escapes under -W error
        message = f"not an expression ({exc.msg})"
        raise ExpressionError(text, message, column=exc.offset or 0) from None
    except ValueError:  # lone surrogates, which cannot be encoded to parse
        raise ExpressionError(text, "not an expression (it is not valid Unicode)") from None
    except (RecursionError, MemoryError):
        # The parser's own stack ran out: far past MAX_DEPTH, and how far it got depends
        # on the thread's headroom, so report what the depth check reports on any thread.
        raise UnsafeExpressionError(text, limits.TOO_DEEP) from None
    reason = limits.size_refusal(tree)  # before the allow-list: the same error on any thread
    if reason:
        raise UnsafeExpressionError(text, reason)
    _check(text, tree)
    return Expression(text, tree)


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
            UnsafeExpressionError: it uses a form outside the allow-list, or is longer,
                larger or more deeply nested than the limits allow.
        """
        if not isinstance(text, str):
            raise ExpressionError(brief(text), f"an expression is text, not {type(text).__name__}")
        return _parse(text.strip())

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The value of the expression, with names looked up in ``context``.

        Raises:
            ExpressionError: a name is unknown, a key is missing, an operation fails or
                would pass a limit.
        """
        if not isinstance(context, Mapping):
            raise ExpressionError(self.text, f"the context is a {type(context).__name__}, "
                                             "not a mapping of names")  # fmt: skip
        return _Evaluator(self.text, context).visit(self._tree.body)


def _check(text: str, tree: ast.AST) -> None:
    refused = refusal(tree)
    if refused:
        reason, node = refused
        raise UnsafeExpressionError(text, reason, *_part(text, node))


class _Evaluator:
    """Walks a checked tree.

    Each level of the tree costs at most two Python frames (``visit`` and one handler;
    no comprehensions, which are frames of their own), so the recursion is bounded by
    ``MAX_DEPTH`` whatever thread it runs on.
    """

    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.text = text
        self.context = context
        self.steps = 0

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        return ExpressionError(self.text, message, *_part(self.text, node))

    def charge(self, node: ast.AST, steps: int) -> None:
        self.steps += steps
        if self.steps > limits.MAX_STEPS:
            message = f"needs more than {limits.MAX_STEPS} steps (items read or built)"
            raise self.fail(node, message)

    def visit(self, node: ast.AST) -> Any:
        self.charge(node, 1)
        return _VISIT[type(node)](self, node)

    def constant(self, node: ast.Constant) -> Any:
        return node.value

    def name(self, node: ast.Name) -> Any:
        if node.id in FUNCTIONS:
            raise self.fail(node, f"{node.id} can only be called")
        if node.id not in self.context:
            names = sorted(k for k in self.context if isinstance(k, str))
            known = ", ".join(names[:12]) + (", …" if len(names) > 12 else "") or "none"
            raise self.fail(node, f"unknown name {node.id!r} (known: {known})")
        return self.context[node.id]

    def bool_op(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for operand in node.values:
            value = self.visit(operand)
            if isinstance(node.op, ast.And) != self.truth(node, value):
                return value
        return value

    def if_exp(self, node: ast.IfExp) -> Any:
        return self.visit(node.body if self.truth(node, self.visit(node.test)) else node.orelse)

    def compare(self, node: ast.Compare) -> bool:
        left = self.visit(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            if isinstance(op, ast.In | ast.NotIn):
                self.charge(node, limits.read_cost(right, membership=True))
            else:
                self.charge(node, min(limits.read_cost(left), limits.read_cost(right)))
            if not self.truth(node, self.apply(node, COMPARE[type(op)], left, right)):
                return False
            left = right
        return True

    def unary_op(self, node: ast.UnaryOp) -> Any:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return not self.truth(node, operand)
        self.limit(node, limits.check_operand, operand)
        result = self.apply(node, UNARY[type(node.op)], operand)
        return self.limit(node, limits.check_number, result)

    def bin_op(self, node: ast.BinOp) -> Any:
        left, right = self.visit(node.left), self.visit(node.right)
        self.charge(node, self.limit(node, limits.binary_cost, node.op, left, right))
        result = self.apply(node, BINARY[type(node.op)], left, right)
        return self.limit(node, limits.check_number, result)

    def subscript(self, node: ast.Subscript) -> Any:
        container = self.visit(node.value)
        if hasattr(container, "model_dump"):  # a pydantic model: read its fields as keys
            container = self.apply(node, container.model_dump)
        if isinstance(node.slice, ast.Slice):
            index: Any = self.slice(node.slice)
            self.charge(node, self.limit(node, limits.slice_length, container, index))
        else:
            index = self.visit(node.slice)
        try:
            return container[index]
        except (KeyError, IndexError):
            raise self.fail(node, f"no item {brief(index)}") from None
        except (TypeError, ValueError, OverflowError) as exc:
            raise self.fail(node, str(exc)) from None

    def slice(self, node: ast.Slice) -> slice:
        # Only a subscript makes one, and uses it at once: a slice is never a result.
        self.charge(node, 1)
        bounds: list[Any] = []
        for part in (node.lower, node.upper, node.step):
            bounds.append(None if part is None else self.visit(part))
        return slice(*bounds)

    def call(self, node: ast.Call) -> Any:
        assert isinstance(node.func, ast.Name)  # _check allowed nothing else
        argument = self.visit(node.args[0])
        if node.func.id != "len":  # any and all read every item; len reads none
            self.charge(node, limits.read_cost(argument))
        return self.apply(node, FUNCTIONS[node.func.id], argument)

    def sequence(self, node: ast.List | ast.Tuple | ast.Set) -> Any:
        items = []
        for element in node.elts:
            items.append(self.visit(element))
        kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
        return self.apply(node, kind, items)

    def dict(self, node: ast.Dict) -> dict[Any, Any]:
        built: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            assert key_node is not None  # _check refused ** unpacking
            key = self.visit(key_node)
            if not isinstance(key, _KEYS):
                message = f"dict keys are text, numbers, booleans or None, not {type(key).__name__}"
                raise self.fail(key_node, message)
            built[key] = self.visit(value_node)
        return built

    def truth(self, node: ast.AST, value: Any) -> bool:
        return bool(self.apply(node, bool, value))

    def limit(self, node: ast.AST, check: Callable[..., Any], *args: Any) -> Any:
        try:
            return check(*args)
        except limits.Refused as exc:
            raise self.fail(node, str(exc)) from None

    def apply(self, node: ast.AST, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except RecursionError:  # comparing or hashing data nested deeper than the stack
            raise self.fail(node, "the data is nested too deeply") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, MemoryError) as exc:
            raise self.fail(node, str(exc) or type(exc).__name__) from None


_VISIT: dict[type[ast.AST], Callable[[_Evaluator, Any], Any]] = {
    ast.Constant: _Evaluator.constant,
    ast.Name: _Evaluator.name,
    ast.BoolOp: _Evaluator.bool_op,
    ast.IfExp: _Evaluator.if_exp,
    ast.Compare: _Evaluator.compare,
    ast.UnaryOp: _Evaluator.unary_op,
    ast.BinOp: _Evaluator.bin_op,
    ast.Subscript: _Evaluator.subscript,
    ast.Call: _Evaluator.call,
    ast.List: _Evaluator.sequence,
    ast.Tuple: _Evaluator.sequence,
    ast.Set: _Evaluator.sequence,
    ast.Dict: _Evaluator.dict,
}


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
