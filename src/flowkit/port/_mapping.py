"""Where each ``restack_ai`` module and name lives in flowkit: the one mapping.

The parity test (``tests/restack_compat``) holds flowkit's surface against Restack's
through it, and ``flowkit port`` rewrites imports by it.
"""

from __future__ import annotations

__all__ = ["MODULES", "NAMES", "flowkit_name"]

#: Restack module -> the flowkit module that mirrors it; ``None``: not mirrored (the
#: reason is in :data:`flowkit.port.DIFFERENCES`).
MODULES: dict[str, str | None] = {
    "restack_ai": "flowkit",
    "restack_ai.agent": "flowkit.agent",
    "restack_ai.workflow": "flowkit.workflow",
    "restack_ai.function": "flowkit.function",
    "restack_ai.restack": "flowkit.client",
    "restack_ai.security": "flowkit.security",
    "restack_ai.sensitive_codec": "flowkit.security",
    "restack_ai.event": "flowkit.event",
    "restack_ai.utils": "flowkit.utils",
    "restack_ai.observability": None,
    "restack_ai.payload_codec": None,
    "restack_ai.endpoints": None,
    "restack_ai.webhook": None,
    "restack_ai.playground": None,
    "restack_ai.playground.workflow": None,
    "restack_ai.test_connection": None,
}

#: (Restack module, name) -> (flowkit module, name), where either differs from what
#: :data:`MODULES` gives.
NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("restack_ai", "Restack"): ("flowkit", "Client"),
    ("restack_ai", "Sensitive"): ("flowkit.security", "Sensitive"),
    ("restack_ai", "SensitiveFieldsCodec"): ("flowkit.security", "SensitiveFieldsCodec"),
    ("restack_ai", "create_aes_gcm_encryption"): (
        "flowkit.security",
        "create_aes_gcm_encryption",
    ),
    ("restack_ai", "sensitive"): ("flowkit.security", "sensitive"),
    # restack_ai.restack imports these for itself; scripts import them from it.
    ("restack_ai.restack", "SensitiveFieldsCodec"): ("flowkit.security", "SensitiveFieldsCodec"),
    ("restack_ai.restack", "create_aes_gcm_encryption"): (
        "flowkit.security",
        "create_aes_gcm_encryption",
    ),
    ("restack_ai.restack", "should_use_https"): ("flowkit.utils", "should_use_https"),
    **{
        ("restack_ai.restack", name): (module, name)
        for module, names in {
            # Restack's ``Client`` there is temporalio's, not flowkit's ``Client``.
            "temporalio.client": (
                "Client",
                "Schedule",
                "ScheduleActionStartWorkflow",
                "WithStartWorkflowOperation",
                "WorkflowHandle",
                "WorkflowUpdateStage",
            ),
            "temporalio.common": (
                "SearchAttributeKey",
                "SearchAttributePair",
                "TypedSearchAttributes",
                "WorkflowIDConflictPolicy",
            ),
            "temporalio.worker": (
                "PollerBehaviorAutoscaling",
                "ResourceBasedTunerConfig",
                "Worker",
                "WorkerTuner",
            ),
            "temporalio.runtime": ("OpenTelemetryConfig", "Runtime", "TelemetryConfig"),
            "temporalio.contrib.pydantic": ("pydantic_data_converter",),
        }.items()
        for name in names
    },
}


def flowkit_name(module: str, name: str) -> tuple[str, str] | None:
    """Where ``from module import name`` (a Restack import) lives in flowkit, if anywhere."""
    if (module, name) in NAMES:
        return NAMES[(module, name)]
    target = MODULES.get(module)
    return None if target is None else (target, name)
