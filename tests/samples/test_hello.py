"""The hello sample end to end on the Temporal dev server, as a user runs it.

``flowkit dev``, ``flowkit worker`` and the client script run as separate processes; the
runs are then read back through the Web UI's own API.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples._servers import FLOWKIT, ROOT, ui_json

pytestmark = [pytest.mark.dev_server, pytest.mark.slow]


def test_dev_worker_and_client_show_the_runs_in_the_web_ui(dev_server, tmp_path: Path):
    port, ui_port, dev = dev_server
    env = {**os.environ, "TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen(
        [*FLOWKIT, "worker", "--app", "samples.hello.service"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = subprocess.run(
            [sys.executable, "-m", "samples.hello.client"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert client.returncode == 0, client.stderr
        printed = dict(line.split(": ", 1) for line in client.stdout.splitlines() if ": " in line)
        assert printed["greeting"] == "Hello, Linus!"
        assert printed["farewell"] == "Goodbye, Linus, after 1 greeting(s)."

        workflow = ui_json(ui_port, f"/namespaces/default/workflows/{printed['workflow_id']}")
        info = workflow["workflowExecutionInfo"]
        assert info["type"]["name"] == "HelloWorkflow"
        assert info["status"] == "WORKFLOW_EXECUTION_STATUS_COMPLETED"
        agent = ui_json(ui_port, f"/namespaces/default/workflows/{printed['agent_id']}")
        assert agent["workflowExecutionInfo"]["status"] == "WORKFLOW_EXECUTION_STATUS_COMPLETED"
    finally:
        worker.send_signal(signal.SIGINT)
        worker_out, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, worker_out  # Ctrl-C is a clean, graceful stop
    assert "connecting to 127.0.0.1" in worker_out
    # The ready line says where it connected and what each task queue serves.
    assert f"connected to 127.0.0.1:{port}, namespace default" in worker_out
    assert (
        "task queue flowkit: 1 agent (HelloAgent), 2 workflows (GreetWorkflow, HelloWorkflow), "
        "2 functions (goodbye, welcome)"
    ) in worker_out
    assert "ready: polling for work" in worker_out

    dev.send_signal(signal.SIGINT)
    dev_out, _ = dev.communicate(timeout=30)
    assert dev.returncode == 0, dev_out
    assert f"Web UI: http://127.0.0.1:{ui_port}" in dev_out
    assert (tmp_path / ".flowkit" / "temporal.db").is_file()  # runs survive a restart


def test_the_quickstart_demo_runs_end_to_end():
    demo = subprocess.run(
        [sys.executable, "-m", "samples.hello.demo", "--no-keep"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stderr
    assert "farewell: Goodbye, Linus, after 1 greeting(s)." in demo.stdout
    assert "Workflow run in the Web UI: http://127.0.0.1:" in demo.stdout
