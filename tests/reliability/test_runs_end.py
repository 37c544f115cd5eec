"""A run ends or waits visibly, never spins: the cases that used to leave a run
``running`` forever, each on the time-skipping server with a worker configured as
production configures one (no ``workflow_failure_exception_types`` shortcut).

Each test gives the run a few seconds: before the fix, these runs' workflow tasks failed
and were retried forever, so the wait would time out.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import pytest_asyncio
from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ActivityError, ApplicationError

from flowkit import policy
from flowkit.errors import RunStuck, UsageError
from flowkit.runtime import Client, PayloadTooLarge
from flowkit.testing import result, run_worker, start_time_skipping
from tests.reliability import defs

pytestmark = pytest.mark.asyncio

ENDS_WITHIN = 10.0  # seconds: a run that hangs fails the test instead of its timeout


async def failure_of(handle: WorkflowHandle[Any, Any]) -> ApplicationError:
    """The ApplicationError that ended the run (it must end failed, within seconds)."""
    with pytest.raises(WorkflowFailureError) as info:
        await asyncio.wait_for(handle.result(), ENDS_WITHIN)
    cause = info.value.cause
    while isinstance(cause, ActivityError) and cause.cause is not None:
        cause = cause.cause
    assert isinstance(cause, ApplicationError), cause
    return cause


def run_id() -> str:
    return f"reliability-{uuid.uuid4().hex[:10]}"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stuck_env() -> Any:
    """A time-skipping server of its own for runs left stuck: on Temporal's test server, a
    run with a failing or unserved workflow task stops time skipping for good, even once
    terminated, which would stall every later test's timers on the shared server."""
    env = await start_time_skipping()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.mark.parametrize(
    ("expression", "cause"),
    [
        ("10 / input['n']", "division by zero"),
        ("input['missing'] > 1", "no item 'missing'"),
        ("9 ** 9 ** 9", "exponent"),
        ("'x' * 100000", "longer than"),
    ],
)
async def test_an_expression_that_fails_on_the_run_data_fails_the_run(
    flowkit_env: Any, flowkit_worker: Any, expression: str, cause: str
) -> None:
    async with flowkit_worker(workflows=[defs.Decide]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.Decide.run,
            {"expression": expression, "input": {"n": 0}},
            id=run_id(),
            task_queue=tq,
        )
        failure = await failure_of(handle)
    assert failure.type == "ExpressionError"
    assert failure.non_retryable
    assert failure.message.startswith("step decide: ")
    assert cause in failure.message


async def test_an_optional_form_field_left_out_fails_the_run_not_the_next_sender(
    flowkit_env: Any, flowkit_worker: Any
) -> None:
    async with flowkit_worker(workflows=[defs.FormThenDecide]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.FormThenDecide.run, id=run_id(), task_queue=tq
        )
        for _ in range(200):  # until the run waits on the form
            if await handle.query("waiting_on"):
                break
            await asyncio.sleep(0.02)
        await handle.execute_update("submit", {"step": "details", "data": {"title": "t"}})
        failure = await failure_of(handle)
    assert failure.type == "ExpressionError"
    assert "step ship" in failure.message
    assert "no item 'channel'" in failure.message


async def test_input_that_does_not_fit_the_model_fails_the_run(
    flowkit_env: Any, flowkit_worker: Any
) -> None:
    async with flowkit_worker(workflows=[defs.OrderWorkflow]) as tq:
        handle = await flowkit_env.client.start_workflow(
            "OrderWorkflow", {"priority": "high"}, id=run_id(), task_queue=tq
        )
        failure = await failure_of(handle)
    assert failure.type == "InvalidInput"
    assert failure.non_retryable
    assert "does not fit Order" in failure.message
    assert "priority" in failure.message
    assert "'high'" in failure.message


async def test_a_step_result_over_the_payload_limit_fails_the_step_at_once(
    flowkit_env: Any, flowkit_worker: Any
) -> None:
    limit = policy.current().limits.payload_bytes
    async with flowkit_worker(workflows=[defs.MakesBigResult], functions=[defs.big_result]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.MakesBigResult.run, limit + 10, id=run_id(), task_queue=tq
        )
        failure = await failure_of(handle)
    assert failure.type == "PayloadTooLarge"
    assert failure.non_retryable  # one attempt: the same result would be too large again
    assert "bytes) is over the 1.0 MB limit" in failure.message


async def test_an_event_over_the_payload_limit_is_refused_to_its_sender_and_the_agent_goes_on(
    flowkit_env: Any, flowkit_worker: Any
) -> None:
    limit = policy.current().limits.payload_bytes
    client = Client.from_temporal(flowkit_env.client)
    async with flowkit_worker(agents=[defs.Inbox]) as tq:
        agent_id = run_id()
        await client.schedule_agent(agent_name="Inbox", agent_id=agent_id, task_queue=tq)
        with pytest.raises(PayloadTooLarge) as refused:
            await client.send_event(agent_id, "add", {"text": "x" * (limit + 1)})
        assert isinstance(refused.value, UsageError)  # the CLI reports it and exits 2
        assert refused.value.size > limit
        assert f"({refused.value.size} bytes)" in str(refused.value)
        assert await client.send_event(agent_id, "add", {"text": "fine"}) == 1
        assert await client.send_event(agent_id, "end") == ["fine"]


async def test_input_over_the_payload_limit_is_refused_before_the_run_starts(
    stuck_env: Any,
) -> None:
    limit = policy.current().limits.payload_bytes
    with pytest.raises(PayloadTooLarge):  # were it sent, no worker would ever take it
        await stuck_env.client.start_workflow(
            "OrderWorkflow", {"priority": 1, "sku": "x" * limit}, id=run_id(), task_queue="none"
        )


async def test_a_bug_in_workflow_code_keeps_temporal_task_retries_and_is_told(
    stuck_env: Any,
) -> None:
    async with run_worker(stuck_env.client, workflows=[defs.Buggy]) as tq:
        handle = await stuck_env.client.start_workflow(defs.Buggy.run, id=run_id(), task_queue=tq)
        with pytest.raises(RunStuck) as stuck:
            await asyncio.wait_for(result(handle), ENDS_WITHIN)
        description = await handle.describe()
        await handle.terminate("test over")
    assert "a bug in workflow code" in str(stuck.value)
    assert "fix the workflow code" in str(stuck.value)
    assert description.status is not None
    assert description.status.name == "RUNNING"


async def test_an_unregistered_workflow_name_is_told(stuck_env: Any) -> None:
    async with run_worker(stuck_env.client, workflows=[defs.Buggy]) as tq:
        handle = await stuck_env.client.start_workflow("Checkout", id=run_id(), task_queue=tq)
        with pytest.raises(RunStuck) as stuck:
            await asyncio.wait_for(result(handle), ENDS_WITHIN)
        await handle.terminate("test over")
    assert "Workflow class Checkout is not registered" in str(stuck.value)
    assert "register it with the worker" in str(stuck.value)


async def test_result_still_returns_a_good_run_and_skips_its_timers(
    flowkit_env: Any, flowkit_worker: Any
) -> None:
    async with flowkit_worker(workflows=[defs.OrderWorkflow, defs.Sleeper]) as tq:
        handle = await flowkit_env.client.start_workflow(
            defs.OrderWorkflow.run, defs.Order(priority=4), id=run_id(), task_queue=tq
        )
        assert await asyncio.wait_for(result(handle), ENDS_WITHIN) == 8
        sleeper = await flowkit_env.client.start_workflow(
            defs.Sleeper.run, 3, id=run_id(), task_queue=tq
        )
        assert await asyncio.wait_for(result(sleeper), ENDS_WITHIN) == 3
