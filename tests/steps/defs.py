"""Workflows and functions the step tests run on the time-skipping server.

They live in their own module because Temporal's sandbox re-imports a workflow's module
on every run.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flowkit.steps import Form, FormField, HumanSteps, approval, form, sleep, wait_until
from flowkit.workflow import temporal_workflow, workflow

SIGNUP = Form(
    fields=(
        FormField(key="name"),
        FormField(key="email", type="email"),
        FormField(key="age", type="int", required=False),
        FormField(key="code", pattern=r"[A-Z]{3}-\d{2}"),
    )
)


@workflow.defn()
class SignupWorkflow(HumanSteps):
    """A form, then an approval with an allow-list and a timeout."""

    @workflow.run
    async def run(self, timeout_hours: float = 0) -> dict[str, Any]:
        data = await form("details", SIGNUP)
        verdict = await approval(
            "review",
            approvers=["alice", "carol"],
            timeout=timedelta(hours=timeout_hours) if timeout_hours else None,
        )
        return {"data": data, "verdict": verdict.model_dump(mode="json")}


@workflow.defn()
class TimersWorkflow:
    @workflow.run
    async def run(self) -> list[float]:
        start = temporal_workflow.now()
        await sleep("2d")
        after_sleep = (temporal_workflow.now() - start).total_seconds()
        waited = await wait_until(start + timedelta(days=3))
        past = await wait_until("2000-01-01T00:00:00Z")
        return [after_sleep, waited.total_seconds(), past.total_seconds()]
