"""Steps on the time-skipping server: the default policy reaches Temporal; retries."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from temporalio.client import WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    RetryState,
    TimeoutError,
    TimeoutType,
)

from flowkit import policy
from flowkit.testing import scheduled_steps
from tests.sdk import defs

pytestmark = pytest.mark.asyncio


def _id() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


async def test_default_policy_reaches_the_server_and_explicit_arguments_win(
    flowkit_env, flowkit_worker
):
    async with flowkit_worker(workflows=[defs.DefaultsWorkflow], functions=[defs.echo]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.DefaultsWorkflow.run, id=_id(), task_queue=tq
        )
        assert await handle.result() == ["A", "B"]
        default, explicit = await scheduled_steps(handle)

    assert default.name == "echo"
    assert default.summary == "echo"
    assert default.retry_policy == RetryPolicy(
        initial_interval=timedelta(seconds=5),
        backoff_coefficient=2.0,
        maximum_interval=timedelta(minutes=2),
        maximum_attempts=6,
    )
    assert default.retry_policy == policy.DEFAULT_RETRY
    assert default.start_to_close_timeout == timedelta(minutes=2) == policy.DEFAULT_STEP_TIMEOUT
    assert default.heartbeat_timeout == timedelta(seconds=30) == policy.DEFAULT_HEARTBEAT

    assert explicit.summary == "echo loudly"
    assert explicit.retry_policy is not None
    assert explicit.retry_policy.maximum_attempts == 2
    assert explicit.retry_policy.initial_interval == timedelta(seconds=1)
    assert explicit.start_to_close_timeout == timedelta(seconds=7)
    assert explicit.heartbeat_timeout == timedelta(seconds=3)


async def test_configured_policy_replaces_the_built_in_defaults(flowkit_env, flowkit_worker):
    policy.configure(policy__retry__max_attempts=3, policy__timeout="45s")
    try:
        async with flowkit_worker(workflows=[defs.DefaultsWorkflow], functions=[defs.echo]) as tq:
            handle = await flowkit_env.client.start_workflow(
                defs.DefaultsWorkflow.run, id=_id(), task_queue=tq
            )
            await handle.result()
            default, _ = await scheduled_steps(handle)
    finally:
        policy.reset()
    assert default.retry_policy is not None
    assert default.retry_policy.maximum_attempts == 3
    assert default.start_to_close_timeout == timedelta(seconds=45)


async def _run_step(env, worker, call: dict[str, object]):
    async with worker(
        workflows=[defs.StepWorkflow],
        functions=[defs.flaky, defs.fatal_function, defs.stall, defs.sync_add],
    ) as tq:
        return await env.client.execute_workflow(
            defs.StepWorkflow.run,
            call,
            id=_id(),
            task_queue=tq,
            execution_timeout=timedelta(minutes=30),
        )


async def test_retryable_error_is_retried_until_the_step_succeeds(flowkit_env, flowkit_worker):
    # Fails on attempts 1 and 2 with RetryableError; the backoff (5 s, 10 s) is skipped.
    assert await _run_step(flowkit_env, flowkit_worker, {"function": "flaky", "input": 2}) == 3


async def test_too_many_failures_exhaust_the_attempts(flowkit_env, flowkit_worker):
    call = {"function": "flaky", "input": 5, "attempts": 3}
    with pytest.raises(WorkflowFailureError) as caught:
        await _run_step(flowkit_env, flowkit_worker, call)
    error = caught.value.cause
    assert isinstance(error, ActivityError)
    assert error.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED


async def test_non_retryable_error_fails_the_step_at_once(flowkit_env, flowkit_worker):
    with pytest.raises(WorkflowFailureError) as caught:
        await _run_step(flowkit_env, flowkit_worker, {"function": "fatal"})
    error = caught.value.cause
    assert isinstance(error, ActivityError)
    assert error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    assert isinstance(error.cause, ApplicationError)
    assert error.cause.message == "card declined"
    assert error.cause.type == "NonRetryableError"
    assert error.cause.non_retryable
    assert error.cause.details == ({"code": 51},)


@pytest.mark.slow
async def test_missed_heartbeat_is_reported_as_a_heartbeat_timeout(flowkit_env, flowkit_worker):
    call = {"function": "stall", "input": 5.0, "heartbeat": 1, "attempts": 1}
    with pytest.raises(WorkflowFailureError) as caught:
        await _run_step(flowkit_env, flowkit_worker, call)
    error = caught.value.cause
    assert isinstance(error, ActivityError)
    assert isinstance(error.cause, TimeoutError)
    assert error.cause.type == TimeoutType.HEARTBEAT
    assert list(error.cause.last_heartbeat_details) == [1]


async def test_sync_functions_run_in_a_thread_pool(flowkit_env, flowkit_worker):
    assert (
        await _run_step(flowkit_env, flowkit_worker, {"function": "sync_add", "input": [2, 3]}) == 5
    )
