"""The good examples of docs/check.md are not only clean: each runs to completion on
Temporal's time-skipping server, in the sandbox, as written (the alternatives the rules
propose work)."""

from __future__ import annotations

import importlib
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from flowkit.testing import result, run_worker
from tests.check.test_docs import EXAMPLES

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

# The input each good example's workflow runs on.
INPUTS: dict[str, Any] = {
    "FK101": None,
    "FK102": ["ada", "grace"],
    "FK103": 7,
    "FK104": None,  # set to a file's path in the test
    "FK105": "eu",
    "FK106": None,
    "FK107": "Ada",
    "FK108": "x",
}


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
async def test_good_example_runs(rule: str, tmp_path: Path, flowkit_env: Any) -> None:
    name = f"doc_good_{rule.lower()}"
    (tmp_path / f"{name}.py").write_text(EXAMPLES[rule]["Good"], encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module(name)
        workflows = [
            v for v in vars(module).values() if hasattr(v, "__temporal_workflow_definition")
        ]
        functions = [
            v for v in vars(module).values() if hasattr(v, "__temporal_activity_definition")
        ]
        (workflow,) = workflows
        arg = INPUTS[rule]
        if rule == "FK104":
            arg = str(tmp_path / "note.txt")
            Path(arg).write_text("hello", encoding="utf-8")
        async with run_worker(flowkit_env.client, workflows=workflows, functions=functions) as tq:
            args = [] if arg is None else [arg]
            handle = await flowkit_env.client.start_workflow(
                workflow.__name__, args=args, id=f"{name}-{uuid.uuid4().hex[:6]}", task_queue=tq
            )
            value = await result(handle)
        if rule == "FK104":
            assert value == "hello"
        if rule == "FK107":
            assert value == "Hello &lt;Ada&gt;"
        if rule == "FK108":
            assert value == 1
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)
