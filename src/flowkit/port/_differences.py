"""Every way flowkit's surface differs from ``restack_ai`` 0.0.121's, each with its reason.

This is the one allow-list. The parity test (``tests/restack_compat``) finds the
signature differences itself from Restack's manifest and fails on any not listed here,
and on any entry here it no longer finds; behaviour differences a signature cannot show
are listed with ``checked=False``. ``docs/sdk.md`` shows :func:`differences_table`
("Differences from Restack"), and a test keeps the two the same.

Subjects name what differs: a module (``restack_ai.webhook``), a name
(``restack_ai.agent.StepKwargs``), a parameter (``...Agent.step(function)``) or a
function's unknown keywords (``...Agent.step(**)``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DIFFERENCES", "Difference", "differences_table"]


@dataclass(frozen=True)
class Difference:
    """One difference, and why.

    Attributes:
        subjects: what differs, as the parity test names it.
        reason: why flowkit differs.
        instead: what to use in flowkit, if anything.
        checked: whether the parity test finds it from signatures (else: behaviour).
    """

    subjects: tuple[str, ...]
    reason: str
    instead: str = ""
    checked: bool = True


def _each(prefix: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{prefix}{name}" for name in names)


_BOTH = ("restack_ai.agent.", "restack_ai.workflow.")
_CALLS = ("restack_ai.agent.Agent.", "restack_ai.workflow.Workflow.")

DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        (
            "restack_ai.endpoints",
            "restack_ai.webhook",
            "restack_ai.playground",
            "restack_ai.playground.workflow",
            "restack_ai.test_connection",
            *_each(
                "restack_ai.restack.",
                "FunctionsOnly",
                "PlaygroundRun",
                "WebhookPayload",
                "explore_class_details",
                "make_payload",
                "send_webhook",
                "send_webhook_sync",
            ),
        ),
        "Restack's engine and cloud: endpoint registration, service webhooks, the "
        "playground workflow, the engine connectivity check. flowkit runs on any Temporal "
        "server and has none of them.",
        "`flowkit doctor` checks a setup; the Temporal Web UI runs and inspects workflows",
    ),
    Difference(
        (
            "restack_ai.observability",
            *_each("restack_ai.function.", "log_with_context", "logger"),
            *_each("restack_ai.workflow.", "log_with_context", "logger"),
            "restack_ai.restack.log_with_context",
        ),
        "Restack's own logger setup (colours, RESTACK_LOG_LEVEL), imported by its modules "
        "for their own messages.",
        "`log` from flowkit.agent / workflow / function; `flowkit.workflow.configure_logging`",
    ),
    Difference(
        ("restack_ai.payload_codec", "restack_ai.restack.LargePayloadCodec"),
        "LargePayloadCodec uploads payloads over 128 kB to Restack's codec server, which "
        "stock Temporal does not have.",
        "keep large data outside the run and pass a reference; `limits.payload_bytes` "
        "refuses an oversized payload on the side that made it",
    ),
    Difference(
        (
            *_each(_BOTH[0], "StepKwargs", "ChildKwargs"),
            *_each(_BOTH[1], "StepKwargs", "ChildKwargs"),
        ),
        "Restack's TypedDicts for `**kwargs` (they leave out `start_to_close_timeout` and "
        "others the calls read). flowkit's `step` and `child_*` declare their keywords and "
        "are typed by overloads instead.",
        "the keywords themselves; `flowkit._sdk` StepOptions / ChildOptions are internal",
    ),
    Difference(
        (
            *_each(_BOTH[0], "RestackFunction", "RestackFunctionInput"),
            *_each(_BOTH[1], "RestackFunction", "RestackFunctionInput"),
        ),
        "aliases of `Any` Restack uses in its own annotations.",
        "`typing.Any`",
    ),
    Difference(
        ("restack_ai.function.StreamState",),
        "the internal state of Restack's `stream_to_websocket`.",
    ),
    Difference(
        (
            "restack_ai.agent.Agent.event(function)",
            "restack_ai.agent.Agent.run(function)",
            "restack_ai.workflow.Workflow.run(function)",
        ),
        "decorators, used bare (`@agent.event`): the name of the decorated function's "
        "parameter is never written.",
    ),
    Difference(
        _each(_CALLS[0], "step(function)") + _each(_CALLS[1], "step(function)"),
        "required: Restack reads it with `kwargs.get` and its step fails inside Temporal "
        "without it; flowkit says so at the call.",
    ),
    Difference(
        tuple(f"{c}{m}(**)" for c in _CALLS for m in ("step", "child_start", "child_execute")),
        "flowkit raises TypeError naming an unknown keyword where Restack ignores it: in "
        "workflow code an ignored keyword is a silent change of policy (a misspelt "
        "`start_to_close_timout=`). The error fails the workflow task, so fixing the code "
        "and redeploying resumes the run.",
        "the keywords each call lists (a type checker sees them too)",
    ),
    Difference(
        (
            "restack_ai.restack.Restack.schedule_workflow(workflow_name)",
            "restack_ai.restack.Restack.schedule_workflow(workflow_id)",
            "restack_ai.restack.Restack.schedule_agent(agent_name)",
            "restack_ai.restack.Restack.schedule_agent(agent_id)",
        ),
        "required: Restack reads them with `kwargs.get` and starts `None` with the id "
        "`local-None` without them.",
    ),
    Difference(
        (
            "restack_ai.restack.Restack.schedule_workflow",
            "restack_ai.restack.Restack.schedule_agent",
            "restack_ai.restack.Restack.start_service",
        ),
        "unknown keywords are ignored, as in Restack, but with an IgnoredKeywordWarning "
        "naming the keyword meant (`input=` gives the run no input: `workflow_input=` "
        "does).",
        checked=False,
    ),
    Difference(
        (
            "restack_ai.restack.Restack.schedule_workflow",
            "restack_ai.restack.Restack.get_workflow_handle",
            "restack_ai.restack.Restack.create_service",
            "restack_ai.restack.CloudConnectionOptions",
        ),
        "no engine-id prefixes: ids and task queues are used as given (default queue "
        "`flowkit`, not `local-restack`); `engine_id` and `api_address` are accepted and "
        "ignored, and no `engineId` search attribute is set, so stock Temporal needs no "
        "setup.",
        checked=False,
    ),
    Difference(
        (*_each(_CALLS[0], "step", "child_execute"), *_each(_CALLS[1], "step", "child_execute")),
        "flowkit's default policy where a call passes none: retries from 5 s, at most 6 "
        "attempts, 2 min start-to-close, 30 s heartbeat that flowkit sends for the "
        "function (Restack: unlimited retries, 5 min, no heartbeat).",
        "pass `retry_policy=` / `start_to_close_timeout=`, or the `policy.*` settings",
        checked=False,
    ),
    Difference(
        ("restack_ai.function.stream_to_websocket",),
        "flowkit has no streaming endpoint: each chunk is recorded as the step's heartbeat "
        "(not sent to a websocket), and the summary's `text` is the streamed text (Restack "
        'returns `""`). Giving `api_address` warns.',
        "read the chunks from the step's heartbeat details, or return the text",
        checked=False,
    ),
    Difference(
        ("restack_ai.restack.Restack.run_service", "restack_ai.restack.ServiceOptions"),
        "Restack's service webhooks and endpoint registration (`webhook_url`, `endpoints`, "
        "`endpoint_group`) are accepted and ignored (`run_service(webhook_url=...)` warns).",
        checked=False,
    ),
    Difference(
        ("restack_ai.Sensitive", "restack_ai.security.Sensitive"),
        "same wire format and `.unwrap()`; `flowkit.runtime.Sensitive` is flowkit's own, "
        "different field sealing (an annotation keyed by FLOWKIT_ENCRYPTION_KEYS, no codec "
        "needed). A wrong-size key raises KeyConfigError, not ValueError.",
        checked=False,
    ),
)


def differences_table() -> str:
    """The Markdown table of :data:`DIFFERENCES` that ``docs/sdk.md`` shows."""
    rows = ["| Restack | flowkit differs because | instead |", "|---|---|---|"]
    for difference in DIFFERENCES:
        subjects = "<br>".join(f"`{s}`" for s in difference.subjects)
        kind = "" if difference.checked else " *(behaviour)*"
        rows.append(f"| {subjects} | {difference.reason}{kind} | {difference.instead} |")
    return "\n".join(rows) + "\n"
