"""``child_start`` and ``child_execute``: run a child workflow or agent, typed.

The overloads follow ``temporalio.workflow.execute_child_workflow``'s. Passing the
child's run method (``workflow=Child.run``) checks the input against its parameter and
gives its result type. Passing the class (``workflow=Child``, as Restack code does) or a
registered name stays accepted and gives ``Any``: Python's type system cannot reach a
class's run method from the class, whatever the method is called.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict, TypeVar, Unpack, overload

from temporalio import workflow as temporal_workflow
from temporalio.common import RetryPolicy
from temporalio.types import MethodAsyncNoParam, MethodAsyncSingleParam
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

from flowkit import policy
from flowkit._sdk._run_policy import RUN_POLICY_MEMO, run_limits
from flowkit._sdk._step import name_of
from flowkit.errors import UsageError

__all__ = ["ChildCalls", "ChildOptions", "ChildStart", "child_execute", "child_start"]

SelfT = TypeVar("SelfT")
ParamT = TypeVar("ParamT")
ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class ChildStart:
    """What ``child_start`` returns: the child's workflow id and first run id."""

    id: str
    run_id: str | None


class ChildOptions(TypedDict, total=False):
    """The keywords every form of :func:`child_start` / :func:`child_execute` takes."""

    workflow_id: str | None
    agent_id: str | None
    task_queue: str | None
    cancellation_type: ChildWorkflowCancellationType
    parent_close_policy: ParentClosePolicy
    execution_timeout: timedelta | None
    retry_policy: RetryPolicy | None
    summary: str | None


async def _launch(
    *,
    workflow: Any = None,
    agent: Any = None,
    workflow_id: str | None = None,
    agent_id: str | None = None,
    workflow_input: Any = None,
    agent_input: Any = None,
    task_queue: str | None = None,
    cancellation_type: ChildWorkflowCancellationType = (
        ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED
    ),
    parent_close_policy: ParentClosePolicy = ParentClosePolicy.TERMINATE,
    execution_timeout: timedelta | None = None,
    retry_policy: RetryPolicy | None = None,
    summary: str | None = None,
) -> temporal_workflow.ChildWorkflowHandle[Any, Any]:
    """Start a child; the one signature of ``child_start`` and ``child_execute``.

    Args:
        workflow: the child's run method (checked and typed), its class or its name.
        agent: the same, for an agent; give exactly one of ``workflow`` and ``agent``.
        workflow_id: the child's id; default one made from the parent's id and the
            child's name. ``agent_id`` is the same.
        workflow_input: the one argument the child's run receives; ``None`` passes none.
            ``agent_input`` is the same.
        task_queue: where the child's worker listens; default: the parent's queue.
        cancellation_type: what cancelling the child waits for.
        parent_close_policy: what happens to the child when the parent closes.
        execution_timeout: the child's time limit, across continue-as-new.
        retry_policy: default ``flowkit.policy.DEFAULT_RETRY``.
        summary: shown for the child in the Temporal Web UI; default its name.

    Raises:
        UsageError: neither or both of ``workflow`` and ``agent`` were given.
    """
    if (workflow is None) == (agent is None):
        raise UsageError("child_start/child_execute need exactly one of workflow= or agent=")
    target = workflow if workflow is not None else agent
    given = workflow_input if workflow_input is not None else agent_input
    child_id = workflow_id or agent_id
    if child_id is None:
        parent = temporal_workflow.info().workflow_id
        child_id = f"{parent}-{name_of(target)}-{str(temporal_workflow.uuid4())[:8]}"
    return await temporal_workflow.start_child_workflow(
        target,
        args=[] if given is None else [given],
        id=child_id,
        task_queue=task_queue,
        cancellation_type=cancellation_type,
        parent_close_policy=parent_close_policy,
        execution_timeout=execution_timeout,
        retry_policy=retry_policy or policy.current().policy.retry.to_retry_policy(),
        static_summary=summary or name_of(target),
        memo={RUN_POLICY_MEMO: run_limits().model_dump()},  # the parent's, for replays
    )


def _signed(returns: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a call taking ``**arguments`` :func:`_launch`'s signature (for ``help()``,
    editors and the API snapshot) and its check of the keywords it is given."""

    def sign(call: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(_launch).replace(return_annotation=returns)

        @functools.wraps(call)
        async def checked(**arguments: Any) -> Any:
            try:
                signature.bind(**arguments)
            except TypeError as exc:
                raise TypeError(f"{call.__name__}(): {exc}") from None
            return await call(**arguments)

        checked.__signature__ = signature  # type: ignore[attr-defined]
        return checked

    return sign


class ChildCalls:
    """The ``child_start`` and ``child_execute`` calls of ``agent`` and ``workflow`` (a mixin).

    Overloads on static methods, not module functions wrapped in ``staticmethod()``:
    type checkers keep only the first overload of a wrapped one.
    """

    @overload
    @staticmethod
    async def child_start(
        *,
        workflow: MethodAsyncNoParam[SelfT, Any],
        workflow_input: None = None,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @overload
    @staticmethod
    async def child_start(
        *,
        workflow: MethodAsyncSingleParam[SelfT, ParamT, Any],
        workflow_input: ParamT,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @overload
    @staticmethod
    async def child_start(
        *,
        agent: MethodAsyncNoParam[SelfT, Any],
        agent_input: None = None,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @overload
    @staticmethod
    async def child_start(
        *,
        agent: MethodAsyncSingleParam[SelfT, ParamT, Any],
        agent_input: ParamT,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @overload
    @staticmethod
    async def child_start(
        *,
        workflow: type | str,
        workflow_input: Any = None,
        agent_input: Any = None,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @overload
    @staticmethod
    async def child_start(
        *,
        agent: type | str,
        agent_input: Any = None,
        workflow_input: Any = None,
        **options: Unpack[ChildOptions],
    ) -> ChildStart: ...
    @staticmethod
    @_signed("ChildStart")
    async def child_start(**arguments: Any) -> ChildStart:
        """Start a child workflow or agent and return its ids without waiting for it.

        Arguments and defaults: :func:`_launch`'s (the signature shown here).
        """
        handle = await _launch(**arguments)
        return ChildStart(id=handle.id, run_id=handle.first_execution_run_id)

    @overload
    @staticmethod
    async def child_execute(
        *,
        workflow: MethodAsyncNoParam[SelfT, ResultT],
        workflow_input: None = None,
        **options: Unpack[ChildOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def child_execute(
        *,
        workflow: MethodAsyncSingleParam[SelfT, ParamT, ResultT],
        workflow_input: ParamT,
        **options: Unpack[ChildOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def child_execute(
        *,
        agent: MethodAsyncNoParam[SelfT, ResultT],
        agent_input: None = None,
        **options: Unpack[ChildOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def child_execute(
        *,
        agent: MethodAsyncSingleParam[SelfT, ParamT, ResultT],
        agent_input: ParamT,
        **options: Unpack[ChildOptions],
    ) -> ResultT: ...
    @overload
    @staticmethod
    async def child_execute(
        *,
        workflow: type | str,
        workflow_input: Any = None,
        agent_input: Any = None,
        **options: Unpack[ChildOptions],
    ) -> Any: ...
    @overload
    @staticmethod
    async def child_execute(
        *,
        agent: type | str,
        agent_input: Any = None,
        workflow_input: Any = None,
        **options: Unpack[ChildOptions],
    ) -> Any: ...
    @staticmethod
    @_signed("Any")
    async def child_execute(**arguments: Any) -> Any:
        """Run a child workflow or agent to completion and return its result.

        Arguments and defaults: :func:`_launch`'s (the signature shown here).

        Returns:
            The child's result: typed as its run method's return type when ``workflow`` (or
            ``agent``) is the run method, ``Any`` when it is the class or a name.
        """
        return await (await _launch(**arguments))


child_start = ChildCalls.child_start
child_execute = ChildCalls.child_execute
