"""Reading a run's raw history as the server stores it (no codec)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import temporalio.client
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload


async def raw_client(address: str) -> temporalio.client.Client:
    """A plain temporalio client: the default converter, no codec, no flowkit plugin."""
    return await temporalio.client.Client.connect(address)


async def raw_events(address: str, workflow_id: str) -> list[Any]:
    client = await raw_client(address)
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return list(history.events)


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every Payload anywhere inside a protobuf message."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif getattr(field, "is_repeated", False):
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, Message):
                yield from payloads_in(item)


def key_ids(events: list[Any], event_type: int) -> set[str]:
    """The key ids of the payloads carried by events of one type."""
    return {
        p.metadata.get("encryption-key-id", b"<plain>").decode()
        for e in events
        if e.event_type == event_type
        for p in payloads_in(e)
    }
