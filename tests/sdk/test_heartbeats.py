"""Functions heartbeat on their own while they run (time-skipping server, real sleeps)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ActivityError, TimeoutError, TimeoutType

from flowkit import policy
from flowkit.testing import scheduled_steps
from tests.sdk import defs

pytestmark = pytest.mark.asyncio

FUNCTIONS = [defs.nap, defs.sync_nap, defs.resumable]


async def _start(env, tq: str, call: dict[str, object]):
    return await env.client.start_workflow(
        defs.StepWorkflow.run,
        call,
        id=f"test-{uuid.uuid4().hex[:8]}",
        task_queue=tq,
        execution_timeout=timedelta(minutes=30),
    )


@pytest.mark.slow
@pytest.mark.parametrize("function", ["nap", "sync_nap"])
async def test_a_step_longer_than_its_heartbeat_timeout_succeeds(
    flowkit_env, flowkit_worker, function
):
    call = {"function": function, "input": 5.0, "heartbeat": 2, "attempts": 1}
    async with flowkit_worker(workflows=[defs.StepWorkflow], functions=FUNCTIONS) as tq:
        handle = await _start(flowkit_env, tq, call)
        assert await handle.result() == "rested"


@pytest.mark.slow
async def test_without_auto_heartbeat_the_step_times_out(flowkit_env, flowkit_worker):
    policy.configure(policy__auto_heartbeat=False)
    try:
        call = {"function": "nap", "input": 5.0, "heartbeat": 2, "attempts": 1}
        async with flowkit_worker(workflows=[defs.StepWorkflow], functions=FUNCTIONS) as tq:
            handle = await _start(flowkit_env, tq, call)
            with pytest.raises(WorkflowFailureError) as caught:
                await handle.result()
    finally:
        policy.reset()
    error = caught.value.cause
    assert isinstance(error, ActivityError)
    assert isinstance(error.cause, TimeoutError)
    assert error.cause.type == TimeoutType.HEARTBEAT


@pytest.mark.slow
async def test_auto_heartbeats_keep_the_details_a_function_saved(flowkit_env, flowkit_worker):
    call = {"function": "resumable", "input": 3.0, "heartbeat": 2, "attempts": 3}
    async with flowkit_worker(workflows=[defs.StepWorkflow], functions=FUNCTIONS) as tq:
        handle = await _start(flowkit_env, tq, call)
        assert await handle.result() == ["saved"]


async def test_a_zero_heartbeat_timeout_means_none(flowkit_env, flowkit_worker):
    call = {"function": "nap", "input": 0.0, "heartbeat": 0, "attempts": 1}
    async with flowkit_worker(workflows=[defs.StepWorkflow], functions=FUNCTIONS) as tq:
        handle = await _start(flowkit_env, tq, call)
        assert await handle.result() == "rested"
        (step,) = await scheduled_steps(handle)
    assert not step.heartbeat_timeout
