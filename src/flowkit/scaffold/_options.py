"""What the generators share: their options, their plan, and where the app lives."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

from flowkit._emit import FileSet
from flowkit.errors import GenerateError
from flowkit.policy import TASK_QUEUE
from flowkit.scaffold._names import Name
from flowkit.scaffold._registry import Registration

__all__ = ["KINDS", "SERVICE_FILE", "Models", "Options", "Plan", "find_app"]

KINDS = ("agent", "workflow", "function")
SERVICE_FILE = "server/service.py"
Models = Literal["inline", "external", "split"]


@dataclass(frozen=True)
class Options:
    """The flags shared by the generators.

    Attributes:
        task_queue: the Service (worker) the resource is registered on.
        omit_tests: do not write the test module.
        models: where the pydantic models go: in the module (``inline``), in
            ``<app>/models/<name>.py`` (``external``) or in ``<name>_models.py`` beside it
            (``split``).
        max_attempts: retry policy override: maximum attempts (0 means unlimited).
        initial: retry policy override: first retry interval.
        backoff: retry policy override: backoff coefficient.
        timeout: step start-to-close timeout override.
        heartbeat: step heartbeat timeout override.
    """

    task_queue: str = TASK_QUEUE
    omit_tests: bool = False
    models: Models = "inline"
    max_attempts: int | None = None
    initial: timedelta | None = None
    backoff: float | None = None
    timeout: timedelta | None = None
    heartbeat: timedelta | None = None

    def flags(self) -> list[str]:
        """The options as canonical command-line flags (for the generated header)."""
        from flowkit.policy import format_duration

        out: list[str] = []
        if self.max_attempts is not None:
            out += ["--retry.max_attempts", str(self.max_attempts)]
        if self.initial is not None:
            out += ["--retry.initial", format_duration(self.initial)]
        if self.backoff is not None:
            out += ["--retry.backoff", repr(float(self.backoff))]
        if self.timeout is not None:
            out += ["--timeout", format_duration(self.timeout)]
        if self.heartbeat is not None:
            out += ["--heartbeat", format_duration(self.heartbeat)]
        if self.task_queue != TASK_QUEUE:
            out += ["--task-queue", self.task_queue]
        if self.models != "inline":
            out += ["--models", self.models]
        if self.omit_tests:
            out.append("--omit-tests")
        return out


@dataclass
class Plan:
    """What a generator will write and register."""

    kind: str
    name: Name
    app: str
    files: FileSet
    registrations: list[Registration]
    resource_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def find_app(root: Path) -> str:
    """The app package of the project at ``root``: the one package under ``src/``.

    Raises:
        GenerateError: ``root`` is not a flowkit project, or the package is ambiguous.
    """
    src = root / "src"
    packages = sorted(p.parent.name for p in src.glob("*/__init__.py")) if src.is_dir() else []
    if len(packages) == 1:
        return packages[0]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name")
        if isinstance(name, str) and name.replace("-", "_") in packages:
            return name.replace("-", "_")
    if not packages:
        raise GenerateError(
            f"{root} is not a flowkit project (no package under src/); create one with "
            "`flowkit new <app>` or run the command in the project folder"
        )
    raise GenerateError(f"cannot tell the app package among src/{{{','.join(packages)}}}")
