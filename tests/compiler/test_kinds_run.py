"""Compiled pipelines with built-in step kinds, run in process on the time-skipping server.

Each test builds a sample (or a small pipeline) with ``build_pipeline`` into a temporary
folder, imports the package, and runs it with ``flowkit.testing.run_worker``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowFailureError, WorkflowHandle, WorkflowUpdateFailedError

from flowkit.compiler import build_pipeline
from flowkit.testing import run_worker, scheduled_steps

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="session")]
SAMPLES = ROOT / "samples"

GOOD = {"topic": "durable timers", "audience": "devs", "contact": "ed@example.com"}


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("build")
    sys.path.insert(0, str(root))

    def compile_(source: Path | str, name: str = "") -> ModuleType:
        path = Path(source)
        if not path.exists():  # YAML text
            path = root / f"{name}.yaml"
            path.write_text(str(source), encoding="utf-8")
        built = build_pipeline(path, root)
        return importlib.import_module(f"{built.package}.worker")

    yield compile_
    sys.path.remove(str(root))


async def start(
    client: Any, worker: ModuleType, tq: str, **fields: Any
) -> WorkflowHandle[Any, Any]:
    workflow = worker.WORKFLOWS[0]
    models = importlib.import_module(workflow.__module__.replace(".workflow", ".models"))
    pipeline_input = getattr(models, f"{workflow.__name__}Input")(**fields)
    return await client.start_workflow(
        workflow.run, pipeline_input, id=f"kinds-{uuid.uuid4().hex[:8]}", task_queue=tq
    )


async def waiting_on(handle: WorkflowHandle[Any, Any], step: str) -> dict[str, Any]:
    for _ in range(200):
        waiting = await handle.query("waiting_on")
        if waiting and waiting[0]["step"] == step:
            return dict(waiting[0])
        await asyncio.sleep(0.02)
    raise AssertionError(f"the run never waited on {step}")


async def test_content_draft_waits_validates_generates_and_is_approved(
    flowkit_client: Any, build: Any
) -> None:
    worker = build(SAMPLES / "content_draft.yaml")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq)
        collect = await waiting_on(handle, "collect")
        assert [f["key"] for f in collect["fields"]] == [
            "topic", "audience", "words", "contact", "slug",
        ]  # fmt: skip

        bad = {"audience": "cats", "contact": "nobody", "slug": "Not A Slug"}
        with pytest.raises(WorkflowUpdateFailedError) as rejected:
            await handle.execute_update("submit", {"step": "collect", "data": bad})
        assert rejected.value.cause.type == "InvalidSubmission"
        reasons = rejected.value.cause.details[0]["reasons"]
        assert reasons[0] == "topic: required"
        assert any(r.startswith("audience:") for r in reasons)
        assert any("does not match the pattern [a-z0-9-]+" in r for r in reasons)
        await waiting_on(handle, "collect")  # the run keeps waiting on the form

        await handle.execute_update("submit", {"step": "collect", "data": GOOD})
        approve = await waiting_on(handle, "approve")
        assert approve["approvers"] == ["ed", "ann"]
        with pytest.raises(WorkflowUpdateFailedError) as outsider:
            await handle.execute_update("approve", {"step": "approve", "by": "mallory"})
        assert outsider.value.cause.type == "NotAnApprover"
        await handle.execute_update("approve", {"step": "approve", "by": "ed"})
        result = await handle.result()
        steps = await scheduled_steps(handle)
    assert result.collect["topic"] == "durable timers"
    assert set(result.generate.output) >= {"title", "summary", "sections"}
    assert result.generate.attempt == 1
    assert result.approve.outcome == "approved"
    assert result.approve.by == "ed"
    assert [s.summary for s in steps] == ["generate"]


async def test_a_schema_violation_is_retried_twice_then_the_run_fails(
    flowkit_client: Any, build: Any
) -> None:
    text = (SAMPLES / "content_draft.yaml").read_text(encoding="utf-8")
    text = text.replace("pipeline: ContentDraft", "pipeline: ContentDraftBroken")
    worker = build(text.replace("mode: success", "mode: schema_violation"), "broken")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq)
        await waiting_on(handle, "collect")
        await handle.execute_update("submit", {"step": "collect", "data": GOOD})
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
        attempts = [
            e.activity_task_started_event_attributes.attempt
            async for e in handle.fetch_history_events()
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        ]
    cause = failed.value.cause
    while getattr(cause, "cause", None) is not None:
        cause = cause.cause
    assert cause.type == "SchemaViolation"
    assert "after 3 attempts" in str(cause)
    assert attempts == [3]  # the server records the last attempt of a retried step


async def test_build_service_runs_seven_steps_with_the_searches_together(
    flowkit_client: Any, build: Any
) -> None:
    worker = build(SAMPLES / "build_service.yaml")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq, request="a URL shortener")
        result = await handle.result()
        steps = await scheduled_steps(handle)
        events = [
            (e.event_type, e.activity_task_scheduled_event_attributes.activity_type.name)
            async for e in handle.fetch_history_events()
        ]
    order = [s.summary for s in steps]
    assert order[0] == "plan"
    assert sorted(order[1:3]) == ["search_code", "search_docs"]
    assert order[3:] == ["generate_code", "commit", "notify"]  # evaluate_code is no call
    # Both searches were scheduled before either completed: they ran concurrently.
    scheduled = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    kinds = [
        kind
        for kind, _ in events
        if kind in (scheduled, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
    ]
    assert kinds[:4] == [
        scheduled,
        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
        scheduled,
        scheduled,
    ]
    assert result.evaluate_code is True
    for name in ("plan", "search_docs", "search_code", "generate_code", "commit", "notify"):
        assert getattr(result, name) is not None, name


WHEN = """\
pipeline: Gate
input:
  score: int
steps:
  measure:
  publish: {needs: measure, when: "input['score'] > 5 and measure['text'] != ''"}
  report: {needs: publish}
"""


@pytest.mark.parametrize(("score", "published"), [(9, True), (1, False)])
async def test_when_expression_decides_inside_the_workflow(
    flowkit_client: Any, build: Any, score: int, published: bool
) -> None:
    worker = build(WHEN, "gate")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq, score=score)
        result = await handle.result()
        steps = await scheduled_steps(handle)
    assert (result.publish is not None) is published
    assert result.report is not None  # what follows a skipped step runs either way
    expected = ["measure", "publish", "report"] if published else ["measure", "report"]
    assert [s.summary for s in steps] == expected


class _TravelApi(BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        sent = json.loads(self.rfile.read(length) or b"{}")
        self.calls.append(f"POST {self.path} {sorted(sent.values())}")
        if self.path == "/cars":
            self._answer(409, {"error": "no cars left"})
        else:
            self._answer(201, {"reference": self.path.strip("/")[:2].upper() + "-1"})

    def do_DELETE(self) -> None:
        self.calls.append(f"DELETE {self.path}")
        self._answer(200, {"cancelled": self.path})

    def log_message(self, *args: Any) -> None:
        pass


async def test_trip_saga_cancels_hotel_then_flight_after_the_car_fails(
    flowkit_client: Any, build: Any
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TravelApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _TravelApi.calls = []
    api = f"http://127.0.0.1:{server.server_address[1]}"
    worker = build(SAMPLES / "trip_saga.yaml")
    try:
        async with run_worker(
            flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
        ) as tq:
            handle = await start(flowkit_client, worker, tq, api=api, traveller="Ada", city="LIS")
            with pytest.raises(WorkflowFailureError) as failed:
                await handle.result()
            steps = await scheduled_steps(handle)
    finally:
        server.shutdown()
    cause = failed.value.cause
    assert cause.type == "SagaCompensated"
    report = cause.details[0]
    assert report["compensated"] == ["cancel_hotel", "cancel_flight"]
    assert "409" in report["error"]
    assert _TravelApi.calls == [
        "POST /flights ['Ada', 'LIS']",
        "POST /hotels ['Ada', 'LIS']",
        "POST /cars ['Ada', 'LIS']",
        "DELETE /hotels/HO-1",
        "DELETE /flights/FL-1",
    ]
    assert [s.summary for s in steps] == [
        "book_flight", "book_hotel", "book_car", "cancel_hotel", "cancel_flight",
    ]  # fmt: skip


REVIEW = """\
pipeline: Review
steps:
  draft:
  review:
    kind: approval
    needs: draft
    on_reject: tell_author
    timeout: 2d
    on_timeout: reject
  publish: {needs: review}
  tell_author:
"""


@pytest.mark.parametrize("decide", ["reject", "wait"])
async def test_a_rejection_or_timeout_follows_on_reject_and_ends_the_run(
    flowkit_client: Any, build: Any, decide: str
) -> None:
    worker = build(REVIEW, "review")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq)
        await waiting_on(handle, "review")
        if decide == "reject":
            await handle.execute_update("reject", {"step": "review", "by": "ann"})
        result = await handle.result()  # a timeout of 2 days passes in no time here
        steps = await scheduled_steps(handle)
    assert result.review.outcome == ("rejected" if decide == "reject" else "timed_out")
    assert result.publish is None
    assert [s.summary for s in steps] == ["draft", "tell_author"]


FLOW_SAGA = """\
pipeline: FlowSaga
input:
  api: str
flow: A → CHECK →? CALL
steps:
  A: {compensate: UNDO_A}
  CHECK: {kind: conditional, expression: "len(input['api']) > 0"}
  CALL: {kind: api_call, url: "{{ input.api }}/x", retries: 1, when: CHECK}
  UNDO_A: {kind: sleep, duration: 1h}
"""


async def test_a_flow_compensates_with_a_built_in_step_when_a_later_one_fails(
    flowkit_client: Any, build: Any
) -> None:
    worker = build(FLOW_SAGA, "flow_saga")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq, api="http://127.0.0.1:9")
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
        steps = await scheduled_steps(handle)
    assert failed.value.cause.type == "SagaCompensated"
    assert failed.value.cause.details[0]["compensated"] == ["UNDO_A"]
    assert [s.summary for s in steps] == ["A", "CALL"]  # UNDO_A is a timer, not a call


async def test_a_pipeline_started_without_input_runs_on_its_defaults(
    flowkit_client: Any, build: Any
) -> None:
    worker = build(WHEN, "gate")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await flowkit_client.start_workflow(
            "Gate", id=f"kinds-{uuid.uuid4().hex[:8]}", task_queue=tq
        )
        result = await handle.result()
    assert result["publish"] is None  # score defaults to 0
    assert result["report"] == {"text": "report"}


FAILING = """\
pipeline: Failing
input:
  score: int
steps:
  measure:
  decide: {needs: measure, kind: conditional, expression: "input['score'] / 0 > 1"}
  publish: {needs: measure, when: "input['score'] / 0 > 1"}
"""


async def test_a_failing_expression_fails_the_run_naming_its_step(
    flowkit_client: Any, build: Any
) -> None:
    worker = build(FAILING, "failing")
    async with run_worker(
        flowkit_client, workflows=worker.WORKFLOWS, functions=worker.FUNCTIONS
    ) as tq:
        handle = await start(flowkit_client, worker, tq, score=3)
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
    cause = failed.value.cause
    assert cause.type == "ExpressionError"
    assert cause.message.startswith(("step decide: ", "step publish: ")), cause.message
