"""``flowkit port PATH``: rewrite a Restack project's imports to flowkit."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["port", "register"]


def port(
    path: Path = typer.Argument(..., help="The Restack project (a directory) or one file."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the changes as a unified diff; write nothing."
    ),
) -> None:
    """Port a Restack project to flowkit; report, with file:line, what it could not port."""
    from flowkit.port import port_project

    report = port_project(path, dry_run=dry_run)
    if dry_run:
        typer.echo(report.diff(), nl=False)
    verb = "would change" if dry_run else "changed"
    typer.echo(f"{verb} {len(report.changed)} file(s)", err=dry_run)
    if report.unported:
        typer.echo(f"could not port {len(report.unported)}:", err=True)
        for item in report.unported:
            typer.echo(f"  {item}", err=True)


def register(app: typer.Typer) -> None:
    """Add the command to the main app."""
    app.command("port")(port)
