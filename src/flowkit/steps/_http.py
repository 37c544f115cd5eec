"""``api_call``: an HTTP request as a step, through httpx.

URL, query parameters, headers and body are templates rendered with ``variables``.
Server errors (5xx), 408, 429, timeouts and connection failures fail the attempt and
Temporal retries it per the step's retry policy; any other 4xx fails the step at once
with the status and an excerpt of the body.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from pydantic import BaseModel, Field

from flowkit.function import NonRetryableError, RetryableError, function
from flowkit.steps._template import TemplateProblem, render, render_value

__all__ = ["ApiRequest", "ApiResponse", "api_call"]

EXCERPT = 500  # characters of a response body kept in an error
RETRIED_CLIENT_ERRORS = frozenset({408, 429})


class ApiRequest(BaseModel):
    """The input of ``api_call``.

    Attributes:
        url: a template, such as ``https://api.example.com/users/{{ user_id }}``.
        method: ``GET``, ``POST``, ...
        headers: values are templates.
        params: query parameters; values are templates.
        json_body: a JSON body; every string in it is a template.
        text_body: a raw body (a template), instead of ``json_body``.
        variables: the templates' variables.
        timeout_seconds: for the whole request.
    """

    url: str
    method: str = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    params: dict[str, str] = Field(default_factory=dict)
    json_body: Any = None
    text_body: str | None = None
    variables: dict[str, Any] = Field(default_factory=dict)
    timeout_seconds: float = 30.0


class ApiResponse(BaseModel):
    """What ``api_call`` returns: the status, headers, body (parsed JSON when it is JSON)."""

    status: int
    url: str
    headers: dict[str, str]
    body: Any
    elapsed_ms: float


def _prepare(request: ApiRequest) -> dict[str, Any]:
    v = request.variables
    try:
        prepared: dict[str, Any] = {
            "method": request.method.upper(),
            "url": render(request.url, v),
            "headers": render_value(request.headers, v),
        }
        if request.params:  # an empty params= would drop the query written in the URL
            prepared["params"] = render_value(request.params, v)
        if request.text_body is not None:
            prepared["content"] = render(request.text_body, v)
        elif request.json_body is not None:
            prepared["json"] = render_value(request.json_body, v)
    except TemplateProblem as exc:
        raise NonRetryableError(str(exc), type="TemplateError") from None
    return prepared


@function.defn(name="api_call")
async def api_call(request: ApiRequest) -> ApiResponse:
    """Send the request and return the response.

    Raises:
        RetryableError: 5xx, 408, 429, a timeout or a connection failure (types
            ``HttpServerError``, ``HttpTimeout``, ``HttpConnectError``).
        NonRetryableError: another 4xx (type ``HttpClientError``, details: status and
            body excerpt), or a template error.
    """
    import httpx

    prepared = _prepare(request)
    target = f"{prepared['method']} {prepared['url']}"
    started = time.perf_counter()
    try:
        async with httpx.AsyncClient(timeout=request.timeout_seconds) as client:
            response = await client.request(**prepared)
    except httpx.TimeoutException:
        raise RetryableError(f"{target} timed out", type="HttpTimeout") from None
    except httpx.TransportError as exc:
        raise RetryableError(f"{target} failed: {exc}", type="HttpConnectError") from None
    except httpx.InvalidURL as exc:
        raise NonRetryableError(f"{target}: {exc}", type="HttpClientError") from None
    elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
    status = response.status_code
    excerpt = response.text[:EXCERPT]
    details = {"status": status, "body": excerpt, "url": str(response.url)}
    if status >= 500 or status in RETRIED_CLIENT_ERRORS:
        kind = "HttpServerError" if status >= 500 else "HttpThrottled"
        raise RetryableError(f"{target} answered {status}: {excerpt[:200]}", details, type=kind)
    if status >= 400:
        raise NonRetryableError(
            f"{target} answered {status}: {excerpt[:200]}", details, type="HttpClientError"
        )
    body: Any = response.text
    if "json" in response.headers.get("content-type", ""):
        with contextlib.suppress(ValueError):  # a mislabelled body stays text
            body = response.json()
    return ApiResponse(
        status=status,
        url=str(response.url),
        headers=dict(response.headers),
        body=body,
        elapsed_ms=elapsed_ms,
    )
