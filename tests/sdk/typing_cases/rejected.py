"""Wrong uses of the SDK: ``mypy --strict`` must report an error on every line marked
``# rejected`` and on no other line."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from flowkit.agent import agent
from flowkit.function import function
from flowkit.workflow import workflow


class Draft(BaseModel):
    text: str


class Review(BaseModel):
    approved: bool


@function.defn
async def review(draft: Draft) -> Review:
    return Review(approved=True)


@function.defn
async def fetch_topic() -> str:
    return "durable workflows"


@function.defn
def word_count(draft: Draft) -> int:
    return len(draft.text.split())


@workflow.defn
class Publish:
    @workflow.run
    async def run(self, draft: Draft) -> Review:
        return Review(approved=True)


@agent.defn
class Editor:
    @agent.event
    async def submit(self, draft: Draft) -> int:
        return 1

    @submit.validator  # rejected: the validator's parameters differ from the handler's
    def check_submit(self, draft: str) -> None:
        pass

    @agent.run
    async def run(self) -> None:
        draft = Draft(text="x")
        # Steps: the input is checked against the function's parameter, the result typed.
        await agent.step(function=review, function_input="not a draft")  # rejected
        await agent.step(function=word_count, function_input=3)  # rejected
        await agent.step(function=review)  # rejected: the function needs its input
        await agent.step(function=fetch_topic, function_input=draft)  # rejected
        verdict: bool = await agent.step(function=review, function_input=draft)  # rejected
        words: str = await agent.step(function=word_count, function_input=draft)  # rejected
        await agent.step(function=fetch_topic, start_to_close_timeout=30)  # rejected: an int
        await agent.step(function=fetch_topic, timeout=timedelta(seconds=1))  # rejected: unknown
        await agent.step(review, draft)  # rejected: keyword-only arguments, as in Restack

        # Children by run method: the same checks.
        await agent.child_execute(workflow=Publish.run, workflow_input="x")  # rejected
        await agent.child_execute(workflow=Publish.run)  # rejected: the run needs input
        got: str = await agent.child_execute(workflow=Publish.run, workflow_input=draft)  # rejected
        await agent.child_start(workflow=Publish.run, workflow_input=1)  # rejected
        await agent.child_execute(workflow=Publish, agent=Editor)  # rejected: one of the two
        await agent.child_execute(workflow_id="orphan")  # rejected: no child given
        print(verdict, words, got)


@workflow.defn
class SyncRun:
    @workflow.run  # rejected: a run method is `async def`
    def run(self) -> None:
        pass


@workflow.defn  # rejected: defn decorates a class
async def not_a_class() -> None:
    pass
