"""Errors a step raises to tell Temporal whether to retry it (Restack's names)."""

from __future__ import annotations

from typing import Any

from temporalio.exceptions import ApplicationError

__all__ = ["FunctionFailure", "NonRetryableError", "RetryableError"]


class NonRetryableError(ApplicationError):
    """Fail the step (or workflow) at once: no further attempts are made."""

    def __init__(self, message: str, *details: Any, type: str | None = None) -> None:
        super().__init__(message, *details, type=type or "NonRetryableError", non_retryable=True)


class RetryableError(ApplicationError):
    """Fail this attempt; the step is retried per its retry policy."""

    def __init__(self, message: str, *details: Any, type: str | None = None) -> None:
        super().__init__(message, *details, type=type or "RetryableError", non_retryable=False)


class FunctionFailure(ApplicationError):
    """Restack's removed ``FunctionFailure``, kept so older code still imports.

    ``FunctionFailure(message, non_retryable=True)`` behaves like
    :class:`NonRetryableError`.
    """

    def __init__(self, message: str, *details: Any, non_retryable: bool = False) -> None:
        super().__init__(message, *details, type="FunctionFailure", non_retryable=non_retryable)
