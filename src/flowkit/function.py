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

from collections.abc import Callable
from typing import Any, TypeVar, overload

from temporalio import activity

from flowkit._sdk._errors import FunctionFailure, NonRetryableError, RetryableError
from flowkit._sdk._log import Logger, log

__all__ = [
    "Function",
    "FunctionFailure",
    "NonRetryableError",
    "RetryableError",
    "current_workflow",
    "function",
    "function_info",
    "heartbeat",
    "log",
]

F = TypeVar("F", bound=Callable[..., Any])


class Function:
    """Restack's ``function`` object. ``defn`` declares a function; every other attribute
    is ``temporalio.activity``'s (``function.info()``, ``function.heartbeat()``, ...)."""

    @overload
    def defn(self, fn: F, /) -> F: ...
    @overload
    def defn(self, fn: None = None, /, *, name: str | None = None) -> Callable[[F], F]: ...
    def defn(self, fn: Any = None, /, *, name: str | None = None) -> Any:
        """Declare a function (a Temporal activity), bare or called with ``name=``."""
        if fn is not None:
            return activity.defn(fn)
        return activity.defn(name=name)

    def __getattr__(self, name: str) -> Any:
        return getattr(activity, name)


function = Function()
function_info = activity.info
heartbeat = activity.heartbeat
ActivityLogger = Logger


def current_workflow() -> activity.Info:
    """The info of the running function, which names the workflow that called it."""
    return activity.info()
