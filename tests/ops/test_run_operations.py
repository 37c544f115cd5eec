"""The run operations of ``flowkit.runtime``, called directly: no CLI, no threads.

Runs go on the time-skipping server; every run a test starts ends, or is terminated
while its worker runs and once it waits (no workflow task in flight), because a run left
with an unserved workflow task stops time skipping on the shared server for good (see
docs/testing.md).
Listing, following and stuck runs need the dev server: see test_run_operations_dev.py.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client as TemporalClient

from flowkit import policy
from flowkit.errors import InputRejected, RunNotFound, UsageError
from flowkit.runtime import (
    RUN_STATUSES,
    cancel_run,
    decide,
    parse_input,
    parse_status,
    run_history,
    run_result,
    run_status,
    start_run,
    submit_form,
)
from flowkit.steps import RunStatus
from flowkit.testing import run_worker
from tests.ops import defs
from tests.reliability import defs as reliability

ROOT = Path(__file__).resolve().parents[2]


def new_id(prefix: str = "ops") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def waiting_on(client: TemporalClient, workflow_id: str, step: str) -> RunStatus:
    """The run's status once it waits on ``step`` (a worker answers the query)."""
    for _ in range(200):
        found = await run_status(client, workflow_id)
        if [w["step"] for w in found.waiting] == [step]:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{workflow_id} never waited on {step}")


# -- reading input ---------------------------------------------------------------------


def test_parse_input_reads_json_a_file_or_nothing(tmp_path: Path) -> None:
    brief = tmp_path / "brief.json"
    brief.write_text('{"topic": "timers", "words": 300}', encoding="utf-8")
    assert parse_input(None) is None
    assert parse_input('{"approvers": ["ed"]}') == {"approvers": ["ed"]}
    assert parse_input("[1, 2.5, null]") == [1, 2.5, None]
    assert parse_input(f"@{brief}") == {"topic": "timers", "words": 300}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{nope", "input is not JSON (Expecting property name enclosed in double quotes at "
         "line 1 column 2); write a JSON value, or @file.json"),
        ('{"a": 1} x', "input is not JSON (Extra data at line 1 column 10)"),
        ('{"y": NaN}', "input: NaN is not a JSON number; write a finite number or a string"),
        ("[Infinity]", "input: Infinity is not a JSON number"),
        ("-Infinity", "input: -Infinity is not a JSON number"),
        ("@/no/such.json", "input @/no/such.json: no such file"),
    ],
)  # fmt: skip
def test_parse_input_refuses_what_is_not_json_in_one_line(text: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_input(text)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_parse_input_names_the_flag_or_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"a": [1,\n 2,,]}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"^--input is not JSON"):
        parse_input("{", label="--input")
    with pytest.raises(UsageError) as refused:
        parse_input(f"@{broken}", label="--input")
    assert str(refused.value).startswith(f"{broken} is not JSON (")
    assert "line 2 column 4" in str(refused.value)


def test_parse_status_names_a_run_status_in_any_case() -> None:
    assert parse_status("Completed") == "completed"
    assert parse_status("TIMED_OUT") == "timed_out"
    assert [parse_status(s.upper()) for s in RUN_STATUSES] == list(RUN_STATUSES)
    with pytest.raises(UsageError) as refused:
        parse_status("sleeping")
    assert str(refused.value) == (
        "status sleeping: use one of running, completed, failed, canceled, terminated, timed_out"
    )
    with pytest.raises(UsageError, match=r"^--status sleeping: use one of running"):
        parse_status("sleeping", label="--status")


# -- mistakes refused before anything is sent -----------------------------------------


@pytest.mark.asyncio
async def test_mistakes_are_refused_before_anything_is_sent(
    flowkit_env: Any, tmp_path: Path
) -> None:
    client = flowkit_env.client
    with pytest.raises(UsageError) as not_an_object:
        await submit_form(client, new_id(), "collect", [1])  # type: ignore[arg-type]
    assert str(not_an_object.value) == (
        "the input of form step 'collect' must be a JSON object of its fields, not an array"
    )
    with pytest.raises(UsageError, match=r"^decision 'maybe': use approve or reject$"):
        await decide(client, new_id(), "approve", "maybe")  # type: ignore[arg-type]
    # A pipeline file is the CLI's to resolve (flowkit.compiler.workflow_type, tested in
    # tests/compiler/test_build_pipeline.py; `flowkit run missing.yaml` in test_cli_ops).


@pytest.mark.asyncio
async def test_an_unknown_run_is_run_not_found_for_every_operation(flowkit_env: Any) -> None:
    client, missing = flowkit_env.client, new_id("no-such-run")
    calls = {
        "run_status": lambda: run_status(client, missing),
        "run_history": lambda: run_history(client, missing),
        "cancel_run": lambda: cancel_run(client, missing),
        "run_result": lambda: run_result(client, missing),
        "submit_form": lambda: submit_form(client, missing, "collect", {"topic": "t"}),
        "decide": lambda: decide(client, missing, "approve", "approve", by="ed"),
    }
    for name, call in calls.items():
        with pytest.raises(RunNotFound) as unknown:
            await call()
        assert str(unknown.value).startswith("no such run: "), name
        assert isinstance(unknown.value, UsageError)  # the CLI exits 2


# -- starting ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_start_run_with_an_id_twice_is_the_same_run(flowkit_env: Any) -> None:
    client = flowkit_env.client
    async with run_worker(client, **defs.CONTENT) as tq:
        run_id = new_id("draft")
        first = await start_run(
            client, "ContentDraft", {"approvers": ["ed"]}, id=run_id, task_queue=tq
        )
        again = await start_run(
            client, "ContentDraft", {"approvers": ["ed"]}, id=run_id, task_queue=tq
        )
        named = await start_run(client, "ContentDraft", task_queue=tq)
        for started in (first, named):
            # Terminated only once its workflow task is done: the time-skipping server
            # stops skipping for good after a run ends with a task in flight.
            await waiting_on(client, started.id, "collect")
            await client.get_workflow_handle(started.id).terminate("test over")
    assert (first.id, first.workflow, first.existing) == (run_id, "ContentDraft", False)
    assert again.existing is True
    assert again.run_id == first.run_id
    assert again.to_json() == {
        "id": run_id, "run_id": first.run_id, "workflow": "ContentDraft", "existing": True,
    }  # fmt: skip
    prefix, suffix = named.id.rsplit("-", 1)
    assert prefix == "ContentDraft"
    assert len(suffix) == 8
    int(suffix, 16)
    assert named.existing is False


@pytest.mark.asyncio
async def test_start_run_without_a_task_queue_uses_the_worker_task_queue_setting(
    flowkit_env: Any,
) -> None:
    client = flowkit_env.client
    queue = f"from-settings-{uuid.uuid4().hex[:6]}"
    policy.configure(worker__task_queue=queue)
    try:
        async with run_worker(client, workflows=[reliability.OrderWorkflow], task_queue=queue):
            started = await start_run(client, "OrderWorkflow", {"priority": 2})
            outcome = await run_result(client, started.id)
            found = await run_status(client, started.id)
    finally:
        policy.reset()
    assert found.task_queue == queue
    assert (outcome.status, outcome.value) == ("completed", 4)
    assert outcome.to_json() == {"id": started.id, "status": "completed", "result": 4}


# -- input, decisions, results and history ----------------------------------------------


@pytest.mark.asyncio
async def test_a_form_and_an_approval_through_the_library(flowkit_env: Any) -> None:
    client = flowkit_env.client
    async with run_worker(client, **defs.CONTENT) as tq:
        run_id = (await start_run(client, "ContentDraft", {"approvers": ["ed"]}, task_queue=tq)).id
        status = await waiting_on(client, run_id, "collect")
        assert (status.status, status.workflow, status.stuck) == ("running", "ContentDraft", None)

        with pytest.raises(InputRejected) as refused:
            await submit_form(client, run_id, "collect", {"topic": ""})
        assert refused.value.update == "submit"
        assert refused.value.reason.startswith("invalid input for step 'collect' (3 problems)")
        assert refused.value.reasons == [
            "topic: required", "audience: required", "contact: required",
        ]  # fmt: skip
        assert str(refused.value) == f"submit rejected: {refused.value.reason}"
        with pytest.raises(InputRejected) as unknown_field:
            await submit_form(client, run_id, "collect", {"x": 1})
        assert unknown_field.value.reasons[-1] == "x: not a field of this form"
        await waiting_on(client, run_id, "collect")  # a refused submission changes nothing

        sent = await submit_form(client, run_id, "collect", defs.GOOD_INPUT)
        assert (sent.id, sent.step, sent.update, sent.by) == (run_id, "collect", "submit", None)
        assert sent.answer["accepted"] is True
        assert (await waiting_on(client, run_id, "approve")).waiting[0]["approvers"] == ["ed"]

        with pytest.raises(InputRejected) as not_an_approver:
            await decide(client, run_id, "approve", "approve", by="mallory")
        assert not_an_approver.value.update == "approve"
        assert "'mallory' may not decide step 'approve'; approvers: ed" in str(
            not_an_approver.value
        )
        approved = await decide(client, run_id, "approve", "approve", by="ed", comment="ship it")
        assert (approved.update, approved.by) == ("approve", "ed")
        assert approved.answer["outcome"] == "approved"

        outcome = await run_result(client, run_id)
        told = await run_history(client, run_id)
    assert outcome.completed
    assert outcome.value["approved_by"] == "ed"
    assert outcome.value["comment"] == "ship it"
    assert [(e.kind, e.action, e.step) for e in told.events] == [
        ("run", "started", "ContentDraft"),
        ("input", "received", "collect"),
        ("function", "started", "generate"),
        ("function", "completed", "generate"),
        ("timer", "started", "approve timeout"),
        ("input", "received", "approve"),
        ("timer", "cancelled", "approve timeout"),
        ("run", "completed", "ContentDraft"),
    ]
    assert told.events[5].detail == "approve by ed"
    assert told.stuck is None
    assert told.to_json() == [e.to_json() for e in told.events]
    json.dumps(told.to_json())  # JSON-ready as it is


@pytest.mark.asyncio
async def test_a_rejection_by_the_flowkit_user_ends_the_run_failed(
    flowkit_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOWKIT_USER", "ed")
    client = flowkit_env.client
    async with run_worker(client, **defs.CONTENT) as tq:
        run_id = (await start_run(client, "ContentDraft", {"approvers": ["ed"]}, task_queue=tq)).id
        await waiting_on(client, run_id, "collect")
        await submit_form(client, run_id, "collect", defs.GOOD_INPUT)
        await waiting_on(client, run_id, "approve")
        rejected = await decide(client, run_id, "approve", "reject", comment="no")
        outcome = await run_result(client, run_id)
    assert rejected.by == "ed"  # nobody named: $FLOWKIT_USER decides
    assert rejected.answer["outcome"] == "rejected"
    assert (outcome.completed, outcome.status) == (False, "failed")
    assert "step 'approve' was rejected by ed" in outcome.error
    assert outcome.to_json() == {"id": run_id, "status": "failed", "error": outcome.error}


@pytest.mark.asyncio
async def test_a_cancelled_run_ends_canceled_and_says_so(flowkit_env: Any) -> None:
    client = flowkit_env.client
    async with run_worker(client, **defs.CONTENT) as tq:
        run_id = (await start_run(client, "ContentDraft", task_queue=tq)).id
        await waiting_on(client, run_id, "collect")
        cancelled = await cancel_run(client, run_id)
        outcome = await run_result(client, run_id)
        told = await run_history(client, run_id)
        closed = await run_status(client, run_id)
    assert cancelled.to_json() == {"id": run_id, "cancel_requested": True}
    assert (outcome.status, outcome.completed, outcome.value) == ("canceled", False, None)
    assert outcome.error
    assert (told.events[-1].kind, told.events[-1].action) == ("run", "cancelled")
    assert (closed.status, closed.running, closed.waiting) == ("canceled", [], [])


@pytest.mark.asyncio
async def test_a_failed_run_tells_its_root_cause(flowkit_env: Any) -> None:
    client = flowkit_env.client
    trip = {"traveller": "Ada", "city": "Lisbon"}
    async with run_worker(client, **defs.TRIP) as tq:
        started = await start_run(client, "TripSaga", trip, task_queue=tq)
        outcome = await run_result(client, started.id)
        told = await run_history(client, started.id)
    assert outcome.status == "failed"
    assert "no car available in Lisbon" in outcome.error
    assert "\n" not in outcome.error
    steps = [(e.action, e.step) for e in told.events if e.kind == "function"]
    assert ("failed", "book_car") in steps
    assert ("completed", "compensate: cancel flight") in steps
