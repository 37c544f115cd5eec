"""``flowkit doctor``'s checks of a project: its registrations, files and git status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from flowkit.policy import TASK_QUEUE
from flowkit.scaffold._check import Check

__all__ = ["check_files", "check_git", "check_registrations"]


def check_registrations(root: Path) -> list[Check]:
    """``server/service.py`` imports; every registration is a definition, registered once;
    every step and child a workflow calls is registered on some worker."""
    if not (root / "server" / "service.py").is_file():
        return [
            Check(
                "service",
                "warn",
                "no server/service.py here",
                "run doctor in a project folder, or create one with `flowkit new`",
            )
        ]
    result = subprocess.run(
        [sys.executable, "-m", "flowkit.scaffold._inspect", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )
    try:
        data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [
            Check(
                "service",
                "error",
                f"server/service.py could not be inspected: {detail}",
                "run `python -c 'import server.service'` to see the traceback",
            )
        ]
    if "error" in data:
        return [
            Check(
                "service",
                "error",
                data["error"].splitlines()[0],
                "fix the import shown above; `flowkit doctor` rechecks",
            )
        ]
    checks = [Check("service", "ok", "server/service.py imports")]
    registered: dict[str, set[str]] = {"function": set(), "workflow": set()}
    problems: list[Check] = []
    queues: dict[str, int] = {}
    for service in data["services"]:
        queue = service["task_queue"] or TASK_QUEUE
        queues[queue] = queues.get(queue, 0) + 1
        seen: set[tuple[str, str]] = set()
        for entry in service["entries"]:
            kind = "function" if entry["kind"] == "functions" else "workflow"
            if entry["name"] is None:
                decorator = "@function.defn" if kind == "function" else f"@{kind}.defn"
                problems.append(
                    Check(
                        "registration",
                        "error",
                        f"{entry['label']} in {entry['kind']} on {queue!r} is not a definition",
                        f"decorate it with {decorator}()",
                    )
                )
                continue
            if (kind, entry["name"]) in seen:
                problems.append(
                    Check(
                        "registration",
                        "error",
                        f"{entry['name']} is registered twice on {queue!r}",
                        "remove the duplicate from server/service.py",
                    )
                )
            seen.add((kind, entry["name"]))
            registered[kind].add(entry["name"])
    for queue, count in queues.items():
        if count > 1:
            problems.append(
                Check(
                    "registration",
                    "warn",
                    f"{count} Services on task queue {queue!r}",
                    "merge them: one worker per task queue",
                )
            )
    for service in data["services"]:
        for entry in service["entries"]:
            for call in entry["calls"]:
                if call["name"] not in registered[call["kind"]]:
                    problems.append(
                        Check(
                            "registration",
                            "error",
                            f"{entry['label']} calls {call['kind']} {call['name']}, registered on "
                            "no worker",
                            f"add it to a Service's {call['kind']}s in "
                            "server/service.py (or `flowkit g` it)",
                        )
                    )
    if not problems:
        count = sum(len(s["entries"]) for s in data["services"])
        checks.append(
            Check(
                "registration",
                "ok",
                f"{count} registrations resolve; every called step and child is registered",
            )
        )
    return checks + problems


def check_files(root: Path) -> list[Check]:
    """Packages have ``__init__.py``, module names are identifiers, folders are writable."""
    checks = []
    missing, bad = [], []
    for folder in ("src", "server", "tests"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            if not path.stem.isidentifier():
                bad.append(str(path.relative_to(root)))
            parent = path.parent
            if parent != root / "src" and not (parent / "__init__.py").exists():
                missing.append(str(parent.relative_to(root)))
    for folder in sorted(set(missing)):
        checks.append(
            Check(
                "packages",
                "warn",
                f"{folder}/ has no __init__.py",
                f"create {folder}/__init__.py so its modules import as a package",
            )
        )
    for relpath in bad:
        checks.append(
            Check(
                "names",
                "error",
                f"{relpath} is not an importable module name",
                "rename it to a snake_case identifier",
            )
        )
    if not missing and not bad:
        checks.append(Check("packages", "ok", "packages have __init__.py; module names are valid"))
    unwritable = [
        f
        for f in (".", "src", "server", "tests", "config")
        if (root / f).exists() and not os.access(root / f, os.W_OK)
    ]
    if (root / "server" / "service.py.patch").is_file():
        checks.append(
            Check(
                "patch",
                "warn",
                "server/service.py.patch is waiting",
                "apply it (git apply server/service.py.patch), then delete it",
            )
        )
    if unwritable:
        checks.append(
            Check(
                "write access",
                "error",
                f"cannot write to {', '.join(unwritable)}",
                "fix the folders' permissions (generators write there)",
            )
        )
    else:
        checks.append(Check("write access", "ok", "the project's folders are writable"))
    return checks


def check_git(root: Path) -> list[Check]:
    """Whether the project is a git repository without uncommitted changes."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return [Check("git", "warn", "git is not available", "install git to track changes")]
    if status.returncode != 0:
        return [Check("git", "warn", "not a git repository", "git init && git add . && git commit")]
    changed = len(status.stdout.splitlines())
    if changed:
        return [
            Check(
                "git",
                "warn",
                f"{changed} uncommitted changes",
                "commit before `flowkit g` so git diff shows what it changed",
            )
        ]
    return [Check("git", "ok", "git working tree is clean")]
