"""Steps that wait for people: forms (validated input) and approvals. (About 300 lines:
the updates, their validators and the two waits share one per-run inbox.)

A workflow that waits for people inherits :class:`HumanSteps`, which gives it three
Temporal updates — ``submit``, ``approve`` and ``reject`` — and a ``waiting_on`` query.
Each update's validator rejects a bad request back to its sender with every reason; a
rejected update is not recorded and the run keeps waiting::

    @workflow.defn()
    class Signup(HumanSteps):
        @workflow.run
        async def run(self) -> dict[str, Any]:
            data = await form("details", Form.of("name", FormField(key="age", type="int")))
            verdict = await approval("review", approvers=["alice"], timeout=timedelta(days=2))
            verdict.require()  # a rejection ends the run failed, type ApprovalRejected
            return data
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import workflow as temporal_workflow
from temporalio.exceptions import ApplicationError

from flowkit import policy
from flowkit.errors import UsageError
from flowkit.steps._fields import Form, FormField, validate_submission

__all__ = [
    "ApprovalResult",
    "Decision",
    "HumanSteps",
    "Submission",
    "Waiting",
    "approval",
    "form",
]


class Submission(BaseModel):
    """The input of the ``submit`` update: the values of one form step."""

    step: str
    data: dict[str, Any] = Field(default_factory=dict)
    by: str | None = None


class Decision(BaseModel):
    """The input of the ``approve`` and ``reject`` updates."""

    step: str
    by: str | None = None
    comment: str | None = None


class Waiting(BaseModel):
    """A step the run waits on, as the ``waiting_on`` query reports it."""

    step: str
    kind: Literal["form", "approval"]
    since: datetime
    deadline: datetime | None = None
    fields: list[FormField] = Field(default_factory=list)
    approvers: list[str] = Field(default_factory=list)
    title: str | None = None


class ApprovalResult(BaseModel):
    """What happened to an approval step.

    Attributes:
        outcome: ``approved``, ``rejected`` or ``timed_out``.
        by: who decided (``None`` on a timeout, or when no one was named).
    """

    step: str
    outcome: Literal["approved", "rejected", "timed_out"]
    by: str | None = None
    comment: str | None = None
    at: datetime

    @property
    def approved(self) -> bool:
        """True when the step was approved."""
        return self.outcome == "approved"

    def require(self) -> None:
        """Fail the run unless approved (ApplicationError type ``ApprovalRejected`` or
        ``ApprovalTimedOut``, with this result as its detail)."""
        if not self.approved:
            kind = "ApprovalRejected" if self.outcome == "rejected" else "ApprovalTimedOut"
            who = f" by {self.by}" if self.by else ""
            raise ApplicationError(
                f"step {self.step!r} was {self.outcome.replace('_', ' ')}{who}",
                self.model_dump(mode="json"),
                type=kind,
                non_retryable=True,
            )


class _Inbox:
    """Per-run state of the people steps (kept on the workflow instance)."""

    def __init__(self) -> None:
        self.waiting: dict[str, Waiting] = {}
        self.forms: dict[str, Form] = {}
        self.submitted: dict[str, dict[str, Any]] = {}
        self.decisions: dict[str, ApprovalResult] = {}


def _inbox(instance: object) -> _Inbox:
    # A mixin cannot count on its __init__ being called, so the state is made on first use.
    inbox = instance.__dict__.get("_flowkit_inbox")
    if inbox is None:
        inbox = instance.__dict__["_flowkit_inbox"] = _Inbox()
    assert isinstance(inbox, _Inbox)
    return inbox


def _rejected(message: str, reasons: list[str], kind: str) -> ApplicationError:
    return ApplicationError(message, {"reasons": reasons}, type=kind, non_retryable=True)


def _expect(inbox: _Inbox, step: str, kind: str) -> Waiting:
    waiting = inbox.waiting.get(step)
    if waiting is None or waiting.kind != kind:
        now = ", ".join(f"{w.kind} {w.step!r}" for w in inbox.waiting.values()) or "nothing"
        reason = f"the run is not waiting on {kind} step {step!r} (it waits on {now})"
        raise _rejected(reason, [reason], "NotWaiting")
    return waiting


class HumanSteps:
    """Mixin for workflows with form and approval steps (see the module docstring)."""

    @temporal_workflow.update(name="submit", description="Submit the input of a form step")
    def submit(self, submission: Submission) -> dict[str, Any]:
        """Accept a valid submission: the waiting form step returns its values."""
        inbox = _inbox(self)
        values, _ = validate_submission(inbox.forms[submission.step], submission.data)
        inbox.submitted[submission.step] = values
        return {"step": submission.step, "accepted": True, "values": values}

    @submit.validator
    def _validate_submit(self, submission: Submission) -> None:
        inbox = _inbox(self)
        _expect(inbox, submission.step, "form")
        _, reasons = validate_submission(inbox.forms[submission.step], submission.data)
        if reasons:
            count = f"{len(reasons)} problem{'s' if len(reasons) > 1 else ''}"
            message = f"invalid input for step {submission.step!r} ({count}): " + "; ".join(reasons)
            raise _rejected(message, reasons, "InvalidSubmission")

    @temporal_workflow.update(name="approve", description="Approve an approval step")
    def approve(self, decision: Decision) -> dict[str, Any]:
        """Approve the waiting approval step."""
        return _decide(self, decision, "approved")

    @approve.validator
    def _validate_approve(self, decision: Decision) -> None:
        _check_decision(self, decision)

    @temporal_workflow.update(name="reject", description="Reject an approval step")
    def reject(self, decision: Decision) -> dict[str, Any]:
        """Reject the waiting approval step."""
        return _decide(self, decision, "rejected")

    @reject.validator
    def _validate_reject(self, decision: Decision) -> None:
        _check_decision(self, decision)

    @temporal_workflow.query(name="waiting_on", description="The steps the run waits on")
    def waiting_on(self) -> list[Waiting]:
        """The form and approval steps this run waits on now."""
        return list(_inbox(self).waiting.values())


def _check_decision(instance: object, decision: Decision) -> None:
    waiting = _expect(_inbox(instance), decision.step, "approval")
    if waiting.approvers and decision.by not in waiting.approvers:
        who = repr(decision.by) if decision.by else "someone unnamed"
        reason = (
            f"{who} may not decide step {decision.step!r}; "
            f"approvers: {', '.join(waiting.approvers)}"
        )
        raise _rejected(reason, [reason], "NotAnApprover")


def _decide(instance: object, decision: Decision, outcome: str) -> dict[str, Any]:
    result = ApprovalResult(
        step=decision.step,
        outcome=outcome,  # type: ignore[arg-type]
        by=decision.by,
        comment=decision.comment,
        at=temporal_workflow.now(),
    )
    _inbox(instance).decisions[decision.step] = result
    return result.model_dump(mode="json")


def _describe(inbox: _Inbox) -> None:
    lines = []
    for w in inbox.waiting.values():
        if w.kind == "form":
            keys = ", ".join(f.key + ("" if f.required else "?") for f in w.fields)
            lines.append(f"waiting on form **{w.step}**: {keys}")
        else:
            who = f" from {', '.join(w.approvers)}" if w.approvers else ""
            lines.append(f"waiting on approval **{w.step}**{who}")
    temporal_workflow.set_current_details("\n".join(lines))


def _instance_inbox(step: str) -> _Inbox:
    instance = temporal_workflow.instance()
    if not isinstance(instance, HumanSteps):
        raise UsageError(
            f"step {step!r}: a workflow with form or approval steps must inherit "
            "flowkit.steps.HumanSteps"
        )
    return _inbox(instance)


async def _wait(inbox: _Inbox, waiting: Waiting, done: Any, timeout: timedelta | None) -> bool:
    if waiting.step in inbox.waiting:
        raise UsageError(f"step {waiting.step!r} is already waiting; step names must be unique")
    inbox.waiting[waiting.step] = waiting
    _describe(inbox)
    try:
        await temporal_workflow.wait_condition(
            done, timeout=timeout, timeout_summary=f"{waiting.step} timeout"
        )
        return True
    except TimeoutError:
        return False
    finally:
        del inbox.waiting[waiting.step]
        _describe(inbox)


def _deadline(timeout: timedelta | str | None) -> tuple[timedelta | None, datetime | None]:
    if timeout is None:
        return None, None
    span = policy.parse_duration(timeout)
    return span, temporal_workflow.now() + span


async def form(step: str, spec: Form, *, timeout: timedelta | str | None = None) -> dict[str, Any]:
    """Wait until a valid ``submit`` arrives for ``step`` and return its values.

    Args:
        step: the step's name; ``submit`` names it.
        spec: the fields asked for.
        timeout: how long to wait (``timedelta`` or ``"2d"``); default forever.

    Raises:
        ApplicationError: type ``FormTimedOut`` when the timeout passes first.
    """
    inbox = _instance_inbox(step)
    inbox.forms[step] = spec
    span, deadline = _deadline(timeout)
    waiting = Waiting(
        step=step,
        kind="form",
        since=temporal_workflow.now(),
        deadline=deadline,
        fields=list(spec.fields),
        title=spec.title,
    )
    if not await _wait(inbox, waiting, lambda: step in inbox.submitted, span):
        raise ApplicationError(
            f"no input for step {step!r} within {policy.format_duration(span or timedelta())}",
            type="FormTimedOut",
            non_retryable=True,
        )
    return inbox.submitted[step]


async def approval(
    step: str,
    *,
    approvers: list[str] | tuple[str, ...] = (),
    timeout: timedelta | str | None = None,
    title: str | None = None,
) -> ApprovalResult:
    """Wait until ``step`` is approved or rejected, or the timeout passes.

    Args:
        step: the step's name; ``approve`` and ``reject`` name it.
        approvers: who may decide (matched against the decision's ``by``); empty: anyone.
        timeout: how long to wait; on expiry the outcome is ``timed_out``.
        title: shown to people while the run waits.

    Returns:
        What happened; call ``.require()`` to fail the run unless approved.
    """
    inbox = _instance_inbox(step)
    span, deadline = _deadline(timeout)
    waiting = Waiting(
        step=step,
        kind="approval",
        since=temporal_workflow.now(),
        deadline=deadline,
        approvers=list(approvers),
        title=title,
    )
    if not await _wait(inbox, waiting, lambda: step in inbox.decisions, span):
        return ApprovalResult(step=step, outcome="timed_out", at=temporal_workflow.now())
    return inbox.decisions[step]
