"""Two services in one process, as Restack's production example runs them.

``python -m tests.restack_compat.programs.two_services ADDRESS MARKER`` serves a workflow
on ``two-a`` and its slow function on ``two-b`` until Ctrl-C, then prints "stopped".
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from flowkit import Client
from flowkit.function import function
from flowkit.workflow import workflow


@function.defn()
async def slow_step(marker: str) -> str:
    Path(marker).write_text("started")
    await asyncio.sleep(2)
    return "finished"


@workflow.defn()
class SlowFlow:
    @workflow.run
    async def run(self, marker: str) -> str:
        result: str = await workflow.step(
            function=slow_step, function_input=marker, task_queue="two-b"
        )
        return result


async def main(address: str) -> None:
    client = Client(address=address)
    await asyncio.gather(
        client.start_service(workflows=[SlowFlow], task_queue="two-a"),
        client.start_service(functions=[slow_step], task_queue="two-b"),
    )
    print("stopped", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
