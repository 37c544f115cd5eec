"""A content draft written by hand with flowkit's built-in steps.

collect (a form) → generate (``ai_generate``, the mock model by default) → approve (an
approval). The run waits on the form until valid input arrives, waits on the approval,
and completes when approved; a rejection or a timeout ends it failed.

Run it against ``flowkit dev``::

    flowkit worker --app samples.content_draft:services
    flowkit run ContentDraft --id draft-1 --input '{"approvers": ["ed"]}'
    flowkit status draft-1                    # waiting on form collect: topic, audience, ...
    flowkit submit draft-1 collect --input '{"topic": "durable timers", "audience": "devs",
                                             "words": 300, "contact": "ed@example.com"}'
    flowkit approve draft-1 approve --by ed --comment "ship it"
    flowkit result draft-1
    flowkit history draft-1
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from flowkit import Service
from flowkit.steps import (
    Form,
    FormField,
    GenerateRequest,
    GenerateResult,
    HumanSteps,
    MockOptions,
    ai_generate,
    approval,
    form,
)
from flowkit.workflow import workflow

COLLECT = Form(
    title="What should the draft be about?",
    fields=(
        FormField(key="topic"),
        FormField(key="audience", type="choice", choices=("devs", "managers", "everyone")),
        FormField(key="words", type="int", required=False),
        FormField(key="contact", type="email"),
    ),
)

DRAFT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["title", "summary", "sections"],
    "properties": {
        "title": {"type": "string", "minLength": 5, "maxLength": 80},
        "summary": {"type": "string", "minLength": 20},
        "sections": {"type": "array", "minItems": 3, "items": {"type": "string"}},
    },
}

PROMPT = """Write a blog post draft about {{ topic }} for {{ audience }},
about {{ words | default(500) }} words. Answer with JSON: title, summary, sections."""


class DraftBrief(BaseModel):
    """The run's input: who may approve, and how the mock model behaves."""

    approvers: list[str] = Field(default_factory=list)
    approval_timeout: str = "7d"
    mock_mode: Literal["success", "schema_violation", "timeout", "transient_error"] = "success"
    seed: int = 0


class Draft(BaseModel):
    topic: str
    draft: dict[str, Any]
    tokens: int
    approved_by: str | None
    comment: str | None


@workflow.defn()
class ContentDraft(HumanSteps):
    """collect → generate → approve."""

    @workflow.run
    async def run(self, brief: DraftBrief | None = None) -> Draft:
        brief = brief or DraftBrief()
        details = await form("collect", COLLECT)
        generated: GenerateResult = await workflow.step(
            function=ai_generate,
            function_input=GenerateRequest(
                template=PROMPT,
                variables=details,
                output_schema=DRAFT_SCHEMA,
                mock=MockOptions(mode=brief.mock_mode, seed=brief.seed),
                max_schema_retries=2,
            ),
            start_to_close_timeout=timedelta(minutes=2),
            summary="generate",
        )
        verdict = await approval(
            "approve", approvers=brief.approvers, timeout=brief.approval_timeout
        )
        verdict.require()
        return Draft(
            topic=details["topic"],
            draft=generated.output,
            tokens=generated.usage.total_tokens,
            approved_by=verdict.by,
            comment=verdict.comment,
        )


services = [Service(workflows=[ContentDraft], functions=[ai_generate])]
