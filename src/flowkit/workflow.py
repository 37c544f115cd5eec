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
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

from flowkit._sdk._calls import ChildStart
from flowkit._sdk._errors import NonRetryableError, RetryableError, StepError
from flowkit._sdk._log import Logger, configure_logging, log
from flowkit._sdk._namespaces import Workflow
from flowkit._sdk._step import name_of

__all__ = [
    "ApplicationError",
    "ChildStart",
    "ChildWorkflowCancellationType",
    "Logger",
    "NonRetryableError",
    "ParentClosePolicy",
    "RetryPolicy",
    "RetryableError",
    "StepError",
    "Workflow",
    "configure_logging",
    "continue_as_new",
    "get_external_workflow_handle",
    "import_functions",
    "log",
    "name_of",
    "set_current_details",
    "temporal_workflow",
    "uuid",
    "workflow",
    "workflow_info",
]

workflow = Workflow()
workflow_info = temporal_workflow.info
continue_as_new = temporal_workflow.continue_as_new
set_current_details = temporal_workflow.set_current_details
get_external_workflow_handle = temporal_workflow.get_external_workflow_handle
import_functions = temporal_workflow.unsafe.imports_passed_through
uuid = temporal_workflow.uuid4
WorkflowLogger = Logger
