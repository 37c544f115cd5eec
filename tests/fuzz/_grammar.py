"""Generators of expression texts and run data, written once for two drivers.

A generator makes its choices through a :class:`Choices`: :class:`Drawn` asks Hypothesis
for each (cases shrink to the simplest choices, so options are listed simplest first),
:class:`Seeded` asks a seeded ``random.Random`` (a case costs one draw, so a target runs
thousands of cases in a second or two).

Texts are built from the expression language's own forms — literals up to huge ones,
names, subscripts and slices, every operator, ``%`` formatting with random format specs,
comparisons, ``if``/``else``, ``len``/``any``/``all``, and forms it refuses — then
mutated and joined. Values are JSON-like data nested a few levels, with big strings,
lists and integers, and (for ``raw``) NaN, infinities and lone surrogates.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

__all__ = [
    "NAMES",
    "POOL",
    "Choices",
    "Drawn",
    "Seeded",
    "context",
    "expression",
    "format_args",
    "format_text",
    "mutated",
    "value",
]

T = TypeVar("T")

NAMES = ("a", "b", "s", "xs", "d", "input", "n")


class Choices(Protocol):
    def pick(self, options: Sequence[T]) -> T: ...
    def number(self, low: int, high: int) -> int: ...


class Drawn:
    """Choices drawn from Hypothesis (inside ``st.composite``)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def pick(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def number(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))


class Seeded:
    """Choices from a ``random.Random`` seeded by one Hypothesis draw."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.random.randrange(len(options))]

    def number(self, low: int, high: int) -> int:
        return self.random.randint(low, high)


# -- values ------------------------------------------------------------------------------

_ALPHABET = "ab %()'é\u2028\t😀"  # quotes, %, non-ASCII, a line separator, astral
_RAW_ALPHABET = _ALPHABET + "\x00\ud800\n"  # NUL and a lone surrogate, as JSON can carry
_STRINGS = ["", "%s", "%(a)s %d", "name", "nan", "inf", "-Infinity", "1e999", "a@b.c"]
_STRINGS += ["a" * 20_000, "é" * 10_001, "1" * 5000, "a@" + "a." * 5000 + " "]


def _text(c: Choices, alphabet: str = _ALPHABET) -> str:
    return "".join(c.pick(alphabet) for _ in range(c.number(0, 8)))


def scalar(c: Choices, *, raw: bool = False) -> Any:
    kind = c.number(0, 7 if raw else 6)
    if kind == 0:
        return c.pick([None, True, False])
    if kind == 1:
        return c.number(-10, 10)
    if kind == 2:  # past MAX_INT_BITS; under 4,300 digits, so that a failing case prints
        return c.pick([1, -1]) * (2 ** c.number(60, 14_000) - c.number(0, 5))
    if kind == 3:
        return c.pick([0.5, -0.0, 1e308, 5e-324, 2.5, -1e-300, 1.0, 1e16])
    if kind == 4:
        return _text(c, _RAW_ALPHABET if raw else _ALPHABET)
    if kind == 5:
        return c.pick(_STRINGS)
    if kind == 6:
        return c.number(-(2**70), 2**70)
    return c.pick([float("nan"), float("inf"), float("-inf")])


def value(c: Choices, depth: int = 0, *, raw: bool = False) -> Any:
    """JSON-like data: scalars, and lists and dicts of them a few levels deep."""
    kind = c.number(0, 3) if depth < 3 else 0
    if kind <= 1:
        return scalar(c, raw=raw)
    if kind == 2:
        return [value(c, depth + 1, raw=raw) for _ in range(c.number(0, 4))]
    keys = [_text(c, _RAW_ALPHABET if raw else _ALPHABET) for _ in range(c.number(0, 4))]
    return {k: value(c, depth + 1, raw=raw) for k in keys}


# Drawing nested data is most of a case's time, so most cases take one of these (every
# name bound, big values among them) and the rest build their own.
POOL: list[dict[str, Any]] = [
    {"a": 1, "b": 2.5, "s": "a" * 20_000, "xs": list(range(20_000)), "d": {"a": 1, "": [2]},
     "input": {"a": "x", "name": "ada", "tags": ["vip"]}, "n": 7},
    {"a": -(2**70), "b": 10**1500, "s": "%s %d", "xs": [[0] * 100] * 100, "d": {"a": {"a": 1}},
     "input": [1, "a", None, 2.5, [True]], "n": 0},
    {"a": "", "b": None, "s": "é" * 10_001, "xs": [], "d": {str(i): i for i in range(5000)},
     "input": {"a(b)c": 1, "zzz": "%(a)s"}, "n": 2**1024 - 1},
    {"a": [1, 2], "b": True, "s": "name", "xs": ["a", 1, None], "d": {}, "input": {}, "n": -1},
]  # fmt: skip


def context(c: Choices, *, raw: bool = False) -> dict[str, Any]:
    """A run's context: one from :data:`POOL`, or some names bound to generated values."""
    if c.number(0, 2):
        return c.pick(POOL)
    return {c.pick(NAMES): value(c, raw=raw) for _ in range(c.number(0, 4))}


# -- % formats -------------------------------------------------------------------------

_KEYS = ["", "(a)", "(name)", "(zzz)", "()", "(a(b)c)", "(a"]
_WIDTHS = ["", "*", "5", "0", "100", "101", "999999999"]
_PRECISIONS = ["", ".", ".*", ".3", ".100", ".101", ".999999999"]
_KINDS = [*"sdrifxegcaouXEFG%", "y", ""]


def format_text(c: Choices) -> str:
    """A printf-style format: literal text and random fields (valid or not)."""
    parts = []
    for _ in range(c.number(0, 4)):
        if c.number(0, 2):
            key, flags = c.pick(_KEYS), "".join(c.pick("-+ #0") for _ in range(c.number(0, 2)))
            width, precision = c.pick(_WIDTHS), c.pick(_PRECISIONS)
            parts.append(f"%{key}{flags}{width}{precision}{c.pick(['', 'l', 'h'])}{c.pick(_KINDS)}")
        else:
            parts.append(c.pick(["a", " ", "%", "%%", "é"]))
    return "".join(parts)


def format_args(c: Choices) -> Any:
    """What may stand right of ``%``: a value, a tuple of them, or a dict of them."""
    kind = c.number(0, 3)
    if kind == 0:
        return scalar(c)
    if kind == 1:
        return tuple(scalar(c) for _ in range(c.number(0, 4)))
    if kind == 2:
        return {c.pick(["a", "name", "zzz", "a(b)c", ""]): scalar(c) for _ in range(c.number(0, 3))}
    return [scalar(c)]


# -- expressions -------------------------------------------------------------------------

_LITERALS = ["0", "1", "-1", "True", "False", "None", "''", "0.5", "'a'", "10**9", "2**62"]
_LITERALS += ["9**99", "2**1024", "256 ** 128", "10**308", "1e308", "1e999", "-0.0", "1j"]
_LITERALS += ["b'x'", "...", r"'\ud800'", "'a' * 10000", "[0] * 10000", "1" * 400, "55296"]
_LITERALS += ["(2**100) ** 10", "0.1", "'%s'", "'%(a)s'", "1e-300"]
_NAMES = [*NAMES, "len", "any", "all", "__class__", "missing"]
_BINARY = ["+", "-", "*", "/", "//", "%", "**", "|", "&", "<<", "@"]
_COMPARE = ["==", "<", "in", "!=", "<=", ">", ">=", "not in", "is", "is not"]
_PARTS = ["", "0", "1", "-1", "2", "10**9", "a"]
_STEPS = ["", ":", ":-1", ":0", ":2"]


def _atom(c: Choices) -> str:
    kind = c.number(0, 4)
    if kind == 0:
        return c.pick(_LITERALS)
    if kind == 1:
        return c.pick(_NAMES)
    if kind == 2:
        return f"{c.pick(_NAMES)}[{c.pick(['0', repr('a'), '-1', repr('name')])}]"
    if kind == 3:
        return repr(format_text(c))
    return str(c.number(-(2**80), 2**80)) if c.number(0, 1) else repr(_text(c))


def _items(c: Choices, depth: int) -> list[str]:
    return [expression(c, depth) for _ in range(c.number(0, 3))]


_FORMS: list[Callable[[Choices, int], str]] = [
    lambda c, d: f"{c.pick(['-', 'not ', '+', '~'])}({expression(c, d)})",
    lambda c, d: f"({expression(c, d)} {c.pick(_BINARY)} {expression(c, d)})",
    lambda c, d: (
        expression(c, d)
        + "".join(f" {c.pick(_COMPARE)} {expression(c, d)}" for _ in range(c.number(1, 3)))
    ),
    lambda c, d: "(" + c.pick([" and ", " or "]).join(_items(c, d) or ["1", "0"]) + ")",
    lambda c, d: f"({expression(c, d)} if {expression(c, d)} else {expression(c, d)})",
    lambda c, d: f"{expression(c, d)}[{expression(c, d)}]",
    lambda c, d: f"{expression(c, d)}[{c.pick(_PARTS)}:{c.pick(_PARTS)}{c.pick(_STEPS)}]",
    lambda c, d: f"{c.pick(['len', 'any', 'all', 'str', 'open'])}({expression(c, d)})",
    lambda c, d: "[" + ", ".join(_items(c, d)) + "]",
    lambda c, d: "(" + "".join(f"{x}, " for x in _items(c, d)) + ")",
    lambda c, d: c.pick(["%s in {%s}", "{%s, %s}"]) % (expression(c, d), expression(c, d)),
    lambda c, d: "{" + ", ".join(f"{k}: {expression(c, d)}" for k in _items(c, d)) + "}",
    lambda c, d: c.pick(["{**%s}", "[*%s]", "%s.real", "(%s := 1)"]) % expression(c, d),
    lambda c, d: f"{format_text(c)!r} % {expression(c, d)}",
    lambda c, d: f"{format_text(c)!r} % (" + "".join(f"{x}, " for x in _items(c, d)) + ")",
    lambda c, d: f"{format_text(c)!r} % {{'a': {expression(c, d)}, 'name': {expression(c, d)}}}",
    lambda c, d: f"({expression(c, d)}) * {c.pick(['3', '0', '10000', '10001', '10**20', '-1'])}",
]


def expression(c: Choices, depth: int = 0) -> str:
    """An expression text built from the language's forms, up to four levels deep."""
    if depth >= 4 or c.number(0, 2) == 0:
        return _atom(c)
    return c.pick(_FORMS)(c, depth + 1)


def mutated(c: Choices) -> str:
    """An expression, then edited: characters dropped or inserted, parts repeated (deep
    prefixes and nestings, long chains), another expression joined on."""
    text = expression(c)
    for _ in range(c.number(0, 3)):
        at = c.number(0, len(text))
        edit = c.number(0, 5)
        if edit == 0:
            text = text[:at] + text[at + c.number(1, 5) :]
        elif edit == 1:
            inserted = "".join(c.pick("()[]{}:,.'\"%*-+ ~<=!\\\x00\n\ud800") for _ in range(3))
            text = text[:at] + inserted[: c.number(1, 3)] + text[at:]
        elif edit == 2:
            text = text[:at] + text[at:] * c.number(2, 4)
        elif edit == 3:
            text = f"{text} {c.pick(_BINARY + _COMPARE)} {expression(c)}"
        elif edit == 4:
            depth = c.pick([10, 49, 50, 51, 199, 201, 1000])
            text = "(" * depth + text + ")" * depth
        else:
            count = c.pick([10, 49, 50, 51, 300, 1000, 1990, 2500])
            text = c.pick(["-", "not ", "+", "[", "x["]) * count + text
    return text
