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


@pytest.mark.slow
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


async def test_a_replay_decides_continue_as_new_as_the_run_did_whatever_its_settings(
    flowkit_env, flowkit_worker
):
    """The thresholds a run started with travel with it (its memo): a worker with other
    settings replays its history without a nondeterminism error."""
    from temporalio.worker import Replayer

    from flowkit.runtime import plugin

    agent_id = f"counter-{uuid.uuid4().hex[:8]}"
    client = flowkit_env.client
    policy.configure(policy__continue_as_new__history_length=40)
    try:
        async with flowkit_worker(agents=[defs.CounterAgent]) as tq:
            handle = await client.start_workflow(
                defs.CounterAgent.run, defs.Tally(), id=agent_id, task_queue=tq
            )
            first_run = handle.result_run_id
            for _ in range(30):
                await client.get_workflow_handle(agent_id).execute_update(defs.CounterAgent.add, 1)
            await client.get_workflow_handle(agent_id).execute_update(defs.CounterAgent.end)
            result = await client.get_workflow_handle(agent_id, result_type=defs.Tally).result()
        history = await client.get_workflow_handle(agent_id, run_id=first_run).fetch_history()
        policy.configure(policy__continue_as_new__history_length=10_000)  # another worker
        replayed = await Replayer(
            workflows=[defs.CounterAgent], plugins=[plugin()]
        ).replay_workflow(history, raise_on_replay_failure=False)
    finally:
        policy.reset()
    assert result.runs > 1  # the first run did continue as new
    assert history.events[-1].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
    assert replayed.replay_failure is None
