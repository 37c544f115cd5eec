"""Agents on the time-skipping server, driven through flowkit.Client as Restack code does."""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from flowkit import Client
from tests.sdk import defs

pytestmark = pytest.mark.asyncio


@pytest.fixture
def client(flowkit_env) -> Client:
    return Client.from_temporal(flowkit_env.client)


async def test_event_round_trip_state_and_end(client, flowkit_worker):
    agent_id = f"greeter-{uuid.uuid4().hex[:8]}"
    async with flowkit_worker(agents=[defs.GreeterAgent]) as tq:
        run_id = await client.schedule_agent(
            agent_name="GreeterAgent", agent_id=agent_id, task_queue=tq
        )
        assert run_id

        reply = await client.send_agent_event(
            "greet", agent_id, event_input={"name": "Ada"}, wait_for_completion=True
        )
        assert reply == "hello Ada"
        assert await client.send_event(agent_id, "greet", defs.Greeting(name="Bob")) == "hello Bob"
        assert await client.get_agent_state(agent_id, "greeted") == ["Ada", "Bob"]

        # Without waiting, the sender gets the accepted event's handle.
        update = await client.send_agent_event("greet", agent_id, event_input={"name": "Cy"})
        assert await update.result() == "hello Cy"

        assert await client.send_event(agent_id, "end") == 3
        assert await client.get_agent_result(agent_id) == ["Ada", "Bob", "Cy"]


async def test_a_failing_event_reports_to_the_sender_and_the_agent_goes_on(client, flowkit_worker):
    agent_id = f"greeter-{uuid.uuid4().hex[:8]}"
    async with flowkit_worker(agents=[defs.GreeterAgent]) as tq:
        await client.schedule_agent(agent_name="GreeterAgent", agent_id=agent_id, task_queue=tq)
        with pytest.raises(WorkflowUpdateFailedError) as caught:
            await client.send_event(agent_id, "greet", {"name": ""})
        cause = caught.value.cause
        assert isinstance(cause, ApplicationError)
        assert cause.type == "ValueError"
        assert "needs a name" in cause.message
        assert await client.send_event(agent_id, "greet", {"name": "Dee"}) == "hello Dee"
        assert await client.send_event(agent_id, "end") == 1


async def test_starting_twice_with_one_id_returns_the_same_run(client, flowkit_worker):
    agent_id = f"greeter-{uuid.uuid4().hex[:8]}"
    async with flowkit_worker(agents=[defs.GreeterAgent]) as tq:
        first = await client.schedule_agent(
            agent_name="GreeterAgent", agent_id=agent_id, task_queue=tq
        )
        second = await client.schedule_agent(
            agent_name="GreeterAgent", agent_id=agent_id, task_queue=tq
        )
        assert first == second
        await client.send_event(agent_id, "end")


async def test_agent_description_is_kept(client):
    assert defs.GreeterAgent.__flowkit_description__ == "Greets people until told to stop"
