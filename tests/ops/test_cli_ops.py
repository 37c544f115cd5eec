"""The run commands end to end against the Temporal dev server, through ``flowkit.cli.run``:
their arguments, what they print (text and ``--json``) and their exit codes.

What the commands decide is flowkit.runtime's, tested directly in test_run_operations.py
and test_run_operations_dev.py. The CLI runs its own event loop, so each call runs in a
thread while the worker runs on the test's loop.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from flowkit.cli import run as cli
from flowkit.testing import run_worker
from tests.ops import defs

pytestmark = [pytest.mark.asyncio, pytest.mark.dev_server]


class Flowkit:
    """Runs ``flowkit`` commands against one server and captures what they print."""

    def __init__(self, env, capsys) -> None:
        self.address = env.client.service_client.config.target_host
        self.capsys = capsys

    async def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = await asyncio.to_thread(cli, [*argv, "--address", self.address])
        out, err = self.capsys.readouterr()
        return code, out, err

    async def json(self, *argv: str) -> object:
        code, out, err = await self(*argv, "--json")
        assert code == 0, err
        return json.loads(out)


async def _status_when_waiting(flowkit: Flowkit, run_id: str, step: str) -> dict:
    for _ in range(100):
        status = await flowkit.json("status", run_id)
        if [w["step"] for w in status["waiting"]] == [step]:
            return status
        await asyncio.sleep(0.1)
    raise AssertionError(f"{run_id} never waited on {step}")


async def test_run_submit_approve_result_history(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = f"draft-{uuid.uuid4().hex[:8]}"
    async with run_worker(flowkit_dev_env.client, **defs.CONTENT) as tq:
        start = ["run", "ContentDraft", "--id", run_id, "--task-queue", tq]
        first = await flowkit.json(*start, "--input", '{"approvers": ["ed"]}')
        again = await flowkit.json(*start, "--input", '{"approvers": ["ed"]}')
        assert first["existing"] is False
        assert again["existing"] is True
        assert again["run_id"] == first["run_id"]  # an idempotent start

        status = await _status_when_waiting(flowkit, run_id, "collect")
        assert status["status"] == "running"
        assert status["workflow"] == "ContentDraft"
        code, out, _ = await flowkit("status", run_id)
        assert "waiting on form collect: topic, audience, words, contact" in out

        code, out, err = await flowkit("submit", run_id, "collect", "--input", '{"topic": ""}')
        assert code == 2
        assert err.count("\n") == 1
        assert "submit rejected: invalid input for step 'collect' (3 problems)" in err
        assert "topic: required; audience: required; contact: required" in err
        rejected = await flowkit("submit", run_id, "collect", "--input", '{"x": 1}', "--json")
        assert json.loads(rejected[1])["reasons"][-1] == "x: not a field of this form"
        await _status_when_waiting(flowkit, run_id, "collect")  # still waiting

        code, out, err = await flowkit(
            "submit", run_id, "collect", "--input", json.dumps(defs.GOOD_INPUT)
        )
        assert (code, out.strip()) == (0, f"submitted collect to {run_id}"), err
        status = await _status_when_waiting(flowkit, run_id, "approve")
        assert status["waiting"][0]["approvers"] == ["ed"]

        code, _, err = await flowkit("approve", run_id, "approve", "--by", "mallory")
        assert code == 2
        assert "'mallory' may not decide step 'approve'; approvers: ed" in err
        code, out, err = await flowkit(
            "approve", run_id, "approve", "--by", "ed", "--comment", "ship it"
        )
        assert code == 0, err

        draft = await flowkit.json("result", run_id)
        assert draft["approved_by"] == "ed"
        assert draft["comment"] == "ship it"

        events = await flowkit.json("history", run_id)
        code, text, _ = await flowkit("history", run_id)
    account = [(e["kind"], e["action"], e["step"]) for e in events]
    assert account == [
        ("run", "started", "ContentDraft"),
        ("input", "received", "collect"),
        ("function", "started", "generate"),
        ("function", "completed", "generate"),
        ("timer", "started", "approve timeout"),  # the approval's 7-day limit
        ("input", "received", "approve"),
        ("timer", "cancelled", "approve timeout"),
        ("run", "completed", "ContentDraft"),
    ]
    assert events[3]["seconds"] >= 0
    assert events[5]["detail"] == "approve by ed"
    assert "completed  function generate in " in text

    for _ in range(50):  # visibility is eventually consistent
        listed = await flowkit.json("list", "--status", "completed")
        if run_id in [r["id"] for r in listed]:
            break
        await asyncio.sleep(0.1)
    assert run_id in [r["id"] for r in listed]
    running = await flowkit.json("list", "--status", "running")
    assert run_id not in [r["id"] for r in running]


async def test_run_wait_shows_steps_then_a_failed_run_exits_1(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    trip = json.dumps({"traveller": "Ada", "city": "Lisbon"})
    async with run_worker(flowkit_dev_env.client, **defs.TRIP) as tq:
        code, out, err = await flowkit(
            "run", "TripSaga", "--input", trip, "--task-queue", tq, "--wait"
        )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("started: TripSaga id=TripSaga-")
    assert any("completed  function book_hotel in " in line for line in lines)
    assert any("failed     function book_car" in line for line in lines)
    assert any("completed  function compensate: cancel flight" in line for line in lines)
    assert "no car available in Lisbon" in err


async def test_cancel_and_user_mistakes(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = f"draft-{uuid.uuid4().hex[:8]}"
    async with run_worker(flowkit_dev_env.client, **defs.CONTENT) as tq:
        await flowkit.json("run", "ContentDraft", "--id", run_id, "--task-queue", tq)
        await _status_when_waiting(flowkit, run_id, "collect")
        assert (await flowkit.json("cancel", run_id))["cancel_requested"] is True
        code, _, err = await flowkit("result", run_id)
        assert code == 1
        assert "did not complete" in err
    code, out, _ = await flowkit("history", run_id)
    assert "cancelled" in out or "canceled" in out
    for argv, message in [
        (["status", "no-such-run"], "no such run"),
        (["run", "ContentDraft", "--input", "{nope"], "--input is not JSON"),
        (["run", "ContentDraft", "--input", "@/no/such.json"], "no such file"),
        (["run", "samples/no_such_pipeline.yaml"], "no pipeline file"),
        (["list", "--status", "sleeping"], "--status sleeping: use one of running"),
        (["submit", run_id, "collect", "--input", "[1]"], "must be a JSON object"),
    ]:
        code, _, err = await flowkit(*argv)
        assert code == 2, argv
        assert message in err
        assert "Traceback" not in err


async def test_status_lists_running_runs_and_history_follows_to_the_end(flowkit_dev_env, capsys):
    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = f"draft-{uuid.uuid4().hex[:8]}"
    handle = flowkit_dev_env.client.get_workflow_handle(run_id)
    async with run_worker(flowkit_dev_env.client, **defs.CONTENT) as tq:
        await flowkit.json("run", "ContentDraft", "--id", run_id, "--task-queue", tq)
        await _status_when_waiting(flowkit, run_id, "collect")
        for _ in range(50):  # visibility is eventually consistent
            running = await flowkit.json("status")
            if run_id in [r["id"] for r in running]:
                break
            await asyncio.sleep(0.1)
        assert run_id in [r["id"] for r in running]

        # Only the follower prints while it runs; the test talks to the run directly.
        follower = asyncio.create_task(flowkit("history", run_id, "--follow"))
        await asyncio.sleep(0.5)
        await handle.execute_update("submit", {"step": "collect", "data": defs.GOOD_INPUT})
        await _waiting_for(handle, "approve")
        await handle.execute_update("reject", {"step": "approve", "by": "ed", "comment": "no"})
        code, out, err = await asyncio.wait_for(follower, 20)
        assert code == 0, err
        lines = out.splitlines()
        assert "started    run      ContentDraft" in lines[0]
        assert "completed  function generate in " in out
        assert "received   input    approve — reject by ed" in out
        assert "failed     run      ContentDraft" in lines[-1]
        assert "was rejected by ed" in lines[-1]

        code, _, err = await flowkit("result", run_id)
        assert code == 1
        assert "step 'approve' was rejected by ed" in err
        code, _, err = await flowkit("reject", run_id, "approve")
        assert code == 2
        assert "the run has already ended; it takes no more input" in err


async def _waiting_for(handle, step: str) -> None:
    for _ in range(100):
        if [w["step"] for w in await handle.query("waiting_on")] == [step]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never waited on {step}")


async def test_run_of_a_pipeline_file_tells_its_story_in_the_web_ui(flowkit_dev_env, capsys):
    from flowkit.compiler import load_pipeline, start_metadata

    flowkit = Flowkit(flowkit_dev_env, capsys)
    run_id = f"story-{uuid.uuid4().hex[:8]}"
    tq = f"nobody-{uuid.uuid4().hex[:8]}"  # no worker needed: the story is set at start
    started = await flowkit.json(
        "run", "samples/content_draft.yaml", "--id", run_id, "--task-queue", tq
    )
    assert started["workflow"] == "ContentDraft"
    handle = flowkit_dev_env.client.get_workflow_handle(run_id)
    try:
        described = await handle.describe()
        summary, details = start_metadata(load_pipeline("samples/content_draft.yaml"))
        assert await described.static_summary() == summary
        assert await described.static_details() == details
        assert details.startswith("**ContentDraft**: ")
    finally:
        await handle.terminate("test over")
