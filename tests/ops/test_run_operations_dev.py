"""The run operations that need the dev server, called directly: listing (visibility),
following a run, input to an ended run, and stuck runs (a task queue's pollers, and the
wall clock a run waits by; runs left stuck cannot stall time skipping here)."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import aclosing
from typing import Any

import pytest

from flowkit.errors import RunStuck, UsageError
from flowkit.runtime import (
    decide,
    follow_history,
    list_runs,
    run_history,
    run_result,
    run_status,
    start_run,
    submit_form,
)
from flowkit.steps import StepEvent, TaskFailure
from flowkit.testing import run_worker
from tests.ops import defs
from tests.ops.test_run_operations import new_id, waiting_on
from tests.reliability import defs as reliability

pytestmark = [pytest.mark.asyncio, pytest.mark.dev_server]


async def test_list_runs_by_status_newest_first(flowkit_dev_env: Any) -> None:
    client = flowkit_dev_env.client
    async with run_worker(client, workflows=[reliability.OrderWorkflow]) as tq:
        # One after the other, so the newer run both starts and ends later.
        older = await start_run(client, "OrderWorkflow", {"priority": 1}, task_queue=tq)
        assert (await run_result(client, older.id)).completed
        newer = await start_run(client, "OrderWorkflow", {"priority": 2}, task_queue=tq)
        assert (await run_result(client, newer.id)).completed
    for _ in range(50):  # visibility is eventually consistent
        completed = await list_runs(client, status="Completed", limit=100)
        ids = [r.id for r in completed]
        if older.id in ids and newer.id in ids:
            break
        await asyncio.sleep(0.1)
    assert ids.index(newer.id) < ids.index(older.id)
    [summary] = [r for r in completed if r.id == newer.id]
    assert (summary.run_id, summary.workflow, summary.status) == (
        newer.run_id,
        "OrderWorkflow",
        "completed",
    )
    assert summary.started is not None
    assert summary.to_json()["started"] == summary.started.isoformat()
    assert {r.status for r in completed} == {"completed"}
    running = await list_runs(client, status="running", limit=100)
    assert newer.id not in [r.id for r in running]
    assert len(await list_runs(client, limit=1)) == 1
    with pytest.raises(UsageError, match=r"^status sleeping: use one of running"):
        await list_runs(client, status="sleeping")


async def test_follow_history_tells_each_step_until_the_run_ends(flowkit_dev_env: Any) -> None:
    client = flowkit_dev_env.client
    async with run_worker(client, **defs.CONTENT) as tq:
        run_id = (await start_run(client, "ContentDraft", {"approvers": ["ed"]}, task_queue=tq)).id
        await waiting_on(client, run_id, "collect")

        async def follow() -> list[Any]:
            return [item async for item in follow_history(client, run_id)]

        follower = asyncio.create_task(follow())
        await submit_form(client, run_id, "collect", defs.GOOD_INPUT)
        await waiting_on(client, run_id, "approve")
        await decide(client, run_id, "approve", "approve", by="ed")
        items = await follower
        with pytest.raises(UsageError) as ended:
            await decide(client, run_id, "approve", "reject", by="ed")
    assert all(isinstance(item, StepEvent) for item in items)
    assert [(e.kind, e.action) for e in items[:2]] == [("run", "started"), ("input", "received")]
    assert ("function", "completed", "generate") in [(e.kind, e.action, e.step) for e in items]
    assert (items[-1].kind, items[-1].action, items[-1].step) == (
        "run",
        "completed",
        "ContentDraft",
    )
    # Temporal says NOT_FOUND here too; flowkit tells it from an unknown id.
    assert str(ended.value) == "the run has already ended; it takes no more input"


async def test_a_failing_workflow_task_is_told_by_every_reader(flowkit_dev_env: Any) -> None:
    client = flowkit_dev_env.client
    async with run_worker(client, workflows=[reliability.OrderWorkflow]) as tq:
        run_id = (await start_run(client, "Checkout", id=new_id("stuck"), task_queue=tq)).id
        with pytest.raises(RunStuck) as stuck:
            await run_result(client, run_id)
        with pytest.raises(RunStuck) as patient:  # a failing task gives up even so
            await run_result(client, run_id, wait_for_worker=True)
        status = await run_status(client, run_id)
        told = await run_history(client, run_id)
        async with aclosing(follow_history(client, run_id)) as items:
            first_reason = await anext(
                item async for item in items if not isinstance(item, StepEvent)
            )
        await client.get_workflow_handle(run_id).terminate("test over")
    for error in (stuck.value, patient.value):
        assert error.workflow_id == run_id
        assert "Workflow class Checkout is not registered on this worker" in error.reason
    assert status.status == "running"
    assert isinstance(status.stuck, TaskFailure)
    assert status.stuck.unregistered
    assert isinstance(told.stuck, TaskFailure)
    assert "task_failed" in [e.action for e in told.events]
    assert told.to_json()[-1] == {"stuck": told.stuck.to_json()}
    assert isinstance(first_reason, TaskFailure)
    assert "register it with the worker" in first_reason.explain()


@pytest.mark.slow
async def test_a_run_no_worker_takes_is_stuck_unless_told_to_wait_for_one(
    flowkit_dev_env: Any,
) -> None:
    client = flowkit_dev_env.client
    queue = f"later-{uuid.uuid4().hex[:6]}"
    started = await start_run(client, "OrderWorkflow", {"priority": 3}, task_queue=queue)
    with pytest.raises(RunStuck) as stuck:
        await run_result(client, started.id)
    assert f"no worker polls task queue {queue!r}" in stuck.value.reason
    # The run has gone unserved past the limit: waiting for a worker, it gives up no more.
    waiting = asyncio.create_task(run_result(client, started.id, wait_for_worker=True))
    await asyncio.sleep(1.5)  # room for the waiter to look at the run once; not asserted
    assert not waiting.done()
    async with run_worker(client, workflows=[reliability.OrderWorkflow], task_queue=queue):
        outcome = await waiting
    assert (outcome.status, outcome.value) == ("completed", 6)
