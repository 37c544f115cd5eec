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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowkit.runtime._app import app_start_metadata, load_app, run_app, serve_app
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
    from flowkit.runtime._keywords import IgnoredKeywordWarning
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
        Divergence,
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
    "Divergence",
    "EncryptionCodec",
    "FlowkitPayloadConverter",
    "History",
    "IgnoredKeywordWarning",
    "InvalidInput",
    "Key",
    "KeyConfigError",
    "KeyRing",
    "PayloadTooLarge",
    "RecordedHistory",
    "ReplayOutcome",
    "ReplayReport",
    "ResourceOptions",
    "RunResult",
    "RunSummary",
    "Sensitive",
    "Sent",
    "Service",
    "ServiceOptions",
    "Started",
    "app_start_metadata",
    "app_workflows",
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


# Each name is imported from its module on first use, so that `from flowkit import Client`
# does not pay for workers, run operations and the rest (docs/performance.md).
_LAZY: dict[str, str] = {
    "Divergence": "flowkit.runtime._replay",
    "RecordedHistory": "flowkit.runtime._replay",
    "ReplayOutcome": "flowkit.runtime._replay",
    "ReplayReport": "flowkit.runtime._replay",
    "app_workflows": "flowkit.runtime._replay",
    "read_histories": "flowkit.runtime._replay",
    "read_history": "flowkit.runtime._replay",
    "replay_histories": "flowkit.runtime._replay",
    "server_histories": "flowkit.runtime._replay",
    "EncryptionCodec": "flowkit.runtime._codec",
    "codec_from_environment": "flowkit.runtime._codec",
    "CodecServer": "flowkit.runtime._codec_server",
    "DecryptionError": "flowkit.runtime._crypto",
    "Key": "flowkit.runtime._crypto",
    "KeyConfigError": "flowkit.runtime._crypto",
    "KeyRing": "flowkit.runtime._crypto",
    "generate_key": "flowkit.runtime._crypto",
    "load_keys": "flowkit.runtime._crypto",
    "parse_keys": "flowkit.runtime._crypto",
    "Sensitive": "flowkit.runtime._sensitive",
    "configure_tracing": "flowkit.runtime._tracing",
    "app_start_metadata": "flowkit.runtime._app",
    "load_app": "flowkit.runtime._app",
    "run_app": "flowkit.runtime._app",
    "serve_app": "flowkit.runtime._app",
    "find_temporal_cli": "flowkit.runtime._binaries",
    "find_test_server": "flowkit.runtime._binaries",
    "Client": "flowkit.runtime._client",
    "connect_config": "flowkit.runtime._connection",
    "FlowkitPayloadConverter": "flowkit.runtime._converter",
    "InvalidInput": "flowkit.runtime._converter",
    "PayloadTooLarge": "flowkit.runtime._converter",
    "DevServer": "flowkit.runtime._devserver",
    "port_open": "flowkit.runtime._devserver",
    "stop_process": "flowkit.runtime._devserver",
    "cancel_run": "flowkit.runtime._operations",
    "follow_history": "flowkit.runtime._operations",
    "list_runs": "flowkit.runtime._operations",
    "parse_status": "flowkit.runtime._operations",
    "run_history": "flowkit.runtime._operations",
    "run_result": "flowkit.runtime._operations",
    "run_status": "flowkit.runtime._operations",
    "start_run": "flowkit.runtime._operations",
    "AgentEvent": "flowkit.runtime._options",
    "CloudConnectionOptions": "flowkit.runtime._options",
    "ResourceOptions": "flowkit.runtime._options",
    "Service": "flowkit.runtime._options",
    "ServiceOptions": "flowkit.runtime._options",
    "PASSTHROUGH_MODULES": "flowkit.runtime._plugin",
    "data_converter": "flowkit.runtime._plugin",
    "plugin": "flowkit.runtime._plugin",
    "RUN_STATUSES": "flowkit.runtime._run_data",
    "Cancelled": "flowkit.runtime._run_data",
    "History": "flowkit.runtime._run_data",
    "RunResult": "flowkit.runtime._run_data",
    "RunSummary": "flowkit.runtime._run_data",
    "Sent": "flowkit.runtime._run_data",
    "Started": "flowkit.runtime._run_data",
    "decide": "flowkit.runtime._run_input",
    "parse_input": "flowkit.runtime._run_input",
    "submit_form": "flowkit.runtime._run_input",
    "build_worker": "flowkit.runtime._service",
    "run_until_signal": "flowkit.runtime._service",
    "IgnoredKeywordWarning": "flowkit.runtime._keywords",
    "configure_logging": "flowkit.workflow",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'flowkit.runtime' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
