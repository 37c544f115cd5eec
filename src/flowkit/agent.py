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
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

from flowkit._sdk._calls import ChildStart
from flowkit._sdk._errors import NonRetryableError, RetryableError, StepError
from flowkit._sdk._log import Logger, log
from flowkit._sdk._namespaces import Agent

__all__ = [
    "Agent",
    "ApplicationError",
    "ChildStart",
    "ChildWorkflowCancellationType",
    "Logger",
    "NonRetryableError",
    "ParentClosePolicy",
    "RetryPolicy",
    "RetryableError",
    "StepError",
    "agent",
    "agent_info",
    "all_events_finished",
    "condition",
    "get_external_agent_handle",
    "import_functions",
    "log",
    "temporal_workflow",
    "uuid",
]

agent = Agent()
agent_info = temporal_workflow.info
condition = agent.condition
import_functions = temporal_workflow.unsafe.imports_passed_through
uuid = temporal_workflow.uuid4
all_events_finished = temporal_workflow.all_handlers_finished
get_external_agent_handle = temporal_workflow.get_external_workflow_handle
WorkflowLogger = Logger
