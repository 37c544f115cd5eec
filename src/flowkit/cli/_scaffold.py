"""The generator commands: ``flowkit new``, ``g`` (alias ``generate``), ``destroy``, ``doctor``."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from flowkit.cli._options import (
    ADDRESS,
    DRY_RUN,
    FORCE,
    JSON,
    NAMESPACE,
    TASK_QUEUE,
    parse_pairs,
)
from flowkit.errors import UsageError

if TYPE_CHECKING:
    from flowkit.scaffold import Models, Plan, WriteReport

__all__ = ["register"]

_ROOT = typer.Option(Path("."), "--root", help="The project folder (default: here).")
_DIFF = typer.Option(False, "--diff", help="With --dry-run: print a unified diff of the changes.")
_QUIET = typer.Option(False, "--quiet", "-q", help="Print nothing but warnings and errors.")


def _duration(value: str | None, flag: str) -> timedelta | None:
    from flowkit.policy import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _queue(task_queue: str | None) -> str:
    """``--task-queue``, else the ``worker.task_queue`` setting in force here."""
    from flowkit import policy

    return task_queue or policy.current().worker.task_queue


def _models(value: str) -> Models:
    if value in ("inline", "external", "split"):
        return cast("Models", value)
    raise UsageError(f"--models must be inline, external or split, not {value!r}")


def _project_root(root: Path) -> Path:
    """``root``, or, from a subfolder of a project, the project folder above it."""
    start = root.resolve()
    for folder in (start, *start.parents):
        if (folder / "server" / "service.py").is_file() or (
            (folder / "pyproject.toml").is_file() and (folder / "src").is_dir()
        ):
            return folder
    return root


def _warn_if_dirty(root: Path) -> None:
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    if status.returncode == 0 and status.stdout.strip():
        print(
            "warning: git has uncommitted changes here; commit them first so that "
            "`git diff` shows exactly what the generator changed",
            file=sys.stderr,
        )


def _print(lines: list[str], quiet: bool) -> None:
    if not quiet:
        for line in lines:
            typer.echo(line)


def new(
    name: str = typer.Argument(..., help="The project name; its package is the snake_case form."),
    task_queue: str | None = TASK_QUEUE,
    force: bool = FORCE,
    dry_run: bool = DRY_RUN,
    quiet: bool = _QUIET,
    path: Path = typer.Option(Path("."), "--path", help="Create the project in this folder."),
) -> None:
    """Create a new flowkit project that runs and passes its tests with no edits."""
    from flowkit.scaffold import new_project

    root, report = new_project(
        name, path, task_queue=_queue(task_queue), force=force, dry_run=dry_run
    )
    _print(report.lines(), quiet)
    if not quiet and not dry_run:
        from flowkit.scaffold import install_source

        source = install_source()
        setup = f"make setup FLOWKIT_SOURCE={source}" if source else "make setup"
        typer.echo(f"\nNext: cd {root} && {setup} && make dev (then make run, make test)")


def _show(plan: Plan, report: WriteReport, root: Path, *, diff: bool, quiet: bool) -> None:
    """What a generator wrote (or, with --diff, would change), then its warnings."""
    if diff:
        typer.echo(plan.files.diff(root), nl=False)
    else:
        _print(report.lines(), quiet)
    for note in plan.notes:
        print(f"warning: {note}", file=sys.stderr)


def _generator(kind: str) -> Any:
    def command(
        name: str = typer.Argument(..., help=f"The {kind}'s name, e.g. SendEmail or send_email."),
        max_attempts: int = typer.Option(
            None, "--retry.max_attempts", help="Retry: maximum attempts (0 = unlimited)."
        ),
        initial: str = typer.Option(None, "--retry.initial", help="Retry: first interval (5s)."),
        backoff: float = typer.Option(None, "--retry.backoff", help="Retry: backoff coefficient."),
        timeout: str = typer.Option(None, "--timeout", help="Step start-to-close timeout (2m)."),
        heartbeat: str = typer.Option(None, "--heartbeat", help="Step heartbeat timeout (30s)."),
        task_queue: str | None = TASK_QUEUE,
        models: str = typer.Option(
            "inline", "--models", help="Where models go: inline, external (<app>/models/) or split."
        ),
        omit_tests: bool = typer.Option(False, "--omit-tests", help="Do not write the test."),
        force: bool = FORCE,
        dry_run: bool = DRY_RUN,
        diff: bool = _DIFF,
        quiet: bool = _QUIET,
        root: Path = _ROOT,
    ) -> None:
        from flowkit.scaffold import Options, generate

        if max_attempts is not None and max_attempts < 0:
            raise UsageError("--retry.max_attempts cannot be negative")
        if backoff is not None and backoff < 1:
            raise UsageError("--retry.backoff must be at least 1.0")
        options = Options(
            task_queue=_queue(task_queue),
            omit_tests=omit_tests,
            models=_models(models),
            max_attempts=max_attempts,
            initial=_duration(initial, "--retry.initial"),
            backoff=backoff,
            timeout=_duration(timeout, "--timeout"),
            heartbeat=_duration(heartbeat, "--heartbeat"),
        )
        root = _project_root(root)
        dry_run = dry_run or diff
        if not dry_run:
            _warn_if_dirty(root)
        plan, report = generate(kind, name, root, options, force=force, dry_run=dry_run)
        _show(plan, report, root, diff=diff, quiet=quiet)

    command.__doc__ = (
        f"Generate {'an' if kind == 'agent' else 'a'} {kind}, its test and its registration."
    )
    return command


def pipeline(
    name: str = typer.Argument(..., help="The pipeline's name, e.g. BlogPipeline."),
    operators: str = typer.Option(
        ..., "--operators", help='The expression, e.g. "IDEATE ⇄ RESEARCH → PLAN →? PUBLISH".'
    ),
    style: str = typer.Option(
        "subworkflows", "--style", help="Steps as child workflows (subworkflows) or functions."
    ),
    maps: list[str] = typer.Option([], "--map", help="TOKEN:dotted.path of an existing step."),
    conds: list[str] = typer.Option([], "--cond", help="STEP:dotted.path of a condition."),
    task_queue: str | None = TASK_QUEUE,
    omit_tests: bool = typer.Option(False, "--omit-tests", help="Do not write the test."),
    force: bool = FORCE,
    dry_run: bool = DRY_RUN,
    diff: bool = _DIFF,
    quiet: bool = _QUIET,
    root: Path = _ROOT,
) -> None:
    """Compile an operator expression into a pipeline, its test and its registration."""
    from flowkit.scaffold import Options, apply_plan, plan_pipeline

    mapping, conditions = parse_pairs(maps, "--map"), parse_pairs(conds, "--cond")
    task_queue = _queue(task_queue)
    options = Options(task_queue=task_queue, omit_tests=omit_tests)
    root = _project_root(root)
    result = plan_pipeline(
        name,
        root,
        operators,
        style=style,
        mapping=mapping,
        conditions=conditions,
        options=options,
    )
    dry_run = dry_run or diff
    if not dry_run:
        _warn_if_dirty(root)
    report = apply_plan(result, root, task_queue, force=force, dry_run=dry_run)
    _show(result, report, root, diff=diff, quiet=quiet)


def destroy(
    kind: str = typer.Argument(..., help="agent, workflow, function or pipeline."),
    name: str = typer.Argument(..., help="The name given to `flowkit g`."),
    models: str = typer.Option("inline", "--models", help="The --models given to `flowkit g`."),
    dry_run: bool = DRY_RUN,
    quiet: bool = _QUIET,
    root: Path = _ROOT,
) -> None:
    """Remove what `flowkit g` wrote and unregister it from server/service.py."""
    from flowkit.scaffold import Options
    from flowkit.scaffold import destroy as destroy_resource

    options = Options(models=_models(models))
    root = _project_root(root)
    plan, report = destroy_resource(kind, name, root, options, dry_run=dry_run)
    _print(report.lines(), quiet)
    for note in plan.notes:
        print(f"warning: {note}", file=sys.stderr)


def doctor(
    json_output: bool = JSON,
    root: Path = _ROOT,
    address: str | None = ADDRESS,
    namespace: str | None = NAMESPACE,
    no_server: bool = typer.Option(False, "--no-server", help="Skip the server check."),
) -> None:
    """Check the environment, the server and the project; exit 1 on any ✗."""
    from flowkit.scaffold import format_checks, run_checks

    checks = run_checks(
        _project_root(root), address=address, namespace=namespace, server=not no_server
    )
    typer.echo(format_checks(checks, as_json=json_output))
    if any(check.status == "error" for check in checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the commands to the main app."""
    generate_app = typer.Typer(
        help="Generate an agent, workflow, function or pipeline.", no_args_is_help=True
    )
    for kind in ("agent", "workflow", "function"):
        generate_app.command(kind)(_generator(kind))
    generate_app.command("pipeline")(pipeline)
    app.command("new")(new)
    app.add_typer(generate_app, name="g")
    app.add_typer(generate_app, name="generate", help="Alias of `flowkit g`.")
    app.command("destroy")(destroy)
    app.command("doctor")(doctor)
