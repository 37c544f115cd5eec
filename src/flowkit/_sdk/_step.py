"""``step``: run a function (a Temporal activity) from a workflow or agent, typed.

The overloads follow ``temporalio.workflow.execute_activity``'s: a ``@function.defn``
callable, async or sync, with no argument or one, gives its result type and checks
``function_input`` against its parameter; a registered name (``str``) gives ``Any``,
because nothing says what the name runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypedDict, TypeVar, Unpack, overload

from temporalio import workflow as temporal_workflow
from temporalio.common import RetryPolicy
from temporalio.types import (
    CallableAsyncNoParam,
    CallableAsyncSingleParam,
    CallableSyncNoParam,
    CallableSyncSingleParam,
)

from flowkit import policy

__all__ = ["StepCalls", "StepOptions", "name_of", "step"]

ParamT = TypeVar("ParamT")
ResultT = TypeVar("ResultT")


class StepOptions(TypedDict, total=False):
    """The policy keywords every form of :func:`step` takes (see its Args).

    One declaration keeps the overloads and the implementation from drifting apart.
    """

    task_queue: str | None
    retry_policy: RetryPolicy | None
    schedule_to_close_timeout: timedelta | None
    schedule_to_start_timeout: timedelta | None
    start_to_close_timeout: timedelta | None
    heartbeat_timeout: timedelta | None
    summary: str | None


def name_of(target: Any) -> str:
    """The registered name of a function, workflow or agent (or its run method)."""
    if isinstance(target, str):
        return target
    for attr in ("__temporal_activity_definition", "__temporal_workflow_definition"):
        definition = getattr(target, attr, None)
        if definition is not None:
            return str(definition.name)
    return str(getattr(target, "__name__", target))


class StepCalls:
    """The ``step`` call of the ``agent`` and ``workflow`` objects (a mixin).

    Overloads on a static method, not a module function wrapped in ``staticmethod()``:
    type checkers keep only the first overload of a wrapped one.
    """

    # Async before sync: an `async def` also fits the sync protocols, with a coroutine result.
    @overload
    @staticmethod
    async def step(
        *,
        function: CallableAsyncNoParam[ResultT],
        function_input: None = None,
        **options: Unpack[StepOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def step(
        *,
        function: CallableSyncNoParam[ResultT],
        function_input: None = None,
        **options: Unpack[StepOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def step(
        *,
        function: CallableAsyncSingleParam[ParamT, ResultT],
        function_input: ParamT,
        **options: Unpack[StepOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def step(
        *,
        function: CallableSyncSingleParam[ParamT, ResultT],
        function_input: ParamT,
        **options: Unpack[StepOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def step(
        *, function: str, function_input: Any = None, **options: Unpack[StepOptions]
    ) -> Any: ...
    @staticmethod
    async def step(
        *,
        function: Callable[..., Any] | str,
        function_input: Any = None,
        task_queue: str | None = None,
        retry_policy: RetryPolicy | None = None,
        schedule_to_close_timeout: timedelta | None = None,
        schedule_to_start_timeout: timedelta | None = None,
        start_to_close_timeout: timedelta | None = None,
        heartbeat_timeout: timedelta | None = None,
        summary: str | None = None,
    ) -> Any:
        """Run a function (a Temporal activity) and return its result.

        Args:
            function: the ``@function.defn`` callable, or its registered name.
            function_input: the one argument passed to the function; ``None`` passes none.
            task_queue: where the function's worker listens; default: this workflow's queue.
            retry_policy: default ``flowkit.policy.DEFAULT_RETRY``.
            schedule_to_close_timeout: total time across attempts; default none.
            schedule_to_start_timeout: time waiting for a worker; default none.
            start_to_close_timeout: time for one attempt; default ``DEFAULT_STEP_TIMEOUT``.
            heartbeat_timeout: time allowed between heartbeats; default ``DEFAULT_HEARTBEAT``;
                ``timedelta(0)``: none. flowkit heartbeats while the function runs.
            summary: shown for this step in the Temporal Web UI; default the function's name.

        Returns:
            The function's result: typed as the function's return type when ``function`` is
            the callable, ``Any`` when it is a name.
        """
        defaults = policy.current().policy
        args = [] if function_input is None else [function_input]
        return await temporal_workflow.execute_activity(
            function,
            args=args,
            task_queue=task_queue,
            retry_policy=retry_policy or defaults.retry.to_retry_policy(),
            schedule_to_close_timeout=schedule_to_close_timeout,
            schedule_to_start_timeout=schedule_to_start_timeout,
            start_to_close_timeout=start_to_close_timeout or defaults.timeout,
            heartbeat_timeout=(
                defaults.heartbeat if heartbeat_timeout is None else heartbeat_timeout
            )
            or None,
            summary=summary or name_of(function),
        )


step = StepCalls.step
