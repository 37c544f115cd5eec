"""Correct uses of the SDK: ``mypy --strict`` must accept every line.

``assert_type`` pins what a call returns (``Any`` where the SDK cannot know better);
assigning to an annotated variable is what users write.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, assert_type

import temporalio.client
from pydantic import BaseModel

from flowkit.agent import agent
from flowkit.function import function
from flowkit.workflow import ChildStart, RetryPolicy, workflow


class Draft(BaseModel):
    text: str


class Review(BaseModel):
    approved: bool


# -- functions: bare, called, named, async and sync -----------------------------------------


@function.defn
async def review(draft: Draft) -> Review:
    return Review(approved=bool(draft.text))


@function.defn()
async def fetch_topic() -> str:
    return "durable workflows"


@function.defn(name="count_words")
def word_count(draft: Draft) -> int:
    return len(draft.text.split())


@function.defn
def today() -> str:
    return "2026-01-01"


# -- workflows and agents: every decorator bare and called ----------------------------------


@workflow.defn
class Publish:
    @workflow.run
    async def run(self, draft: Draft) -> Review:
        return Review(approved=True)


@workflow.defn()
class Nightly:
    @workflow.run()
    async def run(self) -> list[str]:
        return []


@agent.defn
class Editor:
    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.done = False

    @agent.event
    async def submit(self, draft: Draft) -> int:
        self.drafts.append(draft)
        return len(self.drafts)

    @submit.validator
    def check_submit(self, draft: Draft) -> None:
        if not draft.text:
            raise ValueError("empty draft")

    @agent.event(name="stop", description="End the session")
    def end(self) -> int:
        self.done = True
        return len(self.drafts)

    @agent.state
    def pending(self) -> list[Draft]:
        return self.drafts

    @agent.state(name="count")
    def how_many(self) -> int:
        return len(self.drafts)

    @agent.run
    async def run(self) -> int:
        await agent.condition(lambda: self.done)
        return len(self.drafts)


@agent.defn(name="Chief", description="Runs the others", mcp=True)
class ChiefEditor:
    @agent.run
    async def run(self, draft: Draft) -> bool:
        # Typed: the function's result type, and function_input checked against its parameter.
        verdict: Review = await agent.step(function=review, function_input=draft)
        topic: str = await agent.step(function=fetch_topic)
        words: int = await agent.step(
            function=word_count,
            function_input=draft,
            retry_policy=RetryPolicy(maximum_attempts=2),
            start_to_close_timeout=timedelta(seconds=30),
            heartbeat_timeout=timedelta(seconds=5),
            summary="count",
        )
        assert_type(await workflow.step(function=today), str)
        # By name: nothing says what it returns.
        assert_type(await workflow.step(function="review", function_input={"text": "x"}), Any)

        # Children by run method: typed and checked.
        published: Review = await agent.child_execute(workflow=Publish.run, workflow_input=draft)
        nightly: list[str] = await agent.child_execute(workflow=Nightly.run, workflow_id="n-1")
        assert_type(await agent.child_execute(agent=Editor.run, agent_id="e-1"), int)
        started: ChildStart = await agent.child_start(workflow=Publish.run, workflow_input=draft)
        # Children by class or name, as Restack code passes them: accepted, untyped result.
        assert_type(await agent.child_execute(workflow=Publish, workflow_input=draft), Any)
        assert_type(await agent.child_execute(agent="Editor", agent_input=None), Any)
        assert_type(await agent.child_start(agent=Editor, agent_id="e-2"), ChildStart)

        return verdict.approved and published.approved and all([topic, words, nightly, started])


async def send(handle: temporalio.client.WorkflowHandle[Editor, int]) -> int:
    """An event handler is a Temporal update: the client's typed calls accept it."""
    position: int = await handle.execute_update(Editor.submit, Draft(text="hi"))
    return position
