"""Agents: long-running workflows driven by events (Restack's ``restack_ai.agent``).

Port Restack code by changing ``from restack_ai.agent import ...`` to
``from flowkit.agent import ...``::

    from flowkit.agent import agent, import_functions, log

    @agent.defn()
    class Greeter:
        def __init__(self) -> None:
            self.done = False

        @agent.event
        async def greet(self, who: str) -> str:
            return f"hello {who}"

        @agent.run
        async def run(self) -> None:
            await agent.condition(lambda: self.done)
"""

from __future__ import annotations

from temporalio import workflow as temporal_workflow

from flowkit._sdk import _shared
from flowkit._sdk._namespaces import Agent
from flowkit._sdk._shared import *  # noqa: F403 (the names flowkit.workflow shares)
from flowkit._sdk._shared import Logger

__all__ = [
    "Agent",
    "agent",
    "agent_info",
    "all_events_finished",
    "condition",
    "get_external_agent_handle",
]
__all__ += _shared.__all__

agent = Agent()
agent_info = temporal_workflow.info
condition = agent.condition
all_events_finished = temporal_workflow.all_handlers_finished
get_external_agent_handle = temporal_workflow.get_external_workflow_handle
WorkflowLogger = Logger
