"""Why an open run makes no progress: its workflow task keeps failing, or no worker takes it.

Temporal retries a failing workflow task until new code is deployed (that is what makes
fixing a bug and redeploying resume a run), and it waits forever for a worker on the
run's task queue. Both look like a run that is simply "running". :func:`diagnose` reads
the run's history (and, where the server can tell, the task queue's pollers) and says
which it is, so ``flowkit run --wait``, ``status``, ``result`` and the test helpers can
tell the story instead of waiting silently.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import temporalio.client
from temporalio.api.enums.v1 import EventType, TaskQueueType, WorkflowTaskFailedCause
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.service import RPCError

__all__ = ["UNSERVED_AFTER", "TaskFailure", "Unserved", "diagnose", "first_line"]

#: How long a workflow task may wait for a worker before the run counts as unserved.
UNSERVED_AFTER = 5.0
_POLLER_LOOKUP_TIMEOUT = 3.0


def first_line(text: str, width: int = 300) -> str:
    """The first line of a message, cut to ``width`` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


@dataclass(frozen=True)
class TaskFailure:
    """The run's workflow task fails and Temporal keeps retrying it.

    Attributes:
        message: the failure's message (first line), from the last WorkflowTaskFailed.
        cause: Temporal's cause, e.g. ``unhandled failure`` or ``nondeterminism``.
        error_type: the failure's type, e.g. ``NotFoundError`` for an unregistered workflow.
        attempts: how many attempts have failed so far (at least one).
        since: when the first recorded failure happened.
    """

    message: str
    cause: str
    error_type: str
    attempts: int
    since: datetime

    @property
    def unregistered(self) -> bool:
        """True when the worker does not know the workflow type."""
        return "is not registered on this worker" in self.message

    def explain(self) -> str:
        """One line for a person: what fails, how often, and what to do."""
        tries = f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.unregistered:
            todo = "register it with the worker (or start the right name), then restart it"
        elif self.cause == "nondeterminism":
            todo = "the code no longer replays this run's history; deploy code that does"
        else:
            todo = "fix the workflow code and restart the worker: the run resumes"
        return f"its workflow task fails ({tries}): {self.message} — {todo}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": "task-failing",
            "message": self.message,
            "cause": self.cause,
            "error_type": self.error_type,
            "attempts": self.attempts,
            "since": self.since.isoformat(),
            "explain": self.explain(),
        }


@dataclass(frozen=True)
class Unserved:
    """No worker has taken the run's workflow task.

    Attributes:
        task_queue: where the task waits.
        seconds: how long it has waited.
        pollers: identities of workers polling that queue for workflows, or ``None``
            when the server cannot tell (the time-skipping test server).
    """

    task_queue: str
    seconds: float
    pollers: list[str] | None = field(default=None)

    def explain(self) -> str:
        """One line for a person: where the task waits and who, if anyone, polls there."""
        waited = f"for {self.seconds:.0f}s" if self.seconds >= 1 else "yet"
        if self.pollers:
            who = ", ".join(self.pollers[:5])
            return (
                f"no worker has taken its workflow task {waited}; workers poll task queue "
                f"{self.task_queue!r} ({who}) but may not register this workflow type"
            )
        if self.pollers is None:
            return (
                f"no worker has taken its workflow task {waited}: is a worker running on "
                f"task queue {self.task_queue!r}?"
            )
        return (
            f"no worker polls task queue {self.task_queue!r} (waiting {waited}): start one "
            "with `flowkit worker`, or start the run on the queue a worker serves"
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "kind": "unserved",
            "task_queue": self.task_queue,
            "seconds": round(self.seconds, 1),
            "pollers": self.pollers,
            "explain": self.explain(),
        }


_CAUSES = {
    WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE: (
        "unhandled failure"
    ),
    WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR: "nondeterminism",
}


def _cause(value: int) -> str:
    known = _CAUSES.get(value)  # type: ignore[call-overload]
    if known:
        return str(known)
    name = str(WorkflowTaskFailedCause.Name(value))  # type: ignore[arg-type]
    return name.removeprefix("WORKFLOW_TASK_FAILED_CAUSE_").replace("_", " ").lower()


async def _pollers(client: temporalio.client.Client, task_queue: str) -> list[str] | None:
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    try:
        answer = await asyncio.wait_for(
            client.workflow_service.describe_task_queue(request), _POLLER_LOOKUP_TIMEOUT
        )
    except (RPCError, TimeoutError):  # not implemented (test server), or not allowed
        return None
    return sorted({p.identity for p in answer.pollers})


async def diagnose(
    client: temporalio.client.Client,
    workflow_id: str,
    *,
    run_id: str | None = None,
    unserved_after: float = UNSERVED_AFTER,
    now: datetime | None = None,
) -> TaskFailure | Unserved | None:
    """Why the open run of ``workflow_id`` makes no progress, or ``None`` when it does
    (or has ended, or waits on a timer, a person or a step, which is progress).

    Args:
        unserved_after: seconds a workflow task may wait for a worker before the run
            counts as unserved.
        now: the current time (default: the wall clock).
    """
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    failed: list[Any] = []
    waiting_since: datetime | None = None
    task_queue = ""
    closed = False
    async for event in handle.fetch_history_events():
        kind = event.event_type
        when = event.event_time.ToDatetime(tzinfo=UTC)
        if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            task_queue = event.workflow_execution_started_event_attributes.task_queue.name
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
            waiting_since = waiting_since or when
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
            waiting_since = None
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            failed.append((when, event.workflow_task_failed_event_attributes))
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            failed.clear()
        elif kind in _CLOSING:
            closed = True
    if closed:
        return None
    if failed:
        attempts = len(failed)
        with contextlib.suppress(RPCError):  # describe may be refused; history suffices
            desc = await handle.describe()
            pending = desc.raw_description.pending_workflow_task
            attempts = max(attempts, pending.attempt - 1 if pending.attempt else 0)
        since, attrs = failed[0][0], failed[-1][1]
        return TaskFailure(
            message=first_line(attrs.failure.message) or _cause(attrs.cause),
            cause=_cause(attrs.cause),
            error_type=attrs.failure.application_failure_info.type or "",
            attempts=attempts,
            since=since,
        )
    if waiting_since is not None:
        waited = ((now or datetime.now(UTC)) - waiting_since).total_seconds()
        if waited >= unserved_after:
            return Unserved(task_queue, waited, await _pollers(client, task_queue))
    return None


_CLOSING = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
}
