"""Option types of the client, with Restack's names and fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio.converter import DataConverter, PayloadCodec

__all__ = ["AgentEvent", "CloudConnectionOptions", "ResourceOptions", "Service", "ServiceOptions"]


@dataclass
class CloudConnectionOptions:
    """Where and how to connect (Restack's name).

    ``engine_id`` and ``api_address`` are accepted for compatibility and ignored: flowkit
    runs on any Temporal server and adds no prefixes. Unlike Restack, ``data_converter``
    is honoured.
    """

    engine_id: str = ""
    api_key: str | None = None
    address: str | None = None
    api_address: str | None = None
    temporal_namespace: str | None = None
    data_converter: DataConverter | None = None
    payload_codecs: list[PayloadCodec] | None = None


@dataclass
class ServiceOptions:
    """How a service's worker runs (Restack's name and fields).

    ``endpoints``, ``endpoint_group`` and ``webhook_url`` concern Restack's cloud and are
    ignored. ``graceful_shutdown`` is how long running steps may take to finish after
    SIGINT/SIGTERM; default from the ``worker.graceful_shutdown`` setting.
    """

    rate_limit: int | None = None
    max_concurrent_workflow_runs: int | None = None
    max_concurrent_function_runs: int | None = None
    endpoints: bool | None = False
    endpoint_group: str | None = None
    webhook_url: str | None = None
    graceful_shutdown: timedelta | None = None


@dataclass
class ResourceOptions:
    """Let the worker size its slots by CPU and memory use instead of fixed counts."""

    target_cpu_usage: float | None = None
    target_memory_usage: float | None = None


@dataclass
class AgentEvent:
    """An event sent with a start: ``schedule_agent(..., event=AgentEvent("greet", {...}))``."""

    name: str
    input: Any = None


@dataclass
class Service:
    """What one worker runs: agents, workflows and functions on one task queue.

    A project lists its services in ``server/service.py``; ``flowkit worker`` runs them,
    one worker per task queue.
    """

    agents: Sequence[type] = field(default_factory=list)
    workflows: Sequence[type] = field(default_factory=list)
    functions: Sequence[Callable[..., Any]] = field(default_factory=list)
    task_queue: str | None = None
    options: ServiceOptions | None = None
    resources: ResourceOptions | None = None
