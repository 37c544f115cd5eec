"""Starts the sample's workflow and talks to its agent: ``python -m samples.hello.client``.

Needs a server (``flowkit dev``) and a worker (``flowkit worker --app samples.hello.service``).
"""

import asyncio
import time

from flowkit import Client


async def hello(client: Client, suffix: str = "") -> dict[str, object]:
    """Run the workflow and an agent conversation; return what came back."""
    suffix = suffix or str(int(time.time()))
    workflow_id = f"hello-workflow-{suffix}"
    run_id = await client.schedule_workflow(
        workflow_name="HelloWorkflow",
        workflow_id=workflow_id,
        workflow_input={"names": ["Ada", "Grace"]},
    )
    workflow_result = await client.get_workflow_result(workflow_id)

    agent_id = f"hello-agent-{suffix}"
    agent_run_id = await client.schedule_agent(agent_name="HelloAgent", agent_id=agent_id)
    greeting = await client.send_agent_event(
        "greet", agent_id, event_input={"name": "Linus"}, wait_for_completion=True
    )
    history = await client.get_agent_state(agent_id, "history")
    farewell = await client.send_agent_event(
        "end", agent_id, event_input={"name": "Linus"}, wait_for_completion=True
    )
    agent_result = await client.get_agent_result(agent_id)
    return {
        "workflow_id": workflow_id,
        "run_id": run_id,
        "workflow_result": workflow_result,
        "agent_id": agent_id,
        "agent_run_id": agent_run_id,
        "greeting": greeting,
        "history_before_end": history,
        "farewell": farewell,
        "agent_result": agent_result,
    }


async def main() -> None:
    result = await hello(Client())
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    asyncio.run(main())
