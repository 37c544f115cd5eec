"""OpenTelemetry spans for starts, runs and steps, from flowkit.Client(tracing=...)."""

from __future__ import annotations

import uuid

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from flowkit import Client
from tests.sdk import defs

pytestmark = pytest.mark.asyncio


async def test_tracing_records_the_workflow_and_its_steps(flowkit_env):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    client = Client(address=flowkit_env.client.service_client.config.target_host, tracing=tracer)
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    workflow_id = f"traced-{uuid.uuid4().hex[:8]}"
    async with client.service(
        workflows=[defs.DefaultsWorkflow], functions=[defs.echo], task_queue=queue
    ):
        with tracer.start_as_current_span("checkout"):
            await client.schedule_workflow(
                workflow_name="DefaultsWorkflow", workflow_id=workflow_id, task_queue=queue
            )
        assert await client.get_workflow_result(workflow_id) == ["A", "B"]
    names = [span.name for span in exporter.get_finished_spans()]
    assert "StartWorkflow:DefaultsWorkflow" in names
    assert "RunWorkflow:DefaultsWorkflow" in names
    assert names.count("StartActivity:echo") == 2
    assert names.count("RunActivity:echo") == 2
