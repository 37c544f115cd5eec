"""Where a replay diverged: the history event, and the line of workflow code that issued
the command that did not match it.

temporalio's nondeterminism message names the event only sometimes (``HistoryEvent(id: 5,
ActivityTaskScheduled)``, or just ``scheduled event 'draft'``) and the code never. So a
replay runs with :class:`TraceInterceptor`, which notes every command the workflow code
issues, in order, with the first stack frame outside temporalio, flowkit and asyncio.
Aligning those commands with the history's command events finds the first that differs;
the result is kept only when it agrees with what temporalio said (a command the SDK drops
before sending, such as a timer cancelled in the task that started it, would misalign
them: then the location is left out rather than guessed).
"""

from __future__ import annotations

import asyncio
import re
import sys
import sysconfig
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import temporalio.worker
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent

__all__ = ["Divergence", "TraceInterceptor", "find_divergence", "take_trace"]

# (command, "file:line" of the workflow code that issued it, or None)
Trace = list[tuple[Any, str | None]]

_LOCK = threading.Lock()
_TRACES: dict[str, Trace] = {}
# Frames in these are the SDKs' own, not the user's workflow code.
_SKIPPED = (
    str(Path(temporalio.worker.__file__ or "").parents[1]),
    str(Path(__file__).parents[1]),  # flowkit
    sysconfig.get_paths()["stdlib"],  # asyncio, contextlib, the worker's threads
    "<",
)

# A command's variant, and the history event it becomes (None: not matched one to one).
_EVENT_OF = {
    "schedule_activity": "ACTIVITY_TASK_SCHEDULED",
    "start_timer": "TIMER_STARTED",
    "schedule_local_activity": "MARKER_RECORDED",
    "set_patch_marker": "MARKER_RECORDED",
    "start_child_workflow_execution": "START_CHILD_WORKFLOW_EXECUTION_INITIATED",
    "signal_external_workflow_execution": "SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED",
    "upsert_workflow_search_attributes": "UPSERT_WORKFLOW_SEARCH_ATTRIBUTES",
    "modify_workflow_properties": "WORKFLOW_PROPERTIES_MODIFIED",
    "schedule_nexus_operation": "NEXUS_OPERATION_SCHEDULED",
    "complete_workflow_execution": "WORKFLOW_EXECUTION_COMPLETED",
    "fail_workflow_execution": "WORKFLOW_EXECUTION_FAILED",
    "cancel_workflow_execution": "WORKFLOW_EXECUTION_CANCELED",
    "continue_as_new_workflow_execution": "WORKFLOW_EXECUTION_CONTINUED_AS_NEW",
}
_COMMAND_EVENTS = frozenset(f"EVENT_TYPE_{e}" for e in _EVENT_OF.values())
_EVENT_ID = re.compile(r"HistoryEvent\(id: (\d+)")
_TYPE_MISMATCH = re.compile(
    r"type of scheduled event '([^']*)' does not match .* command '([^']*)'"
)


@dataclass(frozen=True)
class Divergence:
    """The first history event the code diverged from, and (when known) the code.

    Attributes:
        event_id: the event's id: its 1-based position in the history.
        event_type: such as ``ActivityTaskScheduled``.
        event_name: the activity, child workflow, marker or signal it names, if any.
        location: ``file:line`` of the workflow code that issued the mismatching command,
            or ``None`` (the code issued none there, e.g. it returned early).
    """

    event_id: int
    event_type: str
    event_name: str | None
    location: str | None


def _caller() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_SKIPPED):
            path = Path(name)
            if path.is_relative_to(Path.cwd()):
                path = path.relative_to(Path.cwd())
            return f"{path}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _trace_loop() -> None:
    """Wrap the running workflow instance's ``_add_command`` (once) to note each command."""
    loop: Any = asyncio.get_running_loop()
    if getattr(loop, "_flowkit_traced", False) or not hasattr(loop, "_add_command"):
        return
    run_id = temporalio.workflow.info().run_id
    trace: Trace = []
    with _LOCK:
        _TRACES[run_id] = trace
    add: Callable[[], Any] = loop._add_command

    def traced() -> Any:
        command = add()
        trace.append((command, _caller()))
        return command

    loop._add_command = traced
    loop._flowkit_traced = True


class _Inbound(temporalio.worker.WorkflowInboundInterceptor):
    async def execute_workflow(self, input: temporalio.worker.ExecuteWorkflowInput) -> Any:
        _trace_loop()
        return await super().execute_workflow(input)

    async def handle_signal(self, input: temporalio.worker.HandleSignalInput) -> None:
        _trace_loop()
        await super().handle_signal(input)

    async def handle_update_handler(self, input: temporalio.worker.HandleUpdateInput) -> Any:
        _trace_loop()
        return await super().handle_update_handler(input)


class TraceInterceptor(temporalio.worker.Interceptor):
    """For replays only: notes the commands each run's code issues (see the module)."""

    def workflow_interceptor_class(
        self, input: temporalio.worker.WorkflowInterceptorClassInput
    ) -> type[temporalio.worker.WorkflowInboundInterceptor]:
        return _Inbound


def take_trace(run_id: str) -> Trace:
    """The commands noted for a run (and forget them)."""
    with _LOCK:
        return _TRACES.pop(run_id, [])


def _camel(event_type: int) -> str:
    name = EventType.Name(event_type).removeprefix("EVENT_TYPE_")  # type: ignore[arg-type]
    return "".join(word.capitalize() for word in name.split("_"))


def _event_name(event: HistoryEvent) -> str | None:
    kind = event.WhichOneof("attributes")
    if kind is None:
        return None
    attributes: Any = getattr(event, kind)
    for field in ("activity_type", "workflow_type"):
        if field in attributes.DESCRIPTOR.fields_by_name and attributes.HasField(field):
            return str(getattr(attributes, field).name)
    for field in ("marker_name", "signal_name", "timer_id"):
        if getattr(attributes, field, None):
            return str(getattr(attributes, field))
    return None


def _command_name(command: Any) -> str | None:
    variant = command.WhichOneof("variant")
    body: Any = getattr(command, variant) if variant else None
    if variant == "schedule_activity" or variant == "schedule_local_activity":
        return str(body.activity_type)
    if variant == "start_child_workflow_execution":
        return str(body.workflow_type)
    return None


def find_divergence(events: list[HistoryEvent], message: str, trace: Trace) -> Divergence | None:
    """The first event ``trace`` (the replayed code's commands) diverges from, when it
    agrees with temporalio's ``message``; else the event the message names, if any."""
    expected = [e for e in events if EventType.Name(e.event_type) in _COMMAND_EVENTS]
    issued = [(c, where) for c, where in trace if c.WhichOneof("variant") in _EVENT_OF]
    by_id = {e.event_id: e for e in events}
    named = _EVENT_ID.search(message)
    mismatch = _TYPE_MISMATCH.search(message)

    def divergence(event: HistoryEvent, location: str | None) -> Divergence:
        return Divergence(event.event_id, _camel(event.event_type), _event_name(event), location)

    for index, event in enumerate(expected):
        command, where = issued[index] if index < len(issued) else (None, None)
        if command is not None:
            kind = "EVENT_TYPE_" + _EVENT_OF[command.WhichOneof("variant")]
            same_name = _command_name(command) in (None, _event_name(event))
            if kind == EventType.Name(event.event_type) and same_name:
                continue
        agrees = (named is not None and int(named.group(1)) == event.event_id) or (
            mismatch is not None
            and command is not None
            and (_event_name(event), _command_name(command)) == mismatch.groups()
        )
        if agrees:
            return divergence(event, where)
        break
    if named is not None and int(named.group(1)) in by_id:
        return divergence(by_id[int(named.group(1))], None)
    return None
