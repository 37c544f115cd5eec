"""The expression evaluator: the allowed forms work, everything else is refused."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from flowkit.errors import UsageError
from flowkit.steps import Expression, ExpressionError, UnsafeExpressionError, evaluate, when
from tests.fuzz._headroom import with_headroom

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


# -- Bounded and total: regressions found by fuzzing (tests/fuzz/test_fuzz_expr.py) --------

BIG = {
    "x": list(range(600_000)),  # a list a Temporal payload can carry
    "s": "a" * 20_000,
    "huge": 10**5000,  # past the 4,300-digit int/str limit: repr() raises on it
    "input": {"name": "ada"},
}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # ValueError from the slice escaped
        ("[1, 2][::0]", "slice step cannot be zero"),
        # KeyError escaped
        ("'%(zzz)s' % input", "the format needs the key 'zzz', which the dict lacks"),
        ("'%(name)s' % s", "a %(name) field needs a dict, not str"),
        # a gigabyte string was built
        ("'%.999999999f' % 1.0", "format field wider than 100"),
        ("'%0999999999d' % 0", "format field wider than 100"),
        ("'%*d' % (10**9, 1)", "format field wider than 100"),
        ("'%s' % s", "result longer than 10000"),
        ("'%s' % [1]", "%s formats text, numbers, booleans and None, not list"),
        ("'%d' % huge", "integer larger than 1024 bits"),
        ("'%c' % 55296", "%c of a surrogate code point"),
        ("'%y' % 1", "unsupported format character 'y'"),
        ("'%(a' % input", "incomplete format key"),
        # the base of ** was unbounded: the worker froze
        ("(((9**99)**99)**99)**99", "result larger than 1024 bits"),
        ("256 ** 128", "result larger than 1024 bits"),
        ("(2**100) ** 10 * (2**100) ** 10", "result larger than 1024 bits"),
        ("huge + 1", "integer larger than 1024 bits"),
        ("-huge", "integer larger than 1024 bits"),
        ("2 ** 200.5", "exponent larger than 128"),
        # floats overflow silently, or turn complex
        ("1e308 * 10", "the result is not a finite number"),
        ("(-1) ** 0.5", "the result is a complex number"),
        ("1e300 ** 2", "Numerical result out of range"),
        # builders and readers past the limits
        ("s + s", "result longer than 10000"),
        ("s[::-1]", "result longer than 10000"),
        ("-1 in x or -1 in x", "needs more than 1000000 steps"),
        ("{(1, 2): 'a'}", "dict keys are text, numbers, booleans or None, not tuple"),
        ("{}[1:2]", "only lists, tuples and text can be sliced, not dict"),
        ("[1][huge]", "no item <an integer of 16610 bits>"),
        # incomparable types, non-containers
        ("[1] < 'a'", "not supported between instances of 'list' and 'str'"),
        ("1 in 5", "argument of type 'int' is not iterable"),
        ("[1] in {'a': 1}", "unhashable type: 'list'"),
    ],
)
def test_operations_past_a_limit_fail_with_a_reason(text, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, BIG, step="check")
    assert message in str(caught.value)
    assert str(caught.value).startswith("step check: expression `")
    assert not isinstance(caught.value, UnsafeExpressionError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{**{'k': 1}}", "unpacking (**)"),  # evaluated to {None: {'k': 1}}
        ("-" * 1000 + "1", "nesting deeper than 50 levels"),  # RecursionError in a workflow
        ("-" * 1990 + "1", "nesting deeper than 50 levels"),  # ast.parse itself recurses
        ("[" * 100 + "]" * 100, "nesting deeper than 50 levels"),
        ("+".join(["1"] * 51), "nesting deeper than 50 levels"),
        ("[" + ", ".join(["1"] * 500) + "]", "more than 500 values, names and operations"),
        ("1" + " " * 2000, ""),  # accepted: the limit applies to the stripped text
        ("1 + " * 600 + "1", "more than 2000 characters"),
        ("b'x'", "bytes literals"),
        ("1j", "imaginary numbers"),
        ("...", "the ... literal"),
        ("1e999", "numbers too large for a float"),
        ("9" * 400, "integers larger than 1024 bits"),
        (r"'\ud800'", "text with lone surrogates"),
        ("{1, 2}", "sets outside comparisons and len, any and all"),
        ("[{1}]", "sets outside comparisons"),
        ("n is 257", "`is` with anything but None, True or False"),
        ("[1][0:1, 0]", "slices inside a tuple"),
        ("n | 1", "the | operator"),
        ("~n", "the ~ operator"),
    ],
)
def test_parse_refuses_what_cannot_run_safely(text, reason):
    if not reason:
        assert Expression.parse(text).evaluate({}) == 1
        return
    with pytest.raises(UnsafeExpressionError) as caught:
        Expression.parse(text)
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 600  # the text is clipped in the message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'%(name)s is %d' % input if False else '%(name)s!' % input", "ada!"),
        ("'%5.1f|%-4d|%x|%r|%c' % (2.25, 7, 255, 'a', 65)", "  2.2|7   |ff|'a'|A"),
        ("'%*d|%.*f' % (-4, 1, 2, 3.14159)", "1   |3.14"),
        ("'100%% %s' % None", "100% None"),
        ("n in {1, 7} and len({1, 1, 2}) == 2 and {1} < {1, 2}", True),
        ("n is not None and (n > 1) is True", True),
        ("(2**127) ** 8 // (2**100) ** 10", 2**16),
        ("10 ** -3", 0.001),
        ("[0] * 10000 == [0] * 10000", True),
        ("len(x[:5] + x[-5:])", 10),
        ("{1: 'a', None: 'b', 'k': 'c'}[None]", "b"),
        ("input['name'][::-1] * 2", "adaada"),
    ],
)
def test_operations_within_the_limits_still_work(text, expected):
    assert evaluate(text, {**BIG, "n": 7}) == expected


def test_a_result_never_holds_a_slice_or_set_the_expression_built():
    result = evaluate("[x[1:3], (x[0],), {'k': x[2:2]}]", BIG)
    assert result == [[1, 2], (0,), {"k": []}]


def test_unreadable_text_is_an_expression_error_on_one_printable_line():
    for text in ("a\x00", "\ud800 + 1", "n +\n(", "'\\N{nope}'"):
        with pytest.raises(ExpressionError) as caught:
            Expression.parse(text)
        message = str(caught.value)
        assert "not an expression" in message
        assert "\n" not in message
        assert "\x00" not in message
        message.encode("utf-8")  # a Temporal failure message must be UTF-8


def test_wrong_types_of_text_and_context_are_expression_errors():
    with pytest.raises(ExpressionError, match="an expression is text, not int"):
        Expression.parse(42)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="the context is a list, not a mapping"):
        evaluate("1", [1])  # type: ignore[arg-type]


def test_unknown_names_are_listed_briefly():
    context = {f"name{i:03}": i for i in range(100)}
    with pytest.raises(ExpressionError) as caught:
        evaluate("missing", context)
    assert "known: name000, name001," in str(caught.value)
    assert str(caught.value).endswith(", …)")


def test_evaluation_fits_in_a_worker_thread_with_little_headroom():
    # 1,000 levels passed Expression.parse at compile time and then failed in the
    # workflow (RecursionError); now parse refuses it, on any thread, with one message.
    deep = "-" * 1000 + "1"
    with pytest.raises(UnsafeExpressionError) as main:
        Expression.parse(deep)
    threaded = with_headroom(lambda: Expression.parse("-" * 1990 + "1"))
    assert isinstance(threaded, UnsafeExpressionError)
    assert threaded.reason.rsplit(": ", 1)[-1] == main.value.reason.rsplit(": ", 1)[-1]
    # and what parse accepts evaluates within HEADROOM frames, whatever its shape
    for text in ("-" * 49 + "1", "[" * 49 + "]" * 49, "+".join(["x[0]"] * 48)):
        assert not isinstance(with_headroom(lambda t=text: evaluate(t, {"x": [1]})), Exception)


def test_comparing_data_nested_past_the_stack_is_an_expression_error():
    a, b = [0], [0]
    for _ in range(5_000):
        a, b = [a], [b]
    with pytest.raises(ExpressionError, match="the data is nested too deeply"):
        evaluate("a == b", {"a": a, "b": b})
