"""The runtime: client connection, services (workers), data conversion, embedded servers."""

from flowkit._sdk._log import configure_logging
from flowkit.runtime._binaries import find_temporal_cli, find_test_server
from flowkit.runtime._client import Client
from flowkit.runtime._connection import connect_config
from flowkit.runtime._converter import FlowkitPayloadConverter, InvalidInput, PayloadTooLarge
from flowkit.runtime._options import (
    AgentEvent,
    CloudConnectionOptions,
    ResourceOptions,
    Service,
    ServiceOptions,
)
from flowkit.runtime._plugin import PASSTHROUGH_MODULES, data_converter, plugin
from flowkit.runtime._service import build_worker, run_until_signal

__all__ = [
    "PASSTHROUGH_MODULES",
    "AgentEvent",
    "Client",
    "CloudConnectionOptions",
    "FlowkitPayloadConverter",
    "InvalidInput",
    "PayloadTooLarge",
    "ResourceOptions",
    "Service",
    "ServiceOptions",
    "build_worker",
    "configure_logging",
    "connect_config",
    "data_converter",
    "find_temporal_cli",
    "find_test_server",
    "plugin",
    "run_until_signal",
]
