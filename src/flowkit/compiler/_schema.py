"""A JSON Schema of the YAML pipeline format, for editor completion (``flowkit schema``)."""

from __future__ import annotations

from typing import Any

from flowkit.compiler._kinds import FIELD_TYPES, KIND_KEYS, KINDS, METHODS, MOCK_MODES
from flowkit.compiler._yaml import CONTINUE_AS_NEW_KEYS, INPUT_TYPES, STEP_KEYS, TOP_KEYS

__all__ = ["json_schema"]

_DURATION = {
    "type": ["string", "number"],
    "pattern": r"^\s*\d+(\.\d+)?\s*(ms|s|m|h|d|w)?\s*$",
    "description": "a duration: 90s, 10m, 1h, 2d (a number is seconds)",
}
_NAME = {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"}
_DOTTED = {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"}


def _settings() -> dict[str, Any]:
    return {
        "timeout": {**_DURATION, "description": STEP_KEYS["timeout"]},
        "heartbeat": {**_DURATION, "description": STEP_KEYS["heartbeat"]},
        "retries": {"type": "integer", "minimum": 0, "description": STEP_KEYS["retries"]},
    }


def _kind_keys() -> dict[str, Any]:
    """The keys of the built-in step kinds (which kind takes which is in the description)."""
    text = {"type": "string"}
    strings = {"type": "object", "additionalProperties": {"type": "string"}}
    field = {
        "oneOf": [
            _NAME,
            {
                "type": "object",
                "required": ["key"],
                "additionalProperties": False,
                "properties": {
                    "key": _NAME,
                    "type": {"enum": list(FIELD_TYPES)},
                    "required": {"type": "boolean"},
                    "pattern": {"type": "string", "format": "regex"},
                    "choices": {"type": "array", "items": {"type": "string"}},
                    "label": {"type": "string"},
                },
            },
        ]
    }
    shapes: dict[str, Any] = {
        "fields": {"type": "array", "items": field, "minItems": 1},
        "allow_extra": {"type": "boolean"},
        "approvers": {"oneOf": [text, {"type": "array", "items": text}]},
        "on_timeout": {"enum": ["approve", "reject", "fail"]},
        "on_reject": _NAME,
        "variables": strings,
        "output_schema": {"type": "object"},
        "max_schema_retries": {"type": "integer", "minimum": 0},
        "provider": {"enum": ["mock", "openai"]},
        "mock": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "mode": {"enum": list(MOCK_MODES)},
                "seed": {"type": "integer", "minimum": 0},
                "failures": {"type": "integer", "minimum": 0},
            },
        },
        "method": {"enum": list(METHODS)},
        "headers": strings,
        "params": strings,
        "body": {},
        "expect_status": {
            "oneOf": [
                {"type": "integer", "minimum": 100, "maximum": 599},
                {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 599}},
            ]
        },
        "duration": _DURATION,
    }
    out: dict[str, Any] = {}
    for keys in KIND_KEYS.values():
        for key, description in keys.items():
            if key == "uses":
                continue
            kinds = " / ".join(k for k, ks in KIND_KEYS.items() if key in ks)
            out[key] = {**shapes.get(key, text), "description": f"{kinds}: {description}"}
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a flowkit pipeline YAML file."""
    step = {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            "needs": {
                "description": STEP_KEYS["needs"],
                "oneOf": [_NAME, {"type": "array", "items": _NAME}],
            },
            "uses": {**_DOTTED, "description": STEP_KEYS["uses"]},
            "when": {"type": "string", "description": STEP_KEYS["when"]},
            "kind": {"enum": list(KINDS), "description": STEP_KEYS["kind"]},
            "compensate": {**_NAME, "description": STEP_KEYS["compensate"]},
            **_settings(),
            **_kind_keys(),
        },
    }
    properties: dict[str, Any] = {
        "pipeline": {**_NAME, "description": TOP_KEYS["pipeline"]},
        "description": {"type": "string", "description": TOP_KEYS["description"]},
        "input": {
            "type": "object",
            "description": TOP_KEYS["input"],
            "additionalProperties": {"enum": list(INPUT_TYPES)},
        },
        "defaults": {
            "type": "object",
            "description": TOP_KEYS["defaults"],
            "additionalProperties": False,
            "properties": _settings(),
        },
        "flow": {"type": "string", "description": TOP_KEYS["flow"]},
        "steps": {
            "type": "object",
            "description": TOP_KEYS["steps"],
            "additionalProperties": step,
        },
        "loops": {
            "type": "object",
            "description": TOP_KEYS["loops"],
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"max": {"type": "integer", "minimum": 1}},
            },
        },
        "max_parallel": {"type": "integer", "minimum": 1, "description": TOP_KEYS["max_parallel"]},
        "fail_fast": {"type": "boolean", "description": TOP_KEYS["fail_fast"]},
        "continue_as_new": {
            "type": "object",
            "description": TOP_KEYS["continue_as_new"],
            "additionalProperties": False,
            "properties": {
                "after_steps": {
                    "type": "integer",
                    "minimum": 1,
                    "description": CONTINUE_AS_NEW_KEYS["after_steps"],
                }
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://flowkit.dev/schemas/pipeline.json",
        "title": "flowkit pipeline",
        "type": "object",
        "required": ["pipeline"],
        "additionalProperties": False,
        "anyOf": [{"required": ["flow"]}, {"required": ["steps"]}],
        "properties": properties,
    }
