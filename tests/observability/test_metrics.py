"""Worker metrics on a Prometheus endpoint, by a setting."""

from __future__ import annotations

import socket
import urllib.request
import uuid

import pytest

from flowkit import Client, policy
from tests.observability import defs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.asyncio
async def test_step_metrics_are_served(flowkit_env, monkeypatch):
    address = f"127.0.0.1:{_free_port()}"
    monkeypatch.setenv("FLOWKIT_OBSERVABILITY__PROMETHEUS", address)
    policy.reset()
    try:
        client = Client(address=flowkit_env.client.service_client.config.target_host)
        queue = f"metrics-{uuid.uuid4().hex[:8]}"
        run_id = f"metrics-{uuid.uuid4().hex[:8]}"
        async with client.service(
            workflows=[defs.TracedParent, defs.TracedChild],
            functions=[defs.shout],
            task_queue=queue,
        ):
            await client.schedule_workflow(
                workflow_name="TracedParent",
                workflow_id=run_id,
                workflow_input="a",
                task_queue=queue,
            )
            assert await client.get_workflow_result(run_id) == ["A", "A"]
            with urllib.request.urlopen(f"http://{address}/metrics", timeout=5) as response:
                text = response.read().decode()
    finally:
        policy.reset()
    assert 'activity_type="shout"' in text
    assert "temporal_activity_execution_latency" in text
    assert 'workflow_type="TracedParent"' in text
