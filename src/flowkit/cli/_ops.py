"""Operating runs: ``flowkit run|status|list|history|submit|approve|reject|cancel|result``.

(Past 300 lines: nine thin commands, each only arguments, one library call and printing.)

Each command parses its arguments, connects, calls one of :mod:`flowkit.runtime`'s run
operations and prints the record it returns: for a person, or one JSON document with
``--json``. What a command decides — idempotent starts, errors, stuck runs — is the
library's; the library's errors reach :func:`flowkit.cli.run`, which prints them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import typer

from flowkit.cli._options import (
    ADDRESS,
    BY,
    COMMENT,
    FORM_INPUT,
    INPUT,
    JSON,
    NAMESPACE,
    STATUS,
    TASK_QUEUE,
)
from flowkit.errors import InputRejected, RunFailed, RunStuck

if TYPE_CHECKING:
    import temporalio.client

    from flowkit.runtime import RunResult, Sent
    from flowkit.steps import RunStatus, StepEvent, TaskFailure, Unserved

__all__ = ["register"]

T = TypeVar("T")

RUN_ID = typer.Argument(..., help="A run's id.")


def _connected(
    address: str | None,
    namespace: str | None,
    work: Callable[[temporalio.client.Client], Awaitable[T]],
) -> T:
    """Connect, then run ``work(client)`` on a fresh event loop."""

    async def main() -> T:
        from flowkit.runtime import Client

        return await work(await Client(address=address, namespace=namespace).connect())

    return asyncio.run(main())


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def _event_line(event: StepEvent) -> str:
    took = f" in {event.seconds:g}s" if event.seconds is not None else ""
    attempt = f" (attempt {event.attempt})" if event.attempt and event.attempt > 1 else ""
    detail = f" — {event.detail}" if event.detail else ""
    clock = event.time.strftime("%H:%M:%S")
    return f"{clock}  {event.action:<10} {event.kind:<8} {event.step}{took}{attempt}{detail}"


def _item_line(item: StepEvent | TaskFailure | Unserved) -> str:
    from flowkit.steps import StepEvent

    return _event_line(item) if isinstance(item, StepEvent) else f"stuck: {item.explain()}"


def _item_json(item: StepEvent | TaskFailure | Unserved) -> dict[str, Any]:
    from flowkit.steps import StepEvent

    return item.to_json() if isinstance(item, StepEvent) else {"stuck": item.to_json()}


# -- commands ----------------------------------------------------------------------------


def run(
    target: str = typer.Argument(
        ...,
        help="A workflow's name, or a pipeline file (.yaml, .flow) served by "
        "`flowkit worker --pipeline FILE`.",
    ),
    input: str = INPUT,
    id: str = typer.Option(None, "--id", help="The run's id; starting twice is idempotent."),
    wait: bool = typer.Option(False, "--wait", help="Show progress step by step, then the result."),
    task_queue: str = TASK_QUEUE,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Start a run of a workflow (idempotent with --id)."""
    from flowkit.compiler import workflow_type
    from flowkit.runtime import parse_input, start_run

    workflow = workflow_type(target)  # a broken pipeline file stops before connecting
    value = parse_input(input, label="--input")

    async def work(client: temporalio.client.Client) -> dict[str, Any]:
        started = await start_run(client, workflow, value, id=id, task_queue=task_queue)
        if not as_json:
            verb = "already running (same run)" if started.existing else "started"
            typer.echo(f"{verb}: {started.workflow} id={started.id} run={started.run_id}")
        out = started.to_json()
        if wait:
            out.update((await _wait(client, started.id, as_json)).to_json())
        return out

    out = _connected(address, namespace, work)
    if as_json:
        _print_json(out)
    if out.get("status") not in (None, "completed"):
        raise RunFailed(f"run {out['id']} {out['status']}: {out['error']}")


async def _wait(client: temporalio.client.Client, workflow_id: str, as_json: bool) -> RunResult:
    from flowkit.runtime import follow_history, run_result
    from flowkit.steps import StepEvent

    async with aclosing(follow_history(client, workflow_id)) as items:
        async for item in items:
            if not isinstance(item, StepEvent):  # it makes no progress: say why and stop
                if as_json:
                    _print_json({"id": workflow_id, "stuck": item.to_json()})
                raise RunStuck(workflow_id, item.explain())
            if not as_json:
                typer.echo(_event_line(item))
    outcome = await run_result(client, workflow_id)
    if outcome.completed and not as_json:
        typer.echo(f"result: {json.dumps(outcome.value, default=str)}")
    return outcome


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
    from flowkit.runtime import run_status

    found = _connected(address, namespace, lambda client: run_status(client, id))
    if as_json:
        _print_json(found.to_json())
    else:
        _print_status(found)


def _print_status(found: RunStatus) -> None:
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


def list_runs(
    status_filter: str = STATUS,
    limit: int = typer.Option(20, "--limit", help="At most this many runs."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """List runs, newest first."""
    from flowkit import runtime

    runs = _connected(
        address,
        namespace,
        lambda client: runtime.list_runs(client, status=status_filter, limit=limit),
    )
    if as_json:
        _print_json([r.to_json() for r in runs])
        return
    if not runs:
        typer.echo("no runs")
    for r in runs:
        started = r.started.isoformat() if r.started else None
        typer.echo(f"{r.id:<40} {r.workflow:<24} {r.status:<10} {started}")


def history(
    id: str = RUN_ID,
    # No -f: that is --force in every command that has it.
    follow: bool = typer.Option(False, "--follow", help="Keep printing until the run ends."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """A run's steps: started, retried, completed, failed, with durations; and, for an open
    run that makes no progress, why (its workflow task fails, or no worker takes it)."""
    from flowkit.runtime import follow_history, run_history

    if not follow:
        told = _connected(address, namespace, lambda client: run_history(client, id))
        if as_json:
            _print_json(told.to_json())
            return
        for event in told.events:
            typer.echo(_event_line(event))
        if told.stuck is not None:
            typer.echo(_item_line(told.stuck))
        return

    async def follow_to_the_end(client: temporalio.client.Client) -> None:
        async with aclosing(follow_history(client, id)) as items:
            async for item in items:  # JSON lines as they come, with --json
                typer.echo(
                    json.dumps(_item_json(item), default=str) if as_json else _item_line(item)
                )

    _connected(address, namespace, follow_to_the_end)


def submit(
    id: str = RUN_ID,
    step: str = typer.Argument(..., help="The form step's name."),
    input: str = FORM_INPUT,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Submit the input a form step waits for (rejected with every reason if invalid)."""
    from flowkit.runtime import parse_input, submit_form

    data = parse_input(input, label="--input")
    sent = _send(address, namespace, as_json, lambda client: submit_form(client, id, step, data))
    if as_json:
        _print_json(sent.answer)
    else:
        typer.echo(f"submitted {step} to {id}")


def _send(
    address: str | None,
    namespace: str | None,
    as_json: bool,
    send: Callable[[temporalio.client.Client], Awaitable[Sent]],
) -> Sent:
    """Send input to a run; with ``--json`` a refusal is printed too, every reason listed
    (scripts read stdout), before it is reported like any error."""
    try:
        return _connected(address, namespace, send)
    except InputRejected as exc:
        if as_json:
            _print_json({"ok": False, "error": exc.reason, "reasons": exc.reasons})
        raise


def _decide(
    decision: Literal["approve", "reject"],
    id: str,
    step: str,
    comment: str | None,
    by: str | None,
    as_json: bool,
    address: str | None,
    namespace: str | None,
) -> None:
    from flowkit.runtime import decide

    sent = _send(
        address,
        namespace,
        as_json,
        lambda client: decide(client, id, step, decision, by=by, comment=comment),
    )
    if as_json:
        _print_json(sent.answer)
        return
    done = {"approve": "approved", "reject": "rejected"}[decision]
    typer.echo(f"{done} {step} of {id}" + (f" as {sent.by}" if sent.by else ""))


def _decision_command(decision: Literal["approve", "reject"]) -> Any:
    def command(
        id: str = RUN_ID,
        step: str = typer.Argument(..., help="The approval step's name."),
        comment: str = COMMENT,
        by: str = BY,
        as_json: bool = JSON,
        address: str = ADDRESS,
        namespace: str = NAMESPACE,
    ) -> None:
        _decide(decision, id, step, comment, by, as_json, address, namespace)

    command.__doc__ = f"{decision.capitalize()} an approval step."
    command.__name__ = decision
    return command


approve = _decision_command("approve")
reject = _decision_command("reject")


def cancel(
    id: str = RUN_ID,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Ask a run to cancel; it may clean up (compensate) before it ends."""
    from flowkit.runtime import cancel_run

    cancelled = _connected(address, namespace, lambda client: cancel_run(client, id))
    if as_json:
        _print_json(cancelled.to_json())
    else:
        typer.echo(f"cancel requested for {id}")


def result(
    id: str = RUN_ID,
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Wait for a run to end and print its result (exit 1 if it did not complete, or if
    it makes no progress: its workflow task fails, or no worker takes it)."""
    from flowkit.runtime import run_result

    outcome = _connected(address, namespace, lambda client: run_result(client, id))
    if not outcome.completed:
        raise RunFailed(f"run {id} did not complete: {outcome.error}")
    # The value alone, as JSON, either way: it is what scripts read.
    _print_json(outcome.value)


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
