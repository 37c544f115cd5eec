"""`flowkit dev` keeps runs in .flowkit/temporal.db: they survive a restart."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from flowkit.runtime._devserver import port_open
from tests.samples._servers import FLOWKIT, free_port, wait_for_port

pytestmark = [pytest.mark.dev_server, pytest.mark.slow, pytest.mark.asyncio]


def _start(tmp_path: Path, port: int, ui_port: int, *extra: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [*FLOWKIT, "dev", "--port", str(port), "--ui-port", str(ui_port), *extra],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for_port(ui_port)
    return proc


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    return out


async def _connect(port: int) -> Client:
    for _ in range(100):  # the frontend may still be starting
        try:
            return await Client.connect(f"127.0.0.1:{port}")
        except RuntimeError:
            await asyncio.sleep(0.1)
    raise AssertionError("the dev server never answered")


async def test_runs_survive_a_restart_unless_in_memory(tmp_path: Path):
    port, ui_port = free_port(), free_port()
    first = _start(tmp_path, port, ui_port)
    client = await _connect(port)
    # No worker: the run simply stays open, waiting for one.
    await client.start_workflow("NobodyServesThis", id="kept-run", task_queue="nowhere")
    _stop(first)

    second = _start(tmp_path, port, ui_port)
    client = await _connect(port)
    described = await client.get_workflow_handle("kept-run").describe()
    assert described.status == WorkflowExecutionStatus.RUNNING
    out = _stop(second)
    assert f"persisted to {Path('.flowkit') / 'temporal.db'}" in out

    third = _start(tmp_path, port, ui_port, "--in-memory")
    client = await _connect(port)
    with pytest.raises(Exception, match="not found"):
        await client.get_workflow_handle("kept-run").describe()
    assert "in memory" in _stop(third)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
async def test_a_killed_flowkit_dev_takes_its_server_down(tmp_path: Path):
    port, ui_port = free_port(), free_port()
    proc = _start(tmp_path, port, ui_port, "--in-memory")
    proc.kill()  # SIGKILL: no handler runs in flowkit's process
    proc.wait()
    for _ in range(100):
        if not port_open("127.0.0.1", port):
            break
        await asyncio.sleep(0.1)
    assert not port_open("127.0.0.1", port), "the Temporal server outlived flowkit dev"
