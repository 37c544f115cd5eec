"""``log``: structured, replay-safe logging for workflows, agents and functions.

``log.info("charged card", amount=12)`` prints one structlog line carrying the workflow id
and run id (and inside a function, the function name and attempt). In a workflow a line
is not printed again when the workflow's history is replayed. The output format and level
come from the ``log`` settings (``console`` or ``json``); :func:`configure_logging` changes
them for the process.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

import structlog
from temporalio import activity, workflow

from flowkit._sdk._redact import Redactor

__all__ = ["Logger", "configure_logging", "log"]

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}


class _CurrentStderr:
    """``sys.stderr`` as it is at each write: it may be replaced after the logger is built
    (pytest's capture, a daemon's redirection)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _build(format: str, level: str, stream: TextIO | None, redactor: Redactor | None) -> Any:
    processors: list[Any] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if redactor is not None:  # before rendering: it sees each field with its name
        processors.append(redactor)
    if format == "json":
        processors += [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        processors.append(structlog.dev.ConsoleRenderer(colors=False))
    return structlog.wrap_logger(
        structlog.PrintLogger(file=stream or _CurrentStderr()),  # type: ignore[arg-type]
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level]),
        cache_logger_on_first_use=False,
    )


_logger: Any = None


def configure_logging(
    format: str | None = None, level: str | None = None, stream: TextIO | None = None
) -> None:
    """Set the format (``console``/``json``), level and stream of flowkit's ``log``.

    Unset arguments come from the ``log`` settings (:func:`flowkit.policy.current`); the
    default stream is whatever ``sys.stderr`` is when a line is written. Unless
    ``log.redact`` is off, secrets and personal data are masked (see ``_redact``), with
    the ``log.redact_keys`` and ``log.redact_allow`` field names.
    """
    global _logger
    from flowkit import policy

    settings = policy.current().log
    redactor = Redactor(settings.redact_keys, settings.redact_allow) if settings.redact else None
    _logger = _build(format or settings.format, level or settings.level, stream, redactor)


def _context() -> dict[str, Any]:
    if workflow.in_workflow():
        info = workflow.info()
        return {
            "workflow_type": info.workflow_type,
            "workflow_id": info.workflow_id,
            "run_id": info.run_id,
        }
    if activity.in_activity():
        a = activity.info()
        return {
            "function": a.activity_type,
            "attempt": a.attempt,
            "workflow_id": a.workflow_id,
            "run_id": a.workflow_run_id,
        }
    return {}


class Logger:
    """Restack's ``log``: ``debug/info/warning/error/critical/exception(message, **fields)``."""

    def _emit(self, level: str, message: str, fields: dict[str, Any]) -> None:
        if workflow.in_workflow():
            if workflow.unsafe.is_replaying_history_events():
                return
            # Printing is I/O the sandbox would refuse; a log line is not workflow state.
            with workflow.unsafe.sandbox_unrestricted():
                self._write(level, message, fields)
            return
        self._write(level, message, fields)

    def _write(self, level: str, message: str, fields: dict[str, Any]) -> None:
        if _logger is None:
            configure_logging()
        getattr(_logger, level)(message, **_context(), **fields)

    def debug(self, message: str, **fields: Any) -> None:
        """Log at debug level."""
        self._emit("debug", message, fields)

    def info(self, message: str, **fields: Any) -> None:
        """Log at info level."""
        self._emit("info", message, fields)

    def warning(self, message: str, **fields: Any) -> None:
        """Log at warning level."""
        self._emit("warning", message, fields)

    warn = warning

    def error(self, message: str, **fields: Any) -> None:
        """Log at error level."""
        self._emit("error", message, fields)

    def critical(self, message: str, **fields: Any) -> None:
        """Log at critical level."""
        self._emit("critical", message, fields)

    def exception(self, message: str, **fields: Any) -> None:
        """Log at error level with the current exception's traceback."""
        self._emit("error", message, {**fields, "exc_info": sys.exc_info()[0] is not None})


log = Logger()
