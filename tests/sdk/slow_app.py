"""A service whose one step takes a while: for the graceful-shutdown test."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import BaseModel

from flowkit import Service
from flowkit.function import function
from flowkit.workflow import workflow


class SlowInput(BaseModel):
    marker: str
    seconds: float


@function.defn
async def slow_step(input: SlowInput) -> str:
    Path(input.marker).write_text("started")
    await asyncio.sleep(input.seconds)
    return "finished"


@workflow.defn()
class SlowWorkflow:
    @workflow.run
    async def run(self, input: SlowInput) -> str:
        result: str = await workflow.step(function=slow_step, function_input=input)
        return result


services = [Service(workflows=[SlowWorkflow], functions=[slow_step], task_queue="slow")]
