"""Children, durable sleep and replay-safe logging on the time-skipping server."""

from __future__ import annotations

import io
import time
import uuid
from datetime import timedelta

import pytest

from flowkit import policy
from flowkit._sdk import _log
from flowkit.testing import replay, scheduled_steps
from tests.sdk import defs

pytestmark = pytest.mark.asyncio


async def test_child_start_and_child_execute(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.ParentWorkflow, defs.ChildWorkflow]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.ParentWorkflow.run, id=f"parent-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        result = await handle.result()
        started = flowkit_env.client.get_workflow_handle("child-started")
        assert await started.result() == "abab"
        children = await scheduled_steps(handle)
        summary = await (await started.describe()).static_summary()

    assert result == {"started_id": "child-started", "executed": "xyxy"}
    assert [c.kind for c in children] == ["workflow", "workflow"]
    assert [c.name for c in children] == ["ChildWorkflow", "ChildWorkflow"]
    assert children[0].id == "child-started"
    assert children[1].id.startswith(f"{handle.id}-ChildWorkflow-")
    assert summary == "ChildWorkflow"  # shown for the child in the Web UI
    # Children get the same default retry policy as steps.
    assert all(c.retry_policy == policy.DEFAULT_RETRY for c in children)


async def test_a_child_given_by_its_run_method_runs_as_by_its_class(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.TypedParentWorkflow, defs.ChildWorkflow]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.TypedParentWorkflow.run, id=f"typed-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        result = await handle.result()
        [child] = await scheduled_steps(handle)
    assert result == "okok"
    assert (child.kind, child.name) == ("workflow", "ChildWorkflow")
    assert child.id.startswith(f"{handle.id}-ChildWorkflow-")  # named after the workflow
    assert child.retry_policy == policy.DEFAULT_RETRY


async def test_a_sleep_of_days_is_skipped(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.SleepyWorkflow]) as tq:
        began = time.monotonic()
        slept = await flowkit_env.client.execute_workflow(
            defs.SleepyWorkflow.run, 3, id=f"sleepy-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        wall = time.monotonic() - began
    assert slept >= timedelta(days=3).total_seconds()  # the workflow's clock moved 3 days
    assert wall < 60  # ... and the test did not wait for them


async def test_a_replayed_workflow_logs_each_line_once(flowkit_env, flowkit_worker):
    stream = io.StringIO()
    _log.configure_logging(format="json", stream=stream)
    try:
        # No cache: every workflow task replays the history from the start.
        async with flowkit_worker(
            workflows=[defs.LoggingWorkflow], functions=[defs.echo], max_cached_workflows=0
        ) as tq:
            handle = await flowkit_env.client.start_workflow(
                defs.LoggingWorkflow.run, id=f"logging-{uuid.uuid4().hex[:8]}", task_queue=tq
            )
            await handle.result()
            await replay(handle, [defs.LoggingWorkflow])
    finally:
        _log.configure_logging()
    lines = [line for line in stream.getvalue().splitlines() if '"line"' not in line]
    events = [line for line in lines if "line" in line]
    assert [e.split('"event": "')[1].split('"')[0] for e in events] == [
        "first line",
        "second line",
        "third line",
    ]
    assert all(handle.id in e for e in events)
    assert all('"run_id"' in e for e in events)


async def test_function_logs_carry_the_function_name_and_attempt(flowkit_env, flowkit_worker):
    stream = io.StringIO()
    _log.configure_logging(format="json", stream=stream)

    from flowkit.function import function, log

    @function.defn(name="noisy")
    async def noisy(text: str) -> str:
        log.info("working", text=text)
        return text

    try:
        async with flowkit_worker(workflows=[defs.StepWorkflow], functions=[noisy]) as tq:
            await flowkit_env.client.execute_workflow(
                defs.StepWorkflow.run,
                {"function": "noisy", "input": "hi"},
                id=f"noisy-{uuid.uuid4().hex[:8]}",
                task_queue=tq,
            )
    finally:
        _log.configure_logging()
    [line] = [x for x in stream.getvalue().splitlines() if "working" in x]
    assert '"function": "noisy"' in line
    assert '"attempt": 1' in line
    assert '"text": "hi"' in line


async def test_structlog_and_pydantic_work_in_workflows_without_sandbox_setup(
    flowkit_env, flowkit_worker
):
    async with flowkit_worker(workflows=[defs.StructlogWorkflow]) as tq:
        result = await flowkit_env.client.execute_workflow(
            defs.StructlogWorkflow.run,
            "Ada",
            id=f"structlog-{uuid.uuid4().hex[:8]}",
            task_queue=tq,
            result_type=defs.Greeting,
        )
    assert result == defs.Greeting(name="Ada")
