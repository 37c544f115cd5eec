"""Workflows and functions the step tests run on the time-skipping server.

They live in their own module because Temporal's sandbox re-imports a workflow's module
on every run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flowkit.function import NonRetryableError, function
from flowkit.steps import (
    DagStep,
    Form,
    FormField,
    HumanSteps,
    Saga,
    approval,
    form,
    run_dag,
    sleep,
    wait_until,
)
from flowkit.workflow import RetryPolicy, temporal_workflow, workflow

# -- functions ---------------------------------------------------------------------------

UNDONE: list[str] = []  # compensations that ran, in order (the worker runs in-process)


@function.defn
async def act(spec: dict[str, Any]) -> str:
    """Does ``spec['name']``; fails for good when ``spec['fail']`` is set."""
    if spec.get("fail"):
        raise NonRetryableError(f"{spec['name']} is not possible", type="Unavailable")
    return f"{spec['name']}:done"


@function.defn
async def undo(name: str) -> str:
    UNDONE.append(name)
    return f"undid {name}"


@function.defn
async def undo_broken(name: str) -> str:
    raise NonRetryableError(f"cannot undo {name}")


SIGNUP = Form(
    fields=(
        FormField(key="name"),
        FormField(key="email", type="email"),
        FormField(key="age", type="int", required=False),
        FormField(key="code", pattern=r"[A-Z]{3}-\d{2}"),
    )
)


@workflow.defn()
class SignupWorkflow(HumanSteps):
    """A form, then an approval with an allow-list and a timeout."""

    @workflow.run
    async def run(self, timeout_hours: float = 0) -> dict[str, Any]:
        data = await form("details", SIGNUP)
        verdict = await approval(
            "review",
            approvers=["alice", "carol"],
            timeout=timedelta(hours=timeout_hours) if timeout_hours else None,
        )
        return {"data": data, "verdict": verdict.model_dump(mode="json")}


@workflow.defn()
class TimersWorkflow:
    @workflow.run
    async def run(self) -> list[float]:
        start = temporal_workflow.now()
        await sleep("2d")
        after_sleep = (temporal_workflow.now() - start).total_seconds()
        waited = await wait_until(start + timedelta(days=3))
        past = await wait_until("2000-01-01T00:00:00Z")
        return [after_sleep, waited.total_seconds(), past.total_seconds()]


FAST = RetryPolicy(maximum_attempts=2, initial_interval=timedelta(seconds=1))


@workflow.defn()
class SagaWorkflow:
    """Three steps, each with a compensation; the step named in ``fail`` fails."""

    @workflow.run
    async def run(self, fail: str) -> list[str]:
        done = []
        async with Saga(retry_policy=FAST) as saga:
            for name in ("flight", "hotel", "car"):
                done.append(
                    await workflow.step(
                        function=act, function_input={"name": name, "fail": name == fail}
                    )
                )
                saga.add(undo_broken if name == "flight" and fail == "broken" else undo, name)
            if fail == "broken":
                raise NonRetryableError("late failure")
            if fail == "cancel":
                await temporal_workflow.wait_condition(lambda: False)  # until cancelled
        return done


@workflow.defn()
class DagWorkflow:
    """A DAG of timed steps; records when each started, in virtual seconds."""

    @workflow.run
    async def run(self, options: dict[str, Any]) -> dict[str, Any]:
        start = temporal_workflow.now()
        started: dict[str, float] = {}
        failing = set(options.get("fail", []))

        def make(name: str, seconds: float) -> Any:
            async def call(inputs: Any) -> str:
                started[name] = (temporal_workflow.now() - start).total_seconds()
                await temporal_workflow.sleep(seconds)
                return (
                    str(
                        await workflow.step(
                            function=act, function_input={"name": name, "fail": name in failing}
                        )
                    )
                    + "<"
                    + ",".join(sorted(inputs))
                )

            return call

        graph = [
            ("a", 10, ()),
            ("b", 10, ()),
            ("c", 10, ("a", "b")),
            ("d", 10, ("c",)),
            ("e", 10, ("d",)),
            ("f", 30, ()),
        ]
        result = await run_dag(
            [DagStep(n, make(n, t), needs) for n, t, needs in graph],
            max_parallel=options.get("max_parallel"),
            fail_fast=bool(options.get("fail_fast")),
        )
        return {
            "status": result.status,
            "results": result.results,
            "errors": result.errors,
            "started": started,
            "order": result.started,
        }


@workflow.defn()
class OneStepWorkflow:
    """Runs one built-in function step with a quick retry policy (up to 6 attempts)."""

    @workflow.run
    async def run(self, call: dict[str, Any]) -> Any:
        return await workflow.step(
            function=str(call["function"]),
            function_input=call["input"],
            retry_policy=RetryPolicy(maximum_attempts=6, initial_interval=timedelta(seconds=1)),
            start_to_close_timeout=timedelta(seconds=10),
        )


@workflow.defn()
class ConditionalWorkflow:
    """Decides with ``when`` inside the sandbox, on the run's input."""

    @workflow.run
    async def run(self, context: dict[str, Any]) -> dict[str, Any]:
        from flowkit.steps import Expression, ExpressionError, when

        decided = {
            "big": when("len(order['items']) > 2 or order['total'] >= 100", context),
            "vip": when("'vip' in user['tags']", context),
        }
        try:
            Expression.parse("user.__class__")
        except ExpressionError as exc:
            decided["refused"] = exc.part
        return decided
