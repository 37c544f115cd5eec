"""Forms and approvals on the time-skipping server: validators reject, runs keep waiting."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from tests.steps import defs

pytestmark = pytest.mark.asyncio

GOOD = {"name": "Ada", "email": "ada@example.com", "age": "36", "code": "ABC-12"}


async def _start(env, tq: str, hours: float = 0) -> WorkflowHandle:
    return await env.client.start_workflow(
        defs.SignupWorkflow.run, hours, id=f"signup-{uuid.uuid4().hex[:8]}", task_queue=tq
    )


async def _waiting(handle: WorkflowHandle) -> list[dict]:
    for _ in range(50):
        waiting = await handle.query("waiting_on")
        if waiting:
            return waiting
        await asyncio.sleep(0.05)
    raise AssertionError("the run never waited")


async def _update_error(handle: WorkflowHandle, name: str, arg: dict) -> WorkflowUpdateFailedError:
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(name, arg)
    return caught.value


async def test_bad_submission_is_rejected_with_every_reason_then_a_good_one_is_accepted(
    flowkit_env, flowkit_worker
):
    async with flowkit_worker(workflows=[defs.SignupWorkflow]) as tq:
        handle = await _start(flowkit_env, tq)
        [waiting] = await _waiting(handle)
        assert (waiting["step"], waiting["kind"]) == ("details", "form")
        assert [f["key"] for f in waiting["fields"]] == ["name", "email", "age", "code"]

        bad = {"email": "not-an-email", "age": "old", "code": "abc", "extra": 1}
        error = await _update_error(handle, "submit", {"step": "details", "data": bad})
        cause = error.cause
        assert cause.type == "InvalidSubmission"
        assert cause.details[0]["reasons"] == [
            "name: required",
            "email: 'not-an-email' is not an email address",
            "age: must be an integer, got 'old'",
            "code: 'abc' does not match the pattern [A-Z]{3}-\\d{2}",
            "extra: not a field of this form",
        ]
        assert "5 problems" in cause.message

        # The run still waits on the same step, and the rejection was not recorded.
        assert [w["step"] for w in await handle.query("waiting_on")] == ["details"]
        history = await handle.fetch_history()
        accepted = "workflow_execution_update_accepted_event_attributes"
        assert not [e for e in history.events if e.HasField(accepted)]

        wrong_step = await _update_error(handle, "approve", {"step": "review", "by": "alice"})
        assert wrong_step.cause.type == "NotWaiting"

        receipt = await handle.execute_update("submit", {"step": "details", "data": GOOD})
        assert receipt["values"]["age"] == 36
        [waiting] = await _waiting(handle)
        assert waiting["step"] == "review"
        assert waiting["approvers"] == ["alice", "carol"]
        meta = await handle.query("__temporal_workflow_metadata")
        assert "waiting on approval **review** from alice, carol" in meta.current_details

        outsider = await _update_error(handle, "approve", {"step": "review", "by": "mallory"})
        assert outsider.cause.type == "NotAnApprover"
        assert "'mallory' may not decide step 'review'" in outsider.cause.message
        unnamed = await _update_error(handle, "reject", {"step": "review"})
        assert unnamed.cause.type == "NotAnApprover"

        await handle.execute_update("approve", {"step": "review", "by": "carol", "comment": "ok"})
        result = await handle.result()
    assert result["data"] == {**GOOD, "age": 36}
    assert result["verdict"]["outcome"] == "approved"
    assert (result["verdict"]["by"], result["verdict"]["comment"]) == ("carol", "ok")


async def test_rejection_is_reported_as_the_outcome(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.SignupWorkflow]) as tq:
        handle = await _start(flowkit_env, tq)
        await _waiting(handle)
        await handle.execute_update("submit", {"step": "details", "data": GOOD})
        await _waiting(handle)
        await handle.execute_update("reject", {"step": "review", "by": "alice", "comment": "no"})
        result = await handle.result()
    assert result["verdict"]["outcome"] == "rejected"
    assert result["verdict"]["by"] == "alice"


async def test_approval_times_out_in_virtual_time(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.SignupWorkflow]) as tq:
        handle = await _start(flowkit_env, tq, hours=48)
        await _waiting(handle)
        await handle.execute_update("submit", {"step": "details", "data": GOOD})
        [waiting] = await _waiting(handle)
        assert waiting["deadline"] is not None
        result = await handle.result()  # the 48 h timer is skipped
    verdict = result["verdict"]
    assert verdict["outcome"] == "timed_out"
    assert verdict["by"] is None


async def test_sleep_and_wait_until_are_durable_timers(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.TimersWorkflow]) as tq:
        result = await flowkit_env.client.execute_workflow(
            defs.TimersWorkflow.run, id=f"timers-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
    assert result[0] == pytest.approx(2 * 86400, abs=5)
    assert result[1] == pytest.approx(86400, abs=5)
    assert result[2] == 0
