"""ai_generate and api_call as steps on the time-skipping server, against local servers."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import ActivityError, RetryState

from flowkit.steps import ai_generate, api_call
from tests.steps import defs
from tests.steps.fake_server import serve

pytestmark = pytest.mark.asyncio

SCHEMA = {
    "type": "object",
    "required": ["title", "words"],
    "properties": {
        "title": {"type": "string", "minLength": 3},
        "words": {"type": "integer", "minimum": 1, "maximum": 9},
        "tone": {"enum": ["calm", "bold"]},
    },
    "additionalProperties": False,
}


async def _run(env, worker, function: str, request: dict[str, Any]) -> tuple[Any, WorkflowHandle]:
    async with worker(workflows=[defs.OneStepWorkflow], functions=[ai_generate, api_call]) as tq:
        handle = await env.client.start_workflow(
            defs.OneStepWorkflow.run,
            {"function": function, "input": request},
            id=f"step-{uuid.uuid4().hex[:8]}",
            task_queue=tq,
        )
        try:
            return await handle.result(), handle
        except WorkflowFailureError as exc:
            return exc, handle


async def _attempts(handle: WorkflowHandle) -> int:
    history = await handle.fetch_history()
    started = [e for e in history.events if e.HasField("activity_task_started_event_attributes")]
    return started[-1].activity_task_started_event_attributes.attempt


def _step_error(failure: Any) -> Any:
    assert isinstance(failure, WorkflowFailureError)
    assert isinstance(failure.cause, ActivityError)
    return failure.cause


async def test_mock_generation_is_valid_seeded_and_records_usage(flowkit_env, flowkit_worker):
    request = {
        "template": "Write a title about {{ topic }} for {{ who }}",
        "variables": {"topic": "durable timers", "who": "engineers"},
        "output_schema": SCHEMA,
        "mock": {"seed": 7},
    }
    first, _ = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    again, _ = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    other, _ = await _run(
        flowkit_env, flowkit_worker, "ai_generate", {**request, "mock": {"seed": 8}}
    )
    assert first["output"] == again["output"]
    assert first["output"] != other["output"]
    assert set(first["output"]) == {"title", "words", "tone"}
    assert 1 <= first["output"]["words"] <= 9
    assert (first["provider"], first["model"], first["attempt"]) == ("mock", "mock-1", 1)
    usage = first["usage"]
    assert usage["prompt_tokens"] == 8  # words of the rendered prompt
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 8
    assert first["latency_ms"] >= 0


async def test_schema_violation_is_retried_up_to_the_limit_then_fails(flowkit_env, flowkit_worker):
    request = {
        "template": "Title please",
        "output_schema": SCHEMA,
        "mock": {"mode": "schema_violation"},
        "max_schema_retries": 2,
    }
    failure, handle = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    error = _step_error(failure)
    assert error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    cause = error.cause
    assert cause.type == "SchemaViolation"
    assert cause.non_retryable
    details = cause.details[0]
    assert details["attempt"] == 3
    assert details["violations"] == [
        "(root): 'not what the schema asks for' is not of type 'object'"
    ]
    assert "after 3 attempts" in cause.message
    assert await _attempts(handle) == 3  # 1 try + 2 retries, though the policy allows 6


async def test_violation_then_success_and_transient_errors_recover(flowkit_env, flowkit_worker):
    request = {
        "template": "Title please",
        "output_schema": SCHEMA,
        "mock": {"mode": "schema_violation", "failures": 1},
    }
    result, _ = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    assert result["attempt"] == 2
    assert isinstance(result["output"]["title"], str)
    request["mock"] = {"mode": "transient_error", "failures": 3}
    result, _ = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    assert result["attempt"] == 4
    request["mock"] = {"mode": "timeout"}
    failure, handle = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
    error = _step_error(failure)
    assert error.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED
    assert error.cause.type == "ModelTimeout"
    assert await _attempts(handle) == 6


async def test_unknown_template_variable_fails_at_once(flowkit_env, flowkit_worker):
    failure, handle = await _run(
        flowkit_env, flowkit_worker, "ai_generate", {"template": "About {{ topik }}"}
    )
    cause = _step_error(failure).cause
    assert cause.type == "TemplateError"
    assert "'topik' is undefined" in cause.message
    assert await _attempts(handle) == 1


async def test_openai_compatible_provider_from_the_environment(
    flowkit_env, flowkit_worker, monkeypatch
):
    with serve() as server:
        monkeypatch.setenv("FLOWKIT_AI_PROVIDER", "openai")
        monkeypatch.setenv("FLOWKIT_AI_BASE_URL", f"{server.url}/v1")
        monkeypatch.setenv("FLOWKIT_AI_API_KEY", "sk-test")
        monkeypatch.setenv("FLOWKIT_AI_MODEL", "tiny-model")
        request = {"template": "Hi {{ n }}", "variables": {"n": 1}, "output_schema": SCHEMA}
        result, _ = await _run(flowkit_env, flowkit_worker, "ai_generate", request)
        sent = server.requests[-1]
    assert result["output"] == {"title": "From the fake model", "words": 3}
    assert (result["provider"], result["model"]) == ("openai", "tiny-model")
    assert result["usage"] == {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert json.loads(sent["body"])["messages"] == [{"role": "user", "content": "Hi 1"}]


async def test_api_call_templates_and_retries_5xx(flowkit_env, flowkit_worker):
    with serve() as server:
        request = {
            "url": server.url + "/flaky?user={{ user }}",
            "method": "post",
            "headers": {"X-Trace": "t-{{ user }}"},
            "json_body": {"greeting": "hello {{ user }}", "n": 2},
            "variables": {"user": "ada"},
        }
        result, handle = await _run(flowkit_env, flowkit_worker, "api_call", request)
        sent = server.requests[-1]
    assert server.hits["/flaky"] == 3
    assert await _attempts(handle) == 3
    assert result["status"] == 200
    assert result["body"]["json"] == {"greeting": "hello ada", "n": 2}
    assert result["body"]["path"] == "/flaky?user=ada"
    assert sent["headers"]["X-Trace"] == "t-ada"


async def test_api_call_does_not_retry_4xx(flowkit_env, flowkit_worker):
    with serve() as server:
        failure, handle = await _run(
            flowkit_env, flowkit_worker, "api_call", {"url": server.url + "/missing"}
        )
        assert server.hits["/missing"] == 1
    error = _step_error(failure)
    assert error.retry_state == RetryState.NON_RETRYABLE_FAILURE
    assert error.cause.type == "HttpClientError"
    assert error.cause.details[0]["status"] == 404
    assert error.cause.details[0]["body"] == "no such thing here"
    assert await _attempts(handle) == 1


async def test_api_call_gives_up_on_5xx_after_the_policy_attempts(flowkit_env, flowkit_worker):
    with serve() as server:
        failure, _ = await _run(
            flowkit_env, flowkit_worker, "api_call", {"url": server.url + "/broken"}
        )
        assert server.hits["/broken"] == 6
    error = _step_error(failure)
    assert error.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED
    assert error.cause.type == "HttpServerError"


async def test_api_call_retries_timeouts(flowkit_env, flowkit_worker):
    with serve() as server:
        request = {"url": server.url + "/slow", "timeout_seconds": 0.1}
        failure, handle = await _run(flowkit_env, flowkit_worker, "api_call", request)
        assert server.hits["/slow"] == 6
    error = _step_error(failure)
    assert error.retry_state == RetryState.MAXIMUM_ATTEMPTS_REACHED
    assert error.cause.type == "HttpTimeout"
    assert await _attempts(handle) == 6
