"""The cost model of the expression evaluator: every limit, and the checks that decide,
before an operation runs, that it stays inside them. (Past 300 lines: each limit sits
beside the measurement that chose it.)

Expressions run inside Temporal workflow code, on the worker's threads. CPython runs one
thread at a time, so an expression that computes for a second stalls every other run on
that worker for a second; one that builds a gigabyte string can take the worker down.
Nothing a pipeline author writes, and nothing a run's data holds, may cause that. So:

- the text, its number of nodes and its nesting are bounded when it is parsed (the same
  check at compile time and at run time, since both go through ``Expression.parse``);
- every operation that *builds* something (``*``, ``+``, ``**``, ``%`` formatting,
  slicing, literals) has its result's size estimated from its operands *before* it runs,
  and is refused past a limit;
- every evaluation has a budget of steps (nodes visited, items read or built), so that
  even operations that are cheap one by one cannot add up to a long stall.

The numbers were measured on CPython 3.11 (x86-64); ``docs/steps.md`` lists them.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from typing import Any

from flowkit.steps._brief import brief

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_FORMAT_FIELD",
    "MAX_INT_BITS",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_STEPS",
    "MAX_TEXT",
    "TOO_DEEP",
    "Refused",
    "binary_cost",
    "check_number",
    "check_operand",
    "format_length",
    "read_cost",
    "size_refusal",
    "slice_length",
]

# ast.parse takes up to ~1.2 µs per character on the densest texts (`a+a+a…`, `[1,1,…]`),
# so 2,000 characters parse in under 2.5 ms; a real `when:` is rarely over 200.
MAX_TEXT = 2_000
# Each node costs 1–2.5 µs to evaluate; 500 allow a 400-item `x in [...]` list.
MAX_NODES = 500
# The evaluator uses at most two Python frames per level, so 50 levels need 104 frames
# with its own calls (measured); a Temporal workflow runs ~20 frames deep, leaving ~980 of
# the default 1,000. 50 still allows a sum of 50 names (`a + b + …` nests leftwards).
MAX_DEPTH = 50
# One step is one node visited or one item read or built. The slowest step measured,
# reading an item of a list of strings in `x in big`, takes 6–12 ns, so a full budget is
# at most ~10 ms of work; one pass over a million items (more than a 2 MB payload holds)
# still fits, repeated passes do not.
MAX_STEPS = 1_000_000
# Longest string, list or tuple an operation may build (`*`, `+`, `%`, slicing): a
# 10,000-item list takes ~20 µs to build, a 10,000-character string ~2 µs.
MAX_LENGTH = 10_000
# Largest integer an operation may take or make: 1,024 bits (309 digits) is the range of
# a float, multiplies and divides in < 5 µs, and prints well under Python's 4,300-digit
# int/str conversion limit, so any result can be serialized. (4,096 bits: ~50 µs a division.)
MAX_INT_BITS = 1_024
# Largest exponent of `**`, whatever the base.
MAX_EXPONENT = 128
# Widest width or precision of one `%` field: `%.100e` formats in ~5 µs and `%.100f` of
# 1e308 in ~15 µs (at 1,000 places, ~40 µs); no condition needs wider.
MAX_FORMAT_FIELD = 100

_SEQUENCE = (str, list, tuple, bytes, bytearray)
_SCALAR = (str, int, float, type(None))  # what %s, %r and %a may format (bool is an int)
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels is not allowed"


class Refused(Exception):
    """An operation would pass a limit; the evaluator reports it on the node."""


def size_refusal(tree: ast.AST) -> str:
    """Why ``tree`` is too large or too deep to evaluate, or '' when it is not.

    Only expression nodes count (``a + 1`` has three), and the walk stops as soon as a
    limit is passed, so it costs no more than the limits allow.
    """
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            nodes, depth = nodes + 1, depth + 1
            if depth > MAX_DEPTH:
                return TOO_DEEP
            if nodes > MAX_NODES:
                return f"more than {MAX_NODES} values, names and operations are not allowed"
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return ""


def _length(length: int) -> int:
    if length > MAX_LENGTH:
        raise Refused(f"result longer than {MAX_LENGTH}")
    return length + 1


def check_operand(value: Any) -> None:
    """Refuse arithmetic on an integer past ``MAX_INT_BITS`` (one read from the context)."""
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise Refused(f"integer larger than {MAX_INT_BITS} bits")


def binary_cost(op: ast.operator, left: Any, right: Any) -> int:
    """The steps ``left <op> right`` costs; raises :class:`Refused` if it passes a limit."""
    if isinstance(op, ast.Mod) and isinstance(left, str):
        return format_length(left, right)
    if isinstance(op, ast.Mod) and isinstance(left, bytes | bytearray):
        raise Refused("formatting bytes is not supported")
    if isinstance(op, ast.Add) and isinstance(left, _SEQUENCE) and isinstance(right, _SEQUENCE):
        return _length(len(left) + len(right))
    if isinstance(op, ast.Mult):
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCE) and isinstance(count, int):
                return _length(len(seq) * max(count, 0))
    check_operand(left)
    check_operand(right)
    if isinstance(op, ast.Pow) and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
        raise Refused(f"exponent larger than {MAX_EXPONENT}")
    if isinstance(left, int) and isinstance(right, int) and _bits(op, left, right) > MAX_INT_BITS:
        raise Refused(f"result larger than {MAX_INT_BITS} bits")
    return 1


def _bits(op: ast.operator, left: int, right: int) -> float:
    """A lower bound of the bits of ``left <op> right``, known without computing it.

    Refusing what certainly passes the limit is enough: what gets through is at most a
    bit past it (bounded work), and :func:`check_number` refuses that result.
    """
    if isinstance(op, ast.Mult) and left and right:
        return left.bit_length() + right.bit_length() - 1
    if isinstance(op, ast.Pow) and right > 0 and abs(left) > 1:
        return right * math.log2(abs(left))  # |left| ** right has floor(this) + 1 bits
    return 0


def check_number(value: Any) -> Any:
    """``value``, the result of arithmetic, if it is a plain number in range.

    Floats overflow to ``inf`` silently (``1e308 * 10``) and serialize as the non-JSON
    ``Infinity``; ``(-1) ** 0.5`` is a complex number, which JSON has no form for.
    """
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise Refused(f"result larger than {MAX_INT_BITS} bits")
    if isinstance(value, float) and not math.isfinite(value):
        raise Refused("the result is not a finite number")
    if isinstance(value, complex):
        raise Refused("the result is a complex number")
    return value


def read_cost(value: Any, *, membership: bool = False) -> int:
    """The steps reading ``value`` costs: its length for a container (``any(value)``,
    ``value == other``), but only for a sequence when it is searched (``x in value``:
    a dict or set finds ``x`` by its hash)."""
    kinds = _SEQUENCE if membership else (*_SEQUENCE, dict, set, frozenset)
    return len(value) + 1 if isinstance(value, kinds) else 1


def slice_length(container: Any, index: slice) -> int:
    """The steps ``container[index]`` costs; raises :class:`Refused` if it is not a slice
    of a list, tuple or text, or is too long."""
    if not isinstance(container, str | list | tuple):
        raise Refused(f"only lists, tuples and text can be sliced, not {type(container).__name__}")
    try:
        length = len(range(*index.indices(len(container))))
    except (TypeError, ValueError) as exc:  # bounds that are not integers; a zero step
        raise Refused(str(exc)) from None
    return _length(length)


# -- printf-style formatting ---------------------------------------------------------------


def format_length(template: str, args: Any) -> int:
    """The steps ``template % args`` costs: an upper bound of the result's length.

    Raises :class:`Refused` if the result could be too long, a field is too wide or names
    a missing key, or the format is one this model does not know the cost of. The fields
    are read as CPython reads them (``%[(key)][flags][width][.precision][hlL]type``, a
    ``*`` taking the width or precision from the arguments), each with its value, so the
    bound is tight. Formats Python rejects anyway (too few arguments, a string for ``%d``)
    are left for Python to reject.
    """
    if len(template) > MAX_LENGTH:
        raise Refused(f"format longer than {MAX_LENGTH}")
    positional = args if isinstance(args, tuple) else (args,)
    total, taken, keyed, i = 0, 0, False, 0
    while (start := template.find("%", i)) >= 0:
        total, i = total + start - i, start + 1
        if template.startswith("%", i):  # %%: a literal %
            total, i = total + 1, i + 1
            continue
        key, i = _key(template, i)
        while i < len(template) and template[i] in "-+ #0":
            i += 1
        width, i = _number(template, i)
        precision: str | None = None
        if template.startswith(".", i):
            precision, i = _number(template, i + 1)
        if i < len(template) and template[i] in "hlL":  # length modifiers, ignored
            i += 1
        if i >= len(template):
            raise Refused("incomplete format")
        kind, i = template[i], i + 1
        sizes: list[int | None] = []
        for number in (width, precision):
            if number == "*":
                if key is not None:
                    raise Refused("a %(name) field cannot take its width from the arguments")
                if taken == len(positional):
                    return _length(total)  # Python raises: not enough arguments
                number, taken = _star(positional[taken]), taken + 1
            sizes.append(None if number is None else int(number or 0))
        if key is not None:
            if not isinstance(args, Mapping):
                raise Refused(f"a %({key}) field needs a dict, not {type(args).__name__}")
            if key not in args:
                raise Refused(f"the format needs the key {brief(key)}, which the dict lacks")
            value, keyed = args[key], True
        elif taken == len(positional):
            return _length(total)  # Python raises: not enough arguments
        else:
            value, taken = positional[taken], taken + 1
        if keyed and taken:
            raise Refused("a format cannot mix %(name) fields and positional ones")
        total += max(sizes[0] or 0, _field_length(kind, value, sizes[1]))
    return _length(total + len(template) - i)


def _key(template: str, i: int) -> tuple[str | None, int]:
    """The ``(key)`` of a field at ``i``, nested parentheses included, as CPython reads it."""
    if not template.startswith("(", i):
        return None, i
    depth, j = 1, i + 1
    while j < len(template) and depth:
        depth += {"(": 1, ")": -1}.get(template[j], 0)
        j += 1
    if depth:
        raise Refused("incomplete format key")
    return template[i + 1 : j - 1], j


def _number(template: str, i: int) -> tuple[str | None, int]:
    """A width or precision at ``i``: ``'*'``, its digits, or None when there is none."""
    if template.startswith("*", i):
        return "*", i + 1
    j = i
    while j < len(template) and template[j] in "0123456789":
        j += 1
    if j - i > len(str(MAX_FORMAT_FIELD)) or int(template[i:j] or 0) > MAX_FORMAT_FIELD:
        raise Refused(f"format field wider than {MAX_FORMAT_FIELD}")
    return (template[i:j] if j > i else None), j


def _star(value: Any) -> str:
    """The width or precision a ``*`` takes from an argument (a negative width pads left)."""
    if not isinstance(value, int):
        raise Refused(f"* needs an integer, not {type(value).__name__}")
    if abs(value) > MAX_FORMAT_FIELD:
        raise Refused(f"format field wider than {MAX_FORMAT_FIELD}")
    return str(abs(value))


def _digits(value: int) -> int:
    check_operand(value)
    return value.bit_length() // 3 + 2  # log10(2) < 1/3; one more for the sign


def _field_length(kind: str, value: Any, precision: int | None) -> int:
    """An upper bound of the length of one field before its width pads it."""
    if kind in "sra":
        if not isinstance(value, _SCALAR):
            name = type(value).__name__
            raise Refused(f"%{kind} formats text, numbers, booleans and None, not {name}")
        if isinstance(value, str):
            if kind != "s" and len(value) > MAX_LENGTH:
                raise Refused(f"result longer than {MAX_LENGTH}")
            length = len(value if kind == "s" else repr(value) if kind == "r" else ascii(value))
        elif isinstance(value, bool) or value is None:
            length = 5
        elif isinstance(value, int):
            length = _digits(value)
        else:
            length = 25  # the longest float repr: -2.2250738585072014e-308
        return length if precision is None else min(length, precision)
    if kind in "diuoxXeEfFgG" and not isinstance(value, int | float):
        return 0  # Python refuses it: "%d format: a real number is required, not str"
    if kind in "diuoxX":
        if isinstance(value, float):  # |value| < 2**1024: at most 309 digits
            return 0 if kind in "oxX" else max(311, (precision or 0) + 3)
        return max(_digits(value), precision or 0) + 3  # sign and 0x prefix
    if kind in "eEfFgG":
        check_operand(value)
        places = 6 if precision is None else precision
        # %f: up to 309 integer digits; %e and %g: one digit, the point and e+308
        return places + (313 if kind in "fF" else 9)
    if kind == "c":
        if isinstance(value, int) and 0xD800 <= value <= 0xDFFF:
            raise Refused("%c of a surrogate code point makes text that cannot be stored")
        return 1
    raise Refused(f"unsupported format character {kind!r}")
