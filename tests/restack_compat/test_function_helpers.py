"""Restack's function helpers and small names, in a real activity context."""

from __future__ import annotations

import pytest
from temporalio.testing import ActivityEnvironment

from flowkit.event import AgentEvent, SendAgentEvent
from flowkit.function import NonRetryableError, RetryableError, mcp_progress, stream_to_websocket
from flowkit.utils import rpm_to_second, should_use_https


def test_error_strings_are_the_message_as_in_restack():
    assert str(NonRetryableError("x")) == "x"
    assert str(RetryableError("try again")) == "try again"
    assert NonRetryableError("x").non_retryable


@pytest.mark.parametrize(
    ("address", "https"),
    [
        ("localhost:6233", False),
        ("10.0.0.4:6233", False),
        ("engine.svc", False),
        ("engine.ns.svc.cluster.local", False),
        ("engine", False),
        ("api.restack.io", True),
        ("", False),
    ],
)
def test_should_use_https_as_restack_does(address, https):
    assert should_use_https(address) is https


def test_small_names():
    assert rpm_to_second(120) == 2
    event = AgentEvent(name="greet", input={"who": "ada"})
    assert SendAgentEvent(event=event).workflow is None


@pytest.mark.asyncio
async def test_stream_to_websocket_heartbeats_each_chunk_and_sums_up():
    chunks = [
        {"type": "response.output_text.delta", "delta": "Hel"},
        {"type": "response.output_text.delta", "delta": "lo"},
        {"type": "response.completed", "response": {"id": "r1", "usage": {"tokens": 3}}},
    ]
    beats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append(details[0])

    async def run() -> dict[str, object]:
        return await stream_to_websocket(data=iter(chunks))

    result = await env.run(run)
    assert beats == chunks
    assert result["text"] == "Hello"
    assert (result["event_count"], result["response_id"], result["has_completion"]) == (
        3,
        "r1",
        True,
    )
    assert result["usage"] == {"tokens": 3}


@pytest.mark.asyncio
async def test_mcp_progress_is_a_heartbeat():
    beats: list[object] = []
    env = ActivityEnvironment()
    env.on_heartbeat = lambda *details: beats.append(details[0])
    assert env.run(mcp_progress, 25, 100, "loading") is True
    assert beats[0]["progress"] == 25.0
    assert beats[0]["message"] == "loading"
    assert mcp_progress(1) is False  # outside a function
