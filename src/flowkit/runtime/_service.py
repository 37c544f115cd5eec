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


async def run_until_signal(
    workers: Sequence[Worker],
) -> None:
    """Run workers until SIGINT or SIGTERM, then shut them down gracefully.

    Running steps get the workers' graceful-shutdown period to finish; workflows are
    durable and resume on the next worker that starts.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            pass
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
        for sig in installed:
            loop.remove_signal_handler(sig)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
