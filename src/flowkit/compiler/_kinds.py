"""Built-in step kinds in YAML: which keys each kind takes (``_kind_options`` reads them).

The JSON Schema, the YAML front end and the docs test all use these tables.
"""

from __future__ import annotations

from typing import get_args

from flowkit.steps import FieldType

__all__ = [
    "FIELD_KEYS",
    "FIELD_TYPES",
    "HUMAN_KINDS",
    "KINDS",
    "KIND_KEYS",
    "METHODS",
    "MOCK_MODES",
    "REQUIRED",
]

#: Every kind, with a one-line description (the JSON Schema and the docs use these).
KINDS = {
    "function": "a flowkit function: uses: module.fn, or a generated stub",
    "workflow": "a child workflow: uses: module.Workflow",
    "form": "wait for input with declared fields (flowkit submit)",
    "approval": "wait for approve or reject (flowkit approve/reject)",
    "ai_generate": "a model call whose JSON output is checked against a schema",
    "api_call": "an HTTP request through httpx",
    "conditional": "a safe expression; its value is the step's result",
    "sleep": "a durable timer",
    "wait_until": "wait until a moment (an expression giving ISO 8601 text)",
}
#: The keys each kind takes besides the common ones (needs, when, kind, settings …).
KIND_KEYS: dict[str, dict[str, str]] = {
    "function": {"uses": "dotted path of an existing function to call"},
    "workflow": {"uses": "dotted path of the workflow class to run as a child"},
    "form": {
        "fields": "the fields: a key, or {key, type, required, pattern, choices, label}",
        "title": "shown to people while the run waits",
        "allow_extra": "accept keys that are not fields",
    },
    "approval": {
        "approvers": "who may decide (matched against --by); empty: anyone",
        "on_timeout": "approve, reject or fail (default) when the timeout passes",
        "on_reject": "a step to run on rejection, after which the run ends",
        "title": "shown to people while the run waits",
    },
    "ai_generate": {
        "template": "the prompt, a Jinja template over the run's context",
        "system": "an optional system prompt (a template too)",
        "variables": "extra template variables: name: expression",
        "output_schema": "a JSON Schema the reply must satisfy",
        "max_schema_retries": "retries allowed for schema violations (default 2)",
        "provider": "mock (default) or openai",
        "model": "the model name",
        "mock": "the mock provider: {mode, seed, failures}",
    },
    "api_call": {
        "url": "the URL, a template",
        "method": "GET (default), POST, PUT, PATCH, DELETE, HEAD",
        "headers": "name: template",
        "params": "query parameters: name: template",
        "body": "a JSON body; every string in it is a template",
        "expect_status": "the statuses that count as success (default any 2xx/3xx)",
        "variables": "extra template variables: name: expression",
    },
    "conditional": {"expression": "a safe expression over the run's context"},
    "sleep": {"duration": "how long, e.g. 10m"},
    "wait_until": {"until": "an expression giving an ISO 8601 time"},
}
REQUIRED = {
    "workflow": ("uses",),
    "form": ("fields",),
    "ai_generate": ("template",),
    "api_call": ("url",),
    "conditional": ("expression",),
    "sleep": ("duration",),
    "wait_until": ("until",),
}
HUMAN_KINDS = frozenset({"form", "approval"})
FIELD_KEYS = ("key", "type", "required", "pattern", "choices", "label")
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
MOCK_MODES = ("success", "schema_violation", "timeout", "transient_error")
