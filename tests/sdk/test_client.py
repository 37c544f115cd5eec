"""flowkit.Client: connection settings and payload codecs."""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Sequence

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from flowkit import Client, policy
from flowkit.runtime import connect_config
from tests.sdk import defs


class ZlibCodec(PayloadCodec):
    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [
            Payload(
                metadata={"encoding": b"binary/zlib"}, data=zlib.compress(p.SerializeToString())
            )
            for p in payloads
        ]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        out = []
        for p in payloads:
            if p.metadata.get("encoding") == b"binary/zlib":
                decoded = Payload()
                decoded.ParseFromString(zlib.decompress(p.data))
                out.append(decoded)
            else:
                out.append(p)
        return out


@pytest.mark.asyncio
async def test_a_payload_codec_encodes_what_the_server_stores(flowkit_env):
    address = flowkit_env.client.service_client.config.target_host
    client = Client(address=address, payload_codec=ZlibCodec())
    queue = f"codec-{uuid.uuid4().hex[:8]}"
    workflow_id = f"codec-{uuid.uuid4().hex[:8]}"
    async with client.service(workflows=[defs.ChildWorkflow], task_queue=queue):
        await client.schedule_workflow(
            workflow_name="ChildWorkflow",
            workflow_id=workflow_id,
            workflow_input=defs.ChildIn(word="ok"),
            task_queue=queue,
        )
        assert await client.get_workflow_result(workflow_id) == "okok"
    # Read raw history with a client that has no codec: the input is compressed there.
    history = await flowkit_env.client.get_workflow_handle(workflow_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    assert started.input.payloads[0].metadata["encoding"] == b"binary/zlib"


def test_connection_precedence(monkeypatch):
    monkeypatch.delenv("TEMPORAL_ADDRESS", raising=False)
    monkeypatch.delenv("TEMPORAL_NAMESPACE", raising=False)
    settings = policy.TemporalSettings(address="settings:1", namespace="from-settings", tls=True)
    config = connect_config(settings=settings)
    assert (config["target_host"], config["namespace"], config["tls"]) == (
        "settings:1",
        "from-settings",
        True,
    )
    monkeypatch.setenv("TEMPORAL_ADDRESS", "env:2")
    assert connect_config(settings=settings)["target_host"] == "env:2"
    assert connect_config("arg:3", settings=settings)["target_host"] == "arg:3"
    empty = policy.TemporalSettings()
    monkeypatch.delenv("TEMPORAL_ADDRESS")
    assert connect_config(settings=empty)["target_host"] == "localhost:7233"
