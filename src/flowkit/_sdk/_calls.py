"""In-workflow calls shared by ``agent`` and ``workflow``: steps, children, sleep, continue-as-new.

Each call applies flowkit's default policy (:mod:`flowkit.policy`) where the caller passes
none; an explicit argument always wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow as temporal_workflow
from temporalio.common import RetryPolicy
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

from flowkit import policy
from flowkit.errors import UsageError

__all__ = [
    "RUN_POLICY_MEMO",
    "ChildStart",
    "child_execute",
    "child_start",
    "continue_as_new_when_ready",
    "run_policy_memo",
    "should_continue_as_new",
    "sleep",
    "step",
]


#: The memo key under which a run keeps the continue-as-new thresholds it started with.
RUN_POLICY_MEMO = "flowkit_continue_as_new"


def run_policy_memo() -> dict[str, Any]:
    """The memo entry a client adds when it starts a run: the continue-as-new thresholds
    of the settings in force (see :func:`should_continue_as_new`)."""
    limits = policy.current().policy.continue_as_new
    return {RUN_POLICY_MEMO: limits.model_dump()}


def _run_limits() -> policy.ContinueAsNewSettings:
    """The thresholds this run started with: from its memo, else flowkit's defaults.

    Never the settings of the process running the code: a replay on a worker with other
    settings would then continue as new at another point than the original run did,
    which is a nondeterminism error.
    """
    instance = temporal_workflow.instance()
    state = getattr(instance, "__dict__", {})
    limits = state.get("_flowkit_run_limits")
    if not isinstance(limits, policy.ContinueAsNewSettings):
        recorded = temporal_workflow.memo_value(RUN_POLICY_MEMO, None)
        try:
            limits = policy.ContinueAsNewSettings.model_validate(recorded or {})
        except ValueError:  # a memo written by something else: use the defaults
            limits = policy.ContinueAsNewSettings()
        state["_flowkit_run_limits"] = limits
    return limits


@dataclass(frozen=True)
class ChildStart:
    """What ``child_start`` returns: the child's workflow id and first run id."""

    id: str
    run_id: str | None


def _name_of(target: Any) -> str:
    if isinstance(target, str):
        return target
    for attr in ("__temporal_activity_definition", "__temporal_workflow_definition"):
        definition = getattr(target, attr, None)
        if definition is not None:
            return str(definition.name)
    return str(getattr(target, "__name__", target))


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
        heartbeat_timeout: time allowed between heartbeats; default ``DEFAULT_HEARTBEAT``.
        summary: shown for this step in the Temporal Web UI; default the function's name.
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
        heartbeat_timeout=heartbeat_timeout or defaults.heartbeat,
        summary=summary or _name_of(function),
    )


def _child_options(
    workflow: Any,
    agent: Any,
    workflow_id: str | None,
    agent_id: str | None,
    workflow_input: Any,
    agent_input: Any,
) -> tuple[Any, str, list[Any]]:
    if (workflow is None) == (agent is None):
        raise UsageError("child_start/child_execute need exactly one of workflow= or agent=")
    target = workflow if workflow is not None else agent
    child_id = workflow_id or agent_id
    if child_id is None:
        parent = temporal_workflow.info().workflow_id
        child_id = f"{parent}-{_name_of(target)}-{str(temporal_workflow.uuid4())[:8]}"
    given = workflow_input if workflow_input is not None else agent_input
    return target, child_id, [] if given is None else [given]


async def _start_child(
    workflow: Any,
    agent: Any,
    workflow_id: str | None,
    agent_id: str | None,
    workflow_input: Any,
    agent_input: Any,
    task_queue: str | None,
    cancellation_type: ChildWorkflowCancellationType,
    parent_close_policy: ParentClosePolicy,
    execution_timeout: timedelta | None,
    retry_policy: RetryPolicy | None,
    summary: str | None,
) -> temporal_workflow.ChildWorkflowHandle[Any, Any]:
    target, child_id, args = _child_options(
        workflow, agent, workflow_id, agent_id, workflow_input, agent_input
    )
    return await temporal_workflow.start_child_workflow(
        target,
        args=args,
        id=child_id,
        task_queue=task_queue,
        cancellation_type=cancellation_type,
        parent_close_policy=parent_close_policy,
        execution_timeout=execution_timeout,
        retry_policy=retry_policy or policy.current().policy.retry.to_retry_policy(),
        static_summary=summary or _name_of(target),
        memo={RUN_POLICY_MEMO: _run_limits().model_dump()},  # the parent's, for replays
    )


async def child_start(
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
) -> ChildStart:
    """Start a child workflow or agent and return its ids without waiting for it.

    The child gets ``DEFAULT_RETRY`` unless ``retry_policy`` is given. Without an id, one
    is made from the parent's id and the child's name.
    """
    handle = await _start_child(
        workflow, agent, workflow_id, agent_id, workflow_input, agent_input, task_queue,
        cancellation_type, parent_close_policy, execution_timeout, retry_policy, summary,
    )  # fmt: skip
    return ChildStart(id=handle.id, run_id=handle.first_execution_run_id)


async def child_execute(
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
) -> Any:
    """Run a child workflow or agent to completion and return its result.

    Same arguments and defaults as :func:`child_start`.
    """
    handle = await _start_child(
        workflow, agent, workflow_id, agent_id, workflow_input, agent_input, task_queue,
        cancellation_type, parent_close_policy, execution_timeout, retry_policy, summary,
    )  # fmt: skip
    return await handle


async def sleep(seconds: float | timedelta, *, summary: str | None = None) -> None:
    """Wait durably (a Temporal timer): days of sleep survive restarts and cost nothing."""
    duration = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
    await temporal_workflow.sleep(
        duration, summary=summary or f"sleep {policy.format_duration(duration)}"
    )


def should_continue_as_new() -> bool:
    """True when this run's history should be cut: the server suggests it, or the history
    is longer or larger than the run's continue-as-new thresholds.

    The thresholds are fixed when the run starts: flowkit's clients record those of
    their settings (``policy.continue_as_new``) in the run's memo, which continue-as-new
    and flowkit's child starts carry on; a run started by another client uses flowkit's
    defaults. They are never read from the settings of the worker that runs (or
    replays) the code, so every replay decides as the original run did.
    """
    info = temporal_workflow.info()
    limits = _run_limits()
    return (
        info.is_continue_as_new_suggested()
        or info.get_current_history_length() >= limits.history_length
        or info.get_current_history_size() >= limits.history_size
    )


async def continue_as_new_when_ready(*args: Any, **kwargs: Any) -> None:
    """Wait until continuing as new is due and every running handler has finished, then
    continue as new with ``args`` (this never returns).

    Handlers that finish in the same workflow task are answered before the switch, and
    events that arrive after it are delivered to the new run, so none is lost.
    """
    await temporal_workflow.wait_condition(should_continue_as_new)
    await temporal_workflow.wait_condition(temporal_workflow.all_handlers_finished)
    temporal_workflow.continue_as_new(*args, **kwargs)
