"""A JSON Schema of the YAML pipeline format, for editor completion (``flowkit schema``)."""

from __future__ import annotations

from typing import Any

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
            "when": {**_DOTTED, "description": STEP_KEYS["when"]},
            **_settings(),
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
