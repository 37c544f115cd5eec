"""Errors a step raises to tell Temporal whether to retry it (Restack's names), and
:class:`StepError`, what flowkit raises when a run's own data breaks a step."""

from __future__ import annotations

from typing import Any

from temporalio.exceptions import ApplicationError

from flowkit.errors import UsageError

__all__ = ["FunctionFailure", "NonRetryableError", "RetryableError", "StepError"]


class StepError(UsageError, ApplicationError):
    """A run's data broke a step: an expression failed on it, an input does not fit its
    model, a payload is too large, a time cannot be read.

    It is both a :class:`flowkit.errors.UsageError` (outside a workflow the CLI reports it
    and exits 2) and a non-retryable Temporal ``ApplicationError`` whose ``type`` is the
    class name. Raised in workflow code, it therefore fails the run at once (or the step,
    where the pipeline handles failures, as a saga does) instead of failing the workflow
    task, which Temporal retries until new code is deployed: the same data would fail
    the same way forever. Bugs in workflow code and nondeterminism are not StepErrors and
    keep Temporal's task-retry behaviour, so fixing and redeploying resumes the run.

    Attributes:
        step: the step that failed, when known (it leads the message).
        reason: the message without the step.
    """

    def __init__(self, message: str, *details: Any, step: str | None = None) -> None:
        self.step = step
        self.reason = message
        text = f"step {step}: {message}" if step else message
        ApplicationError.__init__(
            self, text, *details, type=type(self).__name__, non_retryable=True
        )

    def __str__(self) -> str:
        return self.message  # ApplicationError would prefix the type

    def at_step(self, step: str | None) -> StepError:
        """This error, naming ``step`` (itself when there is no step or it names one)."""
        if step is None or self.step is not None:
            return self
        copy = self.__class__.__new__(self.__class__)
        copy.__dict__.update(self.__dict__)
        StepError.__init__(copy, self.reason, *self.details, step=step)
        return copy


def _message(self: ApplicationError) -> str:
    """``str()`` of Restack's errors: the message alone (Temporal's leads with the type)."""
    return self.message


class NonRetryableError(ApplicationError):
    """Fail the step (or workflow) at once: no further attempts are made."""

    __str__ = _message

    def __init__(self, message: str, *details: Any, type: str | None = None) -> None:
        super().__init__(message, *details, type=type or "NonRetryableError", non_retryable=True)


class RetryableError(ApplicationError):
    """Fail this attempt; the step is retried per its retry policy."""

    __str__ = _message

    def __init__(self, message: str, *details: Any, type: str | None = None) -> None:
        super().__init__(message, *details, type=type or "RetryableError", non_retryable=False)


class FunctionFailure(ApplicationError):
    """Restack's removed ``FunctionFailure``, kept so older code still imports.

    ``FunctionFailure(message, non_retryable=True)`` behaves like
    :class:`NonRetryableError`.
    """

    __str__ = _message

    def __init__(self, message: str, *details: Any, non_retryable: bool = False) -> None:
        super().__init__(message, *details, type="FunctionFailure", non_retryable=non_retryable)
