"""Properties of the checker over modules put together from fragments: it never fails on
valid Python, and a suppression comment always suppresses exactly what it names."""

from __future__ import annotations

import ast
import re

from hypothesis import given
from hypothesis import strategies as st

from flowkit.check import check_source
from tests.fuzz._budget import fuzz

IMPORTS = [
    "import time",
    "import time as t",
    "from time import time as now",
    "import os",
    "from os import environ",
    "import random",
    "import random as time_",
    "from random import choice",
    "import asyncio",
    "import requests",
    "import uuid",
    "from datetime import datetime",
    "import datetime as dt",
    "from pathlib import Path",
    "import threading",
    "from . import sibling",
    "from flowkit.workflow import temporal_workflow",
    "from temporalio import workflow as tw",
    "from flowkit.agent import agent",
]
EXPRESSIONS = [
    "time.time()",
    "t.monotonic()",
    "now()",
    "os.environ['X']",
    "environ.get('X')",
    "os.getenv('X')",
    "random.random()",
    "time_.randint(1, 2)",
    "choice([1, 2])",
    "asyncio.wait([])",
    "asyncio.sleep(1)",
    "requests.get('u')",
    "uuid.uuid4()",
    "datetime.now()",
    "dt.date.today()",
    "Path('a').read_text()",
    "(Path('a') / 'b').exists()",
    "threading.Lock()",
    "open('f')",
    "STATE.append(1)",
    "helper()",
    "self.value",
    "temporal_workflow.now()",
    "lambda: time.time()",
    "[time.time() for time in range(3)]",
    "(yield)",
    "f'{time.time()}'",
    "x if time.time() else random.random()",
    "print(*[os.getenv(k) for k in 'ab'])",
]
STATEMENTS = [
    "{e}",
    "value = {e}",
    "if {e}:\n    pass",
    "for time in range(2):\n    {e}",
    "while {e}:\n    break",
    "try:\n    {e}\nexcept Exception as os:\n    {e}",
    "with {e} as handle:\n    pass",
    "global STATE",
    "STATE['k'] = {e}",
    "def inner(random=None):\n    return {e}",
    "class Inner:\n    attr = {e}",
    "return {e}",
    "async def inner2():\n    await {e}",
    "assert {e}, {e}",
]
DECORATORS = ["@tw.defn", "@agent.defn()", "@tw.defn(name='x')", ""]


def _indent(text: str, by: int) -> str:
    return "\n".join(" " * by + line for line in text.splitlines())


@st.composite
def modules(draw: st.DrawFn) -> str:
    imports = [
        "from temporalio import workflow as tw",
        "from flowkit.agent import agent",
        *draw(st.lists(st.sampled_from(IMPORTS), min_size=4, max_size=10)),
    ]

    def statement() -> str:
        template = draw(st.sampled_from(STATEMENTS))
        return template.replace("{e}", draw(st.sampled_from(EXPRESSIONS)))

    helper = "\n".join(statement() for _ in range(draw(st.integers(0, 3)))) or "pass"
    methods = []
    for i in range(draw(st.integers(1, 3))):
        body = "\n".join(statement() for _ in range(draw(st.integers(1, 5))))
        kind = draw(st.sampled_from(["def", "async def"]))
        methods.append(f"{kind} m{i}(self):\n{_indent(body, 4)}")
    decorator = draw(st.sampled_from(DECORATORS))
    return "\n".join(
        [
            *imports,
            "STATE = {}",
            f"def helper():\n{_indent(helper, 4)}",
            f"{decorator}\nclass W:\n{_indent(chr(10).join(methods), 4)}",
            "",
        ]
    )


def _valid(source: str) -> bool:
    try:
        compile(source, "m.py", "exec", flags=ast.PyCF_ONLY_AST)
    except SyntaxError:
        return False  # e.g. `return` or `yield` where Python forbids it
    return True


@fuzz(default_examples=40)
@given(modules())
def test_never_fails_on_valid_python(source: str) -> None:
    if not _valid(source):
        return
    for finding in check_source(source, "m.py"):
        assert finding.line >= 1
        assert finding.column >= 1
        assert re.fullmatch(r"FK1\d\d", finding.rule)


@fuzz(default_examples=25)
@given(modules(), st.sampled_from(["all", "named"]))
def test_suppression_always_suppresses(source: str, how: str) -> None:
    if not _valid(source):
        return
    findings = check_source(source, "m.py")
    lines = source.splitlines()
    by_line: dict[int, set[str]] = {}
    for f in findings:
        by_line.setdefault(f.line, set()).add(f.rule)
    for number, rules in by_line.items():
        comment = (
            "# flowkit: ignore"
            if how == "all"
            else f"# flowkit: ignore[{', '.join(sorted(rules))}]"
        )
        lines[number - 1] += f"  {comment}"
    assert check_source("\n".join(lines) + "\n", "m.py") == []
    # suppressing one rule on a line leaves the others there
    for f in findings:
        lines = source.splitlines()
        lines[f.line - 1] += f"  # flowkit: ignore[{f.rule}]"
        left = check_source("\n".join(lines) + "\n", "m.py")
        assert not any(g.line == f.line and g.rule == f.rule for g in left)
        assert len(left) == len([g for g in findings if (g.line, g.rule) != (f.line, f.rule)])
        break
