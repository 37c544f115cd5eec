"""Workflows whose runs used to hang on a user's first mistake (see test_runs_end.py).

They live in their own module because Temporal's sandbox re-imports a workflow's module
on every run.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from flowkit.agent import agent
from flowkit.function import function
from flowkit.steps import Form, FormField, HumanSteps, evaluate, form, when
from flowkit.workflow import workflow


class Order(BaseModel):
    priority: int
    sku: str = "A1"


@workflow.defn()
class OrderWorkflow:
    """Takes a typed input: an input that does not fit ``Order`` must fail the run."""

    @workflow.run
    async def run(self, order: Order) -> int:
        return order.priority * 2


@workflow.defn()
class Decide:
    """Decides with an expression over its input, as a compiled ``when:`` does."""

    @workflow.run
    async def run(self, request: dict[str, Any]) -> Any:
        return evaluate(request["expression"], {"input": request["input"]}, step="decide")


@workflow.defn()
class FormThenDecide(HumanSteps):
    """Waits for a form, then decides on it: an optional field left out must not hang."""

    @workflow.run
    async def run(self) -> bool:
        spec = Form.of("title", FormField(key="channel", required=False))
        details = await form("details", spec)
        return when("details['channel'] == 'beta'", {"details": details}, step="ship")


@workflow.defn()
class Buggy:
    """A genuine bug in workflow code: Temporal retries the task until a fix is deployed."""

    @workflow.run
    async def run(self) -> None:
        raise ValueError("a bug in workflow code")


class Note(BaseModel):
    text: str


@agent.defn()
class Inbox:
    """Takes notes as events until told to end."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.ended = False

    @agent.event
    async def add(self, note: Note) -> int:
        self.notes.append(note.text)
        return len(self.notes)

    @agent.event
    async def end(self) -> list[str]:
        self.ended = True
        return self.notes

    @agent.run
    async def run(self) -> list[str]:
        await agent.condition(lambda: self.ended)
        return self.notes


@function.defn()
async def big_result(size: int) -> str:
    return "x" * size


@workflow.defn()
class MakesBigResult:
    """Calls a step whose result is larger than the payload limit."""

    @workflow.run
    async def run(self, size: int) -> int:
        text: str = await workflow.step(function=big_result, function_input=size)
        return len(text)


@function.defn()
async def linger(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


@workflow.defn()
class FailsWhileAStepRuns:
    """Fails while one of its steps is still running."""

    @workflow.run
    async def run(self) -> None:
        from datetime import timedelta

        from flowkit.workflow import NonRetryableError, temporal_workflow

        temporal_workflow.start_activity(linger, 3.0, start_to_close_timeout=timedelta(minutes=1))
        await temporal_workflow.sleep(0.5)
        raise NonRetryableError("gave up while linger still ran")


@workflow.defn()
class Sleeper:
    """Sleeps for days: on the time-skipping server that takes milliseconds."""

    @workflow.run
    async def run(self, days: int) -> int:
        from datetime import timedelta

        await workflow.sleep(timedelta(days=days))
        return days
