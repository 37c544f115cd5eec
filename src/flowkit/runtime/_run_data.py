"""What the run operations return: plain records, each with a JSON-ready ``to_json()``.

The step-level readers' own records (:class:`flowkit.steps.RunStatus`,
:class:`flowkit.steps.StepEvent`, :class:`flowkit.steps.TaskFailure`,
:class:`flowkit.steps.Unserved`) are returned as they are; these are the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flowkit.steps import StepEvent, TaskFailure, Unserved

__all__ = [
    "RUN_STATUSES",
    "Cancelled",
    "History",
    "RunResult",
    "RunSummary",
    "Sent",
    "Started",
    "status_name",
]

#: A run's status as flowkit names it (Temporal's ``WorkflowExecutionStatus``, lowercased).
RUN_STATUSES = ("running", "completed", "failed", "canceled", "terminated", "timed_out")


def status_name(status: Any) -> str:
    """``WorkflowExecutionStatus.TIMED_OUT`` -> ``timed_out``."""
    return str(getattr(status, "name", status) or "unknown").lower()


@dataclass(frozen=True)
class Started:
    """A run that :func:`flowkit.runtime.start_run` started, or found already running.

    Attributes:
        id: the workflow id.
        run_id: the run's id.
        workflow: the workflow type (a pipeline file's is the workflow it compiles to).
        existing: True when a run with this id was open already, so no second run started.
    """

    id: str
    run_id: str
    workflow: str
    existing: bool

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "run_id": self.run_id,
            "workflow": self.workflow,
            "existing": self.existing,
        }


@dataclass(frozen=True)
class RunSummary:
    """One run as :func:`flowkit.runtime.list_runs` lists it."""

    id: str
    run_id: str
    workflow: str
    status: str
    started: datetime | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "run_id": self.run_id,
            "workflow": self.workflow,
            "status": self.status,
            "started": self.started.isoformat() if self.started else None,
        }


@dataclass(frozen=True)
class History:
    """A run's step-level account, and why it makes no progress if it is stuck.

    Attributes:
        id: the workflow id.
        events: the steps' events, in order.
        stuck: for an open run that makes no progress, why; else ``None``.
    """

    id: str
    events: list[StepEvent] = field(default_factory=list)
    stuck: TaskFailure | Unserved | None = None

    def to_json(self) -> list[dict[str, Any]]:
        """The events' dicts, then ``{"stuck": ...}`` when the run is stuck."""
        records = [event.to_json() for event in self.events]
        if self.stuck is not None:
            records.append({"stuck": self.stuck.to_json()})
        return records


@dataclass(frozen=True)
class Sent:
    """A submission or decision the run accepted.

    Attributes:
        id: the workflow id.
        step: the form or approval step.
        update: ``submit``, ``approve`` or ``reject``.
        by: who decided (decisions only; ``None`` when nobody could be named).
        answer: what the run answered, as its update returned it.
    """

    id: str
    step: str
    update: str
    by: str | None
    answer: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "step": self.step,
            "update": self.update,
            "by": self.by,
            "answer": self.answer,
        }


@dataclass(frozen=True)
class Cancelled:
    """A cancellation the server accepted; the run may clean up before it ends."""

    id: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "cancel_requested": True}


@dataclass(frozen=True)
class RunResult:
    """How a run ended: its result when it completed, else its status and why.

    Attributes:
        id: the workflow id.
        status: ``completed``, or how it ended otherwise (``failed``, ``canceled``,
            ``terminated``, ``timed_out``).
        value: the run's result (when completed).
        error: the failure's root cause, as one line (when not completed).
    """

    id: str
    status: str
    value: Any = None
    error: str = ""

    @property
    def completed(self) -> bool:
        """True when the run completed with a result."""
        return self.status == "completed"

    def to_json(self) -> dict[str, Any]:
        """``id`` and ``status``, then ``result`` (completed) or ``error`` (not)."""
        if self.completed:
            return {"id": self.id, "status": self.status, "result": self.value}
        return {"id": self.id, "status": self.status, "error": self.error}
