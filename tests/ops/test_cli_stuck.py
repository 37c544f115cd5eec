"""The run commands tell why a run makes no progress, against the Temporal dev server.

``flowkit run --wait`` on a workflow no worker serves, or with input its model refuses,
used to wait forever and say nothing; ``status``, ``history`` and ``result`` gave no hint.
These check what the commands print and their exit codes; the library calls behind them
are tested in test_run_operations_dev.py.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from temporalio.client import WorkflowFailureError

from flowkit.testing import run_worker
from tests.ops.test_cli_ops import Flowkit
from tests.reliability import defs

pytestmark = [pytest.mark.asyncio, pytest.mark.dev_server]

WITHIN = 30.0  # seconds: the bound for `run --wait` to give up, naming the cause


def new_id() -> str:
    return f"stuck-{uuid.uuid4().hex[:8]}"


@pytest.mark.slow
async def test_run_wait_on_a_queue_no_worker_polls_names_the_queue(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = new_id()
    queue = f"nobody-{uuid.uuid4().hex[:6]}"
    began = time.monotonic()
    code, out, err = await flowkit(
        "run", "Checkout", "--id", run_id, "--task-queue", queue, "--wait"
    )
    took = time.monotonic() - began
    assert code == 1
    assert took < WITHIN
    assert f"run {run_id} is stuck: no worker polls task queue {queue!r}" in err
    assert "start one with `flowkit worker`" in err
    assert "Traceback" not in err
    code, out, _ = await flowkit("status", run_id)
    assert f"stuck: no worker polls task queue {queue!r}" in out
    await flowkit_dev_env.client.get_workflow_handle(run_id).terminate("test over")


async def test_run_wait_on_an_unregistered_workflow_names_it(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = new_id()
    async with run_worker(flowkit_dev_env.client, workflows=[defs.OrderWorkflow]) as tq:
        began = time.monotonic()
        code, _, err = await flowkit(
            "run", "Checkout", "--id", run_id, "--task-queue", tq, "--wait"
        )
        assert time.monotonic() - began < WITHIN
        assert code == 1
        assert "Workflow class Checkout is not registered on this worker" in err
        assert "register it with the worker" in err

        status = await flowkit.json("status", run_id)
        assert status["status"] == "running"
        assert status["stuck"]["kind"] == "task-failing"
        assert status["stuck"]["attempts"] >= 1
        assert "available workflows: OrderWorkflow" in status["stuck"]["message"]

        code, out, _ = await flowkit("history", run_id)
        assert code == 0
        assert "task_failed run" in out
        assert "Workflow class Checkout is not registered" in out
        assert "stuck: its workflow task fails (" in out

        code, _, err = await flowkit("result", run_id)
        assert code == 1
        assert "is stuck: its workflow task fails" in err
        await flowkit_dev_env.client.get_workflow_handle(run_id).terminate("test over")


async def test_run_wait_with_input_the_model_refuses_ends_failed_naming_the_field(
    flowkit_dev_env, capsys
):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = new_id()
    async with run_worker(flowkit_dev_env.client, workflows=[defs.OrderWorkflow]) as tq:
        began = time.monotonic()
        code, _, err = await flowkit(
            "run", "OrderWorkflow", "--id", run_id, "--task-queue", tq,
            "--input", '{"priority": "high"}', "--wait",
        )  # fmt: skip
        assert time.monotonic() - began < WITHIN
    assert code == 1
    assert f"run {run_id} failed" in err
    assert "does not fit Order: priority" in err
    assert "Traceback" not in err


async def test_status_of_a_failed_run_shows_no_running_functions(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = new_id()
    worker = {"workflows": [defs.FailsWhileAStepRuns], "functions": [defs.linger]}
    async with run_worker(flowkit_dev_env.client, **worker) as tq:
        await flowkit("run", "FailsWhileAStepRuns", "--id", run_id, "--task-queue", tq)
        handle = flowkit_dev_env.client.get_workflow_handle(run_id)
        with pytest.raises(WorkflowFailureError):
            await asyncio.wait_for(handle.result(), 10)
        raw = (await handle.describe()).raw_description
        status = await flowkit.json("status", run_id)
    assert [a.activity_type.name for a in raw.pending_activities] == ["linger"]  # the server
    assert status["status"] == "failed"
    assert status["running"] == []
    assert status["stuck"] is None


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
async def test_input_json_refuses_nan_and_infinity(flowkit_dev_env, capsys, constant):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    code, _, err = await flowkit(
        "run", "OrderWorkflow", "--input", json.dumps({"x": 1})[:-1] + f', "y": {constant}}}'
    )
    assert code == 2
    assert f"{constant} is not a JSON number" in err


async def test_a_form_input_over_the_payload_limit_is_refused_and_the_run_still_waits(
    flowkit_dev_env, capsys, tmp_path
):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = new_id()
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"title": "x" * 1_100_000}), encoding="utf-8")
    async with run_worker(flowkit_dev_env.client, workflows=[defs.FormThenDecide]) as tq:
        await flowkit("run", "FormThenDecide", "--id", run_id, "--task-queue", tq)
        for _ in range(100):
            if (await flowkit.json("status", run_id))["waiting"]:
                break
            await asyncio.sleep(0.1)
        code, _, err = await flowkit("submit", run_id, "details", "--input", f"@{big}")
        assert code == 2
        assert "is over the 1.0 MB limit" in err
        assert [w["step"] for w in (await flowkit.json("status", run_id))["waiting"]] == ["details"]
        good = json.dumps({"title": "t", "channel": "beta"})
        code, _, err = await flowkit("submit", run_id, "details", "--input", good)
        assert code == 0, err
        assert await flowkit.json("result", run_id) is True
