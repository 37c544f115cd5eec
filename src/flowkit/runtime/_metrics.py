"""Worker metrics for Prometheus, by the ``observability.prometheus`` setting.

With ``observability.prometheus: "0.0.0.0:9464"`` every client flowkit connects (and so
every worker) uses one Temporal runtime that serves Temporal's SDK metrics at
``http://<address>/metrics``: ``temporal_activity_execution_latency``,
``temporal_activity_execution_failed``, ``temporal_workflow_completed`` … labelled by
``activity_type`` (the step), ``workflow_type`` (the pipeline) and ``task_queue``.
"""

from __future__ import annotations

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

__all__ = ["prometheus_runtime"]

_runtimes: dict[str, Runtime] = {}


def prometheus_runtime(address: str) -> Runtime:
    """The process's runtime serving Prometheus metrics on ``address`` (made once)."""
    if address not in _runtimes:
        telemetry = TelemetryConfig(metrics=PrometheusConfig(bind_address=address))
        _runtimes[address] = Runtime(telemetry=telemetry)
    return _runtimes[address]
