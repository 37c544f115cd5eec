"""An agent that handles thousands of events continues as new and loses none."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.api.enums.v1 import EventType

from flowkit import policy
from tests.sdk import defs

pytestmark = pytest.mark.asyncio

EVENTS = 5000
HISTORY_LIMIT = 1000  # events per run before the agent continues as new


async def _runs(client, workflow_id: str) -> list[tuple[int, int]]:
    """(history length, last event type) of every run of a workflow, oldest first."""
    out = []
    handle = client.get_workflow_handle(workflow_id)
    desc = await handle.describe()
    run_id: str | None = desc.run_id
    while run_id:
        run = client.get_workflow_handle(workflow_id, run_id=run_id)
        events = [e async for e in run.fetch_history_events()]
        out.append((len(events), events[-1].event_type))
        first = events[0].workflow_execution_started_event_attributes
        run_id = first.continued_execution_run_id or None
    return list(reversed(out))


async def test_thousands_of_events_across_continue_as_new(flowkit_env, flowkit_worker):
    policy.configure(policy__continue_as_new__history_length=HISTORY_LIMIT)
    agent_id = f"counter-{uuid.uuid4().hex[:8]}"
    client = flowkit_env.client
    try:
        async with flowkit_worker(agents=[defs.CounterAgent]) as tq:
            await client.start_workflow(
                defs.CounterAgent.run, defs.Tally(), id=agent_id, task_queue=tq
            )
            # Without a run id the handle follows the latest run.
            handle = client.get_workflow_handle(agent_id, result_type=defs.Tally)

            async def send(batch: range) -> None:
                for _ in batch:
                    await handle.execute_update(defs.CounterAgent.add, 1)

            # 25 senders at once, so events keep arriving while the agent switches runs.
            await asyncio.gather(*(send(range(i, EVENTS, 25)) for i in range(25)))
            total = await handle.execute_update(defs.CounterAgent.end)
            result = await handle.result()
            runs = await _runs(client, agent_id)
    finally:
        policy.reset()

    assert total == EVENTS
    assert result.events == EVENTS
    assert result.total == EVENTS
    assert result.runs == len(runs) > 3
    for length, last in runs[:-1]:
        assert last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        # The switch waits for running handlers, so a run may pass the limit a little.
        assert length < HISTORY_LIMIT * 1.2
    assert runs[-1][1] == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
