"""Traces by the observability.tracing setting: one trace, client → run → steps → child."""

from __future__ import annotations

import uuid

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from flowkit import Client, policy
from flowkit.runtime import configure_tracing
from flowkit.testing import run_worker
from tests.observability import defs


@pytest.fixture
def traced(monkeypatch):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setenv("FLOWKIT_OBSERVABILITY__TRACING", "true")
    policy.reset()
    configure_tracing(provider)
    yield provider, exporter
    policy.reset()


@pytest.mark.asyncio
async def test_one_trace_with_the_expected_shape(flowkit_env, traced):
    provider, exporter = traced
    client = Client(address=flowkit_env.client.service_client.config.target_host)
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    run_id = f"traced-{uuid.uuid4().hex[:8]}"
    # No workflow cache: every workflow task replays the history so far.
    async with run_worker(
        await client.connect(),
        workflows=[defs.TracedParent, defs.TracedChild],
        functions=[defs.shout],
        task_queue=queue,
        max_cached_workflows=0,
    ):
        with provider.get_tracer("app").start_as_current_span("checkout"):
            await client.schedule_workflow(
                workflow_name="TracedParent",
                workflow_id=run_id,
                workflow_input="hi",
                task_queue=queue,
            )
        assert await client.get_workflow_result(run_id) == ["HI", "HI"]
    spans = exporter.get_finished_spans()
    assert len({s.context.trace_id for s in spans}) == 1
    by_id = {s.context.span_id: s for s in spans}

    # temporalio's interceptor parents what a workflow does to the span that started it
    # (workflow spans have no duration): run, steps and child starts hang off StartWorkflow.
    shape = sorted((s.name, by_id[s.parent.span_id].name if s.parent else None) for s in spans)
    assert shape == sorted(
        [
            ("checkout", None),
            ("StartWorkflow:TracedParent", "checkout"),
            ("RunWorkflow:TracedParent", "StartWorkflow:TracedParent"),
            ("StartActivity:shout", "StartWorkflow:TracedParent"),
            ("RunActivity:shout", "StartActivity:shout"),
            ("StartChildWorkflow:TracedChild", "StartWorkflow:TracedParent"),
            ("RunWorkflow:TracedChild", "StartChildWorkflow:TracedChild"),
            ("StartActivity:shout", "StartChildWorkflow:TracedChild"),
            ("RunActivity:shout", "StartActivity:shout"),
            ("CompleteWorkflow:TracedChild", "StartChildWorkflow:TracedChild"),
            ("CompleteWorkflow:TracedParent", "StartWorkflow:TracedParent"),
        ]
    )
    names = [s.name for s in spans]
    assert names.count("RunActivity:shout") == 2
    run = next(s for s in spans if s.name == "RunWorkflow:TracedParent")
    assert run.attributes["temporalWorkflowID"] == run_id
    # Replay-safe: each span once, though every task replayed the run's history.
    assert names.count("RunWorkflow:TracedParent") == 1
