"""Run operations as a library: start, status, list, history, cancel and result.

What the ``flowkit`` run commands do, as plain async functions over a connected
``temporalio.client.Client`` (``await flowkit.Client(...).connect()``, or a test
environment's ``env.client``). Each returns a record with ``to_json()``; a mistake — an
unknown run, input a run refuses, a status that does not exist — raises a
:class:`flowkit.errors.FlowkitError` with a one-line message.

The step-level readers they build on (:func:`flowkit.steps.describe_run`,
:func:`~flowkit.steps.step_events`, :func:`~flowkit.steps.diagnose`,
:func:`~flowkit.steps.follow_run`, :func:`~flowkit.steps.wait_for_result`) stay in
:mod:`flowkit.steps`; these add the server's refusals turned into flowkit's errors,
idempotent starts, visibility queries and results told as data.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Iterator
from contextlib import aclosing, contextmanager
from typing import Any, cast

import temporalio.client
from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError, RPCStatusCode

from flowkit.errors import RunNotFound, UsageError
from flowkit.runtime._client import Client
from flowkit.runtime._run_data import (
    RUN_STATUSES,
    Cancelled,
    History,
    RunResult,
    RunSummary,
    Started,
    status_name,
)
from flowkit.steps import (
    RunStatus,
    StepEvent,
    TaskFailure,
    Unserved,
    describe_error,
    describe_run,
    diagnose,
    follow_run,
    step_events,
    wait_for_result,
)

__all__ = [
    "cancel_run",
    "follow_history",
    "list_runs",
    "parse_status",
    "run_history",
    "run_result",
    "run_status",
    "start_run",
    "temporal_errors",
]

_Items = AsyncGenerator[StepEvent | TaskFailure | Unserved, None]


@contextmanager
def temporal_errors() -> Iterator[None]:
    """Turn the server's refusals into flowkit's errors, each with a one-line message.

    Raises:
        RunNotFound: no run has the id.
        UsageError: the run has ended and takes no more input, or the server refused
            the call for another reason (it says which).
    """
    try:
        yield
    except RPCError as exc:
        # Temporal answers an update to a closed run with NOT_FOUND too; tell it apart,
        # because "no such run" would send the user looking for a typo.
        if exc.status == RPCStatusCode.NOT_FOUND and "already completed" in exc.message:
            raise UsageError("the run has already ended; it takes no more input") from None
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise RunNotFound(f"no such run: {exc.message}") from None
        raise UsageError(f"the Temporal server refused: {exc.message}") from None


async def start_run(
    client: temporalio.client.Client,
    workflow: str,
    input: Any = None,
    *,
    id: str | None = None,
    task_queue: str | None = None,
) -> Started:
    """Start a run of ``workflow``, or find the open run that already has ``id``.

    Starting again with the same ``id`` while that run is open starts nothing: the
    result names the same run, with ``existing`` set.

    Args:
        client: a connected client.
        workflow: the workflow type's name (a caller holding a pipeline file asks
            :func:`flowkit.compiler.workflow_type` for it).
        input: the run's input (any JSON-ready value); ``None`` starts it without one.
        id: the run's workflow id (default: ``<workflow>-<8 hex digits>``).
        task_queue: where a worker serves it (default: the ``worker.task_queue`` setting).

    Raises:
        UsageError: the server refused the start.
        PayloadTooLarge: the input is over ``limits.payload_bytes``.
    """
    workflow_id = id or f"{workflow}-{uuid.uuid4().hex[:8]}"
    with temporal_errors():
        before = await _open_run_id(client, workflow_id) if id else None
        run_id = await Client.from_temporal(client).schedule_workflow(
            workflow_name=workflow,
            workflow_id=workflow_id,
            workflow_input=input,
            task_queue=task_queue,
        )
    # Temporal keeps an open run when the id is taken (USE_EXISTING); the same run id
    # before and after is how an idempotent start shows.
    return Started(workflow_id, run_id, workflow, existing=before == run_id)


async def _open_run_id(client: temporalio.client.Client, workflow_id: str) -> str | None:
    try:
        return (await client.get_workflow_handle(workflow_id).describe()).run_id
    except RPCError:  # no run yet (or none we may see): whatever starts is new
        return None


async def run_status(
    client: temporalio.client.Client, workflow_id: str, *, query: bool = True
) -> RunStatus:
    """The latest run's status, what it runs now, what it waits for, and why it is stuck.

    See :func:`flowkit.steps.describe_run`; ``query`` asks the run what it waits on,
    which needs a worker.

    Raises:
        RunNotFound: no run has this id.
    """
    with temporal_errors():
        return await describe_run(client, workflow_id, query=query)


def parse_status(status: str, *, label: str = "status") -> str:
    """A run status as flowkit names it (see ``RUN_STATUSES``), in any case.

    Args:
        label: what to call the value in the error (``--status`` on the command line).

    Raises:
        UsageError: it is not one of ``RUN_STATUSES``.
    """
    name = status.strip().lower()
    if name not in RUN_STATUSES:
        raise UsageError(f"{label} {status}: use one of {', '.join(RUN_STATUSES)}")
    return name


async def list_runs(
    client: temporalio.client.Client, *, status: str | None = None, limit: int = 20
) -> list[RunSummary]:
    """Runs, newest first: all of them, or those with ``status``.

    Needs a server with visibility (the dev server or a cluster; the time-skipping test
    server has none).

    Raises:
        UsageError: ``status`` is not one of ``RUN_STATUSES``, or the server cannot list.
    """
    query = None
    if status is not None:
        temporal_name = "".join(part.title() for part in parse_status(status).split("_"))
        query = f'ExecutionStatus="{temporal_name}"'
    runs = []
    with temporal_errors():
        async for execution in client.list_workflows(query, limit=limit):
            runs.append(
                RunSummary(
                    id=execution.id,
                    run_id=execution.run_id,
                    workflow=execution.workflow_type,
                    status=status_name(execution.status),
                    started=execution.start_time,
                )
            )
    return runs


async def run_history(client: temporalio.client.Client, workflow_id: str) -> History:
    """The latest run's steps so far — started, retried, completed, failed, with
    durations — and, for an open run that makes no progress, why.

    Raises:
        RunNotFound: no run has this id.
    """
    with temporal_errors():
        events = [event async for event in step_events(client, workflow_id)]
        stuck = await diagnose(client, workflow_id)
    return History(workflow_id, events, stuck)


async def follow_history(
    client: temporalio.client.Client, workflow_id: str
) -> AsyncGenerator[StepEvent | TaskFailure | Unserved, None]:
    """The run's step events as they happen, until it closes; and each new reason it
    makes no progress, when it stops progressing (see :func:`flowkit.steps.follow_run`).

    A reason is told once; the events go on if the run recovers (a fixed worker starts).
    Close the iterator (``contextlib.aclosing``) when you stop early.

    Raises:
        RunNotFound: no run has this id.
    """
    # follow_run is an async generator, declared as an iterator; closing it at once
    # stops its watcher tasks when the caller stops early.
    followed = cast(_Items, follow_run(client, workflow_id))
    with temporal_errors():
        async with aclosing(followed) as items:
            async for item in items:
                yield item


async def cancel_run(client: temporalio.client.Client, workflow_id: str) -> Cancelled:
    """Ask the latest run to cancel. Its code receives the cancellation and may clean
    up first (a ``Saga`` compensates), then it ends cancelled.

    Raises:
        RunNotFound: no run has this id.
    """
    with temporal_errors():
        await client.get_workflow_handle(workflow_id).cancel()
    return Cancelled(workflow_id)


async def run_result(
    client: temporalio.client.Client, workflow_id: str, *, wait_for_worker: bool = False
) -> RunResult:
    """Wait for the run to end and tell how: its result, or its status and root cause.

    A run that ends without a result is an answer, not an error: see
    :attr:`RunResult.completed`. A run that stops making progress is an error.

    Args:
        wait_for_worker: keep waiting while no worker takes the run, however long; by
            default a run no worker takes for a few seconds raises :class:`RunStuck`
            (a failing workflow task raises it either way).

    Raises:
        RunStuck: the run's workflow task keeps failing, or no worker takes it.
        RunNotFound: no run has this id.
    """
    handle = client.get_workflow_handle(workflow_id)
    patience: dict[str, Any] = {"unserved_after": None} if wait_for_worker else {}
    with temporal_errors():
        try:
            value = await wait_for_result(handle, **patience)
        except WorkflowFailureError as exc:
            ended = await describe_run(client, workflow_id, query=False)
            cause = exc.cause if exc.cause is not None else exc
            return RunResult(workflow_id, ended.status, error=describe_error(cause))
    return RunResult(workflow_id, "completed", value=value)
