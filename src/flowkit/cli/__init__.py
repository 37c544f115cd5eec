"""The ``flowkit`` command: a thin Typer layer over library calls.

Errors are mapped to exit codes here, in one place: a :class:`flowkit.errors.FlowkitError`
prints its message and exits 2; a user never sees a traceback for their own mistakes.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import typer

from flowkit._version import __version__
from flowkit.errors import FlowkitError

__all__ = ["app", "main", "report", "run"]

app = typer.Typer(
    name="flowkit",
    help="Durable workflows on Temporal: SDK, pipeline compiler, generators.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"flowkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Durable workflows on Temporal: SDK, pipeline compiler, generators."""


def _register() -> None:
    # Each module imports its heavy libraries inside its commands, so this stays fast.
    from flowkit.cli import _check, _codec, _compile, _ops, _port, _replay, _run, _scaffold

    for module in (_run, _compile, _scaffold, _ops, _replay, _check, _codec, _port):
        module.register(app)


_register()


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (what tests call)."""
    try:
        # Standalone mode: Typer reports its own usage errors (exit 2) and raises
        # SystemExit; flowkit's errors propagate to here.
        app(args=list(argv) if argv is not None else None, prog_name="flowkit")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except FlowkitError as exc:
        report(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


def report(exc: FlowkitError) -> None:
    """Print a flowkit error for a person: compile errors as they render, others on one
    line prefixed ``error:``."""
    text = str(exc)
    print(text if text.startswith("error") else f"error: {text}", file=sys.stderr)


def main() -> NoReturn:
    """Console entry point.

    Exits with ``os._exit`` after flushing, because the Temporal core runtime can crash at
    interpreter shutdown after a successful run (sdk-python#300).
    """
    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.collect()
    os._exit(code)
