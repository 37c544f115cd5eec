"""A client interceptor that records, in each run it starts, the policy the run keeps.

Continue-as-new thresholds decide *when* a run's history is cut, so they must be the
same every time the run's code is replayed, on whichever worker. A run therefore keeps
the thresholds of the client that started it in its memo (``flowkit_continue_as_new``),
and ``should_continue_as_new`` reads them from there.
"""

from __future__ import annotations

from typing import Any

import temporalio.client
from temporalio.client import (
    CreateScheduleInput,
    OutboundInterceptor,
    ScheduleActionStartWorkflow,
    StartWorkflowInput,
    StartWorkflowUpdateWithStartInput,
    WorkflowHandle,
    WorkflowUpdateHandle,
)

from flowkit.policy import RUN_POLICY_MEMO, run_policy_memo

__all__ = ["RunPolicyMemo"]


def _with_policy(memo: Any) -> dict[str, Any]:
    current = dict(memo or {})
    if RUN_POLICY_MEMO not in current:
        current.update(run_policy_memo())
    return current


class _Outbound(OutboundInterceptor):
    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[Any, Any]:
        input.memo = _with_policy(input.memo)
        return await super().start_workflow(input)

    async def start_update_with_start_workflow(
        self, input: StartWorkflowUpdateWithStartInput
    ) -> WorkflowUpdateHandle[Any]:
        start = input.start_workflow_input
        start.memo = _with_policy(start.memo)
        return await super().start_update_with_start_workflow(input)

    async def create_schedule(self, input: CreateScheduleInput) -> temporalio.client.ScheduleHandle:
        action = input.schedule.action
        if isinstance(action, ScheduleActionStartWorkflow):
            action.memo = _with_policy(action.memo)
        return await super().create_schedule(input)


class RunPolicyMemo(temporalio.client.Interceptor):
    """Adds the settings' continue-as-new thresholds to the memo of every run started
    (also by update-with-start and by schedules) unless the caller set them."""

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        """See the base class."""
        return _Outbound(next)
