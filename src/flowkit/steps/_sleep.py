"""``sleep`` and ``wait_until``: durable timers (a Temporal timer, shown in the Web UI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio import workflow as temporal_workflow

from flowkit import policy
from flowkit.workflow import StepError

__all__ = ["sleep", "wait_until"]


async def sleep(duration: timedelta | str | float, *, summary: str | None = None) -> None:
    """Wait durably for ``duration`` (``timedelta``, seconds, or ``"90s"``, ``"2d"``...).

    Raises:
        StepError: the duration cannot be read (in a workflow, the run fails).
    """
    try:
        span = policy.parse_duration(duration)
    except ValueError as exc:
        raise StepError(f"sleep: {exc}", step=summary) from None
    await temporal_workflow.sleep(span, summary=summary or f"sleep {policy.format_duration(span)}")


def _moment(moment: datetime | str, step: str | None) -> datetime:
    if isinstance(moment, str):
        text = moment
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            problem = f"wait_until: {text[:80]!r} is not an ISO 8601 time"
            raise StepError(problem, step=step) from None
    # A time without a zone is taken as UTC, the workflow clock's zone.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def wait_until(moment: datetime | str, *, summary: str | None = None) -> timedelta:
    """Wait durably until ``moment`` (a datetime or ISO 8601 text; UTC if no zone).

    Returns:
        How long the run waited (zero when the moment has already passed).

    Raises:
        StepError: ``moment`` is not a time (in a workflow, the run fails, naming the
            step by its ``summary``).
    """
    target = _moment(moment, summary)
    remaining = target - temporal_workflow.now()
    if remaining <= timedelta(0):
        return timedelta(0)
    await temporal_workflow.sleep(remaining, summary=summary or f"until {target.isoformat()}")
    return remaining
