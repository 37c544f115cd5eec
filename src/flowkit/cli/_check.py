"""``flowkit check``: the static determinism and sandbox check of workflow code.

Exit 0 when clean, 1 with findings, 2 for bad input (a missing path, a file that is not
valid Python).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from flowkit.cli._options import JSON

__all__ = ["register"]


def check(
    paths: list[Path] = typer.Argument(
        ..., help="Python files, or folders searched for *.py (virtualenvs skipped)."
    ),
    as_json: bool = JSON,
) -> None:
    """Check workflow and agent code for what breaks replay: the clock, randomness,
    threads, I/O, the environment, asyncio calls, sandbox imports, module state.

    Suppress a finding with `# flowkit: ignore[FK101]` (or `# flowkit: ignore`) on its line.
    """
    from flowkit.check import check_paths

    report = check_paths(paths)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        for finding in report.findings:
            typer.echo(str(finding))
        typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the command to the main app."""
    app.command("check")(check)
