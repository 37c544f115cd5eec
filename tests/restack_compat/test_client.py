"""The client calls Restack scripts make, as they make them, on the time-skipping server."""

from __future__ import annotations

import uuid

import pytest

from flowkit import Client
from flowkit.runtime import IgnoredKeywordWarning
from tests.restack_compat import defs

pytestmark = pytest.mark.asyncio


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_agent_results_and_handles_by_agent_id(flowkit_env):
    client = Client.from_temporal(flowkit_env.client)
    queue = _id("agents")
    async with client.service(agents=[defs.QuickAgent], task_queue=queue):
        agent_id = _id("quick")
        run_id = await client.schedule_agent(
            agent_name="QuickAgent", agent_id=agent_id, agent_input={"n": 1}, task_queue=queue
        )
        handle = await client.get_agent_handle(agent_id=agent_id)
        assert handle.id == agent_id
        result = await client.get_agent_result(agent_id=agent_id, run_id=run_id)
    assert result == "done with {'n': 1}"


async def test_input_is_ignored_with_a_warning_naming_workflow_input(flowkit_env):
    client = Client.from_temporal(flowkit_env.client)
    queue = _id("echo")
    async with client.service(workflows=[defs.EchoWorkflow], task_queue=queue):
        workflow_id = _id("echo")
        with pytest.warns(IgnoredKeywordWarning, match=r"input=.*pass workflow_input="):
            await client.schedule_workflow(
                workflow_name="EchoWorkflow",
                workflow_id=workflow_id,
                input={"lost": True},
                task_queue=queue,
            )
        # As in Restack, the run starts without input.
        assert await client.get_workflow_result(workflow_id) is None


async def test_schedule_agent_input_warning_names_agent_input(flowkit_env):
    client = Client.from_temporal(flowkit_env.client)
    queue = _id("agents")
    async with client.service(agents=[defs.QuickAgent], task_queue=queue):
        agent_id = _id("quick")
        with pytest.warns(IgnoredKeywordWarning, match=r"schedule_agent\(\).*pass agent_input="):
            await client.schedule_agent(
                agent_name="QuickAgent", agent_id=agent_id, input={"n": 2}, task_queue=queue
            )
        assert await client.get_agent_result(agent_id=agent_id) == "done with None"


async def test_a_service_ignores_an_unknown_keyword_with_a_warning(flowkit_env):
    client = Client.from_temporal(flowkit_env.client)
    with pytest.warns(IgnoredKeywordWarning, match=r"service\(\).*function="):
        async with client.service(
            workflows=[defs.EchoWorkflow], task_queue=_id("svc"), function=[]
        ):
            pass
