"""Record the histories in ``tests/replay/histories`` from real runs of the samples on
Temporal's time-skipping server::

    .venv/bin/python -m tests.replay.record_samples

Run it again (and commit the JSON) when a sample changes on purpose in a way old runs
cannot replay; ``tests/replay/test_sample_histories.py`` replays them on every test run.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowFailureError, WorkflowHandle

from flowkit.testing import record_history, run_worker, start_time_skipping
from tests.ops.defs import GOOD_INPUT
from tests.replay.samples import FUNCTIONS, WORKFLOWS

FOLDER = Path(__file__).parent / "histories"


async def _waiting_on(handle: WorkflowHandle[Any, Any], step: str) -> None:
    for _ in range(200):
        if [w["step"] for w in await handle.query("waiting_on")] == [step]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the run never waited on {step}")


async def record(folder: Path = FOLDER) -> list[Path]:
    """Run each sample once per path through it; write each run's history."""
    env = await start_time_skipping()
    client = env.client
    written: list[Path] = []
    try:
        async with run_worker(client, workflows=WORKFLOWS, functions=FUNCTIONS) as tq:

            async def start(workflow: str, arg: Any, id: str) -> WorkflowHandle[Any, Any]:
                return await client.start_workflow(workflow, arg, id=id, task_queue=tq)

            hello = await start("HelloWorkflow", {"names": ["Ada", "Grace"]}, "hello-workflow")
            await hello.result()
            written.append(await record_history(hello, folder))
            child = client.get_workflow_handle("hello-workflow-greet-0")
            written.append(await record_history(child, folder, "greet-workflow"))

            agent = await start("HelloAgent", None, "hello-agent")
            await agent.execute_update("greet", {"name": "Linus"})
            await agent.execute_update("end", {"name": "Linus"})
            await agent.result()
            written.append(await record_history(agent, folder))

            booked = {"traveller": "Ada", "city": "Porto", "car_available": True}
            trip = await start("TripSaga", booked, "trip-saga-booked")
            await trip.result()
            written.append(await record_history(trip, folder))
            trip = await start(
                "TripSaga", {"traveller": "Ada", "city": "Lisbon"}, "trip-saga-undone"
            )
            with contextlib.suppress(WorkflowFailureError):
                await trip.result()
            written.append(await record_history(trip, folder))

            draft = await start("ContentDraft", {"approvers": ["ed"]}, "content-draft")
            await _waiting_on(draft, "collect")
            await draft.execute_update("submit", {"step": "collect", "data": GOOD_INPUT})
            await _waiting_on(draft, "approve")
            await draft.execute_update("approve", {"step": "approve", "by": "ed"})
            await draft.result()
            written.append(await record_history(draft, folder))
    finally:
        await env.shutdown()
    return written


if __name__ == "__main__":
    for path in asyncio.run(record()):
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    gc.collect()
    sys.stdout.flush()
