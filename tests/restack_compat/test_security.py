"""flowkit.security: Restack's sensitive-fields codec, on the time-skipping server."""

from __future__ import annotations

import base64
import json
import os
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from flowkit import Client
from flowkit.errors import FlowkitError
from flowkit.security import (
    ENCRYPTED_MARKER_KEY,
    Payload,
    Sensitive,
    SensitiveFieldsCodec,
    create_aes_gcm_encryption,
    sensitive,
)
from tests.restack_compat import defs

KEY = bytes(range(32))


@pytest.mark.asyncio
async def test_only_the_marked_field_is_encrypted_in_history(flowkit_env):
    address = flowkit_env.client.service_client.config.target_host
    client = Client(
        address=address, payload_codec=SensitiveFieldsCodec(create_aes_gcm_encryption(KEY))
    )
    queue = f"signup-{uuid.uuid4().hex[:8]}"
    workflow_id = f"signup-{uuid.uuid4().hex[:8]}"
    signup = defs.Signup(email="ada@example.com", password=Sensitive(value="hunter2"))
    async with client.service(workflows=[defs.SignupWorkflow], task_queue=queue):
        await client.schedule_workflow(
            workflow_name="SignupWorkflow",
            workflow_id=workflow_id,
            workflow_input=signup,
            task_queue=queue,
        )
        assert await client.get_workflow_result(workflow_id) == "ada@example.com:7"
    history = await flowkit_env.client.get_workflow_handle(workflow_id).fetch_history()
    stored = history.events[0].workflow_execution_started_event_attributes.input.payloads[0]
    assert b"hunter2" not in stored.data
    data = json.loads(stored.data)
    assert data["email"] == "ada@example.com"  # the rest stays readable in the Web UI
    assert data["password"][ENCRYPTED_MARKER_KEY] == "v1"


@pytest.mark.asyncio
async def test_a_value_restack_encrypted_decrypts_here():
    iv = os.urandom(12)
    ciphertext = AESGCM(KEY).encrypt(iv, json.dumps("s3cret").encode(), None)  # Restack's way
    wire = {
        "card": {
            ENCRYPTED_MARKER_KEY: "v1",
            "alg": "AES-256-GCM",
            "iv": base64.b64encode(iv).decode(),
            "ct": base64.b64encode(ciphertext).decode(),
        }
    }
    payload = Payload(metadata={"encoding": b"json/plain"}, data=json.dumps(wire).encode())
    codec = SensitiveFieldsCodec(create_aes_gcm_encryption(KEY))
    (decoded,) = await codec.decode([payload])
    assert json.loads(decoded.data) == {"card": sensitive("s3cret")}
    (again,) = await codec.encode([decoded])
    assert b"s3cret" not in again.data


def test_a_key_of_the_wrong_size_is_a_flowkit_error():
    with pytest.raises(FlowkitError, match="32 bytes, not 16"):
        create_aes_gcm_encryption(b"x" * 16)
