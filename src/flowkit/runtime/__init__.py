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
from flowkit.runtime._codec import EncryptionCodec, codec_from_environment
from flowkit.runtime._codec_server import CodecServer
from flowkit.runtime._connection import connect_config
from flowkit.runtime._converter import FlowkitPayloadConverter, InvalidInput, PayloadTooLarge
from flowkit.runtime._crypto import (
    DecryptionError,
    Key,
    KeyConfigError,
    KeyRing,
    generate_key,
    load_keys,
    parse_keys,
)
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
from flowkit.runtime._sensitive import Sensitive
from flowkit.runtime._service import build_worker, run_until_signal
from flowkit.runtime._tracing import configure_tracing
from flowkit.workflow import configure_logging

__all__ = [
    "PASSTHROUGH_MODULES",
    "RUN_STATUSES",
    "AgentEvent",
    "Cancelled",
    "Client",
    "CloudConnectionOptions",
    "CodecServer",
    "DecryptionError",
    "DevServer",
    "EncryptionCodec",
    "FlowkitPayloadConverter",
    "History",
    "InvalidInput",
    "Key",
    "KeyConfigError",
    "KeyRing",
    "PayloadTooLarge",
    "ResourceOptions",
    "RunResult",
    "RunSummary",
    "Sensitive",
    "Sent",
    "Service",
    "ServiceOptions",
    "Started",
    "build_worker",
    "cancel_run",
    "codec_from_environment",
    "configure_logging",
    "configure_tracing",
    "connect_config",
    "data_converter",
    "decide",
    "find_temporal_cli",
    "find_test_server",
    "follow_history",
    "generate_key",
    "list_runs",
    "load_app",
    "load_keys",
    "parse_input",
    "parse_keys",
    "parse_status",
    "plugin",
    "port_open",
    "run_app",
    "run_history",
    "run_result",
    "run_status",
    "run_until_signal",
    "serve_app",
    "start_run",
    "stop_process",
    "submit_form",
]
