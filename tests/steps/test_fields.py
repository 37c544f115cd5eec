"""validate_submission is total: any JSON-like submission gets reasons, never an exception.

Each case here was an exception or a long stall in an update validator before (found by
tests/fuzz/test_fuzz_forms.py); the cases that were already right pin the behaviour kept.
"""

from __future__ import annotations

import re

import pytest

from flowkit.steps import Form, FormField, validate_submission

FORM = Form.of(
    FormField(key="price", type="float"),
    FormField(key="count", type="int", required=False),
    FormField(key="email", type="email", required=False),
    FormField(key="code", pattern=r"[A-Z]{3}-\d{2}", required=False),
    FormField(key="ok", type="bool", required=False),
)


def _reasons(data: dict) -> list[str]:
    return validate_submission(FORM, data)[1]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (float("nan"), "price: must be a finite number, got nan"),
        (float("inf"), "price: must be a finite number, got inf"),
        (float("-inf"), "price: must be a finite number, got -inf"),
        ("nan", "price: must be a finite number, got 'nan'"),
        (" Infinity ", "price: must be a finite number, got ' Infinity '"),
        ("-inf", "price: must be a finite number, got '-inf'"),
        ("1e999", "price: must be a finite number, got '1e999'"),
        (10**400, "price: must be a number of at most 308 digits"),  # OverflowError escaped
        ([1.5], "price: must be a number, got list"),
        ("1.5x", "price: must be a number, got '1.5x'"),
    ],
)
def test_a_float_field_takes_finite_numbers_only(value, reason):
    assert _reasons({"price": value}) == [reason]


@pytest.mark.parametrize("value", [1, 2.5, "3.25", " -4 ", 10**300])
def test_a_float_field_converts_finite_numbers(value):
    values, reasons = validate_submission(FORM, {"price": value})
    assert reasons == []
    assert values["price"] == float(value)


def test_integer_text_past_the_digit_limit_is_a_reason():
    # int("1" * 5000) raises ValueError (Python's 4,300-digit limit); it escaped.
    assert _reasons({"price": 1, "count": "1" * 5000}) == [
        "count: must be an integer of at most 4300 digits"
    ]
    assert validate_submission(FORM, {"price": 1, "count": "-" + "9" * 4300})[0]["count"] < 0
    assert _reasons({"price": 1, "count": float("nan")}) == ["count: must be an integer, got nan"]


def test_a_huge_integer_is_described_not_printed():
    # repr(10**5000) raises ValueError; the reason and the pattern check used it.
    [reason] = _reasons({"price": 1, "ok": 10**5000})
    assert reason == "ok: must be true or false, got <an integer of 16610 bits>"
    form = Form.of(FormField(key="n", type="int", pattern=r"\d+"))
    [reason] = validate_submission(form, {"n": 10**5000})[1]
    assert reason.startswith("n: is longer than 1000 characters, too long to check against")


def test_a_long_value_is_not_matched_against_a_pattern():
    # A pattern with nested quantifiers backtracks for a time growing with the value.
    form = Form.of(FormField(key="tags", pattern=r"(\w+,?)*"))
    [reason] = validate_submission(form, {"tags": "a" * 5000 + "!"})[1]
    assert reason == (r"tags: is longer than 1000 characters, too long to check against (\w+,?)*")
    assert validate_submission(form, {"tags": "a,b,c"}) == ({"tags": "a,b,c"}, [])


def test_a_pattern_that_is_not_a_regular_expression_is_a_reason():
    form = Form.of(FormField(key="code", pattern="[A-Z"))  # built in code, not compiled
    [reason] = validate_submission(form, {"code": "ABC"})[1]
    assert reason == "code: cannot be checked: the pattern [A-Z is not a regular expression"


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("ada@example.com", True),
        ("a.b+c@mail.example.org", True),
        ("a@b.c", True),
        ("a@b..c", True),  # what the regular expression accepted, kept
        ("a@.bc", False),
        ("a@bc.", False),
        ("a@bc", False),
        ("@b.c", False),
        ("a@b@c.d", False),
        ("a b@c.d", False),
        ("a@b.c\n", False),  # the old `$` let a trailing newline through
        ("a@" + "a." * 20_000 + " ", False),  # the regular expression took seconds on it
    ],
)
def test_email_addresses(email, valid):
    assert (_reasons({"price": 1, "email": email}) == []) is valid


@pytest.mark.parametrize(
    "data",
    [
        {"price": 1, 3: "x", None: "y", "z": 1},  # keys that are not text
        {"price": 1, "k\ud800\n": 1},  # a lone surrogate and a line break in a key
        {"price": "\ud800" * 3, "code": "x\x00" * 1000},
        {"price": [[[[[[[[[[[]]]]]]]]]]], "count": {"a": [1] * 10_000}},
        # found by fuzzing: 4 items of 4 items of 60-character text made a 415-character line
        {"price": 1, "count": {f"k{i}": {f"v{j}": "1" * 100 for j in range(4)} for i in range(4)}},
    ],
)
def test_reasons_are_short_printable_lines_whatever_the_data(data):
    _, reasons = validate_submission(FORM, data)
    assert reasons
    for reason in reasons:
        assert len(reason) < 300
        assert re.fullmatch(r"[^\n\x00]*", reason)
        reason.encode("utf-8")  # they become a Temporal failure message


def test_unknown_keys_are_listed_in_order_text_first():
    reasons = _reasons({"price": 1, "b": 1, 3: 1, "a": 1})
    assert reasons == [
        "a: not a field of this form",
        "b: not a field of this form",
        "3: not a field of this form",
    ]


def test_a_submission_that_is_not_an_object_is_a_reason():
    for data in ([1], "x", 3, None):
        values, reasons = validate_submission(FORM, data)  # type: ignore[arg-type]
        assert values == {}
        assert reasons == [f"the input must be an object of fields, got {type(data).__name__}"]
