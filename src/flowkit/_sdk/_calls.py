"""In-workflow calls shared by ``agent`` and ``workflow``: steps, children, sleep, continue-as-new.

Each call applies flowkit's default policy (:mod:`flowkit.policy`) where the caller passes
none; an explicit argument always wins. Steps live in :mod:`._step`, children in
:mod:`._children`, the policy a run keeps in :mod:`._run_policy`; this module gathers
them for the ``agent`` and ``workflow`` objects (and for code that imports them here).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow as temporal_workflow

from flowkit import policy
from flowkit._sdk._children import ChildStart, child_execute, child_start
from flowkit._sdk._run_policy import (
    RUN_POLICY_MEMO,
    continue_as_new_when_ready,
    run_policy_memo,
    should_continue_as_new,
)
from flowkit._sdk._step import step

__all__ = [
    "RUN_POLICY_MEMO",
    "ChildStart",
    "child_execute",
    "child_start",
    "continue_as_new_when_ready",
    "run_policy_memo",
    "should_continue_as_new",
    "sleep",
    "step",
]


async def sleep(seconds: float | timedelta, *, summary: str | None = None) -> None:
    """Wait durably (a Temporal timer): days of sleep survive restarts and cost nothing.

    Args:
        seconds: how long, in seconds or as a ``timedelta``.
        summary: shown for the timer in the Temporal Web UI; default ``sleep <duration>``.
    """
    duration = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
    await temporal_workflow.sleep(
        duration, summary=summary or f"sleep {policy.format_duration(duration)}"
    )
