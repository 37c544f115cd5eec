"""One Ctrl-C stops every service of a process gracefully; a second one raises nothing.

A real process, a real SIGINT, on the time-skipping server.
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

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest.mark.parametrize("presses", [1, 2])
async def test_ctrl_c_stops_both_gathered_services(flowkit_env, tmp_path, presses):
    client = flowkit_env.client
    address = client.service_client.config.target_host
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.restack_compat.programs.two_services", address],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    marker = tmp_path / "started"
    handle = await client.start_workflow(
        "SlowFlow", str(marker), id=f"two-{uuid.uuid4().hex[:8]}", task_queue="two-a"
    )
    deadline = time.monotonic() + 30
    while not marker.exists():  # both services are serving: the step runs on two-b
        assert time.monotonic() < deadline, "the step never started"
        assert process.poll() is None, process.communicate()[0]
        await asyncio.sleep(0.05)
    for _ in range(presses):
        process.send_signal(signal.SIGINT)
        await asyncio.sleep(0.3)
    output, _ = await asyncio.to_thread(process.communicate, timeout=60)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    assert "KeyboardInterrupt" not in output, output
    assert output.count("] stopping: running steps may finish") == 2, output
    assert output.rstrip().endswith("stopped"), output
    if presses == 2:
        assert "already stopping" in output, output
    # The running step was let finish (the run itself waits for a worker to go on).
    events = [e.event_type async for e in handle.fetch_history_events()]
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED in events
