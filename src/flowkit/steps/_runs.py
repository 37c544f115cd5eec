"""Reading runs for people: a run's status and a step-level account of its history.

What ``flowkit status`` and ``flowkit history`` print, as library calls. The history is
told in steps — started, retried, completed, failed, with durations — read from the
run's history events, not the raw events themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import temporalio.client
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent

from flowkit.steps._progress import TaskFailure, Unserved, diagnose, first_line

__all__ = ["RunStatus", "StepEvent", "describe_run", "step_events"]

QUERY_TIMEOUT = 5.0  # seconds; a query needs a worker, and a run may have none


@dataclass
class StepEvent:
    """One thing that happened to a step (or to the run itself).

    Attributes:
        kind: ``run``, ``function``, ``workflow`` (a child), ``timer`` or ``input`` (an
            update such as a form submission or an approval).
        action: ``started``, ``retried``, ``completed``, ``failed``, ``timed_out``,
            ``cancelled``, ``received`` (input), ``terminated``, ``continued``, and
            ``task_failed`` (the run's workflow task failed; Temporal retries it).
        seconds: how long the step took, on ``completed`` and the other endings.
        attempt: the attempt that ended the step (functions only).
    """

    time: datetime
    step: str
    kind: str
    action: str
    seconds: float | None = None
    attempt: int | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.__dict__, "time": self.time.isoformat()}


@dataclass
class RunStatus:
    """A run's status, what it runs now and what it waits for."""

    id: str
    run_id: str
    workflow: str
    status: str
    started: datetime | None
    closed: datetime | None
    task_queue: str
    details: str = ""
    waiting: list[dict[str, Any]] = field(default_factory=list)
    running: list[dict[str, Any]] = field(default_factory=list)
    stuck: TaskFailure | Unserved | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = dict(self.__dict__)
        for key in ("started", "closed"):
            out[key] = out[key].isoformat() if out[key] else None
        out["stuck"] = self.stuck.to_json() if self.stuck else None
        return out


def status_name(status: Any) -> str:
    """``WorkflowExecutionStatus.RUNNING`` -> ``running``."""
    return str(getattr(status, "name", status) or "unknown").lower()


async def _query(handle: temporalio.client.WorkflowHandle[Any, Any], name: str) -> Any:
    with contextlib.suppress(Exception):  # no worker, or a workflow without this query
        return await asyncio.wait_for(handle.query(name), QUERY_TIMEOUT)
    return None


async def describe_run(
    client: temporalio.client.Client, workflow_id: str, *, query: bool = True
) -> RunStatus:
    """The status of the latest run of ``workflow_id``.

    With ``query`` (and a worker running), also what the run waits on: its current
    details and the ``waiting_on`` steps of :class:`flowkit.steps.HumanSteps`. An open
    run that makes no progress says why in ``stuck`` (see :func:`diagnose`).
    """
    handle = client.get_workflow_handle(workflow_id)
    desc = await handle.describe()
    status = RunStatus(
        id=desc.id,
        run_id=desc.run_id,
        workflow=desc.workflow_type,
        status=status_name(desc.status),
        started=desc.start_time,
        closed=desc.close_time,
        task_queue=desc.task_queue,
    )
    if status.status != "running":
        return status  # a closed run runs nothing, whatever was pending when it ended
    for pending in desc.raw_description.pending_activities:
        status.running.append(
            {
                "function": pending.activity_type.name,
                "attempt": pending.attempt,
                "last_failure": first_line(pending.last_failure.message) or None,
            }
        )
    if not query:
        return status
    status.stuck = await diagnose(client, workflow_id, run_id=desc.run_id)
    if status.stuck is None:
        metadata = await _query(handle, "__temporal_workflow_metadata")
        status.details = str(getattr(metadata, "current_details", "") or "")
        waiting = await _query(handle, "waiting_on")
        status.waiting = list(waiting or [])
    return status


async def _decode(client: temporalio.client.Client, payloads: Any) -> list[Any]:
    try:
        return await client.data_converter.decode(list(payloads))
    except Exception:  # an unknown encoding: show the step without its input
        return []


async def _label(client: temporalio.client.Client, event: HistoryEvent, name: str) -> str:
    if event.HasField("user_metadata") and event.user_metadata.HasField("summary"):
        decoded = await _decode(client, [event.user_metadata.summary])
        if decoded and decoded[0]:
            return str(decoded[0])
    return name


_RUN_END = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: "completed",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: "failed",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: "timed_out",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: "cancelled",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: "terminated",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: "continued",
}
_ACTIVITY_END = {
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: ("completed", "activity_task_completed"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: ("failed", "activity_task_failed"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: ("timed_out", "activity_task_timed_out"),
    EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: ("cancelled", "activity_task_canceled"),
}
_CHILD_END = {
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: ("completed", "completed"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: ("failed", "failed"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: ("timed_out", "timed_out"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED: ("cancelled", "canceled"),
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: ("terminated", "terminated"),
}


def _failure_text(attrs: Any) -> str:
    failure = getattr(attrs, "failure", None)
    return str(failure.message) if failure is not None and failure.message else ""


class _Reader:
    """Turns history events into step events, remembering what each step started as."""

    def __init__(self, client: temporalio.client.Client) -> None:
        self.client = client
        self.started: dict[int, tuple[str, str, datetime]] = {}  # event id -> step
        self.attempts: dict[int, int] = {}  # scheduled event id -> attempt that ended it

    def _end(self, scheduled_id: int, when: datetime, action: str, **extra: Any) -> StepEvent:
        step, kind, began = self.started.get(scheduled_id, ("?", "function", when))
        seconds = round((when - began).total_seconds(), 3)
        return StepEvent(when, step, kind, action, seconds=seconds, **extra)

    async def read(self, event: HistoryEvent) -> StepEvent | None:  # a branch per event kind
        when = event.event_time.ToDatetime(tzinfo=UTC)
        kind = event.event_type
        if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
            name = event.workflow_execution_started_event_attributes.workflow_type.name
            self.started[0] = (name, "run", when)
            return StepEvent(when, name, "run", "started")
        if kind in _RUN_END:
            attrs = getattr(event, EventType.Name(kind)[11:].lower() + "_event_attributes")
            return self._end(0, when, _RUN_END[kind], detail=_failure_text(attrs))
        if kind == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            attrs = event.workflow_task_failed_event_attributes
            name = self.started.get(0, ("run", "", when))[0]
            detail = first_line(attrs.failure.message) or "workflow task failed"
            return StepEvent(when, name, "run", "task_failed", detail=detail)
        if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            attrs = event.activity_task_scheduled_event_attributes
            label = await _label(self.client, event, attrs.activity_type.name)
            self.started[event.event_id] = (label, "function", when)
            return StepEvent(when, label, "function", "started")
        if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            attrs = event.activity_task_started_event_attributes
            self.attempts[attrs.scheduled_event_id] = attrs.attempt
            if attrs.attempt <= 1:
                return None
            step = self.started.get(attrs.scheduled_event_id, ("?", "", when))[0]
            detail = f"{attrs.attempt - 1} failed attempt(s); last: {attrs.last_failure.message}"
            return StepEvent(
                when, step, "function", "retried", attempt=attrs.attempt, detail=detail
            )
        if kind in _ACTIVITY_END:
            action, name = _ACTIVITY_END[kind]
            attrs = getattr(event, f"{name}_event_attributes")
            # The started event of the attempt that ended the step comes just before.
            attempt = self.attempts.get(attrs.scheduled_event_id)
            return self._end(
                attrs.scheduled_event_id, when, action, attempt=attempt, detail=_failure_text(attrs)
            )
        if kind == EventType.EVENT_TYPE_TIMER_STARTED:
            attrs = event.timer_started_event_attributes
            label = await _label(self.client, event, "timer")
            self.started[event.event_id] = (label, "timer", when)
            return StepEvent(when, label, "timer", "started")
        if kind == EventType.EVENT_TYPE_TIMER_FIRED:
            attrs = event.timer_fired_event_attributes
            return self._end(attrs.started_event_id, when, "completed")
        if kind == EventType.EVENT_TYPE_TIMER_CANCELED:
            attrs = event.timer_canceled_event_attributes
            return self._end(attrs.started_event_id, when, "cancelled")
        if kind == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
            attrs = event.start_child_workflow_execution_initiated_event_attributes
            label = await _label(self.client, event, attrs.workflow_type.name)
            self.started[event.event_id] = (label, "workflow", when)
            return StepEvent(when, label, "workflow", "started", detail=attrs.workflow_id)
        if kind in _CHILD_END:
            action, name = _CHILD_END[kind]
            attrs = getattr(event, f"child_workflow_execution_{name}_event_attributes")
            return self._end(attrs.initiated_event_id, when, action, detail=_failure_text(attrs))
        if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            request = event.workflow_execution_update_accepted_event_attributes.accepted_request
            args = await _decode(self.client, request.input.args.payloads)
            data = args[0] if args and isinstance(args[0], dict) else {}
            step = str(data.get("step") or request.input.name)
            who = f" by {data['by']}" if data.get("by") else ""
            return StepEvent(when, step, "input", "received", detail=request.input.name + who)
        return None


async def step_events(
    client: temporalio.client.Client, workflow_id: str, *, follow: bool = False
) -> AsyncIterator[StepEvent]:
    """The step-level account of the latest run of ``workflow_id``, in order.

    With ``follow``, wait for new events until the run closes.
    """
    handle = client.get_workflow_handle(workflow_id)
    reader = _Reader(client)
    async for event in handle.fetch_history_events(wait_new_event=follow):
        step = await reader.read(event)
        if step is not None:
            yield step
