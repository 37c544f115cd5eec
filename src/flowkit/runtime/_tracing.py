"""Traces by settings: temporalio's OpenTelemetry ``TracingInterceptor`` on every client
and worker when ``observability.tracing`` is on.

Spans (from temporalio, replay-safe: workflow spans are not made again on replay):
``StartWorkflow:<type>`` on the client, then ``RunWorkflow:<type>``, ``StartActivity:<step>``
and ``RunActivity:<step>``, ``StartChildWorkflow:<type>`` … with ``temporalWorkflowID``
and ``temporalRunID`` attributes, all in the trace of the caller's current span.
"""

from __future__ import annotations

from typing import Any

from flowkit import policy
from flowkit.errors import UsageError

__all__ = ["configure_tracing", "tracing_interceptor"]

_provider: Any = None


def configure_tracing(provider: Any = None) -> Any:
    """Use ``provider`` (an ``opentelemetry.sdk.trace.TracerProvider``) for flowkit's
    spans; without one, build one from the ``observability`` settings (exporter
    ``console`` or ``otlp``). Returns the provider."""
    global _provider
    if provider is None:
        provider = _from_settings(policy.current().observability)
    _provider = provider
    return provider


def _from_settings(settings: policy.ObservabilitySettings) -> Any:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    exporter: Any = None
    if settings.exporter == "console":
        exporter = ConsoleSpanExporter()
    elif settings.exporter == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # type: ignore[import-not-found,unused-ignore]
                OTLPSpanExporter,
            )
        except ImportError:
            raise UsageError(
                "observability.exporter=otlp needs the opentelemetry-exporter-otlp package"
            ) from None
        exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def tracing_interceptor() -> Any | None:
    """The interceptor to add when ``observability.tracing`` is on, else ``None``."""
    if not policy.current().observability.tracing:
        return None
    from temporalio.contrib.opentelemetry import TracingInterceptor

    provider = _provider if _provider is not None else configure_tracing()
    return TracingInterceptor(provider.get_tracer("flowkit"))
