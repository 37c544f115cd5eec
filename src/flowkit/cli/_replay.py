"""``flowkit replay``: replay recorded histories against the current workflow code.

Exit 0 when every run replays, 1 when any diverges (or cannot be replayed), 2 for a
user's mistake (a file that is not a history, a bad ``--app``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from flowkit.cli._options import ADDRESS, JSON, NAMESPACE
from flowkit.errors import UsageError

if TYPE_CHECKING:
    from flowkit.runtime import ReplayOutcome, ReplayReport

__all__ = ["register"]


def _line(outcome: ReplayOutcome) -> str:
    if outcome.ok:
        return f"ok  {outcome.workflow_id}"
    label = "NONDETERMINISTIC" if outcome.status == "nondeterministic" else "FAILED"
    where = outcome.where()
    return f"{label} {outcome.workflow_id}: {outcome.message}" + (f" ({where})" if where else "")


def replay(
    sources: list[Path] = typer.Argument(
        None,
        help="History JSON files (as the Web UI or `temporal workflow show -o json` "
        "download them), or folders of them (*.json).",
    ),
    app_spec: str = typer.Option(
        None,
        "--app",
        help="module:attribute of the services whose workflows replay the histories "
        "(default: the worker.app setting, as `flowkit worker`).",
    ),
    from_server: bool = typer.Option(
        False, "--from-server", help="Replay runs listed by the server (see --query)."
    ),
    query: str = typer.Option(
        None, "--query", help="With --from-server: a visibility query, e.g. \"WorkflowType='X'\"."
    ),
    limit: int = typer.Option(None, "--limit", min=1, help="With --from-server: at most N runs."),
    as_json: bool = JSON,
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Replay recorded runs against the current code: ok, or nondeterministic and where."""
    from flowkit import policy
    from flowkit.runtime import (
        Client,
        app_workflows,
        load_app,
        read_histories,
        replay_histories,
        server_histories,
    )

    if from_server == bool(sources):
        raise UsageError("give history files or folders, or --from-server, not both or neither")
    if not from_server and (query or limit):
        raise UsageError("--query and --limit go with --from-server")
    recorded = read_histories(sources) if sources else []
    workflows = app_workflows(load_app(app_spec or policy.current().worker.app))

    def show(outcome: ReplayOutcome) -> None:
        if not as_json:
            typer.echo(_line(outcome))

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    async def main() -> ReplayReport:
        if not from_server:
            return await replay_histories(recorded, workflows, on_result=show)
        client = await Client(address=address, namespace=namespace).connect()
        listed = server_histories(client, query, limit=limit, progress=progress)
        return await replay_histories(listed, workflows, on_result=show)

    # temporalio logs each failing workflow task with its traceback; the report says it.
    task_log = logging.getLogger("temporalio.worker._workflow")
    level = task_log.level
    task_log.setLevel(logging.CRITICAL)
    try:
        report = asyncio.run(main())
    finally:
        task_log.setLevel(level)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the command to the main app."""
    app.command("replay")(replay)
