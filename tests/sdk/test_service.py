"""A worker stopped by SIGTERM lets its running steps finish.

On the dev server: the run then resumes on a new worker once the server gives up on the
stopped worker's sticky queue, which the time-skipping server does not do.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType

from flowkit.testing import run_worker
from tests.sdk import slow_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.asyncio, pytest.mark.dev_server]


def _worker(address: str) -> subprocess.Popen[str]:
    """`flowkit worker` serving tests/sdk/slow_app.py, as its own process."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from flowkit.cli import main; main()",
            "worker",
            "--app",
            "tests.sdk.slow_app",
            "--address",
            address,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.slow
async def test_sigterm_lets_the_running_step_finish(flowkit_dev_env, tmp_path):
    client = flowkit_dev_env.client
    address = client.service_client.config.target_host
    worker = _worker(address)
    marker = tmp_path / "started"
    workflow_id = f"slow-{uuid.uuid4().hex[:8]}"
    handle = await client.start_workflow(
        slow_app.SlowWorkflow.run,
        slow_app.SlowInput(marker=str(marker), seconds=2),
        id=workflow_id,
        task_queue="slow",
    )
    deadline = time.monotonic() + 20
    while not marker.exists():
        assert time.monotonic() < deadline, "the step never started"
        assert worker.poll() is None, worker.communicate()[0]
        await asyncio.sleep(0.05)  # never block the loop the test server's client uses

    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    assert "stopping: running steps may finish" in output

    events = [e.event_type async for e in handle.fetch_history_events()]
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED in events  # finished, not abandoned
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT not in events
    # A new worker picks the run up where it stopped.
    async with run_worker(client, workflows=[slow_app.SlowWorkflow], task_queue="slow"):
        assert await handle.result() == "finished"


@pytest.mark.slow
async def test_a_sigkilled_workers_step_is_retried_within_its_heartbeat_timeout(
    flowkit_dev_env, tmp_path
):
    """Default policy (30 s heartbeat timeout, 5 s first retry): the killed worker's step
    starts again on another worker within 40 s, and then runs 60 s, past the heartbeat
    timeout, because flowkit heartbeats for it."""
    client = flowkit_dev_env.client
    address = client.service_client.config.target_host
    queue = "slow"  # slow_app's service
    worker = _worker(address)
    marker = tmp_path / "started"
    handle = await client.start_workflow(
        slow_app.SlowWorkflow.run,
        slow_app.SlowInput(marker=str(marker), seconds=60),
        id=f"killed-{uuid.uuid4().hex[:8]}",
        task_queue=queue,
    )
    deadline = time.monotonic() + 20
    while not marker.exists():
        assert time.monotonic() < deadline, "the step never started"
        assert worker.poll() is None, worker.communicate()[0]
        await asyncio.sleep(0.05)

    worker.kill()
    worker.communicate(timeout=10)
    killed_at = time.monotonic()
    marker.unlink()
    async with run_worker(
        client, workflows=[slow_app.SlowWorkflow], functions=[slow_app.slow_step], task_queue=queue
    ):
        while not marker.exists():
            assert time.monotonic() - killed_at < 40, "the step was not retried within 40 s"
            await asyncio.sleep(0.1)
        retried_after = time.monotonic() - killed_at
        print(f"step retried {retried_after:.1f} s after SIGKILL")
        assert await handle.result() == "finished"
    assert retried_after < 40
