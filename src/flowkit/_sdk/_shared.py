"""The names ``flowkit.agent`` and ``flowkit.workflow`` both offer, as Restack's modules do.

Each module star-imports this one (its ``__all__`` is the list) and adds its own names,
so the two stay the same where Restack's are the same.
"""

from __future__ import annotations

from temporalio import workflow as temporal_workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

from flowkit._sdk._calls import ChildStart
from flowkit._sdk._errors import NonRetryableError, RetryableError, StepError
from flowkit._sdk._log import Logger, log

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
    "import_functions",
    "log",
    "temporal_workflow",
    "uuid",
]

import_functions = temporal_workflow.unsafe.imports_passed_through
uuid = temporal_workflow.uuid4
