"""Fuzz the expression language: whatever the text and the context, parse and evaluate
end in a value or an ExpressionError — the same one every time, on any thread — and what
an expression builds is data a run can store.

Texts and contexts come from :mod:`tests.fuzz._grammar`. Each property runs twice: with
choices drawn from Hypothesis (a failure shrinks to a small case) and seeded (one draw a
case, so the default run covers thousands of cases in a few seconds).
"""

from __future__ import annotations

import math
import pickle
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from flowkit.steps import Expression, ExpressionError
from flowkit.steps._expr_limits import Refused, format_length
from tests.fuzz import _grammar as grammar
from tests.fuzz._budget import fuzz
from tests.fuzz._headroom import with_headroom

# ast.parse warns about texts it accepts ("invalid escape sequence '\\d'"); that's noise here
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")

seeds = st.integers(0, 2**64)


@st.composite
def drawn_cases(draw: st.DrawFn, *, mutate: bool = False) -> tuple[str, dict[str, Any]]:
    choices = grammar.Drawn(draw)
    text = grammar.mutated(choices) if mutate else grammar.expression(choices)
    return text, grammar.context(choices, raw=mutate)


# -- the contract ----------------------------------------------------------------------


def outcome(text: str, context: dict[str, Any]) -> tuple[Any, ...]:
    """What parsing and evaluating ``text`` ends in; any other exception propagates."""
    try:
        parsed = Expression.parse(text)
    except ExpressionError as exc:
        return ("refused", type(exc).__name__, str(exc))
    try:
        return ("value", parsed.evaluate(context))
    except ExpressionError as exc:
        return ("failed", type(exc).__name__, str(exc))


def check(text: str, context: dict[str, Any]) -> tuple[Any, ...]:
    """The contract for one case; returns the outcome for further checks."""
    note(f"text: {text!r}")
    # First on a worker-like thread with little stack to spare (a cold parse cache for a
    # new text, so ast.parse runs there too), then twice on this thread: all the same.
    threaded = with_headroom(lambda: outcome(text, context))
    if isinstance(threaded, BaseException):
        raise threaded
    first, second = outcome(text, context), outcome(text, context)
    assert same(first, second)
    assert same(threaded, first)
    if first[0] != "value":
        message = first[2]
        assert "\n" not in message
        assert len(message) < 1000
        message.encode("utf-8")  # a Temporal failure message
    return first


def same(one: tuple[Any, ...], other: tuple[Any, ...]) -> bool:
    """Whether two outcomes are the same, NaN included (so not by ``==``)."""
    if one[0] == other[0] == "value" and one[1] is other[1]:
        return True  # the same value read from the context: no need to pickle it
    return pickle.dumps(one) == pickle.dumps(other)


def plain(value: Any, context: dict[str, Any]) -> bool:
    """Whether ``value`` is data a run can store: JSON-like, finite, valid Unicode."""
    if any(value is v for v in context.values()):
        return True  # read from the context as it is
    if value is None or isinstance(value, bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return value.isprintable() or _encodes(value)
    if isinstance(value, list | tuple):
        return all(plain(v, context) for v in value)
    if isinstance(value, dict):
        keys = all(isinstance(k, str | int | float) or k is None for k in value)
        return keys and all(plain(v, context) for v in value.values())
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@fuzz(default_examples=150)
@given(case=drawn_cases())
def test_built_expressions_end_in_plain_values_or_expression_errors(case):
    text, context = case
    result = check(text, context)
    if result[0] == "value":
        assert plain(result[1], context), result[1]


@fuzz(default_examples=100)
@given(case=drawn_cases(mutate=True))
def test_mutated_expressions_end_in_values_or_expression_errors(case):
    check(*case)


@fuzz(default_examples=2000)
@given(seed=seeds)
def test_seeded_expressions_end_in_plain_values_or_expression_errors(seed):
    choices = grammar.Seeded(seed)
    mutate = choices.number(0, 1) == 1
    text = grammar.mutated(choices) if mutate else grammar.expression(choices)
    context = grammar.context(choices, raw=mutate)
    result = check(text, context)
    if result[0] == "value" and not mutate:
        assert plain(result[1], context), result[1]


@fuzz(default_examples=200)
@given(text=st.text(max_size=60) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_any_text_ends_in_a_value_or_an_expression_error(text):
    check(text, {"a": 1})


@fuzz(default_examples=2000)
@given(seed=seeds)
def test_the_format_cost_bounds_the_formatted_length(seed):
    choices = grammar.Seeded(seed)
    template, args = grammar.format_text(choices), grammar.format_args(choices)
    note(f"{template!r} % {args!r:.200}")
    try:
        bound = format_length(template, args)
    except Refused:
        return
    try:
        formatted = template % args
    except (TypeError, ValueError, KeyError, OverflowError):
        return  # Python refuses it too, before building anything long
    assert len(formatted) < bound
