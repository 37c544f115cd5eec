"""Functions: the steps workflows and agents call (Restack's ``restack_ai.function``).

A function is a Temporal activity: it may do I/O, is retried per its policy and can
heartbeat. Port Restack code by changing its import line::

    from flowkit.function import NonRetryableError, function, log

    @function.defn()
    async def send_email(input: Email) -> str:
        log.info("sending", to=input.to)
        return "sent"
"""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from flowkit._sdk._errors import FunctionFailure, NonRetryableError, RetryableError
from flowkit._sdk._log import Logger, log
from flowkit._sdk._namespaces import Function
from flowkit._sdk._stream import mcp_progress, stream_to_websocket
from flowkit.utils import should_use_https

__all__ = [
    "ApplicationError",
    "Function",
    "FunctionFailure",
    "NonRetryableError",
    "RetryableError",
    "current_workflow",
    "function",
    "function_info",
    "heartbeat",
    "log",
    "mcp_progress",
    "should_use_https",
    "stream_to_websocket",
]

function = Function()
function_info = activity.info
heartbeat = activity.heartbeat
ActivityLogger = Logger


def current_workflow() -> activity.Info:
    """The info of the running function, which names the workflow that called it."""
    return activity.info()
