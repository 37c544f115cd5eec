"""``ai_generate``: a model call as a step, with its output checked against a JSON Schema.

The prompt is a template rendered with variables. A reply that is not valid JSON or
breaks the schema fails the attempt (``SchemaViolation``, retried by Temporal) until
``max_schema_retries`` retries were used; then the step fails for good with every
violation. Token counts and latency come back with the output.

Providers: ``mock`` (the default; deterministic, seeded, with failure modes for tests)
and ``openai`` (any OpenAI-compatible ``/chat/completions`` endpoint), chosen by the
request or ``FLOWKIT_AI_PROVIDER`` and configured by ``FLOWKIT_AI_BASE_URL``,
``FLOWKIT_AI_API_KEY`` and ``FLOWKIT_AI_MODEL``.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import activity

from flowkit.function import NonRetryableError, RetryableError, function
from flowkit.policy import environment
from flowkit.steps import _mock
from flowkit.steps._mock import MockOptions
from flowkit.steps._template import TemplateProblem, render

__all__ = ["GenerateRequest", "GenerateResult", "MockOptions", "Usage", "ai_generate"]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class GenerateRequest(BaseModel):
    """The input of ``ai_generate``.

    Attributes:
        template: the prompt, a Jinja template (``{{ topic }}``).
        variables: the template's variables.
        output_schema: a JSON Schema the reply (parsed as JSON) must satisfy; without
            one the reply is returned as text.
        system: an optional system prompt (a template too).
        provider: ``mock`` or ``openai``; default ``FLOWKIT_AI_PROVIDER``, then ``mock``.
        model: default ``FLOWKIT_AI_MODEL``, then the provider's default.
        max_schema_retries: retries allowed for schema violations (the step's retry
            policy must allow at least this many more attempts).
        timeout_seconds: for one HTTP call.
    """

    template: str
    variables: dict[str, Any] = Field(default_factory=dict)
    output_schema: dict[str, Any] | None = None
    system: str | None = None
    provider: Literal["mock", "openai"] | None = None
    model: str | None = None
    mock: MockOptions = Field(default_factory=MockOptions)
    max_schema_retries: int = 2
    temperature: float = 0.0
    timeout_seconds: float = 60.0


class Usage(BaseModel):
    """Tokens used by one call."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class GenerateResult(BaseModel):
    """The output of ``ai_generate``.

    Attributes:
        output: the reply parsed as JSON when a schema was given, else its text.
        text: the raw reply.
        attempt: the attempt that produced it (1 when no retry was needed).
    """

    output: Any
    text: str
    provider: str
    model: str
    usage: Usage
    latency_ms: float
    attempt: int


def _violations(text: str, schema: dict[str, Any]) -> tuple[Any, list[str]]:
    import jsonschema

    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"the reply is not JSON: {exc.msg} at character {exc.pos}"]
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(value), key=lambda e: list(e.path))
    found = [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors]
    return value, found


async def _call_openai(request: GenerateRequest, prompt: str, system: str | None) -> _mock.Reply:
    import httpx

    base = environment().get("FLOWKIT_AI_BASE_URL", "https://api.openai.com/v1").rstrip("/")
    model = request.model or environment().get("FLOWKIT_AI_MODEL") or DEFAULT_OPENAI_MODEL
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}
    ]
    body: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "temperature": request.temperature,
    }
    if request.output_schema is not None:
        body["response_format"] = {"type": "json_object"}
    headers = {}
    if key := environment().get("FLOWKIT_AI_API_KEY"):
        headers["Authorization"] = f"Bearer {key}"
    try:
        async with httpx.AsyncClient(timeout=request.timeout_seconds) as client:
            response = await client.post(f"{base}/chat/completions", json=body, headers=headers)
    except httpx.TimeoutException:
        raise RetryableError(f"model call to {base} timed out", type="ModelTimeout") from None
    except httpx.TransportError as exc:
        raise RetryableError(
            f"model call to {base} failed: {exc}", type="ModelUnavailable"
        ) from None
    if response.status_code >= 500 or response.status_code == 429:
        raise RetryableError(
            f"model endpoint answered {response.status_code}", type="ModelUnavailable"
        )
    if response.status_code >= 400:
        raise NonRetryableError(
            f"model endpoint answered {response.status_code}: {response.text[:300]}",
            {"status": response.status_code},
            type="ModelRequestRejected",
        )
    data = response.json()
    usage = data.get("usage") or {}
    return _mock.Reply(
        text=str(data["choices"][0]["message"]["content"] or ""),
        model=str(data.get("model") or model),
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        completion_tokens=int(usage.get("completion_tokens", 0)),
    )


@function.defn(name="ai_generate")
async def ai_generate(request: GenerateRequest) -> GenerateResult:
    """Render the prompt, call the model, and check the reply against the schema.

    Raises:
        RetryableError: the call failed in a way worth retrying, or the reply broke the
            schema and retries are left (type ``SchemaViolation``).
        NonRetryableError: the template is wrong, the endpoint refused the request, or
            the reply still broke the schema after ``max_schema_retries`` retries (type
            ``SchemaViolation``, details: the violations and the reply).
    """
    attempt = activity.info().attempt
    try:
        prompt = render(request.template, request.variables)
        system = render(request.system, request.variables) if request.system else None
    except TemplateProblem as exc:
        raise NonRetryableError(str(exc), type="TemplateError") from None
    provider = request.provider or environment().get("FLOWKIT_AI_PROVIDER") or "mock"
    started = time.perf_counter()
    if provider == "openai":
        reply = await _call_openai(request, prompt, system)
    elif provider == "mock":
        reply = _mock.reply(request.mock, prompt, system, request.output_schema, attempt)
    else:
        raise NonRetryableError(f"unknown AI provider {provider!r}: use mock or openai")
    latency_ms = round((time.perf_counter() - started) * 1000, 3)
    output: Any = reply.text
    if request.output_schema is not None:
        output, violations = _violations(reply.text, request.output_schema)
        if violations:
            details = {"violations": violations, "reply": reply.text[:500], "attempt": attempt}
            message = f"the reply breaks the output schema: {'; '.join(violations)}"
            if attempt <= request.max_schema_retries:
                raise RetryableError(message, details, type="SchemaViolation")
            raise NonRetryableError(
                f"{message} (after {attempt} attempts)", details, type="SchemaViolation"
            )
    usage = Usage(
        prompt_tokens=reply.prompt_tokens,
        completion_tokens=reply.completion_tokens,
        total_tokens=reply.prompt_tokens + reply.completion_tokens,
    )
    return GenerateResult(
        output=output,
        text=reply.text,
        provider=provider,
        model=reply.model,
        usage=usage,
        latency_ms=latency_ms,
        attempt=attempt,
    )
