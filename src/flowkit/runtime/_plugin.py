"""The flowkit Temporal plugin: pydantic data conversion with limits, a sandbox that just
works, runs that keep the continue-as-new policy they started with, and functions that
heartbeat while they run.

Pass it to a plain ``temporalio`` client (``Client.connect(..., plugins=[plugin()])``) and
it applies to that client, its workers and replayers alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from temporalio.converter import DataConverter, DefaultPayloadConverter, PayloadCodec
from temporalio.plugin import SimplePlugin
from temporalio.worker import WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from flowkit.runtime._codec import codec_from_environment
from flowkit.runtime._converter import FlowkitPayloadConverter
from flowkit.runtime._heartbeat import AutoHeartbeat
from flowkit.runtime._run_memo import RunPolicyMemo
from flowkit.runtime._tracing import tracing_interceptor

__all__ = ["PASSTHROUGH_MODULES", "data_converter", "plugin"]

# Modules imported once, outside the sandbox, and shared by every workflow run. flowkit
# itself must be: its settings and logger are process state, not workflow state.
PASSTHROUGH_MODULES = ("flowkit", "structlog", "rich", "yaml", "opentelemetry")


def data_converter(
    codec: PayloadCodec | None = None, base: DataConverter | None = None
) -> DataConverter:
    """flowkit's data converter, with ``codec`` (encryption, compression) if given.

    Payloads are pydantic JSON; one over ``limits.payload_bytes`` is refused where it is
    made, and one that does not fit its model fails the run or step that receives it
    (see :class:`FlowkitPayloadConverter`). A ``base`` with a payload converter of its
    own keeps it.

    Without a ``codec`` (and a ``base`` without one), payloads are encrypted when the
    environment sets keys (``FLOWKIT_ENCRYPTION_KEYS`` or ``FLOWKIT_ENCRYPTION_KEY_FILE``,
    see :class:`flowkit.runtime.EncryptionCodec`): the client, workers, every CLI command
    and the test fixtures all build their converter here, so they agree.

    Raises:
        KeyConfigError: the keys in the environment are malformed.
    """
    base = base or DataConverter.default
    converter = base
    if base.payload_converter_class is DefaultPayloadConverter:
        converter = dataclasses.replace(base, payload_converter_class=FlowkitPayloadConverter)
    if codec is None and base.payload_codec is None:
        codec = codec_from_environment()
    if codec is not None:
        converter = dataclasses.replace(converter, payload_codec=codec)
    return converter


def _runner(extra: Sequence[str]) -> object:
    def customize(runner: WorkflowRunner | None) -> WorkflowRunner:
        if runner is None:
            runner = SandboxedWorkflowRunner()
        if isinstance(runner, SandboxedWorkflowRunner):
            restrictions = runner.restrictions.with_passthrough_modules(
                *PASSTHROUGH_MODULES, *extra
            )
            return dataclasses.replace(runner, restrictions=restrictions)
        return runner

    return customize


def plugin(*, passthrough: Sequence[str] = ()) -> SimplePlugin:
    """The flowkit plugin.

    Args:
        passthrough: more modules to share with workflows (e.g. your models package).
    """
    interceptors: list[object] = [RunPolicyMemo(), AutoHeartbeat()]
    traced = tracing_interceptor()  # the observability.tracing setting
    if traced is not None:
        interceptors.append(traced)
    return SimplePlugin(
        "flowkit",
        data_converter=lambda dc: data_converter(base=dc),
        interceptors=interceptors,  # type: ignore[arg-type]
        workflow_runner=_runner(passthrough),  # type: ignore[arg-type]
    )
