"""``flowkit new <app>``: a project that runs and passes its tests before any edit."""

from __future__ import annotations

from pathlib import Path

from flowkit._emit import FileSet, WriteReport, header
from flowkit._version import __version__
from flowkit.policy import TASK_QUEUE
from flowkit.scaffold._generators import Options, plan
from flowkit.scaffold._names import parse_app_name
from flowkit.scaffold._registry import register
from flowkit.scaffold._render import render

__all__ = ["FIRST_FUNCTION", "new_project", "plan_project"]

FIRST_FUNCTION = "Ping"

# (relative path, template, comment marker); "{app}" is the package name.
_FILES = [
    ("pyproject.toml", "pyproject.toml.jinja", "#"),
    (".env.example", "env.example.jinja", "#"),
    (".gitignore", "gitignore.jinja", "#"),
    ("Makefile", "Makefile.jinja", "#"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml.jinja", "#"),
    ("README.md", "README.md.jinja", "<!--"),
    ("config/settings.yaml", "settings.yaml.jinja", "#"),
    ("server/service.py", "service.py.jinja", "#"),
    ("client/schedule_agent.py", "schedule_agent.py.jinja", "#"),
    ("client/run_workflow.py", "run_workflow.py.jinja", "#"),
    ("src/{app}/common/retries.py", "retries.py.jinja", "#"),
    ("tests/test_project.py", "test_project.py.jinja", "#"),
]

_PACKAGES = {
    "server/__init__.py": "The worker side: server/service.py lists what `flowkit worker` runs.",
    "client/__init__.py": "Scripts that start runs and send events.",
    "src/{app}/__init__.py": "The {app} application.",
    "src/{app}/common/__init__.py": "What the app's agents, workflows and functions share.",
    "src/{app}/agents/__init__.py": "Agents: long-running workflows driven by events.",
    "src/{app}/workflows/__init__.py": "Workflows: durable runs that call steps and children.",
    "src/{app}/functions/__init__.py": "Functions: the steps (Temporal activities).",
    "tests/__init__.py": "The app's tests; they run on Temporal's time-skipping test server.",
    "tests/agents/__init__.py": "Tests of the agents.",
    "tests/workflows/__init__.py": "Tests of the workflows.",
    "tests/functions/__init__.py": "Tests of the functions.",
}


def plan_project(raw_name: str, task_queue: str = TASK_QUEUE) -> FileSet:
    """Every file of a new project, relative to the project folder.

    Args:
        raw_name: the project name; its package is the snake-case spelling.
        task_queue: the task queue of the project's first Service.

    Raises:
        GenerateError: the name is not valid.
    """
    app = parse_app_name(raw_name)
    command = f"flowkit new {raw_name}"
    if task_queue != TASK_QUEUE:
        command += f" --task-queue {task_queue}"
    files = FileSet()
    for path, template, comment in _FILES:
        files[path.format(app=app.snake)] = render(
            f"project/{template}",
            header=header(command, comment),
            app=app,
            task_queue=task_queue,
            version=__version__,
        )
    for path, doc in sorted(_PACKAGES.items()):
        files[path.format(app=app.snake)] = render(
            "project/package_init.py.jinja", header=header(command), doc=doc.format(app=app.snake)
        )
    # A worker needs something to run: a first function, so `flowkit run:server` starts
    # right away. `flowkit destroy function Ping` removes it.
    first = plan(
        "function", FIRST_FUNCTION, Path(app.snake), Options(task_queue=task_queue), app=app.snake
    )
    for path, text in first.files.items():
        files.setdefault(path, text)
    files["server/service.py"] = register(
        files["server/service.py"], first.registrations, task_queue, task_queue
    )
    return files


def new_project(
    raw_name: str,
    parent: Path,
    *,
    task_queue: str = TASK_QUEUE,
    force: bool = False,
    dry_run: bool = False,
) -> tuple[Path, WriteReport]:
    """Write a new project into ``parent/<raw_name>``, all files or none.

    Returns:
        The project folder and what was written.

    Raises:
        GenerateError: a bad name, or files exist there that differ (without ``force``).
    """
    files = plan_project(raw_name, task_queue)
    root = parent / raw_name
    return root, files.write(root, force=force, dry_run=dry_run)
