"""Following a run to its end without waiting silently on one that makes no progress.

:func:`follow_run` is what ``flowkit run --wait`` and ``history --follow`` print: the
run's step events as they happen, interleaved with what :func:`diagnose` finds when the
run stops progressing. :func:`wait_for_result` is ``handle.result()`` that gives up with
:class:`flowkit.errors.RunStuck` instead of waiting forever.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from typing import Any

import temporalio.client

from flowkit.errors import RunStuck
from flowkit.steps._progress import UNSERVED_AFTER, TaskFailure, Unserved, diagnose
from flowkit.steps._runs import StepEvent, step_events

__all__ = ["follow_run", "wait_for_result"]

CHECK_EVERY = 1.0  # seconds without news before looking at why a run is quiet
_MOST_PATIENT = 30.0  # a run that waits on a timer or a person is looked at less often
_END = object()


def _key(found: TaskFailure | Unserved) -> tuple[Any, ...]:
    # The same trouble is told once, however its attempt count or wait grows.
    if isinstance(found, TaskFailure):
        return ("task", found.message)
    return ("unserved", found.task_queue, tuple(found.pollers or ()))


async def follow_run(
    client: temporalio.client.Client,
    workflow_id: str,
    *,
    check_every: float = CHECK_EVERY,
    unserved_after: float = UNSERVED_AFTER,
) -> AsyncIterator[StepEvent | TaskFailure | Unserved]:
    """The run's step events until it closes, and each new reason it makes no progress.

    A :class:`TaskFailure` or :class:`Unserved` is yielded once when it is found (and
    again only if it changes); the events go on if the run recovers, for example when a
    fixed worker starts.
    """
    queue: asyncio.Queue[Any] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    news = [loop.time()]  # when the last event arrived

    async def events() -> None:
        try:
            async for event in step_events(client, workflow_id, follow=True):
                news[0] = loop.time()
                await queue.put(event)
            await queue.put(_END)
        except Exception as exc:  # reported where the caller iterates
            await queue.put(exc)

    async def watch() -> None:
        told: tuple[Any, ...] | None = None
        pause = check_every
        while True:
            await asyncio.sleep(pause)
            if loop.time() - news[0] < check_every:
                pause = check_every  # it progresses: nothing to diagnose
                continue
            found = await diagnose(client, workflow_id, unserved_after=unserved_after)
            key = None if found is None else _key(found)
            if found is not None and key != told:
                await queue.put(found)
            told = key
            # Quiet but fine (a timer, a person): look again less and less often.
            pause = check_every if found is not None else min(pause * 2, _MOST_PATIENT)

    tasks = [asyncio.create_task(events()), asyncio.create_task(watch())]
    try:
        while True:
            item = await queue.get()
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def wait_for_result(
    handle: temporalio.client.WorkflowHandle[Any, Any],
    *,
    check_every: float = CHECK_EVERY,
    unserved_after: float | None = UNSERVED_AFTER,
) -> Any:
    """The run's result, as ``handle.result()`` gives it (following continue-as-new).

    The handle's own ``result()`` is awaited, so a test environment's handle keeps its
    behaviour (the time-skipping server skips time while its result is awaited).

    Args:
        unserved_after: seconds without a worker before giving up; ``None`` waits for a
            worker however long it takes (only a failing workflow task gives up then).

    Raises:
        RunStuck: the run's workflow task keeps failing, or no worker takes it.
        temporalio.client.WorkflowFailureError: the run failed.
    """
    client = handle._client  # temporalio's handle has no public accessor
    workflow_id, run_id = handle.id, handle.run_id
    waiter = asyncio.ensure_future(handle.result())
    patience = math.inf if unserved_after is None else unserved_after
    try:
        while True:
            done, _ = await asyncio.wait({waiter}, timeout=check_every)
            if waiter in done:
                return waiter.result()
            found = await diagnose(client, workflow_id, run_id=run_id, unserved_after=patience)
            if found is not None:
                raise RunStuck(workflow_id, found.explain())
    finally:
        waiter.cancel()
