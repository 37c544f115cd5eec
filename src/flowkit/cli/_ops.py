"""Operating runs: ``flowkit run|status|list|history|submit|approve|reject|cancel|result``.

Each command connects with ``--address``/``--namespace`` (default: ``TEMPORAL_ADDRESS``,
the settings, ``localhost:7233``), prints for a person, or one JSON document with
``--json``, and turns a user's mistake into a :class:`flowkit.errors.FlowkitError`.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from flowkit.errors import FlowkitError, UsageError

__all__ = ["InputRejected", "RunFailed", "RunNotFound", "register"]

T = TypeVar("T")

ADDRESS = typer.Option(None, "--address", help="Temporal address (host:port).")
NAMESPACE = typer.Option(None, "--namespace", help="Temporal namespace.")
JSON = typer.Option(False, "--json", help="Print one JSON document.")
BY = typer.Option(None, "--by", help="Who decides (default $FLOWKIT_USER, then your login).")
COMMENT = typer.Option(None, "--comment", help="A note kept with the decision.")
STATUSES = ("running", "completed", "failed", "canceled", "terminated", "timed_out")


class RunNotFound(UsageError):
    """No run has the given id."""


class InputRejected(UsageError):
    """The run refused a submission or decision (its validator said why)."""


class RunFailed(FlowkitError):
    """The run ended without a result (failed, cancelled, terminated or timed out)."""

    exit_code = 1


def _parse_input(text: str | None) -> Any:
    if text is None:
        return None
    source = "--input"
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise UsageError(f"--input {text}: no such file")
        source, text = str(path), path.read_text(encoding="utf-8")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "write a JSON value, or @file.json"
        ) from None
    except ValueError as exc:  # NaN or Infinity, or a number past Python's digit limit
        raise UsageError(f"{source}: {exc}") from None


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and break a run later.
    raise ValueError(f"{name} is not a JSON number; write a finite number or a string")


def _echo(value: Any, as_json: bool, text: str | Callable[[], None]) -> None:
    if as_json:
        typer.echo(json.dumps(value, indent=2, default=str))
    elif callable(text):
        text()
    else:
        typer.echo(text)


def _call(address: str | None, namespace: str | None, work: Callable[[Any], Awaitable[T]]) -> T:
    """Connect, run ``work(temporal_client)`` and map Temporal's errors to flowkit's."""
    from temporalio.service import RPCError, RPCStatusCode

    from flowkit.runtime import Client

    async def main() -> T:
        client = await Client(address=address, namespace=namespace).connect()
        try:
            return await work(client)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND and "already completed" in exc.message:
                raise UsageError("the run has already ended; it takes no more input") from None
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise RunNotFound(f"no such run: {exc.message}") from None
            raise UsageError(f"the Temporal server refused: {exc.message}") from None

    return asyncio.run(main())


def _failure_message(exc: BaseException) -> str:
    from flowkit.steps import describe_error

    cause = getattr(exc, "cause", None)
    return describe_error(cause if cause is not None else exc)


# -- commands ----------------------------------------------------------------------------


def run(
    target: str = typer.Argument(
        ...,
        help="A workflow's name, or a pipeline file (.yaml, .flow) served by "
        "`flowkit worker --pipeline FILE`.",
    ),
    input: str = typer.Option(None, "--input", "-i", help="The input: JSON, or @file.json."),
    id: str = typer.Option(None, "--id", help="The run's id; starting twice is idempotent."),
    wait: bool = typer.Option(False, "--wait", help="Show progress step by step, then the result."),
    task_queue: str = typer.Option(None, "--task-queue", help="Default: the worker setting."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Start a run of a workflow (idempotent with --id)."""
    if target.endswith((".yaml", ".yml", ".flow")):
        from flowkit.runtime._pipelines import workflow_name

        target = workflow_name(target)  # checks the file: a broken one stops here
    value = _parse_input(input)
    workflow_id = id or f"{target}-{uuid.uuid4().hex[:8]}"

    async def work(client: Any) -> dict[str, Any]:
        from flowkit.runtime import Client
        from flowkit.steps import describe_run

        before = None
        if id:
            try:
                before = await describe_run(client, workflow_id, query=False)
            except Exception:
                before = None
        flowkit_client = Client.from_temporal(client)
        run_id = await flowkit_client.schedule_workflow(
            workflow_name=target,
            workflow_id=workflow_id,
            workflow_input=value,
            task_queue=task_queue,
        )
        existed = before is not None and before.run_id == run_id
        out: dict[str, Any] = {"id": workflow_id, "run_id": run_id, "existing": existed}
        verb = "already running (same run)" if existed else "started"
        if not as_json:
            typer.echo(f"{verb}: {target} id={workflow_id} run={run_id}")
        if wait:
            out.update(await _wait(client, workflow_id, as_json))
        return out

    out = _call(address, namespace, work)
    if as_json:
        _echo(out, True, "")
    if out.get("status") not in (None, "completed"):
        raise RunFailed(f"run {workflow_id} {out['status']}: {out.get('error', '')}")


async def _wait(client: Any, workflow_id: str, as_json: bool) -> dict[str, Any]:
    from flowkit.errors import RunStuck
    from flowkit.steps import StepEvent, follow_run

    async for item in follow_run(client, workflow_id):
        if not isinstance(item, StepEvent):  # it makes no progress: say why and stop
            if as_json:
                typer.echo(json.dumps({"id": workflow_id, "stuck": item.to_json()}, indent=2))
            raise RunStuck(workflow_id, item.explain())
        if not as_json:
            typer.echo(_event_line(item))
    try:
        result = await client.get_workflow_handle(workflow_id).result()
    except Exception as exc:
        from flowkit.steps._runs import status_name

        desc = await client.get_workflow_handle(workflow_id).describe()
        return {"status": status_name(desc.status), "error": _failure_message(exc)}
    if not as_json:
        typer.echo(f"result: {json.dumps(result, default=str)}")
    return {"status": "completed", "result": result}


def _stuck_line(found: Any) -> str:
    return f"stuck: {found.explain()}"


def _event_line(event: Any) -> str:
    took = f" in {event.seconds:g}s" if event.seconds is not None else ""
    attempt = f" (attempt {event.attempt})" if event.attempt and event.attempt > 1 else ""
    detail = f" — {event.detail}" if event.detail else ""
    clock = event.time.strftime("%H:%M:%S")
    return f"{clock}  {event.action:<10} {event.kind:<8} {event.step}{took}{attempt}{detail}"


def status(
    id: str = typer.Argument(None, help="A run's id; without one, the running runs."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Show a run's status, what it runs now and what it waits for."""
    if id is None:
        list_runs("running", 20, as_json, address, namespace)
        return
    from flowkit.steps import describe_run

    found = _call(address, namespace, lambda client: describe_run(client, id))

    def show() -> None:
        typer.echo(f"{found.id}  {found.workflow}  {found.status}  (run {found.run_id})")
        if found.stuck is not None:
            typer.echo(f"  stuck: {found.stuck.explain()}")
        for step in found.running:
            failed = f"; last failure: {step['last_failure']}" if step.get("last_failure") else ""
            typer.echo(f"  running: {step['function']} (attempt {step['attempt']}{failed})")
        for waiting in found.waiting:
            extra = waiting.get("approvers") or [f["key"] for f in waiting.get("fields", [])]
            listed = f": {', '.join(extra)}" if extra else ""
            deadline = f" (until {waiting['deadline']})" if waiting.get("deadline") else ""
            typer.echo(f"  waiting on {waiting['kind']} {waiting['step']}{listed}{deadline}")
        if found.details and not found.waiting:
            typer.echo(f"  {found.details}")

    _echo(found.to_json(), as_json, show)


def list_runs(
    status_filter: str = typer.Option(None, "--status", help=f"One of {', '.join(STATUSES)}."),
    limit: int = typer.Option(20, "--limit", help="At most this many runs."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """List runs, newest first."""
    query = None
    if status_filter is not None:
        if status_filter.lower() not in STATUSES:
            raise UsageError(f"--status {status_filter}: use one of {', '.join(STATUSES)}")
        temporal_name = "".join(p.title() for p in status_filter.lower().split("_"))
        query = f'ExecutionStatus="{temporal_name}"'

    async def work(client: Any) -> list[dict[str, Any]]:
        from flowkit.steps._runs import status_name

        runs = []
        async for execution in client.list_workflows(query, limit=limit):
            runs.append(
                {
                    "id": execution.id,
                    "run_id": execution.run_id,
                    "workflow": execution.workflow_type,
                    "status": status_name(execution.status),
                    "started": execution.start_time.isoformat() if execution.start_time else None,
                }
            )
        return runs

    runs = _call(address, namespace, work)

    def show() -> None:
        if not runs:
            typer.echo("no runs")
        for r in runs:
            typer.echo(f"{r['id']:<40} {r['workflow']:<24} {r['status']:<10} {r['started']}")

    _echo(runs, as_json, show)


def history(
    id: str = typer.Argument(..., help="A run's id."),
    follow: bool = typer.Option(False, "--follow", "-f", help="Keep printing until it ends."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """A run's steps: started, retried, completed, failed, with durations; and, for an open
    run that makes no progress, why (its workflow task fails, or no worker takes it)."""
    from flowkit.steps import StepEvent, diagnose, follow_run, step_events

    def tell(item: Any) -> dict[str, Any]:
        record = item.to_json() if isinstance(item, StepEvent) else {"stuck": item.to_json()}
        if follow and as_json:
            typer.echo(json.dumps(record, default=str))  # JSON lines as they come
        elif not as_json:
            typer.echo(_event_line(item) if isinstance(item, StepEvent) else _stuck_line(item))
        return record

    async def work(client: Any) -> list[dict[str, Any]]:
        if follow:
            return [tell(item) async for item in follow_run(client, id)]
        events = [tell(event) async for event in step_events(client, id)]
        stuck = await diagnose(client, id)
        if stuck is not None:
            events.append(tell(stuck))
        return events

    events = _call(address, namespace, work)
    if as_json and not follow:
        _echo(events, True, "")


def _send(
    address: str | None,
    namespace: str | None,
    id: str,
    update: str,
    payload: dict[str, Any],
    as_json: bool,
) -> dict[str, Any]:
    from temporalio.client import WorkflowUpdateFailedError

    async def work(client: Any) -> Any:
        handle = client.get_workflow_handle(id)
        try:
            return await handle.execute_update(update, payload)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            details = list(getattr(cause, "details", None) or [])
            first = details[0] if details and isinstance(details[0], dict) else {}
            message = str(getattr(cause, "message", cause))
            if as_json:
                error = {"ok": False, "error": message, "reasons": first.get("reasons", [])}
                typer.echo(json.dumps(error, indent=2))
            raise InputRejected(f"{update} rejected: {message}") from None

    answer = _call(address, namespace, work)
    return answer if isinstance(answer, dict) else {"answer": answer}


def submit(
    id: str = typer.Argument(..., help="A run's id."),
    step: str = typer.Argument(..., help="The form step's name."),
    input: str = typer.Option(..., "--input", "-i", help="The values: JSON object, or @file."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Submit the input a form step waits for (rejected with every reason if invalid)."""
    data = _parse_input(input)
    if not isinstance(data, dict):
        raise UsageError("--input must be a JSON object of the form's fields")
    answer = _send(address, namespace, id, "submit", {"step": step, "data": data}, as_json)
    _echo(answer, as_json, f"submitted {step} to {id}")


def _who(by: str | None) -> str | None:
    if by or os.environ.get("FLOWKIT_USER"):
        return by or os.environ["FLOWKIT_USER"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        return None


def _decide(
    update: str,
    id: str,
    step: str,
    comment: str | None,
    by: str | None,
    as_json: bool,
    address: str | None,
    namespace: str | None,
) -> None:
    who = _who(by)
    decision = {"step": step, "by": who, "comment": comment}
    answer = _send(address, namespace, id, update, decision, as_json)
    done = {"approve": "approved", "reject": "rejected"}[update]
    _echo(answer, as_json, f"{done} {step} of {id}" + (f" as {who}" if who else ""))


def approve(
    id: str = typer.Argument(..., help="A run's id."),
    step: str = typer.Argument(..., help="The approval step's name."),
    comment: str = COMMENT,
    by: str = BY,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Approve an approval step."""
    _decide("approve", id, step, comment, by, as_json, address, namespace)


def reject(
    id: str = typer.Argument(..., help="A run's id."),
    step: str = typer.Argument(..., help="The approval step's name."),
    comment: str = COMMENT,
    by: str = BY,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Reject an approval step."""
    _decide("reject", id, step, comment, by, as_json, address, namespace)


def cancel(
    id: str = typer.Argument(..., help="A run's id."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Ask a run to cancel; it may clean up (compensate) before it ends."""

    async def work(client: Any) -> None:
        await client.get_workflow_handle(id).cancel()

    _call(address, namespace, work)
    _echo({"id": id, "cancel_requested": True}, as_json, f"cancel requested for {id}")


def result(
    id: str = typer.Argument(..., help="A run's id."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Wait for a run to end and print its result (exit 1 if it did not complete, or if
    it makes no progress: its workflow task fails, or no worker takes it)."""

    async def work(client: Any) -> Any:
        from temporalio.client import WorkflowFailureError

        from flowkit.steps import wait_for_result

        try:
            return await wait_for_result(client.get_workflow_handle(id))
        except WorkflowFailureError as exc:
            raise RunFailed(f"run {id} did not complete: {_failure_message(exc)}") from None

    value = _call(address, namespace, work)
    _echo(value, as_json, json.dumps(value, indent=2, default=str))


def register(app: typer.Typer) -> None:
    """Add the run commands to the main app."""
    app.command("run")(run)
    app.command("status")(status)
    app.command("list")(list_runs)
    app.command("history")(history)
    app.command("submit")(submit)
    app.command("approve")(approve)
    app.command("reject")(reject)
    app.command("cancel")(cancel)
    app.command("result")(result)
