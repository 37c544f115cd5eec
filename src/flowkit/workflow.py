"""Workflows: durable functions that call steps and children (Restack's ``restack_ai.workflow``).

Port Restack code by changing ``from restack_ai.workflow import ...`` to
``from flowkit.workflow import ...``::

    from flowkit.workflow import workflow, import_functions

    with import_functions():
        from myapp.functions import send_email

    @workflow.defn()
    class Onboard:
        @workflow.run
        async def run(self, user: User) -> str:
            return await workflow.step(function=send_email, function_input=user)
"""

from __future__ import annotations

from temporalio import workflow as temporal_workflow

from flowkit._sdk import _shared
from flowkit._sdk._log import configure_logging
from flowkit._sdk._namespaces import Workflow
from flowkit._sdk._shared import *  # noqa: F403 (the names flowkit.agent shares)
from flowkit._sdk._shared import Logger
from flowkit._sdk._step import name_of

__all__ = [
    "Workflow",
    "configure_logging",
    "continue_as_new",
    "get_external_workflow_handle",
    "name_of",
    "set_current_details",
    "workflow",
    "workflow_info",
]
__all__ += _shared.__all__

workflow = Workflow()
workflow_info = temporal_workflow.info
continue_as_new = temporal_workflow.continue_as_new
set_current_details = temporal_workflow.set_current_details
get_external_workflow_handle = temporal_workflow.get_external_workflow_handle
WorkflowLogger = Logger
