"""The deterministic mock model behind ``ai_generate``'s default provider.

Same seed, prompt and schema: same reply. With a schema, the reply is a JSON value made
to satisfy it (types, enums, ``const``, required properties, length and range bounds);
the failure modes make a reply that breaks it, or fail the call as a model would.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from flowkit.function import RetryableError

__all__ = ["MockOptions", "Reply", "reply", "sample"]

MODEL = "mock-1"


class MockOptions(BaseModel):
    """How the mock provider behaves.

    Attributes:
        mode: ``success``; ``schema_violation`` (a reply that breaks the schema);
            ``timeout`` and ``transient_error`` (a retryable failure of the call).
        seed: the same seed, prompt and schema give the same reply.
        failures: how many first attempts misbehave before one succeeds; ``None``: all.
    """

    mode: Literal["success", "schema_violation", "timeout", "transient_error"] = "success"
    seed: int = 0
    failures: int | None = None


@dataclass(frozen=True)
class Reply:
    """A model's reply and the tokens it cost."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


def _words(prompt: str) -> list[str]:
    words = [w.strip(".,:;!?\"'()[]{}").lower() for w in prompt.split()]
    return [w for w in words if w.isalpha()] or ["mock"]


def _string(schema: dict[str, Any], rng: random.Random, words: list[str]) -> str:
    if schema.get("format") == "email":
        return f"{rng.choice(words)}@example.com"
    if schema.get("format") == "date":
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    low, high = int(schema.get("minLength", 1)), int(schema.get("maxLength", 80))
    text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 8)))
    while len(text) < low:
        text += " " + rng.choice(words)
    return text[:high]


def sample(schema: dict[str, Any], rng: random.Random, words: list[str]) -> Any:
    """A value that satisfies ``schema`` (for the schemas a generation step asks for)."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(list(schema["enum"]))
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return sample(schema[key][0], rng, words)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: sample(sub, rng, words) for name, sub in props.items()}
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        count = min(count, int(schema.get("maxItems", count)))
        return [sample(schema.get("items", {}), rng, words) for _ in range(count)]
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 100)))
    if kind == "number":
        low, high = float(schema.get("minimum", 0)), float(schema.get("maximum", 1))
        return round(rng.uniform(low, high), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng, words)


def _violation(schema: dict[str, Any]) -> Any:
    # A value of the wrong type breaks any schema that declares one.
    return 12345 if schema.get("type") == "string" else "not what the schema asks for"


def reply(
    options: MockOptions,
    prompt: str,
    system: str | None,
    schema: dict[str, Any] | None,
    attempt: int,
) -> Reply:
    """The mock's reply to one attempt.

    Raises:
        RetryableError: in the ``timeout`` and ``transient_error`` modes, while failing.
    """
    failing = options.failures is None or attempt <= options.failures
    if failing and options.mode == "timeout":
        raise RetryableError("mock model call timed out", type="ModelTimeout")
    if failing and options.mode == "transient_error":
        raise RetryableError("mock model is unavailable (503)", type="ModelUnavailable")
    key = json.dumps([options.seed, system, prompt, schema], sort_keys=True, default=str)
    rng = random.Random(key)
    words = _words(prompt)
    if schema is None:
        text = "Mock reply: " + " ".join(rng.choice(words) for _ in range(12))
    elif failing and options.mode == "schema_violation":
        text = json.dumps(_violation(schema))
    else:
        text = json.dumps(sample(schema, rng, words), sort_keys=True)
    prompt_tokens = len(prompt.split()) + len((system or "").split())
    return Reply(text, MODEL, prompt_tokens, len(text.split()))
