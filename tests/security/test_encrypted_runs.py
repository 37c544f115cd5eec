"""Encrypted runs on a real Temporal server, with keys set by the environment alone."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.common import RawValue

from flowkit import Client, cli
from flowkit.errors import RunStuck
from flowkit.runtime import DecryptionError, EncryptionCodec, generate_key, parse_keys
from flowkit.testing import result, run_worker, start_time_skipping
from tests.security import defs
from tests.security._history import key_ids, payloads_in, raw_client, raw_events

pytestmark = pytest.mark.asyncio

SECRET = "sk-live-HUNTER2-a1b2c3d4e5"
OLD = generate_key("old")
NEW = generate_key("new")
STARTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
UPDATE_ACCEPTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
COMPLETED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED


def _address(env) -> str:
    return env.client.service_client.config.target_host


async def _start_parked(client: Client, queue: str) -> str:
    agent_id = f"vault-{uuid.uuid4().hex[:8]}"
    await client.schedule_agent(
        agent_name="Vault",
        agent_id=agent_id,
        agent_input=defs.Order(card=SECRET, note="first"),
        task_queue=queue,
    )
    # Parked: the charge step ran, the run waits for its approval event.
    handle = await client.get_workflow_handle(agent_id)
    for _ in range(100):
        events = [e async for e in handle.fetch_history_events()]
        if any(e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED for e in events):
            return agent_id
        await asyncio.sleep(0.05)
    raise AssertionError("the run did not reach its approval wait")


async def test_the_server_never_sees_the_secret_and_rotation_keeps_runs_going(
    flowkit_env, monkeypatch, capsys
):
    address = _address(flowkit_env)
    queue = f"vault-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", OLD)
    before = Client(address=address)
    # No workflow cache: the time-skipping server would keep the run on this worker's
    # sticky queue after it stops, and the next worker would not see the event.
    async with run_worker(
        await before.connect(),
        agents=[defs.Vault],
        functions=[defs.charge],
        task_queue=queue,
        max_cached_workflows=0,
    ):
        agent_id = await _start_parked(before, queue)

    # Rotate: the new key first, the old one after it; a new worker takes the parked run.
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", f"{NEW},{OLD}")
    after = Client(address=address)
    async with after.service(agents=[defs.Vault], functions=[defs.charge], task_queue=queue):
        reply = await after.send_event(agent_id, "approve", f"ok {SECRET}")
        assert reply == f"approved with ok {SECRET}"
        assert await after.get_agent_result(agent_id) == [f"charged {SECRET}", f"ok {SECRET}"]

    events = await raw_events(address, agent_id)
    stored = b"".join(e.SerializeToString() for e in events)
    assert SECRET.encode() not in stored
    assert b"HUNTER2" not in stored
    assert b"charged" not in stored
    assert key_ids(events, STARTED) == {"old"}
    assert key_ids(events, UPDATE_ACCEPTED) == {"new"}
    assert key_ids(events, COMPLETED) == {"new"}
    assert all(
        p.metadata["encoding"] == b"binary/encrypted"
        for e in events
        for p in payloads_in(e)
        if e.event_type in (STARTED, COMPLETED)
    )

    # The CLI, with the same environment, shows the result decrypted.
    code = await asyncio.to_thread(cli.run, ["result", agent_id, "--address", address, "--json"])
    assert code == 0
    assert SECRET in capsys.readouterr().out

    # Without the old key, the run's input is unreadable, and the error says which key.
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", NEW)
    codec = EncryptionCodec(parse_keys(NEW))
    started = next(e for e in events if e.event_type == STARTED)
    with pytest.raises(DecryptionError, match=r"key 'old'.*no such key"):
        await codec.decode(list(started.workflow_execution_started_event_attributes.input.payloads))


async def test_a_tampered_payload_fails_the_run_clearly(monkeypatch):
    # Its own server: a run whose workflow task keeps failing holds the time-skipping
    # server's clock, which would stall the session's other timer tests.
    env = await start_time_skipping()
    try:
        await _tampered_run(env, monkeypatch)
    finally:
        await env.shutdown()


async def _tampered_run(env, monkeypatch) -> None:
    address = _address(env)
    queue = f"vault-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", OLD)
    client = Client(address=address)
    codec = EncryptionCodec(parse_keys(OLD))
    plain = (await client.connect()).data_converter.payload_converter.to_payloads(
        [defs.Order(card=SECRET)]
    )
    sealed = (await codec.encode(plain))[0]
    sealed.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])  # flip one bit of the tag
    raw = await raw_client(address)
    agent_id = f"vault-{uuid.uuid4().hex[:8]}"
    handle = await raw.start_workflow("Vault", RawValue(sealed), id=agent_id, task_queue=queue)
    async with client.service(agents=[defs.Vault], functions=[defs.charge], task_queue=queue):
        with pytest.raises(RunStuck, match=r"key 'old'.*fails authentication"):
            await result(raw.get_workflow_handle(handle.id), check_every=0.1)
    await raw.get_workflow_handle(agent_id).terminate("test over")


async def test_bad_keys_are_a_usage_error_in_the_cli(monkeypatch, capsys):
    monkeypatch.setenv("FLOWKIT_ENCRYPTION_KEYS", "k1:not-base64!!")
    code = await asyncio.to_thread(cli.run, ["status", "some-run", "--address", "127.0.0.1:1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "FLOWKIT_ENCRYPTION_KEYS entry 1: key 'k1' is not valid base64" in err
    assert "Traceback" not in err
