"""The policy a run keeps for its whole life: its continue-as-new thresholds.

Continue-as-new decides *where* a run's history is cut, so every replay of the run must
decide it the same way, on whichever worker. A run therefore carries the thresholds it
started with in its memo, and the calls here read them from there, never from the
settings of the process that happens to run (or replay) the code.
"""

from __future__ import annotations

from typing import Any

from temporalio import workflow as temporal_workflow

from flowkit import policy

__all__ = [
    "RUN_POLICY_MEMO",
    "continue_as_new_when_ready",
    "run_limits",
    "run_policy_memo",
    "should_continue_as_new",
]

RUN_POLICY_MEMO = policy.RUN_POLICY_MEMO
run_policy_memo = policy.run_policy_memo


def run_limits() -> policy.ContinueAsNewSettings:
    """The thresholds this run started with: from its memo, else flowkit's defaults.

    Never the settings of the process running the code: a replay on a worker with other
    settings would then continue as new at another point than the original run did,
    which is a nondeterminism error.
    """
    instance = temporal_workflow.instance()
    state = getattr(instance, "__dict__", {})
    limits = state.get("_flowkit_run_limits")
    if not isinstance(limits, policy.ContinueAsNewSettings):
        recorded = temporal_workflow.memo_value(RUN_POLICY_MEMO, None)
        try:
            limits = policy.ContinueAsNewSettings.model_validate(recorded or {})
        except ValueError:  # a memo written by something else: use the defaults
            limits = policy.ContinueAsNewSettings()
        state["_flowkit_run_limits"] = limits
    return limits


def should_continue_as_new() -> bool:
    """True when this run's history should be cut: the server suggests it, or the history
    is longer or larger than the run's continue-as-new thresholds.

    The thresholds are fixed when the run starts: flowkit's clients record those of
    their settings (``policy.continue_as_new``) in the run's memo, which continue-as-new
    and flowkit's child starts carry on; a run started by another client uses flowkit's
    defaults. They are never read from the settings of the worker that runs (or
    replays) the code, so every replay decides as the original run did.
    """
    info = temporal_workflow.info()
    limits = run_limits()
    return (
        info.is_continue_as_new_suggested()
        or info.get_current_history_length() >= limits.history_length
        or info.get_current_history_size() >= limits.history_size
    )


async def continue_as_new_when_ready(*args: Any, **kwargs: Any) -> None:
    """Wait until continuing as new is due and every running handler has finished, then
    continue as new with ``args`` (this never returns).

    Handlers that finish in the same workflow task are answered before the switch, and
    events that arrive after it are delivered to the new run, so none is lost.
    """
    await temporal_workflow.wait_condition(should_continue_as_new)
    await temporal_workflow.wait_condition(temporal_workflow.all_handlers_finished)
    temporal_workflow.continue_as_new(*args, **kwargs)
