"""Sagas compensate in reverse order; DAGs run independent steps concurrently."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import CancelledError

from flowkit.testing import replay, scheduled_steps
from tests.steps import defs

pytestmark = pytest.mark.asyncio

FUNCTIONS = [defs.act, defs.undo, defs.undo_broken]


async def _failure(env, tq: str, workflow, arg) -> tuple[WorkflowFailureError, object]:
    handle = await env.client.start_workflow(
        workflow.run, arg, id=f"wf-{uuid.uuid4().hex[:8]}", task_queue=tq
    )
    with pytest.raises(WorkflowFailureError) as caught:
        await handle.result()
    return caught.value, handle


async def test_saga_compensates_completed_steps_in_reverse_order(flowkit_env, flowkit_worker):
    defs.UNDONE.clear()
    async with flowkit_worker(workflows=[defs.SagaWorkflow], functions=FUNCTIONS) as tq:
        error, handle = await _failure(flowkit_env, tq, defs.SagaWorkflow, "car")
        steps = await scheduled_steps(handle)
    cause = error.cause
    assert cause.type == "SagaCompensated"
    report = cause.details[0]
    assert report["compensated"] == ["undo", "undo"]
    assert report["failed"] == []
    assert "car is not possible" in report["error"]
    assert defs.UNDONE == ["hotel", "flight"]
    assert [s.summary for s in steps] == [
        "act",
        "act",
        "act",
        "compensate: undo",
        "compensate: undo",
    ]
    assert steps[-1].retry_policy.maximum_attempts == 2


async def test_saga_reports_a_failed_compensation_and_runs_the_others(flowkit_env, flowkit_worker):
    defs.UNDONE.clear()
    async with flowkit_worker(workflows=[defs.SagaWorkflow], functions=FUNCTIONS) as tq:
        error, _ = await _failure(flowkit_env, tq, defs.SagaWorkflow, "broken")
    report = error.cause.details[0]
    assert report["error"] == "late failure"
    assert report["compensated"] == ["undo", "undo"]
    assert [f["name"] for f in report["failed"]] == ["undo_broken"]
    assert "cannot undo flight" in report["failed"][0]["error"]
    assert defs.UNDONE == ["car", "hotel"]


async def test_saga_compensates_when_the_run_is_cancelled(flowkit_env, flowkit_worker):
    defs.UNDONE.clear()
    async with flowkit_worker(workflows=[defs.SagaWorkflow], functions=FUNCTIONS) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.SagaWorkflow.run, "cancel", id=f"wf-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        for _ in range(100):
            if len(await scheduled_steps(handle)) == 3:
                break
            await asyncio.sleep(0.05)
        await handle.cancel()
        with pytest.raises(WorkflowFailureError) as caught:
            await handle.result()
        steps = await scheduled_steps(handle)
    assert isinstance(caught.value.cause, CancelledError)
    assert defs.UNDONE == ["car", "hotel", "flight"]
    assert [s.summary for s in steps][3:] == ["compensate: undo"] * 3


async def _dag(env, worker, options):
    async with worker(workflows=[defs.DagWorkflow], functions=FUNCTIONS) as tq:
        handle = await env.client.start_workflow(
            defs.DagWorkflow.run, options, id=f"dag-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        out = await handle.result()
    await replay(handle, [defs.DagWorkflow])  # the same scheduling decisions on replay
    return out


async def test_dag_runs_independent_steps_concurrently_and_fails_dependents(
    flowkit_env, flowkit_worker
):
    out = await _dag(flowkit_env, flowkit_worker, {"fail": ["d"]})
    started = out["started"]
    assert started["a"] == started["b"] == started["f"] == 0
    assert started["c"] == pytest.approx(10, abs=1)
    assert started["d"] == pytest.approx(20, abs=1)
    assert "e" not in started
    assert out["status"] == {
        "a": "completed",
        "b": "completed",
        "c": "completed",
        "d": "failed",
        "e": "skipped",
        "f": "completed",
    }
    assert out["results"]["c"] == "c:done<a,b"
    assert "d is not possible" in out["errors"]["d"]
    assert out["errors"]["e"] == "needs d, which did not complete"


async def test_dag_respects_max_parallel(flowkit_env, flowkit_worker):
    out = await _dag(flowkit_env, flowkit_worker, {"max_parallel": 2})
    started = out["started"]
    order = out["order"]
    assert order[:2] == ["a", "b"]
    assert set(order[2:4]) == {"c", "f"}  # f waits for a free slot, unlike without a limit
    assert order[4:] == ["d", "e"]
    assert (started["a"], started["b"]) == (0, 0)
    assert started["c"] == pytest.approx(10, abs=1)
    assert started["f"] == pytest.approx(10, abs=1)
    seconds = {"a": 10, "b": 10, "c": 10, "d": 10, "e": 10, "f": 30}
    for moment in range(0, 60):
        busy = [n for n, t in started.items() if t <= moment + 0.5 < t + seconds[n]]
        assert len(busy) <= 2, (moment, busy)
    assert all(s == "completed" for s in out["status"].values())


async def test_dag_fail_fast_cancels_running_steps_and_skips_the_rest(flowkit_env, flowkit_worker):
    out = await _dag(flowkit_env, flowkit_worker, {"fail": ["a"], "fail_fast": True})
    status = out["status"]
    assert status["a"] == "failed"
    assert status["f"] == "cancelled"  # 30 s step, still running when a failed at 10 s
    assert status["b"] in ("failed", "completed", "cancelled")
    assert (status["c"], status["d"], status["e"]) == ("skipped", "skipped", "skipped")
