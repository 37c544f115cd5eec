"""The ``agent``, ``workflow`` and ``function`` objects users call, as in Restack.

``Workflow`` and ``Agent`` are put together from mixins (decorators, steps, children)
whose typed overloads live next to their implementations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar, overload

from temporalio import activity
from temporalio import workflow as temporal_workflow

from flowkit._sdk import _calls
from flowkit._sdk._children import ChildCalls
from flowkit._sdk._decorators import ClassDecorator, define_function
from flowkit._sdk._handlers import HandlerDecorators
from flowkit._sdk._step import StepCalls

__all__ = ["Agent", "Function", "Workflow"]

F = TypeVar("F", bound=Callable[..., Any])


class Workflow(ClassDecorator, HandlerDecorators, StepCalls, ChildCalls):
    """Restack's ``workflow`` object: define workflows and call steps and children from them.

    ``defn``, ``run``, ``step``, ``child_start``, ``child_execute`` and ``sleep`` are
    Restack's; ``event``, ``state``, ``init``, ``condition``, ``should_continue_as_new``,
    ``continue_as_new`` and ``set_current_details`` are flowkit additions a pipeline needs.
    """

    should_continue_as_new = staticmethod(_calls.should_continue_as_new)
    continue_as_new = staticmethod(temporal_workflow.continue_as_new)
    set_current_details = staticmethod(temporal_workflow.set_current_details)
    # Receives the run's input before any handler runs, so state set here is never
    # overwritten after an event was handled (see docs/sdk.md, "continue-as-new").
    init = staticmethod(temporal_workflow.init)

    @staticmethod
    async def sleep(seconds: float | timedelta) -> None:
        """Wait durably for ``seconds`` (a Temporal timer).

        Args:
            seconds: how long, in seconds or as a ``timedelta``.
        """
        await _calls.sleep(seconds)

    @staticmethod
    def condition(
        fn: Callable[[], bool], timeout: timedelta | float | None = None
    ) -> Awaitable[None]:
        """Wait until ``fn()`` is true; raise ``TimeoutError`` after ``timeout``.

        Args:
            fn: the condition, re-checked whenever the run wakes (an event, a result, a timer).
            timeout: give up after this long (seconds or a ``timedelta``); default never.
        """
        return temporal_workflow.wait_condition(fn, timeout=timeout)


class Agent(Workflow):
    """Restack's ``agent`` object: a long-running workflow driven by events.

    ``@agent.event`` handlers are Temporal updates (their return value goes back to the
    sender); ``@agent.state`` readers are queries.
    """

    _kind = "agent"

    @staticmethod
    async def agent_continue_as_new(*args: Any, **kwargs: Any) -> None:
        """Continue as new once it is due (see ``should_continue_as_new``) and every
        running event handler has finished. Never returns."""
        await _calls.continue_as_new_when_ready(*args, **kwargs)


class Function:
    """Restack's ``function`` object. ``defn`` declares a function; every other attribute
    is ``temporalio.activity``'s (``function.info()``, ``function.heartbeat()``, ...)."""

    @overload
    def defn(self, fn: F, /) -> F: ...
    @overload
    def defn(self, fn: None = None, /, *, name: str | None = None) -> Callable[[F], F]: ...
    def defn(self, fn: Callable[..., Any] | None = None, /, *, name: str | None = None) -> Any:
        """Declare a function (a Temporal activity), bare or called with ``name=``.

        Args:
            fn: the function, when used bare (``@function.defn``).
            name: the name steps and other SDKs call it by; default the function's name.

        Raises:
            DefinitionError: the function cannot be a Temporal activity; every problem
                is listed.
        """
        if fn is not None:
            return define_function(fn)
        return lambda f: define_function(f, name)

    def __getattr__(self, name: str) -> Any:
        return getattr(activity, name)
