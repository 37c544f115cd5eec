"""``stream_to_websocket`` and ``mcp_progress``: Restack's progress helpers for functions.

Restack forwards each chunk of a model's stream to its engine's websocket, which its UI
reads. flowkit has no such endpoint: here every chunk is recorded as the step's heartbeat
(its latest chunk shows in ``temporal workflow describe`` and the Web UI, and the step
stays alive however long the stream runs) and the same summary is returned, with the
streamed text put together (Restack returns ``""``).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterable, Iterable
from typing import Any

from temporalio import activity

__all__ = ["mcp_progress", "stream_to_websocket"]

_FINAL_TYPES = {"response.completed", "response.failed", "response.incomplete", "response.done"}


def _as_dict(chunk: Any) -> dict[str, Any]:
    if isinstance(chunk, dict):
        return chunk
    dump = getattr(chunk, "model_dump", None)
    if callable(dump):
        return dict(dump())
    return {"type": "text", "delta": str(chunk)}


async def _chunks(data: Any) -> Any:
    if isinstance(data, AsyncIterable):
        async for chunk in data:
            yield chunk
    elif isinstance(data, Iterable) and not isinstance(data, str | bytes | dict):
        for chunk in data:
            yield chunk
    elif data is not None:
        yield data


async def stream_to_websocket(api_address: str | None = None, data: Any = None) -> dict[str, Any]:
    """Read a model's stream in a function, heartbeating each chunk; return its summary.

    Args:
        api_address: Restack's engine address; flowkit forwards chunks nowhere, so giving
            one only warns.
        data: the stream: an OpenAI Responses stream, or any (async) iterable of chunks
            (pydantic models, dicts or text).

    Returns:
        Restack's summary: ``events`` (each chunk as a dict), ``text`` (the ``delta``s of
        ``response.output_text.delta`` and text chunks, joined), ``event_count``,
        ``final_response``, ``response_id``, ``usage`` and ``has_completion``.
    """
    if api_address is not None:
        warnings.warn(
            "stream_to_websocket(api_address=...): flowkit has no streaming endpoint; "
            "chunks are heartbeated (see the step's heartbeat details), not forwarded",
            stacklevel=2,
        )
    events: list[dict[str, Any]] = []
    text: list[str] = []
    final: Any = None
    usage: Any = None
    response_id: str | None = None
    completed = False
    async for chunk in _chunks(data):
        event = _as_dict(chunk)
        events.append(event)
        if activity.in_activity():
            activity.heartbeat(event)
        kind = event.get("type")
        if kind in ("response.output_text.delta", "text") and isinstance(event.get("delta"), str):
            text.append(event["delta"])
        response = event.get("response")
        if isinstance(response, dict):
            final = response
            response_id = response.get("id", response_id)
            usage = response.get("usage") or usage
        elif event.get("usage"):
            usage = event["usage"]
        completed = completed or kind in _FINAL_TYPES
    return {
        "events": events,
        "text": "".join(text),
        "event_count": len(events),
        "final_response": final,
        "response_id": response_id,
        "usage": usage,
        "has_completion": completed,
    }


def mcp_progress(progress: float, total: float | None = None, message: str | None = None) -> bool:
    """Report a function's progress as a heartbeat (Restack's MCP progress shape).

    Returns:
        ``True`` if it was sent; ``False`` outside a function.
    """
    if not activity.in_activity():
        return False
    info = activity.info()
    details: dict[str, Any] = {
        "_mcp_progress": True,
        "progress": float(progress),
        "activity_id": info.activity_id,
        "activity_type": info.activity_type,
    }
    if total is not None:
        details["total"] = float(total)
    if message is not None:
        details["message"] = str(message)
    activity.heartbeat(details)
    return True
