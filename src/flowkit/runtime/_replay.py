"""Replaying recorded histories against the current workflow code (``flowkit replay``).

A history records every decision a run's workflow code made. Replaying it against the
code as it is now tells whether a worker running that code could still carry the run on:
the same commands in the same order (``ok``), or not (``nondeterministic``, with
temporalio's message naming the first event that diverged).

Histories come from JSON files (as the Web UI and ``temporal workflow show -o json``
download them), folders of them, or the server (:func:`server_histories`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import temporalio.client
import temporalio.workflow
from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter
from temporalio.worker import Replayer

from flowkit.errors import UsageError
from flowkit.runtime._options import Service
from flowkit.runtime._plugin import plugin
from flowkit.runtime._replay_trace import Divergence, TraceInterceptor, find_divergence, take_trace

__all__ = [
    "Divergence",
    "RecordedHistory",
    "ReplayOutcome",
    "ReplayReport",
    "app_workflows",
    "read_histories",
    "read_history",
    "replay_histories",
    "server_histories",
]

ReplayStatus = Literal["ok", "nondeterministic", "failed"]


@dataclass(frozen=True)
class RecordedHistory:
    """A run's history and where it came from (a file's path, or ``server``)."""

    history: temporalio.client.WorkflowHistory
    source: str

    @property
    def workflow(self) -> str:
        """The run's workflow type, from its first event."""
        first = self.history.events[0]
        return str(first.workflow_execution_started_event_attributes.workflow_type.name)


@dataclass(frozen=True)
class ReplayOutcome:
    """What replaying one run's history against the current code found.

    ``status`` is ``ok``, ``nondeterministic`` (the code would make other commands than
    the history records: ``message`` names the first diverging event), or ``failed`` (the
    replay could not run, e.g. the workflow type is not registered). A nondeterministic
    run's ``divergence`` is the first event that diverged, with the line of workflow code
    that issued the mismatching command when it can be told.
    """

    workflow_id: str
    run_id: str
    workflow: str
    status: ReplayStatus
    source: str
    message: str | None = None
    divergence: Divergence | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def where(self) -> str:
        """``event 5 ActivityTaskScheduled 'draft', code at wf.py:12``, or ``""``."""
        d = self.divergence
        if d is None:
            return ""
        text = f"event {d.event_id} {d.event_type}" + (f" '{d.event_name}'" if d.event_name else "")
        return text + (f", code at {d.location}" if d.location else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "workflow_id": self.workflow_id,
            "run_id": self.run_id,
            "workflow": self.workflow,
            "status": self.status,
            "source": self.source,
            "message": self.message,
            "event": None
            if self.divergence is None
            else {
                "id": self.divergence.event_id,
                "type": self.divergence.event_type,
                "name": self.divergence.event_name,
            },
            "location": self.divergence.location if self.divergence else None,
        }


@dataclass(frozen=True)
class ReplayReport:
    """Every run replayed, in order."""

    runs: list[ReplayOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every run replayed cleanly (also when there were none)."""
        return all(r.ok for r in self.runs)

    def counts(self) -> dict[str, int]:
        """How many runs had each status."""
        out = {"ok": 0, "nondeterministic": 0, "failed": 0}
        for r in self.runs:
            out[r.status] += 1
        return out

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{len(self.runs)} run{'s' if len(self.runs) != 1 else ''} replayed"]
        parts += [f"{n} {status}" for status, n in c.items() if n]
        return ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "counts": self.counts(), "runs": [r.to_json() for r in self.runs]}


# -- sources -----------------------------------------------------------------------------


def read_history(path: Path, workflow_id: str | None = None) -> RecordedHistory:
    """Read a history JSON file (Web UI, ``temporal workflow show -o json``, or
    ``WorkflowHistory.to_json()``); the workflow id defaults to the file's stem.

    Raises:
        UsageError: the file cannot be read, is not JSON, or is not a workflow history
            (the message names the file and what is wrong).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise UsageError(f'{path}: not a workflow history: expected an object with "events"')
    try:
        history = temporalio.client.WorkflowHistory.from_json(workflow_id or path.stem, data)
    except Exception as exc:
        raise UsageError(f"{path}: not a workflow history: {exc}") from None
    if not history.events or not history.events[0].HasField(
        "workflow_execution_started_event_attributes"
    ):
        raise UsageError(
            f"{path}: not a workflow history: the first event is not WorkflowExecutionStarted"
        )
    return RecordedHistory(history, str(path))


def read_histories(paths: Iterable[Path]) -> list[RecordedHistory]:
    """Read history files, and every ``*.json`` in each folder given (sorted by name).

    Raises:
        UsageError: a path does not exist, a folder holds no ``*.json``, or a file is not
            a history (see :func:`read_history`).
    """
    out: list[RecordedHistory] = []
    for path in paths:
        if path.is_dir():
            files = sorted(path.glob("*.json"))
            if not files:
                raise UsageError(f"{path}: no *.json history files in this folder")
            out += [read_history(f) for f in files]
        elif path.exists():
            out.append(read_history(path))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return out


async def server_histories(
    client: temporalio.client.Client,
    query: str | None = None,
    *,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> AsyncIterator[RecordedHistory]:
    """The histories of the runs a visibility query lists (paged by the client), newest
    first, at most ``limit``; ``progress`` is told of each one fetched."""
    count = 0
    async for execution in client.list_workflows(query or None, limit=limit, page_size=100):
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        history = await handle.fetch_history()
        count += 1
        if progress is not None:
            progress(f"fetched {count}: {execution.workflow_type} {execution.id}")
        yield RecordedHistory(history, "server")


# -- workflows ---------------------------------------------------------------------------


def app_workflows(app: Any) -> list[type]:
    """The agents and workflows of what :func:`flowkit.runtime.load_app` returned: a
    service, a list of them, or a list of workflow classes.

    Raises:
        UsageError: ``app`` is a main function or holds no workflows.
    """
    items = [app] if isinstance(app, (Service, type)) else app
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise UsageError(
            f"cannot replay against {app!r}: expected Service objects or workflow classes "
            "(a main function hides its workflows; point --app at the services)"
        )
    out: list[type] = []
    for item in items:
        if isinstance(item, Service):
            out += [*item.agents, *item.workflows]
        elif isinstance(item, type) and hasattr(item, "__temporal_workflow_definition"):
            out.append(item)
    unique = list(dict.fromkeys(out))
    if not unique:
        raise UsageError("the app has no agents or workflows to replay against")
    return unique


# -- replaying ---------------------------------------------------------------------------


_CORE_MESSAGE = re.compile(r'message: "((?:[^"\\]|\\.)*)"')


def _core_message(text: str) -> str:
    """temporalio's text without the Rust ``Failure { ... }`` wrapping around it:
    ``[TMPRL1100] Nondeterminism error: Activity type of scheduled event 'draft' does not
    match activity type of activity command 'review'``."""
    found = _CORE_MESSAGE.search(text)
    return found.group(1).replace('\\"', '"') if found else text


def _outcome(recorded: RecordedHistory, failure: Exception | None) -> ReplayOutcome:
    status: ReplayStatus
    divergence = None
    trace = take_trace(recorded.history.run_id)
    if failure is None:
        status, message = "ok", None
    elif isinstance(failure, temporalio.workflow.NondeterminismError):
        status, message = "nondeterministic", _core_message(str(failure))
        divergence = find_divergence(list(recorded.history.events), message, trace)
    else:
        text = str(failure)
        found = _core_message(text)
        status, message = "failed", found if found != text else f"{type(failure).__name__}: {text}"
    return ReplayOutcome(
        workflow_id=recorded.history.workflow_id,
        run_id=recorded.history.run_id,
        workflow=recorded.workflow,
        status=status,
        source=recorded.source,
        message=message,
        divergence=divergence,
    )


@functools.cache
def _quiet_runtime() -> Runtime:
    """A Temporal core runtime that logs errors only: a diverging replay fails its
    workflow task, which core would log as a warning; the report says it instead."""
    quiet = TelemetryFilter(core_level="ERROR", other_level="ERROR")
    return Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=quiet)))


async def replay_histories(
    histories: Iterable[RecordedHistory] | AsyncIterator[RecordedHistory],
    workflows: Sequence[type],
    *,
    on_result: Callable[[ReplayOutcome], None] | None = None,
) -> ReplayReport:
    """Replay each history against ``workflows`` (with flowkit's plugin, as a worker runs
    them) and report each run; ``on_result`` is told of each as it is replayed.

    Nothing raises for a run that does not replay: it is reported.
    """
    seen: list[RecordedHistory] = []

    async def feed() -> AsyncIterator[temporalio.client.WorkflowHistory]:
        if isinstance(histories, AsyncIterator):
            async for recorded in histories:
                seen.append(recorded)
                yield recorded.history
        else:
            for recorded in histories:
                seen.append(recorded)
                yield recorded.history

    report = ReplayReport()
    replayer = Replayer(
        workflows=list(workflows),
        plugins=[plugin()],
        interceptors=[TraceInterceptor()],
        runtime=_quiet_runtime(),
    )
    async with replayer.workflow_replay_iterator(feed()) as results:
        async for result in results:
            outcome = _outcome(seen[len(report.runs)], result.replay_failure)
            report.runs.append(outcome)
            if on_result is not None:
                on_result(outcome)
    return report
