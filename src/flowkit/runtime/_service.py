"""Services: Temporal workers for agents, workflows and functions on one task queue."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import signal
from collections.abc import Callable, Sequence
from typing import Any

import temporalio.client
from temporalio.worker import Worker, WorkerTuner

from flowkit import policy
from flowkit.errors import DefinitionError, UsageError
from flowkit.runtime._options import ResourceOptions, ServiceOptions
from flowkit.workflow import log

__all__ = ["build_worker", "run_until_signal"]


def _check(agents: Sequence[type], workflows: Sequence[type], functions: Sequence[Any]) -> None:
    problems = []
    for kind, items, attr in (
        ("agent", agents, "__temporal_workflow_definition"),
        ("workflow", workflows, "__temporal_workflow_definition"),
        ("function", functions, "__temporal_activity_definition"),
    ):
        for item in items:
            if not hasattr(item, attr):
                what = getattr(item, "__qualname__", repr(item))
                deco = "@function.defn" if kind == "function" else f"@{kind}.defn()"
                problems.append(
                    f"{what} is registered as a {kind} but is not decorated with {deco}"
                )
    if problems:
        raise DefinitionError(problems)


def build_worker(
    client: temporalio.client.Client,
    *,
    agents: Sequence[type] = (),
    workflows: Sequence[type] = (),
    functions: Sequence[Callable[..., Any]] = (),
    task_queue: str | None = None,
    options: ServiceOptions | None = None,
    resources: ResourceOptions | None = None,
    **worker_kwargs: Any,
) -> Worker:
    """A Temporal worker for the given agents, workflows and functions.

    Agents and workflows are both registered as Temporal workflows; functions as
    activities (sync functions run in a thread pool).

    Raises:
        UsageError: nothing to run was given.
        DefinitionError: something is not decorated, or two share a name.
    """
    if not (agents or workflows or functions):
        raise UsageError("a service needs at least one agent, workflow or function")
    _check(agents, workflows, functions)
    options = options or ServiceOptions()
    settings = policy.current()
    kwargs: dict[str, Any] = {
        "task_queue": task_queue or settings.worker.task_queue,
        "workflows": [*agents, *workflows],
        "activities": list(functions),
        "graceful_shutdown_timeout": options.graceful_shutdown or settings.worker.graceful_shutdown,
    }
    if any(not inspect.iscoroutinefunction(f) for f in functions):
        kwargs["activity_executor"] = concurrent.futures.ThreadPoolExecutor(
            max_workers=options.max_concurrent_function_runs or 100
        )
    if resources and (resources.target_cpu_usage or resources.target_memory_usage):
        kwargs["tuner"] = WorkerTuner.create_resource_based(
            target_memory_usage=resources.target_memory_usage or 0.8,
            target_cpu_usage=resources.target_cpu_usage or 0.8,
        )
    else:
        if options.max_concurrent_workflow_runs:
            kwargs["max_concurrent_workflow_tasks"] = options.max_concurrent_workflow_runs
        if options.max_concurrent_function_runs:
            kwargs["max_concurrent_activities"] = options.max_concurrent_function_runs
    if options.rate_limit:
        kwargs["max_task_queue_activities_per_second"] = float(options.rate_limit)
    kwargs.update(worker_kwargs)
    try:
        return Worker(client, **kwargs)
    except (ValueError, TypeError) as exc:
        raise DefinitionError(str(exc)) from None


class _Signals:
    """The one SIGINT/SIGTERM handler of a loop, shared by every running service.

    Each ``run_until_signal`` registers its stop event; a signal sets them all, so
    services started together (``asyncio.gather`` of ``start_service`` calls) all stop on
    one Ctrl-C. A signal while stopping is reported, not raised as ``KeyboardInterrupt``.
    The handler is removed when the last service has stopped.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.stops: set[asyncio.Event] = set()
        self.installed: list[signal.Signals] = []
        self.received = 0

    def _handle(self) -> None:
        self.received += 1
        if self.received > 1:
            grace = policy.format_duration(policy.current().worker.graceful_shutdown)
            log.warning("already stopping: running steps may finish", grace=grace)
        for stop in self.stops:
            stop.set()

    def add(self, stop: asyncio.Event) -> None:
        if not self.stops:
            for sig in (signal.SIGINT, signal.SIGTERM):
                try:
                    self.loop.add_signal_handler(sig, self._handle)
                    self.installed.append(sig)
                except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
                    pass
        self.stops.add(stop)

    def remove(self, stop: asyncio.Event) -> None:
        self.stops.discard(stop)
        if not self.stops:
            for sig in self.installed:
                self.loop.remove_signal_handler(sig)
            self.installed.clear()
            self.received = 0
            _SIGNALS.pop(self.loop, None)


_SIGNALS: dict[asyncio.AbstractEventLoop, _Signals] = {}


async def run_until_signal(
    workers: Sequence[Worker],
) -> None:
    """Run workers until SIGINT or SIGTERM, then shut them down gracefully.

    Running steps get the workers' graceful-shutdown period to finish; workflows are
    durable and resume on the next worker that starts. Every call running in the process
    stops on the same signal.
    """
    loop = asyncio.get_running_loop()
    signals = _SIGNALS.setdefault(loop, _Signals(loop))
    stop = asyncio.Event()
    signals.add(stop)
    runs = [asyncio.create_task(w.run()) for w in workers]
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*runs, stopper], return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            grace = policy.format_duration(policy.current().worker.graceful_shutdown)
            log.info("stopping: running steps may finish", grace=grace)
    finally:
        stopper.cancel()
        await asyncio.gather(*(w.shutdown() for w in workers), return_exceptions=True)
        results = await asyncio.gather(*runs, return_exceptions=True)
        signals.remove(stop)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
