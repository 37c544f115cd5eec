"""The checker on small modules: what counts as workflow code, how names resolve through
imports and aliases, suppression comments, and the FK107 first-party rule."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flowkit.check import check_paths, check_source, rule_for
from flowkit.errors import UsageError

TEMPORAL = "from temporalio import workflow\n\n@workflow.defn\nclass W:\n    @workflow.run\n"


def _rules(source: str, path: Path | None = None) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in check_source(textwrap.dedent(source), "m.py", path)]


def _in_run(*body: str, imports: str = "") -> str:
    lines = "\n".join(f"        {b}" for b in body)
    return f"{imports}\n{TEMPORAL}    async def run(self) -> None:\n{lines}\n"


@pytest.mark.parametrize(
    ("imports", "line", "rule"),
    [
        ("import time", "time.time()", "FK101"),
        ("import datetime as dt", "dt.datetime.now()", "FK101"),
        ("from datetime import date", "date.today()", "FK101"),
        ("from time import monotonic as mono", "t = mono", "FK101"),
        ("import time", "time.sleep(1)", "FK101"),
        ("import random", "random.Random()", "FK102"),
        ("import uuid", "uuid.uuid4()", "FK102"),
        ("import secrets", "secrets.token_hex()", "FK102"),
        ("import threading", "threading.Thread(target=print).start()", "FK103"),
        ("from concurrent.futures import ThreadPoolExecutor", "ThreadPoolExecutor()", "FK103"),
        ("import subprocess", "subprocess.run(['ls'])", "FK104"),
        ("import urllib.request", "urllib.request.urlopen('http://x')", "FK104"),
        ("import pathlib", "(pathlib.Path('a') / 'b').write_text('x')", "FK104"),
        ("", "open('x')", "FK104"),
        ("import os", "os.environ.get('X')", "FK105"),
        ("from os import getenv", "getenv('X')", "FK105"),
        ("import asyncio", "asyncio.as_completed([])", "FK106"),
        ("import asyncio", "asyncio.get_running_loop().stop()", "FK106"),
        ("from flowkit.workflow import temporal_workflow", "temporal_workflow.now()", None),
        ("import time", "time.localtime(0)", None),
        ("import random", "random.Random(7)", None),
        ("import uuid", "uuid.uuid5(uuid.NAMESPACE_URL, 'x')", None),
        ("import asyncio", "await asyncio.sleep(1)", None),
        ("import asyncio", "await asyncio.wait_for(asyncio.sleep(1), 2)", None),
        ("import pathlib", "pathlib.PurePath('a').name", None),
    ],
)
def test_a_source_in_workflow_code(imports: str, line: str, rule: str | None) -> None:
    found = {r for _, r in _rules(_in_run(line, imports=imports))}
    assert found == ({rule} if rule else set())


@pytest.mark.parametrize(
    "decorator",
    [
        "from flowkit.workflow import workflow\n@workflow.defn()",
        "from flowkit.agent import agent\n@agent.defn",
        "from flowkit import workflow as fw\n@fw.workflow.defn(name='X')",
        "import temporalio.workflow as tw\n@tw.defn(sandboxed=False)",
        "from temporalio.workflow import defn\n@defn",
        "from flowkit.workflow import temporal_workflow as t\n@t.defn",
    ],
)
def test_every_workflow_decorator_is_seen(decorator: str) -> None:
    source = f"import time\n{decorator}\nclass W:\n    def go(self):\n        time.time()\n"
    assert [r for _, r in _rules(source)] == ["FK101"]


def test_only_workflow_code_and_what_it_calls() -> None:
    source = """\
        import os, time
        from flowkit.function import function
        from flowkit.workflow import workflow

        def deep():
            return time.time()

        def helper():
            return deep()

        def unused():
            return os.getenv("X")

        @function.defn
        async def step() -> str:
            return os.getenv("X") or ""

        class NotAWorkflow:
            def go(self):
                return time.time()

        @workflow.defn()
        class W:
            @workflow.run
            async def run(self) -> None:
                helper()
                await workflow.step(function=step)
        """
    assert _rules(source) == [(6, "FK101")]


def test_module_without_workflows_is_not_checked() -> None:
    assert _rules("import requests, time\nx = time.time()\nrequests.get('x')\n") == []


def test_local_names_hide_imports_and_annotations_are_skipped() -> None:
    source = _in_run(
        "random = temporal_workflow.random()",
        "random.randint(1, 2)",
        "def f(p: subprocess.Popen) -> subprocess.Popen: return p",
        imports="import random, subprocess\nfrom temporalio import workflow as temporal_workflow",
    )
    assert _rules(source) == []


def test_mutable_globals() -> None:
    source = """\
        from collections import defaultdict
        from temporalio import workflow
        SEEN = []
        BY = defaultdict(list)
        CONST = {"a": 1}
        @workflow.defn
        class W:
            @workflow.run
            async def run(self) -> int:
                global COUNT
                SEEN.append(1)
                BY["x"] = [1]
                local = []
                local.append(CONST["a"])
                return len(SEEN)
        """
    assert _rules(source) == [(10, "FK108"), (11, "FK108"), (12, "FK108")]


def test_sandbox_imports(tmp_path: Path) -> None:
    (tmp_path / "myapp").mkdir()
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (tmp_path / "myapp" / "models.py").write_text("")
    module = tmp_path / "myapp" / "workflows.py"
    source = """\
        from __future__ import annotations
        import json
        from typing import TYPE_CHECKING
        import pydantic
        import jinja2
        import structlog
        from myapp.models import Thing
        from . import models
        from flowkit.workflow import import_functions, workflow
        from temporalio import workflow as tw
        if TYPE_CHECKING:
            import numpy
        with import_functions():
            import pandas
        with tw.unsafe.imports_passed_through():
            import polars
        try:
            import orjson
        except ImportError:
            orjson = None

        @workflow.defn()
        class W:
            pass
        """
    assert _rules(source, module) == [(5, "FK107"), (18, "FK107")]
    # without a path, the project's own absolute imports cannot be told apart
    assert (7, "FK107") in _rules(source)


def test_flowkit_passthrough_is_the_plugins() -> None:
    from flowkit.check._imports import FLOWKIT_PASSED
    from flowkit.runtime import PASSTHROUGH_MODULES

    assert set(PASSTHROUGH_MODULES) == FLOWKIT_PASSED


def test_suppression_comments() -> None:
    source = _in_run(
        "time.time()  # flowkit: ignore[FK101]",
        "time.time()  # flowkit: ignore[wall-clock, FK104]",
        "time.time()  # FLOWKIT: IGNORE",
        "time.time()  # flowkit: ignore[FK104]",
        "'# flowkit: ignore'; time.time()",
        imports="import time",
    )
    assert _rules(source) == [(11, "FK101"), (12, "FK101")]


def test_finding_text_and_columns() -> None:
    source = _in_run("x = 'é'; time.time()", imports="import time")
    (finding,) = check_source(source, "m.py")
    assert (finding.line, finding.column) == (8, 18)  # characters, not UTF-8 bytes
    assert str(finding).startswith("m.py:8:18: FK101 wall-clock: time.time() reads")
    assert "instead: temporal_workflow.now()" in str(finding)
    assert finding.to_json()["alternative"] == finding.alternative


def test_rule_for() -> None:
    assert rule_for("fk101") == rule_for("wall-clock") == rule_for(" FK101 ")
    assert rule_for("nope") is None


def test_syntax_error_points_at_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\ndef f(:\n")
    with pytest.raises(UsageError) as caught:
        check_paths([bad])
    text = str(caught.value)
    assert f"{bad}:2:7" in text
    assert "def f(:" in text
    assert "^" in text


def test_paths(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("def f(:\n")  # skipped, or it would raise
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "b.py").write_text("")
    assert check_paths([tmp_path]).files == 2
    with pytest.raises(UsageError, match="no such file or folder"):
        check_paths([tmp_path / "missing"])


def test_scopes_of_comprehensions_and_nested_functions() -> None:
    source = _in_run(
        "xs = [time for time in range(3)]",
        "time.time()",
        "ys = [time.time() for time in range(3)]",
        "zs = [t for t in time.gmtime()]",
        "def inner(time=None):\n            return time",
        imports="import time",
    )
    assert _rules(source) == [(9, "FK101"), (11, "FK101")]
