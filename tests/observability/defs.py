"""A workflow with a step and a child, for the tracing test."""

from __future__ import annotations

from flowkit.function import function
from flowkit.workflow import workflow


@function.defn()
async def shout(word: str) -> str:
    return word.upper()


@workflow.defn()
class TracedChild:
    @workflow.run
    async def run(self, word: str) -> str:
        loud: str = await workflow.step(function=shout, function_input=word)
        return loud


@workflow.defn()
class TracedParent:
    @workflow.run
    async def run(self, word: str) -> list[str]:
        first: str = await workflow.step(function=shout, function_input=word)
        second: str = await workflow.child_execute(workflow=TracedChild, workflow_input=word)
        return [first, second]
