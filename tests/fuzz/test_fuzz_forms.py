"""Fuzz form validation: validate_submission returns reasons for any JSON-like submission,
never raises, and what it accepts has its field's type (a finite float for ``float``).

It runs in a Temporal update validator, on the workflow's thread: an exception there, or
a long stall, hurts the run instead of rejecting the sender.
"""

from __future__ import annotations

import math
import pickle
from typing import Any

from hypothesis import given, note
from hypothesis import strategies as st

from flowkit.steps import Form, FormField, validate_submission
from tests.fuzz import _grammar as grammar
from tests.fuzz._budget import fuzz

_KEYS = ["name", "age", "price", "ok", "when", "site", "mail", "plan"]
_TYPES = ["str", "int", "float", "bool", "date", "url", "email", "choice", "text"]
# Patterns a form might carry; none with nested quantifiers, whose backtracking is
# exponential in the value's length (a form author's mistake no length limit can fix).
_PATTERNS = [None, None, r"[A-Z]{3}-\d{2}", r"\d+", r".*a.*b", r"[^@]+@.+", "[", r"\w*"]
_EXTRA = ["", "\ud800", "k\n", "x" * 500]


def form(c: grammar.Choices) -> Form:
    keys = sorted({c.pick(_KEYS) for _ in range(c.number(0, 5))})
    fields = [
        FormField(
            key=key,
            type=c.pick(_TYPES),
            required=c.pick([True, False]),
            pattern=c.pick(_PATTERNS),
            choices=("free", "pro"),
        )
        for key in keys
    ]
    return Form(fields=tuple(fields), allow_extra=c.pick([False, True]))


def submission(c: grammar.Choices, keys: list[str]) -> Any:
    if c.number(0, 9) == 0:
        return grammar.value(c, raw=True)  # not an object at all, sometimes
    names = keys + _EXTRA
    return {c.pick(names): grammar.value(c, raw=True) for _ in range(c.number(0, 6))}


def check(checked: Form, data: Any) -> None:
    note(f"form: {checked!r}")
    values, reasons = validate_submission(checked, data)
    again = validate_submission(checked, data)
    assert pickle.dumps(again) == pickle.dumps((values, reasons))
    assert isinstance(values, dict)
    for reason in reasons:
        assert isinstance(reason, str)
        assert "\n" not in reason
        assert len(reason) < 400
        reason.encode("utf-8")  # the rejection is a Temporal failure message
    for field in checked.fields:
        if field.key not in values:
            assert reasons or not field.required, field.key
            continue
        value = values[field.key]
        if field.type == "float":
            assert isinstance(value, float)
            assert math.isfinite(value)
        elif field.type == "int":
            assert isinstance(value, int)
            assert not isinstance(value, bool)
        elif field.type == "bool":
            assert isinstance(value, bool)
        else:
            assert isinstance(value, str)


@st.composite
def drawn_cases(draw: st.DrawFn) -> tuple[Form, Any]:
    choices = grammar.Drawn(draw)
    checked = form(choices)
    return checked, submission(choices, [f.key for f in checked.fields])


@fuzz(default_examples=150)
@given(case=drawn_cases())
def test_drawn_submissions_get_reasons_never_exceptions(case):
    check(*case)


@fuzz(default_examples=1500)
@given(seed=st.integers(0, 2**64))
def test_seeded_submissions_get_reasons_never_exceptions(seed):
    choices = grammar.Seeded(seed)
    checked = form(choices)
    check(checked, submission(choices, [f.key for f in checked.fields]))
