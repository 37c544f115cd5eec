"""Test helpers: real Temporal servers, a worker per test, stubs, and history readers.

Everything runs on Temporal's own servers from the ``server`` extra — the time-skipping
test server (a day-long timer takes milliseconds) or the dev server — never on a mock.
The pytest plugin (:mod:`flowkit.pytest_plugin`) wraps these in fixtures.

(One module past 300 lines on purpose: every helper a user's test imports is in the one
public ``flowkit.testing``; the replay helpers at the end are thin calls into
:mod:`flowkit.runtime`.)
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import temporalio.client
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.common import RetryPolicy
from temporalio.converter import default as default_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, WorkflowReplayResult

from flowkit.runtime import (
    ReplayOutcome,
    ReplayReport,
    build_worker,
    data_converter,
    find_temporal_cli,
    find_test_server,
    plugin,
    read_histories,
    replay_histories,
)

__all__ = [
    "ScheduledStep",
    "assert_replays",
    "check_recorded_history",
    "record_history",
    "replay",
    "result",
    "run_worker",
    "scheduled_steps",
    "start_dev_server",
    "start_time_skipping",
    "stub",
]


async def start_time_skipping(**kwargs: Any) -> WorkflowEnvironment:
    """Start Temporal's time-skipping test server with flowkit's converter and plugin.

    Keyword arguments go to ``WorkflowEnvironment.start_time_skipping``.
    """
    kwargs.setdefault("test_server_existing_path", find_test_server())
    kwargs.setdefault("data_converter", data_converter())
    kwargs.setdefault("plugins", [plugin()])
    return await WorkflowEnvironment.start_time_skipping(**kwargs)


async def start_dev_server(**kwargs: Any) -> WorkflowEnvironment:
    """Start the full Temporal dev server (in memory) with flowkit's converter and plugin.

    Keyword arguments go to ``WorkflowEnvironment.start_local``.
    """
    kwargs.setdefault("dev_server_existing_path", find_temporal_cli())
    kwargs.setdefault("data_converter", data_converter())
    kwargs.setdefault("plugins", [plugin()])
    kwargs.setdefault("dev_server_log_level", "error")
    return await WorkflowEnvironment.start_local(**kwargs)


def _activity_name(fn: Callable[..., Any]) -> str | None:
    definition = getattr(fn, "__temporal_activity_definition", None)
    return None if definition is None else str(definition.name)


def stub(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``fn`` a function registered as ``name`` (leaving ``fn`` itself untouched)."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def call_async(*args: Any) -> Any:
            return await fn(*args)

        wrapper: Callable[..., Any] = call_async
    else:

        @functools.wraps(fn)
        def call_sync(*args: Any) -> Any:
            return fn(*args)

        wrapper = call_sync
    return activity.defn(name=name)(wrapper)


@asynccontextmanager
async def run_worker(
    client: temporalio.client.Client,
    *,
    agents: Sequence[type] = (),
    workflows: Sequence[type] = (),
    functions: Sequence[Callable[..., Any]] = (),
    stubs: Mapping[str, Callable[..., Any]] | None = None,
    task_queue: str | None = None,
    **worker_kwargs: Any,
) -> AsyncIterator[str]:
    """Run a worker for the block and yield its task queue (a fresh one by default).

    The worker is configured as ``flowkit worker`` configures one in production: a bug in
    workflow code fails the workflow *task*, which Temporal retries until a fix is
    deployed, while a :class:`~flowkit.workflow.StepError` (bad run data) or an
    ``ApplicationError`` fails the run. Wait with :func:`result` rather than
    ``handle.result()`` so a failing task fails the test at once, with its cause.

    Args:
        client: a client of the test server (``env.client``).
        stubs: functions to register instead, by name: ``{"send_email": fake_send}``
            replaces the registered ``send_email`` for this worker only.
    """
    replaced = dict(stubs or {})
    chosen = [f for f in functions if _activity_name(f) not in replaced]
    chosen += [stub(name, fn) for name, fn in replaced.items()]
    queue = task_queue or f"flowkit-test-{uuid.uuid4().hex[:10]}"
    worker = build_worker(
        client,
        agents=agents,
        workflows=workflows,
        functions=chosen,
        task_queue=queue,
        **worker_kwargs,
    )
    async with worker:
        yield queue


async def result(
    handle: temporalio.client.WorkflowHandle[Any, Any], *, check_every: float = 0.5
) -> Any:
    """``await handle.result()``, but a run whose workflow task fails fails the wait at once.

    A workflow task that keeps failing (a bug, an unregistered workflow type, a
    nondeterminism error) would make ``handle.result()`` wait until the test times out;
    this raises :class:`flowkit.errors.RunStuck` with the task's failure message instead.

    Raises:
        RunStuck: the run's workflow task fails (checked every ``check_every`` seconds).
        temporalio.client.WorkflowFailureError: the run failed.
    """
    from flowkit.steps import wait_for_result

    # The time-skipping server's clock runs ahead of the wall clock, so "no worker for
    # N seconds" cannot be judged there: only a failing task ends the wait early.
    return await wait_for_result(handle, check_every=check_every, unserved_after=None)


@dataclass(frozen=True)
class ScheduledStep:
    """A step or child call as the server recorded it in a run's history."""

    kind: Literal["function", "workflow"]
    name: str
    summary: str | None
    task_queue: str
    retry_policy: RetryPolicy | None
    id: str = ""  # the activity id, or the child's workflow id
    start_to_close_timeout: timedelta | None = None
    heartbeat_timeout: timedelta | None = None
    schedule_to_close_timeout: timedelta | None = None
    execution_timeout: timedelta | None = None


def _duration(message: Any, field: str) -> timedelta | None:
    if not message.HasField(field):
        return None
    value = getattr(message, field).ToTimedelta()
    return value if value else None


def _summary(event: Any) -> str | None:
    if not event.HasField("user_metadata") or not event.user_metadata.HasField("summary"):
        return None
    return str(default_converter().payload_converter.from_payload(event.user_metadata.summary, str))


async def scheduled_steps(
    handle: temporalio.client.WorkflowHandle[Any, Any],
) -> list[ScheduledStep]:
    """Every function (activity) scheduled and child workflow started, in history order.

    Retries of a step are not listed again: the server records one scheduling per step.
    """
    steps = []
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            a = event.activity_task_scheduled_event_attributes
            timeouts = {
                "start_to_close_timeout": _duration(a, "start_to_close_timeout"),
                "heartbeat_timeout": _duration(a, "heartbeat_timeout"),
                "schedule_to_close_timeout": _duration(a, "schedule_to_close_timeout"),
            }
            steps.append(_scheduled("function", event, a, a.activity_type, a.activity_id, timeouts))
        elif event.event_type == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
            c = event.start_child_workflow_execution_initiated_event_attributes
            timeouts = {"execution_timeout": _duration(c, "workflow_execution_timeout")}
            steps.append(_scheduled("workflow", event, c, c.workflow_type, c.workflow_id, timeouts))
    return steps


def _scheduled(
    kind: Literal["function", "workflow"],
    event: Any,
    attrs: Any,
    type_: Any,
    id: str,
    timeouts: dict[str, timedelta | None],
) -> ScheduledStep:
    retry = RetryPolicy.from_proto(attrs.retry_policy) if attrs.HasField("retry_policy") else None
    return ScheduledStep(
        kind=kind,
        name=type_.name,
        id=id,
        summary=_summary(event),
        task_queue=attrs.task_queue.name,
        retry_policy=retry,
        **timeouts,
    )


async def replay(
    handle: temporalio.client.WorkflowHandle[Any, Any], workflows: Sequence[type]
) -> WorkflowReplayResult:
    """Replay a run's history against ``workflows``; raises on a nondeterminism error."""
    history = await handle.fetch_history()
    replayer = Replayer(workflows=list(workflows), plugins=[plugin()])
    return await replayer.replay_workflow(history)


async def record_history(
    handle: temporalio.client.WorkflowHandle[Any, Any], folder: str | Path, name: str | None = None
) -> Path:
    """Write a run's history to ``folder/<name or workflow id>.json`` (the JSON the Web UI
    downloads), for :func:`assert_replays` and ``flowkit replay`` to replay later.

    Returns:
        The file written.
    """
    history = await handle.fetch_history()
    path = Path(folder) / f"{name or handle.id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(history.to_json() + "\n", encoding="utf-8")
    return path


def _failure(outcome: ReplayOutcome, events: dict[str, int]) -> str:
    head = f"{outcome.source}: {outcome.status}"
    d = outcome.divergence
    if d is not None:
        named = f" '{d.event_name}'" if d.event_name else ""
        total = events.get(outcome.source)
        of = f" of {total}" if total else ""
        head += f" at event {d.event_id}{of} ({d.event_type}{named})"
        if d.location:
            head += f", from the code at {d.location}"
    return f"{head}\n    {outcome.message}"


async def assert_replays(*paths: str | Path, workflows: Sequence[type]) -> ReplayReport:
    """Replay every recorded history in ``paths`` (JSON files, or folders of ``*.json``)
    against ``workflows``, the code as it is now; fail naming each run that does not
    replay, its file, the first diverging event and its position, and the code.

    Use it in a test over a folder of histories recorded from real runs
    (:func:`record_history`), so an edit that would break runs in flight fails the test::

        async def test_recorded_runs_still_replay():
            await assert_replays("tests/histories", workflows=[Publish])

    Raises:
        AssertionError: a run is nondeterministic, or could not be replayed.
        flowkit.errors.UsageError: a path is missing or a file is not a history.
    """
    recorded = read_histories(Path(p) for p in paths)
    report = await replay_histories(recorded, workflows)
    if not report.ok:
        events = {r.source: len(r.history.events) for r in recorded}
        failed = [_failure(r, events) for r in report.runs if not r.ok]
        raise AssertionError(f"{report.summary()}\n" + "\n".join(failed))
    return report


async def check_recorded_history(
    handle: temporalio.client.WorkflowHandle[Any, Any],
    folder: str | Path,
    name: str,
    *,
    workflows: Sequence[type],
) -> Path:
    """Replay the history recorded as ``folder/<name>.json`` against ``workflows``; the
    first time, when there is none, record ``handle``'s run there instead (commit it).

    What generated pipeline tests call once per scenario: a later edit that would break
    runs in flight then fails the test that ran the scenario.

    Returns:
        The history file.

    Raises:
        AssertionError: the recorded run does not replay on ``workflows``; the message
            names the event and the code, and says how to record the scenario anew.
    """
    path = Path(folder) / f"{name}.json"
    if not path.exists():
        return await record_history(handle, folder, name)
    try:
        await assert_replays(path, workflows=workflows)
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\nRuns recorded before this change would break. If none are in flight "
            f"(or the change has its own workflow name), delete {path} to record it anew."
        ) from None
    return path
