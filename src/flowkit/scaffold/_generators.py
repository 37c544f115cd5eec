"""``flowkit g agent|workflow|function`` and ``flowkit destroy``: plan, then write.

A generator is a name inflector, a template folder and a registration: :func:`plan`
returns everything it would write as a :class:`~flowkit.scaffold.FileSet` (nothing touches
disk), :func:`generate` writes it all or nothing, and :func:`destroy` undoes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from flowkit._emit import FileSet, Imports, WriteReport, header, remove_files
from flowkit.errors import GenerateError
from flowkit.policy import TASK_QUEUE
from flowkit.scaffold._names import Name, parse_name
from flowkit.scaffold._options import KINDS, SERVICE_FILE, Models, Options, Plan, find_app
from flowkit.scaffold._registry import (
    Registration,
    RegistryError,
    patch,
    register,
    snippet,
    unregister,
)
from flowkit.scaffold._render import policy_lines, render

__all__ = [
    "KINDS",
    "Options",
    "Plan",
    "apply_plan",
    "destroy",
    "find_app",
    "generate",
    "plan",
    "remove_plan",
]


def _command(kind: str, name: Name, options: Options) -> str:
    # The canonical spelling, so that SendEmail and send_email generate the same bytes.
    return " ".join(["flowkit", "g", kind, name.camel, *options.flags()])


def _models_module(app: str, kind: str, name: Name, models: Models) -> str:
    module = f"{app}.{kind}s.{name.snake}"
    return {
        "inline": module,
        "external": f"{app}.models.{name.snake}",
        "split": module + "_models",
    }[models]


_MODEL_NAMES = {
    "agent": ("Event", "Message", "Reply"),
    "workflow": ("In", "Out"),
    "function": ("In", "Out"),
}
_STEP = {"agent": "{}_reply", "workflow": "{}_step", "function": "{}"}


def plan(
    kind: str, raw_name: str, root: Path, options: Options | None = None, *, app: str | None = None
) -> Plan:
    """Plan the files and registrations of ``flowkit g <kind> <raw_name>``.

    ``app`` names the app package when the project is not on disk yet (``flowkit new``).

    Raises:
        GenerateError: unknown kind, bad name, or ``root`` is not a flowkit project.
    """
    if kind not in KINDS:
        raise GenerateError(f"unknown generator {kind!r}: choose one of {', '.join(KINDS)}")
    options = options or Options()
    name = parse_name(raw_name, kind)
    app = app or find_app(root)
    command = _command(kind, name, options)
    module = f"{app}.{kind}s.{name.snake}"
    models_module = _models_module(app, kind, name, options.models)
    step = _STEP[kind].format(name.snake)
    models = [name.camel + suffix for suffix in _MODEL_NAMES[kind]]
    policy = policy_lines(options.__dict__)
    imports = Imports()
    if kind == "agent":
        imports.add("third", "flowkit.agent", "agent", "import_functions", "log")
        imports.add("third", "flowkit.function", "function")
    elif kind == "workflow":
        imports.add("third", "flowkit.workflow", "import_functions", "log", "workflow")
        imports.add("third", "flowkit.function", "function")
    else:
        imports.add("third", "flowkit.function", "NonRetryableError", "function", "log")
    if kind != "function":
        if policy["uses_replace"]:
            imports.add("stdlib", "dataclasses", "replace")
        if policy["uses_timedelta"]:
            imports.add("stdlib", "datetime", "timedelta")
    model_imports = Imports().add("third", "pydantic", "BaseModel", "Field")
    if kind == "agent":
        model_imports.add("stdlib", "enum", "StrEnum")
    if options.models == "inline":
        imports.merge(model_imports)
    else:
        # The event enum is for senders; the agent itself uses the message models only.
        imports.add("first", models_module, *(m for m in models if not m.endswith("Event")))
    context: dict[str, Any] = {
        "name": name,
        "app": app,
        "kind": kind,
        "models": options.models,
        "policy": policy,
        "module": module,
        "models_module": models_module,
    }
    files = FileSet()
    path = f"src/{app}/{kind}s/{name.snake}.py"
    files[path] = render(
        f"resource/{kind}.py.jinja", header=header(command), imports=imports.render(), **context
    )
    resource_files = [path]
    if options.models != "inline":
        models_path = "src/" + models_module.replace(".", "/") + ".py"
        files[models_path] = render(
            "resource/models.py.jinja",
            header=header(command),
            imports=model_imports.render(),
            **context,
        )
        resource_files.append(models_path)
    if not options.omit_tests:
        test_imports = Imports()
        symbols = [step] + ([name.camel] if kind != "function" else [])
        if kind == "function":
            test_imports.add_module("third", "pytest")
            test_imports.add("third", "temporalio.testing", "ActivityEnvironment")
            test_imports.add("third", "flowkit.function", "NonRetryableError")
        else:
            test_imports.add_module("stdlib", "uuid")
            test_imports.add("stdlib", "typing", "Any")
            test_imports.add("third", "flowkit.testing", "scheduled_steps")
            symbols += ["HEARTBEAT", "RETRY", "STEP_TIMEOUT"]
        test_imports.add("first", module, *symbols)
        test_imports.add("first", models_module, *models[-2:] if kind != "agent" else models)
        test_path = f"tests/{kind}s/test_{name.snake}.py"
        files[test_path] = render(
            f"resource/{kind}_test.py.jinja",
            header=header(command),
            imports=test_imports.render(),
            **context,
        )
        resource_files.append(test_path)
    for package in _packages(files):
        if not (root / package).exists():
            files[package] = header(command) + '"""Generated by flowkit."""\n'
    registrations = [Registration("functions", module, step)]
    if kind == "agent":
        registrations.insert(0, Registration("agents", module, name.camel))
    elif kind == "workflow":
        registrations.insert(0, Registration("workflows", module, name.camel))
    return Plan(kind, name, app, files, registrations, resource_files)


def _packages(files: FileSet) -> list[str]:
    out = set()
    for relpath in files:
        parts = relpath.split("/")
        for depth in range(2 if parts[0] == "src" else 1, len(parts)):
            out.add("/".join(parts[:depth]) + "/__init__.py")
    return sorted(out - set(files))


def generate(
    kind: str,
    raw_name: str,
    root: Path,
    options: Options | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> tuple[Plan, WriteReport]:
    """Plan, register in ``server/service.py`` and write, all or nothing.

    When ``server/service.py`` cannot be edited safely, ``server/service.py.patch`` is
    written instead and ``Plan.notes`` says why and what to add.

    Raises:
        GenerateError: a bad name, a clash, or files that differ (without ``force``).
    """
    options = options or Options()
    result = plan(kind, raw_name, root, options)
    return result, apply_plan(result, root, options.task_queue, force=force, dry_run=dry_run)


def apply_plan(
    result: Plan, root: Path, task_queue: str, *, force: bool = False, dry_run: bool = False
) -> WriteReport:
    """Add the plan's registrations to its files, then write them all or none."""
    service = root / SERVICE_FILE
    try:
        if service.is_file():
            text = service.read_text(encoding="utf-8")
            new = register(text, result.registrations, task_queue, _default_queue(root))
            result.files.edit(SERVICE_FILE, new)
        else:
            base = render(
                "project/service.py.jinja",
                header=header(f"flowkit g {result.kind} {result.name.camel}"),
                app=parse_name(result.app),
                task_queue=task_queue,
            )
            result.files[SERVICE_FILE] = register(base, result.registrations, task_queue)
    except RegistryError as exc:
        text = service.read_text(encoding="utf-8")
        result.files.edit(
            SERVICE_FILE + ".patch", patch(SERVICE_FILE, text, result.registrations, task_queue)
        )
        result.notes.append(
            f"{SERVICE_FILE} was not edited: {exc}. Add this to it by hand "
            f"(or `git apply {SERVICE_FILE}.patch`):\n\n"
            + snippet(result.registrations, task_queue)
        )
    return result.files.write(root, force=force, dry_run=dry_run)


def _default_queue(root: Path) -> str:
    from flowkit.policy import load_settings

    try:
        return load_settings(root=root).worker.task_queue
    except Exception:  # a broken settings file is doctor's business, not the generator's
        return TASK_QUEUE


def destroy(
    kind: str, raw_name: str, root: Path, options: Options | None = None, *, dry_run: bool = False
) -> tuple[Plan, WriteReport]:
    """Remove what ``flowkit g <kind> <raw_name>`` wrote, and unregister it.

    Raises:
        GenerateError: a bad name or kind, or ``root`` is not a flowkit project.
    """
    if kind == "pipeline":
        from flowkit.scaffold._pipeline import planned_pipeline_files

        result = planned_pipeline_files(raw_name, root)
    else:
        result = plan(kind, raw_name, root, Options(models=(options or Options()).models))
    return result, remove_plan(result, root, dry_run=dry_run)


def remove_plan(result: Plan, root: Path, *, dry_run: bool = False) -> WriteReport:
    """Unregister the plan's registrations and remove its resource files."""
    service = root / SERVICE_FILE
    edits = FileSet()
    if service.is_file():
        text = service.read_text(encoding="utf-8")
        try:
            edits.edit(SERVICE_FILE, unregister(text, result.registrations))
        except RegistryError as exc:
            result.notes.append(f"{SERVICE_FILE} was not edited: {exc}; remove the entries by hand")
    report = remove_files(root, result.resource_files, dry_run=dry_run)
    report.updated = list(edits.write(root, force=True, dry_run=dry_run).updated)
    if not dry_run:
        for relpath in report.removed:  # folders the removal emptied (a pipeline's package)
            folder = (root / relpath).parent
            shutil.rmtree(folder / "__pycache__", ignore_errors=True)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return report
