"""flowkit's defaults and the one settings loader.

(Past 300 lines: one small pydantic model per settings section, beside the loader that
reads them all; split, the defaults and the table of settings would sit apart.)

Where a step or child call passes no policy, flowkit applies these defaults:

- retry: exponential backoff from 5 s, coefficient 2.0, at most 2 min apart, 6 attempts;
- step start-to-close timeout: 2 min;
- heartbeat timeout: 30 s, with functions heartbeating on their own while they run;
- continue-as-new: when the server suggests it, or past 10,000 history events or 10 MB.

They can be changed, from lowest to highest precedence, by ``config/settings.yaml``
(then ``config/settings.<FLOWKIT_ENV>.yaml``), by ``FLOWKIT_*`` environment variables
(``FLOWKIT_POLICY__RETRY__MAX_ATTEMPTS=3``: sections joined by ``__``) and by CLI flags.
The module attributes ``DEFAULT_RETRY``, ``DEFAULT_STEP_TIMEOUT``, ``DEFAULT_HEARTBEAT``,
``CONTINUE_AS_NEW_HISTORY_LENGTH``, ``CONTINUE_AS_NEW_HISTORY_SIZE``, ``DEFAULT_LOOP_MAX``
and ``DEFAULT_TASK_QUEUE`` always read the settings in force (see :func:`current`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from temporalio.common import RetryPolicy

from flowkit._durations import MAX_DURATION, format_duration, parse_duration
from flowkit._environment import environment
from flowkit.errors import UsageError

__all__ = [
    "CONTINUE_AS_NEW_HISTORY_LENGTH",
    "CONTINUE_AS_NEW_HISTORY_SIZE",
    "DEFAULT_HEARTBEAT",
    "DEFAULT_LOOP_MAX",
    "DEFAULT_RETRY",
    "DEFAULT_STEP_TIMEOUT",
    "DEFAULT_TASK_QUEUE",
    "MAX_DURATION",
    "RUN_POLICY_MEMO",
    "TASK_QUEUE",
    "ContinueAsNewSettings",
    "LimitSettings",
    "LogSettings",
    "ObservabilitySettings",
    "PolicySettings",
    "RetrySettings",
    "SecuritySettings",
    "Settings",
    "TemporalSettings",
    "WorkerSettings",
    "configure",
    "current",
    "environment",
    "format_duration",
    "load_settings",
    "parse_duration",
    "reset",
    "run_policy_memo",
]

ENV_PREFIX = "FLOWKIT_"
#: The task queue workers serve and runs start on unless a setting or flag says otherwise.
TASK_QUEUE = "flowkit"
SETTINGS_FILE = Path("config") / "settings.yaml"


# ASCII only: `\d` would take Unicode digits (such as "٣"), which nothing downstream expects.
class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: Any) -> timedelta:
    return parse_duration(value)


def _csv(value: Any) -> Any:
    # A list from the environment arrives as one string: "a,b".
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class RetrySettings(_Section):
    """The retry policy applied to steps and child workflows that pass none."""

    initial: timedelta = timedelta(seconds=5)
    backoff: float = Field(default=2.0, ge=1.0)
    maximum_interval: timedelta = timedelta(minutes=2)
    max_attempts: int = Field(default=6, ge=0, description="0 means unlimited")

    _durations = field_validator("initial", "maximum_interval", mode="before")(_duration)

    def to_retry_policy(self) -> RetryPolicy:
        """The equivalent ``temporalio.common.RetryPolicy``."""
        return RetryPolicy(
            initial_interval=self.initial,
            backoff_coefficient=self.backoff,
            maximum_interval=self.maximum_interval,
            maximum_attempts=self.max_attempts,
        )


class ContinueAsNewSettings(_Section):
    """When a long-running workflow continues as new (besides the server's suggestion)."""

    history_length: int = Field(default=10_000, gt=0)
    history_size: int = Field(default=10_000_000, gt=0, description="bytes")


class PolicySettings(_Section):
    """Default retry, timeout, heartbeat and continue-as-new policy."""

    retry: RetrySettings = RetrySettings()
    timeout: timedelta = timedelta(minutes=2)
    heartbeat: timedelta = Field(
        default=timedelta(seconds=30), description="0 means steps have no heartbeat timeout"
    )
    auto_heartbeat: bool = Field(
        default=True,
        description="functions heartbeat every third of their heartbeat timeout while they run",
    )
    continue_as_new: ContinueAsNewSettings = ContinueAsNewSettings()
    loop_max: int = Field(default=3, ge=1)

    _durations = field_validator("timeout", "heartbeat", mode="before")(_duration)


class TemporalSettings(_Section):
    """Where the Temporal server is. Unset fields fall back to Temporal's own env config."""

    address: str | None = None
    namespace: str | None = None
    api_key: str | None = None
    tls: bool | None = None
    profile: str | None = None


class WorkerSettings(_Section):
    """What ``flowkit worker`` runs."""

    app: str | None = Field(default=None, description="module:attribute of the service")
    task_queue: str = TASK_QUEUE
    graceful_shutdown: timedelta = timedelta(seconds=30)

    _durations = field_validator("graceful_shutdown", mode="before")(_duration)


class LimitSettings(_Section):
    """Limits checked where data enters a run, before Temporal's own (harsher) ones."""

    payload_bytes: int = Field(
        default=1_000_000,
        gt=0,
        le=2_000_000,
        description="largest payload (input, event, form input, step result) in bytes; "
        "Temporal's server refuses blobs over 2 MB",
    )


class LogSettings(_Section):
    """How ``flowkit.*.log`` prints."""

    format: Literal["console", "json"] = "console"
    level: Literal["debug", "info", "warning", "error", "critical"] = "info"
    redact: bool = Field(default=True, description="mask secrets and personal data in lines")
    redact_keys: list[str] = Field(
        default_factory=list, description="more field names whose values are always masked"
    )
    redact_allow: list[str] = Field(
        default_factory=list, description="field names never masked (ids you know are safe)"
    )

    _lists = field_validator("redact_keys", "redact_allow", mode="before")(_csv)


class SecuritySettings(_Section):
    """Payload encryption and the codec server. Keys never go in settings files: they come
    from ``FLOWKIT_ENCRYPTION_KEYS`` or the file named by ``key_file`` /
    ``FLOWKIT_ENCRYPTION_KEY_FILE``."""

    key_file: str | None = Field(default=None, description="file holding key_id:base64 lines")
    compress: bool = Field(default=True, description="zlib-compress payloads before encrypting")
    encrypt_payloads: bool = Field(
        default=True,
        description="encrypt whole payloads when keys are set; off, only Sensitive fields are",
    )
    codec_cors_origins: list[str] = Field(
        default_factory=lambda: ["http://localhost:8233", "http://127.0.0.1:8233"],
        description="browser origins (the Web UI) allowed to call the codec server",
    )

    _lists = field_validator("codec_cors_origins", mode="before")(_csv)


class ObservabilitySettings(_Section):
    """Traces (OpenTelemetry) and worker metrics (Prometheus)."""

    tracing: bool = Field(default=False, description="trace clients, runs, steps and children")
    exporter: Literal["none", "console", "otlp"] = "none"
    otlp_endpoint: str | None = Field(default=None, description="default: the OTLP exporter's")
    service_name: str = "flowkit"
    prometheus: str | None = Field(
        default=None, description="host:port where workers serve Prometheus metrics"
    )


class Settings(_Section):
    """All of flowkit's settings, as loaded by :func:`load_settings`."""

    temporal: TemporalSettings = TemporalSettings()
    worker: WorkerSettings = WorkerSettings()
    policy: PolicySettings = PolicySettings()
    limits: LimitSettings = LimitSettings()
    log: LogSettings = LogSettings()
    security: SecuritySettings = SecuritySettings()
    observability: ObservabilitySettings = ObservabilitySettings()
    pipeline: dict[str, Any] = Field(default_factory=dict)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _nest(dotted: Mapping[str, Any], sep: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        parts = [p for p in key.split(sep) if p]
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise UsageError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(
            f"{path}: settings must be a mapping of sections, got {type(data).__name__}"
        )
    return data


def load_settings(
    *,
    cli: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    root: Path | str | None = None,
) -> Settings:
    """Load settings: CLI > environment > ``.env`` > YAML files > defaults.

    Args:
        cli: dotted keys from command-line flags, e.g. ``{"policy.retry.max_attempts": 3}``.
        environ: the environment (default ``os.environ`` over the project's ``.env``);
            ``FLOWKIT_ENV`` picks the
            overlay file and ``FLOWKIT_<SECTION>__<KEY>`` variables set single values.
        root: the project folder holding ``config/`` (default: the working directory).

    Raises:
        UsageError: a file is not valid YAML, or a value is unknown or malformed; the
            message names where the value came from.
    """
    base = Path.cwd() if root is None else Path(root)
    env = environment(base) if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = []
    files = [base / SETTINGS_FILE]
    if env.get("FLOWKIT_ENV"):
        files.append(base / "config" / f"settings.{env['FLOWKIT_ENV']}.yaml")
    for path in files:
        if path.is_file():
            layers.append((str(path), _read_yaml(path)))
    env_values = {
        k[len(ENV_PREFIX) :].lower(): v
        for k, v in env.items()
        if k.startswith(ENV_PREFIX) and "__" in k and v != ""
    }
    if env_values:
        layers.append(("environment (FLOWKIT_*)", _nest(env_values, "__")))
    if cli:
        layers.append(("command line", _nest({k: v for k, v in cli.items() if v is not None}, ".")))
    merged: dict[str, Any] = {}
    for source, layer in layers:
        merged = _merge(merged, layer)
        try:  # validate each layer as it lands, so the error can name its source
            Settings.model_validate(merged)
        except PydanticValidationError as exc:
            raise UsageError(_describe(exc, source)) from None
    return Settings.model_validate(merged)


def _describe(exc: PydanticValidationError, source: str) -> str:
    lines = [f"invalid settings from {source}:"]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown setting"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


_current: Settings | None = None


def current() -> Settings:
    """The settings in force: those given to :func:`configure`, else loaded once from
    the working directory and the environment."""
    global _current
    if _current is None:
        _current = _load_outside_sandbox()
    return _current


def _load_outside_sandbox() -> Settings:
    from temporalio import workflow

    if workflow.in_workflow():  # reading files is restricted in the sandbox; this is config
        with workflow.unsafe.sandbox_unrestricted():
            return load_settings()
    return load_settings()


def configure(settings: Settings | None = None, **cli: Any) -> Settings:
    """Put settings in force for this process and return them.

    Call it before importing the modules that read ``DEFAULT_*`` at import time.

    Args:
        settings: settings to use as they are; when omitted they are loaded with
            ``cli`` as the command-line layer.
        **cli: dotted keys with ``__`` for dots, e.g. ``policy__retry__max_attempts=3``.
    """
    global _current
    if settings is None:
        settings = load_settings(cli={k.replace("__", "."): v for k, v in cli.items()})
    _current = settings
    return settings


def reset() -> None:
    """Forget the settings in force; the next :func:`current` loads them again."""
    global _current
    _current = None


#: The memo key under which a run keeps the continue-as-new thresholds it started with.
RUN_POLICY_MEMO = "flowkit_continue_as_new"


def run_policy_memo() -> dict[str, Any]:
    """The memo entry a client adds when it starts a run: the continue-as-new thresholds
    of the settings in force, which the run keeps for its whole life (its code reads
    them from its memo, never from the settings of the worker that runs or replays it)."""
    return {RUN_POLICY_MEMO: current().policy.continue_as_new.model_dump()}


if TYPE_CHECKING:
    DEFAULT_RETRY: RetryPolicy
    DEFAULT_STEP_TIMEOUT: timedelta
    DEFAULT_HEARTBEAT: timedelta
    CONTINUE_AS_NEW_HISTORY_LENGTH: int
    CONTINUE_AS_NEW_HISTORY_SIZE: int
    DEFAULT_LOOP_MAX: int
    DEFAULT_TASK_QUEUE: str


def __getattr__(name: str) -> Any:
    policy = current().policy
    match name:
        case "DEFAULT_RETRY":
            return policy.retry.to_retry_policy()
        case "DEFAULT_STEP_TIMEOUT":
            return policy.timeout
        case "DEFAULT_HEARTBEAT":
            return policy.heartbeat
        case "CONTINUE_AS_NEW_HISTORY_LENGTH":
            return policy.continue_as_new.history_length
        case "CONTINUE_AS_NEW_HISTORY_SIZE":
            return policy.continue_as_new.history_size
        case "DEFAULT_LOOP_MAX":
            return policy.loop_max
        case "DEFAULT_TASK_QUEUE":
            return current().worker.task_queue
    raise AttributeError(f"module 'flowkit.policy' has no attribute {name!r}")
