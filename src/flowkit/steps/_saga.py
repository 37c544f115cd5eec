"""Sagas: undo the completed steps, in reverse order, when a later step fails.

After each step that did something to undo, register its compensation; when a later step
fails, the compensations run newest first, each as a step with the retry policy, and the
run ends failed with a report of which ran::

    async with Saga() as saga:
        flight = await workflow.step(function=book_flight, function_input=trip)
        saga.add(cancel_flight, flight)
        hotel = await workflow.step(function=book_hotel, function_input=trip)
        saga.add(cancel_hotel, hotel)
        await workflow.step(function=book_car, function_input=trip)  # fails
    # -> cancel_hotel, then cancel_flight; the run fails with type SagaCompensated

If the run is cancelled inside the block, the compensations run too and the run ends
cancelled. Without ``async with``: ``report = await saga.compensate(error)``, then decide.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Any

from pydantic import BaseModel, Field
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError, FailureError

from flowkit.workflow import workflow

__all__ = ["CompensationReport", "Saga", "SagaFailed", "describe_error"]


class CompensationReport(BaseModel):
    """What a saga undid.

    Attributes:
        error: the failure that started the compensation.
        compensated: the compensations that completed, in the order they ran.
        failed: compensations that failed even after their retries (name and error).
    """

    error: str
    compensated: list[str] = Field(default_factory=list)
    failed: list[dict[str, str]] = Field(default_factory=list)


class SagaFailed(ApplicationError):
    """Ends the run failed after compensating; its detail is the report."""

    def __init__(self, report: CompensationReport) -> None:
        undone = ", ".join(report.compensated) or "nothing"
        message = f"{report.error}; compensated: {undone}"
        if report.failed:
            message += f"; compensation failed: {', '.join(f['name'] for f in report.failed)}"
        super().__init__(message, report.model_dump(), type="SagaCompensated", non_retryable=True)
        self.report = report


def describe_error(error: BaseException | str | None) -> str:
    """A one-line account of a step's failure (the root cause's message, not the wrapper)."""
    if error is None or isinstance(error, str):
        return error or "a step failed"
    cause: BaseException = error
    while isinstance(cause, ActivityError | ChildWorkflowError) and cause.cause is not None:
        cause = cause.cause
    text = cause.message if isinstance(cause, FailureError) else str(cause)
    text = text or type(cause).__name__
    if isinstance(error, ActivityError):
        return f"step {error.activity_type} failed: {text}"
    return text


@dataclass(frozen=True)
class _Compensation:
    name: str
    action: Callable[..., Any] | str
    input: Any


def _name(action: Callable[..., Any] | str) -> str:
    if isinstance(action, str):
        return action
    definition = getattr(action, "__temporal_activity_definition", None)
    return str(definition.name) if definition else getattr(action, "__name__", repr(action))


class Saga:
    """Compensations registered step by step, run newest first on failure.

    Args:
        retry_policy: for each compensation step; default flowkit's default retry.
        start_to_close_timeout: for each compensation step; default the step default.
    """

    def __init__(
        self,
        *,
        retry_policy: RetryPolicy | None = None,
        start_to_close_timeout: timedelta | None = None,
    ) -> None:
        self.retry_policy = retry_policy
        self.start_to_close_timeout = start_to_close_timeout
        self._stack: list[_Compensation] = []

    def add(
        self, compensation: Callable[..., Any] | str, input: Any = None, *, name: str | None = None
    ) -> None:
        """Register what undoes the step that just completed.

        Args:
            compensation: a ``@function.defn`` function (or its name), run as a step; or
                an ``async def`` of the workflow, awaited with ``input``.
            input: its one argument (``None`` passes none).
            name: shown in the report and the Web UI; default the function's name.
        """
        self._stack.append(_Compensation(name or _name(compensation), compensation, input))

    @property
    def pending(self) -> list[str]:
        """The registered compensations, in the order they would run."""
        return [c.name for c in reversed(self._stack)]

    async def compensate(self, error: BaseException | str | None = None) -> CompensationReport:
        """Run every registered compensation, newest first, and report which ran.

        A compensation that still fails after its retries is reported and the others run
        anyway. The saga is empty afterwards.
        """
        report = CompensationReport(error=describe_error(error))
        while self._stack:
            item = self._stack.pop()
            try:
                await self._run(item)
            except Exception as exc:
                report.failed.append({"name": item.name, "error": describe_error(exc)})
            else:
                report.compensated.append(item.name)
        return report

    async def _run(self, item: _Compensation) -> None:
        action = item.action
        is_function = isinstance(action, str) or hasattr(action, "__temporal_activity_definition")
        if not is_function and inspect.iscoroutinefunction(action):
            await (action() if item.input is None else action(item.input))
            return
        await workflow.step(
            function=action,
            function_input=item.input,
            retry_policy=self.retry_policy,
            start_to_close_timeout=self.start_to_close_timeout,
            summary=f"compensate: {item.name}",
        )

    async def __aenter__(self) -> Saga:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, asyncio.CancelledError):
            # The run was cancelled: undo, then let it end cancelled. Temporal delivers a
            # cancellation once, so the compensation steps themselves still run.
            await self.compensate("the run was cancelled")
            return
        if exc is None or not isinstance(exc, Exception):
            return  # success, or continue-as-new: nothing to undo
        report = await self.compensate(exc)
        raise SagaFailed(report) from exc
