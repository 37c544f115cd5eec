"""samples/content_draft.yaml operated from the terminal against `flowkit dev`.

`flowkit worker --pipeline` serves the YAML file; `flowkit run`, `status`, `submit`,
`approve` and `result` take the run to completed; the Web UI's API shows each step.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.samples._servers import FLOWKIT, ROOT, ui_json

pytestmark = [pytest.mark.dev_server, pytest.mark.slow]

PIPELINE = ROOT / "samples" / "content_draft.yaml"
BRIEF = {"topic": "durable timers", "audience": "devs", "contact": "ed@example.com"}


def test_run_submit_approve_to_completion(dev_server, tmp_path: Path):
    port, ui_port, _ = dev_server
    env = {**os.environ, "TEMPORAL_ADDRESS": f"127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}

    def flowkit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*FLOWKIT, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    def waiting_on(step: str) -> dict:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = json.loads(flowkit("status", "draft-e2e", "--json").stdout)
            if any(w["step"] == step for w in status["waiting"]):
                return status
            time.sleep(0.2)
        raise AssertionError(f"the run never waited on {step}: {status}")

    worker = subprocess.Popen(
        [*FLOWKIT, "worker", "--pipeline", str(PIPELINE)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = flowkit("run", str(PIPELINE), "--input", "{}", "--id", "draft-e2e", "--json")
        assert started.returncode == 0, started.stderr
        assert json.loads(started.stdout)["existing"] is False
        waiting_on("collect")

        bad = flowkit("submit", "draft-e2e", "collect", "--input", '{"topic": ""}')
        assert bad.returncode == 2
        assert "topic: required; audience: required; contact: required" in bad.stderr
        waiting_on("collect")  # a rejected submission changes nothing

        good = flowkit("submit", "draft-e2e", "collect", "--input", json.dumps(BRIEF))
        assert good.returncode == 0, good.stderr
        waiting_on("approve")
        approved = flowkit("approve", "draft-e2e", "approve", "--by", "ed")
        assert approved.returncode == 0, approved.stderr

        result = flowkit("result", "draft-e2e", "--json")
        assert result.returncode == 0, result.stderr
        output = json.loads(result.stdout)
        assert output["collect"]["topic"] == "durable timers"
        assert len(output["generate"]["output"]["sections"]) >= 3
    finally:
        worker.send_signal(signal.SIGINT)
        out, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, out
    assert "serving pipeline ContentDraft" in out

    info = ui_json(ui_port, "/namespaces/default/workflows/draft-e2e")["workflowExecutionInfo"]
    assert info["status"] == "WORKFLOW_EXECUTION_STATUS_COMPLETED"
    events = ui_json(ui_port, "/namespaces/default/workflows/draft-e2e/history")["history"]
    summaries = {
        base64.b64decode(e["userMetadata"]["summary"]["data"]).decode()
        for e in events["events"]
        if "summary" in e.get("userMetadata", {})
    }
    assert '"generate"' in summaries
    assert '"approve timeout"' in summaries
    updates = [
        e["workflowExecutionUpdateAcceptedEventAttributes"]["acceptedRequest"]["input"]["name"]
        for e in events["events"]
        if e["eventType"] == "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"
    ]
    assert updates == ["submit", "approve"]
