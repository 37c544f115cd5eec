"""The expression evaluator: the allowed forms work, everything else is refused."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from flowkit.errors import UsageError
from flowkit.steps import Expression, ExpressionError, UnsafeExpressionError, evaluate, when

CONTEXT = {
    "order": {"items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 0}], "total": 120.5},
    "user": {"name": "ada", "tags": ["vip"]},
    "n": 7,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n > 5 and n < 10", True),
        ("not n == 7 or False", False),
        ("1 < n <= 7", True),
        ("n * 2 + 1 - 3 / 3", 14.0),
        ("n // 2, n % 2, n ** 2", (3, 1, 49)),
        ("-n", -7),
        ("order['items'][0]['qty']", 2),
        ("order['items'][-1]['sku']", "b"),
        ("user['tags'][:1]", ["vip"]),
        ("len(order['items']) == 2", True),
        ("all([n > 1, order['total'] > 100])", True),
        ("any([])", False),
        ("'vip' in user['tags'] and 'ban' not in user['tags']", True),
        ("user['name'] if n > 100 else 'nobody'", "nobody"),
        ("{'a': 1}['a'] + len('abc')", 4),
        ("None is None", True),
        ("n and order['total']", 120.5),
    ],
)
def test_allowed_forms(text, expected):
    assert evaluate(text, CONTEXT) == expected


@pytest.mark.parametrize(
    ("text", "part", "reason"),
    [
        ("user.name", "user.name", "attribute access"),
        ("order['items'].__class__", "order['items'].__class__", "attribute access"),
        ("().__class__.__bases__[0]", "().__class__.__bases__", "attribute access"),
        ("__import__('os')", "__import__('os')", "calls other than len, any and all"),
        ("open('/etc/passwd')", "open('/etc/passwd')", "calls other than len, any and all"),
        ("len(n, n)", "len(n, n)", "calls other than len"),
        ("len(*x)", "len(*x)", "calls other than len"),
        ("__builtins__", "__builtins__", "dunder names"),
        ("order['__class__']", "'__class__'", "dunder keys"),
        ("[x for x in order]", "[x for x in order]", "comprehensions"),
        ("(lambda: 1)()", "(lambda: 1)()", "calls"),
        ("lambda: 1", "lambda: 1", "lambdas"),
        ("(y := 1)", "y := 1", "assignments"),
        ("f'{n}'", "f'{n}'", "f-strings"),
    ],
)
def test_refused_forms_name_the_offending_part(text, part, reason):
    with pytest.raises(UnsafeExpressionError) as caught:
        Expression.parse(text)
    assert caught.value.part == part
    assert reason in str(caught.value)
    assert isinstance(caught.value, UsageError)


def test_refusal_happens_before_anything_runs():
    calls = []

    class Spy(dict):
        def __getitem__(self, key):
            calls.append(key)
            return super().__getitem__(key)

    with pytest.raises(UnsafeExpressionError):
        evaluate("x['a'] and x.pop('a')", {"x": Spy(a=1)})
    assert calls == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("missing > 1", "unknown name 'missing' (known: n, order, user)"),
        ("order['nope']", "no item 'nope'"),
        ("n / 0", "division by zero"),
        ("n + 'a'", "unsupported operand"),
        ("'ab' * 100000", "result longer than 10000"),
        ("2 ** 100000", "exponent larger than 128"),
        ("len", "len can only be called"),
        ("n >", "not an expression"),
    ],
)
def test_evaluation_errors_are_usage_errors(text, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, CONTEXT)
    assert message in str(caught.value)
    assert f"`{text}`" in str(caught.value)


def test_when_is_a_boolean_and_models_read_as_mappings():
    class Draft(BaseModel):
        score: float
        tags: list[str]

    context = {"draft": Draft(score=0.9, tags=["a"])}
    assert when("draft['score'] >= 0.8 and len(draft['tags']) == 1", context) is True
    assert when("draft['score'] > 1", context) is False
    parsed = Expression.parse(" n > 1 ")
    assert parsed.text == "n > 1"
    assert [parsed.evaluate({"n": v}) for v in (0, 2)] == [False, True]
