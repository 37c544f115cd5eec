"""The public names of flowkit.steps, and a condition decided inside a workflow."""

from __future__ import annotations

import uuid

import pytest

import flowkit.steps
from tests.steps import defs

PUBLIC = {
    "ApiRequest", "ApiResponse", "ApprovalResult", "CompensationReport", "DagError",
    "DagResult", "DagStep", "Decision", "Expression", "ExpressionError", "FieldType", "Form",
    "FormField", "GenerateRequest", "GenerateResult", "HumanSteps", "MockOptions",
    "RunStatus", "Saga", "SagaFailed", "StepEvent", "StepStatus", "Submission",
    "TaskFailure", "TemplateProblem", "UnsafeExpressionError", "Unserved", "Usage", "Waiting",
    "ai_generate", "api_call", "approval", "check_dag", "describe_error", "describe_run",
    "diagnose", "evaluate", "follow_run", "wait_for_result",
    "form", "run_dag", "sleep", "step_events", "validate_submission", "wait_until", "when",
}  # fmt: skip


def test_public_names_are_pinned():
    assert set(flowkit.steps.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(flowkit.steps, name) is not None


@pytest.mark.asyncio
async def test_conditions_are_decided_inside_the_workflow(flowkit_env, flowkit_worker):
    context = {"order": {"items": [1, 2], "total": 150}, "user": {"tags": ["new"]}}
    async with flowkit_worker(workflows=[defs.ConditionalWorkflow]) as tq:
        decided = await flowkit_env.client.execute_workflow(
            defs.ConditionalWorkflow.run, context, id=f"c-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
    assert decided == {"big": True, "vip": False, "refused": "user.__class__"}
