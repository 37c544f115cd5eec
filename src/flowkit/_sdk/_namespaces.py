"""The ``agent`` and ``workflow`` objects users call, as in Restack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow as temporal_workflow

from flowkit._sdk import _calls, _decorators
from flowkit._sdk._children import ChildCalls
from flowkit._sdk._step import StepCalls

__all__ = ["Agent", "Workflow"]


class Workflow(StepCalls, ChildCalls):
    """Restack's ``workflow`` object: define workflows and call steps and children from them.

    ``step``, ``child_start`` and ``child_execute`` come from mixins whose typed
    overloads live next to their implementations.
    """

    defn = staticmethod(_decorators.defn)
    run = staticmethod(_decorators.run)
    should_continue_as_new = staticmethod(_calls.should_continue_as_new)
    continue_as_new = staticmethod(temporal_workflow.continue_as_new)
    set_current_details = staticmethod(temporal_workflow.set_current_details)
    # flowkit additions a pipeline needs; Restack's workflow object has none of these.
    event = staticmethod(_decorators.event)
    state = staticmethod(_decorators.state)
    # Receives the run's input before any handler runs, so state set here is never
    # overwritten after an event was handled (see docs/sdk.md, "continue-as-new").
    init = staticmethod(temporal_workflow.init)

    @staticmethod
    async def sleep(seconds: float | timedelta) -> None:
        """Wait durably for ``seconds`` (a Temporal timer)."""
        await _calls.sleep(seconds)

    @staticmethod
    def condition(
        fn: Callable[[], bool], timeout: timedelta | float | None = None
    ) -> Awaitable[None]:
        """Wait until ``fn()`` is true; raise ``TimeoutError`` after ``timeout``."""
        return temporal_workflow.wait_condition(fn, timeout=timeout)


class Agent(Workflow):
    """Restack's ``agent`` object: a long-running workflow driven by events.

    ``@agent.event`` handlers are Temporal updates (their return value goes back to the
    sender); ``@agent.state`` readers are queries.
    """

    @staticmethod
    async def agent_continue_as_new(*args: Any, **kwargs: Any) -> None:
        """Continue as new once it is due (see ``should_continue_as_new``) and every
        running event handler has finished. Never returns."""
        await _calls.continue_as_new_when_ready(*args, **kwargs)
