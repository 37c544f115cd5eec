"""``needs:`` DAGs inside a workflow: independent steps run concurrently.

Each step is an async callable that receives the results of the steps it needs::

    result = await run_dag(
        [
            DagStep("plan", lambda _: workflow.step(function=plan, function_input=spec)),
            DagStep("search_web", search_web_step, needs=("plan",)),
            DagStep("search_code", search_code_step, needs=("plan",)),
            DagStep("write", write_step, needs=("search_web", "search_code")),
        ],
        max_parallel=2,
    )
    result.raise_for_failures()

A failed step fails the steps that need it (status ``skipped``), directly or not; the
others go on unless ``fail_fast``, which cancels the running steps and skips the rest.
Scheduling uses Temporal's deterministic ``workflow.wait``, so replays decide the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from temporalio import workflow as temporal_workflow
from temporalio.exceptions import ApplicationError

from flowkit.errors import DagError
from flowkit.steps._saga import describe_error

__all__ = ["DagError", "DagResult", "DagStep", "StepStatus", "check_dag", "run_dag"]

StepStatus = Literal["completed", "failed", "skipped", "cancelled"]


@dataclass(frozen=True)
class DagStep:
    """One step of a DAG.

    Attributes:
        name: unique among the steps.
        run: called with ``{need: result}`` of the steps it needs; its result is kept.
        needs: names of the steps that must complete first.
    """

    name: str
    run: Callable[[Mapping[str, Any]], Awaitable[Any]]
    needs: tuple[str, ...] = ()


@dataclass
class DagResult:
    """What a DAG run did.

    Attributes:
        results: the result of every completed step.
        status: every step's status (``completed``, ``failed``, ``skipped``, ``cancelled``).
        errors: why each step that did not complete did not.
        started: step names in the order they started.
    """

    results: dict[str, Any] = field(default_factory=dict)
    status: dict[str, StepStatus] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every step completed."""
        return all(s == "completed" for s in self.status.values())

    def raise_for_failures(self) -> None:
        """Fail the run (ApplicationError type ``DagFailed``) unless every step completed."""
        if not self.ok:
            failed = [n for n, s in self.status.items() if s == "failed"]
            raise ApplicationError(
                f"steps failed: {', '.join(failed) or 'none'}; "
                + "; ".join(f"{n}: {e}" for n, e in self.errors.items()),
                {"status": self.status, "errors": self.errors},
                type="DagFailed",
                non_retryable=True,
            )


def check_dag(steps: Sequence[DagStep]) -> list[str]:
    """Check the steps form a DAG and return the names in a topological order.

    Raises:
        DagError: with every problem found.
    """
    problems: list[str] = []
    names = [s.name for s in steps]
    problems += [
        f"step {n!r} is defined twice" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    known = set(names)
    for s in steps:
        problems += [
            f"step {s.name!r} needs {n!r}, which is not a step" for n in s.needs if n not in known
        ]
    if problems:
        raise DagError("; ".join(problems))
    order: list[str] = []
    remaining = {s.name: set(s.needs) for s in steps}
    while remaining:
        ready = [n for n in names if n in remaining and not remaining[n] - set(order)]
        if not ready:
            raise DagError(f"the needs form a cycle among: {', '.join(sorted(remaining))}")
        for n in ready:
            order.append(n)
            del remaining[n]
    return order


async def run_dag(
    steps: Sequence[DagStep], *, max_parallel: int | None = None, fail_fast: bool = False
) -> DagResult:
    """Run the steps, each once all it needs completed, at most ``max_parallel`` at a time.

    Args:
        steps: the steps; ties are broken by their order here.
        max_parallel: how many run at once; default no limit.
        fail_fast: on the first failure, cancel the running steps and skip the rest.

    Raises:
        DagError: the steps do not form a DAG (checked before anything runs).
    """
    check_dag(steps)
    if max_parallel is not None and max_parallel < 1:
        raise DagError(f"max_parallel must be at least 1, got {max_parallel}")
    result = DagResult()
    index = {s.name: i for i, s in enumerate(steps)}
    pending = list(steps)
    running: dict[asyncio.Task[Any], str] = {}
    while pending or running:
        for step in list(pending):
            broken = [n for n in step.needs if result.status.get(n) in ("failed", "skipped")]
            if broken or (fail_fast and not result.ok):
                pending.remove(step)
                result.status[step.name] = "skipped"
                reason = f"needs {broken[0]}, which did not complete" if broken else "fail_fast"
                result.errors[step.name] = reason
        ready = [s for s in pending if all(result.status.get(n) == "completed" for n in s.needs)]
        for step in ready:
            if max_parallel is not None and len(running) >= max_parallel:
                break
            pending.remove(step)
            inputs = {n: result.results[n] for n in step.needs}
            running[asyncio.ensure_future(step.run(inputs))] = step.name
            result.started.append(step.name)
        if not running:
            break
        done, _ = await temporal_workflow.wait(list(running), return_when=asyncio.FIRST_COMPLETED)
        for task in sorted(done, key=lambda t: index[running[t]]):
            _record(result, running.pop(task), task)
        if fail_fast and not result.ok and running:
            for task in running:
                task.cancel()
            await temporal_workflow.wait(list(running))
            for task, name in sorted(running.items(), key=lambda item: index[item[1]]):
                _record(result, name, task)
                if result.status[name] == "cancelled":
                    result.errors[name] = "cancelled by fail_fast"
            running.clear()
    return result


def _record(result: DagResult, name: str, task: asyncio.Task[Any]) -> None:
    if task.cancelled():
        result.status[name] = "cancelled"
        result.errors[name] = "cancelled"
        return
    error = task.exception()
    if error is None:
        result.status[name] = "completed"
        result.results[name] = task.result()
    elif isinstance(error, Exception):
        result.status[name] = "failed"
        result.errors[name] = describe_error(error)
    else:  # pragma: no cover - a BaseException (continue-as-new, cancellation) propagates
        raise error
