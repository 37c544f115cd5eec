"""The workflow the replay tests record (v1), in its own module for Temporal's sandbox."""

from __future__ import annotations

from flowkit.function import function
from flowkit.workflow import workflow


@function.defn
async def draft(topic: str) -> str:
    return f"draft of {topic}"


@function.defn
async def review(text: str) -> str:
    return f"reviewed {text}"


@function.defn
async def publish(text: str) -> str:
    return f"published {text}"


@workflow.defn(name="Article")
class Article:
    """Drafts, then reviews."""

    @workflow.run
    async def run(self, topic: str) -> str:
        text: str = await workflow.step(function=draft, function_input=topic)
        return str(await workflow.step(function=review, function_input=text))


#: What ``flowkit replay --app tests.replay.defs:WORKFLOWS`` replays against.
WORKFLOWS = [Article]
FUNCTIONS = [draft, review, publish]
