"""Sensitive fields: sealed on their own, with whole-payload encryption off."""

from __future__ import annotations

import uuid

import pytest
from pydantic_core import PydanticSerializationError

from flowkit import Client, policy
from flowkit.runtime import generate_key
from tests.security import defs
from tests.security._history import raw_events

NUMBER = "4111111111111111"


@pytest.fixture
def fields_only(monkeypatch):
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", generate_key("f1"))
    monkeypatch.setenv("FLOWKIT_SECURITY__ENCRYPT_PAYLOADS", "false")
    policy.reset()
    yield
    policy.reset()


@pytest.mark.asyncio
async def test_a_sensitive_field_is_sealed_without_payload_encryption(flowkit_env, fields_only):
    address = flowkit_env.client.service_client.config.target_host
    client = Client(address=address)
    queue = f"card-{uuid.uuid4().hex[:8]}"
    run_id = f"card-{uuid.uuid4().hex[:8]}"
    async with client.service(
        workflows=[defs.CardWorkflow], functions=[defs.verify], task_queue=queue
    ):
        await client.schedule_workflow(
            workflow_name="CardWorkflow",
            workflow_id=run_id,
            workflow_input=defs.Card(holder="ada", number=NUMBER),
            task_queue=queue,
        )
        done = await client.get_workflow_result(run_id)
    # Read without its model (as `flowkit result` does), the field stays sealed;
    # the model opens it.
    assert done["holder"] == "ADA"
    assert done["number"].startswith("flowkit-sealed:f1:")
    assert defs.Card.model_validate(done).number == f"{NUMBER}-ok"
    stored = b"".join(e.SerializeToString() for e in await raw_events(address, run_id))
    assert b"ADA" in stored  # the rest of the payload is plain JSON
    assert NUMBER.encode() not in stored
    assert b"flowkit-sealed:f1:" in stored
    assert NUMBER not in repr(defs.Card(holder="ada", number=NUMBER))


def test_without_keys_a_sensitive_field_is_refused(monkeypatch):
    monkeypatch.delenv("FLOWKIT_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("FLOWKIT_ENCRYPTION_KEY_FILE", raising=False)
    # pydantic wraps the KeyConfigError; its message survives.
    with pytest.raises(PydanticSerializationError, match="Sensitive field needs an encryption key"):
        defs.Card(holder="a", number=NUMBER).model_dump_json()
