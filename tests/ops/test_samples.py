"""The hand-written samples on the time-skipping server."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle

from flowkit.testing import replay, scheduled_steps
from tests.ops import defs

pytestmark = pytest.mark.asyncio


async def _waiting_on(handle: WorkflowHandle, step: str) -> None:
    for _ in range(100):
        if [w["step"] for w in await handle.query("waiting_on")] == [step]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the run never waited on {step}")


async def test_trip_saga_cancels_hotel_then_flight(flowkit_env, flowkit_worker):
    async with flowkit_worker(**defs.TRIP) as tq:
        handle = await flowkit_env.client.start_workflow(
            "TripSaga",
            {"traveller": "Ada", "city": "Lisbon"},
            id=f"trip-{uuid.uuid4().hex[:8]}",
            task_queue=tq,
        )
        with pytest.raises(WorkflowFailureError) as caught:
            await handle.result()
        steps = await scheduled_steps(handle)
    assert [s.summary for s in steps] == [
        "book_flight",
        "book_hotel",
        "book_car",
        "compensate: cancel hotel",
        "compensate: cancel flight",
    ]
    cause = caught.value.cause
    assert cause.type == "SagaCompensated"
    assert cause.details[0]["compensated"] == ["cancel hotel", "cancel flight"]
    assert "no car available in Lisbon" in cause.message


async def test_trip_saga_completes_when_a_car_is_available(flowkit_env, flowkit_worker):
    async with flowkit_worker(**defs.TRIP) as tq:
        bookings = await flowkit_env.client.execute_workflow(
            "TripSaga",
            {"traveller": "Ada", "city": "Porto", "car_available": True},
            id=f"trip-{uuid.uuid4().hex[:8]}",
            task_queue=tq,
        )
    assert [b["kind"] for b in bookings] == ["flight", "hotel", "car"]


async def _draft(env, tq: str, brief: dict) -> WorkflowHandle:
    handle = await env.client.start_workflow(
        "ContentDraft", brief, id=f"draft-{uuid.uuid4().hex[:8]}", task_queue=tq
    )
    await _waiting_on(handle, "collect")
    await handle.execute_update("submit", {"step": "collect", "data": defs.GOOD_INPUT})
    return handle


async def test_content_draft_waits_on_the_form_then_the_approval(flowkit_env, flowkit_worker):
    async with flowkit_worker(**defs.CONTENT) as tq:
        handle = await _draft(flowkit_env, tq, {"approvers": ["ed"]})
        await _waiting_on(handle, "approve")
        await handle.execute_update("approve", {"step": "approve", "by": "ed", "comment": "ok"})
        draft = await handle.result()
        steps = await scheduled_steps(handle)
        await replay(handle, defs.CONTENT["workflows"])  # deterministic on replay
    assert draft["topic"] == "durable timers"
    assert len(draft["draft"]["sections"]) >= 3
    assert draft["approved_by"] == "ed"
    assert draft["tokens"] > 0
    assert [s.summary for s in steps] == ["generate"]


async def test_content_draft_schema_violation_is_retried_twice_then_fails(
    flowkit_env, flowkit_worker
):
    async with flowkit_worker(**defs.CONTENT) as tq:
        handle = await _draft(flowkit_env, tq, {"mock_mode": "schema_violation"})
        with pytest.raises(WorkflowFailureError) as caught:
            await handle.result()
    cause = caught.value.cause.cause
    assert cause.type == "SchemaViolation"
    assert cause.details[0]["attempt"] == 3


async def test_content_draft_fails_when_the_approval_times_out(flowkit_env, flowkit_worker):
    async with flowkit_worker(**defs.CONTENT) as tq:
        handle = await _draft(flowkit_env, tq, {"approval_timeout": "2d"})
        with pytest.raises(WorkflowFailureError) as caught:
            await handle.result()
    assert caught.value.cause.type == "ApprovalTimedOut"
