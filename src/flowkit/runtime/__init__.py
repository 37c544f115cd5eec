"""The runtime: client connection, services (workers), data conversion, embedded servers,
and run operations as a library.

The run operations are what the ``flowkit`` run commands call: async functions over a
connected ``temporalio.client.Client`` that return records with ``to_json()``::

    from flowkit.runtime import Client, decide, run_result, start_run

    client = await Client().connect()
    started = await start_run(client, "Publish", {"post": 42}, id="publish-42")
    await decide(client, started.id, "review", "approve", by="ed")
    outcome = await run_result(client, started.id)  # outcome.completed, .value, .error

See docs/operations.md ("As a library") for every function.
"""

from flowkit.runtime._app import load_app, run_app, serve_app
from flowkit.runtime._binaries import find_temporal_cli, find_test_server
from flowkit.runtime._client import Client
from flowkit.runtime._connection import connect_config
from flowkit.runtime._converter import FlowkitPayloadConverter, InvalidInput, PayloadTooLarge
from flowkit.runtime._devserver import DevServer, port_open, stop_process
from flowkit.runtime._operations import (
    cancel_run,
    follow_history,
    list_runs,
    parse_status,
    run_history,
    run_result,
    run_status,
    start_run,
)
from flowkit.runtime._options import (
    AgentEvent,
    CloudConnectionOptions,
    ResourceOptions,
    Service,
    ServiceOptions,
)
from flowkit.runtime._plugin import PASSTHROUGH_MODULES, data_converter, plugin
from flowkit.runtime._replay import (
    RecordedHistory,
    ReplayOutcome,
    ReplayReport,
    app_workflows,
    read_histories,
    read_history,
    replay_histories,
    server_histories,
)
from flowkit.runtime._run_data import (
    RUN_STATUSES,
    Cancelled,
    History,
    RunResult,
    RunSummary,
    Sent,
    Started,
)
from flowkit.runtime._run_input import decide, parse_input, submit_form
from flowkit.runtime._service import build_worker, run_until_signal
from flowkit.workflow import configure_logging

__all__ = [
    "PASSTHROUGH_MODULES",
    "RUN_STATUSES",
    "AgentEvent",
    "Cancelled",
    "Client",
    "CloudConnectionOptions",
    "DevServer",
    "FlowkitPayloadConverter",
    "History",
    "InvalidInput",
    "PayloadTooLarge",
    "RecordedHistory",
    "ReplayOutcome",
    "ReplayReport",
    "ResourceOptions",
    "RunResult",
    "RunSummary",
    "Sent",
    "Service",
    "ServiceOptions",
    "Started",
    "app_workflows",
    "build_worker",
    "cancel_run",
    "configure_logging",
    "connect_config",
    "data_converter",
    "decide",
    "find_temporal_cli",
    "find_test_server",
    "follow_history",
    "list_runs",
    "load_app",
    "parse_input",
    "parse_status",
    "plugin",
    "port_open",
    "read_histories",
    "read_history",
    "replay_histories",
    "run_app",
    "run_history",
    "run_result",
    "run_status",
    "run_until_signal",
    "serve_app",
    "server_histories",
    "start_run",
    "stop_process",
    "submit_form",
]
